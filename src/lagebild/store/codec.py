"""The compact stored form of an analysis: MessagePack over flat records, texts from offsets.

A JSON analysis made by reflection over the dataclasses was ~51 KB for a 2.5 KB article,
three quarters of it per-token records repeating the article's text. Here (format 2) a token
is what a fixed word pattern finds next in the text unless listed as an exception, its lemma
a code (same, lower case, or an edit of the token's end), a sentence its number of tokens;
every text that is the slice of the article its offsets point at (token, sentence, mention,
time, fact, quote parts) is left out and cut from the article again on reading; fields
holding their default are left out; the article id is the doc's; the records of a list are
stored as columns (positions as gaps). Records keep their field names, so a field added to
the model later still reads (missing -> default; unknown -> ignored). Format 1 still reads.
"""

from __future__ import annotations

import dataclasses
import json
import math
import re
import types
import typing
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, date, datetime
from functools import cache
from itertools import pairwise
from typing import Any

import msgspec

from lagebild.model import (
    Article,
    DateWindow,
    Doc,
    Fact,
    Mention,
    Quote,
    Sentence,
    Span,
    Story,
    TimeExpr,
    Token,
    from_dict,
    to_dict,
    token_maker,
)

FORMAT = 2  # bump when the layout below changes; ``decode_doc`` refuses what it cannot read
_LEMMA_SAME, _LEMMA_LOWER = 0, 1
# Format 2's guess of the next token: a number with separators, a word with hyphen parts, any
# other character alone (\d+(?:[.,:/]\d+)*|\w+(?:-\w+)*-?|[^\w\s], written so that every
# match starts with one \S: ~35 % faster). Not the tokenizer's pattern: stored analyses
# depend on it, so it never changes (a new one would be a new format). It finds 99.7 % of
# 10kGNAD's tokens; the rest are stored as exceptions.
_TOKEN_GUESS = re.compile(r"\S(?:(?<=\d)\d*+(?:[.,:/]\d++)*+|(?<=\w)\w*+(?:-\w++)*+-?|)")
_EDIT_MAX = 16  # a lemma edit's cut is told by its first character, below chr(16)
_LEMMA_NOT_EXPECTED = -1  # with a lemma table: the token's text is its lemma, not the table's
LEARN_LEMMAS = 200  # the first analyses of a store its lemma table is learned from

_encoder = msgspec.msgpack.Encoder()
_decoder = msgspec.msgpack.Decoder()


Encode = Callable[[Any], Any]
Decode = Callable[[Any], Any]


@dataclasses.dataclass(frozen=True, slots=True)
class _Field:
    name: str
    default: Any  # dataclasses.MISSING when the field has none
    encode: Encode | None  # None: stored as it is
    decode: Decode | None
    span: str | None = None  # text field equal to the slice at this span field ("" = start/end)


def _iso(x: date) -> str:
    return x.isoformat()


def _datetime(s: str) -> datetime:
    dt = datetime.fromisoformat(s)
    return dt if dt.tzinfo else dt.replace(tzinfo=UTC)


def _span_out(s: Span) -> list[int]:
    return [s.start, s.end]


def _span_in(x: list[int]) -> Span:
    return Span(x[0], x[1])


def _str_tuple(x: list[str]) -> tuple[str, ...]:
    return tuple(x)


def _converters(tp: Any) -> tuple[Encode | None, Decode | None]:
    """How a value of type ``tp`` is written and read (None: as it is)."""
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        if len(args) == 1:
            return _converters(args[0])  # None is written as None
    if tp in (str, int, float, bool) or origin is typing.Literal:
        return None, None
    if tp is datetime:
        return _iso, _datetime
    if tp is date:
        return _iso, date.fromisoformat
    if tp is Span:
        return _span_out, _span_in
    if origin is tuple and typing.get_args(tp) == (str, Ellipsis):
        return list, _str_tuple
    if dataclasses.is_dataclass(tp) or origin is tuple or origin is dict:
        return to_dict, lambda data, tp=tp: from_dict(tp, data)  # rare shapes: the general way
    return None, None


@cache
def _fields(cls: type) -> tuple[_Field, ...]:
    """The stored fields of a record class (built once per class)."""
    hints = typing.get_type_hints(cls)
    names = {f.name for f in dataclasses.fields(cls)}
    out = []
    for f in dataclasses.fields(cls):
        default = f.default
        if f.default_factory is not dataclasses.MISSING:
            default = f.default_factory()
        enc, dec = _converters(hints[f.name])
        span = None
        if f.name == "text" and {"start", "end"} <= names:
            span = ""
        elif f.name.endswith("_text") and hints.get(f.name[:-5]) in (Span, Span | None):
            span = f.name[:-5]
        out.append(_Field(f.name, default, enc, dec, span))
    return tuple(out)


def _bounds(obj: Any, span: str) -> tuple[int, int] | None:
    if span == "":
        return obj.start, obj.end
    s = getattr(obj, span)
    return (s.start, s.end) if s is not None else None


def encode_record(obj: Any, text: str = "", article_id: str | None = None) -> dict[str, Any]:
    """A record as a map of its non-default fields, without what ``text`` and ``article_id``
    give back (texts equal to their span's slice, the doc's article id)."""
    out: dict[str, Any] = {}
    for f in _fields(type(obj)):
        value = getattr(obj, f.name)
        if f.name == "article_id" and value == article_id:
            continue
        if f.span is not None:
            bounds = _bounds(obj, f.span)
            if bounds is not None:
                if value != text[bounds[0] : bounds[1]]:
                    out[f.name] = value
                continue
        if f.default is not dataclasses.MISSING and value == f.default:
            continue
        out[f.name] = f.encode(value) if f.encode is not None and value is not None else value
    return out


