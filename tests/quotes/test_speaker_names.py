"""How a resolved speaker is named: by the names the entities stage found, not by any
capitalised run around a surname ("Weltrekord von Bolt", "Trump Tower")."""

from __future__ import annotations

from lagebild.model import Mention, Sentence
from lagebild.quotes.lexicon import lexicon
from lagebild.quotes.speakers import (
    BACK,
    Speaker,
    describe,
    known_names,
    resolve,
    resolve_pronouns,
)

LEX = lexicon("de")


def _mention(text: str, whole: str, entity: str, label: str = "PER", source: str = "ner",
             after: int = 0) -> Mention:  # fmt: skip
    start = whole.index(text, after)
    return Mention("t", start, start + len(text), text, label, entity, source)  # type: ignore[arg-type]


def _speaker(text: str, whole: str, after: int = 0) -> Speaker:
    return describe(text, whole.index(text, after), LEX)


def test_a_surname_takes_the_full_name_the_entities_stage_found() -> None:
    text = (
        "Usain Bolt gewann in Rom. Nach dem Weltrekord von Bolt im Jahr 2009 blieb es still. "
        "Ich war sehr emotional, sagte Bolt."
    )
    at = text.index("sagte Bolt")
    mentions = [
        _mention("Usain Bolt", text, "bolt"),
        _mention("Bolt", text, "bolt", after=at),
    ]
    sp = _speaker("Bolt", text, at)
    (got,) = resolve([sp], known_names(text, LEX), mentions, LEX)
    assert got.name == "Usain Bolt" and got.entity == "bolt"
    # without the entities stage's names the capitalised run is all there is
    (bare,) = resolve([sp], known_names(text, LEX), [], LEX)
    assert bare.name == "Weltrekord von Bolt"


def test_a_found_name_is_not_run_on_into_the_next_noun() -> None:
    text = "Donald Trump sprach im Trump Tower. Er sei richtig reich, sagte Trump."
    at = text.index("sagte Trump")
    mentions = [
        _mention("Donald Trump", text, "trump"),
        _mention("Trump", text, "trump", after=at),
    ]
    (got,) = resolve([_speaker("Trump", text, at)], known_names(text, LEX), mentions, LEX)
    assert got.name == "Donald Trump"


def test_a_mention_running_on_into_a_noun_is_no_full_name() -> None:
    """The tagger's "Varoufakis Antwort" (name and the next word) does not name the speaker."""
    text = "Die Varoufakis Antwort kam spät. Das sei falsch, sagte Varoufakis."
    at = text.index("sagte Varoufakis")
    mentions = [
        _mention("Varoufakis Antwort", text, "v"),
        _mention("Varoufakis", text, "v", after=at),
    ]
    (got,) = resolve([_speaker("Varoufakis", text, at)], known_names(text, LEX), mentions, LEX)
    assert got.name == "Varoufakis"
    text = "Kim Jong-un reiste ab. Das sei gut, sagte Kim."
    at = text.index("sagte Kim")
    mentions = [_mention("Kim Jong-un", text, "k"), _mention("Kim", text, "k", after=at)]
    (got,) = resolve([_speaker("Kim", text, at)], known_names(text, LEX), mentions, LEX)
    assert got.name == "Kim Jong-un"
    # an organisation's name may go on with a noun
    text = (
        "Die Universität Göttingen prüft den Fall. Es gebe keinen Vertrag, sagte die Universität."
    )
    at = text.index("die Universität")
    mentions = [_mention("Universität Göttingen", text, "u", "ORG")]
    (got,) = resolve([_speaker("die Universität", text, at)], [], mentions, LEX)
    assert got.name == "Universität Göttingen"


def test_the_party_in_brackets_is_no_part_of_the_speaker() -> None:
    text = "Das sei nötig, sagte Verteidigungsminister Hans Peter Doskozil (SPÖ) am Montag."
    phrase = "Verteidigungsminister Hans Peter Doskozil (SPÖ)"
    sp = _speaker(phrase, text)
    assert sp.name == "Hans Peter Doskozil"
    mentions = [_mention("Hans Peter Doskozil", text, "dosko"), _mention("SPÖ", text, "spö", "ORG")]
    (got,) = resolve([sp], [], mentions, LEX)
    assert (got.name, got.entity) == ("Hans Peter Doskozil", "dosko")
    # an abbreviation in brackets after a phrase with no name of its own still names it
    assert describe("der Zeitung (FAZ)", 0, LEX).name == "FAZ"


