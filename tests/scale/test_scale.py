"""The Spark runner: the executor work alone, then a real local Spark job end to end."""

from __future__ import annotations

import dataclasses
import importlib.util
import json
import shutil
from pathlib import Path

import pytest

from lagebild.app import Lagebild
from lagebild.errors import LagebildError
from lagebild.model import to_dict
from lagebild.scale import analyse_partition, output_docs, output_rejections, read_input

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "examples" / "demo"
PICK = [
    "rheinischer-kurier/nordwind-streik.txt",
    "elbe-zeitung/nordwind-was-passagiere-wissen-muessen.txt",
    "morning-ledger/nordwind-pilots-walk-out.html",
    "feeds/alpenpost.xml",
]


def _corpus(folder: Path) -> Path:
    """A few demo files, a copy of one under another name, a bad file and a README."""
    for rel in PICK:
        target = folder / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(DEMO / rel, target)
    shutil.copy(DEMO / PICK[0], folder / "zz-copy.txt")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "README.md").write_text("# not an article\n\nAbout this folder.", encoding="utf-8")
    return folder


def _write_output(lines: list[str], out: Path) -> None:
    """What Spark would write: the two folders of part files."""
    for name, rejection in (("articles", False), ("rejections", True)):
        (out / name).mkdir(parents=True)
        part = "\n".join(x for x in lines if x.startswith('{"rejection"') == rejection)
        (out / name / "part-00000").write_text(part + "\n", encoding="utf-8")


def _without_source(doc: object) -> dict:
    data = to_dict(doc)
    data["article"].pop("source")
    return data


def test_executor_work_gives_what_ingest_gives(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path / "in")
    files = sorted(p for p in corpus.rglob("*") if p.is_file())
    records = [line for p in files for line in read_input(str(p), p.read_bytes())]
    assert not any("README" in line for line in records)  # passed over, as ingest does
    rejected = [json.loads(x)["rejection"] for x in records if x.startswith('{"rejection"')]
    assert [Path(r["source"]).name for r in rejected] == ["empty.txt"]
    analysed = list(analyse_partition(records))
    assert [x for x in analysed if x.startswith('{"rejection"')] == [
        x for x in records if x.startswith('{"rejection"')
    ]
    _write_output(analysed, tmp_path / "out")

    spark_like = Lagebild(tmp_path / "a.db")
    report = spark_like.load_analysed(tmp_path / "out")
    reference = Lagebild(tmp_path / "b.db")
    expected = reference.ingest([corpus])
    assert sorted(report.added) == sorted(expected.added) and len(report.added) == 7
    assert len(report.duplicates) == 1 and len(report.rejected) == 1
    ids = sorted(report.added)
    got = [_without_source(d) for d in spark_like.docs(ids)]
    assert got == [_without_source(d) for d in reference.docs(ids)]
    assert sorted(s.article_ids for s in spark_like.stories()) == sorted(
        s.article_ids for s in reference.stories()
    )
    again = spark_like.load_analysed(tmp_path / "out")  # loading twice stores nothing twice
    assert not again.added and len(again.duplicates) == 8


def test_loading_reads_each_analysis_back_no_more_than_an_ingest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``scale load`` decodes each analysis once from the job's output and clusters with the
    docs in memory: the store decodes no more analyses than for a plain ingest."""
    import lagebild.store.sqlite as sqlite

    corpus = _corpus(tmp_path / "in")
    files = sorted(p for p in corpus.rglob("*") if p.is_file())
    records = [line for p in files for line in read_input(str(p), p.read_bytes())]
    _write_output(list(analyse_partition(records)), tmp_path / "out")
    decoded: list[str] = []
    real = sqlite.decode_doc

    def counting(data: bytes, article: object) -> object:
        decoded.append(article.id)  # type: ignore[attr-defined]
        return real(data, article)  # type: ignore[arg-type]

    monkeypatch.setattr(sqlite, "decode_doc", counting)
    Lagebild(tmp_path / "b.db").ingest([corpus])
    by_ingest = len(decoded)
    decoded.clear()
    assert len(Lagebild(tmp_path / "a.db").load_analysed(tmp_path / "out").added) == 7
    assert len(decoded) == by_ingest


def test_loading_reads_no_stored_article_back_to_find_what_to_analyse(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The job analysed every article: ``scale load`` reads none of them back from the store
    to see whether it needs analysing (it read all 10k at 10k), but does read the one whose
    analysis another stage version made."""
    from lagebild.store import Store

    corpus = _corpus(tmp_path / "in")
    files = sorted(p for p in corpus.rglob("*") if p.is_file())
    records = [line for p in files for line in read_input(str(p), p.read_bytes())]
    lines = list(analyse_partition(records))
    read: list[str] = []  # articles read while looking for what to analyse
    real, real_analyse = Store.articles, Lagebild._analyse
    analysing = [False]

    def counting(self: Store, ids: object = None) -> object:
        for a in real(self, ids):  # type: ignore[arg-type]
            if analysing[0]:
                read.append(a.id)
            yield a

    def watched(self: Lagebild, *args: object, **kwargs: object) -> object:
        analysing[0] = True
        try:
            yield from real_analyse(self, *args, **kwargs)  # type: ignore[arg-type]
        finally:
            analysing[0] = False

    monkeypatch.setattr(Store, "articles", counting)
    monkeypatch.setattr(Lagebild, "_analyse", watched)
    _write_output(lines, tmp_path / "out")
    assert len(Lagebild(tmp_path / "a.db").load_analysed(tmp_path / "out").added) == 7
    assert read == []
    # one analysis made by other stage versions: that article alone is read and analysed
    first = json.loads(next(x for x in lines if x.startswith('{"article"')))
    (doc,) = output_docs(_one(tmp_path / "one", json.dumps(first)))
    stale = dataclasses.replace(doc, stages=("text@0",))
    _write_output([json.dumps({"doc": to_dict(stale)}), *lines[1:]], tmp_path / "mixed")
    app = Lagebild(tmp_path / "m.db")
    assert len(app.load_analysed(tmp_path / "mixed").added) == 7
    assert read == [doc.id]
    assert next(app.docs([doc.id])).stages == app.pipeline.versions


