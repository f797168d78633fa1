"""entities stage (per-article part). Placeholder until the stage lands: returns the doc unchanged."""

from __future__ import annotations

import dataclasses

from lagebild.config import Config
from lagebild.model import Doc

NAME = "entities"
VERSION = 0


def analyze(doc: Doc, config: Config | None = None) -> Doc:
    return dataclasses.replace(doc, stages=(*doc.stages, f"{NAME}@{VERSION}"))
