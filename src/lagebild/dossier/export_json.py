"""The dossier as versioned JSON (schema "lagebild.dossier/1", documented in docs/dossier-schema.md).

The body is ``model.to_dict(dossier)`` so a field added to the model appears without code
here; the raw input of each article is left out (it can be megabytes of HTML and is in the
store), and the derived views the record does not hold are added beside it.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

import msgspec

from lagebild import __version__
from lagebild.dossier.assemble import DossierBundle
from lagebild.model import to_dict

SCHEMA = "lagebild.dossier/1"


def _field_names(cls: type, names: dict[type, tuple[str, ...] | None]) -> tuple[str, ...] | None:
    """The field names of record class ``cls`` (None: not a record), looked up once per memo."""
    if cls not in names:
        names[cls] = (
            tuple(f.name for f in dataclasses.fields(cls))
            if dataclasses.is_dataclass(cls)
            else None
        )
    return names[cls]


def _plain(obj: Any, names: dict[type, tuple[str, ...] | None]) -> Any:
    """``model.to_dict(obj)``, faster: a 500-article dossier holds ~200,000 records and values.

    The field names of each record class are looked up once (``names`` is the caller's
    memo); plain values and lists skip the dataclass test, anything else goes to ``to_dict``.
    """
    cls = type(obj)
    if cls is str or cls is int or cls is float or cls is bool or obj is None:
        return obj
    if cls is tuple or cls is list:
        return [_plain(x, names) for x in obj]
    fields = _field_names(cls, names)
    if fields is None:
        return to_dict(obj)
    return {n: _plain(getattr(obj, n), names) for n in fields}


def _layout(bundle: DossierBundle, convert: Callable[[Any], Any]) -> dict[str, Any]:
    """The top-level JSON object; ``convert`` turns each section's records into plain data
    (or leaves them for ``_json`` to write directly). Articles are always plain dicts."""
    names: dict[type, tuple[str, ...] | None] = {}
    dossier = bundle.dossier
    copies = dict(dossier.story.duplicates)
    articles = []
    for a in dossier.articles:
        art = _plain(a, names)
        art.pop("raw", None)
        art["copy_of"] = copies.get(art["id"])
        articles.append(art)
    body = {
        name: articles if name == "articles" else convert(getattr(dossier, name))
        for name in _field_names(type(dossier), names) or ()
    }
    return {
        "schema": SCHEMA,
        **body,
        "coverage_matrix": convert(bundle.coverage),
        "coverage_over_time": [
            {"date": d.date.isoformat(), "articles": d.articles, "inferred": d.inferred}
            for d in bundle.series
        ],
        "undated_articles": bundle.undated,
        **({"since": bundle.since.to_json()} if bundle.since is not None else {}),
        "generator": f"lagebild {__version__}",
    }


def dossier_dict(bundle: DossierBundle) -> dict[str, Any]:
    """Plain JSON-able data of a dossier bundle."""
    names: dict[type, tuple[str, ...] | None] = {}
    return _layout(bundle, lambda x: _plain(x, names))


def render_json(bundle: DossierBundle, indent: int | None = 1) -> str:
    """``json.dumps(dossier_dict(bundle), ensure_ascii=False, indent=indent)``; the default
    indent is written by C code (``_indented``), or straight from the records (``_json``)
    where that cannot give the same text."""
    if indent != 1:
        return json.dumps(dossier_dict(bundle), ensure_ascii=False, indent=indent)
    layout = _layout(bundle, lambda x: x)
    try:
        return _indented(layout)
    except (TypeError, ValueError, msgspec.MsgspecError):  # NaN, a lone surrogate, ...
        return _json(layout, "\n", {})


def _float_only(obj: Any) -> float:
    if isinstance(obj, float):  # numpy's float64 (the summary's scores)
        return float(obj)
    raise TypeError(f"Object of type {type(obj).__name__} is not JSON serializable")


def _iso(obj: Any) -> str:
    if isinstance(obj, datetime | date):
        return obj.isoformat()
    raise TypeError(f"Object of type {type(obj).__name__} is not JSON serializable")


def _indented(obj: Any) -> str:
    """``json.dumps(to_dict(obj), ensure_ascii=False, indent=1)`` in three C passes, ~1.7x
    faster than ``_json`` on a 500-article dossier: msgspec turns the records into plain
    data (dates kept), the standard library's C encoder writes it on one line (its numbers
    and escapes are ``json.dumps``'s), and msgspec indents that text without touching its
    tokens. What only ``json.dumps`` in Python writes (NaN, Infinity) or cannot be encoded
    raises, and the caller falls back to ``_json``."""
    plain = msgspec.to_builtins(obj, builtin_types=(datetime, date), enc_hook=_float_only)
    line = json.dumps(plain, ensure_ascii=False, allow_nan=False, default=_iso)
    return msgspec.json.format(line.encode(), indent=1).decode()


_ENCODE = json.encoder.encode_basestring  # the C version when available


def _scalar(obj: Any) -> str:
    """One JSON value that is not a container, written as ``json.dumps`` writes it."""
    if isinstance(obj, str):
        return _ENCODE(obj)
    if obj is None:
        return "null"
    if obj is True:
        return "true"
    if obj is False:
        return "false"
    if isinstance(obj, int):
        return int.__repr__(obj)
    if isinstance(obj, float):
        if obj != obj:
            return "NaN"
        if obj in (float("inf"), float("-inf")):
            return "Infinity" if obj > 0 else "-Infinity"
        return float.__repr__(obj)
    raise TypeError(f"Object of type {type(obj).__name__} is not JSON serializable")


def _key(key: Any) -> str:
    if isinstance(key, str):
        return _ENCODE(key)
    if isinstance(key, bool | int | float) or key is None:
        return _ENCODE(_scalar(key))
    raise TypeError(f"keys must be str, int, float, bool or None, not {type(key).__name__}")


def _json(obj: Any, newline: str, names: dict[type, tuple[str, ...] | None]) -> str:
    """``json.dumps(to_dict(obj), ensure_ascii=False, indent=1)``, character for character.

    The standard library writes indented JSON in pure Python through generators, and
    ``to_dict`` first copies every record into a dict: for the ~700,000 values of a
    500-article dossier this is three times faster. ``newline`` is the line break plus the
    indentation of the level ``obj`` stands on.
    """
    cls = type(obj)
    if cls is str:
        return _ENCODE(obj)
    if cls is int:
        return int.__repr__(obj)
    inner = newline + " "
    sep = "," + inner
    if cls is list or cls is tuple:
        if not obj:
            return "[]"
        items = [
            _ENCODE(v)
            if type(v) is str
            else int.__repr__(v)
            if type(v) is int
            else _json(v, inner, names)
            for v in obj
        ]
        return "[" + inner + sep.join(items) + newline + "]"
    fields = _field_names(cls, names)
    if fields is not None:
        pairs = [(n, getattr(obj, n)) for n in fields]
    elif isinstance(obj, datetime | date):
        return _ENCODE(obj.isoformat())
    elif isinstance(obj, tuple | list):
        return _json(list(obj), newline, names)
    elif isinstance(obj, dict):
        pairs = list(obj.items())
    else:
        return _scalar(obj)
    if not pairs:
        return "{}"
    items = [
        (_ENCODE(k) if type(k) is str else _key(k))
        + ": "
        + (
            _ENCODE(v)
            if type(v) is str
            else int.__repr__(v)
            if type(v) is int
            else _json(v, inner, names)
        )
        for k, v in pairs
    ]
    return "{" + inner + sep.join(items) + newline + "}"


__all__ = ["SCHEMA", "dossier_dict", "render_json"]
