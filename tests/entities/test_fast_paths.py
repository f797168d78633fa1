"""Hand-written scans that replace a regular expression per name give the expression's answers."""

from __future__ import annotations

import random
import re

from lagebild.entities.places import (
    _DE_DERIVED,
    _derived_de,
    _derived_from_any,
    _has_adjective,
    _isch_stems,
)
from lagebild.entities.propagate import whole_words
from lagebild.entities.spans import _BEFORE_TITLE, _words_before

ALPHABET = [
    "Air",
    "air",
    "Nord",
    "nord",
    "valdor",
    "-",
    "_",
    " ",
    ".",
    "ä",
    "Ä",
    "1",
    "²",
    "isch",
    "e",
    "n",
    "(",
    "\n",
    "isch",
    "ische",
    "_",
]


def _texts(seed: int, n: int) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 25))) for _ in range(n)]


def test_whole_words_are_the_matches_of_the_lookaround_pattern() -> None:
    for text in _texts(1, 3000):
        for name in ("Air", "Nord Air", "air-", "ä", "Nordisch"):
            pattern = rf"(?<![\w-]){re.escape(name)}(?![\w-])"
            assert list(whole_words(text, name)) == [m.span() for m in re.finditer(pattern, text)]


def test_adjective_of_a_name_is_found_as_the_per_name_pattern_finds_it() -> None:
    names = ["Valdoria", "Nordair", "Ärmelkanal", "Saint-Denis", "Kos", "Nord_Ost"]
    texts = [
        *_texts(2, 1500),
        "die valdorische Regierung",
        "valdorischen und nordairisch",
        "ärmelkanalische Fähre",
        "saint-denisische",
        "Valdorische",
    ]
    for text in texts:
        stems = _isch_stems(text)
        for name in names:
            slow = _has_adjective(name, text, set(), "de")
            assert _has_adjective(name, text, set(), "de", stems) == slow, (name, text)
    text = "die valdorische Regierung"
    assert _has_adjective("Valdoria", text, set(), "de", _isch_stems(text))
    assert not _has_adjective("Kos", text, set(), "de", _isch_stems(text))


def test_derivation_by_endings_finds_what_a_pass_over_every_place_finds() -> None:
    """A word is derived from one of the article's places exactly when ``_derived_de`` holds
    for one of them, though only the places its endings spell are looked up."""
    rng = random.Random(3)
    stems = ["Israel", "Türk", "Tschech", "Münch", "Lissabon", "Pol", "Bay", "Finn", "Ab", "Kos"]
    ends = sorted({e for pair in _DE_DERIVED for e in pair} | {"s", "ien", "e", "ern"})
    words = [s + e for s in stems for e in ends]
    for _ in range(400):
        places = set(rng.sample(words, rng.randint(0, 12)))
        for word in rng.sample(words, 25):
            slow = any(_derived_de(word, p) for p in places)
            assert _derived_from_any(word, places) == slow, (word, places)
    assert _derived_from_any("Israelis", {"Israel"})
    assert _derived_from_any("Türken", {"Türkei"})
    assert not _derived_from_any("Bayer", {"Bayern"})


def test_isch_stems_are_the_groups_of_the_whole_text_pattern() -> None:
    pattern = re.compile(r"\b(\w+)isch(?:e[mnrs]?)?\b")
    texts = [*_texts(4, 3000), "die valdorische und nordairischen Tische, Fisch; Ischia", "isch"]
    for text in texts:
        text = text.replace("valdor", "valdorisch")
        assert _isch_stems(text) == {m.group(1) for m in pattern.finditer(text)}, text
    assert _isch_stems("die valdorischen Truppen") == {"valdor"}


def test_words_before_a_title_are_the_groups_of_the_pattern() -> None:
    """``_words_before`` reads the window from the right; it gives the groups the pattern
    (with and without its word-start guard) finds by searching from the left."""
    plain = re.compile(r"(\w+)\s+([\w-]+)\s+[„\"»«‚']?$")
    extra = ["im Animationsfilm „", "den  Ex-Film ", "a b", "den Film „\n", "x„Film ", "a b „ "]
    rng = random.Random(6)
    quoted = [t + rng.choice(["„", " ", "\n", " „\n", "'", ""]) for t in _texts(7, 3000)]
    for text in [*_texts(5, 4000), *quoted, *extra]:
        want = plain.search(text)
        guarded = _BEFORE_TITLE.search(text)
        assert (guarded and guarded.groups()) == (want and want.groups()), text
        assert _words_before(text) == (want and want.groups()), text
    assert _words_before("sah den Film ") == ("den", "Film")
    assert _words_before("sah den Film „\n") == ("den", "Film")
    assert _words_before("sah den Film") is None


def test_linked_mentions_are_what_replace_makes() -> None:
    from dataclasses import replace

    from lagebild.entities.canon import _linked
    from lagebild.model import Mention

    rnd = random.Random(5)
    mentions = [
        Mention(
            f"a{rnd.randrange(3)}",
            start := rnd.randrange(500),
            start + rnd.randint(1, 30),
            rnd.choice(["Wien", "Putin", "Kim Jong Un"]),
            rnd.choice(["PER", "LOC", "ORG"]),
            rnd.choice([None, "per:putin", "loc:wien"]),
            rnd.choice(["ner", "rule", "coref"]),
            rnd.choice([None, 0, 2]),
            rnd.choice([None, 0.5, 0.99]),
        )
        for _ in range(200)
    ]
    before = list(mentions)
    got = _linked(mentions, "per:kim")
    want = [replace(m, entity_id="per:kim") for m in mentions]
    assert got == want and [repr(m) for m in got] == [repr(m) for m in want]
    assert all(type(m) is Mention for m in got)
    assert mentions == before and any(m.entity_id != "per:kim" for m in mentions)
    assert {hash(m) for m in got} == {hash(m) for m in want}
