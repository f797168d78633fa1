"""The NER scorer's row path (``WordRows``) equals the attribute strings, row for row.

New words are scored from the weight rows of their attributes; ``WordRows`` finds those
rows by feature family without spelling the attributes out. The rows and their order must be
exactly those of ``Featurizer.word_parts`` looked up in the models (the order fixes the
floating-point sums), for every kind of word: gazetteer words and their genitives, cluster
and e5-cluster words, trigger nouns, hyphenated, all-caps, numbers, punctuation.
"""

from __future__ import annotations

import random

import pytest

from lagebild.entities.ner import default_model_dir
from lagebild.entities.ner.crf import CrfTagger
from lagebild.entities.ner.features import _WINDOW


@pytest.fixture(scope="module")
def tagger() -> CrfTagger:
    return CrfTagger.load(default_model_dir())


def _string_rows(tagger: CrfTagger, word: str, lemma: str | None) -> list[list[int]]:
    scorer = tagger.scorer
    assert scorer is not None
    zero = len(scorer._weights) - 1
    parts = tagger.featurizer.word_parts(word, lemma)
    return [
        [zero, *[scorer._union[a] for a in attrs if a in scorer._union]]
        for attrs in (parts.base, parts.prev2, parts.prev1, parts.next1, parts.next2)
    ]


def _vocabulary(tagger: CrfTagger) -> list[tuple[str, str | None]]:
    lex = tagger.featurizer.lexicon
    rng = random.Random(5)
    gaz = rng.sample(sorted(lex.words), 300)
    words = gaz + [w + "s" for w in gaz if w[:1].isupper()][:100]  # genitives of known names
    words += rng.sample(sorted(lex.clusters), 200) + rng.sample(sorted(lex.embed_clusters), 200)
    words += [
        "Außenminister", "Kreml-Sprecher", "Regierungssprecherin", "NATO", "UNO-Generalsekretär",
        "dpa", "2017", "3,5", "„", "“", ",", "-", "Wostotschny", "Bundeskanzlerin", "sagte",
        "Pjöngjang", "Ärzte", "É", "a", "Sogang-Universität", "USA", "Ex-Präsident", "x-",
    ]  # fmt: skip
    out: list[tuple[str, str | None]] = [(w, None) for w in words]
    out += [(w, w.lower()) for w in words[::3]]  # a lemma given, sometimes unlike the word
    return out


def test_rows_of_each_word_equal_its_attribute_strings(tagger: CrfTagger) -> None:
    scorer = tagger.scorer
    assert scorer is not None
    for word, lemma in _vocabulary(tagger):
        assert list(scorer._rows.of(word, lemma)) == _string_rows(tagger, word, lemma), word


def test_the_vocabulary_reaches_every_attribute_family(tagger: CrfTagger) -> None:
    """Otherwise a wrong family table could go unseen by the test above."""
    seen: set[str] = set()
    for word, lemma in _vocabulary(tagger):
        parts = tagger.featurizer.word_parts(word, lemma)
        for a in parts.base:
            seen.add(a.split("=")[0] if "=" in a else a if a[:2] not in _WINDOW else a[:2])
        seen.update("window" for a in parts.prev1 if a.startswith("-1"))
        seen.update("trig2" for a in parts.prev2 if a.startswith("-2trig"))
    for family in ("w", "l", "sh", "s2", "s3", "s4", "p3", "len", "hh", "c", "cc", "trig", "e0"):
        assert family in seen, family
    for flag in ("bias", "cap", "known", "infl", "allcaps", "hyph", "ge", "window", "trig2"):
        assert flag in seen, flag


def test_tagging_new_words_through_rows_equals_the_string_path(tagger: CrfTagger) -> None:
    """Whole sentences of words the scorer has not seen: labels equal python-crfsuite's."""
    import dataclasses

    fresh = CrfTagger.load(default_model_dir())
    slow = dataclasses.replace(fresh, scorer=None)
    rng = random.Random(13)
    vocab = [w for w, _ in _vocabulary(tagger)]
    vocab += ["sagte", "am", "in", "der", "und", "."]
    sents = [[rng.choice(vocab) for _ in range(rng.randint(1, 25))] for _ in range(120)]
    assert fresh.tag_sentences([(s, None) for s in sents]) == [slow.tag_words(s) for s in sents]
    assert any(label != "O" for s in sents for label in slow.tag_words(s))


