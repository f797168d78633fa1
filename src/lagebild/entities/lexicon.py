"""Loaders for the entity resource files (``resources/entities/``), one cached reader each.

A language exists because its folder exists; language-neutral tables sit at the top level.
The file formats are described in ``resources/entities/README.md``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from importlib.abc import Traversable
from pathlib import Path

from lagebild.model import EntityType


@dataclass(frozen=True, slots=True)
class Rewrite:
    """One substring rewrite of the transliteration key; ``^``/``$`` anchor it to a name part."""

    pattern: str
    replacement: str
    at_start: bool = False
    at_end: bool = False
    weak: bool = False  # a folding native spellings share too (z/s, y/i): no evidence alone


@dataclass(frozen=True, slots=True)
class MediaName:
    name: str
    type: EntityType
    quoted_only: bool = False


@dataclass(frozen=True, slots=True)
class Example:
    left: str
    right: str
    op: str  # "=", "!=" or "=>"
    source: str  # file it came from, for test messages
    lang: str = "de"  # the folder's language (left side), "de" for language-neutral files


def _root() -> Traversable:
    return resources.files("lagebild") / "resources" / "entities"


@cache
def languages() -> tuple[str, ...]:
    """Languages that have a resource folder."""
    return tuple(sorted(p.name for p in _root().iterdir() if p.is_dir()))


def _lines(*parts: str) -> list[str]:
    path = _root().joinpath(*parts)
    if not path.is_file():
        return []
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            out.append(line.rstrip("\n"))
    return out


def _rewrites(*parts: str) -> tuple[Rewrite, ...]:
    out = []
    for line in _lines(*parts):
        pattern, _, rest = line.partition("\t")
        replacement, _, flag = rest.partition("\t")
        start, end = pattern.startswith("^"), pattern.endswith("$")
        weak = flag.strip() == "weak"
        out.append(Rewrite(pattern.strip("^$"), replacement.strip(), start, end, weak))
    return tuple(out)


@cache
def rewrites(lang: str) -> tuple[Rewrite, ...]:
    """The article language's own rewrites, then the language-neutral ones."""
    own = _rewrites(lang, "translit.tsv") if lang in languages() else ()
    return own + _rewrites("translit.tsv")


@cache
def media() -> tuple[MediaName, ...]:
    """Agencies, broadcasters and newspapers (language-neutral)."""
    out = []
    for line in _lines("media.tsv"):
        cols = [c.strip() for c in line.split("\t")]
        label = cols[1] if len(cols) > 1 and cols[1] else "ORG"
        flags = cols[2].split(",") if len(cols) > 2 else []
        out.append(MediaName(cols[0], label, "quoted" in flags))  # type: ignore[arg-type]
    return tuple(out)


@cache
def roles() -> dict[str, EntityType]:
    """Lower-cased role and trigger nouns of every language, with the type of the name after them."""
    out: dict[str, EntityType] = {}
    for lang in languages():
        for line in _lines(lang, "roles.tsv"):
            noun, _, label = line.partition("\t")
            out[noun.strip().casefold()] = label.strip() or "PER"  # type: ignore[assignment]
    return out


@cache
def descriptors() -> dict[str, tuple[str, str]]:
    """Lower-cased generic place/facility nouns -> ("prefix" or "suffix", class); legal forms
    ("AG", "Ltd") -> ("legal", "legal"). The class names synonyms alike ("Kosmodrom",
    "Weltraumbahnhof": "spaceport"); it defaults to the noun."""
    out: dict[str, tuple[str, str]] = {}
    for lang in languages():
        for line in _lines(lang, "descriptors.tsv"):
            cols = [c.strip() for c in line.split("\t")]
            noun = cols[0].casefold()
            where = cols[1] if len(cols) > 1 and cols[1] else "prefix"
            cls = cols[2] if len(cols) > 2 and cols[2] else ("legal" if where == "legal" else noun)
            out[noun] = (where, cls)
    return out


@cache
def org_heads() -> frozenset[str]:
    """Lower-cased last parts of hyphenated compounds that name an organisation."""
    return frozenset(
        x.strip().casefold() for lang in languages() for x in _lines(lang, "orgheads.txt")
    )


@cache
def name_heads() -> frozenset[str]:
    """Nouns that stand before a person's name, no part of it (learnt: ``entities.name_heads``)."""
    return frozenset(
        w.strip().casefold() for lang in languages() for w in _lines(lang, "name_heads.txt")
    )


