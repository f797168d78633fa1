"""Canonical entities: an article's clusters merged across a story, then across the store.

Within an article ``coref`` has already decided who "Kim" is. Across articles, clusters
merge when their names agree by key (so "Kim Jong Un" in one outlet meets "Kim Jong-un" in
another and "Wostochny" meets "Kosmodrom Wostotschny"); a cluster that only ever says
"Putin" joins the most-mentioned full name ending (or starting) with that word, and one
that no person's name explains joins a place or organisation written the same way (the
tagger called "Lumetra" a person once, a company elsewhere); the type is the majority's.
An organisation written with one word joins the only organisation whose name ends with it. The same
step merges stories' entities into the store's, so one function serves both levels.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from operator import attrgetter
from typing import Any

from lagebild.entities.coref import cluster_mentions, forms_of, same_person
from lagebild.entities.exonyms import territory_key
from lagebild.entities.lexicon import lower_words, noun_gender, tagger_words
from lagebild.entities.names import NameForm, alike, entity_id, name_form, word_alike
from lagebild.model import Doc, Entity, EntityType, Mention

_COUNT_FROM = 16  # mentions or forms beyond which a group keeps its counts (``Group.counts``)


@dataclass(slots=True)
class _Counts:
    """A group's label and key counts over the mentions and forms counted so far."""

    mentions: list[Mention]  # the lists counted (a group given new lists is counted anew)
    forms: list[NameForm]
    n_mentions: int = 0
    n_forms: int = 0
    named: Counter[str] = field(default_factory=Counter)  # labels of non-coref mentions
    labels: Counter[str] = field(default_factory=Counter)  # labels of all mentions
    full_keys: Counter[str] = field(default_factory=Counter)  # keys of full forms
    keys: Counter[str] = field(default_factory=Counter)  # keys of all forms


@dataclass(slots=True)
class Group:
    """Mentions believed to name one entity, with their comparable forms."""

    mentions: list[Mention] = field(default_factory=list)
    forms: list[NameForm] = field(default_factory=list)  # one per non-coref mention, same order
    cited: Counter[tuple[str, str]] = field(default_factory=Counter)  # (as written, name form)
    placed: bool = False  # some mention is a place of its own: a dateline, "in Wien"
    gone: bool = False  # absorbed into another group
    into: Group | None = None  # the group it was absorbed into
    # label and key counts of a group beyond ``_COUNT_FROM`` mentions or forms, brought up to
    # date with what its lists gained since (they only grow): counting a merged group's every
    # mention at each comparison made the store-wide merge quadratic (a 100k-article build
    # spent its time recounting "Wien"); small groups (most) count from scratch and keep none
    counts: _Counts | None = field(default=None, repr=False, compare=False)

    def _counted(self) -> _Counts:
        c = self.counts
        if (
            c is None
            or c.mentions is not self.mentions
            or c.forms is not self.forms
            or len(self.mentions) < c.n_mentions
            or len(self.forms) < c.n_forms
        ):
            c = self.counts = _Counts(self.mentions, self.forms)
        if len(self.mentions) > c.n_mentions:
            new = self.mentions[c.n_mentions :]
            c.named.update(m.label for m in new if m.source != "coref")
            c.labels.update(m.label for m in new)
            c.n_mentions = len(self.mentions)
        if len(self.forms) > c.n_forms:
            more = self.forms[c.n_forms :]
            c.full_keys.update(f.key for f in more if f.full)
            c.keys.update(f.key for f in more)
            c.n_forms = len(self.forms)
        return c

    @property
    def label(self) -> EntityType:
        if self.counts is None and len(self.mentions) <= _COUNT_FROM:
            return _label_of(self.mentions)
        c = self._counted()
        return (c.named or c.labels).most_common(1)[0][0]  # type: ignore[return-value]

    @property
    def full_forms(self) -> list[NameForm]:
        return [f for f in self.forms if f.full]

    @property
    def key(self) -> str:
        if self.counts is None and len(self.forms) <= _COUNT_FROM:
            forms = self.full_forms or self.forms
            if len(forms) == 1:
                return forms[0].key
            return _most(Counter(f.key for f in forms)) if forms else ""
        c = self._counted()
        keys = c.full_keys or c.keys
        return keys.most_common(1)[0][0] if keys else ""

    def absorb(self, other: Group) -> None:
        self.mentions.extend(other.mentions)
        self.forms.extend(other.forms)
        self.cited.update(other.cited)
        self.placed = self.placed or other.placed
        other.gone = True
        other.into = self


def _most(counts: dict[str, int]) -> str:
    """``Counter(counts).most_common(1)[0][0]`` without its heap: the first key (insertion
    order) of the highest count, as ``max`` keeps the first of equals."""
    return max(counts, key=counts.__getitem__)


