"""How long gdlab takes to start, each figure a ratio to ``import numpy`` timed in the same run.

Each command runs in a fresh interpreter (``python -c ...``), interleaved with the others so
that they share the same moments of a busy machine; a figure is the best of ``--repeats``
runs (the best is the least disturbed; startup has no warm-up to wait for). Targets:
``import gdlab`` at most 3x ``import numpy``, ``import gdlab.schedules`` at most 2x, and
``gdlab --help`` at most 3x. Run: ``python benchmarks/bench_imports.py``.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time

# The code each interpreter runs; the CLI is called as its console script does.
HELP = "import sys; sys.argv = ['gdlab', '--help']; import gdlab.cli; gdlab.cli.main()"
COMMANDS = {
    "import numpy": "import numpy",
    "import gdlab": "import gdlab",
    "import gdlab.schedules": "import gdlab.schedules",
    "gdlab --help": HELP,
}
TARGETS = {"import gdlab": 3.0, "import gdlab.schedules": 2.0, "gdlab --help": 3.0}


def timed(code: str) -> float:
    """Wall time of one fresh interpreter running ``code`` (its output discarded)."""
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-c", code], check=False, stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--repeats", type=int, default=7, help="runs per command")
    args = parser.parse_args(argv)
    times: dict[str, list[float]] = {name: [] for name in COMMANDS}
    for code in COMMANDS.values():  # one untimed run each: the files are in the OS cache
        timed(code)
    for _ in range(args.repeats):
        for name, code in COMMANDS.items():
            times[name].append(timed(code))
    anchor = min(times["import numpy"])
    print(f"bench_imports: best of {args.repeats} fresh interpreters; import numpy {anchor:.3f} s")
    for name, limit in TARGETS.items():
        best = min(times[name])
        ratio = best / anchor
        verdict = "meets target" if ratio <= limit else "MISSES target"
        print(
            f"{name}: {best:.3f} s | anchor import numpy {anchor:.3f} s | ratio {ratio:.2f}x "
            f"(target <= {limit:g}x: {verdict})"
        )


if __name__ == "__main__":
    main()
