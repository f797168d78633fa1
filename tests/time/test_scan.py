"""The rule scanner (``time.scan``) finds exactly what a scan of the whole text per rule finds."""

from __future__ import annotations

import dataclasses
import re

import pytest

from lagebild.time.rules import languages, ruleset
from lagebild.time.scan import Scanner, starts
from lagebild.time.tagger import find

# texts where a start table could go wrong: glued words, digits of other scripts (``\d``
# matches them), matches at the very start and end, underscores (word characters to ``re``)
TRICKY = [
    "Januar 2020 war kalt.",
    "XJanuar 2020 und _Januar 2021, aber (Januar 2022) und „Januar 2023“",
    "am 3.4.2020, am 03.04.20 und x3.4.2020 sowie 2020-04-03 und a2020-04-03",
    "٣ Tage später, ٢٠٢٠ Jahre, 3 Tage, drei Tage und seit ١٠ Jahren",
    "Um 20 Uhr, um 20.15 Uhr, von 9 bis 17 Uhr; 9:30 Uhr und 25 Uhr",
    "in den 80er Jahren, Mitte der 1990er-Jahre, im 19. Jahrhundert, die 2. Hälfte des 20. Jahrhunderts",
    "Am Montag, dem 4. Mai 2020, kam er; am vergangenen Dienstag, montags, jeden Freitag",
    "heute, Heute, gestern Abend, vorgestern, morgen früh, Morgen ist Sonntag, übermorgen",
    "Vorjahr, Vorjahres, im selben Jahr, am gleichen Tag, Tag zuvor, vor kurzem, Vor Kurzem",
    "on Monday, last week, 3 May 2020, May 3, 2020, the 1990s, le 3 mai 2020, mardi dernier",
    "Ostern 2020, Weihnachten, Pfingsten, zu Silvester, am 1. Advent, Tag der Deutschen Einheit",
    "pro Jahr, zweimal pro Woche, im Jahr 2019, 2019 Euro, 2019 Menschen, seit 1789",
    "",
    "2020",
    "Mai",
]


def _examples() -> list[str]:
    return [ex.sentence for lang in languages() for r in ruleset(lang).rules for ex in r.examples]


def _matches(found) -> list[tuple[tuple[int, int], dict[str, str | None]]]:
    return [(m.span(), m.groupdict()) for m in found]


@pytest.mark.parametrize("lang", languages())
def test_scanner_finds_what_a_scan_of_the_whole_text_finds(lang: str) -> None:
    rs = ruleset(lang)
    sc = rs.scanner
    assert sc is not None
    texts = [*TRICKY, *_examples(), " ".join(TRICKY), "\n".join(_examples())]
    read = 0
    for text in texts:
        starts_at = sc.candidates(text)
        for i, rule in enumerate(rs.rules):
            want = _matches(rule.regex.finditer(text))
            got = _matches(sc.finditer(i, rule.regex, text, starts_at))
            assert got == want, (lang, rule.name, text)
            if want:
                assert sc.may_match(i, starts_at), (lang, rule.name, text)
    read = sum(sc.by_start)
    # the shipped rules are read off (a rule that is not still scans the whole text, slowly)
    assert read >= 0.8 * len(rs.rules)


@pytest.mark.parametrize("lang", languages())
def test_find_is_the_same_with_and_without_the_scanner(lang: str, seeds_dir) -> None:
    rs = ruleset(lang)
    plain = dataclasses.replace(rs, scanner=None)
    texts = [p.read_text(encoding="utf-8") for p in sorted(seeds_dir.glob("*.txt"))]
    texts += [*TRICKY, *_examples()]
    n = 0
    for text in texts:
        got = find(text, rs)
        assert got == find(text, plain)
        n += len(got)
    assert n > 0


def test_starts_are_read_off_the_pattern() -> None:
    assert starts(r"(?P<m>Januar|Februar)\s+\d{4}") == {"Jan", "Feb"}
    assert starts(r"(?:[Aa]m\s+)?(?P<d>[12]?\d)\.") == {"Am", "am", "1", "2", "\x00d"}
    assert starts(r"(?<![\d.])ab(?:c|d)e") == {"abc", "abd"}  # lookbehinds: zero width
    assert starts(r"x*y") is None
    # what may start the match with anything, a non-word character or a case-folded letter
    assert starts(r"\s*Mai") is None
    assert starts(r"[^x]ai") is None
    assert starts(r".ai") is None
    assert starts(r"(?i)mai") is None
    assert starts(r"(?i:m)ai") is None
    assert starts(r"„Mai") is None
    assert starts(r"(?:a|)b") == {"ab", "b"}


def test_a_rule_that_is_not_read_scans_the_whole_text() -> None:
    patterns = [r"\b(?i:m)ai\b", r"\bMai", "Mai"]
    sc = Scanner(patterns)
    assert sc.by_start == [False, True, False]
    text = "MAI, Mai und Maik, im Mai"
    at = sc.candidates(text)
    for i, p in enumerate(patterns):
        rx = re.compile(p)
        assert _matches(sc.finditer(i, rx, text, at)) == _matches(rx.finditer(text))


def test_the_scanner_compiles_no_pattern_of_its_own(monkeypatch: pytest.MonkeyPatch) -> None:
    """A language's rules are compiled once (``rules.parse_rules``); the scanner matches at
    word starts with those regexes, where their leading ``\\b`` holds."""
    from lagebild.time import scan

    compiled = []
    real = re.compile
    monkeypatch.setattr(scan.re, "compile", lambda *a, **k: compiled.append(a) or real(*a, **k))
    patterns = [r.pattern for r in ruleset("de").rules]
    sc = Scanner(patterns)
    assert compiled == []
    text = "Am 3. Mai 2024 und am Montag, dem 6. Mai, bis Ende Juni"
    at = sc.candidates(text)
    for i, rule in enumerate(ruleset("de").rules):
        assert _matches(sc.finditer(i, rule.regex, text, at)) == _matches(rule.regex.finditer(text))
