"""What the Markdown and HTML exports both show, worked out once: labels, dates, groupings.

The two renderers differ only in markup; which facts count as key, how a date or a window is
written, how statements are grouped by speaker, is decided here so the formats cannot drift.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import TYPE_CHECKING

from lagebild.model import Article, Citation, DateWindow, Dossier, FactGroup, Statement
from lagebild.time.labels import timex_label, when

if TYPE_CHECKING:
    from lagebild.dossier.assemble import DossierBundle

SECTIONS = (
    ("key-facts", "Headline and key facts"),
    ("summary", "Summary"),
    ("timeline", "Timeline"),
    ("statements", "Who said what"),
    ("facts", "Facts and numbers"),
    ("agreement", "Agreement, divergence, single source"),
    ("entities", "Entities"),
    ("articles", "Articles"),
    ("coverage", "Coverage over time"),
    ("matrix", "Coverage matrix"),
)


@dataclass(frozen=True, slots=True)
class ArticleRow:
    """One line of the article list."""

    article: Article
    outlet: str
    day: date | None
    inferred: bool
    window: DateWindow | None
    copy_of: str | None


def articles(bundle: DossierBundle) -> list[ArticleRow]:
    from lagebild.dossier.assemble import article_day, outlet_label  # heavy: only when used

    d = bundle.dossier
    windows = dict(d.date_windows)
    copies = dict(d.story.duplicates)
    out = []
    for art in d.articles:
        day, inferred = article_day(art, windows)
        out.append(
            ArticleRow(
                art, outlet_label(art), day, inferred, windows.get(art.id), copies.get(art.id)
            )
        )
    return out


def outlets(dossier: Dossier) -> list[str]:
    """Every named outlet carrying the story (copies included), in order of first appearance."""
    return list(dict.fromkeys(a.outlet for a in dossier.articles if a.outlet))


def unnamed_sources(dossier: Dossier) -> int:
    """Articles whose outlet nobody named: each is a source of its own, but no outlet."""
    return sum(1 for a in dossier.articles if not a.outlet)


def source_count(dossier: Dossier) -> str:
    """The story's sources as they are: "3 outlets and 2 unnamed sources", "1 outlet"."""
    named, unnamed = len(outlets(dossier)), unnamed_sources(dossier)
    parts = [counted(named, "outlet")] if named or not unnamed else []
    if unnamed:
        parts.append(counted(unnamed, "unnamed source"))
    return " and ".join(parts)


class Sources:
    """Names of the sources behind citations (the outlet, else the article's label)."""

    def __init__(self, dossier: Dossier) -> None:
        self.by_id = {a.id: a for a in dossier.articles}

    def name(self, citation: Citation) -> str:
        if citation.outlet:
            return citation.outlet
        from lagebild.dossier.assemble import outlet_label

        art = self.by_id.get(citation.article_id)
        return outlet_label(art) if art else f"unnamed source {citation.article_id[:8]}"

    def label(self, citation: Citation) -> str:
        """``outlet, article-id:start-end`` (the form a reader can check by hand)."""
        where = f"{citation.article_id}:{citation.start}-{citation.end}"
        outlet = citation.outlet or self._outlet(citation.article_id)
        return f"{outlet}, {where}" if outlet else where

    def _outlet(self, article_id: str) -> str | None:
        art = self.by_id.get(article_id)
        return art.outlet if art else None


def noun(n: int, one: str, many: str | None = None) -> str:
    """The noun for ``n`` things: "article" for one, "articles" (or ``many``) otherwise."""
    return one if n == 1 else (many or one + "s")


def counted(n: int, one: str, many: str | None = None) -> str:
    """ "1 article", "2 articles", "1 syndicated copy": counts read as sentences do."""
    return f"{n} {noun(n, one, many)}"


def date_range(first: date | None, last: date | None) -> str:
    if first is None:
        return "undated"
    if last is None or last == first:
        return first.isoformat()
    return f"{first.isoformat()} – {last.isoformat()}"


def updated_text(article: Article) -> str:
    """ "updated 2025-09-04" when the source states a later update, else ""."""
    return f"updated {article.modified.date().isoformat()}" if article.modified else ""


