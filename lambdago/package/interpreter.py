"""Finding a CPython X.Y on the building machine, to compile bytecode for the target.

Bytecode is specific to a minor version: ``*.cpython-312.pyc`` is read by 3.12 only, so
only a 3.12 interpreter may write it. Where one is looked for, first found wins:

1. ``--build-python PATH`` (or ``$LAMBDAGO_BUILD_PYTHON``);
2. the interpreter running lambdago, if it is X.Y;
3. ``pythonX.Y`` on ``PATH``;
4. common places: ``/usr/bin``, ``/usr/local/bin``, ``/opt/homebrew/bin``,
   ``~/.pyenv/versions/X.Y.*/bin``, uv's ``~/.local/share/uv/python/cpython-X.Y.*``,
   ``/opt/python*/bin``, ``/Library/Frameworks/Python.framework/Versions/X.Y/bin``, and
   ``C:\\PythonXY`` and ``%LOCALAPPDATA%\\Programs\\Python\\PythonXY`` on Windows.

Each candidate is run once to check that it is CPython X.Y.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import sys

__all__ = ["find_python", "python_version"]

_PROBE = "import sys;print(sys.implementation.name, '%d.%d' % sys.version_info[:2], sys.executable)"


def python_version(executable: str) -> tuple[str, str, str] | None:
    """``(implementation, "X.Y", real executable path)`` of an interpreter, or None."""
    try:
        done = subprocess.run(
            [executable, "-S", "-c", _PROBE],
            capture_output=True,
            text=True,
            timeout=30,
            stdin=subprocess.DEVNULL,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    if done.returncode != 0:
        return None
    parts = done.stdout.strip().split(" ", 2)
    if len(parts) != 3:
        return None
    return parts[0], parts[1], parts[2] or executable


def _candidates(version: str) -> list[str]:
    nodot = version.replace(".", "")
    home = os.path.expanduser("~")
    out: list[str] = []
    here = f"{sys.version_info[0]}.{sys.version_info[1]}"
    if here == version and sys.implementation.name == "cpython" and sys.executable:
        out.append(sys.executable)
    found = shutil.which(f"python{version}")
    if found:
        out.append(found)
    out += [
        f"/usr/bin/python{version}",
        f"/usr/local/bin/python{version}",
        f"/opt/homebrew/bin/python{version}",
    ]
    patterns = [
        f"{home}/.pyenv/versions/{version}.*/bin/python{version}",
        f"{home}/.local/share/uv/python/cpython-{version}.*/bin/python{version}",
        f"/opt/python*/bin/python{version}",
        f"/Library/Frameworks/Python.framework/Versions/{version}/bin/python{version}",
        f"C:\\Python{nodot}\\python.exe",
        os.path.join(
            os.environ.get("LOCALAPPDATA", home),
            "Programs",
            "Python",
            f"Python{nodot}",
            "python.exe",
        ),
    ]
    for pattern in patterns:
        # Newest patch release first: 3.12.10 before 3.12.9.
        out += sorted(glob.glob(pattern), key=_patch_key, reverse=True)
    return out


def _patch_key(path: str) -> tuple[int, ...]:
    import re

    return tuple(int(n) for n in re.findall(r"\d+", path))


def find_python(version: str, explicit: str | None = None) -> tuple[str | None, list[str]]:
    """An interpreter path for CPython ``version``, and the places tried (for messages).

    ``explicit`` (``--build-python``, or ``$LAMBDAGO_BUILD_PYTHON``) is the only candidate
    when given.
    """
    explicit = explicit or os.environ.get("LAMBDAGO_BUILD_PYTHON") or None
    candidates = [explicit] if explicit else _candidates(version)
    tried: list[str] = []
    seen: set[str] = set()
    for candidate in candidates:
        if candidate in seen:
            continue
        seen.add(candidate)
        tried.append(candidate)
        if not explicit and not os.path.exists(candidate):
            continue
        found = python_version(candidate)
        if found and found[0] == "cpython" and found[1] == version:
            return found[2], tried
    return None, tried
