"""Scoring canonical entities against the canonicalisation gold (``lagebild eval canon``).

The gold articles are read from ../shared (``entities.gold``), stored in a fresh database,
analysed and clustered like any corpus, and the store's canonical entities are compared
with the gold clusters. Each gold mention is matched to the predicted mention that overlaps
it most (one predicted span may cover two gold mentions, so "Google und Microsoft" read as
one name shows up as a merge); the predicted cluster of a gold mention is the canonical
entity holding that predicted mention.

Two figures, both mention-level BCubed (Bagga & Baldwin 1998):
- ``found``: over the gold mentions lagebild found (what canonicalisation decided);
- ``all``: every gold mention, an unfound one counting as a cluster of its own (what a
  user sees, the tagger's misses included).
False merges are predicted entities holding mentions of two or more gold entities; splits
are gold entities spread over two or more predicted entities.
"""

from __future__ import annotations

import tempfile
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from lagebild.config import Config
from lagebild.entities.gold import GoldMention, SourceDoc, load_source, misaligned, split_of
from lagebild.model import Entity

ANCHOR = (
    "mention-level BCubed (Bagga & Baldwin 1998), as in cross-document coreference; "
    "targets: P >= 0.97, R >= 0.90"
)


@dataclass(frozen=True, slots=True)
class BCubed:
    p: float
    r: float
    f1: float
    mentions: int


@dataclass(slots=True)
class CanonScores:
    """Scores of one part of the gold (a split or the whole)."""

    name: str
    articles: int
    gold_mentions: int
    found: int  # gold mentions matched by a predicted mention
    found_scores: BCubed
    all_scores: BCubed
    type_agreement: float  # gold entities whose predicted majority type is the gold type
    merges: list[tuple[str, list[tuple[str, int]]]] = field(default_factory=list)
    splits: list[tuple[str, list[tuple[str, int]]]] = field(default_factory=list)
    wrong_types: list[tuple[str, str, str]] = field(default_factory=list)  # entity, gold, pred
    apart: list[tuple[str, str, bool]] = field(default_factory=list)  # (a, b, kept apart)


def bcubed(gold: dict[int, str], pred: dict[int, str]) -> BCubed:
    """BCubed P/R/F1 of the items of ``gold`` (item -> gold cluster) under ``pred``."""
    items = list(gold)
    if not items:
        return BCubed(0.0, 0.0, 0.0, 0)
    g_members: dict[str, set[int]] = defaultdict(set)
    p_members: dict[str, set[int]] = defaultdict(set)
    for i in items:
        g_members[gold[i]].add(i)
        p_members[pred[i]].add(i)
    p_sum = r_sum = 0.0
    for i in items:
        g, p = g_members[gold[i]], p_members[pred[i]]
        both = len(g & p)
        p_sum += both / len(p)
        r_sum += both / len(g)
    p, r = p_sum / len(items), r_sum / len(items)
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return BCubed(p, r, f1, len(items))


def load_docs(
    gold: Sequence[GoldMention], shared: Path, config: Config | None = None
) -> dict[tuple[str, str], SourceDoc]:
    """The gold's articles rebuilt from ../shared, by (source, key)."""
    keys = list(dict.fromkeys(g.doc for g in gold))
    return {k: load_source(shared, k[0], k[1], config) for k in keys}


def predict(
    docs: Iterable[SourceDoc], config: Config, db: str | Path | None = None
) -> list[Entity]:
    """The store's canonical entities after ingesting, analysing and clustering ``docs``."""
    from lagebild.app import Lagebild
    from lagebild.entities.catalog import compute_all_entities

    with tempfile.TemporaryDirectory() as tmp:
        lb = Lagebild(db or Path(tmp) / "canon.db", config)
        try:
            added = lb.store.add_articles([d.article for d in docs]).added
            lb.analyze(added)
            lb.cluster(from_scratch=True)
            return [r.entity for r in compute_all_entities(lb)]
        finally:
            lb.close()


