"""Tense of a sentence from its tokens and lemmas (no POS tags): which way an
underspecified weekday or month points.

News German reports the past in the preterite ("traf", "sagte") or perfect ("hat ...
getroffen", "ist eingetroffen"), and announces with "werden", "sollen", "wollen", "planen"
or a present tense verb plus a date ("findet am Mittwoch statt"). The cues are counted over
the clause around the expression; the nearest cue wins a tie.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from typing import Literal

from lagebild.model import Token

Tense = Literal["past", "present", "future"]
_VOWELS = re.compile(r"äu|eu|ei|ie|au|[aeiouäöü]")

_PAST_AUX = {
    "war", "waren", "warst", "wart", "wurde", "wurden", "wurdest", "hatte", "hatten",
    "hattest", "gewesen", "worden", "geworden", "ging", "gingen", "kam", "kamen",
    "was", "were", "had", "did", "said", "went", "came",
}  # fmt: skip
_PERFECT_AUX = {
    "hat",
    "haben",
    "habe",
    "hätten",
    "hätte",
    "ist",
    "sind",
    "sei",
    "seien",
    "has",
    "have",
}
_FUTURE = {
    "wird", "werde", "wirst", "werdet", "werden", "soll", "sollen", "sollte", "sollten",
    "will", "wollen", "plant", "planen", "geplant", "voraussichtlich", "künftig", "bevorsteht",
    "bevorstehenden", "erwartet", "dürfte", "dürften", "würden", "würde", "kommenden",
    "nächsten", "shall", "going", "planned", "expected", "next", "could", "would", "might",
}  # fmt: skip
_NOT_PAST = {
    "nicht",
    "auch",
    "noch",
    "recht",
    "mittlerweile",
    "seit",
    "gut",
    "weit",
    "oft",
    "jetzt",
    "erst",
}
# present forms of the preterite-present verbs, which look like strong preterites by shape
_MODAL_PRESENT = {
    "kann", "kannst", "muss", "musst", "muß", "mußt", "darf", "darfst", "weiß", "weißt",
    "mag", "magst", "gönnt",
}  # fmt: skip
# preterite stems of strong and mixed verbs that a lemmatiser leaves alone or that look like
# participles ("brach", "begannen"); a form is the stem plus "", "st", "en", "t". Stems that
# are also English words ("half", "stand") count only when the lemmatiser says they are German
# past forms (lemma "helfen", "stehen"): the cues serve English text too
_STRONG_PRETERITE = frozenset({
    "begann", "besann", "bewarb", "brach", "brachte", "brannte", "dachte", "empfahl",
    "fand", "fiel", "fing", "flog", "floh", "floss", "fror", "fuhr", "gab", "galt", "gelang",
    "geschah", "gewann", "ging", "glich", "griff", "hieß", "hielt", "hing", "kam",
    "kannte", "lag", "ließ", "lief", "litt", "lud", "mied", "nahm", "nannte",
    "rannte", "rief", "riet", "rang", "saß", "sah", "sandte", "sang", "sank", "schien",
    "schlief", "schlug", "schloss", "schnitt", "schob", "schoss", "schrieb", "schrie", "schwieg",
    "schwamm", "schwor", "sprach", "sprang", "stach", "stahl", "starb", "stieg",
    "stieß", "stritt", "trat", "traf", "trieb", "trug", "tat", "verdarb", "vergaß", "verlor",
    "verschwand", "wandte", "warb", "warf", "wies", "wuchs", "wusste", "zog", "zwang",
})  # fmt: skip
_EPISTEMIC = {"soll", "sollen", "sollte", "sollten", "dürfte", "dürften", "könnte", "könnten", "müsste", "müssten", "will", "wollen"}  # fmt: skip
_DETERMINERS = {
    "der", "die", "das", "den", "dem", "des", "ein", "eine", "einen", "einem", "einer", "eines",
    "diese", "dieser", "diesen", "diesem", "dieses", "seine", "seinen", "seinem", "seiner",
    "ihre", "ihren", "ihrem", "ihrer", "the", "a", "an",
}  # fmt: skip
_INFINITIVE_MARKS = {"be", "to"}  # English: the word after them is no finite past form
_CONJ = {",", ";", ":", "und", "aber", "dass", "weil", "doch", "–", "-", "„", "“", '"'}


_ALSO_ENGLISH = frozenset({"half", "stand", "log", "las", "bot"})


def _strong_preterite(w: str, lemma: str = "") -> bool:
    """ "brach", "begannen", "kamst": a strong or mixed preterite by its stem."""
    for ending in ("", "st", "en", "t", "est"):
        stem = w[: len(w) - len(ending)]
        if w.endswith(ending) and (stem in _STRONG_PRETERITE or stem in _ALSO_ENGLISH):
            return stem not in _ALSO_ENGLISH or lemma not in {"", w}
    return False


def _participle_shape(w: str) -> bool:
    """ "ereignet", "angekündigt", "gegeben": shaped like a participle, whatever the lemma."""
    return (
        len(w) > 5
        and w[:1].islower()
        and ("ge" in w[:9] or w.startswith(("er", "ver", "be", "ent", "zer")) or w.endswith("iert"))
        and w.endswith(("t", "en"))
    )


def _is_participle(tok: Token) -> bool:
    w = tok.text
    if w.endswith("iert") and tok.lemma.endswith("ieren"):
        return True  # "explodiert", "demonstriert": no "ge-"
    if _strong_preterite(w.lower(), tok.lemma.lower()):
        return False
    return (
        len(w) > 5
        and w[:1].islower()
        and ("ge" in w[:9] or w.startswith(("er", "ver", "be", "ent", "zer")))
        and w.endswith(("t", "en"))
        and not w.endswith(("ten", "test"))
        and w != tok.lemma
    )


def _is_preterite(tok: Token) -> bool:
    """A finite past form such as "traf", "sagte", "berichteten" (lemma differs, no present ending)."""
    w, lemma = tok.text.lower(), tok.lemma.lower()
    if w.endswith("ed") and lemma and w != lemma and tok.text[:1].islower():
        return True  # English: arrived, launched
    if tok.text[:1].islower() and _strong_preterite(w, lemma):
        return True
    if (
        not tok.text[:1].islower()
        or w in _NOT_PAST
        or w in _MODAL_PRESENT
        or not lemma.endswith("n")
        or w == lemma
        or _is_participle(tok)
    ):
        return False
    stem = lemma[:-2] if lemma.endswith("en") else lemma[:-1]
    if w.startswith(stem) and w[len(stem) :] in {"", "e", "st", "t", "et", "est", "en", "end"}:
        return False  # present tense or infinitive
    if w.endswith(("te", "ten", "test", "tet")) and w.startswith(stem[: max(2, len(stem) - 1)]):
        return True  # weak preterite: sagte, berichteten
    k = 0
    while k < min(len(w), len(lemma)) and w[k] == lemma[k]:
        k += 1
    k = max(0, k - 1)
    vw, vl = _vowel(w[k:]), _vowel(lemma[k:])
    if w.endswith("t") and vw in {"i", "ie", "ä", "äu"} and not (vw == "ie" and vl == "a"):
        return False  # strong present with vowel change: gibt, trifft, hält, läuft, sieht
    return not w.startswith(stem) and len(w) <= len(lemma) + 1 and not w.endswith("end")


def _vowel(word: str) -> str:
    m = _VOWELS.search(word)
    return m.group(0) if m else ""


def cues(tokens: Sequence[Token]) -> list[tuple[int, Tense]]:
    """Positions of tense cues in ``tokens``."""
    out: list[tuple[int, Tense]] = []
    words = [t.text.lower() for t in tokens]
    aux = [i for i, w in enumerate(words) if w in _PERFECT_AUX]
    for i, tok in enumerate(tokens):
        w = words[i]
        if i and words[i - 1] in _INFINITIVE_MARKS:
            continue  # "could be signed", "to be held": no past form
        if w in _PAST_AUX:
            out.append((i, "past"))
        elif w in _FUTURE:
            out.append((i, "future"))
        elif aux and _form(tok.text, tok.lemma)[0]:
            out.append((min(aux, key=lambda a: abs(a - i)), "past"))  # perfect: "hat ... getroffen"
        elif _form(tok.text, tok.lemma)[1] and not (i and words[i - 1] in _DETERMINERS):
            out.append((i, "past"))  # "den anvisierten Geschäften": an adjective, no verb
    perfect_infinitive = any(
        words[i + 1] in {"haben", "sein", "worden"} and _participle_shape(t.text)
        for i, t in enumerate(tokens[:-1])
    )
    if perfect_infinitive:  # "soll sich am Samstag ereignet haben": reported, not ahead
        out = [(i, t) for i, t in out if words[i] not in _EPISTEMIC]
        out.extend((i, "past") for i, w in enumerate(words) if w in _EPISTEMIC)
    return out


@lru_cache(maxsize=1 << 16)
def _form(text: str, lemma: str) -> tuple[bool, bool]:
    """(``_is_participle``, ``_is_preterite``) of a token: they read only its text and lemma,
    and a story's dossier asks them for the same words many thousand times."""
    tok = Token(0, len(text), text, lemma)
    return _is_participle(tok), _is_preterite(tok)


