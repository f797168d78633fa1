"""lagebild: offline-first news intelligence.

The public API is this list; everything else is internal and may change.
"""

# first: its finder decides, for every hot module imported later, compiled twin or source
from lagebild import _compiled  # noqa: F401
from lagebild.config import Config
from lagebild.errors import IngestError, LagebildError, Rejection
from lagebild.model import (
    Article,
    Citation,
    DateWindow,
    Doc,
    Dossier,
    Entity,
    Fact,
    Mention,
    Quote,
    Sentence,
    Story,
    TimeExpr,
    Token,
)
from lagebild.pipeline import Pipeline

__version__ = "0.1.0"

__all__ = [
    "Article",
    "Citation",
    "Config",
    "DateWindow",
    "Doc",
    "Dossier",
    "Entity",
    "Fact",
    "IngestError",
    "LagebildError",
    "Mention",
    "Pipeline",
    "Quote",
    "Rejection",
    "Sentence",
    "Story",
    "TimeExpr",
    "Token",
    "__version__",
]
