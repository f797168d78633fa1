"""Run the benchmarks (``make bench``): each prints articles/s and peak RSS per corpus size."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCHES = ("stories.py",)  # add more scripts here as stages land


def main() -> None:
    for name in BENCHES:
        print(f"== {name}", flush=True)
        subprocess.run([sys.executable, str(HERE / name), *sys.argv[1:]], check=True)


if __name__ == "__main__":
    main()
