"""Nouns that stand before a person's name but are no part of it, learnt from silver NER data;
and nouns that announce the title of a work ("Film", "Roman", "Komödie").

Taggers often pull the noun in front of a name into the person's span ("Wildtierbiologin
Karoline Schmidt", "Trainer Peter Stöger"). Which capitalised words do that is read off the
silver / out-of-domain NER pool (WikiANN, WikiNER, Europarl, MobIE; no GermEval text): a word
that stands right before a person span at least twice, starts one at most a fifth as often,
sits inside any name at most a fifth of the times it occurs, and is no capitalised function
word (its lower-case form is rarer) is such a noun. The table ``resources/entities/de/
name_heads.txt`` is built by ``python -m lagebild.entities.name_heads --data DIR`` (``--check``
compares a rebuild with the shipped file). The same pool gives ``work_heads.txt``: words
that stand right before a title (an OTH/MISC span, an opening quote between allowed) at
least twice, before a person, place or organisation at most a fifth as often, inside a
name at most a third of the times it occurs ("Roman" is a first name), with the same
function-word checks; nouns the role table types otherwise ("Zeitschrift": ORG) are
left out.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path

from lagebild.entities.ner.data import Tagged, read_silver, spans

WORK_HEADER = (
    "# Capitalised nouns that announce the title of a work (a film, novel, program; one a line,\n"
    "# casefolded), learnt from the silver NER pool by lagebild.entities.name_heads; do not\n"
    "# edit by hand: rebuild with `python -m lagebild.entities.name_heads --data DIR`.\n"
)
_QUOTES = frozenset({'"', "„", "»", "“", "'", "‚"})
HEADER = (
    "# Capitalised nouns that stand before a person's name and are no part of it (one a line,\n"
    "# casefolded), learnt from the silver NER pool by lagebild.entities.name_heads; do not\n"
    "# edit by hand: rebuild with `python -m lagebild.entities.name_heads --data DIR`.\n"
)
MIN_BEFORE = 2


def _spans(
    sentences: Iterable[Tagged], total: Counter[str], inside: Counter[str]
) -> Iterator[tuple[Tagged, int, int, str]]:
    """Every gold span (sentence, start, end, class); counts every token into ``total`` and
    every token inside a span into ``inside`` on the way."""
    for s in sentences:
        total.update(s.tokens)
        for a, b, cls in spans(s.labels):
            inside.update(s.tokens[a:b])
            yield s, a, b, cls


def _noun(w: str, total: Counter[str], stop: frozenset[str]) -> bool:
    """Written as a noun: letters (and hyphens), not all capitals, its lower-case form rarer,
    no stop word."""
    if w.isupper() or not w.replace("-", "").isalpha() or total[w.lower()] >= total[w]:
        return False
    return w.casefold() not in stop


def learn(sentences: Iterable[Tagged], stop: frozenset[str]) -> list[str]:
    """The casefolded nouns, sorted."""
    before: Counter[str] = Counter()
    first: Counter[str] = Counter()
    total: Counter[str] = Counter()
    inside: Counter[str] = Counter()
    for s, a, _, cls in _spans(sentences, total, inside):
        if cls != "PER":
            continue
        first[s.tokens[a]] += 1
        if a > 0 and s.labels[a - 1] == "O" and s.tokens[a - 1][:1].isupper():
            before[s.tokens[a - 1]] += 1
    return sorted(
        {
            w.casefold()
            for w, n in before.items()
            if n >= MIN_BEFORE
            and first[w] * 5 <= n
            and inside[w] * 5 <= total[w]
            and _noun(w, total, stop)
        }
    )


def learn_works(sentences: Iterable[Tagged], stop: frozenset[str]) -> list[str]:
    """The casefolded nouns before titles of works, sorted."""
    works: Counter[str] = Counter()
    others: Counter[str] = Counter()
    total: Counter[str] = Counter()
    inside: Counter[str] = Counter()
    for s, a, _, cls in _spans(sentences, total, inside):
        k = a - 1
        if k > 0 and s.tokens[k] in _QUOTES and s.labels[k] == "O":
            k -= 1
        if k < 0 or s.labels[k] != "O" or not s.tokens[k][:1].isupper():
            continue
        (works if cls in ("OTH", "MISC") else others)[s.tokens[k]] += 1
    # a title may hold its class noun ("Der Film"), a first name may not
    return sorted(
        {
            w.casefold()
            for w, n in works.items()
            if n >= MIN_BEFORE
            and others[w] * 5 <= n
            and inside[w] * 3 <= total[w]
            and _noun(w, total, stop)
        }
    )


def render(words: list[str], header: str = HEADER) -> str:
    return header + "".join(f"{w}\n" for w in words)


def shipped_path(name: str = "name_heads.txt") -> Path:
    return Path(__file__).resolve().parent.parent / "resources" / "entities" / "de" / name


def build(data_dir: Path) -> str:
    """The table's text as built from the silver pool under ``data_dir``."""
    return build_all(data_dir)["name_heads.txt"]


def build_all(data_dir: Path) -> dict[str, str]:
    """Both tables' texts (file name -> text) as built from the silver pool."""
    from lagebild.entities.lexicon import roles, stopwords

    sentences = read_silver(data_dir)
    if not sentences:
        raise SystemExit(f"no silver NER data under {data_dir}")
    typed = frozenset(w for w, t in roles().items() if t != "OTH")
    works = [w for w in learn_works(sentences, stopwords()) if w not in typed]
    return {
        "name_heads.txt": render(learn(sentences, stopwords())),
        "work_heads.txt": render(works, WORK_HEADER),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=Path("../shared/data/ner"))
    ap.add_argument("--check", action="store_true", help="compare a rebuild with the shipped file")
    args = ap.parse_args(argv)
    status = 0
    for name, text in build_all(args.data).items():
        path = shipped_path(name)
        if args.check:
            same = path.is_file() and path.read_text(encoding="utf-8") == text
            print(f"{path.name}: {'same as a rebuild' if same else 'DIFFERS from a rebuild'}")
            status = status or (0 if same else 1)
            continue
        path.write_text(text, encoding="utf-8")
        print(f"wrote {path} ({text.count(chr(10)) - 3} nouns)")
    return status


if __name__ == "__main__":
    sys.exit(main())
