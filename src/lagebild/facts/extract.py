"""Quantities in a sentence: a number (digits or words, ranges, "vier Millionen"), the
approximation word before it, its unit, and what it measures.

Every fact is read off the text layer's tokens; offsets are character offsets into the
article text, so ``text[start:end]`` is always the expression ("rund 900 km").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from lagebild.facts.context import clause_of, is_cap, is_determiner, is_lower_adj, is_word
from lagebild.facts.lexicon import Lexicon, Scale
from lagebild.model import Sentence, Token

_DIGITS = re.compile(r"^(?:\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?)$")
_EN_DIGITS = re.compile(r"^(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)$")
DIRECTION = re.compile(
    r"^(?:(?:nord|süd|ost|west)(?:west|ost)?(?:lich|wärts)|nördlich|südlich|östlich|westlich"
    r"|(?:north|south|east|west)(?:-?(?:east|west))?(?:ern)?)$",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Quantity:
    """A number found in a sentence, before it is turned into a ``Fact``."""

    first: int  # token indexes [first, last) of the whole expression
    last: int
    start: int  # character offsets of the expression
    end: int
    value: float
    value_max: float | None
    unit: str
    kind: str
    approx: str | None
    measures: str
    subject: str


def _digit_value(text: str, lang: str) -> float | None:
    if lang == "en":
        if not _EN_DIGITS.match(text):
            return None
        return float(text.replace(",", ""))
    if not _DIGITS.match(text):
        return None
    return float(text.replace(".", "").replace(",", "."))


def word_value(word: str, lex: Lexicon) -> float | None:
    """The value of a number word, compounds included ("einundzwanzig", "dreihundertzehn")."""
    w = word.replace("-", "")
    if not w:
        return None
    value, role = lex.number(w)
    if role:
        return value if role in {"unit", "teen", "ten", "hundred", "thousand"} else None
    w = w.casefold()
    for key, value in lex.number_bigs:
        if key not in w:
            continue
        left, _, right = w.partition(key)
        lv = _part_value(left, lex) if left else 1.0
        rv = word_value(right, lex) if right else 0.0
        if lv is None or rv is None or (left and lv >= value):
            return None
        return lv * value + rv
    for j in lex.number_joins:
        left, sep, right = w.partition(j)
        if sep and left and right:
            lv, rv = _part_value(left, lex), word_value(right, lex)
            if lv is not None and rv is not None and lv < 10 and rv >= 20:
                return lv + rv
    return None


def _part_value(word: str, lex: Lexicon) -> float | None:
    """Like ``word_value`` but "ein" counts as 1 (the "ein" of "einundzwanzig", "einhundert")."""
    return 1.0 if lex.number(word)[1] == "one" else word_value(word, lex)


@dataclass(frozen=True, slots=True)
class _Num:
    first: int
    last: int
    value: float
    is_year: bool


def _number_at(toks: tuple[Token, ...], i: int, lex: Lexicon) -> _Num | None:
    """The number starting at token ``i`` (with its multiplier), or None."""
    tok = toks[i]
    text = tok.text
    if i + 1 < len(toks) and toks[i + 1].text == "." and toks[i + 1].start == tok.end:
        nxt2 = toks[i + 2] if i + 2 < len(toks) else None
        if nxt2 is not None and is_word(nxt2) and nxt2.text[:1].islower():
            return None  # "am 3. mal" – too odd to trust either way
    if text.endswith("."):
        return None  # ordinal: "13. September", "70. Jahrestag"
    value = _digit_value(text, lex.lang)
    is_year = False
    grouped = _grouped(toks, i) if value is not None else None
    after = i + 1
    if grouped is not None:
        value, after = grouped  # "15'000 Franken", "15 000 personnes"
    elif value is not None:
        is_year = bool(re.fullmatch(r"1[5-9][0-9]{2}|20[0-9]{2}", text))
    elif is_word(tok) and (text[:1].islower() or i == 0):
        value = word_value(text, lex)
        if value is None and lex.number(text)[1] == "one":
            nxt = toks[i + 1] if i + 1 < len(toks) else None
            unit = lex.units.get(nxt.text) if nxt is not None else None
            if nxt is not None and (
                lex.number(nxt.text)[1] == "mult" or (unit is not None and unit.kind == "fraction")
            ):
                value = 1.0  # "eine Million", "ein Viertel"
        elif value is None and is_determiner(tok) and i + 1 < len(toks):
            unit = lex.units.get(toks[i + 1].text)
            if unit is not None and unit.kind == "fraction" and unit.factor == 2:
                value = 1.0  # "die Hälfte" (not "die Viertel" of a city)
    if value is None:
        return None
    glued = toks[i + 1] if i + 1 < len(toks) and toks[i + 1].start == tok.end else None
    if glued is not None and glued.text[:1].isalpha() and glued.text not in lex.units:
        # "24RHEIN-Nachfrage", "3Sat": a name that starts with digits; "84e", "1st": an
        # ordinal; "14h00": a time of day; "20min": a name again
        return None
    if i > 0 and value == int(value) and _label_before(toks[i - 1].text, lex):
        return None  # "Kreisstraße 17", "Artikel 5", "K 17": a name, not a quantity
    last = after
    while last < len(toks) and lex.number(toks[last].text)[1] == "mult":
        value *= lex.number(toks[last].text)[0]
        is_year = False
        last += 1
    return _Num(i, last, value, is_year)


_GROUP_HEAD = re.compile(r"\d{1,3}")
_GROUP = re.compile(r"(\d{3})(?:[.,](\d+))?")


def _grouped(toks: tuple[Token, ...], i: int) -> tuple[float, int] | None:
    """A number written in groups of three digits, as tokens: "15'000" or "1’234.50" (Swiss,
    an apostrophe between glued groups), "15 000" or "1 234,5" (one space or no-break space
    between, as French and the Duden write it): (value, index after its last token)."""
    if not _GROUP_HEAD.fullmatch(toks[i].text):
        return None
    digits, frac, j = toks[i].text, "", i + 1
    while j < len(toks):
        prev = toks[j - 1]
        if toks[j].text in {"'", "’"} and toks[j].start == prev.end and j + 1 < len(toks):
            nxt = toks[j + 1]
            m = _GROUP.fullmatch(nxt.text) if nxt.start == toks[j].end else None
            step = 2
        else:
            nxt = toks[j]
            m = _GROUP.fullmatch(nxt.text) if nxt.start == prev.end + 1 else None
            step = 1
        if m is None:
            break
        digits += m.group(1)
        j += step
        if m.group(2):
            frac = m.group(2)
            break
    if j == i + 1:
        return None
    return float(digits + ("." + frac if frac else "")), j


def _label_before(word: str, lex: Lexicon) -> bool:
    return (len(word) == 1 and word.isupper()) or "label" in lex.place_role(word)


def _approx_before(toks: tuple[Token, ...], i: int, lex: Lexicon) -> tuple[str | None, int]:
    """The approximation phrase ending right before token ``i`` and its first token index."""
    words = [t.text.casefold() for t in toks]
    for n in (3, 2, 1):
        j = i - n
        if j >= 0 and tuple(words[j:i]) in lex.approx:
            return lex.approx[tuple(words[j:i])], j
    return None, i


def quantities(sent: Sentence, lex: Lexicon, text: str) -> list[Quantity]:
    """All quantities in one sentence."""
    toks = sent.tokens
    out: list[Quantity] = []
    i = 0
    while i < len(toks):
        share = _every_nth(sent, i, lex)
        if share is not None:
            out.append(share)
            i = share.last
            continue
        num = _number_at(toks, i, lex)
        if num is None:
            i += 1
            continue
        q = _quantity(sent, num, lex, text)
        if q is not None:
            out.append(q)
            i = q.last
        else:
            i = num.last
    return out


def _no_share(toks: tuple[Token, ...], end_char: int, lex: Lexicon) -> bool:
    """ "a quarter of an hour", "a quarter century": a fraction of a span of time, or one
    that only describes the noun after it, is no share of anything."""
    j = next((k for k, t in enumerate(toks) if t.start >= end_char), len(toks))
    if j < len(toks) and toks[j].text.casefold() == "of":
        j += 1
        while j < len(toks) and is_determiner(toks[j]):
            j += 1
        if j >= len(toks):
            return False
        w = toks[j].text
        unit = lex.units.get(w) or lex.units.get(w + "s")
        return unit is not None and unit.kind == "duration"
    return (
        not lex.capitalised_nouns
        and j < len(toks)
        and is_word(toks[j])
        and toks[j].text.casefold() not in lex.words("noun-stop")
    )


def _every_nth(sent: Sentence, i: int, lex: Lexicon) -> Quantity | None:
    """ "jede vierte Stelle", "jeder Dritte": a share of one in n, in percent."""
    toks = sent.tokens
    if i + 1 >= len(toks) or lex.number(toks[i].text)[1] != "every":
        return None
    n, role = lex.number(toks[i + 1].text)
    if role != "ordinal" or not n:
        return None
    last = i + 2
    if last < len(toks) and _timeish(toks[last].text, lex):
        return None  # "jeden zweiten Tag": how often, not how many
    noun = _noun_after(toks, last, lex)
    measures = "share"
    if noun is not None:
        noun_text = toks[noun].text
        measures, last = f"share of {_noun_slot(noun_text, lex) or noun_text}", noun + 1
    approx, first = _approx_before(toks, i, lex)
    return Quantity(
        first=first, last=last, start=toks[first].start, end=toks[last - 1].end, value=100 / n,
        value_max=None, unit="%", kind="percent", approx=approx, measures=measures,
        subject=_subject(sent, i, lex),
    )  # fmt: skip


def _quantity(sent: Sentence, num: _Num, lex: Lexicon, text: str) -> Quantity | None:
    toks = sent.tokens
    first, last, value, value_max = num.first, num.last, num.value, None
    # ranges: "zwischen zwei und vier Millionen", "10 bis 12 Prozent"
    joiner = toks[last].text.casefold() if last + 1 < len(toks) else ""
    if joiner in lex.words("range") or joiner in lex.words("range-and"):
        other = _number_at(toks, last + 1, lex)
        before = toks[first - 1].text.casefold() if first > 0 else ""
        between = before in lex.words("range-open")
        # "und" joins a range only after "zwischen": "von 6,8 und 6,5" is two values
        among = before in lex.words("among")
        if other is not None and (joiner not in lex.words("range-and") or among):
            hi, lo = other.value, value
            if (
                last == num.first + 1 and other.last > other.first + 1
            ):  # multiplier only on the second
                base = _number_at(toks[: other.first + 1], other.first, lex)
                lo *= hi / base.value if base is not None and base.value else 1.0
            # a range set with a dash rises: "liegt bei 217 – 213 allein in Valencia" is two
            # numbers ("im Alter von 67 und 56 Jahren" stays one fact of two ages)
            if hi > lo or joiner not in {"-", "–"}:
                value, value_max = lo, hi
                num = _Num(num.first, other.last, value, num.is_year and other.is_year)
                last = other.last
                if between:
                    first -= 1
    approx, afirst = _approx_before(toks, first, lex)
    start_tok = afirst
    end_char = toks[last - 1].end
    unit = kind = ""
    m = lex.unit_re.match(text, end_char)
    if m and m.end() <= sent.end:
        u = lex.units[m.group("unit")]
        unit, kind = u.unit, u.kind
        if kind == "fraction":  # "zwei Drittel": a share, in percent like every other share
            if _no_share(toks, m.end(), lex):
                return None
            kind = "percent"
            value = value * 100 / u.factor
            value_max = value_max * 100 / u.factor if value_max is not None else None
        if (
            _AGE_WORD.search(m.group(0))
            or _age_before(toks, first, lex)
            or (u.unit == "a" and _age_apposition(toks, first, text, m.end()))
        ):
            kind = "age" if u.kind == "duration" else kind
        end_char = m.start("unit") + len(m.group("unit")) if kind != "age" else m.end()
        while last < len(toks) and toks[last].start < end_char:
            last += 1
    elif _currency_before(text, toks[first].start):
        sym = text[toks[first].start - 1]
        u = lex.units.get(sym)
        if u is not None:
            unit, kind = u.unit, u.kind
    elif _age_suffix(toks, last):
        # "das 25-jährige Jubiläum", "die zehnjährige Haftstrafe": a span of years, not an age
        noun = toks[last + 2].text if last + 2 < len(toks) else ""
        period = noun[:1].isupper() and _PERIOD_NOUN.search(noun.casefold())
        kind, unit = ("duration" if period else "age"), "a"
        end_char = toks[last + 1].end
        last += 2
    scale = _scale_before(toks, start_tok, lex) if not kind else None
    if scale is not None and scale.lo <= value <= scale.hi and (value_max or value) <= scale.hi:
        unit, kind = scale.unit, "scale"  # "Beben der Stärke 6,3"
    if num.is_year and not unit:
        before = toks[first - 1].text.casefold() if first > 0 else ""
        if before in lex.words("year-before") or _noun_after(toks, last, lex) is None:
            return None
    if kind == "duration" and _point_in_time(toks, start_tok, last, lex):
        return None  # "vor zwei Jahren", "zwei Tage später": when, not how long
    subject = whose_age(sent, first, last, lex) if kind == "age" else _subject(sent, first, lex)
    measures = ""
    if not kind:
        noun = _noun_after(toks, last, lex)
        if noun is None:
            noun = _part_of_total(toks, last, lex)  # "1.200 seiner 4.800 Stellen"
        if noun is None:
            k = _count_noun_before(toks, first)
            if k is None:
                return None
            measures = toks[k + 2].text
            start_tok = k  # cite "Zahl der Todesopfer ist auf drei", not just "drei"
        else:
            measures = toks[noun].text
            last = noun + 1
            end_char = toks[noun].end
        both = _coordinated(toks, last - 1, lex) if noun is not None else None
        if both is not None:
            measures = f"{measures} {toks[last].text} {toks[both].text}"
            last = both + 1
            end_char = toks[both].end
        else:
            measures = _count_slot(sent, first, measures, lex)
        kind = "count"
    else:
        scale = lex.scale_of_unit(unit) if kind == "scale" else None
        # a scale's value says what it measures ("magnitude"); the clause's nouns would split it
        measures = scale.measures if scale is not None else _measures(sent, kind, first, last, lex)
    start = toks[start_tok].start
    return Quantity(
        first=start_tok, last=last, start=start, end=end_char, value=value, value_max=value_max,
        unit=unit, kind=kind, approx=approx, measures=measures, subject=subject,
    )  # fmt: skip


def _scale_before(toks: tuple[Token, ...], i: int, lex: Lexicon) -> Scale | None:
    """The scale named right before token ``i`` ("der Stärke 6,3"), or None."""
    j = i - 1
    while j >= 0 and i - j <= 6:
        word = toks[j].text.casefold()
        if word in lex.words("scale-gap"):
            j -= 1
        elif word in lex.words("scale-or") and j > 0 and toks[j - 1].text[:1].isdigit():
            j -= 2  # "Stärke von 6,8 und 6,5": the second value is on the scale too
        else:
            break
    if j < 0 or not lex.scales:
        return None
    word = toks[j].text.casefold()
    return lex.scales.get(word) or lex.scales.get(word.rsplit("-", 1)[-1])


def _point_in_time(toks: tuple[Token, ...], first: int, last: int, lex: Lexicon) -> bool:
    """A span of time that names a point in time: "vor zwei Jahren", "vor rund drei Wochen",
    "zwei Tage später", "two years ago" (``cues.tsv`` roles point-before / point-after)."""
    before = toks[first - 1].text if first > 0 else ""
    after = toks[last].text if last < len(toks) else ""
    return "point-before" in lex.cue(before) or "point-after" in lex.cue(after)


def _count_slot(sent: Sentence, index: int, noun: str, lex: Lexicon) -> str:
    """The slot a count fills: "Todesopfer" and "zwei Menschen … ums Leben" are both deaths."""
    for slot, role in lex.slots.get(noun, ()):
        if role == "noun":
            return slot
    if not any(role == "people" for _, role in lex.slots.get(noun, ())):
        return noun
    clause = clause_of(sent, index)
    for tok in sent.tokens[clause.first : clause.last]:
        for slot, role in lex.slots.get(tok.text, ()):
            if role == "cue":
                return slot
    return noun


def _nominative(np: str) -> str:
    """ "des deutschen Verbrauchs" -> "Verbrauch": a genitive head in its dictionary form."""
    words = np.split()
    if not words:
        return np
    w = words[-1]
    if w.endswith("es") and len(w) > 5 and w[-3] not in "aeiouäöü":
        w = w[:-2]
    elif w.endswith("s") and len(w) > 4 and not w.endswith("ss"):
        w = w[:-1]
    return " ".join([*words[:-1], w])


def _slot_of(word: str, lex: Lexicon, want: str) -> str:
    """The language-neutral slot ``word`` has in measures.tsv with role ``want``, else ""."""
    for slot, role in lex.slots.get(word, ()) or lex.slots.get(word.casefold(), ()):
        if role == want:
            return slot
    return ""


def _noun_slot(word: str, lex: Lexicon) -> str:
    """The slot a counted noun is ("Stellen", "jobs" -> jobs), else ""."""
    return _slot_of(word, lex, "noun")


def _measure_slot(toks: Sequence[Token], lex: Lexicon) -> str:
    """The language-neutral thing an amount or a change is of, named anywhere in its clause
    ("Umsatz" and "revenue" are both revenue), so outlets in two languages group."""
    return next((s for tok in toks if (s := _slot_of(tok.text, lex, "measure"))), "")


def _currency_before(text: str, start: int) -> bool:
    return start > 0 and text[start - 1] in "$€£"


# a unit followed by "alt" in any form ("70 Jahre alt", "die 70 Jahre alten Eheleute", "old")
_AGE_WORD = re.compile(r"\s(?:alt(?:e[mnrs]?)?|old)$")


# A noun after "-jährig" that names a span or a thing, never a person: abstract nouns by their
# suffix ("Regierung", "Haft", "Partnerschaft", "Tradition") and the nouns of a period
# ("Bestehen", "Jubiläum", "Bauzeit", "Anmeldefrist", "Haftstrafe", "Hilfsprogramm").
_PERIOD_NOUN = re.compile(
    r"^\w*(?:ung|ungen|heit|keit|schaft|tion|tionen|zeit|frist|dauer|phase|pause|"
    r"periode|strafe|strafen|haft|programm|programme|bestehen|bestehens|jubiläum|jubiläums|"
    r"geschichte|tradition|karriere|monaten|jahren|bericht|vertrag|vertrags)$"
)


def _age_suffix(toks: tuple[Token, ...], last: int) -> bool:
    """ "39-Jährige", "39-jähriger": the number is an age."""
    return (
        last + 1 < len(toks)
        and toks[last].text == "-"
        and toks[last + 1].text.casefold().startswith("jährig")
    )


def _age_before(toks: tuple[Token, ...], first: int, lex: Lexicon) -> bool:
    """ "im Alter von 78 Jahren", "âgé de 27 ans", "aged 27 years": words.tsv's age-before."""
    words = {t.text.casefold() for t in toks[max(0, first - 3) : first]}
    return not words.isdisjoint(lex.words("age-before"))


