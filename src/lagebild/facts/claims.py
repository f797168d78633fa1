"""Event claims read off the sentence structure: where a meeting or visit is (or was), which
region a named place lies in, and "the first … since …" claims.

Kept deliberately simple: a cue word ("Treffen", "treffen sich", "empfangen", "Treffpunkt",
"Besuch") and a named place in the same clause. A place is "named" when the text shows it:
a bare capitalised word after a preposition ("in Sibirien"), a place-kind noun with a name
("Kosmodrom Wostotschny", "Amur-Region"), a capitalised adjective chain ("im Fernen Osten"),
or an entity mention from the entities stage when there is one.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from lagebild.facts.context import Clause, clauses, is_cap, is_determiner, is_lower_adj
from lagebild.facts.lexicon import Lexicon
from lagebild.model import Mention, Sentence, Token

_CUE_ROLES = frozenset({"meeting-noun", "meeting-verb", "place-noun", "visit-noun"})
_YEAR = re.compile(r"^(?:1[5-9]\d{2}|20\d{2})$")


@dataclass(frozen=True, slots=True)
class Place:
    first: int  # token range [first, last) of the place phrase (without determiners)
    last: int
    text: str  # as written, without determiners and adjectives: "Kosmodrom Wostotschny"
    name: str  # the naming part: "Wostotschny" (place-kind nouns dropped)


@dataclass(frozen=True, slots=True)
class Claim:
    first: int  # token range [first, last) of the whole expression
    last: int
    slot: str  # "meeting place", "meeting place (earlier)", "visit place", "region of X", "first since"
    value: str
    subject: str = ""
    cue: int = -1  # token index of the cue word (its clause decides the modality)


def place_at(
    toks: Sequence[Token], i: int, hi: int, lex: Lexicon, mentions: Sequence[Mention] | None = (),
    contracted: bool = False,
) -> Place | None:  # fmt: skip
    """The named place starting at token ``i`` (after its preposition), or None.

    ``mentions`` None means no tagger ran: capitalisation is then the only evidence of a
    name. Where one ran, a lone capitalised word in a language that capitalises every noun
    ("auf Eis", "in erweiterter Runde", "bei gleichem Gehalt") is a place only if the
    tagger found a name there."""
    tagged = mentions is not None
    mentions = mentions or ()
    j = i
    det = contracted
    while j < hi and (is_determiner(toks[j]) or is_lower_adj(toks[j])):
        det = det or is_determiner(toks[j])
        j += 1
    idx: list[int] = []
    while j < hi:
        t = toks[j]
        if is_cap(t) and not lex.cue(t.text) & {"meeting-noun", "visit-noun", "place-noun"}:
            idx.append(j)
        elif (
            t.text in {"von", "of"} and idx and lex.is_type_noun(toks[idx[-1]].text)
            and j + 1 < hi and is_cap(toks[j + 1])
        ):  # fmt: skip
            pass  # "Weltraumbahnhof von Wostotschny"
        else:
            break
        j += 1
    if not idx:
        return None
    words = [toks[k].text for k in idx]
    if any("time" in lex.place_role(w) for w in words) or "not-place" in lex.place_role(words[0]):
        return None
    if any(_YEAR.match(w) for w in words):
        return None
    if any(m.label == "PER" and m.start < toks[idx[-1]].end and toks[idx[0]].start < m.end
           for m in mentions):  # fmt: skip
        return None  # "Nordkoreas Machthaber Kim Jong Un in Hanoi": a person is no place
    if len(idx) == 2 and _described(toks[idx[0]], toks[idx[1]], mentions):
        return None  # "in Vietnams Hauptstadt": a description of a place, not its name
    types = [w for w in words if lex.is_type_noun(w)]
    names = [w for w in words if not lex.is_type_noun(w)]
    compound_name = any(
        "-" in w and lex.is_type_noun(w) and w.split("-")[0][:1].isupper() for w in words
    )
    covered = any(
        m.start <= toks[k].start < m.end and m.label in {"LOC", "ORG"}
        for k in idx
        for m in mentions
    )
    adjective_chain = (
        len(words) >= 2
        and words[0].endswith(("en", "er", "e", "es"))
        and not lex.is_type_noun(words[0])
    )
    lone_noun = tagged and lex.capitalised_nouns and len(words) == 1
    proper = (
        covered
        or not lex.capitalised_nouns
        or (types and names)
        or compound_name
        or (not det and not types and not lone_noun)
        or (det and adjective_chain)
    )
    if not proper:
        return None
    first, last = idx[0], idx[-1] + 1
    text = " ".join(t.text for t in toks[first:last])
    name = " ".join(names) if types and names else text
    return Place(first, last, text, name)


def _inside_phrase(toks: Sequence[Token], j: int, cue: int) -> bool:
    """Whether token ``j`` continues a phrase that starts before it (after a determiner, an
    adjective or a capitalised word): the place is read from the phrase's start, so "der
    Presse" is not taken as the bare name "Presse"."""
    if j - 1 <= cue:
        return False
    prev = toks[j - 1]
    return is_determiner(prev) or is_lower_adj(prev) or is_cap(prev)


