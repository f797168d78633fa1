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

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

from lagebild.entities.coref import cluster_mentions, forms_of
from lagebild.entities.exonyms import territory_key
from lagebild.entities.names import NameForm, entity_id
from lagebild.model import Doc, Entity, EntityType, Mention


@dataclass(slots=True)
class Group:
    """Mentions believed to name one entity, with their comparable forms."""

    mentions: list[Mention] = field(default_factory=list)
    forms: list[NameForm] = field(default_factory=list)  # one per non-coref mention, same order
    cited: Counter[tuple[str, str]] = field(default_factory=Counter)  # (as written, name form)

    @property
    def label(self) -> EntityType:
        counts = Counter(m.label for m in self.mentions if m.source != "coref")
        return (counts or Counter(m.label for m in self.mentions)).most_common(1)[0][0]

    @property
    def full_forms(self) -> list[NameForm]:
        return [f for f in self.forms if f.full]

    @property
    def key(self) -> str:
        forms = self.full_forms or self.forms
        return Counter(f.key for f in forms).most_common(1)[0][0] if forms else ""

    def absorb(self, other: Group) -> None:
        self.mentions.extend(other.mentions)
        self.forms.extend(other.forms)
        self.cited.update(other.cited)


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
    if lang == "de":
        for g in out:
            for m in g.mentions:
                strong = name_form_of(doc.article.text, m)
                if strong:
                    g.cited[(m.text, strong)] += 1
    return out


# adjectives that open German names ("Deutsche", "Europäische", "Rote", "Vereinigte")
_ADJ_ENDINGS = ("ische", "sche", "liche", "ale", "ige", "ene", "te")
_ADJECTIVES = frozenset(
    {"Rote", "Weiße", "Grüne", "Schwarze", "Blaue", "Neue", "Alte", "Freie", "Große", "Hohe"}
)
_STRONG = {"der": "r", "das": "s"}  # "der Deutsche Wetterdienst" -> "Deutscher Wetterdienst"


def name_form_of(text: str, m: Mention) -> str:
    """The name as it is cited on its own when the article writes it after "der" or "das":
    "der Deutsche Wetterdienst" is the "Deutscher Wetterdienst", "das Weiße Haus" the "Weißes
    Haus" (the adjectives take the ending the article took from them); "" otherwise."""
    if m.label not in ("ORG", "LOC"):
        return ""
    before = text[max(0, m.start - 5) : m.start].split()
    ending = _STRONG.get(before[-1].casefold()) if before else None
    words = m.text.split()
    if ending is None or len(words) < 2:
        return ""
    k = 0
    while k < len(words) - 1 and words[k][:1].isupper() and (
        words[k] in _ADJECTIVES or words[k].endswith(_ADJ_ENDINGS)
    ):
        k += 1
    if k == 0:
        return ""
    return " ".join([w + ending for w in words[:k]] + words[k:])


def merge(groups: Iterable[Group]) -> list[Group]:
    """Groups from several articles (or stories) merged into one per entity.

    Indexed by key and by (first, last) word, so merging the store is linear in its groups.
    """
    merged: list[Group] = []
    by_key: dict[str, Group] = {}
    person_by_key: dict[str, Group] = {}
    person_by_pair: dict[tuple[str, str], Group] = {}
    person_by_word: dict[str, dict[int, Group]] = {}
    bare: list[Group] = []
    for g in groups:
        if not g.forms:
            continue
        if g.label != "PER":
            key = _merge_key(g.key, g.label)
            target = by_key.get(key)
            if target is None:
                by_key[key] = g
                merged.append(g)
            else:
                target.absorb(g)
            continue
        names = {(f.key, f.first, f.last) for f in g.full_forms}
        if not names:
            bare.append(g)
            continue
        found = (person_by_key.get(k) or person_by_pair.get((a, b)) for k, a, b in names)
        target = next((p for p in found if p is not None), None)
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
    merged = _short_organisations(_genitives(merged, by_key))
    alone: dict[str, Group] = {}
    for g in sorted(bare, key=lambda g: bool(_base(g))):  # "Putin" before "Putins"
        word = g.key
        base = _base(g)
        matching = list(person_by_word.get(word, {}).values()) or (
            list(person_by_word.get(base, {}).values()) if base else []
        )
        if matching:
            max(matching, key=lambda p: len(p.mentions)).absorb(g)
        elif word in by_key or base in by_key:  # "Lumetra" typed PER here, ORG elsewhere
            by_key[word if word in by_key else base].absorb(g)
        elif word in alone or base in alone:
            alone[word if word in alone else base].absorb(g)
        else:
            alone[word] = g
            merged.append(g)
    return merged


