"""What ingesting costs in a store of ~100k articles, without a 100k ingest (~90 CPU-minutes).

The per-article stages (reading, cleaning, analysis) cost the same whatever the store holds;
what can grow with the corpus is what an ingest does with the store: writing into big
tables, clustering against the story index, the change log, the entity tables, the story list
and the dossiers. So the bench ingests the same new articles twice, into an empty store and
into one that holds ~99k analysed and clustered articles, and compares CPU per article (by
phase) and peak RSS. The big store is made the way an ingest of the bench corpus would have
made it, minus the cost of analysing each article again:

1. ``slice R OUT.jsonl``: replica ``R`` of the bench corpus (``bench/corpus.py``: all 1,028
   10kGNAD test articles, dated ``R`` x 90 days on).
2. ``ingest DB OUT.jsonl``: a timed ingest (one JSON line: CPU seconds by phase, peak RSS).
   Into an empty store it is the "1k" figure, and its store is the source of step 3.
3. ``build SRC.db BIG.db --replicas N --of R``: replicas 0 .. N-1 of SRC's articles with their
   own URLs, ids, dates and spelling (replica r of an article = SRC's article moved by
   (r - R) x 90 days, its names respelt as ``corpus.respell`` spells replica r) and SRC's
   stored analyses (the same records: an analysis holds offsets, not its article's words,
   id, URL or date; only its compression dictionary, the article's text, is the replica's);
   then the real clusterer (``stories.build.run``) over all of them in publication order,
   each article's features made from its replica's analysis (``features.from_doc``, as an
   ingest makes them), and the stories and index state written as ``cluster_store`` writes
   them. Timed per 10k articles.
4. ``derive BIG.db [--steps changes,entities,listing,dossiers]``: the work on the stories
   that follows clustering in an ingest (``Lagebild.cluster``), from nothing, timed by step.
   Steps 3 and 4 together are what a single 100k ingest does after analysing.
5. ``ingest BIG.db OUT.jsonl`` on a copy of BIG.db: the same new articles as step 2, now into
   the big store (their dates follow every replica's, so clustering is incremental). A copy
   made by older code: ``current COPY.db`` first (stage labels and entity scheme set to the
   code's, then its migrations; their CPU printed apart).
6. ``probe SRC.db BIG.db --replicas N --of R --next K [--instructions]``: what clustering the
   next ``K`` articles costs against BIG.db's stored index, nothing written (their features
   made first, untimed). Under callgrind (``valgrind --tool=callgrind --instr-atstart=no``)
   ``--instructions`` counts only that loop: a figure a loaded machine does not move, so
   probes of one store at 1k, 25k, 50k, ... tell whether clustering grows with the index.

7. ``grow SRC.db BIG.db --replicas N --of R [--block B]``: steps 3 and 4 in pieces, as
   ``B``-replica ingests would make the store: each call stores and clusters the next ``B``
   replicas and brings the change log, entity lists, story lists and dossiers up to date
   (the entity lists by their update path, as an ingest does, after the first piece built
   them from nothing; a rebuild of more than 2,000 articles goes in steps of stories, bounded
   in memory: ``entities.update.REBUILD_ARTICLES``). Call it until it
   prints ``"done": true``. Each call costs ~B x 30-45 s CPU and peaks at ~1-2 GB (at 10k,
   20k, 30k: 294, 469, 385 s; 0.95, 1.43, 2.07 GB, session 13 notes): the update path holds
   the piece's new story groups whole, and a piece whose new stories are more than half of
   all (the second) is rebuilt from nothing, as an ingest would.

The 100k figures (issue 21), from a scratch folder, one command per lock slot::

    grow.py slice 97 s97.jsonl
    /usr/bin/time -v grow.py ingest src97.db s97.jsonl       # the 1k figure, and SRC
    /usr/bin/time -v grow.py grow src97.db big.db --replicas 97 --of 97 --block 10  # x 10
    cp big.db ingest.db && /usr/bin/time -v grow.py ingest ingest.db s97.jsonl
    rm src1k.db; /usr/bin/time -v grow.py ingest src1k.db s97.jsonl  # 1k again, same load

Measured (session 13, main 07c8f8d, load ~1): the 1,028 fresh articles cost 36.4 ms each
into an empty store and 65.0 ms into the 82k store that eight 10-replica pieces made (1.78x;
clustering 2.4 -> 17.9 ms, entity lists 6.6 -> 18.0, story lists 2.7 -> 5.4), peak RSS 613 MB
and 1,364 MB. Copy the store before migrating it: a migration rewrites it in place.
Session 14 (main 67e7b83, load ~3.5, back to back in one slot): into the ~100k store (99,716
articles, ten pieces; migrated 30 -> 37 first, ~9 CPU-min, not counted) 56.9 ms/article,
into an empty store 42.1 (1.35x; clustering 2.5 -> 4.4 ms, entity lists 7.0 -> 14.8, story
lists 3.1 -> 5.6, change log 0.2 -> 0.6), peak RSS 887 MB and 608 MB. A store clustered with
other stories settings (here the join threshold 0.5 -> 0.6) is re-clustered whole by its
next ingest: for a cost figure set the stored index head's settings to the current ones.
Session 15 (main c81e7c9, load 1-2, back to back in one slot; the copy migrated 37 -> 43 in
~10 s CPU, not counted; its analyses' stage labels and the entity tables' scheme set to the
code's BEFORE the code opens it, or every old analysis is stale and the entity tables are
rebuilt): three pairs, 48.1 / 40.4 = 1.19x, 48.1 / 34.1 = 1.41x, 43.0 / 35.5 = 1.21x (the
empty store first); the analysis phase alone, the same work whatever the store, moved
18.9-23.5 ms/article between runs, so read the phases: in the third pair clustering 2.5 ->
4.8 ms, entity lists 5.8 -> 10.2, story lists 1.7 -> 2.3, change log 0.15 -> 0.24, the rest
flat (analysis 20.6 / 21.1, other 1.7 / 1.7); a second 1k (replica 98) into the same big
store 38.9-47.8. Peak RSS 963 MB and 702 MB. A fourth pair on main 0c50099 (the copy made
current by ``current``): 50.5 / 44.4 = 1.14x (clustering 3.1 -> 5.1, entity lists 7.5 -> 12.4,
story lists 2.1 -> 2.5, change log 0.26 -> 0.25); median of the four 1.20x.
Session 16 (main 0779e2e, load 5.5-7.2, back to back in one slot; the copy of the schema-37
store made current by the measured tree itself: 108.7 s user + 15.2 s sys, peak 1,838 MB, the
migrations 38-51 of a 100k store, not counted; story-card keys are salted with the code's
fingerprint, so a copy migrated by other code rebuilds every card in its first ingest):
38.6 ms/article into the 100k store, 34.4 and 37.0 into two empty stores: **1.12x and 1.04x**
(``pair``, analysis counted once: 1.11x and 1.06x); clustering 2.5 / 2.9 -> 3.8, entity lists
5.6 / 6.1 -> 7.6, story lists 1.6 / 1.7 -> 2.6, change log 0.15 -> 0.25, the rest flat; peak
RSS 880 MB and 722 MB (``/usr/bin/time``). A second 1k (replica 98) into the same store:
37.5 ms/article, 879 MB. Again on main 20dbf7d (migrations 52, 53 too; load 1.9-4.8): 39.2
into the 100k store vs 40.5 and 41.2 into empty ones (0.97x / 0.95x; analysis counted once
1.01x / 1.07x: the empty runs' analysis took 22.0 and 24.8 ms/article against 20.2), peak RSS
882 / 723 MB. Over the four pairings 0.95-1.12x (analysis once 1.01-1.11x); the store work
that grows: clustering +0.7-1.2 ms/article, entity lists +1.3-2.1, story lists -0.1-+1.0.
``pair BIG.json EMPTY.json`` reads two ``ingest`` outputs.

What it does not cover: the analyses of the replicas are replica R's (their relative dates
resolved against replica R's publication dates, not their own; a lemma that is not its
word's own spelling, "Häuser" -> "Haus", stays replica R's); the boilerplate state
(``ingest.outlet_lines``) is SRC's, learned from one replica; lower-case words recur as in
the same news repeated.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from collections.abc import Iterator
from dataclasses import asdict, replace
from datetime import timedelta
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from corpus import DAYS_AHEAD, REPLICA_DAYS, gnad_rows, record, respell  # noqa: E402

from lagebild.app import Lagebild  # noqa: E402
from lagebild.config import Config, IngestConfig  # noqa: E402

# as bench/path.py; the replicas' dates run ahead of the clock (corpus.DAYS_AHEAD)
CONFIG = Config(languages=("de", "en"), ingest=IngestConfig(max_days_ahead=DAYS_AHEAD))
COPIED_STATE = ("ingest.outlet_lines", "analysis.mode")


def _cpu() -> float:
    return time.process_time()


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def write_slice(replica: int, out: Path) -> Path:
    """Replica ``replica`` of the bench corpus (every 10kGNAD test article once) as JSONL."""
    texts = gnad_rows()
    n = len(texts)
    with open(out, "w", encoding="utf-8") as fh:
        for i in range(replica * n, (replica + 1) * n):
            fh.write(json.dumps(record(texts, i), ensure_ascii=False) + "\n")
    return out


def _hwm_kb() -> int:
    """The process's peak RSS since it started or since the last ``_reset_hwm`` (kB)."""
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return 0


