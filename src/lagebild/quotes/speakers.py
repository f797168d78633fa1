"""Speakers resolved within the article: names from role phrases, pronouns, role nouns, short names.

"der russische Präsident Wladimir Putin" → "Wladimir Putin"; "Er" → the last person who
spoke; "die Zeitung" → the last outlet that spoke; "Kim" → the nearest full name in the
article that starts or ends with "Kim" (so "Kim Jae-chun" is never folded into "Kim Jong-un"
unless he is that nearest one). When the entities stage found a mention covering the speaker,
its entity id is used.
"""

from __future__ import annotations

import dataclasses
import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache

from lagebild.model import Mention, Sentence
from lagebild.quotes.lexicon import Lexicon
from lagebild.quotes.speaker_type import WORD_CACHE, possessive_pronoun

_WORD = re.compile(r"[^\W\d_][\w'’.-]*")
_NAME_RUN = re.compile(
    r"(?<![\w-])(?:[A-ZÄÖÜ][\w'’-]*(?:[ \u00a0]+(?:von|van|de|al|bin)[ \u00a0]+)?[ \u00a0]*){2,4}"
)


@dataclass(frozen=True, slots=True)
class Speaker:
    """A speaker as written and as resolved."""

    text: str
    name: str
    kind: str | None  # "person", "media", "org", "group" (people) or None when unknown
    start: int  # character offset of the phrase (for recency)
    entity: str | None = None
    named: bool = True  # False for pronouns and bare role nouns


# a nominalised age, "der 48-Jährige", "einer 19-Jährigen": a person, known by age only
_AGE = re.compile(r"(?:(?P<det>[A-Za-z]+)\s+)?(?P<noun>\d+-[Jj]ährige[nr]?)")
_PERSONAL = frozenset({"er", "sie"})  # pronouns for a person who just spoke
_BOTH = frozenset({"beide", "beiden", "both"})  # "beide Seiten" names both parties at once


def _tokens(text: str) -> list[str]:
    return _WORD.findall(text.replace("„", " ").replace("“", " ").replace('"', " "))


def _after_number(text: str) -> set[int]:
    """Indexes (in ``_tokens(text)``) of the words that follow a number ("39 Jahre")."""
    clean = text.replace("„", " ").replace("“", " ").replace('"', " ")
    return {
        i
        for i, m in enumerate(_WORD.finditer(clean))
        if re.search(r"\d[\d.,]*\s*$", clean[: m.start()])
    }