_FR_AUX = {"a", "ont", "as", "avons", "avez", "est", "sont", "es", "sommes", "êtes", "ai"}
_FR_PAST_AUX = {"avait", "avaient", "était", "étaient", "fut", "furent", "eut", "eurent"}
_FR_AHEAD = {
    "prochain", "prochaine", "prochains", "prochaines", "prévu", "prévue", "prévus", "prévues",
    "devrait", "devraient", "doit", "doivent", "attendu", "attendue", "programmé", "programmée",
}  # fmt: skip
_FR_GOING = {"va", "vont", "vais", "allons", "allez"}
_FR_PARTICIPLE = ("é", "ée", "és", "ées", "i", "ie", "is", "it", "u", "ue", "us", "ert", "ort")
_FR_ER_PARTICIPLE = ("é", "ée", "és", "ées")  # after "a"/"est" a participle, whatever its lemma


def french_cues(tokens: Sequence[Token]) -> list[tuple[int, Tense]]:
    """Tense cues of French: passé composé ("a annoncé", "est arrivé"), imparfait and
    plus-que-parfait ("était", "annonçait"), futur ("aura lieu", "va voter") and words that
    look ahead ("prévu", "prochain")."""
    words = [t.text.lower() for t in tokens]
    lemmas = [t.lemma.lower() for t in tokens]
    out: list[tuple[int, Tense]] = []
    for i in range(len(tokens)):
        cue = _french_cue(words, lemmas, i)
        if cue is not None:
            out.append((i, cue))
    return out