def _genitive(tok: Token) -> bool:
    """ "Nordkoreas", "Chinas": a name whose lemma drops the genitive -s."""
    return tok.text.endswith("s") and bool(tok.lemma) and tok.lemma != tok.text


def _described(owner: Token, noun: Token, mentions: Sequence[Mention]) -> bool:
    """ "Vietnams Hauptstadt", "Bayerns Norden": a place in the genitive (a place mention
    whose lemma differs from the word) before a noun no mention covers, a place-kind noun
    ("Hauptstadt") too: with no name after it, the phrase names no place."""
    named = any(m.start <= owner.start < m.end and m.label == "LOC" for m in mentions)
    bare = not any(m.start <= noun.start < m.end for m in mentions)
    return _genitive(owner) and named and bare


def _is_meeting_verb(toks: Sequence[Token], k: int, clause: Clause, lex: Lexicon) -> bool:
    t = toks[k]
    if "meeting-verb" not in lex.cue(t.text) or not t.text[:1].islower():
        return False
    if not lex.capitalised_nouns and lex.cue(t.text) & {"meeting-noun"}:
        return False
    if t.text.casefold().startswith(("empf", "begegn", "zusammen")):
        return True
    words = {x.text.casefold() for x in toks[clause.first : clause.last]}
    return bool(words & lex.words("reciprocal"))


def _past(
    toks: Sequence[Token], lo: int, hi: int, cue: int, lex: Lexicon, year: int | None
) -> bool:
    """Whether the meeting lies in the past: "ersten Gipfeltreffen", "schon einmal", "2019"."""
    words = [t.text.casefold() for t in toks]
    for k in range(max(lo, cue - 3), cue):
        if "past" in lex.cue(words[k]):
            return True
    for k in range(lo, hi - 1):
        if "past" in lex.cue(f"{words[k]} {words[k + 1]}"):
            return True
    for k in range(lo, hi):
        if _YEAR.match(words[k]) and (year is None or int(words[k]) < year):
            return True
    return False


def _places_in(
    toks: Sequence[Token],
    lo: int,
    hi: int,
    preps: frozenset[str],
    lex: Lexicon,
    mentions: Sequence[Mention] | None,
) -> list[Place]:
    out = []
    for k in range(lo, hi):
        w = toks[k].text.casefold()
        if w in preps:
            p = place_at(toks, k + 1, hi, lex, mentions, contracted=w in lex.words("contracted"))
            if p is not None:
                out.append(p)
    return out


def meeting_claims(
    sent: Sentence, lex: Lexicon, mentions: Sequence[Mention] | None = (), year: int | None = None
) -> list[Claim]:
    """Where a meeting or visit takes (took, will take) place, per clause."""
    toks = sent.tokens
    out: list[Claim] = []
    cls = clauses(sent)
    for ci, clause in enumerate(cls):
        cues = [k for k in range(clause.first, clause.last) if lex.cue(toks[k].text) & _CUE_ROLES]
        for n, k in enumerate(cues):
            roles = lex.cue(toks[k].text)
            noun = is_cap(toks[k]) or not lex.capitalised_nouns
            stop = cues[n + 1] if n + 1 < len(cues) else clause.last
            if noun and roles & {"meeting-noun", "visit-noun"}:
                # one visits a place "in" it or goes "to"/"nach" it: "visit to Germany"
                at, to = lex.words("locative"), lex.words("destination")
                preps = at | to if "visit-noun" in roles else at
                after = _places_in(toks, k + 1, stop, preps, lex, mentions)
                places = after or _places_in(toks, clause.first, k, at, lex, mentions)
                kind = "visit place" if "visit-noun" in roles else "meeting place"
            elif noun and "place-noun" in roles:
                places = [
                    p
                    for j in range(k + 1, clause.last)
                    if not _inside_phrase(toks, j, k)
                    and (p := place_at(toks, j, clause.last, lex, mentions)) is not None
                    and p.first > k
                ]
                kind = "meeting place"
            elif _is_meeting_verb(toks, k, clause, lex):
                at = lex.words("locative")
                places = _places_in(toks, clause.first, clause.last, at, lex, mentions)
                where = toks[clause.first].text.casefold() in lex.words("relative-where")
                if not places and where and ci > 0:
                    prev = cls[ci - 1]
                    to = lex.words("destination")
                    before = _places_in(toks, prev.first, prev.last, to | at, lex, mentions)
                    places = before[-1:]
                kind = "meeting place"
            else:
                continue
            if not places:
                continue
            place = places[0]
            if kind == "meeting place" and _past(toks, clause.first, clause.last, k, lex, year):
                kind = "meeting place (earlier)"
            first, last = min(k, place.first), max(k + 1, place.last)
            claim = Claim(first, last, kind, place.text, cue=k)
            if all(c.slot != claim.slot or c.value != claim.value for c in out):
                out.append(claim)
    return out


