"""`train … --check`: a rebuild is compared with the shipped files, byte for byte or under
the documented tolerance of its kind, and any difference fails."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from click.testing import CliRunner

from lagebild.cli import main
from lagebild.reproduce import NPZ_ATOL, check_build, compare, compare_file, print_checks


def _write(folder: Path, files: dict[str, bytes]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return folder


def test_the_same_bytes_pass_and_one_changed_byte_fails(tmp_path) -> None:
    ship = _write(tmp_path / "ship", {"model.json": b'{"w": 1}\n', "MODEL_CARD.md": b"card"})
    same = _write(tmp_path / "same", {"model.json": b'{"w": 1}\n'})
    other = _write(tmp_path / "other", {"model.json": b'{"w": 2}\n'})
    assert [(c.name, c.ok) for c in compare(ship, same)] == [("model.json", True)]
    assert [(c.name, c.ok) for c in compare(ship, other)] == [("model.json", False)]


def test_a_file_only_one_side_has_fails(tmp_path) -> None:
    ship = _write(tmp_path / "ship", {"a.json": b"1", "b.tsv": b"x"})
    built = _write(tmp_path / "built", {"a.json": b"1", "c.tsv": b"y"})
    got = {c.name: c.how for c in compare(ship, built)}
    assert got == {"a.json": "same bytes", "b.tsv": "not rebuilt", "c.tsv": "not shipped"}


def test_meta_json_may_differ_only_in_its_timings(tmp_path) -> None:
    def meta(seconds: float, c1: float) -> bytes:
        return json.dumps({"train_seconds": seconds, "settings": {"c1": c1}}).encode()

    ship = _write(tmp_path / "ship", {"meta.json": meta(45.5, 0.05)})
    slower = _write(tmp_path / "slower", {"meta.json": meta(61.0, 0.05)})
    changed = _write(tmp_path / "changed", {"meta.json": meta(45.5, 0.1)})
    assert compare_file(ship / "meta.json", slower / "meta.json").ok
    assert not compare_file(ship / "meta.json", changed / "meta.json").ok


def test_arrays_pass_within_the_tolerance_only(tmp_path) -> None:
    def npz(folder: str, w: np.ndarray) -> Path:
        path = tmp_path / folder / "head.npz"
        path.parent.mkdir()
        np.savez(path, w=w)
        return path

    w = np.linspace(-1, 1, 12).reshape(3, 4)
    ship = npz("ship", w)
    assert compare_file(ship, npz("near", w + NPZ_ATOL / 10)).ok
    assert not compare_file(ship, npz("far", w + NPZ_ATOL * 10)).ok
    assert not compare_file(ship, npz("shape", w.reshape(4, 3))).ok


def test_check_build_runs_the_build_in_a_scratch_folder_and_reports(tmp_path) -> None:
    ship = _write(tmp_path / "ship", {"model.json": b"[1]"})
    seen: list[Path] = []

    def build(out: Path) -> None:
        seen.append(out)
        (out / "model.json").write_bytes(b"[1]")

    checks = check_build("toy", build, shipped=ship)
    lines: list[str] = []
    assert print_checks("toy", checks, lines.append)
    assert not seen[0].exists()  # the scratch folder is gone afterwards
    assert lines[-1] == "toy: rebuilt as shipped (1 files)"
    assert not print_checks("toy", [], lines.append)  # nothing compared is no pass


def test_train_commands_want_an_out_folder_or_check(tmp_path) -> None:
    # explicit data folders: the defaults are relative to the working directory
    for cmd in (
        ["train", "authors", "--wcxb", str(tmp_path)],
        ["train", "ner", "--data", str(tmp_path)],
    ):
        result = CliRunner().invoke(main, cmd)
        assert result.exit_code == 2 and "--check" in result.output, result.output
