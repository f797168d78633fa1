"""Which sentences a summary may quote: whole, declarative body sentences, never boilerplate.

A summary line is lifted verbatim from the article, so a bad sentence cannot be repaired later:
headings, teasers, questions, photo credits and captions are kept out here. The rules are data
(``resources/dossier/<lang>/skip.txt``); what stays is judged on shape alone (length, a final
full stop, not a caption), because the text layer gives no part-of-speech tags to look for a verb.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING

from lagebild.model import Doc, Sentence, Token, normalise_for_id

if TYPE_CHECKING:
    from lagebild.dossier.parts import Parts

MIN_WORDS = 6
MAX_WORDS = 70
_ENDS = {".", "!", "…", "..."}
_CLOSERS = {"“", "”", '"', "»", "«", "‘", "’", "'", ")"}


@dataclass(frozen=True, slots=True)
class Candidate:
    """A quotable sentence with what ranking needs: its terms and where it stands."""

    doc_index: int  # position of its doc in the story's docs
    position: int  # sentence index within the article
    sentence: Sentence
    terms: tuple[str, ...]  # content lemmas, lower case
    dangling: bool  # starts with a word pointing back ("Er", "Dort", "Aber")
    ahead: bool = False  # forecasts (``time.tense.looks_ahead``)


def _resource_lines(lang: str, name: str) -> list[str]:
    root = resources.files("lagebild") / "resources" / "dossier"
    for folder in (lang, "de"):
        try:
            text = (root / folder / name).read_text(encoding="utf-8")
        except (FileNotFoundError, OSError):
            continue
        return [x.strip() for x in text.splitlines() if x.strip() and not x.startswith("#")]
    return []


@cache
def stopwords(lang: str) -> frozenset[str]:
    """Function-word lemmas left out of the term vectors."""
    return frozenset(x.casefold() for x in _resource_lines(lang, "stopwords.txt"))


@cache
def patterns(lang: str, name: str) -> tuple[re.Pattern[str], ...]:
    """The regular expressions of rule file ``name`` ("skip.txt", "credits.txt") for ``lang``."""
    lines = _resource_lines(lang, name)
    return tuple(re.compile(x) for x in lines if not x.startswith("EXAMPLE:"))


@dataclass(frozen=True, slots=True)
class _Rules:
    """A rule file's patterns as two alternations: tried at the start only, and anywhere."""

    at_start: re.Pattern[str] | None
    anywhere: re.Pattern[str] | None

    def hit(self, text: str) -> bool:
        return bool(
            (self.at_start is not None and self.at_start.match(text))
            or (self.anywhere is not None and self.anywhere.search(text))
        )


@cache
def combined(lang: str, name: str) -> _Rules:
    """All patterns of a rule file in two regexes, so a sentence costs two scans, not twelve.

    A pattern whose body starts with ``^`` is only tried at the start of the text.
    """
    start: list[str] = []
    anywhere: list[str] = []
    for p in patterns(lang, name):
        src = p.pattern
        body = src[4:] if src.startswith("(?i)") else src
        part = f"(?i:{body})" if src.startswith("(?i)") else f"(?:{body})"
        (start if body.startswith("^") else anywhere).append(part)
    return _Rules(
        re.compile("|".join(start)) if start else None,
        re.compile("|".join(anywhere)) if anywhere else None,
    )


def rule_examples(lang: str, name: str) -> list[tuple[str, str]]:
    """(pattern, example) pairs from a rule file, for the test that runs them."""
    out: list[tuple[str, str]] = []
    pattern = ""
    for line in _resource_lines(lang, name):
        if line.startswith("EXAMPLE:"):
            out.append((pattern, line.removeprefix("EXAMPLE:").strip()))
        else:
            pattern = line
    return out


@cache
def dangling_starters(lang: str) -> frozenset[str]:
    lines = _resource_lines(lang, "dangling.txt")
    return frozenset(x.split()[0] for x in lines if " " not in x or x.endswith(" +connective"))


@cache
def connectives(lang: str) -> frozenset[str]:
    """Starters that tie a sentence to the one before without hiding who or what it is about
    (lines "Zudem +connective"): a timeline line may open with one, not with "Er"."""
    lines = _resource_lines(lang, "dangling.txt")
    return frozenset(x.split()[0] for x in lines if x.endswith(" +connective"))


@cache
def pronoun_before_verb(lang: str) -> frozenset[str]:
    """First words that point back only when a verb follows them (lines "Das +verb"): "Das
    teilte ein Sprecher mit" needs the sentence before it, "Das neue Gesetz …" does not."""
    lines = _resource_lines(lang, "dangling.txt")
    return frozenset(x.split()[0] for x in lines if x.endswith(" +verb"))


