"""Optional compiled twins of the hot pure-Python modules of fast mode.

Why: fast mode spends its time in per-token Python spread over every stage (NER features
and scores, quote scores, rules, facts, tokenizer), not in one loop that C could take over.
``setup.py`` compiles these modules *unchanged* with Cython (pure-Python mode, type
annotations ignored, so the semantics stay Python's) where Cython and a C compiler are
present; without them the install goes on and every module runs from its ``.py``.

A compiled twin lies beside its ``.py`` and Python's import prefers it. So that a build can
never shadow an edit (an editable checkout keeps its ``.so`` files while the sources move
on), the build writes each twin's source digest into ``_compiled.txt``, and ``install()``
puts a finder first on ``sys.meta_path`` that imports a module from its ``.py`` unless its
twin was built from exactly that source. ``LAGEBILD_PURE_PYTHON=1`` imports every one from
source (for comparing the two paths). ``lagebild doctor`` reports which path each takes.
"""

from __future__ import annotations

import hashlib
import importlib.abc
import importlib.machinery
import importlib.util
import os
import sys
from pathlib import Path
from types import ModuleType

# setup.py reads this tuple without importing lagebild (keep it a literal)
MODULES = (
    "lagebild.entities.canon",
    "lagebild.entities.coref",
    "lagebild.entities.names",
    "lagebild.entities.ner.features",
    "lagebild.entities.ner.lexicon",
    "lagebild.entities.ner.scoring",
    "lagebild.entities.places",
    "lagebild.entities.propagate",
    "lagebild.entities.rules",
    "lagebild.entities.spans",
    "lagebild.entities.update",
    "lagebild.entities.translit",
    "lagebild.facts.claims",
    "lagebild.facts.context",
    "lagebild.facts.extract",
    "lagebild.facts.lexicon",
    "lagebild.quotes.features",
    "lagebild.quotes.lexicon",
    "lagebild.quotes.scoring",
    "lagebild.quotes.screen",
    "lagebild.quotes.speakers",
    "lagebild.quotes.tagger",
    "lagebild.quotes.view",
    "lagebild.store.codec",
    "lagebild.stories.features",
    "lagebild.text.dictionaries",
    "lagebild.text.lemma",
    "lagebild.text.tokenize",
    "lagebild.time.scan",
    "lagebild.time.tagger",
)
MANIFEST = "_compiled.txt"
PURE_ENV = "LAGEBILD_PURE_PYTHON"
_HERE = Path(__file__).resolve().parent


def digest(source: bytes) -> str:
    """The digest the build records for a module's source (and the finder checks)."""
    return hashlib.sha256(source).hexdigest()


def read_manifest(root: Path = _HERE) -> dict[str, str]:
    """Module name -> source digest of each twin the last build compiled."""
    try:
        lines = (root / MANIFEST).read_text(encoding="utf-8").splitlines()
    except OSError:
        return {}
    return dict(line.split() for line in lines if line.count(" ") == 1)


def _source_of(name: str, root: Path) -> Path:
    return root.joinpath(*name.split(".")[1:]).with_suffix(".py")


def _twin_of(name: str, root: Path) -> Path | None:
    folder = _source_of(name, root).parent
    stem = name.rpartition(".")[2]
    for suffix in importlib.machinery.EXTENSION_SUFFIXES:
        if (folder / (stem + suffix)).is_file():
            return folder / (stem + suffix)
    return None


def state(name: str, root: Path = _HERE, manifest: dict[str, str] | None = None) -> str:
    """How ``name`` is imported: "compiled", or "source" and why."""
    if os.environ.get(PURE_ENV):
        return f"source ({PURE_ENV} is set)"
    if _twin_of(name, root) is None:
        return "source (not compiled: no Cython or C compiler at install)"
    built = (read_manifest(root) if manifest is None else manifest).get(name)
    try:
        current = digest(_source_of(name, root).read_bytes())
    except OSError:
        return "compiled"  # an install without sources runs what it was built from
    if built != current:
        return "source (changed since the build: reinstall to compile it again)"
    return "compiled"


class _Finder(importlib.abc.MetaPathFinder):
    """Imports a listed module from its ``.py`` unless its twin is current (see the docstring)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._manifest: dict[str, str] | None = None

    def find_spec(
        self, fullname: str, path: object = None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname not in MODULES:
            return None
        if self._manifest is None:
            self._manifest = read_manifest(self.root)
        if state(fullname, self.root, self._manifest) == "compiled":
            return None  # the ordinary path finder picks the twin
        return importlib.util.spec_from_file_location(fullname, _source_of(fullname, self.root))


def install() -> None:
    """Put the finder first on ``sys.meta_path`` (once per process)."""
    if not any(isinstance(f, _Finder) for f in sys.meta_path):
        sys.meta_path.insert(0, _Finder(_HERE))


def report() -> dict[str, str]:
    """Each listed module -> how it is (or would be) imported in this process."""
    manifest = read_manifest()
    out = {}
    for name in MODULES:
        how = state(name, manifest=manifest)
        module = sys.modules.get(name)
        if how == "compiled" and module is not None and str(module.__file__).endswith(".py"):
            how = "source (imported before the finder was installed)"
        out[name] = how
    return out


install()  # on import: lagebild/__init__.py imports this module before any hot one
