"""The main job over the real texts in ../shared: no traceback, no stage failure, nothing
unanalysed or outside a story, a dossier for every story, the report index (issue 14).

CI runs a slice: every 8th text of 10kGNAD, SpkAtt, KRAUTS, WCXB and Zyte, all of 20min-xd
and the seeds (375 texts; ~90 s CPU, ~1.1 GB peak RSS). Every real text (2,752) in one run
is opt-in, as it takes ~10 minutes of CPU: ``LAGEBILD_REAL_CORPUS=full`` (``make
real-corpus``). See tests/real_corpus.py.
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import pytest

_spec = importlib.util.spec_from_file_location(
    "real_corpus", Path(__file__).resolve().parent / "real_corpus.py"
)
real_corpus = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(real_corpus)

SLICE = 8  # every 8th text of each source


@pytest.mark.slow
@pytest.mark.shared
def test_the_main_job_over_a_slice_of_every_real_source(need, tmp_path: Path) -> None:
    for part in real_corpus.SOURCES:
        need(*part.split("/"))
    shared = need("data").parent
    inputs = real_corpus.inputs(shared, tmp_path, every=SLICE)
    real_corpus.run_and_check(inputs, tmp_path, at_least=340)


@pytest.mark.slow
@pytest.mark.shared
@pytest.mark.skipif(
    os.environ.get("LAGEBILD_REAL_CORPUS") != "full",
    reason="every real text in one run (~10 min CPU) is opt-in: LAGEBILD_REAL_CORPUS=full",
)
def test_the_main_job_over_every_real_text(need, tmp_path: Path) -> None:
    for part in real_corpus.SOURCES:
        need(*part.split("/"))
    shared = need("data").parent
    inputs = real_corpus.inputs(shared, tmp_path)
    real_corpus.run_and_check(inputs, tmp_path, at_least=2700)