def _label_of(mentions: Sequence[Mention]) -> EntityType:
    """The most frequent label of the named mentions (of all when every one is coreferent),
    the first seen of equals: what ``Counter.most_common`` gave, at a fifth of its cost
    (``Group.label`` of a small group, ~440k calls in a 1k-article entity build)."""
    if len(mentions) == 1:
        return mentions[0].label
    counts: dict[str, int] = {}
    for m in mentions:
        if m.source != "coref":
            counts[m.label] = counts.get(m.label, 0) + 1
    if not counts:
        for m in mentions:
            counts[m.label] = counts.get(m.label, 0) + 1
    return _most(counts)  # type: ignore[return-value]


def article_groups(doc: Doc) -> list[Group]:
    """The doc's mentions grouped per entity: by the stage's ``entity_id``, else clustered now."""
    lang = doc.article.language or "de"
    names = [m for m in doc.mentions if m.source != "coref"]
    forms = dict(zip((id(m) for m in names), forms_of(names, lang), strict=True))
    if names and all(m.entity_id for m in doc.mentions):
        by_id: dict[str, Group] = {}
        for m in doc.mentions:
            group = by_id.setdefault(m.entity_id or "", Group())
            group.mentions.append(m)
            if m.source != "coref":
                group.forms.append(forms[id(m)])
        out = [g for g in by_id.values() if g.forms]
    else:
        out = []
        for cluster in cluster_mentions(names, lang):
            members = [names[i] for i in cluster.members]
            out.append(Group(members, [forms[id(m)] for m in members]))
    text = doc.article.text
    _typed_by_noun(text, out)
    for g in out:
        g.placed = any(_placed(text, m) for m in g.mentions if m.label == "LOC")
    for m in doc.caption_mentions:  # linked by name to the body's entities, else their own
        f = name_form(m.text, m.label, lang)
        if not f.key:
            continue
        target = next((g for g in out if _caption_of(f, m, g)), None)
        if target is None:
            out.append(Group([m], [f]))
        else:
            target.mentions.append(m)
            target.forms.append(f)
    if lang == "de":
        for g in out:
            for m in g.mentions:
                strong = name_form_of(doc.article.text, m)
                if strong:
                    g.cited[(m.text, strong)] += 1
    return out


def _typed_by_noun(text: str, groups: list[Group]) -> None:
    """A one-word name that some mention has right after a noun announcing an organisation
    or a place ("der Elektronikhersteller Canon", "die Partei Syriza", "die Provinz Taez":
    the role table, ``rules.role_of``) is of that type throughout its article, whatever the
    tagger guessed at its other mentions ("Canon" ORG once, PER twice in one 10kGNAD
    article, listed as a person). Not a place the silver data knows behind an
    organisation's noun ("ORF-Landesstudio Wien"), and never when the nouns disagree."""
    from lagebild.entities.rules import role_of  # the rules load only where lists are built

    single = [g for g in groups if g.forms and not any(f.full for f in g.forms)]
    found: dict[str, set[str]] = {}
    for g in single:
        for m in g.mentions:
            if m.source == "coref" or m.caption is not None or " " in m.text:
                continue
            before = text[max(0, m.start - 40) : m.start]
            words = before.split()
            if not words or before[-1:] != " " or not words[-1][:1].isupper():
                continue
            role = role_of(words[-1].strip("„“\"'(),"))
            if role in ("ORG", "LOC"):
                found.setdefault(m.text, set()).add(role)
    if not found:
        return
    places = tagger_words().places
    for g in single:
        labels = {next(iter(found[f.text])) for f in g.forms if len(found.get(f.text, ())) == 1}
        if len(labels) != 1:
            continue
        label = labels.pop()
        if label == g.label or (label == "ORG" and any(f.text in places for f in g.forms)):
            continue
        g.mentions[:] = [replace(m, label=label) for m in g.mentions]  # type: ignore[arg-type]


def _caption_of(f: NameForm, m: Mention, g: Group) -> bool:
    """Whether a caption mention names the body's entity ``g``: the same name, or a
    person's surname or first name ("Kim" under an article about Kim Jong-un)."""
    if any(alike(f, x) for x in g.forms[:20]):
        return True
    if m.label != "PER" or g.label != "PER" or f.full:
        return False
    return any(
        word_alike(f, 0, x, 0) or word_alike(f, 0, x, len(x.words) - 1) for x in g.full_forms[:20]
    )


_PLACE_BEFORE = frozenset({"in", "nach", "aus", "im", "to", "from"})


def _placed(text: str, m: Mention) -> bool:
    """Whether a place mention stands as a place of its own: a dateline ("Wien – ") or after
    a place preposition ("in Wien")."""
    before = text[max(0, m.start - 12) : m.start]
    after = text[m.end : m.end + 3]
    if (not before.strip() or before.rstrip().endswith((".", "\n"))) and after.lstrip()[:1] in (
        "–",
        "-",
        "/",
    ):
        return True
    words = before.split()
    return bool(words) and words[-1].casefold() in _PLACE_BEFORE