def _reset_hwm() -> None:
    """Start a new peak RSS at the current RSS (Linux: ``clear_refs`` 5)."""
    with open("/proc/self/clear_refs", "w", encoding="ascii") as fh:
        fh.write("5")


class Phases:
    """CPU seconds spent inside named functions (patched on their module or class).

    With ``peaks``, also each phase's own peak RSS: the kernel's high-water mark is reset
    when a phase starts and read when it ends, so a phase that holds much shows apart from
    the models and caches every phase shares. The reset lowers what ``getrusage`` and
    ``/usr/bin/time`` report as the process's peak; ``peak_mb`` keeps the true one."""

    def __init__(self, peaks: bool = False) -> None:
        self.cpu: dict[str, float] = {}
        self.peak_mb: dict[str, float] = {}
        self._peaks = peaks
        self._top_kb = 0  # the highest mark seen before any reset
        self._depth = 0

    def process_peak_mb(self) -> float:
        """The process's peak RSS, resets or not."""
        if not self._peaks:
            return _peak_mb()
        return max(self._top_kb, _hwm_kb()) / 1024

    def wrap(self, owner: Any, attr: str, name: str) -> None:
        inner = getattr(owner, attr)

        def timed(*args: Any, **kwargs: Any) -> Any:
            if self._depth:  # counted by the phase around it
                return inner(*args, **kwargs)
            self._depth += 1
            if self._peaks:
                self._top_kb = max(self._top_kb, _hwm_kb())
                _reset_hwm()
            start = _cpu()
            try:
                return inner(*args, **kwargs)
            finally:
                self.cpu[name] = self.cpu.get(name, 0.0) + _cpu() - start
                if self._peaks:
                    top = _hwm_kb()
                    self._top_kb = max(self._top_kb, top)
                    self.peak_mb[name] = max(self.peak_mb.get(name, 0.0), top / 1024)
                self._depth -= 1

        setattr(owner, attr, timed)


