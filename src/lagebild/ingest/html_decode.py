"""Bytes of an HTML page to text: BOM, then the declared charset, then UTF-8, then Windows-1252."""

from __future__ import annotations

import codecs
import re
import unicodedata

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_META_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE
)
_XML_ENCODING = re.compile(rb"""^<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""", re.IGNORECASE)


def declared_charset(data: bytes) -> str | None:
    """The encoding a page declares in its first few kilobytes, if Python knows it."""
    head = data[:8192]
    m = _XML_ENCODING.search(head) or _META_CHARSET.search(head)
    if not m:
        return None
    name = m.group(1).decode("ascii", "ignore").lower()
    try:
        name = codecs.lookup(name).name
    except LookupError:
        return None
    # Pages that say Latin-1 or ASCII mean Windows-1252, as browsers read them.
    return "cp1252" if name in ("latin-1", "iso8859-1", "ascii") else name


def decode_html(data: bytes) -> str:
    """Decoded, NFC-normalised page text.

    A BOM wins; a declared charset is trusted only when the bytes decode under it (many pages
    declare ISO-8859-1 but are UTF-8); otherwise strict UTF-8, then Windows-1252.
    """
    for bom, name in _BOMS:
        if data.startswith(bom):
            return unicodedata.normalize("NFC", data[len(bom) :].decode(name, errors="replace"))
    declared = declared_charset(data)
    candidates = [declared] if declared and declared != "utf-8" else []
    text = None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        for name in candidates:
            try:
                text = data.decode(name)
                break
            except (UnicodeDecodeError, LookupError):
                continue
    if text is None:
        text = data.decode("cp1252", errors="replace")
    return unicodedata.normalize("NFC", text)