# adjectives that open German names ("Deutsche", "Europäische", "Rote", "Vereinigte")
_ADJ_ENDINGS = ("ische", "sche", "liche", "ale", "ige", "ene", "te")
_ADJECTIVES = frozenset(
    {
        "Rote",
        "Weiße",
        "Grüne",
        "Schwarze",
        "Blaue",
        "Neue",
        "Alte",
        "Freie",
        "Große",
        "Hohe",
        "Nahe",
        "Ferne",
    }
)
_STRONG = {"der": "r", "das": "s"}  # "der Deutsche Wetterdienst" -> "Deutscher Wetterdienst"


def name_form_of(text: str, m: Mention) -> str:
    """The name as it is cited on its own when the article writes it after "der" or "das":
    "der Deutsche Wetterdienst" is the "Deutscher Wetterdienst", "das Weiße Haus" the "Weißes
    Haus" (the adjectives take the ending the article took from them), "bei der Deutschen
    Post" the "Deutsche Post" (after "der" an adjective in -en is a feminine's dative or
    genitive); a person's name in the genitive before a noun ("Francis Poulencs
    Klavierkonzert") is the name without its "s"; "" otherwise."""
    words = m.text.split()
    if m.label == "PER":
        return _person_genitive(text, m, words)
    before = text[max(0, m.start - 7) : m.start].split()
    prev = before[-1].casefold() if before else ""
    if prev in _MASCULINE_OR_NEUTER and len(words) >= 2:
        return _strong_form(words, genitive=prev in ("des", "eines"))
    if m.label not in ("ORG", "LOC"):
        return ""
    ending = _STRONG.get(prev)
    if ending == "r" and len(words) >= 2 and not words[-1].endswith("s"):
        weak = _weak_adjectives(words)
        if weak:
            return " ".join([w[:-1] for w in words[:weak]] + words[weak:])
    if ending is None or len(words) < 2:
        return ""
    k = 0
    while k < len(words) - 1 and _adjective(words[k]):
        k += 1
    if k == 0:
        return ""
    return " ".join([w + ending for w in words[:k]] + words[k:])


# after these a noun is masculine or neuter (dative, genitive) and its adjectives are weak
_MASCULINE_OR_NEUTER = frozenset({"im", "vom", "zum", "beim", "am", "dem", "des", "einem", "eines"})


def _strong_form(words: list[str], genitive: bool) -> str:
    """ "im Roten Kreuz" -> "Rotes Kreuz", "vom Niederösterreichischen Jagdverband" ->
    "Niederösterreichischer Jagdverband", "des Deutschen Archäologischen Instituts" ->
    "Deutsches Archäologisches Institut": weak adjectives take the strong ending of their
    head noun's gender (``genders.tsv``), a genitive head loses its "s"; "" when the name
    opens with no weak adjective or the head noun's gender is not listed."""
    weak = _weak_adjectives(words)
    if not weak or weak >= len(words):
        return ""
    head = words[weak]
    forms = [head]
    if genitive:
        forms = [f for f in (head[:-2] if head.endswith("es") else "", head[:-1]) if f] + forms
        forms = [f for f in forms if head.endswith("s")] or [head]
    for noun in forms:
        gender = noun_gender(noun)
        if gender in ("m", "n"):
            ending = "r" if gender == "m" else "s"
            return " ".join([w[:-1] + ending for w in words[:weak]] + [noun] + words[weak + 1 :])
    return ""


def _weak_adjectives(words: list[str]) -> int:
    """How many words open the name as adjectives in -en ("Deutschen", "Europäischen")."""
    k = 0
    while k < len(words) - 1 and words[k].endswith("en") and _adjective(words[k][:-1]):
        k += 1
    return k


def _adjective(word: str) -> bool:
    """Whether a capitalised word opening a name is an adjective: one of ``_ADJECTIVES``,
    one in "-ische", or one with another adjective ending that news German also writes in
    lower case, itself or without its "e" ("Deutsche", "Internationale", "Vereinte").
    "Porsche", "Biennale" and "Elfenbeinküste" end like adjectives but are names: "der
    Porsche Holding" is no "Porscher Holding" (the 10kGNAD run listed it so)."""
    if not word[:1].isupper():
        return False
    if word in _ADJECTIVES or word.endswith("ische"):
        return True
    low = word.lower()
    return word.endswith(_ADJ_ENDINGS) and (low in lower_words() or low[:-1] in lower_words())


