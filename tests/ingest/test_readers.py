"""Feeds, JSONL, sniffing and the rule that a bad input is named and the batch goes on."""

from __future__ import annotations

import dataclasses
import gzip
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from lagebild.errors import Rejection
from lagebild.ingest import read_bytes, read_sources
from lagebild.ingest.feed import parse_feed_date
from lagebild.ingest.sniff import sniff
from lagebild.model import Article

BODY = "Die Stadt Musterhausen hat am Montag ein neues Rathaus eröffnet. " * 6

RSS = f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Musterhausener Bote</title><language>de-DE</language>
<item><title>Neues Rathaus eröffnet</title><link>https://bote.example/rathaus</link>
<pubDate>Mi, 13 Sep 2023 10:00:00 MESZ</pubDate>
<description>Kurz: Das Rathaus ist offen.</description>
<content:encoded xmlns:content="http://purl.org/rss/1.0/modules/content/"><![CDATA[<p>{BODY}</p><p>Zweiter Absatz. (APA/dpa)</p>]]></content:encoded>
<dc:creator xmlns:dc="http://purl.org/dc/elements/1.1/">APA/dpa</dc:creator>
</item>
<item><title>Nur ein Teaser</title><link>https://bote.example/teaser</link>
<pubDate>Thu, 14 Sep 2023 08:30:00 +0200</pubDate>
<description>Der Gemeinderat tagt am Donnerstag.</description></item>
</channel></rss>"""


def test_german_feed_dates() -> None:
    assert parse_feed_date("Mi, 13 Sep 2023 10:00:00 MESZ") == datetime(
        2023, 9, 13, 8, 0, tzinfo=UTC
    )
    assert parse_feed_date("Di, 5. Dez. 2023 10:00 MEZ") == datetime(2023, 12, 5, 9, 0, tzinfo=UTC)
    assert parse_feed_date("Mo, 04 Mär 2024 23:15:00 +0100") == datetime(
        2024, 3, 4, 22, 15, tzinfo=UTC
    )
    assert parse_feed_date("2023-09-13T10:00:00+02:00") == datetime(2023, 9, 13, 8, 0, tzinfo=UTC)
    assert parse_feed_date("irgendwann") is None


def test_feed_entries_full_and_summary_only() -> None:
    items = list(read_bytes(RSS.encode(), "bote.rss"))
    assert [type(x) for x in items] == [Article, Article]
    full, teaser = items
    assert full.outlet == "Musterhausener Bote" and full.format == "rss"
    assert full.published == datetime(2023, 9, 13, 8, 0, tzinfo=UTC)
    assert "neues Rathaus" in full.text and "Zweiter Absatz." in full.text
    assert full.flags == () and full.language == "de"
    assert full.authors == () and full.agencies == ("APA", "dpa")
    assert full.text.endswith("Zweiter Absatz.")
    assert teaser.flags == ("summary-only",)
    assert teaser.published == datetime(2023, 9, 14, 6, 30, tzinfo=UTC)
    assert full.modified is None and teaser.modified is None  # no <updated> given
    assert full.source == "bote.rss#1" and teaser.url == "https://bote.example/teaser"


def test_jsonl_fields_and_bad_lines() -> None:
    lines = [
        json.dumps(
            {
                "title": "A",
                "text": BODY,
                "outlet": "X",
                "published": "2024-01-02T03:04:05Z",
                "lang": "de",
                "authors": ["Eva Beispiel"],
                "agencies": "dpa",
            }
        ),
        "{not json",
        json.dumps({"title": "no text"}),
        json.dumps({"title": "B", "text": BODY, "published": "gestern"}),
    ]
    items = list(read_bytes("\n".join(lines).encode(), "x.jsonl"))
    assert isinstance(items[0], Article)
    assert items[0].authors == ("Eva Beispiel",) and items[0].agencies == ("dpa",)
    assert items[0].published == datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)
    reasons = [x.reason for x in items[1:] if isinstance(x, Rejection)]
    assert len(reasons) == 3
    assert "invalid JSON" in reasons[0] and "'text'" in reasons[1] and "ISO 8601" in reasons[2]
    assert items[1].source == "x.jsonl:2"


ATOM = f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Bote</title>
<entry><title>Erst</title><id>urn:1</id><published>2023-09-13T10:00:00+02:00</published>
<updated>2023-09-14T09:00:00+02:00</updated><content type="html">&lt;p&gt;{BODY}&lt;/p&gt;</content></entry>
<entry><title>Nur aktualisiert</title><id>urn:2</id><updated>2023-09-15T09:00:00Z</updated>
<content type="html">&lt;p&gt;{BODY} Noch ein Satz.&lt;/p&gt;</content></entry>
</feed>"""


