"""Installing the dependencies for the target platform, whatever machine builds them.

pip runs as a subprocess of the building interpreter (``python -m pip``), with

    pip install --target DIR --only-binary=:all: --implementation cp
        --python-version X.Y --platform manylinux_2_34_<machine> ... --platform manylinux1_x86_64
        --no-compile ...

so that only wheels for CPython X.Y on Lambda's Linux (its glibc) and architecture are
taken: the same result on a Mac, on Windows or on an x86_64 machine building for arm64.
Nothing is compiled here (``--no-compile``): bytecode is written later by an interpreter
of the target version. pip's own configuration (index URL, certificates, …) applies.

A requirement with no such wheel (a package that publishes only a source distribution,
or no build for this platform) is a :class:`PackageError` naming it and saying why.
"""

from __future__ import annotations

import dataclasses
import os
import pathlib
import re
import subprocess
import sys
from collections.abc import Callable

from .options import PackageError, Platform

__all__ = ["Installed", "install", "pip_command"]

Progress = Callable[[str], None]

_NO_VERSION = re.compile(
    r"Could not find a version that satisfies the requirement (?P<req>.+?)"
    r"(?: \(from (?P<parent>(?!versions:)[^)]*\)?)\))? \(from versions: (?P<versions>[^)]*)\)"
)
_NO_MATCH = re.compile(r"No matching distribution found for (?P<req>.+)$", re.M)
_QUIET = ("--disable-pip-version-check", "--no-input")
_INSTALLED = re.compile(r"^Successfully installed (?P<list>.+)$", re.M)
_STEP = re.compile(r"^\s*(Collecting|Downloading|Using cached|Processing|Installing|Obtaining)\b")


@dataclasses.dataclass
class Installed:
    """What pip installed: ``[(name, version)]`` and the output it printed."""

    packages: list[tuple[str, str]]
    output: str


def pip_command(
    target: pathlib.Path, platform: Platform, requirements: list[str], python: str | None = None
) -> list[str]:
    """The pip command that installs ``requirements`` into ``target`` for ``platform``."""
    command = [
        python or sys.executable,
        "-m",
        "pip",
        "install",
        "--target",
        str(target),
        "--only-binary=:all:",
        "--implementation",
        "cp",
        "--python-version",
        platform.python,
        "--no-compile",
        "--no-input",
        "--disable-pip-version-check",
        "--no-warn-script-location",
        "--progress-bar",
        "off",
    ]
    for tag in platform.manylinux_tags():
        command += ["--platform", tag]
    return command + requirements


def _parse_installed(output: str) -> list[tuple[str, str]]:
    match = _INSTALLED.search(output)
    if not match:
        return []
    out = []
    for item in match.group("list").split():
        name, _, version = item.rpartition("-")
        out.append((name, version) if name else (item, ""))
    return sorted(out, key=lambda nv: nv[0].lower())


def _noise(line: str) -> bool:
    """pip's chatter that says nothing about the failure."""
    return (
        line.startswith(("WARNING: Location", "Looking in", "  ", "Collecting", "Processing"))
        or "notice" in line
        or not line.strip()
    )


def _probe_versions(name: str, python: str | None) -> str | None:
    """The versions the index has of ``name`` for any platform, or None if it has none.

    ``pip index versions`` does not apply ``--only-binary``: it tells a package with only
    source distributions (or wheels for other platforms) from one that does not exist.
    """
    try:
        done = subprocess.run(
            [python or sys.executable, "-m", "pip", "index", "versions", name, *_QUIET],
            capture_output=True,
            text=True,
            timeout=120,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    match = re.search(r"^Available versions: (.+)$", done.stdout, re.M)
    return match.group(1).strip() if match else None


def explain_failure(output: str, platform: Platform, python: str | None = None) -> str:
    """A message naming the requirement pip could not install, and why."""
    where = platform.describe()
    match = _NO_VERSION.search(output)
    if match:
        req = match.group("req").strip()
        parent = match.group("parent")
        versions = match.group("versions").strip()
        name = re.split(r"[<>=!~;\[ ]", req, maxsplit=1)[0]
        pulled = f" (required by {parent})" if parent and not parent.startswith("-r ") else ""
        if versions != "none":
            return (
                f"no wheel of {req}{pulled} for {where}: the wheels of {name} for this target "
                f"are versions {versions}, and none satisfies {req!r}. Relax the version "
                "constraint, or pick another --python or --arch."
            )
        available = _probe_versions(name, python)
        if available:
            return (
                f"no wheel of {req}{pulled} for {where}. The index has {name} (versions "
                f"{available}) but only as source distributions or wheels for other platforms: "
                "lambdago installs only wheels, because a source distribution would be built "
                "for this machine, not for Lambda. Use a version that publishes a wheel for "
                "this target (on PyPI: a py3-none-any wheel, or a manylinux one for this "
                "architecture), build the wheel yourself and point pip at it (a --find-links "
                "line in requirements.txt), or package for a container image built on Amazon "
                "Linux."
            )
        return (
            f"no wheel of {req}{pulled} for {where}, and the index has no package named "
            f"{name!r} for any platform: check the name (and pip's index configuration). A "
            "package found only as a source distribution (in a --find-links folder, say) "
            "cannot be installed for Lambda either: it needs a wheel for this target."
        )
    match = _NO_MATCH.search(output)
    if match:
        return f"pip found no distribution for {match.group('req').strip()} ({where})."
    lines = [ln for ln in output.splitlines() if not _noise(ln)]
    tail = "\n".join(lines[-25:]) or output[-3000:]
    return f"pip could not install the dependencies for {where}:\n{tail}"


def install(
    target: pathlib.Path,
    platform: Platform,
    requirements: list[str],
    *,
    cwd: pathlib.Path,
    progress: Progress | None = None,
    python: str | None = None,
) -> Installed:
    """Install ``requirements`` into ``target``; raises :class:`PackageError` on failure.

    ``progress`` gets each step pip reports (``Collecting orjson`` …) as it happens.
    """
    command = pip_command(target, platform, requirements, python)
    env = dict(os.environ)
    env["PYTHONUNBUFFERED"] = "1"
    env.pop("PIP_REQUIRE_VIRTUALENV", None)  # --target installs outside any virtualenv
    try:
        proc = subprocess.Popen(
            command,
            cwd=cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            encoding="utf-8",
            errors="replace",
        )
    except OSError as exc:
        raise PackageError(f"cannot run pip ({command[0]} -m pip): {exc}") from None
    lines: list[str] = []
    assert proc.stdout is not None
    with proc.stdout:
        for line in proc.stdout:
            lines.append(line)
            if progress is not None and _STEP.match(line):
                progress(line.strip())
    status = proc.wait()
    output = "".join(lines)
    if status != 0:
        if "No module named pip" in output:
            raise PackageError(f"pip is missing: run `{command[0]} -m ensurepip`")
        raise PackageError(explain_failure(output, platform, python))
    return Installed(_parse_installed(output), output)