def _one(out: Path, line: str) -> Path:
    _write_output([line], out)
    return out


def test_loading_sets_the_collector_as_an_analysing_run_does(tmp_path: Path) -> None:
    """``scale load`` analyses nothing, so ``Pipeline.run`` never settles the collector for a
    long run; loading does it itself (full collections every ``FULL_COLLECTION_EVERY``)."""
    import gc

    from lagebild.pipeline import FULL_COLLECTION_EVERY

    corpus = _corpus(tmp_path / "in")
    files = sorted(p for p in corpus.rglob("*") if p.is_file())
    records = [line for p in files for line in read_input(str(p), p.read_bytes())]
    _write_output(list(analyse_partition(records)), tmp_path / "out")
    threshold = gc.get_threshold()
    gc.set_threshold(700, 10, 10)  # CPython's defaults, whatever the analysis above left
    before = gc.get_freeze_count()
    try:
        app = Lagebild(tmp_path / "a.db")
        assert len(app.load_analysed(tmp_path / "out").added) == 7
        assert app.pipeline._frozen is False  # nothing was analysed here
        assert gc.get_threshold()[2] == FULL_COLLECTION_EVERY
        assert gc.get_freeze_count() > before
    finally:
        gc.set_threshold(*threshold)


def test_loading_stores_each_analysis_as_the_job_encoded_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``scale load`` keeps the job's analysis bytes: nothing is encoded a second time, and
    the stored analysis is the one the job made."""
    import base64

    import lagebild.store.sqlite as sqlite

    corpus = _corpus(tmp_path / "in")
    files = sorted(p for p in corpus.rglob("*") if p.is_file())
    records = [line for p in files for line in read_input(str(p), p.read_bytes())]
    lines = list(analyse_partition(records))
    _write_output(lines, tmp_path / "out")
    written = {
        r["article"]["id"]: base64.b64decode(r["analysis"])
        for r in map(json.loads, lines)
        if "analysis" in r
    }

    def refused(doc: object) -> bytes:
        raise AssertionError("an analysis was encoded again")

    monkeypatch.setattr(sqlite, "encode_doc", refused)
    app = Lagebild(tmp_path / "a.db")
    added = app.load_analysed(tmp_path / "out").added
    assert len(added) == 7
    stored = dict(app.store.db.execute("SELECT article_id, data FROM docs"))
    assert stored == {a: written[a] for a in added}
    by_id = {d.id: d for d in output_docs(tmp_path / "out")}
    for doc in app.docs(added):
        assert _without_source(doc) == _without_source(by_id[doc.id])


def test_docs_made_by_other_stage_versions_are_analysed_again(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path / "in")
    path = corpus / PICK[0]
    (line,) = read_input(str(path), path.read_bytes())
    (analysed,) = analyse_partition([line])
    _write_output([analysed], tmp_path / "new")
    (doc,) = output_docs(tmp_path / "new")
    stale = dataclasses.replace(doc, stages=("text@0",), quotes=())
    # as an older version wrote it: the whole Doc as JSON (still loads)
    _write_output([json.dumps({"doc": to_dict(stale)})], tmp_path / "out")
    (old,) = output_docs(tmp_path / "out")
    assert old == stale
    app = Lagebild(tmp_path / "x.db")
    (aid,) = app.load_analysed(tmp_path / "out").added
    (doc,) = app.docs([aid])
    assert doc.stages == app.pipeline.versions and doc.quotes  # redone, not the stale one


def test_output_that_is_no_job_output_is_refused(tmp_path: Path) -> None:
    with pytest.raises(LagebildError, match="no output of 'lagebild scale run'"):
        output_rejections(tmp_path)


def _spark_or_skip() -> None:
    if importlib.util.find_spec("pyspark") is None:
        pytest.skip("pyspark is not installed (pip install 'lagebild[spark]'; make test does)")
    if shutil.which("java") is None:
        pytest.skip("no Java runtime on PATH: Spark needs Java 17+")


def test_a_local_spark_job_end_to_end(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from lagebild.cli import main

    _spark_or_skip()
    corpus = _corpus(tmp_path / "in")
    out = tmp_path / "out"
    runner = CliRunner()
    missing = str(tmp_path / "missing.txt")
    ran = runner.invoke(
        main, ["scale", "run", str(corpus), missing, "--out", str(out), "--master", "local[1]"]
    )
    assert ran.exit_code == 0, ran.output
    assert "analysed 7, duplicates 1, rejected 2" in ran.output  # the empty and the missing file
    db = tmp_path / "s.db"
    loaded = runner.invoke(main, ["--db", str(db), "scale", "load", str(out)])
    assert loaded.exit_code == 0, loaded.output
    assert "loaded 7, duplicates 0, rejected 2" in loaded.output
    assert f"{missing}: no such file or directory" in loaded.output
    reference = Lagebild(tmp_path / "ref.db")
    expected = reference.ingest([corpus])
    app = Lagebild(db)
    ids = sorted(expected.added)
    assert sorted(a.id for a in app.store.articles()) == ids
    assert [_without_source(d) for d in app.docs(ids)] == [
        _without_source(d) for d in reference.docs(ids)
    ]
    again = runner.invoke(main, ["scale", "run", str(corpus), "--out", str(out)])
    assert again.exit_code == 2 and "exists already" in again.output
    nothing = runner.invoke(main, ["scale", "run", missing, "--out", str(tmp_path / "o2")])
    assert nothing.exit_code == 2 and "no input to read" in nothing.output


@pytest.mark.parametrize("plan_on", ["every article", "a sample"])
def test_one_jsonl_input_is_analysed_in_several_tasks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, plan_on: str
) -> None:
    """One input file is read in chunks; its articles are spread over at least
    ``--partitions`` tasks (each writes a part), in source order across the parts, and load
    as an ingest would; a run bigger than ``PLAN_ARTICLES`` plans its tasks on a sample."""
    import json

    from lagebild.scale import spark

    if plan_on == "a sample":
        monkeypatch.setattr(spark, "PLAN_ARTICLES", 4)

    from click.testing import CliRunner

    from lagebild.cli import main

    _spark_or_skip()
    lines = [
        json.dumps(
            {
                "title": f"Meldung {i}",
                "text": f"Die Stadt Lindau meldete am Montag {i + 2} neue Fälle. " * 3,
                "url": f"https://one.example/{i}",
                "outlet": "Bote",
                "language": "de",
            },
            ensure_ascii=False,
        )
        for i in range(9)
    ]
    corpus = tmp_path / "all.jsonl"
    corpus.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    runner = CliRunner()
    args = ["scale", "run", str(corpus), "--out", str(out), "--master", "local[1]"]
    ran = runner.invoke(main, [*args, "--partitions", "3"])
    assert ran.exit_code == 0, ran.output
    assert "analysed 9" in ran.output
    parts = sorted((out / "articles").glob("part-*"))
    # a sample of ~4 of 9 articles may plan fewer tasks; the order must hold either way
    assert len(parts) >= (3 if plan_on == "every article" else 1)
    written = [
        json.loads(line)["article"]["url"]
        for p in parts
        for line in p.read_text(encoding="utf-8").splitlines()
    ]
    assert written == [f"https://one.example/{i}" for i in range(9)]  # source order
    db = tmp_path / "s.db"
    loaded = runner.invoke(main, ["--db", str(db), "scale", "load", str(out)])
    assert loaded.exit_code == 0 and "loaded 9" in loaded.output, loaded.output


class _Builder:
    """What ``run_job`` asks of Spark's session builder, recorded."""

    def __init__(self) -> None:
        self.options: dict[str, str] = {}
        self.master_set: str | None = None

    def appName(self, name: str) -> _Builder:
        return self.config("spark.app.name", name)

    def config(self, key: str, value: str) -> _Builder:
        self.options[key] = value
        return self

    def master(self, master: str) -> _Builder:
        self.master_set = master
        return self