def alternative_claims(
    sent: Sentence, lex: Lexicon, previous: Sequence[Claim], mentions: Sequence[Mention] | None = ()
) -> list[Claim]:
    """A place offered as an alternative to a meeting or visit place the article has just
    named ("…, wo er sich mit Putin treffen werde. … Es sei aber auch möglich, dass Kim nach
    Moskau reise.") is a claim of the same slot; the caller makes it a forecast."""
    toks = sent.tokens
    alt = [k for k, t in enumerate(toks) if "alternative" in lex.cue(t.text)]
    slots = [c for c in previous if c.slot in ("meeting place", "visit place")]
    if not alt or not slots:
        return []
    known = {c.value for c in previous}
    preps = lex.words("destination") | lex.words("locative")
    for p in _places_in(toks, 0, len(toks), preps, lex, mentions):
        if p.text not in known:
            k = alt[0]
            return [Claim(min(k, p.first), max(k + 1, p.last), slots[0].slot, p.text, cue=k)]
    return []


def region_claims(
    sent: Sentence, lex: Lexicon, mentions: Sequence[Mention] | None = ()
) -> list[Claim]:
    """ "Wostotschny in Sibirien", "Kosmodrom Wostotschny im Fernen Osten Russlands".

    Not a place in the genitive ("die Flaggen Nordkoreas in einem Hotel", "die Ansprüche
    Chinas im Meer": the phrase it belongs to is what lies there), and not "in die"/"in das"
    (where something goes, not where it lies)."""
    toks = sent.tokens
    out: list[Claim] = []
    n = len(toks)
    places_at = {m.start for m in mentions or () if m.label == "LOC"}
    k = 0
    while k < n:
        tok = toks[k]
        place = None
        if (lex.is_type_noun(tok.text) and is_cap(tok)) or tok.start in places_at:
            place = place_at(toks, k, n, lex, mentions, contracted=True)
        if place is None or place.last >= n:
            k += 1
            continue
        prep = toks[place.last].text.casefold()
        after = toks[place.last + 1].text.casefold() if place.last + 1 < n else ""
        single = place.last - place.first == 1
        if (
            prep in lex.words("region-prep")
            and after not in lex.words("direction-article")
            and not (single and _genitive(toks[place.first]))
        ):
            region = place_at(
                toks, place.last + 1, n, lex, mentions, contracted=prep in lex.words("contracted")
            )
            if region is not None and region.name != place.name:
                out.append(
                    Claim(
                        place.first, region.last, f"region of {place.name}", region.text, place.name
                    )
                )
        k = place.last
    return out


def first_since_claims(
    sent: Sentence, lex: Lexicon, mentions: Sequence[Mention] | None = ()
) -> list[Claim]:
    """ "erstmals seit Ausbruch der Corona-Pandemie", "erste Auslandsreise seit der Covid-19-Pandemie".

    A person named after the event is its owner, not the event: "seit dem Amtsantritt
    Bidens" is the first since the inauguration."""
    toks = sent.tokens
    people = [(m.start, m.end) for m in mentions or () if m.label == "PER"]
    words = [t.text.casefold() for t in toks]
    out: list[Claim] = []
    for clause in clauses(sent):
        for k in range(clause.first, clause.last):
            multi = k + 2 < clause.last and "first" in lex.cue(" ".join(words[k : k + 3]))
            if "first" not in lex.cue(words[k]) and not multi:
                continue
            for s in range(k + 1, min(k + 8, clause.last)):
                if "since" not in lex.cue(words[s]):
                    continue
                j = s + 1
                while j < clause.last and (is_determiner(toks[j]) or is_lower_adj(toks[j])):
                    j += 1
                event: list[int] = []
                while j < clause.last and (
                    is_cap(toks[j])
                    or (
                        not lex.capitalised_nouns
                        and toks[j].text.isalpha()
                        and not is_determiner(toks[j])
                    )
                    or _YEAR.match(words[j])
                    or (
                        event
                        and words[j] in {"der", "des", "of", "the"}
                        and j + 1 < clause.last
                        and is_cap(toks[j + 1])
                    )
                ):
                    if is_cap(toks[j]) or _YEAR.match(words[j]) or not lex.capitalised_nouns:
                        event.append(j)
                    j += 1
                if not event:
                    break
                owned = [any(a <= toks[j].start < b for a, b in people) for j in event]
                if not owned[0] and any(owned):  # a name after the event: its owner
                    event = event[: owned.index(True)]
                head = toks[event[-1]].text
                if "time" in lex.place_role(head):
                    break
                value = head.rsplit("-", 1)[-1]
                out.append(Claim(k, event[-1] + 1, "first since", value))
                break
            if out and out[-1].first == k:
                break
    return out


__all__ = ["Claim", "Place", "first_since_claims", "meeting_claims", "place_at", "region_claims"]
