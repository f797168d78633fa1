"""Every EXAMPLE line in the ingest rule files does what it says."""

from __future__ import annotations

from lagebild.ingest import rules


def test_boilerplate_examples_match_their_rule() -> None:
    examples = rules.examples("boilerplate.tsv")
    assert len(examples) >= 20
    for lang, line, reason in examples:
        matched = [r.reason for r in rules.line_rules() if r.pattern.fullmatch(line)]
        assert matched and matched[0] == reason, (lang, line, matched)


def test_marker_examples() -> None:
    from lagebild.ingest.boilerplate import strip_rule_lines

    m = rules.markers()
    for _lang, line, kind in rules.examples("markers.tsv"):
        if kind in ("caption", "photo-credit", "text"):  # photo-word lines
            _kept, removed = strip_rule_lines([line])
            assert [r.reason for r in removed] == ([] if kind == "text" else [kind]), line
            continue
        if kind == "works-for":
            assert any(p.search(line) for p in m.works_for), line
            continue
        patterns = m.byline if kind == "byline" else m.author_box
        assert any(p.match(line) for p in patterns), line


def test_ordinary_sentences_are_not_boilerplate() -> None:
    for line in (
        "Kommentatoren sehen darin einen Wendepunkt.",
        "Die Zeitung teilte die Einschätzung nicht.",
        "Sie druckten die Flugblätter in der Nacht.",
    ):
        assert not any(r.pattern.fullmatch(line) for r in rules.line_rules()), line


def test_languages_come_from_folders() -> None:
    assert {"de", "en"} <= set(rules.languages())


def test_unavailable_examples() -> None:
    from lagebild.ingest.boilerplate import without_placeholders

    examples = rules.examples("unavailable.tsv")
    assert {lang for lang, _, _ in examples} >= {"de", "en", "fr"}
    for lang, line, expected in examples:
        kept, removed = without_placeholders(line)
        if expected == "placeholder":
            assert kept == "" and [r.reason for r in removed] == ["placeholder"], (lang, line)
        else:
            assert (kept, removed) == (line, []), (lang, line)
