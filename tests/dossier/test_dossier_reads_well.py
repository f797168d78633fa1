"""A dossier that reads well: the latest state, no sentence that points back to one left out,
honest source counts, key facts that read as claims."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime

from lagebild import text as text_stage
from lagebild.config import Config
from lagebild.dossier import views
from lagebild.dossier.assemble import key_facts, readable_fact
from lagebild.dossier.candidates import points_back
from lagebild.dossier.summary import summarize
from lagebild.model import Article, Citation, Doc, Dossier, FactGroup, Story


def _doc(i: str, text: str, day: int | None, outlet: str | None = "Nordblatt") -> Doc:
    when = datetime(2023, 9, day, 12, tzinfo=UTC) if day else None
    art = Article(id=i, title=f"T{i}", text=text, source=i, format="text", published=when,
                  outlet=outlet, language="de")  # fmt: skip
    return text_stage.analyze(Doc(article=art))


EARLY = (
    "Der Staatschef wird nach Wladiwostok reisen, wo er sich mit dem Präsidenten treffen werde. "
    "Es sei aber auch möglich, dass das Treffen in Moskau stattfinde. "
    "Die Regierung hatte den Besuch seit Wochen vorbereitet und die Sicherheitskräfte verstärkt."
)
LATE = (
    "Der Staatschef und der Präsident haben sich am Mittwoch im Kosmodrom Wostotschny getroffen. "
    "Er lobte die Zusammenarbeit der beiden Länder in der Raumfahrt ausdrücklich. "
    "Die beiden Delegationen unterzeichneten nach dem Treffen mehrere Abkommen zur Raumfahrt."
)


def test_the_summary_gives_the_latest_state_and_never_a_dangling_pronoun() -> None:
    docs = [_doc("a", EARLY, 4), _doc("b", LATE, 13)]
    story = Story(id="s", article_ids=("a", "b"))
    lines = [s.text for s in summarize(story, docs, Config())]
    assert lines, "a summary"
    assert not any("werde" in x or "möglich" in x for x in lines)  # superseded forecasts
    assert not any(x.startswith("Er ") for x in lines)
    assert any("Kosmodrom Wostotschny" in x for x in lines)


def test_a_demonstrative_early_in_a_sentence_points_back() -> None:
    doc = _doc(
        "c", "Seit diesem Besuch schreiben sich die beiden Staatschefs regelmäßig Briefe.", 1
    )
    assert points_back(doc.sentences[0], "de")
    plain = _doc("d", "Die beiden Staatschefs schreiben sich seit dem Besuch regelmäßig Briefe.", 1)
    assert not points_back(plain.sentences[0], "de")


def test_das_before_a_verb_points_back_das_before_a_noun_does_not() -> None:
    told = _doc("e", "Das teilte ein Sprecher der Stadtwerke am Montag in Lindau mit.", 1)
    assert points_back(told.sentences[0], "de")
    plain = _doc("f", "Das neue Klärwerk der Stadtwerke soll im Herbst in Betrieb gehen.", 1)
    assert not points_back(plain.sentences[0], "de")


def test_a_sentence_cut_inside_a_quotation_is_no_summary_line() -> None:
    from lagebild.dossier.candidates import balanced_quotes, has_statement_shape

    cut = _doc("g", 'Wir müssen nur herausfinden, wo die Grenzen liegen", sagte die Ministerin.', 1)
    assert not has_statement_shape(cut.sentences[0])
    whole = _doc(
        "h", "„Wir müssen nur herausfinden, wo die Grenzen liegen“, sagte die Ministerin.", 1
    )
    assert has_statement_shape(whole.sentences[0])
    assert balanced_quotes("He said “we will stay” and left.")
    assert not balanced_quotes("Sie sagte, man werde »bleiben und ging.")


def test_source_counts_name_unnamed_sources_as_such() -> None:
    class _D:
        articles = (
            _doc("e", LATE, 1).article,
            _doc("f", LATE, 1, outlet=None).article,
            _doc("g", EARLY, 1, outlet="Elbkurier").article,
            _doc("h", EARLY, 1, outlet=None).article,
        )

    assert views.source_count(_D()) == "2 outlets and 2 unnamed sources"  # type: ignore[arg-type]
    assert views.outlets(_D()) == ["Nordblatt", "Elbkurier"]  # type: ignore[arg-type]


def _group(kind: str, measures: str, value: float | None, text: str = "") -> FactGroup:
    cite = (Citation("a", 0, 5, "Nordblatt"),)
    return FactGroup(kind, measures, value, "", text, cite, ("Nordblatt", "Elbkurier"))


def test_key_facts_are_claims_or_not_shown() -> None:
    assert readable_fact(_group("claim", "first since", None, "Pandemie"))
    assert readable_fact(_group("distance", "distance between Städte", 690.0))
    assert not readable_fact(_group("count", "Kandidaten", 6.0))
    assert not readable_fact(_group("age", "age Ausschließen", 83.0))
    assert readable_fact(_group("age", "age Kim Jae-chun", 61.0), {"kim jae-chun"})
    assert not readable_fact(_group("distance", "", 5.0))
    assert not readable_fact(_group("count", "Industrie-", 20.0))  # "Industrie- und …" cut


def test_a_count_is_headed_by_the_number_and_what_it_counts() -> None:
    assert views.fact_heading(_group("count", "Städten", 97.0)) == "97 Städten"
    assert views.fact_heading(_group("distance", "distance between Städte", 690.0)) == (
        "690, distance between Städte"
    )
    assert views.fact_heading(_group("duration", "duration Grenze", 2.0)) == "2"
    quake = dataclasses.replace(_group("scale", "magnitude", 6.3), unit="M")
    assert views.fact_heading(quake) == "magnitude 6.3"


def test_a_number_told_only_as_background_gives_way_to_the_story_s_own() -> None:
    text = (
        "Bei den Streiks im vergangenen Jahr musste die Bahn 80 Prozent der Züge streichen. "
        "Die Gewerkschaft ruft 12000 Lokführer zum Streik auf."
    )
    art = Article(id="a", title="T", text=text, source="a", format="text", language="de")
    old = FactGroup("percent", "share of Züge", 80.0, "%", "80 Prozent",
                    (Citation("a", 52, 62, "Nordblatt"), Citation("a", 52, 62, "Elbkurier")),
                    ("Nordblatt", "Elbkurier"))  # fmt: skip
    now = FactGroup("count", "Lokführer", 12000.0, "", "12000",
                    (Citation("a", 105, 110, "Nordblatt"),), ("Nordblatt",))  # fmt: skip
    dossier = Dossier(story=Story(id="s", article_ids=("a",)), headline="T", articles=(art,),
                      facts=(old, now))  # fmt: skip
    assert [g.measures for g in key_facts(dossier)] == ["Lokführer"]
    alone = dataclasses.replace(dossier, facts=(old,))  # with nothing else, it is shown
    assert [g.measures for g in key_facts(alone)] == ["share of Züge"]


STRIKE_A = (
    "Die Lokführer der Nordbahn streiken seit Mittwoch im Güterverkehr und im Personenverkehr. "
    "Im vergangenen Jahr hatte die Nordbahn bei Streiks der Lokführer die meisten Züge gestrichen. "
    "Die Gewerkschaft fordert eine kürzere Arbeitszeit für die Lokführer im Schichtdienst. "
    "Pendler müssen sich auf Ausfälle im Personenverkehr einstellen. "
    "In Lindau blieben am Morgen die Bahnsteige leer. "
    "Die Fahrgastverbände kritisieren die kurze Ankündigung des Streiks. "
    "Der Vorstand der Nordbahn nannte den Streik unverhältnismäßig. "
    "Ein Gericht hatte den Streik am Dienstag erlaubt. "
    "Die Gewerkschaft droht mit weiteren Streiks im Februar. "
    "Reisende können ihre Fahrkarten ohne Gebühr erstatten lassen."
)
STRIKE_B = (
    "Seit Mittwoch streiken die Lokführer der Nordbahn, der Güterverkehr steht still. "
    "Bei den Streiks im vergangenen Jahr hatte die Nordbahn die meisten Züge gestrichen. "
    "Die Nordbahn bietet einen Notfahrplan mit wenigen Zügen im Personenverkehr an. "
    "Die Gewerkschaft will den Streik am Montag beenden. "
    "Im Hafen von Kiel stauen sich die Container. "
    "Die Industrie warnt vor Engpässen bei Rohstoffen. "
    "Die Verhandlungen sollen nach dem Streik weitergehen. "
    "Ein Schlichter ist bisher nicht in Sicht. "
    "Die Nordbahn will auch am Wochenende einen Notfahrplan anbieten. "
    "Fahrgäste sollen Reisen nach Möglichkeit verschieben."
)


def test_the_summary_tells_the_story_before_its_background() -> None:
    docs = [_doc("a", STRIKE_A, 6), _doc("b", STRIKE_B, 6)]
    lines = [s.text for s in summarize(Story(id="s", article_ids=("a", "b")), docs, Config())]
    assert any("seit mittwoch" in x.casefold() for x in lines), lines
    assert not any("vergangenen Jahr" in x for x in lines), lines


def test_a_number_of_a_year_before_the_story_gives_way_to_the_story_s_own() -> None:
    text = (
        "So starben im Jahr 1999 bei einem Beben in der Region 17000 Menschen. "
        "Seit 2019 wurden 40 Schulen gebaut. Am Montag starben 300 Menschen."
    )
    when = datetime(2023, 2, 7, 12, tzinfo=UTC)
    art = Article(id="a", title="T", text=text, source="a", format="text", language="de",
                  published=when)  # fmt: skip
    s1, s2 = text.index("17000"), text.index("40 Schulen")
    old = FactGroup("count", "Menschen", 17000.0, "", "17000",
                    (Citation("a", s1, s1 + 5, "Nordblatt"), Citation("a", s1, s1 + 5, "Elbkurier")),
                    ("Nordblatt", "Elbkurier"))  # fmt: skip
    built = FactGroup("count", "Schulen", 40.0, "", "40",
                      (Citation("a", s2, s2 + 2, "Nordblatt"), Citation("a", s2, s2 + 2, "Elbkurier")),
                      ("Nordblatt", "Elbkurier"))  # fmt: skip
    now = FactGroup("count", "Menschen", 300.0, "", "300",
                    (Citation("a", text.index("300"), text.index("300") + 3, "Nordblatt"),),
                    ("Nordblatt",))  # fmt: skip
    dossier = Dossier(story=Story(id="s", article_ids=("a",)), headline="T", articles=(art,),
                      facts=(old, built, now))  # fmt: skip
    # "seit 2019" runs up to now: not background; 1999 is before the story's year
    assert [g.value for g in key_facts(dossier)] == [40.0, 300.0]


def test_a_sentence_that_leans_on_an_earlier_one_does_not_open_the_summary() -> None:
    from lagebild.dossier.candidates import opens_well

    def first(text: str) -> bool:
        doc = _doc("o", text, 2)
        return opens_well(doc.sentences[0], doc)

    assert not first("Der Güterverkehr wird demnach nur noch bis Sonntagabend bestreikt.")
    assert not first("Am Montag hat er sich bewegen lassen, mit der Bahn zu verhandeln.")
    assert not first("Die Kette stellt damit den dritten Insolvenzantrag binnen drei Jahren.")
    assert first("Merz erhielt nur 310 Stimmen und damit sechs weniger als nötig.")
    assert not first(
        'Weiter heißt es: "Die Insolvenzen schädigen das Unternehmen massiv und dauerhaft."'
    )
    assert first("Die Gewerkschaft will ihren Streik schon am Samstag um 18 Uhr beenden.")


def test_the_summary_opens_with_a_sentence_that_stands_on_its_own() -> None:
    early = (
        "Am Freitag hat er sich bewegen lassen, mit dem Vorstand der Nordbahn zu verhandeln. "
        "Die Gewerkschaft der Lokführer beendet ihren Streik bei der Nordbahn vorzeitig am Samstag."
    )
    late = (
        "Die Gewerkschaft der Lokführer und die Nordbahn verhandeln seit Montag wieder in Kiel. "
        "Der Streik bei der Nordbahn hatte fünf Tage gedauert und viele Pendler getroffen."
    )
    docs = [_doc("a", early, 4), _doc("b", late, 6)]
    lines = [s.text for s in summarize(Story(id="s", article_ids=("a", "b")), docs, Config())]
    assert lines and "er sich" not in lines[0], lines


def test_a_possessive_before_the_name_it_stands_for_may_open_the_summary() -> None:
    import dataclasses

    from lagebild.dossier.candidates import opens_well
    from lagebild.model import Mention

    text = "Wenige Tage nach seinem Sturz ist der Radrennfahrer Jan Berger in Lindau gestorben."
    doc = _doc("p", text, 2)
    start = text.index("Jan Berger")
    him = Mention("p", start, start + len("Jan Berger"), "Jan Berger", "PER")
    assert not opens_well(doc.sentences[0], doc)  # nobody named
    named = dataclasses.replace(doc, mentions=(him,))
    assert opens_well(named.sentences[0], named)
    nobody = _doc("q", "Seit Anfang Dezember hatte sich seine Spur in den Bergen verloren.", 2)
    assert not opens_well(nobody.sentences[0], nobody)


def test_an_undated_story_dates_its_background_by_the_window_its_text_gives() -> None:
    from lagebild.model import DateWindow

    text = "So starben im Jahr 1999 bei einem Beben 17000 Menschen. Am Freitag bebte die Erde."
    art = Article(id="a", title="T", text=text, source="a", format="text", language="de")
    s1 = text.index("17000")
    old = FactGroup("count", "Menschen", 17000.0, "", "17000",
                    (Citation("a", s1, s1 + 5, "Nordblatt"), Citation("a", s1, s1 + 5, "Elbkurier")),
                    ("Nordblatt", "Elbkurier"))  # fmt: skip
    now = FactGroup("count", "Nachbeben", 30.0, "", "30",
                    (Citation("a", 60, 62, "Nordblatt"), Citation("a", 60, 62, "Elbkurier")),
                    ("Nordblatt", "Elbkurier"))  # fmt: skip
    window = DateWindow(earliest=date(2020, 1, 1), latest=date(2020, 1, 31), confidence=0.5)
    dossier = Dossier(story=Story(id="s", article_ids=("a",)), headline="T", articles=(art,),
                      facts=(old, now), date_windows=(("a", window),))  # fmt: skip
    assert [g.value for g in key_facts(dossier)] == [30.0]


def test_a_figure_the_timeline_dates_weeks_before_the_report_is_no_key_fact() -> None:
    """ "Erst im März hatte ein Beben der Stärke 5,4 …" in a December report names no year
    (no text rule fires): the timeline's date for the sentence tells it is background."""
    from lagebild.model import TimelineEvent

    text = (
        "Ein Beben der Stärke 6,3 erschütterte am Dienstag Kroatien. "
        "Erst im März hatte ein Beben der Stärke 5,4 in Zagreb Schäden angerichtet."
    )
    when = datetime(2020, 12, 29, 12, tzinfo=UTC)
    arts = [
        Article(id=i, title="T", text=text, source=i, format="text", language="de", published=when)
        for i in ("a", "b")
    ]
    s_old, s_now = text.index("5,4"), text.index("6,3")
    march = text.index("Erst")

    def group(value: float, start: int, outlets: tuple[str, ...]) -> FactGroup:
        cites = tuple(Citation(i, start, start + 3, o) for i, o in zip("ab", outlets, strict=False))
        return FactGroup("scale", "magnitude", value, "M", str(value), cites, outlets)

    old = group(5.4, s_old, ("Nordblatt", "Elbkurier"))
    now = group(6.3, s_now, ("Nordblatt",))
    march_event = TimelineEvent("2020-03", None, "month", "Erst im März …",
                                (Citation("a", march, len(text), "Nordblatt"),
                                 Citation("b", march, len(text), "Elbkurier")))  # fmt: skip
    dossier = Dossier(story=Story(id="s", article_ids=("a", "b")), headline="T",
                      articles=tuple(arts), facts=(old, now))  # fmt: skip
    assert [g.value for g in key_facts(dossier)] == [5.4, 6.3]  # no timeline: more outlets first
    dated = dataclasses.replace(dossier, timeline=(march_event,))
    assert [g.value for g in key_facts(dated)] == [6.3]
    recent = dataclasses.replace(march_event, date="2020-12-28")  # a day before: the story's own
    assert [g.value for g in key_facts(dataclasses.replace(dossier, timeline=(recent,)))] == [
        5.4,
        6.3,
    ]


