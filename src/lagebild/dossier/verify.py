"""Checks that every line of a dossier can be traced: each citation lands in its article's text.

A summary line must be exactly the cited text; any other citation must name an article of the
dossier and a non-empty span inside its cleaned text. Used by the tests and by the report's
acceptance checks; an empty list means every citation works.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from lagebild.model import Citation, Dossier


def _citations(d: Dossier) -> Iterable[tuple[str, Citation]]:
    for i, ev in enumerate(d.timeline):
        yield from ((f"timeline[{i}]", c) for c in ev.citations)
    for i, st in enumerate(d.statements):
        yield from ((f"statements[{i}]", c) for c in st.citations)
    for name, groups in (("facts", d.facts), ("corroborated", d.corroborated)):
        for i, g in enumerate(groups):
            yield from ((f"{name}[{i}]", c) for c in g.citations)
    for i, dv in enumerate(d.divergences):
        for _, cs in dv.values:
            yield from ((f"divergences[{i}]", c) for c in cs)


def citation_problems(d: Dossier) -> list[str]:
    """What is wrong with the dossier's citations (nothing, ideally)."""
    texts = {a.id: a.text for a in d.articles}
    problems = []
    for i, s in enumerate(d.summary):
        c = s.citation
        text = texts.get(c.article_id)
        if text is None:
            problems.append(f"summary[{i}]: article {c.article_id} not in the dossier")
        elif text[c.start : c.end] != s.text:
            problems.append(
                f"summary[{i}]: offsets {c.start}-{c.end} do not give back the sentence"
            )
    for where, c in _citations(d):
        text = texts.get(c.article_id)
        if text is None:
            problems.append(f"{where}: article {c.article_id} not in the dossier")
        elif not 0 <= c.start < c.end <= len(text) or not text[c.start : c.end].strip():
            problems.append(f"{where}: span {c.start}-{c.end} is empty or outside the article")
    return problems


def json_citation_problems(data: dict[str, Any]) -> list[str]:
    """The same check on an exported JSON dossier (as read back from disk)."""
    texts = {a["id"]: a["text"] for a in data["articles"]}
    problems = []
    for i, s in enumerate(data["summary"]):
        c = s["citation"]
        if texts.get(c["article_id"], "")[c["start"] : c["end"]] != s["text"]:
            problems.append(f"summary[{i}]: offsets do not give back the sentence")
    spans = []
    for ev in data["timeline"]:
        spans += ev["citations"]
    for st in data["statements"]:
        spans += st["citations"]
    for g in data["facts"] + data["corroborated"]:
        spans += g["citations"]
    for dv in data["divergences"]:
        for _, cs in dv["values"]:
            spans += cs
    for c in spans:
        text = texts.get(c["article_id"])
        if (
            text is None
            or not 0 <= c["start"] < c["end"] <= len(text)
            or not text[c["start"] : c["end"]].strip()
        ):
            problems.append(
                f"citation {c['article_id']}:{c['start']}-{c['end']} does not land in its article"
            )
    return problems


__all__ = ["citation_problems", "json_citation_problems"]
