"""simplemma's dictionaries as mapped tables (text/dictionaries.py) answer as simplemma does."""

from __future__ import annotations

import os
import random
import struct
import subprocess
import sys

import pytest
import simplemma
from simplemma.strategies.dictionaries import DefaultDictionaryFactory

from lagebild.text import dictionaries, lemma
from lagebild.text.dictionaries import Table, build, load


def _pairs(n: int, seed: int) -> dict[bytes, bytes]:
    """Random entries: shared prefixes, multi-byte letters, values longer and shorter than
    their keys, and values that share nothing with theirs."""
    rng = random.Random(seed)
    letters = "abcdeäöüßéŁ"
    out: dict[bytes, bytes] = {}
    while len(out) < n:
        key = "".join(rng.choice(letters) for _ in range(rng.randint(1, 12)))
        kind = rng.randint(0, 3)
        value = (
            key[: rng.randint(0, len(key))] + "".join(rng.choice(letters) for _ in range(kind))
            if kind
            else "".join(rng.choice(letters) for _ in range(rng.randint(1, 5)))
        )
        out[key.encode()] = value.encode()
    return out


@pytest.mark.parametrize("n", [0, 1, 7, 2_000])
def test_a_table_answers_every_entry_and_no_other_word(n: int) -> None:
    entries = _pairs(n, n)
    table = Table(build(entries.items()))
    assert len(table) == n and sorted(table) == sorted(k.decode() for k in entries)
    for key, value in entries.items():
        assert table.get(key.decode()) == value.decode() and table[key.decode()] == value.decode()
    others = {k.decode() + "x" for k in entries} | {"", "zz", "A"}
    for word in others - {k.decode() for k in entries}:
        assert table.get(word) is None and table.get(word, "-") == "-"
        with pytest.raises(KeyError):
            table[word]


def test_answers_stay_right_when_the_memo_of_recent_words_fills(monkeypatch) -> None:
    """Recent answers are remembered (and the memo cleared when full): asking again, in any
    order, misses included, gives what the table holds."""
    monkeypatch.setattr(dictionaries, "MEMO", 5)
    entries = _pairs(300, 9)
    table = Table(build(entries.items()))
    words = [k.decode() for k in entries] + ["nicht-da", "auch-nicht"]
    rng = random.Random(4)
    for word in rng.choices(words, k=3000):
        expected = entries.get(word.encode())
        assert table.get(word) == (expected.decode() if expected else None)
        assert table.get(word, "?") == (expected.decode() if expected else "?")
    assert len(table._memo) <= 5


def test_long_keys_and_values_are_kept_whole() -> None:
    """An edit that would drop 255 or more bytes stores the value in full."""
    entries = {("k" * 300).encode(): b"v", b"w" * 2: ("w" * 400).encode(), b"x": b"x"}
    table = Table(build(entries.items()))
    assert {k: table[k] for k in table} == {k.decode(): v.decode() for k, v in entries.items()}


def test_a_cut_or_foreign_file_is_not_read() -> None:
    data = build(_pairs(50, 1).items())
    for bad in (data[:100], b"x" * len(data), data[: len(data) - 1], data[:10]):
        with pytest.raises((ValueError, struct.error)):
            Table(bad)


def test_a_small_language_as_simplemma_has_it(tmp_path) -> None:
    """Every entry of a shipped dictionary, and words it lacks, answered as simplemma's own
    dict answers them; written once to the folder and mapped from there after."""
    lang = "ms"  # a small one (17,665 entries)
    mine = load(lang, tmp_path)
    theirs = DefaultDictionaryFactory(cache_max_size=1).get_dictionary(lang)
    assert len(mine) == len(theirs) > 1000
    for word in theirs:
        assert mine.get(word) == theirs.get(word)
    rng = random.Random(3)
    for word in rng.sample(sorted(theirs), 500):
        for other in (word + "e", word.upper(), word[:-1], word.capitalize()):
            assert mine.get(other) == theirs.get(other)
    (written,) = tmp_path.iterdir()
    assert written.name.startswith("ms-") and written.name.endswith(".table")
    assert type(load(lang, tmp_path)._data).__name__ == "mmap"