def test_key_facts_of_an_article_dated_in_year_one() -> None:
    """An input's "0001-01-01" once made the background check subtract two weeks from the
    first date there is (OverflowError in the dossier stage of the full real-corpus run)."""
    from lagebild.model import TimelineEvent

    text = "Erst im März starben 12 Menschen."
    art = Article(id="a", title="T", text=text, source="a", format="text", language="de",
                  published=datetime(1, 1, 1, tzinfo=UTC))  # fmt: skip
    fact = FactGroup("count", "deaths", 12.0, "", "12", (Citation("a", 21, 23, "N"),), ("N",))
    event = TimelineEvent("2020-03", None, "month", text, (Citation("a", 0, len(text), "N"),))
    dossier = Dossier(story=Story(id="s", article_ids=("a",)), headline="T", articles=(art,),
                      facts=(fact,), timeline=(event,))  # fmt: skip
    assert [g.value for g in key_facts(dossier)] == [12.0]


def _timed(i: str, text: str, day: int) -> Doc:
    from lagebild import time as time_stage

    return time_stage.analyze(_doc(i, text, day))


def test_a_timeline_line_that_hides_who_is_told_with_the_sentence_before() -> None:
    from lagebild.dossier import sections

    text = (
        "Der Warenhauskonzern Lindhaus hat einen Insolvenzantrag gestellt. "
        "Das teilte das Unternehmen am Dienstag in Essen mit. "
        "Zudem schließt am Freitag die Filiale in Lindau."
    )
    doc = _timed("a", text, 14)
    events = sections.timeline([doc], {})
    told = next(e for e in events if "teilte" in e.label)
    assert told.label.startswith("Der Warenhauskonzern Lindhaus hat einen Insolvenzantrag")
    (c,) = told.citations
    assert text[c.start : c.end] == told.label  # the citation covers what the line says
    friday = next(e for e in events if "Filiale" in e.label)
    assert friday.label.startswith("Zudem schließt")  # a connective hides nothing


