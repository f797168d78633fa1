"""URLs go through a Fetcher (faked here: tests never touch the network); WARC records too."""

from __future__ import annotations

import gzip
import io
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from lagebild.errors import IngestError, Rejection
from lagebild.ingest import read_bytes, read_sources
from lagebild.ingest.fetch import Response
from lagebild.model import Article

PARAS = "".join(
    f"<p>Absatz {i}: Die Stadt Musterhausen hat am Montag ein neues Rathaus eröffnet, "
    "das nach Angaben der Verwaltung rund zwölf Millionen Euro gekostet hat.</p>"
    for i in range(6)
)
PAGE = (
    "<html><head><title>Neues Rathaus eröffnet | Bote</title>"
    '<meta property="og:site_name" content="Musterhausener Bote">'
    '<meta property="article:published_time" content="2024-05-06T10:00:00+02:00"></head>'
    f"<body><article><h1>Neues Rathaus eröffnet</h1>{PARAS}</article></body></html>"
)
RSS = (
    '<?xml version="1.0"?><rss version="2.0"><channel><title>Bote</title>'
    "<item><title>Kurz</title><link>https://bote.example/k</link>"
    "<description>Der Gemeinderat tagt.</description></item></channel></rss>"
)


class FakeFetcher:
    def __init__(self, pages: dict[str, bytes]) -> None:
        self.pages = pages

    def fetch(self, url: str) -> Response:
        if url not in self.pages:
            raise IngestError(url, "HTTP 404 Not Found")
        return Response(url, self.pages[url])


def test_urls_use_the_fetcher() -> None:
    fetcher = FakeFetcher(
        {"https://bote.example/feed": RSS.encode(), "https://bote.example/a": PAGE.encode()}
    )
    items = list(
        read_sources(
            ["https://bote.example/feed", "https://bote.example/a", "https://bote.example/x"],
            fetcher=fetcher,
        )
    )
    assert isinstance(items[0], Article) and items[0].flags == ("summary-only",)
    assert isinstance(items[1], Article) and items[1].url == "https://bote.example/a"
    assert isinstance(items[2], Rejection) and items[2].reason == "HTTP 404 Not Found"


def _warc(records: list[tuple[str, str, bytes]]) -> bytes:
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=True)
    for url, ctype, body in records:
        headers = StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.1")
        writer.write_record(
            writer.create_warc_record(
                url, "response", payload=io.BytesIO(body), http_headers=headers
            )
        )
    return buf.getvalue()


def test_warc_html_responses_only(tmp_path: Path) -> None:
    data = _warc(
        [
            ("https://bote.example/a", "text/html; charset=utf-8", PAGE.encode()),
            ("https://bote.example/logo.png", "image/png", b"\x89PNG...."),
        ]
    )
    path = tmp_path / "cc-news.warc.gz"
    path.write_bytes(data)
    items = list(read_sources([path]))
    assert len(items) == 1 and isinstance(items[0], Article)
    assert items[0].url == "https://bote.example/a" and items[0].source.endswith(
        "#https://bote.example/a"
    )


def test_truncated_warc_is_rejected_after_good_records() -> None:
    data = _warc([("https://bote.example/a", "text/html", PAGE.encode())] * 1)
    data2 = _warc(
        [("https://bote.example/b", "text/html", PAGE.replace("Rathaus", "Schwimmbad").encode())]
    )
    items = list(read_bytes(data + data2[: len(data2) // 2], "x.warc.gz"))
    assert isinstance(items[0], Article)
    assert isinstance(items[-1], Rejection) and "WARC" in items[-1].reason


def test_gzip_wrapped_text_dump() -> None:
    text = "Titel der Meldung\n\n" + "Die Stadt hat am Montag ein neues Rathaus eröffnet. " * 8
    items = list(read_bytes(gzip.compress(text.encode()), "meldung.txt.gz"))
    assert isinstance(items[0], Article) and items[0].title == "Titel der Meldung"


def test_a_malformed_warc_record_is_reported_and_the_batch_goes_on(tmp_path: Path) -> None:
    good = _warc([("https://bote.example/a", "text/html", PAGE.encode())])
    # a response record without WARC-Target-URI: warcio's header parser fails on it
    bad = b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 4\r\n\r\nxxxx\r\n\r\n"
    (tmp_path / "a.warc.gz").write_bytes(good + gzip.compress(bad))
    (tmp_path / "b.warc").write_bytes(bad)
    (tmp_path / "c.html").write_bytes(PAGE.encode())
    items = list(read_sources([tmp_path]))
    kinds = [(Path(x.source.split("#")[0]).name, type(x).__name__) for x in items]
    assert kinds == [
        ("a.warc.gz", "Article"),
        ("a.warc.gz", "Rejection"),
        ("b.warc", "Rejection"),
        ("c.html", "Article"),
    ]
    assert all("malformed WARC record" in x.reason for x in items if isinstance(x, Rejection))


def test_a_reader_failure_becomes_a_rejection(monkeypatch) -> None:
    import lagebild.ingest.html as html

    def broken(*args: object, **kwargs: object) -> Article:
        raise RuntimeError("boom")

    monkeypatch.setattr(html, "read_html", broken)
    items = list(read_bytes(PAGE.encode(), "page.html"))
    assert len(items) == 1 and isinstance(items[0], Rejection)
    assert "RuntimeError" in items[0].reason and items[0].source == "page.html"
