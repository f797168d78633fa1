"""Checking that a shipped model is what its training command builds (``train … --check``).

A model card that says "reproducible" is a claim; ``lagebild train NAME --check`` tests it:
the training command writes into a temporary folder and every file it writes is compared
with the file shipped in ``src/lagebild/models/<name>``. Most files must be the same bytes
(the builds fix seeds and pin thread counts). Where bit-identity cannot be promised the
comparison is named and documented here:

- ``meta.json`` of the NER models: equal after dropping ``IGNORED_KEYS`` (wall-clock seconds);
- ``.npz`` arrays (encoder heads, trained with torch): equal shapes and every value within
  ``NPZ_ATOL`` (float sums on another CPU or BLAS build may differ in the last bits).

A file the rebuild writes but the package does not ship (or the other way round) fails.
"""

from __future__ import annotations

import io
import json
import shutil
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

IGNORED_KEYS = frozenset({"train_seconds", "seconds"})  # timings: never the same twice
NPZ_ATOL = 1e-5


@dataclass(frozen=True, slots=True)
class FileCheck:
    """One shipped file against its rebuild."""

    name: str
    ok: bool
    how: str  # "same bytes", "same content (…)", "differs: …", "not rebuilt", "not shipped"


def shipped_dir(name: str) -> Path:
    """The folder of a model shipped in the package (``models/<name>``)."""
    return Path(str(resources.files("lagebild") / "models" / name))


def _json_without_timings(path: Path) -> object:
    def strip(x: object) -> object:
        if isinstance(x, dict):
            return {k: strip(v) for k, v in x.items() if k not in IGNORED_KEYS}
        if isinstance(x, list):
            return [strip(v) for v in x]
        return x

    return strip(json.loads(path.read_text(encoding="utf-8")))


def _npz_within(a: Path, b: Path) -> str | None:
    """None when the arrays match within NPZ_ATOL, else what differs."""
    import numpy as np

    with np.load(io.BytesIO(a.read_bytes())) as x, np.load(io.BytesIO(b.read_bytes())) as y:
        if sorted(x.files) != sorted(y.files):
            return f"arrays {sorted(x.files)} vs {sorted(y.files)}"
        worst = 0.0
        for key in x.files:
            if x[key].shape != y[key].shape:
                return f"{key}: shape {x[key].shape} vs {y[key].shape}"
            if x[key].size:
                diff = np.abs(x[key].astype(np.float64) - y[key].astype(np.float64))
                worst = max(worst, float(diff.max()))
        return None if worst <= NPZ_ATOL else f"largest difference {worst:.3g} > {NPZ_ATOL}"


def compare_file(shipped: Path, rebuilt: Path) -> FileCheck:
    """One file: the same bytes, or equal under the documented tolerance of its kind."""
    name = shipped.name
    if not rebuilt.exists():
        return FileCheck(name, False, "not rebuilt")
    if not shipped.exists():
        return FileCheck(name, False, "not shipped")
    if shipped.read_bytes() == rebuilt.read_bytes():
        return FileCheck(name, True, "same bytes")
    if name == "meta.json" and _json_without_timings(shipped) == _json_without_timings(rebuilt):
        return FileCheck(name, True, "same content (timings ignored)")
    if name.endswith(".npz"):
        why = _npz_within(shipped, rebuilt)
        if why is None:
            return FileCheck(name, True, f"same arrays within {NPZ_ATOL}")
        return FileCheck(name, False, f"differs: {why}")
    return FileCheck(
        name, False, f"differs ({shipped.stat().st_size} vs {rebuilt.stat().st_size} bytes)"
    )


def compare(shipped: Path, rebuilt: Path, names: Sequence[str] | None = None) -> list[FileCheck]:
    """Every built file of ``rebuilt`` (or just ``names``) against the shipped folder; with
    ``names`` None, shipped files the rebuild did not write fail too (model cards and files
    written by hand, ``*.md``, are not built and not compared)."""
    if names is None:
        built = {p.name for p in rebuilt.iterdir() if p.is_file()}
        ships = {p.name for p in shipped.iterdir() if p.is_file() and p.suffix != ".md"}
        names = sorted(built | ships)
    return [compare_file(shipped / n, rebuilt / n) for n in names]


@contextmanager
def scratch(prefix: str) -> Iterator[Path]:
    """A temporary model folder, removed afterwards."""
    path = Path(tempfile.mkdtemp(prefix=f"lagebild-check-{prefix}-"))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def check_build(
    name: str,
    build: Callable[[Path], None],
    names: Sequence[str] | None = None,
    shipped: Path | None = None,
) -> list[FileCheck]:
    """Run ``build`` into a temporary folder and compare it with the shipped model ``name``."""
    with scratch(name) as out:
        build(out)
        return compare(shipped or shipped_dir(name), out, names)


def print_checks(name: str, checks: Sequence[FileCheck], echo: Callable[[str], None]) -> bool:
    """One line per file; True when every file passed."""
    for c in checks:
        echo(f"  {'ok  ' if c.ok else 'FAIL'} {name}/{c.name}: {c.how}")
    ok = all(c.ok for c in checks) and bool(checks)
    echo(
        f"{name}: {'rebuilt as shipped' if ok else 'NOT rebuilt as shipped'} ({len(checks)} files)"
    )
    return ok


__all__ = [
    "IGNORED_KEYS",
    "NPZ_ATOL",
    "FileCheck",
    "check_build",
    "compare",
    "compare_file",
    "print_checks",
    "shipped_dir",
]
