"""Per-article stages by name, in order, with what each needs and makes.

A stage is a module exposing ``NAME``, ``VERSION`` and ``analyze(doc, config) -> Doc``. The
table below is data, not a registry filled by import side effects: reading it tells the whole
pipeline, and ``check`` catches a pipeline assembled in the wrong order before it runs.
Story-level work (clustering, canonical entities, timelines, dossiers) runs on the results.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from types import ModuleType

from lagebild.config import Config
from lagebild.errors import LagebildError
from lagebild.model import Article, Doc


@dataclass(frozen=True, slots=True)
class StageSpec:
    name: str
    module: str
    requires: tuple[str, ...]
    produces: tuple[str, ...]


STAGES: tuple[StageSpec, ...] = (
    StageSpec("text", "lagebild.text", (), ("sentences",)),
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


class Pipeline:
    """The per-article stages, loaded once and run in order on each doc."""

    def __init__(self, config: Config | None = None, names: Sequence[str] = DEFAULT) -> None:
        self.config = config or Config()
        self.specs = check(names)
        self._modules: list[ModuleType] = [importlib.import_module(s.module) for s in self.specs]

    @property
    def versions(self) -> tuple[str, ...]:
        return tuple(f"{m.NAME}@{m.VERSION}" for m in self._modules)

    def __call__(self, item: Article | Doc) -> Doc:
        doc = item if isinstance(item, Doc) else Doc(article=item)
        for module in self._modules:
            doc = module.analyze(doc, self.config)
        return doc

    def pipe(self, items: Iterable[Article | Doc]) -> Iterator[Doc]:
        for item in items:
            yield self(item)
