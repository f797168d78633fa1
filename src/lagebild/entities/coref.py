"""Mentions of one article grouped into the entities they refer to.

An article introduces a person once with the full name and then says "Kim", "Kims" or
"Machthaber Kim". Full names merge when their keys agree (spelling, hyphens, case) or when
first and last word agree (a middle name added); a one-word name attaches to the person
with that first or last word who is most salient at that point of the article (most
mentions so far, then the most recent), so "Kim" after ten "Kim Jong-un" stays with him
even when a "Kim Jae-chun" is quoted later. Other types merge by key, with the possessive
and generic facility nouns dropped. Role nouns alone ("der Kreml-Sprecher") refer back to
the last person introduced with that role.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from lagebild.entities.names import NameForm, alike, entity_id, name_form, word_alike
from lagebild.entities.rules import Role, role_match
from lagebild.model import Doc, EntityType, Mention

_DETERMINERS = frozenset({"der", "die", "des", "dem", "den", "the"})
_GENITIVES = frozenset({"des", "der", "of"})
_TITLES = frozenset({"herr", "frau", "mr.", "mrs.", "ms.", "dr.", "prof."})  # no reference alone


@dataclass(slots=True)
class Cluster:
    """Mentions (indices into a mention list) that refer to one entity."""

    members: list[int] = field(default_factory=list)
    labels: Counter[str] = field(default_factory=Counter)
    forms: list[NameForm] = field(default_factory=list)

    def add(self, index: int, mention: Mention, form: NameForm) -> None:
        self.members.append(index)
        self.labels[mention.label] += 1
        self.forms.append(form)

    @property
    def label(self) -> EntityType:
        return self.labels.most_common(1)[0][0]  # type: ignore[return-value]

    @property
    def full_forms(self) -> list[NameForm]:
        return [f for f in self.forms if f.full]

    @property
    def key(self) -> str:
        """The key of the most frequent full form (or of any form when none is full)."""
        forms = self.full_forms or self.forms
        return Counter(f.key for f in forms).most_common(1)[0][0]


def same_person(a: NameForm, b: NameForm) -> bool:
    """Whether two full names name the same person (same key, or same first and last word)."""
    if alike(a, b):
        return True
    last = len(a.words) - 1, len(b.words) - 1
    return word_alike(a, 0, b, 0) and word_alike(a, last[0], b, last[1])


def forms_of(mentions: Sequence[Mention], lang: str) -> list[NameForm]:
    """The comparable forms, with a genitive "s" dropped where the base name also occurs."""
    forms = [name_form(m.text, m.label, lang) for m in mentions]
    words = {w for f in forms for w in f.words} | {f.key for f in forms}
    return [f.without_genitive() if f.base and f.base in words else f for f in forms]


def cluster_mentions(mentions: Sequence[Mention], lang: str = "de") -> list[Cluster]:
    """The article's mentions (in text order) grouped into clusters."""
    forms = forms_of(mentions, lang)
    clusters: list[Cluster] = []
    by_key: dict[str, list[Cluster]] = {}
    persons: list[Cluster] = []
    bare: list[int] = []
    for i, (m, f) in enumerate(zip(mentions, forms, strict=True)):
        if not f.key:
            continue
        if m.label != "PER":
            same = by_key.setdefault(f.key, [])
            cluster = next((c for c in same if any(alike(f, g) for g in c.forms)), None)
            if cluster is None:
                cluster = Cluster()
                same.append(cluster)
                clusters.append(cluster)
            cluster.add(i, m, f)
        elif f.full:
            cluster = next(
                (c for c in persons if any(same_person(f, g) for g in c.full_forms)), None
            )
            if cluster is None:
                cluster = Cluster()
                persons.append(cluster)
                clusters.append(cluster)
            cluster.add(i, m, f)
        else:
            bare.append(i)
    alone: dict[str, Cluster] = {}
    for i in bare:
        m, f = mentions[i], forms[i]
        cluster = _salient(persons, mentions, f, m.start)
        if cluster is None:
            cluster = alone.get(f.key)
            if cluster is None or not any(alike(f, g) for g in cluster.forms):
                cluster = alone[f.key] = Cluster()
                clusters.append(cluster)
        cluster.add(i, m, f)
    return clusters


