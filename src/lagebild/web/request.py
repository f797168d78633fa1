"""A request as the app reads it, and the error that turns into a 4xx answer."""

from __future__ import annotations

from dataclasses import dataclass


class HttpError(Exception):
    """A request the app cannot answer; ``status`` 400 or 404, ``message`` says why."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True, slots=True)
class Request:
    path: str  # decoded, without the mount prefix
    query: dict[str, list[str]]
    base: str  # the mount prefix (SCRIPT_NAME), "" at the root

    def arg(self, name: str, default: str = "") -> str:
        return self.query.get(name, [default])[0].strip()

    def int_arg(self, name: str, default: int, top: int) -> int:
        raw = self.arg(name)
        if not raw:
            return default
        if not raw.isdigit():
            raise HttpError(400, f"{name} must be a whole number, not {raw!r}")
        return min(int(raw), top)

    def args(self, name: str) -> tuple[str, ...]:
        """Every non-empty value given for ``name`` (``?outlet=a&outlet=b``)."""
        return tuple(v.strip() for v in self.query.get(name, []) if v.strip())


__all__ = ["HttpError", "Request"]
