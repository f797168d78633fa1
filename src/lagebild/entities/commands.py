"""CLI commands of the entities stage: option parsing only, the work is in the library."""

from __future__ import annotations

import click


def register(main: click.Group, eval_group: click.Group) -> None:
    """Add this stage's commands to the `lagebild` group and its `eval` subgroup."""
