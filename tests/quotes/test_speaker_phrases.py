"""Speaker phrases: English subjects before "said", German attribution nouns."""

from __future__ import annotations

from lagebild.model import Article
from lagebild.pipeline import Pipeline


def _quotes(text: str) -> list[tuple[str, str]]:
    art = Article(id="e", title="t", text=text, source="e", format="text", language="en")
    return [(q.speaker_text, q.speaker_name) for q in Pipeline()(art).quotes]


def test_the_subject_before_said_is_the_speaker_and_its_last_name_the_entity() -> None:
    got = _quotes(
        "German lighting maker Lumetra AG said on Tuesday it would cut about 1,200 jobs. "
        "Chief executive Henrik Sauer said the company had to act to stay competitive. "
        "Germany's weather service said the rain would ease by Wednesday."
    )
    assert ("German lighting maker Lumetra AG", "Lumetra AG") in got
    assert ("Chief executive Henrik Sauer", "Henrik Sauer") in got
    assert ("Germany's weather service", "Germany's weather service") in got


def test_an_attribution_noun_with_a_preposition_names_what_follows() -> None:
    from lagebild.quotes.lexicon import lexicon
    from lagebild.quotes.speakers import describe

    assert describe("Angaben aus Regierungskreisen", 0, lexicon("de")).name == "Regierungskreise"
    assert describe("Angaben des Ministeriums", 0, lexicon("de")).name == "Ministerium"


def test_circles_a_report_cites_are_named_in_the_nominative() -> None:
    from lagebild.quotes.lexicon import lexicon
    from lagebild.quotes.speakers import describe

    de = lexicon("de")
    assert describe("aus Diplomatenkreisen", 0, de).name == "Diplomatenkreise"
    assert describe("Aus Sicherheitskreisen", 0, de).name == "Sicherheitskreise"
    assert describe("Kreisen", 0, de).name == "Kreise"  # any dative plural


def _statements(text: str, lang: str = "en") -> list[tuple[str, str, str]]:
    art = Article(id="e", title="t", text=text, source="e", format="text", language=lang)
    return [(q.form, q.speaker_text, q.message_text) for q in Pipeline()(art).quotes]


def test_english_reported_clauses_before_and_after_said() -> None:
    got = _statements(
        "Voss will travel to Berlin next week for a three-day state visit, the German "
        "government said on Friday. Lumetra AG said on Tuesday it would cut about 1,200 jobs."
    )
    assert (
        "indirect",
        "the German government",
        "Voss will travel to Berlin next week for a three-day state visit",
    ) in got
    assert ("indirect", "Lumetra AG", "it would cut about 1,200 jobs") in got
    assert not any(q[1] == "" and q[2].startswith("the German") for q in got)  # "state" no cue


def test_english_speaker_after_the_verb_behind_a_statement() -> None:
    got = _statements(
        "The talks went well, said the spokesman of the ministry. Prices will rise again, "
        'said Pedro Sanchez. "We will stand together," said the union leader.'
    )
    assert ("indirect", "the spokesman of the ministry", "The talks went well") in got
    assert ("indirect", "Pedro Sanchez", "Prices will rise again") in got
    assert ("direct", "the union leader", '"We will stand together,"') in got


def test_english_name_and_apposition_before_said_after_a_quotation() -> None:
    got = _statements(
        '"This is how epidemics begin," Dr. Luz Arroyo, a member of the group, told NBC News. '
        '"We messed up," the guard said. "It was bad."\n\nSenator Ted Cruz, a Republican, said '
        "the death was a symptom."
    )
    assert ("direct", "Dr. Luz Arroyo", '"This is how epidemics begin,"') in got
    assert not any(q[1] == "Senator Ted Cruz" and "bad" in q[2] for q in got)  # next paragraph


def test_english_words_of_saying_that_say_nothing_here() -> None:
    got = _statements(
        "Expect delays on the motorway this winter. It's worth noting that prices rose. "
        "Detailed reports show that sales fell. Sales are expected to grow next year. "
        "We're here to tell you what works. The survey was the top health claim of 2024."
    )
    assert got == []