def test_a_local_run_starts_its_jvm_with_the_quick_compiler_and_a_cluster_as_configured() -> None:
    """A local run's JVM only moves bytes between Python workers; its JIT compilers and
    parallel collector were most of a run's fixed CPU (bench/spark.py)."""
    from lagebild.scale.spark import LOCAL_JVM, _builder

    local = _builder(_Builder(), "local[2]")
    assert local.master_set == "local[2]"
    assert local.options["spark.driver.extraJavaOptions"] == LOCAL_JVM
    assert "TieredStopAtLevel=1" in LOCAL_JVM
    default = _builder(_Builder(), None)  # spark-submit's master or Spark's default: local
    assert default.options["spark.driver.extraJavaOptions"] == LOCAL_JVM
    cluster = _builder(_Builder(), "spark://head:7077")
    assert "spark.driver.extraJavaOptions" not in cluster.options
    assert cluster.options["spark.ui.enabled"] == "false"


def test_a_jsonl_input_read_in_chunks_gives_what_reading_it_whole_gives(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One big JSONL file is read by many tasks in chunks of lines: the same articles and
    rejections with the same line numbers (a broken line, a line longer than a document may
    be), whichever chunk they fall in; a file that is no JSONL of articles comes whole."""
    from lagebild.config import Config
    from lagebild.scale import job

    monkeypatch.setattr(job, "CHUNK_LINES", 4)
    config = Config()
    limit = config.ingest.max_document_bytes
    rows = [
        json.dumps({"title": f"Meldung {i}", "url": f"https://one.example/{i}",
                    "text": f"Die Stadt Lindau meldete am Montag {i + 2} neue Fälle. " * 6})
        for i in range(11)
    ]  # fmt: skip
    rows[5] = "{broken"
    rows[8] = json.dumps({"title": "lang", "text": "x" * (limit + 1)})
    data = ("\n".join(rows) + "\n").encode()
    source = f"file:{tmp_path}/all.jsonl"
    parts = list(job.input_parts(source, data, config))
    assert [first for _, first, _ in parts] == [1, 5, 9]
    chunked = [line for part in parts for line in job.read_part(*part, config)]
    whole = list(job.read_input(source, data, config))
    assert chunked == whole and len(whole) == 11
    assert sum(line.startswith('{"rejection"') for line in whole) == 2
    garbage = b"\n".join(b"not json" for _ in range(9))
    assert [p[1] for p in job.input_parts(source, garbage, config)] == [0]


def _finish_times(parts: list[int], cores: int) -> list[int]:
    """When each core is done if the cores take the tasks in order, each the next one free."""
    done = [0] * cores
    for weight in parts:
        done[done.index(min(done))] += weight
    return sorted(done)


def test_analysis_tasks_shrink_so_the_cores_end_together() -> None:
    """The analysis is split into ranges of source order by expected cost (record length +
    a fixed part), big ones first: cores taking them in order end within about one small
    task of each other, where one task per core leaves one core the heavier half's surplus."""
    import itertools
    import random

    from lagebild.scale import job

    rng = random.Random(7)
    # records get longer along the file, so equal counts are unequal work
    records = [
        (("/in/all.jsonl", i), int(rng.lognormvariate(8.4, 0.6)) + 3 * i) for i in range(5000)
    ]
    for cores in (2, 3, 8):
        starts = job.part_starts(rng.sample(records, len(records)), cores)
        assert starts == sorted(starts)
        parts: dict[int, int] = {}
        for key, length in records:
            index = job.part_of(starts, key)
            parts[index] = parts.get(index, 0) + length + job.ARTICLE_FIXED_BYTES
        assert sorted(parts) == list(range(len(starts) + 1))  # no empty range
        sizes = [parts[i] for i in range(len(parts))]
        total = sum(sizes)
        share = total / cores
        biggest = max(length for _, length in records) + job.ARTICLE_FIXED_BYTES
        assert all(later <= earlier + biggest for earlier, later in itertools.pairwise(sizes))
        assert sizes[-1] <= share * job.SMALLEST_SHARE + biggest
        done = _finish_times(sizes, cores)
        halves = [
            sum(w + job.ARTICLE_FIXED_BYTES for _, w in records[j * len(records) // cores :
                                                              (j + 1) * len(records) // cores])
            for j in range(cores)
        ]  # fmt: skip
        assert done[-1] - done[0] <= share * job.SMALLEST_SHARE + biggest
        assert max(halves) - min(halves) > 4 * (done[-1] - done[0])
        assert sum(done) == total
    assert job.part_starts([], 2) == []
    one = job.part_starts([(("/in/a.jsonl", 1), 900)], 2)
    assert one == [] and job.part_of(one, ("/in/a.jsonl", 1)) == 0
