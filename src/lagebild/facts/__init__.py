"""facts stage: quantities (distances, percentages, counts, money, ages, durations, speeds,
ranges, number words) and simple event claims (meeting/visit place, region of a place,
"first … since …"), each with its offsets, sentence, source and modality.

Per article: ``analyze(doc)`` fills ``doc.facts``. Across a story's articles:
``lagebild.facts.compare`` groups facts that say the same thing, finds divergences and tells
them apart from updates, and builds the outlets × facts coverage matrix.
"""

from __future__ import annotations

import dataclasses

from lagebild.config import Config
from lagebild.facts.claims import (
    Claim,
    alternative_claims,
    first_since_claims,
    meeting_claims,
    region_claims,
)
from lagebild.facts.compare import (
    CoverageMatrix,
    CoverageRow,
    StoryFacts,
    compare_story,
    corroborated,
    coverage_matrix,
    divergences,
    group_facts,
    outlet_of,
    single_source,
)
from lagebild.facts.context import attribution, clause_of, modality, sentence_sources
from lagebild.facts.extract import quantities
from lagebild.facts.lexicon import lexicon
from lagebild.model import Doc, Fact, Span
from lagebild.time.shift import counting_durations

NAME = "facts"
# 10: "217 – 213" no range, "-jährige Bestehen"; 11: "vor zwei Jahren" no fact;
# 12: scales ("Stärke 6,3"); 13: digit groups ("15'000", "15 000"); 14: what a number measures
# is no sentence-opening adverb ("Dennoch"), date word or unit, nor a noun naming its kind ("Länge");
# 15: an age belongs to the noun it names ("der 47-Jährige": none; "ein 28 Jahre alter Mann");
# 16: a count of two joined nouns counts both ("379 Passagiere und Crewmitglieder")
# 17: an age told by its marker in any language ("âgé de 27 ans", "aged 27") or in years
#     between commas after a name ("Tarek Obaid, 48 ans, et …")
VERSION = 17


def extract_facts(doc: Doc) -> tuple[Fact, ...]:
    """The facts of one analysed doc (needs its sentences; uses mentions and quotes when set)."""
    article = doc.article
    lex = lexicon(article.language or "de")
    text = article.text
    year = article.published.year if article.published else None
    carried = sentence_sources(doc, lex)
    # "vier Tage vor Heiligabend" is a date (the time stage's), not four days anything took
    dates = [(d.start, d.end) for d in counting_durations(text, doc.times, lex.lang)]
    out: list[Fact] = []
    previous: list[Claim] = []  # the article's last meeting or visit claims
    # None when no tagger ran: the claims then read names off capitalisation alone
    tagged = doc.mentions or any(st.startswith("entities@") for st in doc.stages)
    names = doc.mentions if tagged else None
    for si, sent in enumerate(doc.sentences):
        if not sent.tokens:
            continue
        span = Span(sent.start, sent.end)

        def make(
            first: int,
            start: int,
            end: int,
            timeless: bool = False,
            ahead: bool = False,
            **fields: object,
        ) -> Fact:
            mood = "" if timeless else modality(sent, clause_of(sent, first), lex)  # noqa: B023
            mood = "forecast" if ahead else mood
            return Fact(
                article_id=article.id,
                start=start,
                end=end,
                text=text[start:end],
                sentence=span,  # noqa: B023 - used at once, inside the loop
                attributed_to=attribution(doc, si, start, end, carried, lex),  # noqa: B023
                outlet=article.outlet,
                modality=mood,
                **fields,  # type: ignore[arg-type]
            )

        for q in quantities(sent, lex, text):
            if any(q.start < b and a < q.end for a, b in dates):
                continue
            out.append(
                make(
                    q.first,
                    q.start,
                    q.end,
                    kind=q.kind,
                    value=q.value,
                    value_max=q.value_max,
                    unit=q.unit,
                    approx=q.approx,
                    measures=q.measures,
                    subject=q.subject,
                )
            )
        meetings = meeting_claims(sent, lex, names, year)
        alternatives = [] if meetings else alternative_claims(sent, lex, previous, names)
        previous = meetings or previous
        claims = [
            *meetings,
            *alternatives,
            *region_claims(sent, lex, names),
            *first_since_claims(sent, lex, names),
        ]
        for c in claims:
            start, end = sent.tokens[c.first].start, sent.tokens[c.last - 1].end
            out.append(
                make(
                    c.cue if c.cue >= 0 else c.first,
                    start,
                    end,
                    timeless=c.slot.startswith("region of"),  # where a place lies does not change
                    ahead=c in alternatives,
                    kind="claim",
                    measures=c.slot,
                    value_text=c.value,
                    subject=c.subject,
                )
            )
    return tuple(out)


def analyze(doc: Doc, config: Config | None = None) -> Doc:
    """The doc with ``facts`` filled in."""
    return dataclasses.replace(
        doc, facts=extract_facts(doc), stages=(*doc.stages, f"{NAME}@{VERSION}")
    )


__all__ = [
    "NAME",
    "VERSION",
    "CoverageMatrix",
    "CoverageRow",
    "StoryFacts",
    "analyze",
    "compare_story",
    "corroborated",
    "coverage_matrix",
    "divergences",
    "extract_facts",
    "group_facts",
    "outlet_of",
    "single_source",
]
