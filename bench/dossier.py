"""A 500-article story's dossier as the user gets it: target <= 1 s CPU including start-up.

Run: ``.venv/bin/python bench/dossier.py [--articles 500] [--rounds 3] [--stages text|all]``.
The articles are generated from sentence templates (40 outlets, 30 days, some undated, some
syndicated copies), analysed before any clock starts, and stored with the story in a scratch
database. Timed, as CPU seconds (user + sys; the machine is shared, so wall time mostly
measures the neighbours; the load average is printed beside), median of ``--rounds``:

- start-up: ``lagebild --version`` (issue 21: <= 0.3 s);
- the cold path: ``lagebild dossier ID --format html`` with nothing kept (no text, no
  per-article parts): start-up, store reads (version key, 500 analyses decoded), the build, all
  three renderings and keeping them; what a user waits for when the dossier was never built;
- the same after a change: the texts dropped, the articles' parts (``dossier.parts``) kept, as
  when a big story gained an article: what an ingest pays per big story it changes
  (``dossier.precompute_articles``, timed in process as "precompute") or a view after it;
- the view: the same command again, the kept text read (what a user waits for after an
  ingest, since a story of >= ``precompute_articles`` articles is built when it changes);
- ``/story/ID`` answered by a running web app (in process, imports and caches warm), with the
  text kept and with none;
- the cold path step by step in a fresh process (``cold_phases``): imports, store and
  version key, the build's imports, decoding the analyses, the first build's one-time set-up
  (rules compiled, word tables read), the build, each renderer, keeping the texts, and the
  interpreter's start-up with the rest (the collector and the process's end as the measured
  code's ``lagebild dossier`` has them, so the steps add up to the cold CLI figure); the
  same for the changed path, the articles' kept parts read and used;
- in process: the build and each renderer, and each section of the build;
- the cold path of a small story (``--small``, 20 articles: the largest stories of the 100k
  bench store have 19-22, and a story under ``precompute_articles`` is built on its first view).

Child processes run with a warm bytecode cache (``PYTHONPYCACHEPREFIX`` in the scratch folder,
filled by an untimed first run), as an installed lagebild has its ``.pyc`` files: a shell with
``PYTHONDONTWRITEBYTECODE=1`` and an editable checkout would otherwise compile every lagebild
module in every run (~0.15-0.2 s of a cold dossier). ``--no-bytecode-cache`` measures that.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TypeVar

from lagebild.app import Lagebild
from lagebild.config import Config
from lagebild.dossier import build_bundle, render_html, render_json, render_markdown, sections
from lagebild.dossier.summary import originals
from lagebild.dossier.verify import citation_problems
from lagebild.model import Article, Doc, Story, article_id
from lagebild.pipeline import DEFAULT, Pipeline

T = TypeVar("T")
STORY_ID = "d055135" + "0" * 9  # hex, as story ids are: the web app answers only those
SMALL_ID = "d055135" + "0" * 8 + "2"
CITIES = ["Passau", "Regensburg", "Deggendorf", "Straubing", "Kelheim", "Vilshofen"]
PEOPLE = ["Jürgen Dupper", "Markus Söder", "Anna Berger", "Thomas Keller", "Eva Lindner"]
GROUPS = ["THW", "Feuerwehr", "Bundeswehr", "Wasserwacht", "Polizei"]
TEMPLATES = [
    "Die Donau hat in {city} am {day} einen Pegelstand von {level} Metern erreicht.",
    "In {city} mussten rund {n} Anwohner ihre Wohnungen verlassen.",
    "{person} sagte, die Lage in {city} sei ernst, aber unter Kontrolle.",
    "„Wir tun alles, was möglich ist“, sagte {person} am {day} in {city}.",
    "Rund {n} Einsatzkräfte von {group} und Feuerwehr sind in {city} im Einsatz.",
    "Der Deutsche Wetterdienst erwartet für die kommenden Tage weiteren Regen im Einzugsgebiet der Donau.",
    "Die Stadt {city} hat wegen des Hochwassers den Katastrophenfall ausgerufen.",
    "Nach Angaben der Behörden sind {n} Haushalte in {city} ohne Strom.",
    "Die Schäden werden auf rund {m} Millionen Euro geschätzt, teilte das Landratsamt mit.",
    "Auch der Inn führt Hochwasser, die Promenade in {city} steht unter Wasser.",
    "Laut {group} wurden in der Nacht mehr als {n} Sandsäcke verbaut.",
    "{person} dankte den Helfern von {group} für ihren unermüdlichen Einsatz.",
    "Die Bahnstrecke zwischen {city} und {city2} bleibt bis mindestens {day} gesperrt.",
    "Nach Einschätzung des Hochwassernachrichtendienstes wird der Scheitel am {day} erwartet.",
    "Schulen und Kindergärten in {city} bleiben am {day} geschlossen.",
]
DAYS = ["Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag"]


def synthetic_story(
    n: int, seed: int = 7, story_id: str = STORY_ID, tag: str = ""
) -> tuple[Story, list[Article]]:
    rnd = random.Random(seed)
    start = datetime(2024, 6, 1, 6, tzinfo=UTC)
    outlets = [f"Outlet {i:02d}" for i in range(40)]
    arts: list[Article] = []
    dups: list[tuple[str, str]] = []
    for i in range(n):
        if arts and rnd.random() < 0.05:  # a syndicated copy of an earlier article
            orig = rnd.choice(arts)
            copy = Article(id=f"copy{tag}{i:012d}", title=orig.title, text=orig.text, source=f"bench#{i}",
                           format="text", outlet=rnd.choice(outlets), published=orig.published,
                           language="de")  # fmt: skip
            arts.append(copy)
            dups.append((copy.id, orig.id))
            continue
        paras = []
        for _ in range(rnd.randint(10, 22)):
            t = rnd.choice(TEMPLATES)
            paras.append(t.format(
                city=rnd.choice(CITIES), city2=rnd.choice(CITIES), day=rnd.choice(DAYS),
                level=f"{rnd.uniform(8, 12):.1f}".replace(".", ","), n=rnd.randrange(50, 3000, 10),
                m=rnd.randint(2, 90), person=rnd.choice(PEOPLE), group=rnd.choice(GROUPS),
            ))  # fmt: skip
        text = "\n\n".join(paras)
        title = f"Hochwasser in {rnd.choice(CITIES)}: Lage am {rnd.choice(DAYS)}"
        published = None if rnd.random() < 0.1 else start + timedelta(hours=rnd.randint(0, 30 * 24))
        arts.append(Article(id=article_id(title, text, f"u{tag}{i}"), title=title, text=text,
                            source=f"bench#{i}", format="text", outlet=rnd.choice(outlets),
                            published=published, language="de"))  # fmt: skip
    story = Story(id=story_id, article_ids=tuple(a.id for a in arts), duplicates=tuple(dups))
    return story, arts


def _timed(label: str, fn: Callable[[], T], rows: list[tuple[str, float]]) -> T:
    """Run ``fn`` and record its CPU seconds (``process_time``: the machine is shared, so wall
    time mostly measures the neighbours)."""
    t0 = time.process_time()
    out = fn()
    rows.append((label, time.process_time() - t0))
    return out


def breakdown(story: Story, docs: list[Doc], config: Config) -> list[tuple[str, float]]:
    """CPU seconds per section (the stage that computes it) and per renderer."""
    rows: list[tuple[str, float]] = []
    core = originals(story, docs)
    windows = _timed("date windows (time)", lambda: sections.date_windows(docs), rows)
    groups = _timed("fact groups (facts)", lambda: sections.fact_groups(core, windows), rows)
    _timed("timeline (time)", lambda: sections.timeline(core, windows), rows)
    _timed("statements (quotes)", lambda: sections.statements(core), rows)
    _timed("divergences (facts)", lambda: sections.divergences(core, windows), rows)
    _timed("entities (entities)", lambda: sections.entities(core), rows)
    _timed("coverage matrix (facts)", lambda: sections.coverage_matrix(core, groups, windows), rows)
    confirmed = sections.corroborated(groups)
    _timed(
        "summary (dossier)", lambda: sections.summary(story, core, config, windows, confirmed), rows
    )
    bundle = build_bundle(story, docs, config)
    _timed("render html (dossier)", lambda: render_html(bundle), rows)
    _timed("render md (dossier)", lambda: render_markdown(bundle), rows)
    _timed("render json (dossier)", lambda: render_json(bundle), rows)
    return rows


TARGET_S = 1.0  # issue 21: a 500-article story's dossier, start-up included


def child_env(bytecode: Path | None) -> dict[str, str]:
    """The environment of the timed child processes: with ``bytecode``, Python reads and
    writes its ``.pyc`` files there (as an installed package has them), else as this shell
    says (``PYTHONDONTWRITEBYTECODE=1``: every module compiled in every run)."""
    env = dict(os.environ)
    if bytecode is not None:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(bytecode)
    return env


def _child_cpu(cmd: list[str], env: dict[str, str] | None = None) -> float:
    """CPU seconds (user + sys) of one run of ``cmd``, output discarded."""
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode})")
    return usage.ru_utime + usage.ru_stime


def _load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def store_story(db: Path, story: Story, arts: list[Article], docs: list[Doc]) -> Story:
    """Write the articles, their analyses and the story into a new store at ``db``."""
    dates = [a.published for a in arts if a.published is not None]
    story = Story(
        id=story.id, article_ids=story.article_ids, title=arts[0].title,
        duplicates=story.duplicates, first=min(dates), last=max(dates),
    )  # fmt: skip
    app = Lagebild(db, Config())
    app.store.add_articles(arts)
    app.store.put_docs(docs)
    app.store.put_stories([story])
    app.close()
    return story


def whole_path(
    db: Path, story: Story, rounds: int, env: dict[str, str] | None = None, small: str = ""
) -> dict[str, float]:
    """Median CPU seconds of start-up, of the cold ``lagebild dossier`` (no kept text), of
    the view (kept text), of building and keeping it in process, as ``precompute`` does, and
    of ``/story/ID`` answered by a running web app (in process, warm), kept and cold."""
    from lagebild.dossier.cache import dossier_text
    from lagebild.store.dossiers import clear
    from lagebild.web import WebApp, get

    cli = [sys.executable, "-m", "lagebild", "--db", str(db)]
    view = [*cli, "dossier", story.id, "--format", "html"]
    names = (
        "startup", "cold", "view", "changed", "precompute", "web_kept", "web_cold", "small_cold"
    )  # fmt: skip
    runs: dict[str, list[float]] = {k: [] for k in names}
    for _ in range(rounds):
        runs["startup"].append(_child_cpu([sys.executable, "-m", "lagebild", "--version"], env))
        forget(db, parts=True)
        runs["cold"].append(_child_cpu(view, env))
        runs["view"].append(_child_cpu(view, env))
        forget(db, parts=False)
        runs["changed"].append(_child_cpu(view, env))
        if small:
            runs["small_cold"].append(_child_cpu([*cli, "dossier", small, "--format", "html"], env))
        app = Lagebild(db, Config())
        clear(app.store)  # the parts stay: an ingest rebuilds a story that changed
        t0 = time.process_time()
        dossier_text(app, app.store.story(story.id), "html")  # what ``precompute`` does per story
        runs["precompute"].append(time.process_time() - t0)
        web = WebApp(app)
        assert get(web, "/").status == 200  # what ``serve`` does before it serves
        for name in ("web_kept", "web_cold"):
            if name == "web_cold":
                clear(app.store)
                with app.store.transaction():
                    app.store.db.execute("DELETE FROM dossier_parts")
            t0 = time.process_time()
            assert get(web, f"/story/{story.id}").status == 200
            runs[name].append(time.process_time() - t0)
        app.close()
    return {k: statistics.median(v) for k, v in runs.items() if v}


def forget(db: Path, parts: bool) -> None:
    """Drop the kept dossier texts, and with ``parts`` the articles' kept parts too."""
    from lagebild.store.dossiers import clear

    app = Lagebild(db, Config())
    clear(app.store)
    if parts:
        with app.store.transaction():
            app.store.db.execute("DELETE FROM dossier_parts")
    app.close()


