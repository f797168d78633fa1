"""Dossier stage: one cited document per story, and its Markdown, HTML and JSON exports.

``build_dossier(story, docs, config)`` is pure (no I/O); ``build_bundle`` adds the coverage
matrix and the articles per day for the exports; ``render_markdown``/``render_html``/
``render_json`` turn a bundle into text; ``write_report`` writes a whole report directory.
"""

from typing import TYPE_CHECKING

from lagebild.lazy import exports

if TYPE_CHECKING:
    from lagebild.dossier.assemble import DossierBundle, build_bundle, build_dossier
    from lagebild.dossier.export_html import render_html
    from lagebild.dossier.export_json import SCHEMA, dossier_dict, render_json
    from lagebild.dossier.export_md import render_markdown
    from lagebild.dossier.summary import summarize

# imported on first use, so that a command using one helper of the package loads only that
__getattr__ = exports(
    __name__,
    {
        **dict.fromkeys(("DossierBundle", "build_bundle", "build_dossier"), "assemble"),
        "render_html": "export_html",
        **dict.fromkeys(("SCHEMA", "dossier_dict", "render_json"), "export_json"),
        "render_markdown": "export_md",
        "summarize": "summary",
    },
)

__all__ = [
    "SCHEMA",
    "DossierBundle",
    "build_bundle",
    "build_dossier",
    "dossier_dict",
    "render_html",
    "render_json",
    "render_markdown",
    "summarize",
]
