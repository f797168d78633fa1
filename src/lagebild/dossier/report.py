"""A report directory: ``index.html`` listing every story, and each story's dossier as
HTML, JSON and Markdown under ``stories/``.

The index and the dossiers are plain files that open from disk with no server; ``index.json``
lists the same entries for scripts and tests.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

from lagebild import __version__
from lagebild.dossier import views
from lagebild.dossier.assemble import DossierBundle, build_bundle
from lagebild.dossier.export_html import render_html, stylesheet
from lagebild.dossier.export_json import SCHEMA, render_json
from lagebild.dossier.export_md import render_markdown
from lagebild.dossier.formats import FORMATS
from lagebild.model import Story
from lagebild.pipeline import StageFailure

if TYPE_CHECKING:
    from lagebild.app import Lagebild

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class ReportEntry:
    """One story in the report: what the index shows and where its files are."""

    story_id: str
    title: str
    articles: int
    originals: int
    outlets: tuple[str, ...]
    first: date | None
    last: date | None
    summary_lines: int
    files: tuple[str, ...]  # paths relative to the report directory
    dates: str = ""  # first and last day as the sources know them (views.story_dates_text)


def file_stem(story_id: str) -> str:
    """A file name for a story id that is safe on every file system."""
    return re.sub(r"[^\w.-]", "_", story_id)[:120] or "story"


def render(bundle: DossierBundle, fmt: str) -> str:
    """One export of a bundle: "html", "json" or "md"."""
    if fmt == "html":
        return render_html(bundle)
    if fmt == "json":
        return render_json(bundle)
    if fmt == "md":
        return render_markdown(bundle)
    raise ValueError(f"unknown dossier format {fmt!r}; use one of {', '.join(FORMATS)}")


def write_dossier(
    bundle: DossierBundle, out_dir: Path, formats: tuple[str, ...] = FORMATS
) -> ReportEntry:
    """Write a story's dossier files into ``out_dir/stories`` and describe them."""
    story = bundle.dossier.story
    stem = file_stem(story.id)
    folder = out_dir / "stories"
    folder.mkdir(parents=True, exist_ok=True)
    files = []
    for fmt in formats:
        path = folder / f"{stem}.{fmt}"
        path.write_text(render(bundle, fmt), encoding="utf-8")
        files.append(path.relative_to(out_dir).as_posix())
    first, last = views.story_dates(bundle)
    return ReportEntry(
        story_id=story.id,
        title=bundle.dossier.headline,
        articles=len(bundle.dossier.articles),
        originals=len(story.original_ids) if story.article_ids else len(bundle.dossier.articles),
        outlets=tuple(views.outlets(bundle.dossier)),
        first=first,
        last=last,
        summary_lines=len(bundle.dossier.summary),
        files=tuple(files),
        dates=views.story_dates_text(bundle),
    )


def write_report(
    app: Lagebild,
    out_dir: str | Path,
    *,
    stories: list[Story] | None = None,
    progress: Callable[[ReportEntry], None] | None = None,
    failures: list[StageFailure] | None = None,
) -> list[ReportEntry]:
    """Build and write every story's dossier (or ``stories``), then the index pages.

    A story whose dossier fails is logged, added to ``failures`` and left out of the index;
    the other dossiers and the index are written all the same.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    entries = []
    for story in app.stories() if stories is None else stories:
        try:
            docs = list(app.docs(story.article_ids))
            entry = write_dossier(build_bundle(story, docs, app.config), out)
        except Exception as exc:
            failure = StageFailure("dossier", story.id, f"{type(exc).__name__}: {exc}", "story")
            log.warning("%s", failure, exc_info=True)
            if failures is not None:
                failures.append(failure)
            continue
        entries.append(entry)
        if progress:
            progress(entry)
    (out / "index.html").write_text(index_html(entries), encoding="utf-8")
    (out / "index.json").write_text(index_json(entries), encoding="utf-8")
    return entries


def index_json(entries: list[ReportEntry]) -> str:
    data = {
        "schema": SCHEMA,
        "generator": f"lagebild {__version__}",
        "stories": [
            {
                "id": e.story_id,
                "title": e.title,
                "articles": e.articles,
                "originals": e.originals,
                "outlets": list(e.outlets),
                "first": e.first.isoformat() if e.first else None,
                "last": e.last.isoformat() if e.last else None,
                "summary_lines": e.summary_lines,
                "files": list(e.files),
            }
            for e in entries
        ],
    }
    return json.dumps(data, ensure_ascii=False, indent=1)


def index_html(entries: list[ReportEntry]) -> str:
    """The report's front page: every story with its size, outlets and dates."""
    rows = []
    for e in entries:
        html_file = next((f for f in e.files if f.endswith(".html")), "")
        links = " · ".join(
            f'<a href="{escape(f)}">{escape(f.rsplit(".", 1)[-1])}</a>' for f in e.files
        )
        outlets = ", ".join(e.outlets[:6]) + (
            f" +{len(e.outlets) - 6}" if len(e.outlets) > 6 else ""
        )
        rows.append(
            f'<tr><td><a href="{escape(html_file)}"><b>{escape(e.title)}</b></a></td>'
            f"<td>{e.articles}</td><td>{e.originals}</td><td>{escape(outlets)}</td>"
            f'<td class="date">{escape(e.dates or views.date_range(e.first, e.last))}</td><td class="date">{links}</td></tr>'
        )
    head = "<tr><th>Story</th><th>Articles</th><th>Originals</th><th>Outlets</th><th>Dates</th><th>Files</th></tr>"
    body = f"<table>{head}{''.join(rows)}</table>" if rows else '<p class="empty">No stories.</p>'
    n_articles = sum(e.articles for e in entries)
    return (
        '<!DOCTYPE html><html lang="de"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>lagebild report</title><style>{stylesheet()}</style></head><body>"
        f'<header class="top"><h1>lagebild report</h1><div class="meta"><b>{len(entries)}</b> stories · '
        f"<b>{n_articles}</b> articles</div></header><main><section><h2>Stories</h2>{body}</section>"
        f"<footer>lagebild {escape(__version__)}</footer></main></body></html>\n"
    )


__all__ = [
    "FORMATS",
    "ReportEntry",
    "file_stem",
    "index_html",
    "render",
    "write_dossier",
    "write_report",
]
