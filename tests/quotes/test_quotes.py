"""Quote extraction: each construction, the resource examples, the seeds, and a SpkAtt floor."""

from __future__ import annotations

import dataclasses
import json
import shutil
from pathlib import Path

import pytest

import lagebild.quotes
import lagebild.text
from lagebild.ingest.textdump import read_text_dump
from lagebild.model import Article, Doc, Quote
from lagebild.quotes import group_statements
from lagebild.quotes.evaluate import evaluate
from lagebild.quotes.learned import shipped, shipped_dir, train_from
from lagebild.quotes.lexicon import languages, lexicon


def analyse(text: str, title: str = "", aid: str = "a1", outlet: str | None = None) -> Doc:
    art = Article(
        id=aid, title=title, text=text, source=aid, format="text", outlet=outlet, language="de"
    )
    return lagebild.quotes.analyze(lagebild.text.analyze(Doc(article=art)))


def with_entities(text: str) -> Doc:
    """The whole fast pipeline, so the entities stage names the people a speaker rule needs."""
    from lagebild.config import Config
    from lagebild.pipeline import Pipeline

    art = Article(id="t", title="", text=text, source="t", format="text", language="de")
    return Pipeline(Config(fast=True))(art)


def only(doc: Doc, form: str) -> list[Quote]:
    return [q for q in doc.quotes if q.form == form]


def test_direct_after_quote() -> None:
    doc = analyse(
        "„Wir werden im Kampf gegen den Imperialismus zusammenstehen“, sagte Kim vor Transparenten."
    )
    (q,) = doc.quotes
    assert q.form == "direct" and q.speaker_text == "Kim" and q.cue_text == "sagte"
    assert q.message_text.startswith("„Wir werden") and q.message_text.endswith("“")
    assert doc.stages[-1] == f"quotes@{lagebild.quotes.VERSION}"


def test_direct_with_colon_and_multi_sentence_quote() -> None:
    doc = analyse(
        "Auf die Frage nach seinen Plänen sagte Putin: „Ich habe dort ein Programm. Wenn ich ankomme, wirst du es wissen.“"
    )
    (q,) = doc.quotes
    assert q.form == "direct" and q.speaker_text == "Putin"
    assert "Programm." in q.message_text and "wissen." in q.message_text


def test_direct_in_other_quote_marks() -> None:
    for text in (
        '"Ich bin froh, dich zu sehen", sagte Putin.',
        "»Ich bin froh, dich zu sehen«, sagte Putin.",
        # a straight opening mark closed by a typographic one, as editors' tools leave it
        '"Ich bin froh, dich zu sehen“, sagte Putin.',
        'Putin sagte:\n\n"Ich bin froh, dich zu sehen. Wir haben viel zu besprechen.”',
    ):
        (q,) = analyse(text).quotes
        assert q.form == "direct" and q.speaker_name == "Putin"


def test_indirect_konjunktiv_and_dass() -> None:
    doc = analyse(
        "NATO-Generalsekretär Jens Stoltenberg sagte im Januar, Russland habe Munition aus Nordkorea erhalten."
    )
    (q,) = doc.quotes
    assert q.form == "indirect" and q.speaker_name == "Jens Stoltenberg"
    assert q.message_text.rstrip(".") == "Russland habe Munition aus Nordkorea erhalten"
    doc = analyse("Er hoffe, dass seine Visite den Grundstein lege, fügte Kim hinzu.")
    (q,) = doc.quotes
    assert (
        q.cue_text == "fügte hinzu"
        and q.speaker_text == "Kim"
        and q.message_text.startswith("Er hoffe")
    )


def test_indirect_with_fragment_and_continuation() -> None:
    doc = analyse(
        "Putin und Kim würden sich „in den kommenden Tagen“ treffen, sagte Kreml-Sprecher Dmitri Peskow am Dienstag. "
        "Das Treffen werde ein Mittagessen beinhalten."
    )
    forms = [(q.form, q.speaker_name) for q in doc.quotes]
    assert ("indirect", "Dmitri Peskow") in forms
    assert ("direct", "Dmitri Peskow") in forms  # the fragment „in den kommenden Tagen“
    cont = [q for q in doc.quotes if q.message_text.startswith("Das Treffen werde")]
    assert cont and cont[0].speaker_name == "Dmitri Peskow"


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ("Laut Yonhap soll der Zug als Umzugsbüro fungieren.", "Yonhap"),
        (
            "Russischen Medien zufolge kündigte Putin Hilfe für den Satellitenbau an.",
            "Russische Medien",  # named in the nominative
        ),
        (
            "Schoigu war nach Angaben des russischen Verteidigungsministeriums nach Nordkorea gereist.",
            "russische Verteidigungsministerium",
        ),
        ("Die Lage sei ernst, so der Sprecher.", "Sprecher"),
    ],
)
def test_reported_attributions(text: str, speaker: str) -> None:
    doc = analyse(text)
    assert doc.quotes, text
    assert any(speaker in (q.speaker_name or q.speaker_text) for q in doc.quotes)


