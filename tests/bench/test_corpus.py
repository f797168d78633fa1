"""The bench corpus's respelling: replicas are distinct news, each one-to-one with the original."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

_SPEC = importlib.util.spec_from_file_location(
    "bench_corpus", Path(__file__).resolve().parents[2] / "bench" / "corpus.py"
)
assert _SPEC is not None and _SPEC.loader is not None
corpus = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(corpus)

TEXT = (
    "Wien – Die ÖVP und die SPÖ haben sich am 12. März 2015 auf ein Budget von 4.250 Millionen "
    "Euro geeinigt, sagte Finanzminister Hans Jörg Schelling. Die Grünen kritisierten das Budget; "
    "Schelling verwies auf 2019 und auf 1234 neue Stellen in Wien."
)
WORD = re.compile(r"\w+")


def test_replica_zero_is_the_original() -> None:
    assert corpus.respell(TEXT, 0) == TEXT


def test_respelling_keeps_lengths_boundaries_years_and_lower_case_words() -> None:
    out = corpus.respell(TEXT, 7)
    assert len(out) == len(TEXT)
    assert [m.span() for m in WORD.finditer(out)] == [m.span() for m in WORD.finditer(TEXT)]
    pairs = list(zip(WORD.findall(TEXT), WORD.findall(out), strict=True))
    for old, new in pairs:
        assert old[0] == new[0]  # capitals stay capitals, digits digits
        if old[0].islower() or old in {"2015", "2019", "12"}:
            assert new == old
    changed = {old for old, new in pairs if new != old}
    assert {"Budget", "Schelling", "Wien", "Finanzminister", "1234"} <= changed


def test_within_a_replica_one_word_has_one_spelling_and_two_words_two() -> None:
    pairs = set(zip(WORD.findall(TEXT), WORD.findall(corpus.respell(TEXT, 3)), strict=True))
    old_to_new = dict(pairs)
    assert len(old_to_new) == len(pairs)  # "Budget", "Schelling", "Wien" twice: alike
    assert len(set(old_to_new.values())) == len(old_to_new)


def test_replicas_differ_and_convert_into_each_other() -> None:
    two, five = corpus.respell(TEXT, 2), corpus.respell(TEXT, 5)
    assert two != five
    assert corpus.respell(two, 5, source=2) == five
    assert corpus.respell(five, 0, source=5) == TEXT


def test_records_of_two_replicas_share_no_capitalised_word_but_the_first_letter() -> None:
    texts = [TEXT]
    first, second = corpus.record(texts, 1), corpus.record(texts, 2)
    assert first["url"] != second["url"] and first["published"] < second["published"]
    caps = [{w for w in WORD.findall(r["text"]) if w[0].isupper() and len(w) > 3}
            for r in (first, second)]  # fmt: skip
    assert len(caps[0] & caps[1]) <= 1  # a chance collision at most
