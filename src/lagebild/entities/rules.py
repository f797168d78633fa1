"""Rule and gazetteer mentions for news text, where a statistical tagger is weakest.

News names its sources and actors in fixed patterns: agencies and broadcasters by name
("Interfax", "Rossija-24"), newspapers in quotation marks („New York Times“), people behind
their role ("Kreml-Sprecher Dmitri Peskow"), places behind a facility noun ("Kosmodrom
Wostotschny") and institutions as hyphenated compounds ("Sogang-Universität"). Each rule
reads the text layer's tokens; the tables are in ``resources/entities/``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache

from lagebild.entities.lexicon import (
    MediaName,
    common_noun,
    country_codes,
    descriptors,
    media,
    org_heads,
    outlet_heads,
    roles,
    stopwords,
)
from lagebild.entities.translit import name_key
from lagebild.model import Doc, EntityType, Mention, Token

_WEEKDAYS = ("montag", "dienstag", "mittwoch", "donnerstag", "freitag", "samstag", "sonntag")
_PARTICLES = frozenset({"von", "van", "der", "de", "da", "di", "zu", "al", "bin", "el", "la", "le"})
_OPEN_QUOTES = frozenset({"„", "“", '"', "»", "«", "‚", "‘"})
_CLOSE_QUOTES = frozenset({"“", "”", '"', "«", "»", "‘", "’"})
_ROLE_ENDINGS = ("", "en", "n", "in", "innen")
# forms of address take only these endings before a name ("Herrn Müller"); others are plurals
_HONORIFICS = {"herr": ("", "n"), "frau": ("",)}
_TITLES = frozenset({"dr", "prof", "med", "phil", "jur", "ing", "dipl"})  # between role and name
# Nouns that end this way take -(e)n in the singular too ("dem Präsidenten", "des Politologen").
_WEAK_NOUN_ENDINGS = ("ent", "ant", "ist", "oge", "at", "af", "nom", "e")

# the tagger's confidence above which its organisation beats a role word inside it (the
# floor of ``entities.update.DOUBT_BELOW``)
_SURE_TAGGER = 0.8
# Higher wins when candidates overlap; the tagger's own mentions rank lowest.
PRIORITY = {
    "gazetteer": 4, "outlet": 4, "descriptor": 3, "compound": 3, "role": 3, "trigger": 2,
    "office": 2,
}  # fmt: skip
# "Landesamt für Umwelt", "Bundesamt für Migration und Flüchtlinge": an office named by its remit
REMIT_HEADS = ("amt", "ministerium", "institut", "behörde", "agentur", "zentrum", "kommission")


@dataclass(frozen=True, slots=True)
class Candidate:
    """A mention proposed by one rule, before overlaps are resolved."""

    start: int
    end: int
    label: EntityType
    rule: str  # a key of PRIORITY


@dataclass(frozen=True, slots=True)
class _MediaIndex:
    by_key: dict[str, tuple[MediaName, ...]]
    max_tokens: int
    lowercase: frozenset[str]  # entries written in lower case ("dpa"): only these keyed when lower


@cache
def _media_index() -> _MediaIndex:
    by_key: dict[str, tuple[MediaName, ...]] = {}
    for m in media():
        key = name_key(m.name)
        by_key[key] = (*by_key.get(key, ()), m)
    longest = max((len(m.name.split()) for m in media()), default=0)
    lowercase = frozenset(w for m in media() for w in m.name.split() if w.islower())
    return _MediaIndex(by_key, longest + 1, lowercase)


@dataclass(frozen=True, slots=True)
class Role:
    """A role or trigger noun found in a word: its table entry and the type of name it announces."""

    noun: str  # the table entry ("sprecher")
    type: EntityType
    stem: str = ""  # the whole word without its ending ("kreml-sprecher")
    ending: str = ""  # "", "en", "n", "in" or "innen"

    @property
    def feminine(self) -> bool:
        return self.ending in ("in", "innen")

    @property
    def plural(self) -> bool:
        """ "Ministern", "Sprecherinnen"; weak nouns ("Präsidenten") are singular too."""
        if self.ending == "innen":
            return True
        return self.ending in ("en", "n") and not self.stem.endswith(_WEAK_NOUN_ENDINGS)


@lru_cache(maxsize=65536)
def role_match(word: str) -> Role | None:
    """The role noun in ``word`` ("Kreml-Sprecher" -> sprecher/PER), if any (memoised: every
    capitalised word of every article is asked, by the rules and by coreference)."""
    table = roles()
    w = word.casefold()
    for ending in _ROLE_ENDINGS:
        if ending and not w.endswith(ending):
            continue
        stem = w[: len(w) - len(ending)] if ending else w
        if stem in _HONORIFICS and ending not in _HONORIFICS[stem]:
            continue  # "Frauen", "Herren" are plurals, no form of address
        if stem in table:
            return Role(stem, table[stem], stem, ending)
        tail = stem.rsplit("-", 1)[-1]
        if tail != stem and tail in table:
            return Role(tail, table[tail], stem, ending)
        for k in range(3, len(stem) - 3):
            if stem[k:] in table and len(stem[k:]) >= 4:
                return Role(stem[k:], table[stem[k:]], stem, ending)
    return None


def role_of(word: str) -> EntityType | None:
    """The type of name a role or trigger noun announces ("Kreml-Sprecher" -> PER), if any."""
    role = role_match(word)
    return role.type if role else None


def candidates(doc: Doc) -> list[Candidate]:
    """Every rule candidate in the doc, overlapping ones included."""
    out: list[Candidate] = []
    german = (doc.article.language or "de") == "de"
    for sent in doc.sentences:
        toks = sent.tokens
        out.extend(_gazetteer(toks))
        out.extend(_quoted_outlets(toks))
        out.extend(_after_triggers(toks, german))
        out.extend(_compounds(toks))
        out.extend(_offices(toks))
    return common_nouns_out(doc.article.text, out) if german else out


def common_nouns_out(text: str, found: list[Candidate]) -> list[Candidate]:
    """Without a single common noun after (or before: an apposition) a role or trigger noun
    ("Korrespondenten Thema", "der Polizeigewerkschaft Recht geben"), unless the article puts
    it after one twice: a
    union called "Cockpit" ("die Gewerkschaft Cockpit" twice)."""
    after = Counter(text[c.start : c.end] for c in found if c.rule in ("role", "trigger"))
    return [
        c
        for c in found
        if c.rule not in ("role", "trigger")
        or " " in (word := text[c.start : c.end])
        or after[word] >= 2
        or not common_noun(word)
    ]


def resolve(
    doc: Doc, tagged: Sequence[Mention], proposed: Sequence[Candidate]
) -> tuple[Mention, ...]:
    """Tagger mentions and rule candidates merged: on overlap the higher priority wins.

    Where the tagger found a person at the same place as a role rule, the longer of the two
    spans is kept (taggers often stop inside "Kim Jong Un"); where it found another type
    there ("Präsident Russlands"), the role rule is dropped.
    """
    text = doc.article.text
    ner_at = {m.start: m for m in tagged}
    # (priority, start, end, label, source, the tagger's score)
    pool: list[tuple[int, int, int, EntityType, str, float | None]] = []
    for c in proposed:
        start, end = c.start, c.end
        if c.rule == "role" and any(
            m.start < start < m.end
            and (
                len(text[m.start : start].split()) >= 2
                or (m.label == "ORG" and (m.score is None or m.score >= _SURE_TAGGER))
            )
            for m in tagged
        ):
            continue  # the role word is inside a longer name: "GNU General Public License",
            # "General Electric", "Premier League", "Obersten Gerichtshof" (the tagger sure: ORG)
        if c.rule in ("compound", "office") and any(
            m.start <= start and end <= m.end and m.end - m.start > end - start for m in tagged
        ):
            continue  # part of a longer name the tagger found: "Deutschen Presse-Agentur"
        if c.rule == "office":  # "Bayerischen" + "Staatsministerium für Kultus": the tagger's start
            start = min([start] + [m.start for m in tagged if m.start < start < m.end])
        if c.rule == "role" and start in ner_at:
            if ner_at[start].label != "PER" and " " not in text[start:end]:
                continue  # "Präsident Russlands": the tagger knows this is no person
            end = max(end, ner_at[start].end)  # the tagger may stop early: "Kim Jong" Un
        elif c.rule == "trigger" and start in ner_at and _legal_form(text[end : ner_at[start].end]):
            end = ner_at[start].end  # "Firma Germany GmbH": the tagger's span with its legal form
        elif c.rule == "role" and " " not in text[start:end] and text[start:end].endswith("s"):
            continue  # "der Führer Nordkoreas": a genitive, not a name, unless the tagger says so
        pool.append(
            (
                PRIORITY[c.rule],
                start,
                end,
                c.label,
                "gazetteer" if c.rule == "gazetteer" else "rule",
                None,
            )
        )
    pool.extend(
        (1, m.start, m.end, m.label, m.source, m.score) for m in tagged if _name_like(m.text)
    )
    pool.sort(key=lambda p: (-p[0], -(p[2] - p[1]), p[1]))
    taken: list[tuple[int, int]] = []
    out: list[Mention] = []
    for _, start, end, label, source, score in pool:
        if any(start < e and s < end for s, e in taken):
            continue
        taken.append((start, end))
        out.append(Mention(doc.id, start, end, text[start:end], label, None, source, score=score))
    return tuple(sorted(out, key=lambda m: m.start))


def _legal_form(text: str) -> bool:
    """Only company legal forms ("GmbH", "Ltd.")."""
    words = text.split()
    return bool(words) and all(descriptors().get(w.casefold(), ("",))[0] == "legal" for w in words)


def _name_like(text: str) -> bool:
    """Not a clause: at most 12 words, at most one of them a lower-case content word."""
    words = text.split()
    return len(words) <= 12 and sum(1 for w in words if w[:1].islower() and len(w) > 3) <= 1


# ------------------------------------------------------------------ the rules


def _is_word(tok: Token) -> bool:
    return tok.text[:1].isalnum()


def _capitalised(tok: Token) -> bool:
    return tok.text[:1].isupper()


def _gazetteer(toks: Sequence[Token]) -> Iterator[Candidate]:
    index = _media_index()
    keys = [
        name_key(t.text)
        if _is_word(t) and (not t.text.islower() or t.text in index.lowercase)
        else ""
        for t in toks
    ]
    i = 0
    while i < len(toks):
        best: tuple[int, MediaName] | None = None
        acc = ""
        for j in range(i, min(len(toks), i + index.max_tokens)):
            if not keys[j] or (j > i and toks[j].start - toks[j - 1].end > 1):
                break
            acc += keys[j]
            for entry in index.by_key.get(acc, ()):
                if _media_fits(entry, toks, i, j):
                    best = (j, entry)
        if best is None:
            i += 1
            continue
        j, entry = best
        yield Candidate(toks[i].start, toks[j].end, entry.type, "gazetteer")
        i = j + 1


def _media_fits(entry: MediaName, toks: Sequence[Token], i: int, j: int) -> bool:
    surface = "".join(t.text for t in toks[i : j + 1]).replace("-", "")
    written = entry.name.replace(" ", "").replace("-", "")
    if len(name_key(entry.name)) <= 4:
        if surface != written:
            return False
    elif not (_capitalised(toks[i]) or surface == written):
        return False
    if entry.quoted_only:
        return (
            i > 0
            and j + 1 < len(toks)
            and toks[i - 1].text in _OPEN_QUOTES
            and toks[j + 1].text in _CLOSE_QUOTES
        )
    return True


def _quoted_outlets(toks: Sequence[Token]) -> Iterator[Candidate]:
    heads = outlet_heads()
    for i, tok in enumerate(toks):
        if tok.text not in _OPEN_QUOTES:
            continue
        j = i + 1
        while j < len(toks) and j - i <= 6 and toks[j].text not in _CLOSE_QUOTES:
            j += 1
        inner = toks[i + 1 : j]
        if j >= len(toks) or not inner or len(inner) > 5:
            continue
        if not all(_is_word(t) and (_capitalised(t) or t.text[0].isdigit()) for t in inner):
            continue
        words = [t.text.casefold() for t in inner]
        if any(w in heads or any(w.endswith(h) for h in heads if len(h) >= 4) for w in words):
            yield Candidate(inner[0].start, inner[-1].end, "ORG", "outlet")


def _name_end(toks: Sequence[Token], k: int, label: EntityType, limit: int = 4) -> int:
    """Index after the name starting at ``k`` (``k`` itself when there is none)."""
    j = k
    while j < len(toks) and j - k < limit:
        tok = toks[j]
        word = tok.text.casefold()
        if j > k and tok.start - toks[j - 1].end > 1:
            break
        if (
            _capitalised(tok)
            and _is_word(tok)
            and word not in stopwords()
            and not word.startswith(_WEEKDAYS)
        ):
            if role_of(tok.text) is not None or word in descriptors():
                break
            j += 1
        elif j > k and label != "PER" and tok.text.isdigit() and len(tok.text) <= 3:
            # "Puls 4", "Rossija 24" end with their number; "Tunis 21 Touristen" counts
            after = toks[j + 1] if j + 1 < len(toks) else None
            if after is None or not (_capitalised(after) and _is_word(after)):
                j += 1
            break
        elif (
            j > k
            and label == "PER"
            and word in _PARTICLES
            and j + 1 < len(toks)
            and _capitalised(toks[j + 1])
        ):
            j += 1
        else:
            break
    while j > k and toks[j - 1].text.casefold() in _PARTICLES:
        j -= 1
    return j


def _after_triggers(toks: Sequence[Token], german: bool = False) -> Iterator[Candidate]:
    """Names after a role or trigger noun. In German a noun is written with a capital, so
    a lower-case word is none ("wachsender Spannungen" holds no "Sender")."""
    desc = descriptors()
    for i, tok in enumerate(toks[:-1]):
        word = tok.text.casefold()
        if desc.get(word, ("",))[0] == "prefix":
            k = i + 2 if toks[i + 1].text.casefold() == "von" else i + 1
            end = _name_end(toks, k, "LOC", 3)
            if end > k:
                start = toks[i].start if k == i + 1 else toks[k].start
                yield Candidate(start, toks[end - 1].end, "LOC", "descriptor")
            continue
        if desc.get(toks[i + 1].text.casefold(), ("",))[0] == "suffix" and _capitalised(tok):
            start = i
            while (
                start > 0
                and i - start < 2
                and _capitalised(toks[start - 1])
                and toks[start - 1].text.casefold() not in stopwords()
            ):
                start -= 1
            yield Candidate(toks[start].start, toks[i + 1].end, "LOC", "descriptor")
            continue
        if german and not tok.text[:1].isupper():
            continue
        label = role_of(tok.text)
        if label is None or not _is_word(tok):
            continue
        k = i + 1
        while k < len(toks) - 1 and toks[k].text.casefold().rstrip(".") in _TITLES:
            k += 2 if toks[k + 1].text == "." else 1  # "Vorstandschef Dr. Klaus Murjahn"
        end = _name_end(toks, k, label, 4 if label == "PER" else 3)
        if end > k:
            yield Candidate(
                toks[k].start, toks[end - 1].end, label, "role" if label == "PER" else "trigger"
            )


def _offices(toks: Sequence[Token]) -> Iterator[Candidate]:
    """An office and its remit is a name even where the tagger saw none: "das Landesamt für
    Umwelt teilte mit" (the tagger knows "Landesamt" too rarely to tag it alone)."""
    for i in range(len(toks) - 2):
        tok = toks[i]
        if (
            len(tok.text) < 3
            or not _capitalised(tok)
            or not tok.text.casefold().endswith(REMIT_HEADS)
            or toks[i + 1].text != "für"
            or not _capitalised(toks[i + 2])
        ):
            continue
        end = i + 3
        if _remit_adjective(toks, i + 2):
            end += 1  # "Zentrum für Integrierte Quantenwissenschaften"
        if end + 1 < len(toks) and toks[end].text == "und" and _capitalised(toks[end + 1]):
            end += 2
            if _remit_adjective(toks, end - 1):
                end += 1
        yield Candidate(tok.start, toks[end - 1].end, "ORG", "office")