def test_pronoun_and_role_noun_resolve_in_article() -> None:
    doc = analyse(
        "Die „New York Times“ berichtete, Kim werde nach Russland reisen. "
        "Die Zeitung berichtete weiter, Putin hoffe auf Munition. "
        "Kirby sagte, Russland verhandle. Er sagte außerdem, Schoigu sei gereist."
    )
    names = {q.message_text[:12]: q.speaker_name for q in doc.quotes}
    assert names["Putin hoffe "] == "New York Times"
    assert names["Schoigu sei "] == "Kirby"


def test_short_name_takes_nearest_full_name() -> None:
    doc = analyse(
        "Kim Jong-un reist nach Russland. „Das wird schwierig für beide Seiten, glaube ich“, sagte Kim Jae-chun. "
        "„Wir stehen zusammen“, sagte Kim Jong-un. Kim sagte, er unterstütze den Krieg."
    )
    names = [q.speaker_name for q in doc.quotes]
    assert names == ["Kim Jae-chun", "Kim Jong-un", "Kim Jong-un"]


def test_no_quote_for_names_in_quotation_marks() -> None:
    assert analyse("Die beiden sahen eine Rakete vom Typ „Angara“ an.").quotes == ()


def test_a_quotation_after_a_persons_name_and_a_colon_is_that_persons() -> None:
    doc = with_entities(
        "Der Bürgermeister von Petrinja, Darinko Dumbović, bat um Hilfe. Dumbović: «Wir ziehen "
        "Leute aus dem Auto, wir wissen nicht, ob wir Tote haben.» Lokale Medien berichten von "
        "apokalyptischen Szenen."
    )
    (q,) = [q for q in doc.quotes if q.message_text.startswith("«Wir ziehen")]
    assert q.speaker_text == "Dumbović"
    assert q.message_text.endswith("Tote haben.»")  # not on into the next sentence


def test_a_role_held_for_someone_is_not_that_someone() -> None:
    """ "nach Angaben seiner Sprecherin" is his spokeswoman: the one the article introduces
    with that role (here after the statement), else the role itself; never the man the
    possessive points to."""

    def speakers(text: str) -> list[str]:
        return [q.speaker_name for q in with_entities(text).quotes]

    named = speakers(
        "Der Politiker Jonas Brandt ist nach Angaben seiner Sprecherin in ein Lager verlegt "
        "worden. Brandt gehe es gut, erklärte Sprecherin Mira Olsen am Montag."
    )
    assert named[0] == "Mira Olsen" and "Jonas Brandt" not in named
    unnamed = speakers("Der Sänger Max Kern ist nach Angaben seines Managers schwer erkrankt.")
    assert unnamed and unnamed[0] != "Max Kern" and unnamed[0].startswith("Manager")


def test_the_narration_before_a_colon_is_no_part_of_the_quotation() -> None:
    doc = analyse(
        "Der Gefangene wurde in ein Lager im Norden verlegt. Trotz der Strapazen hat er "
        "seinen Mut nicht verloren: „Mir geht es gut“, schrieb der 47-Jährige in einem Brief."
    )
    (q,) = only(doc, "direct")
    assert q.message_text == "„Mir geht es gut“"
    doc = analyse(
        "Der Gefangene wurde verlegt. Trotz der Strapazen hat er seinen Mut nicht verloren: "
        "„Mir geht es gut.“ Das schrieb er in einem Brief an seine Familie."
    )
    assert [q.message_text for q in only(doc, "direct")] == ["„Mir geht es gut.“"]