class SampledDossiers:
    """``dossier.cache.precompute`` building only the first ``n`` of the dossiers it would
    build (each costs about the same per article of its story), counting the rest: at 100k
    the bench's stories hold ~100 articles each (see ``build``) and a build of every one
    would take longer than the rest of the bench."""

    def __init__(self, n: int) -> None:
        self.n = n
        self.todo = 0
        self.built = 0
        self.cpu = 0.0

    def __call__(self, app: Lagebild) -> int:
        from lagebild.dossier.cache import dossier_text, stories_to_precompute
        from lagebild.dossier.formats import FORMATS

        todo = stories_to_precompute(app)
        self.todo += len(todo)
        start = _cpu()
        for story_id in todo[: self.n]:
            dossier_text(app, app.store.story(story_id), FORMATS[0])
            self.built += 1
        self.cpu += _cpu() - start
        return len(todo)

    def estimate(self) -> float:
        """CPU seconds all of them would have cost (the sample's mean times their number)."""
        return self.cpu / self.built * self.todo if self.built else 0.0


def timed_ingest(
    db: Path, corpus: Path, dossier_sample: int | None = None, peaks: bool = False
) -> dict[str, Any]:
    """Ingest ``corpus`` into ``db`` as ``lagebild ingest`` does; CPU by phase, peak RSS.
    With ``dossier_sample``, precomputing dossiers builds that many and estimates the rest;
    with ``peaks``, each phase's own peak RSS too (``Phases``)."""
    import lagebild.alerts
    import lagebild.changes
    import lagebild.dossier.cache
    import lagebild.entities.index
    import lagebild.stories
    import lagebild.stories.features
    from lagebild.pipeline import Pipeline
    from lagebild.store.sqlite import Store

    phases = Phases(peaks)
    sampled = SampledDossiers(dossier_sample) if dossier_sample is not None else None
    if sampled is not None:
        lagebild.dossier.cache.precompute = sampled  # type: ignore[assignment]
    for owner, attr, name in (
        (Pipeline, "run", "analysis"),
        (Store, "add_articles", "store articles"),
        (Store, "put_docs", "store analyses"),
        (lagebild.stories.features, "from_doc", "features"),
        (lagebild.stories, "cluster_store", "clustering"),
        (lagebild.changes, "track", "changes"),
        (lagebild.alerts, "check_alerts", "changes"),
        (lagebild.entities.index, "refresh", "entity lists"),
        (Lagebild, "refresh_listing", "story lists"),
        (lagebild.dossier.cache, "precompute", "dossiers"),
    ):
        phases.wrap(owner, attr, name)
    start = _cpu()
    app = Lagebild(db, CONFIG)
    report = app.ingest([corpus])
    stories = app.store.db.execute("SELECT count(*) FROM stories").fetchone()[0]
    articles = app.store.count()
    app.close()
    total = _cpu() - start
    stored = len(report.added)
    other = total - sum(phases.cpu.values())
    cpu = {**phases.cpu, "other": other}
    if sampled is not None:
        cpu["dossiers not built (estimate)"] = sampled.estimate() - sampled.cpu
        total += cpu["dossiers not built (estimate)"]
    per = {k: round(1000 * v / stored, 2) for k, v in cpu.items()}
    return {
        "db": str(db),
        "stored": stored,
        "articles_after": articles,
        "stories_after": stories,
        "cpu_s": round(total, 2),
        "cpu_ms_per_article": round(1000 * total / stored, 2),
        "phase_ms_per_article": per,
        "peak_rss_mb": round(phases.process_peak_mb()),
        **(
            {"phase_peak_rss_mb": {k: round(v) for k, v in phases.peak_mb.items()}} if peaks else {}
        ),
        **(
            {"dossiers": {"todo": sampled.todo, "built": sampled.built, "cpu_s": sampled.cpu}}
            if sampled is not None
            else {}
        ),
    }


