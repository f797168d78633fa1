"""Property tests: every per-article stage on arbitrary Unicode text, every reader on
mutated bytes. Example counts are kept small for CI time; a failure prints the input.

Stages must not raise and must keep their spans inside the text; readers must turn any
bytes into articles or rejections with a specific reason (never the catch-all 'unexpected').
"""

from __future__ import annotations

import gzip
import importlib
import io
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from lagebild.config import Config
from lagebild.errors import Rejection
from lagebild.ingest import read_bytes
from lagebild.model import Article, Doc
from lagebild.pipeline import STAGES

CONFIG = Config()
MODULES = [importlib.import_module(s.module) for s in STAGES]

WORDS = [
    "Die",
    "Bundesregierung",
    "sagte",
    "am",
    "Montag",
    ",",
    "dass",
    "„",
    "der",
    "Minister",
    "“",
    "in",
    "Berlin",
    "12,5",
    "Prozent",
    "3.000",
    "Euro",
    "Mio.",
    "Dr.",
    "z.B.",
    "(",
    ")",
    ":",
    ";",
    "-",
    "–",
    "!",
    "?",
    "...",
    "2015",
    "Winter",
    "1.",
    "Mai",
    "Kiew",
    "Wostotschny",
    "l'État",
    "a",
    "déclaré",
    "«",
    "non",
    "»",
    "٢٠٢٤",
    "東京",
    "Ωμέγα",
    "\u200b",
    "\xad",
    "ﬁ",
    "🙂",
    "\n",
    "\n\n",
    "\t",
]

texts = st.one_of(
    st.text(max_size=400),
    st.lists(st.sampled_from(WORDS), max_size=120).map(" ".join),
    st.lists(st.one_of(st.sampled_from(WORDS), st.text(max_size=8)), max_size=80).map(" ".join),
)

FAST = settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _doc(text: str, lang: str) -> Doc:
    article = Article(id="p", title=text[:40], text=text, source="p", format="text", language=lang)
    return Doc(article=article)


@pytest.mark.parametrize("upto", range(1, len(STAGES) + 1), ids=[s.name for s in STAGES])
@FAST
@given(text=texts, lang=st.sampled_from(["de", "en", "fr", None]))
def test_every_stage_takes_any_text(upto: int, text: str, lang: str | None) -> None:
    doc = _doc(text, lang or "de")
    for module in MODULES[:upto]:
        doc = module.analyze(doc, CONFIG)
    n = len(text)
    for s in doc.sentences:
        assert 0 <= s.start <= s.end <= n and text[s.start : s.end] == s.text
        for t in s.tokens:
            assert s.start <= t.start <= t.end <= s.end and text[t.start : t.end] == t.text
    for m in doc.mentions:
        if getattr(m, "caption", None) is None:
            assert 0 <= m.start <= m.end <= n
    for x in doc.times:
        assert 0 <= x.start <= x.end <= n
    for q in doc.quotes:
        for span in (q.message, q.cue, q.speaker):
            assert span is None or 0 <= span.start <= span.end <= n
    for f in doc.facts:
        assert 0 <= f.start <= f.end <= n


BODY = "Die Stadt Musterhausen hat am Montag ein neues Rathaus eröffnet. " * 5
PAGE = (
    "<html><head><title>Rathaus</title><meta charset='utf-8'></head><body><article>"
    f"<h1>Rathaus eröffnet</h1><p>{BODY}</p><p>Von Eva Muster (dpa)</p></article></body></html>"
)
RSS = (
    '<?xml version="1.0"?><rss version="2.0"><channel><title>Bote</title>'
    f"<item><title>Rathaus</title><link>https://bote.example/a</link><description>{BODY}"
    "</description><pubDate>Mi, 13 Sep 2023 10:00:00 MESZ</pubDate></item></channel></rss>"
)


def _warc(gz: bool) -> bytes:
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=gz)
    for i in range(3):
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        writer.write_record(
            writer.create_warc_record(
                f"https://x.example/{i}",
                "response",
                payload=io.BytesIO(PAGE.replace("Rathaus", f"Rathaus {i}").encode()),
                http_headers=headers,
            )
        )
    return buf.getvalue()


SAMPLES = {
    "a.txt": f"1694592000 rathaus-eroeffnet\nRathaus eröffnet\n\n{BODY}\n\n© Bote 2023".encode(),
    "a.html": PAGE.encode(),
    "a.rss": RSS.encode(),
    "a.jsonl": "\n".join(
        json.dumps({"title": f"T{i}", "text": BODY, "published": "2024-01-02"}) for i in range(3)
    ).encode(),
    "a.warc.gz": _warc(True),
    "a.warc": _warc(False),
    "a.txt.gz": gzip.compress(f"Rathaus\n\n{BODY}".encode()),
}


@st.composite
def mutated(draw: st.DrawFn, data: bytes) -> bytes:
    """``data`` with a few byte flips, insertions, deletions or a cut."""
    out = bytearray(data)
    for _ in range(draw(st.integers(1, 4))):
        op = draw(st.sampled_from(["flip", "insert", "delete", "cut", "dup"]))
        if not out:
            break
        at = draw(st.integers(0, len(out) - 1))
        if op == "flip":
            out[at] = draw(st.integers(0, 255))
        elif op == "insert":
            out[at:at] = draw(st.binary(min_size=1, max_size=16))
        elif op == "delete":
            del out[at : at + draw(st.integers(1, 64))]
        elif op == "cut":
            del out[at:]
        else:
            out[at:at] = out[at : at + draw(st.integers(1, 200))]
    return bytes(out)


@pytest.mark.parametrize("name", sorted(SAMPLES))
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_every_reader_takes_mutated_bytes(name: str, data: st.DataObject) -> None:
    raw = data.draw(mutated(SAMPLES[name]))
    items = list(read_bytes(raw, name))
    for item in items:
        assert isinstance(item, Article | Rejection)
        if isinstance(item, Rejection):
            assert item.reason and "unexpected" not in item.reason, item.reason
        else:
            assert isinstance(item.text, str) and item.id


def test_the_samples_read_as_articles() -> None:
    for name, raw in SAMPLES.items():
        items = list(read_bytes(raw, name))
        assert items and all(isinstance(x, Article) for x in items), (name, items)
