"""NER building blocks: label mapping, readers, features, the strict metric."""

from __future__ import annotations

from pathlib import Path

from lagebild.entities.ner import data
from lagebild.entities.ner.evaluate import folds, score, write_predictions
from lagebild.entities.ner.features import Featurizer, shape
from lagebild.entities.ner.lexicon import (
    Lexicon,
    build_gazetteer,
    phrase_matches,
    trigger_class,
    triggers,
)


def test_germeval_deriv_and_part_become_o() -> None:
    assert data.map_germeval("B-LOCderiv") == "O"
    assert data.map_germeval("I-ORGpart") == "O"
    assert data.map_germeval("B-PER") == "B-PER"
    assert data.map_germeval("I-OTH") == "I-OTH"


def test_conll_and_mobie_mapping() -> None:
    assert data.map_base("I-MISC") == "I-OTH"
    assert data.map_base("B-ORG") == "B-ORG"
    assert data.map_mobie("B-location-city") == "B-LOC"
    assert data.map_mobie("I-location-stop") == "I-LOC"
    assert data.map_mobie("B-location-route") == "O"
    assert data.map_mobie("B-organization-company") == "B-ORG"
    assert data.map_mobie("B-date") == "O"


def test_iob1_to_bio() -> None:
    assert data.iob1_to_bio(["I-PER", "I-PER", "B-PER", "O", "I-LOC", "I-ORG"]) == (
        "B-PER", "I-PER", "B-PER", "O", "B-LOC", "B-ORG",
    )  # fmt: skip


def test_readers_on_written_examples(tmp_path: Path) -> None:
    ge = tmp_path / "ge.tsv"
    ge.write_text(
        "#\thttp://x\t[2009-01-01]\n1\tDer\tO\tO\n2\tdeutsche\tB-LOCderiv\tO\n"
        "3\tKanzler\tO\tO\n4\tOlaf\tB-PER\tO\n5\tScholz\tI-PER\tO\n\n",
        encoding="utf-8",
    )
    (s,) = data.read_germeval(ge)
    assert s.tokens == ("Der", "deutsche", "Kanzler", "Olaf", "Scholz")
    assert s.labels == ("O", "O", "O", "B-PER", "I-PER")
    mob = tmp_path / "m.conll"
    mob.write_text(
        "-DOCSTART- -1- O O\n\n#Mellendorf\tNE\tI-NE\tB-location-stop\n#S4\tCARD\tI-CA\tB-location-route\n\n",
        encoding="utf-8",
    )
    (m,) = data.read_mobie(mob)
    assert m.tokens == ("Mellendorf", "S4") and m.labels == ("B-LOC", "O")
    ann = tmp_path / "wikiann"
    ann.write_text("de:Louis\tB-PER\nde:starb\tO\n\n", encoding="utf-8")
    assert data.read_wikiann(ann)[0].tokens == ("Louis", "starb")


def test_spans_and_strict_score() -> None:
    gold = [["B-PER", "I-PER", "O", "B-LOC"], ["B-ORG", "O"]]
    pred = [["B-PER", "O", "O", "B-LOC"], ["B-ORG", "O"]]
    assert data.spans(gold[0]) == {(0, 2, "PER"), (3, 4, "LOC")}
    s = score(pred, gold)
    assert round(s.precision, 1) == 66.7 and round(s.recall, 1) == 66.7
    assert s.per_class["PER"] == 0.0 and s.per_class["LOC"] == 100.0


def test_shape_and_triggers() -> None:
    assert shape("Kim-Jong") == "Xx-Xx"
    assert shape("A66") == "Xd"
    assert trigger_class("Außenminister") == "PER"
    assert trigger_class("Nachrichtenagentur") == "ORG"
    assert trigger_class("und") == ""
    assert all(cls in data.LABELS for _, cls in triggers())


def test_trigger_examples_hold() -> None:
    from importlib import resources

    text = (resources.files("lagebild") / "resources/ner/de/triggers.tsv").read_text(
        encoding="utf-8"
    )
    examples = [line.split("\t") for line in text.splitlines() if line.startswith("# EXAMPLE:")]
    assert examples
    for cls_part, stem, sentence in examples:
        cls = cls_part.removeprefix("# EXAMPLE:").strip()
        assert any(trigger_class(w) == cls for w in sentence.split()), (stem, sentence)


def test_gazetteer_from_silver_and_features() -> None:
    silver = [
        data.Tagged(("Wladimir", "Putin", "kam"), ("B-PER", "I-PER", "O")),
        data.Tagged(("Wladimir", "Putin", "ging"), ("B-PER", "I-PER", "O")),
        data.Tagged(("in", "New", "York"), ("O", "B-LOC", "I-LOC")),
        data.Tagged(("nach", "New", "York"), ("O", "B-LOC", "I-LOC")),
    ]
    lex = build_gazetteer(silver)
    assert "gf:PER" in lex.words["Wladimir"] and "gl:PER" in lex.words["Putin"]
    assert phrase_matches(["über", "New", "York"], lex.phrases) == ["", "B-LOC", "I-LOC"]
    feats = Featurizer(lex).sentence(["Präsident", "Wladimir", "Putin", "liest", "„", "Bild", "“"])
    assert "-1trig=PER" in feats[1]
    assert "gf:PER" in feats[1] and "g:PER" in feats[2]
    assert "inq" in feats[5] and "qstart" in feats[5] and "inq" not in feats[3]
    assert "BOS" in feats[0] and "EOS" in feats[6]
    assert any(f.startswith("w[-1]=") for f in feats[1])