def pair(big: dict[str, Any], empty: dict[str, Any]) -> dict[str, Any]:
    """Two ``ingest`` outputs of the same articles, into the big store and into an empty one,
    read together: the plain ratio of CPU per article, and the ratio with the analysis
    phase counted once (both runs given the mean of their two analysis figures). Analysis is
    the same work whatever the store, yet its CPU alone moved 18.9-25.1 ms/article between
    runs at load 1-2 (session 15), more than the phases that do store work differ; also
    what each other phase costs more in the big store, and both peaks."""
    pb, pe = big["phase_ms_per_article"], empty["phase_ms_per_article"]
    once = (pb["analysis"] + pe["analysis"]) / 2
    b = big["cpu_ms_per_article"] - pb["analysis"] + once
    e = empty["cpu_ms_per_article"] - pe["analysis"] + once
    return {
        "ratio": round(big["cpu_ms_per_article"] / empty["cpu_ms_per_article"], 3),
        "ratio_analysis_once": round(b / e, 3),
        "ms_per_article": [big["cpu_ms_per_article"], empty["cpu_ms_per_article"]],
        "ms_per_article_analysis_once": [round(b, 2), round(e, 2)],
        "analysis_ms": [pb["analysis"], pe["analysis"]],
        "growth_ms": {
            k: round(pb.get(k, 0.0) - pe.get(k, 0.0), 2) for k in {**pb, **pe} if k != "analysis"
        },
        "peak_rss_mb": [big["peak_rss_mb"], empty["peak_rss_mb"]],
    }