@dataclass(frozen=True, slots=True)
class TaggerWords:
    """What the shipped German tagger's gazetteer (learnt from the silver NER pool by
    ``lagebild train ner``, ``ner.lexicon``) says about single words, kept as small sets
    (the whole table with its phrases and clusters costs ~40 MB; these ~5 MB)."""

    common: frozenset[str] = frozenset()  # "gO": seldom inside a name ("Spannungen")
    places: frozenset[str] = frozenset()  # "g+:LOC": often a place's name ("Serbien")
    first_names: frozenset[str] = frozenset()  # "gf:PER" and "g+:PER" ("Reinhard")
    named: frozenset[str] = frozenset()  # any g:/gf:/gl: feature: seen inside names
    surnames: frozenset[str] = frozenset()  # "gl:PER": the last word of a person's name


# the word sets of ``gazetteer.tsv.gz`` as derived from it (``python -m lagebild.entities.lexicon``
# writes it beside the model): one line per set, its words tab-joined, after a line with the
# gazetteer's sha256, so a retrained gazetteer is never read through an old derived file
WORDS_FILE = "tagger_words.tsv.gz"


@cache
def tagger_words() -> TaggerWords:
    """The word sets of the shipped tagger's gazetteer; empty when the model is not there.
    Read from the derived file when it was made from this gazetteer (~0.02 s), else worked
    out from the gazetteer's 57,000 word lines (~0.09 s: part of the start of every dossier
    that is not kept yet)."""
    from lagebild.entities.ner import default_model_dir
    from lagebild.entities.ner.lexicon import model_file
    from lagebild.errors import ModelNotAvailable

    try:
        path = model_file(default_model_dir(), "gazetteer.tsv.gz")
        data = path.read_bytes()
    except (OSError, ModelNotAvailable):
        return TaggerWords()
    derived = _derived_words(path.parent / WORDS_FILE, data)
    return derived if derived is not None else words_of_gazetteer(data)


def _derived_words(path: Path, gazetteer: bytes) -> TaggerWords | None:
    """The sets kept in ``path`` when it was derived from ``gazetteer``, else None."""
    import gzip
    import hashlib

    try:
        text = gzip.decompress(path.read_bytes()).decode("utf-8")
    except OSError:
        return None
    head, _, rest = text.partition("\n")
    if head != "gazetteer\t" + hashlib.sha256(gazetteer).hexdigest():
        return None
    sets: dict[str, frozenset[str]] = {}
    for line in rest.split("\n"):
        name, _, words = line.partition("\t")
        sets[name] = frozenset(words.split("\t")) if words else frozenset()
    if set(sets) != set(TaggerWords.__slots__):
        return None
    return TaggerWords(**sets)


def words_of_gazetteer(gazetteer: bytes) -> TaggerWords:
    """The word sets, worked out from the gazetteer's single-word lines (gzip bytes)."""
    import gzip

    common: list[str] = []
    places: list[str] = []
    firsts: list[str] = []
    named: list[str] = []
    surnames: list[str] = []
    # read whole and split, not line by line through GzipFile (~2x faster)
    for line in gzip.decompress(gazetteer).decode("utf-8").split("\n"):
        if line.startswith("W\t"):
            _, word, feats = line.split("\t")
            have = feats.split()
            if "gO" in have:
                common.append(word)
            if "g+:LOC" in have:
                places.append(word)
            if "gf:PER" in have and "g+:PER" in have:
                firsts.append(word)
            if any(f.startswith(("g:", "gf:", "gl:")) for f in have):
                named.append(word)
            if "gl:PER" in have:
                surnames.append(word)
    return TaggerWords(
        frozenset(common),
        frozenset(places),
        frozenset(firsts),
        frozenset(named),
        frozenset(surnames),
    )


def derived_words_text(gazetteer: bytes) -> bytes:
    """The derived file's bytes for ``gazetteer`` (gzip bytes): what ``tagger_words`` reads."""
    import gzip
    import hashlib

    words = words_of_gazetteer(gazetteer)
    lines = ["gazetteer\t" + hashlib.sha256(gazetteer).hexdigest()]
    lines += ["\t".join([name, *sorted(getattr(words, name))]) for name in TaggerWords.__slots__]
    # mtime 0: the same gazetteer gives the same bytes
    return gzip.compress("\n".join(lines).encode("utf-8"), 9, mtime=0)


@cache
def lower_words() -> frozenset[str]:
    """The lower-case words of the shipped tagger's word clusters (~26,000 frequent words of
    German news and the silver pool): "deutsche" is written in lower case there, "porsche"
    and "biennale" are not. Empty when the model is not there."""
    import gzip

    from lagebild.entities.ner import default_model_dir
    from lagebild.entities.ner.lexicon import model_file
    from lagebild.errors import ModelNotAvailable

    try:
        path = model_file(default_model_dir(), "clusters.tsv.gz")
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            words = (line.split("\t", 1)[0] for line in fh)
            return frozenset(w for w in words if w[:1].islower())
    except (OSError, ModelNotAvailable):
        return frozenset()