def _age_apposition(toks: tuple[Token, ...], first: int, text: str, end: int) -> bool:
    """ "Tarek Obaid, 48 ans, et Patrick Mahony, 47 ans, …": years between commas right after
    a name are that person's age."""
    if first < 2 or toks[first - 1].text != "," or not toks[first - 2].text[:1].isupper():
        return False
    after = text[end:].lstrip()
    return after[:1] in (",", ")", ".", ";") or after.split(" ", 1)[0] in ("et", "and", "und")


def _noun_after_lowercase(
    toks: tuple[Token, ...], i: int, lex: Lexicon, plural_only: bool = False
) -> int | None:
    """For languages that do not capitalise nouns: the first plural among the next words
    before a function word, else the last of them ("20 armoured cars were" -> "cars"); with
    ``plural_only`` (French: "32 auparavant", "13 août" count nothing) a plural or none.
    A partitive "de" is passed ("deux millions de personnes")."""
    if i < len(toks) and toks[i].text.casefold() in lex.words("count-of"):
        i += 1
    j, found = i, []
    while (
        j < len(toks)
        and j < i + 3
        and is_word(toks[j])
        and toks[j].text.casefold() not in lex.words("noun-stop")
    ):
        found.append(j)
        j += 1
    plural = [
        k
        for k in found
        if (toks[k].text.endswith(("s", "x")) or toks[k].text in lex.words("plural"))
        and toks[k].text.casefold() not in lex.words("not-counted")
    ]
    if plural or plural_only:
        return plural[0] if plural else None
    return found[-1] if found else None


