"""The learned publication-date chooser: every stated date a candidate, one row per day."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

from click.testing import CliRunner

from lagebild.ingest.date_eval import PageDates, fit, score
from lagebild.ingest.date_model import DateCandidate, best, candidates, choose_published, dateline
from lagebild.ingest.html_meta import collect, parse_tree

PAGE = """<html><head><title>Rain in Linz</title>{head}</head>
<body><article><h1>Rain in Linz</h1><p class="byline">{line}</p>
<p>It rained all day in Linz, and the river rose by two metres overnight.</p></article>
</body></html>"""


def _meta(head: str = "", line: str = "", url: str = "https://nordblatt.example/rain"):
    return collect(parse_tree(PAGE.format(head=head, line=line)), url)


def test_a_dateline_date_takes_the_role_of_the_label_right_before_it() -> None:
    got = dateline("By Claire Wilson, Published Apr 26, 2023 Updated Aug 21, 2025 · 15 min")
    assert got == [("published", date(2023, 4, 26)), ("modified", date(2025, 8, 21))]
    assert dateline("Aktualisiert am 3. Mai 2024, 14 Uhr") == [("modified", date(2024, 5, 3))]
    assert dateline("Jane Roe · January 3, 2024") == [("generic", date(2024, 1, 3))]


def test_every_stated_date_is_a_candidate_with_its_source_and_label() -> None:
    head = (
        '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Rain",'
        ' "datePublished": "2024-03-01T08:00:00Z", "dateModified": "2024-05-02T09:00:00Z"}</script>'
    )
    meta = _meta(head, "Updated May 2, 2024", "https://nordblatt.example/2024/03/01/rain")
    got = {(c.source, c.role, c.local_day) for c in candidates(meta)}
    assert ("json-ld", "published", date(2024, 3, 1)) in got
    assert ("json-ld", "modified", date(2024, 5, 2)) in got
    assert ("url", "generic", date(2024, 3, 1)) in got
    assert ("headline", "modified", date(2024, 5, 2)) in got


def test_the_shipped_model_takes_the_day_the_sources_agree_on() -> None:
    head = (
        '<meta property="article:published_time" content="2024-03-01T08:00:00+01:00">'
        '<meta property="article:modified_time" content="2024-06-20T10:00:00+02:00">'
    )
    meta = _meta(head, "Jane Roe · 1. März 2024", "https://nordblatt.example/2024/03/01/rain")
    got = choose_published(meta)
    assert got is not None and got.local_day == date(2024, 3, 1)
    assert got.when == datetime(2024, 3, 1, 7, 0, tzinfo=UTC)  # the instant, not the bare day
    assert choose_published(_meta()) is None


def _page(site: str, published: date, modified: date) -> PageDates:
    def cand(d: date, source: str, role: str) -> DateCandidate:
        return DateCandidate(datetime(d.year, d.month, d.day, tzinfo=UTC), d, source, role, False)

    cands = (cand(modified, "json-ld", "modified"), cand(published, "meta", "published"))
    return PageDates(site, site, published.isoformat(), cands, None, modified)


def test_the_fit_is_deterministic_and_learns_which_label_is_the_publication() -> None:
    pages = [_page(f"s{i}.example", date(2024, 1, 1 + i), date(2024, 2, 1 + i)) for i in range(12)]
    m1, m2 = fit(pages), fit(pages)
    assert m1.weights == m2.weights
    assert score(pages, m1) == {"pages": 12, "date_day": 1.0, "rules_date_day": 0.0}
    assert best(pages[0].cands, m1).role == "published"


def test_eval_dates_reports_held_out_site_halves_beside_the_rules_and_anchor(need) -> None:
    from lagebild.cli import main

    wcxb = need("data", "extraction", "wcxb-dev-articles")
    args = ["eval", "dates", "--wcxb", str(wcxb), "--limit", "10", "--no-loso", "--json"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    out = json.loads(result.output.strip().splitlines()[-1])
    halves = [k for k in out if k.startswith("fit half")]
    assert len(halves) == 2 and all("rules_date_day" in out[k] for k in halves)
    assert "anchor: trafilatura" in result.output