def assign(
    gold: Sequence[GoldMention], docs: dict[tuple[str, str], SourceDoc], entities: Sequence[Entity]
) -> dict[int, tuple[str, str, str]]:
    """Gold mention index -> (predicted entity id, its name, its type), for those found."""
    by_article: dict[str, list[tuple[int, int, Entity, str]]] = defaultdict(list)
    for e in entities:
        for m in e.mentions:
            if m.source == "coref":
                continue
            by_article[m.article_id].append((*_span(docs, m), e, m.text))
    doc_of = {d.article.id: d for d in docs.values()}
    spans: dict[tuple[str, str], list[tuple[int, int, Entity, str]]] = {}
    for aid, rows in by_article.items():
        d = doc_of.get(aid)
        if d is not None:
            spans[(d.source, d.key)] = rows
    out: dict[int, tuple[str, str, str]] = {}
    for i, g in enumerate(gold):
        best, overlap = None, 0
        for s, e, ent, _ in spans.get(g.doc, ()):
            ov = min(e, g.end) - max(s, g.start)
            if ov > overlap:
                best, overlap = ent, ov
        if best is not None:
            out[i] = (best.id, best.name, best.type)
    return out


def _span(docs: dict[tuple[str, str], SourceDoc], m) -> tuple[int, int]:
    for d in docs.values():
        if d.article.id == m.article_id:
            return d.to_source(m)
    return (-1, -1)


def score(
    name: str,
    gold: Sequence[GoldMention],
    found: dict[int, tuple[str, str, str]],
    apart: Sequence[tuple[str, str]] = (),
) -> CanonScores:
    """Scores of the gold rows ``gold`` (indices as in ``found``)."""
    idx = range(len(gold))
    g_of = {i: gold[i].entity for i in idx}
    matched = {i: g_of[i] for i in idx if i in found}
    pred_found = {i: found[i][0] for i in matched}
    pred_all = {i: found[i][0] if i in found else f"unfound:{i}" for i in idx}
    pred_name = {eid: n for eid, n, _ in found.values()}
    merges = []
    by_pred: dict[str, Counter[str]] = defaultdict(Counter)
    by_gold: dict[str, Counter[str]] = defaultdict(Counter)
    for i in matched:
        by_pred[pred_found[i]][g_of[i]] += 1
        by_gold[g_of[i]][pred_name[pred_found[i]] + " [" + pred_found[i][:6] + "]"] += 1
    for eid, c in by_pred.items():
        if len(c) > 1:
            merges.append((pred_name[eid], c.most_common()))
    splits = [(g, c.most_common()) for g, c in by_gold.items() if len(c) > 1]
    types: dict[str, Counter[str]] = defaultdict(Counter)
    gold_type = {g.entity: g.type for g in gold}
    for i in matched:
        types[g_of[i]][found[i][2]] += 1
    wrong = [
        (ent, gold_type[ent], c.most_common(1)[0][0])
        for ent, c in types.items()
        if c.most_common(1)[0][0] != gold_type[ent]
    ]
    pred_of: dict[str, set[str]] = defaultdict(set)
    for i in matched:
        pred_of[g_of[i]].add(pred_found[i])
    kept = [(a, b, not (pred_of[a] & pred_of[b])) for a, b in apart if pred_of[a] and pred_of[b]]
    return CanonScores(
        name=name,
        articles=len({g.doc for g in gold}),
        gold_mentions=len(gold),
        found=len(matched),
        found_scores=bcubed(matched, pred_found),
        all_scores=bcubed(g_of, pred_all),
        type_agreement=(1 - len(wrong) / len(types)) if types else 0.0,
        merges=sorted(merges, key=lambda m: -sum(n for _, n in m[1])),
        splits=sorted(splits, key=lambda s: -sum(n for _, n in s[1])),
        wrong_types=sorted(wrong),
        apart=kept,
    )


def evaluate(
    gold: Sequence[GoldMention],
    shared: Path,
    config: Config | None = None,
    apart: Sequence[tuple[str, str]] = (),
) -> tuple[list[CanonScores], list[str]]:
    """Scores on the tune half, the test half and the whole gold, and misaligned rows.

    All articles are run together (the halves share entities across articles, as a corpus
    does); each half is scored on its own mentions.
    """
    config = config or Config()
    docs = load_docs(gold, shared, config)
    bad = misaligned(gold, docs)
    found = assign(gold, docs, predict(docs.values(), config))
    parts = []
    for part in ("tune", "test", "all"):
        rows = [i for i, g in enumerate(gold) if part == "all" or split_of(*g.doc) == part]
        sub = [gold[i] for i in rows]
        sub_found = {k: found[i] for k, i in enumerate(rows) if i in found}
        parts.append(score(part, sub, sub_found, apart))
    return parts, bad


__all__ = ["ANCHOR", "BCubed", "CanonScores", "assign", "bcubed", "evaluate", "predict", "score"]
