"""The main job over the real texts in ../shared, as a user would run it (helper of
``tests/test_real_corpus.py``).

The texts: the 10kGNAD test set (1,028), 20min-xd (28, de+fr), the SpkAtt train documents as
plain text (700), the KRAUTS Dolomiten-100 raw texts (100), the WCXB dev HTML pages (711),
the Zyte pages (181) and the seeds. ``lagebild run`` over them must end without a traceback
and without a stage failure, leave no article unanalysed or outside a story, and write a
dossier for every story and the report index. ``every=k`` takes every k-th text of each
source of 100 texts or more (all of 20min-xd and the seeds), so a slice spans each source
from its first text to its last. The
inputs that are not files already (CSV/TSV/JSON rows) are written to a temporary folder,
never into the repository.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import NamedTuple

from lagebild.app import Lagebild

ROOT = Path(__file__).resolve().parent.parent

NEWS = {
    "10kgnad": "data/stories/10kgnad/test.csv",
    "20min-xd": "data/stories/20min-xd/val_set.tsv",
    "spkatt": "data/quotes/spkatt2023-task2/train",
}
KRAUTS = "data/temporal/KRAUTS_Dolomiten-100_raw-text"
PAGES = ("data/extraction/wcxb-dev-articles/html", "data/extraction/zyte-aeb/html")
SOURCES = ("seeds", *NEWS.values(), KRAUTS, *PAGES)


def _builder():
    spec = importlib.util.spec_from_file_location(
        "build_shared", ROOT / "eval/stories/build_shared.py"
    )
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


_SPACE_BEFORE = re.compile(r" ([.,;:!?)\]»“])")
_SPACE_AFTER = re.compile(r"([(\[„»]) ")


def _spkatt_text(path: Path) -> dict:
    """One SpkAtt document as a JSONL row: its sentences as plain text, its name as title and
    the date at the end of the file name as publication date."""
    data = json.loads(path.read_text(encoding="utf-8"))
    sentences = [" ".join(s["Tokens"]) for s in data["Sentences"]]
    text = "\n\n".join(_SPACE_AFTER.sub(r"\1", _SPACE_BEFORE.sub(r"\1", s)) for s in sentences)
    m = re.match(r"^\d+ - (.*) \((\d{4}-\d\d-\d\d)\)$", path.stem)
    title, date = (m.group(1), m.group(2)) if m else (path.stem, None)
    return {"title": title, "text": text, "published": date, "language": "de"}


def inputs(shared: Path, folder: Path, every: int = 1) -> list[str]:
    """Every ``every``-th text of each source: 10kGNAD, 20min-xd and SpkAtt as JSONL files in
    ``folder``, the KRAUTS raw texts and the HTML pages as they are, the seeds folder."""
    build = _builder()
    gnad = [r for r in build.seeds_10kgnad(shared, shuffle=False) if r["id"].startswith("gnad-")]
    spkatt = sorted((shared / NEWS["spkatt"]).glob("*.json"))
    rows = {"10kgnad": gnad, "20min-xd": build.twenty_min(shared), "spkatt": spkatt}
    assert [len(r) for r in rows.values()] == [1028, 28, 700]
    paths = []
    for name, items in rows.items():
        path = folder / f"{name}.jsonl"
        with path.open("w", encoding="utf-8") as fh:
            for row in items[:: every if len(items) >= 100 else 1]:
                row = _spkatt_text(row) if isinstance(row, Path) else row
                fh.write(json.dumps(row, ensure_ascii=False) + "\n")
        paths.append(str(path))
    if every == 1:  # the folders as a user would name them
        return [*paths, *(str(shared / p) for p in (KRAUTS, *PAGES)), str(shared / "seeds")]
    files = [f for p in (KRAUTS, *PAGES) for f in sorted((shared / p).iterdir())[::every]]
    return [*paths, *map(str, files), str(shared / "seeds")]


class Cost(NamedTuple):
    """What one run took: wall seconds and the CPU seconds and peak RSS of the process."""

    wall: float
    cpu: float
    peak_mb: float


def run_and_check(inputs: list[str], tmp_path: Path, at_least: int) -> Cost:
    """``lagebild run`` over ``inputs`` in its own process; asserts the issue's conditions."""
    db, out = tmp_path / "real.db", tmp_path / "report"
    log = tmp_path / "run.log"
    started = time.monotonic()
    with log.open("w+", encoding="utf-8") as fh:
        proc = subprocess.Popen(
            [sys.executable, "-m", "lagebild", "--db", str(db), "run", *inputs, "--out", str(out)],
            stdout=fh, stderr=subprocess.STDOUT, text=True,
        )  # fmt: skip
        _, status, usage = os.wait4(proc.pid, 0)  # this process's own CPU time and peak RSS
        proc.returncode = os.waitstatus_to_exitcode(status)
        fh.seek(0)
        output = fh.read()
    cost = Cost(time.monotonic() - started, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)
    print(
        f"lagebild run: {cost.wall:.0f} s wall, {cost.cpu:.0f} s CPU, peak RSS {cost.peak_mb:.0f} MB"
    )
    assert "Traceback" not in output, output[-3000:]
    assert "stage failures" not in output, output[-3000:]
    assert proc.returncode == 0, output[-3000:]
    check(db, out, at_least)
    return cost


def check(db: Path, out: Path, at_least: int) -> None:
    """What a finished run must leave: every article analysed and in a story, no stage
    failure, only specific rejections, a dossier for every story and the index."""
    lb = Lagebild(db)
    try:
        assert lb.pending() == (0, 0)  # nothing unanalysed, nothing outside a story
        rejected = lb.store.rejections()
        assert not [r for r in rejected if r.stage != "ingest"], rejected[:5]  # no stage failed
        assert not [r for r in rejected if "unexpected" in r.reason], rejected[:5]
        assert lb.store.count() >= at_least, (lb.store.count(), len(rejected))
        stories = lb.store.stories()
    finally:
        lb.close()
    index = json.loads((out / "index.json").read_text(encoding="utf-8"))
    assert (out / "index.html").exists()
    assert {s["id"] for s in index["stories"]} == {s.id for s in stories}
    for entry in index["stories"]:
        assert entry["files"] and all((out / f).exists() for f in entry["files"])
