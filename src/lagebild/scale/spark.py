"""The Spark job: read every input file on the executors, analyse each article, write JSON.

Only this module imports pyspark. Files come whole (``binaryFiles``: one record per file);
a JSONL file is read in chunks of lines by many tasks, any other file (a WARC file) by one.
Their articles are then analysed in ranges of source order, as many tasks as the cluster
runs at once (``--partitions`` more) at the least, big ones first and shrinking toward the
end by their expected cost (``job.part_starts``), so the cores end together.
Articles with the same id (the same text read from two files) are kept once, the first by
source name, and counted as duplicates.
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lagebild.config import Config
from lagebild.errors import ConfigError, LagebildError, Rejection
from lagebild.model import to_dict
from lagebild.scale.job import (
    analyse_partition,
    input_parts,
    part_of,
    part_starts,
    read_part,
    source_order,
)

# the JVM of a local run (driver and executor in one) only moves bytes between Python
# workers, and its JIT compilers and parallel collector were most of a run's fixed CPU:
# 23.5 of 31 CPU s for 20 articles, 11.1 with the quick compiler alone and a serial collector
LOCAL_JVM = "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"
# articles whose keys and lengths the driver collects to plan the analysis tasks; a bigger run
# plans on a sample of about this many
PLAN_ARTICLES = 200_000


@dataclass(frozen=True, slots=True)
class JobReport:
    articles: int
    duplicates: int
    rejected: int
    output: str


def run_job(
    inputs: list[str],
    output: str,
    *,
    config: Config | None = None,
    master: str | None = None,
    partitions: int | None = None,
) -> JobReport:
    """Read and analyse ``inputs`` (files or folders, any path Spark reads) into ``output``.

    ``master`` is Spark's (``local[2]``, ``spark://host:7077``, ``yarn``); None leaves it to
    ``spark-submit`` or the environment. ``output`` must not exist yet (Spark refuses to
    overwrite, and a half-old folder would mix two runs)."""
    try:
        from pyspark.sql import SparkSession
    except ImportError as exc:
        raise ConfigError(
            "the Spark runner needs pyspark: pip install 'lagebild[spark]' (and Java 17+)"
        ) from exc
    if Path(output).exists():
        raise ConfigError(f"output folder {output} exists already; choose a new one")
    config = config or Config()
    paths = [_spark_path(p) for p in inputs]
    missing = [p for p in paths if "://" not in p and not Path(p).exists()]
    paths = [p for p in paths if p not in missing]
    if not paths:
        raise ConfigError(f"no input to read: {', '.join(missing)} (no such file or directory)")
    # a missing input is a rejection, as in ingest; the job goes on with the rest
    missing_lines = [
        json.dumps({"rejection": to_dict(Rejection(p, "ingest", "no such file or directory"))})
        for p in missing
    ]
    spark = _builder(SparkSession.builder, master).getOrCreate()
    try:
        sc = spark.sparkContext
        sc.setLogLevel("ERROR")
        hadoop = sc._jsc.hadoopConfiguration()  # folders are read recursively, as ingest does
        hadoop.set("mapreduce.input.fileinputformat.input.dir.recursive", "true")
        files = sc.binaryFiles(",".join(paths), partitions or None)
        # a file is read by one task, but its articles are analysed by many: one JSONL file
        # of 10,000 articles is as many tasks as the cluster runs at once (or ``partitions``)
        tasks = max(partitions or 0, sc.defaultParallelism, 1)
        # a JSONL file in chunks of lines, spread over the tasks before they are read (parsed
        # and cleaned), so one big file is read by every core, not by one (``input_parts``)
        records = (
            files.flatMap(lambda kv: input_parts(kv[0], kv[1], config))
            .repartition(tasks)
            .flatMap(lambda part: read_part(*part, config))
            .cache()
        )
        rejections = records.filter(lambda line: line.startswith('{"rejection"')).union(
            sc.parallelize(missing_lines, 1)
        )
        read = records.filter(lambda line: line.startswith('{"article"')).count()
        ordered = (
            records.filter(lambda line: line.startswith('{"article"'))
            .map(_keyed)
            .reduceByKey(min, tasks)  # the same article twice: the first by source name stays
            .map(lambda kv: (source_order(kv[1][0]), kv[1][1]))
        )
        # analysed in ranges of source order (so loading streams in ingest order) that shrink
        # toward the end by their expected cost (``part_starts``); a big run plans on a sample
        share = min(1.0, PLAN_ARTICLES / max(read, 1))
        sample = ordered if share == 1.0 else ordered.sample(False, share, 1)
        starts = part_starts(sample.map(lambda kv: (kv[0], len(kv[1]))).collect(), tasks)
        articles = ordered.repartitionAndSortWithinPartitions(
            len(starts) + 1, lambda key: part_of(starts, key)
        )
        docs = articles.values().mapPartitions(lambda lines: analyse_partition(lines, config))
        docs.saveAsTextFile(str(Path(output) / "articles"))
        rejections.saveAsTextFile(str(Path(output) / "rejections"))
        # counted by the JVM alone: through Python workers, every analysis written (74 MB at
        # 10k articles) would be sent to one and unpickled only to be counted
        kept = sc._jsc.textFile(str(Path(output) / "articles")).count()
        rejected = sc._jsc.textFile(str(Path(output) / "rejections")).count()
    except Exception as exc:  # Spark's errors are Java stack traces: say what failed, in one line
        if isinstance(exc, ConfigError):
            raise
        first = next((x for x in str(exc).splitlines() if x.strip()), type(exc).__name__)
        raise LagebildError(f"the Spark job failed: {first.strip()[:300]}") from exc
    finally:
        spark.stop()
    return JobReport(kept, read - kept, rejected, output)


def _builder(builder: Any, master: str | None) -> Any:
    """The session builder of a run on ``master`` (None: as ``spark-submit`` or the
    environment says). A local run gets ``LOCAL_JVM`` as ``spark.driver.extraJavaOptions``
    (in place of any in ``spark-defaults.conf``); on a cluster nothing is set."""
    builder = builder.appName("lagebild").config("spark.ui.enabled", "false")
    if master:
        builder = builder.master(master)
    if (master or "local").startswith("local"):
        # local executors run this interpreter (the one lagebild is installed in); on a
        # cluster, lagebild must be installed where PYSPARK_PYTHON points
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
        builder = builder.config("spark.driver.extraJavaOptions", LOCAL_JVM)
    return builder


def _spark_path(path: str) -> str:
    """A local path made absolute (executors do not share the driver's working folder)."""
    if "://" in path or path.startswith("file:"):
        return path
    return str(Path(path).resolve())


def _keyed(line: str) -> tuple[str, tuple[str, str]]:
    """``(article id, (source, record))``: duplicates meet by id, the least source wins."""
    article = json.loads(line)["article"]
    return article["id"], (article["source"], line)


__all__ = ["JobReport", "run_job"]