def test_english_object_after_the_verb_is_no_speaker() -> None:
    got = _statements(
        "LevelBlue, one of the largest security providers, announced a definitive agreement "
        "to buy its rival. Keep the receipts, add a table of costs and the total."
    )
    assert not any(q[1] in ("a definitive agreement", "a table") for q in got)


def test_english_that_clauses_and_verbs_that_need_one() -> None:
    got = _statements(
        "Kirby said that Russia would get munitions. Opposition lawmakers criticised that "
        "parliament had not been consulted. Lawmakers criticised the plan as unfair and costly."
    )
    assert ("indirect", "Kirby", "Russia would get munitions") in got
    assert ("indirect", "Opposition lawmakers", "parliament had not been consulted") in got
    assert not any("plan" in q[2] for q in got)  # "criticised the plan": no clause, no speech


def test_a_speaker_span_does_not_start_with_a_word_that_names_no_one() -> None:
    text = "Bei dem Gipfel geht es Beobachtern zufolge auch um die Lieferung von Waffen."
    art = Article(id="g", title="t", text=text, source="g", format="text", language="de")
    speakers = {q.speaker_text for q in Pipeline()(art).quotes}
    assert "Beobachtern" in speakers and not any(s.startswith("es ") for s in speakers)


def test_an_attribution_phrase_resolves_to_the_entity_it_names() -> None:
    text = "Nach Angaben des Deutschen Wetterdienstes fielen seit Freitag 120 Liter Regen."
    art = Article(id="w", title="t", text=text, source="w", format="text", language="de")
    doc = Pipeline()(art)
    (quote,) = doc.quotes
    mention = next(m for m in doc.mentions if m.text == "Deutschen Wetterdienstes")
    assert quote.speaker_entity == mention.entity_id is not None


def test_an_attribution_noun_takes_the_phrase_saying_whose_information_it_is() -> None:
    text = "Nach Angaben aus Regierungskreisen geht es um ein Volumen von 2,4 Milliarden Euro."
    art = Article(id="r", title="t", text=text, source="r", format="text", language="de")
    (quote,) = Pipeline()(art).quotes
    assert quote.speaker_text == "Angaben aus Regierungskreisen"
    assert quote.message_text.startswith("geht es um")


def test_angaben_des_ministers_is_the_minister_named_before() -> None:
    text = (
        "„Die Nacht war schwer“, sagte Bürgermeisterin Carla Brenner. Innenminister Felix "
        "Aumann besuchte die Stadt. Er kündigte an, das Land helfe. Nach Angaben des Ministers "
        "sind inzwischen mehr als 600 Einsatzkräfte vor Ort."
    )
    art = Article(id="m", title="t", text=text, source="m", format="text", language="de")
    names = {q.message_text[:8]: q.speaker_name for q in Pipeline()(art).quotes}
    assert names["sind inz"] == "Felix Aumann"  # not Carla Brenner, the last one quoted


def test_the_phrase_between_attribution_noun_and_message_joins_the_speaker() -> None:
    import lagebild.text
    from lagebild.model import Doc
    from lagebild.quotes import _whose_information
    from lagebild.quotes.extract import Attribution
    from lagebild.quotes.lexicon import lexicon
    from lagebild.quotes.view import View

    text = "Nach Angaben aus Regierungskreisen geht es um 2,4 Milliarden Euro."
    art = Article(id="p", title="t", text=text, source="p", format="text", language="de")
    v = View.of(lagebild.text.analyze(Doc(article=art)), lexicon("de"))
    k = v.text.index("Angaben")
    message = tuple(range(k + 3, len(v) - 1))  # "geht es um …": the tagger left a gap
    att = _whose_information(v, Attribution("indirect", message, (), (k,)))
    assert [v.text[i] for i in att.source] == ["Angaben", "aus", "Regierungskreisen"]
    assert att.message == message