def _salient(
    persons: list[Cluster], mentions: Sequence[Mention], form: NameForm, at: int
) -> Cluster | None:
    """The person a one-word name at offset ``at`` refers to, if a full name matches it."""
    matching = [
        c
        for c in persons
        if any(
            word_alike(form, 0, g, 0) or word_alike(form, 0, g, len(g.words) - 1)
            for g in c.full_forms
        )
    ]
    if not matching:
        return None

    def before(c: Cluster) -> list[int]:
        return [mentions[i].start for i in c.members if mentions[i].start < at]

    seen = [c for c in matching if before(c)]
    if seen:
        return max(seen, key=lambda c: (len(before(c)), max(before(c))))
    return min(matching, key=lambda c: min(mentions[i].start for i in c.members))


def link(doc: Doc, mentions: Sequence[Mention]) -> tuple[Mention, ...]:
    """The mentions with ``entity_id`` set per article cluster, plus role-noun references."""
    lang = doc.article.language or "de"
    out = list(mentions)
    used: set[str] = set()
    for cluster in cluster_mentions(mentions, lang):
        eid = entity_id(cluster.label, cluster.key)
        if eid in used:  # same key, other spelling ("Gras" beside "Graz"): another entity
            eid = entity_id(cluster.label, cluster.key + "|" + " ".join(cluster.forms[0].plain))
        used.add(eid)
        for i in cluster.members:
            out[i] = replace(out[i], entity_id=eid)
    out.extend(role_references(doc, out))
    return tuple(sorted(out, key=lambda m: (m.start, m.end)))


def role_references(doc: Doc, mentions: Sequence[Mention]) -> list[Mention]:
    """ "der Kreml-Sprecher" as a mention of the person last introduced as "Kreml-Sprecher X".

    The role word must repeat (the tail of) the introducing one ("Sprecher" after
    "Kreml-Sprecher", not "Vizekanzler" after "Kanzler"), agree in gender, be singular and
    not be followed by a genitive ("der Präsident des Verbands" is someone else). The
    reference spans the whole role word, so it may contain a mention of the organisation in
    it ("Kreml"); it is marked ``source="coref"`` for consumers that want no nesting.
    """
    starts = {m.start: m for m in mentions}
    covered = [(m.start, m.end) for m in mentions]
    introduced: list[tuple[Role, str]] = []  # (role, entity id), in text order
    out: list[Mention] = []
    for sent in doc.sentences:
        toks = sent.tokens
        for j, tok in enumerate(toks):
            role = role_match(tok.text)
            if role is None or role.type != "PER" or not tok.text[:1].isupper():
                continue
            nxt = toks[j + 1] if j + 1 < len(toks) else None
            named = starts.get(nxt.start) if nxt is not None else None
            if named is not None and named.label == "PER" and named.entity_id:
                introduced.append((role, named.entity_id))
                continue
            if (
                role.noun in _TITLES
                or role.plural
                or any(s <= tok.start and tok.end <= e for s, e in covered)
            ):
                continue
            if nxt is not None and nxt.text.casefold() in _GENITIVES:
                continue
            eid = next(
                (
                    e
                    for r, e in reversed(introduced)
                    if r.stem.endswith(role.stem) and r.feminine == role.feminine
                ),
                None,
            )
            if eid and _determined(toks[max(0, j - 3) : j]):
                out.append(Mention(doc.id, tok.start, tok.end, tok.text, "PER", eid, "coref"))
    return out


def _determined(before: Sequence) -> bool:
    """A determiner, then only lower-case words (adjectives), right before the role noun."""
    for k in range(len(before) - 1, -1, -1):
        word = before[k].text
        if word.casefold() in _DETERMINERS:
            return True
        if not word[:1].islower():
            return False
    return False


__all__ = ["Cluster", "cluster_mentions", "forms_of", "link", "role_references", "same_person"]