def _remit_adjective(toks: Sequence[Token], k: int) -> bool:
    """Whether the capitalised word at ``k`` is an adjective of the noun after it: it ends
    like one ("Integrierte", "Religiöse", "Höhere") and a capitalised word follows at once."""
    return (
        k + 1 < len(toks)
        and toks[k].text.endswith(("e", "en"))
        and _capitalised(toks[k + 1])
        and _is_word(toks[k + 1])
        and toks[k + 1].text.casefold() not in stopwords()
        and toks[k + 1].start - toks[k].end <= 1
    )


# role nouns that, as a compound's tail, name a business by what it makes or sends: the
# compound is a description ("Smartphone-Hersteller", "GPS-Sender", "Offshore-Firma")
_KIND_TAILS = frozenset({"hersteller", "firma", "sender"})


def _compounds(toks: Sequence[Token]) -> Iterator[Candidate]:
    """An organisation or place named by a hyphenated compound: an institution's head
    ("Sogang-Universität") or a role noun after a name ("Bild-Zeitung", "Mexiko-Stadt"); a
    country's abbreviation before a role noun describes ("US-Konzern", "US-Hauptstadt")."""
    heads = org_heads()
    for i, tok in enumerate(toks):
        if "-" not in tok.text or not _capitalised(tok):
            continue
        if i > 0 and toks[i - 1].text == "-" and toks[i - 1].end == tok.start:
            continue  # "26.000-Einwohner-Stadt": the compound goes on to the left
        first, _, tail = tok.text.rpartition("-")
        if len(first) < 2 or not tail:
            continue
        if tail.casefold() in heads:
            yield Candidate(tok.start, tok.end, "ORG", "compound")
            continue
        label = roles().get(tail.casefold())
        if (
            label in ("LOC", "ORG")
            and tail.casefold() not in _KIND_TAILS
            and first not in country_codes()
        ):
            yield Candidate(tok.start, tok.end, label, "compound")
