"""The fast JSON writer must give exactly what ``json.dumps`` gives for the same data."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

import numpy as np
import pytest

from lagebild.dossier import dossier_dict, export_json, render_json
from lagebild.dossier.export_json import _indented, _json
from lagebild.model import to_dict


@dataclass(frozen=True)
class _Inner:
    when: date
    score: float
    tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Outer:
    name: str
    items: tuple[_Inner, ...]
    table: dict = field(default_factory=dict)
    empty: tuple = ()
    flag: bool = False
    nothing: None = None


def test_render_json_is_json_dumps_of_dossier_dict(full_bundle) -> None:
    expected = json.dumps(dossier_dict(full_bundle), ensure_ascii=False, indent=1)
    assert render_json(full_bundle) == expected
    assert render_json(full_bundle, indent=None) == json.dumps(
        dossier_dict(full_bundle), ensure_ascii=False
    )


def _awkward(score: float) -> _Outer:
    return _Outer(
        name='Zitat „mit“ "Anführung" \\ und\nZeilenumbruch \u2028 ü',
        items=(
            _Inner(date(2024, 6, 3), 0.1, ("a", "b")),
            _Inner(datetime(2024, 6, 3, 12, 30, tzinfo=UTC), score),
            _Inner(date(1950, 1, 1), -score),
            _Inner(date(1950, 1, 1), 1e-300, ()),
        ),
        table={"x": [1, 2.5, True, None, {}], 3: "drei", 1.5: [], None: {"y": ()}, True: 0},
        flag=True,
    )


def test_fast_writer_matches_json_dumps_on_awkward_values() -> None:
    for record in (_awkward(math.nan), _awkward(math.inf), _awkward(1e-300)):
        expected = json.dumps(to_dict(record), ensure_ascii=False, indent=1)
        assert _json(record, "\n", {}) == expected
    for value in ([], {}, "", 0, -7, 2.0, None, False, [[[]]], {"a": {"b": [1]}}):
        assert _json(value, "\n", {}) == json.dumps(value, ensure_ascii=False, indent=1)


def test_c_writer_matches_json_dumps_or_refuses() -> None:
    """``_indented`` gives ``json.dumps``'s text wherever it answers (numbers in exponent
    form, escapes, numpy scores, keys that are not strings), and refuses what only the
    Python writer can write; ``render_json`` then falls back to ``_json``."""
    record = _awkward(1e-05)
    assert _indented(record) == json.dumps(to_dict(record), ensure_ascii=False, indent=1)
    scores = [np.float64(0.8111), 1e16, 2.5e-8, -0.0, 10**30]
    assert _indented(scores) == json.dumps([float(x) for x in scores[:4]] + [10**30], indent=1)
    for value in ([], {}, "", 0, -7, 2.0, None, False, [[[]]], {"a": {"b": [1]}}):
        assert _indented(value) == json.dumps(value, ensure_ascii=False, indent=1)
    with pytest.raises(ValueError):
        _indented(_awkward(math.nan))
    with pytest.raises(ValueError):
        _indented(["\ud800"])  # a lone surrogate


def test_render_json_falls_back_where_the_c_writer_refuses(monkeypatch) -> None:
    record = _awkward(math.inf)
    monkeypatch.setattr(export_json, "_layout", lambda bundle, convert: record)
    expected = json.dumps(to_dict(record), ensure_ascii=False, indent=1)
    assert render_json(None) == expected  # type: ignore[arg-type]
