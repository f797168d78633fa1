"""Per-article stages by name, in order, with what each needs and makes.

A stage is a module exposing ``NAME``, ``VERSION`` and ``analyze(doc, config) -> Doc``. The
table below is data, not a registry filled by import side effects: reading it tells the whole
pipeline, and ``check`` catches a pipeline assembled in the wrong order before it runs.
Story-level work (clustering, canonical entities, timelines, dossiers) runs on the results.
"""

from __future__ import annotations

import dataclasses
import gc
import importlib
import logging
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from types import ModuleType

from lagebild.config import Config
from lagebild.errors import LagebildError
from lagebild.model import Article, Doc

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class StageSpec:
    name: str
    module: str
    requires: tuple[str, ...]
    produces: tuple[str, ...]


STAGES: tuple[StageSpec, ...] = (
    StageSpec("text", "lagebild.text", (), ("sentences",)),
    StageSpec("encode", "lagebild.text.encode", ("sentences",), ("states",)),
    StageSpec("entities", "lagebild.entities", ("sentences",), ("mentions",)),
    StageSpec("time", "lagebild.time", ("sentences",), ("times",)),
    StageSpec("quotes", "lagebild.quotes", ("sentences", "mentions"), ("quotes",)),
    StageSpec("facts", "lagebild.facts", ("sentences", "mentions"), ("facts",)),
)
DEFAULT = tuple(s.name for s in STAGES)


def check(names: Sequence[str]) -> list[StageSpec]:
    """The specs for ``names``; raises when a stage runs before one it needs."""
    by_name = {s.name: s for s in STAGES}
    produced: set[str] = set()
    out = []
    for name in names:
        if name not in by_name:
            raise LagebildError(f"unknown stage {name!r}; known: {', '.join(by_name)}")
        spec = by_name[name]
        missing = [r for r in spec.requires if r not in produced]
        if missing:
            raise LagebildError(f"stage {name!r} needs {', '.join(missing)} from an earlier stage")
        produced.update(spec.produces)
        out.append(spec)
    return out


def _version(module: ModuleType, config: Config) -> str:
    version = module.stage_version(config) if hasattr(module, "stage_version") else module.VERSION
    return f"{module.NAME}@{version}"


class Pipeline:
    """The per-article stages, loaded once and run in order on each doc."""

    def __init__(self, config: Config | None = None, names: Sequence[str] = DEFAULT) -> None:
        self.config = config or Config()
        self.specs = check(names)
        self._modules: list[ModuleType] = [importlib.import_module(s.module) for s in self.specs]
        self._frozen = False

    @property
    def versions(self) -> tuple[str, ...]:
        """ "name@version" per stage; a stage whose output depends on the config (``encode``:
        ``--fast`` or not) names its version through ``stage_version(config)``."""
        return tuple(_version(m, self.config) for m in self._modules)

    def __call__(self, item: Article | Doc) -> Doc:
        """The analysed doc; a stage that fails is logged and left out (see ``run``)."""
        return self.run(item)[0]

    def run(self, item: Article | Doc) -> tuple[Doc, list[StageFailure]]:
        """The analysed doc and the stages that failed on it.

        A stage that raises on one article must not end a run of thousands: the article
        keeps what the stages before it found, goes on without that stage's output, and the
        failure is returned (and logged) so that the caller counts and reports it. The failed
        stage still counts as run, so the doc is not analysed again until a stage changes.
        """
        doc = item if isinstance(item, Doc) else Doc(article=item)
        failures: list[StageFailure] = []
        for module in self._modules:
            try:
                doc = module.analyze(doc, self.config)
            except Exception as exc:
                failure = StageFailure(module.NAME, doc.id, f"{type(exc).__name__}: {exc}")
                log.warning("%s", failure, exc_info=True)
                failures.append(failure)
                doc = dataclasses.replace(doc, stages=(*doc.stages, _version(module, self.config)))
        if doc.encoding is not None:
            # the token states are for this run's stages only; the e5 vector (when the encode
            # stage made one) goes on to story linking (never stored: a transient field)
            light = doc.encoding.light() if len(doc.encoding.pooled) else None
            doc = dataclasses.replace(doc, encoding=light)
        if not self._frozen:
            # the first doc has loaded the stages' models (CRF weights, lexicons, caches)
            self._frozen = True
            settle_collector()
        return doc, failures

    def release(self) -> None:
        """Let each stage drop the models it loaded and their per-word tables (a stage
        module's optional ``release()``); the next doc loads them again (~0.6 s). They are
        caches: what a stage makes is the same. An ingest of thousands calls this before
        clustering, which never analyses, so its peak does not carry them (~250 MB at the
        tables' caps)."""
        for module in self._modules:
            release = getattr(module, "release", None)
            if release is not None:
                release()

    def pipe(self, items: Iterable[Article | Doc]) -> Iterator[Doc]:
        for item in items:
            yield self(item)


# Young collections between two full ones (CPython's default: 10). A full collection walks
# every tracked object alive, the docs and features a run keeps included (~14 ms with 50
# docs kept): over 1,000 docs kept (bench/stages.py) the default made 9 full collections
# costing 0.83 s of CPU, 100 made one (0.15 s). Analysis makes little cyclic garbage (0-44
# objects per full collection there), and the young generations still collect it.
FULL_COLLECTION_EVERY = 100


def settle_collector() -> None:
    """Set the garbage collector for a long run, once what lives as long as the process is
    loaded: moved out of the collector's sight (``gc.freeze``), a full collection no longer
    walks the models' millions of entries (~1 ms of CPU per article in fast mode), and full
    collections are rarer (``FULL_COLLECTION_EVERY``); objects made later are collected as
    before. ``Pipeline.run`` does it after its first doc; a run that analyses nothing but
    clusters and lists thousands (``scale load``) does it itself."""
    gc.freeze()
    _rarer_full_collections()


def _rarer_full_collections() -> None:
    """Raise the oldest generation's threshold to ``FULL_COLLECTION_EVERY`` (never lower it:
    an application may have raised it further)."""
    young, middle, old = gc.get_threshold()
    gc.set_threshold(young, middle, max(old, FULL_COLLECTION_EVERY))


@dataclass(frozen=True, slots=True)
class StageFailure:
    """A stage that raised on one article (or one story), which was kept without its output."""

    stage: str
    article_id: str  # or the id of the story, for a story-level stage
    reason: str
    on: str = "article"

    def __str__(self) -> str:
        return f"stage {self.stage} failed on {self.on} {self.article_id}: {self.reason}"