def _last_json(path: Path) -> dict[str, Any]:
    """The last JSON object line of a file (an ``ingest`` output among other lines)."""
    lines = [x for x in path.read_text(encoding="utf-8").splitlines() if x.startswith("{")]
    return json.loads(lines[-1])


def _source(src: Path) -> tuple[list[Any], dict[str, tuple[str, bytes]], dict]:
    """SRC's articles in publication order (as the clusterer takes them), their stored
    analyses as MessagePack (uncompressed: each replica compresses them with its own text as
    the dictionary), copied state."""
    import msgspec

    from lagebild.store.codec import STAGES_OF_DOC, _unpack_doc, decode_doc, encode_doc
    from lagebild.stories.build import order
    from lagebild.stories.features import from_doc

    source = Lagebild(src, CONFIG)
    articles = {a.id: a for a in source.store.articles()}

    def alone(data: bytes, art: Any) -> bytes:
        """An analysis's MessagePack without SRC's lemma table (a replica's store has none)."""
        packed = _unpack_doc(data, art)
        if "lt" not in msgspec.msgpack.decode(packed):
            return packed
        return _unpack_doc(encode_doc(decode_doc(data, art, source.store.lemma_table)), art)

    rows = {
        r[0]: (r[1], alone(r[2], articles[r[0]]))
        for r in source.store.db.execute(
            f"SELECT d.article_id, {STAGES_OF_DOC}, d.data FROM docs d"
        )
    }
    state = {k: source.store.get_state(k) for k in COPIED_STATE}
    start = _cpu()
    # the stored analyses as they are: ``source.docs`` would redo (and store into SRC) those
    # another stage version made, and replicas built before and after would then differ
    feats = order([from_doc(source.store.doc(a)) for a in articles if a in rows])
    print(f"features of {len(feats)} articles: {_cpu() - start:.1f} s CPU", flush=True)
    source.close()
    return [articles[f.id] for f in feats], rows, state


def _replica(a: Any, r: int, of: int) -> Any:
    """Replica ``r`` of SRC's article ``a`` (which is replica ``of``): URL, id, date, spelling."""
    from lagebild.model import article_id

    url = a.url.replace(f"/{of}/", f"/{r}/", 1) if a.url else f"replica-{r}"
    title, text = respell(a.title, r, of), respell(a.text, r, of)
    shift = timedelta(days=(r - of) * REPLICA_DAYS)
    return replace(
        a,
        id=article_id(title, text, url),
        url=url,
        title=title,
        text=text,
        raw=f"{respell(a.raw, r, of)}\n{url}",
        published=a.published + shift if a.published else None,
    )


def _packed(packed: bytes, article: Any) -> bytes:
    """An analysis's MessagePack compressed as ``store.codec`` stores it for ``article``."""
    import zlib

    from lagebild.store.codec import _doc_zdict

    packer = zlib.compressobj(6, zdict=_doc_zdict(article))
    return packer.compress(packed) + packer.flush()


def build(src: Path, out: Path, replicas: int, of: int, limit: int | None = None) -> None:
    """Replicas 0 .. ``replicas``-1 of ``src``'s articles and analyses (step 3), then
    clustered; with ``limit``, at most that many articles are clustered per call and the
    next call on ``out`` goes on from the index state (a step of one CPU-limited job).
    Replicas already in ``out`` are kept: a call with more ``replicas`` adds the next ones."""
    from lagebild.store.sqlite import Store

    articles, rows, state = _source(src)
    store = Store(out)
    have = store.count() // max(len(articles), 1)  # replicas stored by earlier calls
    if not have:
        for key, value in state.items():
            if value is not None:
                store.put_state(key, value)
    if have < replicas:
        start = _cpu()
        for r in range(have, replicas):
            batch, docs = [], []
            for a in articles:
                new = _replica(a, r, of)
                batch.append(new)
                if a.id in rows:
                    stages, packed = rows[a.id]
                    docs.append((new.id, stages, _packed(packed, new)))
            assert len(store.add_articles(batch).added) == len(batch), r
            with store.transaction():
                numbers: dict[str, int] = {}
                docs = [(i, store.stage_set(s, numbers), d) for i, s, d in docs]
                store.db.executemany(
                    "INSERT INTO docs (article_id, stages, data) VALUES (?,?,?)", docs
                )
        print(
            f"stored replicas {have}..{replicas - 1} x {len(articles)}: {_cpu() - start:.1f} s CPU",
            flush=True,
        )
    _cluster(store, articles, rows, replicas, of, limit)
    store.close()


