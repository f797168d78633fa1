"""An article's text as HTML with its analysis laid over it: the spans a dossier can cite get
the same ``<mark id=…>`` anchors as the dossier's own source texts, and time expressions are
marked with their resolved value.

Spans nest (a date inside a sentence) or cross (a quote running over two sentences); a
crossing span is closed and reopened around the other so the HTML stays well-formed and an
anchor sits at its span's first character.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from html import escape
from urllib.parse import quote

from lagebild.dossier.marks import mark_id
from lagebild.model import Citation, Doc


@dataclass(frozen=True, slots=True)
class Markup:
    """Tags around one character span; ``reopen`` continues it after a crossing span closed it."""

    start: int
    end: int
    open: str
    reopen: str
    close: str = "</mark>"
    after: str = ""  # HTML right after the span, e.g. a normalised value


def citable(doc: Doc) -> list[Markup]:
    """Every span a dossier citation can point at (sentences, quoted messages, facts)."""
    spans = {(s.start, s.end) for s in doc.sentences}
    spans |= {(q.message.start, q.message.end) for q in doc.quotes}
    spans |= {(f.start, f.end) for f in doc.facts}
    return [
        Markup(
            s,
            e,
            f'<mark class="c" id="{escape(mark_id(Citation(doc.id, s, e)))}">',
            '<mark class="c">',
        )
        for s, e in sorted(spans)
    ]


def times(doc: Doc) -> list[Markup]:
    """Time expressions, each followed by its TIMEX3 value (what ``render_times`` shows)."""
    out = []
    for t in doc.times:
        value = t.value + (f"/{t.mod}" if t.mod else "")
        title = escape(f"{t.type} {value}" + (f" (anchor {t.anchor})" if t.anchor else ""))
        tag = f'<mark class="time" title="{title}">'
        out.append(Markup(t.start, t.end, tag, tag, after=f'<sup class="tv">{escape(value)}</sup>'))
    return out


def mentions(doc: Doc, base: str) -> list[Markup]:
    """Named-entity mentions, each a link to its entity's page (found by any spelling) and
    an anchor (``mention_anchor``) that an entity page's mention list links to."""
    out = []
    for m in doc.mentions:
        url = escape(f"{base}/entity/{quote(m.text, safe='')}")
        attrs = f'class="ent {escape(m.label.lower())}" href="{url}"'
        tag = f'<a id="{mention_anchor(m.start, m.end)}" {attrs}>'
        out.append(Markup(m.start, m.end, tag, f"<a {attrs}>", close="</a>"))
    return out


def mention_anchor(start: int, end: int) -> str:
    """The id of an entity mention in an article's text (``/article/ID#e-START-END``)."""
    return f"e-{start}-{end}"


def render(text: str, markups: Iterable[Markup]) -> str:
    """Escaped ``text`` with every markup applied; spans outside the text are ignored."""
    valid = [m for m in markups if 0 <= m.start < m.end <= len(text)]
    starts: dict[int, list[Markup]] = {}
    for m in valid:
        starts.setdefault(m.start, []).append(m)
    bounds = sorted({0, len(text), *(m.start for m in valid), *(m.end for m in valid)})
    out: list[str] = []
    stack: list[Markup] = []  # open markups, innermost last
    pos = 0
    for b in bounds:
        if b > pos:
            out.append(escape(text[pos:b]))
            pos = b
        if any(m.end == b for m in stack):
            _close_at(b, stack, out)
        for m in sorted(starts.get(b, ()), key=lambda m: -m.end):  # outer spans first
            out.append(m.open)
            stack.append(m)
    out.extend(m.close for m in reversed(stack))
    return "".join(out)


def _close_at(b: int, stack: list[Markup], out: list[str]) -> None:
    """Close every markup ending at ``b``, reopening the inner ones that go on."""
    reopen: list[Markup] = []
    while any(m.end == b for m in stack):
        m = stack.pop()
        out.append(m.close)
        if m.end == b:
            out.append(m.after)
        else:
            reopen.append(m)
    for m in reversed(reopen):
        out.append(m.reopen)
        stack.append(m)


def article_html(doc: Doc, extra: Sequence[Markup] = ()) -> str:
    """The cleaned text with citable spans anchored and time expressions marked."""
    return render(doc.article.text, [*citable(doc), *times(doc), *extra])


__all__ = [
    "Markup",
    "article_html",
    "citable",
    "mention_anchor",
    "mentions",
    "render",
    "times",
]
