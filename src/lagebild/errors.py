"""Exceptions and rejection records.

A rejected input is data, not ``None``: it names the stage, the input and the reason, is
counted and shown, and never stops a batch.
"""

from __future__ import annotations

from dataclasses import dataclass


class LagebildError(Exception):
    """Base class of every error lagebild raises on purpose."""


class IngestError(LagebildError):
    """An input that cannot become an article; ``reason`` is one short, specific sentence."""

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason


class ConfigError(LagebildError):
    """A configuration file or override that cannot be read, or names an unknown key or a
    value of the wrong type."""


class StoreError(LagebildError):
    """The database is missing, of a newer schema, or inconsistent."""


class NotFound(StoreError):
    """No stored record has the id (or id prefix) asked for; the web answers 404, not 400."""


class ModelNotAvailable(LagebildError):
    """An optional model or backend was asked for but is not installed."""


@dataclass(frozen=True, slots=True)
class Rejection:
    """One input a stage turned down, and why."""

    source: str
    stage: str
    reason: str


__all__ = [
    "ConfigError",
    "IngestError",
    "LagebildError",
    "ModelNotAvailable",
    "NotFound",
    "Rejection",
    "StoreError",
]
