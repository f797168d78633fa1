"""A big ingest lets the analysis models go before clustering; analysing after loads them again."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from lagebild import stories
from lagebild.app import Lagebild
from lagebild.entities import ner
from lagebild.model import Article
from lagebild.pipeline import Pipeline
from lagebild.quotes import learned

TEXT = (
    "Angela Merkel traf am Montag in Berlin den französischen Präsidenten Emmanuel Macron. "
    '"Wir werden die Zusammenarbeit vertiefen", sagte Merkel nach dem Treffen im Kanzleramt. '
    "Macron sagte, Frankreich und Deutschland stünden vor großen Aufgaben in der Europäischen Union."
)


def _loaded() -> tuple[int, int]:
    """(NER taggers, quote scorers) the process holds."""
    return ner._load_crf.cache_info().currsize, learned.quote_scorer.cache_info().currsize


def test_release_drops_the_models_and_the_next_doc_is_analysed_the_same() -> None:
    pipeline = Pipeline()
    pipeline.release()  # other tests in this process may have loaded other models
    assert _loaded() == (0, 0)
    article = Article(
        id="a1", title="Merkel trifft Macron", text=TEXT, source="t", format="text", language="de"
    )
    before = pipeline(article)
    assert before.mentions and before.quotes  # both models were used
    assert _loaded() == (1, 1)
    pipeline.release()
    assert _loaded() == (0, 0)
    after = pipeline(article)
    assert _loaded() == (1, 1)
    assert after.mentions == before.mentions
    assert after.quotes == before.quotes


def _dumps(folder: Path, n: int) -> Path:
    folder.mkdir()
    for i in range(n):
        (folder / f"{i}.txt").write_text(
            f"Merkel trifft Macron {i}\n\n{1_700_000_000 + 3600 * i} meldung-{i}\n\n{TEXT}\n",
            encoding="utf-8",
        )
    return folder


@pytest.mark.parametrize(
    ("release_after", "held"), [(3, (0, 0, 0)), (4, (0, 0, 0)), (5, (1, 1, 4))]
)
def test_an_ingest_of_release_after_articles_clusters_without_the_models(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    release_after: int,
    held: tuple[int, int, int],
) -> None:
    """(NER taggers, quote scorers, fresh docs) held while clustering; a run given
    ``release_after`` articles to analyse keeps no fresh docs while it analyses either."""
    seen: list[tuple[int, int, int]] = []
    kept: list[bool] = []  # whether fresh docs were kept, per stored batch of analyses
    real_cluster, real_put = stories.cluster_store, Lagebild._put

    def watched_cluster(app: Lagebild, *args: Any, **kwargs: Any) -> object:
        seen.append((*_loaded(), len(app._fresh or ())))
        return real_cluster(app, *args, **kwargs)

    def watched_put(app: Lagebild, *args: Any, **kwargs: Any) -> None:
        kept.append(app._fresh is not None)
        real_put(app, *args, **kwargs)

    monkeypatch.setattr(stories, "cluster_store", watched_cluster)
    monkeypatch.setattr(Lagebild, "_put", watched_put)
    app = Lagebild(tmp_path / "x.db")
    app.release_after = release_after
    report = app.ingest([_dumps(tmp_path / "in", 4)])
    assert len(report.added) == 4 and not report.failed
    assert seen == [held]
    assert kept and set(kept) == {release_after > 4}
    # what clustering and the lists after it made does not depend on it
    assert sorted(a for s in app.stories() for a in s.article_ids) == sorted(report.added)
    app.close()