def test_atom_updated_is_the_last_update_or_the_only_date() -> None:
    both, only = list(read_bytes(ATOM.encode(), "bote.atom"))
    assert isinstance(both, Article) and isinstance(only, Article)
    assert both.published == datetime(2023, 9, 13, 8, 0, tzinfo=UTC)
    assert both.modified == datetime(2023, 9, 14, 7, 0, tzinfo=UTC)
    assert only.published == datetime(2023, 9, 15, 9, 0, tzinfo=UTC) and only.modified is None


def test_jsonl_modified_and_its_errors() -> None:
    ok = {"title": "A", "text": BODY, "published": "2024-01-02", "modified": "2024-01-03T10:00Z"}
    bad = {"title": "B", "text": BODY, "modified": "morgen"}
    got, rej = read_bytes(f"{json.dumps(ok)}\n{json.dumps(bad)}".encode(), "m.jsonl")
    assert isinstance(got, Article) and got.modified == datetime(2024, 1, 3, 10, 0, tzinfo=UTC)
    assert (
        isinstance(rej, Rejection)
        and "'modified' is not an ISO 8601 or RFC 2822 date" in rej.reason
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Tue, 02 Apr 2019 10:00:00 +0200", datetime(2019, 4, 2, 8, 0, tzinfo=UTC)),
        ("2 Apr 2019 10:00 GMT", datetime(2019, 4, 2, 10, 0, tzinfo=UTC)),
        ("Tue, 02 Apr 2019 10:00:00 -0000", datetime(2019, 4, 2, 10, 0, tzinfo=UTC)),
    ],
)
def test_jsonl_reads_feed_dates_as_feeds_write_them(value: str, expected: datetime) -> None:
    (got,) = read_bytes(
        json.dumps({"title": "A", "text": BODY, "published": value}).encode(), "f.jsonl"
    )
    assert isinstance(got, Article) and got.published == expected


@pytest.mark.parametrize("value", ["Tue, 32 Apr 2019 10:00:00 +0200", "02 Foo 2019 10:00"])
def test_jsonl_an_impossible_feed_date_is_still_an_error(value: str) -> None:
    (rej,) = read_bytes(
        json.dumps({"title": "A", "text": BODY, "published": value}).encode(), "f.jsonl"
    )
    assert isinstance(rej, Rejection) and "RFC 2822" in rej.reason


def test_sniff_by_content() -> None:
    assert sniff(b"WARC/1.0\r\n", "a.bin") == "warc"
    assert sniff(b"<!DOCTYPE html><html>", "a.txt") == "html"
    assert (
        sniff(b'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom">', "a.xml") == "feed"
    )
    assert sniff(b"\x00\x01\x02binary", "a.txt") == "binary"
    assert sniff(b"Titel\n\nText", "a.txt") == "text"