def _np_after_lowercase(toks: tuple[Token, ...], i: int, lex: Lexicon) -> str:
    """For languages that do not capitalise nouns, the phrase after "of" up to its noun:
    "of registered voters" -> "registered voters", "of its flights were" -> "flights"."""
    while i < len(toks) and toks[i].text.casefold() in lex.words("np-opener"):
        i += 1
    k = _noun_after_lowercase(toks, i, lex)
    return " ".join(t.text for t in toks[i : k + 1]) if k is not None else ""


def _noun_after(toks: tuple[Token, ...], i: int, lex: Lexicon) -> int | None:
    """The noun a bare number counts: "20 kugelsichere Waggons" -> index of "Waggons"."""
    if not lex.capitalised_nouns:
        j = _noun_after_lowercase(toks, i, lex, lex.counts_plurals)
        if j is None or "time" in lex.place_role(toks[j].text) or lex.number(toks[j].text)[1]:
            return None
        return j
    j = i
    while (
        j < len(toks)
        and j < i + 3
        and (is_lower_adj(toks[j]) or ("-" in toks[j].text and toks[j].text[:1].islower()))
    ):
        j += 1
    if j >= len(toks) or not is_cap(toks[j]):
        return None
    word = toks[j].text
    if "time" in lex.place_role(word) or lex.number(word)[1] == "mult":
        return None
    return j


