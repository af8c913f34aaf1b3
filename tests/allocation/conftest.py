"""Hypothesis keeps its files outside the work tree: a .hypothesis folder there would make
pytest's collection warn (norecursedirs replaces the default ignores), and warnings are errors."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis.configuration import set_hypothesis_home_dir

set_hypothesis_home_dir(Path(tempfile.gettempdir()) / "snug-hypothesis")
