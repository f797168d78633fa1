"""Hostile and broken inputs: bounded, reported, and never a reason to lose the good parts.

Sniffing keeps a readable file with one stray NUL byte; a cut-off WARC says what it lost;
a gzip bomb is stopped early; a huge document is refused; a long article is cut, flagged.
"""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from lagebild.config import Config
from lagebild.errors import Rejection
from lagebild.ingest import read_bytes, read_file
from lagebild.ingest.limits import FLAG, cut
from lagebild.ingest.stream import CappedGzip
from lagebild.model import Article

BODY = "Die Stadt Musterhausen hat am Montag ein neues Rathaus eröffnet. " * 6


def _articles(items: list) -> list[Article]:
    return [x for x in items if isinstance(x, Article)]


def _rejections(items: list) -> list[Rejection]:
    return [x for x in items if isinstance(x, Rejection)]


def test_one_nul_byte_does_not_reject_a_readable_jsonl_file(tmp_path: Path) -> None:
    lines = [
        json.dumps({"title": f"Artikel {i}", "text": BODY + f" Nummer {i}."}) for i in range(30)
    ]
    lines[2] = lines[2][:20] + "\x00" + lines[2][20:]  # a raw NUL inside line 3
    path = tmp_path / "export.jsonl"
    path.write_bytes("\n".join(lines).encode())
    items = list(read_file(path))
    assert len(_articles(items)) == 29
    (rej,) = _rejections(items)
    assert rej.source == f"{path}:3" and "invalid JSON" in rej.reason


def test_binary_files_are_still_binary() -> None:
    from lagebild.ingest.sniff import sniff

    assert sniff(bytes(range(256)) * 40, "x.bin") == "binary"
    assert sniff("Titel\n\nText".encode("utf-16-le"), "x.txt") == "binary"  # no BOM: half NULs


def _warc(n: int, *, gzip_records: bool = True) -> bytes:
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=gzip_records)
    for i in range(n):
        page = (
            f"<html><head><title>Artikel {i}</title></head><body><article><h1>Artikel {i}</h1>"
            f"<p>{BODY}</p><p>Nummer {i}.</p></article></body></html>"
        ).encode()
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        writer.write_record(
            writer.create_warc_record(
                f"https://x.example/{i}", "response", payload=io.BytesIO(page), http_headers=headers
            )
        )
    return buf.getvalue()


@pytest.mark.parametrize("share", [0.3, 0.55, 0.77])
def test_a_truncated_warc_gz_reports_what_was_lost(share: float) -> None:
    data = _warc(20)
    items = list(read_bytes(data[: int(len(data) * share)], "cut.warc.gz"))
    arts, rejs = _articles(items), _rejections(items)
    assert 0 < len(arts) < 20
    assert all(a.text.endswith(f"Nummer {a.title.split()[-1]}.") for a in arts)  # none half-read
    assert rejs, "a cut-off WARC must not lose records silently"
    last = rejs[-1]
    assert last.source == "cut.warc.gz" and "ends early" in last.reason
    assert "offset" in last.reason and "record" in last.reason


def test_a_truncated_plain_warc_rejects_the_cut_record() -> None:
    data = _warc(6, gzip_records=False)
    items = list(read_bytes(data[: len(data) - 600], "cut.warc"))
    assert len(_articles(items)) == 5
    assert any("cut off" in r.reason or "ends early" in r.reason for r in _rejections(items))


def test_a_warc_gzipped_whole_is_read_too() -> None:
    data = gzip.compress(_warc(4, gzip_records=False))
    assert len(_articles(list(read_bytes(data, "whole.warc.gz")))) == 4


def test_a_gzip_bomb_is_stopped_after_its_head(tmp_path: Path) -> None:
    bomb = tmp_path / "zeros.txt.gz"
    bomb.write_bytes(gzip.compress(b"\0" * 200_000_000, compresslevel=9))
    (rej,) = list(read_file(bomb))
    assert isinstance(rej, Rejection) and "binary" in rej.reason


def test_a_gzip_of_text_that_expands_too_far_is_refused() -> None:
    config = Config.load(ingest={"max_decompressed_bytes": 2_000_000})
    data = gzip.compress(("Zeile mit Text.\n" * 400_000).encode())
    (rej,) = list(read_bytes(data, "big.txt.gz", config))
    assert "larger than" in rej.reason or "expands to more than 2 MB" in rej.reason


