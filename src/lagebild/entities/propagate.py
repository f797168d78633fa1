"""One name, one reading per article: what was recognised once is recognised everywhere.

A tagger decides token by token, so the same name is often found in one sentence and
missed (or typed differently) in the next: "Kosmodrom Wostotschny" found, "Wostochny" two
paragraphs later missed; "Kims" typed as a place. Document-level consistency fixes both:
a word whose key matches a name already found in the article gets that name's type, and
a one-word mention that is a found person's first or last name becomes a person, and
"Putins Krieg" tagged as one name is cut back to the possessor, "Putins". The
organisation behind a role compound ("Kreml-Sprecher", "NATO-Generalsekretär") is added
too, typed by the article when it knows the name, else as an organisation. A name of
several words found once ("Nordwind Air") is that name wherever the article writes it, not
the fragment the tagger kept elsewhere ("Air"), and takes the type most of its occurrences
had. A one-word name the article treats as a place is one (``places``). A tagger mention of one calendar or function word ("Friday", "März") is dropped
(unless it is part of a person's name found in the article: "May"). Languages that write
common nouns in lower case get their own clean-up first (``casing``).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace

from lagebild.entities.capitals import capital_places
from lagebild.entities.casing import PARTICLES, casing_fixes
from lagebild.entities.lexicon import country_codes, descriptors, org_tails, stopwords
from lagebild.entities.names import name_form, same_spelling, spelling
from lagebild.entities.places import place_fixes
from lagebild.entities.rules import REMIT_HEADS, role_match
from lagebild.entities.translit import name_key
from lagebild.model import Doc, EntityType, Mention, Token


def _word_char(c: str) -> bool:
    """What ``\\w`` matches in a str pattern (letters, digits, numerals, the underscore), or a hyphen."""
    return c.isalnum() or c == "_" or c == "-"


def whole_words(text: str, name: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each occurrence of ``name`` in ``text`` with no word character or
    hyphen right before or after it, left to right, not overlapping: the matches of
    ``(?<![\\w-])NAME(?![\\w-])`` without compiling a pattern per name (a new one for
    nearly every name of every article)."""
    n = len(name)
    end = len(text)
    at = text.find(name)
    while at >= 0:
        stop = at + n
        if (at == 0 or not _word_char(text[at - 1])) and (
            stop == end or not _word_char(text[stop])
        ):
            yield at, stop
            at = text.find(name, stop)
        else:
            at = text.find(name, at + 1)


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
            known.setdefault(form.core or form.key, Counter())[m.label] += 1
            if m.label == "PER":
                person_words.add(form.key)
    return known, person_words


def propagate(doc: Doc, mentions: Sequence[Mention]) -> tuple[Mention, ...]:
    """The mentions made consistent within the article, plus the ones the tagger missed."""
    lang = doc.article.language or "de"
    _, person_words = _known(mentions, lang)
    named = _full_name_words(mentions, lang)
    tidy = [t for m in casing_fixes(doc, mentions) if (t := _trim_tail(m)) is not None]
    tidy += capital_places(doc, tidy)
    kept = [m for m in tidy if m.text and not _not_a_name(m, named, lang)]
    known, _ = _known(kept, lang)
    owned = [_possessor(m, person_words, known, lang) for m in kept]
    grown = _grow_right(doc, _grow_left(doc, [m for m in owned if m is not None]))
    trimmed = place_fixes(doc, _whole_names(doc, grown))
    known, person_words = _known(trimmed, lang)
    spelled: dict[str, set[tuple[str, str]]] = {}
    for m in trimmed:
        for w in m.text.split():
            spelled.setdefault(name_key(w, lang), set()).add(spelling(w, lang))
    out = [_relabel(m, person_words, known, lang) for m in trimmed]
    taken = _Taken(len(doc.article.text))
    for m in out:
        taken.add(m.start, m.end)
    # a word found again is as sure as the surest mention it was found in
    word_scores = _best_scores(
        (name_key(w, lang), m) for m in trimmed if m.source != "coref" for w in m.text.split()
    )
    for sent in doc.sentences:
        for tok in sent.tokens:
            if taken.overlaps(tok.start, tok.end):
                continue
            found = _missed(doc, tok, known, lang, spelled)
            if found is not None:
                key = name_key(found.text, lang)
                if key not in word_scores and found.text.endswith("s"):
                    key = key[:-1]  # "des Betons" is as sure as "Beton" was
                if key in word_scores:
                    found = replace(found, score=word_scores[key])
                out.append(found)
                taken.add(found.start, found.end)
    return tuple(sorted(out, key=lambda m: (m.start, m.end)))


