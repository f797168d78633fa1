"""The learned author chooser: candidates from every source, features, a deterministic fit."""

from __future__ import annotations

import json

from click.testing import CliRunner

from lagebild.ingest.author_eval import PageCands, fit, score, site_half
from lagebild.ingest.author_model import Candidate, Model, best, features, model
from lagebild.ingest.evaluate import fold_title, norm_title
from lagebild.ingest.html_authors import author_candidates, choose_authors
from lagebild.ingest.html_meta import collect, parse_tree

PAGE = """<html><head><title>Rain in Linz | Nordblatt</title>
<meta name="author" content="{meta}">
<script type="application/ld+json">{{"@type": "NewsArticle", "headline": "Rain in Linz",
 "author": {{"@type": "Person", "name": "{ld}"}}}}</script></head>
<body><article><h1>Rain in Linz</h1><p class="byline">{line}</p>
<p>It rained all day in Linz, and the river rose by two metres overnight.</p></article>
</body></html>"""


def _meta(meta: str = "", ld: str = "", line: str = ""):
    html = PAGE.format(meta=meta, ld=ld, line=line)
    return collect(parse_tree(html), "https://nordblatt.example/rain")


def test_every_source_is_a_candidate_and_junk_is_flagged_not_dropped() -> None:
    cands = author_candidates(
        _meta(meta="Jane Roe", ld="Jane Roe", line="By Jane Roe"), "Webmaster"
    )
    kinds = {c.source: c for c in cands}
    assert {"json-ld", "meta", "class-by", "extra"} <= set(kinds)
    assert "junk" in kinds["extra"].checks and "name" in kinds["json-ld"].checks


def test_agreeing_sources_and_a_visible_name_are_features() -> None:
    meta = _meta(meta="Jane Roe", ld="Jane Roe", line="By Jane Roe")
    cands = author_candidates(meta)
    f = features(cands[0], cands, meta, "")
    assert f["agree>=2"] == 1.0 and f["visible"] == 1.0 and f["src=json-ld"] == 1.0


def test_the_model_takes_the_best_candidate_only_above_its_threshold() -> None:
    m = Model({"src=json-ld": 2.0, "check=junk": -5.0, "bias": -1.0}, 0.5)
    meta = _meta(ld="Jane Roe")
    chosen, p = best(author_candidates(meta, "Webmaster"), meta, "", m)
    assert chosen is not None and chosen.names == ("Jane Roe",) and p > 0.5
    alone, _ = best([Candidate("extra", ("Webmaster",), checks=frozenset({"junk"}))], meta, "", m)
    assert alone is None


def test_the_shipped_model_credits_a_byline_and_invents_nobody() -> None:
    assert model() is not None
    named = choose_authors(_meta(meta="Jane Roe", ld="Jane Roe", line="By Jane Roe"))
    assert named.authors == ("Jane Roe",)
    assert choose_authors(_meta(), "Share on Facebook").authors == ()


def _pages() -> list[PageCands]:
    def page(i: int, gold: str, right: bool) -> PageCands:
        f = {
            "src=json-ld": 1.0,
            "bias": 1.0,
            "agree>=2": float(right),
            "check=junk": float(not right),
        }
        return PageCands(str(i), f"site{i}.example", gold, (f,), (("Jane Roe",),), (right,), ())

    return [page(i, "Jane Roe" if i % 3 else "", bool(i % 3)) for i in range(30)]


def test_the_fit_is_deterministic_and_learns_the_signal() -> None:
    a, b = fit(_pages()), fit(_pages())
    assert a == b
    assert a.weights["agree>=2"] > 0 > a.weights["check=junk"]
    s = score(_pages(), a)
    assert s.hits == s.author_pages and s.invented == 0


def test_sites_fall_in_two_stable_halves() -> None:
    halves = {site_half(f"site{i}.example") for i in range(20)}
    assert halves == {0, 1} and site_half("nordblatt.example") == site_half("nordblatt.example")


def test_title_headline_figure_is_whitespace_only_and_the_folded_one_beside_it() -> None:
    assert norm_title("Kim  trifft   Putin") == "Kim trifft Putin"
    assert norm_title("„Kim“ – Putin") != norm_title('"Kim" - Putin')
    assert fold_title("„Kim“ – Putin") == fold_title('"Kim" - Putin')


