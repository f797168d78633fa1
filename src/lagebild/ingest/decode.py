"""Bytes to text for inputs that do not declare an encoding: UTF-8 first, then Windows-1252."""

from __future__ import annotations

import unicodedata


def decode_text(data: bytes) -> str:
    """Decoded, NFC-normalised text with ``\\n`` line ends.

    UTF-8 is tried strictly (with or without BOM); anything else is read as Windows-1252,
    the superset of Latin-1 that old German sites and exports use, and where a byte is
    undefined there, as Latin-1, so no byte is ever replaced.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            text = data.decode("latin-1")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text)
