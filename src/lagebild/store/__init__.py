"""Persistence: the embedded SQLite store (the only module that talks to the database)."""

from lagebild.store.sqlite import AddResult, Store

__all__ = ["AddResult", "Store"]