def window_text(window: DateWindow) -> str:
    span = date_range(window.earliest, window.latest)
    return f"inferred {span} (confidence {window.confidence:.2f})"


def story_dates(bundle: DossierBundle) -> tuple[date | None, date | None]:
    days = [r.day for r in articles(bundle) if r.day is not None]
    return (min(days), max(days)) if days else (None, None)


def _known_span(row: ArticleRow) -> tuple[date, date, bool] | None:
    """(first, last, to the month only) of what is known of an article's day: its day, the
    inferred day its text or story narrows it to, else the month its source states."""
    if row.day is None:
        return None
    span = row.article.published_span
    w = row.window
    narrowed = w is not None and (w.likely is not None or (w.latest - w.earliest).days <= 3)
    if row.inferred and span is not None and not narrowed:
        return span[0], span[1], True
    return row.day, row.day, False


def story_dates_text(bundle: DossierBundle) -> str:
    """The story's dates as its sources know them: "2024-12-20 – 2024-12-22"; a report dated
    to its month that nothing narrows counts as the month ("2024-12"), not as the middle day
    the article list sorts it by."""
    spans = [s for r in articles(bundle) if (s := _known_span(r)) is not None]
    if not spans:
        return "undated"
    lo = min(spans, key=lambda s: (s[0], not s[2]))
    hi = max(spans, key=lambda s: (s[1], s[2]))
    first = lo[0].isoformat()[:7] if lo[2] else lo[0].isoformat()
    last = hi[1].isoformat()[:7] if hi[2] else hi[1].isoformat()
    return first if first == last else f"{first} – {last}"


def single_source(dossier: Dossier) -> list[FactGroup]:
    return [g for g in dossier.facts if g.single_source]


UNKNOWN_SPEAKER = "speaker not identified"


def by_speaker(statements: Iterable[Statement]) -> list[tuple[str, list[Statement]]]:
    """Statements grouped by speaker, speakers with the most statements first.

    An unresolved surname ("Putin") joins the one full name in the story that ends with it
    ("Wladimir Putin"), and speakers written alike are one heading whether or not each
    statement was resolved to the entity, so one speaker is not listed twice.
    """
    groups: dict[str, list[Statement]] = {}
    names: dict[str, str] = {}
    for s in statements:
        key = s.speaker_entity or s.speaker or UNKNOWN_SPEAKER
        groups.setdefault(key, []).append(s)
        names.setdefault(key, _heading(s))
    first_of: dict[str, str] = {}
    for key in list(groups):
        name = names[key].casefold()
        target = first_of.setdefault(name, key)
        resolved = key != names[key] and target != names[target]  # both carry an entity id
        if target != key and (" " in name or not resolved):  # "Kim" and "Kim" may be two
            groups[target].extend(groups.pop(key))
    for key, name in list(names.items()):
        if " " in name or key not in groups:
            continue
        full = [k for k, n in names.items() if k != key and " " in n and n.split()[-1] == name]
        if len(full) == 1:
            groups[full[0]].extend(groups.pop(key))
    # who said most first; what no speaker could be found for comes last, whatever its size
    ordered = sorted(groups.items(), key=lambda kv: (kv[0] == UNKNOWN_SPEAKER, -len(kv[1])))
    return [(names[k], g) for k, g in ordered]


@cache
def _pronouns() -> frozenset[str]:
    """The pronouns the quotes stage may leave as a speaker, in every language it reads."""
    from lagebild.quotes.lexicon import languages, lexicon

    return frozenset(w for lang in languages() for w in lexicon(lang).cls("pronouns"))


def _heading(statement: Statement) -> str:
    """The speaker as a heading; a pronoun left unresolved says so ("unnamed speaker (sie)")."""
    name = statement.speaker or UNKNOWN_SPEAKER
    if statement.speaker_entity is None and name.casefold() in _pronouns():
        return f"unnamed speaker ({name})"
    return name


_UNIT_WORDS = {
    "a": ("year", "years"),
    "decade": ("decade", "decades"),
    "mo": ("month", "months"),
    "wk": ("week", "weeks"),
    "d": ("day", "days"),
    "h": ("hour", "hours"),
    "min": ("minute", "minutes"),
    "s": ("second", "seconds"),
}
_APPROX_WORDS = {
    "about": "about",
    "at-least": "at least",
    "more-than": "more than",
    "at-most": "at most",
    "less-than": "less than",
}