def _best_scores(pairs: Iterable[tuple[str, Mention]]) -> dict[str, float | None]:
    """Per key, the best tagger score of its mentions; None (sure: a rule's mention) wins."""
    out: dict[str, float | None] = {}
    for key, m in pairs:
        prev = out.get(key, -1.0)
        if prev is not None:
            out[key] = None if m.score is None else max(m.score, prev)
    return out


class _Taken:
    """Character spans already named: whether a token overlaps one is a lookup, not a scan
    over every mention of the article."""

    def __init__(self, size: int) -> None:
        self.chars = bytearray(size)
        self.empty: list[int] = []  # empty spans: a token around one overlaps it
        self.spans: list[tuple[int, int]] = []

    def add(self, start: int, end: int) -> None:
        self.spans.append((start, end))
        if end > len(self.chars):
            self.chars.extend(bytes(end - len(self.chars)))
        if end > start:
            self.chars[start:end] = b"\x01" * (end - start)
        else:
            self.empty.append(start)

    def overlaps(self, start: int, end: int) -> bool:
        if start >= end:  # an empty token (none is made today): as the scan did
            return any(s < end and start < e for s, e in self.spans)
        if self.chars.find(1, start, end) >= 0:
            return True
        return any(start < s < end for s in self.empty)


# endings of German common nouns: a word ending so before a name is no part of it
_NOUN_ENDINGS = ("ung", "heit", "keit", "schaft", "ion", "tät", "ismus", "ist", "er", "ei", "in")


def _grow_left(doc: Doc, mentions: list[Mention]) -> list[Mention]:
    """A one-word organisation the article writes two or more times, always after the same
    capitalised word the tagger left out ("Nordwind Air", tagged "Air"), is the two words.

    In English this catches what ``casing`` cannot: the name starting a sentence ("Nordwind
    Air has offered …"), where a capital says nothing. The word before must not be a
    role, a descriptor ("Konzern"), a function word, always a sentence start or look like a
    common noun, so "Hersteller Lumetra" stays as it is.
    """
    text = doc.article.text
    tokens = [(t, i == 0) for s in doc.sentences for i, t in enumerate(s.tokens)]
    index = {t.start: k for k, (t, _) in enumerate(tokens)}
    # organisations only: before a place or a thing the word is too often a common noun
    # ("Millionen Euro", "Stadt Amberg"), and a person's first name is the tagger's to find
    names = {m.text for m in mentions if m.source == "ner" and " " not in m.text}
    names -= {m.text for m in mentions if m.label != "ORG"}
    out = list(mentions)
    for name in sorted(names):
        before: set[str] = set()
        inside = False  # the word before is not always the first of its sentence
        spots = [s for s, _ in whole_words(text, name)]
        for start in spots:
            k = index.get(start)
            prev, first = tokens[k - 1] if k else (None, True)
            if prev is None or prev.end + 1 != start:
                before.add("")
            else:
                before.add(prev.text)
                inside = inside or not first
        word = before.pop() if len(before) == 1 and len(spots) >= 2 and inside else ""
        if not _may_lead(word, out):
            continue
        grown = [
            replace(m, start=m.start - len(word) - 1, text=f"{word} {m.text}")
            for m in out
            if m.text == name and text[m.start - len(word) - 1 : m.start - 1] == word
        ]
        out = [m for m in out if m.text != name] + grown
    return sorted(out, key=lambda m: (m.start, m.end))


def _grow_right(doc: Doc, mentions: list[Mention]) -> list[Mention]:
    """An organisation directly followed by a capitalised word that ends such names ("Eastern
    Economic" + "Forum", "Nordwind" + "Group") is the longer name; the tagger tends to stop
    before a head word it saw rarely in training. So is an office followed by its remit
    ("Landesamt" + "für Umwelt"; GermEval dev, whole stage: ORG F1 60.96 -> 61.16)."""
    text = doc.article.text
    starts = {m.start for m in mentions}
    out = []
    for m in mentions:
        nxt = re.match(r" (\w+)\b", text[m.end : m.end + 40])
        if (
            m.label == "ORG"
            and nxt
            and nxt[1][:1].isupper()
            and nxt[1].casefold() in org_tails()
            and m.end + 1 not in starts
        ):
            m = replace(m, end=m.end + nxt.end(), text=text[m.start : m.end + nxt.end()])
        remit = _REMIT.match(text, m.end)
        if m.label == "ORG" and remit and m.text.casefold().endswith(REMIT_HEADS):
            end = remit.end()
            m = replace(m, end=end, text=text[m.start : end])
        out.append(m)
    return out