def describe(text: str, start: int, lex: Lexicon) -> Speaker:
    """Split a speaker phrase into role and name: "Kreml-Sprecher Dmitri Peskow" → "Dmitri Peskow"."""
    head = text.split(",", 1)[0]
    words = _tokens(head)
    if (
        len(words) > 2
        and words[0] in lex.attribution_nouns
        and (
            words[1].lower() in lex.cls("determiners")
            or words[1].lower() in ("aus", "von")
            or (words[1].endswith("er") and words[1][:1].islower() and words[2][:1].isupper())
        )
    ):
        # "Angaben des Ministeriums", "Angaben aus Regierungskreisen": the rest names it (with
        # its article, so "Angaben des Ministers" is the minister named before)
        second = text.find(words[1], text.find(words[0]) + len(words[0]))
        rest = (
            text.find(words[2], second + len(words[1]))
            if words[1].lower() in ("aus", "von")
            else second  # its article, or "lokaler" of "Angaben lokaler Medien"
        )
        return describe(text[rest:], start + rest, lex)
    if len(words) == 1 and words[0].lower() in lex.pronouns:
        return Speaker(text, "", lex.pronouns[words[0].lower()], start, named=False)
    clitic = words[0].lower().rpartition("-") if len(words) == 1 and lex.svo else ("", "", "")
    if clitic[1] and clitic[2] in lex.pronouns:  # "affirme-t-elle": the speaker is "elle"
        return Speaker(text, "", lex.pronouns[clitic[2]], start, named=False)
    owner = possessive_pronoun(words[0], lex.lang) if len(words) == 1 else None
    if owner in lex.pronouns:  # "ihrer" of "aus ihrer Sicht": resolved like "sie"
        return Speaker(text, "", lex.pronouns[owner], start, named=False)
    if lex.svo:
        return _describe_english(text, words, start, lex)
    age = _AGE.fullmatch(head.strip())
    if age is not None:  # "der 48-Jährige": a person named before; "ein 48-Jähriger": someone
        if age["det"] and age["det"].lower() not in _INDEFINITE:
            return Speaker(text, "", "person", start, named=False)
        return Speaker(text, age["noun"], "person", start)
    if len(words) == 2 and words[0].lower() in _BOTH:
        return Speaker(text, " ".join(words), None, start)  # "beide Seiten": as written
    if _coordination(words, lex):  # "Bahn und GDL": both speak, named as written
        plain = [w for w in words if w.lower() not in lex.cls("determiners")]
        return Speaker(text, " ".join(plain), None, start)
    kind = None
    name: list[str] = []
    after_role = False
    role_word = ""
    measures = _after_number(head)
    bracket = len(_tokens(head.split("(", 1)[0]))  # the words before a bracket
    for i, w in enumerate(words):
        if name and i >= bracket:
            break  # "Hans Peter Doskozil (SPÖ)": the party is no part of the name
        if w.endswith("-") or (i and words[i - 1].endswith("-") and w in ("und", "oder")):
            continue  # "Wirtschaftsprüfungs- und Beratungsgesellschaft PwC": no name part
        role = _role_kind(w, lex) if w[:1].isupper() else None
        if role is not None:
            kind, name, after_role, role_word = role, [], True, w
            continue
        if i == 0 and len(words) > 1 and words[1][:1].islower() and _lemma(w)[:1].islower():
            continue  # "Mehrere japanische TV-Sender": a capitalised first word, no name
        if not name and i in measures:
            continue  # "Eine 39 Jahre alte Frau": a measure after a number names no one
        if (
            (w[:1].isupper() and not _closed(w, lex))
            or (name and w in ("von", "van", "de", "al", "bin"))
            or (name and w in ("der", "den", "ter") and name[-1].lower() in ("van", "von", "de"))
        ):
            name.append(w)
        elif name or (
            after_role
            and (w.lower() in lex.cls("determiners") or w.lower() in lex.cls("prepositions"))
        ):
            break  # a genitive or preposition after the name (or the role) ends it
    if name and len(name) == 1 and name[0].endswith("s") and kind and "," in text:
        # "Die Pressesprecherin Nawalnys, Kira Jarmysch": the name after the genitive owner
        app = describe(text.split(",", 1)[1], start, lex)
        if len(app.name.split()) >= 2 and app.named:
            return Speaker(text, app.name, app.kind or kind, start)
    if not name and "," in text:  # "Yonhap, die südkoreanische Nachrichtenagentur"
        app = describe(text.split(",", 1)[1], start, lex)
        return Speaker(text, app.name, app.kind or kind, start, named=app.named)
    det = words[0].lower() if words and words[0].lower() in lex.cls("determiners") else ""
    if not name:
        if kind in ("person", "media") and det and det not in _INDEFINITE:
            if kind == "person" and _plural(det, role_word):
                return Speaker(text, " ".join(base_form(words[1:], det, lex)), "group", start)
            return Speaker(text, "", kind, start, named=False)  # "die Zeitung": resolve it
        plain = words[1:] if det else words
        return Speaker(text, " ".join(base_form(plain, det, lex)), kind, start)
    name = base_form([w.replace("\u00a0", " ") for w in name], det, lex)
    return Speaker(text, _nominative(" ".join(name), lex), kind, start)


def _role_kind(word: str, lex: Lexicon) -> str | None:
    """``lex.role_kind``, and compounds of a four-letter role noun ("Fraktionschef",
    "Klubchef", "Tierarzt"), which the lexicon's compound tails (five letters and more, and
    shared with the quote model's features) leave out."""
    kind = lex.role_kind(word)
    if kind is not None:
        return kind
    low = word.rsplit("-", 1)[-1].lower()
    return next(
        (k for noun, k in lex.roles.items() if len(noun) == 4 and low.endswith(noun.lower())
         and len(low) >= 7),
        None,
    )  # fmt: skip


def _plural(det: str, noun: str) -> bool:
    """ "die Forscher", "die beiden Politiker", "den Ermittlern", "der Abgeordneten": a group,
    which no one person's name stands for ("die Sprecherin", "die Vorsitzende" are one)."""
    low = noun.lower()
    if det == "die":
        return not low.endswith(("in", "e"))
    return det in ("den", "der", "des") and low.endswith(("en", "ern")) and det != "des"


def _coordination(words: list[str], lex: Lexicon) -> bool:
    """ "Bahn und GDL", "die Polizei und die Feuerwehr": two capitalised parts joined by
    "und", each a word or two, no role noun naming one person in them."""
    if "und" not in words or len(words) > 6:
        return False
    i = words.index("und")
    left, right = words[:i], words[i + 1 :]
    if left and left[-1].endswith("-"):
        return False  # "Kinder- und Jugendanwalt": one compound, not two speakers
    parts = [[w for w in p if w.lower() not in lex.cls("determiners")] for p in (left, right)]
    return all(p and len(p) <= 2 and all(w[:1].isupper() for w in p) for p in parts) and not any(
        lex.role_kind(w) == "person" for p in parts for w in p
    )


_INDEFINITE = frozenset({"ein", "eine", "einer", "einem", "einen", "eines"})
# nouns whose plural ends in -en whatever the case: "Menschen", "Experten", "Polizisten"
_WEAK = ("sch", "ist", "ent", "ant", "at", "oge", "graf", "e", "or")
# "des Ministers", "einem Beamten", "seines Arztes"
_SINGULAR = frozenset(
    {"des", "eines", "dem", "einem"}
    | {f"{p}{e}" for p in ("mein", "dein", "sein", "ihr", "unser", "euer") for e in ("es", "em")}
)