def _coordinated(toks: tuple[Token, ...], noun: int, lex: Lexicon) -> int | None:
    """ "alle 379 Passagiere und Crewmitglieder": a second noun joined to the counted one with
    no number of its own is counted too, so the fact is not the passengers alone (the 367
    passengers and twelve crew of another report)."""
    j = noun + 1
    if j + 1 >= len(toks) or toks[j].text.casefold() not in lex.words("noun-and"):
        return None
    k = j + 1
    if not is_cap(toks[k]) or is_determiner(toks[k]) or _number_at(toks, k, lex) is not None:
        return None
    if k + 1 < len(toks) and (is_cap(toks[k + 1]) or toks[k + 1].text in {"-", "–"}):
        return None  # "… und Kanzler Scholz", "und Crew-" : a name or a phrase goes on
    return k


def _part_of_total(toks: tuple[Token, ...], i: int, lex: Lexicon) -> int | None:
    """ "1.200 seiner 4.800 Stellen", "1,200 of its 4,800 jobs": the noun both numbers count
    (the first number is the part; the total is read as part of its phrase, not as a fact)."""
    j = i
    while j < len(toks) and j < i + 2 and toks[j].text.casefold() in lex.words("partitive"):
        j += 1
    if j == i or j >= len(toks):
        return None
    total = _number_at(toks, j, lex)
    if total is None or total.is_year:
        return None
    return _noun_after(toks, total.last, lex)