def test_a_role_noun_tied_to_a_person_by_coreference_takes_the_full_name() -> None:
    text = "Außenminister Sebastian Kurz reiste nach Wien. Man müsse handeln, sagte der Minister."
    at = text.index("der Minister")
    mentions = [
        _mention("Sebastian Kurz", text, "kurz", source="rule"),
        _mention("Minister", text, "kurz", source="coref", after=at),
    ]
    (got,) = resolve([_speaker("der Minister", text, at)], [], mentions, LEX)
    assert (got.name, got.entity) == ("Sebastian Kurz", "kurz")


def test_a_role_noun_the_speaker_before_resolved_stays_with_that_speaker() -> None:
    """Coreference tied "Der Minister" to the other minister; the one who just spoke, introduced
    with that role, is who the reader means."""
    text = (
        "US-Außenminister John Kerry traf Außenminister Sergej Lawrow. Russland sei bereit, "
        "sagte Außenminister Sergej Lawrow. Der Minister rief die USA auf."
    )
    said = text.index("Außenminister Sergej Lawrow.")
    at = text.index("Der Minister")
    mentions = [
        _mention("John Kerry", text, "kerry", source="rule"),
        _mention("Sergej Lawrow", text, "lawrow", source="rule", after=said),
        _mention("Minister", text, "kerry", source="coref", after=at),
    ]
    speakers = [
        _speaker("Außenminister Sergej Lawrow", text, said),
        _speaker("Der Minister", text, at),
    ]
    first, second = resolve(speakers, [], mentions, LEX)
    assert first.name == "Sergej Lawrow"
    assert (second.name, second.entity) == ("Sergej Lawrow", "lawrow")


def _sentences(text: str) -> list[Sentence]:
    out, start = [], 0
    for part in text.split(". "):
        end = start + len(part) + 1
        out.append(Sentence(start, min(end, len(text)), text[start:end]))
        start = end + 1
    return out


def test_a_pronoun_goes_back_past_sentences_that_name_no_one() -> None:
    text = (
        "Der Botschafter Sergej Andrejew sprach mit TVN24. Die Beziehungen seien schlecht. "
        "Zudem warf er Polen Mitschuld vor. Die Regierung habe blockiert, sagte er."
    )
    at = text.rindex("er.")
    mentions = [_mention("Sergej Andrejew", text, "andrejew", source="rule")]
    (got,) = resolve_pronouns([_speaker("er", text, at)], _sentences(text), mentions)
    assert (got.name, got.entity) == ("Sergej Andrejew", "andrejew")
    # a person named more than BACK sentences before is too far
    far = "Sergej Andrejew sprach. " + "Es regnete. " * BACK + "Das sei schlecht, sagte er."
    mentions = [_mention("Sergej Andrejew", far, "andrejew", source="rule")]
    (got,) = resolve_pronouns([_speaker("er", far, far.rindex("er."))], _sentences(far), mentions)
    assert got.name == ""


def test_a_pronoun_takes_the_last_speaker_of_the_nearest_sentence_naming_someone() -> None:
    text = (
        "Das sei falsch, sagte Rudolf Kaske zu Reinhold Mitterlehner. Das schade. "
        "Auch er betonte, man habe Lösungen."
    )
    kaske = _speaker("Rudolf Kaske", text)
    mentions = [
        _mention("Rudolf Kaske", text, "kaske", source="rule"),
        _mention("Reinhold Mitterlehner", text, "mitterlehner", source="rule"),
    ]
    first, got = resolve_pronouns(
        [*resolve([kaske], [], mentions, LEX), _speaker("er", text, text.index("er betonte"))],
        _sentences(text),
        mentions,
    )
    assert first.name == "Rudolf Kaske" and got.name == "Rudolf Kaske"