@lru_cache(maxsize=WORD_CACHE)
def _lemma(word: str) -> str:
    # here, not with the module: a dossier reads this module, never lemmatises
    from lagebild.text.lemma import lemmatize

    return lemmatize(word, "de")


@lru_cache(maxsize=WORD_CACHE)
def _known(word: str) -> bool:
    from lagebild.text.lemma import is_known

    return is_known(word, "de")


def _noun_base(word: str, det: str) -> str:
    """A German noun in the nominative, its number kept: "Beobachtern" -> "Beobachter",
    "Medienberichten" -> "Medienberichte", "des Verteidigungsministeriums" ->
    "Verteidigungsministerium", "einem Kripo-Beamten" -> "Kripo-Beamte"; a name or a word
    the lemmatiser does not know stays as written."""
    head, dash, last = word.rpartition("-")
    if not last[:1].isupper() or len(last) < 4:
        return word
    lemma = _lemma(last)
    if not _known(last) or not lemma[:1].isupper():
        if det in ("des", "eines") and last.endswith("s") and _known(last[:-1]):
            return head + dash + last[:-1]  # "des Tagesspiegels"
        return word
    base = last
    if det in ("", "den") and last.endswith(("ern", "eln")) and lemma == last[:-1]:
        base = last[:-1]  # dative plural: "Beobachtern"
    elif det in _SINGULAR and last in (lemma + "s", lemma + "es", lemma + "n", lemma + "en"):
        base = lemma  # genitive or weak singular: "Ministeriums", "Präsidenten"
    elif (
        det in ("", "den")
        and last.endswith("n")
        and last[:-1] != lemma
        and not lemma.endswith(_WEAK)
        and _known(last[:-1])
        and _lemma(last[:-1]) == lemma
    ):
        base = last[:-1]  # dative plural: "Berichten", "Einsatzkräften" (not "Menschen")
    return head + dash + base


def _adjective_base(word: str) -> str:
    """An inflected adjective as it stands before a noun whose article a heading drops:
    "russischen" -> "russische", "Deutschen" (Bahn) -> "Deutsche"."""
    low = word.lower()
    if not low.isalpha():
        return word
    from lagebild.text.lemma import lemmatize

    lemma = lemmatize(low, "de")
    ending = low[len(lemma) :]
    endings = ("en", "em") if word[:1].isupper() else ("en", "em", "er", "es")
    if not lemma[:1].islower() or not low.startswith(lemma) or ending not in endings:
        return word  # "Islamischer Staat", "Weißes Haus": part of a name
    out = lemma + "e"
    return out[:1].upper() + out[1:] if word[:1].isupper() else out


def base_form(words: Sequence[str], det: str, lex: Lexicon) -> list[str]:
    """A speaker phrase as a heading names it, in the nominative ("russischen
    Verteidigungsministeriums" of "Angaben des russischen Verteidigungsministeriums" ->
    "russische Verteidigungsministerium"; "Beobachtern" of "Beobachtern zufolge" ->
    "Beobachter"). German only; a person's name stays as written."""
    if lex.lang != "de":
        return list(words)
    closed = lex.cls("determiners") | lex.cls("prepositions")
    cut = next((i for i, w in enumerate(words) if i and w.lower() in closed), len(words))
    out = []
    for i, w in enumerate(words[:cut]):
        nxt = words[i + 1] if i + 1 < len(words) else ""
        if w[:1].islower() or (nxt[:1].isupper() and _adjective_base(w) != w):
            out.append(_adjective_base(w) if w[:1].isalpha() else w)
        elif w[:1].isupper():
            out.append(_noun_base(w, det))
        else:
            out.append(w)
    return [*out, *words[cut:]]  # "Sprecher des Airports": the genitive stays one


def heading(text: str, lex: Lexicon) -> str:
    """How a story's statements name a speaker the article never resolved: the phrase in
    its base form ("Angaben des Ministers" -> "Minister", "der Sprecher des Krisenstabes"
    -> "Sprecher des Krisenstabes")."""
    words = text.split()
    if len(words) > 1 and words[0] in lex.attribution_nouns:
        words = words[1:]
    det = words[0].lower() if words and words[0].lower() in lex.cls("determiners") else ""
    if det and len(words) > 1:
        words = words[1:]
    return " ".join(base_form(words, det, lex)) or text


# A German compound's linking "s" after these endings ("Regierungsangaben": Regierung).
_LINKING_S = ("ungs", "ions", "täts", "heits", "keits", "schafts", "tums")
# Attribution nouns that name a group of people themselves ("Regierungskreise",
# "Sicherheitsquellen"): kept as written.
_GROUP_TAILS = ("kreise", "quelle")


