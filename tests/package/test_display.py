"""The progress line, the summary, and bytecode when no interpreter of the target version
can be found."""

from __future__ import annotations

import io
import json
import os
import pathlib
import subprocess
import sys
import threading
import zipfile

import pytest

from lambdago.package import Display, PackageError, PackageOptions, Platform, build
from lambdago.package import interpreter as interpreter_module

from .conftest import CLI, HELLO, ROOT_DIR, TARGET, emulator, make_project, python_for, unpack


def run_on_a_terminal(args: list[str]) -> tuple[int, str, str]:
    """Run the command with its stderr on a pseudo-terminal; returns (status, stdout,
    what the terminal showed)."""
    import pty

    master, slave = pty.openpty()
    proc = subprocess.Popen([*CLI, *args], stdout=subprocess.PIPE, stderr=slave, text=True)
    os.close(slave)
    shown = bytearray()

    def read() -> None:
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:
                return
            if not chunk:
                return
            shown.extend(chunk)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    out, _ = proc.communicate(timeout=600)
    reader.join(10)
    os.close(master)
    return proc.returncode, out, shown.decode(errors="replace")


def test_progress_on_a_terminal_only(tmp_path: pathlib.Path) -> None:
    project = make_project(tmp_path / "p", {"app.py": HELLO, "requirements.txt": "six\n"})
    args = ["package", str(project), "--handler", "app.handler", "--python", TARGET]
    status, out, shown = run_on_a_terminal(args)
    assert status == 0, shown
    assert "\r" in shown and "\x1b[K" in shown
    assert "installing dependencies for CPython" in shown
    assert "lambdago: wrote function" in out and "\r" not in out
    # --quiet: nothing at all, even on a terminal.
    status, out, shown = run_on_a_terminal([*args, "--quiet"])
    assert status == 0 and out == "" and shown == ""
    # Not a terminal: the summary, no control characters.
    done = subprocess.run([*CLI, *args], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0
    assert done.stderr == ""
    lines = done.stdout.splitlines()
    assert lines[0].startswith("lambdago: wrote function")
    assert any(
        line.startswith("  size:") and "zipped" in line and "files" in line for line in lines
    )
    assert any(line.startswith("  largest:") and "lambdago" in line for line in lines)
    assert any(f"Python {TARGET}, x86_64" in line for line in lines)
    assert any(line.startswith("  installed:") and "six " in line for line in lines)
    assert any(line.startswith("    aws lambda create-function") for line in lines)


def test_display_unit() -> None:
    err, out = io.StringIO(), io.StringIO()
    display = Display(err=err, out=out, live=True)
    display.phase("installing")
    display.detail("Collecting six")
    display.warn("careful")
    display.summary(["done"])
    assert "installing" in err.getvalue() and "Collecting six" in err.getvalue()
    assert "lambdago: warning: careful\n" in err.getvalue()
    assert err.getvalue().endswith("\r\x1b[Klambdago: warning: careful\n")  # line cleared first
    assert out.getvalue() == "done\n"
    quiet_err, quiet_out = io.StringIO(), io.StringIO()
    quiet = Display(quiet=True, err=quiet_err, out=quiet_out, live=True)
    quiet.phase("x")
    quiet.summary(["done"])
    quiet.warn("still shown")
    assert quiet_out.getvalue() == "" and quiet_err.getvalue() == "lambdago: warning: still shown\n"


@pytest.mark.usefixtures("clean_environ")
def test_no_interpreter_of_the_target_version(
    tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A clear warning, and no bytecode at all rather than bytecode of another version."""
    python = python_for(TARGET)
    monkeypatch.setattr(interpreter_module, "_candidates", lambda version: [])
    project = make_project(tmp_path / "p", {"app.py": HELLO})
    err = io.StringIO()
    result = build(
        PackageOptions(
            "app.handler",
            project=project,
            output=tmp_path / "f.zip",
            platform=Platform("x86_64", TARGET),
        ),
        Display(err=err, out=io.StringIO(), live=False),
    )
    assert f"no Python {TARGET} interpreter found" in err.getvalue()
    assert "the package has no bytecode" in err.getvalue()
    assert result.bytecode_python is None
    with zipfile.ZipFile(result.output) as zf:
        assert not any(n.endswith(".pyc") or "__pycache__" in n for n in zf.namelist())
    task = unpack(result.output, tmp_path / "task")
    with emulator(task, python) as emu:
        assert emu.invoke(b'{"name": "Src"}').json() == {"message": "Hello, Src!"}


def test_explicit_build_python_must_match(tmp_path: pathlib.Path) -> None:
    project = make_project(tmp_path / "p", {"app.py": HELLO})
    other = "3.12" if TARGET != "3.12" else "3.13"
    options = PackageOptions(
        "app.handler",
        project=project,
        output=tmp_path / "f.zip",
        platform=Platform("x86_64", other),
        build_python=sys.executable,
    )
    with pytest.raises(PackageError, match=f"is not a CPython {other} interpreter"):
        build(options)


def test_benchmark_script_runs(tmp_path: pathlib.Path) -> None:
    """benchmarks/package_init.py measures what it claims (one run of each package)."""
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT_DIR / "benchmarks" / "package_init.py"),
            "--one",
            "--json",
            "-n",
            "1",
            "--python",
            TARGET,
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert set(result) == {"bytecode", "no bytecode"}
    for figures in result.values():
        assert 0 < figures["next_median_ms"] <= figures["answer_median_ms"] < 10_000