def _count_noun_before(toks: tuple[Token, ...], first: int) -> int | None:
    """ "Die Zahl der Toten stieg auf 42": the index of "Zahl" (the noun is two further)."""
    words = [t.text.casefold() for t in toks[:first]]
    for k in range(len(words) - 2, -1, -1):
        if (
            words[k] in {"zahl", "number"}
            and k + 2 < len(toks)
            and words[k + 1] in {"der", "of", "the"}
        ):
            nxt = toks[k + 2]
            if (
                first >= 2
                and toks[first - 1].text in {"-", "–"}
                and toks[first - 2].text[:1].isdigit()
            ):
                return None  # "liegt bei 217 – 213 allein in Valencia": the 213 is a part
            return k if (is_cap(nxt) or nxt.text.isalpha()) and first - k <= 8 else None
    return None


def _subject(sent: Sentence, index: int, lex: Lexicon) -> str:
    """The first noun of the fact's clause, skipping genitive names ("Kims … Zug" -> "Zug")."""
    toks = sent.tokens
    clause = clause_of(sent, index)
    for j in range(clause.first, index):
        tok = toks[j]
        if not is_cap(tok) or is_determiner(tok) or lex.approx.get((tok.text.casefold(),)):
            continue
        if tok.text.casefold() in lex.words("not-subject") or _timeish(tok.text, lex):
            continue
        if tok.text in lex.units:  # "Innerhalb von 48 Stunden fielen 200 Liter"
            continue
        if _capitalised_by_position(toks, j, lex):
            continue
        nxt = toks[j + 1] if j + 1 < len(toks) else None
        if tok.text.endswith("s") and nxt is not None and (is_lower_adj(nxt) or is_cap(nxt)):
            continue  # genitive in front of its noun
        if (
            j == 0
            and nxt is not None
            and is_cap(nxt)
            and tok.text.endswith(("e", "en", "er", "es"))
        ):
            continue  # a capitalised adjective at the start of the sentence
        return tok.text
    return ""