def grow(src: Path, out: Path, replicas: int, of: int, block: int) -> dict[str, Any]:
    """One piece of a big store made as ``block``-replica ingests would make it: the next
    ``block`` replicas (up to ``replicas``) stored and clustered (``build``), then the work
    on the stories an ingest does after clustering (``derive``: change log, entity lists,
    story lists, dossiers), each updating what the pieces before built; the first piece
    builds them from nothing. Call it until it says ``done``; each call's CPU stays that
    of ~``block`` x 1k articles."""
    from lagebild.store.sqlite import Store

    store = Store(out)
    n = store.count()
    store.close()
    import sqlite3

    ro = sqlite3.connect(f"file:{src}?mode=ro", uri=True)  # SRC stays as it is
    per = ro.execute("SELECT count(*) FROM articles").fetchone()[0]
    ro.close()
    have = n // max(per, 1)
    if have >= replicas:
        return {"db": str(out), "done": True, "replicas": have}
    upto = min(replicas, have + block)
    start = _cpu()
    build(src, out, upto, of)
    built = _cpu() - start
    out_ = derive(out, ["changes", "entities", "listing", "dossiers"])
    return {"replicas": upto, "build_cpu_s": round(built, 1), **out_, "done": upto >= replicas}


def _cluster(
    store: Any,
    articles: list[Any],
    rows: dict[str, tuple[str, bytes]],
    replicas: int,
    of: int,
    limit: int | None,
) -> None:
    """The real clusterer over the replicas' features in publication order, from the
    stored index state on, writing stories and state as ``cluster_store`` does."""
    from lagebild.store.codec import decode_doc
    from lagebild.stories import state as stored
    from lagebild.stories.build import changed_stories, run
    from lagebild.stories.features import ArticleFeatures, from_doc

    config = CONFIG.stories
    start = _cpu()
    state = stored.load(store.db, config, asdict(config))
    loaded = state if state is not None else stored.fresh(store.db, config)
    index = loaded.index
    known = {r[0] for r in store.db.execute("SELECT id FROM story_seen")}
    seen: list[str] = []  # placed by this call
    merged_before = dict(index.merged_into)
    load_cpu = _cpu() - start

    def moved() -> Iterator[ArticleFeatures]:
        n = 0
        for r in range(replicas):
            for a in articles:
                new = _replica(a, r, of)
                if new.id in known or a.id not in rows:
                    continue
                if limit is not None and n >= limit:
                    return
                n += 1
                start = _cpu()
                packed = rows[a.id][1]
                features = from_doc(decode_doc(_packed(packed, new), new))
                feature_cpu[0] += _cpu() - start
                yield features

    feature_cpu = [0.0]  # what making the features cost (an ingest has its docs in memory)
    touched: dict[str, Any] = {}
    done = since = 0  # articles clustered by this call, and since the last line printed
    block = 10_000
    start = last = _cpu()
    last_features = 0.0
    for aid, sid, retired in run(index, moved(), None):
        seen.append(aid)
        done += 1
        since += 1
        touched.setdefault(sid, None)
        touched.update((s.id, s) for s in retired)
        if (len(known) + len(seen)) % block == 0:
            now = _cpu()
            cluster_cpu = now - last - (feature_cpu[0] - last_features)
            print(
                f"clustered {len(known) + len(seen)}: {1000 * cluster_cpu / since:.2f} ms per "
                f"article over "
                f"the last {since} (features {1000 * (feature_cpu[0] - last_features) / since:.2f}"
                f"), active {len(index.active)}, archive {len(index.archive)}, "
                f"peak RSS {_peak_mb():.0f} MB",
                flush=True,
            )
            last, last_features, since = now, feature_cpu[0], 0
    add_cpu = _cpu() - start - feature_cpu[0]
    print(f"features of {done} replicated articles: {feature_cpu[0]:.1f} s CPU", flush=True)
    records, merged = changed_stories(index, touched, merged_before, everything=state is None)
    start = _cpu()
    with store.transaction():
        store.put_stories(records, replace_all=state is None, merged=merged)
        stored.save(store.db, loaded, asdict(config), seen)
    print(
        f"clustered {done} articles ({len(known) + len(seen)} in all; {len(records)} stories "
        "written): "
        f"{add_cpu:.1f} s CPU ({1000 * add_cpu / max(done, 1):.2f} ms per article), state "
        f"read {load_cpu:.1f} s, stories and state written {_cpu() - start:.1f} s; "
        f"peak RSS {_peak_mb():.0f} MB",
        flush=True,
    )


