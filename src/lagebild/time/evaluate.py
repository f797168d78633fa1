"""TempEval-3 scoring of TIMEX3 annotations on TimeML documents (KRAUTS and the like).

Spans are character offsets into the TimeML ``<TEXT>`` content with the tags removed, so
gold, HeidelTime and lagebild are compared on the same coordinates. Metrics as the
TempEval-3 scorer defines them (counted by ``lagebild.scoring``): strict (same span) and
relaxed (overlapping span, one-to-one) P/R/F1; attribute F1 over relaxed-matched pairs whose
attribute agrees (P = correct / predicted, R = correct / gold).
"""

from __future__ import annotations

import hashlib
import html
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from xml.sax.saxutils import escape

from lagebild.model import Article, Doc, TimeExpr
from lagebild.scoring import PRF, attribute_prf, match_spans

_TIMEX = re.compile(r"<TIMEX3\b([^>]*)>(.*?)</TIMEX3>", re.S)
_ATTR = re.compile(r'(\w+)="([^"]*)"')


@dataclass(frozen=True, slots=True)
class Timex:
    start: int
    end: int
    text: str
    type: str
    value: str


@dataclass(frozen=True, slots=True)
class TimeMLDoc:
    name: str  # file name, e.g. "1004479_text.txt.tml"
    doc_id: str
    dct: date | None
    text: str  # TEXT content without tags
    timexes: tuple[Timex, ...]
    head: str = ""  # everything before <TEXT>, kept for writing


@dataclass(frozen=True, slots=True)
class Scores:
    gold: int
    predicted: int
    strict_p: float
    strict_r: float
    strict_f1: float
    relaxed_p: float
    relaxed_r: float
    relaxed_f1: float
    value_f1: float
    type_f1: float

    def summary(self) -> dict[str, float]:
        return {
            k: round(getattr(self, k) * 100, 2)
            for k in ("strict_f1", "relaxed_f1", "value_f1", "type_f1")
        }


@dataclass(slots=True)
class _Counts:
    gold: int = 0
    pred: int = 0
    strict: int = 0
    relaxed: int = 0
    value: int = 0
    type: int = 0
    errors: list[str] = field(default_factory=list)


def parse_timeml(data: str, name: str = "") -> TimeMLDoc:
    """A TimeML file's text, creation date and in-text TIMEX3 annotations."""
    head, rest = data.split("<TEXT>", 1)
    body = rest.split("</TEXT>", 1)[0]
    dct = None
    m = re.search(r"<DCT>.*?value=\"(\d{4}-\d\d-\d\d)", head, re.S)
    if m:
        dct = date.fromisoformat(m.group(1))
    doc_id = (re.search(r"<DOCID>(.*?)</DOCID>", head, re.S) or re.match("", "")).group(0)
    doc_id = re.sub(r"</?DOCID>", "", doc_id).strip()
    parts: list[str] = []
    timexes: list[Timex] = []
    pos = 0
    length = 0
    for tm in _TIMEX.finditer(body):
        before = html.unescape(re.sub(r"<[^>]+>", "", body[pos : tm.start()]))
        parts.append(before)
        length += len(before)
        inner = html.unescape(re.sub(r"<[^>]+>", "", tm.group(2)))
        attrs = dict(_ATTR.findall(tm.group(1)))
        timexes.append(
            Timex(
                length,
                length + len(inner),
                inner,
                attrs.get("type", ""),
                attrs.get("value", "").strip(),
            )
        )
        parts.append(inner)
        length += len(inner)
        pos = tm.end()
    parts.append(html.unescape(re.sub(r"<[^>]+>", "", body[pos:])))
    return TimeMLDoc(name, doc_id, dct, "".join(parts), tuple(timexes), head)


def read_dir(folder: str | Path) -> list[TimeMLDoc]:
    """Every ``*.tml`` file of ``folder``, sorted by name."""
    return [
        parse_timeml(p.read_text(encoding="utf-8"), p.name)
        for p in sorted(Path(folder).glob("*.tml"))
    ]


