"""Pick (or train) a model that never saw the file it is evaluated on.

The shipped model is trained on GermEval dev + test-a, so scoring it on either would be a
training-set score. ``tagger_without`` looks at each candidate model's ``meta.json`` (which
records the hashes of its gold files) and uses the first one that did not train on the
file; if none qualifies it trains one with the same settings minus that file and keeps it
in the user cache, so the second run is instant.
"""

from __future__ import annotations

import dataclasses
import json
import os
from pathlib import Path

from lagebild.entities.ner import default_model_dir
from lagebild.entities.ner.crf import MODEL_FILE, CrfTagger
from lagebild.entities.ner.data import GOLD_FILES
from lagebild.entities.ner.train import TrainSettings, file_hash, train_model


def trained_on(model_dir: Path) -> set[str]:
    """Hashes of the gold files a model directory was trained on."""
    meta = model_dir / "meta.json"
    if not meta.exists():
        return set()
    return set(json.loads(meta.read_text()).get("gold_files", {}).values())


def _cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "lagebild" / "models"


def tagger_without(path: Path, model_dir: Path | None, data_dir: Path) -> tuple[CrfTagger, str]:
    """A tagger not trained on ``path`` and a note saying which one (and why)."""
    digest = file_hash(path)
    if model_dir is not None:
        note = ""
        if digest in trained_on(model_dir):
            note = f"warning: {model_dir} was trained on {path.name}; this is not a held-out score"
        return CrfTagger.load(model_dir), note
    shipped = default_model_dir()
    if digest not in trained_on(shipped):
        return CrfTagger.load(shipped), ""
    cache = _cache_dir() / f"ner-de-without-{digest}"
    candidates = [*sorted(p for p in shipped.glob("heldout-*") if p.is_dir()), cache]
    for cand in candidates:
        if (cand / MODEL_FILE).exists() and digest not in trained_on(cand):
            return CrfTagger.load(
                cand
            ), f"using {cand.name}: same settings, trained without {path.name}"
    meta = json.loads((shipped / "meta.json").read_text())
    fields = {f.name for f in dataclasses.fields(TrainSettings)}
    settings = TrainSettings(
        **{
            k: tuple(v) if isinstance(v, list) else v
            for k, v in meta.get("settings", {}).items()
            if k in fields
        }
    )
    exclude = tuple(f for f in GOLD_FILES if file_hash(data_dir / f) == digest) or (path.name,)
    settings = dataclasses.replace(settings, exclude=exclude)
    train_model(data_dir, cache, settings, shared_dir=data_dir.parent.parent)
    return CrfTagger.load(cache), f"trained {cache} without {path.name} (the shipped model saw it)"
