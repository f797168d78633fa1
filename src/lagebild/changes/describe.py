"""Changes in words: one line per change, as ``news``, the dossier and the web page show them."""

from __future__ import annotations

from collections.abc import Sequence

from lagebild.changes.log import Change
from lagebild.model import headline


def describe(changes: Sequence[Change]) -> list[str]:
    """One line per change (the articles under one heading), as the CLI and dossier show them."""
    lines: list[str] = []
    articles = [c for c in changes if c.kind == "article"]
    if articles:
        lines.append(f"+ {len(articles)} new article{'s' if len(articles) != 1 else ''}:")
        for c in articles:
            d = c.detail
            # as precisely as it is known ("2018-06"; logs before the label: the day)
            day = (d.get("published_label") or d.get("published") or "")[:10] or "undated"
            # a lead paragraph given as the title stays one line: its first sentence or a cut
            title = headline(d.get("title") or "")
            lines.append(f"    {c.item[:10]}  {d.get('outlet') or '-'}, {day}: {title}")
    for c in changes:
        kind, item, d = c.kind, c.item, c.detail
        if kind == "outlet":
            lines.append(f"+ new outlet: {item}")
        elif kind == "fact":
            was = f" (was: {', '.join(d['was'])})" if d.get("was") else ""
            verb = "changed fact" if was else "new fact"
            lines.append(f"+ {verb}: {d.get('text')} [{d.get('measures') or d.get('kind')}]{was}")
        elif kind == "divergence":
            lines.append(f"+ new {d.get('kind', 'divergence')}: {d.get('slot')}: "
                         + " | ".join(d.get("values", [])))  # fmt: skip
        elif kind == "statement":
            lines.append(f"+ new statement: {d.get('speaker') or '?'}: {d.get('text')}")
        elif kind == "dates":
            first, last = d.get("first", [None, None]), d.get("last", [None, None])
            lines.append(f"+ dates now {_day(first[1])} .. {_day(last[1])} "
                         f"(were {_day(first[0])} .. {_day(last[0])})")  # fmt: skip
        elif kind == "merged":
            lines.append(f"+ took in story {item}")
    return lines


def _day(value: str | None) -> str:
    return value[:10] if value else "-"