# Run in a fresh interpreter by ``cold_phases``: the cold ``lagebild dossier ID`` path step by
# step (what ``dossier.cache.dossier_text`` does), CPU seconds per step, printed as JSON; with a
# third argument "parts" the articles' kept parts are read and given to both builds (the path
# of a story that changed), and a part worked out anew is reported on stderr.
_PHASES = """
import contextlib, json, os, sys, time
with_parts = sys.argv[3:] == ["parts"]
clock = time.process_time
out = {}
t = clock()
from pathlib import Path
from lagebild.app import Lagebild
from lagebild.config import Config
out["imports (app)"] = clock() - t
t = clock()
app = Lagebild(Path(sys.argv[1]), Config())
story = app.store.story(sys.argv[2])
from lagebild.dossier import cache
from lagebild.store import dossiers
key = dossiers.version_key(app.store, story.id, cache.salt(app.config))
out["open + version key"] = clock() - t
t = clock()
from dataclasses import replace
from lagebild.dossier.assemble import build_bundle
from lagebild.dossier.formats import FORMATS
from lagebild.dossier.report import render
from lagebild.dossier.since import since_of
out["imports (build)"] = clock() - t
# the collector as dossier_text has it while it builds (code that has the setting)
with getattr(cache, "few_full_collections", contextlib.nullcontext)():
    t = clock()
    docs = list(app.docs(story.article_ids))
    out["decode analyses"] = clock() - t
    parts = second = None
    if with_parts:
        t = clock()
        parts = dossiers.read_parts(app.store, story.id, cache.code_fingerprint())
        out["read parts"] = clock() - t
        second = dossiers.read_parts(app.store, story.id, cache.code_fingerprint())
    t = clock()
    bundle = build_bundle(story, docs, app.config, parts)
    first = clock() - t
    if parts is not None and parts.made:
        print(f"{len(parts.made)} articles' parts worked out anew", file=sys.stderr)
    t = clock()
    bundle = build_bundle(story, docs, app.config, second)
    out["build (warm)"] = clock() - t
    out["first-use set-up"] = first - out["build (warm)"]
    bundle = replace(bundle, since=since_of(app, story, None))
    texts = {}
    for f in FORMATS:
        t = clock()
        texts[f] = render(bundle, f)
        out[f"render {f}"] = clock() - t
    t = clock()
    dossiers.keep(app.store, story.id, key, texts, app.config.dossier.cache_mb * 1_000_000)
    out["keep"] = clock() - t
print(json.dumps(out), flush=True)
app.close()
import lagebild.cli
if hasattr(lagebild.cli, "run"):  # the process ends as the lagebild command ends it
    os._exit(0)
"""


