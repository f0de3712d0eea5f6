"""Sphinx configuration of the English site; every setting is shared (docs/_ext/gdlab_site.py)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "_ext"))

from gdlab_site import settings

globals().update(settings("en"))