def test_an_age_before_the_speaker_is_no_speaker() -> None:
    """ "Der 68 Jahre alte Ahmet Yilmaz berichtete": the speaker is the man, not "Jahre"."""
    doc = with_entities(
        "Das Beben war im ganzen Osten des Landes zu spüren. Der 68 Jahre alte Ahmet Yilmaz "
        "berichtete, ein Haus in seiner Straße sei eingestürzt. Eine 39 Jahre alte Frau sagte, "
        "sie sei in Panik geraten."
    )
    names = [q.speaker_name for q in doc.quotes]
    assert names and "Jahre" not in names
    assert names[0] == "Ahmet Yilmaz"


def test_a_quotation_that_closes_its_sentence_ends_the_statement() -> None:
    """The model's labels may run on past the closing mark into the next sentence of
    narration; the statement ends at the mark, and a quotation that opens the next
    sentence still goes on with it."""
    doc = analyse(
        "Fraktionschefin Anna Berger (SPD) hatte gesagt: „Wir schlagen Lena Roth für den "
        "zweiten Wahlgang vor.“ Und weiter: „Ich appelliere an alle, sich ihrer Verantwortung "
        "bewusst zu sein.“ Das gelang. Um 16 Uhr begann die Abstimmung."
    )
    direct = only(doc, "direct")
    assert [q.message_text[:14] for q in direct] == ["„Wir schlagen ", "„Ich appellier"]
    assert all(q.message_text.endswith("“") for q in direct)
    assert not any("gelang" in q.message_text for q in doc.quotes)


def test_every_resource_example_is_a_statement() -> None:
    for lang in languages():
        for example in lexicon(lang).examples:
            if lang != "de" or len(example.split()) < 4 or not example.endswith("."):
                continue
            doc = analyse(example)
            assert doc.quotes, f"{lang}: {example}"


def test_group_statements_merges_outlets() -> None:
    text = "„Ich bin froh, dich zu sehen“, sagte Putin zu Kim."
    d1 = analyse(text, aid="a1", outlet="dpa")
    d2 = analyse("Am Mittwoch: " + text, aid="a2", outlet="APA")
    statements = group_statements([d1, d2])
    assert len(statements) == 1
    assert {c.outlet for c in statements[0].citations} == {"dpa", "APA"}


def test_group_merges_one_outlets_direct_quote_with_anothers_indirect_rendering() -> None:
    d1 = analyse("„Wir werden um jeden Arbeitsplatz kämpfen“, sagte Demir.", aid="a1", outlet="A")
    d2 = analyse("Demir sagte, man werde um jeden Arbeitsplatz kämpfen.", aid="a2", outlet="B")
    d3 = analyse("Demir sagte, die Zahlen seien enttäuschend.", aid="a3", outlet="C")
    statements = [st for st in group_statements([d1, d2, d3]) if st.speaker == "Demir"]
    assert len(statements) == 2
    assert {c.outlet for c in statements[0].citations} == {"A", "B"}


def test_group_keeps_fragment_beside_its_indirect_statement() -> None:
    doc = analyse(
        "Russland würde „bedeutende Mengen an Munition“ bekommen, sagte Kirby am Mittwoch."
    )
    forms = {st.form for st in group_statements([doc]) if "Kirby" in st.speaker}
    assert forms == {"indirect", "direct"}


def _seed_docs(seeds_dir: Path) -> dict[str, Doc]:
    out = {}
    for path in sorted(seeds_dir.glob("00*.txt")):
        art = read_text_dump(path.read_bytes(), str(path))
        assert isinstance(art, Article), art
        art = dataclasses.replace(art, language=art.language or "de")
        out[path.name[:3]] = lagebild.quotes.analyze(lagebild.text.analyze(Doc(article=art)))
    return out


def _said(doc: Doc, name: str, form: str, words: str) -> bool:
    return any(
        name in q.speaker_name and q.form == form and words in q.message_text for q in doc.quotes
    )


