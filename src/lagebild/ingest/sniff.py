"""What kind of input a byte string is, by content first and file name second."""

from __future__ import annotations

from typing import Literal

Kind = Literal["gzip", "warc", "warc-gz", "feed", "html", "jsonl", "text", "binary"]


def sniff(data: bytes, name: str = "") -> Kind:
    """The reader to use for ``data``; the name only breaks ties."""
    lower = name.lower()
    if data[:2] == b"\x1f\x8b":
        return "warc-gz" if lower.endswith((".warc.gz", ".arc.gz")) else "gzip"
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"WARC/"):
        return "warc"
    if _looks_binary(data[:8192]):
        return "binary"
    low = head[:2048].lower()
    if lower.endswith((".jsonl", ".ndjson")) or (
        head.startswith(b"{") and b"\n{" in data[:200_000]
    ):
        return "jsonl"
    if b"<rss" in low or b"<feed" in low or b"<rdf:rdf" in low:
        return "feed"
    if lower.endswith((".rss", ".atom")):
        return "feed"
    if low.startswith((b"<!doctype html", b"<html")) or b"<html" in low or b"<body" in low:
        return "html"
    if lower.endswith((".html", ".htm")):
        return "html"
    return "text"


def _looks_binary(chunk: bytes) -> bool:
    """Binary by the share of control bytes, not by one stray byte: a NUL that slipped into
    a JSONL export must not throw away the readable lines around it (that line alone fails).
    Text in UTF-16 without a byte-order mark is half NULs and stays out."""
    if not chunk:
        return False
    nul = chunk.count(0)
    if nul / len(chunk) > 0.01:
        return True
    control = nul + sum(chunk.count(b) for b in _CONTROL)
    return control / len(chunk) > 0.05


_CONTROL = bytes(b for b in range(1, 32) if not 9 <= b <= 13)
