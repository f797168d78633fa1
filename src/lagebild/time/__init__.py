"""time stage: German (and English) temporal expressions as TIMEX3 values.

``analyze`` tags a doc against its publication date; an undated doc keeps underspecified
values ("XXXX-WXX-2") until ``resolve(doc, anchor)`` re-anchors it on an inferred date.
Story-level work lives beside it: ``infer_date_window`` dates an undated article from its
own expressions and its story, ``timeline`` orders what the story's articles report.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from datetime import date

from lagebild.config import Config
from lagebild.model import DateWindow, Doc, TimeExpr, TimelineEvent
from lagebild.time.rules import languages, ruleset
from lagebild.time.tagger import tag

NAME = "time"
# 4: "in der Nacht auf Samstag"; 5: French "le 20 septembre dernier"; 6: "(heute X)" no date
VERSION = 6


def _lang(doc: Doc) -> str | None:
    lang = doc.article.language or "de"
    return lang if lang in languages() else None


def expressions(doc: Doc, anchor: date | None) -> list[TimeExpr]:
    """The doc's time expressions resolved against ``anchor`` (none for unsupported languages)."""
    lang = _lang(doc)
    if lang is None:
        return []
    return tag(doc.article.text, doc.sentences, ruleset(lang), anchor, doc.article.id)


def analyze(doc: Doc, config: Config | None = None) -> Doc:
    """The doc with ``times`` set, anchored on its publication date when it has one."""
    published = doc.article.published
    # a month-only date ("2019-04") is no anchor: "gestern" would resolve against the 1st
    day = published.date() if published and doc.article.published_precision == "day" else None
    times = expressions(doc, day)
    return dataclasses.replace(doc, times=tuple(times), stages=(*doc.stages, f"{NAME}@{VERSION}"))


def resolve(doc: Doc, anchor: date) -> Doc:
    """The doc with its expressions re-resolved against ``anchor`` (e.g. an inferred date)."""
    return dataclasses.replace(doc, times=tuple(expressions(doc, anchor)))


def render_times(doc: Doc) -> str:
    """The text with each expression marked inline: ``am Dienstag[2023-09-12]``."""
    text = doc.article.text
    parts: list[str] = []
    pos = 0
    for t in sorted(doc.times, key=lambda t: t.start):
        parts.append(text[pos : t.end])
        parts.append(f"[{t.value}{'/' + t.mod if t.mod else ''}]")
        pos = t.end
    parts.append(text[pos:])
    return "".join(parts)


# Loaded here, after ``expressions`` exists (they use it), so that the functions below and not
# the submodules of the same name are what ``lagebild.time.timeline`` etc. refer to.
from lagebild.time import infer as _infer  # noqa: E402
from lagebild.time import timeline as _timeline  # noqa: E402


def infer_date_window(
    doc: Doc, story_docs: Sequence[Doc] = (), memo: _infer.Memo | None = None
) -> DateWindow | None:
    """The publication window of an undated ``doc`` from its text and its story's dated docs.

    Pass one ``memo`` (an empty dict) to the calls for one story's undated docs: they try the
    same candidate days, so an expression already resolved against a day is not resolved again.
    """
    return _infer.infer_date_window(doc, story_docs, memo)


def story_date_windows(
    docs: Sequence[Doc], kept: _infer.Kept | None = None
) -> dict[str, DateWindow]:
    """Windows for the story's undated docs (a doc's own ``date_window`` wins), by article id;
    one memo and the story's dated days are shared by all of them (see ``infer_date_window``;
    ``kept``: what earlier builds read from each undated article, ``infer.KEPT``)."""
    memo: _infer.Memo = {}
    out: dict[str, DateWindow] = {}
    dated = _infer.dated_days(docs)
    for d in docs:
        if d.article.published is None or d.article.published_precision != "day":
            w = d.date_window or _infer.infer_date_window(d, docs, memo, kept, dated)
            if w is not None:
                out[d.id] = w
    return out


def timeline(
    docs: Sequence[Doc],
    windows: Mapping[str, DateWindow] | None = None,
    kept: _timeline.Kept | None = None,
) -> list[TimelineEvent]:
    """The story's dated events in order, merged across articles (see ``time/timeline.py``;
    ``kept``: each article's own events kept between builds)."""
    return _timeline.timeline(docs, windows or {}, kept)


def story_timeline(docs: Sequence[Doc]) -> tuple[dict[str, DateWindow], list[TimelineEvent]]:
    """Windows for the story's undated docs and the story's timeline, in one call."""
    memo: _infer.Memo = {}
    windows = {}
    for d in docs:
        if d.article.published is None or d.article.published_precision != "day":
            w = infer_date_window(d, docs, memo)
            if w is not None:
                windows[d.id] = w
    return windows, timeline(docs, windows)


__all__ = [
    "NAME",
    "VERSION",
    "analyze",
    "expressions",
    "infer_date_window",
    "render_times",
    "resolve",
    "story_date_windows",
    "story_timeline",
    "timeline",
]
