"""Hand-written scans that replace a regular expression per name give the expression's answers."""

from __future__ import annotations

import random
import re

from lagebild.entities.places import _has_adjective, _isch_stems
from lagebild.entities.propagate import whole_words

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
