"""The rules' matches found from the few places where each can start.

Every rule pattern is ``\\b`` + X, and ``finditer`` over it tries X at every character of
the text (the leading ``\\b`` keeps Python's ``re`` from skipping ahead to a possible first
character): 55 rules x ~2,500 characters per article made the stage's largest block. Most
X can only start with one of a few short strings ("Jan", "Feb", "3", "am ", "vo"…), read off
the parsed pattern. ``Scanner`` walks the text's word starts once, looks the next one to
three characters up in a table of those strings, and tries X (``match``) only there, in
text order and skipping what the rule's previous match covered: the same matches as
``finditer``. A rule whose pattern it cannot read (an X that may start with a non-word
character or with nothing, case-insensitive parts, a class of unknown size) keeps the scan
of the whole text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import Any

try:  # the parser of the standard library's ``re`` (private; without it every rule scans)
    from re import _constants as _c
    from re import _parser
except ImportError:  # pragma: no cover - other Pythons
    _parser = None

_WORD = re.compile(r"\w+")
# the start "any decimal digit" (what ``\d`` matches: far more than 0-9), for patterns that
# begin with ``\d``; looked up by ``str.isdecimal``, the test ``re`` uses for ``\d``
_DIGIT = "\x00d"
# longest start read off a pattern; the number of start strings one rule may have
_DEPTH = 3
_MAX_STARTS = 600
# character classes up to this many members are expanded into their characters
_MAX_CLASS = 64


class _Unreadable(Exception):
    """The pattern uses something the start analysis does not follow."""


def _chars(items: Any) -> list[str] | None:
    """The characters of an ``IN`` class, or None when it is negated or a category."""
    out: list[str] = []
    for op, av in items:
        if op is _c.LITERAL:
            out.append(chr(av))
        elif op is _c.RANGE:
            lo, hi = av
            if hi - lo >= _MAX_CLASS:
                return None
            out.extend(chr(x) for x in range(lo, hi + 1))
        else:  # NEGATE, CATEGORY (\d, \w, \s match far more than ASCII)
            return None
        if len(out) > _MAX_CLASS:
            return None
    return out


def _digits(items: Any) -> bool:
    """Whether an ``IN`` class matches decimal digits only, ``\\d`` among them."""
    return all(
        (op is _c.CATEGORY and av is _c.CATEGORY_DIGIT)
        or (op is _c.LITERAL and chr(av).isdecimal())
        for op, av in items
    )


def _extend(prefixes: set[str], items: Any, done: set[str]) -> set[str]:
    """The prefixes still growing after ``items`` follow each of ``prefixes``; prefixes that
    stop growing (the depth reached, or an element not followed) go to ``done``. Every match
    of the pattern starts with one of the prefixes in ``done`` or the returned set."""
    open_ = prefixes
    for op, av in items:
        if not open_:
            break
        if op is _c.LITERAL:
            open_ = {p + chr(av) for p in open_}
        elif op is _c.IN:
            chars = _chars(av)
            if chars is None and _digits(av):
                done |= {p or _DIGIT for p in open_}
                return set()
            if chars is None or len(open_) * len(chars) > _MAX_STARTS:
                done |= open_
                return set()
            open_ = {p + ch for p in open_ for ch in chars}
        elif op is _c.SUBPATTERN:
            _group, add_flags, _del, sub = av
            if add_flags & re.IGNORECASE:
                raise _Unreadable
            open_ = _extend(open_, sub, done)
        elif op is _c.BRANCH:
            out: set[str] = set()
            for branch in av[1]:
                out |= _extend(set(open_), branch, done)
            open_ = out
        elif op in (_c.MAX_REPEAT, _c.MIN_REPEAT, _c.POSSESSIVE_REPEAT):
            lo, hi, sub = av
            if lo == 0 and hi == 1:  # optional: with and without it
                open_ = open_ | _extend(set(open_), sub, done)
            elif lo >= 1:  # once for sure, then the prefixes stop
                done |= _extend(set(open_), sub, done)
                return set()
            else:
                done |= open_
                return set()
        elif op in (_c.AT, _c.ASSERT, _c.ASSERT_NOT):
            continue  # zero width: a filter on top of the prefixes, which stay a superset
        else:
            done |= open_
            return set()
        if len(open_) > _MAX_STARTS:
            raise _Unreadable
        full = {p for p in open_ if len(p) >= _DEPTH}
        if full:
            done |= {p[:_DEPTH] for p in full}
            open_ -= full
    return open_


def starts(pattern: str) -> frozenset[str] | None:
    """Strings one of which begins every match of ``pattern``, each starting with a word
    character; None when no such set is read off (then the rule scans the whole text)."""
    return _read(pattern)[0]


def _read(pattern: str) -> tuple[frozenset[str] | None, int]:
    """``starts(pattern)`` and the least width of a match (0: it may match nothing), from one
    parse of the pattern (parsing is most of what a language's rules cost at first use)."""
    if _parser is None:
        return None, 0
    try:
        parsed = _parser.parse(pattern)
        width = int(parsed.getwidth()[0])
        if parsed.state.flags & re.IGNORECASE:
            return None, width
        done: set[str] = set()
        done |= _extend({""}, parsed, done)
    except (_Unreadable, re.error, RecursionError):
        return None, 0
    if not done or any(p != _DIGIT and not _word_char(p[:1]) for p in done):
        return None, width  # "" (a match may start anywhere) or a start that needs no \b
    return frozenset(done), width


def _word_char(ch: str) -> bool:
    return ch != "" and (ch.isalnum() or ch == "_")


class Scanner:
    """``finditer`` of every ``\\b``-led rule pattern, from a table of where each can start."""

    def __init__(self, patterns: Sequence[str]) -> None:
        # whether rule i is tried at its starts only: it is matched there with its own
        # ``\b``-led regex, since ``\b`` holds at every start of a ``\w+`` run (one compiled
        # regex per rule, not a second one without the ``\b``)
        self.by_start: list[bool] = []
        self.tables: dict[int, dict[str, list[int]]] = {}  # length -> start -> rule indices
        self.digit_rules: list[int] = []  # rules that may start with any decimal digit
        for i, pattern in enumerate(patterns):
            firsts, width = _read(pattern[2:]) if pattern.startswith(r"\b") else (None, 0)
            # an X that may match nothing would follow other rules of iteration
            self.by_start.append(firsts is not None and width > 0)
            if not self.by_start[-1] or firsts is None:
                continue
            for s in firsts:
                if s == _DIGIT:
                    self.digit_rules.append(i)
                    continue
                self.tables.setdefault(len(s), {}).setdefault(s, []).append(i)
        self.lengths = sorted(self.tables)

    def candidates(self, text: str) -> dict[int, list[int]]:
        """Rule index -> the word starts (ascending) where its X may match."""
        out: dict[int, list[int]] = {}
        tables = [(n, self.tables[n]) for n in self.lengths]
        digits = self.digit_rules
        for m in _WORD.finditer(text):
            p = m.start()
            hits = [i for n, table in tables for i in table.get(text[p : p + n], ())]
            if digits and text[p].isdecimal():
                hits += digits
            for i in hits:
                at = out.get(i)
                if at is None:
                    out[i] = [p]
                elif at[-1] != p:  # one rule found by two of its starts
                    at.append(p)
        return out

    def may_match(self, i: int, cands: dict[int, list[int]]) -> bool:
        """Whether rule ``i`` may match the text ``cands`` were found in."""
        return not self.by_start[i] or i in cands

    def finditer(
        self, i: int, regex: re.Pattern[str], text: str, cands: dict[int, list[int]]
    ) -> Iterator[re.Match[str]]:
        """The matches ``regex.finditer(text)`` gives for rule ``i`` (``regex``: its pattern
        compiled)."""
        if not self.by_start[i]:
            yield from regex.finditer(text)
            return
        end = 0
        for p in cands.get(i, ()):
            if p < end:
                continue
            m = regex.match(text, p)
            if m is not None:
                yield m
                end = m.end()


__all__ = ["Scanner", "starts"]
