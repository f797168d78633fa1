"""The seed story's "Facts and numbers" and "Where the outlets diverge" (EXPECTED.md)."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from lagebild import facts as facts_stage
from lagebild import text as text_stage
from lagebild.facts import compare
from lagebild.model import DateWindow, Doc

# The windows EXPECTED.md gives for the undated seeds (000 carries its own date).
WINDOWS = {
    "001": (date(2023, 9, 11), date(2023, 9, 13)),
    "002": (date(2023, 9, 12), date(2023, 9, 14)),
    "003": (date(2023, 9, 12), date(2023, 9, 14)),
    "004": (date(2023, 9, 4), date(2023, 9, 6)),
}


def _load(seeds_dir) -> list[Doc]:
    from lagebild.ingest.textdump import read_text_dump

    docs = []
    for path in sorted(seeds_dir.glob("0*.txt")):
        article = read_text_dump(path.read_bytes(), str(path))
        article = dataclasses.replace(article, outlet=path.stem[:3])  # the seeds name no outlet
        docs.append(facts_stage.analyze(text_stage.analyze(Doc(article=article))))
    return docs


@pytest.fixture
def seeds(seeds_dir):
    docs = _load(seeds_dir)
    windows = {
        d.id: DateWindow(*WINDOWS[d.article.outlet], 0.8)
        for d in docs
        if d.article.outlet in WINDOWS
    }
    return docs, windows


NUMBERS = [  # seed, kind, value, value_max, unit, words the measure or subject must contain
    ("001", "distance", 900, None, "km", "Ussurijsk"),
    ("001", "distance", 60, None, "km", "Wladiwostok"),
    ("001", "count", 20, None, "", "Waggons"),
    ("001", "speed", 59, None, "km/h", ""),
    ("004", "distance", 690, None, "km", ""),
    ("003", "distance", 650, None, "km", ""),
    ("000", "percent", 70, None, "%", "Opfer"),
    ("002", "duration", 40, None, "s", ""),
    ("002", "distance", 100, None, "km", "China"),
    ("004", "count", 2e6, 4e6, "", "Koreaner"),
]


def test_every_listed_number_with_its_seed(seeds):
    docs, _ = seeds
    by_seed = {d.article.outlet: d for d in docs}
    for seed, kind, value, value_max, unit, word in NUMBERS:
        found = [
            f
            for f in by_seed[seed].facts
            if f.kind == kind and f.value == value and f.value_max == value_max and f.unit == unit
        ]
        assert found, (seed, kind, value)
        assert word in found[0].measures + " " + found[0].subject, (found[0].measures, word)
    yonhap = [f for f in by_seed["001"].facts if f.kind in {"count", "speed"}]
    assert {f.attributed_to for f in yonhap} == {"Yonhap"}
    groups = compare.group_facts(docs)
    for seed, kind, value, *_ in NUMBERS:
        g = next(g for g in groups if g.kind == kind and g.value == value)
        assert g.outlets == (seed,) and g.single_source


def test_meeting_place_and_region_divergences(seeds):
    docs, windows = seeds
    divs = {d.slot: d for d in compare.divergences(docs, windows)}
    meeting = divs["meeting place"]
    values = {v: {c.outlet for c in cs} for v, cs in meeting.values}
    assert values["Wladiwostok"] == {"004"}
    (vost,) = [v for v in values if "Wostotschny" in v]
    assert {"000", "002", "003"} <= values[vost]
    assert next(iter(dict(meeting.values))) == "Wladiwostok"  # the earliest value first
    assert meeting.kind == "update"  # 004's forecast, contradicted by the later reports
    region = divs["region of Wostotschny"]
    values = {v: {c.outlet for c in cs} for v, cs in region.values}
    assert values["Sibirien"] == {"003"}
    assert {"001"} <= values["Fernen Osten Russlands"] and values["Amur-Region"] == {"002"}
    assert region.kind == "divergence"
    assert set(divs) == {"meeting place", "region of Wostotschny"}


def test_corroborated_first_trip_since_the_pandemic(seeds):
    docs, windows = seeds
    groups = compare.group_facts(docs, windows)
    both = compare.corroborated(groups)
    first = [g for g in both if g.measures == "first since"]
    assert [(g.text, set(g.outlets)) for g in first] == [("Pandemie", {"000", "001"})]
    assert (
        first[0].outlets[0] == "001"
    )  # 001 (window from 11 Sept) reported it before 000 (13 Sept)
    assert first[0].first_seen is not None and first[0].first_seen.date() == date(2023, 9, 13)
    m = compare.coverage_matrix(docs, groups, windows=windows)
    assert m.outlets[0] == "004" and set(m.outlets) == {"000", "001", "002", "003", "004"}
    row = next(r for r in m.rows if r.label.startswith("first since"))
    assert [bool(c) for c in row.cells] == [o in {"000", "001"} for o in m.outlets]


def test_every_citation_gives_back_its_text(seeds):
    docs, windows = seeds
    texts = {d.id: d.article.text for d in docs}
    facts = {(d.id, f.start, f.end): f.text for d in docs for f in d.facts}
    groups = compare.group_facts(docs, windows)
    cites = [c for g in groups for c in g.citations]
    cites += [c for dv in compare.divergences(docs, windows) for _, cs in dv.values for c in cs]
    cites += [
        c for r in compare.coverage_matrix(docs, groups).rows for cell in r.cells for c in cell
    ]
    assert len(cites) > 30
    for c in cites:
        assert texts[c.article_id][c.start : c.end] == facts[(c.article_id, c.start, c.end)] != ""
