"""The per-language word lists of the quote rules, read from ``resources/quotes/<lang>/``.

A language exists because its folder exists; every file carries ``EXAMPLE:`` lines that the
tests run through the extractor.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources


@dataclass(frozen=True, slots=True)
class Cue:
    """A verb of saying: its lemma, its separable particle, and whether it needs a clause."""

    lemma: str
    particle: str = ""
    needs_clause: bool = False


@dataclass(frozen=True, slots=True)
class Lexicon:
    lang: str
    cues: dict[str, tuple[Cue, ...]]  # by base lemma (particle verbs also by joined lemma)
    before: frozenset[str]  # "laut X"
    after: frozenset[str]  # "X zufolge"
    attribution_nouns: tuple[str, ...]
    comma_so: frozenset[str]
    impersonal: frozenset[str]
    roles: dict[str, str]  # role noun -> "person" | "media" | "org"
    role_tails: dict[str, tuple[int, str]]  # lower-case role noun (5+ letters) -> (order, kind)
    pronouns: dict[str, str]  # lower-case pronoun -> antecedent kind
    words: dict[str, frozenset[str]]  # closed classes from grammar.txt
    examples: tuple[str, ...]

    def cls(self, name: str) -> frozenset[str]:
        return self.words.get(name, frozenset())

    @property
    def svo(self) -> bool:
        """Whether nouns go lower case and the subject before the verb (English, French): the
        speaker rules then read phrases by word order, not by capitals as in German."""
        return self.lang != "de"

    def role_kind(self, word: str) -> str | None:
        """The kind of speaker a role noun stands for; compounds count by their last part."""
        if word in self.roles:
            return self.roles[word]
        tail = word.rsplit("-", 1)[-1]
        for form in (
            tail,
            tail[:-2] if tail.endswith("en") else tail,
            tail[:-1] if tail.endswith(("n", "s")) else tail,
        ):
            if form in self.roles:
                return self.roles[form]
        low = word.lower()
        # compounds ("Regierungssprecher"): the first role noun (file order) the word ends in
        hits = [
            self.role_tails[low[i:]] for i in range(3, len(low) - 4) if low[i:] in self.role_tails
        ]
        return min(hits)[1] if hits else None


def languages() -> list[str]:
    """Every language with a folder under resources/quotes."""
    root = resources.files("lagebild") / "resources" / "quotes"
    return sorted(p.name for p in root.iterdir() if p.is_dir())


def resource_lines(lang: str, name: str) -> list[str]:
    """The lines of ``resources/quotes/<lang>/<name>`` ([] when the file is missing)."""
    path = resources.files("lagebild") / "resources" / "quotes" / lang / name
    try:
        return path.read_text(encoding="utf-8").splitlines()
    except (FileNotFoundError, OSError):
        return []


@cache
def lexicon(lang: str) -> Lexicon:
    """The word lists for ``lang`` (German when the language has no folder)."""
    if lang not in languages():
        lang = "de"
    examples: list[str] = []

    def body(name: str) -> list[str]:
        out = []
        for raw in resource_lines(lang, name):
            line = raw.strip()
            if line.startswith("# EXAMPLE:"):
                examples.append(line.split(":", 1)[1].strip())
            elif line and not line.startswith("#"):
                out.append(line)
        return out

    cues: dict[str, list[Cue]] = {}
    for line in body("cues.txt"):
        needs = line.endswith("+")
        base, _, particle = line.rstrip("+").partition("|")
        cue = Cue(base, particle, needs)
        cues.setdefault(base, []).append(cue)
        if particle:
            cues.setdefault(particle + base, []).append(Cue(particle + base, "", needs))
    before: set[str] = set()
    after: set[str] = set()
    nouns: list[str] = []
    comma_so: set[str] = set()
    impersonal: set[str] = set()
    for line in body("attributions.txt"):
        kind, *rest = line.split()
        if kind == "before":
            before.update(rest)
        elif kind == "after":
            after.update(rest)
        elif kind == "nouns":
            nouns.extend(rest)
        elif kind == "comma-so":
            comma_so.update(rest)
        elif kind == "impersonal":
            impersonal.update(rest)
    roles: dict[str, str] = {}
    for line in body("roles.txt"):
        kind, *rest = line.split()
        for word in rest:
            roles.setdefault(word, kind)
    tails: dict[str, tuple[int, str]] = {}
    for order, (noun, kind) in enumerate(roles.items()):
        if len(noun) >= 5:
            tails.setdefault(noun.lower(), (order, kind))
    pronouns: dict[str, str] = {}
    for line in body("pronouns.txt"):
        kind, word = line.split()[:2]
        pronouns.setdefault(word, kind)
    words: dict[str, frozenset[str]] = {}
    for line in body("grammar.txt"):
        name, *rest = line.split()
        words[name] = frozenset(rest)
    return Lexicon(
        lang=lang,
        cues={k: tuple(v) for k, v in cues.items()},
        before=frozenset(before),
        after=frozenset(after),
        attribution_nouns=tuple(dict.fromkeys(nouns)),
        comma_so=frozenset(comma_so),
        impersonal=frozenset(impersonal),
        roles=roles,
        role_tails=tails,
        pronouns=pronouns,
        words=words,
        examples=tuple(examples),
    )