def _left_noun(toks: tuple[Token, ...], lo: int, first: int, lex: Lexicon) -> str:
    """The nearest noun before the number in its clause that can be what it measures (not a
    date, not a unit: "Umsatz" in "der Umsatz stieg am Dienstag um 14 Prozent")."""
    for j in range(first - 1, lo - 1, -1):
        t = toks[j]
        if is_cap(t) and not is_determiner(t) and j > lo and not _timeish(t.text, lex):
            if t.text in lex.units or lex.number(t.text)[1]:
                continue
            if _capitalised_by_position(toks, j, lex):
                continue
            return t.text
    return ""


def _capitalised_by_position(toks: Sequence[Token], j: int, lex: Lexicon) -> bool:
    """A word capitalised only because it opens its sentence ("Dennoch", "Innerhalb",
    "Symbolisch"): where nouns are capitalised, a word the tagger's frequent words know in
    lower case is no noun, so it cannot be what a number measures (counted nouns such as
    "Tote" are known to the lexicon and kept)."""
    if not lex.capitalised_nouns or any(is_word(t) for t in toks[:j]):
        return False
    word = toks[j].text
    if word in lex.slots:
        return False
    from lagebild.entities.lexicon import lower_words

    return word.casefold() in lower_words()


def _unnamed(noun: str, kind: str, lex: Lexicon) -> str:
    """``noun`` unless it only names the quantity's kind ("Länge" of a distance, "Höhe" of
    an amount of money): then the fact measures nothing more specific than its kind."""
    names = {
        "distance": lex.words("names-distance"),
        "duration": lex.words("names-duration"),
        "money": lex.words("names-money"),
        "speed": lex.words("names-speed"),
        "volume": lex.words("names-volume"),
        "age": lex.words("names-age"),
    }.get(kind, frozenset())
    return "" if noun.casefold() in names else noun