def _person_genitive(text: str, m: Mention, words: list[str]) -> str:
    """ "Francis Poulencs Klavierkonzert": a full name whose last word ends in "s" right
    before a capitalised word is in the genitive (a surname in -s, "Tommy Haas", is seldom
    followed by a noun with nothing between). So is one before an attributive adjective and
    its noun ("Wes Andersons filigranes The Grand Budapest Hotel") when the silver data
    knows the surname without the "s" as a person's and never saw it with one ("Todd
    Haynes lesbisches Liebesdrama" stays)."""
    last = words[-1]
    if (
        len(words) < 2
        or len(last) < 4
        or not last.endswith("s")
        or last.endswith(("ss", "'s", "’s"))
    ):
        return ""
    rest = text[m.end : m.end + 60]
    after = rest.lstrip(" ")  # "Ray Kurzweils  Theorien": a scrape's double space
    if not after or len(after) == len(rest):
        return ""
    known = tagger_words()
    if last in known.named and last[:-1] not in known.surnames:
        return ""  # "Tom Hanks", "Alain Resnais" before a noun: the silver data knows the name
    if after[0].isupper():
        return m.text[:-1]
    nxt = after.split(maxsplit=2)
    if (
        len(nxt) >= 2
        and len(nxt[0]) >= 4
        and nxt[0].isalpha()
        and nxt[0].islower()
        and nxt[0].endswith(_ATTRIBUTIVE)
        and nxt[1][:1].isupper()
        and last[:-1] in known.surnames
        and last not in known.named
    ):
        return m.text[:-1]
    return ""


_ATTRIBUTIVE = ("e", "es", "en", "em", "er")  # endings of an adjective before a noun


def merge(groups: Iterable[Group], *, story: bool = True) -> list[Group]:
    """Groups from several articles (or stories) merged into one per entity.

    Indexed by key and by (first, last) word, so merging the store is linear in its groups.
    A merge needs evidence: the same name (spellings a transliteration convention explains,
    not z/s or doubled letters alone), a person's surname, an organisation's legal form. Within
    a ``story`` a facility also takes its bare name ("Kosmodrom Wostotschny" <- "Wostochny")
    when that name is never a place of its own there (a dateline, "in Wien"), and an
    organisation its one-word tail ("Nordwind Air" <- "Air").
    """
    merged: list[Group] = []
    by_key: dict[str, list[Group]] = {}
    person_by_key: dict[str, Group] = {}
    person_by_pair: dict[tuple[str, str], Group] = {}
    person_by_word: dict[str, dict[int, Group]] = {}
    bare: list[Group] = []
    genitive: list[Group] = []
    by_spelling: dict[tuple[str, str], list[Group]] = {}  # the same spelling, other keys
    for g in groups:
        if not g.forms:
            continue
        if g.label != "PER":
            same = by_key.setdefault(_merge_key(g.key, g.label), [])
            target = next((t for t in same if _alike_groups(t, g)), None)
            key = _spelt_group(g)
            spelt = by_spelling.setdefault((g.label, key), []) if key else []
            if target is None:
                target = next((t for t in spelt if not t.gone and _alike_groups(t, g)), None)
            if target is None:
                same.append(g)
                spelt.append(g)
                merged.append(g)
            else:
                target.absorb(g)
            continue
        if not g.full_forms:
            bare.append(g)
        elif all(f.base for f in g.full_forms):
            genitive.append(g)  # after the plain names it may be a case of
        else:
            _place_person(g, None, merged, person_by_key, person_by_pair, person_by_word)
    for g in genitive:
        _place_person(
            g, _genitive_person(g, person_by_key), merged, person_by_key, person_by_pair,
            person_by_word,
        )  # fmt: skip
    _persons_of_other_type(merged, by_key)
    merged = _genitives(merged, by_key)
    merged = _short_forms(merged, by_key, story)
    if story:
        merged = _abbreviated_surnames(_short_organisations(merged))
    alone: dict[str, Group] = {}
    for g in sorted(bare, key=lambda g: bool(_base(g))):  # "Putin" before "Putins"
        word = g.key
        base = _base(g)
        spelt = _spelt_group(g)
        matching = [
            p
            for p in (person_by_word.get(word, {}) | person_by_word.get(spelt, {})).values()
            if _surname_of(g, p, first=story)
        ] or (
            [
                p
                for p in person_by_word.get(base, {}).values()
                if _surname_of(g, p, base=True, first=story)
            ]
            if base
            else []
        )
        typed = _live(by_key.get(word) or (by_key.get(base) if base else None) or [])
        # across stories a first name alone is anybody's: "der liebe Josef" of one story
        # and "Herr Josef" of another are no evidence of one person
        anybody = not story and _first_name_only(g)
        if matching:  # a person may have joined another type's name since it was indexed
            max(_live(matching), key=lambda p: len(p.mentions)).absorb(g)
        elif typed and _alike_groups(typed[0], g, base=bool(base) and word not in by_key):
            typed[0].absorb(g)  # "Lumetra" typed PER here, ORG elsewhere
        elif anybody:
            merged.append(g)
        elif word in alone and _alike_groups(alone[word], g):
            alone[word].absorb(g)
        elif base and base in alone and _alike_groups(alone[base], g, base=True):
            alone[base].absorb(g)
        else:
            alone[word] = g
            merged.append(g)
    _surname_places(merged, person_by_word)
    return [g for g in merged if not g.gone]


