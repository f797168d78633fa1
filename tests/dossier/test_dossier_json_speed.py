"""The fast JSON writer must give exactly what ``json.dumps`` gives for the same data."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from lagebild.dossier import dossier_dict, render_json
from lagebild.dossier.export_json import _json
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


def test_fast_writer_matches_json_dumps_on_awkward_values() -> None:
    record = _Outer(
        name='Zitat „mit“ "Anführung" \\ und\nZeilenumbruch \u2028 ü',
        items=(
            _Inner(date(2024, 6, 3), 0.1, ("a", "b")),
            _Inner(datetime(2024, 6, 3, 12, 30, tzinfo=UTC), math.nan),
            _Inner(date(1950, 1, 1), -math.inf),
            _Inner(date(1950, 1, 1), 1e-300, ()),
        ),
        table={"x": [1, 2.5, True, None, {}], 3: "drei", 1.5: [], None: {"y": ()}, True: 0},
        flag=True,
    )
    assert _json(record, "\n", {}) == json.dumps(to_dict(record), ensure_ascii=False, indent=1)
    for value in ([], {}, "", 0, -7, 2.0, None, False, [[[]]], {"a": {"b": [1]}}):
        assert _json(value, "\n", {}) == json.dumps(value, ensure_ascii=False, indent=1)