def source_owner(name: str, lex: Lexicon) -> str:
    """Who a source phrase names when it is a report, not a speaker: the owner of a compound
    ("Behördenangaben von Freitag" -> "Behörden", "Medienberichte" -> "Medien",
    "Regierungsangaben" -> "Regierung"), nobody for a bare one ("Angaben", "Berichte": ""),
    else ``name`` as it is. A speaker is a person, a body or a role, never a document."""
    words = name.split()
    if lex.lang != "de" or not words:
        return name
    head = words[0].lower()
    tails = {a.lower().removesuffix("n") for a in lex.attribution_nouns}
    tails |= {"bericht", "berichte", "angabe", "angaben", "meldung", "meldungen"}
    stem = head.removesuffix("n")
    found = [t for t in tails if stem.endswith(t)]
    if not found or any(t.startswith(_GROUP_TAILS) for t in found):
        return name
    # the longest tail that leaves an owner ("Medienberichte": Medien + berichte)
    owned = [
        t
        for t in found
        if len(stem) - len(t) >= 2 and stem[: len(stem) - len(t)] not in lex.cls("determiners")
    ]  # not "Ein|schätzung"
    if not owned:
        # "Angaben", "Berichte vom Freitag": told, but by nobody named; "Aussagen von Zeugen"
        # by the witnesses ("Angaben des Ministers" keeps its owner through ``heading``)
        rest = words[2:] if len(words) > 2 and words[1].lower() in ("von", "vom") else []
        if rest and rest[0][:1].isupper() and not _time_word(rest[0], lex.lang):
            return " ".join(rest)
        return "" if len(words) == 1 or words[1].lower() in ("von", "vom", "am") else name
    best = max(owned, key=len)
    prefix = words[0][: len(stem) - len(best)].rstrip("-")
    if len(prefix) < 3 and not prefix.isupper():
        return name
    if prefix.lower().endswith(_LINKING_S) or (
        prefix.endswith("s") and _lemma(prefix) == prefix[:-1]
    ):
        prefix = prefix[:-1]  # "Regierungs|angaben", "Unternehmens|angaben"
    return prefix[:1].upper() + prefix[1:]


def _time_word(word: str, lang: str) -> bool:
    """A weekday, a month, a day word or a date after "von" ("Angaben von Freitag")."""
    low = word.lower().rstrip(".,")
    return low[:1].isdigit() or low in _time_words(lang)


@cache
def _time_words(lang: str) -> frozenset[str]:
    """The time stage's month, weekday and day words ("Freitag", "März", "gestern")."""
    from lagebild.time.rules import ruleset

    tables = ruleset(lang).tables
    names = ("month", "weekday", "deictic")
    return frozenset(w.lower().rstrip(".") for n in names for w in tables.get(n, ()))


def _nominative(name: str, lex: Lexicon) -> str:
    """ "aus Regierungskreisen": the circles a report cites, named as such ("Regierungskreise"),
    not in the dative the preposition gave them."""
    if lex.lang == "de" and " " not in name and name.endswith("kreisen") and len(name) > 7:
        return name[:-1]
    return name


def _describe_english(text: str, words: list[str], start: int, lex: Lexicon) -> Speaker:
    """English puts the name last, after lower-case descriptors: "German lighting maker
    Lumetra AG", "Chief executive Henrik Sauer"; without a name at the end the phrase itself
    names the speaker ("the German government")."""
    kind = next((k for w in words if (k := lex.role_kind(w.lower())) is not None), None)
    run: list[str] = []
    for i in range(len(words) - 1, -1, -1):
        w = words[i]
        if (w[:1].isupper() and not _closed(w, lex) and lex.role_kind(w.lower()) is None) or (
            run
            and w.lower() in ("von", "van", "de", "al", "bin")
            and i > 0
            and words[i - 1][:1].isupper()
        ):  # a particle inside a name ("Charles de Gaulle"), not "le patron de Ryanair"
            run.insert(0, w)
        else:
            break
    if run:
        return Speaker(text, " ".join(run), kind, start)
    plain = [w for w in words if w.lower() not in lex.cls("determiners")]
    definite = bool(words) and words[0].lower() in lex.cls("determiners")
    if kind in ("person", "media") and definite and len(plain) == 1:
        return Speaker(text, "", kind, start, named=False)  # "the spokesman": resolve it
    return Speaker(text, " ".join(plain), kind, start)


def known_names(text: str, lex: Lexicon, title: str = "") -> list[tuple[int, str]]:
    """Multi-word names in title and text ("Kim Jong-un"), role nouns and function words cut off."""
    out = []
    for offset, source in ((-1, title), (0, text)):
        for m in _NAME_RUN.finditer(source.replace("\u00a0", " ")):
            words = [w for w in m.group(0).split() if w]
            while words and (lex.role_kind(words[0]) or _closed(words[0], lex)):
                words.pop(0)
            while len(words) > 2 and words[1] in _PARTICLES and _common(words[0]):
                words = words[2:]  # "Fortführung von Galeria": a noun and its object
            if len(words) >= 2:
                words[0] = _adjective_base(words[0])  # "der Deutschen Bahn": Deutsche Bahn
                out.append((offset if offset < 0 else m.start(), " ".join(words)))
    return out


