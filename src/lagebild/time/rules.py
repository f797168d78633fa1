"""Rule and table files of one language, read once and compiled.

A language exists because ``resources/time/<lang>/`` exists. ``tables.txt`` maps surface
words to a neutral vocabulary (month numbers, ``-1``/``0``/``1`` for last/this/next, unit
letters); each section is also a macro ``{name}`` for the patterns in ``rules.txt``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

from lagebild.time.scan import Scanner

BUILTIN = {
    "day": r"(?:3[01]|[12]\d|0?[1-9])",
    "year": r"(?:1[0-9]\d\d|20\d\d)",
    "hour": r"(?:2[0-3]|[01]?\d)",
    "minute": r"(?:[0-5]\d)",
}


@dataclass(frozen=True, slots=True)
class Example:
    sentence: str
    span: str  # "-" when the sentence must yield no expression
    value: str
    anchor: str = "2023-09-13"


@dataclass(frozen=True, slots=True)
class Rule:
    name: str
    type: str
    pattern: str
    regex: re.Pattern[str]
    defaults: tuple[tuple[str, str], ...] = ()
    examples: tuple[Example, ...] = ()
    determiner: bool = False  # a preceding "der/den/dem..." belongs to the span
    needs: re.Pattern[str] | None = None  # a text without a match of this cannot match the rule


@dataclass(frozen=True, slots=True)
class RuleSet:
    lang: str
    rules: tuple[Rule, ...]
    tables: dict[str, dict[str, str]] = field(default_factory=dict)
    trigger: re.Pattern[str] | None = None  # cheap pre-filter: a sentence without it has nothing
    # where each rule may start (``tagger.find`` scans the whole text per rule without it)
    scanner: Scanner | None = field(default=None, compare=False, repr=False)

    def lookup(self, table: str, word: str) -> str | None:
        """The table value of ``word``, tolerant of case and inner whitespace."""
        t = self.tables.get(table, {})
        key = " ".join(word.split())
        return t.get(key) or t.get(key.lower()) or t.get(key[:1].upper() + key[1:])


def _root():
    return resources.files("lagebild") / "resources" / "time"


@cache
def languages() -> tuple[str, ...]:
    """Languages with a rule folder."""
    return tuple(
        sorted(p.name for p in _root().iterdir() if p.is_dir() and (p / "rules.txt").is_file())
    )


def parse_tables(text: str) -> dict[str, dict[str, str]]:
    tables: dict[str, dict[str, str]] = {}
    current: dict[str, str] | None = None
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            current = tables.setdefault(line[1:-1], {})
            continue
        if current is None or "=" not in line:
            raise ValueError(f"bad table line: {raw!r}")
        key, value = (x.strip() for x in line.rsplit("=", 1))
        current[key] = value
    return tables


def _trie_regex(words: list[str]) -> str:
    """An alternation of ``words`` as a prefix tree, so a failing position is rejected at once."""
    trie: dict[str, dict] = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict[str, dict]) -> str:
        ends = "" in node
        branches = []
        for ch in sorted(k for k in node if k):
            piece = r"\s+" if ch == " " else re.escape(ch)
            branches.append(piece + build(node[ch]))
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if ends else body

    return build(trie)


def _alternation(keys: list[str]) -> str:
    variants: set[str] = set()
    for k in keys:
        variants.add(k)
        if k[:1].isalpha():
            variants.add(k[:1].swapcase() + k[1:])
    return f"(?:{_trie_regex(sorted(variants))})"


def expand(pattern: str, tables: dict[str, dict[str, str]]) -> str:
    """``pattern`` with every ``{name}`` macro replaced by its regex."""

    def sub(m: re.Match[str]) -> str:
        name = m.group(1)
        if name in BUILTIN:
            return BUILTIN[name]
        if name in tables:
            return _alternation(list(tables[name]))
        return m.group(0)  # a regex quantifier such as {2}

    return re.sub(r"\{([a-z_]+)\}", sub, pattern)


def parse_rules(text: str, tables: dict[str, dict[str, str]]) -> list[Rule]:
    rules: list[Rule] = []
    for block in re.split(r"\n\s*\n", text):
        fields: dict[str, list[str]] = {}
        for raw in block.splitlines():
            line = raw.strip()
            if not line or line.startswith("#") or ":" not in line:
                continue
            key, value = line.split(":", 1)
            fields.setdefault(key.strip().lower(), []).append(value.strip())
        if "rule" not in fields:
            continue
        name = fields["rule"][0]
        # every expression starts at a word boundary: saying so lets the scan skip inner positions
        pattern = r"\b" + expand(fields["pattern"][0], tables)
        defaults: list[tuple[str, str]] = []
        for item in ",".join(fields.get("set", [])).split(","):
            if "=" in item:
                k, v = item.split("=", 1)
                defaults.append((k.strip(), v.strip()))
        examples = []
        for ex in fields.get("example", []):
            parts = [p.strip() for p in ex.split("|")]
            examples.append(Example(*parts))
        rules.append(
            Rule(
                name=name,
                type=fields["type"][0],
                pattern=pattern,
                regex=re.compile(pattern),
                defaults=tuple(defaults),
                examples=tuple(examples),
                determiner=fields.get("determiner", ["no"])[0].lower() in {"yes", "true"},
                needs=re.compile(expand(fields["needs"][0], tables)) if "needs" in fields else None,
            )
        )
    return rules


@cache
def tables(lang: str) -> dict[str, dict[str, str]]:
    """The tables of ``lang`` without its rules (``ValueError`` when it has no folder): what
    readers of a word list need (a dossier's tenses and date shifts), without compiling
    hundreds of patterns. ``ruleset(lang).tables`` is the same object."""
    folder = _root() / lang
    if not (folder / "rules.txt").is_file():
        raise ValueError(f"no temporal rules for language {lang!r}; have {', '.join(languages())}")
    return parse_tables((folder / "tables.txt").read_text(encoding="utf-8"))


@cache
def ruleset(lang: str) -> RuleSet:
    """The compiled rules of ``lang`` (``ValueError`` when the language has no folder)."""
    folder = _root() / lang
    table = tables(lang)
    rules = parse_rules((folder / "rules.txt").read_text(encoding="utf-8"), table)
    trigger = (
        (folder / "trigger.txt").read_text(encoding="utf-8").strip()
        if (folder / "trigger.txt").is_file()
        else ""
    )
    return RuleSet(
        lang, tuple(rules), table, re.compile(trigger) if trigger else None,
        Scanner([r.pattern for r in rules]),
    )  # fmt: skip
