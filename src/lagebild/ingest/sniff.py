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
    if b"\x00" in chunk:
        return True
    if not chunk:
        return False
    control = sum(1 for b in chunk if b < 9 or 13 < b < 32)
    return control / len(chunk) > 0.05
