"""A story's dossier as text, built once per story version and kept in the store.

``dossier_text`` is what ``lagebild dossier``, ``/story/ID`` and ``/api/story/ID`` show: the
story's dossier with the "since …" section of its last update. The first call for a version
builds the dossier and keeps all three formats (one build serves them all); later calls, from
any process on the same database, read the kept text until the story changes (see
``store/dossiers.py`` for where and why). A dossier asked for with an explicit ``since`` is
built every time (it depends on the time given).
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import datetime
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING

from lagebild import __version__
from lagebild.config import Config
from lagebild.dossier.report import FORMATS, render

if TYPE_CHECKING:
    from lagebild.app import Lagebild
    from lagebild.model import Story


@cache
def code_fingerprint() -> str:
    """This installation of lagebild: its version and the size and time of every file of the
    package, so a dossier rendered by other code (an upgrade, an edited checkout) is rebuilt."""
    h = hashlib.blake2b(__version__.encode(), digest_size=16)
    root = resources.files("lagebild")
    stack = [root]
    entries = []
    while stack:
        for item in stack.pop().iterdir():
            if item.name == "__pycache__":
                continue
            if item.is_dir():
                stack.append(item)
                continue
            try:
                st = item.stat()  # type: ignore[attr-defined]
                entries.append(f"{item}:{st.st_size}:{st.st_mtime_ns}")
            except AttributeError:  # a package not on the file system (a zip)
                entries.append(str(item))
    for entry in sorted(entries):
        h.update(entry.encode())
    return h.hexdigest()


def salt(config: Config) -> str:
    """What besides the stored records decides a dossier's text."""
    return f"{code_fingerprint()}\x00{config!r}"


def dossier_text(app: Lagebild, story: Story, fmt: str, since: datetime | None = None) -> str:
    """The rendered dossier of ``story`` in ``fmt`` (``html``, ``json``, ``md``)."""
    from lagebild.dossier.assemble import build_bundle
    from lagebild.dossier.since import since_of
    from lagebild.store import dossiers

    if fmt not in FORMATS:
        raise ValueError(f"unknown dossier format {fmt!r}; use one of {', '.join(FORMATS)}")
    key = "" if since is not None else dossiers.version_key(app.store, story.id, salt(app.config))
    if key:
        if (text := dossiers.cached(app.store, story.id, fmt, key)) is not None:
            return text
        # read after the key: a kept text is never older than the state its key names
        story = app.store.story(story.id)
    bundle = build_bundle(story, list(app.docs(story.article_ids)), app.config)
    bundle = replace(bundle, since=since_of(app, story, since))
    if not key:
        return render(bundle, fmt)
    texts = {f: render(bundle, f) for f in FORMATS}
    dossiers.keep(app.store, story.id, key, texts, app.config.dossier.cache_mb * 1_000_000)
    return texts[fmt]
