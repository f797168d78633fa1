"""The cited extractive summary on a small written story."""

from __future__ import annotations

import re

import pytest
from dossier_corpus import CAPTION

from lagebild.config import Config
from lagebild.dossier.candidates import combined, patterns, rule_examples
from lagebild.dossier.summary import summarize, summary_length
from lagebild.model import Story


def test_summary_cites_exact_sentences(flood):
    story, docs = flood
    summary = summarize(story, docs, Config())
    assert 4 <= len(summary) <= Config().dossier.summary_max
    texts = {d.id: d.article.text for d in docs}
    for line in summary:
        c = line.citation
        assert texts[c.article_id][c.start : c.end] == line.text
        assert c.outlet


def test_summary_has_no_repeats_captions_teasers_or_copies(flood):
    story, docs = flood
    summary = summarize(story, docs, Config())
    lines = [s.text for s in summary]
    assert len(lines) == len(set(lines))
    copies = {c for c, _ in story.duplicates}
    for s in summary:
        assert s.citation.article_id not in copies
        assert s.text != CAPTION
        assert not s.text.endswith("?")
        assert not s.text.startswith("Lesen Sie")
        assert s.text != "Lage am Inn"


def test_summary_is_multi_source_and_in_time_order(flood):
    story, docs = flood
    summary = summarize(story, docs, Config())
    assert len({s.citation.outlet for s in summary}) >= 3
    order = {a: i for i, a in enumerate(story.article_ids)}
    keys = [(order[s.citation.article_id], s.citation.start) for s in summary]
    assert keys == sorted(keys)


def test_corroborated_sentence_beats_single_source_one(flood):
    story, docs = flood
    summary = summarize(story, docs, Config().with_("dossier", summary_min=3, summary_max=3))
    joined = " ".join(s.text for s in summary)
    # the state of emergency is reported by every outlet; school closures by one
    assert "Katastrophenfall" in joined
    assert "Schulen" not in joined


def test_length_scales_with_story_size():
    config = Config()
    sizes = [summary_length(n, 1000, config) for n in (1, 5, 20, 500)]
    assert sizes == sorted(sizes)
    assert 8 <= sizes[1] <= 12
    assert sizes[-1] == config.dossier.summary_max
    assert summary_length(5, 4, config) == 4


def test_empty_story_has_empty_summary():
    assert summarize(Story(id="x", article_ids=()), [], Config()) == ()


@pytest.mark.parametrize("lang", ["de", "en"])
@pytest.mark.parametrize("name", ["skip.txt", "credits.txt", "background.txt"])
def test_rule_examples_match(lang, name):
    examples = rule_examples(lang, name)
    assert examples
    compiled = {p.pattern: p for p in patterns(lang, name)}
    for pattern, example in examples:
        assert re.search(compiled[pattern], example), (pattern, example)
        assert combined(lang, name).hit(example), (pattern, example)


def test_summary_keeps_to_the_story_language(flood):
    import dataclasses
    from datetime import UTC, datetime

    from dossier_corpus import make_article

    from lagebild.model import Doc
    from lagebild.text import analyze

    story, docs = flood
    text = (
        "The Danube reached a level of 9.5 metres in Passau on Monday morning, officials said.\n\n"
        "The city declared a state of emergency and closed the old town to traffic."
    )
    english = make_article(
        "Morning Ledger", "Danube floods Passau", datetime(2024, 6, 3, tzinfo=UTC), text
    )
    english = dataclasses.replace(english, language="en", captions=())
    docs = [*docs, analyze(Doc(article=english))]
    story = dataclasses.replace(story, article_ids=(*story.article_ids, english.id))
    summary = summarize(story, docs, Config())
    assert summary
    assert all(s.citation.article_id != english.id for s in summary)