def decode_record(cls: type, data: dict[str, Any], text: str = "", article_id: str = "") -> Any:
    """The record ``encode_record`` wrote (unknown fields ignored, missing ones defaulted)."""
    make = _record_maker(cls)
    if make is not None:
        return make(data, text, article_id)
    kwargs: dict[str, Any] = {}
    derived: list[_Field] = []
    for f in _fields(cls):
        if f.name in data:
            value = data[f.name]
            kwargs[f.name] = (
                f.decode(value) if f.decode is not None and value is not None else value
            )
        elif f.span is not None:
            derived.append(f)
        elif f.name == "article_id":
            kwargs[f.name] = article_id
    for f in derived:  # after the spans they are cut at are known
        span = kwargs.get("start"), kwargs.get("end")
        if f.span:
            s = kwargs.get(f.span)
            span = (s.start, s.end) if s is not None else (None, None)
        if span[0] is not None:
            kwargs[f.name] = text[span[0] : span[1]]
    return cls(**kwargs)


@cache
def _record_maker(cls: type) -> Callable[[dict[str, Any], str, str], Any] | None:
    """``decode_record`` for ``cls`` that sets the new record's slots directly (as
    ``model.token_maker`` does for tokens): a frozen dataclass's ``__init__`` goes through
    ``object.__setattr__`` for every field, and 500 analyses hold ~21,000 mentions, times,
    quotes and facts (-27 % of their decoding). None where the class needs its ``__init__``
    (no slots, ``__post_init__``, a field it does not init or with a default factory) or
    where a text field's span could be a default rather than a stored value."""
    if not dataclasses.is_dataclass(cls) or hasattr(cls, "__post_init__"):
        return None
    declared = {f.name: f for f in dataclasses.fields(cls)}
    fields = _fields(cls)
    for f in fields:
        d = declared[f.name]
        if not d.init or d.default_factory is not dataclasses.MISSING:
            return None
        if not hasattr(getattr(cls, f.name, None), "__set__"):
            return None  # not a slot
        if f.span and (
            f.span not in declared or declared[f.span].default not in (None, dataclasses.MISSING)
        ):
            return None
        if f.span == "" and any(g.decode is not None for g in fields if g.name in ("start", "end")):
            return None
    missing = dataclasses.MISSING
    plan = tuple(
        (f.name, f.decode, f.span, f.default, getattr(cls, f.name).__set__) for f in fields
    )
    new = object.__new__

    def make(data: dict[str, Any], text: str, article_id: str) -> Any:
        obj = new(cls)
        derived = []
        for name, decode, span, default, put in plan:
            value = data.get(name, missing)
            if value is not missing:
                put(obj, value if decode is None or value is None else decode(value))
            elif span is not None:
                derived.append((span, default, put, name))
            elif name == "article_id":
                put(obj, article_id)
            elif default is not missing:
                put(obj, default)
            else:
                raise TypeError(f"{cls.__name__}: missing required field {name!r}")
        for span, default, put, name in derived:  # after the spans they are cut at are set
            if span:
                at = getattr(obj, span)  # None when not stored (its default)
                lo, hi = (at.start, at.end) if at is not None else (None, None)
            else:
                lo, hi = data.get("start"), data.get("end")
            if lo is not None:
                put(obj, text[lo:hi])
            elif default is not missing:
                put(obj, default)
            else:
                raise TypeError(f"{cls.__name__}: missing required field {name!r}")
        return obj

    return make


def _encode_sentences(sentences: tuple[Sentence, ...], text: str) -> dict[str, Any]:
    """Sentences and tokens as columns: bounds, gaps, lengths, lemma codes, exceptions."""
    bounds: list[int] = []
    gaps: list[int] = []
    lengths: list[int] = []
    lemmas: list[int | str] = []
    pos: list[str] = []
    exceptions: dict[str, list[Any]] = {"sx": [], "tx": [], "px": []}
    prev = 0
    i = 0
    for n, s in enumerate(sentences):
        bounds += (s.start, s.end, len(s.tokens))
        if s.text != text[s.start : s.end]:
            exceptions["sx"].append([n, s.text])
        for t in s.tokens:
            gaps.append(t.start - prev)
            lengths.append(t.end - t.start)
            prev = t.end
            if t.text != text[t.start : t.end]:
                exceptions["tx"].append([i, t.text])
            if t.lemma == t.text:
                lemmas.append(_LEMMA_SAME)
            elif t.lemma == t.text.lower():
                lemmas.append(_LEMMA_LOWER)
            else:
                lemmas.append(t.lemma)
            pos.append(t.pos)
            if t.space_after != _space_after(text, t.end):
                exceptions["px"].append(i)
            i += 1
    out: dict[str, Any] = {"b": bounds, "g": gaps, "l": lengths, "m": lemmas}
    if any(pos):
        out["p"] = pos
    out.update((k, v) for k, v in exceptions.items() if v)
    return out


def _space_after(text: str, end: int) -> bool:
    return end < len(text) and text[end].isspace()


_token = token_maker()  # a dossier of 500 articles decodes 250,000 tokens


