"""TempEval-3 scoring of TIMEX3 annotations on TimeML documents (KRAUTS and the like).

Spans are character offsets into the TimeML ``<TEXT>`` content with the tags removed, so
gold, HeidelTime and lagebild are compared on the same coordinates. Metrics as the
TempEval-3 scorer defines them: strict (same span) and relaxed (overlapping span) P/R/F1;
attribute F1 over relaxed-matched pairs whose attribute agrees (P = correct / predicted,
R = correct / gold).
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
    relaxed_p: int = 0
    relaxed_r: int = 0
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
    gold_spans = {(g.start, g.end) for g in gold}
    c.strict += sum(1 for p in pred if (p.start, p.end) in gold_spans)
    used: set[int] = set()
    for p in pred:
        overlaps = [i for i, g in enumerate(gold) if g.start < p.end and p.start < g.end]
        if not overlaps:
            c.errors.append(f"{name}\tFP\t{p.text}\t{p.type}\t{p.value}")
            continue
        c.relaxed_p += 1
        free = [i for i in overlaps if i not in used] or overlaps
        best = max(
            free,
            key=lambda i: (
                gold[i].start == p.start and gold[i].end == p.end,
                min(gold[i].end, p.end) - max(gold[i].start, p.start),
            ),
        )
        if best in used:
            continue
        used.add(best)
        g = gold[best]
        if g.value == p.value:
            c.value += 1
        else:
            c.errors.append(f"{name}\tVAL\t{p.text}|{g.text}\t{p.value}\t{g.value}")
        if g.type == p.type:
            c.type += 1
        if (g.start, g.end) != (p.start, p.end):
            c.errors.append(f"{name}\tSPAN\t{p.text}|{g.text}")
    c.relaxed_r += sum(1 for g in gold if any(g.start < p.end and p.start < g.end for p in pred))
    for g in gold:
        if not any(g.start < p.end and p.start < g.end for p in pred):
            c.errors.append(f"{name}\tFN\t{g.text}\t{g.type}\t{g.value}")


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def _div(a: int, b: int) -> float:
    return a / b if b else 0.0


def score(
    pairs: Iterable[tuple[Sequence[Timex], Sequence[Timex]]], errors: list[str] | None = None
) -> Scores:
    """TempEval-3 scores over (gold, predicted) annotation lists of the same documents."""
    c = _Counts()
    for i, (gold, pred) in enumerate(pairs):
        _count(gold, pred, c, str(i))
    if errors is not None:
        errors.extend(c.errors)
    sp, sr = _div(c.strict, c.pred), _div(c.strict, c.gold)
    rp, rr = _div(c.relaxed_p, c.pred), _div(c.relaxed_r, c.gold)
    return Scores(
        gold=c.gold,
        predicted=c.pred,
        strict_p=sp,
        strict_r=sr,
        strict_f1=_f1(sp, sr),
        relaxed_p=rp,
        relaxed_r=rr,
        relaxed_f1=_f1(rp, rr),
        value_f1=_f1(_div(c.value, c.pred), _div(c.value, c.gold)),
        type_f1=_f1(_div(c.type, c.pred), _div(c.type, c.gold)),
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


def compare(
    gold_dir: str | Path,
    heideltime_dir: str | Path | None = None,
    write_dir: str | Path | None = None,
    names: Iterable[str] | None = None,
) -> Comparison:
    """Score lagebild (and HeidelTime's output, when there) on the gold TimeML in ``gold_dir``."""
    gold = read_dir(gold_dir)
    if names is not None:
        keep = set(names)
        gold = [g for g in gold if g.name in keep]
    pairs = []
    ht_pairs = []
    ht_dir = Path(heideltime_dir) if heideltime_dir else None
    if write_dir:
        Path(write_dir).mkdir(parents=True, exist_ok=True)
    for g in gold:
        pred = predict(g)
        pairs.append((g.timexes, to_timex(pred)))
        if write_dir:
            (Path(write_dir) / g.name).write_text(write_timeml(g, pred), encoding="utf-8")
        if ht_dir is not None and (ht_dir / g.name).is_file():
            ht = parse_timeml((ht_dir / g.name).read_text(encoding="utf-8"), g.name)
            ht_pairs.append((g.timexes, ht.timexes if ht.text == g.text else _realign(ht, g)))
    return Comparison(
        len(gold), score(pairs), score(ht_pairs) if ht_pairs else None, data_hash(gold)
    )


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
    "Comparison",
    "Scores",
    "TimeMLDoc",
    "Timex",
    "compare",
    "data_hash",
    "parse_timeml",
    "predict",
    "read_dir",
    "score",
    "write_timeml",
]
