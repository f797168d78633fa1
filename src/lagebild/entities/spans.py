"""Span and type fixes after tagging that hold for any name, not for listed ones.

- A coordination read as one name is two: "Google und Microsoft", "LASK und Austria
  Kärnten" (the first part one word, no lower-case word inside, not a country's name such
  as "Bosnien und Herzegowina"); "Departement Information und Presse" stays one.
- A name ending in a legal form ("Burgenland AG", "Lumetra GmbH") is an organisation.
- A name right after a vehicle noun ("Trägerrakete vom Typ „Angara“", "Raumschiff Sojus")
  is a thing (OTH), not the place a rocket is often named after.
- A person's name ends before its first lower-case word that is no name particle
  ("Konrad parteifreier Mandatar" -> "Konrad"; "Ursula von der Leyen" stays).
- Language names are no places or organisations ("Ungarisch", "Bosnisch/Kroatisch/Serbisch").
- A place continues over "am"/"an der"/"ob der" + a capitalised name when that is no
  time word: "Komsomolsk am Amur", "Frankfurt am Main" (not "Wien am Dienstag").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from lagebild.entities.exonyms import territory_key
from lagebild.entities.lexicon import descriptors, stopwords
from lagebild.entities.names import name_form
from lagebild.model import Doc, Mention

_CONJ = re.compile(r"\s*,\s+|\s+(?:und|and|sowie|oder|or|et)\s+")
_PARTICLES = frozenset({"von", "van", "de", "del", "da", "al", "bin", "le", "la", "of", "the"})
_NAME_PARTICLES = _PARTICLES | {
    "der", "den", "zu", "van", "ter", "ten", "el", "ibn", "di", "du", "dos", "das", "y", "e", "le"
}  # fmt: skip
_VEHICLE = re.compile(
    r"(?:rakete|raumschiff|raumkapsel|raumfähre|raumsonde|sonde|satellit|kampfjet|"
    r"kampfflugzeug|flugzeug|panzer|u-boot|fregatte|zerstörer|rocket|spacecraft|missile)"
    r"[ns]?\s+(?:vom\s+typ\s+|des\s+typs\s+|der\s+marke\s+|namens\s+)?[„\"»«‚']?$",
    re.IGNORECASE,
)
_ON = re.compile(r"^\s+(am|an der|ob der)\s+([A-ZÄÖÜ][\w-]{2,})")
_TIME = re.compile(
    r"(tag|abend|morgen|mittag|nacht|ende|anfang|rande|wochenende|wochen|jahr|monat|"
    r"sonntag|samstag|freitag|donnerstag|mittwoch|dienstag|montag|vormittag|nachmittag)$",
    re.IGNORECASE,
)


def span_fixes(doc: Doc, mentions: Sequence[Mention]) -> list[Mention]:
    """The mentions with coordinations split, legal forms, vehicles and "X am Y" fixed."""
    text = doc.article.text
    lang = doc.article.language or "de"
    out: list[Mention] = []
    for m in mentions:
        if m.label in ("LOC", "ORG") and _language(m.text):
            continue
        for part in _split(_person_cut(m), lang):
            out.append(_typed(text, _grown(text, part)))
    return sorted(out, key=lambda m: (m.start, m.end))


def _language(text: str) -> bool:
    parts = [p for p in re.split(r"[/\s]+", text) if p]
    return bool(parts) and all(p[:1].isupper() and p.endswith("isch") for p in parts)


def _person_cut(m: Mention) -> Mention:
    if m.label != "PER" or m.source == "coref":
        return m
    words = m.text.split(" ")
    for i, w in enumerate(words[1:], 1):
        if w[:1].islower() and w.split("-")[0].casefold() not in _NAME_PARTICLES:
            end = len(" ".join(words[:i]))
            return replace(m, end=m.start + end, text=m.text[:end])
    return m


def _split(m: Mention, lang: str) -> list[Mention]:
    if m.source == "coref" or not _CONJ.search(m.text):
        return [m]
    if territory_key(name_form(m.text, "LOC", lang).key):
        return [m]
    pieces: list[tuple[int, int]] = []
    pos = 0
    for sep in _CONJ.finditer(m.text):
        pieces.append((pos, sep.start()))
        pos = sep.end()
    pieces.append((pos, len(m.text)))
    words = [w for a, b in pieces for w in m.text[a:b].split()]
    if any(not w[:1].isupper() and w.casefold() not in _PARTICLES for w in words):
        return [m]  # "Bundesamt für Bevölkerungsschutz und Katastrophenhilfe"
    if any(w.endswith("-") for w in words):
        return [m]  # "Wirtschafts- und Sozialausschuss"
    first = m.text[pieces[0][0] : pieces[0][1]].split()
    if len(first) != 1 and m.label != "PER":
        return [m]  # "Departement Information und Presse"
    if not all(b > a for a, b in pieces):
        return [m]
    return [replace(m, start=m.start + a, end=m.start + b, text=m.text[a:b]) for a, b in pieces]


def _typed(text: str, m: Mention) -> Mention:
    words = m.text.split()
    if len(words) > 1 and descriptors().get(words[-1].casefold(), ("",))[0] == "legal":
        return replace(m, label="ORG") if m.label != "ORG" else m
    if m.label in ("LOC", "ORG") and _VEHICLE.search(text[max(0, m.start - 40) : m.start]):
        return replace(m, label="OTH")
    return m


def _grown(text: str, m: Mention) -> Mention:
    if m.label != "LOC":
        return m
    found = _ON.match(text[m.end : m.end + 40])
    if found is None:
        return m
    word = found.group(2)
    if word.casefold() in stopwords() or _TIME.search(word):
        return m
    end = m.end + found.end()
    return replace(m, end=end, text=text[m.start : end])


__all__ = ["span_fixes"]