def test_lexicon_round_trip(tmp_path: Path) -> None:
    lex = Lexicon(
        {"Putin": ("g:PER",)}, {("New", "York"): "LOC"}, {"Putin": "3.1"}, {"Putin": "2.7.40"}
    )
    lex.save(tmp_path)
    first = (tmp_path / "gazetteer.tsv.gz").read_bytes()
    assert Lexicon.load(tmp_path) == lex
    lex.save(tmp_path)
    assert (tmp_path / "gazetteer.tsv.gz").read_bytes() == first  # byte-identical rewrite


def test_folds_partition_and_are_seeded() -> None:
    items = [data.Tagged((str(i),), ("O",)) for i in range(23)]
    f = folds(items, 5)
    assert sorted(i for fold in f for i in fold) == list(range(23))
    assert f == folds(items, 5)


def test_write_predictions_replaces_outer_column(tmp_path: Path) -> None:
    src = tmp_path / "in.tsv"
    src.write_text("#\tu\t[d]\n1\tPutin\tB-PER\tO\n2\tlacht\tO\tO\n\n", encoding="utf-8")
    dst = tmp_path / "out.tsv"
    write_predictions(src, dst, lambda words: ["B-LOC"] + ["O"] * (len(words) - 1))
    lines = dst.read_text(encoding="utf-8").splitlines()
    assert (
        lines[0].startswith("#\t")
        and lines[1] == "1\tPutin\tB-LOC\tO"
        and lines[2] == "2\tlacht\tO\tO"
    )


def test_embedding_clusters_become_features() -> None:
    import numpy as np

    from lagebild.entities.ner.clusters import build_embed_clusters, embed_vocabulary

    vocab = embed_vocabulary([["Putin", "kam", "Merkel"], ["Putin", "Berlin"]], n=2)
    assert vocab == ["Putin", "Berlin"]  # capitalised only, most frequent first
    vecs = np.random.default_rng(0).normal(size=(6, 8)).astype(np.float32)
    table = build_embed_clusters([f"W{i}" for i in range(6)], vecs, ks=(2, 3))
    assert all(len(v.split(".")) == 2 for v in table.values())
    feats = Featurizer(Lexicon({}, {}, {}, {"Putin": "1.5"})).sentence(["Putin", "lacht"])
    assert "e0=1" in feats[0] and "e1=5" in feats[0]
    assert not any(f.startswith("e0=") for f in feats[1])


def test_stacked_silver_labels_are_features(tmp_path: Path) -> None:
    import pycrfsuite

    lex = Lexicon()
    silver = [(["Putin", "kam"], ["B-PER", "O"]), (["Merkel", "ging"], ["B-PER", "O"])] * 5
    trainer = pycrfsuite.Trainer(verbose=False)
    for words, labels in silver:
        trainer.append(Featurizer(lex).plain(words), labels)
    trainer.train(str(tmp_path / "silver.crfsuite"))
    stack = pycrfsuite.Tagger()
    stack.open(str(tmp_path / "silver.crfsuite"))
    feats = Featurizer(lex, stack=stack).sentence(["Putin", "kam"])
    assert "sv=B-PER" in feats[0] and "sv[1]=O" in feats[0]
    assert any(f.startswith("svp=B-PER|") for f in feats[0])
    assert "sv[-1]=B-PER" in feats[1]
    assert not any(f.startswith("sv") for f in Featurizer(lex).sentence(["Putin", "kam"])[0])


def test_a_variant_model_reads_shared_files_from_its_parent_and_checks_them(tmp_path) -> None:
    import json

    import pytest

    from lagebild.entities.ner.crf import MODEL_FILE
    from lagebild.entities.ner.lexicon import SHARED_KEY, model_file
    from lagebild.entities.ner.train import share_with_parent
    from lagebild.errors import ModelNotAvailable

    parent, variant = tmp_path / "ner", tmp_path / "ner" / "heldout"
    variant.mkdir(parents=True)
    (parent / MODEL_FILE).write_bytes(b"parent weights")
    for d in (parent, variant):
        (d / "gazetteer.tsv.gz").write_bytes(b"same table")
    (variant / "clusters.tsv.gz").write_bytes(b"only the variant's")
    (parent / "clusters.tsv.gz").write_bytes(b"the parent's")
    shared = share_with_parent(variant)
    assert list(shared) == ["gazetteer.tsv.gz"] and not (variant / "gazetteer.tsv.gz").exists()
    (variant / "meta.json").write_text(json.dumps({SHARED_KEY: shared}))
    assert model_file(variant, "gazetteer.tsv.gz") == parent / "gazetteer.tsv.gz"
    assert model_file(variant, "clusters.tsv.gz") == variant / "clusters.tsv.gz"
    (parent / "gazetteer.tsv.gz").write_bytes(b"retrained")
    with pytest.raises(ModelNotAvailable, match="retrain"):
        model_file(variant, "gazetteer.tsv.gz")
