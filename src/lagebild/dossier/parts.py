"""Per-article parts of a dossier build, kept beside the analysis (table ``dossier_parts``).

A big story's dossier is built again whenever it changes, and a change is mostly a few new
articles beside hundreds the last build already read. What a build works out from one
article alone is kept per article: its summary candidates (which sentences have a
statement's shape, their content terms, whether they point back or look ahead), its own
timeline events (of an article dated to the day), its quotes' content words, and how an
undated article's text reads against each day its window was looked for on (``time.infer``:
a story that grows tries only the days it had not tried before). The next
build reads them instead of making every sentence's tokens again (``store.codec`` makes a
decoded sentence's tokens only when something reads them). A part is a function of the
article, its analysis and lagebild's code, never of the configuration or the story: its key
is a digest of the code fingerprint, the analysis (stages and stored bytes) and the article's
stored row (text, title, record, date, language, outlet), so a re-analysis, a corrected date,
another version or an edited checkout never reads one made by something else. Parts are kept
only for stories of at least ``dossier.precompute_articles`` articles (those whose dossier an
ingest builds again after each change); the rows of a story's articles are written with its
dossier texts (``store.dossiers.keep``).
"""

from __future__ import annotations

import hashlib
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import msgspec

if TYPE_CHECKING:
    from lagebild.model import Doc

SUMMARY = "sc"  # the summary's candidates of one article (``candidates.doc_candidates``)

_encoder = msgspec.msgpack.Encoder()
_decoder = msgspec.msgpack.Decoder()


def part_key(
    fingerprint: str,
    stages: str | None,
    analysis: bytes | str | None,
    text: bytes | str | None,
    *article: bytes | str | int | None,
) -> bytes:
    """The key an article's parts are kept under: what they are made from (the code, the
    analysis, the article's text and its other stored fields: its date anchors the times)."""
    h = hashlib.blake2b(fingerprint.encode(), digest_size=8)
    for part in (stages, analysis, text, *article):
        h.update(b"\x00")
        if isinstance(part, int):
            part = str(part)
        if part is not None:
            h.update(part.encode() if isinstance(part, str) else part)
    return h.digest()


@dataclass(slots=True)
class Parts:
    """The parts kept for a story's articles (article id -> stored bytes) and those a build
    made anew (article id -> kind -> value), to be kept under ``keys`` (article id -> its
    current key)."""

    keys: dict[str, bytes] = field(default_factory=dict)
    kept: dict[str, bytes] = field(default_factory=dict)
    made: dict[str, dict[str, Any]] = field(default_factory=dict)
    _read: dict[str, dict[str, Any]] = field(default_factory=dict)
    _texts: dict[str, str] = field(default_factory=dict)

    def get(self, doc: Doc, kind: str) -> Any | None:
        """The kept value of one kind for one article, None when there is none."""
        aid = doc.article.id
        if aid not in self._read:
            data = self.kept.get(aid)
            self._read[aid] = {} if data is None else _unpack(data, doc.article.text)
        return self._read[aid].get(kind)

    def put(self, doc: Doc, kind: str, value: Any) -> None:
        """A value a build made, to keep (only for an article with a key)."""
        aid = doc.article.id
        if aid in self.keys:
            self.made.setdefault(aid, {})[kind] = value
            self._texts[aid] = doc.article.text

    def rows(self) -> list[tuple[str, bytes, bytes]]:
        """(article id, key, stored data) of every article with parts made anew."""
        out = []
        for aid, made in self.made.items():
            value = {**self._read.get(aid, {}), **made}
            out.append((aid, self.keys[aid], _pack(value, self._texts[aid])))
        return out


def _pack(value: dict[str, Any], text: str) -> bytes:
    """MessagePack, zlib with the article's text in lower case as dictionary (the terms are
    its lemmas, casefolded): ~340 instead of ~1,000 bytes per article of the bench story."""
    packer = zlib.compressobj(6, zdict=_zdict(text))
    return packer.compress(_encoder.encode(value)) + packer.flush()


def _unpack(data: bytes, text: str) -> dict[str, Any]:
    """What ``_pack`` stored; nothing (so worked out again) from bytes it cannot read."""
    try:
        unpacker = zlib.decompressobj(zdict=_zdict(text))
        value = _decoder.decode(unpacker.decompress(data) + unpacker.flush())
    except (zlib.error, msgspec.DecodeError):
        return {}
    return value if isinstance(value, dict) else {}


def _zdict(text: str) -> bytes:
    return text.casefold().encode()[-32768:]


def read(rows: Iterable[tuple[str, bytes, bytes | None, bytes | None]]) -> Parts:
    """The parts of (article id, current key, kept key, kept data) rows: a row kept under
    another key counts as none."""
    parts = Parts()
    for aid, key, kept_key, data in rows:
        parts.keys[aid] = key
        if data is not None and kept_key == key:
            parts.kept[aid] = data
    return parts


__all__ = ["SUMMARY", "Parts", "part_key", "read"]