def probe(
    src: Path, db: Path, replicas: int, of: int, n: int, instructions: bool = False
) -> dict[str, Any]:
    """Cluster the next ``n`` articles of ``db``'s build against its stored index (step 6);
    CPU (and, under callgrind, instructions) of the loop alone. Nothing is written."""
    import sqlite3

    from lagebild.store.codec import decode_doc
    from lagebild.stories import state as stored
    from lagebild.stories.build import run
    from lagebild.stories.features import from_doc

    articles, rows, _ = _source(src)
    # read-only: opening a store would migrate it (a bench store of another version); the
    # index reads its rows as the run asks for them and writes nothing
    db_ro = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    config = CONFIG.stories
    state = stored.load(db_ro, config, asdict(config)) or stored.fresh(db_ro, config)
    index = state.index
    known = {r[0] for r in db_ro.execute("SELECT id FROM story_seen")}
    feats = []
    for r in range(replicas):
        for a in articles:
            new = _replica(a, r, of)
            if new.id in known or a.id not in rows or len(feats) >= n:
                continue
            feats.append(from_doc(decode_doc(_packed(rows[a.id][1], new), new)))
    if instructions:
        _instrument("on")
    start = _cpu()
    for _ in run(index, feats, None):
        pass
    cpu = _cpu() - start
    if instructions:
        _instrument("off")
    return {
        "db": str(db),
        "clustered_before": len(known),
        "probed": len(feats),
        "cpu_ms_per_article": round(1000 * cpu / max(len(feats), 1), 3),
        "active": len(index.active),
        "archive": len(index.archive),
    }


def _instrument(state: str) -> None:
    """Switch callgrind's instrumentation of this process on or off (bench/stages.py)."""
    import os
    import subprocess

    subprocess.run(["callgrind_control", "-i", state, str(os.getpid())], check=True,
                   capture_output=True)  # fmt: skip


def derive(db: Path, steps: list[str], dossier_sample: int | None = None) -> dict[str, Any]:
    """The work on the stories that follows clustering (step 4), timed by step."""
    from lagebild.alerts import check_alerts
    from lagebild.changes import track
    from lagebild.dossier.cache import precompute
    from lagebild.entities.index import refresh

    def changes(app: Lagebild) -> None:
        if track(app):
            check_alerts(app)

    known = {
        "changes": changes,
        "entities": refresh,
        "listing": Lagebild.refresh_listing,
        "dossiers": precompute if dossier_sample is None else SampledDossiers(dossier_sample),
    }
    app = Lagebild(db, CONFIG)
    out: dict[str, Any] = {"db": str(db)}
    articles = app.store.count()
    for name in steps:
        start = _cpu()
        step = known[name]
        step(app)
        cpu = _cpu() - start
        if isinstance(step, SampledDossiers):
            cpu += step.estimate() - step.cpu
            out["dossiers sampled"] = {"todo": step.todo, "built": step.built, "cpu_s": step.cpu}
        out[name] = {"cpu_s": round(cpu, 1), "ms_per_article": round(1000 * cpu / articles, 2)}
        print(json.dumps({name: out[name], "peak_rss_mb": round(_peak_mb())}), flush=True)
    app.close()
    out["peak_rss_mb"] = round(_peak_mb())
    return out


