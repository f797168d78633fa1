"""A story's statements by speaker, the same statement from several outlets merged into one.

Two quotes are the same statement when they have the same speaker and near-identical message
words (Jaccard over word sets ≥ 0.6, or one message contained in the other), as happens when
outlets run the same agency copy.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from lagebild.model import Citation, Doc, Quote, Statement

_WORDS = re.compile(r"\w+")
_SAME = 0.6


def _words(text: str) -> frozenset[str]:
    return frozenset(w.casefold() for w in _WORDS.findall(text) if len(w) > 2)


def speaker_key(name: str) -> str:
    """How speakers compare: case-folded, hyphens as spaces ("Kim Jong Un" = "Kim Jong-un")."""
    return " ".join(name.casefold().replace("-", " ").split())


def _same(a: frozenset[str], b: frozenset[str]) -> bool:
    if not a or not b:
        return False
    inter = len(a & b)
    return inter / len(a | b) >= _SAME or (
        inter >= 0.9 * min(len(a), len(b)) and min(len(a), len(b)) >= 4
    )


def group_statements(docs: Sequence[Doc]) -> list[Statement]:
    """Statements of the docs (one story), grouped by speaker, in order of first appearance."""
    groups: list[tuple[str, frozenset[str], Quote, list[Citation]]] = []
    for doc in docs:
        outlet = doc.article.outlet
        for q in doc.quotes:
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
                continue
            name = q.speaker_name or q.speaker_text
            key = q.speaker_entity or speaker_key(name)
            words = _words(q.message_text)
            cite = Citation(doc.id, q.message.start, q.message.end, outlet)
            for gkey, gwords, gq, cites in groups:
                # a quoted fragment inside an indirect statement stays a statement of its own
                if gkey == key and gq.form == q.form and _same(words, gwords):
                    cites.append(cite)
                    break
            else:
                groups.append((key, words, q, [cite]))
    order: dict[str, int] = {}
    for key, *_ in groups:
        order.setdefault(key, len(order))
    groups.sort(key=lambda g: order[g[0]])
    return [
        Statement(
            speaker=q.speaker_name or q.speaker_text,
            speaker_entity=q.speaker_entity,
            form=q.form,
            text=q.message_text,
            citations=tuple(cites),
        )
        for _, _, q, cites in groups
    ]


__all__ = ["group_statements", "speaker_key"]
