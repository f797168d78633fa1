"""Who said what, at token level: direct, indirect and reported speech with cue and source.

The rules follow how German news attributes statements:

- direct: a quotation („…“, "…", »…«, ‚…‘) with a verb of saying after it (", sagte Kim"),
  or before it ("sagte Putin: „…“", "Er nannte die Invasion „…“"); a quotation that opens
  the next sentence without a verb continues the last speaker;
- indirect: a verb of saying and a clause, either after it ("Kirby sagte, Russland habe …")
  or before it ("…, fügte Kim hinzu"); sentences in Konjunktiv that follow continue it;
- reported: an attribution without a clause ("laut Yonhap", "Tass zufolge", "nach Angaben
  des Generalstabs", ", so der Sprecher") or a verb of saying with an object only.

Everything works on token positions of the whole doc (``View``), so quotations may span
sentences. ``Attribution`` keeps token sets because that is what the SpkAtt scorer compares;
``lagebild.quotes.analyze`` turns them into character spans.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from lagebild.model import QuoteForm
from lagebild.quotes.lexicon import Lexicon
from lagebild.quotes.phrases import np_after, np_before
from lagebild.quotes.view import CLOSERS, END_PUNCT, OPENERS, View

_FORMS: dict[str, QuoteForm] = {
    "direct": "direct",
    "fragment": "direct",
    "indirect": "indirect",
    "continuation": "indirect",
    "attribution": "reported",
    "reported": "reported",
}


@dataclass(frozen=True, slots=True)
class Attribution:
    """One statement as token positions of the doc; ``nested`` marks a fragment inside another."""

    kind: str  # direct | fragment | indirect | continuation | attribution | reported
    message: tuple[int, ...]
    cue: tuple[int, ...] = ()
    source: tuple[int, ...] = ()
    nested: bool = False

    @property
    def form(self) -> QuoteForm:
        return _FORMS[self.kind]


_INCISE_ENDS = frozenset({",", ".", "!", "?", ";", *CLOSERS})


def _rng(a: int, b: int) -> tuple[int, ...]:
    return tuple(range(a, b))


def quote_spans(v: View) -> list[tuple[int, int]]:
    """Matched quotation marks as (opening token, closing token), outermost only."""
    out = []
    i, n = 0, len(v)
    while i < n:
        w = v.text[i]
        if w in OPENERS:
            closers = OPENERS[w]
            limit = min(n, i + 400)
            j = next((k for k in range(i + 1, limit) if v.text[k] in closers), None)
            if j is not None and j > i + 1:
                out.append((i, j))
                i = j + 1
                continue
        i += 1
    return out


class _Extractor:
    def __init__(self, v: View) -> None:
        self.v = v
        self.lex = v.lex
        self.quotes = quote_spans(v)
        self.in_quote = [False] * len(v)
        for o, c in self.quotes:
            for k in range(o, c + 1):
                self.in_quote[k] = True
        self.used_cues: set[int] = set()
        self.out: list[Attribution] = []

    # ------------------------------------------------------------------ cues

    def cue_at(self, k: int, end: int) -> tuple[int, ...] | None:
        """The cue tokens when token ``k`` is a verb of saying (with particle if it needs one)."""
        v = self.v
        if self.in_quote[k] or (v.cap(k) and k != v.sentence_start(k)):
            return None
        if v.lemma[k] in self.lex.impersonal and k + 1 < end and v.low[k + 1] == "es":
            return (k,)  # "hieß es", "heißt es in der Mitteilung"
        cues = self.lex.cues.get(v.lemma[k])
        if not cues:
            return None
        if self.lex.svo and not _svo_verb(v, k):
            return None
        for cue in cues:
            if not cue.particle:
                return (k,)
            for j in range(k + 1, end):
                if v.text[j] in {",", ":", ";", "."} or v.text[j] in OPENERS:
                    break
                if v.low[j] == cue.particle:
                    return (k, j)
        return None

    def needs_clause(self, k: int) -> bool:
        return all(c.needs_clause for c in self.lex.cues.get(self.v.lemma[k], ()))

    def cue_extras(self, cue: tuple[int, ...], end: int) -> tuple[int, ...]:
        """The cue as the task marks it: with "sich", "es", "davon/darauf", "wie"."""
        v = self.v
        k = cue[0]
        extra = list(cue)
        nxt = k + 1
        if nxt < end and v.low[nxt] in ("sich", "es"):
            extra.append(nxt)
        stop = cue[-1] if len(cue) > 1 else min(end, k + 6)
        for j in range(k + 1, stop):
            if v.low[j] in self.lex.cls("daforms"):
                extra.append(j)
        return tuple(sorted(set(extra)))

    # ------------------------------------------------------------------ direct speech

    def direct(self) -> None:
        v = self.v
        last: Attribution | None = None
        for o, c in self.quotes:
            s0 = v.sentence_start(o)
            inner = c - o - 1
            att = self._direct_after(o, c, s0) or self._direct_before(o, c, s0)
            if att is None and self.lex.svo:
                att = self._incise(o, c)
            if att is None and inner >= 4 and self._starts_clause(o, s0):
                prev = last if last and v.sent[o] - v.sent[max(last.message)] <= 2 else None
                if prev is not None:
                    att = Attribution("direct", _rng(o, c + 1), (), prev.source)
                elif inner >= 6:
                    att = Attribution("direct", _rng(o, c + 1))
            if att is not None:
                self.out.append(att)
                self.used_cues.update(att.cue)
                last = att

    def _title(self, o: int, c: int) -> bool:
        """„Spiegel“, die „New York Times“: a short quotation of capitalised words is a name."""
        v = self.v
        inner = range(o + 1, c)
        if len(inner) > 4:
            return False
        return all(v.cap(j) or not v.text[j][:1].isalpha() for j in inner) or (
            o > 0 and v.low[o - 1] in self.lex.cls("determiners")
        )

    def _starts_clause(self, o: int, s0: int) -> bool:
        v = self.v
        if o > s0 and v.text[o - 1] == ":" and not self._cue_before(s0, o - 1):
            return True  # "Am Mittwoch: „…“, sagte Putin"
        return o == s0 or all(
            v.text[k] in {"-", "–", ":", "("} or v.text[k] in CLOSERS for k in range(s0, o)
        )

    def _cue_before(self, s0: int, end: int) -> bool:
        """A verb of saying before the colon ("sagte Putin: „…“") makes the quote its object."""
        return any(self.cue_at(k, end) is not None for k in range(s0, end))

    def _direct_after(self, o: int, c: int, s0: int) -> Attribution | None:
        """„…“, sagte X / „…“, so X / „…“, wird X zitiert."""
        v = self.v
        if not self._starts_clause(o, s0):
            return None
        k = c + 1
        end = v.sentence_end(k) if k < len(v) else len(v)
        if k < len(v) and v.text[k] == ",":
            k += 1
        if k >= end:
            return None
        cue, source = None, None
        if v.low[k] in self.lex.comma_so:
            cue = (k,)
            source = np_after(v, k + 1, end)
        elif (found := self.cue_at(k, end)) is not None:
            cue = self.cue_extras(found, end)
            source = np_after(v, max(found) + 1 if len(found) == 1 else k + 1, end)
            if source and len(found) > 1:
                source = (source[0], min(source[1], found[1]))
        elif v.low[k] in self.lex.cls("auxiliaries"):
            for j in range(k + 1, min(end, k + 8)):
                if (found := self.cue_at(j, end)) is not None:
                    cue = (k, *found)
                    source = np_after(v, k + 1, j)
                    if source is None and self.lex.svo and self._inverts(j):
                        source = np_after(v, max(found) + 1, end)  # «…», a dit le patron
                    break
        elif self.lex.svo:
            cue, source = self._subject_then_cue(k, end)
        if cue is None:
            return None
        message = list(range(o, c + 1))
        # „Part one“, sagte X, „part two.“
        after = source[1] if source else max(cue) + 1
        if after + 1 < len(v) and v.text[after] == "," and v.text[after + 1] in OPENERS:
            second = next(((a, b) for a, b in self.quotes if a == after + 1), None)
            if second is not None:
                message.extend(range(second[0], second[1] + 1))
        return Attribution("direct", tuple(message), cue, _rng(*source) if source else ())

    def _incise(self, o: int, c: int) -> Attribution | None:
        """«…, affirme-t-elle. …» / «…, détaille le spécialiste»: French puts the verb of
        saying, then its speaker, between commas inside the quotation marks. The verb must be
        an inverting one in a finite form and the speaker phrase must end the incise (at a
        comma, a full stop or the closing mark), so a clause inside a quotation ("…, a dit
        que le …") is no incise."""
        v = self.v
        for k in range(o + 2, c - 1):
            if v.text[k - 1] != ",":
                continue
            verb, _, clitic = v.low[k].partition("-")
            clitic = clitic.removeprefix("t-")
            if clitic:
                if clitic not in self.lex.pronouns or not self._inverting(verb):
                    continue
                source, stop = (k, k + 1), k + 1  # the pronoun is written onto the verb
            else:
                if not self._inverts(k):
                    continue
                stop = next((j for j in range(k + 1, c + 1) if v.text[j] in _INCISE_ENDS), c)
                source = np_after(v, k + 1, stop)
                if source is None or source[1] != stop:
                    continue
            if stop < c and v.text[stop] == ",":
                stop += 1
            message = (*range(o, k - 1), *range(stop, c + 1))
            return Attribution("direct", message, (k,), _rng(*source))
        return None

    def _inverting(self, word: str) -> bool:
        from lagebild.text.lemma import lemmatize  # here: a dossier reads this module

        lemma = lemmatize(word, self.lex.lang)
        return lemma in self.lex.cls("inverting") and word != lemma

    def _subject_then_cue(
        self, k: int, end: int
    ) -> tuple[tuple[int, ...] | None, tuple[int, int] | None]:
        """English word order: "…," union leader Jana Petersen said: the words up to the cue
        are the speaker (a lower-case role and a capitalised name)."""
        v = self.v
        for j in range(k + 1, min(end, k + 7)):
            if not v.text[j - 1][:1].isalnum():
                break
            if (found := self.cue_at(j, end)) is not None:
                return self.cue_extras(found, end), (k, j)
        return self._name_apposition_cue(k, end)

    def _name_apposition_cue(
        self, k: int, end: int
    ) -> tuple[tuple[int, ...] | None, tuple[int, int] | None]:
        """ "…," Geoffrey Berman, the U.S. attorney for the Southern District, said: a name of
        capitalised words, an apposition between commas, then the verb; the name speaks."""
        v = self.v
        if k == 0 or v.sent[k] != v.sent[k - 1]:
            return None, None  # the quotation ended its sentence: a new one begins here
        name_end = k
        while name_end < min(end, k + 4) and v.cap(name_end) and v.text[name_end][:1].isalpha():
            name_end += 1
        if name_end == k or name_end >= end or v.text[name_end] != ",":
            return None, None
        for j in range(name_end + 2, min(end, name_end + 20)):
            if v.text[j] in {";", ":"} or v.text[j] in OPENERS:
                break
            if v.text[j - 1] == "," and (found := self.cue_at(j, end)) is not None:
                return self.cue_extras(found, end), (k, name_end)
        return None, None

    def _direct_before(self, o: int, c: int, s0: int) -> Attribution | None:
        """X sagte: „…“ / Dazu sagte X: „…“ / Er nannte die Invasion „…“."""
        v = self.v
        for k in range(o - 1, s0 - 1, -1):
            if self.in_quote[k]:
                break
            found = self.cue_at(k, o)
            if found is None:
                continue
            between = [v.text[j] for j in range(max(found) + 1, o)]
            if "," in between and (not between or between[-1] != ":"):
                return None  # a fragment inside an indirect clause
            if self._title(o, c):
                return None
            cue = self.cue_extras(found, o)
            source = self._source(s0, k, found, o)
            return Attribution("direct", _rng(o, c + 1), cue, _rng(*source) if source else ())
        # "Er sagte:" closing the sentence before
        if o == s0 and v.sent[o] > 0:
            ps, pe = v.bounds[v.sent[o] - 1]
            if pe - ps > 1 and v.text[pe - 1] == ":":
                for k in range(pe - 2, ps - 1, -1):
                    found = self.cue_at(k, pe)
                    if found is not None:
                        source = self._source(ps, k, found, pe)
                        return Attribution(
                            "direct",
                            _rng(o, c + 1),
                            self.cue_extras(found, pe),
                            _rng(*source) if source else (),
                        )
        return None

    # ------------------------------------------------------------------ subject of a cue

    def _finite(self, start: int, k: int) -> int:
        """The finite verb of the cue's clause: an auxiliary before a participle, else the cue."""
        v = self.v
        for j in range(k - 1, max(start - 1, k - 8), -1):
            if v.text[j] in {",", ":", ";"} or v.text[j] in CLOSERS:
                break
            if v.low[j] in self.lex.cls("auxiliaries"):
                return j
        return k

    def _source(self, start: int, k: int, cue: tuple[int, ...], end: int) -> tuple[int, int] | None:
        """The speaker of cue ``k``: the subject before the finite verb, or the phrase after it."""
        v = self.v
        f = self._finite(start, k)
        if v.lemma[k] in self.lex.impersonal and k + 1 < len(v) and v.low[k + 1] == "es":
            return self._agent(start, end, ("in", "im"))
        if f < k and v.lemma[f] == "werden" and v.lemma[k] != "zitieren":
            return self._agent(k + 1 if k + 1 < end else start, end, ("von", "vom")) or self._agent(
                start, k, ("von", "vom")
            )
        if f < k and v.low[f] != v.low[k]:
            span = np_before(v, start, f) if f > start else None
            if span is None:
                span = np_after(v, f + 1, k)
            if span is None and self.lex.svo and f == start and self._inverts(k):
                span = np_after(v, k + 1, end)  # "…, a déclaré le président du club"
            return span
        span = np_before(v, start, k) if k > start else None
        if span is None and self.lex.svo and (k > start or not self._inverts(k)):
            return None  # "X suggests its name", ", announced a deal", ", add a table": objects
        if span is None:
            stop = cue[-1] if len(cue) > 1 else end
            span = np_after(v, max(k + 1, cue[0] + 1), stop)
            if span is not None and v.low[span[0]] in ("sich", "es"):
                span = np_after(v, span[0] + 1, stop)
        return span

    def _inverts(self, k: int) -> bool:
        """Whether cue ``k`` can put its speaker after it behind a statement: a verb of the
        grammar's "inverting" class, not in its base form ("…, add a table" is an order)."""
        v = self.v
        return v.lemma[k] in self.lex.cls("inverting") and v.low[k] != v.lemma[k]

    def _agent(self, start: int, end: int, preps: tuple[str, ...]) -> tuple[int, int] | None:
        """The phrase after "von" in a passive, or after "in" for "heißt es in …"."""
        v = self.v
        for j in range(start, end):
            if v.text[j] in {",", ":", ";"}:
                break
            if v.low[j] in preps:
                return np_after(v, j + 1, end, apposition=False)
        return None

    def _clause_start(self, s0: int, f: int) -> int:
        """Start of the clause holding the finite verb ``f``; appositions stay with the subject."""
        v = self.v
        commas = [j for j in range(s0, f) if v.text[j] in {",", ":", ";"} and not self.in_quote[j]]
        if not commas:
            return s0
        span = np_before(v, s0, f)
        if span is not None and span[1] >= f - 1 and v.text[commas[-1]] == ",":
            return s0
        return commas[-1] + 1

    # ------------------------------------------------------------------ indirect speech

    def indirect(self) -> None:
        v = self.v
        for s0, s1 in v.bounds:
            for k in range(s0, s1):
                if k in self.used_cues or self.in_quote[k]:
                    continue
                found = self.cue_at(k, s1)
                if found is None:
                    continue
                att = self._indirect_at(s0, s1, k, found)
                if att is not None:
                    self.out.append(att)
                    self.used_cues.update(att.cue)

    def _indirect_at(self, s0: int, s1: int, k: int, found: tuple[int, ...]) -> Attribution | None:
        v = self.v
        f = self._finite(s0, k)
        cs = self._clause_start(s0, f)
        cue = self.cue_extras(found, s1)
        if f < k:
            cue = tuple(sorted({f, *cue}))
        # subordinate "wie X mitteilte"
        if v.low[cs] == "wie" and cs < f:
            cue = tuple(sorted({cs, *cue}))
            source = np_after(v, cs + 1, f if f < k else k)
            if cs > s0 and v.text[cs - 1] == ",":
                a, b = v.trim(s0, cs - 1)
                msg = _rng(a, b)
            else:
                comma = next((j for j in range(max(cue) + 1, s1) if v.text[j] == ","), None)
                if comma is None:
                    return None
                a, b = v.trim(comma + 1, s1)
                msg = _rng(a, b)
            if len(msg) < 2:
                return None
            return Attribution("indirect", msg, cue, _rng(*source) if source else ())
        source = self._source(cs, k, found, s1)
        nested = v.is_konjunktiv(f)  # "Er hoffe, dass …": itself reported by someone else
        att = self._indirect_layout(s0, s1, k, cs, f, cue, source)
        return replace(att, nested=True) if att is not None and nested else att

    def _indirect_layout(
        self,
        s0: int,
        s1: int,
        k: int,
        cs: int,
        f: int,
        cue: tuple[int, ...],
        source: tuple[int, int] | None,
    ) -> Attribution | None:
        v = self.v
        english_tail = (
            self.lex.svo
            and source is not None
            and source == (cs, f)
            and cs > s0
            and v.text[cs - 1] == ","
        )  # "…, the German government said on Friday"
        if (cs == f or english_tail) and cs > s0 and v.text[cs - 1] == ",":
            # "…, sagte Kirby."  message before the cue
            a, b = v.trim(s0, cs - 1)
            if b - a >= 3:
                if v.text[a] in OPENERS and self._quote_covers(a, b):
                    return None
                return Attribution("indirect", _rng(a, b), cue, _rng(*source) if source else ())
            return None
        # message after: "Kirby sagte, Russland habe …" / "sagte Kim: …"
        ends = [*cue, source[1] - 1 if source else -1]  # named: Cython refuses it inline
        after = max(ends) + 1
        msg = self._clause_after(after, s1)
        if msg is None and self.lex.lang == "en" and source is not None:
            msg = self._english_clause(after, s1, k)
        if msg is not None:
            return Attribution("indirect", msg, cue, _rng(*source) if source else ())
        if (
            self.needs_clause(k)
            or source is None
            or cs != s0
            or (f == k and v.low[k] == v.lemma[k])
        ):
            return None
        a, b = s0, s1
        return Attribution("reported", _rng(a, b), cue, _rng(*source))

    def _english_clause(self, after: int, s1: int, k: int) -> tuple[int, ...] | None:
        """English reports: "said that Russia would …", and without "that" ("said on Tuesday it
        would cut …", "said the company had to act") a clause opened by a pronoun or an
        article after a short time phrase, for verbs that need no clause to be speech (not
        "criticised the plan as unfair", "demanded the release of …")."""
        v = self.v
        a = after
        that = a < s1 and v.low[a] == "that"  # "said that Russia would …": the clause is sure
        if that:
            a += 1
        elif a < s1 and v.low[a] in ("on", "in", "late", "early", "last", "this"):
            j = a + 1
            while j < min(s1, a + 4) and not _opens_clause(v.low[j], self.lex):
                j += 1
            a = j
        if a >= s1 or not (
            that or (_opens_clause(v.low[a], self.lex) and not self.needs_clause(k))
        ):
            return None
        a, b = v.trim(a, s1)
        return _rng(a, b) if b - a >= 4 else None

    def _quote_covers(self, a: int, b: int) -> bool:
        return any(o == a and c >= b - 1 for o, c in self.quotes)

    def _clause_after(self, after: int, s1: int) -> tuple[int, ...] | None:
        v = self.v
        lex = self.lex
        comma = None
        for j in range(after, min(s1, after + 12)):
            if v.text[j] in {",", ":"}:
                comma = j
                break
            if v.low[j] in lex.cls("complementizers") and j == after:
                comma = j - 1
                break
        if comma is None:
            return None
        a = comma + 1
        if a >= s1:
            return None
        if v.text[a] in OPENERS:
            return None  # direct speech, handled by the quotation rules
        first = v.low[a]
        if first in lex.cls("nonspeech"):
            return None
        if (
            first in lex.cls("relatives")
            and a + 1 < s1
            and not v.cap(a + 1)
            and not v.is_konjunktiv(a + 1)
        ):
            nxt = next((j for j in range(a + 1, s1) if v.text[j] == ","), None)
            if nxt is None:
                return None
            a = nxt + 1
        a, b = v.trim(a, s1)
        if b - a < 2:
            return None
        return _rng(a, b)

    # ------------------------------------------------------------------ attributions

    def attributions(self) -> None:
        v = self.v
        lex = self.lex
        covered = {v.sent[m] for att in self.out if att.kind == "indirect" for m in att.message[:1]}
        for si, (s0, s1) in enumerate(v.bounds):
            if si in covered:
                continue
            for k in range(s0, s1):
                if self.in_quote[k] or k in self.used_cues:
                    continue
                low = v.low[k]
                span: tuple[int, int] | None = None
                if low in lex.before and low != "nach" and low != "aus":
                    span = np_after(v, k + 1, s1)
                elif low in ("nach", "aus") and low in lex.before:
                    span = self._noun_phrase_with(k + 1, s1)
                    if span is None and low in lex.after:
                        span = self._left_noun(s0, k, nouns=True)
                elif low in lex.after:
                    span = self._left_noun(s0, k, nouns=False)
                elif low in lex.comma_so and k > s0 and v.text[k - 1] == ",":
                    span = np_after(v, k + 1, s1)
                    if span is not None and s1 - span[1] > 4:
                        span = None
                    if (
                        span is not None
                        and v.low[span[0]] not in lex.cls("determiners")
                        and not v.cap(span[0])
                    ):
                        span = None
                    if span is not None:
                        a, b = v.trim(s0, k - 1)
                        if b - a >= 3:
                            self._add("attribution", _rng(a, b), (k,), _rng(*span))
                        break
                    continue
                if span is None:
                    continue
                cue_src = {k, *range(*span)}
                a, b = v.trim(s0, s1)
                msg = tuple(j for j in range(a, b) if j not in cue_src)
                if lex.svo and msg and v.text[msg[0]] == ",":
                    msg = msg[1:]  # "Selon la police, trois personnes …"
                if len(msg) >= 3:
                    self._add("attribution", msg, (k,), _rng(*span))
                    break

    def _add(
        self, kind: str, msg: tuple[int, ...], cue: tuple[int, ...], src: tuple[int, ...]
    ) -> None:
        self.out.append(Attribution(kind, msg, cue, src))
        self.used_cues.update(cue)

    def _noun_phrase_with(self, i: int, end: int) -> tuple[int, int] | None:
        """ "Angaben des Generalstabs" after "nach": the head must be an attribution noun."""
        v = self.v
        span = np_after(v, i, end, apposition=False)
        if span is None:
            return None
        head = next((j for j in range(*span) if v.cap(j)), None)
        if head is None or not self._attribution_noun(v.text[head]):
            return None
        return span

    def _attribution_noun(self, word: str) -> bool:
        return any(
            word == n or (word.endswith(n.lower()) and len(word) > len(n) + 2)
            for n in self.lex.attribution_nouns
        )

    def _left_noun(self, s0: int, k: int, *, nouns: bool) -> tuple[int, int] | None:
        """The phrase before a postposition: "Russischen Medien zufolge", "Seiner Meinung nach"."""
        v = self.v
        j = k - 1
        if j < s0 or not v.cap(j):
            return None
        if nouns and not self._attribution_noun(v.text[j]):
            return None
        while j - 1 >= s0 and (
            v.cap(j - 1)
            or v.low[j - 1] in self.lex.cls("determiners")
            or v.low[j - 1].endswith(("en", "er", "e", "es"))
        ):
            if v.text[j - 1] in {",", "."} or v.low[j - 1] in self.lex.cls("prepositions"):
                break
            if v.cap(j - 1) and j - 1 == s0 and v.low[j - 1] in self.lex.cls("adverbs"):
                break
            j -= 1
        return (j, k)

    # ------------------------------------------------------------------ continuations and fragments

    def continuations(self) -> None:
        v = self.v
        by_sent: dict[int, list[Attribution]] = {}
        for att in self.out:
            for s in {v.sent[m] for m in att.message}:
                by_sent.setdefault(s, []).append(att)
        last: Attribution | None = None
        last_sent = -5
        added: list[Attribution] = []
        for si, (s0, s1) in enumerate(v.bounds):
            if si in by_sent:
                cands = [a for a in by_sent[si] if a.source]
                if cands:
                    last = max(cands, key=lambda a: max(a.message))
                    last_sent = v.sent[max(last.message)]
                continue
            if last is None or si - last_sent != 1 or s1 - s0 < 4:
                continue
            if self.in_quote[s0] or v.low[s0] in self.lex.cls("subordinators"):
                continue
            if not any(v.is_konjunktiv(j) and not self.in_quote[j] for j in range(s0, s1)):
                continue
            cue = tuple(j for j in range(s0, s1) if v.low[j] == "demnach")
            msg = tuple(j for j in range(s0, s1) if j not in cue)
            if last.kind == "continuation" and added and added[-1] is last and not cue:
                merged = replace(last, message=last.message + msg)
                added[-1] = merged
                last = merged
            else:
                att = Attribution("continuation", msg, cue, last.source)
                added.append(att)
                last = att
            last_sent = si
        self.out.extend(added)

    def fragments(self) -> None:
        """Quotations inside an indirect message: direct fragments, nested in the statement."""
        taken = {m for att in self.out if att.kind == "direct" for m in att.message}
        extra = []
        for att in self.out:
            if att.kind not in ("indirect", "attribution", "continuation"):
                continue
            msg = set(att.message)
            for o, c in self.quotes:
                if o in msg and c in msg and o not in taken and c - o - 1 >= 2:
                    extra.append(
                        Attribution("fragment", _rng(o, c + 1), att.cue, att.source, nested=True)
                    )
        self.out.extend(extra)


def _opens_clause(word: str, lex: Lexicon) -> bool:
    """A pronoun or an article: how an English clause after "said" usually starts."""
    return word in lex.cls("pronouns") or word in ("the", "a", "an")


def _svo_verb(v: View, k: int) -> bool:
    """Whether the cue word ``k`` of a language without noun capitals is a verb of saying as
    used: not a noun after an article ("the report", "la déclaration") nor an infinitive after
    a preposition ("here to tell", "pour dire"); English also by its forms (``_english_verb``)."""
    lex = v.lex
    before = v.low[k - 1] if k > 0 else ""
    if _noun_reading(before, lex) or before in lex.cls("prepositions"):
        return False
    if lex.lang == "fr":
        return not _french_infinitive(v, k)
    return lex.lang != "en" or _english_verb(v, k)


def _french_infinitive(v: View, k: int) -> bool:
    """A French verb of saying in the infinitive ("ce qui veut dire", "pour annoncer") hangs on
    another verb and says nothing itself; finite forms differ from the lemma ("dit", "a
    déclaré", "explique")."""
    return v.low[k] == v.lemma[k] and v.low[k].endswith(("er", "ir", "re"))


def _english_verb(v: View, k: int) -> bool:
    """Whether the English cue word ``k`` is a verb of saying as used: not an infinitive
    ("we're here to tell"), an imperative opening its sentence ("Expect delays", "Add 10 %"),
    a base form after "be" or "have" ("was the top claim", "is demand": a noun), a word that
    is also a noun in its
    base or -s form after a lower-case word ("thorough reports", "consumer demand"; "Microsoft
    reports", "it claims" are verbs), a passive before "to" ("is expected to grow") or a
    participle in -ing without "be" ("It's worth noting", "beating stress"; "is saying" is
    one). ", adding that …" is speech, but its speaker is the sentence's subject, which these
    rules do not find: taken as a cue, it made that clause the message of the "said" before
    it."""
    lex = v.lex
    before = v.low[k - 1] if k > 0 else ""
    if before == "to":
        return False  # "here to tell" ("to" is no preposition of the grammar file)
    if v.low[k] == v.lemma[k] and (k == v.sentence_start(k) or before == "please"):
        return False  # "Expect delays", "Please note"
    if v.low[k].endswith("ing") and v.low[k] != v.lemma[k]:
        return before in lex.cls("be")
    if (
        v.lemma[k] in lex.cls("nouny")
        and v.low[k] in (v.lemma[k], v.lemma[k] + "s")
        and not (k > 0 and v.cap(k - 1) and not _opening_participle(v, k - 1))
        and before not in lex.pronouns
        and before not in lex.cls("adverbs")
    ):
        return False  # "thorough reports", "40 states", "consumer demand": nouns
    if before in lex.cls("be") and k + 1 < len(v) and v.low[k + 1] == "to":
        return False  # "is expected to grow": no one says it
    if v.low[k] == v.lemma[k]:
        for j in range(k - 1, max(-1, k - 8), -1):
            if not v.text[j][:1].isalnum():
                break
            if v.low[j] in lex.cls("be") or v.lemma[j] == "have":
                return False  # "was the most desirable health claim", "is demand": a noun
    return True


def _opening_participle(v: View, j: int) -> bool:
    """A capitalised "-ed" word opening its sentence is an adjective, not a name ("Detailed
    reports show …", "Updated figures …")."""
    return j == v.sentence_start(j) and len(v.low[j]) >= 6 and v.low[j].endswith("ed")


def _noun_reading(before: str, lex: Lexicon) -> bool:
    """Whether an English cue word after ``before`` is a noun ("a state visit", "the
    report", "three-day state …")."""
    return before in lex.cls("determiners") or ("-" in before and before[:1].isalnum())


def extract(v: View) -> list[Attribution]:
    """Every attributed statement in the doc behind ``v``, in text order."""
    ex = _Extractor(v)
    ex.direct()
    ex.indirect()
    ex.attributions()
    ex.continuations()
    ex.fragments()
    return sorted(ex.out, key=lambda a: (a.message[0], a.nested))


def with_fragments(v: View, atts: list[Attribution]) -> list[Attribution]:
    """``atts`` (from another extractor) plus the quotation fragments nested in their messages."""
    ex = _Extractor(v)
    ex.out = list(atts)
    ex.fragments()
    return sorted(ex.out, key=lambda a: (a.message[0], a.nested))


__all__ = [
    "END_PUNCT",
    "Attribution",
    "extract",
    "quote_spans",
    "with_fragments",
]