_REMIT = re.compile(r" für (?:[A-ZÄÖÜ][\w-]+)(?: und [A-ZÄÖÜ][\w-]+)?(?![\w-])")


def _may_lead(word: str, mentions: Sequence[Mention]) -> bool:
    low = word.casefold()
    return (
        len(word) >= 3
        and word[:1].isupper()
        and word.isalpha()
        and low not in stopwords()
        and low not in descriptors()
        and role_match(word) is None
        and not low.endswith(_NOUN_ENDINGS)
        and not any(m.text == word for m in mentions)
    )


def _trim_tail(m: Mention) -> Mention | None:
    """A tagger span ending in a lower-case word ("Ukraine-Krieg erringt") or, for a place or
    organisation, in a role noun ("Nordkoreas Diktator") ends before it: no name ends so.
    What is left of "Regensburger Erzbischof", "Deutschen Meister" is an adjective, no name
    (GermEval's ``-deriv``)."""
    if m.source != "ner" or " " not in m.text:
        return m
    words = m.text.split(" ")
    role_cut = False
    while len(words) > 1 and (_clause_word(words[-1]) or _person_role(words[-1], m.label)):
        role_cut = role_cut or _person_role(words[-1], m.label)
        words.pop()
    if role_cut and len(words) == 1 and words[0].endswith(("er", "en", "e", "es", "em")):
        return None
    text = " ".join(words)
    return m if text == m.text else replace(m, end=m.start + len(text), text=text)


def _clause_word(word: str) -> bool:
    """A lower-case word that is no name particle ("al-Nuaimi", "de", "von") and no word of
    another language inside a name ("Luzenské údolí": letters German does not write)."""
    low = word.casefold()
    foreign = any(c.isalpha() and not c.isascii() and c not in "äöüß" for c in low)
    return (
        word[:1].islower()
        and low not in PARTICLES
        and not low.startswith(("al-", "el-"))
        and not foreign
    )


def _person_role(word: str, label: str) -> bool:
    """A person's role noun closing a place or organisation span ("Nordkoreas Diktator");
    a head like "Zeitung" or "Altstadt" belongs to the name."""
    role = role_match(word) if label != "PER" else None
    return role is not None and role.type == "PER"


def _full_name_words(mentions: Sequence[Mention], lang: str) -> set[str]:
    forms = (name_form(m.text, m.label, lang) for m in mentions if m.label == "PER")
    return {w for f in forms if f.full for w in (f.first, f.last)}


def _not_a_name(m: Mention, person_words: set[str], lang: str) -> bool:
    """A one-word tagger mention that is a weekday, month or function word ("Friday")."""
    if m.source != "ner" or " " in m.text:
        return False
    return m.text.casefold() in stopwords() and name_key(m.text, lang) not in person_words


def _whole_names(doc: Doc, mentions: list[Mention]) -> list[Mention]:
    """Every occurrence of a multi-word name found once becomes that name ("Air" -> "Nordwind
    Air"), with the type most of the name's occurrences (and the fragments) were given."""
    text = doc.article.text
    sources = {m.text: m.source for m in mentions if " " in m.text and m.source != "coref"}
    scores = _best_scores((m.text, m) for m in mentions if m.text in sources)
    out = list(mentions)
    for name in sorted(sources, key=len, reverse=True):  # "Nordwind Air Cargo" first
        free: list[tuple[int, int, list[Mention]]] = []
        for s, e in whole_words(text, name):
            overlapping = [m for m in out if m.start < e and s < m.end]
            if all(s <= m.start and m.end <= e for m in overlapping):  # none reaches outside
                free.append((s, e, overlapping))
        votes = Counter(m.label for _, _, ms in free for m in ms if m.source != "coref")
        if not votes:
            continue
        label: EntityType = votes.most_common(1)[0][0]
        done = [
            ms == [m] and m.text == name and m.label == label for *_, ms in free for m in ms[:1]
        ]
        if len(done) == len(free) and all(done):
            continue
        dropped = {id(m) for _, _, ms in free for m in ms}
        out = [m for m in out if id(m) not in dropped]
        out.extend(
            Mention(doc.id, s, e, name, label, None, sources[name], score=scores.get(name))
            for s, e, _ in free
        )
    return sorted(out, key=lambda m: (m.start, m.end))


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


