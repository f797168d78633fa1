"""Build hooks for the optional compiled parts (everything else is in pyproject.toml).

- ``lagebild._crfc``: the CRF decoding loops in C (``src/lagebild/_crfc.c``).
- The hot pure-Python modules listed in ``src/lagebild/_compiled.py`` (``MODULES``),
  compiled unchanged by Cython (pure-Python mode, annotations ignored), each as its own
  optional extension, with ``_compiled.txt`` recording the source digest it was built from.

Every part is optional: without a C compiler, or without Cython, or where Cython refuses a
module, the install goes on and that code runs as Python (same results, slower);
``lagebild doctor`` says which path each module takes.
"""

from __future__ import annotations

import ast
import hashlib
import os
import shutil
import sys
from pathlib import Path

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

HERE = Path(__file__).resolve().parent
# -O1 without debug info: a third of -O2's build time (~8 s for the largest module)
CFLAGS = ["-O1", "-g0"]


def compiled_modules() -> tuple[str, ...]:
    """``MODULES`` of ``_compiled.py``, read without importing lagebild."""
    tree = ast.parse((HERE / "src/lagebild/_compiled.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "MODULES":
            return tuple(ast.literal_eval(node.value))
    return ()


def source_of(name: str) -> str:
    return "src/" + name.replace(".", "/") + ".py"


def extensions() -> list[Extension]:
    exts = [Extension("lagebild._crfc", ["src/lagebild/_crfc.c"], optional=True)]
    if os.environ.get("LAGEBILD_PURE_PYTHON"):  # an install that skips compiling them
        return exts
    try:
        from Cython.Build import cythonize
        from Cython.Compiler.Errors import CompileError
    except ImportError:
        print("lagebild: Cython is not installed, the hot modules stay Python", file=sys.stderr)
        return exts
    for name in compiled_modules():
        ext = Extension(name, [source_of(name)], optional=True, extra_compile_args=CFLAGS)
        # the digest of the source Cython reads now (an edit during the build must not
        # give the old code the new source's digest: BuildExt checks it again after)
        digest = hashlib.sha256((HERE / source_of(name)).read_bytes()).hexdigest()
        try:
            built = cythonize(
                [ext],
                build_dir="build/cython",
                quiet=True,
                compiler_directives={
                    "language_level": 3,
                    "annotation_typing": False,  # Python's semantics, whatever a hint says
                    "binding": True,
                },
            )
        except CompileError:
            print(f"lagebild: Cython cannot compile {name}; it stays Python", file=sys.stderr)
            continue
        for one in built:
            one.optional = True  # cythonize drops it: a module the C compiler fails stays Python
            one.source_digest = digest  # type: ignore[attr-defined]
        exts += built
    return exts


class BuildExt(build_ext):
    """Builds the extensions (on every core) and records the source digest of each module it
    compiled."""

    def finalize_options(self) -> None:
        super().finalize_options()
        if not self.parallel:
            self.parallel = os.cpu_count() or 1

    def run(self) -> None:
        self._compiled: dict[str, str] = {}
        super().run()
        lines = "".join(f"{name} {self._compiled[name]}\n" for name in sorted(self._compiled))
        folders = {Path(self.build_lib) / "lagebild"}
        if self.inplace:
            folders.add(HERE / "src/lagebild")
        for folder in folders:
            folder.mkdir(parents=True, exist_ok=True)
            (folder / "_compiled.txt").write_text(lines, encoding="utf-8")

    def build_extension(self, ext: Extension) -> None:
        # pip builds an editable install in a fresh folder each time: a module whose C code,
        # flags and Python are unchanged is copied from build/compiled instead (a rebase
        # that changed two modules recompiles two, not all)
        target = Path(self.get_ext_fullpath(ext.name))
        key = hashlib.sha256(repr((sys.version, ext.extra_compile_args)).encode())
        for path in ext.sources:
            key.update(Path(path).read_bytes())
        cached = HERE / "build/compiled" / f"{ext.name}.{key.hexdigest()[:20]}{target.suffix}"
        if cached.is_file():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(cached, target)
        else:
            super().build_extension(ext)  # raises for a module that did not build
            cached.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(target, f"{cached}.part")
            os.replace(f"{cached}.part", cached)  # a killed build leaves no broken copy
        built_from = getattr(ext, "source_digest", None)
        source = HERE / source_of(ext.name)
        if built_from is None or not source.is_file():
            return
        if hashlib.sha256(source.read_bytes()).hexdigest() == built_from:
            self._compiled[ext.name] = built_from  # else: edited meanwhile, runs as Python


setup(ext_modules=extensions(), cmdclass={"build_ext": BuildExt})