def data_hash(docs: Sequence[TimeMLDoc]) -> str:
    """A hash of the gold annotations, pinned beside the floors they were measured on."""
    h = hashlib.sha256()
    for d in docs:
        h.update(d.name.encode())
        h.update(d.text.encode())
        for t in d.timexes:
            h.update(f"{t.start}:{t.end}:{t.type}:{t.value}".encode())
    return h.hexdigest()[:16]


def _count(gold: Sequence[Timex], pred: Sequence[Timex], c: _Counts, name: str = "") -> None:
    c.gold += len(gold)
    c.pred += len(pred)
    c.strict += len(match_spans(gold, pred, relaxed=False))
    pairs = match_spans(gold, pred, relaxed=True)
    c.relaxed += len(pairs)
    c.value += attribute_prf(gold, pred, pairs, "value").correct
    c.type += attribute_prf(gold, pred, pairs, "type").correct
    paired_g = {i for i, _ in pairs}
    paired_p = {j for _, j in pairs}
    for i, j in pairs:
        g, p = gold[i], pred[j]
        if g.value != p.value:
            c.errors.append(f"{name}\tVAL\t{p.text}|{g.text}\t{p.value}\t{g.value}")
        if (g.start, g.end) != (p.start, p.end):
            c.errors.append(f"{name}\tSPAN\t{p.text}|{g.text}")
    for j, p in enumerate(pred):
        if j not in paired_p:
            c.errors.append(f"{name}\tFP\t{p.text}\t{p.type}\t{p.value}")
    for i, g in enumerate(gold):
        if i not in paired_g:
            c.errors.append(f"{name}\tFN\t{g.text}\t{g.type}\t{g.value}")


def score(
    pairs: Iterable[tuple[Sequence[Timex], Sequence[Timex]]], errors: list[str] | None = None
) -> Scores:
    """TempEval-3 scores over (gold, predicted) annotation lists of the same documents."""
    c = _Counts()
    for i, (gold, pred) in enumerate(pairs):
        _count(gold, pred, c, str(i))
    if errors is not None:
        errors.extend(c.errors)
    strict = PRF(c.strict, c.pred, c.gold)
    relaxed = PRF(c.relaxed, c.pred, c.gold)
    return Scores(
        gold=c.gold,
        predicted=c.pred,
        strict_p=strict.p,
        strict_r=strict.r,
        strict_f1=strict.f1,
        relaxed_p=relaxed.p,
        relaxed_r=relaxed.r,
        relaxed_f1=relaxed.f1,
        value_f1=PRF(c.value, c.pred, c.gold).f1,
        type_f1=PRF(c.type, c.pred, c.gold).f1,
    )


def as_doc(tml: TimeMLDoc) -> Doc:
    """A TimeML document as an analysed-text Doc dated on its creation date."""
    from lagebild import text as text_stage

    published = (
        datetime(tml.dct.year, tml.dct.month, tml.dct.day, 12, tzinfo=UTC) if tml.dct else None
    )
    article = Article(
        id=tml.doc_id or tml.name,
        title="",
        text=tml.text,
        source=tml.name,
        format="text",
        published=published,
        language="de",
    )
    return text_stage.analyze(Doc(article=article))


def predict(tml: TimeMLDoc) -> list[TimeExpr]:
    """lagebild's expressions for one TimeML document."""
    from lagebild import time as time_stage

    return list(time_stage.analyze(as_doc(tml)).times)


def to_timex(times: Iterable[TimeExpr]) -> list[Timex]:
    return [Timex(t.start, t.end, t.text, t.type, t.value) for t in times]


