"""Derived word lists the CRF reads as features: gazetteer, word clusters, trigger words.

Gazetteer and clusters are *derived data*: ``lagebild train ner`` rebuilds them from the
silver pool and unlabeled news text (never from the gold it is evaluated on) and stores them
next to the CRF weights, so a model directory is self-contained and reproducible. Trigger
words (titles and roles before names) are a hand-written table in
``resources/ner/de/triggers.tsv``.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path

from lagebild.entities.ner.data import LABELS, Tagged, spans

MAX_PHRASE = 6
EMBED_FILE = "e5clusters.tsv.gz"
SHARED_KEY = "shared_with_parent"  # meta.json: files read from the parent directory, by sha256


def file_sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def model_file(directory: Path, name: str) -> Path:
    """Where a model directory's file ``name`` is. A variant kept inside its parent model
    (``ner-de/heldout-dev``) does not repeat the files it shares byte for byte with the
    parent; its meta.json names them with their sha256, checked here so a retrained parent
    cannot silently change the variant."""
    own = directory / name
    meta = directory / "meta.json"
    if own.exists() or not meta.exists():
        return own
    digest = json.loads(meta.read_text()).get(SHARED_KEY, {}).get(name)
    if digest is None:
        return own
    parent = directory.parent / name
    if not parent.exists() or file_sha256(parent) != digest:
        from lagebild.errors import ModelNotAvailable

        raise ModelNotAvailable(
            f"{directory} reads {name} from {directory.parent}, but that file is missing or was "
            "retrained since: retrain this model too (`lagebild train ner`)"
        )
    return parent


@dataclass(frozen=True, slots=True)
class Lexicon:
    """Per-word gazetteer features, multi-word gazetteer phrases and word clusters."""

    words: dict[str, tuple[str, ...]] = field(default_factory=dict)
    phrases: dict[tuple[str, ...], str] = field(default_factory=dict)
    clusters: dict[str, str] = field(default_factory=dict)
    embed_clusters: dict[str, str] = field(default_factory=dict)  # word -> "a.b.c" (e5 k-means)

    def save(self, directory: Path) -> None:
        lines = [f"W\t{w}\t{' '.join(self.words[w])}" for w in sorted(self.words)]
        lines += [f"P\t{' '.join(p)}\t{self.phrases[p]}" for p in sorted(self.phrases)]
        _write_gz(directory / "gazetteer.tsv.gz", lines)
        if self.clusters:
            _write_gz(
                directory / "clusters.tsv.gz",
                [f"{w}\t{c}" for w, c in sorted(self.clusters.items())],
            )
        if self.embed_clusters:
            _write_gz(
                directory / EMBED_FILE,
                [f"{w}\t{c}" for w, c in sorted(self.embed_clusters.items())],
            )

    @classmethod
    def load(cls, directory: Path) -> Lexicon:
        words: dict[str, tuple[str, ...]] = {}
        phrases: dict[tuple[str, ...], str] = {}
        gaz = model_file(directory, "gazetteer.tsv.gz")
        if gaz.exists():
            with gzip.open(gaz, "rt", encoding="utf-8") as fh:
                for line in fh:
                    kind, key, value = line.rstrip("\n").split("\t")
                    if kind == "W":
                        words[key] = tuple(value.split())
                    else:
                        phrases[tuple(key.split(" "))] = value
        clusters = _read_table(model_file(directory, "clusters.tsv.gz"))
        return cls(words, phrases, clusters, _read_table(model_file(directory, EMBED_FILE)))


def _read_table(path: Path) -> dict[str, str]:
    """A gzipped two-column word -> id table ({} when the model has none)."""
    out: dict[str, str] = {}
    if path.exists():
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            for line in fh:
                w, c = line.rstrip("\n").split("\t")
                out[w] = c
    return out


def _write_gz(path: Path, lines: list[str]) -> None:
    """Gzip with a fixed header (no name, mtime 0): same content, same bytes."""
    data = ("\n".join(lines) + "\n").encode("utf-8")
    path.write_bytes(gzip.compress(data, compresslevel=9, mtime=0))


def build_gazetteer(sentences: Iterable[Tagged], min_count: int = 1) -> Lexicon:
    """Word and phrase gazetteers from labelled (silver) sentences.

    A word gets ``g:C`` when at least half its occurrences are inside a C entity (``g+:C``
    too when that happened five times or more), and ``gf:C`` / ``gl:C`` when it often
    starts / ends one (first names, surnames).
    """
    total: Counter[str] = Counter()
    inside: dict[str, Counter[str]] = defaultdict(Counter)
    first: dict[str, Counter[str]] = defaultdict(Counter)
    last: dict[str, Counter[str]] = defaultdict(Counter)
    phrase_counts: dict[tuple[str, ...], Counter[str]] = defaultdict(Counter)
    for s in sentences:
        total.update(s.tokens)
        for start, end, cls in spans(s.labels):
            toks = s.tokens[start:end]
            for t in toks:
                inside[t][cls] += 1
            if end - start > 1:
                first[toks[0]][cls] += 1
                last[toks[-1]][cls] += 1
                if end - start <= MAX_PHRASE:
                    phrase_counts[toks][cls] += 1
    words: dict[str, tuple[str, ...]] = {}
    for w, n in total.items():
        if not w[:1].isalpha():
            continue
        feats = []
        for cls in LABELS:
            k = inside[w][cls]
            if k >= min_count and k * 2 >= n:
                feats.append(f"g:{cls}")
                if k >= 5:
                    feats.append(f"g+:{cls}")
            if first[w][cls] >= min_count and first[w][cls] * 3 >= n:
                feats.append(f"gf:{cls}")
            if last[w][cls] >= min_count and last[w][cls] * 3 >= n:
                feats.append(f"gl:{cls}")
        if feats:
            words[w] = tuple(feats)
    phrases: dict[tuple[str, ...], str] = {}
    for p, counts in phrase_counts.items():
        cls, k = counts.most_common(1)[0]
        if k >= min_count and k * 10 >= 6 * sum(counts.values()):
            phrases[p] = cls
    return Lexicon(words, phrases, {})


def add_word_statistics(
    lex: Lexicon, labelled: Iterable[Tagged], unlabeled: Iterable[list[str]]
) -> Lexicon:
    """Mark capitalised words that are usually not names.

    ``lc``: the lower-case form is at least as frequent (a sentence-initial adjective or
    verb: "Neue", "Auch"); ``gO``: seen three times or more in the silver pool and (almost)
    never inside an entity there (a common noun: "Regierung", "Montag").
    """
    counts: Counter[str] = Counter()
    for toks in unlabeled:
        counts.update(toks)
    total: Counter[str] = Counter()
    inside: Counter[str] = Counter()
    for s in labelled:
        total.update(s.tokens)
        counts.update(s.tokens)
        for start, end, _ in spans(s.labels):
            inside.update(s.tokens[start:end])
    words = dict(lex.words)
    for w, n in counts.items():
        if not w[:1].isupper() or len(w) < 2:
            continue
        extra = []
        low = counts.get(w.lower(), 0)
        if low >= n and low >= 2:
            extra.append("lc")
        if total[w] >= 3 and inside[w] * 20 <= total[w]:
            extra.append("gO")
        if extra:
            words[w] = (*words.get(w, ()), *extra)
    return Lexicon(words, lex.phrases, lex.clusters, lex.embed_clusters)


def phrase_starts(phrases: dict[tuple[str, ...], str]) -> dict[str, tuple[int, ...]]:
    """First word -> the lengths (2..``MAX_PHRASE``, longest first) of the phrases it starts,
    for ``phrase_matches``."""
    lengths: dict[str, set[int]] = {}
    for p in phrases:
        if 2 <= len(p) <= MAX_PHRASE:
            lengths.setdefault(p[0], set()).add(len(p))
    return {w: tuple(sorted(ks, reverse=True)) for w, ks in lengths.items()}


def phrase_matches(
    tokens: list[str],
    phrases: dict[tuple[str, ...], str],
    firsts: dict[str, tuple[int, ...]] | frozenset[str] | set[str] | None = None,
) -> list[str]:
    """Per token, "B-C" / "I-C" where a gazetteer phrase matches (longest match first), else "".

    ``firsts``, the first words of all phrases (``phrase_starts``: with the lengths of the
    phrases each starts), lets a token no phrase starts with be skipped without building its
    candidate tuples, and the lengths no phrase of that word has (same result)."""
    n = len(tokens)
    out = [""] * n
    by_length = isinstance(firsts, dict)
    i = 0
    while i < n:
        if firsts is not None and tokens[i] not in firsts:
            i += 1
            continue
        if by_length:
            lengths: Iterable[int] = [k for k in firsts[tokens[i]] if k <= n - i]  # type: ignore[index]
        else:
            lengths = range(min(MAX_PHRASE, n - i), 1, -1)
        for length in lengths:
            cls = phrases.get(tuple(tokens[i : i + length]))
            if cls:
                out[i] = f"B-{cls}"
                for j in range(i + 1, i + length):
                    out[j] = f"I-{cls}"
                i += length
                break
        else:
            i += 1
    return out


@cache
def triggers(lang: str = "de") -> tuple[tuple[str, str], ...]:
    """(stem, class) pairs from resources/ner/<lang>/triggers.tsv, longest stem first."""
    path = resources.files("lagebild") / "resources" / "ner" / lang / "triggers.tsv"
    pairs = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        cls, stem = line.split("\t")[:2]
        pairs.append((stem.strip(), cls.strip()))
    return tuple(sorted(pairs, key=lambda p: (-len(p[0]), p[0])))


@cache
def _trigger_table(lang: str) -> tuple[dict[str, str], tuple[int, ...]]:
    """The triggers as stem -> class (the first of ``triggers`` wins) and their stem lengths,
    longest first: one dict lookup per length instead of a scan over every stem."""
    table: dict[str, str] = {}
    for stem, cls in triggers(lang):
        table.setdefault(stem, cls)
    return table, tuple(sorted({len(s) for s in table}, reverse=True))


def trigger_class(word: str, lang: str = "de") -> str:
    """The class a role or title word announces ("Außenminister" -> PER), or "": that of the
    longest trigger stem the word ends with."""
    low = word.lower()
    n = len(low)
    if n < 3:
        return ""
    table, lengths = _trigger_table(lang)
    for k in lengths:
        if k <= n:
            cls = table.get(low[n - k :] if k else "")
            if cls is not None:
                return cls
    return ""
