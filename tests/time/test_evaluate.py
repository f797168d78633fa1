"""The TempEval-3 scorer and the TimeML reader/writer on small hand-made documents."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from lagebild.time.evaluate import Timex, parse_timeml, predict, score, write_timeml

DOC = """<?xml version="1.0" ?>
<TimeML>
<DOCID>d1</DOCID>
<DCT><TIMEX3 tid="t0" type="DATE" value="2023-09-13" functionInDocument="CREATION_TIME">2023-09-13</TIMEX3></DCT>
<TEXT>
Kim ist am <TIMEX3 tid="t1" type="DATE" value="2023-09-12">Dienstag</TIMEX3> eingetroffen &amp; bleibt <TIMEX3 tid="t2" type="DURATION" value="P3D">drei Tage</TIMEX3>.
</TEXT>
<TIMEX3 tid="t5" type="DATE" value="PAST_REF" temporalFunction="false" />
</TimeML>
"""


def test_parse_timeml_offsets_and_entities() -> None:
    doc = parse_timeml(DOC, "d1.tml")
    assert doc.dct is not None and doc.dct.isoformat() == "2023-09-13"
    assert "&" in doc.text and "<" not in doc.text
    assert [(doc.text[t.start : t.end], t.type, t.value) for t in doc.timexes] == [
        ("Dienstag", "DATE", "2023-09-12"),
        ("drei Tage", "DURATION", "P3D"),
    ]


def test_score_strict_relaxed_and_attributes() -> None:
    gold = [
        Timex(0, 8, "Dienstag", "DATE", "2023-09-12"),
        Timex(20, 29, "drei Tage", "DURATION", "P3D"),
    ]
    pred = [
        Timex(0, 8, "Dienstag", "DATE", "2023-09-12"),
        Timex(16, 29, "für drei Tage", "DURATION", "P4D"),
        Timex(40, 44, "x", "DATE", "2023"),
    ]
    s = score([(gold, pred)])
    assert s.strict_p == pytest.approx(1 / 3) and s.strict_r == pytest.approx(1 / 2)
    assert s.relaxed_p == pytest.approx(2 / 3) and s.relaxed_r == pytest.approx(1.0)
    assert s.value_f1 == pytest.approx(2 * (1 / 3) * (1 / 2) / (1 / 3 + 1 / 2))  # 1 correct value
    assert s.type_f1 == pytest.approx(2 * (2 / 3) * 1 / (2 / 3 + 1))


def test_write_timeml_round_trips() -> None:
    doc = parse_timeml(DOC, "d1.tml")
    ours = predict(doc)
    back = parse_timeml(write_timeml(doc, ours), "d1.tml")
    assert back.text == doc.text
    assert [(t.start, t.end, t.value) for t in back.timexes] == [
        (t.start, t.end, t.value) for t in ours
    ]
    assert ("Dienstag", "2023-09-12") in {(t.text, t.value) for t in ours}


def test_cli_eval_time_json_and_write(tmp_path) -> None:
    from lagebild.cli import main

    gold = tmp_path / "TINY"
    gold.mkdir()
    (gold / "d1.tml").write_text(DOC, encoding="utf-8")
    ht = tmp_path / "TINY_Heideltime"
    ht.mkdir()
    (ht / "d1.tml").write_text(
        DOC.replace('<TIMEX3 tid="t2" type="DURATION" value="P3D">drei Tage</TIMEX3>', "drei Tage"),
        encoding="utf-8",
    )
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["eval", "time", str(gold), "--json", "--write", str(out)])
    assert result.exit_code == 0, result.output
    assert "HeidelTime" in result.output
    last = json.loads(result.output.strip().splitlines()[-1])
    assert last["documents"] == 1
    assert set(last["lagebild"]) == {"strict_f1", "relaxed_f1", "value_f1", "type_f1"}
    assert last["heideltime"]["strict_f1"] == pytest.approx(66.67, abs=0.01)
    assert (out / "d1.tml").is_file()


def test_cli_eval_time_on_a_folder_without_timeml_is_a_usage_error(tmp_path) -> None:
    from click.testing import CliRunner

    from lagebild.cli import main

    result = CliRunner().invoke(main, ["eval", "time", str(tmp_path)])
    assert result.exit_code == 2 and "no TimeML files" in result.output
