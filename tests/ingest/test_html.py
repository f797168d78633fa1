"""The HTML reader on small pages written for the purpose."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from lagebild.config import Config
from lagebild.errors import Rejection
from lagebild.ingest.html import read_html, read_page
from lagebild.ingest.html_authors import split_names
from lagebild.ingest.html_decode import decode_html
from lagebild.model import Article

BODY = "".join(
    f"<p>Absatz {i}: Die Regierung hat am Mittwoch neue Maßnahmen beschlossen, die nach Angaben "
    f"des Ministeriums bis zum Jahresende gelten sollen und mehrere Bereiche betreffen.</p>"
    for i in range(1, 6)
)


def page(head: str = "", body_top: str = "", body_end: str = "", body: str = BODY) -> bytes:
    return (
        f"<!DOCTYPE html><html lang='de'><head><meta charset='utf-8'>{head}</head><body>"
        f"<header><a href='/'>Home</a></header><main><article>{body_top}{body}{body_end}"
        f"</article></main><footer>Impressum · Datenschutz</footer></body></html>"
    ).encode()


def read(data: bytes, url: str | None = None) -> Article:
    got = read_html(data, "test.html", Config(), url=url)
    assert isinstance(got, Article), got
    return got


def test_json_ld_gives_title_authors_date_and_outlet() -> None:
    head = """<title>Neue Maßnahmen beschlossen | Tagesblatt</title>
    <script type="application/ld+json">{"@context":"https://schema.org","@graph":[
      {"@type":"NewsArticle","headline":"Neue Maßnahmen beschlossen",
       "datePublished":"2023-09-13T10:00:00+02:00",
       "author":[{"@type":"Person","name":"Anna Beispiel"},{"@type":"Person","name":"Jan Muster"}],
       "publisher":{"@type":"Organization","name":"Tagesblatt"}}]}</script>"""
    a = read(page(head, "<h1>Neue Maßnahmen beschlossen</h1>"))
    assert a.title == "Neue Maßnahmen beschlossen"
    assert a.authors == ("Anna Beispiel", "Jan Muster")
    assert a.outlet == "Tagesblatt"
    assert a.published == datetime(2023, 9, 13, 8, 0, tzinfo=UTC)
    assert a.published_source == "json-ld"
    assert a.format == "html"
    assert "\n\n" in a.text and "Absatz 1" in a.text


def test_meta_tags_and_site_name_suffix() -> None:
    head = """<title>Regierung beschließt Paket - Morgenpost</title>
    <meta property="og:site_name" content="Morgenpost">
    <meta property="og:title" content="Regierung beschließt Paket - Morgenpost">
    <meta name="author" content="Petra Probe">
    <meta property="article:published_time" content="2023-09-12">
    <link rel="canonical" href="https://www.morgenpost.example/politik/paket-123.html">"""
    a = read(page(head), url="https://www.morgenpost.example/politik/paket-123.html?utm=x")
    assert a.title == "Regierung beschließt Paket"
    assert a.authors == ("Petra Probe",)
    assert a.url == "https://www.morgenpost.example/politik/paket-123.html"
    assert a.published is not None and a.published.date() == date(2023, 9, 12)
    assert a.published_source == "meta"


def test_site_prefix_with_colon_is_stripped() -> None:
    head = "<title>Morgenpost: Regierung beschließt großes Paket</title><meta property='og:site_name' content='Morgenpost'>"
    assert read(page(head)).title == "Regierung beschließt großes Paket"


def test_byline_with_agency_and_credit_at_end() -> None:
    head = "<title>Gipfel in Wladiwostok</title>"
    top = "<h1>Gipfel in Wladiwostok</h1><p class='byline'>Von Max Mustermann und dpa</p>"
    a = read(page(head, top, "<p>(nak/dpa)</p>"))
    assert a.authors == ("Max Mustermann",)
    assert a.agencies == ("dpa",)
    assert not a.text.rstrip().endswith("(nak/dpa)")
    assert any(r.reason == "agency-credit" for r in a.removed)


def test_junk_authors_are_rejected_and_agencies_moved() -> None:
    head = """<title>Ein Titel über etwas</title><meta property="og:site_name" content="Tagesblatt">
    <script type="application/ld+json">{"@type":"NewsArticle","headline":"Ein Titel über etwas",
    "author":[{"name":"Tagesblatt"},{"name":"Redaktion"},{"name":"Reuters"},{"name":"https://x.example/a"}]}
    </script>"""
    a = read(page(head))
    assert a.authors == ()
    assert a.agencies == ("Reuters",)


def test_no_author_means_no_author() -> None:
    a = read(
        page("<title>Ohne Autor</title>", "<h1>Ohne Autor</h1><p class='teaser'>Ein Teaser.</p>")
    )
    assert a.authors == ()


def test_date_from_url_when_markup_has_none() -> None:
    a = read(
        page("<title>Datum in der Adresse</title>"), url="https://news.example/2023/09/13/gipfel"
    )
    assert a.published == datetime(2023, 9, 13, tzinfo=UTC)
    assert a.published_source == "url"


def test_figcaption_becomes_caption() -> None:
    fig = "<figure><img src='x.jpg'><figcaption>Kim Jong-un und Wladimir Putin. Foto: AFP</figcaption></figure>"
    a = read(page("<title>Bildtext</title>", fig))
    assert a.captions == ("Kim Jong-un und Wladimir Putin. Foto: AFP",)
    assert "Foto: AFP" not in a.text


def test_local_day_is_kept_beside_utc() -> None:
    head = '<title>Spät</title><meta property="article:published_time" content="2023-09-13T00:30:00+02:00">'
    got = read_page(page(head), "t.html", Config())
    assert not isinstance(got, Rejection)
    assert got.local_day == date(2023, 9, 13)
    assert got.article.published == datetime(2023, 9, 12, 22, 30, tzinfo=UTC)


def test_page_without_article_text_is_rejected() -> None:
    got = read_html(
        b"<html><head><title>Leer</title></head><body><nav>Menu</nav></body></html>",
        "e.html",
        Config(),
    )
    assert isinstance(got, Rejection)
    assert got.stage == "ingest" and "no article text" in got.reason


def test_decoding_declared_latin1_and_utf8_fallback() -> None:
    latin = "<html><head><meta charset='iso-8859-1'></head><body>Grüße</body></html>".encode(
        "latin-1"
    )
    assert "Grüße" in decode_html(latin)
    lying = "<html><head><meta charset='iso-8859-1'></head><body>Grüße</body></html>".encode()
    assert "Grüße" in decode_html(lying)
    assert "Grüße" in decode_html(b"\xef\xbb\xbf" + "Grüße".encode())


@pytest.mark.parametrize(
    ("raw", "names"),
    [
        ("By Jane Doe and John Roe", ["Jane Doe", "John Roe"]),
        ("Von: Nail Akkoyun", ["Nail Akkoyun"]),
        ("Dylan Bailey, MS, RD", ["Dylan Bailey, MS, RD"]),
        ("Luke KimDecember 17, 2025", ["Luke Kim"]),
        ("Written by Jane Doe | March 3, 2024", ["Jane Doe"]),
        ("Reviewed by Dr. Who", []),
    ],
)
def test_split_names(raw: str, names: list[str]) -> None:
    assert split_names(raw) == names


def _credits(top: str, head: str = "", end: str = "") -> tuple[str, ...]:
    from lagebild.ingest.html_authors import choose_authors
    from lagebild.ingest.html_meta import collect, parse_tree

    tree = parse_tree(
        f"<html><head>{head}</head><body>{top}<main><p>Text.</p>{end}</main></body></html>"
    )
    return choose_authors(collect(tree)).authors


def test_visible_by_lines_are_bylines() -> None:
    assert _credits("<h1>T</h1><p>By <a href='/p/x'>Sofia Gonzalez</a></p>") == ("Sofia Gonzalez",)
    assert _credits("<h1>T</h1><div><span>By</span><span>Daryl Austin</span></div>") == (
        "Daryl Austin",
    )
    assert _credits("<h1>T</h1><p>By <!-- -->Preetam Jinka</p>") == ("Preetam Jinka",)
    assert _credits("<h1>T</h1><p>Posted by David Bau at December 16, 2025 11:15 AM</p>") == (
        "David Bau",
    )


def test_by_prose_and_menus_are_not_bylines() -> None:
    assert (
        _credits("<h1>T</h1><p>By providing your e-mail, you agree to our Privacy Policy.</p>")
        == ()
    )
    assert _credits("<nav><a>By State</a></nav><h1>T</h1>") == ()
    assert _credits("<ul><li>By Style</li></ul><h1>T</h1>") == ()


def test_name_and_job_title_in_separate_blocks_stay_apart() -> None:
    from lagebild.ingest.html_meta import block_text, parse_tree

    tree = parse_tree(
        "<html><body><div><p>Meghan Neville</p><p>Content Marketing Coordinator</p></div></body></html>"
    )
    assert block_text(tree.find(".//div")) == "Meghan Neville | Content Marketing Coordinator"


def test_analytics_script_authors_are_collected() -> None:
    from lagebild.ingest.html_meta import collect, parse_tree

    script = "<script>dataLayer.push({'section': 'food', 'authors': 'Sofia Gonzalez'});</script>"
    tree = parse_tree(f"<html><head>{script}</head><body><p>x</p></body></html>")
    assert collect(tree).script_authors == ("Sofia Gonzalez",)


def test_generic_date_equal_to_modification_time_is_not_the_publication() -> None:
    head = """<meta property="og:updated_time" content="2024-07-05T14:20:08-04:00">
    <meta name="dc.date" content="2024-07-05T14:20:08Z">"""
    body_top = "<h1>T</h1><time datetime='2024-03-01'>March 1, 2024</time>"
    got = read_page(page(head, body_top), "t.html")
    assert not isinstance(got, Rejection)
    assert got.local_day == date(2024, 3, 1)


_OUTLET_HEAD = (
    "<meta property='og:site_name' content='Gartenblatt'>"
    '<script type=\'application/ld+json\'>{"@type":"BlogPosting","headline":"T",'
    '"author":{"@type":"Organization","name":"Gartenblatt"}}</script>'
)


def test_outlet_credited_on_purpose_and_by_nobody_else_is_the_author() -> None:
    # JSON-LD names the outlet and the visible byline repeats it: the page says who wrote it.
    assert _credits("<h1>T</h1><div class='post-author'>Gartenblatt</div>", _OUTLET_HEAD) == (
        "Gartenblatt",
    )
    assert _credits("<h1>T</h1><p>By News Desk</p>") == ("News Desk",)
    # One structured field alone is often the publisher filled in by the CMS: not enough.
    assert _credits("<h1>T</h1>", _OUTLET_HEAD) == ()
    # A person named anywhere wins over the outlet.
    assert _credits("<h1>T</h1><p>By Jane Roe</p>", _OUTLET_HEAD) == ("Jane Roe",)


def test_job_titles_and_reviewers_are_not_part_of_the_byline() -> None:
    assert _credits("<h1>T</h1><p>By Meghan Neville Content Marketing Coordinator</p>") == (
        "Meghan Neville",
    )
    assert _credits(
        "<h1>T</h1><div class='byline'>By Shelby Loos, DVM. Reviewed by Molly Price, DVM</div>"
    ) == ("Shelby Loos, DVM",)
    # Author links beside the "By" line: only those it names (the other is a reviewer).
    links = "<a href='/author/jane-roe/'>Jane Roe</a><a href='/author/john-doe/'>John Doe</a>"
    assert _credits(f"<h1>T</h1><article><p>By Jane Roe · Senior Editor</p>{links}</article>") == (
        "Jane Roe",
    )


def test_single_first_names_are_not_weekdays() -> None:
    assert _credits("<h1>T</h1>", "<meta name='author' content='Sarah'>") == ("Sarah",)
    assert _credits("<h1>T</h1>", "<meta name='author' content='Fri'>") == ()


def test_date_under_the_headline_when_markup_has_none() -> None:
    body_top = "<h1>Ein Titel</h1><p class='meta'>Von Max Muster · Published: January 3, 2024</p>"
    got = read_page(page("<title>Ein Titel</title>", body_top), "t.html")
    assert not isinstance(got, Rejection)
    assert got.local_day == date(2024, 1, 3)
    assert got.article.published_source == "headline"


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("By X 12.12.2025", [date(2025, 12, 12)]),
        ("am 3. März 2024 um", [date(2024, 3, 3)]),
        ("Dec. 19, 2025 · Niko", [date(2025, 12, 19)]),
        ("03/10/2023 by", []),  # 3 October or 10 March: the page does not say
        ("31/12/2023", [date(2023, 12, 31)]),
    ],
)
def test_text_dates(text: str, days: list[date]) -> None:
    from lagebild.ingest.html_dates import text_dates

    assert text_dates(text) == days


def test_desk_and_job_title_examples() -> None:
    from lagebild.ingest import rules
    from lagebild.ingest.html_authors import _cut_job_title, _desk

    desks = rules.examples("desk_credits.txt")
    assert len(desks) >= 3
    for lang, text, kind in desks:
        assert kind == "desk" and _desk(text, set()), (lang, text)
    for lang, text, kind in rules.examples("job_words.txt"):
        assert kind == "cut" and _cut_job_title(text) != text, (lang, text)
    assert _cut_job_title("Jane Roe") == "Jane Roe"
    assert not _desk("Jane Roe", set())


def test_handle_alone_in_a_by_line_is_the_author() -> None:
    assert _credits("<h1>Ein Titel hier</h1><p>by jsteinhardt</p>") == ("jsteinhardt",)
    assert _credits("<h1>Ein Titel hier</h1><p>by email</p>") == ()


def test_redaktion_is_never_the_author() -> None:
    head = "<meta name='author' content='Redaktion'>"
    assert _credits("<h1>Ein Titel hier</h1><p>Von Redaktion</p>", head) == ()


def test_an_outlet_called_the_something_is_not_a_person() -> None:
    head = (
        '<script type=\'application/ld+json\'>{"@type":"NewsArticle","headline":"T",'
        '"publisher":{"@type":"Organization","name":"The Daily Example"},'
        '"author":[{"name":"Jane Roe"},{"name":"John Doe"},{"name":"The Daily Example"}]}'
        "</script>"
    )
    assert _credits("<h1>T</h1>", head) == ("Jane Roe", "John Doe")
    # Named alone by one structured field, the outlet is not taken either.
    alone = head.replace('{"name":"Jane Roe"},{"name":"John Doe"},', "")
    assert "Jane Roe" not in alone
    assert _credits("<h1>T</h1>", alone) == ()


def test_headline_and_kicker_are_not_body_text_but_kept_as_removed() -> None:
    head = "<title>Neue Maßnahmen beschlossen | Tagesblatt</title>"
    top = "<p class='kicker'>Regierung</p><h1>Neue Maßnahmen beschlossen</h1>"
    art = read(page(head, top))
    assert art.text.startswith("Absatz 1:")
    assert [(r.text, r.reason) for r in art.removed][:2] == [
        ("Regierung", "kicker"),
        ("Neue Maßnahmen beschlossen", "headline"),
    ]
    long_top = "<p>Ein ganzer Satz mit einem Punkt am Ende.</p><h1>Neue Maßnahmen beschlossen</h1>"
    kept = read(page(head, long_top))
    assert kept.text.startswith("Ein ganzer Satz")  # a sentence above it: not a kicker, leave it


def test_a_desk_byline_is_the_articles_desk_not_an_author() -> None:
    art = read(
        page("<title>Neue Maßnahmen beschlossen</title>", "<p class='byline'>By News Desk</p>")
    )
    assert art.authors == () and art.desk == "News Desk"
    assert art.byline == "News Desk (desk)"
    person = read(page("", "<p class='byline'>By Jane Roe</p>"))
    assert person.authors == ("Jane Roe",) and person.desk is None


def test_last_update_is_kept_beside_the_publication() -> None:
    ld = (
        '<script type="application/ld+json">{"@type":"NewsArticle","headline":"T",'
        '"datePublished":"2025-09-01T08:00:00+02:00","dateModified":"2025-09-04T10:30:00+02:00"}'
        "</script>"
    )
    got = read_page(page(ld), "t.html")
    assert not isinstance(got, Rejection)
    assert got.local_day == date(2025, 9, 1) and got.modified_day == date(2025, 9, 4)
    assert got.article.modified == datetime(2025, 9, 4, 8, 30, tzinfo=UTC)


def test_update_printed_under_the_headline() -> None:
    head = "<meta property='article:published_time' content='2025-11-02T09:00:00Z'>"
    top = "<h1>T</h1><p class='meta'>Von Eva Beispiel · Aktualisiert am 6. November 2025</p>"
    got = read_page(page(head, top), "t.html")
    assert not isinstance(got, Rejection)
    assert got.local_day == date(2025, 11, 2) and got.modified_day == date(2025, 11, 6)


def test_update_labels_under_the_headline() -> None:
    from lagebild.ingest.html_dates import _updated_in_text

    assert _updated_in_text("Stand: 13.09.2023 10:00 Uhr") == ["2023-09-13"]
    assert _updated_in_text("Updated on March 3, 2024") == ["2024-03-03"]
    assert _updated_in_text("We stand with them since 13.09.2023") == []  # no label


def test_a_modification_no_later_than_the_publication_is_no_update() -> None:
    head = (
        "<meta property='article:published_time' content='2025-11-02T09:00:00Z'>"
        "<meta property='article:modified_time' content='2025-11-02T09:00:00Z'>"
    )
    got = read_page(page(head), "t.html")
    assert not isinstance(got, Rejection)
    assert got.article.modified is None and got.modified_day is None