def _merge_key(key: str, label: str) -> str:
    """The key groups merge by: a place's names in other languages share one ("Deutschland",
    "Germany")."""
    return (territory_key(key) or key) if label == "LOC" else key


def _base(g: Group) -> str:
    """The group's key without a genitive "s" when every form of it has one ("Russlands")."""
    bases = {f.base for f in g.forms}
    return bases.pop() if len(bases) == 1 and "" not in bases else ""


def _genitives(merged: list[Group], by_key: dict[str, Group]) -> list[Group]:
    """A group only ever written "Russlands" joins the group written "Russland"."""
    out = []
    for g in merged:
        base = _base(g) if g.label != "PER" else ""
        target = by_key.get(_merge_key(base, g.label)) if base else None
        if target is not None and target is not g:
            target.absorb(g)
        else:
            out.append(g)
    return out


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
        if len(targets) == 1 and targets[0] is not g:
            targets[0].absorb(g)
        else:
            out.append(g)
    return out


def to_entity(group: Group, order: dict[str, int] | None = None) -> Entity:
    """The record for one merged group: canonical name, type, variants, every mention."""
    label = group.label
    eid = entity_id(label, group.key)
    order = order or {}
    mentions = sorted(
        group.mentions, key=lambda m: (order.get(m.article_id, len(order)), m.article_id, m.start)
    )
    mentions = [replace(m, entity_id=eid) for m in mentions]
    named = [m for m in mentions if m.source != "coref"]
    counts = Counter(m.text for m in named)
    first_seen = {t: i for i, t in reversed(list(enumerate(m.text for m in named)))}
    variants = sorted(counts.items(), key=lambda kv: (-kv[1], first_seen[kv[0]]))
    name = _name(named, counts, first_seen)
    cited = Counter({strong: n for (written, strong), n in group.cited.items() if written == name})
    if cited:
        name = cited.most_common(1)[0][0]
    return Entity(eid, name, label, tuple(variants), tuple(mentions))


def _name(named: list[Mention], counts: Counter[str], first_seen: dict[str, int]) -> str:
    """The most frequent full form; inflected forms ("Kims", "Deutschen Wetterdienstes") only
    when no plainer form of the name is there."""
    texts = set(counts)
    plain = {t for t in texts if not _inflected(t, texts)} or texts
    full = {t for t in plain if len(t.split()) > 1} or plain
    return min(full, key=lambda t: (-counts[t], first_seen[t]))


def _inflected(text: str, texts: set[str]) -> bool:
    """Whether ``text`` is another form of the set with case endings added to its words:
    "Kims", "Putin's" beside "Kim", "Putin"; "Deutschen Wetterdienstes" beside "Deutsche
    Wetterdienst"."""
    words = text.split()
    for other in texts:
        parts = other.split()
        if other == text or len(parts) != len(words):
            continue
        if all(w.startswith(p) and len(w) - len(p) <= 2 for w, p in zip(words, parts, strict=True)):
            return True
    return False


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
    return _entities(merge(story_groups), order)


def _entities(groups: list[Group], order: dict[str, int]) -> list[Entity]:
    entities = [to_entity(g, order) for g in groups]
    return sorted(entities, key=lambda e: (-len(e.mentions), e.name))


__all__ = ["Group", "article_groups", "canonical_entities", "merge", "store_entities", "to_entity"]
