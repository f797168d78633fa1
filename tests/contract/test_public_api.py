"""The public API is deliberate: __all__ lists exactly what the package offers."""

from __future__ import annotations

import lagebild


def test_all_is_importable_and_sorted() -> None:
    for name in lagebild.__all__:
        assert hasattr(lagebild, name), name
    assert lagebild.__all__ == sorted(lagebild.__all__)


def test_nothing_public_outside_all() -> None:
    public = {n for n in dir(lagebild) if not n.startswith("_")}
    modules = {n for n in public if type(getattr(lagebild, n)).__name__ == "module"}
    assert public - modules == set(lagebild.__all__) - {"__version__"}