def _place_person(
    g: Group,
    case_of: Group | None,
    merged: list[Group],
    person_by_key: dict[str, Group],
    person_by_pair: dict[tuple[str, str], Group],
    person_by_word: dict[str, dict[int, Group]],
) -> None:
    """Merge a person named in full into the person of the same name (``case_of``: the
    person it is a genitive of), or list it as a new one, and index it by its names."""
    names = {(f.key, f.first, f.last) for f in g.full_forms}
    names |= {_spelt(f) for f in g.full_forms if f.plain}  # one spelling, two languages' keys
    found = (person_by_key.get(k) or person_by_pair.get((a, b)) for k, a, b in names)
    target = next((p for p in found if p is not None and _same_person(p, g)), case_of)
    if target is None:
        target = g
        merged.append(g)
    else:
        target.absorb(g)
    for k, a, b in names:
        person_by_key.setdefault(k, target)
        person_by_pair.setdefault((a, b), target)
        for word in (a, b):
            person_by_word.setdefault(word, {})[id(target)] = target


def _spelt(f: NameForm) -> tuple[str, str, str]:
    """(key, first, last) of a name by its spelling, not its language's keys: "Mike Lynch"
    keyed in a French report (linS) and a German one (linC) finds itself by these. The "="
    keeps them apart from every real key; a form without a spelling has none ("")."""
    if not f.plain:
        return "", "", ""
    return "=" + " ".join(f.plain), "=" + f.plain[0], "=" + f.plain[-1]


def _spelt_group(g: Group) -> str:
    return _spelt(g.forms[0])[0] if g.forms else ""


def _genitive_person(g: Group, person_by_key: dict[str, Group]) -> Group | None:
    """The person that ``g``, only ever written with a final "s" ("Angela Merkels",
    "Rudolf Hundstorfers"), is the genitive of: one named in full without the "s" with the
    same first name. A name that really ends in "s" ("Alexis Tsipras") finds no such
    person; the 10kGNAD run listed "Angela Merkels" apart from "Angela Merkel"."""
    for f in g.full_forms:
        plain = f.without_genitive()
        p = person_by_key.get(plain.key)
        if (
            p is not None
            and p is not g
            and not p.gone
            and any(same_person(x, plain) for x in p.full_forms[:20])
        ):
            return p
    return None


# not "LOC": a two-word "place" is as often a person the tagger misread ("Zlatko Junuzovic")
_NOT_PERSON: tuple[EntityType, ...] = ("ORG", "OTH")


def _persons_of_other_type(merged: list[Group], by_key: dict[str, list[Group]]) -> None:
    """A "person" of several words that opens with no known first name joins the
    organisation or thing written the same way that the corpus names more often:
    the tagger read "FC Barcelona", "Juventus Turin" and "Red Bull Salzburg" as persons in
    one lineup article, as clubs in every other (the 10kGNAD run listed both). The type is
    then the majority's, as for any merge."""
    for g in merged:
        if g.gone or g.label != "PER" or not g.full_forms or _first_named(g):
            continue
        named = sum(m.source != "coref" for m in g.mentions)
        # a name's form is the same read as any type but a person's (``name_form``)
        forms = [name_form(f.text, "ORG") for f in g.full_forms[:20]]
        for label in _NOT_PERSON:
            keys = {_merge_key(f.key, label) for f in forms if f.key}
            targets = [
                t
                for k in keys
                for t in _live(by_key.get(k, []))
                if t is not g
                and t.label == label
                and sum(m.source != "coref" for m in t.mentions) > named
                and any(alike(x, y) for x in t.forms[:20] for y in forms)
            ]
            if targets:
                max(targets, key=lambda t: len(t.mentions)).absorb(g)
                break


def _surname_places(merged: list[Group], person_by_word: dict[str, dict[int, Group]]) -> None:
    """ "In der Ära Fekter", "hebt Hoekstra hervor": a one-word "place" that the corpus names
    as a person's surname ("Maria Fekter") is that person, when it is never a place of its
    own (a dateline, "in X": ``Group.placed``), the silver data does not know the word as a
    frequent place ("Houston", "Landau" stay), the person's name opens with a known first
    name and the person is named at least as often (so the person's type stays the
    majority; a place named more often is left alone)."""
    places = tagger_words().places
    for g in merged:
        if g.gone or g.placed or g.label != "LOC" or not g.forms or type(g) is not Group:
            continue  # a stored entity's stand-in (``update``) no longer knows if it was placed
        if any(f.full or f.text in places or f.text.rstrip("s") in places for f in g.forms):
            continue
        named = sum(m.source != "coref" for m in g.mentions)
        persons = _live(list(person_by_word.get(g.key, {}).values()))
        matching = [
            p
            for p in persons
            if p is not g and p.label == "PER" and _surname_of(g, p) and _first_named(p)
            and sum(m.source != "coref" for m in p.mentions) >= named
        ]  # fmt: skip
        if matching:
            max(matching, key=lambda p: len(p.mentions)).absorb(g)


def _initial(f: NameForm) -> str:
    """The letter of a name that ends in an initial ("Stephan B.", "Issa al H."), else ""."""
    words = f.text.split()
    last = words[-1] if len(words) > 1 else ""
    if len(last.rstrip(".")) == 1 and last[0].isupper() and last[0].isalpha():
        return last[0].casefold()
    return ""