_PARTICLES = frozenset({"von", "van", "de", "al", "bin"})
_ABSTRACT = ("ung", "heit", "keit", "schaft", "tion", "ität", "nis", "tum")


def _common(word: str) -> bool:
    """An abstract noun ("Fortführung", "Entwicklung"): no first name (simplemma knows
    first names as words too, so only the endings tell)."""
    return word.lower().endswith(_ABSTRACT)


def _closed(word: str, lex: Lexicon) -> bool:
    low = word.lower()
    return any(low in ws for ws in lex.words.values()) or low in lex.before or low in lex.after


def _key(name: str) -> str:
    return name.casefold().replace("-", " ")


def resolve(
    speakers: Sequence[Speaker],
    names: Sequence[tuple[int, str]],
    mentions: Sequence[Mention],
    lex: Lexicon | None = None,
) -> list[Speaker]:
    """Each speaker with ``name`` (and ``entity``) filled from the article where possible."""
    out: list[Speaker] = []
    found = _mention_names(mentions)
    entities = [_entity(sp, mentions) for sp in speakers]
    written: dict[str, set[tuple[str, str]]] = {}  # entity -> how its mentions write it
    for m in mentions:
        if m.entity_id and m.source != "coref" and m.label in ("PER", "ORG"):
            written.setdefault(m.entity_id, set()).add((" ".join(m.text.split()), m.label))
    phrased: dict[str, set[str]] = {}  # entity -> the names speaker phrases give it
    for sp, entity in zip(speakers, entities, strict=True):
        if entity is not None and sp.named:
            phrased.setdefault(entity[0], set()).add(sp.name)
    for sp, entity in zip(speakers, entities, strict=True):
        resolved = sp
        stems = _role_stems(sp, lex) if lex else ()
        if not sp.text:
            resolved = sp
        elif not sp.named:
            resolved = _antecedent(sp, out, stems)
        elif len(sp.name.split()) == 1 and entity is not None:
            # a name the entities stage found: how the article (or a speaker before) writes
            # that entity at its fullest, never a capitalised run around it ("Geschichte von
            # Apple", "Trump Tower")
            # (else as another speaker phrase names it: "Ahmet Davutoğlu" … "sagte Davutoğlu")
            own = [f for f, label in written.get(entity[0], ()) if _fits(sp.name, f, label)]
            same = [f for f in phrased.get(entity[0], ()) if _fits(sp.name, f)]
            full = max(own, key=lambda f: (f.endswith(sp.name), *_fullness(f), f), default="")
            entity = (
                entity[0],
                full or min(same, key=lambda f: (*_fullness(f), f), default=entity[1] or sp.name),
            )
        elif (
            len(sp.name.split()) == 1
            and sp.kind == "org"
            and (seat := _with_seat(sp, mentions)) is not sp
        ):
            resolved = seat  # never a place's full name: "Kantonspolizei Wallis"
        elif len(sp.name.split()) == 1 and sp.kind != "group":  # "Forscher" is no surname
            full = _full_name(sp.name, sp.start, found, out)
            if full == sp.name:
                full = _full_name(sp.name, sp.start, names, out)
            resolved = Speaker(sp.text, full, sp.kind, sp.start, named=True)
        if entity is not None and stems and resolved.name:
            # a role noun a speaker introduced with that role resolved keeps that (the
            # entities stage's coreference tied "Der Minister" of Lawrow's statements to Kerry)
            resolved = dataclasses.replace(resolved, named=True)
        elif entity is not None:
            resolved = Speaker(
                resolved.text,
                entity[1] or resolved.name,
                resolved.kind,
                resolved.start,
                entity[0],
                True,
            )
        out.append(resolved)
    return out


def _mention_names(mentions: Sequence[Mention]) -> list[tuple[int, str, str]]:
    """The article's names of people and bodies of two words or more, as the entities stage
    found them ("Usain Bolt", not the capitalised run "Weltrekord von Bolt"), with their label."""
    return [
        (m.start, " ".join(m.text.split()), m.label)
        for m in mentions
        if m.label in ("PER", "ORG") and m.source != "coref" and len(m.text.split()) > 1
    ]


def _full_name(
    short: str,
    start: int,
    names: Sequence[tuple[int, str]] | Sequence[tuple[int, str, str]],
    seen: Sequence[Speaker],
) -> str:
    """The nearest earlier full name ending or starting with ``short`` (else the first later
    one); ``names`` may carry the entities stage's label ("Universität Göttingen", an ORG)."""
    fitting = [(n[0], n[1]) for n in names if _fits(short, n[1], *n[2:])]
    before = [(pos, n) for pos, n in fitting if pos < start]
    before += [(sp.start, sp.name) for sp in seen if sp.start < start and _fits(short, sp.name)]
    if before:
        return max(before, key=lambda x: x[0])[1]
    after = [(pos, n) for pos, n in fitting if pos >= start]
    return min(after, key=lambda x: x[0])[1] if after else short


