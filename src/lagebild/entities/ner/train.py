"""Reproducible training of the German CRF tagger.

Same inputs, same model: corpora are read in a fixed order, the silver sample is taken
with a fixed seed, derived tables are rebuilt from the silver pool and unlabeled text
(never from gold), and L-BFGS is deterministic.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import shutil
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pycrfsuite

from lagebild.entities.ner.clusters import (
    build_clusters,
    build_embed_clusters,
    embed_vocabulary,
    embed_words,
    unlabeled_sentences,
)
from lagebild.entities.ner.crf import MODEL_FILE, STACK_FILE, open_tagger
from lagebild.entities.ner.data import (
    GOLD_FILES,
    SILVER_FILES,
    Tagged,
    read_germeval,
    read_silver,
)
from lagebild.entities.ner.features import Featurizer
from lagebild.entities.ner.lexicon import (
    EMBED_FILE,
    SHARED_KEY,
    Lexicon,
    add_word_statistics,
    build_gazetteer,
    file_sha256,
)


@dataclass(frozen=True, slots=True)
class TrainSettings:
    """Everything that decides the model; stored in meta.json."""

    silver_sources: tuple[str, ...] = ("wikiner", "europarl", "wikiann", "mobie")
    silver_train: tuple[str, ...] = ("wikiner", "europarl")  # sources also used as training data
    silver_cap: int = 0  # silver training sentences (seeded sample); 0: gazetteer only
    gold_repeat: int = 1
    clusters: int = 256  # k-means clusters over unlabeled text; 0 = none
    embed_clusters: tuple[int, ...] = (64, 256, 1024)  # k-means sizes over e5 word vectors
    embed_words: int = 50_000  # capitalised words (unlabeled news + silver) embedded
    self_training: int = 0  # pseudo-labelled unlabeled news sentences added in a second round
    self_min_prob: float = 0.9
    subtypes: bool = False  # train on -deriv/-part labels too (collapsed to O when tagging)
    word_stats: bool = True  # "lc" / "gO" flags from unlabeled text and the silver pool
    stack: bool = True  # a CRF trained on the silver pool; its labels are features (stacking)
    stack_c1: float = 0.5
    stack_iterations: int = 100
    c1: float = 0.05
    c2: float = 0.01
    max_iterations: int = 150
    seed: int = 13
    exclude: tuple[str, ...] = field(default=())  # gold files left out (e.g. the dev set)


@dataclass(frozen=True, slots=True)
class TrainResult:
    directory: Path
    sentences: int
    seconds: float


def file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def build_lexicon(data_dir: Path, settings: TrainSettings, shared_dir: Path | None) -> Lexicon:
    """Gazetteer from the silver pool, clusters from unlabeled news (both derived, no gold)."""
    silver = read_silver(data_dir, settings.silver_sources)
    lex = build_gazetteer(silver)
    unlabeled = unlabeled_sentences(shared_dir) if shared_dir is not None else []
    if settings.word_stats:
        lex = add_word_statistics(lex, silver, unlabeled)
    texts = unlabeled + [list(s.tokens) for s in silver]
    if settings.clusters:
        clusters = build_clusters(texts, settings.clusters, seed=settings.seed)
        lex = Lexicon(lex.words, lex.phrases, clusters)
    if settings.embed_clusters:
        vocab = embed_vocabulary(texts, settings.embed_words)
        vecs = embed_words(vocab, cache_dir())
        emb = build_embed_clusters(vocab, vecs, settings.embed_clusters, seed=settings.seed)
        lex = Lexicon(lex.words, lex.phrases, lex.clusters, emb)
    return lex


def cache_dir() -> Path:
    """Where slow intermediate results (word embeddings) are kept between training runs."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "lagebild" / "ner-train"