def test_sentence_scores_equal_the_models_on_attribute_strings(
    tagger: CrfTagger, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``StackedScorer.scores`` (cached word vectors + the sentence's rows: BOS/EOS,
    gazetteer phrases before/at/after, quotation marks, both bigram families) equals each
    model's scores of ``Featurizer.plain``'s attribute strings, also when the word cache
    starts again in the middle of a batch."""
    import numpy as np

    from lagebild.entities.ner import scoring

    fresh = CrfTagger.load(default_model_dir())
    scorer = fresh.scorer
    assert scorer is not None and scorer.silver is not None
    rng = random.Random(17)
    phrases = [list(p) for p in list(fresh.featurizer.lexicon.phrases)[:300]]
    vocab = [w for w, _ in _vocabulary(tagger)] + ["sagte", "am", "in", "der", "und", "."]
    sents = []
    for _ in range(80):
        words = [rng.choice(vocab) for _ in range(rng.randint(0, 6))]
        words[rng.randint(0, len(words)) : 0] = rng.choice(phrases)
        if rng.random() < 0.5:
            at = rng.randint(0, len(words) - 1)
            words[at:at] = ["„", *words[at : at + 2], "“"]
        sents.append((words, None))
    monkeypatch.setattr(scoring, "MAX_CACHED_WORDS", 150)  # clears within the batches
    split = scorer._split
    for batch in (sents[:40], sents[40:]):
        got = scorer.scores(batch)
        plain = [a for words, _ in batch for a in fresh.featurizer.plain(words)]
        assert np.allclose(got[:, :split], scorer.silver.scores(plain), rtol=0, atol=1e-9)
        assert np.allclose(got[:, split:], scorer.main.scores(plain), rtol=0, atol=1e-9)
    assert len(scorer._ids) <= 150 + max(
        sum(len(w) for w, _ in b) for b in (sents[:40], sents[40:])
    )
    assert any(lab != "O" for labels in fresh.tag_sentences(sents) for lab in labels)


def test_bigram_rows_are_found_by_first_then_second_word() -> None:
    """``_ContextRows.pair_next`` (a, b) holds the rows of "a|b" exactly, also for words
    that contain "|" themselves."""
    from lagebild.entities.ner.scoring import _ContextRows

    context = {
        "w[-1]|w=a|b": 1, "w|w[1]=a|b": 2, "w[-1]|w=x|y|z": 3, "w|w[1]=||": 4,
        "w|w[1]=a|": 5, "BOS": 6,
    }  # fmt: skip
    rows = _ContextRows(context)
    words = ["a", "b", "", "|", "x", "y", "z", "x|y", "y|z", "c", "a|b"]
    for a in words:
        for b in words:
            want = (context.get(f"w[-1]|w={a}|{b}"), context.get(f"w|w[1]={a}|{b}"))
            got = rows.pair_next.get(a, {}).get(b, (None, None))
            assert got == want, (a, b)


def test_phrase_matches_by_first_word_lengths_equal_trying_every_length(tagger: CrfTagger) -> None:
    from lagebild.entities.ner.lexicon import phrase_matches, phrase_starts

    phrases = tagger.featurizer.lexicon.phrases
    starts = phrase_starts(phrases)
    rng = random.Random(3)
    keys = list(phrases)
    vocab = [*sorted({w for p in keys[:2000] for w in p}), "der", "und", "."]
    hits = 0
    for _ in range(300):
        words = [rng.choice(vocab) for _ in range(rng.randint(0, 12))]
        for _ in range(rng.randint(0, 2)):
            p = list(rng.choice(keys))
            cut = rng.randint(1, len(p))  # a whole phrase, or its start only
            words[rng.randint(0, len(words)) : 0] = p[:cut]
        want = phrase_matches(words, phrases)
        assert phrase_matches(words, phrases, starts) == want
        assert phrase_matches(words, phrases, frozenset(starts)) == want
        hits += sum(bool(x) for x in want)
    assert hits > 100
