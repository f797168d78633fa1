"""Where a firing goes: a JSON Lines file, standard output, a webhook, e-mail over SMTP.

Every sink gets the same JSON body (``docs/alerts.md`` documents it). A sink that fails is
reported for that firing; the other sinks still get it.
"""

from __future__ import annotations

import json
import os
import smtplib
import sys
import urllib.error
import urllib.request
from collections.abc import Sequence
from email.message import EmailMessage
from typing import Any

from lagebild.config import AlertsConfig


def deliver(payload: dict[str, Any], sinks: Sequence[str], config: AlertsConfig) -> dict[str, str]:
    """Send ``payload`` to every sink; sink -> "ok" or the reason it failed."""
    results: dict[str, str] = {}
    for sink in sinks:
        try:
            _send(sink, payload, config)
            results[sink] = "ok"
        except (OSError, smtplib.SMTPException, ValueError) as exc:
            results[sink] = f"failed: {_reason(exc)}"
    return results


def _send(sink: str, payload: dict[str, Any], config: AlertsConfig) -> None:
    line = json.dumps(payload, ensure_ascii=False)
    if sink == "stdout":
        sys.stdout.write(line + "\n")
        sys.stdout.flush()
    elif sink.startswith("jsonl:"):
        with open(sink.removeprefix("jsonl:"), "a", encoding="utf-8") as fh:
            fh.write(line + "\n")
    elif sink.startswith("webhook:"):
        _post(sink.removeprefix("webhook:"), line.encode("utf-8"), config.timeout)
    elif sink.startswith("email:"):
        _mail(sink.removeprefix("email:").split(","), payload, config)
    else:
        raise ValueError(f"unknown sink {sink!r}")


def _post(url: str, body: bytes, timeout: float) -> None:
    req = urllib.request.Request(
        url,
        data=body,
        method="POST",
        headers={"Content-Type": "application/json", "User-Agent": "lagebild-alerts/1"},
    )
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            resp.read(65536)
    except urllib.error.HTTPError as exc:
        raise OSError(f"HTTP {exc.code} {exc.reason}") from exc


def _mail(to: list[str], payload: dict[str, Any], config: AlertsConfig) -> None:
    msg = EmailMessage()
    msg["Subject"] = f"[lagebild] {payload['alert']['name']}: {payload['message']}"[:200]
    msg["From"] = config.smtp_from
    msg["To"] = ", ".join(to)
    msg.set_content(text_body(payload))
    msg.add_attachment(
        json.dumps(payload, ensure_ascii=False, indent=1).encode("utf-8"),
        maintype="application",
        subtype="json",
        filename="alert.json",
    )
    with smtplib.SMTP(config.smtp_host, config.smtp_port, timeout=config.timeout) as smtp:
        if config.smtp_starttls:
            smtp.starttls()
        if config.smtp_user:
            password = (
                os.environ.get(config.smtp_password_env, "") if config.smtp_password_env else ""
            )
            smtp.login(config.smtp_user, password)
        smtp.send_message(msg)


def text_body(payload: dict[str, Any]) -> str:
    """The e-mail's readable part: the message, the story and its new articles."""
    lines = [payload["message"], ""]
    story = payload.get("story")
    if story:
        lines.append(f"Story: {story['title']} ({story['id']})")
    for a in payload.get("articles", []):
        lines.append(f"- {a.get('outlet') or '-'}: {a.get('title')}  {a.get('url') or a['id']}")
    return "\n".join(lines) + "\n"


def _reason(exc: BaseException) -> str:
    reason = getattr(exc, "reason", None)
    return str(reason or exc)