def test_seed_speakers(seeds_dir: Path) -> None:
    docs = _seed_docs(seeds_dir)
    assert _said(docs["000"], "Kim Jong-un", "direct", "heiligen Kampf")
    assert _said(docs["000"], "Kim Jong-un", "direct", "zusammenstehen")
    assert _said(docs["000"], "Kim Jong-un", "indirect", "unterstütze Putins Krieg")
    assert _said(docs["003"], "Kim Jong-un", "direct", "tief überzeugt")
    assert _said(docs["003"], "Kim Jong-un", "indirect", "strategischen Partnerschaft")
    assert _said(docs["000"], "Putin", "direct", "Interesse an Raketentechnologie")
    assert _said(docs["001"], "Putin", "direct", "Ich habe dort ein Programm")
    assert _said(docs["002"], "Putin", "direct", "froh, dich zu sehen")
    assert _said(docs["004"], "Putin", "direct", "bilaterale Zusammenarbeit")
    assert _said(docs["001"], "Dmitri Peskow", "direct", "in den kommenden Tagen")
    assert _said(docs["004"], "Kirby", "direct", "bedeutende Mengen")
    assert _said(docs["004"], "Kirby", "indirect", "Schoigu sei demnach")
    assert _said(docs["000"], "Jens Stoltenberg", "indirect", "Russland habe Munition")
    assert _said(docs["000"], "Nikolai Starikow", "direct", "Wirtschaft entwickelt sich")
    assert _said(docs["001"], "Kim Jae-chun", "direct", "nicht alle Forderungen")
    assert not any(
        "Jong" in q.speaker_name and "Forderungen Nordkoreas" in q.message_text
        for q in docs["001"].quotes
    )
    assert _said(docs["001"], "Rossiya-24", "indirect", "absoluter Geheimhaltung")
    assert any(
        "Yonhap" in q.speaker_name and "20 kugelsichere" in q.message_text
        for q in docs["001"].quotes
    )
    assert any("YTN" in q.speaker_name and "Mercedes" in q.message_text for q in docs["001"].quotes)


def _subset(train: Path, tmp: Path, start: int, stop: int) -> Path:
    out = tmp / f"docs{start}-{stop}"
    out.mkdir()
    for path in sorted(train.glob("*.json"))[start:stop]:
        shutil.copy(path, out)
    return out


def test_spkatt_rules_floor(need, tmp_path: Path) -> None:
    """Pinned floor of the rules alone on the first 60 training documents."""
    train = need("data", "quotes", "spkatt2023-task2", "train")
    docs = _subset(train, tmp_path, 0, 60)
    (result,) = evaluate(docs, write=tmp_path / "out", system="rules")
    assert len(list((tmp_path / "out").glob("*.json"))) == 60
    assert result["documents"] == 60
    for key, floor in RULES_FLOOR.items():
        assert result[key] >= floor, (key, result)


# measured 62.9 / 56.2 / 61.6 (message / source / cue; was 62.6 / 57.1 / 64.5: the longer verb
# list of 2026-11-23 costs this subset 2.9 cue F1, but on all 700 documents the rules go from
# 64.9 / 54.1 / 66.7 to 65.5 / 54.5 / 66.7)
RULES_FLOOR = {"message_f1": 60.0, "source_f1": 54.0, "cue_f1": 61.0}


def test_trained_on_a_few_documents_scores_on_others(need, tmp_path: Path) -> None:
    """Train on 60 documents (deterministically), score 40 unseen ones: the machinery works."""
    train = need("data", "quotes", "spkatt2023-task2", "train")
    model = train_from(_subset(train, tmp_path, 0, 60), tmp_path / "m1")
    assert model.cues and Path(model.path).stat().st_size > 1000
    assert model.chooser is not None and model.screen is not None  # the second stage
    (result,) = evaluate(_subset(train, tmp_path, 100, 140), model_dir=tmp_path / "m1")
    assert result["documents"] == 40
    assert result["message_f1"] >= 45.0 and result["cue_f1"] >= 45.0, result
    again = train_from(_subset(train, tmp_path, 60, 75), tmp_path / "m2")
    twice = train_from(tmp_path / "docs60-75", tmp_path / "m3")
    assert Path(again.path).read_bytes() == Path(twice.path).read_bytes()
    assert again.cues == twice.cues
    for name in ("chooser.json", "screen.json"):
        first, second = tmp_path / "m2" / name, tmp_path / "m3" / name
        assert first.is_file() == second.is_file()
        assert not first.is_file() or first.read_bytes() == second.read_bytes()


def test_train_and_eval_commands(need, tmp_path: Path) -> None:
    """`lagebild train quotes` and `lagebild eval quotes` on a stand-in click group."""
    from types import SimpleNamespace

    import click
    from click.testing import CliRunner

    from lagebild.config import Config
    from lagebild.quotes.commands import register

    @click.group()
    @click.pass_context
    def main(ctx: click.Context) -> None:
        # as `lagebild --fast`: the CRF alone (the encoder head needs the 'train' extra)
        ctx.obj = SimpleNamespace(config=Config(fast=True))

    @main.group("eval")
    def eval_group() -> None: ...

    register(main, eval_group)
    train = need("data", "quotes", "spkatt2023-task2", "train")
    docs = _subset(train, tmp_path, 200, 215)
    runner = CliRunner()
    res = runner.invoke(
        main, ["train", "quotes", "--data", str(docs), "--out", str(tmp_path / "m")]
    )
    assert res.exit_code == 0, res.output
    assert (tmp_path / "m" / "tagger.crfsuite").is_file()
    res = runner.invoke(
        main, ["eval", "quotes", str(docs), "--model", str(tmp_path / "m"), "--json"]
    )
    assert res.exit_code == 0, res.output
    last = json.loads(res.output.strip().splitlines()[-1])
    assert last["documents"] == 15 and "message_f1" in last
    assert "published anchor" in res.output


