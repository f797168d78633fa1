"""The clustering prior's word frequencies (stories/prior.py) read from a mapped table answer
exactly as wordfreq's own dict does."""

from __future__ import annotations

import gzip
import os
import random
import subprocess
import sys
from pathlib import Path

import msgpack
import pytest

from lagebild.stories import prior
from lagebild.text import dictionaries

wordfreq = pytest.importorskip("wordfreq")


def _cbpack(path: Path, buckets: list[list[str]]) -> Path:
    """A wordfreq list file (gzipped MessagePack: header, then one word list per band)."""
    path.write_bytes(gzip.compress(msgpack.packb([{"format": "cB", "version": 1}, *buckets])))
    return path


def test_a_mapped_list_answers_every_word_as_wordfreqs_dict(tmp_path: Path) -> None:
    lang = "ur"  # a small list: quick to build here
    theirs = wordfreq.get_frequency_dict(lang)
    table = prior._cached(lang, tmp_path)
    assert table is not None and len(table) == len(theirs) > 1000
    assert all(table.get(w) == f for w, f in theirs.items())
    assert set(table) == set(theirs)
    rng = random.Random(3)
    for word in rng.sample(sorted(theirs), 200):
        assert word + "qq" in theirs or table.get(word + "qq") is None
    assert table.get("") is None and table.get("", 0.5) == 0.5
    with pytest.raises(KeyError):
        table["zzqqxx-nicht"]
    written = list(tmp_path.iterdir())
    assert len(written) == 1 and written[0].name.startswith(f"{lang}-")
    again = prior._cached(lang, tmp_path)  # mapped, not built again
    assert again is not None and again.get(next(iter(theirs))) == next(iter(theirs.values()))
    assert list(tmp_path.iterdir()) == written


def test_the_german_prior_is_unchanged() -> None:
    """Every German word wordfreq knows has the same prior as from wordfreq's dict; words it
    does not know get none."""
    ours = prior.frequencies("de")
    theirs = wordfreq.get_frequency_dict("de")
    assert isinstance(ours, prior.BandTable) and len(ours) == len(theirs)
    assert all(ours.get(w) == f for w, f in theirs.items())
    assert prior.prior_df("wostotschny", "de") == 0.0  # the lists are lower-case
    assert 0 < prior.prior_df("kosmodrom", "de") < prior.prior_df("regierung", "de") < 1000


def test_a_word_in_two_bands_gets_the_last_as_in_wordfreq(tmp_path: Path) -> None:
    path = _cbpack(tmp_path / "large_zz.msgpack.gz", [[], ["rot"], [], ["blau", "rot"], ["ä"]])
    assert dict(prior.bands(path)) == {b"rot": b"3", b"blau": b"3", "ä".encode(): b"4"}
    table = prior.BandTable(dictionaries.Table(dictionaries.build(prior.bands(path))))
    assert table["rot"] == table["blau"] == 10 ** (-3 / 100) and table["ä"] == 10 ** (-4 / 100)


def test_codes_without_a_list_file_of_their_own_go_to_wordfreq() -> None:
    """A regional code is matched to its language by wordfreq itself; an unknown one has no
    prior; neither is looked for as a file name."""
    assert prior.data_file("pt-BR") is None and prior.data_file("../de") is None
    assert prior.data_file("de") is not None and prior.data_file("de").name == "large_de.msgpack.gz"
    assert dict(prior.frequencies("pt-BR")) == wordfreq.get_frequency_dict("pt-BR")
    assert prior.frequencies("xx") == {} and prior.prior_df("und", "xx") == 0.0


def test_an_unwritable_cache_folder_keeps_the_table_in_memory(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    path = _cbpack(tmp_path / "large_zz.msgpack.gz", [[], ["rot", "blau"]])
    table = dictionaries.mapped_or_built(blocker / "x" / "zz.table", lambda: prior.bands(path))
    assert dict(table) == {"rot": "1", "blau": "1"}
    assert not list(tmp_path.glob("**/*.tmp"))


def test_a_new_process_maps_the_table_the_first_one_wrote(tmp_path: Path) -> None:
    """The first process builds and writes; the next maps it without importing wordfreq."""
    code = (
        "import sys\n"
        "from lagebild.stories import prior\n"
        "f = prior.frequencies('ur')\n"
        "print(type(f).__name__, 'wordfreq' in sys.modules, len(f))\n"
    )
    env = {**os.environ, "LAGEBILD_CACHE": str(tmp_path)}
    runs = [
        subprocess.run(
            [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
        ).stdout.split()
        for _ in range(2)
    ]
    n = str(len(wordfreq.get_frequency_dict("ur")))
    assert runs == [["BandTable", "True", n], ["BandTable", "False", n]]
    assert [p.name[:3] for p in (tmp_path / prior.CACHE_KIND).iterdir()] == ["ur-"]
