"""The CLI starts light: a command imports only its own module, and the tables that say
which module adds which command are complete."""

from __future__ import annotations

import subprocess
import sys

import click
import pytest
from click.testing import CliRunner

from lagebild import cli

HEAVY = ("numpy", "scipy", "datasketch", "trafilatura", "lxml", "sklearn", "pycrfsuite")


def _imported_after(code: str) -> set[str]:
    """Top-level packages of ``HEAVY`` imported after running ``code`` in a fresh Python."""
    probe = f"{code}\nimport sys\nprint(' '.join(sorted(sys.modules)))"
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout.split()
    return {m for m in out if m in HEAVY}


def test_version_and_the_cli_module_import_nothing_heavy() -> None:
    code = (
        "from lagebild.cli import main\ntry:\n    main(['--version'])\nexcept SystemExit:\n    pass"
    )
    assert _imported_after(code) == set()


def test_a_light_command_does_not_load_the_others() -> None:
    code = (
        "from lagebild.cli import main\n"
        "try:\n    main(['serve', '--help'])\n"
        "except SystemExit:\n    pass"
    )
    assert "datasketch" not in _imported_after(code)


def _registered() -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """Per module, the names it adds to fresh ``main`` and ``eval`` groups."""
    import importlib

    main, evals = click.Group("main"), click.Group("eval")
    top: dict[str, set[str]] = {}
    sub: dict[str, set[str]] = {}
    for name in cli.COMMAND_MODULES:
        before_top, before_sub = set(main.commands), set(evals.commands)
        importlib.import_module(name).register(main, evals)
        top[name] = set(main.commands) - before_top - {"train"}  # shared by several
        sub[name] = set(evals.commands) - before_sub
    return top, sub


def test_every_command_is_in_the_tables_under_its_module() -> None:
    top, sub = _registered()
    assert {c: m for m, names in top.items() for c in names} == dict(cli.COMMANDS)
    assert {c: m for m, names in sub.items() for c in names} == dict(cli.EVAL_COMMANDS)


@pytest.mark.parametrize("args", [["eval", "--help"], ["train", "--help"], ["--help"]])
def test_help_lists_every_command(args: list[str]) -> None:
    result = CliRunner().invoke(cli.main, args)
    assert result.exit_code == 0, result.output
    if args[0] == "eval":
        assert all(name in result.output for name in cli.EVAL_COMMANDS)
    elif args[0] == "train":
        assert "ner" in result.output and "quotes" in result.output
    else:
        assert all(name in result.output for name in cli.COMMANDS)


def test_an_unknown_command_is_refused() -> None:
    result = CliRunner().invoke(cli.main, ["no-such-command"])
    assert result.exit_code == 2 and "No such command" in result.output
