"""How the exports present a dossier: statements by speaker, facts, counts (dossier.views)."""

from __future__ import annotations

from lagebild.dossier import views
from lagebild.dossier.views import by_speaker
from lagebild.model import Statement


def _st(speaker: str, entity: str | None, text: str) -> Statement:
    return Statement(speaker, entity, "direct", text)


def test_one_heading_per_speaker_resolved_or_not() -> None:
    groups = by_speaker(
        [
            _st("Pilotengewerkschaft Aerosyn", "e1", "a"),
            _st("Pilotengewerkschaft Aerosyn", None, "b"),
            _st("Pilotengewerkschaft Aerosyn", "e9", "c"),
            _st("Kim", "kim-jong-un", "d"),
            _st("Kim", "kim-jae-chun", "e"),
            _st("Putin", None, "f"),
            _st("Wladimir Putin", "putin", "g"),
        ]
    )
    heads = {name: [s.text for s in g] for name, g in groups}
    assert heads["Pilotengewerkschaft Aerosyn"] == ["a", "b", "c"]
    assert heads["Wladimir Putin"] == ["g", "f"]
    assert [name for name, _ in groups].count("Kim") == 2  # two people, both written "Kim"


def test_an_unresolved_pronoun_is_no_speakers_name() -> None:
    groups = dict(by_speaker([_st("sie", None, "a"), _st("Sie", "brenner", "b")]))
    assert [s.text for s in groups["unnamed speaker (sie)"]] == ["a"]
    assert [s.text for s in groups["Sie"]] == ["b"]  # resolved: the entity names it elsewhere


def test_statements_without_a_speaker_come_last_under_a_plain_heading() -> None:
    unattributed = [Statement("", None, "indirect", t) for t in "abc"]
    groups = by_speaker([*unattributed, _st("Anna Roth", "roth", "d")])
    assert [name for name, _ in groups] == ["Anna Roth", "speaker not identified"]
    assert [s.text for s in groups[-1][1]] == ["a", "b", "c"]


def test_a_fact_value_keeps_its_range_hedge_and_readable_unit() -> None:
    from lagebild.dossier.views import value_text
    from lagebild.model import FactGroup

    def group(**kw: object) -> FactGroup:
        base: dict = {
            "kind": "count",
            "measures": "Koreaner",
            "value": 2e6,
            "unit": "",
            "text": "t",
        }
        return FactGroup(**{**base, **kw})

    assert value_text(group(value_max=4e6)) == "2 million–4 million"
    assert value_text(group(kind="money", value=2.4e9, unit="EUR", approx="about")) == (
        "about 2.4 billion EUR"
    )
    assert value_text(group(value=1_234_567.0)) == "1 234 567"  # no rounding away digits
    assert value_text(group(kind="duration", value=4.0, unit="a", approx="more-than")) == (
        "more than 4 years"
    )
    assert value_text(group(kind="duration", value=1.0, unit="d")) == "1 day"
    assert value_text(group(kind="distance", value=900.0, unit="km", approx="about")) == (
        "about 900 km"
    )
    assert value_text(group(kind="claim", value=None, text="Wladiwostok")) == "Wladiwostok"


def test_dossier_speakers_are_named_as_the_storys_entities() -> None:
    from lagebild.dossier import build_dossier
    from lagebild.model import Article, Story
    from lagebild.pipeline import Pipeline

    texts = {
        "a": "Der Zeitplan sei sehr ehrgeizig, sagte die Energieökonomin Ruth Albrecht in Leipzig.",
        "b": "Ruth Albrecht vom Institut für Energiewirtschaft warnte. Albrecht sagte, die "
        "Leitung komme zu spät.",
    }
    docs = [
        Pipeline()(Article(id=k, title="t", text=v, source=k, format="text", language="de"))
        for k, v in texts.items()
    ]
    dossier = build_dossier(Story(id="s", title="t", article_ids=("a", "b")), docs)
    ids = {e.id: e.name for e in dossier.entities}
    speakers = {(st.speaker, ids.get(st.speaker_entity or "")) for st in dossier.statements}
    assert speakers == {("Ruth Albrecht", "Ruth Albrecht")}


