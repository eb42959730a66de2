"""lambdago itself in a package: its installed source, without the build-time parts.

lambdago is not on PyPI yet, so it is copied from the package directory this process
imports (an editable checkout or an installed wheel alike). Left out: what runs on a
developer's machine and never in Lambda: the emulator, this packager, the command line,
the sample events (``lambdago.events.sample()``, for tests and ``lambdago events``) and
the events' index and coverage generators.
A small ``lambdago-<version>.dist-info/METADATA`` goes with it, so that
``importlib.metadata.version("lambdago")`` answers in the function too.
"""

from __future__ import annotations

import os
import pathlib

from .zipwriter import Entry, Tree, file_mode

__all__ = ["RUNTIME_REQUIREMENTS", "lambdago_tree", "runtime_requirements"]

# lambdago's own dependencies (pyproject.toml), when its installed metadata is missing.
RUNTIME_REQUIREMENTS = ("attrs>=23.1", "cattrs>=23.2", "orjson>=3.10", "typing-extensions>=4.7")

_LEFT_OUT_TOP = ("emulator", "package", "cli.py")
_LEFT_OUT = frozenset(
    ["events/samples", "events/_catalog.py", "events/_coverage.py"]
)  # paths under lambdago/


def package_dir() -> pathlib.Path:
    import lambdago

    return pathlib.Path(lambdago.__file__).resolve().parent


def runtime_requirements() -> list[str]:
    """lambdago's dependencies without extras, from its installed metadata."""
    try:
        from importlib.metadata import PackageNotFoundError, requires
    except ImportError:  # pragma: no cover - the standard library always has it
        return list(RUNTIME_REQUIREMENTS)
    try:
        found = requires("lambdago")
    except PackageNotFoundError:
        return list(RUNTIME_REQUIREMENTS)
    plain = [r for r in found or [] if "extra ==" not in r]
    return plain or list(RUNTIME_REQUIREMENTS)


def _metadata(version: str, requirements: list[str]) -> bytes:
    lines = [
        "Metadata-Version: 2.1",
        "Name: lambdago",
        f"Version: {version}",
        "Summary: The aws-lambda-go programming model for Python (packaged by lambdago)",
        "Requires-Python: >=3.11",
        *(f"Requires-Dist: {r}" for r in requirements),
    ]
    return ("\n".join(lines) + "\n").encode()


def lambdago_tree(prefix: str = "") -> Tree:
    """lambdago's runtime files under ``prefix`` (``""`` or ``python/lib/.../``)."""
    from .._version import __version__

    root = package_dir()
    tree: Tree = {}
    for directory, dirnames, filenames in os.walk(root):
        relative = os.path.relpath(directory, root)
        here = "" if relative == "." else relative.replace(os.sep, "/") + "/"
        dirnames[:] = sorted(
            d
            for d in dirnames
            if d != "__pycache__"
            and not (relative == "." and d in _LEFT_OUT_TOP)
            and here + d not in _LEFT_OUT
        )
        for name in filenames:
            if (relative == "." and name in _LEFT_OUT_TOP) or here + name in _LEFT_OUT:
                continue
            if name.endswith((".pyc", ".pyo")):
                continue
            path = os.path.join(directory, name)
            if not os.path.isfile(path):
                continue
            parts = ["lambdago"] if relative == "." else ["lambdago", *relative.split(os.sep)]
            arcname = prefix + "/".join([*parts, name])
            tree[arcname] = Entry(source=path, mode=file_mode(arcname))
    info = f"{prefix}lambdago-{__version__}.dist-info/METADATA"
    tree[info] = Entry(data=_metadata(__version__, runtime_requirements()), mode=0o644)
    return tree
