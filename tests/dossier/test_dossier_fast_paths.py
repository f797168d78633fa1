"""The dossier's indexed lookups must answer exactly what the plain loops they replaced did."""

from __future__ import annotations

import random
from dataclasses import replace
from types import SimpleNamespace

from lagebild.dossier.summary import _fact_support, originals
from lagebild.facts import compare
from lagebild.model import Citation, Sentence


def _brute_support(cands: list, docs: list, groups: list) -> list[float]:
    """Every confirmed span of the candidate's article checked against its sentence."""
    out = []
    for c in cands:
        s = c.sentence
        spans = [
            (x.start, x.end)
            for g in groups
            for x in g.citations
            if x.article_id == docs[c.doc_index].id
        ]
        out.append(float(any(a >= s.start and b <= s.end for a, b in spans)))
    return out


def test_fact_support_matches_checking_every_span() -> None:
    rnd = random.Random(3)
    docs = [SimpleNamespace(id=f"a{i}") for i in range(6)]
    hits = 0
    for _ in range(300):
        cands = []
        for _ in range(rnd.randint(1, 30)):
            start = rnd.randrange(0, 400)
            end = start + rnd.randint(0, 80)
            sent = Sentence(start, end, "x")
            cands.append(SimpleNamespace(doc_index=rnd.randrange(len(docs)), sentence=sent))
        groups = []
        for _ in range(rnd.randint(0, 8)):
            cites = []
            for _ in range(rnd.randint(1, 6)):
                start = rnd.randrange(0, 480)
                cites.append(Citation(f"a{rnd.randrange(7)}", start, start + rnd.randint(0, 30)))
            groups.append(SimpleNamespace(citations=tuple(cites)))
        got = _fact_support(cands, docs, groups).tolist()  # type: ignore[arg-type]
        assert got == _brute_support(cands, docs, groups)
        hits += sum(got)
    assert hits > 100  # the sample has sentences with and without a confirmed figure


def test_a_build_reads_the_story_facts_once_for_groups_and_divergences(flood, monkeypatch) -> None:
    from importlib import import_module

    from lagebild.dossier import sections
    from lagebild.dossier.assemble import build_bundle
    from lagebild.pipeline import Pipeline

    story, plain = flood
    pipe = Pipeline()
    arts = [d.article for d in plain]
    # two outlets give other tolls the same day: the counts diverge
    tolls = {"Donaubote": 40, "Bayernblatt": 55}
    arts = [
        replace(
            a, text=f"{a.text}\n\nBei dem Hochwasser kamen {tolls[a.outlet]} Menschen ums Leben."
        )
        if a.outlet in tolls
        else a
        for a in arts
    ]
    docs = [pipe(a) for a in arts]  # every stage: facts too
    core = originals(story, docs)
    windows = sections.date_windows(docs)
    groups = compare.group_facts(core, windows)  # each working its items out alone
    divs = compare.divergences(core, windows, sections.told_before)
    assert groups and divs  # the corpus has facts to group and values that differ
    calls = []
    for name in ("lagebild.facts.keys", "lagebild.facts.compare", "lagebild.facts.diverge"):
        module = import_module(name)
        real = module.items_of

        def counting(d, real=real):
            calls.append(len(d))
            return real(d)

        monkeypatch.setattr(module, "items_of", counting)
    dossier = build_bundle(story, docs).dossier
    assert calls == [len(core)]
    assert dossier.facts == tuple(groups)
    assert dossier.divergences == tuple(divs)
