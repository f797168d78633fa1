"""A speaker for a statement the model left without one, read off the words around it.

The quote model marks sources the way SpkAtt's annotators do and misses some that a reader
finds at once: the phrase before "zufolge" or after "laut" inside the statement ("Dem
türkischen Fernsehsender TRT zufolge kamen …"), a parenthetical ", so Schenk," in the middle
of it, the subject of the verb of saying the model did mark ("wenngleich auch er betonte,
dass …"; "Die Provinz Sinai des IS hatte sich dazu bekannt, …"; "… . Das teilte am Montag
ein Unternehmenssprecher mit."), and the clause's own subject where the statement is told
"nach eigenen Angaben" ("Galeria beschäftigt nach eigenen Angaben …": Galeria says so; the
"eigenen Angaben" the model marked name no one), and the person whose interview answer it is
("Kreissl: Wir sollten darüber nachdenken, dass …"). Every phrase found passes through
``speaker_type.speaker_tokens``, so a document, a view or an adverb still gives no speaker.

Reader-facing only (``quotes_of``): the SpkAtt evaluation scores the model's sources as
annotated and does not pass through here.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence

from lagebild.model import Mention
from lagebild.quotes.extract import Attribution
from lagebild.quotes.phrases import capitalised_phrase
from lagebild.quotes.sentences import subject
from lagebild.quotes.speaker_type import _is_noun, speaker_tokens, tail_cut
from lagebild.quotes.view import END_PUNCT, OPENERS, View

_OWN = ("eigene", "eigenen", "eigener", "eigenem")  # "nach eigenen Angaben"
_ANAPHORS = frozenset({"das", "dies", "dieses"})  # "Das teilte … mit": the sentence before
# prepositions the grammar's class leaves out: a phrase opened by one is no subject
_ADVERBIAL = frozenset(
    {"zum", "zur", "beim", "vom", "hinter", "neben", "zwischen", "innerhalb", "außerhalb"}
    | {"angesichts", "jenseits", "oberhalb", "unterhalb", "entlang", "samt", "dank"}
)
_OBLIQUE = frozenset({"dem", "den", "einem", "einen"})  # an addressee or object, no subject
_ADJ_ENDINGS = ("e", "en", "er", "es", "em")
_NOT_VERB = frozenset({"sich", "es", "wie", "davon", "darauf", "dazu", "darüber", "damit", "dafür"})
_GENITIVE_DET = frozenset({"des", "der", "eines", "einer"})
_NO_ONE = frozenset({"man", "es", "ich", "wir", "du", "dieser", "diese", "dieses"})


def _stops(v: View, k: int) -> bool:
    return v.text[k] in {",", ":", ";"} or v.text[k] in END_PUNCT or v.text[k] in OPENERS


def _left_phrase(v: View, k: int) -> tuple[int, ...]:
    """The noun phrase right before the postposition at ``k`` ("Dem türkischen Fernsehsender
    TRT" of "… TRT zufolge", "einem Bericht der Zeitung El Pais"), up to its first article
    (a genitive one goes on to the noun it belongs to) or a clause boundary."""
    lex = v.lex
    start = v.sentence_start(k)
    j = k
    while j - 1 >= start and not _stops(v, j - 1):
        t = j - 1
        w = v.low[t]
        if w in lex.cls("determiners"):
            j = t
            if w in _GENITIVE_DET and t - 1 >= start and v.cap(t - 1) and j < k:
                continue  # "Bericht | der Zeitung"
            break
        if v.cap(t) or (
            w.isalpha()
            and w.endswith(_ADJ_ENDINGS)
            and w not in lex.cls("prepositions")
            and w not in lex.cls("finite")
            and w not in lex.cls("auxiliaries")
        ):
            j = t
            continue
        break
    while j < k and j == start and v.cap(j) and v.low[j] in lex.cls("adverbs"):
        j += 1
        start = j
    return tuple(range(j, k))


def _own_claim(v: View, att: Attribution) -> int:
    """Where the statement is told "nach eigenen Angaben" / "eigenen Angaben zufolge" (the
    token "eigenen"), or -1."""
    lex = v.lex
    toks = {*att.cue, *att.source, *att.message}
    for k in range(min(toks), min(max(toks) + 3, len(v) - 1)):
        if v.low[k] in _OWN and k + 1 < len(v) and v.text[k + 1] in lex.attribution_nouns:
            return k
    return -1


def _vorfeld(v: View, a: int, f: int) -> bool:
    """Tokens [a, f) are one noun phrase: articles, adjectives ("86-jährige"), capitalised
    words, "und", and an apposition between commas ("Die Pressesprecherin Nawalnys, Kira
    Jarmysch,")."""
    lex = v.lex
    opening = lex.cls("prepositions") | lex.cls("adverbs") | lex.cls("subordinators")
    if v.low[a] in opening or v.low[a] in _ADVERBIAL:
        return False  # "Zum Ende des Prozesses äußerte sich …": an adverbial, no subject
    if v.cap(a) and v.low[a] not in lex.cls("determiners") and not _is_noun(v, a):
        return False  # "Kritisch äußerte sich der ÖVP-Chef": an adverb first
    for t in range(a, f):
        w = v.low[t]
        if v.cap(t) or w in lex.cls("determiners") or w in ("und", "sowie"):
            continue
        if (w.isdigit() or (w in ("-", "–") and t > a and v.low[t - 1].isdigit())) and t + 1 < f:
            continue  # "Der 86-jährige Franziskus"
        if w == "," and t + 1 < f and v.cap(t + 1):
            continue
        if w == "," and t + 1 == f and any(v.text[u] == "," for u in range(a, t)):
            continue
        if w[:1].isalnum() and w.endswith(_ADJ_ENDINGS) and w not in lex.cls("prepositions"):
            continue
        return False
    return True


def _clause_subject(v: View, k: int) -> tuple[int, ...]:
    """The subject of the clause holding token ``k``: the phrase before its finite verb
    when that is all noun phrase ("Bahn und GDL hatten"), else ``sentences.subject`` (the
    phrase right after the verb, never a dative or accusative one: "hätten den Beamten …")."""
    lex = v.lex
    a = v.sentence_start(k)
    for j in range(k - 1, a, -1):
        if (
            v.text[j] in {",", ";", ":"}
            and j + 1 < len(v)
            and v.low[j + 1] in lex.cls("determiners")
        ):
            a = j + 1  # "…, der Redakteur hatte laut eigenen Angaben …"
            break
    if a + 2 < k and v.cap(a) and v.text[a + 1] in ("-", "–"):
        a += 2  # a dateline: "Athen – Mazedonien hat nach eigenen Angaben …"
    b = v.sentence_end(k)
    while b > a and v.text[b - 1] in END_PUNCT:
        b -= 1
    if b - a < 3:
        return ()
    verbs = lex.cls("finite") | lex.cls("auxiliaries")
    f = next(
        (
            t
            for t in range(a + 1, b)
            if not v.cap(t) and (v.low[t] in verbs or v.lemma[t] in lex.cues)
        ),
        None,
    )
    if (
        f is not None
        and _vorfeld(v, a, f)
        and any(v.cap(t) for t in range(a, f))
        and not (v.cap(a) and v.low[a] in lex.cls("adverbs"))
    ):
        return tuple(range(a, f - 1 if v.text[f - 1] == "," else f))
    lead = capitalised_phrase(v, a, b, apposition=False)
    closed = lex.cls("determiners") | lex.cls("prepositions") | lex.cls("conjunctions")
    if (
        f is None
        and lead is not None
        and lead[0] == a
        and lead[1] < b
        and v.low[lead[1]].isalpha()
        and not v.cap(lead[1])
        and v.low[lead[1]] not in closed
        and not (v.cap(a) and v.low[a] in lex.cls("adverbs"))
        and (v.low[a] in lex.cls("determiners") or _is_noun(v, a))
        and v.low[a] not in _ADVERBIAL
    ):
        return tuple(range(*lead))  # "Galeria betreibt … und beschäftigt nach eigenen Angaben"
    found = subject(v, a, b, v.konjunktiv())
    if not found and f is not None:
        t = f + 1 + (f + 1 < b and v.low[f + 1] == "sich")  # "äußerte sich der ÖVP-Chef"
        span = capitalised_phrase(v, t, b, apposition=False) if t < b else None
        if span is not None and span[0] == t and v.low[t] in lex.cls("determiners"):
            found = tuple(range(*span))
    if found and (v.low[found[0]] in _OBLIQUE or v.low[found[0]] in _ADVERBIAL):
        return ()  # "hätten den Beamten …", "Hinter HD Austria steht …"
    return found


def _comma_so(v: View, toks: Sequence[int]) -> tuple[int, ...]:
    """ "Bisher, so Schenk, habe Kurz …": the phrase of a parenthetical ", so X," (or a final
    ", so X.") among ``toks``."""
    lex = v.lex
    for k in toks:
        if v.low[k] not in lex.comma_so or k == 0 or v.text[k - 1] != ",":
            continue
        end = v.sentence_end(k)
        span = capitalised_phrase(v, k + 1, end, apposition=False)
        if span is None or span[0] != k + 1:
            continue
        after = v.text[span[1]] if span[1] < len(v) else "."
        if after == "," or after in END_PUNCT:
            first = span[0]
            if v.cap(first) or v.low[first] in lex.cls("determiners"):
                return tuple(range(*span))
    return ()


def _attribution_word(v: View, toks: Sequence[int]) -> tuple[int, ...]:
    """ "Dem Sender TRT zufolge", "laut einem Kripo-Beamten": the phrase an attribution word
    among ``toks`` attaches to (documents are resolved later to their owner or to no one)."""
    lex = v.lex
    for k in toks:
        low = v.low[k]
        if low in lex.after and low == "zufolge":
            phrase = _left_phrase(v, k)
            if phrase:
                return phrase
        elif low in lex.before and low in ("laut", "gemäß") and not v.cap(k - 1 if k else k):
            span = capitalised_phrase(v, k + 1, v.sentence_end(k), apposition=False)
            if span is not None and span[0] == k + 1:
                return tuple(range(*span))
    return ()


_FROM = frozenset({"aus", "vonseiten", "seitens", "von"})


def _impersonal_from(v: View, att: Attribution) -> tuple[int, ...]:
    """ "…, hieß es vonseiten der slowenischen Polizei", "Aus Sicherheitskreisen hieß es, …":
    an impersonal "heißt es" tells whose words they are by "aus", "von", "seitens" in its
    clause (a document there, "heißt es im Bericht", names no one: ``speaker_tokens``)."""
    lex = v.lex
    verb = next((c for c in att.cue if v.lemma[c] in lex.impersonal), None)
    if verb is None or not any(v.low[c] == "es" for c in att.cue):
        return ()
    inside = set(att.message)
    a, b = v.sentence_start(verb), v.sentence_end(verb)
    for t in range(a, b - 1):
        if v.low[t] not in _FROM or t in inside or abs(t - verb) > 8:
            continue
        span = capitalised_phrase(v, t + 1, b, apposition=False)
        if span is None or span[0] != t + 1 or inside & set(range(*span)):
            continue
        # the phrase ends the clause or stands before the verb; not inside a noun phrase
        # ("in dem zuerst von Geekwire öffentlich gemachten Brief")
        end = span[1]
        if end >= len(v) or end == verb or v.text[end] in {",", ":", ";"} | END_PUNCT:
            return tuple(range(*span))
    return ()


def _told(v: View, k: int, att: Attribution) -> bool:
    """The statement is what the verb at ``k`` tells: it follows the verb's clause ("betonte,
    dass …"), precedes it in the same sentence ("…, teilte X mit") or is the sentence before
    one that opens with an anaphor ("… . Das teilte X mit.")."""
    lex = v.lex
    first, last = att.message[0], att.message[-1]
    if v.sent[k] == v.sent[last] + 1:
        return v.low[v.sentence_start(k)] in _ANAPHORS
    if v.sent[k] != v.sent[first] and v.sent[k] != v.sent[last]:
        return False
    if first > k:
        near = first - max(att.cue) <= 3 or parenthetical(v, k, att)
        return near and v.low[first] not in lex.cls("conjunctions")
    return last < k and k - last <= 6


PARENTHESIS = 8  # tokens from a parenthetical verb of saying to the statement's next word


def parenthetical(v: View, k: int, att: Attribution) -> bool:
    """ "Die Lage, sagte Innenminister Huber, sei unter Kontrolle": the verb of saying at
    ``k`` and its speaker set off by commas inside the statement, which goes on after them."""
    first = att.message[0]
    return (
        0 < k < first
        and first - k <= PARENTHESIS
        and v.text[k - 1] == ","
        and v.text[first - 1] == ","
        and v.sent[k] == v.sent[first]
        and all(v.text[t] != "," for t in range(k + 1, first - 1))
    )


def _closed_pronoun(v: View, found: tuple[int, ...]) -> tuple[int, ...]:
    """``found`` (a pronoun after a verb of saying) when a comma closes its clause a few
    words on with no other noun phrase: "sagte sie, …", "sagte er am Montag, …"; not
    "fragte sie der Reporter" (there "sie" is asked)."""
    if not found:
        return ()
    det = v.lex.cls("determiners")
    for t in range(found[-1] + 1, min(found[-1] + 5, len(v))):
        if v.text[t] == ",":
            return found
        if v.low[t] in det or v.text[t] in END_PUNCT:
            return ()
    return ()


def _speaker_out_of_message(v: View, att: Attribution) -> Attribution:
    """ "Die Gespräche, sagte sie, seien konstruktiv": a message the model began right after
    a parenthetical verb of saying begins after the comma that closes its speaker."""
    if not att.cue or not att.message or att.message[0] != att.cue[-1] + 1:
        return att
    k = att.cue[0]
    if k == 0 or v.text[k - 1] != ",":
        return att
    close = next((m for m in att.message[:PARENTHESIS] if v.text[m] == ","), None)
    if close is None or close == att.message[0]:
        return att
    rest = tuple(m for m in att.message if m > close)
    return dataclasses.replace(att, message=rest) if len(rest) >= 2 else att


def _with_head(v: View, k: int, message: tuple[int, ...]) -> tuple[int, ...]:
    """The statement's words before a parenthetical verb of saying at ``k`` put back in
    front ("Die Lage" of "Die Lage, sagte Huber, sei …"), when they are a few words of the
    same sentence that the message does not hold yet; one word ("Dennoch, warnt X, …") is
    an adverb the statement does without."""
    start = v.sentence_start(k)
    head = tuple(range(start, k - 1))
    if len(head) < 2 or len(head) > PARENTHESIS or set(head) & set(message):
        return message
    return (*head, *message)


def _inner_cue(v: View, att: Attribution) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """ "Nawalny sei ermordet worden, behauptete gar Lettlands Präsident Edgars Rinkevics.",
    "Sie habe, sagt sie der Deutschen Welle, zwei Mitarbeiter erkannt": a verb of saying
    after a comma inside the message, and the phrase right after it (then a comma or the
    end). Returns (cue, phrase)."""
    lex = v.lex
    closed = lex.cls("determiners") | lex.cls("prepositions") | lex.pronouns.keys()
    for k in att.message[1:]:
        if v.text[k - 1] != "," or v.cap(k) or v.lemma[k] not in lex.cues:
            continue
        if any(c.particle for c in lex.cues[v.lemma[k]]):
            continue
        end = v.sentence_end(k)
        t = k + 1
        while (
            t < min(k + 3, end) and not v.cap(t) and v.low[t].isalpha() and v.low[t] not in closed
        ):
            t += 1  # "behauptete gar", "sagte auch"
        if t < end and v.low[t] in lex.pronouns:
            span: tuple[int, int] | None = (t, t + 1)
        else:
            span = capitalised_phrase(v, t, end)
        if span is None or span[0] != t:
            continue
        stop = span[1]
        while stop < end and v.text[stop] not in {",", "("} and v.text[stop] not in END_PUNCT:
            stop += 1  # an addressee or a time: "sagt sie der Deutschen Welle"
        if stop - span[1] > 4:
            continue
        return (k,), tuple(range(*span))
    return (), ()


def _cue_subject(v: View, att: Attribution) -> tuple[int, ...]:
    """The subject of the verb of saying in ``att.cue``: before it in a short verb-final
    clause ("wenngleich auch er betonte"), the main clause's subject ("Die Provinz Sinai des
    IS hatte sich dazu bekannt"), or after it when an anaphor opens the sentence ("Das
    teilte am Montag ein Unternehmenssprecher mit")."""
    lex = v.lex
    attributing = lex.before | lex.after | lex.comma_so
    verbs = [
        c
        for c in att.cue
        if v.low[c].isalpha()
        and not v.cap(c)
        and v.low[c] not in attributing
        and v.low[c] not in _NOT_VERB
        and (c == 0 or v.low[c - 1] != "zu")
    ]
    if not verbs or not att.message or not _told(v, verbs[0], att):
        return ()
    k = verbs[0]
    start = v.sentence_start(k)
    if any(v.lemma[j] == "werden" for j in range(start, min(k + 3, len(v)))):
        return ()  # a passive: "wurde mitgeteilt" names no speaker here
    j = k
    while j > start and not _stops(v, j - 1) and v.low[j - 1] not in lex.cls("subordinators"):
        j -= 1
    if j == k and j > start and v.text[j - 1] == "," and v.lemma[k] in lex.cues:
        # a verb of saying first in its clause: its subject follows ("…, enthüllte vergangenes
        # Jahr die Initiative X."; "Dennoch, warnt Lueftner, seien …"), unlike "…, wonach X";
        # a pronoun only when the comma closes it off: "Die Gespräche, sagte sie, seien …"
        found = _after_verb(v, k)
        return found or _closed_pronoun(v, _after_verb(v, k, pronoun=True))
    if j > start and (v.low[j - 1] in lex.cls("subordinators") or v.text[j - 1] == ","):
        # a verb-final clause: its subject stands between the opener and the verb
        words = [t for t in range(j, k) if v.low[t] not in lex.cls("adverbs")]
        if not words or len(words) > 5 or any(v.low[t] in lex.cls("conjunctions") for t in words):
            return ()
        pron = [t for t in words if v.low[t] in lex.pronouns and v.low[t] not in ("es", "man")]
        if pron:
            return (pron[0],)
        span = capitalised_phrase(v, words[0], k, apposition=False)
        return tuple(range(*span)) if span is not None else ()
    if j != start:
        return ()
    if (
        v.low[start] in _ANAPHORS
        and start + 1 < len(v)
        and (start + 1 == k or v.low[start + 1] in lex.cls("finite"))
    ):
        return _after_verb(v, k, start + 2)
    return _clause_subject(v, k)


_TIME_NOUNS = frozenset({"jahr", "woche", "monat", "wochenende", "tag", "abend", "nacht"})


def _after_verb(v: View, k: int, t: int = -1, *, pronoun: bool = False) -> tuple[int, ...]:
    """The subject right after the verb of saying at ``k`` (from ``t``), past adverbs and
    times ("teilte am Montag ein Unternehmenssprecher mit", "enthüllte vergangenes Jahr die
    Initiative …"); never an object or addressee."""
    lex = v.lex
    t = k + 1 if t < 0 else t
    while t < len(v) and t < k + 8 and not _stops(v, t):
        if v.low[t] in lex.cls("adverbs") or v.low[t] in lex.cls("timewords"):
            t += 1
        elif v.low[t] in ("am", "im", "vom", "seit") and t + 1 < len(v) and v.cap(t + 1):
            t += 2  # "am Montag", "im Januar"
        elif not v.cap(t) and t + 1 < len(v) and v.low[t + 1] in _TIME_NOUNS:
            t += 2  # "vergangenes Jahr", "letzte Woche"
        else:
            break
    if pronoun and t < len(v) and v.low[t] in ("er", "sie"):
        return (t,)  # "Dem Telegraph sagte er"
    span = capitalised_phrase(v, t, v.sentence_end(k), apposition=False)
    if span is None and _age_noun(v, t):
        span = (t, t + 4)  # "sagte der 48-Jährige": np_after reads capitalised words only
    if (
        span is not None
        and span[0] == t
        and v.low[t] not in _OBLIQUE
        and (v.low[t] in lex.cls("determiners") or v.cap(t))
    ):
        return tuple(range(*span))
    return ()


def _age_noun(v: View, t: int) -> bool:
    """ "der 48-Jährige" from ``t``: an article, a number, a hyphen, a capitalised word (the
    tokenizer splits the noun)."""
    return (
        t + 3 < len(v)
        and v.low[t] in v.lex.cls("determiners")
        and v.low[t + 1].isdigit()
        and v.text[t + 2] == "-"
        and v.cap(t + 3)
    )


_BY = frozenset({"seitens", "vonseiten", "gegenüber"})


def addressee(v: View, toks: Sequence[int]) -> bool:
    """ "Dem STANDARD sagte die Sprecherin", "zwinge, einen Arbeitsplatz anzunehmen": a
    phrase opened by a dative or accusative article, after no preposition ("laut dem
    Sprecher", "aus dem Ministerium") and before no "zufolge", is an addressee or an object,
    never who spoke."""
    if not toks or v.low[toks[0]] not in _OBLIQUE:
        return False
    k, end = toks[0] - 1, max(toks) + 1
    lex = v.lex
    before = v.low[k] if k >= 0 and v.sent[k] == v.sent[toks[0]] else ""
    if before in lex.cls("prepositions") or before in lex.before or before in _BY:
        return False
    return not (end < len(v) and v.low[end] in lex.after)


def instead_of_addressee(v: View, att: Attribution, mentions: Sequence[Mention]) -> Attribution:
    """``att`` without a speaker that is an ``addressee``; "Dem Telegraph sagte er": the
    subject right after the verb of saying that follows it speaks."""
    if not addressee(v, att.source):
        return att
    verb = max(att.source) + 1
    found = ()
    if verb < len(v) and not v.cap(verb) and v.lemma[verb] in v.lex.cues:
        found = _after_verb(v, verb, pronoun=True)
    source = _named(v, found, mentions) if found else ()
    return dataclasses.replace(att, source=source)


def missing_speaker(v: View, att: Attribution, mentions: Sequence[Mention]) -> Attribution:
    """``att`` with a speaker found around it when the model gave it none (or only the
    "eigenen Angaben" of the clause's own subject); unchanged otherwise."""
    own = _own_claim(v, att)
    if att.source and own < 0:
        return att
    att = _speaker_out_of_message(v, att)
    toks = sorted({*att.message, *att.cue})
    if own < 0 and not att.cue:
        cue, phrase = _inner_cue(v, att)
        source = _named(v, phrase, mentions) if phrase else ()
        if source:
            before = tuple(m for m in att.message if m < cue[0] - 1)
            nxt = max(source) + 1
            ends = nxt >= len(v) or v.text[nxt] in END_PUNCT or v.text[nxt] == "("
            message = before if ends and len(before) >= 3 else att.message
            return dataclasses.replace(att, cue=cue, source=source, message=message)
    steps = (
        (lambda: _clause_subject(v, own)) if own >= 0 else (lambda: ()),
        lambda: _comma_so(v, toks),
        lambda: _attribution_word(v, toks),
        lambda: _impersonal_from(v, att),
        lambda: _cue_subject(v, att),
        lambda: interview_turn(v, att, mentions),
    )
    for step in steps:
        found = step()
        if not found:
            continue
        source = _named(v, found, mentions)
        if source and not set(source) & set(att.cue) and not addressee(v, source):
            message = _without(v, att.message, source)
            if att.cue and parenthetical(v, att.cue[0], att):
                message = _with_head(v, att.cue[0], message)
            return dataclasses.replace(att, source=source, message=message)
    return dataclasses.replace(att, source=()) if own >= 0 else att


TURN = 3  # words of a name before the colon that opens an interview answer


def interview_turn(v: View, att: Attribution, mentions: Sequence[Mention]) -> tuple[int, ...]:
    """ "Kreissl: Wir sollten darüber nachdenken, dass …": an interview answer opened by the
    name of who answers (a person the entities stage found) and a colon."""
    a = v.sentence_start(min(att.message))
    colon = next((j for j in range(a + 1, min(a + TURN + 1, len(v))) if v.text[j] == ":"), None)
    if colon is None or min(att.message) <= colon or v.sent[colon] != v.sent[a]:
        return ()
    lo, hi = v.starts[a], v.ends[colon - 1]
    person = any(m.label == "PER" and m.start <= lo and hi <= m.end for m in mentions)
    return tuple(range(a, colon)) if person else ()


def _named(v: View, found: tuple[int, ...], mentions: Sequence[Mention]) -> tuple[int, ...]:
    """``found`` cut to what names someone (``speaker_tokens``); a coordination ("Bahn und
    GDL") names someone when one of its parts does; never "man", "es", "ich", "wir" or a
    bare demonstrative."""
    source = speaker_tokens(v, found, mentions)
    if not source:
        cuts = [i for i, t in enumerate(found) if v.low[t] in ("und", "sowie")]
        parts = [found[a + 1 : b] for a, b in zip([-1, *cuts], [*cuts, len(found)], strict=True)]
        if cuts and all(parts) and any(speaker_tokens(v, p, mentions) for p in parts):
            source = found
    if len(source) == 1 and v.low[source[0]] in _NO_ONE:
        return ()
    return tail_cut(v, source, mentions)


def _without(v: View, message: tuple[int, ...], source: tuple[int, ...]) -> tuple[int, ...]:
    """ "Dem Sender TRT zufolge kamen …": a message that opens with its speaker and the
    attribution word starts after them."""
    end = max(source) + 1
    if message[: len(source)] == tuple(sorted(source)) and end < len(v) and v.text[end] == ",":
        rest = tuple(m for m in message if m > end)  # "Dennoch, warnt | Lueftner, | seien …"
        return rest if len(rest) >= 3 else message
    if message[:1] != (min(source),) or end >= len(v) or v.low[end] not in v.lex.after:
        return message
    rest = tuple(m for m in message if m > end)
    return rest if len(rest) >= 3 else message


# Konjunktiv II: narration writes it too ("… würden ihm nur 18 Prozent vertrauen")
_KONJUNKTIV_II = frozenset(
    {"hätte", "hätten", "wäre", "wären", "würde", "würden", "könnte", "könnten", "gäbe"}
    | {"müsste", "müssten", "dürfte", "dürften", "sollte", "sollten", "wollte", "wollten"}
)


def _person(v: View, toks: Sequence[int], mentions: Sequence[Mention]) -> bool:
    """A speaker phrase that is a person the entities stage found ("Manahl")."""
    lo, hi = v.starts[min(toks)], v.ends[max(toks)]
    return any(m.label == "PER" and lo <= m.start and m.end <= hi for m in mentions)


def _reported_first(v: View, att: Attribution) -> bool:
    """The statement's first sentence is in Konjunktiv I ("sei", "habe", "fordere")."""
    s = v.sent[att.message[0]]
    return any(
        v.is_konjunktiv(m) and v.low[m] not in _KONJUNKTIV_II for m in att.message if v.sent[m] == s
    )


def follow_on_speakers(
    v: View,
    atts: Sequence[Attribution],
    mentions: Sequence[Mention],
    reported: Callable[[Attribution], bool],
) -> list[Attribution]:
    """ "Manahl sieht die Lösung in der Bildung. Vorausgesetzt, die Bevölkerung werde …": a
    statement of reported speech (``reported``) without cue and speaker that opens its
    sentence goes on with the person who is the subject of the sentence before, when that
    sentence is narration (no statement in it)."""
    taken = {v.sent[k] for a in atts for k in (*a.message, *a.source, *a.cue)}
    konj = v.konjunktiv()
    out = list(atts)
    for i, att in enumerate(atts):
        if att.source or att.nested or not att.message or not reported(att):
            continue
        if not _reported_first(v, att):
            continue
        first = min(att.message)
        s = v.sent[first]
        if first - v.sentence_start(first) > 1 or s == 0 or s - 1 in taken:
            continue
        a, b = v.bounds[s - 1]
        found = subject(v, a, b, konj)
        source = _named(v, found, mentions) if found else ()
        if source and _person(v, source, mentions):
            out[i] = dataclasses.replace(att, source=source)
    return out


__all__ = ["addressee", "follow_on_speakers", "instead_of_addressee", "missing_speaker"]
