"""Readers for the NER corpora in ../shared/data/ner, all mapped to one BIO scheme.

Every corpus becomes a list of :class:`Tagged` sentences with BIO labels over
PER / LOC / ORG / OTH. The label mapping (documented in MODEL_CARD.md):

- GermEval 2014: outer column; ``-deriv`` and ``-part`` (``B-LOCderiv``, ``I-ORGpart``)
  become O, as in the official strict outer metric; the nested column is ignored.
- WikiANN-de: PER/LOC/ORG as is; the ``de:`` token prefix is removed.
- WikiNER and Europarl: IOB1 turned into BIO; MISC becomes OTH.
- All silver sets: an entity whose first token starts lower-case ("deutschen",
  "französische", tagged MISC/LOC there) becomes O, because GermEval calls those
  ``LOCderiv``, which the metric counts as O.
- MobIE: person -> PER; organization, organization-company -> ORG; location,
  location-city, location-stop, location-street -> LOC; location-route (S4, A7, RE7),
  dates, triggers, numbers and the rest -> O; a leading ``#`` of hashtags is dropped.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

LABELS = ("PER", "LOC", "ORG", "OTH")

MOBIE_MAP = {
    "person": "PER",
    "organization": "ORG",
    "organization-company": "ORG",
    "location": "LOC",
    "location-city": "LOC",
    "location-stop": "LOC",
    "location-street": "LOC",
}
_BASE_MAP = {"PER": "PER", "LOC": "LOC", "ORG": "ORG", "OTH": "OTH", "MISC": "OTH"}


@dataclass(frozen=True, slots=True)
class Tagged:
    """One sentence with gold (or silver) BIO labels; ``source`` names the corpus."""

    tokens: tuple[str, ...]
    labels: tuple[str, ...]
    source: str = ""


def map_germeval(tag: str, subtypes: bool = False) -> str:
    """GermEval outer tag -> BIO over the four classes; -deriv/-part -> O (or kept)."""
    if tag.endswith(("deriv", "part")):
        return tag if subtypes else "O"
    if tag == "O":
        return "O"
    prefix, _, base = tag.partition("-")
    return f"{prefix}-{base}" if base in LABELS else "O"


def map_base(tag: str) -> str:
    """A CoNLL-style tag (PER/LOC/ORG/MISC) -> our classes, keeping its B/I prefix."""
    if tag == "O" or "-" not in tag:
        return "O"
    prefix, _, base = tag.partition("-")
    mapped = _BASE_MAP.get(base)
    return f"{prefix}-{mapped}" if mapped else "O"


def map_mobie(tag: str) -> str:
    """A MobIE fine-grained tag -> our classes (see the module docstring)."""
    if tag == "O" or "-" not in tag:
        return "O"
    prefix, _, base = tag.partition("-")
    mapped = MOBIE_MAP.get(base)
    return f"{prefix}-{mapped}" if mapped else "O"


def iob1_to_bio(labels: Iterable[str]) -> tuple[str, ...]:
    """IOB1 (B only between two adjacent entities) -> BIO (B at every entity start)."""
    out: list[str] = []
    prev = "O"
    for tag in labels:
        if tag.startswith("I-") and (prev == "O" or prev[2:] != tag[2:]):
            tag = "B-" + tag[2:]
        out.append(tag)
        prev = tag
    return tuple(out)


def repair_bio(labels: Iterable[str]) -> tuple[str, ...]:
    """An I- that does not continue an entity of its class becomes B- (mapping can cause this)."""
    return iob1_to_bio(labels)


def drop_lowercase_spans(tokens: tuple[str, ...], labels: tuple[str, ...]) -> tuple[str, ...]:
    """Silver entities starting with a lower-case word (derived adjectives) -> O."""
    out = list(labels)
    for start, end, _ in spans(labels):
        if tokens[start][:1].islower():
            out[start:end] = ["O"] * (end - start)
    return tuple(out)


def _silver(tokens: tuple[str, ...], labels: tuple[str, ...], source: str) -> Tagged:
    return Tagged(tokens, drop_lowercase_spans(tokens, labels), source)


def _blocks(path: Path) -> Iterator[list[list[str]]]:
    """Blank-line separated blocks of tab- or space-split rows; comment/DOCSTART rows skipped."""
    rows: list[list[str]] = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            line = line.rstrip("\n")
            if not line.strip():
                if rows:
                    yield rows
                rows = []
                continue
            if line.startswith("#\t") or line.startswith("-DOCSTART-"):
                continue
            rows.append(line.split("\t") if "\t" in line else line.split())
    if rows:
        yield rows


def read_germeval(path: Path, subtypes: bool = False) -> list[Tagged]:
    """GermEval 2014 TSV: idx, token, outer tag, nested tag.

    ``subtypes=True`` keeps ``B-LOCderiv`` etc. as labels of their own (a training option;
    taggers collapse them to O on output).
    """
    src = path.name
    return [
        Tagged(
            tuple(r[1] for r in rows),
            repair_bio(map_germeval(r[2], subtypes) for r in rows),
            src,
        )
        for rows in _blocks(path)
    ]


def collapse_subtypes(labels: Iterable[str]) -> list[str]:
    """-deriv / -part predictions -> O, then a valid BIO sequence again."""
    return list(repair_bio("O" if t.endswith(("deriv", "part")) else t for t in labels))


def read_wikiann(path: Path) -> list[Tagged]:
    out = []
    for rows in _blocks(path):
        tokens = tuple(r[0].removeprefix("de:") for r in rows)
        out.append(_silver(tokens, repair_bio(map_base(r[-1]) for r in rows), "wikiann"))
    return out


def read_wikiner(path: Path) -> list[Tagged]:
    return [
        _silver(tuple(r[0] for r in rows), iob1_to_bio(map_base(r[-1]) for r in rows), "wikiner")
        for rows in _blocks(path)
    ]


def read_europarl(path: Path) -> list[Tagged]:
    """Europarl TSV: token, lemma, POS, chunk, NER (IOB1)."""
    return [
        _silver(tuple(r[0] for r in rows), iob1_to_bio(map_base(r[-1]) for r in rows), "europarl")
        for rows in _blocks(path)
    ]


def read_mobie(path: Path) -> list[Tagged]:
    out = []
    for rows in _blocks(path):
        tokens = tuple(r[0][1:] if r[0].startswith("#") and len(r[0]) > 1 else r[0] for r in rows)
        out.append(_silver(tokens, repair_bio(map_mobie(r[-1]) for r in rows), "mobie"))
    return out


GOLD_FILES = ("germeval2014-dev.tsv", "germeval2014-test-a.tsv")
SILVER_FILES = {
    "wikiann": ("wikiann-de/train", "wikiann-de/dev", "wikiann-de/test"),
    "wikiner": ("wikiner-de-sample.tsv",),
    "europarl": ("europarl-de/train.tsv", "europarl-de/dev.tsv", "europarl-de/test.tsv"),
    "mobie": ("mobie/train.conll2003", "mobie/dev.conll2003", "mobie/test.conll2003"),
}
_READERS = {
    "wikiann": read_wikiann,
    "wikiner": read_wikiner,
    "europarl": read_europarl,
    "mobie": read_mobie,
}


def read_silver(data_dir: Path, sources: Iterable[str] = tuple(SILVER_FILES)) -> list[Tagged]:
    """The silver / out-of-domain pool, in a fixed order (sources as given, files sorted)."""
    out: list[Tagged] = []
    for name in sources:
        for rel in SILVER_FILES[name]:
            path = data_dir / rel
            if path.exists():
                out.extend(_READERS[name](path))
    return out


def spans(labels: Iterable[str]) -> set[tuple[int, int, str]]:
    """Entity spans ``(start, end, class)`` (token indices, end exclusive) of a BIO sequence."""
    out: set[tuple[int, int, str]] = set()
    start, cls = -1, ""
    labels = list(labels)
    for i, tag in enumerate([*labels, "O"]):
        if tag.startswith("I-") and start >= 0 and tag[2:] == cls:
            continue
        if start >= 0:
            out.add((start, i, cls))
            start, cls = -1, ""
        if tag != "O" and i < len(labels):
            start, cls = i, tag[2:]
    return out