def test_a_name_after_a_title_or_comma_ends_the_phrase_as_its_speaker() -> None:
    """The person the phrase ends with speaks, unless the phrase names someone of theirs."""
    cases = {
        "der UN-Hochkommissar für Menschenrechte, Zeid Raad al-Hussein": "Zeid Raad al-Hussein",
        "der Fraktionschef der Wahren Finnen, Sampo Terho": "Sampo Terho",
        "Badawis nach Kanada geflüchtete Ehefrau Ensaf Haidar": "Ensaf Haidar",
    }
    for phrase, person in cases.items():
        text = f"Das sei falsch, sagte {phrase} am Montag."
        mentions = [_mention(person, text, "p")]
        if "Badawis" in phrase:
            mentions.append(_mention("Badawis", text, "b"))
        (got,) = resolve([_speaker(phrase, text)], [], mentions, LEX)
        assert (got.name, got.entity) == (person, "p"), phrase
    for phrase, owner in {
        "die Sprecherin der EU-Außenbeauftragten Federica Mogherini": "Federica Mogherini",
        "Ein Sprecher von Baden-Württembergs Verkehrsminister Winfried Hermann": "Winfried Hermann",
        "Elisabeth Kirnbauer, Logistikchefin bei Max Palmers": "Max Palmers",
    }.items():
        text = f"Das sei falsch, sagte {phrase} am Montag."
        (got,) = resolve([_speaker(phrase, text)], [], [_mention(owner, text, "o")], LEX)
        assert got.name != owner, phrase


def test_an_age_noun_is_the_person_named_before_it() -> None:
    text = (
        "Thorsten Fink bleibt Trainer in Wien. Das wäre der falsche Zeitpunkt, "
        "sagte der 48-Jährige."
    )
    age = _speaker("der 48-Jährige", text)
    assert (age.name, age.kind, age.named) == ("", "person", False)
    mentions = [_mention("Thorsten Fink", text, "fink", source="rule")]
    (got,) = resolve_pronouns(resolve([age], [], mentions, LEX), _sentences(text), mentions)
    assert (got.name, got.entity) == ("Thorsten Fink", "fink")
    # "ein 19-Jähriger" introduces someone new: named as written, never resolved back
    new = _speaker("Ein 19-Jähriger", "Ein 19-Jähriger sagte, er sei unschuldig.")
    assert (new.name, new.named) == ("19-Jähriger", True)


def test_an_age_noun_looks_back_like_a_pronoun() -> None:
    text = "Isaak konnte punkten. Es regnete. Das war gut, sagte der 29-Jährige."
    mentions = [_mention("Isaak", text, "isaak", source="rule")]
    age = _speaker("der 29-Jährige", text)
    (got,) = resolve_pronouns([age], _sentences(text), mentions)
    assert (got.name, got.entity) == ("Isaak", "isaak")


def test_a_compound_of_a_four_letter_role_noun_is_a_role() -> None:
    """ "Fraktionschef", "Tierarzt": the role is no part of the name, and alone it is resolved."""
    assert _speaker("Vorstandschef John Cryan", "Vorstandschef John Cryan").name == "John Cryan"
    text = "Das nervt SPÖ-Klubobmann Andreas Schieder. Es sei dringend, meinte der Fraktionschef."
    chef = _speaker("der Fraktionschef", text)
    assert (chef.name, chef.kind, chef.named) == ("", "person", False)
    mentions = [_mention("Andreas Schieder", text, "schieder", source="rule")]
    (got,) = resolve_pronouns(resolve([chef], [], mentions, LEX), _sentences(text), mentions)
    assert got.name == "Andreas Schieder"


def test_a_group_of_people_is_named_as_the_group_not_as_one_of_them() -> None:
    """ "die Forscher", "den Ermittlern": no one person's name stands for a group."""
    text = "Daniel Takahashi leitete die Studie. Das sei neu, schreiben die Forscher."
    group = _speaker("die Forscher", text)
    assert (group.name, group.kind) == ("Forscher", "group")
    mentions = [_mention("Daniel Takahashi", text, "takahashi", source="rule")]
    names = [(text.index("Daniel"), "Daniel Takahashi"), (0, "Wie Forscher")]
    (got,) = resolve_pronouns(resolve([group], names, mentions, LEX), _sentences(text), mentions)
    assert got.name == "Forscher"
    assert _speaker("den Ermittlern", "den Ermittlern").name == "Ermittler"
    # one woman, one nominalised adjective: still a person to resolve
    for one in ("die Sprecherin", "die Vorsitzende", "der Minister"):
        sp = _speaker(one, one)
        assert (sp.name, sp.kind, sp.named) == ("", "person", False)