@cache
def genders() -> dict[str, str]:
    """Last parts of head nouns -> "m" or "n" (``genders.tsv`` of every language folder)."""
    out: dict[str, str] = {}
    for lang in languages():
        for line in _lines(lang, "genders.tsv"):
            part, _, gender = line.partition("\t")
            if part.strip() and gender.strip():
                out[part.strip().casefold()] = gender.strip()
    return out


def noun_gender(word: str) -> str | None:
    """The gender of a head noun by its longest listed last part ("Jagdverband" -> "m",
    "Volksblatt" -> "n"), None when no part is listed."""
    w = word.casefold()
    table = genders()
    for k in range(len(w) - 2):
        gender = table.get(w[k:])
        if gender is not None:
            return gender
    return None


def common_noun(word: str) -> bool:
    """A capitalised German word the silver data seldom has in a name (``tagger_words``)."""
    return word in tagger_words().common


@cache
def work_heads() -> frozenset[str]:
    """Nouns that announce the title of a work ("Film", "Komödie"; learnt:
    ``entities.name_heads``; and the hand-written kinds of works, ``work_nouns.txt``)."""
    return frozenset(
        w.strip().casefold()
        for lang in languages()
        for name in ("work_heads.txt", "work_nouns.txt")
        for w in _lines(lang, name)
    )


@cache
def openers() -> frozenset[str]:
    """Lower-cased function words that open a sentence and never a name (all languages:
    a tagger trained on German also reads English and French sentences)."""
    return frozenset(
        x.strip().casefold() for lang in languages() for x in _lines(lang, "openers.txt")
    )


@cache
def stopwords() -> frozenset[str]:
    """Lower-cased capitalised function words that never continue a name (all languages)."""
    return frozenset(
        x.strip().casefold() for lang in languages() for x in _lines(lang, "stopwords.txt")
    )


@cache
def word_set(lang: str, name: str) -> frozenset[str]:
    """The lower-cased entries of one language's word list (comments and blanks left out)."""
    return frozenset(x.strip().casefold() for x in _lines(lang, name))


@cache
def country_codes() -> frozenset[str]:
    """Country abbreviations that prefix compounds ("US-Präsident"), as written."""
    return frozenset(x.strip() for lang in languages() for x in _lines(lang, "countrycodes.txt"))


@cache
def territory_aliases() -> tuple[tuple[str, str], ...]:
    """``(territory code, name)`` of country names CLDR lacks ("USA", "Großbritannien")."""
    rows = (line.split("\t") for line in _lines("territories.tsv"))
    return tuple((code.strip(), name.strip()) for code, name in rows)


@cache
def org_tails() -> frozenset[str]:
    """Lower-cased words that end an organisation's name ("Forum", "Council", "Stiftung")."""
    return frozenset(x.strip().casefold() for x in _lines("orgtails.txt"))


@cache
def outlet_heads() -> frozenset[str]:
    """Lower-cased words that make a quoted capitalised name a newspaper ("Times", "Zeitung")."""
    return frozenset(x.strip().casefold() for x in _lines("outletheads.txt"))


def examples() -> list[Example]:
    """Every ``EXAMPLE:`` line of every entity resource file."""
    out = []
    files = [("translit.tsv",), ("media.tsv",), ("outletheads.txt",)] + [
        (lang, name)
        for lang in languages()
        for name in (
            "translit.tsv",
            "roles.tsv",
            "descriptors.tsv",
            "orgheads.txt",
            "countrycodes.txt",
        )
    ]
    for parts in files:
        path = _root().joinpath(*parts)
        if not path.is_file():
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            body = line.lstrip("# ").strip()
            if not body.startswith("EXAMPLE:"):
                continue
            body = body.removeprefix("EXAMPLE:").strip()
            for op in ("!=", "=>", "="):
                if f" {op} " in body:
                    left, right = body.split(f" {op} ", 1)
                    lang = parts[0] if len(parts) > 1 else "de"
                    out.append(Example(left.strip(), right.strip(), op, "/".join(parts), lang))
                    break
    return out


if __name__ == "__main__":  # after ``lagebild train ner`` wrote a new gazetteer
    from lagebild.entities.ner import default_model_dir

    model = default_model_dir()
    (model / WORDS_FILE).write_bytes(derived_words_text((model / "gazetteer.tsv.gz").read_bytes()))