def test_eval_extract_json_keeps_zyte_and_wcxb_apart(need) -> None:
    from lagebild.cli import main

    zyte = need("data", "extraction", "zyte-aeb")
    wcxb = need("data", "extraction", "wcxb-dev-articles")
    args = ["eval", "extract", "--zyte", str(zyte), "--wcxb", str(wcxb), "--limit", "2", "--json"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    out = json.loads(result.output.strip().splitlines()[-1])
    assert out["zyte"]["pages"] == 2 and out["wcxb"]["pages"] == 2
    assert "body_f1" in out["zyte"] and "title_exact_folded" in out["wcxb"]


def test_eval_authors_reports_held_out_site_halves_beside_the_anchor(need) -> None:
    from lagebild.cli import main

    wcxb = need("data", "extraction", "wcxb-dev-articles")
    args = ["eval", "authors", "--wcxb", str(wcxb), "--limit", "8", "--no-loso", "--json"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    out = json.loads(result.output.strip().splitlines()[-1])
    halves = [k for k in out if k.startswith("fit half")]
    assert len(halves) == 2 and sum(out[k]["pages"] for k in halves) == 8
    assert "anchor: trafilatura" in result.output


def _cands(body: str, head: str = "") -> dict[str, tuple[str, ...]]:
    html = f"<html><head>{head}</head><body><article>{body}</article></body></html>"
    meta = collect(parse_tree(html), "https://nordblatt.example/rain")
    return {c.source: c.kept for c in author_candidates(meta)}


def test_a_label_then_the_name_in_its_tail_its_next_element_or_list_is_a_candidate() -> None:
    assert _cands("<h1>Rain in Linz</h1><div><strong>Contributors:</strong> Jane Roe</div>") == {
        "marked": ("Jane Roe",)
    }
    assert _cands("<h1>Rain in Linz</h1><h2>Article by</h2><div>Jane Roe</div>")["marked"] == (
        "Jane Roe",
    )
    listed = "<h1>Rain in Linz</h1><h6>Author(s)</h6><ul><li>Jane Roe</li><li>John Doe</li></ul>"
    assert _cands(listed)["marked"] == ("Jane Roe", "John Doe")


def test_the_credit_right_under_the_headline_is_a_candidate_when_no_source_names_it() -> None:
    under = "<h1>Rain in Linz</h1><p>Dec 26, 2025 • Jane Roe in Weather</p><p>It rained.</p>"
    assert _cands(under) == {"title": ("Jane Roe",)}
    labelled = "<h1>Rain in Linz</h1><p>Contributors: Jane Roe Last updated on 17 December</p>"
    assert _cands(labelled) == {"title": ("Jane Roe",)}
    # unlabelled words before a date may be a section ("Home Garden August 23, 2023")
    assert _cands("<h1>Rain in Linz</h1><p>Home Garden August 23, 2023</p><p>It rained.</p>") == {}
    prose = "<h1>Rain in Linz</h1><p>The River Rose by two metres on Monday.</p>"
    assert "title" not in _cands(prose)
    # another source names her already: the text under the headline adds nothing
    assert "title" not in _cands(f"<h1>Rain in Linz</h1><p class='byline'>By Jane Roe</p>{under}")


def test_a_job_title_or_the_outlet_after_the_name_is_no_author() -> None:
    head = '<meta property="og:site_name" content="USA TODAY">'
    assert _cands("<h1>Rain in Linz</h1><p class='author'>Brian Truitt USA TODAY</p>", head)[
        "class"
    ] == ("Brian Truitt",)
    assert _cands("<h1>Rain in Linz</h1><p>By Charles Patterson, WCI Columnist</p>")["line"] == (
        "Charles Patterson",
    )


def test_a_label_in_a_metadata_sidebar_names_the_author_but_not_one_in_a_menu() -> None:
    aside = "<h1>Rain in Linz</h1><aside><h3>Published</h3><p>May 2</p><h3>Author</h3><p>Jane Roe</p></aside>"
    assert _cands(aside)["marked"] == ("Jane Roe",)
    menu = "<h1>Rain in Linz</h1><nav><h3>Author</h3><p>Jane Roe</p></nav>"
    assert "marked" not in _cands(menu)


def test_links_to_each_authors_archive_are_one_candidate_naming_them_all() -> None:
    body = (
        "<h1>Rain in Linz</h1><p>It rained.</p><a href='/a/jr'>More articles from Jane Roe</a>"
        "<button aria-label='All articles by John Doe'><span>All articles by John Doe</span></button>"
    )
    assert _cands(body)["archive"] == ("Jane Roe", "John Doe")
    footer = "<h1>Rain in Linz</h1><footer><a href='/a/jr'>View all posts by Jane Roe</a></footer>"
    assert "archive" not in _cands(footer)


def test_a_byline_element_after_the_headline_outside_the_article_is_a_candidate() -> None:
    html = (
        "<html><body><div class='hero'><h1>Rain in Linz</h1>"
        "<div class='author-name'>Jane Roe | Last updated on 17 December 2025</div></div>"
        "<article><p>It rained all day.</p></article></body></html>"
    )
    meta = collect(parse_tree(html), "https://nordblatt.example/rain")
    assert {c.source: c.kept for c in author_candidates(meta)}["class-out"] == ("Jane Roe",)


def test_avatar_initials_and_a_recipe_label_are_not_part_of_the_name() -> None:
    from lagebild.ingest.html_authors import split_names

    assert split_names("CM | Craig McCarthy | Last updated on 17 December 2025") == [
        "Craig McCarthy"
    ]
    assert split_names("Recipe by Jane Roe") == ["Jane Roe"]
    assert split_names("AP Jane Roe") == ["AP Jane Roe"]  # not her initials: left to the rules


def test_the_outlet_in_the_byline_slot_is_a_desk_candidate_and_stored_as_the_desk() -> None:
    head = '<meta property="og:site_name" content="Nordblatt">'
    html = (
        f"<html><head>{head}</head><body><article><h1>Rain</h1><p class='byline'>By Nordblatt</p>"
    )
    meta = collect(
        parse_tree(html + "<p>It rained.</p></article></body></html>"),
        "https://nordblatt.example/rain",
    )
    desk = {c.source: c for c in author_candidates(meta)}["class-by"]
    assert desk.kept == ("Nordblatt",) and "as-desk" in desk.checks
    m = Model({"check=as-desk": 3.0, "bias": 0.0}, 0.5)
    chosen, _ = best(author_candidates(meta), meta, "", m)
    assert chosen is desk or chosen == desk
    # the same credit only in author metadata is no desk candidate: a CMS fills it in
    only_meta = _meta(meta="Nordblatt")
    assert not any("as-desk" in c.checks for c in author_candidates(only_meta))


def test_a_desk_the_model_chooses_is_stored_as_the_desk_not_as_a_person(monkeypatch) -> None:
    from lagebild.ingest import author_model

    monkeypatch.setattr(author_model, "model", lambda: Model({"check=as-desk": 3.0}, 0.5))
    html = "<html><body><article><h1>Rain</h1><p class='byline'>By News Desk</p><p>It rained.</p>"
    meta = collect(parse_tree(html + "</article></body></html>"), "https://nordblatt.example/rain")
    credits = choose_authors(meta)
    assert credits.source == "desk" and credits.authors == ("News Desk",)


def test_titles_particles_and_arrows_around_names_in_byline_lists() -> None:
    from lagebild.ingest.html_authors import split_names

    body = (
        "<h1>Rain in Linz</h1><p>It rained.</p></article><div class='author-list'>Written by Dr Marna"
        " van der Merwe, Dr Dieter Veldsman, Erik van Vulpen</div><article>"
    )
    html = f"<html><body><div class='hero'>{body}</div></body></html>"
    meta = collect(parse_tree(html), "https://nordblatt.example/rain")
    got = {c.source: c.kept for c in author_candidates(meta)}
    assert got["class-out"] == ("Dr Marna van der Merwe", "Dr Dieter Veldsman", "Erik van Vulpen")
    assert split_names("Jane Roe →") == ["Jane Roe"]  # an archive link: "… posts by Jane Roe →"
    assert split_names("byJane Roe") == ["Jane Roe"]


def test_another_extractors_copy_of_a_name_takes_the_pages_spelling() -> None:
    meta = _meta(line="By Dr. Jane Roe")
    extra = {c.source: c for c in author_candidates(meta, "Dr Jane Roe")}["extra"]
    assert extra.kept == ("Dr. Jane Roe",)
