"""Shared fixtures: where ../shared is, and the rule for tests that need it.

A test that needs third-party data asks for the ``shared`` fixture: it skips with the reason
printed when ../shared is absent, and fails instead when LAGEBILD_REQUIRE_SHARED=1 (CI).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("LAGEBILD_SHARED", ROOT.parent / "shared"))
SEEDS = SHARED / "seeds"


def need_shared(*parts: str) -> Path:
    """The path under ../shared, or skip (fail under LAGEBILD_REQUIRE_SHARED=1) when absent."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        reason = f"third-party data not found: {path} (set LAGEBILD_SHARED or place ../shared)"
        if os.environ.get("LAGEBILD_REQUIRE_SHARED") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    return path


@pytest.fixture
def shared() -> Path:
    return need_shared()


@pytest.fixture
def seeds_dir() -> Path:
    return need_shared("seeds")


@pytest.fixture
def need():
    """``need("data", "ner", "x.tsv")``: a path under ../shared, skipping/failing as above."""
    return need_shared
