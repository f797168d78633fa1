"""Every EXAMPLE line of every language's rule file is a test case."""

from __future__ import annotations

import pytest

from lagebild.time.rules import languages, ruleset

CASES = [
    pytest.param(lang, rule.name, ex, id=f"{lang}-{rule.name}-{i}")
    for lang in languages()
    for rule in ruleset(lang).rules
    for i, ex in enumerate(rule.examples)
]


def test_languages_are_folders() -> None:
    assert {"de", "en"} <= set(languages())


def test_every_rule_has_an_example() -> None:
    for lang in languages():
        for rule in ruleset(lang).rules:
            assert rule.examples, f"{lang}/{rule.name} has no EXAMPLE line"


@pytest.mark.parametrize(("lang", "rule", "example"), CASES)
def test_example(doc_of, lang: str, rule: str, example) -> None:
    doc = doc_of(example.sentence, example.anchor, lang=lang)
    got = {(t.text, t.value) for t in doc.times}
    if example.span == "-":
        assert not got, f"{rule}: expected nothing in {example.sentence!r}, got {got}"
    else:
        assert (example.span, example.value) in got, f"{rule}: {example.sentence!r} gave {got}"