def _decode_sentences(data: dict[str, Any], text: str) -> tuple[Sentence, ...]:
    bounds, gaps, lengths, lemmas = data["b"], data["g"], data["l"], data["m"]
    pos = data.get("p")
    sent_text = dict(data.get("sx", ()))
    tok_text = dict(data.get("tx", ()))
    flipped = set(data.get("px", ()))
    sentences = []
    i = 0
    prev = 0
    size = len(text)
    for n in range(0, len(bounds), 3):
        start, end, count = bounds[n], bounds[n + 1], bounds[n + 2]
        tokens = []
        for _ in range(count):
            t_start = prev + gaps[i]
            t_end = t_start + lengths[i]
            prev = t_end
            t_text = tok_text[i] if i in tok_text else text[t_start:t_end]
            code = lemmas[i]
            lemma = t_text if code == _LEMMA_SAME else t_text.lower() if code == 1 else code
            space = t_end < size and text[t_end].isspace()
            if i in flipped:
                space = not space
            tokens.append(_token(t_start, t_end, t_text, lemma, pos[i] if pos else "", space))
            i += 1
        s_text = sent_text.get(n // 3, text[start:end])
        sentences.append(Sentence(start, end, s_text, tuple(tokens)))
    return tuple(sentences)


def _lemma_code(text: str, lemma: str) -> int | str | list[str]:
    """Format 2's lemma of a token: 0 its text, 1 its text in lower case, k >= 2 its text
    without its last k - 1 characters, a string starting with chr(c) (c < 16) its text
    without c characters and with the rest appended; else the lemma itself (in a list when it
    starts like an edit). Of 10kGNAD's 124k lemmas not equal to their token's text in any
    case, 79 % are such edits ("Regierungen" -> 3: "Regierung")."""
    if lemma == text:
        return _LEMMA_SAME
    if lemma == text.lower():
        return _LEMMA_LOWER
    size, length = len(text), len(lemma)
    if length and text.startswith(lemma):
        if size - length < _EDIT_MAX:
            return size - length + 1
    else:  # the longest start of the text the lemma starts with, if it leaves <= 6 to add
        for k in range(size, max(0, length - 7, size - _EDIT_MAX), -1):
            if lemma.startswith(text[:k]):
                return chr(size - k) + lemma[k:]
    return [lemma] if lemma[:1] < chr(_EDIT_MAX) else lemma


def _lemma_of(text: str, code: int | str | list[str]) -> str:
    """The lemma ``_lemma_code`` stored for a token with this text."""
    if isinstance(code, int):
        return text if code == 0 else text.lower() if code == 1 else text[: 1 - code]
    if isinstance(code, list):
        return code[0]
    if code[0] < chr(_EDIT_MAX):
        return text[: len(text) - ord(code[0])] + code[1:]
    return code


def _past_words(
    words: list[str], j: int, after: int, end: int, find: Callable[[str, int], int]
) -> tuple[int, int]:
    """Past the guessed tokens from ``words[j]`` on that start before ``end`` (those a token
    the guess missed covers): the next word's index and the end of the last one passed.
    Encoder and decoder walk the guess the same way, or the tokens would not come back."""
    while j < len(words):
        w_start = find(words[j], after)
        if w_start >= end:
            break
        after = w_start + len(words[j])
        j += 1
    return j, after


def _encode_sentences_v2(
    sentences: tuple[Sentence, ...], text: str, table: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """Sentences as token counts; tokens as ``_TOKEN_GUESS`` finds them, those it misses as
    (index, gap to the previous token, length) triples; bounds only where they are not the
    first token's start and the last one's end; lemma codes (with a store's lemma ``table``:
    0 where the table's code for the token's text is right, -1 for "same" where it is not);
    exceptions as format 1."""
    words = _TOKEN_GUESS.findall(text)  # as ``_decode_sentences_v2`` reads them
    n_words = len(words)
    find = text.find
    j = after = 0
    size = len(text)
    counts: list[int] = []
    bounds: list[int] = []
    missed: list[int] = []
    lemmas: list[int | str | list[str]] = []
    pos: list[str] = []
    exceptions: dict[str, list[Any]] = {"sx": [], "tx": [], "px": []}
    prev = 0
    i = 0
    for n, s in enumerate(sentences):
        tokens = s.tokens
        counts.append(len(tokens))
        if not tokens or s.start != tokens[0].start or s.end != tokens[-1].end:
            bounds += (n, s.start, s.end)
        if s.text != text[s.start : s.end]:
            exceptions["sx"].append([n, s.text])
        for t in tokens:
            start, end, t_text, lemma = t.start, t.end, t.text, t.lemma
            word = words[j] if j < n_words else ""
            if word and find(word, after) == start and start + len(word) == end:
                j += 1
                after = end
            else:
                missed += (i, start - prev, end - start)
                j, after = _past_words(words, j, after, end, find)
                word = text[start:end]
            prev = end
            if t_text != word:
                exceptions["tx"].append([i, t_text])
            code = _LEMMA_SAME if lemma == t_text else _lemma_code(t_text, lemma)
            if table is not None:
                expected = table.get(t_text, _LEMMA_SAME)
                code = 0 if code == expected else _LEMMA_NOT_EXPECTED if code == 0 else code
            lemmas.append(code)
            pos.append(t.pos)
            if t.space_after != (end < size and text[end].isspace()):
                exceptions["px"].append(i)
            i += 1
    out: dict[str, Any] = {"c": counts, "m": lemmas}
    if bounds:
        out["bx"] = bounds
    if missed:
        out["gx"] = missed
    if any(pos):
        out["p"] = pos
    out.update((k, v) for k, v in exceptions.items() if v)
    return out


class _LazySentence(Sentence):
    """A decoded sentence whose tokens are made when first read: a dossier of 500 articles
    reads the tokens of few of its ~8,000 sentences, and making them is most of decoding an
    analysis. Equal to, hashed and pickled as the ``Sentence`` it stands for."""

    __slots__ = ("_source",)  # (``_Tokens``, token index, word index, prev, after, count)

    @property
    def tokens(self) -> tuple[Token, ...]:  # type: ignore[override]
        try:
            return _TOKENS_SLOT.__get__(self)
        except AttributeError:
            tokens = _make_tokens(*self._source)
            _TOKENS_SLOT.__set__(self, tokens)
            _SOURCE_SLOT.__delete__(self)  # the doc's columns go once every sentence has its own
            return tokens

    @tokens.setter
    def tokens(self, value: tuple[Token, ...]) -> None:  # Sentence's __init__ (``replace``)
        _TOKENS_SLOT.__set__(self, value)

    def _fields(self) -> tuple[int, int, str, tuple[Token, ...]]:
        return self.start, self.end, self.text, self.tokens

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sentence):
            return NotImplemented
        return self._fields() == (other.start, other.end, other.text, other.tokens)

    def __hash__(self) -> int:
        return hash(self._fields())

    def __reduce_ex__(self, protocol: object) -> tuple[type[Sentence], tuple[Any, ...]]:
        return Sentence, self._fields()

    def __repr__(self) -> str:
        return repr(Sentence(*self._fields()))


_TOKENS_SLOT = Sentence.__dict__["tokens"]
_SOURCE_SLOT = _LazySentence.__dict__["_source"]
_S_START, _S_END, _S_TEXT = (Sentence.__dict__[n].__set__ for n in ("start", "end", "text"))


class _Tokens:
    """What a doc's tokens are made from (the text, its guessed words, the stored columns),
    shared by its sentences until each has made its own."""

    __slots__ = (
        "flipped",
        "lemmas",
        "missed",
        "pos",
        "special",
        "table",
        "text",
        "tok_text",
        "words",
    )

    def __init__(self, data: dict[str, Any], text: str, table: Mapping[str, Any] | None) -> None:
        self.text = text
        # the guessed tokens' texts (``findall`` makes no match objects: ~half the time of
        # ``finditer``); only white space lies between two, so ``find`` from the end of the
        # one before gives each one's start
        self.words: list[str] = _TOKEN_GUESS.findall(text)
        self.lemmas = data["m"]
        self.pos = data.get("p")
        gx = data.get("gx", ())
        self.missed = {gx[k]: (gx[k + 1], gx[k + 2]) for k in range(0, len(gx), 3)}
        self.tok_text = dict(data.get("tx", ()))
        self.flipped = set(data.get("px", ()))
        self.special = self.flipped.union(self.missed, self.tok_text)  # off the fast path
        self.table = table


def _make_tokens(
    k: _Tokens, i: int, j: int, prev: int, after: int, count: int
) -> tuple[Token, ...]:
    """The ``count`` tokens from token ``i`` on: ``j`` is the next guessed word, ``prev`` the
    end of the token before, ``after`` the end of the last guessed word passed."""
    text, words, lemmas, pos, table = k.text, k.words, k.lemmas, k.pos, k.table
    missed, tok_text, flipped, special = k.missed, k.tok_text, k.flipped, k.special
    find = text.find
    size = len(text)
    tokens = []
    for _ in range(count):
        if i not in special:  # the guessed token, as it is
            t_text = words[j]
            t_start = find(t_text, after)
            t_end = after = prev = t_start + len(t_text)
            j += 1
            space = t_end < size and text[t_end].isspace()
        else:
            if i in missed:
                gap, length = missed[i]
                t_start = prev + gap
                t_end = t_start + length
                t_text = text[t_start:t_end]
                j, after = _past_words(words, j, after, t_end, find)
            else:
                t_text = words[j]
                t_start = find(t_text, after)
                t_end = after = t_start + len(t_text)
                j += 1
            prev = t_end
            if i in tok_text:
                t_text = tok_text[i]
            space = t_end < size and text[t_end].isspace()
            if i in flipped:
                space = not space
        code = lemmas[i]
        if table is not None:
            if code == 0:
                code = table.get(t_text, _LEMMA_SAME)
            elif code == _LEMMA_NOT_EXPECTED:
                code = _LEMMA_SAME
        if code == 0:  # the lemma codes inline: this loop runs for every token
            lemma = t_text
        elif code == 1:
            lemma = t_text.lower()
        else:
            lemma = _lemma_of(t_text, code)
        tokens.append(_token(t_start, t_end, t_text, lemma, pos[i] if pos else "", space))
        i += 1
    return tuple(tokens)


def _decode_sentences_v2(
    data: dict[str, Any], text: str, table: Mapping[str, Any] | None = None
) -> tuple[Sentence, ...]:
    """The sentences, each with where its tokens start in the columns (``_LazySentence``):
    only the tokens' bounds are walked here, as the sentences' bounds are their first and
    last token's where not stored."""
    k = _Tokens(data, text, table)
    words, missed = k.words, k.missed
    bx = data.get("bx", ())
    bounds = {bx[n]: (bx[n + 1], bx[n + 2]) for n in range(0, len(bx), 3)}
    sent_text = dict(data.get("sx", ()))
    find = text.find
    new = object.__new__
    put_source = _SOURCE_SLOT.__set__
    sentences = []
    i = j = prev = after = 0  # after: the end of the last guessed token passed
    for n, count in enumerate(data["c"]):
        source = (k, i, j, prev, after, count)
        if n in bounds:
            start, end = bounds[n]
        else:
            start = prev + missed[i][0] if i in missed else find(words[j], after)
        for _ in range(count):  # as ``_make_tokens`` walks them, without making them
            if i in missed:
                gap, length = missed[i]
                prev += gap + length
                j, after = _past_words(words, j, after, prev, find)
            else:
                word = words[j]
                after = prev = find(word, after) + len(word)
                j += 1
            i += 1
        if n not in bounds:
            end = prev
        s = new(_LazySentence)
        _S_START(s, start)
        _S_END(s, end)
        _S_TEXT(s, sent_text.get(n, text[start:end]))
        put_source(s, source)
        sentences.append(s)
    return tuple(sentences)


@cache
def _float_fields(cls: type) -> frozenset[str]:
    hints = typing.get_type_hints(cls)
    return frozenset(
        f.name for f in dataclasses.fields(cls) if hints[f.name] in (float, float | None)
    )


def _short_float(x: Any) -> Any:
    """A float field's value in format 2: an integral float as an int, one whose repr is
    shorter than MessagePack's 9 bytes as that repr (``float`` reads both back exactly), any
    other float as it is, a value that is no float in a list (so it is not read as one)."""
    if x.__class__ is not float:
        return [x]
    if x.is_integer() and abs(x) < 2**53 and math.copysign(1.0, x) > 0:
        return int(x)
    r = repr(x)
    return r if len(r) < 8 else x


def _float_back(x: Any) -> Any:
    if x.__class__ is list:
        return x[0]
    return float(x)


def _encode_records(records: tuple[Any, ...], text: str, aid: str) -> dict[str, Any]:
    """Format 2's list of records as columns: a field held by every record as a list, one
    held by some as a map from record number; ``start`` as the gap to the record before,
    ``end`` as the length; float fields short (``_short_float``)."""
    rows = [encode_record(r, text, aid) for r in records]
    floats = _float_fields(type(records[0]))
    prev = 0
    for row in rows:
        if "start" in row and "end" in row:
            start = row["start"]
            row["end"] -= start
            row["start"] = start - prev
            prev = start
        for name in floats & row.keys():
            if row[name] is not None:
                row[name] = _short_float(row[name])
    columns: dict[str, dict[int, Any]] = {}
    for n, row in enumerate(rows):
        for name, value in row.items():
            column = columns.get(name)
            if column is None:
                columns[name] = column = {}
            column[n] = value
    out: dict[str, Any] = {"n": len(rows)}
    for f in _fields(type(records[0])):  # in the record's field order
        if (column := columns.get(f.name)) is not None:
            out[f.name] = list(column.values()) if len(column) == len(rows) else column
    return out


def _decode_records(cls: type, data: dict[str, Any], text: str, aid: str) -> tuple[Any, ...]:
    rows: list[dict[str, Any]] = [{} for _ in range(data["n"])]
    for name, column in data.items():
        if name == "n":
            continue
        if column.__class__ is dict:
            for n, value in column.items():
                rows[n][name] = value
        else:
            for row, value in zip(rows, column, strict=True):
                row[name] = value
    floats = _float_fields(cls)
    prev = 0
    for row in rows:
        if "start" in row and "end" in row:
            prev = row["start"] = prev + row["start"]
            row["end"] += prev
        for name in floats & row.keys():
            if row[name] is not None:
                row[name] = _float_back(row[name])
    return tuple(decode_record(cls, row, text, aid) for row in rows)


_LISTS: tuple[tuple[str, str, type], ...] = (
    ("mentions", "mn", Mention),
    ("times", "ti", TimeExpr),
    ("quotes", "qu", Quote),
    ("facts", "fa", Fact),
)


@dataclasses.dataclass(frozen=True, slots=True)
class LemmaTable:
    """A store's lemma codes by token text (``learn_lemma_table``), named in the analyses
    encoded with it by ``id``: the Adler-32 of its stored bytes."""

    id: int
    codes: Mapping[str, Any]

    @classmethod
    def of(cls, stored: bytes) -> LemmaTable:
        return cls(zlib.adler32(stored), _decoder.decode(zlib.decompress(stored)))


def learn_lemma_table(docs: Iterable[Doc]) -> bytes:
    """A store's lemma table (stored bytes), learned from ``docs``: for every token text, the
    lemma code (``_lemma_code``) it had most often, where that is not "same". An analysis
    encoded with it stores 0 wherever the table is right. Learned from the first 200 of 1,016
    10kGNAD analyses, it makes the other 816 18.7 % smaller (even/odd split: 18.7 %)."""
    pairs = Counter((t.text, t.lemma) for d in docs for s in d.sentences for t in s.tokens)
    counts: dict[str, Counter[bytes]] = {}
    for (text, lemma), n in pairs.items():  # a code per distinct (text, lemma), not per token
        code = _LEMMA_SAME if lemma == text else _lemma_code(text, lemma)
        counts.setdefault(text, Counter())[_encoder.encode(code)] += n
    same = _encoder.encode(_LEMMA_SAME)
    table: dict[str, Any] = {}
    for word in sorted(counts):
        best = min(counts[word].items(), key=lambda kv: (-kv[1], kv[0]))[0]
        if best != same:
            table[word] = _decoder.decode(best)
    return zlib.compress(_encoder.encode(table), 9)


def encode_doc(doc: Doc, version: int = FORMAT, lemmas: LemmaTable | None = None) -> bytes:
    """The stored bytes of an analysis (its article is stored on its own), with the store's
    ``lemmas`` table when it has one; ``version`` 1 writes the layout stored before schema
    31 (for tests of reading it)."""
    text, aid = doc.article.text, doc.article.id
    out: dict[str, Any] = {"v": version, "st": list(doc.stages)}
    if version == 1:
        out["se"] = _encode_sentences(doc.sentences, text)
    else:
        if lemmas is not None:
            out["lt"] = lemmas.id
        codes = lemmas.codes if lemmas is not None else None
        out["se"] = _encode_sentences_v2(doc.sentences, text, codes)
    for name, key, _ in _LISTS:
        records = getattr(doc, name)
        if records and version == 1:
            out[key] = [encode_record(r, text, aid) for r in records]
        elif records:
            out[key] = _encode_records(records, text, aid)
    if doc.date_window is not None:
        out["dw"] = encode_record(doc.date_window)
    for f in _extra_fields():  # a field added to Doc later: stored the general way
        value = getattr(doc, f.name)
        if version == 1 or value != f.default:
            out["x:" + f.name] = to_dict(value)
    packer = zlib.compressobj(6, zdict=_doc_zdict(doc.article))
    return packer.compress(_encoder.encode(out)) + packer.flush()


@cache
def _extra_fields() -> tuple[_Field, ...]:
    """Doc's fields stored under ``x:`` names (not held by the layout above), by name."""
    known = {"article", "sentences", "date_window", "stages", *(n for n, _, _ in _LISTS)}
    fields = [f for f in _fields(Doc) if f.name not in known]
    stored = {f.name for f in dataclasses.fields(Doc) if not f.metadata.get("transient")}
    return tuple(sorted((f for f in fields if f.name in stored), key=lambda f: f.name))


def decode_doc(
    data: bytes, article: Article, lemma_tables: Callable[[int], LemmaTable] | None = None
) -> Doc:
    """The analysis ``encode_doc`` wrote, on the article it was made from; ``lemma_tables``
    gives the store's lemma table by id (``Store.lemma_table``) for one encoded with it."""
    raw = _decoder.decode(_unpack_doc(data, article))
    version = raw.get("v")
    if version not in (1, FORMAT):
        raise ValueError(f"stored analysis format {version!r}, this lagebild reads 1 to {FORMAT}")
    text, aid = article.text, article.id
    kwargs: dict[str, Any] = {"article": article, "stages": tuple(raw["st"])}
    if version == 1:
        kwargs["sentences"] = _decode_sentences(raw["se"], text)
        for name, key, cls in _LISTS:
            kwargs[name] = tuple(decode_record(cls, r, text, aid) for r in raw.get(key, ()))
    else:
        table = None
        if "lt" in raw:
            if lemma_tables is None:
                raise ValueError("an analysis encoded with a store's lemma table needs the store")
            table = lemma_tables(raw["lt"]).codes
        kwargs["sentences"] = _decode_sentences_v2(raw["se"], text, table)
        for name, key, cls in _LISTS:
            if key in raw:
                kwargs[name] = _decode_records(cls, raw[key], text, aid)
    if "dw" in raw:
        kwargs["date_window"] = decode_record(DateWindow, raw["dw"])
    hints = _doc_hints()
    for key, value in raw.items():
        if key.startswith("x:") and key[2:] in hints:
            kwargs[key[2:]] = from_dict(hints[key[2:]], value)
    return Doc(**kwargs)


def upgrade_doc(
    data: bytes,
    article: Article,
    lemmas: LemmaTable | None = None,
    lemma_tables: Callable[[int], LemmaTable] | None = None,
) -> bytes | None:
    """A stored analysis in the current format with ``lemmas`` (the same analysis), None when
    it is so already. Schema 31 rewrites format 1 analyses so, a learned table all."""
    raw = _decoder.decode(_unpack_doc(data, article))
    if raw.get("v") == FORMAT and raw.get("lt") == (lemmas.id if lemmas else None):
        return None
    return encode_doc(decode_doc(data, article, lemma_tables), lemmas=lemmas)


def pack_json(value: Any) -> bytes | str:
    """A JSON value as stored in a row: MessagePack of what ``json.loads`` would give back
    (string keys, lists; ~12 % fewer bytes than the JSON text for the change log), the JSON
    text itself where MessagePack cannot hold it (an integer beyond 64 bits)."""
    text = json.dumps(value, ensure_ascii=False)
    try:
        return _encoder.encode(json.loads(text))
    except OverflowError:
        return text


def unpack_json(stored: bytes | str) -> Any:
    """The value ``pack_json`` stored (a JSON text as well: rows stored before schema 32)."""
    return json.loads(stored) if isinstance(stored, str) else _decoder.decode(stored)


# The keys of the change log's usual details (``changes.track``), in order: a detail with
# exactly these keys is stored as [shape number, its values] instead of a map that spells
# the keys in every row (~80 of ~240 bytes per logged article). Append only: stored rows
# name a shape by its place.
DETAIL_SHAPES: tuple[tuple[str, ...], ...] = (
    ("title", "outlet", "published", "published_label", "url", "language"),  # article
    ("title", "articles", "outlets", "first"),  # story
    ("text", "kind", "measures", "outlets", "articles"),  # fact
    ("text", "kind", "measures", "outlets", "articles", "was"),  # fact that replaced one
    ("slot", "kind", "values", "note"),  # divergence
    ("speaker", "form", "text", "articles"),  # statement
    ("first", "last"),  # dates
    ("articles",),  # outlet
)
_SHAPE_NUMBER = {keys: n for n, keys in enumerate(DETAIL_SHAPES)}


_HEX16 = re.compile(r"[0-9a-f]{16}")
# a change's kind as the log keeps it (schema 58): one letter for the kinds it writes
CHANGE_KINDS = {
    "story": "s",
    "article": "a",
    "outlet": "o",
    "fact": "f",
    "divergence": "d",
    "statement": "q",
    "dates": "t",
    "merged": "m",
}
_KIND_OF = {code: kind for kind, code in CHANGE_KINDS.items()}


def pack_id(value: str) -> bytes | str:
    """An id as the change log keeps it (schema 58): the 8 bytes of 16 lower-case hex digits
    (the story and article ids lagebild makes), any other value as it is; ``unpack_id``
    gives every value back as it was."""
    return bytes.fromhex(value) if _HEX16.fullmatch(value) else value


def unpack_id(stored: bytes | str) -> str:
    return stored.hex() if isinstance(stored, bytes) else stored


def pack_kind(kind: str) -> str:
    """A change's kind as the log keeps it: ``CHANGE_KINDS``' letter, another kind as it is."""
    return CHANGE_KINDS.get(kind, kind)


def unpack_kind(stored: str) -> str:
    return _KIND_OF.get(stored, stored)


def pack_detail(detail: dict[str, Any]) -> bytes | str:
    """A change-log detail as stored: ``pack_json``'s value, by place when its keys are
    one of ``DETAIL_SHAPES`` (a detail is a map, so a stored array is always a shape)."""
    plain = json.loads(json.dumps(detail, ensure_ascii=False))
    shape = _SHAPE_NUMBER.get(tuple(plain)) if isinstance(plain, dict) else None
    if shape is None:
        return pack_json(detail)
    try:
        return _encoder.encode([shape, *plain.values()])
    except OverflowError:
        return pack_json(detail)


def unpack_detail(stored: bytes | str) -> Any:
    """The detail ``pack_detail`` stored (``pack_json``'s forms as well)."""
    value = unpack_json(stored)
    if isinstance(value, list):
        return dict(zip(DETAIL_SHAPES[value[0]], value[1:], strict=True))
    return value


# The words an encoded analysis is made of besides its article's text: record keys, labels,
# kinds, units, stage names. Preset (with the text) as the zlib dictionary of every analysis,
# so a 2.3 KB analysis need not spell them out once more (-19 % on 10kGNAD analyses beside
# the text alone: 2.33 -> 1.83 MB per 1,000). Never edit it: stored analyses name it by its
# checksum (a new list would be a second dictionary, told apart the same way).
_DOC_WORDS = """
    km/h speed decade kg cm direct ° l s volume temperature ha area t weight pp percent-points
    d m min wk km h USD mo reported distance coref SET claim age TIME gazetteer EUR money a
    duration % percent text@2 encode@1-fast entities@17 time@5 quotes@6 facts@8 OTH DURATION
    count rule DATE indirect ORG LOC PER x:caption_mentions value_max approx mod modality
    attributed_to cue_text value_text speaker_entity speaker_name speaker unit subject
    measures sentence outlet kind fa anchor type ti cue message form qu source score
    entity_id label mn value start end b g l m p se st v
"""


@cache
def _doc_words() -> bytes:
    return b"".join(_encoder.encode(w) for w in _DOC_WORDS.split())


def _doc_zdict(article: Article) -> bytes:
    """An analysis's zlib dictionary: ``_DOC_WORDS`` and its article's title and text
    (zlib uses the last 32 KB), which hold its lemmas, names and quoted words."""
    return _doc_zdict_of(article.title, article.text)


def _doc_zdict_of(title: str, text: str) -> bytes:
    return (_doc_words() + _zdict(title, text))[-32768:]


def repack_doc(data: bytes, title: str, text: str) -> bytes | None:
    """A stored analysis packed as ``encode_doc`` packs one now (with the dictionary), the
    same MessagePack inside, so nothing is decoded or can change; None when it is packed
    so already. Schema 23 repacks analyses stored before the dictionary with it."""
    if len(data) >= 2 and data[1] & 0x20:
        return None
    packer = zlib.compressobj(6, zdict=_doc_zdict_of(title, text))
    return packer.compress(zlib.decompress(data)) + packer.flush()


def _unpack_doc(data: bytes, article: Article) -> bytes:
    """The MessagePack bytes of a stored analysis; one stored before the dictionary (its
    zlib header without the FDICT flag) is read without it."""
    if len(data) < 2 or not data[1] & 0x20:
        return zlib.decompress(data)
    unpacker = zlib.decompressobj(zdict=_doc_zdict(article))
    return unpacker.decompress(data) + unpacker.flush()


def encode_story(story: Story) -> bytes:
    """A story's stored record: compact, without its id, title, first and last date (the
    store keeps them in columns; the dates there since schema 35): ~90 instead of ~410 bytes
    of JSON per story."""
    data = encode_record(story)
    for name in ("id", "title", "first", "last"):
        data.pop(name, None)
    return _encoder.encode(data)


def decode_story(
    story_id: str,
    title: str,
    stored: bytes | str,
    first: str | None = None,
    last: str | None = None,
) -> Story:
    """The story ``encode_story`` wrote (or, from a row stored before schema 21, the JSON);
    ``first`` and ``last`` are its row's columns (a record stored before schema 35 holds
    them itself)."""
    if isinstance(stored, str):
        return from_dict(Story, json.loads(stored))
    data = _decoder.decode(stored)
    data["id"], data["title"] = story_id, title
    if first is not None:
        data.setdefault("first", first)
    if last is not None:
        data.setdefault("last", last)
    return decode_record(Story, data)


# the article fields its row's columns hold besides title and text, kept only there (schema
# 29); ``ARTICLE_SELECT`` reads what ``decode_article`` needs
ARTICLE_COLUMNS = ("id", "source", "format", "url", "outlet", "published", "language")
ARTICLE_SELECT = "title, text, data, " + ", ".join(ARTICLE_COLUMNS)
# an analysis's stage list from its row ``d`` (schema 57: ``docs.stages`` is its number in
# ``stage_sets``)
STAGES_OF_DOC = "(SELECT s.stages FROM stage_sets s WHERE s.id = d.stages)"


def encode_article(art: Article, raw_dict: bytes = b"") -> bytes:
    """An article's stored record: compact, without what the store keeps in columns (title,
    text, ``ARTICLE_COLUMNS``), its raw input compressed with the store's ``raw_dict``
    (``learn_raw_dict``) and the text as dictionary (the raw input holds the text, so what is
    stored is little more than the markup around it)."""
    data = encode_record(art)
    for name in ("title", "text", *ARTICLE_COLUMNS):
        data.pop(name, None)
    raw = data.pop("raw", None)
    if raw:
        packer = zlib.compressobj(6, zdict=_raw_zdict(art.title, art.text, raw_dict))
        data["raw~z"] = packer.compress(raw.encode("utf-8")) + packer.flush()
        if raw_dict:
            data["rd"] = zlib.adler32(raw_dict)
    return _encoder.encode(data)


_RAW_DICT_MAX = 8192  # bytes of a store's raw-record dictionary (before title and text)


def learn_raw_dict(articles: Iterable[Article]) -> bytes:
    """A store's preset dictionary for its articles' raw input records, learned from
    ``articles``: each raw record without its title and text (as they are and JSON-escaped),
    the last articles' last, in <= 8 KB. For JSONL input that leaves the record's keys, url,
    outlet and date: learned from the first 200 of 1,016 10kGNAD records it packs the other
    816 in 97 instead of 185 bytes each."""
    parts = []
    for art in articles:
        raw = art.raw
        for s in sorted({art.text, art.title} - {""}, key=len, reverse=True):
            for form in (json.dumps(s, ensure_ascii=False)[1:-1], json.dumps(s)[1:-1], s):
                raw = raw.replace(form, "")
        parts.append(raw.encode("utf-8"))
    return b"".join(parts)[-_RAW_DICT_MAX:]


LEARN_TEXTS = 200  # the first articles of a store its text dictionary is learned from
_ZDICT_MAX = 32768  # zlib's window: bytes of a preset dictionary it can use


def learn_text_dict(texts: Iterable[str]) -> bytes:
    """A store's preset zlib dictionary for its article texts, learned from ``texts``: the
    words and word pairs found in at least three of them, those that save the most bytes
    (texts x length) last, where zlib finds them best, in zlib's 32 KB. Learned from the first
    200 of 1,016 10kGNAD articles it makes the other 816 texts 18.7 % smaller (zlib 6)."""
    counts: Counter[str] = Counter()
    for text in texts:
        words = text.split()
        counts.update(set(words) | {f"{a} {b}" for a, b in pairwise(words)})
    ranked = sorted(
        (w for w, n in counts.items() if n >= 3), key=lambda w: (-counts[w] * len(w), w)
    )
    picked: list[bytes] = []
    size = 0
    for word in ranked:
        b = word.encode("utf-8") + b" "
        if size + len(b) > _ZDICT_MAX:
            break
        picked.append(b)
        size += len(b)
    return b"".join(reversed(picked))


def encode_text(text: str, zdict: bytes = b"") -> bytes:
    """An article's text as stored: zlib, with the store's learned dictionary when it has one
    (the search index is contentless, so nothing reads the column but ``decode_text``)."""
    if not zdict:
        return zlib.compress(text.encode("utf-8"), 6)
    packer = zlib.compressobj(6, zdict=zdict)
    return packer.compress(text.encode("utf-8")) + packer.flush()


def text_dict_id(stored: bytes) -> int | None:
    """The Adler-32 of the dictionary a stored text was packed with (zlib's DICTID), or None
    when it was packed without one."""
    if len(stored) >= 6 and stored[1] & 0x20:
        return int.from_bytes(stored[2:6], "big")
    return None


def decode_text(stored: bytes | str, dicts: Callable[[int], bytes] | None = None) -> str:
    """The text ``encode_text`` stored (a row stored before schema 20 holds it plain);
    ``dicts`` gives a dictionary by its id (``text_dict_id``; the store's ``text_dict``)."""
    if isinstance(stored, str):
        return stored
    dict_id = text_dict_id(stored)
    if dict_id is None:
        return zlib.decompress(stored).decode("utf-8")
    if dicts is None:
        raise ValueError("a text packed with a dictionary needs the store's dictionaries")
    unpacker = zlib.decompressobj(zdict=dicts(dict_id))
    return (unpacker.decompress(stored) + unpacker.flush()).decode("utf-8")


def decode_article(
    title: str,
    text: bytes | str,
    stored: bytes | str,
    columns: Mapping[str, Any],
    dicts: Callable[[int], bytes] | None = None,
) -> Article:
    """The article ``encode_article`` wrote (or, from a row not yet converted, the JSON);
    ``text`` is its text column (``encode_text``; ``dicts`` as ``decode_text`` takes it),
    ``columns`` its row (``ARTICLE_SELECT``): a field a record of schema 29 leaves to its
    column is read there."""
    text = decode_text(text, dicts)
    if isinstance(stored, str):
        return from_dict(Article, json.loads(stored))
    data = _decoder.decode(stored)
    for name in ARTICLE_COLUMNS:
        if name not in data and columns[name] is not None:
            data[name] = columns[name]
    data["title"], data["text"] = title, text
    packed = data.pop("raw~z", None)
    raw_dict_id = data.pop("rd", None)
    if packed is not None:
        raw_dict = b""
        if raw_dict_id is not None:
            if dicts is None:
                raise ValueError("a raw record packed with a dictionary needs the store's")
            raw_dict = dicts(raw_dict_id)
        unpacker = zlib.decompressobj(zdict=_raw_zdict(title, text, raw_dict))
        data["raw"] = (unpacker.decompress(packed) + unpacker.flush()).decode("utf-8")
    return decode_record(Article, data)


def _zdict(title: str, text: str) -> bytes:
    """The preset dictionary of a raw input: its title and text (zlib uses the last 32 KB)."""
    return f"{title}\n{text}".encode()[-32768:]


def _raw_zdict(title: str, text: str, raw_dict: bytes) -> bytes:
    """A raw input's preset dictionary with the store's raw dictionary before its own."""
    return (raw_dict + f"{title}\n{text}".encode())[-32768:] if raw_dict else _zdict(title, text)


@cache
def _doc_hints() -> dict[str, Any]:
    return typing.get_type_hints(Doc)


__all__ = [
    "ARTICLE_COLUMNS",
    "ARTICLE_SELECT",
    "DETAIL_SHAPES",
    "FORMAT",
    "LEARN_LEMMAS",
    "LemmaTable",
    "decode_article",
    "decode_doc",
    "decode_record",
    "decode_story",
    "decode_text",
    "encode_article",
    "encode_doc",
    "encode_record",
    "encode_story",
    "encode_text",
    "learn_lemma_table",
    "learn_raw_dict",
    "learn_text_dict",
    "pack_detail",
    "pack_json",
    "text_dict_id",
    "unpack_detail",
    "unpack_json",
    "upgrade_doc",
]