def cold_phases(
    db: Path, story_id: str, env: dict[str, str] | None = None, parts: bool = False
) -> dict[str, float]:
    """CPU seconds of each step of a cold dossier in a fresh process (``_PHASES``), with
    "start-up and the rest": the process's CPU minus the steps and minus the second, warm
    build (run only to tell the first build's set-up from its work). The steps add up to
    the cold path: the first build is "first-use set-up" + "build (warm)". ``parts``: the
    articles' kept parts read and used (a story that changed; keep them before)."""
    proc = subprocess.Popen(
        [sys.executable, "-c", _PHASES, str(db), story_id, *(["parts"] if parts else [])],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    text = proc.stdout.read() if proc.stdout is not None else ""
    _, status, usage = os.wait4(proc.pid, 0)
    if os.waitstatus_to_exitcode(status):
        raise SystemExit("the cold-phase probe failed")
    phases: dict[str, float] = json.loads(text)
    # the process ran the build twice: the first one is set-up + build, the second one build
    total = usage.ru_utime + usage.ru_stime - phases["build (warm)"]
    phases["start-up and the rest"] = total - sum(phases.values())
    return phases


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--articles", type=int, default=500)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--stages", choices=["text", "all"], default="all")
    ap.add_argument("--small", type=int, default=20, help="articles of the small story (0: none)")
    ap.add_argument("--no-bytecode-cache", action="store_true", help="compile in every child")
    args = ap.parse_args()
    story, arts = synthetic_story(args.articles)
    config = Config()
    pipe = Pipeline(config, ("text",) if args.stages == "text" else DEFAULT)
    t0 = time.perf_counter()
    docs: list[Doc] = list(pipe.pipe(arts))
    small, small_arts = synthetic_story(args.small, seed=11, story_id=SMALL_ID, tag="s")
    small_docs = list(pipe.pipe(small_arts)) if args.small else []
    print(f"analysed {len(docs) + len(small_docs)} articles ({args.stages}) in "
          f"{time.perf_counter() - t0:.1f} s")  # fmt: skip
    with tempfile.TemporaryDirectory(prefix="lagebild-dossier-") as tmp:
        db = Path(tmp) / "bench.db"
        story = store_story(db, story, arts, docs)
        if args.small:
            small = store_story(db, small, small_arts, small_docs)
        env = child_env(None if args.no_bytecode_cache else Path(tmp) / "pyc")

        if not args.no_bytecode_cache:  # fill the bytecode cache: an untimed cold run
            _child_cpu(
                [sys.executable, "-m", "lagebild", "--db", str(db), "dossier", story.id], env
            )
            cold_phases(db, story.id, env)
        print(f"bytecode: {'compiled in every run' if args.no_bytecode_cache else 'cached'}")
        print(f"load average before: {_load()}")
        figures = whole_path(db, story, args.rounds, env, small.id if args.small else "")
        runs = []
        for _ in range(args.rounds):
            forget(db, parts=True)
            runs.append(cold_phases(db, story.id, env))
        phases = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
        # the path of a story that changed: texts dropped, every article's parts kept (a
        # cold run through the CLI keeps them first: the probes above kept texts, no parts)
        forget(db, parts=False)
        _child_cpu([sys.executable, "-m", "lagebild", "--db", str(db), "dossier", story.id], env)
        changed = []
        for _ in range(args.rounds):
            forget(db, parts=False)
            changed.append(cold_phases(db, story.id, env, parts=True))
        changed_phases = {k: statistics.median(r[k] for r in changed) for k in changed[0]}
        print(f"load average after:  {_load()}")
    print(f"CPU s, median of {args.rounds} (target <= {TARGET_S:.1f} s):")
    print(f"  start-up (lagebild --version)        {figures['startup']:.2f} s (target <= 0.3 s)")
    print(f"  lagebild dossier, cold (built)       {figures['cold']:.2f} s")
    print(f"  lagebild dossier, view (kept text)   {figures['view']:.2f} s")
    print(f"  lagebild dossier, changed (parts)    {figures['changed']:.2f} s")
    print(f"  precompute in process (parts kept)   {figures['precompute']:.2f} s")
    print(f"  /story/ID in the web app, kept       {figures['web_kept']:.2f} s")
    print(f"  /story/ID in the web app, cold       {figures['web_cold']:.2f} s")
    if "small_cold" in figures:
        print(f"  lagebild dossier, cold, {args.small} articles  {figures['small_cold']:.2f} s")
    print("the cold path step by step, fresh process (CPU s, median of each step):")
    for label, secs in phases.items():
        print(f"  {label:<26} {secs:6.2f} s")
    print(f"  {'sum (the cold path)':<26} {sum(phases.values()):6.2f} s")
    print("the changed path (texts dropped, parts kept) step by step, fresh process:")
    for label, secs in changed_phases.items():
        print(f"  {label:<26} {secs:6.2f} s")
    print(f"  {'sum (the changed path)':<26} {sum(changed_phases.values()):6.2f} s")
    build_bundle(Story(id="warm", article_ids=(docs[0].id,)), docs[:1])  # imports, caches
    w0, c0 = time.perf_counter(), time.process_time()
    bundle = build_bundle(story, docs, config)
    c1 = time.process_time()
    html, md, js = render_html(bundle), render_markdown(bundle), render_json(bundle)
    w2, c2 = time.perf_counter(), time.process_time()
    d = bundle.dossier
    counts = {
        k: len(getattr(d, k))
        for k in ("summary", "timeline", "statements", "facts", "divergences", "entities")
    }
    print(f"sections: {counts}")
    print(
        f"in process, warm: build {c1 - c0:.2f} s + render {c2 - c1:.2f} s = {c2 - c0:.2f} s CPU; "
        f"wall {w2 - w0:.2f} s"
    )
    print(f"html {len(html.encode()) / 1e6:.2f} MB (target < 2 MB), json {len(js.encode()) / 1e6:.2f} MB, "
          f"md {len(md.encode()) / 1e6:.2f} MB")  # fmt: skip
    print(f"citation problems: {len(citation_problems(d))}")
    print("breakdown (CPU s):")
    for label, secs in breakdown(story, docs, config):
        print(f"  {label:<26} {secs:6.2f} s")
    print(f"load average at the end: {_load()}")


if __name__ == "__main__":
    main()
