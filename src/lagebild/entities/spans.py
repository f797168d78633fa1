"""Span and type fixes after tagging that hold for any name, not for listed ones.

- A coordination read as one name is two: "Google und Microsoft", "LASK und Austria
  Kärnten" (the first part one word, no lower-case word inside, not a country's name such
  as "Bosnien und Herzegowina"); "Departement Information und Presse" stays one.
- A name ending in a legal form ("Burgenland AG", "Lumetra GmbH") is an organisation.
- A name right after a vehicle noun ("Trägerrakete vom Typ „Angara“", "Raumschiff Sojus")
  is a thing (OTH), not the place a rocket is often named after.
- A person's name ends before its first lower-case word that is no name particle
  ("Konrad parteifreier Mandatar" -> "Konrad"; "Ursula von der Leyen" stays).
- Language names are no places, organisations or things ("Ungarisch", "Bosnisch/Kroatisch/Serbisch").
- A place continues over "am"/"an der"/"ob der" + a capitalised name when that is no
  time word: "Komsomolsk am Amur", "Frankfurt am Main" (not "Wien am Dienstag").
- A person's "name" that is one role or head noun ("der Jagdleiter") is none, nor is one
  word after "am"/"im"/"zum"/"beim" ("ein Eis am Strand").
- A person's name starts after a noun in front of it: a role ("Papst"), a noun that the
  silver NER data shows before person names ("Wildtierbiologin", "Torhüter", learnt in
  ``name_heads``), an agent noun ("…login", "…erin", "…ist") or an "Ex-"/"Vize-" compound;
  a span of another type too when the rest is a person the article names ("Exlobbyist
  Sardana" ORG -> "Sardana" PER).
- Two surnames the article also gives with first names are two persons ("Nishikori Berdych").
- A genitive of a name the article names with the same type, or of a person's surname it
  gives in full, before a noun, is that name: "Googles Software" -> "Googles",
  "Putins Ukraine-Feldzug" -> "Putins" PER.
- An organisation or person name ending in a model code ("LG G4", "Airbus A380") is a
  product (OTH); a road ("Ostautobahn A4", LOC) stays a place.
- A name right after a noun that announces a work ("den Film Hiroshima", "dem
  Stop-Motion-Puppenfilm Edmond", "vom Typ F-22"; learnt in ``name_heads``) is its title,
  OTH.
- A first word that is a common noun, or a compound ending in one, is no part of the name
  after it ("Jagdleiter Koller", "Recyclingunternehmens Häusle"; "common" as the silver data
  says, ``lexicon.tagger_words``); not in an organisation's own name ("Bundesvereinigung
  Logistik") nor an article ("Die Toten Hosen").
- A compound ending in an organisation or place noun right before a name of that type
  describes the name ("das US-Magazin Wired", "der TV-Sender RTS"): no name itself.
- A title starts after the noun that announces it ("Thriller Bridge of Spies" -> "Bridge of
  Spies", OTH), and a name the article introduces as a work once is that work wherever the
  article writes it ("die Miniserie Braunschlag … Wie Braunschlag wurde").
- A single letter ("Partei B") stands for a name; it is none.
- A function word or an article that opens the sentence is no part of the name after it
  ("Nachdem CDU", "Das Amtsgericht Essen"); one inside a sentence is ("Die Toten Hosen").
- A name ends before a time or a decimal value: a results line ("Toro Rosso 1:45,718",
  "Mercedes 1:41,983 Min. – 2. Lewis Hamilton") names the team, not its lap time.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from lagebild.entities.exonyms import territory_key
from lagebild.entities.lexicon import (
    country_codes,
    descriptors,
    media,
    name_heads,
    openers,
    org_heads,
    org_tails,
    stopwords,
    tagger_words,
    work_heads,
)
from lagebild.entities.names import name_form
from lagebild.entities.rules import role_match
from lagebild.model import Doc, Mention

_ARTICLES = frozenset({"der", "die", "das", "den", "dem", "des", "ein", "eine", "einen", "einem"})
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
_AGENT = re.compile(r"(?:(?:er|ist|log|eur|tor|är)in(?:nen)?|(?<![kqv])ist|ologe)$")
_ROLE_PREFIXES = frozenset({"ex", "vize", "vice", "ko", "co", "interims", "alt", "noch"})
_MODEL_CODE = re.compile(r"^(?=[^\d]*\d)[A-Za-z]{1,3}\d{1,4}[A-Za-z]{0,2}$")
_TIME = re.compile(
    r"(tag|abend|morgen|mittag|nacht|ende|anfang|rande|wochenende|wochen|jahr|monat|"
    r"sonntag|samstag|freitag|donnerstag|mittwoch|dienstag|montag|vormittag|nachmittag)$",
    re.IGNORECASE,
)


def span_fixes(
    doc: Doc, mentions: Sequence[Mention], known_from: Sequence[Mention] = ()
) -> list[Mention]:
    """The mentions with the fixes above; ``known_from``: more names the article knows (the
    body's, for a caption)."""
    text = doc.article.text
    lang = doc.article.language or "de"
    known = _known_names([*mentions, *known_from])
    starts = {(m.start, m.label) for m in mentions if m.source != "coref"}
    out: list[Mention] = []
    works: set[str] = set()  # names the article introduces as a work ("die Miniserie X")
    sentence_starts = frozenset(s.tokens[0].start for s in doc.sentences if s.tokens)
    for m in mentions:
        if len(m.text) == 1 and m.text.isalpha() and m.source != "coref":
            continue  # "Partei B", "Plan C": a letter standing for a name is none ("€" is)
        if m.source != "coref" and m.text.casefold() in openers() and not m.text.isupper():
            continue  # "While" tagged alone at the start of an English sentence
        if _descriptor(m, starts):
            continue
        if m.label != "PER" and _language(m.text):  # "Englisch" LOC, ORG or OTH
            continue
        if _role_alone(m, known) or _after_contraction(text, m, known):
            continue
        if m.text.endswith("-") and m.source != "coref":
            if not re.match(r" [A-ZÄÖÜ]", text[m.end : m.end + 2]):
                continue  # "Nord-, Mittel- und Südamerika": a part of a compound, no name
            m = replace(m, end=m.end - 1, text=m.text[:-1])  # "Frankfurt am Main- Die AUA"
        cut = _work_cut(_value_cut(m))
        if cut.label == "OTH" and cut.start > m.start:
            works.add(cut.text)
        cut = _lead_cut(cut, sentence_starts, text)
        m = _genitive_cut(_noun_cut(_head_cut(_person_cut(cut), known)), known)
        for part in _split(m, lang):
            for piece in _two_persons(part, known):
                if lang == "de":
                    piece = _genitive_plural_name(text, piece)
                typed = _typed(text, _grown(text, piece))
                if typed.label == "OTH" != piece.label and _after_work_noun(text, typed.start):
                    works.add(typed.text)
                out.append(typed)
    return sorted(_works(out, works), key=lambda m: (m.start, m.end))


# Mentions whose type is known otherwise: the name a pronoun stands for, an outlet of the
# media list ("in einer Talkshow Rossija 1": the channel airing the show, not a work).
_KNOWN = frozenset({"coref", "gazetteer"})


def _works(mentions: list[Mention], works: set[str]) -> list[Mention]:
    """A name the article introduces as a work once ("die Miniserie Braunschlag") is that
    work wherever it writes it ("Wie Braunschlag wurde …"): one name, one reading. Not a
    word the silver data knows as a frequent place ("die Buch Wien": a fair in Wien)."""
    works -= tagger_words().places
    if not works:
        return mentions
    return [
        replace(m, label="OTH") if m.text in works and m.source not in _KNOWN else m
        for m in mentions
    ]


def _descriptor(m: Mention, starts: set[tuple[int, str]]) -> bool:
    """ "das US-Magazin Wired", "der TV-Sender RTS", "Elektronik-Hersteller Sony": a compound
    ending in an organisation or place noun, right before a name of the same type, says what
    that name is; it is none itself."""
    if m.source == "coref" or " " in m.text or "-" not in m.text:
        return False
    if (m.end + 1, m.label) not in starts:
        return False
    tail = m.text.rsplit("-", 1)[-1].casefold()
    role = role_match(tail)
    return tail in org_heads() or (role is not None and role.type in ("ORG", "LOC"))


def _known_names(mentions: Sequence[Mention]) -> dict[str, tuple[str, frozenset[str]]]:
    """Name texts of the article -> (type, the full names it is the surname of): a mention's
    whole text, and the last word of a person's full name."""
    types: dict[str, str] = {}
    fulls: dict[str, set[str]] = {}
    for m in mentions:
        if m.source == "coref":
            continue
        types.setdefault(m.text, m.label)
        words = m.text.split()
        if m.label == "PER" and len(words) > 1 and words[-1][:1].isupper():
            types.setdefault(words[-1], "PER")
            fulls.setdefault(words[-1], set()).add(m.text)
    return {t: (lab, frozenset(fulls.get(t, ()))) for t, lab in types.items()}


def _is_head_noun(word: str) -> bool:
    """A noun that stands before a person's name and is no part of it."""
    w = word.casefold()
    if "-" in w and w.split("-", 1)[0] in _ROLE_PREFIXES:
        return True  # "Ex-Nationaltorwart", "Vize-Kanzler"
    role = role_match(word)
    if role is not None and role.type == "PER":
        return True
    heads = name_heads()
    if w in heads or w.rsplit("-", 1)[-1] in heads:
        return True
    if any(w[k:] in heads for k in range(2, len(w) - 4)):
        return True  # "Stammtorhüter", "Cheftrainer"
    if w.startswith("ex") and len(w) > 6 and w[2:3].isalpha() and _is_head_noun(w[2:]):
        return True  # "Exlobbyist"
    return len(w) >= 8 and _AGENT.search(w) is not None


def _modifies_role(words: list[str], i: int) -> bool:
    """Whether ``words[i]`` opens a run of words that belong to a role noun after them, not
    to the name: country codes and prefixes written apart ("US Vice President JD Vance",
    "Vize Kanzler")."""
    j = i
    while j < len(words) - 2 and (
        words[j] in country_codes() or words[j].casefold() in _ROLE_PREFIXES
    ):
        j += 1
    return j > i and _is_head_noun(words[j])


def _role_alone(m: Mention, known: dict[str, tuple[str, frozenset[str]]]) -> bool:
    """A person's "name" that is one role or head noun ("der Jagdleiter", "der
    Dokumentarfilmer"), unless the article gives it as a full name's surname ("Richter"
    after "Hans Richter")."""
    if m.label != "PER" or m.source == "coref" or " " in m.text or "-" in m.text:
        return False
    return _is_head_noun(m.text) and not known.get(m.text, ("", frozenset()))[1]


_CONTRACTED = re.compile(r"\b(?:am|im|zum|zur|vom|beim|ins|ans)\s+$")


def _after_contraction(text: str, m: Mention, known: dict[str, tuple[str, frozenset[str]]]) -> bool:
    """A one-word "person" right after a preposition merged with its article ("ein Eis am
    Strand", "im Herbst", "zum Judo") is a noun: German puts no article before a name,
    unless the article gives the word as a full name's surname."""
    if m.label != "PER" or m.source == "coref" or " " in m.text:
        return False
    if _CONTRACTED.search(text[max(0, m.start - 8) : m.start]) is None:
        return False
    return not known.get(m.text, ("", frozenset()))[1]


def _head_cut(m: Mention, known: dict[str, tuple[str, frozenset[str]]]) -> Mention:
    """A person span without the nouns in front of it; a span of another type too when what
    is left is a person the article names ("Exlobbyist Sardana" ORG -> "Sardana" PER)."""
    if m.source == "coref":
        return m
    words = m.text.split(" ")
    cut = 0
    role = False  # a role noun of a person was cut: what follows it is a person
    while len(words) - cut >= 2 and words[cut + 1][:1].isupper():
        if _is_head_noun(words[cut]):
            found = role_match(words[cut])
            role = role or (found is not None and found.type == "PER")
        elif not _modifies_role(words, cut):
            break  # "US President", "Vize Kanzler": a country code or prefix before a role
        cut += 1
    before_first_name = False
    if not cut and m.label != "OTH" and _before_first_name(words):  # not "Rockoper Tommy"
        cut, before_first_name = 1, True
    if not cut:
        return m
    skip = len(" ".join(words[:cut])) + 1
    rest = m.text[skip:]
    if m.label != "PER":
        named = role and len(rest.split(" ")) >= 2 and all(w[:1].isupper() for w in rest.split(" "))
        if known.get(rest, ("", frozenset()))[0] != "PER" and not before_first_name and not named:
            return m
        return replace(m, start=m.start + skip, text=rest, label="PER")
    return replace(m, start=m.start + skip, text=rest)


def _inside_clause(text: str, start: int) -> bool:
    """Whether the word before ``start`` belongs to the same clause (a word, a comma or an
    opening quote before it; not a colon, a sentence end or a line break)."""
    before = text[:start].rstrip(" \t")
    return bool(before) and (before[-1].isalnum() or before[-1] in ",„“\"«‚‘'")


def _lead_cut(m: Mention, sentence_starts: frozenset[int], text: str) -> Mention:
    """ "Nachdem CDU", "Das Amtsgericht Essen" at the start of a sentence: a function word or
    an article capitalised only because the sentence starts with it is no part of the name
    after it. An article inside a sentence stays ("die Band Die Toten Hosen"), and so do a
    title's ("Der Herr der Ringe") and a medium's own article ("Die Presse", "Der Spiegel": the medium is listed with or
    without it)."""
    words = m.text.split(" ")
    if m.source == "coref" or len(words) < 2 or not words[1][:1].isupper():
        return m
    if not words[0][:1].isupper():
        return m  # "was Tod und Leben": the tagger's error, not a capitalised opener
    first = words[0].casefold()
    if first in _ARTICLES:
        if m.label == "OTH" or m.start not in sentence_starts:
            return m  # a title keeps its article ("Der Herr der Ringe lief.")
        if _medium(m.text) or _medium(m.text.split(" ", 1)[1]):
            return m
    elif first not in openers() or (len(words[0]) > 1 and words[0].isupper()):
        return m  # "AS Rom": an acronym is part of the name
    elif m.label == "OTH" and _inside_clause(text, m.start):
        return m  # a work's title inside a clause keeps its first word ("Regie-Debüt That
        # Thing You Do!"); after a colon or a line break it is a heading's opener
    skip = len(words[0]) + 1
    return replace(m, start=m.start + skip, text=m.text[skip:])


def _medium(text: str) -> bool:
    key = text.casefold()
    return any(n.name.casefold() == key for n in media())


def _noun_cut(m: Mention) -> Mention:
    """ "Jagdleiter Koller", "Chefentwickler Shigeru Miyamoto", "Recyclingunternehmens Häusle":
    a span's first word that is a common noun, or a compound ending in one, is no part of the
    name after it ("common": ``lexicon.tagger_words``, seldom inside a name in the silver
    data; a word the silver data saw inside names is left alone)."""
    words = m.text.split(" ")
    if m.source == "coref" or m.label == "ORG" or len(words) < 2 or not words[1][:1].isupper():
        return m  # "Bundesvereinigung Logistik", "Straflandesgericht Klagenfurt": the name
    if words[0].casefold() in _ARTICLES or not _common_head(words[0]):
        return m  # "Die Toten Hosen", "Der Spiegel"
    skip = len(words[0]) + 1
    return replace(m, start=m.start + skip, text=m.text[skip:])


def _common_head(word: str) -> bool:
    known = tagger_words()
    if not word[:1].isupper() or not word.isalpha() or word.isupper() or word in known.named:
        return False
    if word in known.common:
        return True
    return any(word[k:].capitalize() in known.common for k in range(3, len(word) - 4))


def _before_first_name(words: list[str]) -> bool:
    """ "Obmann Reinhard Koch", "Tennisfan Eva Longoria", "Spanier Pablo Larrazabal": a
    capitalised word the silver data never saw in a name, before a frequent first name and
    a surname, is a noun in front of a person ("Karl Heinz Müller": "Karl" is a first name;
    "Amadeu Antonio Stiftung" ends as an organisation)."""
    if len(words) < 3 or not words[0][:1].isupper() or not words[0].replace("-", "").isalpha():
        return False
    known = tagger_words()
    if words[0] in known.named or words[1] not in known.first_names:
        return False
    return words[-1].casefold() not in org_tails() and words[0].casefold() not in _NAME_PARTICLES


def _genitive_cut(m: Mention, known: dict[str, tuple[str, frozenset[str]]]) -> Mention:
    """ "Googles Software" -> "Googles" ("Franz' Tod" -> "Franz'") where the article names
    Google with the span's type, or the genitive is the surname of a person it names in full
    ("Putins" beside "Wladimir Putin"; the person's type then). A name of another type alone is too weak a reason:
    "Champions League" stays whole though the tagger read a "Champion" somewhere."""
    words = m.text.split(" ")
    if m.source == "coref" or len(words) < 2:
        return m
    first = words[0]
    if len(first) < 4 or not first.endswith(("s", "'", "’")) or first.endswith(("'s", "’s")):
        return m  # "Franz' Tod": a name ending in s, z or x takes an apostrophe
    label, fulls = known.get(first[:-1], ("", frozenset()))
    if fulls - {m.text}:
        label = "PER"
    elif label != m.label:
        return m
    return replace(m, end=m.start + len(first), text=first, label=label)  # type: ignore[arg-type]


def _two_persons(m: Mention, known: dict[str, tuple[str, frozenset[str]]]) -> list[Mention]:
    words = m.text.split(" ")
    if m.label != "PER" or m.source == "coref" or len(words) != 2:
        return [m]
    a, b = words
    if not (known.get(a, ("", frozenset()))[1] - {m.text}):
        return [m]  # the first word is no surname of another full name here
    if not (known.get(b, ("", frozenset()))[1] - {m.text}):
        return [m]
    second = m.start + len(a) + 1
    return [replace(m, end=m.start + len(a), text=a), replace(m, start=second, text=b)]


def _language(text: str) -> bool:
    parts = [p for p in re.split(r"[/\s]+", text) if p]
    return bool(parts) and all(p[:1].isupper() and p.endswith("isch") for p in parts)


def _person_cut(m: Mention) -> Mention:
    """A person's name ends before a lower-case word that is no name particle, and before
    "zu" with a word the silver data never saw in a name ("Charles Michel zu Wort gemeldet",
    "Merz zu Besuch"; "Karl-Theodor zu Guttenberg" goes on). Other particles keep going:
    "Van der Bellen" is a name the silver data may not know."""
    if m.label != "PER" or m.source == "coref":
        return m
    words = m.text.split(" ")
    for i, w in enumerate(words[1:], 1):
        if w[:1].islower() and (
            w.split("-")[0].casefold() not in _NAME_PARTICLES
            or (w == "zu" and i + 1 < len(words) and words[i + 1] not in tagger_words().named)
        ):
            end = len(" ".join(words[:i]))
            return replace(m, end=m.start + end, text=m.text[:end])
    return m


_VALUE = re.compile(r"\d[:,]\d")


def _value_cut(m: Mention) -> Mention:
    """The name before its first time or decimal value ("Lukas Klapfer 1:56,6" -> "Lukas
    Klapfer"); a version or model number ("Bluetooth 4.1", "Windows 10") stays."""
    if m.source == "coref":
        return m
    words = m.text.split(" ")
    for i, w in enumerate(words[1:], 1):
        if _VALUE.search(w):
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
    if len(words) > 1 and m.label in ("ORG", "PER") and _MODEL_CODE.match(words[-1]):
        return replace(m, label="OTH")  # "LG G4", "Airbus A380": a product ("Ostautobahn A4" LOC)
    if m.label != "OTH" and m.source not in _KNOWN and _after_work_noun(text, m.start):
        return replace(m, label="OTH")
    return m


# The pattern ``_words_before`` reads from the right (kept for its test)
_BEFORE_TITLE = re.compile(r"(?<!\w)(\w+)\s+([\w-]+)\s+[„\"»«‚']?$")
_TITLE_QUOTES = "„\"»«‚'"


def _words_before(window: str) -> tuple[str, str] | None:
    """The groups of ``_BEFORE_TITLE.search(window)``: the last two words before trailing
    space and an optional opening quote ("den", "Film" of "… sah den Film „"). Read from the
    right, as the match must end at the window's end (the pattern, tried at every word of
    the window, was ~5 % of the entities stage). Like ``$``, the end may be before a final
    line break."""
    found = _words_ending_at(window, len(window))
    if found is None and window.endswith("\n"):
        found = _words_ending_at(window, len(window) - 1)
    return found


def _words_ending_at(window: str, end: int) -> tuple[str, str] | None:
    if end and window[end - 1] in _TITLE_QUOTES:
        end -= 1
    k = end
    while k > 0 and window[k - 1].isspace():
        k -= 1
    if k == end:
        return None
    second_end = k
    while k > 0 and (_is_word_char(window[k - 1]) or window[k - 1] == "-"):
        k -= 1
    if k == second_end:
        return None
    second_start = k
    while k > 0 and window[k - 1].isspace():
        k -= 1
    if k == second_start:
        return None
    first_end = k
    while k > 0 and _is_word_char(window[k - 1]):
        k -= 1
    if k == first_end:
        return None
    return window[k:first_end], window[second_start:second_end]


def _is_word_char(c: str) -> bool:
    """What ``\\w`` matches in a str pattern: a letter, digit or numeral, or the underscore."""
    return c.isalnum() or c == "_"


def _after_work_noun(text: str, start: int) -> bool:
    """Whether the name at ``start`` follows a noun that announces a work, itself after a
    lower-case word ("den Film", "im Animationsfilm"): "Roman Polanski" has no such word."""
    found = _words_before(text[max(0, start - 60) : start])
    if found is None or not found[0][:1].islower():
        return False
    noun = found[1]
    return noun[:1].isupper() and _is_work_noun(noun)


def _is_work_noun(word: str) -> bool:
    """A noun that announces a work's title ("Film", "Stop-Motion-Puppenfilm", "Thriller");
    a frequent first name ("Roman") only inside a compound ("Kriminalroman")."""
    w = word.casefold().rsplit("-", 1)[-1]
    heads = work_heads()
    if w in heads:
        return word not in tagger_words().first_names
    return any(w[k:] in heads for k in range(2, len(w) - 3))


def _work_cut(m: Mention) -> Mention:
    """ "Thriller Bridge of Spies", "Kinofilm Hiroshima": the noun that announces a title is
    no part of it; what follows it is the title (OTH)."""
    words = m.text.split(" ")
    if m.source == "coref" or len(words) < 2 or not words[1][:1].isupper():
        return m
    if not _is_work_noun(words[0]) or role_match(words[0]) is not None:
        return m
    skip = len(words[0]) + 1
    return replace(m, start=m.start + skip, text=m.text[skip:], label="OTH")


_PARTICLE_TAIL = re.compile(r" (?:der|den|de|des|la|le|du|ten|ter) [A-ZÄÖÜ][\w-]+")


_WORD_BEFORE = re.compile(r"([A-ZÄÖÜ][\wäöüß]+(?:-[A-ZÄÖÜ][\wäöüß]+)*) $")
_WORD_AFTER = re.compile(r" ([A-ZÄÖÜ][\wäöüß]+(?:-[A-ZÄÖÜ]?[\wäöüß]+)*)")


def _genitive_plural_name(text: str, m: Mention) -> Mention:
    """ "Gewerkschaft Deutscher Lokomotivführer", "Bundesverband Deutscher
    Versicherungskaufleute": a German organisation named "noun + adjective + plural noun"
    was tagged at its adjective alone ("Deutscher" ORG); the name is all three words. Only
    where the adjective stands between two capitalised words and is one by its lemma."""
    if m.label not in ("ORG", "OTH") or " " in m.text or m.source == "coref":
        return m
    from lagebild.text.lemma import lemmatize  # here: a dossier reads this module

    low = m.text.casefold()
    if low != lemmatize(low, "de") + "er":  # "deutscher" of "deutsch", not "Meister"
        return m
    before = _WORD_BEFORE.search(text, max(0, m.start - 60), m.start)
    after = _WORD_AFTER.match(text, m.end)
    if before is None or after is None or before.end() != m.start:
        return m
    if before.group(1).casefold() in stopwords() or after.group(1).casefold() in stopwords():
        return m
    start, end = before.start(1), after.end(1)
    return replace(m, start=start, end=end, text=text[start:end], label="ORG")


def _grown(text: str, m: Mention) -> Mention:
    if m.label == "PER" and m.source != "coref":
        # "Alexander Van" + " der Bellen": a name particle ends no person's name
        last = m.text.rsplit(" ", 1)[-1]
        found = _PARTICLE_TAIL.match(text, m.end)
        if last[:1].isupper() and last.casefold() in _PARTICLES and found is not None:
            return replace(m, end=found.end(), text=text[m.start : found.end()])
        return m
    if m.label != "LOC":
        return m
    found = _ON.match(text[m.end : m.end + 40])
    if found is None:
        return m
    word = found.group(2)
    if word.casefold() in stopwords() or _TIME.search(word):
        return m
    end = m.end + found.end()
    if re.match(r" [A-ZÄÖÜ]", text[end : end + 2]):
        return m  # "in London am Imperial College": a name at the place, not the place's
    return replace(m, end=end, text=text[m.start : end])


__all__ = ["span_fixes"]
