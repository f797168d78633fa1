"""Spark on one machine: ``scale run`` with ``local[1]`` and ``local[2]``, ``scale load``, and a
plain ``lagebild ingest`` of the same corpus, each as its own command.

Usage: ``python bench/spark.py [--size 10000] [--keep DIR] [--steps ingest,local1,local2,load]``
(needs the ``spark`` extra and Java). With ``--keep``, the corpus and each step's figures stay
in DIR, so a run too long for one sitting goes in pieces (``--steps ingest``, then ``--steps
local1``, ...) and every piece prints the figures of all steps done so far. The corpus is 10kGNAD replicated (``bench/corpus.py``) as one JSONL file. Printed per
command: wall seconds, CPU seconds of its whole process tree (the JVM and Spark's Python
workers are not children that ``getrusage`` sees, so the tree is sampled from ``/proc`` every
0.2 s and each process counted at its last sample: a lower bound) and peak RSS of the
biggest process. Targets (issue 21): ``local[2]`` >= 1.7x ``local[1]`` in wall time (needs
two idle cores: on a shared machine only the CPU columns mean anything); run + load <= 1.1x
a plain ingest in CPU.

``--trace`` shows where a Spark run's cores waited: each process's CPU per 10 s of wall time
(JVM, driver and daemon together, then each Python worker) and, from the run's event log,
every stage's tasks, start, end and how long its last task ran alone (the straggler).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from corpus import write_corpus  # noqa: E402

TICK = os.sysconf("SC_CLK_TCK")
PAGE = os.sysconf("SC_PAGE_SIZE")


def _tree(root: int) -> list[int]:
    """``root`` and every process below it."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            children.setdefault(ppid, []).append(int(entry))
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo.extend(children.get(pid, ()))
    return out


def _sample(pid: int) -> tuple[float, int] | None:
    """(user + sys CPU seconds, RSS bytes) of one process (its own: a waited-for child's
    time would be counted twice, once in its own last sample)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    utime, stime = int(fields[11]), int(fields[12])
    return (utime + stime) / TICK, int(fields[21]) * PAGE


def _kind(pid: int, root: int) -> str:
    """What a process of a Spark run is: ``driver`` (the command), ``jvm``, ``daemon``
    (``pyspark.daemon``, which forks the workers) or ``worker`` (forked by the daemon)."""
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
        ppid = int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
        parent = Path(f"/proc/{ppid}/cmdline").read_bytes()
    except OSError:
        return "other"
    if pid == root:
        return "driver"
    if b"pyspark.daemon" in cmdline:
        return "worker" if b"pyspark.daemon" in parent else "daemon"
    return "jvm" if b"java" in cmdline.split(b"\0", 1)[0] else "other"


def measure(cmd: list[str], env: dict[str, str] | None = None) -> dict[str, Any]:
    """Run ``cmd``; its wall time, the CPU of its process tree and the peak RSS of any one.

    For a Spark run also the CPU of its busiest Python worker: on idle cores the run takes
    about what the rest of the tree used (JVM, driver, daemon: counted as serial, an upper
    bound) plus that worker's CPU, so ``idle_wall_s`` estimates the wall time of a run that
    had the cores to itself, which a shared machine cannot show. ``trace`` holds each
    process's kind and its (seconds since start, CPU seconds) samples."""
    start = time.monotonic()
    proc = subprocess.Popen(
        cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env
    )
    cpu: dict[int, float] = {}
    kinds: dict[int, str] = {}
    samples: dict[int, list[tuple[float, float]]] = {}
    peak = 0
    while proc.poll() is None:
        now = round(time.monotonic() - start, 2)
        for pid in _tree(proc.pid):
            got = _sample(pid)
            if got is not None:
                cpu[pid] = got[0]
                peak = max(peak, got[1])
                if kinds.get(pid, "other") == "other":  # spark-submit's script becomes java
                    kinds[pid] = _kind(pid, proc.pid)
                samples.setdefault(pid, []).append((now, got[0]))
        time.sleep(0.2)
    wall = time.monotonic() - start
    err = proc.stderr.read() if proc.stderr else ""
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{err[-2000:]}")
    total = sum(cpu.values())
    workers = [pid for pid, kind in kinds.items() if kind == "worker"]
    busiest = max((cpu[w] for w in workers), default=0.0)
    serial = total - sum(cpu[w] for w in workers)
    trace = {
        str(pid): {"kind": kinds.get(pid, "other"), "samples": samples[pid]} for pid in samples
    }
    return {"wall_s": wall, "cpu_s": total, "peak_rss_mb": peak / 1e6,
            "busiest_worker_cpu_s": busiest, "idle_wall_s": serial + busiest,
            "workers_cpu_s": sorted((round(cpu[w], 2) for w in workers), reverse=True),
            "trace": trace}  # fmt: skip


