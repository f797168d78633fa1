"""Article text with every cited span wrapped in ``<mark id=…>``: where a citation link lands.

Spans may nest (a number inside a cited sentence) or cross (two quotes sharing words); a
crossing span is closed and reopened around the other, so the HTML stays well-formed and the
anchor sits at the span's first character. Long stories show only the lines that hold a
citation, so a 500-article dossier still fits in one file.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

from lagebild.model import Citation


def mark_id(citation: Citation) -> str:
    return f"m-{citation.article_id}-{citation.start}-{citation.end}"


def article_anchor(article_id: str) -> str:
    return f"a-{article_id}"


def _valid(text: str, spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    return sorted(
        {(s, e) for s, e in spans if 0 <= s < e <= len(text)}, key=lambda x: (x[0], -x[1])
    )


def _ranges(text: str, spans: list[tuple[int, int]], excerpt: bool) -> list[tuple[int, int]]:
    """The parts of ``text`` to show: all of it, or whole lines around each span, merged."""
    if not excerpt:
        return [(0, len(text))]
    out: list[tuple[int, int]] = []
    for s, e in spans:
        lo = text.rfind("\n", 0, s) + 1
        hi = text.find("\n", e)
        hi = len(text) if hi < 0 else hi
        if out and lo <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], hi))
        else:
            out.append((lo, hi))
    return out


def marked_text(
    article_id: str, text: str, spans: Iterable[tuple[int, int]], excerpt: bool = False
) -> str:
    """Escaped HTML of ``text`` (or its cited lines) with the spans marked and anchored."""
    valid = _valid(text, spans)
    pieces = []
    for lo, hi in _ranges(text, valid, excerpt):
        inside = [(s, e) for s, e in valid if lo <= s and e <= hi]
        pieces.append(_render(article_id, text, lo, hi, inside))
    gap = '\n<span class="gap">[…]</span>\n'
    return gap.join(pieces)


def _render(article_id: str, text: str, lo: int, hi: int, spans: list[tuple[int, int]]) -> str:
    starts: dict[int, list[int]] = {}
    for s, e in spans:
        starts.setdefault(s, []).append(e)
    bounds = sorted({lo, hi, *(s for s, _ in spans), *(e for _, e in spans)})
    out: list[str] = []
    stack: list[int] = []  # end offsets of the open marks, innermost last
    pos = lo
    for b in bounds:
        if b > pos:
            out.append(escape(text[pos:b]))
            pos = b
        if b in stack:
            reopen = []
            while b in stack:
                end = stack.pop()
                out.append("</mark>")
                if end != b:
                    reopen.append(end)
            for end in reversed(reopen):
                out.append('<mark class="cont">')
                stack.append(end)
        for end in sorted(starts.get(b, ()), reverse=True):
            out.append(f'<mark id="{escape(mark_id(Citation(article_id, b, end)))}">')
            stack.append(end)
    out.extend("</mark>" for _ in stack)
    return "".join(out)


__all__ = ["article_anchor", "mark_id", "marked_text"]