def test_a_timeline_line_takes_another_report_s_sentence_that_stands_alone() -> None:
    from lagebild.dossier import sections

    a = _timed(
        "a",
        "Die Nordbahn stellt den Fernverkehr ein. Dort fahren am Dienstag keine Züge der "
        "Nordbahn in Lindau.",
        14,
    )
    b = _timed("b", "Am Dienstag fahren in Lindau keine Züge der Nordbahn mehr.", 14)
    (tuesday,) = [e for e in sections.timeline([a, b], {}) if len(e.citations) == 2]
    assert tuesday.label.startswith("Am Dienstag fahren in Lindau")
    assert tuesday.citations[0].article_id == "b"


def test_a_timeline_line_told_with_its_sentence_before_dates_only_its_own_sentence() -> None:
    from lagebild.dossier.assemble import dated_earlier
    from lagebild.model import TimelineEvent

    text = "Heute starben 7 Menschen. Dort hatte es im März schon 40 Tote gegeben."
    when = datetime(2020, 12, 29, 12, tzinfo=UTC)
    art = Article(id="a", title="T", text=text, source="a", format="text", language="de",
                  published=when)  # fmt: skip
    march = TimelineEvent("2020-03", None, "month", text, (Citation("a", 0, len(text), "N"),))
    dossier = Dossier(story=Story(id="s", article_ids=("a",)), headline="T", articles=(art,),
                      timeline=(march,))  # fmt: skip
    ((lo, hi),) = dated_earlier(dossier, {})["a"]
    assert text[lo:hi].startswith("Dort hatte es im März") and hi == len(text)
