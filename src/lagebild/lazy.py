"""Package attributes imported on first use, so importing a package stays light.

A package's ``__init__`` that re-exports its submodules' names makes ``import
lagebild.stories.commands`` load numpy, scipy and the models; with ``exports`` the names are
the same, but each submodule is imported only when one of its names is read.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping


def exports(package: str, names: Mapping[str, str]) -> Callable[[str], object]:
    """A module ``__getattr__`` serving ``names`` (name -> submodule of ``package``)."""

    def __getattr__(name: str) -> object:
        if name not in names:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        return getattr(importlib.import_module(f"{package}.{names[name]}"), name)

    return __getattr__
