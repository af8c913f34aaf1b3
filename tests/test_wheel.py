"""The wheel works on its own: built from this checkout, installed with the locked versions into
a fresh venv outside it, `snug serve --demo` serves the pages, a static file, the schemas and
the demo event. This catches a page or schema the wheel leaves behind."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import venv
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import ROOT, free_port


def _run(*command: str | Path, cwd: Path) -> str:
    """What the command said, once it has succeeded."""
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)
    assert result.returncode == 0, f"{command} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout + result.stderr


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The wheel, built from this checkout, and what the build said."""
    folder = tmp_path_factory.mktemp("wheel")
    said = _run(sys.executable, "-m", "pip", "wheel", "--no-deps", "-w", folder, ROOT, cwd=folder)
    (wheel,) = folder.glob("snug-*.whl")
    return wheel, said


@pytest.fixture(scope="module")
def installed(built: tuple[Path, str]) -> Path:
    """A fresh venv holding the locked dependencies and the wheel; returns its snug command."""
    wheel, _ = built
    folder = wheel.parent
    venv.create(folder / "venv", with_pip=True)
    pip = folder / "venv" / "bin" / "pip"
    for lock in ("pip.txt", "run.txt"):
        _run(
            pip, "install", "-q", "--require-hashes", "-r", ROOT / "requirements" / lock, cwd=folder
        )
    _run(pip, "install", "-q", "--no-deps", wheel, cwd=folder)
    return folder / "venv" / "bin" / "snug"


@pytest.fixture(scope="module")
def served(installed: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    data = tmp_path_factory.mktemp("wheel-data")
    port = free_port()
    environment = {
        key: value for key, value in os.environ.items() if key not in {"PYTHONPATH", "VIRTUAL_ENV"}
    }
    environment |= {"SNUG_DATA_DIR": str(data), "SECRET_KEY": "wheel-test", "PORT": str(port)}
    # Started from a folder with no checkout in it, so nothing can come from ROOT.
    with (data / "server.log").open("w") as log:
        process = subprocess.Popen(
            [installed, "serve", "--demo"],
            cwd=data,
            env=environment,
            stdout=subprocess.DEVNULL,
            stderr=log,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and process.poll() is None:
            try:
                httpx.get(f"{url}/healthz", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/healthz", "application/json"),
        ("/e/demo", "text/html"),
        ("/static/css/snug.css", "text/css"),
        ("/openapi.json", "application/json"),
    ],
)
def test_the_installed_wheel_serves(served: str, path: str, expected: str) -> None:
    response = httpx.get(served + path, timeout=10)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith(expected)
    if path == "/openapi.json":
        assert "event-create" in response.json()["components"]["schemas"]


def test_the_build_names_every_folder_it_carries(built: tuple[Path, str]) -> None:
    """setuptools warns of a folder of pages or templates it carries without being told it
    is a package, and means to leave such folders out of later wheels."""
    _, said = built
    assert "is absent from the `packages` configuration" not in said, said


def test_the_wheel_carries_compiled_catalogues_and_speaks_welsh(
    installed: Path, served: str
) -> None:
    """The build compiled each .po into the wheel; the installed Snug answers in Welsh."""
    compiled = list(installed.parent.parent.glob("lib/*/site-packages/server/locales/cy/*/*.mo"))
    assert [mo.name for mo in compiled] == ["messages.mo"]
    page = httpx.get(served + "/accessibility", headers={"Accept-Language": "cy"}, timeout=10)
    assert '<html lang="cy">' in page.text and "Datganiad hygyrchedd" in page.text
