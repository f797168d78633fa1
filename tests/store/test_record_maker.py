"""Records decoded by setting their slots directly are the records ``cls(**kwargs)`` makes:
the same values, defaults, texts cut at their spans, and the same refusals."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pytest

from lagebild.model import Article, DateWindow, Fact, Mention, Quote, Span, Story, TimeExpr
from lagebild.store import codec
from lagebild.store.codec import _record_maker, decode_record

TEXT = "Kirby sagte am Dienstag: „Wir kommen.“"


def _both(monkeypatch, cls: type, data: dict, text: str = TEXT, aid: str = "a1"):
    """(the record the maker gives, the one ``cls(**kwargs)`` gives) for ``data``."""
    fast = decode_record(cls, data, text, aid)
    with monkeypatch.context() as m:
        m.setattr(codec, "_record_maker", lambda cls: None)
        slow = decode_record(cls, data, text, aid)
    return fast, slow


@pytest.mark.parametrize("cls", [Mention, TimeExpr, Quote, Fact, DateWindow, Article, Story, Span])
def test_every_stored_record_class_gets_a_maker(cls: type) -> None:
    assert _record_maker(cls) is not None


@pytest.mark.parametrize(
    ("cls", "data"),
    [
        (Mention, {"start": 0, "end": 5, "label": "PER"}),  # text cut, article id given
        (Mention, {"start": 0, "end": 5, "text": "KIRBY", "label": "PER", "entity_id": "e1"}),
        (Mention, {"article_id": "other", "start": 0, "end": 5, "label": "PER", "x": 1}),
        (TimeExpr, {"start": 14, "end": 23, "type": "DATE", "value": "2023-09-12"}),
        (
            Quote,
            {"form": "direct", "message": [25, 38], "cue": [6, 11], "speaker": [0, 5]},
        ),  # three texts cut at their spans, decoded from lists
        (Quote, {"form": "direct", "message": [25, 38], "message_text": "„Wir“"}),
        (Fact, {"start": 14, "end": 23, "kind": "claim", "sentence": [0, 38], "value": None}),
        (DateWindow, {"earliest": "2023-09-01", "latest": "2023-09-30", "confidence": 0.5}),
    ],
)
def test_the_maker_gives_what_the_constructor_gives(monkeypatch, cls: type, data: dict) -> None:
    fast, slow = _both(monkeypatch, cls, data)
    assert fast == slow
    assert type(fast) is cls
    assert hash(fast) == hash(slow)


def test_a_window_reads_its_dates_as_dates(monkeypatch) -> None:
    data = {"earliest": "2023-09-01", "latest": "2023-09-30", "confidence": 0.5}
    fast, _ = _both(monkeypatch, DateWindow, data)
    assert fast.earliest == date(2023, 9, 1) and fast.likely is None


def test_a_missing_required_field_is_refused_both_ways(monkeypatch) -> None:
    with pytest.raises(TypeError):
        decode_record(Mention, {"start": 0, "end": 5}, TEXT, "a1")  # no label
    with pytest.raises(TypeError), monkeypatch.context() as m:
        m.setattr(codec, "_record_maker", lambda cls: None)
        decode_record(Mention, {"start": 0, "end": 5}, TEXT, "a1")


@dataclass(frozen=True)
class _NoSlots:
    a: int


@dataclass(frozen=True, slots=True)
class _Factory:
    a: int
    tags: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class _Checked:
    a: int

    def __post_init__(self) -> None:
        if self.a < 0:
            raise ValueError("negative")


def test_classes_that_need_their_init_keep_it() -> None:
    assert _record_maker(_NoSlots) is None
    assert _record_maker(_Factory) is None
    assert _record_maker(_Checked) is None
    one, two = decode_record(_Factory, {"a": 1}), decode_record(_Factory, {"a": 2})
    assert one.tags == [] and one.tags is not two.tags  # a fresh list each, as __init__ makes
    with pytest.raises(ValueError):
        decode_record(_Checked, {"a": -1})
    assert decode_record(_NoSlots, {"a": 3}) == _NoSlots(3)
