"""A statement the model left without a speaker gets the one its words name (reader-facing)."""

from __future__ import annotations

from lagebild.model import Mention
from lagebild.quotes.evaluate import GoldDoc, doc_of
from lagebild.quotes.extract import Attribution
from lagebild.quotes.fallback import follow_on_speakers, instead_of_addressee, missing_speaker
from lagebild.quotes.lexicon import lexicon
from lagebild.quotes.speakers import describe
from lagebild.quotes.view import View


def view(*sentences: str) -> View:
    gold = GoldDoc("d", tuple(tuple(s.split()) for s in sentences), ())
    return View.of(doc_of(gold), lexicon("de"))


def words(v: View, toks: tuple[int, ...]) -> str:
    return " ".join(v.text[t] for t in toks)


def at(v: View, word: str, after: int = 0) -> int:
    return next(k for k in range(after, len(v)) if v.text[k] == word)


def test_the_phrase_before_zufolge_is_the_speaker_and_leaves_the_message() -> None:
    v = view("Dem türkischen Fernsehsender TRT zufolge kamen vier Menschen ums Leben .")
    z = at(v, "zufolge")
    att = Attribution("indirect", tuple(range(0, len(v) - 1)), cue=(z,))
    out = missing_speaker(v, att, ())
    assert words(v, out.source) == "Dem türkischen Fernsehsender TRT"
    assert words(v, out.message).startswith("kamen vier Menschen")


def test_a_document_before_zufolge_names_no_one_and_the_clause_subject_is_not_taken() -> None:
    v = view("In erster Linie führt die Arbeitsmarktöffnung den Angaben zufolge zum Ersatz .")
    z = at(v, "zufolge")
    att = Attribution("indirect", tuple(k for k in range(len(v) - 1) if k != z), cue=(z,))
    assert missing_speaker(v, att, ()).source == ()


def test_a_parenthetical_so_names_the_speaker() -> None:
    v = view("Bisher , so Schenk , habe Kurz das Thema Asyl ausgeklammert .")
    att = Attribution("indirect", tuple(range(0, len(v) - 1)), cue=(at(v, "so"),))
    assert words(v, missing_speaker(v, att, ()).source) == "Schenk"


def test_nach_eigenen_angaben_gives_the_clause_subject_instead_of_the_angaben() -> None:
    v = view(
        "Galeria betreibt 92 Warenhäuser und beschäftigt nach eigenen Angaben 15.000 Menschen ."
    )
    own = at(v, "eigenen")
    att = Attribution(
        "indirect", tuple(range(0, len(v) - 1)), cue=(own - 1,), source=(own, own + 1)
    )
    assert words(v, missing_speaker(v, att, ()).source) == "Galeria"
    v = view("Bahn und GDL hatten nach eigenen Angaben wieder Verhandlungen aufgenommen .")
    own = at(v, "eigenen")
    att = Attribution(
        "indirect", tuple(range(0, len(v) - 1)), cue=(own - 1,), source=(own, own + 1)
    )
    out = missing_speaker(v, att, ())
    assert words(v, out.source) == "Bahn und GDL"
    assert describe("Bahn und GDL", 0, lexicon("de")).name == "Bahn und GDL"


def test_the_subject_of_the_marked_verb_of_saying() -> None:
    v = view("Er freute sich , wenngleich auch er betonte , dass es ein weiter Weg sei .")
    cue = at(v, "betonte")
    att = Attribution("indirect", tuple(range(at(v, "dass"), len(v) - 1)), cue=(cue,))
    assert words(v, missing_speaker(v, att, ()).source) == "er"
    v = view(
        "Galeria sucht Rettung .", "Das teilte am Montag ein Unternehmenssprecher in Essen mit ."
    )
    att = Attribution("indirect", (0, 1, 2), cue=(at(v, "teilte"),))
    assert words(v, missing_speaker(v, att, ()).source) == "ein Unternehmenssprecher"


def test_no_speaker_from_a_passive_an_addressee_or_a_verb_far_from_the_message() -> None:
    v = view("Die Zahl der Toten sei gestiegen , wurde am Abend mitgeteilt .")
    att = Attribution("indirect", tuple(range(0, 5)), cue=(at(v, "mitgeteilt"),))
    assert missing_speaker(v, att, ()).source == ()
    v = view("Viele Frauen hätten den Beamten von Übergriffen berichtet .")
    att = Attribution("indirect", tuple(range(0, len(v) - 1)), cue=(at(v, "berichtet"),))
    assert "Beamten" not in words(v, missing_speaker(v, att, ()).source)
    v = view("Bei seinem Schlusswort sagt S. etwas .", "Worte der Entschuldigung findet er nicht .")
    second = v.bounds[1]
    att = Attribution("indirect", tuple(range(second[0], second[1] - 1)), cue=(at(v, "sagt"),))
    assert missing_speaker(v, att, ()).source == ()


