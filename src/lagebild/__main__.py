"""``python -m lagebild``: the ``lagebild`` command (``-m lagebild.cli`` would load the CLI
module twice, as ``__main__`` and as ``lagebild.cli``, and its commands would not find it);
``run`` ends the process without the interpreter's teardown (see there)."""

from lagebild.cli import run

run()
