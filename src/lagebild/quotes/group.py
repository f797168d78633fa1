"""A story's statements by speaker, the same statement from several outlets merged into one.

Two quotes are the same statement when they have the same speaker and near-identical message
content (Jaccard over the lemmas of content words ≥ 0.6, or one message contained in the
other), as happens when outlets run the same agency copy. Comparing lemmas without function
words lets one outlet's direct quote („Wir werden um jeden Arbeitsplatz kämpfen“) and
another's indirect rendering ("man werde um jeden Arbeitsplatz kämpfen") be one statement;
within one article a direct and an indirect quote stay apart (a quoted fragment inside an
indirect statement is a statement of its own).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache
from typing import TYPE_CHECKING

from lagebild.model import Citation, Doc, Quote, Statement
from lagebild.quotes.lexicon import lexicon
from lagebild.quotes.speakers import heading, source_owner

if TYPE_CHECKING:
    from lagebild.time.timeline import Kept

_WORDS = re.compile(r"\w+")
_SAME = 0.6
_FUNCTION_CLASSES = (
    "determiners",
    "prepositions",
    "conjunctions",
    "subordinators",
    "adverbs",
    "pronouns",
    "particles",
    "auxiliaries",
    "relatives",
)


@cache
def _function_words(lang: str) -> frozenset[str]:
    lex = lexicon(lang)
    return frozenset(w for name in _FUNCTION_CLASSES for w in lex.cls(name))


def _content(doc: Doc, q: Quote) -> frozenset[str]:
    """Lemmas of the message's content words (the words when the doc has no tokens)."""
    stop = _function_words(doc.article.language or "de")
    tokens = [
        t
        for sent in doc.sentences
        if sent.start < q.message.end and q.message.start < sent.end
        for t in sent.tokens
        if q.message.start <= t.start and t.end <= q.message.end
    ]
    if not tokens:
        return frozenset(w.casefold() for w in _WORDS.findall(q.message_text) if len(w) > 2)
    out = set()
    for t in tokens:
        word, lemma = t.text.casefold(), (t.lemma or t.text).casefold()
        if len(word) > 1 and word.isalnum() and word not in stop and lemma not in stop:
            out.add(lemma)
    return frozenset(out)


def speaker_key(name: str) -> str:
    """How speakers compare: case-folded, hyphens as spaces ("Kim Jong Un" = "Kim Jong-un")."""
    return " ".join(name.casefold().replace("-", " ").split())


def _same(a: frozenset[str], b: frozenset[str]) -> bool:
    if not a or not b:
        return False
    inter = len(a & b)
    return inter / len(a | b) >= _SAME or (
        inter >= 0.9 * min(len(a), len(b)) and min(len(a), len(b)) >= 3
    )


KEPT = "qc"  # the kind of an article's kept quote contents (``group_statements``)


def group_statements(docs: Sequence[Doc], kept: Kept | None = None) -> list[Statement]:
    """Statements of the docs (one story), grouped by speaker, in order of first appearance.
    ``kept``: each article's quote contents (``_content``) kept between builds, so that a
    build need not read the tokens of every quoted sentence again."""
    groups: list[tuple[str, frozenset[str], Quote, list[Citation], str]] = []
    forms: dict[int, dict[str, set[str]]] = {}  # group -> article -> forms of its quotes
    by_key: dict[str, list[int]] = {}  # speaker key -> its groups (only they can match)
    for doc in docs:
        outlet = doc.article.outlet
        rows = kept.get(doc, KEPT) if kept is not None else None
        if rows is not None and len(rows) != len(doc.quotes):
            rows = None
        made: list[list[str] | None] | None = [] if kept is not None and rows is None else None
        for n, q in enumerate(doc.quotes):
            if (
                q.form == "direct"
                and any(
                    o.form != "direct"
                    and o.message.start <= q.message.start
                    and q.message.end <= o.message.end
                    for o in doc.quotes
                )
                and not q.speaker_name
            ):
                if made is not None:
                    made.append(None)
                continue
            lex = lexicon(doc.article.language or "de")
            name = source_owner(q.speaker_name or heading(q.speaker_text, lex), lex)
            key = q.speaker_entity or speaker_key(name)
            row = rows[n] if rows is not None else None
            words = frozenset(row) if row is not None else _content(doc, q)
            if made is not None:
                made.append(sorted(words))
            cite = Citation(doc.id, q.message.start, q.message.end, outlet)
            for n in by_key.get(key, ()):
                # within one article, a quoted fragment inside an indirect statement stays a
                # statement of its own; across articles, direct and indirect may be one
                seen = forms[n].get(doc.id)
                if seen and seen != {q.form}:
                    continue
                if _same(words, groups[n][1]):
                    groups[n][3].append(cite)
                    forms[n].setdefault(doc.id, set()).add(q.form)
                    break
            else:
                forms[len(groups)] = {doc.id: {q.form}}
                by_key.setdefault(key, []).append(len(groups))
                groups.append((key, words, q, [cite], doc.article.language or "de"))
        if made is not None and kept is not None:
            kept.put(doc, KEPT, made)
    order: dict[str, int] = {}
    for key, *_ in groups:
        order.setdefault(key, len(order))
    groups.sort(key=lambda g: order[g[0]])
    return [
        Statement(
            speaker=source_owner(
                q.speaker_name or heading(q.speaker_text, lexicon(lang)), lexicon(lang)
            ),
            speaker_entity=q.speaker_entity,
            form=q.form,
            text=q.message_text,
            citations=tuple(cites),
        )
        for _, _, q, cites, lang in groups
    ]


__all__ = ["group_statements", "speaker_key"]