def train_stack(data_dir: Path, lexicon: Lexicon, path: Path, settings: TrainSettings) -> Path:
    """The silver model: a CRF on the whole silver pool (no gold), read by the main CRF.

    It sees neither gazetteer nor word statistics, only words and the word clusters: the
    gazetteer is derived from these very sentences, so a model trained with it learns to
    copy it (43.7 dev F1 alone) instead of reading context (57.7). Training takes minutes
    and does not depend on gold, so the result is cached (L-BFGS is deterministic: a cache
    hit gives the same bytes as a rerun).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    lex = Lexicon({}, {}, lexicon.clusters)
    params = {
        "c1": settings.stack_c1,
        "c2": settings.c2,
        "max_iterations": settings.stack_iterations,
        "feature.possible_transitions": True,
    }
    cached = stack_cache_path(data_dir, lex, params, settings)
    if not cached.exists():
        feat = Featurizer(lex)
        trainer = pycrfsuite.Trainer(verbose=False)
        for s in read_silver(data_dir, settings.silver_sources):
            trainer.append(feat.plain(list(s.tokens)), list(s.labels))
        trainer.set_params(params)
        cached.parent.mkdir(parents=True, exist_ok=True)
        tmp = cached.with_suffix(f".{os.getpid()}.tmp")
        trainer.train(str(tmp))
        tmp.replace(cached)
    shutil.copyfile(cached, path)
    return path


def stack_cache_path(data_dir: Path, lex: Lexicon, params: dict, settings: TrainSettings) -> Path:
    """Cache file of a silver model: keyed by its parameters, silver files and cluster table."""
    digest = hashlib.sha256()
    digest.update(json.dumps([params, settings.silver_sources], sort_keys=True).encode())
    for name in settings.silver_sources:
        for rel in SILVER_FILES[name]:
            if (data_dir / rel).exists():
                digest.update(file_hash(data_dir / rel).encode())
    digest.update("\n".join(f"{w}\t{c}" for w, c in sorted(lex.clusters.items())).encode())
    return cache_dir() / f"silver-{digest.hexdigest()[:16]}.crfsuite"


def silver_sample(data_dir: Path, settings: TrainSettings) -> list[Tagged]:
    if not settings.silver_cap:
        return []
    pool = read_silver(data_dir, settings.silver_train)
    # sentences without any entity teach little and cost time: keep a fifth of them
    rng = random.Random(settings.seed)
    pool = [s for s in pool if any(t != "O" for t in s.labels) or rng.random() < 0.2]
    if len(pool) > settings.silver_cap:
        pool = rng.sample(pool, settings.silver_cap)
    return pool


def fit(
    gold: Sequence[Tagged],
    silver: Sequence[Tagged],
    lexicon: Lexicon,
    out_dir: Path,
    settings: TrainSettings,
    meta: dict | None = None,
    stack: Path | None = None,
) -> TrainResult:
    """Train a CRF on gold (+ silver) and write a complete model directory.

    ``stack`` is a silver model (see :func:`train_stack`); it is copied into the directory
    and its predicted labels become features.
    """
    t0 = time.perf_counter()
    out_dir.mkdir(parents=True, exist_ok=True)
    feat = Featurizer(lexicon)
    if stack is not None:
        if stack.resolve() != (out_dir / STACK_FILE).resolve():
            shutil.copyfile(stack, out_dir / STACK_FILE)
        feat = Featurizer(lexicon, stack=open_tagger(out_dir / STACK_FILE))
    trainer = pycrfsuite.Trainer(verbose=False)
    n = 0
    for s in [*silver, *(g for g in gold for _ in range(settings.gold_repeat))]:
        trainer.append(feat.sentence(list(s.tokens)), list(s.labels))
        n += 1
    trainer.set_params(
        {
            "c1": settings.c1,
            "c2": settings.c2,
            "max_iterations": settings.max_iterations,
            "feature.possible_transitions": True,
        }
    )
    trainer.train(str(out_dir / MODEL_FILE))
    lexicon.save(out_dir)
    seconds = time.perf_counter() - t0
    info = {"settings": asdict(settings), "sentences": n, "train_seconds": round(seconds, 1)}
    info.update(meta or {})
    shared = share_with_parent(out_dir)
    if shared:
        info[SHARED_KEY] = shared
    (out_dir / "meta.json").write_text(json.dumps(info, indent=2, sort_keys=True) + "\n")
    return TrainResult(out_dir, n, seconds)


SHAREABLE = (STACK_FILE, "gazetteer.tsv.gz", "clusters.tsv.gz", EMBED_FILE)


def share_with_parent(out_dir: Path) -> dict[str, str]:
    """A model written inside another model's directory (the held-out variant in
    ``ner-de/heldout-dev``) drops the files that are byte-identical to the parent's and
    returns them with their sha256 for its meta.json (read back by ``model_file``)."""
    parent = out_dir.parent
    if not (parent / MODEL_FILE).exists():
        return {}
    shared = {}
    for name in SHAREABLE:
        own, theirs = out_dir / name, parent / name
        if own.exists() and theirs.exists() and file_sha256(own) == file_sha256(theirs):
            shared[name] = file_sha256(own)
            own.unlink()
    return shared


def pseudo_labelled(
    model_dir: Path, unlabeled: Sequence[list[str]], settings: TrainSettings
) -> list[Tagged]:
    """Unlabeled sentences the first-round model tags with an entity and high confidence."""
    from lagebild.entities.ner.crf import CrfTagger

    tagger = CrfTagger.load(model_dir)
    out: list[Tagged] = []
    for words in unlabeled:
        if not 6 <= len(words) <= 60:
            continue
        labels = tagger.tag_words(words)
        if all(t == "O" for t in labels):
            continue
        if tagger.tagger.probability(labels) >= settings.self_min_prob:
            out.append(Tagged(tuple(words), tuple(labels), "self"))
            if len(out) >= settings.self_training:
                break
    return out


def fit_all(
    gold: Sequence[Tagged],
    lexicon: Lexicon,
    out_dir: Path,
    settings: TrainSettings,
    data_dir: Path,
    shared_dir: Path | None,
    meta: dict | None = None,
    stack: Path | None = None,
) -> TrainResult:
    """Silver sample, first round, and (if configured) a self-training round."""
    silver = silver_sample(data_dir, settings)
    result = fit(gold, silver, lexicon, out_dir, settings, meta, stack)
    if settings.self_training and shared_dir is not None:
        extra = pseudo_labelled(out_dir, unlabeled_sentences(shared_dir), settings)
        info = {"self_training_sentences": len(extra), **(meta or {})}
        result = fit(gold, [*silver, *extra], lexicon, out_dir, settings, info, stack)
    return result


def train_model(
    data_dir: Path,
    out_dir: Path,
    settings: TrainSettings | None = None,
    shared_dir: Path | None = None,
) -> TrainResult:
    """Train on the GermEval gold files (minus ``settings.exclude``) plus the silver sample."""
    settings = settings or TrainSettings()
    files = [data_dir / f for f in GOLD_FILES if f not in settings.exclude]
    gold = [s for f in files for s in read_germeval(f, settings.subtypes)]
    lexicon = build_lexicon(data_dir, settings, shared_dir)
    meta = {"gold_files": {f.name: file_hash(f) for f in files}}
    stack = None
    if settings.stack:
        stack = train_stack(data_dir, lexicon, out_dir / STACK_FILE, settings)
    return fit_all(gold, lexicon, out_dir, settings, data_dir, shared_dir, meta, stack)
