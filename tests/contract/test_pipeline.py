"""The stage table catches a pipeline assembled in the wrong order."""

from __future__ import annotations

import pytest

from lagebild.errors import LagebildError
from lagebild.pipeline import DEFAULT, check


def test_default_order_is_valid() -> None:
    assert [s.name for s in check(DEFAULT)] == list(DEFAULT)


def test_wrong_order_is_refused() -> None:
    with pytest.raises(LagebildError, match="needs sentences"):
        check(["entities", "text"])
    with pytest.raises(LagebildError, match="unknown stage"):
        check(["text", "sentiment"])
