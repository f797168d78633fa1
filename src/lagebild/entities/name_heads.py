"""Nouns that stand before a person's name but are no part of it, learnt from silver NER data.

Taggers often pull the noun in front of a name into the person's span ("Wildtierbiologin
Karoline Schmidt", "Trainer Peter Stöger"). Which capitalised words do that is read off the
silver / out-of-domain NER pool (WikiANN, WikiNER, Europarl, MobIE; no GermEval text): a word
that stands right before a person span at least twice, starts one at most a fifth as often,
sits inside any name at most a fifth of the times it occurs, and is no capitalised function
word (its lower-case form is rarer) is such a noun. The table ``resources/entities/de/
name_heads.txt`` is built by ``python -m lagebild.entities.name_heads --data DIR`` (``--check``
compares a rebuild with the shipped file).
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from lagebild.entities.ner.data import Tagged, read_silver, spans

HEADER = (
    "# Capitalised nouns that stand before a person's name and are no part of it (one a line,\n"
    "# casefolded), learnt from the silver NER pool by lagebild.entities.name_heads; do not\n"
    "# edit by hand: rebuild with `python -m lagebild.entities.name_heads --data DIR`.\n"
)
MIN_BEFORE = 2


def learn(sentences: Iterable[Tagged], stop: frozenset[str]) -> list[str]:
    """The casefolded nouns, sorted."""
    before: Counter[str] = Counter()
    first: Counter[str] = Counter()
    total: Counter[str] = Counter()
    inside: Counter[str] = Counter()
    for s in sentences:
        total.update(s.tokens)
        for a, b, cls in spans(s.labels):
            inside.update(s.tokens[a:b])
            if cls != "PER":
                continue
            first[s.tokens[a]] += 1
            if a > 0 and s.labels[a - 1] == "O" and s.tokens[a - 1][:1].isupper():
                before[s.tokens[a - 1]] += 1
    out: set[str] = set()
    for w, n in before.items():
        if n < MIN_BEFORE or first[w] * 5 > n or inside[w] * 5 > total[w]:
            continue
        if w.isupper() or not w.replace("-", "").isalpha() or total[w.lower()] >= total[w]:
            continue
        if w.casefold() in stop:
            continue
        out.add(w.casefold())
    return sorted(out)


def render(words: list[str]) -> str:
    return HEADER + "".join(f"{w}\n" for w in words)


def shipped_path() -> Path:
    return Path(__file__).resolve().parent.parent / "resources" / "entities" / "de" / "name_heads.txt"


def build(data_dir: Path) -> str:
    """The table's text as built from the silver pool under ``data_dir``."""
    from lagebild.entities.lexicon import stopwords

    sentences = read_silver(data_dir)
    if not sentences:
        raise SystemExit(f"no silver NER data under {data_dir}")
    return render(learn(sentences, stopwords()))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=Path("../shared/data/ner"))
    ap.add_argument("--check", action="store_true", help="compare a rebuild with the shipped file")
    args = ap.parse_args(argv)
    text = build(args.data)
    path = shipped_path()
    if args.check:
        same = path.is_file() and path.read_text(encoding="utf-8") == text
        print(f"{path.name}: {'same as a rebuild' if same else 'DIFFERS from a rebuild'}")
        return 0 if same else 1
    path.write_text(text, encoding="utf-8")
    print(f"wrote {path} ({text.count(chr(10)) - 3} nouns)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