def _timeish(word: str, lex: Lexicon) -> bool:
    """A date word or a compound of one ("Montagmorgen")."""
    if "time" in lex.place_role(word):
        return True
    low = word.casefold()
    return any(
        len(w) >= 5
        and "time" in roles
        and (low.startswith(w.casefold()) or low.endswith(w.casefold()))
        for w, roles in lex.places.items()
    )


def whose_age(sent: Sentence, first: int, last: int, lex: Lexicon) -> str:
    """The noun an age belongs to: none for a nominalised age ("der 47-Jährige" is the
    person), the noun right after an attributive one ("ein 28 Jahre alter Mann", "die 40 Jahre
    alte Synagoge"), else the clause's subject ("Die Passantin war 20 Jahre alt"). The
    clause's first noun would be a stray one: "Nach Erkenntnissen der Polizei hatte die
    17-Jährige ...", "Der Richter verurteilte den 28-Jährigen"."""
    toks = sent.tokens
    word = toks[last - 1].text if last > 0 else ""
    low = word.casefold()
    if lex.capitalised_nouns and ("jährig" in low or low.startswith("alt")):
        if "jährig" in low and word[:1].isupper():
            return ""
        if low not in {"alt", "jährig"}:  # inflected: attributive, its noun follows
            np, _ = _np_after(toks, last, clause_of(sent, last).last if last < len(toks) else last)
            return np.split()[0] if np else ""
    return _unnamed(_subject(sent, first, lex), "age", lex)  # not "Alter" of "im Alter von"


