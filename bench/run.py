"""Run the benchmarks (``make bench``): each prints articles/s and peak RSS per corpus size."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCHES = ("ingest.py", "stories.py", "dossier.py")  # each with its default sizes


def main() -> None:
    for name in BENCHES:
        print(f"== {name}", flush=True)
        subprocess.run([sys.executable, str(HERE / name)], check=True)


if __name__ == "__main__":
    main()