def _is_verb_form(w: str, lemma: str) -> bool:
    return w != lemma and lemma.endswith(("er", "ir", "re", "oir"))


def _french_cue(words: Sequence[str], lemmas: Sequence[str], i: int) -> Tense | None:
    w = words[i]
    verb = _is_verb_form(w, lemmas[i])
    if w in _FR_AHEAD:
        return "future"
    if w in _FR_PAST_AUX or (verb and w.endswith(("ait", "aient"))):
        return "past"
    if w in _FR_AUX and any(
        n.endswith(_FR_PARTICIPLE)
        and n not in _FR_AHEAD
        and (_is_verb_form(n, m) or n.endswith(_FR_ER_PARTICIPLE))
        for n, m in zip(words[i + 1 : i + 4], lemmas[i + 1 : i + 4], strict=False)
    ):
        # "a annoncé", "est arrivée", "a arrêté" (whose lemma the lemmatiser leaves as it
        # is); not "a lieu"
        return "past"
    if w in _FR_GOING and i + 1 < len(words) and words[i + 1].endswith(("er", "ir", "re")):
        return "future"
    if verb and w.endswith(("ra", "ront", "rons", "rez", "rai", "ras", "rait", "raient")):
        return "future"
    return None


def tense_at(tokens: Sequence[Token], start: int, end: int, lang: str = "de") -> Tense:
    """The tense governing the expression at character span ``[start, end)``."""
    if lang == "fr":
        return _nearest(tokens, start, french_cues(tokens))
    pos = next((i for i, t in enumerate(tokens) if t.end > start), len(tokens) - 1)
    before = [t.text.lower() for t in tokens[max(0, pos - 2) : pos]]
    if before[-1:] in (["seit"], ["since"]) or before[:1] == ["seit"]:
        return "past"  # "seit Montag", "seit dem 3. Mai": a start before now
    found = cues(tokens)
    lo, hi = _clause(tokens, pos)
    if before[-1:] in (["für"], ["ab"]) and not any(
        lo <= i < hi and t == "past" and tokens[i].text.lower() not in _PERFECT_AUX
        for i, t in found
    ):
        return "future"  # "sind für Montag angekündigt", "ab Montag gilt" (not "war für …")
    if not found:
        return "present"
    if (
        pos > lo
        and tokens[pos - 1].text.lower() in {"bis", "until"}
        and not any(lo <= i < hi for i, _ in found)
        and _finite_verb_between(tokens, lo, hi)
    ):
        return "future"  # a deadline in a present-tense clause: "fallen bis Donnerstag aus"
    past = sum(1 for _, t in found if t == "past")
    future = sum(1 for _, t in found if t == "future")
    if past and future:
        # the clause around the expression decides ("X is expected to meet Y on Tuesday, a
        # spokesman said"); otherwise the nearest cue
        inside = [c for c in found if lo <= c[0] < hi] or found
        return min(inside, key=lambda c: abs(c[0] - pos))[1]
    return "past" if past else "future"


