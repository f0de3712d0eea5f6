"""Build the documentation site: the English and the Chinese Sphinx projects, side by side.

    python tools/build_docs.py                  # docs/_build/html/{en,zh}/ and the landing page
    python tools/build_docs.py --out DIR --fresh --quiet

Each language is its own Sphinx project (``docs/en``, ``docs/zh``; shared settings in
``docs/_ext/gdlab_site.py``), built with warnings as errors into ``OUT/html/<lang>``; their
doctrees go to ``OUT/doctrees/<lang>``. ``OUT/html/index.html`` opens the site in the
reader's language (``navigator.language``), with a link to each for everyone else. Nothing
here needs the network: the notebooks are rendered from their stored outputs.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
LANGUAGES = ("en", "zh")


def build(out: Path, *, fresh: bool = False, quiet: bool = False) -> Path:
    """Build both languages into ``out/html`` and return that folder; raise
    ``subprocess.CalledProcessError`` when a build fails or warns."""
    for lang in LANGUAGES:
        command = [
            sys.executable, "-m", "sphinx", "-W", "--keep-going", "-b", "html",
            "-d", str(out / "doctrees" / lang), str(DOCS / lang), str(out / "html" / lang),
        ]  # fmt: skip
        command += ["-E"] if fresh else []
        command += ["-q"] if quiet else []
        subprocess.run(command, check=True, cwd=ROOT)
    shutil.copyfile(DOCS / "landing.html", out / "html" / "index.html")
    return out / "html"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DOCS / "_build", help="default: docs/_build")
    parser.add_argument("--fresh", action="store_true", help="read every page again (-E)")
    parser.add_argument("--quiet", action="store_true", help="only warnings and errors (-q)")
    args = parser.parse_args(argv)
    try:
        site = build(args.out, fresh=args.fresh, quiet=args.quiet)
    except subprocess.CalledProcessError as err:
        print(f"the documentation build failed (exit status {err.returncode})", file=sys.stderr)
        return 1
    print(f"the site: {(site / 'index.html').resolve().as_uri()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
