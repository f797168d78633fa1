"""``python -m lagebild``: the ``lagebild`` command (``-m lagebild.cli`` would load the CLI
module twice, as ``__main__`` and as ``lagebild.cli``, and its commands would not find it)."""

from lagebild.cli import main

main()
