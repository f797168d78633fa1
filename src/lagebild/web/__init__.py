"""Web stage: the corpus served as pages and JSON by a small WSGI app (stdlib only).

``WebApp(lagebild)`` is the WSGI callable; ``serve`` runs it on waitress (threaded); ``get``
answers one request in-process, the way tests and ``lagebild serve --get`` use it.
"""

from lagebild.web.app import Response, WebApp
from lagebild.web.serve import get, serve

__all__ = ["Response", "WebApp", "get", "serve"]
