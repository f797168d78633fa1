from __future__ import annotations

from pathlib import Path

import pytest

from lagebild.config import Config
from lagebild.errors import ConfigError


def test_toml_overrides_and_unknown_keys(tmp_path: Path) -> None:
    f = tmp_path / "c.toml"
    f.write_text('languages = ["de", "fr"]\n[stories]\nquiet_days = 3\n', encoding="utf-8")
    cfg = Config.load(f)
    assert cfg.languages == ("de", "fr") and cfg.stories.quiet_days == 3
    assert Config.load(f, stories={"embeddings": True}).stories.embeddings is True
    f.write_text("[stories]\nquiet = 3\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"unknown key 'stories\.quiet'"):
        Config.load(f)


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ("garbage = [", "Invalid value"),
        ('languages = "de"', "languages must be a list of strings"),
        ("stories = 3", r"\[stories\] must be a table"),
        ('[stories]\nquiet_days = "soon"', "stories.quiet_days must be float"),
        ("[stories]\nembeddings = 1", "stories.embeddings must be bool"),
        ("[dossier]\nsummary_min = 2.5", "dossier.summary_min must be int"),
    ],
)
def test_bad_config_files_are_named_errors(tmp_path: Path, toml: str, message: str) -> None:
    f = tmp_path / "c.toml"
    f.write_text(toml + "\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=message) as err:
        Config.load(f)
    assert str(f) in str(err.value)


def test_cli_reports_a_bad_config_in_one_line(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from lagebild.cli import main

    f = tmp_path / "c.toml"
    f.write_text("[stories]\nquiet = 3\n", encoding="utf-8")
    result = CliRunner().invoke(
        main, ["--config", str(f), "--db", str(tmp_path / "x.db"), "articles"]
    )
    assert result.exit_code == 2 and "unknown key 'stories.quiet'" in result.stderr
    assert "Traceback" not in result.output


def test_unknown_language_code_stops_ingest_with_one_line(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from lagebild.cli import main

    f = tmp_path / "c.toml"
    f.write_text('languages = ["de", "xx"]\n', encoding="utf-8")
    doc = tmp_path / "a.txt"
    doc.write_text(
        "Titel\n\n" + "Die Stadt hat am Montag ein neues Rathaus eröffnet. " * 6, encoding="utf-8"
    )
    result = CliRunner().invoke(
        main, ["--config", str(f), "--db", str(tmp_path / "x.db"), "ingest", str(doc)]
    )
    assert result.exit_code == 2 and "unknown language code 'xx'" in result.stderr