_AUXILIARIES = {"ist", "war", "sei", "wäre", "hat", "hatte", "habe", "wird", "wurde", "würde",
                "is", "was", "has", "had", "will", "would"}  # fmt: skip


def _verb_like(token: Token) -> bool:
    """A lower-case word that is an inflected verb by its lemma ("teilte" -> "teilen")."""
    word = token.text
    if not word[:1].islower():
        return False
    lemma = token.lemma or word
    return word in _AUXILIARIES or (lemma != word and lemma.endswith(("en", "ern", "eln")))


def balanced_quotes(text: str) -> bool:
    """Whether every quotation the sentence opens it also closes (and the other way round): a
    sentence split inside a quotation ("Wir müssen nur … sind", sagte Biden.) reads as a
    fragment once lifted out of its article."""
    if text.count('"') % 2 or text.count("»") != text.count("«"):
        return False
    if "„" in text:
        return text.count("„") == text.count("“") + text.count("”")
    return text.count("“") == text.count("”")


@cache
def demonstratives(lang: str) -> frozenset[str]:
    return frozenset(x.casefold() for x in _resource_lines(lang, "demonstratives.txt"))


def points_back(sentence: Sentence, lang: str) -> bool:
    """Starts with a word pointing back ("Er", "Dort", "Aber"), or has a demonstrative among
    its first three words ("Seit diesem Besuch …"): it needs the sentence before it."""
    toks = [t for t in sentence.tokens if t.text[:1].isalnum()][:3]
    words = [t.text for t in toks]
    if words and words[0] in dangling_starters(lang):
        return True
    if len(toks) > 1 and words[0] in pronoun_before_verb(lang) and _verb_like(toks[1]):
        return True
    return any(w.casefold() in demonstratives(lang) for w in words)


@cache
def _opening_words(
    lang: str,
) -> tuple[frozenset[str], frozenset[str], frozenset[str], frozenset[str]]:
    """(words that always tie a sentence back, pronouns that do unless a name comes first,
    words that do unless they follow a comma or "und", possessives that do unless the
    sentence names someone anywhere)."""
    lines = _resource_lines(lang, "opening.txt")

    def marked(mark: str) -> frozenset[str]:
        return frozenset(x.split()[0].casefold() for x in lines if x.endswith(" " + mark))

    always = frozenset(x.casefold() for x in lines if " " not in x)
    return always, marked("+unresolved"), marked("+linked"), marked("+possessive")


_LINKS = frozenset({",", "und", "and", "oder", "or"})


_QUOTED = re.compile(r"[„\"»«“‚]([^„\"»«“”]{2,}?)[“\"«»”‘]")


def opens_well(sentence: Sentence, doc: Doc) -> bool:
    """Whether a summary may open with ``sentence``: it must stand on its own, with nothing
    before it. Not when a word ties it to an earlier sentence wherever it stands ("Der
    Güterverkehr wird demnach …"), a pronoun has no name before it ("Zumindest hat er sich
    …"), or it is mostly a quotation (a press release's or a speaker's words are a voice in
    the story, not its state)."""
    lang = doc.article.language or "de"
    if points_back(sentence, lang):
        return False
    always, pronouns, linked, possessives = _opening_words(lang)
    named = [
        m.start
        for m in doc.mentions
        if m.label in ("PER", "ORG") and sentence.start <= m.start < sentence.end
    ]
    before = ","
    for t in sentence.tokens:
        word = t.text.casefold()
        if word in always or (word in linked and before not in _LINKS):
            return False
        before = word
        if word in pronouns and not any(start < t.start for start in named):
            return False
        if word in possessives and not named:  # "nach seinem Sturz ist Jane Roe …"
            return False
    text = sentence.text
    quoted = sum(len(m.group(1)) for m in _QUOTED.finditer(text))
    return not (text[:1] in '„"»«“‚' or quoted * 2 > len(text))


def _words(sentence: Sentence) -> int:
    return sum(1 for t in sentence.tokens if t.text[:1].isalnum())


def _ends_like_a_statement(sentence: Sentence) -> bool:
    toks = sentence.tokens
    i = len(toks) - 1
    while i >= 0 and toks[i].text in _CLOSERS:
        i -= 1
    return i >= 0 and toks[i].text in _ENDS


