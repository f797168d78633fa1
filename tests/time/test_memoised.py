"""The memoised word checks must answer exactly what the per-call code answered.

A big story's dossier reads the same words, values and sentences thousands of times (tenses
for the timeline and the summary, event nouns, TIMEX3 values), so those checks are memoised
per word or value. Each is compared here with the former per-call code on random input.
"""

from __future__ import annotations

import random

from lagebild.model import Token
from lagebild.time import rules, tense
from lagebild.time.named_events import MIN_PREFIX, _nouns, _places, event_classes
from lagebild.time.value import _parse, parse

# (text, lemma): participles, preterites, strong forms, adjectives, English, modal presents
_WORDS = [
    ("hat", "haben"), ("ist", "sein"), ("getroffen", "treffen"), ("angekündigt", "ankündigen"),
    ("explodiert", "explodieren"), ("sagte", "sagen"), ("berichteten", "berichten"),
    ("brach", "brechen"), ("begannen", "beginnen"), ("kam", "kommen"), ("wird", "werden"),
    ("soll", "sollen"), ("werde", "werden"), ("den", "der"), ("anvisierten", "anvisiert"),
    ("Geschäften", "Geschäft"), ("stattfinden", "stattfinden"), ("ereignet", "ereignen"),
    ("haben", "haben"), ("worden", "werden"), ("to", "to"), ("be", "be"), ("held", "hold"),
    ("arrived", "arrive"), ("half", "helfen"), ("half", "half"), ("kann", "können"),
    ("Montag", "Montag"), ("am", "am"), ("erwartet", "erwarten"), ("vielleicht", "vielleicht"),
    ("gibt", "geben"), ("trifft", "treffen"), ("verloren", "verlieren"), ("gewesen", "sein"),
    ("dürfte", "dürfen"), ("nicht", "nicht"), ("Berlin", "Berlin"), (",", ","), ("the", "the"),
]  # fmt: skip


def _old_cues(tokens: list[Token]) -> list[tuple[int, str]]:
    """``tense.cues`` before the memo (checks called per token)."""
    out: list[tuple[int, str]] = []
    aux = [i for i, t in enumerate(tokens) if t.text.lower() in tense._PERFECT_AUX]
    for i, tok in enumerate(tokens):
        w = tok.text.lower()
        if i and tokens[i - 1].text.lower() in tense._INFINITIVE_MARKS:
            continue
        if w in tense._PAST_AUX:
            out.append((i, "past"))
        elif w in tense._FUTURE:
            out.append((i, "future"))
        elif aux and tense._is_participle(tok):
            out.append((min(aux, key=lambda a: abs(a - i)), "past"))
        elif tense._is_preterite(tok) and not (
            i and tokens[i - 1].text.lower() in tense._DETERMINERS
        ):
            out.append((i, "past"))
    if any(
        tense._participle_shape(t.text)
        and tokens[i + 1].text.lower() in {"haben", "sein", "worden"}
        for i, t in enumerate(tokens[:-1])
    ):
        out = [(i, t) for i, t in out if tokens[i].text.lower() not in tense._EPISTEMIC]
        out.extend((i, "past") for i, t in enumerate(tokens) if t.text.lower() in tense._EPISTEMIC)
    return out


def _sentence(rnd: random.Random) -> list[Token]:
    out, pos = [], 0
    for _ in range(rnd.randint(1, 14)):
        text, lemma = rnd.choice(_WORDS)
        if rnd.random() < 0.1:
            text = text.capitalize()
        out.append(Token(pos, pos + len(text), text, lemma, pos="X"))
        pos += len(text) + 1
    return out


def test_cues_and_looks_ahead_match_the_per_token_checks() -> None:
    rnd = random.Random(21)
    past = ahead = 0
    for _ in range(3000):
        toks = _sentence(rnd)
        found = tense.cues(toks)
        assert found == _old_cues(toks), [t.text for t in toks]
        past += any(t == "past" for _, t in found)
        # looks_ahead's quick test (no word that can look ahead) changed form only
        if not any(t.text.lower() in tense._FUTURE | tense._MAYBE for t in toks):
            assert not tense.looks_ahead(toks, "de")
        else:
            ahead += tense.looks_ahead(toks, "de")
    assert past > 500 and ahead > 100  # the sample reaches both kinds of answer


def _old_event_classes(text: str) -> set[str]:
    out = set()
    nouns = _nouns()
    for raw in text.replace("-", " - ").split():
        w = raw.strip(".,;:!?()«»„“”\"'").casefold()
        if w in nouns:
            out.add(nouns[w])
            continue
        for k in range(MIN_PREFIX, len(w) - 3):
            if (cls := nouns.get(w[k:])) is not None:
                out.add(cls)
    return out