def value_text(group: FactGroup) -> str:
    """A fact's value as written for a reader: hedge, number or range, and unit ("more than 4
    years", "2 000 000–4 000 000"); a claim's surface text. Units of time are spelled out
    because their symbols ("4 a") read as typos."""
    if group.value is None:
        return group.text
    number = number_text(group.value)
    if group.value_max is not None and group.value_max != group.value:
        number = f"{number}–{number_text(group.value_max)}"
    unit = group.unit
    if unit in _UNIT_WORDS:
        one, many = _UNIT_WORDS[unit]
        unit = one if group.value == 1 and group.value_max is None else many
    hedge = _APPROX_WORDS.get(group.approx or "", "")
    return " ".join(x for x in (hedge, number, unit) if x)


def fact_context(group: FactGroup, dossier: Dossier, limit: int = 150) -> str:
    """The words of the first report around a fact: the claim's own phrase ("erste
    Auslandsreise seit der Covid-19-Pandemie"), a number's sentence clipped around it."""
    cite = group.citations[0]
    art = next((a for a in dossier.articles if a.id == cite.article_id), None)
    if art is None:
        return ""
    text = art.text
    if group.value is None:
        return " ".join(text[cite.start : cite.end].split())
    dot = text.rfind(". ", 0, cite.start)
    start = max(dot + 2 if dot >= 0 else 0, text.rfind("\n", 0, cite.start) + 1)
    stops = [i for i in (text.find(". ", cite.end), text.find("\n", cite.end)) if i >= 0]
    end = min(stops) + 1 if stops else len(text)
    sentence = " ".join(text[start:end].split())
    if len(sentence) <= limit:
        return sentence
    at = sentence.find(" ".join(text[cite.start : cite.end].split()))
    lo = max(0, at - limit // 2)
    clipped = sentence[lo : lo + limit].strip()
    return ("…" if lo else "") + clipped + ("…" if lo + limit < len(sentence) else "")


def fact_heading(group: FactGroup) -> str:
    """ "Meeting place: Kosmodrom Wostotschny", "about 690 km, distance between Städte", and a
    count with what it counts: "97 Städten", "17 000 employees" (not "97, Städten"); a bare
    value where the label is only the kind and the nearest noun ("2 minutes", not "2 minutes,
    duration Grenze"); a scale's value after its name ("magnitude 6.3")."""
    if group.value is None:
        return f"{group.measures[:1].upper()}{group.measures[1:]}: {group.text}"
    if group.kind == "count" and not group.unit:
        return f"{value_text(group)} {group.measures}"
    if group.kind == "scale":  # "magnitude 6.3", as a scale's value is said
        return f"{group.measures} {value_text(group).removesuffix(' ' + group.unit)}"
    words = group.measures.split()
    if len(words) == 2 and words[0] == group.kind:
        # "duration Grenze": the kind and the nearest noun, a guess that often reads wrong
        # ("an der Grenze «für zwei Minuten»"); the quote beside the value says what it is
        return value_text(group)
    return f"{value_text(group)}, {group.measures}"


_SCALES = ((1e12, "trillion"), (1e9, "billion"), (1e6, "million"))


def number_text(v: float) -> str:
    """A value as a reader writes it: "2.4 billion", "40 000", "9.5", "66.7" (two thirds:
    a value with more than two decimals is a computed one, shown to one)."""
    for size, word in _SCALES:
        if abs(v) >= size and round(v / size, 2) * size == round(v, 0):
            return f"{v / size:g} {word}"
    if float(v).is_integer():
        return f"{int(v):,}".replace(",", " ")
    return f"{v:g}" if round(v, 2) == v or abs(v) < 1 else f"{round(v, 1):g}"


__all__ = [
    "SECTIONS",
    "ArticleRow",
    "Sources",
    "articles",
    "by_speaker",
    "date_range",
    "fact_context",
    "fact_heading",
    "outlets",
    "single_source",
    "source_count",
    "story_dates",
    "story_dates_text",
    "timex_label",
    "unnamed_sources",
    "value_text",
    "when",
    "window_text",
]
