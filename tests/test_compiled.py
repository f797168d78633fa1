"""The hot modules' compiled twins (``lagebild._compiled``): used only when built from the
source beside them, built where Cython and a C compiler are, and giving the pure-Python
modules' analyses exactly."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
from importlib.machinery import EXTENSION_SUFFIXES
from pathlib import Path

import pytest

from lagebild import _compiled

NAME = "lagebild.text.tokenize"  # one of MODULES; the tests below give it a fake root


def _fake_root(tmp_path: Path, source: bytes, twin: bool) -> Path:
    """A package folder holding ``text/tokenize.py`` and maybe a (dummy) compiled twin."""
    folder = tmp_path / "text"
    folder.mkdir(parents=True)
    (folder / "tokenize.py").write_bytes(source)
    if twin:
        (folder / ("tokenize" + EXTENSION_SUFFIXES[0])).write_bytes(b"not loaded")
    return tmp_path


def _manifest(root: Path, source: bytes) -> None:
    (root / _compiled.MANIFEST).write_text(f"{NAME} {_compiled.digest(source)}\n")


def test_a_twin_is_used_only_when_built_from_the_source_beside_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(_compiled.PURE_ENV, raising=False)
    root = _fake_root(tmp_path, b"X = 1\n", twin=True)
    assert _compiled.state(NAME, root).startswith("source (changed")  # no manifest line
    _manifest(root, b"X = 1\n")
    assert _compiled.state(NAME, root) == "compiled"
    (root / "text/tokenize.py").write_bytes(b"X = 2\n")  # edited after the build
    assert _compiled.state(NAME, root).startswith("source (changed")
    monkeypatch.setenv(_compiled.PURE_ENV, "1")
    _manifest(root, b"X = 2\n")
    assert _compiled.state(NAME, root).startswith("source (LAGEBILD_PURE_PYTHON")


def test_the_finder_imports_a_stale_or_missing_twin_from_source(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(_compiled.PURE_ENV, raising=False)
    root = _fake_root(tmp_path, b"X = 1\n", twin=True)
    finder = _compiled._Finder(root)
    spec = finder.find_spec(NAME)
    assert spec is not None and spec.origin == str(root / "text/tokenize.py")
    assert finder.find_spec("lagebild.text.fold") is None  # not a listed module
    _manifest(root, b"X = 1\n")
    assert _compiled._Finder(root).find_spec(NAME) is None  # current twin: Python's own finders
    no_twin = _fake_root(tmp_path / "b", b"X = 1\n", twin=False)
    _manifest(no_twin, b"X = 1\n")
    spec = _compiled._Finder(no_twin).find_spec(NAME)
    assert spec is not None and spec.origin == str(no_twin / "text/tokenize.py")


def test_the_listed_modules_exist_and_are_imported_through_the_finder() -> None:
    root = Path(_compiled.__file__).parent
    for name in _compiled.MODULES:
        assert _compiled._source_of(name, root).is_file(), name
    assert isinstance(sys.meta_path[0], _compiled._Finder)


def test_the_hot_modules_are_compiled_where_cython_and_a_c_compiler_are() -> None:
    """Without Cython or a compiler the install goes on in Python (slower, same results);
    with both, a module left uncompiled means the build broke. CI installs afresh; a venv
    installed before the twins existed needs ``pip install -e .`` (or ``make test``)."""
    cc = (sysconfig.get_config_var("CC") or "cc").split()[0]
    if shutil.which(cc) is None:
        pytest.skip(f"no C compiler ({cc}): the hot modules run as Python")
    if os.environ.get(_compiled.PURE_ENV):
        pytest.skip(f"{_compiled.PURE_ENV} is set")
    left = {n: s for n, s in _compiled.report().items() if s != "compiled"}
    if left and not os.environ.get("CI"):  # e.g. sources changed by a rebase since
        pytest.skip(f"{len(left)} hot modules run from source here: `pip install -e .`")
    assert left == {}


_ANALYSE = """
import json, sys
from lagebild import _compiled
from lagebild.config import Config
from lagebild.ingest import read_sources
from lagebild.model import Article, to_dict
from lagebild.pipeline import Pipeline

pipe = Pipeline(Config(fast=True))
arts = [a for a in read_sources([sys.argv[1]]) if isinstance(a, Article)][: int(sys.argv[2])]
out = [to_dict(pipe(a)) for a in arts]
print(json.dumps({"modules": _compiled.report(), "docs": out}, sort_keys=True))
"""


def _analyses(folder: Path, n: int, pure: bool) -> dict:
    env = {k: v for k, v in os.environ.items() if k != _compiled.PURE_ENV}
    if pure:
        env[_compiled.PURE_ENV] = "1"
    run = subprocess.run(
        [sys.executable, "-c", _ANALYSE, str(folder), str(n)],
        capture_output=True, text=True, env=env, check=True,
    )  # fmt: skip
    return json.loads(run.stdout)


@pytest.mark.slow
def test_compiled_and_pure_python_modules_give_the_same_analyses() -> None:
    """The demo corpus through fast mode twice, in fresh processes: once with whatever the
    install compiled, once with every hot module from source. Same JSON, byte for byte."""
    folder = Path(__file__).resolve().parents[1] / "examples/demo"
    compiled = _analyses(folder, 12, pure=False)
    pure = _analyses(folder, 12, pure=True)
    assert set(pure["modules"].values()) == {f"source ({_compiled.PURE_ENV} is set)"}
    assert len(compiled["docs"]) == 12
    assert json.dumps(compiled["docs"], sort_keys=True) == json.dumps(pure["docs"], sort_keys=True)