def test_event_classes_match_the_per_text_lookup() -> None:
    rnd = random.Random(5)
    nouns = sorted(_nouns())
    heads = ["Wirtschafts", "Aus", "EU-", "Welt", "Sonder", "", "Klima"]
    found = 0
    for _ in range(2000):
        words = [
            rnd.choice(heads) + rnd.choice(nouns) + rnd.choice(["", ".", "s", "n", "“", "-Ende"])
            if rnd.random() < 0.5
            else rnd.choice(["Putin", "traf", "am", "Rande", "des", "(", "Wahl)", "und"])
            for _ in range(rnd.randint(1, 8))
        ]
        text = " ".join(words)
        assert event_classes(text) == _old_event_classes(text), text
        found += bool(event_classes(text))
    assert found > 500


def test_parse_is_computed_once_per_value() -> None:
    for raw, mod, kind in [("2024-06-03", None, "DATE"), ("2024-W23-WET20:00", None, None),
                           ("P3D", "APPROX", "DURATION"), ("XXXX-WXX-2", None, "SET"),
                           ("PRESENT_REF", None, None), ("195", None, None), ("kein Wert", None, None)]:  # fmt: skip
        value = parse(raw, mod, kind)
        assert value == _parse.__wrapped__(raw, mod, kind)
        assert parse(raw, mod, kind) is value
    assert parse(2024) == parse("2024")  # type: ignore[arg-type]  # a number as written
    assert parse("2024-06-03").days() is not None and parse("2024-13-01").shape == "unknown"


def test_tables_are_read_without_compiling_the_rules() -> None:
    rules.ruleset.cache_clear()
    rules.tables.cache_clear()
    shift = rules.tables("de")["shift"]
    assert shift and rules.ruleset.cache_info().currsize == 0
    assert rules.ruleset("de").tables is rules.tables("de")
    try:
        rules.tables("xx")
    except ValueError as exc:
        assert "no temporal rules" in str(exc)
    else:
        raise AssertionError("a language without a folder has no tables")


def test_undated_reports_with_shared_lookups_match_fresh_ones() -> None:
    """One ``Lookups`` serves every event of a timeline: each answer is what a call with
    nothing shared gives, whichever events were asked before."""
    from datetime import UTC, datetime

    from lagebild.model import Article, Citation
    from lagebild.pipeline import Pipeline
    from lagebild.time.named_events import Lookups, event_sentences, undated_reports

    texts = {
        "a": "Kim wird nach Wladiwostok an der Pazifikküste reisen. Dort trifft er Putin.\n\n"
        "In der Stadt an der russischen Pazifikküste findet von 10. bis 13. September ein "
        "Wirtschaftsforum statt, die Staatschefs wollen am Rande zusammenkommen.",
        "b": "Peskow sagte, Putin und Kim würden sich nach dem Eastern Economic Forum treffen, "
        "an dem der Präsident in der Stadt Wladiwostok teilnehme.",
        "c": "Peskow sagte, Putin werde auch das Wirtschaftsforum in Sankt Petersburg besuchen, "
        "wie jedes Jahr. In Wladiwostok beginnt am Montag der Gipfel.",
        "d": "Der Gipfel in Wladiwostok ist vorbei. Kim reiste mit dem Zug nach Pjöngjang zurück.",
    }
    pipe = Pipeline()
    docs = [
        pipe(
            Article(
                id=k,
                title="t",
                text=v,
                source=k,
                format="text",
                language="de",
                published=datetime(2023, 9, 4 + i, tzinfo=UTC),
            )
        )
        for i, (k, v) in enumerate(texts.items())
    ]
    asks = [(Citation(d.id, s.start, s.end),) for d in docs for s in d.sentences] + [
        (Citation("a", 0, 10), Citation("c", docs[2].sentences[-1].start, 200))
    ]
    random.Random(2).shuffle(asks)
    named = event_sentences(docs)
    shared = Lookups({d.id: d for d in docs})
    cited = 0
    for cites in asks:
        fresh = undated_reports(cites, docs)
        assert undated_reports(cites, docs, named, shared) == fresh
        cited += bool(fresh)
    assert cited >= 2 and shared.places  # some events are reported undated elsewhere
    # an event whose sentences name no scheduled event ("Kim reiste … zurück") has no place
    # to be looked up: its undated reports are none whatever its places
    plain = [
        (Citation(d.id, s.start, s.end),)
        for d in docs
        for i, s in enumerate(d.sentences)
        if i not in dict(named[d.id])
    ]
    assert plain
    counting = Lookups({d.id: d for d in docs})
    for cites in plain:
        assert undated_reports(cites, docs, named, counting) == []
    assert counting.places == {}
    # the indexed places of any run of sentences are the places read from every mention
    places = 0
    for d in docs:
        n = len(d.sentences)
        for lo in range(n + 1):
            for hi in range(lo, n + 2):
                want = frozenset(_places(d, d.sentences[lo:hi]))
                assert shared.places_of(d, lo, hi) == want, (d.id, lo, hi)
                places += bool(want)
    assert places > 5
