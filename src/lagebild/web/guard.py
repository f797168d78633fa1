"""What every response carries for safety, and which requests are refused before routing.

A page served on 127.0.0.1 can still be reached by a hostile web page through DNS rebinding
(its own name resolving to 127.0.0.1): the Host header is then that name, so only the names
the server was started for are answered. Pages are framed by nobody (``frame-ancestors``)
and run no script but the app's own static file (the Content-Security-Policy).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
ANY_ADDRESS = frozenset({"", "0.0.0.0", "::"})

CSP = "; ".join(
    (
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",  # the dossier export keeps its styles inline
        "img-src 'self' data:",
        "connect-src 'self'",
        "form-action 'self'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
    )
)

SECURITY_HEADERS: tuple[tuple[str, str], ...] = (
    ("Content-Security-Policy", CSP),
    ("X-Frame-Options", "DENY"),  # frame-ancestors for browsers that predate it
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "no-referrer"),
    ("Cross-Origin-Opener-Policy", "same-origin"),
)

# Article and story ids are the first 16 hex digits of a hash; a user may give a prefix.
_ID = re.compile(r"[0-9a-f]{1,16}")


def is_id(ref: str) -> bool:
    """Whether ``ref`` can be an id or an id prefix: hex digits only, so no wildcard, quote or
    other character a store lookup could read as syntax ever reaches it."""
    return _ID.fullmatch(ref) is not None


def allowed_hosts(bind_host: str, extra: Iterable[str] = ()) -> frozenset[str] | None:
    """The Host names to answer: the local names, the address bound to and ``extra``.

    None (answer any Host) when ``extra`` holds ``*``. A server bound to every interface
    (0.0.0.0) answers the local names and ``extra`` only, so a LAN name must be allowed by hand.
    """
    names = {_hostname(h) for h in extra}
    if "*" in names:
        return None
    names |= LOCAL_HOSTS
    if bind_host not in ANY_ADDRESS:
        names.add(_hostname(bind_host))
    return frozenset(names)


def host_ok(host_header: str, allowed: frozenset[str] | None) -> bool:
    """Whether a request's Host header (with or without port) names an allowed host."""
    return allowed is None or _hostname(_strip_port(host_header)) in allowed


def _strip_port(host: str) -> str:
    host = host.strip()
    if host.startswith("["):  # [::1]:8080
        return host[1 : host.find("]")] if "]" in host else host
    if host.count(":") == 1:
        return host.split(":", 1)[0]
    return host


def _hostname(host: str) -> str:
    return host.strip().strip("[]").rstrip(".").lower()


__all__ = ["CSP", "LOCAL_HOSTS", "SECURITY_HEADERS", "allowed_hosts", "host_ok", "is_id"]
