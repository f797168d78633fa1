"""The formats a dossier is rendered in: a module of its own, so that reading a kept
dossier (``dossier.cache``) and the CLI's option parsing load none of the rendering code."""

FORMATS = ("html", "json", "md")