def test_a_folder_that_cannot_be_written_still_gives_the_dictionary(tmp_path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    theirs = DefaultDictionaryFactory(cache_max_size=1).get_dictionary("ms")
    table = load("ms", blocker / "sub")
    assert len(table) == len(theirs) and all(table.get(w) == theirs.get(w) for w in theirs)


def test_the_written_table_is_readable_by_all_and_a_failed_write_leaves_nothing(
    tmp_path, monkeypatch
) -> None:
    load("ms", tmp_path / "ok")
    (written,) = (tmp_path / "ok").iterdir()
    assert written.stat().st_mode & 0o777 == 0o644

    def full(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full)
    table = load("ms", tmp_path / "full")
    assert len(table) == len(load("ms", tmp_path / "ok"))
    assert list((tmp_path / "full").iterdir()) == []


def test_an_unknown_language_fails_as_in_simplemma(tmp_path) -> None:
    with pytest.raises(ValueError):
        load("xx", tmp_path)
    with pytest.raises(ValueError):
        lemma.lemmatize("Haus", "xx")
    with pytest.raises(ValueError):
        simplemma.lemmatize("Haus", lang="xx")


WORDS = [
    "Häuser",
    "Hauses",
    "Bundeskanzlerin",
    "Verteidigungsministeriums",
    "Beobachtern",
    "sagte",
    "gesagt",
    "Einsatzkräften",
    "Wostotschny",
    "Putin",
    "NATO",
    "Foulpfiff",
    "ging",
    "gegangen",
    "Medienberichten",
    "Kripo-Beamten",
    "des",
    "am",
    "Ärzte",
    "ärztlichen",
    "Straße",
    "Strasse",
    "café",
    "Café",
    "2016",
    "e-Mail",
    "Zürich",
    "iPhone",
    "Tagesspiegels",
    "russischen",
    "Deutschen",
    "Menschen",
]


@pytest.mark.parametrize("lang", ["de", "en", "fr"])
def test_lemmas_and_known_words_as_simplemma_gives_them(lang: str) -> None:
    """``text.lemma``'s lemmatize / is_known against simplemma's on the same words, plus their
    lower- and upper-case forms."""
    words = [w for word in WORDS for w in (word, word.lower(), word.upper(), word + "n")]
    for word in words:
        assert lemma.lemmatize(word, lang) == simplemma.lemmatize(word, lang=lang), word
        assert lemma.is_known(word, lang) == simplemma.is_known(word, lang=lang), word
    with pytest.raises(ValueError):
        lemma.is_known("", lang)
    with pytest.raises(ValueError):
        simplemma.is_known("", lang=lang)


def test_a_process_that_lemmatises_maps_the_table_and_does_not_decode(tmp_path) -> None:
    """A second process finds the table written by the first: it never runs simplemma's
    decoder of the front-coded stream (a small language, so the test builds little)."""
    code = (
        "import simplemma, simplemma.strategies.dictionaries.dictionary_factory as f\n"
        "calls = []\n"
        "inner = f._load_dictionary_from_disk\n"
        "f._load_dictionary_from_disk = lambda lang: calls.append(lang) or inner(lang)\n"
        "from lagebild.text.lemma import is_known, lemmatize\n"
        "words = ('makanan', 'Makanan', 'dimakan', 'xyzq')\n"
        "mine = [(lemmatize(w, 'ms'), is_known(w, 'ms')) for w in words]\n"
        "n = len(calls)\n"
        "theirs = [(simplemma.lemmatize(w, 'ms'), simplemma.is_known(w, 'ms')) for w in words]\n"
        "print(n, mine == theirs, sum(k for _, k in mine))\n"
    )
    env = {**os.environ, "LAGEBILD_CACHE": str(tmp_path)}
    runs = [
        subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
        for _ in range(2)
    ]
    assert [r.stdout.split() for r in runs] == [["1", "True", "3"], ["0", "True", "3"]]
    assert dictionaries.cache_root().name == "lemma-dictionaries"


def test_write_whole_writes_all_or_nothing(tmp_path) -> None:
    """The cache files (lemma tables, word frequencies, the NER model's derived tables) are
    written whole and readable by others; where the folder cannot be, nothing is left."""
    path = tmp_path / "a" / "b.table"
    assert dictionaries.write_whole(path, b"x" * 1000) and path.read_bytes() == b"x" * 1000
    assert path.stat().st_mode & 0o777 == 0o644
    assert dictionaries.write_whole(path, b"y") and path.read_bytes() == b"y"  # replaced
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    assert not dictionaries.write_whole(blocker / "c.table", b"z")
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["a", "b.table", "file"]
