"""What a speaker can be: a person, an organisation, a role noun, or a pronoun resolved to one.

The quote model marks sources the way SpkAtt's annotators do, and they mark more than people:
"Demnach", "dem Bericht", "Seiner Meinung" are sources there. A reader asking "who said
this?" wants a person or a body: never an adverb ("Bisher", "Gemeinhin"), a prepositional
phrase ("aus ihrer Sicht") or a document ("Diese Pressemitteilung"). ``speaker_tokens`` cuts a
found source to what names someone, in both modes, after the model and before the speaker is
resolved: the phrase itself when it names someone, the owner of a document or view ("der
BBC" of "Bericht der BBC"), the possessive of a view ("ihrer" of "ihrer Sicht", then resolved
like "sie"), or nothing. The evaluation scores the model's sources as annotated and does not
pass through here.

German capitalises nouns: a capitalised word inside a sentence is a noun or a name, a
sentence-initial one is a noun only when its lemma is (simplemma lower-cases "Bisher",
"Bleibt", "Kritisch"). A noun is sorted by ``resources/quotes/<lang>/speakers.txt``
(documents, endings of nouns for people and bodies) and the role nouns of the quote lexicon;
a word the entities stage found, or one the lemmatiser does not know (compounds by their
known last part), is a name. A language without that file keeps its sources as found.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache

from lagebild.model import Mention
from lagebild.quotes.lexicon import resource_lines
from lagebild.quotes.view import OPENERS, View

_NAME_LABELS = frozenset({"PER", "ORG", "LOC", "OTH", "MISC"})
_GENITIVE = frozenset({"des", "der", "eines", "einer", "von", "vom"})


@dataclass(frozen=True, slots=True)
class SpeakerWords:
    """The word classes of ``speakers.txt`` for one language."""

    possessive: dict[str, str]  # possessive determiner -> the pronoun it stands for
    people: frozenset[str]
    documents: frozenset[str]
    adverbs: frozenset[str]
    person_endings: tuple[str, ...]
    org_endings: tuple[str, ...]


@cache
def speaker_words(lang: str) -> SpeakerWords | None:
    """The classes for ``lang``, None when the language has no ``speakers.txt``."""
    classes: dict[str, list[str]] = {}
    for raw in resource_lines(lang, "speakers.txt"):
        line = raw.strip()
        if line and not line.startswith("#"):
            name, *words = line.split()
            classes.setdefault(name, []).extend(words)
    if not classes:
        return None
    possessive = {}
    for name, words in classes.items():
        if name.startswith("possessive-"):
            possessive.update(dict.fromkeys(words, name.split("-", 1)[1]))
    return SpeakerWords(
        possessive=possessive,
        people=frozenset(classes.get("people", ())),
        documents=frozenset(classes.get("documents", ())),
        adverbs=frozenset(classes.get("adverbs", ())),
        person_endings=tuple(sorted(classes.get("person-endings", ()), key=len, reverse=True)),
        org_endings=tuple(sorted(classes.get("org-endings", ()), key=len, reverse=True)),
    )


# distinct words whose lemma or dictionary test a process keeps here and in ``speakers``
# (one entry per word a speaker phrase shows; unbounded before, they grew with the corpus)
WORD_CACHE = 65536


@lru_cache(maxsize=WORD_CACHE)
def _known(word: str, lang: str) -> bool:
    # here, not with the module: a dossier reads this module, never lemmatises
    from lagebild.text.lemma import is_known

    try:
        return is_known(word, lang)
    except (ValueError, KeyError):
        return False


def _tail(word: str, lang: str) -> str:
    """The known noun a compound ends in ("Foulpfiff" -> "Pfiff"), or ""."""
    from lagebild.text.lemma import lemmatize

    low = word.lower()
    for i in range(3, len(low) - 3):
        part = low[i:]
        cap = part[:1].upper() + part[1:]
        if _known(cap, lang) and lemmatize(cap, lang)[:1].isupper():
            return cap
    return ""


def noun_kind(word: str, v: View, words: SpeakerWords) -> str:
    """ "document", "attribution" (Angaben, Informationen), "role" (people, bodies, media),
    "name" or "thing" for a capitalised word."""
    lex = v.lex
    low = word.lower().rsplit("-", 1)[-1]
    if any(low == d or (low.endswith(d) and len(low) - len(d) >= 3) for d in words.documents):
        return "document"
    if lex.role_kind(word) is not None:
        return "role"
    if any(low.endswith(a.lower()) for a in lex.attribution_nouns):
        return "attribution"
    forms = (
        low,
        low.removesuffix("s"),
        low.removesuffix("es"),
        low.removesuffix("n"),
    )  # "-amts", "-kräften"
    if any(f.endswith(words.person_endings) or f.endswith(words.org_endings) for f in forms):
        return "role"
    if sum(c.isupper() for c in word) >= 2 and "-" not in word.strip("-"):
        return "name"  # "BBC", "ÖGB", "EuGH"
    if "-" in word.strip("-"):
        last = word.rsplit("-", 1)[-1]
        if last[:1].islower():
            return "name"  # "Jong-un", "Jae-chun"
        return noun_kind(last, v, words) if last else "thing"
    if not _known(word, lex.lang):
        tail = _tail(word, lex.lang)
        return noun_kind(tail, v, words) if tail else "name"
    return "thing"


def _prefix_names(word: str, v: View, words: SpeakerWords) -> bool:
    """ "Polizeiangaben", "UNO-Studie", "Medienberichten": the first part of a compound
    document or attribution noun names whose it is."""
    low = word.lower()
    ends = [*words.documents, *(a.lower() for a in v.lex.attribution_nouns)]
    cut = max((len(e) for e in ends if low.endswith(e) and len(low) > len(e)), default=0)
    if not cut:
        return False
    prefix = word[: len(word) - cut].rstrip("-")
    if len(prefix) < 2:
        return False
    if prefix.replace("-", "").isupper() or "-" in prefix:
        return True  # "UNO-", "US-Justiz"
    for form in (prefix, prefix.removesuffix("s"), prefix.removesuffix("es")):
        if len(form) >= 3 and noun_kind(form[:1].upper() + form[1:], v, words) in ("role", "name"):
            return True
    return False


def _sentence_initial(v: View, k: int) -> bool:
    if k == v.sentence_start(k):
        return True
    prev = v.text[k - 1]
    return prev in OPENERS or prev in (":", "–", "-", "(")


def _is_noun(v: View, k: int) -> bool:
    """A capitalised word that is a noun or a name where it stands."""
    w = v.text[k]
    if not (w[:1].isupper() and w[:1].isalpha()):
        return False
    if _sentence_initial(v, k):
        lemma = v.lemma[k]
        return not lemma[:1].islower() or not _known(w.lower(), v.lex.lang)
    return True


def _covered(v: View, k: int, mentions: Sequence[Mention]) -> bool:
    a, b = v.starts[k], v.ends[k]
    return any(m.start < b and a < m.end and m.label in _NAME_LABELS for m in mentions)


def _bare_subject(v: View, k: int) -> bool:
    """A capitalised word right after a verb of saying (also "äußerte sich X"), "laut", "so"
    or a conjunction ("obwohl X"), or before "zufolge": German puts an article before a
    common noun there, so a bare one is a name."""
    lex = v.lex
    j = k - 1
    if j > 0 and v.low[j] == "sich" and v.sent[j - 1] == v.sent[k]:
        j -= 1  # "Besorgt äußerte sich Kofi Annan"
    before = v.low[j] if j >= 0 and v.sent[j] == v.sent[k] else ""
    after = v.low[k + 1] if k + 1 < len(v) and v.sent[k + 1] == v.sent[k] else ""
    cue = bool(before) and not v.cap(j) and v.lemma[j] in lex.cues
    joins = lex.before | lex.comma_so | lex.cls("subordinators")
    return bool(cue or before in joins or after in lex.after)


def _name_before_verb(v: View, k: int) -> bool:
    """ "Kurz sagte am Montag": a sentence-initial word whose lemma is an adjective or adverb
    is still the subject when the verb of saying follows it and no subject follows the verb
    ("Bisher sagte er" has one)."""
    lex = v.lex
    if not v.cap(k) or k + 2 >= len(v) or v.sent[k + 2] != v.sent[k]:
        return False
    verb, after = k + 1, v.low[k + 2]
    if v.cap(verb) or v.lemma[verb] not in lex.cues:
        return False
    words = speaker_words(lex.lang)
    if v.low[k] in lex.cls("adverbs") or v.low[k] in lex.cls("daforms"):
        return False
    if words is not None and v.low[k] in words.adverbs:
        return False  # "Zwar behaupten Kritiker"
    subject_after = lex.cls("determiners") | lex.cls("pronouns") | {"sich"}
    return after not in lex.pronouns and after not in subject_after and not v.cap(k + 2)


def _subject(v: View, out: Sequence[int], head: int) -> bool:
    """The phrase is the subject of its verb of saying: it opens a clause and the verb follows
    ("Die Caritas teilte mit", ", wie Rettungskräfte mitteilten", "Aber Kim sagte"), or it
    follows the verb with its article ("sagte der Däne"). A noun there is someone who spoke,
    whatever its class."""
    lex = v.lex
    first, last = out[0], out[-1]
    if last + 1 < len(v) and v.sent[last + 1] == v.sent[last]:
        nxt = last + 1
        opens = (
            _sentence_initial(v, first)
            or v.text[first - 1] == ","
            or (v.low[first - 1] in lex.cls("subordinators"))
            or head == 0  # a bare noun before the verb is a name: "Aber Kim sagte"
        )

        def said(k: int) -> bool:
            return not v.cap(k) and v.lemma[k] in lex.cues

        if first > 0 and (v.text[first - 1] == "," or v.low[first - 1] in lex.cls("subordinators")):
            # a subordinate clause puts its verb last, after short adverbials: ", wie die
            # Franzosen am Mittwoch mitteilten"
            while (
                nxt < min(last + 4, len(v) - 1)
                and v.sent[nxt + 1] == v.sent[last]
                and v.text[nxt].isalnum()
                and not said(nxt)
            ):
                nxt += 1
        if opens and said(nxt):
            return True
    if head > 0 and first > 0 and v.sent[first - 1] == v.sent[first]:
        prev = first - 1
        starts_det = v.low[first] in lex.cls("determiners")
        said = not v.cap(prev) and v.lemma[prev] in lex.cues
        return starts_det and (said or v.low[prev] in lex.comma_so)  # "so der Chemiker"
    return False


def _domain(word: str) -> bool:
    """ "faz.net", "tagesschau.de": a web site."""
    name, dot, tld = word.rpartition(".")
    return (
        bool(dot) and len(name) >= 2 and name[:1].isalpha() and 2 <= len(tld) <= 4 and tld.isalpha()
    )


_ADJECTIVE_ENDINGS = ("e", "en", "er", "es", "em")
# determiners that never open a genitive: after a speaker's phrase they start its addressee
# or object ("sagte Müller dem Sender", "teilte die Familie einem Bericht … mit")
_NOT_GENITIVE = frozenset({"dem", "den", "ein", "einem", "einen", "eine"})
_NAME_PARTICLES = frozenset({"von", "van", "de", "ten", "vom"})


def _verb_like(v: View, k: int, words: SpeakerWords) -> bool:
    """A lower-case word whose lemma is a verb and that is no inflected adjective of it
    ("stürzten", "kamen"; not "eigenen", "niederländischen", "vergangenen")."""
    low, lemma = v.low[k], v.lemma[k]
    if not low.isalpha() or v.cap(k) or not lemma[:1].islower():
        return False
    lex = v.lex
    closed = lex.cls("determiners") | lex.cls("prepositions") | lex.cls("conjunctions")
    if low in closed or low in lex.pronouns or low in words.possessive or low in words.people:
        return False
    if not lemma.endswith(("en", "ern", "eln")) or not _known(low, lex.lang):
        return False
    if k > 0 and (v.low[k - 1] in lex.cls("determiners") or v.low[k - 1] in words.possessive):
        return False  # "der beteiligten Wissenschafter": an adjective
    return not any(low == lemma + e for e in _ADJECTIVE_ENDINGS)


def _one_phrase(v: View, out: list[int], words: SpeakerWords) -> list[int]:
    """A source that runs over a verb is two phrases ("der Stadt Suzu stürzten Berichten
    zufolge", "kamen Medienberichten zufolge"): the one next to the attribution word
    ("zufolge" after it, "laut"/"nach" before it) is the source; a verb at either end goes."""
    while out and _verb_like(v, out[0], words):
        out = out[1:]
    while out and _verb_like(v, out[-1], words):
        out = out[:-1]
    cuts = [i for i, k in enumerate(out) if _verb_like(v, k, words)]
    if not cuts or not out:
        return out
    lex = v.lex
    nxt = out[-1] + 1
    if nxt < len(v) and v.low[nxt] in lex.after and v.sent[nxt] == v.sent[out[-1]]:
        return out[cuts[-1] + 1 :]
    prev = out[0] - 1
    first = out[: cuts[0]]
    reported = any(
        _is_noun(v, k) and noun_kind(v.text[k], v, words) in ("document", "attribution")
        for k in first
    )  # "nach Angaben der Polizei …", not "nach Bekanntwerden der Vorwürfe forderte X"
    before = v.low[prev] if prev >= 0 and v.sent[prev] == v.sent[out[0]] else ""
    if before in lex.before and (reported or before not in lex.cls("prepositions")):
        return first  # "laut Rabl lagen die Ausgaben": "laut" names a source whatever follows
    return out


def _owner_follows(v: View, rest: Sequence[int], words: SpeakerWords) -> bool:
    """What follows a document or attribution noun names whose it is: a genitive ("der
    Polizei"), "aus Justizkreisen", or a possessive before a noun ("ihrer Witwen"; not
    after "eigenen Angaben": "nach eigenen Angaben dessen Tod nicht bestätigen")."""
    first = v.low[rest[0]]
    if first in _GENITIVE or first == "aus":
        return True
    if first.endswith("er") and not v.cap(rest[0]) and len(rest) >= 2 and v.cap(rest[1]):
        return True  # "Angaben lokaler Medien": a genitive plural without its article
    own = rest[0] >= 2 and v.low[rest[0] - 2].startswith("eigene")  # "nach eigenen Angaben"
    return first in words.possessive and len(rest) >= 2 and v.cap(rest[1]) and not own


_OLD = frozenset({"alt", "alte", "alten", "alter", "altes"})


def _age_measure(v: View, k: int) -> bool:
    """ "Jahre" of "Der 68 Jahre alte Zekeriya Gunes", "Eine 39 Jahre alte Frau": the measure
    of an age, not the noun that names the speaker (which follows it)."""
    return 0 < k < len(v) - 1 and v.text[k - 1][:1].isdigit() and v.low[k + 1] in _OLD


def speaker_tokens(
    v: View, toks: Sequence[int], mentions: Sequence[Mention] = ()
) -> tuple[int, ...]:
    """The tokens of a found source that name a speaker (see the module docstring): all of
    ``toks``, the owner phrase, the possessive, or () when they name no one."""
    words = speaker_words(v.lex.lang)
    out = sorted(toks)
    if words is None or not out:
        return tuple(out)
    lex = v.lex
    skip = lex.cls("prepositions") | lex.before | lex.after
    while out and (v.low[out[0]] in skip or (not v.cap(out[0]) and v.low[out[0]] in words.adverbs)):
        out.pop(
            0
        )  # "aus ihrer Sicht", "laut Polizei", "einst Witali Smirnow": what follows decides
    out = _one_phrase(v, out, words)
    if not out:
        return ()
    if v.text[out[0]] in OPENERS or any(_domain(v.text[k]) for k in out):
        return tuple(out)  # "„ Die Zeit “", "faz.net": a title or a site names its outlet
    if v.low[out[0]] in lex.pronouns or (len(out) == 1 and v.low[out[0]] in words.people):
        return (out[0],)  # "er", and "er" of "gab er per Schreiben bekannt"
    head = next(
        (
            i
            for i, k in enumerate(out)
            if (_is_noun(v, k) or _covered(v, k, mentions)) and not _age_measure(v, k)
        ),
        None,
    )
    if head is None:
        if any(v.low[k] in lex.pronouns or v.low[k] in words.people for k in out):
            return tuple(out)
        if len(out) == 1 and _name_before_verb(v, out[0]):
            return tuple(out)  # "Kurz sagte am Montag"
        return ()  # "Bisher", "Gemeinhin", "der": no noun, no name, no pronoun
    group = [out[head]]
    for k in out[head + 1 :]:
        if k != group[-1] + 1 or not (_is_noun(v, k) or (_covered(v, k, mentions) and v.cap(k))):
            break
        if noun_kind(v.text[group[-1]], v, words) in ("document", "attribution") and (
            noun_kind(v.text[k], v, words) == "thing" and not _covered(v, k, mentions)
        ):
            break  # "nach Feuerwehrangaben Abhänge hinunter": the document ends the phrase
        group.append(k)
    end = head + len(group)
    if end < len(out) and (
        (v.low[out[end]] in _NOT_GENITIVE and not _covered(v, out[end], mentions))
        or (
            v.low[out[end]] == "der"
            and _covered(v, group[-1], mentions)
            and v.low[group[-1]] not in _NAME_PARTICLES
        )
    ):
        # "sagte Miguel Müllenbach der Frankfurter Allgemeinen": the addressee (also where
        # the tagger ran the name on into it; "Van der Bellen" keeps its particle)
        out = out[:end]
    if any(_covered(v, k, mentions) for k in group):
        return tuple(out)  # a name the entities stage found ("BBC", "Sebastian Kurz")
    kinds = [noun_kind(v.text[k], v, words) for k in group]
    if "name" in kinds or "role" in kinds:
        return tuple(out)
    rest = out[end:]
    if kinds[-1] in ("document", "attribution") and rest and not _owner_follows(v, rest, words):
        if v.low[rest[0]] in lex.cls("conjunctions"):
            return speaker_tokens(v, rest[1:], mentions)  # "Fernsehberichten und der Feuerwehr"
        out, rest = out[:end], []  # "nach eigenen Angaben einen Notfahrplan": no owner follows
    if kinds[-1] == "attribution" and rest:
        return tuple(out)  # "Angaben der Polizei": describe() names its owner
    if any(_prefix_names(v.text[k], v, words) for k in group):
        return tuple(out)  # "Polizeiangaben", "UNO-Studie"
    # a document, a view or a thing: its owner after it, or the possessive before it
    if rest and v.low[rest[0]] in _GENITIVE:
        start = 1 if v.low[rest[0]] in ("von", "vom") else 0
        owner = speaker_tokens(v, rest[start:], mentions) if rest[start:] else ()
        if owner and not (len(owner) == 1 and v.low[owner[0]] in words.possessive):
            return owner if start == 0 else (rest[0], *owner)
    for k in out[:head]:
        if v.low[k] in words.possessive:
            return (k,)  # "ihrer Sicht": she, resolved like "sie"
    if all(_time_word(v, k) for k in group):
        return ()  # "Sonntagfrüh gab es …", "Bericht vom Donnerstag": a time, no one
    if kinds[-1] == "thing" and (
        (head == 0 and _bare_subject(v, out[0])) or _subject(v, out, head)
    ):
        return tuple(out)  # "sagte Schäuble", "Die Caritas wies darauf hin": who spoke
    return ()


_TIME_ENDINGS = ("morgen", "mittag", "abend", "nacht", "früh", "vormittag", "nachmittag")
_GENITIVE_AFTER = frozenset({"des", "der", "eines", "einer", "beider"})


def _time_word(v: View, k: int) -> bool:
    """ "Montagmittag", "Donnerstagabend", "Montag": a time, no part of a speaker."""
    low = v.low[k]
    if low in v.lex.cls("timewords"):
        return True
    return any(low.endswith(e) and low[: -len(e)] in v.lex.cls("timewords") for e in _TIME_ENDINGS)


def tail_cut(v: View, toks: Sequence[int], mentions: Sequence[Mention] = ()) -> tuple[int, ...]:
    """A speaker phrase without what runs on after it: an adverb, a verb, a preposition
    outside a name, a time, an object or addressee ("Svindal weiters", "Zahlreiche Kritiker
    halten das", "die Gefängnisverwaltung … am", "Vizekanzler Reinhold Mitterlehner
    Montagmittag", "die Forscher Versuchspersonen", "Marko Bärschneider einer Mitteilung").
    An apposition after a comma and a closed bracket stay; German only."""
    out = sorted(toks)
    words = speaker_words(v.lex.lang)
    if words is None or len(out) < 2 or v.lex.lang != "de":
        return tuple(out)
    lex = v.lex
    det = lex.cls("determiners")
    head = next(
        (
            i
            for i, k in enumerate(out)
            if (_is_noun(v, k) and v.low[k] not in det and not _age_measure(v, k))
            or v.low[k] in lex.pronouns
        ),
        None,
    )
    if head is None or any(v.low[k] in lex.cls("prepositions") for k in out[:head]):
        return tuple(out)  # "das im US-Bundesstaat Hawaii ansässige Warnzentrum": left whole
    i = head + 1
    while i < len(out):
        k, prev = out[i], out[i - 1]
        w = v.low[k]
        if k != prev + 1 or w == ",":
            break  # a gap or an apposition: left as it is
        if w == "(":
            close = next((j for j in range(i + 1, len(out)) if v.text[out[j]] == ")"), None)
            if close is None:
                return _until(v, out, i)  # "Havranek (er"
            i = close + 1
            continue
        inside = _covered(v, k, mentions) and _covered(v, prev, mentions)
        if v.low[prev] in _GENITIVE_AFTER and w.isalpha() and w not in lex.cls("prepositions"):
            i += 1  # the owner's head, whatever its case: "Informationen der dpa"
            continue
        if v.cap(k) and v.text[k][:1].isalpha():
            if _time_word(v, k) and not inside:
                return _until(v, out, i)
            if (
                not inside
                and _covered(v, prev, mentions)
                and not _covered(v, k, mentions)
                and _is_common(v, k, words)
            ):
                return _until(v, out, i)  # "die Forscher Versuchspersonen", "Filzmaier Aufträge"
            i += 1
            continue
        if inside or v.text[k] in OPENERS or v.text[k] in ('"', "“", "”", "»", "«", "-", "–"):
            i += 1
            continue
        if _reported(v, prev, words) and (
            w in det or w == "aus" or w in words.possessive or _adjective_word(v, k)
        ):
            i += 1  # "Angaben aus Moskau", "Auskunft ihrer Freundin", "Angaben lokaler Medien"
            continue
        if w == "für" and i + 1 < len(out) and (v.cap(out[i + 1]) or v.low[out[i + 1]] in det):
            i += 2  # "die Organisation für das Verbot chemischer Waffen"
            continue
        if (
            w in ("in", "aus")
            and i + 1 < len(out)
            and v.cap(out[i + 1])
            and v.low[out[i + 1]] not in det
            and not _time_word(v, out[i + 1])
        ):
            i += 1  # a place: "Die Energieministerin in Wien", "die Opposition in Griechenland"
            continue
        if w in ("von", "vom", "van", "de") and i + 1 < len(out) and v.cap(out[i + 1]):
            i += 1  # "Igor Konaschenkow vom Verteidigungsministerium", "Ursula von der Leyen"
            continue
        if (
            w in _GENITIVE_AFTER
            and not _covered(v, prev, mentions)
            and i + 1 < len(out)
            and (v.cap(out[i + 1]) or _adjective_word(v, out[i + 1]))
        ):
            i += 1  # "der Sprecher des Ministeriums"
            continue
        if (
            _adjective_word(v, k)
            and i + 1 < len(out)
            and (v.cap(out[i + 1]) or _adjective_word(v, out[i + 1]))
            and (v.low[prev] in _GENITIVE_AFTER or _adjective_word(v, prev))
        ):
            i += 1  # "des russischen Ministeriums"
            continue
        if (
            w in ("und", "sowie")
            and i + 1 < len(out)
            and (v.cap(out[i + 1]) or v.low[out[i + 1]] in lex.cls("determiners"))
        ):
            i += 1  # "Arbeiterkammer und Grüne"
            continue
        if v.low[prev] in ("und", "sowie") and (
            w in lex.cls("determiners") or _adjective_word(v, k)
        ):
            i += 1  # "und die Feuerwehr", "und andere Behörden"
            continue
        return _until(v, out, i) if i > head else tuple(out)
    return tuple(out)


def _until(v: View, out: list[int], i: int) -> tuple[int, ...]:
    """``out[:i]`` without closed-class words left at its end ("der Organisation für")."""
    lex = v.lex
    closed = lex.cls("determiners") | lex.cls("prepositions") | lex.cls("conjunctions")
    while i > 1 and v.low[out[i - 1]] in closed | {",", "(", "-", "–"}:
        i -= 1
    return tuple(out[:i])


def _reported(v: View, k: int, words: SpeakerWords) -> bool:
    """ "Angaben", "Bericht": an attribution or document noun, whose owner follows."""
    return v.cap(k) and noun_kind(v.text[k], v, words) in ("attribution", "document")


def _adjective_word(v: View, k: int) -> bool:
    w = v.low[k]
    return (
        not v.cap(k)
        and w[:1].isalpha()
        and w.endswith(_ADJECTIVE_ENDINGS)
        and w not in v.lex.cls("determiners")
        and w not in v.lex.cls("prepositions")
        and w not in v.lex.cls("adverbs")
    )


def _is_common(v: View, k: int, words: SpeakerWords) -> bool:
    """A capitalised word that is a known common noun and names no one by its class."""
    if not _is_noun(v, k) or not _known(v.text[k], v.lex.lang):
        return False
    return noun_kind(v.text[k], v, words) == "thing"


def possessive_pronoun(word: str, lang: str) -> str | None:
    """The pronoun a possessive speaker stands for ("ihrer" -> "sie"), None for other words."""
    words = speaker_words(lang)
    return words.possessive.get(word.lower()) if words else None


__all__ = [
    "SpeakerWords",
    "noun_kind",
    "possessive_pronoun",
    "speaker_tokens",
    "speaker_words",
    "tail_cut",
]
