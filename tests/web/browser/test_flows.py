"""What an analyst does in a real browser: filter the stories, open one, follow a citation
to its highlighted words, search, open an entity, move with the keyboard; no console errors,
screenshots at two widths, no serious accessibility violations."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser


def test_filter_story_citation_lands_on_a_visible_highlight(page, shot):
    page.goto("/")
    assert page.locator("ol.stories > li").count() == 2
    shot(page, "stories")
    # filter by the outlet facet of the strike story: only stories with that outlet remain
    facet = page.locator('[data-facet="entity"] a', has_text="Claus Weselsky")
    facet.click()
    page.wait_for_url(re.compile(r"entity=Claus"))
    items = page.locator("ol.stories > li")
    assert items.count() == 1
    assert page.locator("a.chip").count() == 1
    items.first.locator("a.title").click()
    page.wait_for_url(re.compile(r"/story/[0-9a-f]+$"))
    assert page.locator("nav.toc").is_visible()  # the dossier's section menu
    shot(page, "story")
    cite = page.locator("a.cite").first
    target = cite.get_attribute("href")
    assert target and target.startswith("#")
    cite.click()
    page.wait_for_url(re.compile(re.escape(target) + "$"))
    mark = page.locator(f'[id="{target[1:]}"]')
    assert mark.is_visible()
    assert mark.evaluate("el => el.matches(':target')")
    box = mark.bounding_box()
    assert box is not None and 0 <= box["y"] < page.viewport_size["height"]  # scrolled to it
    colour = mark.evaluate("el => getComputedStyle(el).backgroundColor")
    assert colour not in ("rgba(0, 0, 0, 0)", "transparent")  # highlighted


def test_dossier_menu_and_timeline(page, served):
    page.goto("/api/stories?sort=largest&limit=1")
    story = page.evaluate("() => JSON.parse(document.body.innerText).stories[0].id")
    page.goto(f"/story/{story}")
    page.locator("nav.toc a", has_text="Timeline").click()
    assert page.url.endswith("#timeline")
    assert page.locator("#timeline").is_visible()


def test_search_to_article(page, shot):
    page.goto("/")
    box = page.locator("nav.site input[type=search]")
    box.fill("weselsky")
    box.press("Enter")
    page.wait_for_url(re.compile(r"/search\?q=weselsky"))
    assert "3</b> hits" in page.locator("header.top .meta").inner_html()
    assert page.locator("ol.results mark").first.inner_text() == "Weselsky"
    shot(page, "search")
    page.locator("ol.results li a").first.click()
    page.wait_for_url(re.compile(r"/article/[0-9a-f]+$"))
    assert page.locator("article.doc").is_visible()
    assert page.locator("article.doc a.ent", has_text="Claus Weselsky").count() >= 1
    shot(page, "article")


def test_entity_page_from_a_story_card(page, shot):
    page.goto("/")
    page.locator("ol.stories .ents a", has_text="Claus Weselsky").first.click()
    page.wait_for_url(re.compile(r"/entity/"))
    assert "Claus Weselsky" in page.locator("h1").inner_text()
    shot(page, "entity")
    # a mention's citation lands on its words in the article, highlighted and in view
    page.locator("table.mentions a").first.click()
    page.wait_for_url(re.compile(r"/article/[0-9a-f]+#e-\d+-\d+$"))
    target = page.locator("a.ent:target")
    assert target.count() == 1 and "Weselsky" in target.inner_text()
    box = target.bounding_box()
    assert box is not None and 0 <= box["y"] < page.viewport_size["height"]
    colour = target.evaluate("el => getComputedStyle(el).backgroundColor")
    assert colour not in ("rgba(0, 0, 0, 0)", "transparent")


def test_keyboard_navigation(page):
    page.goto("/")
    page.keyboard.press("j")
    first = page.locator("ol.stories > li").nth(0)
    assert "kbd-current" in (first.get_attribute("class") or "")
    page.keyboard.press("j")
    second = page.locator("ol.stories > li").nth(1)
    assert "kbd-current" in (second.get_attribute("class") or "")
    assert page.evaluate("() => document.activeElement.closest('li') !== null")
    page.keyboard.press("k")
    assert "kbd-current" in (first.get_attribute("class") or "")
    page.keyboard.press("/")
    assert page.evaluate("() => document.activeElement.type") == "search"
    page.keyboard.press("Escape")
    page.keyboard.press("o")
    page.wait_for_url(re.compile(r"/story/[0-9a-f]+$"))
    # the browser's own: Tab reaches the links in order, Enter follows one
    page.goto("/articles")
    for _ in range(2):
        page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.tagName") == "A"


def test_no_serious_accessibility_violations(browser, served, axe_js):
    context = browser.new_context(
        viewport={"width": 1400, "height": 900}, base_url=served.url, bypass_csp=True
    )
    pg = context.new_page()
    pg.goto("/api/stories?sort=largest&limit=1")
    story = pg.evaluate("() => JSON.parse(document.body.innerText).stories[0]")
    found = {}
    for path in (
        "/",
        f"/story/{story['id']}",
        "/search?q=Bahn",
        "/articles",
        "/entities",
        "/entity/Claus%20Weselsky",
    ):
        pg.goto(path)
        pg.add_script_tag(path=str(axe_js))
        result = pg.evaluate(
            "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
            ".map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.length,"
            " target: v.nodes[0].target.join(' ')}))"
        )
        serious = [v for v in result if v["impact"] in ("serious", "critical")]
        if serious:
            found[path] = serious
    context.close()
    assert found == {}, found
