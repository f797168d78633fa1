"""quotes stage: who said what — direct, indirect and reported speech with cue and speaker.

``analyze`` fills ``doc.quotes``: rules over the text layer's tokens (``extract``) feed a CRF
trained on GermEval 2023 SpkAtt (``learned``, shipped in ``models/quotes-de``; the rules alone
where no model exists, e.g. English), whose statements a second stage screens (``screen``) and
gives their speakers (``chooser``); speakers are resolved within the article (``speakers``).
``group_statements`` gathers a story's quotes by speaker and merges the same statement carried
by several outlets. ``evaluate`` scores on GermEval 2023 SpkAtt task 2 (cross-validated).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np

from lagebild.config import Config
from lagebild.model import Doc, Mention, Quote, Span
from lagebild.quotes.extract import Attribution, extract
from lagebild.quotes.fallback import (
    follow_on_speakers,
    instead_of_addressee,
    interview_turn,
    missing_speaker,
)
from lagebild.quotes.group import group_statements
from lagebild.quotes.learned import shipped
from lagebild.quotes.lexicon import lexicon
from lagebild.quotes.orgrefs import resolve_org_nouns
from lagebild.quotes.phrases import np_after
from lagebild.quotes.refine import ANAPHORS
from lagebild.quotes.speaker_type import speaker_tokens, tail_cut
from lagebild.quotes.speakers import (
    Speaker,
    describe,
    known_names,
    resolve,
    resolve_pronouns,
    resolve_role_nouns,
)
from lagebild.quotes.view import CLOSERS, END_PUNCT, OPENERS, View

if TYPE_CHECKING:
    from lagebild.quotes.encoded import EncodedModel

NAME = "quotes"
VERSION = 43  # 43: analyses by 39-42 may lack the quotes of articles with a wordless speaker phrase


def _span(v: View, positions: tuple[int, ...]) -> Span | None:
    if not positions:
        return None
    return Span(v.starts[min(positions)], v.ends[max(positions)])


_NOT_SPEAKER = frozenset({"es", "sich", "auch", "jedoch", "aber", "und"})


def _speaker_tokens(v: View, positions: tuple[int, ...]) -> tuple[int, ...]:
    """The speaker tokens without leading words that name no one ("geht es Beobachtern
    zufolge" -> "Beobachtern")."""
    out = sorted(positions)
    while len(out) > 1 and v.low[out[0]] in _NOT_SPEAKER:
        out.pop(0)
    return tuple(out)


_SOURCE_PREPOSITIONS = frozenset({"aus", "von", "vom"})  # "Angaben aus/von X"


def _whose_information(v: View, att: Attribution) -> Attribution:
    """ "Nach Angaben | aus Regierungskreisen geht es um …": a speaker that is only an
    attribution noun takes the phrase naming whose information it is, from the gap before
    the message, from the message's start, or from inside the message when the attribution
    sits in the middle of its sentence ("Das Treffen soll nach Informationen | aus
    Militärkreisen | verschoben werden")."""
    if len(att.source) != 1 or not att.message:
        return att
    k = att.source[0]
    first = min(att.message)
    nxt = k + 1
    if v.text[k] not in v.lex.attribution_nouns or nxt >= len(v):
        return att
    if v.low[nxt] not in _SOURCE_PREPOSITIONS and v.low[nxt] not in v.lex.cls("determiners"):
        return att
    start = nxt + 1 if v.low[nxt] in _SOURCE_PREPOSITIONS else nxt
    inside = first < k and start in att.message
    if first < nxt and not inside:
        return att
    # the phrase lies between the noun and the message, or opens (or sits inside) the message
    limit = first if first > nxt else max(att.message) + 1
    span = np_after(v, start, limit, apposition=False)
    if span is None or (first > nxt and span[1] != first):
        return att
    owner = tuple(range(k, span[1]))
    if inside:
        rest = tuple(m for m in att.message if not nxt <= m < span[1])
    else:
        rest = tuple(m for m in att.message if m >= span[1])
    return dataclasses.replace(att, source=owner, message=rest) if len(rest) >= 2 else att


def _to_name_end(v: View, att: Attribution, mentions: tuple[Mention, ...]) -> Attribution:
    """A speaker that stops inside a name runs to the name's end: "das Landesamt" of "teilte
    das Landesamt für Umwelt mit" is the office the entities stage found."""
    if not att.source:
        return att
    last = max(att.source)
    at = v.starts[last]
    name = next((m for m in mentions if m.start <= at < m.end and m.end > v.ends[last]), None)
    if name is None:
        return att
    more = []
    k = last + 1
    while k < len(v) and v.ends[k] <= name.end:
        more.append(k)
        k += 1
    if not more or set(more) & {*att.message, *att.cue}:
        return att
    return dataclasses.replace(att, source=(*att.source, *more))


def _cue_from_message(v: View, att: Attribution) -> Attribution:
    """ "Der Wetterdienst erwartet, dass …", "Aumann sagte schnelle Soforthilfe zu": a statement
    found without its cue has the verb of saying (with its particle) and the speaker's words
    in its message; the verb is the cue and the rest the message, indirect with a clause,
    reported without one."""
    if att.cue or not att.source or att.kind == "direct":
        return att
    source = set(att.source)
    msg = [m for m in att.message if m not in source]
    if len(msg) < 3 or msg[0] != max(source) + 1:
        return att
    k = msg[0]
    if not v.lex.cues.get(v.lemma[k]) or v.cap(k):
        return att
    cue, rest = [k], msg[1:]
    if v.text[rest[0]] == ",":
        rest = rest[1:]
    if rest and v.text[rest[-1]] in END_PUNCT:
        rest = rest[:-1]
    if rest and v.low[rest[-1]] in v.lex.cls("particles"):
        cue.append(rest.pop())  # "sagte … zu"
    if len(rest) < 2:
        return att
    clause = v.low[rest[0]] in v.lex.cls("subordinators") or any(v.is_konjunktiv(m) for m in rest)
    kind = "indirect" if clause else "reported"
    return dataclasses.replace(att, kind=kind, cue=tuple(cue), message=tuple(rest))


def _without_anaphor(v: View, att: Attribution) -> Attribution:
    """ "Lumetra baut 1.200 Stellen ab. Das teilte das Unternehmen mit.": the statement is the
    sentence before; the "Das" pointing back at it (which the annotation convention counts in)
    is no part of what a reader should see quoted."""
    if len(att.message) < 3 or v.sent[att.message[-1]] == v.sent[att.message[0]]:
        return att
    last = att.message[-1]
    if v.low[last] in ANAPHORS and last == v.sentence_start(last):
        return dataclasses.replace(att, message=att.message[:-1])
    return att


def _without_dateline(v: View, att: Attribution) -> Attribution:
    """ "Essen - Deutschlands letzter großer Warenhauskonzern …", "Amstetten/St. Pölten –
    …": the place line a report opens with is no part of the statement."""
    msg = att.message
    dash = next((i for i, m in enumerate(msg[:5]) if v.text[m] in ("-", "–")), None)
    if dash is None or dash == 0 or len(msg) - dash < 4 or not v.cap(msg[dash + 1]):
        return att
    head = msg[:dash]
    if any(not (v.cap(m) or v.text[m] in ("/", ".")) for m in head):
        return att
    if msg[dash + 1] - msg[0] != dash + 1:  # the place line and what follows are one run
        return att
    return dataclasses.replace(att, message=msg[dash + 1 :])


_LOOSE = frozenset({",", ";", ":", "-", "–", "—"})


def _trimmed(v: View, att: Attribution) -> Attribution:
    """The message without the comma or dash it was cut at (", halte sie ihre
    Urteilsbegründungen immer frei" after "Eigentlich, so die Richterin,"; "Zudem sind
    Leitungen beschädigt,"): a reader sees the words, not the seam."""
    msg = sorted(att.message)
    lo, hi = 0, len(msg)
    while lo < hi and v.text[msg[lo]] in _LOOSE:
        lo += 1
    while hi > lo and v.text[msg[hi - 1]] in _LOOSE:
        hi -= 1
    if (lo, hi) == (0, len(msg)) or lo == hi:
        return att
    return dataclasses.replace(att, message=tuple(msg[lo:hi]))


def _tidy(v: View, att: Attribution, mentions: tuple[Mention, ...]) -> Attribution:
    """One statement as a reader should see it (the model's output is cut to the annotation
    conventions it is scored by): speaker phrase, whose information, name end, cue, anaphor,
    and a speaker that names someone (``speaker_type``: no adverb, view or document)."""
    att = dataclasses.replace(att, source=_speaker_tokens(v, att.source))
    att = _to_name_end(v, _whose_information(v, att), mentions)
    att = _trimmed(v, _without_anaphor(v, _cue_from_message(v, _without_dateline(v, att))))
    source = tail_cut(v, speaker_tokens(v, att.source, mentions), mentions)
    return instead_of_addressee(v, dataclasses.replace(att, source=source), mentions)


def _named_turn(v: View, att: Attribution, mentions: tuple[Mention, ...]) -> Attribution:
    """ "Dumbović: «Wir ziehen Leute aus dem Auto …»": a quotation right after a person's name
    and a colon that open its sentence is that person's, whichever speaker the model chose
    (it took "Lokale Medien" from the next sentence), and it ends at its closing mark."""
    o = min(att.message)
    if att.form != "direct" or o < 2 or v.text[o] not in OPENERS or v.text[o - 1] != ":":
        return att
    turn = interview_turn(v, att, mentions)
    if not turn or max(turn) + 2 != o:
        return att
    closers = OPENERS[v.text[o]]
    close = next((k for k in sorted(att.message) if k > o and v.text[k] in closers), None)
    message = tuple(m for m in att.message if close is None or m <= close)
    return dataclasses.replace(att, source=turn, message=message)


def _to_closing_mark(v: View, att: Attribution) -> Attribution:
    """ "„Ich appelliere an alle, … bewusst zu sein.“ Das gelang.": a quotation whose closing
    mark ends its sentence ends the statement; the model's labels running on into the next
    sentence are narration (5 of 729 real-dev quotes). A quotation opening that next sentence
    ("…“ “With immense gratitude …”") goes on with it."""
    msg = sorted(att.message)
    o = msg[0]
    if att.form != "direct" or v.text[o] not in OPENERS:
        return att
    closers = OPENERS[v.text[o]]
    close = next((k for k in msg if k > o + 1 and v.text[k] in closers), None)
    if close is None or close == msg[-1] or v.text[close - 1] not in END_PUNCT:
        return att
    after = next(k for k in msg if k > close)
    if v.sent[after] == v.sent[close] or v.text[after] in OPENERS:
        return att
    return dataclasses.replace(att, message=tuple(k for k in msg if k <= close))


def _from_opening_mark(v: View, att: Attribution) -> Attribution:
    """ "Und trotz furchtbarer Strapazen hat er seinen Mut nicht verloren: „Mir geht es gut“,
    schrieb der 47-Jährige": the narration before a colon that opens a quotation is no part
    of the quoted words (the model's labels ran back over it)."""
    msg = sorted(att.message)
    if att.form != "direct" or v.text[msg[0]] in OPENERS:
        return att
    o = next((k for k in msg[1:] if v.text[k] in OPENERS and v.text[k - 1] == ":"), None)
    if o is None or any(v.text[k] in OPENERS or v.text[k] in CLOSERS for k in msg if k < o):
        return att
    closers = OPENERS[v.text[o]]
    if not any(k > o + 1 and v.text[k] in closers for k in msg):
        return att
    return dataclasses.replace(att, message=tuple(k for k in msg if k >= o))


def _text(v: View, positions: tuple[int, ...]) -> str:
    return " ".join(v.text[p] for p in sorted(positions))


SpeakerCheck = Callable[[tuple[int, ...]], bool]


def _adverb_cue(v: View, a: Attribution) -> bool:
    """A statement cued by "laut" used as the adjective or adverb ("In der SPÖ wurden Zweifel
    laut, ob …", "wird laut aufgerufen"): the preposition names a source, a capitalised word
    within four words before any punctuation ("laut dem Bericht", "laut nicht näher
    präzisierten Infos"); the adjective and the adverb go with a verb or a punctuation mark."""
    if len(a.cue) != 1 or v.low[a.cue[0]] != "laut":
        return False
    for j in range(a.cue[0] + 1, min(len(v), a.cue[0] + 5)):
        word = v.text[j]
        if word in ("@", "#"):
            continue  # "Laut @GOettingerEU": a handle names a source
        if v.sent[j] != v.sent[a.cue[0]] or not word[:1].isalnum():
            return True
        if word[:1].isupper():
            return False
    return False


def _found(doc: Doc, v: View, fast: bool) -> tuple[list[Attribution], SpeakerCheck | None]:
    """The statements of the doc: the quote CRF with the encoder head's features (unless
    ``fast`` or no encoder here), the CRF alone, or the rules where there is no model; and,
    in encoder mode, whether a speaker's tokens name someone (``speaker_nouns``)."""
    if not fast and v.lex.lang == "de":
        from lagebild.quotes.encoded import doc_token_states
        from lagebild.quotes.encoded import shipped as shipped_encoded
        from lagebild.text.encode import encoder_available

        enc_model = shipped_encoded(v.lex.lang) if encoder_available() else None
        if enc_model is not None:
            states = doc_token_states(doc, enc_model.layers)
            return enc_model.attributions(v, states), _speaker_check(enc_model, v, states, doc)
    model = shipped(v.lex.lang)
    return (model.attributions(v) if model is not None else extract(v)), None


def _speaker_check(
    model: EncodedModel, v: View, states: np.ndarray, doc: Doc
) -> SpeakerCheck | None:
    from lagebild.quotes.speaker_nouns import names_someone
    from lagebild.quotes.speaker_type import _covered

    speakers = model.speakers
    if speakers is None:
        return None
    columns = model.speaker_columns()

    def check(toks: tuple[int, ...]) -> bool:
        return names_someone(speakers, v, toks, states, columns,
                             lambda k: _covered(v, k, doc.mentions))  # fmt: skip

    return check


def quotes_of(doc: Doc, fast: bool = False) -> tuple[Quote, ...]:
    """The doc's attributed statements as ``Quote`` records (character spans into the text)."""
    lex = lexicon(doc.article.language or "de")
    v = View.of(doc, lex)
    found, check = _found(doc, v, fast)
    found = [a for a in found if not _adverb_cue(v, a)]
    # a nested clause ("Er hoffe, dass …, fügte Kim hinzu") repeats the outer statement
    atts = [_tidy(v, a, doc.mentions) for a in found if not a.nested or a.kind == "fragment"]
    atts = [missing_speaker(v, a, doc.mentions) for a in atts]
    atts = [
        _to_closing_mark(v, _from_opening_mark(v, _named_turn(v, a, doc.mentions))) for a in atts
    ]
    if check is not None:
        atts = [a if not a.source or check(a.source) else dataclasses.replace(a, source=())
                for a in atts]  # fmt: skip
    text = doc.article.text
    speakers: list[Speaker] = []
    for att in atts:
        sp = _span(v, att.source)
        speakers.append(
            describe(sp.slice(text), sp.start, lex)
            if sp
            else Speaker("", "", None, -1, named=False)
        )
    order = sorted(
        range(len(atts)),
        key=lambda i: speakers[i].start if speakers[i].start >= 0 else v.starts[atts[i].message[0]],
    )
    names = known_names(text, lex, doc.article.title)
    resolved_in_order = resolve([speakers[i] for i in order], names, doc.mentions, lex)
    resolved_in_order = resolve_pronouns(resolved_in_order, doc.sentences, doc.mentions, lex)
    resolved_in_order = resolve_role_nouns(resolved_in_order, text, doc.mentions, lex)
    resolved_in_order = resolve_org_nouns(resolved_in_order, text, doc.mentions, lex.lang)
    resolved = dict(zip(order, resolved_in_order, strict=True))
    atts, resolved = _carried_over(v, atts, resolved)
    followed = follow_on_speakers(v, atts, doc.mentions, lambda a: _reported_speech(v, a))
    for i, att in enumerate(followed):
        if att.source and not atts[i].source:
            sp = _span(v, att.source)
            assert sp is not None
            (resolved[i],) = resolve(
                [describe(sp.slice(text), sp.start, lex)], names, doc.mentions, lex
            )
    atts = followed
    out = []
    for i, att in enumerate(atts):
        msg = _span(v, att.message)
        assert msg is not None
        cue = _span(v, att.cue)
        sp = _span(v, att.source)
        if sp is None and att.form != "direct" and lex.lang in SPEAKER_NEEDED:
            continue  # "Add 10 % for overruns", "stress that …": no one says it
        who = resolved[i]
        out.append(
            Quote(
                article_id=doc.id,
                form=att.form,
                message=msg,
                message_text=msg.slice(text),
                cue=cue,
                cue_text=_text(v, att.cue),
                speaker=sp,
                speaker_text=sp.slice(text) if sp else "",
                speaker_entity=who.entity,
                speaker_name=who.name,
            )
        )
    return tuple(out)


# Languages whose indirect statements need a speaker to be kept: without a trained model
# (English, French: the rules alone), a verb of saying with no one before or after it is mostly a
# noun or an instruction ("demand helping businesses …", "Expect …"): 176 of 952 English
# quotes on WCXB pages, of which a sample of 25 held one real statement.
SPEAKER_NEEDED = frozenset({"en", "fr"})
CARRY = 2  # sentences a speaker carries over to a following statement of reported speech


def _reported_speech(v: View, att: Attribution) -> bool:
    """A statement with no cue (or an impersonal "hieß es") whose message is Konjunktiv or a
    quotation, or one told by "Demnach" / "Danach": it goes on with what someone said."""
    anaphoric = v.lex.cls("anaphoric-sources")
    if att.cue and all(v.low[c] in anaphoric for c in att.cue):
        return True
    if any(v.lemma[c] not in v.lex.impersonal and v.low[c] != "es" for c in att.cue):
        return False
    return att.kind == "direct" or any(v.is_konjunktiv(m) for m in att.message)


def _carried_over(
    v: View, atts: list[Attribution], resolved: dict[int, Speaker]
) -> tuple[list[Attribution], dict[int, Speaker]]:
    """ "… sagt Valenta. Der Soziologe führt das auch auf Flucht zurück. Flucht habe zu einer
    Verschiebung der Rollen geführt.": a statement of reported speech without cue and speaker
    goes on with the speaker of the statement just before it, when that one ends at most
    ``CARRY`` sentences earlier and was told by a verb of saying (or was itself carried on
    from one). On SpkAtt the model learns such follow-on sources within ``tagger.INHERIT``
    sentences; this step gives the reader the speaker where the model left it out."""
    atts, resolved = list(atts), dict(resolved)
    by_start = sorted(range(len(atts)), key=lambda i: atts[i].message[0])
    carried: set[int] = set()
    for n, i in enumerate(by_start):
        att = atts[i]
        if att.source or att.nested or not _reported_speech(v, att):
            continue
        prev = next((j for j in reversed(by_start[:n]) if not atts[j].nested), None)
        if prev is None or not atts[prev].source or not resolved[prev].name:
            continue
        told = any(v.lex.cues.get(v.lemma[c]) or v.low[c] in v.lex.comma_so for c in atts[prev].cue)
        if not told and prev not in carried:
            continue
        if v.sent[att.message[0]] - v.sent[atts[prev].message[-1]] > CARRY:
            continue
        atts[i] = dataclasses.replace(att, source=atts[prev].source)
        resolved[i] = resolved[prev]
        carried.add(i)
    return atts, resolved


def stage_version(config: Config) -> str:
    """The version stored docs carry (33: a statement's words without the comma or dash it was
    cut at; 32: English and French by word order (``Lexicon.svo``, French word lists new): the
    speaker after a verb that follows a statement, "…, said the spokesman", "«…», a déclaré
    le président"; a verb of saying as a noun, imperative, infinitive, bare -ing or "is
    expected to" is no cue; a clause before "said" is no subject; an indirect statement with
    no speaker is dropped (``SPEAKER_NEEDED``); in every language a quotation right after
    "Name:" opening its sentence is that person's and ends at its closing mark; 31: "den Autoren" is "Autoren", not "Autore"; 30: a group of people, "die Forscher", is named as
    the group, never resolved to one person; 29: an impersonal "hieß es" names whose words they
    are by "aus", "von", "seitens" in its clause, "hieß es vonseiten der Polizei"; 28: compounds of a four-letter role noun are roles,
    "Fraktionschef", "Vorstandschef John Cryan" is "John Cryan"; 27: a speaker whose nouns are all times names no one,
    "Sonntagfrüh gab es …", "Bericht vom Donnerstag"; 26: a speaker opened by a dative or accusative article
    after no preposition is an addressee or object, "Dem Telegraph sagte er", and the subject
    after the verb speaks; 25: a Konjunktiv follow-on without cue and speaker
    after a narrated sentence whose subject is a person, ``fallback.follow_on_speakers``; 24: the subject after a verb of saying that opens its
    clause, "Dennoch, warnt Lueftner, seien …", also where the statement follows; an age noun
    looks back like "er"; 23: an age noun after the verb of saying speaks,
    "…, sagte der 48-Jährige", and is the person named before it; 22: the subject after the verb that follows a fronted
    statement, "…, enthüllte vergangenes Jahr die Initiative X"; names chosen the same way
    in every run; 21: an interview answer "Kreissl: …" is the named
    person's; 20: a speaker phrase ending in a person after a title
    or a comma is that person, "der Fraktionschef der Wahren Finnen, Sampo Terho"; 19: a pronoun whose sentence and the one before name no
    one looks further back, ``speakers.BACK`` sentences; 18: a speaker the entities stage found is named as the
    article writes that entity at its fullest, "Usain Bolt" not "Weltrekord von Bolt", no
    party in brackets, a pronoun by its antecedent's full name; 17: no place line in a statement, "ein
    Unternehmenssprecher" speaks for the company; 16: no subject from "Hinter X steht …"; 15: "seines Arztes" named "Arzt"; 14: the subject after "äußerte sich"; 13: tail_cut keeps adjective chains and phrases with a
    participle attribute; 12: a speaker phrase ends where the phrase does,
    ``speaker_type.tail_cut``; 11: speakers named in the nominative, "…, behauptete
    X" inside a statement, the clause subject of "nach eigenen Angaben" after a dateline or an
    apposition; 10: a speaker the model missed is read off the
    statement's words, ``quotes.fallback``; 9: also a "Demnach …" statement; 8: a follow-on
    statement of reported speech takes the speaker before it, ``_carried_over``; 7: sources and clauses cut as SpkAtt cuts them,
    ``quotes.spans``; 6: speakers end before an addressee or object and run over no verb):
    encoder mode reads the encoder quote model (shipped 2026-12-06), its speaker-noun model
    (enc2), its sentence detector (enc3, ``quotes.sentences``) and a statement screen that
    reads the head (enc4, ``screen.head_share``), and a head whose weights are averaged over
    its last epochs (enc5, ``encoded.AVERAGE``, all files retrained) and two such heads of
    seeds 13 and 14 averaged (enc6, ``encoded.MEMBERS``), so its analyses made before them
    are done again."""
    return str(VERSION) if config.fast else f"{VERSION}-enc6"


def analyze(doc: Doc, config: Config | None = None) -> Doc:
    """The doc with ``quotes`` filled."""
    config = config or Config()
    return dataclasses.replace(
        doc,
        quotes=quotes_of(doc, config.fast),
        stages=(*doc.stages, f"{NAME}@{stage_version(config)}"),
    )


def release() -> None:
    """Drop the quote CRF and its per-word vectors (``Pipeline.release``)."""
    from lagebild.quotes.learned import unload

    unload()


__all__ = [
    "NAME", "VERSION", "analyze", "group_statements", "quotes_of", "release", "stage_version",
]  # fmt: skip