def has_statement_shape(sentence: Sentence) -> bool:
    """Cheap test: a whole declarative sentence of reasonable length, not a heading or question."""
    text = sentence.text
    if "\n" in text or not MIN_WORDS <= _words(sentence) <= MAX_WORDS:
        return False
    if not text[:1].isupper() and text[:1] not in "„\"»«“‚'(" and not text[:1].isdigit():
        return False  # a fragment left by a bad split
    if not balanced_quotes(text):
        return False
    return _ends_like_a_statement(sentence) and not any(t.text == "?" for t in sentence.tokens)


class RuleCheck:
    """The costlier test, run only on sentences a summary might pick: not the title, not a
    caption, not a teaser or credit line (the rule files). Per-article data is computed once."""

    def __init__(self, docs: list[Doc]) -> None:
        self.docs = docs
        self._articles: dict[int, tuple[str, frozenset[str], str]] = {}
        self._credit_lines: dict[tuple[int, int], bool] = {}  # (doc, line start) -> credit

    def _article(self, i: int) -> tuple[str, frozenset[str], str]:
        if i not in self._articles:
            art = self.docs[i].article
            captions = frozenset(normalise_for_id(c) for c in art.captions if c.strip())
            self._articles[i] = (normalise_for_id(art.title), captions, art.language or "de")
        return self._articles[i]

    def ok(self, doc_index: int, sentence: Sentence) -> bool:
        title, captions, lang = self._article(doc_index)
        text = sentence.text
        norm = normalise_for_id(text)
        if norm == title or any(norm in c or (len(c) >= 20 and c in norm) for c in captions):
            return False
        if combined(lang, "skip.txt").hit(text):
            return False
        text = self.docs[doc_index].article.text
        key = (doc_index, text.rfind("\n", 0, sentence.start) + 1)
        if key not in self._credit_lines:  # sentences share lines (a text without breaks: one)
            line = _line(text, sentence.start, sentence.end)
            self._credit_lines[key] = combined(lang, "credits.txt").hit(line)
        return not self._credit_lines[key]


def is_quotable(sentence: Sentence, doc: Doc) -> bool:
    """Whether a summary may quote ``sentence`` of ``doc`` as it stands."""
    return has_statement_shape(sentence) and RuleCheck([doc]).ok(0, sentence)


def _line(text: str, start: int, end: int) -> str:
    """The whole line a span stands on (a caption glued to its credit is one line)."""
    lo = text.rfind("\n", 0, start) + 1
    hi = text.find("\n", end)
    return text[lo : hi if hi >= 0 else len(text)]


def content_terms(sentence: Sentence, lang: str) -> tuple[str, ...]:
    """Lower-cased lemmas of the words and numbers that carry the sentence's content."""
    stop = stopwords(lang)
    return tuple(
        x
        for x in [(t.lemma or t.text).casefold() for t in sentence.tokens]
        if x not in stop and x[:1].isalnum() and (len(x) > 1 or x.isdigit())
    )


def candidates(docs: list[Doc], parts: Parts | None = None) -> list[Candidate]:
    """Every sentence of ``docs`` with the shape of a statement, with its terms.

    The rule check (``RuleCheck``) is left to the caller, which runs it only on the few
    sentences it considers: boilerplate is too rare to move the centroid. An article's
    candidates kept in ``parts`` are read from there (their sentences' tokens are then never
    made); those worked out here are put there.
    """
    from lagebild.dossier.parts import SUMMARY

    out: list[Candidate] = []
    for i, doc in enumerate(docs):
        own = parts.get(doc, SUMMARY) if parts is not None else None
        if own is None:
            own = doc_candidates(doc)
            if parts is not None:
                parts.put(doc, SUMMARY, own)
        sentences = doc.sentences
        out += [Candidate(i, p, sentences[p], tuple(t), d, a) for p, t, d, a in own]
    return out


def doc_candidates(doc: Doc) -> list[tuple[int, list[str], bool, bool]]:
    """One article's candidates as kept (``dossier.parts``): (sentence index, content terms,
    points back, looks ahead)."""
    from lagebild.time.tense import looks_ahead

    lang = doc.article.language or "de"
    out: list[tuple[int, list[str], bool, bool]] = []
    for pos, sent in enumerate(doc.sentences):
        if not has_statement_shape(sent):
            continue
        terms = content_terms(sent, lang)
        if len(terms) < 3:
            continue
        ahead = looks_ahead(sent.tokens, doc.article.language)
        out.append((pos, list(terms), points_back(sent, lang), ahead))
    return out


__all__ = [
    "Candidate",
    "RuleCheck",
    "candidates",
    "content_terms",
    "doc_candidates",
    "has_statement_shape",
    "is_quotable",
    "opens_well",
    "patterns",
    "points_back",
    "rule_examples",
]
