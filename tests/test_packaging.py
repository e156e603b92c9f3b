"""Installing the generator: `make install` (an editable install, as `make site` runs it first)
and a wheel are built without a word from setuptools, and the wheel carries the cards' font.

setuptools warns at length about a folder inside the package that is not listed as a package
(generator/fonts: data) and about the finder it installs for a flat layout's editable install;
a newcomer's first `make site` printed both, 35 lines that looked like a failure. pip fetches
setuptools into an isolated build environment, as `make install` does, so these tests need the
package index.
"""

from __future__ import annotations

import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.slow


def _pip(*arguments: str) -> str:
    """pip's output for ``arguments`` (its command's options after the command), ending with
    the project's folder."""
    at = 2 if arguments[0] == "--python" else 0
    command = [*arguments[: at + 1], "--no-deps", "--no-cache-dir", "--quiet", *arguments[at + 1 :]]
    result = subprocess.run(
        [sys.executable, "-m", "pip", *command, str(ROOT)],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout + result.stderr


def _setuptools_said(output: str) -> list[str]:
    """Lines from the build backend that warn (pip's own notes about this machine's package
    sources are not about the project)."""
    words = ("setuptools", "BuildBackendWarning", "would be ignored", "!!")
    return [line for line in output.splitlines() if any(word in line for word in words)]


def test_a_wheel_builds_quietly_with_the_font(tmp_path: Path) -> None:
    output = _pip("wheel", "--wheel-dir", str(tmp_path))
    assert _setuptools_said(output) == []
    (wheel,) = tmp_path.glob("briefing-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    fonts = {"roboto-latin-700-normal.woff2", "OFL.txt"}
    assert {f"generator/publish/fonts/{name}" for name in fonts} <= names


def test_the_editable_install_builds_quietly(tmp_path: Path) -> None:
    """Into a throwaway environment of its own (pip's ``--python``): installed anywhere pip
    also sees the test's own environment, pip would first uninstall the project from it."""
    venv.create(tmp_path / "venv", with_pip=False)
    python = tmp_path / "venv" / "bin" / "python"
    output = _pip("--python", str(python), "install", "--no-warn-script-location", "--editable")
    assert _setuptools_said(output) == []
    (pth,) = (tmp_path / "venv").glob("lib/python*/site-packages/__editable__.briefing*.pth")
    assert pth.read_text(encoding="utf-8").split() == [str(ROOT)]