def test_an_attribution_inside_its_message_takes_its_phrase_out_of_the_message() -> None:
    import lagebild.text
    from lagebild.model import Doc
    from lagebild.quotes import _whose_information
    from lagebild.quotes.extract import Attribution
    from lagebild.quotes.lexicon import lexicon
    from lagebild.quotes.view import View

    text = "Das Treffen soll nach Informationen aus Militärkreisen verschoben werden."
    art = Article(id="i", title="t", text=text, source="i", format="text", language="de")
    v = View.of(lagebild.text.analyze(Doc(article=art)), lexicon("de"))
    k = v.text.index("Informationen")
    message = tuple(t for t in range(len(v) - 1) if t not in (k - 1, k))
    att = _whose_information(v, Attribution("indirect", message, (k - 1,), (k,)))
    assert [v.text[i] for i in att.source] == ["Informationen", "aus", "Militärkreisen"]
    assert [v.text[i] for i in att.message] == ["Das", "Treffen", "soll", "verschoben", "werden"]


def test_the_circles_of_a_mid_sentence_attribution_are_the_speaker() -> None:
    text = "Das Treffen soll nach Informationen aus Militärkreisen verschoben werden."
    art = Article(id="c", title="t", text=text, source="c", format="text", language="de")
    (quote,) = Pipeline()(art).quotes
    assert quote.speaker_text == "Informationen aus Militärkreisen"
    assert quote.speaker_name == "Militärkreise"


def test_a_role_speaker_is_not_handed_to_the_last_person_quoted() -> None:
    text = (
        "„Wir liefern ab 2028“, sagte Präsidentin Mirela Voss. Auch Österreich zeigt Interesse. "
        "Die Energieministerin in Wien sagte, man prüfe einen Anschluss."
    )
    art = Article(id="w", title="t", text=text, source="w", format="text", language="de")
    (wien,) = [q for q in Pipeline()(art).quotes if q.message_text.startswith("man prüfe")]
    assert wien.speaker_text == "Die Energieministerin in Wien"
    assert wien.speaker_name == ""  # unresolved: not Voss, not "Wien"


def test_both_sides_are_named_as_written() -> None:
    from lagebild.quotes.lexicon import lexicon
    from lagebild.quotes.speakers import describe

    assert describe("beide Seiten", 0, lexicon("de")).name == "beide Seiten"  # not "Seiten"


def test_french_speakers_before_and_after_the_verb() -> None:
    got = _statements(
        "« Nous allons gagner », a déclaré le président du club mardi. Le ministre Bruno Le "
        "Maire a affirmé que la croissance reprendrait. Les discussions ont bien avancé, a "
        "indiqué la police cantonale. Selon la police, trois personnes ont été blessées.",
        "fr",
    )
    assert ("direct", "le président du club", "« Nous allons gagner »") in got
    assert (
        "indirect",
        "Le ministre Bruno Le Maire",
        "que la croissance reprendrait",
    ) in got
    assert ("indirect", "la police cantonale", "Les discussions ont bien avancé") in got
    assert ("reported", "la police", "trois personnes ont été blessées") in got


def test_french_infinitive_and_relative_clause_say_nothing() -> None:
    got = _statements(
        "Ce qui veut dire que les prix vont monter. Le canton, dont les autorités ont annoncé "
        "des contrôles, reste prudent.",
        "fr",
    )
    assert not any(q[1] for q in got if q[0] != "direct")


def test_french_incise_inside_the_quotation_names_its_speaker() -> None:
    text = (
        "La directrice Emmanuelle David est inquiète. «Non, rien ne brûle en entier, "
        "affirme-t-elle. Le modèle est incomplet.» «La pelouse est morte, détaille "
        "l’expert. Il faut attendre.» «Le club a dit que tout va bien, a dit que le "
        "président est là, et le stade attend encore le nouveau gazon»"
    )
    art = Article(id="e", title="t", text=text, source="e", format="text", language="fr")
    got = [(q.speaker_text, q.speaker_name, q.cue_text) for q in Pipeline()(art).quotes]
    assert got[0] == ("affirme-t-elle", "Emmanuelle David", "affirme-t-elle")  # the clitic
    assert got[1] == ("l’expert", "l’expert", "détaille")
    assert "a dit" not in {cue for _, _, cue in got}  # a clause of the quotation, no incise


