"""Packages built as users build them, run as Lambda runs them.

``lambdago package`` runs as a real process (``python -m lambdago.cli package``). A built
zip is unpacked into a folder standing for ``/var/task`` (a layer into one standing for
``/opt``, found through the bootstrap's test-only ``LAMBDAGO_OPT_ROOT``), and its
``bootstrap`` runs under the emulator with Lambda's reserved environment only, plus
``LAMBDAGO_PYTHON`` naming an interpreter of the target version (the documented way to
choose it). The parent's ``PYTHON*`` variables and virtualenv are removed first, so
nothing on the building machine can stand in for what the package lacks.

Dependencies are installed from the package index (PyPI, or pip's configured index):
these tests need network access the first time, then pip's cache.
"""

from __future__ import annotations

import os
import pathlib
import stat
import subprocess
import sys
import zipfile
from typing import Any

import pytest

from lambdago.emulator import Emulator
from lambdago.package.interpreter import find_python

HERE = pathlib.Path(__file__).resolve().parent
ROOT_DIR = HERE.parent.parent
CLI = [sys.executable, "-m", "lambdago.cli"]
# The target Python of most tests: the running one, always available.
TARGET = f"{sys.version_info[0]}.{sys.version_info[1]}"

# A function with dependencies: pure-Python ones (python-dateutil, six),
# compiled ones (msgpack's extension, and orjson, a dependency of lambdago).
DEPS_APP = """\
import sys

import dateutil.parser
import msgpack
import orjson
import six
from msgpack import _cmsgpack

from helpers.greet import greeting


def handler(ctx, event):
    if event.get("action") == "fail":
        raise ValueError("boom")
    return {
        "greeting": greeting(event.get("name", "world")),
        "parsed": dateutil.parser.isoparse("2024-02-29T12:00:00Z").isoformat(),
        "packed": msgpack.packb([1, "two"]).hex(),
        "orjson": orjson.dumps({"a": 1}).decode(),
        "files": {
            "dateutil": dateutil.__file__,
            "six": six.__file__,
            "msgpack": _cmsgpack.__file__,
            "orjson": orjson.__file__,
            "lambdago": sys.modules["lambdago"].__file__,
            "app": __file__,
        },
        "cached": {name: getattr(sys.modules[name], "__cached__", None)
                   for name in ("dateutil.parser", "six", "lambdago.runtime.bootstrap")},
        "sys_path": sys.path[:3],
        "no_site": sys.flags.no_site,
        "version": "%d.%d" % sys.version_info[:2],
        "request_id": ctx.aws_request_id,
    }
"""
GREET = 'def greeting(name):\n    return f"Hello, {name}!"\n'
HELLO = (
    "def handler(ctx, event):\n"
    '    return {"message": "Hello, " + event.get("name", "world") + "!"}\n'
)


def run_cli(
    args: list[str], cwd: pathlib.Path | None = None, timeout: float = 600, **kwargs: Any
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*CLI, *args], cwd=cwd, capture_output=True, text=True, timeout=timeout, **kwargs
    )


def package(project: pathlib.Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``lambdago package PROJECT ARGS`` as a process; fails the test when it fails."""
    done = run_cli(["package", str(project), *args])
    assert done.returncode == 0, f"lambdago package failed:\n{done.stdout}\n{done.stderr}"
    return done


def unpack(zip_path: pathlib.Path, dest: pathlib.Path) -> pathlib.Path:
    """Unpack as Lambda does: Unix modes from the entries, symlinks as links."""
    dest.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(zip_path) as zf:
        for info in zf.infolist():
            mode = info.external_attr >> 16
            target = dest / info.filename
            assert target.resolve().is_relative_to(dest.resolve()), info.filename
            if info.is_dir():
                target.mkdir(parents=True, exist_ok=True)
            elif stat.S_ISLNK(mode):
                target.parent.mkdir(parents=True, exist_ok=True)
                os.symlink(zf.read(info).decode(), target)
                continue
            else:
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(zf.read(info))
            os.chmod(target, stat.S_IMODE(mode))
    return dest


def python_for(version: str) -> str:
    """An interpreter of ``version`` on this machine (skips when there is none)."""
    found, tried = find_python(version)
    if found is None:
        pytest.skip(f"no Python {version} on this machine (looked at {', '.join(tried)})")
    return found


@pytest.fixture
def clean_environ(monkeypatch: pytest.MonkeyPatch) -> None:
    """Nothing of this process's Python setup may leak into the function's."""
    for key in list(os.environ):
        if key.startswith(("PYTHON", "LAMBDAGO_", "LD_")) or key in (
            "VIRTUAL_ENV",
            "CONDA_PREFIX",
        ):
            monkeypatch.delenv(key)
    monkeypatch.setenv("PATH", "/usr/local/bin:/usr/bin:/bin")


def emulator(
    task: pathlib.Path,
    python: str | None,
    command: list[str] | None = None,
    env: dict[str, str] | None = None,
    **options: Any,
) -> Emulator:
    """The emulator running ``task``'s bootstrap as Lambda would."""
    extra = dict(env or {})
    if python is not None:
        extra["LAMBDAGO_PYTHON"] = python
    options.setdefault("invoke_port", 0)
    options.setdefault("echo", None)
    options.setdefault("timeout", 30)
    options.setdefault("init_timeout", 30)
    return Emulator(
        command or [str(task / "bootstrap")],
        task_root=task,
        env=extra,
        handler="bootstrap",
        **options,
    )


def make_project(root: pathlib.Path, files: dict[str, str]) -> pathlib.Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


@pytest.fixture(scope="session")
def deps_project(tmp_path_factory: pytest.TempPathFactory) -> pathlib.Path:
    """A project with dependencies, a helper package, tests, and things never to ship."""
    root = tmp_path_factory.mktemp("deps-project")
    make_project(
        root,
        {
            "app.py": DEPS_APP,
            "helpers/__init__.py": "",
            "helpers/greet.py": GREET,
            "requirements.txt": "python-dateutil\nsix\nmsgpack>=1.0\nlambdago\n",
            "tests/test_app.py": "def test(): pass\n",
            "conftest.py": "",
            ".env": "SECRET=1\n",
            ".git/config": "[core]\n",
            ".venv/pyvenv.cfg": "home = /usr/bin\n",
            "dist/old.zip": "junk",
            "keys/server.pem": "-----BEGIN PRIVATE KEY-----\n",
        },
    )
    return root


@pytest.fixture(scope="session")
def deps_zip(deps_project: pathlib.Path, tmp_path_factory: pytest.TempPathFactory) -> pathlib.Path:
    """``deps_project`` packaged for x86_64 and this Python."""
    out = tmp_path_factory.mktemp("deps-zip") / "function.zip"
    package(deps_project, "--handler", "app.handler", "--python", TARGET, "--output", str(out))
    return out


@pytest.fixture
def deps_task(deps_zip: pathlib.Path, tmp_path: pathlib.Path) -> pathlib.Path:
    return unpack(deps_zip, tmp_path / "var-task")