def write_timeml(tml: TimeMLDoc, times: Sequence[TimeExpr]) -> str:
    """``tml`` with its TEXT annotated by ``times`` instead of the gold."""
    out: list[str] = []
    pos = 0
    for i, t in enumerate(sorted(times, key=lambda t: t.start), start=1):
        out.append(escape(tml.text[pos : t.start]))
        mod = f' mod="{escape(t.mod)}"' if t.mod else ""
        out.append(
            f'<TIMEX3 tid="t{i}" type="{t.type}" value="{escape(t.value)}"{mod}>{escape(tml.text[t.start : t.end])}</TIMEX3>'
        )
        pos = t.end
    out.append(escape(tml.text[pos:]))
    return f"{tml.head}<TEXT>{''.join(out)}</TEXT>\n</TimeML>\n"


@dataclass(frozen=True, slots=True)
class Comparison:
    documents: int
    lagebild: Scores
    heideltime: Scores | None
    data_hash: str


HALVES = ("even", "odd")


def half(docs: Sequence[TimeMLDoc], which: str) -> list[TimeMLDoc]:
    """One half of a development set by position in file-name order: "even" (0, 2, 4, …) is
    the half rules are tuned on, "odd" the half nobody reads while writing rules."""
    if which not in HALVES:
        raise ValueError(f"half must be one of {HALVES}, not {which!r}")
    return list(docs[0::2] if which == "even" else docs[1::2])


def compare(
    gold_dir: str | Path,
    heideltime_dir: str | Path | None = None,
    write_dir: str | Path | None = None,
    names: Iterable[str] | None = None,
    which: str | None = None,
) -> Comparison:
    """Score lagebild (and HeidelTime's output, when there) on the gold TimeML in ``gold_dir``
    (or on one ``which`` half of it, see :func:`half`)."""
    gold = read_dir(gold_dir)
    if which is not None:
        gold = half(gold, which)
    if names is not None:
        keep = set(names)
        gold = [g for g in gold if g.name in keep]
    pairs = []
    if write_dir:
        Path(write_dir).mkdir(parents=True, exist_ok=True)
    for g in gold:
        pred = predict(g)
        pairs.append((g.timexes, to_timex(pred)))
        if write_dir:
            (Path(write_dir) / g.name).write_text(write_timeml(g, pred), encoding="utf-8")
    ht = score_system(gold, heideltime_dir) if heideltime_dir else None
    return Comparison(len(gold), score(pairs), ht, data_hash(gold))


def score_system(gold: Sequence[TimeMLDoc], system_dir: str | Path) -> Scores | None:
    """Another system's TimeML output (HeidelTime's) scored on ``gold``'s documents; None when
    the folder holds none of them."""
    folder = Path(system_dir)
    pairs = []
    for g in gold:
        path = folder / g.name
        if path.is_file():
            other = parse_timeml(path.read_text(encoding="utf-8"), g.name)
            pairs.append((g.timexes, other.timexes if other.text == g.text else _realign(other, g)))
    return score(pairs) if pairs else None


def _realign(other: TimeMLDoc, gold: TimeMLDoc) -> tuple[Timex, ...]:
    """Timexes of ``other`` moved onto ``gold``'s text when whitespace differs."""

    def squash(s: str) -> tuple[str, list[int]]:
        idx = [i for i, ch in enumerate(s) if not ch.isspace()]
        return "".join(s[i] for i in idx), idx

    os_, oi = squash(other.text)
    gs, gi = squash(gold.text)
    if os_ != gs:
        return ()
    back = {o: g for o, g in zip(oi, gi, strict=True)}
    out = []
    for t in other.timexes:
        inner = [i for i in range(t.start, t.end) if i in back]
        if inner:
            s, e = back[inner[0]], back[inner[-1]] + 1
            out.append(Timex(s, e, gold.text[s:e], t.type, t.value))
    return tuple(out)


__all__ = [
    "HALVES",
    "Comparison",
    "Scores",
    "TimeMLDoc",
    "Timex",
    "compare",
    "data_hash",
    "half",
    "parse_timeml",
    "predict",
    "read_dir",
    "score",
    "score_system",
    "write_timeml",
]