def test_the_expansion_ratio_is_bounded() -> None:
    raw = io.BytesIO(gzip.compress(b"a" * 3_000_000, compresslevel=9))
    stream = CappedGzip(raw, "a.gz", limit=10**12, ratio=50)
    import lagebild.ingest.stream as stream_mod

    old = stream_mod.RATIO_AFTER
    stream_mod.RATIO_AFTER = 100_000
    try:
        with pytest.raises(Exception, match="expands more than 50 times"):
            while stream.read(65536):
                pass
    finally:
        stream_mod.RATIO_AFTER = old


def test_a_document_larger_than_the_limit_is_refused(tmp_path: Path) -> None:
    config = Config.load(ingest={"max_document_bytes": 100_000})
    big = tmp_path / "huge.txt"
    big.write_text("Titel\n\n" + BODY * 2000, encoding="utf-8")
    (rej,) = list(read_file(big, config))
    assert "text file larger than 0.1 MB" in rej.reason and "max_document_bytes" in rej.reason
    (rej,) = list(read_bytes(gzip.compress(big.read_bytes()), "huge.txt.gz", config))
    assert "larger than 0.1 MB" in rej.reason


def test_a_jsonl_line_larger_than_the_limit_is_one_rejection() -> None:
    config = Config.load(ingest={"max_document_bytes": 10_000})
    lines = [
        json.dumps({"title": "A", "text": BODY}),
        json.dumps({"title": "B", "text": BODY * 200}),
        json.dumps({"title": "C", "text": BODY + " C."}),
    ]
    items = list(read_bytes("\n".join(lines).encode(), "l.jsonl", config))
    assert [type(x) for x in items] == [Article, Rejection, Article]
    assert items[1].source == "l.jsonl:2" and "line longer than 0.01 MB" in items[1].reason


def test_a_file_of_garbage_lines_is_given_up_with_one_rejection() -> None:
    data = b'{"a":\n' * 5000
    items = list(read_bytes(data, "g.jsonl"))
    assert len(items) == 1001
    assert "not a JSONL file of articles" in items[-1].reason


def test_a_long_article_is_cut_at_a_boundary_and_flagged() -> None:
    config = Config.load(ingest={"max_text_chars": 5_000})
    text = "\n\n".join(f"Absatz {i}. {BODY}" for i in range(40))
    (art,) = list(
        read_bytes(json.dumps({"title": "Lang", "text": text}).encode(), "l.jsonl", config)
    )
    assert isinstance(art, Article) and FLAG in art.flags
    assert len(art.text) <= 5_000 and art.text.endswith("eröffnet.")
    assert text.startswith(art.text)
    (short,) = list(read_bytes(json.dumps({"title": "Kurz", "text": BODY}).encode(), "k.jsonl"))
    assert FLAG not in short.flags


def test_cut_falls_back_to_words_and_then_characters() -> None:
    assert cut("wort " * 100, 52) == ("wort " * 10).strip()
    assert cut("x" * 100, 10) == "x" * 10


def _rss(n: int) -> bytes:
    items = "".join(
        f"<item><title>Rathaus {i}</title><link>https://bote.example/{i}</link>"
        f"<pubDate>Mi, 13 Sep 2023 10:00:00 MESZ</pubDate><description>{BODY} Nummer {i}."
        "</description></item>"
        for i in range(n)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Bote</title>'
        f"<language>de</language>{items}</channel></rss>"
    ).encode()


def test_a_large_feed_is_read_entry_by_entry_with_the_same_articles(monkeypatch) -> None:
    import lagebild.ingest.feed as feed

    data = _rss(12)
    whole = _articles(list(read_bytes(data, "f.rss")))
    monkeypatch.setattr(feed, "STREAM_ABOVE", 500)
    monkeypatch.setattr(feed, "_CHUNK", 700)
    streamed = list(read_bytes(data, "f.rss"))
    assert not _rejections(streamed)
    key = [(a.id, a.title, a.text, a.published, a.outlet, a.language) for a in whole]
    assert [(a.id, a.title, a.text, a.published, a.outlet, a.language) for a in streamed] == key
    assert streamed[3].source == "f.rss#4"
    cut = list(read_bytes(data[: len(data) * 2 // 3], "f.rss"))
    assert 0 < len(_articles(cut)) < 12
    assert "feed ends inside entry" in _rejections(cut)[-1].reason
