"""bench/spark.py: the per-process CPU timeline and the stage table read from Spark's event
log, which show where a run's cores waited."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def spark_bench() -> ModuleType:
    sys.path.insert(0, str(ROOT / "bench"))  # bench/spark.py imports bench/corpus.py
    spec = importlib.util.spec_from_file_location("bench_spark", ROOT / "bench" / "spark.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_timeline_puts_each_worker_in_its_column_and_the_rest_together(
    spark_bench: ModuleType,
) -> None:
    trace = {
        "1": {"kind": "driver", "samples": [[0.0, 0.0], [12.0, 2.0]]},
        "2": {"kind": "jvm", "samples": [[0.5, 1.0], [5.0, 4.0], [15.0, 6.0]]},
        "3": {"kind": "worker", "samples": [[6.0, 0.5], [14.0, 8.0], [19.0, 12.0]]},
        "4": {"kind": "worker", "samples": [[6.0, 0.2], [11.0, 3.0]]},
    }
    rows = spark_bench.timeline(trace)
    assert rows[0].split() == ["from_s", "serial", "w1", "w2"]
    cells = [[float(x) for x in row.split()] for row in rows[1:]]
    # 0-10 s: driver 0, jvm 1 + 3; worker 3 (the busier: w1) 0.5; worker 4 0.2
    assert cells[0] == [0.0, 4.0, 0.5, 0.2]
    # 10-20 s: driver 2, jvm 2; w1 7.5 + 4; w2 2.8
    assert cells[1] == [10.0, 4.0, 11.5, 2.8]
    assert sum(c[1] for c in cells) == pytest.approx(8.0)  # every process's last sample


def _event(kind: str, **fields: object) -> str:
    return json.dumps({"Event": kind, **fields})


def test_the_stage_table_says_how_long_the_last_task_ran_alone(
    spark_bench: ModuleType, tmp_path: Path
) -> None:
    folder = tmp_path / "events" / "eventlog_v2_local-1"
    folder.mkdir(parents=True)

    def task(stage: int, launch: float, finish: float) -> str:
        info = {"Launch Time": int(launch * 1000), "Finish Time": int(finish * 1000)}
        return _event("SparkListenerTaskEnd", **{"Stage ID": stage, "Task Info": info})

    def done(stage: int, name: str, submitted: float) -> str:
        info = {"Stage ID": stage, "Stage Name": name, "Submission Time": int(submitted * 1000)}
        return _event("SparkListenerStageCompleted", **{"Stage Info": info})

    lines = [
        _event("SparkListenerApplicationStart", Timestamp=100_000),
        task(0, 101, 104),
        done(0, "read", 101),
        task(3, 105, 130),
        task(3, 105, 112),
        task(3, 112, 121),
        done(3, "analyse", 105),
    ]
    (folder / "events_1_local-1").write_text("\n".join(lines[:4]) + "\n")
    (folder / "events_2_local-1").write_text("\n".join(lines[4:]) + "\n")
    rows = spark_bench.stages(tmp_path / "events")
    assert rows[1].split() == ["0", "1", "1.0", "4.0", "3.0", "0.0", "read"]
    # three tasks on two cores: the last ended at 130 s, the one before at 121 s
    assert rows[2].split() == ["3", "3", "5.0", "30.0", "41.0", "9.0", "analyse"]
    assert spark_bench.stages(tmp_path / "nothing") == rows[:1]
