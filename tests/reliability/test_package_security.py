"""Packaging never ships what is outside the project, whatever --include says, and no
zip entry escapes the root (tests/package covers secrets, VCS folders and symlinks)."""

from __future__ import annotations

import os
import pathlib
import zipfile

import pytest

from lambdago.package.project import collect_project
from lambdago.package.zipwriter import check_arcname
from tests.package.conftest import make_project


@pytest.mark.parametrize(
    "pattern",
    [
        "../../etc/passwd",
        "/etc/passwd",
        "../outside/secret.txt",
        "../*",
        "../**",
        "..",
        "*/../../outside/secret.txt",
        "./../outside/secret.txt",
        "**/../../*",
    ],
)
def test_malicious_includes_take_nothing_from_outside(tmp_path: pathlib.Path, pattern: str) -> None:
    outside = make_project(tmp_path / "outside", {"secret.txt": "top secret"})
    project = make_project(tmp_path / "project", {"app.py": "", ".env": "KEY=v"})
    os.symlink(outside / "secret.txt", project / "leak.txt")
    collected = collect_project(project, includes=(pattern,))
    names = set(collected.tree)
    assert names == {"app.py"}, names
    for entry in collected.tree.values():
        assert b"top secret" not in entry.read()
        assert b"root:" not in entry.read()


@pytest.mark.parametrize(
    "name", ["../x", "/abs", "a/../../b", "a/./b", "C:/x", "a\\..\\b", "", "a//b", "\x00"]
)
def test_no_arcname_escapes_the_root(name: str) -> None:
    with pytest.raises(ValueError):
        check_arcname(name)


def test_the_lambdago_package_command_refuses_escapes(tmp_path: pathlib.Path) -> None:
    """End to end: `lambdago package` with a hostile --include ships only the project."""
    import subprocess
    import sys

    outside = make_project(tmp_path / "outside", {"secret.txt": "top secret"})
    project = make_project(
        tmp_path / "project", {"app.py": "def handler(event):\n    return event\n"}
    )
    os.symlink(outside, project / "linked")
    out = tmp_path / "function.zip"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "lambdago.cli",
            "package",
            str(project),
            "--handler",
            "app.handler",
            "--output",
            str(out),
            "--include",
            "../outside/secret.txt",
            "--include",
            "linked",
            "--no-dependencies",
            "--quiet",
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    if result.returncode != 0:
        pytest.fail(f"lambdago package failed:\n{result.stdout}\n{result.stderr}")
    with zipfile.ZipFile(out) as z:
        for info in z.infolist():
            assert not info.filename.startswith(("/", "../")) and "/../" not in info.filename
            assert b"top secret" not in z.read(info)
        assert "app.py" in z.namelist()
