"""The dossier as versioned JSON (schema "lagebild.dossier/1", documented in docs/dossier-schema.md).

The body is ``model.to_dict(dossier)`` so a field added to the model appears without code
here; the raw input of each article is left out (it can be megabytes of HTML and is in the
store), and the derived views the record does not hold are added beside it.
"""

from __future__ import annotations

import json
from typing import Any

from lagebild import __version__
from lagebild.dossier.assemble import DossierBundle
from lagebild.model import to_dict

SCHEMA = "lagebild.dossier/1"


def dossier_dict(bundle: DossierBundle) -> dict[str, Any]:
    """Plain JSON-able data of a dossier bundle."""
    body = to_dict(bundle.dossier)
    for art in body["articles"]:
        art.pop("raw", None)
    copies = dict(bundle.dossier.story.duplicates)
    for art in body["articles"]:
        art["copy_of"] = copies.get(art["id"])
    return {
        "schema": SCHEMA,
        **body,
        "coverage_matrix": to_dict(bundle.coverage),
        "coverage_over_time": [
            {"date": d.date.isoformat(), "articles": d.articles, "inferred": d.inferred}
            for d in bundle.series
        ],
        "undated_articles": bundle.undated,
        "generator": f"lagebild {__version__}",
    }


def render_json(bundle: DossierBundle, indent: int | None = 1) -> str:
    return json.dumps(dossier_dict(bundle), ensure_ascii=False, indent=indent)


__all__ = ["SCHEMA", "dossier_dict", "render_json"]