def test_a_statement_with_a_speaker_keeps_it() -> None:
    v = view("Die Lage sei ernst , sagte Kim .")
    att = Attribution("indirect", (0, 1, 2, 3), cue=(5,), source=(6,))
    assert missing_speaker(v, att, ()) == att


def test_the_subject_after_the_verb_when_an_adverb_comes_first() -> None:
    v = view("Kritisch äußerte sich der ÖVP-Chef dazu , dass der Partner vorgeprescht sei .")
    att = Attribution(
        "indirect",
        tuple(range(at(v, "dass"), len(v) - 1)),
        cue=(at(v, "äußerte"), at(v, "sich"), at(v, "dazu")),
    )
    assert words(v, missing_speaker(v, att, ()).source) == "der ÖVP-Chef"


def test_a_fronted_prepositional_phrase_is_no_subject() -> None:
    v = view("Hinter HD Austria steht die M7 Group mit nach eigenen Angaben 3,5 Millionen Kunden .")
    own = at(v, "eigenen")
    att = Attribution(
        "indirect", tuple(range(0, len(v) - 1)), cue=(own - 1,), source=(own, own + 1)
    )
    assert "Hinter" not in words(v, missing_speaker(v, att, ()).source)


def test_a_place_line_is_no_part_of_the_statement() -> None:
    from lagebild.quotes import _without_dateline

    v = view("Brüssel / Wien – Die EU-Kommission hat nach eigenen Schätzungen viel verloren .")
    att = Attribution("indirect", tuple(range(0, len(v) - 1)))
    assert words(v, _without_dateline(v, att).message).startswith("Die EU-Kommission hat")
    v = view("Die Lage sei ernst – sehr ernst , sagte Kim .")
    att = Attribution("indirect", tuple(range(0, 7)))
    assert _without_dateline(v, att) == att  # a dash inside a sentence stays


def test_an_interview_answer_is_spoken_by_the_person_named_before_its_colon() -> None:
    from lagebild.model import Mention

    v = view(
        "STANDARD : Was sollen wir ihm erlauben ?",
        "Kreissl : Wir sollten darüber nachdenken , dass zu viele Daten gesammelt werden .",
    )
    k = at(v, "Kreissl")
    dass = at(v, "dass")
    att = Attribution("indirect", tuple(range(dass, len(v) - 1)), cue=(at(v, "nachdenken"),))
    kreissl = Mention("d", v.starts[k], v.ends[k], "Kreissl", "PER", "k")
    assert words(v, missing_speaker(v, att, (kreissl,)).source) == "Kreissl"
    # not a person (the interviewer's outlet, a heading such as "Der Ausweg:"): no speaker
    org = Mention("d", v.starts[k], v.ends[k], "Kreissl", "ORG", "k")
    assert missing_speaker(v, att, (org,)).source == ()
    assert missing_speaker(v, att, ()).source == ()


def test_the_subject_after_the_verb_that_follows_a_fronted_statement() -> None:
    v = view("Kritik führt oft zu Blockaden , enthüllte vergangenes Jahr die Initiative Nohass .")
    cue = at(v, "enthüllte")
    att = Attribution("indirect", tuple(range(0, at(v, ","))), cue=(cue,))
    assert words(v, missing_speaker(v, att, ()).source) == "die Initiative Nohass"
    # an object after the verb is no speaker
    v = view("Kritik führt oft zu Blockaden , enthüllte vergangenes Jahr einem Reporter niemand .")
    att = Attribution("indirect", tuple(range(0, at(v, ","))), cue=(at(v, "enthüllte"),))
    assert missing_speaker(v, att, ()).source == ()


def test_an_age_noun_after_the_verb_is_the_speaker() -> None:
    """The tokenizer splits "48-Jährige" into "48 - Jährige", which np_after does not read."""
    v = view("Das wäre der falsche Zeitpunkt , sagte der 48 - Jährige am Freitag .")
    att = Attribution("indirect", tuple(range(0, at(v, ","))), cue=(at(v, "sagte"),))
    assert words(v, missing_speaker(v, att, ()).source) == "der 48 - Jährige"
    # told to one: an addressee, no speaker
    v = view("Das wäre der falsche Zeitpunkt , sagte man dem 48 - Jährigen am Freitag .")
    att = Attribution("indirect", tuple(range(0, at(v, ","))), cue=(at(v, "sagte"),))
    assert missing_speaker(v, att, ()).source == ()


def test_the_subject_after_a_verb_of_saying_that_opens_its_clause() -> None:
    """ "Dennoch, warnt X, seien …": the speaker leaves the message; "…, wonach X …" names
    the subject of what is reported, no speaker."""
    v = view("Dennoch , warnt Lueftner , seien Koproduktionen nicht das Allheilmittel .")
    cue = at(v, "warnt")
    att = Attribution("indirect", tuple(range(cue + 1, len(v) - 1)), cue=(cue,))
    out = missing_speaker(v, att, ())
    assert words(v, out.source) == "Lueftner"
    assert words(v, out.message) == "seien Koproduktionen nicht das Allheilmittel"
    v = view("Kritik , wonach die Agentur Frontex den Schutz nicht wahrnehme , weist er zurück .")
    cue = at(v, "wonach")
    att = Attribution("indirect", tuple(range(cue + 1, at(v, "wahrnehme") + 1)), cue=(cue,))
    assert missing_speaker(v, att, ()).source == ()


