"""The NER model's derived tables kept in the cache folder (``entities/ner/crf.prepared``)
are the ones derived from the files: same tables, same labels and scores, and never those of
other files or other code."""

from __future__ import annotations

import pickle
import shutil
from pathlib import Path

import numpy as np
import pytest

from lagebild.entities.ner import crf, default_model_dir
from lagebild.entities.ner.crf import CrfTagger, prepared

SENTENCES = [
    (["Angela", "Merkel", "traf", "in", "Berlin", "den", "Präsidenten", "Macron", "."], None),
    (["Die", "Deutsche", "Bahn", "streikt", "am", "Montag", "in", "Bayern", "."], None),
    (["Laut", "UNO", "flohen", "12.000", "Menschen", "aus", "Gaza-Stadt", "."], None),
    (
        ["Wostotschny", "liegt", "im", "Amur-Gebiet", ",", "sagte", "Roskosmos-Chef", "Borissow"],
        None,
    ),
    (["„", "Wir", "bleiben", "“", ",", "erklärte", "die", "ÖVP", "in", "Wien", "."], None),
]


def _same_tables(a: crf.StackedScorer, b: crf.StackedScorer) -> None:
    assert a._union == b._union and list(a._union) == list(b._union)
    assert np.array_equal(a._weights, b._weights) and a._split == b._split
    assert a._rows.fam == b._rows.fam and a._rows.flags == b._rows.flags
    assert a._rows.lengths == b._rows.lengths and a._firsts == b._firsts
    assert a._context == b._context and a._ctx.pair_next == b._ctx.pair_next
    assert (a._ctx.gm, a._ctx.gm_prev, a._ctx.gm_next) == (
        b._ctx.gm,
        b._ctx.gm_prev,
        b._ctx.gm_next,
    )
    for name in ("_sv", "_svp", "_sv_prev", "_sv_pair", "_sv_next"):
        assert np.array_equal(getattr(a, name), getattr(b, name))
    assert a.main.attrs == b.main.attrs and np.array_equal(a.main.trans, b.main.trans)
    assert a.featurizer.lexicon == b.featurizer.lexicon


def test_kept_tables_are_the_derived_ones_and_tag_alike(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("LAGEBILD_CACHE", str(tmp_path))
    derived = CrfTagger.load(default_model_dir())  # derives and keeps
    kept = list((tmp_path / crf.PREPARED_KIND).iterdir())
    assert len(kept) == 1 and kept[0].suffix == ".pickle"
    read = CrfTagger.load(default_model_dir())  # reads back
    assert list((tmp_path / crf.PREPARED_KIND).iterdir()) == kept
    assert read.scorer is not derived.scorer and read.scorer is not None
    assert derived.scorer is not None
    _same_tables(derived.scorer, read.scorer)
    # the read objects share what the derived ones share
    assert (
        read.scorer.featurizer is read.featurizer
        and read.scorer._rows.featurizer is read.featurizer
    )
    assert read.scorer._rows.union is read.scorer._union
    assert read.featurizer.stack is not None  # the stacked tagger is opened, never kept
    for many in (SENTENCES, SENTENCES[:2]):  # batched (numpy scorer) and one by one (crfsuite)
        assert read.tag_scored(many) == derived.tag_scored(many)
    assert read.tag_scored(SENTENCES)[0][0][:2] == ["B-PER", "I-PER"]


def test_other_model_files_or_code_name_another_file(tmp_path: Path, monkeypatch) -> None:
    model = tmp_path / "model"
    shutil.copytree(default_model_dir(), model)
    first = crf._prepared_file(model, tmp_path)
    assert first is not None and first == crf._prepared_file(model, tmp_path)
    (model / "gazetteer.tsv.gz").write_bytes((model / "gazetteer.tsv.gz").read_bytes() + b"\0")
    changed = crf._prepared_file(model, tmp_path)
    assert changed is not None and changed != first
    monkeypatch.setattr(crf, "PREPARED_CODE", (*crf.PREPARED_CODE, "entities/ner/data.py"))
    assert crf._prepared_file(model, tmp_path) not in {first, changed}
    monkeypatch.setattr(crf, "PREPARED_CODE", ("entities/ner/no-such-module.py",))
    assert crf._prepared_file(model, tmp_path) is None  # unreadable code: nothing kept


def test_a_damaged_or_foreign_pickle_is_derived_again(tmp_path: Path) -> None:
    directory = Path(default_model_dir())
    path = crf._prepared_file(directory, tmp_path)
    assert path is not None
    reference = prepared(directory, tmp_path)[1]
    for junk in (b"not a pickle", pickle.dumps(("a", "b")), path.read_bytes()[:1000]):
        path.write_bytes(junk)
        _same_tables(prepared(directory, tmp_path)[1], reference)
        with open(path, "rb") as fh:  # and written over whole
            _same_tables(pickle.load(fh)[1], reference)


def test_an_unwritable_cache_folder_derives_every_time(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    featurizer, scorer = prepared(Path(default_model_dir()), blocker / "x")
    assert scorer.featurizer is featurizer and featurizer.stack is None
    assert not list(tmp_path.glob("**/*.tmp")) and not list(tmp_path.glob("**/*.pickle"))


@pytest.mark.parametrize("name", crf.PREPARED_CODE)
def test_the_code_named_is_there(name: str) -> None:
    assert (Path(crf.__file__).resolve().parents[2] / name).is_file()


def test_only_the_newest_kept_files_stay(tmp_path: Path, monkeypatch) -> None:
    import os

    folder = tmp_path / crf.PREPARED_KIND
    folder.mkdir()
    for i in range(crf.PREPARED_KEEP + 3):
        old = folder / f"old{i:02d}.pickle"
        old.write_bytes(b"x")
        os.utime(old, (1_000_000 + i, 1_000_000 + i))
    prepared(Path(default_model_dir()), folder)
    new = crf._prepared_file(Path(default_model_dir()), folder)
    assert new is not None
    left = {p.name for p in folder.iterdir()}
    newest_old = {f"old{i:02d}.pickle" for i in range(4, crf.PREPARED_KEEP + 3)}
    assert left == {new.name} | newest_old and len(left) == crf.PREPARED_KEEP