def _np_after(toks: tuple[Token, ...], i: int, hi: int) -> tuple[str, int]:
    """A noun phrase right after ``i``: determiners/adjectives skipped, capitalised words and
    genitive/"zu" continuations kept ("der Grenze zu China" -> "Grenze zu China")."""
    j = i
    while j < hi and (is_determiner(toks[j]) or is_lower_adj(toks[j])):
        j += 1
    words: list[str] = []
    while j < hi:
        t = toks[j]
        if is_cap(t) or (
            t.text in {"zu", "von", "der", "des"} and j + 1 < hi and is_cap(toks[j + 1]) and words
        ):
            words.append(t.text)
        else:
            break
        j += 1
    return " ".join(words), j


def _measures(sent: Sentence, kind: str, first: int, last: int, lex: Lexicon) -> str:
    """What a quantity with a unit measures, as words from its clause."""
    toks = sent.tokens
    clause = clause_of(sent, first)
    hi = clause.last
    after = [t.text for t in toks[last:hi]]
    if kind == "distance":
        for k, word in enumerate(after[:4]):
            if DIRECTION.match(word):
                j = last + k + 1
                prep = ""
                if j < hi and toks[j].text.casefold() in {"von", "of"}:
                    prep = toks[j].text
                    j += 1
                np, _ = _np_after(toks, j, hi)
                return " ".join(x for x in ("distance", word, prep, np) if x)
        low = [w.casefold() for w in after]
        if "voneinander" in low:
            return "distance between " + (_subject(sent, first, lex) or "them")
        if "entfernt" in low and "von" in low:
            np, _ = _np_after(toks, last + low.index("von") + 1, hi)
            return f"distance from {np}".strip()
        if "weit" in low:
            k = low.index("weit")
            verb = after[k + 1] if k + 1 < len(after) and after[k + 1][:1].islower() else ""
            return f"distance {verb}".strip() if verb else "distance"
        noun = _unnamed(_left_noun(toks, clause.first, first, lex), kind, lex)
        return f"distance {noun}".strip()
    percent = kind in {"percent", "percent-points"}
    if percent and after and after[0].casefold() in lex.words("share-of"):
        if lex.capitalised_nouns:
            np, _ = _np_after(toks, last + 1, hi)
            if after[0].casefold() in {"des", "seines", "ihres", "unseres"}:
                np = _nominative(np)
        else:
            np = _np_after_lowercase(toks[:hi], last + 1, lex)
        if np:
            return f"share of {_noun_slot(np.split()[-1], lex) or np}"
    slot = _measure_slot(toks[clause.first : hi], lex)
    if slot and (percent or kind == "money"):
        return f"{kind} {slot}"
    if percent:
        noun = _left_noun(toks, clause.first, first, lex) or _subject(sent, first, lex)
        return f"{kind} {noun}".strip()
    if kind == "duration" and after and is_determiner(toks[last]):
        np, _ = _np_after(toks, last, hi)
        if np:
            return f"duration {np}"
    if kind == "age":
        return f"age {whose_age(sent, first, last, lex)}".strip()
    if kind == "speed":
        return f"{kind} {_subject(sent, first, lex)}".strip()
    noun = _unnamed(_left_noun(toks, clause.first, first, lex), kind, lex)
    noun = noun or _subject(sent, first, lex)
    return f"{kind} {noun}".strip()


__all__ = ["DIRECTION", "Quantity", "quantities", "word_value"]
