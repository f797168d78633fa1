"""Organisations referred to by a noun: "das Unternehmen", "die Gewerkschaft" as speakers.

A bare role noun for a person resolves to the last person who spoke (``speakers``). For an
organisation that is too loose: the last organisation to speak is often the other side of the
story. News names an organisation with its kind first ("die Fluggesellschaft Nordwind Air",
"die Pilotengewerkschaft Aerosyn") and later uses the kind alone, so the noun resolves to the
last organisation the article introduced with a noun of the same kind
(``resources/quotes/<lang>/org_nouns.txt``); a company is also recognised by its legal form.
"Ein Sprecher" speaks for the organisation named just before it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from functools import cache

from lagebild.model import Mention
from lagebild.quotes.lexicon import resource_lines
from lagebild.quotes.speakers import Speaker

_LEGAL = re.compile(r"\b(?:AG|GmbH|SE|KGaA|Inc\.?|Ltd\.?|plc|LLC|Corp\.?)$")
_WORD_BEFORE = re.compile(r"([\w-]+)\W{0,2}$")


@cache
def _kinds(lang: str) -> tuple[tuple[str, str], ...]:
    """(noun, kind) pairs, longest noun first, lower-cased."""
    pairs = []
    for raw in resource_lines(lang, "org_nouns.txt"):
        line = raw.strip()
        if line and not line.startswith("#"):
            kind, *nouns = line.split()
            pairs.extend((n.casefold(), kind) for n in nouns)
    return tuple(sorted(pairs, key=lambda p: -len(p[0])))


def kind_of(word: str, lang: str) -> str | None:
    """The organisation kind a noun (or compound ending in one) names, genitive ignored."""
    low = word.casefold()
    for form in (low, low.removesuffix("es"), low.removesuffix("s")):
        for noun, kind in _kinds(lang):
            if form == noun or (len(form) > len(noun) + 2 and form.endswith(noun)):
                return kind
    return None


def resolve_org_nouns(
    speakers: Sequence[Speaker], text: str, mentions: Sequence[Mention], lang: str
) -> list[Speaker]:
    """Each unresolved speaker that is an organisation noun, given the organisation meant."""
    orgs = [m for m in mentions if m.entity_id]  # the noun before it says what it is
    out = []
    for sp in speakers:
        words = sp.text.split()
        spokesman = _spokesperson(words, sp, orgs, text, lang)
        if spokesman is not None:
            out.append(spokesman)
            continue
        kind = kind_of(words[-1].strip(".,:;"), lang) if sp.entity is None and words else None
        if kind is None or len(words) > 3:
            out.append(sp)
            continue
        before = [m for m in orgs if m.end <= sp.start and _introduced_as(text, m, kind, lang)]
        if not before:
            out.append(sp)
            continue
        m = before[-1]
        out.append(replace(sp, name=m.text, kind="org", entity=m.entity_id, named=False))
    return out


_INDEFINITE = frozenset({"ein", "eine", "einer", "a", "an"})
_SPOKES = ("sprecher", "sprecherin", "spokesman", "spokeswoman", "spokesperson")
_NEAR = 400  # characters: "Nordwind Air kritisierte den Aufruf. …, sagte ein Sprecher."


def _spokesperson(
    words: list[str], sp: Speaker, orgs: Sequence[Mention], text: str, lang: str
) -> Speaker | None:
    """ "ein Sprecher" speaks for the organisation named just before, not for the last person
    quoted: the statement is the organisation's; "ein Unternehmenssprecher" for the last
    company the article introduced as one, where there is one (not "Rettung", which the
    tagger took for an organisation just before)."""
    if len(words) != 2 or words[0].casefold() not in _INDEFINITE:
        return None
    role = words[1].casefold().strip(".,:;")
    if not role.endswith(_SPOKES):
        return None
    near = [m for m in orgs if m.label == "ORG" and m.end <= sp.start and sp.start - m.end < _NEAR]
    if not near:
        return None
    prefix = next((role[: -len(e)] for e in _SPOKES if role.endswith(e)), "")
    kind = kind_of(prefix, lang) if len(prefix) > 3 else None
    of_kind = [m for m in near if kind and _introduced_as(text, m, kind, lang)]
    m = (of_kind or near)[-1]
    return replace(sp, name=m.text, kind="org", entity=m.entity_id, named=False)


def _introduced_as(text: str, m: Mention, kind: str, lang: str) -> bool:
    """Whether ``m`` follows a noun of ``kind`` ("die Pilotengewerkschaft Aerosyn", whatever
    type the tagger gave it), or is a company by its legal form."""
    if kind == "company" and m.label == "ORG" and _LEGAL.search(m.text):
        return True
    hit = _WORD_BEFORE.search(text[max(0, m.start - 40) : m.start])
    return hit is not None and kind_of(hit.group(1), lang) == kind


__all__ = ["kind_of", "resolve_org_nouns"]
