"""The compact stored form of an analysis: MessagePack over flat records, texts from offsets.

A JSON analysis made by reflection over the dataclasses was ~51 KB for a 2.5 KB article,
three quarters of it per-token records repeating the article's text. Here a token is two
small integers (gap to the previous token, length) and a lemma code; every text that is the
slice of the article its offsets point at (token, sentence, mention, time, fact, quote
parts) is left out and cut from the article again on reading; fields holding their default
are left out; the article id is the doc's. Records keep their field names, so a field added
to the model later still reads (missing -> default; unknown -> ignored).
"""

from __future__ import annotations

import dataclasses
import json
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
)

FORMAT = 1  # bump when the layout below changes; ``decode_doc`` refuses what it cannot read
_LEMMA_SAME, _LEMMA_LOWER = 0, 1

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


def _fast_token() -> Callable[..., Token]:
    """``Token(start, end, text, lemma, pos, space_after)`` at ~70 % of the cost: a frozen
    dataclass's ``__init__`` goes through ``object.__setattr__`` for every field, and a
    dossier of 500 articles decodes 250,000 tokens. ``Token`` itself if its fields change."""
    names = tuple(f.name for f in dataclasses.fields(Token))
    if names != ("start", "end", "text", "lemma", "pos", "space_after"):
        return Token
    s0, s1, s2, s3, s4, s5 = (getattr(Token, n).__set__ for n in names)
    new = object.__new__

    def make(start: int, end: int, text: str, lemma: str, pos: str, space: bool) -> Token:
        tok = new(Token)
        s0(tok, start)
        s1(tok, end)
        s2(tok, text)
        s3(tok, lemma)
        s4(tok, pos)
        s5(tok, space)
        return tok

    return make


_token = _fast_token()


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


_LISTS: tuple[tuple[str, str, type], ...] = (
    ("mentions", "mn", Mention),
    ("times", "ti", TimeExpr),
    ("quotes", "qu", Quote),
    ("facts", "fa", Fact),
)


def encode_doc(doc: Doc) -> bytes:
    """The stored bytes of an analysis (its article is stored on its own)."""
    text, aid = doc.article.text, doc.article.id
    out: dict[str, Any] = {"v": FORMAT, "st": list(doc.stages)}
    out["se"] = _encode_sentences(doc.sentences, text)
    for name, key, _ in _LISTS:
        records = getattr(doc, name)
        if records:
            out[key] = [encode_record(r, text, aid) for r in records]
    if doc.date_window is not None:
        out["dw"] = encode_record(doc.date_window)
    extra = {f.name for f in dataclasses.fields(Doc) if not f.metadata.get("transient")} - {
        "article",
        "sentences",
        "date_window",
        "stages",
        *(n for n, _, _ in _LISTS),
    }
    for name in sorted(extra):  # a field added to Doc later: stored the general way
        out["x:" + name] = to_dict(getattr(doc, name))
    packer = zlib.compressobj(6, zdict=_doc_zdict(doc.article))
    return packer.compress(_encoder.encode(out)) + packer.flush()


def decode_doc(data: bytes, article: Article) -> Doc:
    """The analysis ``encode_doc`` wrote, on the article it was made from."""
    raw = _decoder.decode(_unpack_doc(data, article))
    if raw.get("v") != FORMAT:
        raise ValueError(f"stored analysis format {raw.get('v')!r}, this lagebild reads {FORMAT}")
    text, aid = article.text, article.id
    kwargs: dict[str, Any] = {
        "article": article,
        "stages": tuple(raw["st"]),
        "sentences": _decode_sentences(raw["se"], text),
    }
    for name, key, cls in _LISTS:
        kwargs[name] = tuple(decode_record(cls, r, text, aid) for r in raw.get(key, ()))
    if "dw" in raw:
        kwargs["date_window"] = decode_record(DateWindow, raw["dw"])
    hints = _doc_hints()
    for key, value in raw.items():
        if key.startswith("x:") and key[2:] in hints:
            kwargs[key[2:]] = from_dict(hints[key[2:]], value)
    return Doc(**kwargs)


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
    """A story's stored record: compact, without its id and title (the store keeps them in
    columns): ~150 instead of ~410 bytes of JSON per story."""
    data = encode_record(story)
    data.pop("id", None)
    data.pop("title", None)
    return _encoder.encode(data)


def decode_story(story_id: str, title: str, stored: bytes | str) -> Story:
    """The story ``encode_story`` wrote (or, from a row stored before schema 21, the JSON)."""
    if isinstance(stored, str):
        return from_dict(Story, json.loads(stored))
    data = _decoder.decode(stored)
    data["id"], data["title"] = story_id, title
    return decode_record(Story, data)


# the article fields its row's columns hold besides title and text, kept only there (schema
# 29); ``ARTICLE_SELECT`` reads what ``decode_article`` needs
ARTICLE_COLUMNS = ("id", "source", "format", "url", "outlet", "published", "language")
ARTICLE_SELECT = "title, text, data, " + ", ".join(ARTICLE_COLUMNS)


def encode_article(art: Article) -> bytes:
    """An article's stored record: compact, without what the store keeps in columns (title,
    text, ``ARTICLE_COLUMNS``), its raw input compressed with the text as dictionary (the
    raw input holds the text, so what is stored is little more than the markup around it)."""
    data = encode_record(art)
    for name in ("title", "text", *ARTICLE_COLUMNS):
        data.pop(name, None)
    raw = data.pop("raw", None)
    if raw:
        packer = zlib.compressobj(6, zdict=_zdict(art.title, art.text))
        data["raw~z"] = packer.compress(raw.encode("utf-8")) + packer.flush()
    return _encoder.encode(data)


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
    if packed is not None:
        unpacker = zlib.decompressobj(zdict=_zdict(title, text))
        data["raw"] = (unpacker.decompress(packed) + unpacker.flush()).decode("utf-8")
    return decode_record(Article, data)


def _zdict(title: str, text: str) -> bytes:
    """The preset dictionary of a raw input: its title and text (zlib uses the last 32 KB)."""
    return f"{title}\n{text}".encode()[-32768:]


@cache
def _doc_hints() -> dict[str, Any]:
    return typing.get_type_hints(Doc)


__all__ = [
    "ARTICLE_COLUMNS",
    "ARTICLE_SELECT",
    "FORMAT",
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
    "learn_text_dict",
    "text_dict_id",
]
