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


def test_the_first_doc_freezes_what_the_stages_loaded_and_later_garbage_is_collected() -> None:
    """A pipeline moves the objects alive after its first doc (the stages' models) out of
    the collector's sight once; cycles made afterwards are still collected."""
    import gc
    import weakref

    from lagebild.config import Config
    from lagebild.model import Article
    from lagebild.pipeline import FULL_COLLECTION_EVERY, Pipeline

    pipe = Pipeline(Config(fast=True), names=("text",))
    art = Article(
        id="a1", title="T", text="Der Rat tagte am Montag in Bern.", source="x", format="text"
    )
    before = gc.get_freeze_count()
    threshold = gc.get_threshold()
    gc.set_threshold(700, 10, 10)  # CPython's defaults, whatever an earlier test left
    try:
        first = pipe(art)
        # full collections (which walk every object a run keeps) are made rarer, once
        assert gc.get_threshold() == (700, 10, FULL_COLLECTION_EVERY)
    finally:
        gc.set_threshold(*threshold)
    frozen = gc.get_freeze_count()
    assert frozen > before
    assert pipe(art) == first  # the same analysis, and no second freeze
    # no growth: a frozen object freed by its reference count leaves the count (a cache
    # dropping an entry), so the count may fall, never rise
    assert gc.get_freeze_count() <= frozen

    class Node:
        pass

    node = Node()
    node.me = node  # type: ignore[attr-defined]
    ref = weakref.ref(node)
    del node
    gc.collect()
    assert ref() is None
