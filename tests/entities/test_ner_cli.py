"""`lagebild eval ner` and `lagebild train ner` as registered by register_ner."""

from __future__ import annotations

import json
from pathlib import Path

import click
from click.testing import CliRunner

from lagebild.entities.ner.commands import register_ner

SAMPLE = """#\thttp://example.org\t[2023-09-13]
1\tDer\tO\tO
2\trussische\tB-LOCderiv\tO
3\tPräsident\tO\tO
4\tWladimir\tB-PER\tO
5\tPutin\tI-PER\tO
6\ttraf\tO\tO
7\tKim\tB-PER\tO
8\tJong-un\tI-PER\tO
9\tin\tO\tO
10\tWladiwostok\tB-LOC\tO
11\t.\tO\tO

#\thttp://example.org\t[2023-09-13]
1\tDie\tO\tO
2\tNachrichtenagentur\tO\tO
3\tYonhap\tB-ORG\tO
4\tberichtete\tO\tO
5\taus\tO\tO
6\tSeoul\tB-LOC\tO
7\t.\tO\tO

"""


def _cli() -> click.Group:
    @click.group()
    def main() -> None:
        pass

    @main.group("eval")
    def eval_group() -> None:
        pass

    register_ner(main, eval_group)
    return main


def test_eval_ner_json_and_write(tmp_path: Path) -> None:
    src = tmp_path / "sample.tsv"
    src.write_text(SAMPLE, encoding="utf-8")
    out = tmp_path / "pred.tsv"
    result = CliRunner().invoke(_cli(), ["eval", "ner", str(src), "--json", "--write", str(out)])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output.strip().splitlines()[-1])
    assert {"precision", "recall", "f1", "per_class", "tokens_per_s"} <= payload.keys()
    assert set(payload["per_class"]) == {"PER", "LOC", "ORG", "OTH"}
    assert payload["f1"] >= 60
    assert "GELECTRA" in result.output  # the published anchors are printed beside our figure
    rows = [
        r.split("\t") for r in out.read_text(encoding="utf-8").splitlines() if r and r[0].isdigit()
    ]
    assert len(rows) == 18 and rows[3][1] == "Wladimir" and rows[3][2] == "B-PER"


def test_train_group_and_usage_error(tmp_path: Path) -> None:
    cli = _cli()
    assert "ner" in cli.commands["train"].commands  # type: ignore[attr-defined]
    result = CliRunner().invoke(cli, ["eval", "ner"])
    assert result.exit_code != 0 and "--cv" in result.output


def test_eval_ner_scores_the_whole_stage_on_the_gold_tokens(tmp_path: Path) -> None:
    src = tmp_path / "sample.tsv"
    src.write_text(SAMPLE, encoding="utf-8")
    out = tmp_path / "pred.tsv"
    args = ["eval", "ner", str(src), "--stage", "--json", "--write", str(out)]
    result = CliRunner().invoke(_cli(), args)
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output.strip().splitlines()[-1])
    assert payload["stage"] is True and payload["f1"] >= 60
    rows = [line.split("\t") for line in out.read_text().splitlines() if line[:1].isdigit()]
    assert len(rows) == 18  # one prediction per gold token: spans map back one to one
    assert [r[1] for r in rows if r[2] == "B-PER"][:2] == ["Wladimir", "Kim"]