def timeline(trace: dict[str, Any], step: float = 10.0) -> list[str]:
    """CPU seconds per ``step`` seconds of wall time: JVM + driver + daemon, then each worker."""
    serial: dict[int, float] = {}
    workers: list[dict[int, float]] = []
    for proc in trace.values():
        used: dict[int, float] = {}
        last = 0.0
        for t, c in proc["samples"]:
            used[int(t // step)] = used.get(int(t // step), 0.0) + c - last
            last = c
        if proc["kind"] == "worker":
            workers.append(used)
        else:
            for b, c in used.items():
                serial[b] = serial.get(b, 0.0) + c
    workers.sort(key=lambda w: -sum(w.values()))
    end = max([*serial, *(b for w in workers for b in w)], default=-1) + 1
    rows = [
        f"{'from_s':>6} {'serial':>6} "
        + " ".join(f"{'w' + str(i + 1):>5}" for i in range(len(workers)))
    ]
    for b in range(end):
        cells = " ".join(f"{w.get(b, 0.0):>5.1f}" for w in workers)
        rows.append(f"{b * step:>6.0f} {serial.get(b, 0.0):>6.1f} {cells}")
    return rows


def stages(events: Path) -> list[str]:
    """Per Spark stage from its event log: tasks, start and end (s since the app started),
    the sum of its task times, and how long the last task ran alone (its end minus the
    end of the one before: the straggler)."""
    logs = sorted(events.rglob("events_*"))  # Spark 4 writes a folder of event files
    begin = 0.0
    info: dict[int, dict[str, Any]] = {}
    ends: dict[int, list[tuple[float, float]]] = {}
    for line in (line for log in logs for line in log.read_text().splitlines()):
        event = json.loads(line)
        kind = event.get("Event")
        if kind == "SparkListenerApplicationStart":
            begin = event["Timestamp"] / 1000
        elif kind == "SparkListenerStageCompleted":
            stage = event["Stage Info"]
            info[stage["Stage ID"]] = stage
        elif kind == "SparkListenerTaskEnd":
            task = event["Task Info"]
            ends.setdefault(event["Stage ID"], []).append(
                (task["Launch Time"] / 1000, task["Finish Time"] / 1000)
            )
    rows = [f"{'stage':>5} {'tasks':>5} {'start':>7} {'end':>7} {'task_s':>7} {'alone_s':>7}  name"]
    for sid, stage in sorted(info.items(), key=lambda kv: kv[1].get("Submission Time", 0)):
        tasks = sorted(ends.get(sid, []), key=lambda x: x[1])
        if not tasks:
            continue
        alone = tasks[-1][1] - tasks[-2][1] if len(tasks) > 1 else 0.0
        rows.append(
            f"{sid:>5} {len(tasks):>5} {min(a for a, _ in tasks) - begin:>7.1f} "
            f"{tasks[-1][1] - begin:>7.1f} {sum(b - a for a, b in tasks):>7.1f} {alone:>7.1f}  "
            f"{stage['Stage Name'][:40]}"
        )
    return rows


STEPS = ("ingest", "local1", "local2", "load")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", type=int, default=10000)
    parser.add_argument("--keep", type=Path, help="Keep corpus, outputs and databases in DIR.")
    parser.add_argument("--steps", default=",".join(STEPS), help="Which commands to run.")
    parser.add_argument(
        "--trace",
        action="store_true",
        help="Per Spark run: CPU per 10 s of each process, and Spark's stages and task times "
        "from its event log (DIR/events-STEP); the samples go to DIR/trace-STEP.json.",
    )
    args = parser.parse_args()
    steps = args.steps.split(",")
    if unknown := set(steps) - set(STEPS):
        parser.error(f"unknown steps {sorted(unknown)}; known: {', '.join(STEPS)}")
    folder = args.keep or Path(tempfile.mkdtemp(prefix="lagebild-spark-"))
    folder.mkdir(parents=True, exist_ok=True)
    corpus = folder / f"gnad-{args.size}.jsonl"
    if not corpus.exists():
        write_corpus(args.size, corpus)
    figures = folder / f"figures-{args.size}.json"
    rows: dict[str, dict[str, Any]] = json.loads(figures.read_text()) if figures.exists() else {}
    cli = [sys.executable, "-m", "lagebild"]
    for step in steps:
        load = [os.getloadavg()[0]]
        if step == "ingest":
            db = folder / "plain.db"
            for old in folder.glob("plain.db*"):
                old.unlink()
            row = measure([*cli, "--db", str(db), "ingest", str(corpus)])
        elif step == "load":
            for old in folder.glob("spark.db*"):
                old.unlink()
            row = measure([*cli, "--db", str(folder / "spark.db"), "scale", "load",
                           str(folder / "out2")])  # fmt: skip
        else:
            n = int(step[-1])
            out = folder / f"out{n}"
            if out.exists():
                shutil.rmtree(out)
            events = folder / f"events-{step}"
            env = None
            if args.trace:
                shutil.rmtree(events, ignore_errors=True)
                events.mkdir()
                env = {**os.environ, "PYSPARK_SUBMIT_ARGS": " ".join(
                    f"--conf spark.eventLog.{k}" for k in ("enabled=true", "compress=false",
                                                          f"dir=file:{events}")
                ) + " pyspark-shell"}  # fmt: skip
            row = measure(
                [*cli, "scale", "run", str(corpus), "--out", str(out), "--master", f"local[{n}]",
                 "--partitions", str(n)], env
            )  # fmt: skip
            if args.trace:
                (folder / f"trace-{step}.json").write_text(json.dumps(row["trace"]))
                print(f"{step}: CPU s per 10 s of wall time", *timeline(row["trace"]), sep="\n")
                print(f"{step}: Spark stages (wall s)", *stages(events), sep="\n")
        load.append(os.getloadavg()[0])
        row.pop("trace", None)
        rows[step] = {**row, "load_before": load[0], "load_after": load[1]}
        figures.write_text(json.dumps(rows, indent=1))
    print(
        f"{args.size} articles (CPU of each process tree; wall time depends on the machine's load)"
    )
    print(f"{'command':>8} {'wall_s':>8} {'cpu_s':>8} {'cpu_ms/article':>15} {'peak_rss_mb':>12} "
          f"{'load 1-min before/after':>24}")  # fmt: skip
    for name, r in rows.items():
        print(f"{name:>8} {r['wall_s']:>8.1f} {r['cpu_s']:>8.1f} "
              f"{1000 * r['cpu_s'] / args.size:>15.1f} {r['peak_rss_mb']:>12.0f} "
              f"{r.get('load_before', 0):>12.1f}/{r.get('load_after', 0):.1f}")  # fmt: skip
    if "local1" in rows and "local2" in rows:
        one, two = rows["local1"], rows["local2"]
        print(f"local[2] vs local[1]: wall {one['wall_s'] / two['wall_s']:.2f}x, "
              f"CPU {two['cpu_s'] / one['cpu_s']:.2f}x as much")  # fmt: skip
        if two.get("idle_wall_s"):
            print(f"  on idle cores (estimate: serial CPU + busiest worker's): local[1] "
                  f"{one['idle_wall_s']:.1f} s, local[2] {two['idle_wall_s']:.1f} s, "
                  f"{one['idle_wall_s'] / two['idle_wall_s']:.2f}x")  # fmt: skip
    if {"local2", "load", "ingest"} <= rows.keys():
        both = rows["local2"]["cpu_s"] + rows["load"]["cpu_s"]
        print(f"run local[2] + load vs plain ingest, CPU: {both / rows['ingest']['cpu_s']:.2f}x")


if __name__ == "__main__":
    main()
