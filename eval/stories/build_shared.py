"""Build story gold files from ../shared at run time (third-party data never enters the repo).

    python eval/stories/build_shared.py seeds-10kgnad OUT.jsonl [--shared ../shared] [--no-shuffle]
    python eval/stories/build_shared.py 20min-xd OUT.jsonl

seeds-10kgnad: the five seed articles (event "seeds") mixed into the 1,028 10kGNAD test
articles (each its own event "gnad-N": they are unrelated topic-labelled news). Titles of
10kGNAD articles are their first sentence; they have no dates. By default the seeds are
spread over the stream at fixed pseudo-random positions (seed 13), so the seed story has to
survive unrelated articles arriving in between.

20min-xd: the 14 German-French pairs of 20 Minuten (event "pair-N"), HTML tags stripped.
"""

from __future__ import annotations

import argparse
import csv
import html
import json
import random
import re
import sys
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _seed_article(path: Path) -> dict:
    """One seed as a gold row, via the ingest text-dump reader when it exists."""
    try:
        from lagebild.config import Config
        from lagebild.ingest.textdump import read_text_dump

        art = read_text_dump(path.read_bytes(), str(path), Config())
        return {
            "id": path.stem,
            "title": art.title,
            "text": art.text,
            "lang": art.language or "de",
            "published": art.published.isoformat() if art.published else None,
        }
    except ImportError:
        pass
    lines = path.read_text(encoding="utf-8").splitlines()
    lines = [x for x in lines]
    while lines and not lines[0].strip():
        lines.pop(0)
    title, body = lines[0].strip(), lines[1:]
    published = None
    kept = []
    for line in body:
        m = re.match(r"^(\d{10}) \S", line.strip())
        if m and published is None:
            published = datetime.fromtimestamp(int(m.group(1)), tz=UTC).isoformat()
            continue
        kept.append(line)
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip()
    return {"id": path.stem, "title": title, "text": text, "lang": "de", "published": published}


def seeds_10kgnad(shared: Path, shuffle: bool) -> list[dict]:
    seeds = [
        dict(_seed_article(p), event_id="seeds", outlet=f"seed-{p.stem[:3]}")
        for p in sorted((shared / "seeds").glob("0*.txt"))
    ]
    gnad = []
    with open(shared / "data/stories/10kgnad/test.csv", encoding="utf-8") as fh:
        for n, row in enumerate(csv.reader(fh, delimiter=";", quotechar="'")):
            label, text = row[0], ";".join(row[1:])
            first = re.split(r"(?<=[.!?])\s+", text, maxsplit=1)
            title, body = (
                (first[0], first[1]) if len(first) == 2 and first[1].strip() else ("", text)
            )
            gnad.append(
                {
                    "id": f"gnad-{n}",
                    "title": title,
                    "text": body,
                    "lang": "de",
                    "outlet": f"10kgnad-{label}",
                    "event_id": f"gnad-{n}",
                }
            )
    if not shuffle:
        return seeds + gnad
    rng = random.Random(13)
    out = list(gnad)
    for pos, s in sorted(
        zip(rng.sample(range(len(gnad)), len(seeds)), seeds, strict=True),
        key=lambda x: x[0],
        reverse=True,
    ):
        out.insert(pos, s)
    return out


def _strip_html(s: str) -> str:
    s = re.sub(r"</p>|<br\s*/?>|</ld>|</zt>", "\n\n", s)
    s = re.sub(r"<[^>]+>", " ", s)
    s = html.unescape(s)
    s = re.sub(r"[ \t]+", " ", s)
    return re.sub(r"\s*\n\s*\n\s*", "\n\n", s).strip()


def twenty_min(shared: Path) -> list[dict]:
    out = []
    path = shared / "data/stories/20min-xd/val_set.tsv"
    csv.field_size_limit(sys.maxsize)
    with open(path, encoding="utf-8", newline="") as fh:
        for n, row in enumerate(csv.DictReader(fh, delimiter="\t")):
            for lang in ("de", "fr"):
                pub = row[f"pubtime_{lang}"].strip()
                pub = pub + ":00" if re.search(r"[+-]\d\d$", pub) else pub
                out.append({
                    "id": f"{lang}-{row[f'id_{lang}']}", "title": row[f"head_{lang}"],
                    "text": _strip_html(row[f"content_{lang}"]), "url": row[f"article_link_{lang}"],
                    "outlet": row[f"medium_name_{lang}"], "lang": lang,
                    "published": datetime.fromisoformat(pub).astimezone(UTC).isoformat(),
                    "event_id": f"pair-{n}",
                })  # fmt: skip
    return sorted(out, key=lambda r: r["published"])


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("what", choices=["seeds-10kgnad", "20min-xd"])
    ap.add_argument("out", type=Path)
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--no-shuffle", action="store_true")
    args = ap.parse_args()
    rows = (
        seeds_10kgnad(args.shared, not args.no_shuffle)
        if args.what == "seeds-10kgnad"
        else twenty_min(args.shared)
    )
    with open(args.out, "w", encoding="utf-8") as fh:
        for r in rows:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    print(f"{len(rows)} articles -> {args.out}")


if __name__ == "__main__":
    main()
