"""Which dependencies a project declares, as pip arguments.

The sources, first found wins: ``--requirements FILE``; the project's
``requirements.txt``; the ``[project] dependencies`` of its ``pyproject.toml``. lambdago
itself is not installed from an index (it is not on PyPI yet, and a name there could be
anyone's): a requirement naming it is taken out, and the package gets lambdago from its
own source and its four dependencies as wheels, like any others (see ``selfsource``).
"""

from __future__ import annotations

import dataclasses
import os
import pathlib
import re

from .options import PackageError

__all__ = ["Requirements", "project_requirements", "requirement_name"]

_NAME = re.compile(r"^\s*([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)")
# Options in a requirements file whose value is a file or folder, relative to that file.
_PATH_OPTIONS = ("-r", "--requirement", "-c", "--constraint", "-f", "--find-links")


def normalize(name: str) -> str:
    """PEP 503 normalization: ``Typing_Extensions`` → ``typing-extensions``."""
    return re.sub(r"[-_.]+", "-", name).lower()


def requirement_name(line: str) -> str | None:
    """The normalized project name a PEP 508 requirement starts with, if any."""
    match = _NAME.match(line)
    return normalize(match.group(1)) if match else None


@dataclasses.dataclass
class Requirements:
    """pip arguments for the project's dependencies, and where they came from."""

    args: list[str]  # requirement strings and ``-r FILE`` options
    source: str  # "requirements.txt", "pyproject.toml", or "none"
    dropped_self: bool = False  # a requirement on lambdago was taken out
    temporary_files: list[pathlib.Path] = dataclasses.field(default_factory=list)


def project_requirements(
    project: pathlib.Path, explicit: pathlib.Path | None, scratch: pathlib.Path
) -> Requirements:
    """Read the project's dependencies; filtered copies of requirement files go to
    ``scratch``."""
    if explicit is not None:
        if not explicit.is_file():
            raise PackageError(f"the requirements file {explicit} does not exist")
        return _from_requirements_file(explicit, scratch)
    txt = project / "requirements.txt"
    if txt.is_file():
        return _from_requirements_file(txt, scratch)
    toml = project / "pyproject.toml"
    if toml.is_file():
        return _from_pyproject(toml)
    return Requirements([], "none")


def _from_pyproject(path: pathlib.Path) -> Requirements:
    import tomllib

    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise PackageError(f"cannot read {path}: {exc}") from None
    project = data.get("project")
    if not isinstance(project, dict):
        if "poetry" in data.get("tool", {}):
            raise PackageError(
                f"{path} declares its dependencies for Poetry, not in [project]: export them "
                "(`poetry export -o requirements.txt`) and package again"
            )
        return Requirements([], "pyproject.toml")
    if "dependencies" in project.get("dynamic", []):
        raise PackageError(
            f"{path} declares its dependencies as dynamic: lambdago cannot read them; "
            "list them in a requirements.txt (or give --requirements FILE)"
        )
    deps = project.get("dependencies", [])
    if not isinstance(deps, list) or not all(isinstance(d, str) for d in deps):
        raise PackageError(f"{path}: [project] dependencies must be a list of strings")
    kept = [d for d in deps if requirement_name(d) != "lambdago"]
    return Requirements(kept, "pyproject.toml", dropped_self=len(kept) != len(deps))


def _logical_lines(text: str) -> list[str]:
    """The lines of a requirements file, continuation lines joined."""
    out: list[str] = []
    pending = ""
    for raw in text.splitlines():
        if raw.endswith("\\"):
            pending += raw[:-1]
            continue
        out.append(pending + raw)
        pending = ""
    if pending:
        out.append(pending)
    return out


def _mentions_self(path: pathlib.Path, seen: set[pathlib.Path]) -> bool:
    """Whether ``path`` (or a file it includes) requires lambdago."""
    real = path.resolve()
    if real in seen or not path.is_file():
        return False
    seen.add(real)
    for line in _logical_lines(path.read_text(encoding="utf-8")):
        stripped = line.split(" #", 1)[0].strip()
        if not stripped or stripped.startswith("#"):
            continue
        if stripped.startswith("-"):
            option, value = _split_option(stripped)
            nested = option in ("-r", "--requirement") and value
            if nested and _mentions_self(path.parent / value, seen):
                return True
            continue
        if requirement_name(stripped) == "lambdago":
            return True
    return False


def _split_option(line: str) -> tuple[str, str]:
    """``-r x.txt`` / ``--requirement=x.txt`` → (option, value)."""
    if line.startswith("--") and "=" in line.split()[0]:
        option, _, value = line.partition("=")
        return option, value.strip()
    option, _, value = line.partition(" ")
    if not value and line.startswith("-") and not line.startswith("--") and len(line) > 2:
        return line[:2], line[2:].strip()  # -rfile
    return option, value.strip()


def _filtered_copy(path: pathlib.Path, scratch: pathlib.Path, out: list[pathlib.Path]) -> str:
    """A copy of ``path`` without lambdago, its relative paths made absolute."""
    lines: list[str] = []
    for line in _logical_lines(path.read_text(encoding="utf-8")):
        stripped = line.split(" #", 1)[0].strip()
        if stripped.startswith("-"):
            option, value = _split_option(stripped)
            if option in _PATH_OPTIONS and value and "://" not in value:
                target = path.parent / value
                if option in ("-r", "--requirement") and target.is_file():
                    value = _filtered_copy(target, scratch, out)
                elif os.path.exists(target):
                    value = str(target.resolve())
                lines.append(f"{option} {value}")
                continue
            lines.append(line)
            continue
        if stripped and requirement_name(stripped) == "lambdago":
            continue
        lines.append(line)
    scratch.mkdir(parents=True, exist_ok=True)
    copy = scratch / f"requirements-{len(out)}.txt"
    copy.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out.append(copy)
    return str(copy)


def _from_requirements_file(path: pathlib.Path, scratch: pathlib.Path) -> Requirements:
    try:
        mentions = _mentions_self(path, set())
    except (OSError, UnicodeDecodeError) as exc:
        raise PackageError(f"cannot read {path}: {exc}") from None
    if not mentions:
        return Requirements(["-r", str(path.resolve())], path.name)
    copies: list[pathlib.Path] = []
    first = _filtered_copy(path, scratch, copies)
    return Requirements(["-r", first], path.name, dropped_self=True, temporary_files=copies)
