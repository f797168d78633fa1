"""Language identification, offline: lingua restricted to the configured languages."""

from __future__ import annotations

from functools import cache

from lingua import IsoCode639_1, Language, LanguageDetector, LanguageDetectorBuilder

from lagebild.config import Config
from lagebild.errors import ConfigError


@cache
def _detector(codes: tuple[str, ...]) -> LanguageDetector:
    languages = []
    for code in codes:
        try:
            languages.append(Language.from_iso_code_639_1(getattr(IsoCode639_1, code.upper())))
        except (AttributeError, ValueError) as exc:
            raise ConfigError(
                f"unknown language code {code!r} in config languages (ISO 639-1, e.g. 'de')"
            ) from exc
    if len(languages) == 1:
        languages.append(Language.ENGLISH if languages[0] != Language.ENGLISH else Language.GERMAN)
    return LanguageDetectorBuilder.from_languages(*languages).build()


def detect(text: str, config: Config | None = None) -> str | None:
    """ISO 639-1 code of ``text`` among ``config.languages``, or None when unsure or empty."""
    config = config or Config()
    sample = text[:600].strip()  # lingua is as sure at 600 characters, and 4x faster
    if len(sample) < 20:
        return None
    lang = _detector(tuple(sorted(config.languages))).detect_language_of(sample)
    return lang.iso_code_639_1.name.lower() if lang is not None else None