def _stands_for(a: NameForm, f: NameForm) -> bool:
    """Whether ``f`` is the name the abbreviated ``a`` stands for: the same first name, the
    words between among its own, and a surname that opens with the initial."""
    words = f.text.split()
    if len(f.words) < 2 or _initial(f) or a.words[0] != f.words[0]:
        return False  # first names keyed alike: weak spellings too, as in names of two words
    if words[-1][:1].casefold() != _initial(a):
        return False
    middle = range(1, len(f.words) - 1)
    return all(any(word_alike(a, i, f, j) for j in middle) for i in range(1, len(a.words) - 1))


def _abbreviated_surnames(merged: list[Group]) -> list[Group]:
    """German reports name a suspect by first name and initial ("Stephan B.", "Issa al H.")
    where other outlets print the name in full: within a story such a person is the one
    person named there in full with that first name and a surname of that initial. Two
    candidates ("Stefan Bauer" and "Stefan Böhm") decide nothing."""
    persons = [g for g in merged if not g.gone and g.label == "PER" and g.full_forms]
    spelt = {id(p): list({f.text: f for f in p.full_forms}.values()) for p in persons}
    for g in persons:
        short = spelt[id(g)][:10]
        if not all(_initial(f) for f in short):
            continue
        found = {
            id(p): p
            for p in persons
            if p is not g
            and not p.gone
            and any(_stands_for(a, f) for a in short for f in spelt[id(p)][:20])
        }
        if len(found) == 1:
            next(iter(found.values())).absorb(g)
    return [g for g in merged if not g.gone]


def _first_name_only(g: Group) -> bool:
    """Whether every name of ``g`` is one word the silver data knows as a first name."""
    firsts = tagger_words().first_names
    return all(f.text in firsts or (f.base and f.text[:-1] in firsts) for f in g.forms[:20])


def _first_named(person: Group) -> bool:
    """Whether some full name of ``person`` opens with a first name the silver data knows
    ("Maria Fekter"): a "person" the tagger made of a player and his club ("Ouedraogo
    Mattersburg") is no evidence that "Mattersburg" is a surname."""
    firsts = tagger_words().first_names
    return any(f.text.split(" ", 1)[0] in firsts for f in person.forms[:20] if f.full)


def _live(groups: list[Group]) -> list[Group]:
    """The groups, each replaced by the group it was absorbed into."""
    out: dict[int, Group] = {}
    for g in groups:
        while g.into is not None:
            g = g.into
        out.setdefault(id(g), g)
    return list(out.values())


def _alike_groups(a: Group, b: Group, *, base: bool = False) -> bool:
    """Whether some form of ``a`` and some form of ``b`` are one name by ``names.alike``."""
    bf = [f.without_genitive() for f in b.forms] if base else b.forms
    if a.label == "LOC" and b.label == "LOC":
        ta = {territory_key(x.key) for x in a.forms[:20]} - {None}
        if ta & ({territory_key(y.key) for y in bf[:20]} - {None}):
            return True  # "Deutschland", "Germany"
    return any(alike(x, y) for x in a.forms[:20] for y in bf[:20])


def _same_person(a: Group, b: Group) -> bool:
    return any(same_person(x, y) for x in a.full_forms[:20] for y in b.full_forms[:20])


def _surname_of(g: Group, person: Group, *, base: bool = False, first: bool = True) -> bool:
    """Whether the one-word name of ``g`` is the last (or, with ``first``, the first) name
    of ``person``."""
    forms = [f.without_genitive() for f in g.forms[:10]] if base else g.forms[:10]
    full = person.full_forms[:20]  # once, not once per form of ``g``
    return any(
        (first and word_alike(f, 0, p, 0)) or word_alike(f, 0, p, len(p.words) - 1)
        for f in forms
        for p in full
    )


def _merge_key(key: str, label: str) -> str:
    """The key groups merge by: a place's names in other languages share one ("Deutschland",
    "Germany")."""
    return (territory_key(key) or key) if label == "LOC" else key


def _base(g: Group) -> str:
    """The group's key without a genitive "s" when every form of it has one ("Russlands")."""
    bases = {f.base for f in g.forms}
    return bases.pop() if len(bases) == 1 and "" not in bases else ""


def _genitives(merged: list[Group], by_key: dict[str, list[Group]]) -> list[Group]:
    """A group only ever written "Russlands" joins the group written "Russland". Of another
    type only when it is the rarer form: a name that ends in "s" is no genitive of a shorter
    one ("Hamas" ORG, five times, is not "Hama" LOC, the Syrian city, named twice)."""
    out = []
    for g in merged:
        base = _base(g) if g.label != "PER" else ""
        targets = _live(by_key.get(_merge_key(base, g.label), [])) if base else []
        target = next(
            (
                t
                for t in targets
                if t is not g
                and (t.label == g.label or len(t.mentions) > len(g.mentions))
                and _alike_groups(t, g, base=True)
            ),
            None,
        )
        if target is not None:
            target.absorb(g)
        else:
            out.append(g)
    return out