def test_bad_files_are_named_and_batch_goes_on(tmp_path: Path) -> None:
    good = "Ein guter Titel\n\n" + BODY
    (tmp_path / "a_good.txt").write_text(good, encoding="utf-8")
    (tmp_path / "b_empty.txt").write_bytes(b"")
    (tmp_path / "c_binary.txt").write_bytes(bytes(range(256)) * 4)
    (tmp_path / "d_latin1.txt").write_bytes(
        ("Überschrift für Köln\n\n" + BODY.replace("Stadt", "Straße")).encode("latin-1")
    )
    (tmp_path / "e_truncated.txt.gz").write_bytes(gzip.compress(good.encode())[:40])
    items = list(read_sources([tmp_path, tmp_path / "missing.txt"]))
    arts = [x for x in items if isinstance(x, Article)]
    rejs = {Path(x.source).name: x.reason for x in items if isinstance(x, Rejection)}
    assert sorted(Path(a.source).name for a in arts) == ["a_good.txt", "d_latin1.txt"]
    assert rejs["b_empty.txt"] == "empty file"
    assert "binary" in rejs["c_binary.txt"]
    assert "truncated or corrupt gzip" in rejs["e_truncated.txt.gz"]
    assert rejs["missing.txt"] == "no such file or directory"
    latin = next(a for a in arts if a.source.endswith("d_latin1.txt"))
    assert latin.title == "Überschrift für Köln" and "Straße" in latin.text


def test_a_cut_off_feed_keeps_its_entries_and_says_the_rest_is_lost() -> None:
    cut = RSS[: RSS.index("<item><title>Nur ein Teaser")] + "<item><title>Nur ein"
    items = list(read_bytes(cut.encode(), "bote.rss"))
    assert isinstance(items[0], Article) and items[0].title == "Neues Rathaus eröffnet"
    assert isinstance(items[-1], Rejection) and "malformed" in items[-1].reason
    assert [type(x) for x in read_bytes(RSS.encode(), "bote.rss")] == [Article, Article]


def test_a_broken_link_in_a_folder_is_reported(tmp_path: Path) -> None:
    (tmp_path / "gone.txt").symlink_to(tmp_path / "nowhere.txt")
    items = list(read_sources([tmp_path]))
    assert len(items) == 1 and isinstance(items[0], Rejection)
    assert items[0].reason == "broken symbolic link"


def test_utf16_and_utf32_inputs_are_read_as_text() -> None:
    text = "Titel der Meldung\n\n" + "Die Stadt hat am Montag ein neues Rathaus eröffnet. " * 8
    for encoding in ("utf-16", "utf-32"):  # Python writes the byte-order mark for these
        items = list(read_bytes(text.encode(encoding), "meldung.txt"))
        assert isinstance(items[0], Article) and items[0].title == "Titel der Meldung"
        assert "eröffnet" in items[0].text
    page = (
        '<html><head><meta charset="utf-16"><title>Rathaus</title></head><body><article>'
        + "".join(f"<p>Absatz {i}: Die Stadt hat ein Rathaus eröffnet.</p>" for i in range(8))
        + "</article></body></html>"
    )
    items = list(read_bytes(page.encode("utf-16"), "seite.html"))
    assert isinstance(items[0], Article) and "Absatz 3" in items[0].text
    broken = b"\xff\xfe" + "Titel".encode("utf-16-le") + b"\x00"  # odd byte count
    items = list(read_bytes(broken, "kaputt.txt"))
    assert isinstance(items[0], Rejection) and "UTF-16-LE" in items[0].reason


def test_a_feed_entry_keeps_the_feed_with_that_entry_alone_and_reads_again() -> None:
    from lagebild.ingest.reread import reread

    latin = RSS.replace("UTF-8", "ISO-8859-1").encode("latin-1")
    for data in (RSS.encode(), latin):
        items = list(read_bytes(data, "bote.rss"))
        assert len(items) == 2 and all(isinstance(x, Article) for x in items)
        for item in items:
            assert item.raw.count("<item>") == 1 and "<title>Musterhausener Bote" in item.raw
            again = reread(item)
            assert isinstance(again, Article) and again == item
    first, second = items
    assert "Nur ein Teaser" in second.raw and "Neues Rathaus" not in second.raw
    assert "Neues Rathaus" in first.raw and "Nur ein Teaser" not in first.raw


def test_an_entry_stored_with_its_text_only_is_not_reread() -> None:
    from lagebild.ingest.reread import reread

    (item, _) = read_bytes(RSS.encode(), "bote.rss")
    assert isinstance(item, Article)
    assert reread(dataclasses.replace(item, raw="Kurz: Das Rathaus ist offen.")) is None
