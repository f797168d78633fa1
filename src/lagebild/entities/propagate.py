"""One name, one reading per article: what was recognised once is recognised everywhere.

A tagger decides token by token, so the same name is often found in one sentence and
missed (or typed differently) in the next: "Kosmodrom Wostotschny" found, "Wostochny" two
paragraphs later missed; "Kims" typed as a place. Document-level consistency fixes both:
a word whose key matches a name already found in the article gets that name's type, and
a one-word mention that is a found person's first or last name becomes a person, and
"Putins Krieg" tagged as one name is cut back to the possessor, "Putins". The
organisation behind a role compound ("Kreml-Sprecher", "NATO-Generalsekretär") is added
too, typed by the article when it knows the name, else as an organisation.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import replace

from lagebild.entities.lexicon import country_codes, stopwords
from lagebild.entities.names import name_form
from lagebild.entities.rules import role_match
from lagebild.entities.translit import name_key
from lagebild.model import Doc, EntityType, Mention, Token


def _known(mentions: Sequence[Mention], lang: str) -> tuple[dict[str, Counter[str]], set[str]]:
    """One-word keys with the types they were found as, and the words of full person names."""
    known: dict[str, Counter[str]] = {}
    person_words: set[str] = set()
    for m in mentions:
        form = name_form(m.text, m.label, lang)
        if m.label == "PER" and form.full:
            person_words.update((form.first, form.last))
            for word in (form.first, form.last):
                known.setdefault(word, Counter())["PER"] += 1
        elif not form.full and form.key:
            known.setdefault(form.key, Counter())[m.label] += 1
            if m.label == "PER":
                person_words.add(form.key)
    return known, person_words


def propagate(doc: Doc, mentions: Sequence[Mention]) -> tuple[Mention, ...]:
    """The mentions made consistent within the article, plus the ones the tagger missed."""
    lang = doc.article.language or "de"
    _, person_words = _known(mentions, lang)
    trimmed = [_possessor(m, person_words, lang) for m in mentions]
    known, person_words = _known(trimmed, lang)
    out = [_relabel(m, person_words, known, lang) for m in trimmed]
    taken = [(m.start, m.end) for m in out]
    for sent in doc.sentences:
        for tok in sent.tokens:
            if any(s < tok.end and tok.start < e for s, e in taken):
                continue
            found = _missed(doc, tok, known, lang)
            if found is not None:
                out.append(found)
                taken.append((found.start, found.end))
    return tuple(sorted(out, key=lambda m: (m.start, m.end)))


def _relabel(
    m: Mention, person_words: set[str], known: dict[str, Counter[str]], lang: str
) -> Mention:
    if m.source != "ner":
        return m
    if " " in m.text or m.label == "PER":
        return m
    form = name_form(m.text, m.label, lang)
    for key in (form.key, form.base):
        if key and key in person_words and not (set(known.get(key, {})) - {"PER", m.label}):
            return replace(m, label="PER")
    return m


def _possessor(m: Mention, person_words: set[str], lang: str) -> Mention:
    """ "Putins Krieg gegen die Ukraine" tagged as one name: only "Putins" is one (a person's)."""
    first = m.text.split(" ", 1)[0]
    if m.source != "ner" or " " not in m.text or lang not in ("de", "nl"):
        return m
    if not first.endswith("s") or len(first) < 4 or name_key(first, lang)[:-1] not in person_words:
        return m
    return replace(m, end=m.start + len(first), text=first, label="PER")


def _missed(doc: Doc, tok: Token, known: dict[str, Counter[str]], lang: str) -> Mention | None:
    word = tok.text
    if not word[:1].isupper() or len(word) < 3 or word.casefold() in stopwords():
        return None
    if "-" in word:
        return _role_compound(doc, tok, known, lang)
    if role_match(word) is not None:
        return None
    key = name_key(word, lang)
    for k in (key, key[:-1] if lang in ("de", "nl") and word.endswith("s") else ""):
        if k and k in known:
            label: EntityType = known[k].most_common(1)[0][0]  # type: ignore[assignment]
            return Mention(doc.id, tok.start, tok.end, word, label, None, "rule")
    return None


def _role_compound(
    doc: Doc, tok: Token, known: dict[str, Counter[str]], lang: str
) -> Mention | None:
    prefix, _, tail = tok.text.partition("-")
    role = role_match(tail)
    if role is None or role.type != "PER" or len(prefix) < 2 or not prefix[:1].isupper():
        return None
    if prefix.casefold() in stopwords():
        return None
    key = name_key(prefix, lang)
    if key in known:
        label: EntityType = known[key].most_common(1)[0][0]  # type: ignore[assignment]
    else:
        label = "LOC" if prefix in country_codes() else "ORG"
    return Mention(doc.id, tok.start, tok.start + len(prefix), prefix, label, None, "rule")


__all__ = ["propagate"]