def test_an_authority_named_by_its_seat_keeps_its_noun() -> None:
    text = (
        "Der Täter griff in Naumburg eine Kirche an. Laut der Generalstaatsanwaltschaft "
        "Naumburg handelte er aus Frust. Laut der Nachrichtenagentur Anadolu gab es keine "
        "Verletzten."
    )
    art = Article(id="e", title="t", text=text, source="e", format="text", language="de")
    got = {q.speaker_text: q.speaker_name for q in Pipeline()(art).quotes}
    assert got["der Generalstaatsanwaltschaft Naumburg"] == "Generalstaatsanwaltschaft Naumburg"
    assert got["der Nachrichtenagentur Anadolu"] == "Anadolu"  # a name, not a seat


def test_a_role_noun_takes_the_person_named_right_after_it_between_commas() -> None:
    from lagebild.model import Doc, Mention
    from lagebild.quotes.lexicon import lexicon
    from lagebild.quotes.speakers import Speaker, resolve_pronouns
    from lagebild.text import analyze

    text = (
        "Er hinterlässt seine Frau Selene und zwei Kinder – das zweite wurde nach Angaben "
        "des Präsidenten von Nacional, Alejandro Balbi, erst vor Tagen geboren."
    )
    doc = analyze(Doc(Article(id="e", title="t", text=text, source="e", format="text")))
    people = [
        Mention("e", text.index(n), text.index(n) + len(n), n, "PER", entity_id=n[:3])
        for n in ("Selene", "Alejandro Balbi")
    ]
    role = "des Präsidenten von Nacional"
    sp = Speaker(role, "", "person", text.index(role), named=False)
    (got,) = resolve_pronouns([sp], doc.sentences, people, lexicon("de"))
    assert (got.name, got.entity) == ("Alejandro Balbi", "Ale")  # not Selene, named first


def test_the_first_half_of_a_coordinated_compound_is_no_name() -> None:
    from lagebild.quotes.lexicon import lexicon
    from lagebild.quotes.speakers import describe

    de = lexicon("de")
    got = describe("die Wirtschaftsprüfungs- und Beratungsgesellschaft PwC", 0, de)
    assert (got.name, got.kind) == ("PwC", "org")
    got = describe("Vorarlbergs Kinder- und Jugendanwalt Michael Rauch", 0, de)
    assert got.name == "Michael Rauch"
    assert describe("die interimistische CEO Heike Birlenbach", 0, de).name == "Heike Birlenbach"


def test_laut_as_an_adverb_cues_no_statement() -> None:
    from lagebild.model import Doc
    from lagebild.quotes import _adverb_cue
    from lagebild.quotes.extract import Attribution
    from lagebild.quotes.lexicon import lexicon
    from lagebild.quotes.view import View
    from lagebild.text import analyze

    text = (
        "In der Partei wurden Zweifel laut, ob sie hält. Laut nicht näher genannten Quellen "
        "sinkt die Zahl. Laut @GOettingerEU wird entschieden. Er hat laut gelacht."
    )
    doc = analyze(Doc(Article(id="e", title="t", text=text, source="e", format="text")))
    v = View.of(doc, lexicon("de"))
    cues = [i for i in range(len(v)) if v.low[i] == "laut"]
    got = [_adverb_cue(v, Attribution("indirect", (i + 1,), (i,))) for i in cues]
    assert got == [True, False, False, True]


def test_a_speaker_phrase_without_words_describes_no_one() -> None:
    from lagebild.quotes.lexicon import lexicon
    from lagebild.quotes.speakers import describe

    for lang in ("de", "fr", "en"):
        for text in ("", "„", "(", "– "):
            assert describe(text, 0, lexicon(lang)).name == ""
