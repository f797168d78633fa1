"""A small analysed corpus shared by the web tests, and ``lagebild serve`` run on it."""

from __future__ import annotations

import re
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from lagebild.app import Lagebild

# "unix-time slug" line, title, body (a dump has the title first, then that line). Three
# outlets on one strike, one unrelated article whose body holds markup that must be escaped.
TEXTS = {
    "nordblatt": (
        "1773655800 bahn-streik",
        "GDL ruft zu Streik bei der Deutschen Bahn auf",
        "Die Lokführergewerkschaft GDL hat für Mittwoch zu einem 24-stündigen Streik bei der "
        "Deutschen Bahn aufgerufen. Der Ausstand soll am Mittwoch um 2 Uhr beginnen, teilte die "
        "Gewerkschaft am Montag in Frankfurt mit.\n\n"
        "GDL-Chef Claus Weselsky sagte, die Geduld der Mitglieder sei am Ende. Die Bahn rechnet "
        "damit, dass rund 8000 Züge ausfallen werden.",
    ),
    "elbkurier": (
        "1773664800 gdl-streik",
        "Bahnstreik am Mittwoch: GDL legt Fernverkehr lahm",
        "Die GDL hat die Lokführer der Deutschen Bahn zu einem 24-stündigen Streik am Mittwoch "
        "aufgerufen. Nach Angaben der Bahn fallen rund 8000 Züge aus.\n\n"
        "„Die Geduld unserer Mitglieder ist am Ende“, sagte GDL-Chef Claus Weselsky in Frankfurt. "
        "Die Deutsche Bahn nannte den Streik unverhältnismäßig.",
    ),
    "rheinpost": (
        "1773741600 bahn-streik-gdl",
        "Deutsche Bahn: GDL-Streik trifft Millionen Pendler",
        "Der Streik der Lokführergewerkschaft GDL bei der Deutschen Bahn hat am Mittwoch den "
        "Fernverkehr weitgehend lahmgelegt. Rund 8000 Züge fielen nach Angaben der Bahn aus.\n\n"
        "GDL-Chef Claus Weselsky kündigte an, weitere Streiks seien möglich.",
    ),
    "seeblick": (
        "1774000000 kuerbis",
        "Kürbisfest am Bodensee lockt 20000 Besucher",
        "Das Kürbisfest in Ludwigshafen am Bodensee hat am Wochenende rund 20000 Besucher "
        "angelockt. Der größte Kürbis wog 612 Kilogramm.\n\n"
        'Der Veranstalter schrieb auf ein Schild: <script>alert("x")</script> & Co.',
    ),
}


@pytest.fixture(scope="session")
def corpus_db(tmp_path_factory) -> Path:
    """The database of TEXTS, ingested and analysed once per session."""
    folder = tmp_path_factory.mktemp("corpus")
    for name, (head, title, body) in TEXTS.items():
        (folder / f"{name}.txt").write_text(f"{title}\n\n{head}\n\n{body}\n", encoding="utf-8")
    db = tmp_path_factory.mktemp("db") / "web.db"
    lb = Lagebild(db)
    report = lb.ingest([folder])
    assert len(report.added) == len(TEXTS), report.rejected
    lb.close()
    return db


@dataclass
class Served:
    """A running ``lagebild serve``: its base URL, host and port."""

    url: str
    host: str
    port: int
    proc: subprocess.Popen[str]


def _start(db: Path, *args: str) -> Served:
    """``lagebild serve --port 0`` on ``db`` as its own process, once it listens."""
    exe = Path(sys.executable).with_name("lagebild")
    proc = subprocess.Popen(
        [str(exe), "--db", str(db), *args, "serve", "--port", "0"],
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stderr is not None
    deadline = time.monotonic() + 60
    lines = []
    while time.monotonic() < deadline:
        line = proc.stderr.readline()
        lines.append(line)
        m = re.search(r"(http://([\d.]+):(\d+))/", line)
        if m:
            threading.Thread(target=proc.stderr.read, daemon=True).start()  # keep the pipe drained
            return Served(m.group(1), m.group(2), int(m.group(3)), proc)
        if not line and proc.poll() is not None:
            break
    proc.kill()
    raise AssertionError("lagebild serve did not start: " + "".join(lines))


@pytest.fixture(scope="session")
def served(corpus_db) -> Iterator[Served]:
    s = _start(corpus_db)
    yield s
    s.proc.terminate()
    s.proc.wait(timeout=10)


@pytest.fixture(scope="session")
def start_server():
    """``start_server(db, *global_options)``: another server, for a test to configure and stop."""
    return _start