def test_currencies_are_no_entities_of_a_dossier() -> None:
    from lagebild.dossier import build_dossier
    from lagebild.model import Article, Story
    from lagebild.pipeline import Pipeline

    text = (
        "Der Konzern Lumetra meldete 310 Millionen Euro Umsatz. Die Euro-Zone und die "
        "Bundesliga litten. Lumetra erwartet 20 Millionen Euro Verlust."
    )
    doc = Pipeline()(
        Article(id="a", title="t", text=text, source="a", format="text", language="de")
    )
    assert any(m.text == "Euro" for m in doc.mentions)  # the tagger keeps GermEval's OTH
    dossier = build_dossier(Story(id="s", title="t", article_ids=("a",)), [doc])
    names = {e.name for e in dossier.entities}
    assert "Lumetra" in names and "Euro" not in names


def test_counts_read_as_sentences_do() -> None:
    assert views.counted(1, "article") == "1 article"
    assert views.counted(0, "article") == "0 articles"
    assert views.counted(1, "syndicated copy", "syndicated copies") == "1 syndicated copy"
    assert views.counted(3, "copy", "copies") == "3 copies"


def test_a_computed_share_is_shown_to_one_decimal() -> None:
    assert views.number_text(200 / 3) == "66.7"
    assert views.number_text(9.5) == "9.5"
    assert views.number_text(4.25) == "4.25"
    assert views.number_text(40000) == "40 000"
    assert views.number_text(2.4e9) == "2.4 billion"


def test_a_statement_inside_a_longer_one_of_its_speaker_is_listed_once() -> None:
    from lagebild.dossier.sections import _without_nested
    from lagebild.model import Citation

    def st(form: str, start: int, end: int, speaker: str = "Aerosyn") -> Statement:
        return Statement(speaker, None, form, f"{start}", (Citation("a1", start, end),))

    outer, tail, direct = st("reported", 10, 90), st("indirect", 40, 90), st("direct", 60, 90)
    other = st("indirect", 40, 90, speaker="Lindholm")
    kept = _without_nested([outer, tail, direct, other])
    assert kept == [outer, direct, other]


def test_a_dossier_dated_by_month_only_reports_says_the_month(tmp_path) -> None:
    """Reports dated to their month only, with nothing in their text that narrows it, show
    the month in the dossier's header, not the middle day the article list sorts them by."""
    import json

    from click.testing import CliRunner

    from lagebild.cli import main

    rows = [
        {"title": "Streik bei der Bahn", "text": "Die Lokführer der GDL streiken erneut.",
         "published": "2019-04", "url": f"https://{site}.example/1"}
        for site in ("a", "b")
    ]  # fmt: skip
    src = tmp_path / "a.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    db = str(tmp_path / "s.db")
    runner = CliRunner()
    assert runner.invoke(main, ["--db", db, "ingest", str(src)]).exit_code == 0
    listed = runner.invoke(main, ["--db", db, "stories", "--format", "jsonl"])
    story_id = json.loads(listed.output.splitlines()[0])["id"]
    out = runner.invoke(main, ["--db", db, "dossier", story_id])
    assert out.exit_code == 0, out.output
    header = out.output.splitlines()[2]
    assert "· 2019-04 ·" in header, header
    assert "2019-04-1" not in out.output.split("## Summary")[0]  # no invented day


def test_a_fact_in_the_first_sentence_is_quoted_from_its_first_letter() -> None:
    from lagebild.model import Article, Citation, Dossier, FactGroup, Story

    text = "In Magdeburg wurden 205 Menschen verletzt. Die Polizei ermittelt."
    art = Article(id="a", title="T", text=text, source="a", format="text")
    at = text.index("205")
    group = FactGroup("count", "Menschen", 205, "", "205",
                      citations=(Citation("a", at, at + 3),))  # fmt: skip
    dossier = Dossier(story=Story(id="s", article_ids=("a",)), headline="T", articles=(art,))
    assert views.fact_context(group, dossier) == "In Magdeburg wurden 205 Menschen verletzt."
    later = text.index("Polizei")
    group2 = FactGroup("count", "x", 1, "", "x", citations=(Citation("a", later, later + 7),))
    assert views.fact_context(group2, dossier) == "Die Polizei ermittelt."