def test_training_the_encoder_head_without_torch_is_one_clear_error(need, tmp_path: Path) -> None:
    """Without the 'train' extra, `lagebild --encoder train quotes` says what to install."""
    import importlib.util

    from click.testing import CliRunner

    from lagebild.cli import main

    if importlib.util.find_spec("torch") is not None:
        pytest.skip("torch is installed here: the encoder head would be trained")
    train = need("data", "quotes", "spkatt2023-task2", "train")
    docs = _subset(train, tmp_path, 200, 203)
    res = CliRunner().invoke(
        main,
        [
            "--db",
            str(tmp_path / "x.db"),
            "--encoder",
            "train",
            "quotes",
            "--data",
            str(docs),
            "--out",
            str(tmp_path / "m"),
        ],
    )
    assert res.exit_code != 0
    assert "lagebild[train]" in res.output and "Traceback" not in res.output
    assert not (tmp_path / "m" / "head.npz").exists()


def test_shipped_model_is_default_and_small() -> None:
    model = shipped("de")
    assert model is not None, "models/quotes-de is missing"
    assert Path(model.path).stat().st_size <= 10 * 1024 * 1024
    assert (shipped_dir("de") / "MODEL_CARD.md").is_file()
    assert shipped("en") is None  # English runs on the rules


def test_dies_teilte_x_mit_quotes_the_sentence_before_without_the_pointer() -> None:
    doc = analyse(
        "Der Leuchtenhersteller Lumetra AG baut bis Ende 2027 rund 1.200 seiner 4.800 Stellen "
        "ab. Das teilte das Unternehmen am Montag mit."
    )
    (q,) = [q for q in doc.quotes if q.speaker_text == "das Unternehmen"]
    assert q.message_text.startswith("Der Leuchtenhersteller")
    assert q.message_text.endswith("Stellen ab")  # not "… ab. Das"


def test_a_verb_of_saying_left_in_the_message_becomes_the_cue() -> None:
    from lagebild.quotes import _cue_from_message
    from lagebild.quotes.extract import Attribution
    from lagebild.quotes.view import View

    def tidy(text: str, speaker: str) -> tuple[str, str, str]:
        doc = analyse(text)
        v = View.of(doc, lexicon("de"))
        words = speaker.split()
        k = v.text.index(words[-1])
        source = tuple(range(k - len(words) + 1, k + 1))
        att = _cue_from_message(v, Attribution("indirect", tuple(range(k, len(v))), (), source))
        return (
            att.kind,
            " ".join(v.text[c] for c in att.cue),
            " ".join(v.text[m] for m in att.message),
        )

    assert tidy("Der Wetterdienst erwartet, dass der Regen nachlässt.", "Der Wetterdienst") == (
        "indirect",
        "erwartet",
        "dass der Regen nachlässt",
    )
    assert tidy("Innenminister Felix Aumann sagte schnelle Soforthilfe zu.", "Felix Aumann") == (
        "reported",
        "sagte zu",
        "schnelle Soforthilfe",
    )
    # a statement whose message opens with no verb of saying is left as it is
    assert tidy("Der Wetterdienst rechnet mit mehr Regen.", "Der Wetterdienst")[1] == ""


def test_a_speaker_runs_to_the_end_of_the_name_it_starts() -> None:
    import lagebild.entities

    text = "Der Pegel erreichte am Montag 6,40 Meter, teilte das Landesamt für Umwelt mit."
    art = Article(id="l", title="", text=text, source="l", format="text", language="de")
    doc = lagebild.entities.analyze(lagebild.text.analyze(Doc(article=art)))
    (q,) = lagebild.quotes.analyze(doc).quotes
    assert q.speaker_text == "das Landesamt für Umwelt"
    assert q.speaker_entity is not None