def _short_forms(merged: list[Group], by_key: dict[str, list[Group]], story: bool) -> list[Group]:
    """A name with a legal form takes the bare name when both are organisations ("Lumetra
    AG" <- "Lumetra"; "Burgenland AG" does not take the place "Burgenland"); within a story a
    facility takes its bare name when that is never a place of its own ("Kosmodrom
    Wostotschny" <- "Wostochny"; "Flughafen Wien" does not take a dateline "Wien")."""
    for g in list(merged):
        if g.gone:
            continue
        kinds = {f.kind for f in g.forms if f.kind}
        if not kinds:
            continue
        cores = {f.core for f in g.forms if f.kind}
        for core in cores:
            for t in _live(by_key.get(_merge_key(core, g.label), [])):
                if t is g or any(f.kind for f in t.forms):
                    continue
                if "legal" in kinds:
                    ok = g.label == t.label == "ORG"
                else:
                    ok = story and g.label == t.label and not t.placed
                if ok:
                    g.absorb(t)
    return [g for g in merged if not g.gone]


def _short_organisations(merged: list[Group]) -> list[Group]:
    """An organisation only ever written with one word joins the one organisation whose full
    name ends with it: the tagger kept "Air" of "Nordwind Air" (a German noun first)."""
    by_last: dict[str, list[Group]] = {}
    for g in merged:
        if g.label == "ORG" and g.full_forms:
            for last in {f.last for f in g.full_forms}:
                by_last.setdefault(last, []).append(g)
    out = []
    for g in merged:
        targets = by_last.get(g.key, []) if g.label == "ORG" and not g.full_forms else []
        if (
            len(targets) == 1
            and targets[0] is not g
            and not any(_acronym(f.text) for f in g.forms)
            and not _branch(targets[0])
        ):
            targets[0].absorb(g)
        else:
            out.append(g)
    return out