def _antecedent(sp: Speaker, seen: Sequence[Speaker], stems: tuple[str, ...] = ()) -> Speaker:
    """The last named speaker compatible with a pronoun or a bare role noun; a person's role
    noun ("die Ministerin") only takes a speaker introduced with that role, recency alone
    would hand the minister's words to the last person quoted."""
    for prev in reversed(seen):
        if not prev.named or not prev.name:
            continue
        if prev.text.split(" ", 1)[0].casefold() in _INDEFINITE:
            continue  # "ein Polizeisprecher" introduces no one "der Sprecher" refers back to
        if stems and not any(w.casefold().endswith(stems) for w in _tokens(prev.text)):
            continue
        if sp.kind == "person" and prev.kind not in (None, "person"):
            continue
        if sp.kind in ("media", "org") and prev.kind == "person":
            continue
        return Speaker(sp.text, prev.name, prev.kind or sp.kind, sp.start, prev.entity, named=False)
    return sp


def _with_seat(sp: Speaker, mentions: Sequence[Mention]) -> Speaker:
    """An authority named by its seat is named with its noun: "die Kantonspolizei Wallis",
    "die Generalstaatsanwaltschaft Naumburg" are not Wallis or Naumburg, where the article
    writes that word as a place ("im Kanton Wallis"); "die Nachrichtenagentur Anadolu" is
    Anadolu."""
    place = any(
        m.label == "LOC" and m.text.split()[-1] == sp.name and m.source != "coref" for m in mentions
    )
    words = sp.text.split()
    if not place or sp.name not in words or words.index(sp.name) == 0:
        return sp
    noun = words[words.index(sp.name) - 1]
    if not noun[:1].isupper():
        return sp
    return dataclasses.replace(sp, name=f"{noun} {sp.name}")


def _entity(sp: Speaker, mentions: Sequence[Mention]) -> tuple[str, str] | None:
    """The entity the speaker span names: the mention written as the speaker's name, else a
    person in it, else its last name ("Aerosyn-Chefin Jana Petersen" is Petersen, not
    Aerosyn)."""
    end = sp.start + len(sp.text)
    inside = [
        m
        for m in mentions
        if m.entity_id and m.start >= sp.start and m.end <= end and m.label in ("PER", "ORG")
    ]
    if not inside:
        return None
    head = _head_person(sp, inside)
    if head is not None and not sp.name.endswith(" ".join(head.text.split())):
        return head.entity_id or "", _fullest(head, mentions)
    if head is not None:
        return head.entity_id or "", _entity_name(head, mentions, sp.name)
    named = [m for m in inside if sp.name and m.text in sp.name]
    people = [m for m in inside if m.label == "PER"]
    # a person named with the party after him ("Hans Peter Doskozil (SPÖ)") is the person
    best = ([m for m in named if m.label == "PER"] or named or people or inside)[-1]
    return best.entity_id or "", _entity_name(best, mentions, sp.name)


_ARTICLES = frozenset({"der", "die", "das", "des", "dem", "den", "ein", "eine", "einem", "einen"})
_OWNER_WORDS = frozenset({"von", "vom", "bei", "für", "aus"})


def _head_person(sp: Speaker, inside: Sequence[Mention]) -> Mention | None:
    """The person a speaker phrase ends with, when the phrase names that person and not
    someone of theirs: right after a title ("Badawis nach Kanada geflüchtete Ehefrau Ensaf
    Haidar", "der Chef des Gasmonopolisten Naftogas Andrej Kobolew") or a comma ("der
    UN-Hochkommissar für Menschenrechte, Zeid Raad al-Hussein"); not after an owner's
    article or "von" ("die Sprecherin der EU-Außenbeauftragten Federica Mogherini", "Ein
    Sprecher von Erwin Pröll"). A bracket after the name ("(SPÖ)", "(63)") does not count."""
    end = sp.start + len(sp.text.split(" (", 1)[0].rstrip())
    last = [
        m
        for m in inside
        if m.label == "PER" and m.source != "coref" and m.end == end and m.start > sp.start
    ]
    if not last:
        return None
    prefix = sp.text[: last[-1].start - sp.start]
    if prefix.rstrip().endswith(","):
        return last[-1]
    words = _tokens(prefix)
    if not words or not words[-1][:1].isupper():
        return None
    k = len(words) - 2  # before the title: its adjectives and capitalised words, then
    while k >= 0 and (words[k][:1].isupper() or _adjective(words[k])):
        k -= 1  # ("Badawis nach Kanada geflüchtete", "von Baden-Württembergs")
    if k < 0 or (k == 0 and words[k] in _ARTICLES) or words[k] not in _OWNER_WORDS | _ARTICLES:
        return None if k >= 0 and words[k] == "und" else last[-1]  # not "Jan Koum und …"
    return None  # "der EU-Außenbeauftragten", "von Baden-Württembergs Verkehrsminister"


