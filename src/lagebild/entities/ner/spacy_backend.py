"""An installed spaCy pipeline behind the lagebild Tagger interface (optional backend).

spaCy is not a dependency: it is imported only when asked for (``--ner spacy:NAME``), and a
missing spaCy or pipeline is a :class:`ModelNotAvailable` with the fix in its message.
spaCy runs its own tokenizer on the article text; its character offsets are ours, because
both index the same ``doc.article.text``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from lagebild.errors import ModelNotAvailable
from lagebild.model import Doc, Mention

# spaCy German (WikiNER scheme) and English (OntoNotes) labels -> ours; others are dropped.
LABEL_MAP = {
    "PER": "PER",
    "PERSON": "PER",
    "LOC": "LOC",
    "GPE": "LOC",
    "FAC": "LOC",
    "ORG": "ORG",
    "NORP": "OTH",
    "MISC": "OTH",
    "EVENT": "OTH",
    "WORK_OF_ART": "OTH",
    "PRODUCT": "OTH",
    "LAW": "OTH",
    "LANGUAGE": "OTH",
}


@dataclass
class SpacyTagger:
    nlp: Any
    name: str

    @classmethod
    def load(cls, name: str) -> SpacyTagger:
        try:
            import spacy
        except ImportError as exc:
            raise ModelNotAvailable(
                f"spaCy is not installed, so 'spacy:{name}' cannot be used "
                "(pip install 'lagebild[spacy]' and a German pipeline, or use the default 'crf')"
            ) from exc
        try:
            nlp = spacy.load(name)
        except OSError as exc:
            raise ModelNotAvailable(
                f"spaCy pipeline {name!r} is not installed "
                f"(python -m spacy download {name}, or give a path to a saved pipeline)"
            ) from exc
        return cls(nlp, name)

    def tag(self, doc: Doc) -> tuple[Mention, ...]:
        text = doc.article.text
        out = []
        for ent in self.nlp(text).ents:
            label = LABEL_MAP.get(ent.label_)
            if label:
                out.append(
                    Mention(doc.article.id, ent.start_char, ent.end_char, ent.text, label)  # type: ignore[arg-type]
                )
        return tuple(out)

    def tag_words(self, words: list[str]) -> list[str]:
        """BIO labels for a pre-tokenised sentence (spaCy's tokenizer is bypassed)."""
        from spacy.tokens import Doc as SpacyDoc

        sdoc = SpacyDoc(self.nlp.vocab, words=words)
        for _, proc in self.nlp.pipeline:
            sdoc = proc(sdoc)
        labels = ["O"] * len(words)
        for ent in sdoc.ents:
            label = LABEL_MAP.get(ent.label_)
            if not label:
                continue
            labels[ent.start] = f"B-{label}"
            for i in range(ent.start + 1, ent.end):
                labels[i] = f"I-{label}"
        return labels
