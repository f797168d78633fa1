"""A group's label and key are counted as its mentions and forms grow, not recounted at each
comparison (which made the store-wide merge quadratic), and equal a count from scratch."""

from __future__ import annotations

import random
from collections import Counter

from lagebild.entities.canon import Group, merge
from lagebild.entities.names import name_form
from lagebild.model import Mention

LABELS = ("PER", "ORG", "LOC", "OTH")
NAMES = ("Wien", "Olaf Scholz", "Scholz", "Siemens", "Siemens AG", "Berlin", "Kim Jong-un")


def _scratch_label(g: Group) -> str:
    counts = Counter(m.label for m in g.mentions if m.source != "coref")
    return (counts or Counter(m.label for m in g.mentions)).most_common(1)[0][0]


def _scratch_key(g: Group) -> str:
    forms = [f for f in g.forms if f.full] or g.forms
    return Counter(f.key for f in forms).most_common(1)[0][0] if forms else ""


def _mention(rng: random.Random) -> Mention:
    text = rng.choice(NAMES)
    source = rng.choice(("ner", "ner", "rule", "coref"))
    return Mention(f"a{rng.randrange(50)}", 0, len(text), text, rng.choice(LABELS), None, source)


def _group(rng: random.Random, n: int) -> Group:
    ms = [_mention(rng) for _ in range(n)]
    forms = [name_form(m.text, m.label, "de") for m in ms if m.source != "coref"]
    return Group(ms, forms)


def test_label_and_key_follow_every_way_a_group_grows_and_equal_a_count_from_scratch() -> None:
    rng = random.Random(7)
    for _ in range(200):
        g = _group(rng, rng.randrange(1, 4))
        for _ in range(rng.randrange(1, 12)):
            assert (g.label, g.key) == (_scratch_label(g), _scratch_key(g))
            step = rng.random()
            if step < 0.5:
                g.absorb(_group(rng, rng.randrange(1, 5)))
            elif step < 0.8:  # appended in place, as article_groups does
                m = _mention(rng)
                g.mentions.append(m)
                if m.source != "coref":
                    g.forms.append(name_form(m.text, m.label, "de"))
            else:  # given new lists
                other = _group(rng, rng.randrange(1, 4))
                g.mentions, g.forms = list(other.mentions), list(other.forms)
        assert (g.label, g.key) == (_scratch_label(g), _scratch_key(g))


def test_ties_go_to_the_label_seen_first_as_before() -> None:
    for n in (1, 20):  # counted from scratch, and kept
        loc, org = Mention("a", 0, 4, "Wien", "LOC"), Mention("a", 9, 13, "Wien", "ORG")
        g = Group([loc, org] * n)
        assert g.label == "LOC"
        g.absorb(Group([org]))
        assert g.label == "ORG"
        g.absorb(Group([loc]))
        assert g.label == "LOC" == _scratch_label(g)


def test_merging_many_story_groups_of_one_name_gives_one_group() -> None:
    groups = [
        Group(
            [Mention(f"a{i}", 0, 4, "Wien", "LOC", None, "ner")], [name_form("Wien", "LOC", "de")]
        )
        for i in range(3000)
    ]
    merged = merge(groups, story=False)
    assert len(merged) == 1 and len(merged[0].mentions) == 3000
    assert merged[0].label == "LOC" and merged[0].key == _scratch_key(merged[0])


def test_a_group_given_longer_lists_is_counted_anew() -> None:
    g = Group([Mention("a", 0, 4, "Wien", "LOC")] * 20, [name_form("Wien", "LOC", "de")] * 20)
    assert (g.label, g.key) == ("LOC", _scratch_key(g))
    g.mentions = [Mention("b", 0, 7, "Siemens", "ORG")] * 30  # big groups keep their counts
    g.forms = [name_form("Siemens", "ORG", "de")] * 30
    assert (g.label, g.key) == ("ORG", _scratch_key(g)) and _scratch_key(g) != "vien"


def test_a_tallys_label_and_key_are_the_most_common_first_seen_of_equals() -> None:
    from lagebild.entities.update import Tally

    rng = random.Random(11)
    for _ in range(300):
        labels = {rng.choice(LABELS): rng.randrange(1, 4) for _ in range(rng.randrange(1, 5))}
        keys = {rng.choice(NAMES): rng.randrange(1, 4) for _ in range(rng.randrange(1, 5))}
        t = Tally(n=1, labels=labels, fkeys=keys if rng.random() < 0.5 else {}, akeys=keys)
        assert t.label == Counter(labels).most_common(1)[0][0]
        assert t.key == Counter(keys).most_common(1)[0][0]