def _per(v: View, word: str) -> Mention:
    k = at(v, word)
    return Mention("d", v.starts[k], v.ends[k], word, "PER", word.lower())


def test_a_reported_follow_on_takes_the_person_who_is_subject_of_the_narrated_sentence() -> None:
    """ "Produzent Lueftner ist vorsichtig. Der Humor sei womöglich zu schwarz.": the person
    the sentence before is about goes on speaking; not after a statement, not for
    Konjunktiv II narration, not for a subject the entities stage did not find a person."""
    v = view("Produzent Lueftner ist vorsichtig .", "Der Humor sei womöglich zu schwarz .")
    msg = Attribution("indirect", tuple(range(at(v, "Der"), len(v) - 1)))
    (got,) = follow_on_speakers(v, [msg], [_per(v, "Lueftner")], lambda a: True)
    assert words(v, got.source) == "Produzent Lueftner"
    assert follow_on_speakers(v, [msg], [], lambda a: True)[0].source == ()
    assert follow_on_speakers(v, [msg], [_per(v, "Lueftner")], lambda a: False)[0].source == ()
    # the sentence before holds a statement: whose it is decides (``_carried_over``), not this
    before = Attribution("indirect", (at(v, "ist"), at(v, "vorsichtig")))
    got = follow_on_speakers(v, [before, msg], [_per(v, "Lueftner")], lambda a: True)
    assert got[1].source == ()
    v = view("Lugner konnte Boden gutmachen .", "Ihm würden nur 18 Prozent vertrauen .")
    msg = Attribution("indirect", tuple(range(at(v, "Ihm"), len(v) - 1)))
    assert follow_on_speakers(v, [msg], [_per(v, "Lugner")], lambda a: True)[0].source == ()


def test_an_addressee_is_no_speaker_and_the_subject_after_the_verb_is() -> None:
    """ "Dem Telegraph sagte er, …": the model's source is the addressee."""
    v = view("Dem Telegraph sagte er , seine Aussagen seien falsch .")
    att = Attribution("indirect", tuple(range(5, len(v) - 1)), cue=(2,), source=(0, 1))
    assert words(v, instead_of_addressee(v, att, ()).source) == "er"
    v = view("Dem Magazin Insider sagte Kristina Mena , man sei in Gefahr .")
    att = Attribution("indirect", tuple(range(7, len(v) - 1)), cue=(3,), source=(0, 1, 2))
    assert words(v, instead_of_addressee(v, att, ()).source) == "Kristina Mena"
    # after a preposition or before "zufolge" the dative names the source
    v = view("Laut dem Sprecher seien alle in Sicherheit .")
    att = Attribution("indirect", tuple(range(3, len(v) - 1)), cue=(0,), source=(1, 2))
    assert instead_of_addressee(v, att, ()).source == (1, 2)
    v = view("Dem Sender TRT zufolge seien alle in Sicherheit .")
    att = Attribution("indirect", tuple(range(4, len(v) - 1)), cue=(3,), source=(0, 1, 2))
    assert instead_of_addressee(v, att, ()).source == (0, 1, 2)


def test_an_object_is_never_found_as_speaker() -> None:
    """The verb-final clause ", einen Arbeitsplatz anzunehmen" has an object before its verb."""
    v = view("Wenn ich jemanden zwinge , einen Arbeitsplatz anzunehmen , für den er zu gut ist .")
    msg = tuple(range(at(v, "für"), len(v) - 1))
    att = Attribution("indirect", msg, cue=(at(v, "anzunehmen"),))
    assert missing_speaker(v, att, ()).source == ()


def test_an_impersonal_heisst_es_names_whose_words_by_aus_von_seitens() -> None:
    v = view("Man warte ab , hieß es vonseiten der slowenischen Polizei .")
    cue = (at(v, "hieß"), at(v, "es"))
    att = Attribution("indirect", (0, 1, 2), cue=cue)
    assert words(v, missing_speaker(v, att, ()).source) == "der slowenischen Polizei"
    v = view("Aus dem Ministerium hieß es , man warte ab .")
    cue = (at(v, "hieß"), at(v, "es"))
    att = Attribution("indirect", tuple(range(at(v, "man"), len(v) - 1)), cue=cue)
    assert words(v, missing_speaker(v, att, ()).source) == "dem Ministerium"
    # a "von" inside a noun phrase names the document's publisher, not the speaker
    v = view("Man warte ab , heißt es in dem von Geekwire publizierten Brief .")
    cue = (at(v, "heißt"), at(v, "es"))
    att = Attribution("indirect", (0, 1, 2), cue=cue)
    assert missing_speaker(v, att, ()).source == ()
