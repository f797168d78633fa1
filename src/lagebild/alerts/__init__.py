"""Alerts: saved watches on a search query, an entity or a story that tell when it changes.

Conditions: ``new-article``, ``new-outlet``, ``new-divergence``, ``count:N/Th`` (N matching
articles within T hours). Sinks: ``stdout``, ``jsonl:PATH``, ``webhook:URL`` (HTTP POST of the
JSON body in docs/alerts.md), ``email:ADDRESS`` (SMTP, ``[alerts]`` settings). The app checks
them after every tracking pass; each change fires an alert once and the firing is recorded.
"""

from __future__ import annotations

from lagebild.alerts.book import CONDITIONS, TARGETS, Alert, AlertBook, Firing
from lagebild.alerts.engine import Fired, check_alerts, payload_of
from lagebild.alerts.sinks import deliver

__all__ = [
    "CONDITIONS",
    "TARGETS",
    "Alert",
    "AlertBook",
    "Fired",
    "Firing",
    "check_alerts",
    "deliver",
    "payload_of",
]
