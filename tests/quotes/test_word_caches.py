"""The quote stages' per-word lemma and dictionary caches stay bounded in a long run (an
ingest of 100k articles asks them about every word its speaker phrases show) and answer
as the lemmatiser does."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

import lagebild.text.lemma
from lagebild.quotes import speaker_type, speakers
from lagebild.quotes.speaker_type import WORD_CACHE

CACHED: list[tuple[Callable[..., Any], tuple[str, ...]]] = [
    (speakers._lemma, ()),
    (speakers._known, ()),
    (speaker_type._known, ("de",)),
]


@pytest.fixture
def fake_lemmatiser(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A cheap stand-in lemmatiser (the cached functions import it when called), and caches
    emptied before and after so no other test sees these answers."""
    monkeypatch.setattr(lagebild.text.lemma, "lemmatize", lambda w, lang: w.lower())
    monkeypatch.setattr(lagebild.text.lemma, "is_known", lambda w, lang: w.endswith("7"))
    for fn, _ in CACHED:
        fn.cache_clear()  # type: ignore[attr-defined]
    yield
    for fn, _ in CACHED:
        fn.cache_clear()  # type: ignore[attr-defined]


@pytest.mark.parametrize(("fn", "extra"), CACHED)
def test_word_cache_is_bounded(
    fake_lemmatiser: None, fn: Callable[..., Any], extra: tuple[str, ...]
) -> None:
    words = [f"Wort{i}" for i in range(WORD_CACHE + 500)]
    answers = [fn(w, *extra) for w in words]
    assert fn.cache_info().currsize <= WORD_CACHE  # type: ignore[attr-defined]
    # what the lemmatiser says, for the words still cached and for those let go
    want = lagebild.text.lemma.lemmatize if fn is speakers._lemma else lagebild.text.lemma.is_known
    assert answers == [want(w, "de") for w in words]
    assert [fn(w, *extra) for w in words[:10]] == answers[:10]