def current(db: Path) -> dict[str, Any]:
    """Step 5's copy made current for a cost figure, BEFORE this code opens (migrates) it: its
    analyses' stage labels and its entity tables' scheme set to this code's. Else the next
    ingest redoes every old analysis it touches (on use) and rebuilds every entity table
    (a new scheme), an upgrade's one-offs; and migration 39 stamps the story rows' card keys
    from the labels it finds. Triggers on docs set aside (the dossier cache stays)."""
    import sqlite3

    from lagebild.entities.index import STATE_KEY, scheme
    from lagebild.pipeline import Pipeline

    versions = ",".join(Pipeline(CONFIG).versions)
    con = sqlite3.connect(db)
    with con:
        triggers = con.execute(
            "SELECT name, sql FROM sqlite_master WHERE type='trigger' AND tbl_name='docs'"
        ).fetchall()
        for name, _ in triggers:
            con.execute(f'DROP TRIGGER "{name}"')
        label: str | int = versions
        if con.execute("SELECT 1 FROM sqlite_master WHERE name = 'stage_sets'").fetchone():
            # schema 57: an analysis names its stage list by number
            row = con.execute(
                "SELECT id FROM stage_sets WHERE stages=? ORDER BY id LIMIT 1", (versions,)
            ).fetchone()
            label = (
                row[0]
                if row
                else con.execute(
                    "INSERT INTO stage_sets (stages) VALUES (?)", (versions,)
                ).lastrowid
            )
        relabelled = con.execute(
            "UPDATE docs SET stages=? WHERE stages != ?", (label, label)
        ).rowcount
        for _, sql in triggers:
            con.execute(sql)
        con.execute(
            "INSERT OR REPLACE INTO state (key, value) VALUES (?,?)",
            (STATE_KEY, json.dumps(scheme())),
        )
    con.close()
    start = _cpu()
    Lagebild(db, CONFIG).close()  # this code's migrations
    return {"relabelled": relabelled, "stages": versions, "migrations_cpu_s": _cpu() - start}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    sub = parser.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("slice")
    p.add_argument("replica", type=int)
    p.add_argument("out", type=Path)
    p = sub.add_parser("ingest")
    p.add_argument("db", type=Path)
    p.add_argument("corpus", type=Path)
    p.add_argument("--dossier-sample", type=int, help="build N dossiers, estimate the rest")
    p.add_argument("--phase-peaks", action="store_true", help="each phase's own peak RSS")

    def replicated(cmd: str, target: str) -> argparse.ArgumentParser:
        """A command on SRC's replicas written into (or read from) ``target``."""
        p = sub.add_parser(cmd)
        p.add_argument("src", type=Path)
        p.add_argument(target, type=Path)
        p.add_argument("--replicas", type=int, required=True)
        p.add_argument("--of", type=int, required=True, help="the replica SRC holds")
        return p

    p = replicated("build", "out")
    p.add_argument("--limit", type=int, help="cluster at most N articles (go on next time)")
    p = replicated("grow", "out")
    p.add_argument("--block", type=int, default=10, help="replicas per call")
    p = replicated("probe", "db")
    p.add_argument("--next", type=int, default=200, help="articles to cluster")
    p.add_argument("--instructions", action="store_true", help="under callgrind (step 6)")
    p = sub.add_parser("current")
    p.add_argument("db", type=Path)
    p = sub.add_parser("pair")
    p.add_argument("big", type=Path, help="the output of ingest into the big store")
    p.add_argument("empty", type=Path, help="the output of ingest into an empty store")
    p = sub.add_parser("derive")
    p.add_argument("db", type=Path)
    p.add_argument("--steps", default="changes,entities,listing,dossiers")
    p.add_argument("--dossier-sample", type=int, help="build N dossiers, estimate the rest")
    args = parser.parse_args()
    if args.cmd == "slice":
        write_slice(args.replica, args.out)
    elif args.cmd == "ingest":
        out = timed_ingest(args.db, args.corpus, args.dossier_sample, args.phase_peaks)
        print(json.dumps(out))
    elif args.cmd == "probe":
        print(json.dumps(probe(args.src, args.db, args.replicas, args.of, args.next,
                               args.instructions)))  # fmt: skip
    elif args.cmd == "grow":
        print(json.dumps(grow(args.src, args.out, args.replicas, args.of, args.block)))
    elif args.cmd == "build":
        build(args.src, args.out, args.replicas, args.of, args.limit)
    elif args.cmd == "current":
        print(json.dumps(current(args.db)))
    elif args.cmd == "pair":
        print(json.dumps(pair(_last_json(args.big), _last_json(args.empty))))
    else:
        print(json.dumps(derive(args.db, args.steps.split(","), args.dossier_sample)))


if __name__ == "__main__":
    main()
