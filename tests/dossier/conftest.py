"""Fixtures of the dossier tests; the written corpus itself is in dossier_corpus.py."""

from __future__ import annotations

import pytest
from dossier_corpus import TEXTS, flood_docs, full_bundle_of

from lagebild.dossier.assemble import DossierBundle
from lagebild.model import Doc, Story


@pytest.fixture
def flood() -> tuple[Story, list[Doc]]:
    return flood_docs()


@pytest.fixture
def corpus_dir(tmp_path):
    """The same articles as text dumps (title line, then body) in a temporary folder."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    for i, (_, (title, _, text)) in enumerate(TEXTS.items()):
        (folder / f"{i:03d}.txt").write_text(f"{title}\n\n{text}\n", encoding="utf-8")
    return folder


@pytest.fixture
def full_bundle(flood) -> DossierBundle:
    return full_bundle_of(*flood)
