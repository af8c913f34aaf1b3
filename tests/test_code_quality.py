"""Lint, format and type checks run with the suite, so the README's test command covers them."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import ROOT

CHECKS = {
    "ruff lint": [sys.executable, "-m", "ruff", "check", "server", "tests"],
    "ruff format": [sys.executable, "-m", "ruff", "format", "--check", "server", "tests"],
    "mypy": [sys.executable, "-m", "mypy"],
}


@pytest.mark.parametrize("name", list(CHECKS))
def test_check_passes(name: str) -> None:
    result = subprocess.run(CHECKS[name], cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, f"{name} failed:\n{result.stdout}\n{result.stderr}"
