from __future__ import annotations

from pathlib import Path

import pytest

from lagebild.config import Config


def test_toml_overrides_and_unknown_keys(tmp_path: Path) -> None:
    f = tmp_path / "c.toml"
    f.write_text('languages = ["de", "fr"]\n[stories]\nquiet_days = 3\n', encoding="utf-8")
    cfg = Config.load(f)
    assert cfg.languages == ("de", "fr") and cfg.stories.quiet_days == 3
    assert Config.load(f, stories={"embeddings": True}).stories.embeddings is True
    f.write_text("[stories]\nquiet = 3\n", encoding="utf-8")
    with pytest.raises(ValueError, match="unknown config key 'quiet'"):
        Config.load(f)