def _acronym(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def _branch(g: Group) -> bool:
    """A regional branch named with a place adjective: "Salzburger ÖVP", "Wiener SPÖ"."""
    return any(
        w[:1].isupper() and w.endswith("er") and len(w) > 4
        for f in g.full_forms
        for w in f.text.split()[:-1]
    )


def to_entity(group: Group, order: dict[str, int] | None = None) -> Entity:
    """The record for one merged group: canonical name, type, variants, every mention."""
    label = group.label
    eid = entity_id(label, group.key)
    order = order or {}
    mentions = sorted(
        group.mentions, key=lambda m: (order.get(m.article_id, len(order)), m.article_id, m.start)
    )
    mentions = _linked(mentions, eid)
    named = [m for m in mentions if m.source != "coref"]
    counts = Counter(m.text for m in named)
    first_seen = {t: i for i, t in reversed(list(enumerate(m.text for m in named)))}
    variants = sorted(_genitives_folded(counts).items(), key=lambda kv: (-kv[1], first_seen[kv[0]]))
    name = cited_name(_name(named, counts, first_seen), group.cited)
    return Entity(eid, name, label, tuple(variants), tuple(mentions))


def _linked(mentions: Sequence[Mention], eid: str) -> list[Mention]:
    """``[replace(m, entity_id=eid) for m in mentions]`` with each copy's slots set directly
    (as ``model.token_maker`` makes tokens): ``replace`` goes through ``__init__`` and
    ``object.__setattr__`` per field, and a big story's entities hold ~10,000 mentions."""
    setters = _mention_setters()
    if setters is None:
        return [replace(m, entity_id=eid) for m in mentions]
    values, put_id = attrgetter(*(name for name, _ in setters)), _ENTITY_ID_SET
    new = object.__new__
    out = []
    for m in mentions:
        copy = new(Mention)
        for (_, put), value in zip(setters, values(m), strict=True):
            put(copy, value)
        put_id(copy, eid)
        out.append(copy)
    return out


_ENTITY_ID_SET = Mention.entity_id.__set__  # type: ignore[attr-defined]


@cache
def _mention_setters() -> tuple[tuple[str, Any], ...] | None:
    """(name, slot setter) of every field of ``Mention``; None if its ``__init__`` does more
    than set them (``_linked`` then replaces as ``dataclasses`` does)."""
    fields = dataclasses.fields(Mention)
    if hasattr(Mention, "__post_init__") or not all(f.init for f in fields):
        return None
    return tuple((f.name, getattr(Mention, f.name).__set__) for f in fields)


def cited_name(name: str, cited: Counter[tuple[str, str]]) -> str:
    """``name`` as the entity's articles cite it on its own (``name_form_of``): its own
    citation form, else that of another case of it ("im Roten Kreuz" is listed as the "Rotes
    Kreuz" where an article writes "das Rote Kreuz"); ``name`` when no article does."""
    own = Counter({strong: n for (written, strong), n in cited.items() if written == name})
    if own:
        return own.most_common(1)[0][0]
    words = name.split()
    other = Counter(
        {strong: n for (_, strong), n in cited.items() if _other_case(words, strong.split())}
    )
    return other.most_common(1)[0][0] if other else name


def _other_case(a: list[str], b: list[str]) -> bool:
    """Whether two names differ only in the case endings of some words ("Roten Kreuz",
    "Rotes Kreuz"); one word at least is the same."""
    if len(a) != len(b) or len(a) < 2 or a == b:
        return False
    same = 0
    for x, y in zip(a, b, strict=True):
        if x == y:
            same += 1
        elif len(x) < 4 or len(y) < 4 or x[:-2] != y[:-2] or not x[:1].isupper():
            return False
    return same > 0


_GENITIVE_ENDINGS = ("s", "'s", "’s", "'", "’")


def _genitives_folded(counts: Counter[str]) -> Counter[str]:
    """Variant counts with a genitive counted as its base when the base is written too:
    "Kims" is a form of "Kim", no spelling of its own ("Putins", "Russlands" alike)."""
    out: Counter[str] = Counter()
    for text, n in counts.items():
        base = next(
            (
                text[: -len(e)]
                for e in _GENITIVE_ENDINGS
                if text.endswith(e) and text[: -len(e)] in counts
            ),
            None,
        )
        out[base or text] += n
    return out


def _name(named: list[Mention], counts: Counter[str], first_seen: dict[str, int]) -> str:
    """The most frequent full form; inflected forms ("Kims", "Deutschen Wetterdienstes") only
    when no plainer form of the name is there. A one-word form loses only to a longer form
    that holds it ("Merkel" to "Angela Merkel"), not to another name of the same entity
    ("Großbritannien", 46 mentions, stays the name beside one "Vereinigten Königreich")."""
    texts = set(counts)
    plain = {t for t in texts if not _inflected(t, texts)} or texts
    held = {w for t in plain if len(t.split()) > 1 for w in t.split()}
    full = {t for t in plain if len(t.split()) > 1 or t not in held} or plain
    return min(full, key=lambda t: (-counts[t], first_seen[t]))


def _inflected(text: str, texts: set[str]) -> bool:
    """Whether ``text`` is another form of the set with case endings added to its words:
    "Kims", "Putin's" beside "Kim", "Putin"; "Deutschen Wetterdienstes" beside "Deutsche
    Wetterdienst"."""
    words = text.split()
    for other in texts:
        parts = other.split()
        if parts == words or len(parts) != len(words):
            continue  # "Red Bull  Salzburg" is no case of "Red Bull Salzburg"
        if all(
            w.startswith(p) and len(w) - len(p) <= 2 and w[len(p) :] in _CASE_ENDINGS
            for w, p in zip(words, parts, strict=True)
        ):
            return True
    return False


# what a case adds to a word of a name ("Kims", "Deutschen", "Putin's"); "USA" is no case of "US"
_CASE_ENDINGS = frozenset(
    {"", "s", "es", "n", "en", "r", "er", "m", "em", "e", "'s", "’s", "'", "’"}
)


def canonical_entities(docs: Sequence[Doc]) -> list[Entity]:
    """The entities of ``docs`` (a story, or any set of articles), most mentioned first."""
    order = {d.id: i for i, d in enumerate(docs)}
    groups = merge(g for d in docs for g in article_groups(d))
    return _entities(groups, order)


def store_entities(stories: Iterable[Sequence[Doc]]) -> list[Entity]:
    """Entities across the store: each story merged on its own first, then the stories.

    Resolving one-word names inside a story first keeps "Kim" in a 2019 story from being
    decided by who is most mentioned in the whole store.
    """
    order: dict[str, int] = {}
    story_groups: list[Group] = []
    for docs in stories:
        for d in docs:
            order.setdefault(d.id, len(order))
        story_groups.extend(merge(g for d in docs for g in article_groups(d)))
    return _entities(merge(story_groups, story=False), order)


def _entities(groups: list[Group], order: dict[str, int]) -> list[Entity]:
    entities = sorted(
        (to_entity(g, order) for g in groups), key=lambda e: (-len(e.mentions), e.name)
    )
    return _unique_ids(entities)


def _unique_ids(entities: list[Entity]) -> list[Entity]:
    """Entities kept apart although their keys agree ("Gras", "Graz"; two people called
    "Kaufmann") get ids of their own: the key plus the name, then a counter."""
    used: set[str] = set()
    out = []
    for e in entities:
        eid, n = e.id, 1
        while eid in used:
            eid = entity_id(e.type, f"{e.id}|{e.name}|{n}")
            n += 1
        used.add(eid)
        if eid != e.id:
            e = replace(e, id=eid, mentions=tuple(replace(m, entity_id=eid) for m in e.mentions))
        out.append(e)
    return out


__all__ = ["Group", "article_groups", "canonical_entities", "merge", "store_entities", "to_entity"]