def _adjective(word: str) -> bool:
    return (
        word[:1].islower()
        and word not in _ARTICLES
        and word not in _OWNER_WORDS
        and word.endswith(("e", "en", "er", "es", "em"))
    )


def _entity_name(best: Mention, mentions: Sequence[Mention], name: str) -> str:
    """How the article names the entity at its fullest, when the speaker phrase names it by
    that mention alone ("Bolt" -> "Usain Bolt", "Hans Peter Doskozil" of "Doskozil (SPÖ)")
    or by a role noun the entities stage's coreference tied to it ("der Außenminister");
    "" otherwise ("Sprecher von Erwin Pröll" is not Pröll)."""
    short = " ".join(best.text.split())
    if best.source == "coref":
        forms = _forms(best, mentions)
        return (
            max(forms, key=lambda f: (len(f.split()), len(f), f), default="")
            if name in ("", short)
            else ""
        )
    return _fullest(best, mentions) if name == short else ""


def _forms(m: Mention, mentions: Sequence[Mention]) -> set[str]:
    """How the article writes the entity of ``m`` (not the role nouns coreference tied to it)."""
    return {
        " ".join(o.text.split())
        for o in mentions
        if o.entity_id == m.entity_id and o.label == m.label and o.source != "coref"
    }


def _fullest(m: Mention, mentions: Sequence[Mention]) -> str:
    """The longest way the article writes the entity of ``m`` that ends (else starts) with
    ``m``'s words ("Kim" -> "Kim Jong-un", "Bolt" -> "Usain Bolt"); ``m`` itself if none."""
    short = " ".join(m.text.split())
    fits = [f for f in _forms(m, mentions) if f.endswith(" " + short) or _first_name(short, f)]
    return max(fits, key=lambda f: (f.endswith(short), len(f.split()), len(f), f), default=short)


def _fullness(name: str) -> tuple[int, int]:
    return len(name.split()), len(name)


def _fits(short: str, full: str, label: str = "PER") -> bool:
    """``full`` is a longer name of ``short``: it ends with it ("Usain Bolt", "Jean-Claude
    Juncker" of "Juncker") or starts with it ("Kim Jong-un"; an organisation's name may go on
    with a noun: "Universität Göttingen")."""
    parts = full.split()
    first = full.startswith(short + " ") if label == "ORG" else _first_name(short, full)
    return len(parts) > 1 and (first or parts[-1] == short or parts[-1].endswith("-" + short))


def _first_name(short: str, full: str) -> bool:
    """ "Kim Jong-un", "Xi Jinping": a name that starts with ``short`` and goes on with no
    common noun ("Varoufakis Antwort", "Strache Orden" are a name and the next word)."""
    if not full.startswith(short + " ") or any(
        w[:1].islower() and w not in _PARTICLES and "-" not in w for w in full.split()
    ):
        return False
    last = full.split()[-1]
    return not (_known(last) and _lemma(last)[:1].isupper())


BACK = 4  # sentences a pronoun looks back for its person when the one before names no one


def resolve_pronouns(
    speakers: Sequence[Speaker],
    sentences: Sequence[Sentence],
    mentions: Sequence[Mention],
    lex: Lexicon | None = None,
) -> list[Speaker]:
    """A pronoun speaker ("sagte er") is the first person named in its own sentence before
    it, else the first person named in the sentence before: the subject there, which is
    usually who "er" means, even when that person's own statement was not recognised. A
    role someone holds ("seiner Sprecherin") is not that someone: ``resolve_role_nouns``."""
    people = [m for m in mentions if m.label == "PER" and m.entity_id]
    starts = [s.start for s in sentences]
    out = []
    for sp in speakers:
        if sp.named or sp.kind not in (None, "person") or not sp.text or sp.start < 0:
            out.append(sp)
            continue
        if lex is not None and _owned_role(sp, lex):
            out.append(sp)
            continue
        i = bisect_right(starts, sp.start) - 1
        named = _apposition(sp, sentences[i], people) if i >= 0 else None
        if named is not None:  # "nach Angaben des Präsidenten von Nacional, Alejandro Balbi,"
            out.append(
                Speaker(sp.text, _fullest(named, mentions), "person", sp.start, named.entity_id)
            )
            continue
        lo = _bounds(sentences, i - 1)[0] if i > 0 else 0
        spoke = next(
            (p for p in reversed(out) if p.named and p.name and p.kind == "person"
             and lo <= p.start < sp.start),
            None,
        ) if sp.text.casefold() in _PERSONAL else None  # fmt: skip
        if spoke is not None:  # "…, sagte Kira Jarmysch. Sie erklärte, …": who just spoke
            out.append(Speaker(sp.text, spoke.name, "person", sp.start, spoke.entity, False))
            continue
        found = None
        for lo, hi in ((starts[i] if i >= 0 else 0, sp.start), _bounds(sentences, i - 1)):
            inside = [m for m in people if lo <= m.start and m.end <= hi]
            if inside:
                found = inside[0]
                break
        if found is None and _personal(sp):
            # "Zudem warf er Polen … vor. …, sagte er.": the sentences before name no one, so
            # "er" goes on with whom they go on with: the last person who spoke or was named
            # further back
            earlier = _further_back(sp, out, people, sentences, i)
            if isinstance(earlier, Speaker):
                out.append(earlier)
                continue
            found = earlier
        out.append(
            sp
            if found is None
            else Speaker(
                sp.text, _fullest(found, mentions), "person", sp.start, found.entity_id, False
            )
        )
    return out


