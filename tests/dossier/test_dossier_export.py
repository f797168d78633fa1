"""Dossier assembly and the three exports (JSON, HTML, Markdown)."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

from lagebild.dossier import build_bundle, build_dossier, dossier_dict, render_html, render_markdown
from lagebild.dossier.export_json import SCHEMA
from lagebild.dossier.marks import marked_text
from lagebild.dossier.verify import citation_problems, json_citation_problems
from lagebild.model import SCHEMA_VERSION, Dossier

SECTION_KEYS = (
    "story", "headline", "articles", "date_windows", "summary", "timeline", "statements",
    "facts", "divergences", "corroborated", "entities", "schema_version",
    "coverage_matrix", "coverage_over_time",
)  # fmt: skip


class _Collect(HTMLParser):
    """Ids, fragment links and open/close balance of the tags that matter here."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.links: list[str] = []
        self.depth = {"mark": 0, "section": 0, "svg": 0}

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.add(a["id"])
        if "href" in a:
            self.links.append(a["href"])
        if tag in self.depth:
            self.depth[tag] += 1

    def handle_endtag(self, tag):
        if tag in self.depth:
            self.depth[tag] -= 1


def test_build_dossier_is_complete_and_cited(flood):
    story, docs = flood
    d = build_dossier(story, docs)
    assert isinstance(d, Dossier)
    assert d.headline == docs[0].article.title
    assert len(d.articles) == len(docs)
    assert d.summary
    assert citation_problems(d) == []


def test_build_bundle_counts_copies_once(flood):
    story, docs = flood
    bundle = build_bundle(story, docs)
    assert sum(day.articles for day in bundle.series) == len(story.original_ids)
    assert [day.date.isoformat() for day in bundle.series] == ["2024-06-03", "2024-06-04"]


def test_json_has_every_section_and_the_schema(full_bundle):
    data = json.loads(json.dumps(dossier_dict(full_bundle)))
    assert data["schema"] == SCHEMA == "lagebild.dossier/1"
    assert data["schema_version"] == SCHEMA_VERSION
    for key in SECTION_KEYS:
        assert key in data, key
    assert all("raw" not in a for a in data["articles"])
    assert [a["copy_of"] is not None for a in data["articles"]].count(True) == 1
    assert data["coverage_matrix"]["outlets"]
    assert json_citation_problems(data) == []
    assert citation_problems(full_bundle.dossier) == []


def test_html_is_self_contained_and_every_citation_lands(full_bundle):
    page = render_html(full_bundle)
    assert "<svg" in page
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", page)
    assert not re.search(r"<(?:script|link|iframe|img)\b", page)
    assert "@import" not in page and "url(" not in page
    parser = _Collect()
    parser.feed(page)
    assert all(v == 0 for v in parser.depth.values()), parser.depth
    fragments = [h[1:] for h in parser.links if h.startswith("#")]
    assert fragments
    assert all(f in parser.ids for f in fragments), [f for f in fragments if f not in parser.ids]
    for line in full_bundle.dossier.summary:
        c = line.citation
        assert f'href="#m-{c.article_id}-{c.start}-{c.end}"' in page
    assert len(page.encode()) < 2_000_000


def test_html_escapes_text(full_bundle):
    page = render_html(full_bundle)
    assert "Schulen &lt;bleiben&gt; geschlossen" in page
    assert "Schulen <bleiben>" not in page


def test_markdown_has_every_section_and_citation_form(full_bundle):
    md = render_markdown(full_bundle)
    for heading in (
        "## Key facts", "## Summary", "## Timeline", "## Who said what", "## Facts and numbers",
        "## Agreement, divergence, single source", "## Entities", "## Articles",
        "## Coverage over time", "## Coverage matrix",
    ):  # fmt: skip
        assert heading in md, heading
    first = full_bundle.dossier.summary[0].citation
    assert f"[{first.outlet}, {first.article_id}:{first.start}-{first.end}]" in md
    assert "single source" in md
    assert "inferred" in md
    counts = re.findall(r"\) — (\d+) (articles?);", md)
    assert counts and all((n == "1") == (word == "article") for n, word in counts), counts


def test_marks_nest_and_cross_without_breaking_html():
    text = "Alpha beta gamma delta epsilon."
    html = marked_text("a1", text, [(0, 16), (6, 10), (11, 22), (0, 31), (40, 50)])
    assert html.count("<mark") == html.count("</mark>")
    assert re.sub(r"<[^>]+>", "", html) == text
    for s, e in [(0, 16), (6, 10), (11, 22), (0, 31)]:
        assert f'id="m-a1-{s}-{e}"' in html
    excerpt = marked_text("a1", "one\ntwo cited\nthree", [(4, 7)], excerpt=True)
    assert "one" not in excerpt and "two" in excerpt
