"""The optional spaCy backend: loading path, label mapping, clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from lagebild.entities.ner import load_tagger, tag_tokens
from lagebild.errors import ModelNotAvailable
from lagebild.model import Article, Doc

spacy = pytest.importorskip("spacy", reason="spaCy not installed (pip install 'lagebild[spacy]')")


def _tiny_pipeline(path: Path) -> Path:
    """A blank German pipeline whose only component is a rule-based entity ruler."""
    nlp = spacy.blank("de")
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns(
        [
            {"label": "PER", "pattern": "Putin"},
            {"label": "LOC", "pattern": "Moskau"},
            {"label": "MISC", "pattern": "Luna-25"},
            {"label": "ORG", "pattern": [{"LOWER": "new"}, {"LOWER": "york"}, {"LOWER": "times"}]},
            {"label": "DATE", "pattern": "Montag"},
        ]
    )
    nlp.to_disk(path)
    return path


def test_spacy_pipeline_through_the_tagger_interface(tmp_path: Path) -> None:
    path = _tiny_pipeline(tmp_path / "tiny_de")
    tagger = load_tagger(f"spacy:{path}")
    text = "Am Montag sagte Putin in Moskau der New York Times, Luna-25 sei verloren."
    art = Article(id="a1", title="t", text=text, source="s", format="text", language="de")
    mentions = tagger.tag(Doc(article=art))
    got = [(m.text, m.label, m.source, m.article_id) for m in mentions]
    assert got == [
        ("Putin", "PER", "ner", "a1"),
        ("Moskau", "LOC", "ner", "a1"),
        ("New York Times", "ORG", "ner", "a1"),
        ("Luna-25", "OTH", "ner", "a1"),
    ]
    for m in mentions:
        assert text[m.start : m.end] == m.text
    assert tag_tokens(tagger, ["Putin", "reist", "nach", "Moskau"]) == ["B-PER", "O", "O", "B-LOC"]


def test_missing_spacy_pipeline_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ModelNotAvailable, match="not installed"):
        load_tagger(f"spacy:{tmp_path / 'nope'}")
