"""Turn a reading annotation into canon-gold rows (offsets + digest, no article text).

    python eval/entities/annotate.py NOTES.txt [--shared ../shared] >> eval/entities/canon-gold.tsv

NOTES.txt is written while reading an article (keep it outside the repository: it holds
names as written). ``=== SOURCE:KEY`` opens an article; then one line per mention in text
order: ``surface [=> entity] [TYPE]``. The entity defaults to the surface, the type to the
type given at the entity's first line. The surface is searched as a whole word from the
end of the previous mention on; ``surface #N`` skips to its N-th next occurrence.
See docs/entities-canon-gold.md.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from lagebild.entities.gold import digest, load_source

TYPES = ("PER", "ORG", "LOC", "OTH", "-")


def convert(lines: list[str], shared: Path) -> list[str]:
    out: list[str] = []
    types: dict[str, str] = {}
    doc = None
    pos = 0
    errors = []
    for n, line in enumerate(lines, 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("=== "):
            source, key = line[4:].strip().split(":", 1)
            doc = load_source(shared, source, key)
            pos = 0
            continue
        assert doc is not None, f"line {n}: mention before '=== SOURCE:KEY'"
        typ = None
        words = line.split()
        if words[-1] in TYPES:
            typ = words[-1]
            line = line[: line.rfind(words[-1])].strip()
        surface, _, entity = (p.strip() for p in line.partition("=>"))
        skip = 1
        m = re.match(r"^(.*?)\s+#(\d+)$", surface)
        if m:
            surface, skip = m.group(1), int(m.group(2))
        entity = entity or surface
        if typ:
            if entity in types and types[entity] != typ:
                errors.append(f"line {n}: {entity} typed {typ}, before {types[entity]}")
            types[entity] = typ
        elif entity not in types:
            errors.append(f"line {n}: no type for new entity {entity!r}")
            continue
        words = (re.escape(w) for w in surface.split())
        pat = re.compile(r"(?<!\w)" + r"\s+".join(words) + r"(?!\w)")
        found = None
        for _ in range(skip):
            found = pat.search(doc.raw, pos if found is None else found.end())
            if found is None:
                break
        if found is None:
            errors.append(f"line {n}: {surface!r} not found after offset {pos} in {doc.key}")
            continue
        s, e = found.span()
        pos = e
        out.append(
            "\t".join([doc.source, doc.key, str(s), str(e), digest(doc.raw[s:e]), entity,
                       types[entity]])
        )  # fmt: skip
    if errors:
        sys.exit("\n".join(errors))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)  # fmt: skip
    ap.add_argument("notes", type=Path)
    ap.add_argument("--shared", type=Path, default=Path(__file__).resolve().parents[3] / "shared")
    args = ap.parse_args()
    lines = args.notes.read_text(encoding="utf-8").splitlines()
    print("\n".join(convert(lines, args.shared)))


if __name__ == "__main__":
    main()