def _nearest(tokens: Sequence[Token], start: int, found: list[tuple[int, Tense]]) -> Tense:
    """The tense of the cues, the clause around the expression deciding a mix."""
    if not found:
        return "present"
    pos = next((i for i, t in enumerate(tokens) if t.end > start), len(tokens) - 1)
    kinds = {t for _, t in found}
    if len(kinds) == 1:
        return found[0][1]
    lo, hi = _clause(tokens, pos)
    inside = [c for c in found if lo <= c[0] < hi] or found
    return min(inside, key=lambda c: abs(c[0] - pos))[1]


def _clause(tokens: Sequence[Token], pos: int) -> tuple[int, int]:
    """Token range of the clause around ``pos``: between commas, semicolons, dashes."""
    stops = {",", ";", ":", "–"}
    lo = pos
    while lo > 0 and tokens[lo - 1].text not in stops:
        lo -= 1
    hi = pos
    while hi < len(tokens) and tokens[hi].text not in stops:
        hi += 1
    return lo, hi


def _finite_verb_between(tokens: Sequence[Token], lo: int, hi: int) -> bool:
    """Whether the clause has a present-tense finite verb of its own (lower-case word whose
    form is a present ending of its lemma: "fallen", "findet", "beginnt")."""
    for tok in tokens[lo:hi]:
        w, lemma = tok.text, tok.lemma
        if not w[:1].islower() or not lemma.endswith("n") or w in _NOT_PAST:
            continue
        stem = lemma[:-2] if lemma.endswith("en") else lemma[:-1]
        if len(stem) >= 2 and w.startswith(stem) and w[len(stem) :] in {"t", "et", "en", "e", "st"}:
            return True
    return False


# words that hedge what may happen: a sentence with one reports an expectation, not a state
_MAYBE = frozenset({
    "möglich", "möglicherweise", "vielleicht", "eventuell", "wahrscheinlich", "vermutlich",
    "possibly", "perhaps", "probably", "likely", "peut-être", "probablement", "éventuellement",
})  # fmt: skip
_AHEAD = frozenset(_FUTURE | _MAYBE)


def looks_ahead(tokens: Sequence[Token], lang: str | None) -> bool:
    """A sentence that forecasts: a future cue or a hedge, and no past cue but the verb that
    reports it ("Rossiya-24 sagte, das Treffen werde am Mittwoch … stattfinden"). Such a
    sentence says what was expected, not what happened."""
    from lagebild.time.rules import languages, tables

    if lang != "fr" and not any(  # no word that can look ahead: no need to read the tenses
        t.text.lower() in _AHEAD for t in tokens
    ):
        return False
    found = (french_cues if lang == "fr" else cues)(tokens)
    report = tables(lang).get("report", {}) if lang in languages() else {}
    past = [i for i, t in found if t == "past" and tokens[i].text.lower() not in report]
    ahead = any(t == "future" for _, t in found) or any(t.text.lower() in _MAYBE for t in tokens)
    return ahead and not past


__all__ = ["Tense", "cues", "french_cues", "looks_ahead", "tense_at"]