def _possessor(
    m: Mention, person_words: set[str], known: dict[str, Counter[str]], lang: str
) -> Mention | None:
    """ "Putins Krieg gegen die Ukraine", "Moskaus Sieg" tagged as one name: only the possessor
    is one, when the article names it on its own. "Moskauer Krieges" (an adjective of a place
    the article names, and a noun) is none: GermEval's ``-deriv`` convention."""
    first, _, rest = m.text.partition(" ")
    if m.source != "ner" or not rest or lang not in ("de", "nl") or len(first) < 4:
        return m
    key = name_key(first, lang)
    if first.endswith("s") and key[:-1] in person_words:
        return replace(m, end=m.start + len(first), text=first, label="PER")
    if first.endswith("s") and key[:-1] in known and " " not in rest:
        label: EntityType = known[key[:-1]].most_common(1)[0][0]  # type: ignore[assignment]
        return replace(m, end=m.start + len(first), text=first, label=label)
    if first.endswith("er") and " " not in rest and "LOC" in known.get(key[:-2], {}):
        return None
    return m


def _missed(
    doc: Doc,
    tok: Token,
    known: dict[str, Counter[str]],
    lang: str,
    spelled: dict[str, set[tuple[str, str]]] | None = None,
) -> Mention | None:
    word = tok.text
    if not word[:1].isupper() or len(word) < 3 or word.casefold() in stopwords():
        return None
    if "-" in word:
        return _role_compound(doc, tok, known, lang)
    if role_match(word) is not None:
        return None
    key = name_key(word, lang)
    base = key[:-1] if lang in ("de", "nl") and word.endswith("s") else ""
    for k, form in ((key, word), (base, word[:-1])):
        if k and k in known:
            if spelled is not None and not _spelled_alike(form, k, spelled):
                continue  # "Gras" is not "Graz": keys agree by a weak folding only
            label: EntityType = known[k].most_common(1)[0][0]  # type: ignore[assignment]
            return Mention(doc.id, tok.start, tok.end, word, label, None, "rule")
    return None


def _spelled_alike(word: str, key: str, spelled: dict[str, set[tuple[str, str]]]) -> bool:
    known = spelled.get(key)
    if not known:
        return True
    mine = spelling(word)
    return any(same_spelling(mine, k) for k in known)


# An organisation guessed from a role compound alone ("Falter-Journalistin", but also
# "Straßen-Radweltmeister", "Stereo-Lautsprecher"): of the 67 such mentions of the 1,016 10kGNAD
# test articles whose prefix the article names nowhere else and is no acronym, 38 were an
# organisation. The guess carries that precision as its score, so an entity with no other
# evidence is doubtful (``entities.update.DOUBT_BELOW``)
GUESSED_ORG = 0.57


def _role_compound(
    doc: Doc, tok: Token, known: dict[str, Counter[str]], lang: str
) -> Mention | None:
    """ "FPÖ-Chef" -> "FPÖ": the prefix of a compound ending in a person's role names an
    organisation (or the place or name the article knows it as)."""
    prefix, _, tail = tok.text.partition("-")
    role = role_match(tail)
    if role is None or role.type != "PER" or len(prefix) < 2 or not prefix[:1].isupper():
        return None
    if prefix.casefold() in stopwords():
        return None
    key = name_key(prefix, lang)
    score = None
    if key in known:
        label: EntityType = known[key].most_common(1)[0][0]  # type: ignore[assignment]
    else:
        label = "LOC" if prefix in country_codes() else "ORG"
        if label == "ORG" and sum(c.isupper() for c in prefix) < 2:
            score = GUESSED_ORG  # "Straßen-Radweltmeister", "Frauen-Chefin", "Labour-Abgeordnete"
    end = tok.start + len(prefix)
    return Mention(doc.id, tok.start, end, prefix, label, None, "rule", None, score)


__all__ = ["propagate"]