def _apposition(sp: Speaker, sentence: Sentence, people: Sequence[Mention]) -> Mention | None:
    """The person named between commas right after a role noun ("des Präsidenten von
    Nacional, Alejandro Balbi, …"): that role's holder, not whoever the sentences before
    name. Only for a phrase of a role, never a pronoun ("sagte er, Merz …")."""
    if sp.text.casefold() in _PERSONAL or len(sp.text.split()) < 2:
        return None
    end = sp.start + len(sp.text)
    toks = [t for t in sentence.tokens if t.start >= end]
    if len(toks) < 2 or toks[0].text != "," or toks[0].start != end:
        return None
    person = next((m for m in people if m.start == toks[1].start), None)
    if person is None:
        return None
    after = [t for t in toks if t.start >= person.end]
    return person if not after or after[0].text in {",", ".", ")"} else None


def _personal(sp: Speaker) -> bool:
    """ "er", "sie", "der 47-Jährige": one person who was named or spoke before."""
    return sp.text.casefold() in _PERSONAL or _AGE.fullmatch(sp.text.strip()) is not None


def _further_back(
    sp: Speaker,
    seen: Sequence[Speaker],
    people: Sequence[Mention],
    sentences: Sequence[Sentence],
    i: int,
) -> Speaker | Mention | None:
    """The person a pronoun in sentence ``i`` means when the sentence before names no one:
    in the nearest of the ``BACK`` sentences before that naming one, the last person who
    spoke there, else the first person named there."""
    for k in range(i - 2, max(-1, i - 1 - BACK), -1):
        lo, hi = _bounds(sentences, k)
        spoke = [
            p for p in seen if p.named and p.name and p.kind == "person" and lo <= p.start < hi
        ]
        if spoke:
            return dataclasses.replace(spoke[-1], text=sp.text, start=sp.start, named=False)
        inside = [m for m in people if lo <= m.start and m.end <= hi]
        if inside:
            return inside[0]
    return None


def resolve_role_nouns(
    speakers: Sequence[Speaker], text: str, mentions: Sequence[Mention], lex: Lexicon
) -> list[Speaker]:
    """ "Nach Angaben des Ministers" is the person the article introduced with that role
    ("Innenminister Felix Aumann"), not the last person quoted: the latest person named
    right after a word ending in the role noun."""
    people = [m for m in mentions if m.label == "PER" and m.entity_id and " " in m.text]
    out = []
    for sp in speakers:
        stems = _role_stems(sp, lex)
        owned = bool(stems) and _owned_role(sp, lex)
        found = None
        for m in people if stems else ():
            if m.start >= sp.start and (not owned or found is not None):
                break
            before = text[max(0, m.start - 40) : m.start].split()
            if before and before[-1].casefold().endswith(stems):
                found = m
        if found is None and owned:
            # "nach Angaben seiner Sprecherin": his spokeswoman, whom the article never names
            role = next(w for w in _tokens(sp.text) if w.casefold().startswith(stems))
            out.append(Speaker(sp.text, role, "person", sp.start, None, True))
            continue
        out.append(
            sp
            if found is None
            else Speaker(
                sp.text, _fullest(found, mentions), "person", sp.start, found.entity_id, False
            )
        )
    return out


def _owned_role(sp: Speaker, lex: Lexicon) -> bool:
    """ "seiner Sprecherin", "ihr Anwalt": a role held for the person the possessive names,
    so not that person; the one the article introduces with the role ("Sprecherin Kira
    Jarmysch", before or after), else the role itself."""
    words = _tokens(sp.text)
    return (
        len(words) == 2
        and possessive_pronoun(words[0], lex.lang) is not None
        and bool(_role_stems(sp, lex))
    )


def _role_stems(sp: Speaker, lex: Lexicon) -> tuple[str, ...]:
    """Forms of the person role noun an unnamed speaker phrase consists of ("Ministers" ->
    "ministers", "minister")."""
    if sp.named or sp.kind != "person" or sp.start < 0:
        return ()
    for word in _tokens(sp.text):
        if word[:1].isupper() and lex.role_kind(word) == "person":
            low = word.casefold()
            forms = {low, low.removesuffix("s"), low.removesuffix("n"), low.removesuffix("en")}
            return tuple(f for f in forms if len(f) >= 4)
    return ()


def _bounds(sentences: Sequence[Sentence], i: int) -> tuple[int, int]:
    return (sentences[i].start, sentences[i].end) if 0 <= i < len(sentences) else (0, 0)
