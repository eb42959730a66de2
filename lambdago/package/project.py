"""The user's code: the project folder's files, minus what must not ship.

Left out unless ``--include PATTERN`` asks for it (a glob matched against the path
relative to the project, and against the base name):

* secrets: ``.env`` and ``.env.*``, ``*.env``, ``.envrc``, private keys and certificates
  (``*.pem``, ``*.key``, ``*.p12``, ``*.pfx``, ``id_rsa*``, ``id_dsa*``, ``id_ecdsa*``,
  ``id_ed25519*``), credential files (``.netrc``, ``.pypirc``, ``.npmrc``,
  ``.git-credentials``, ``.dockercfg``) and folders (``.aws``, ``.ssh``, ``.gnupg``);
* version control: ``.git`` (folder or file), ``.hg``, ``.svn``, ``.bzr``;
* virtualenvs (any folder holding ``pyvenv.cfg`` or ``conda-meta``, and ``.venv``,
  ``venv``), ``node_modules``, ``.tox``, ``.nox``;
* build output and caches: ``dist/`` at the root, the output itself, ``.aws-sam``,
  ``*.egg-info``, ``__pycache__``, ``*.pyc``, ``.pytest_cache``, ``.mypy_cache``,
  ``.ruff_cache``, ``.hypothesis``, editor folders (``.idea``, ``.vscode``),
  ``.DS_Store``;
* tests: folders named ``tests`` or ``test``, ``conftest.py``;
* lambdago's own deployment files at the root: ``template.yaml``, ``samconfig.toml``,
  ``Makefile`` (the SAM build) and a ``bootstrap`` (the package's own replaces it).

``--exclude PATTERN`` leaves out more. Symbolic links are followed only while they stay
inside the project: a link out of it (or a dangling one) is left out and reported, and
a link loop is not followed twice.
"""

from __future__ import annotations

import dataclasses
import fnmatch
import os
import pathlib
import stat

from .options import PackageError
from .zipwriter import Entry, Tree, check_arcname, file_mode

__all__ = ["Collected", "Skipped", "collect_project"]

SECRET_FILES = (
    ".env",
    ".env.*",
    "*.env",
    ".envrc",
    "*.pem",
    "*.key",
    "*.p12",
    "*.pfx",
    "id_rsa*",
    "id_dsa*",
    "id_ecdsa*",
    "id_ed25519*",
    ".netrc",
    ".pypirc",
    ".npmrc",
    ".git-credentials",
    ".dockercfg",
)
SECRET_DIRS = (".aws", ".ssh", ".gnupg")
VCS = (".git", ".hg", ".svn", ".bzr")
ENV_DIRS = (".venv", "venv", "node_modules", ".tox", ".nox")
CACHE_DIRS = (
    "__pycache__",
    ".pytest_cache",
    ".mypy_cache",
    ".ruff_cache",
    ".hypothesis",
    ".idea",
    ".vscode",
    ".aws-sam",
)
JUNK_FILES = ("*.pyc", "*.pyo", ".DS_Store", "Thumbs.db", ".coverage")
TEST_DIRS = ("tests", "test")
TEST_FILES = ("conftest.py",)
ROOT_FILES = ("template.yaml", "template.yml", "samconfig.toml", "Makefile", "bootstrap")


@dataclasses.dataclass(frozen=True)
class Skipped:
    path: str  # relative to the project, / separated
    reason: str  # "secret", "version control", "virtualenv", "symlink out of the project", …


@dataclasses.dataclass
class Collected:
    tree: Tree
    skipped: list[Skipped]

    def reported(self) -> list[Skipped]:
        """What the summary names one by one: secrets and links, never silent."""
        loud = ("secret", "symlink out of the project", "dangling symlink", "not UTF-8")
        return [s for s in self.skipped if s.reason in loud]


def _matches(rel: str, name: str, patterns: tuple[str, ...]) -> bool:
    return any(fnmatch.fnmatchcase(rel, p) or fnmatch.fnmatchcase(name, p) for p in patterns)


def _dir_reason(rel: str, name: str, path: str, at_root: bool) -> str | None:
    if name in VCS:
        return "version control"
    if name in SECRET_DIRS:
        return "secret"
    if name in ENV_DIRS or os.path.exists(os.path.join(path, "pyvenv.cfg")):
        return "virtualenv"
    if os.path.isdir(os.path.join(path, "conda-meta")):
        return "virtualenv"
    if name in CACHE_DIRS or name.endswith(".egg-info"):
        return "cache or build output"
    if at_root and name == "dist":
        return "cache or build output"
    if name in TEST_DIRS:
        return "tests"
    return None


def _file_reason(name: str, at_root: bool) -> str | None:
    if any(fnmatch.fnmatchcase(name, p) for p in SECRET_FILES):
        return "secret"
    if name in VCS:
        return "version control"
    if any(fnmatch.fnmatchcase(name, p) for p in JUNK_FILES):
        return "cache or build output"
    if name in TEST_FILES:
        return "tests"
    if at_root and name in ROOT_FILES:
        return "deployment file" if name != "bootstrap" else "replaced by the package's bootstrap"
    return None


def _inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def collect_project(
    project: pathlib.Path,
    *,
    includes: tuple[str, ...] = (),
    excludes: tuple[str, ...] = (),
    skip_paths: tuple[pathlib.Path, ...] = (),
    prefix: str = "",
) -> Collected:
    """The project's files as a tree (zip paths under ``prefix``), and what was left out."""
    root = os.path.realpath(project)
    skip_real = {os.path.realpath(p) for p in skip_paths}
    tree: Tree = {}
    skipped: list[Skipped] = []

    def wants_into(rel: str) -> bool:
        """An --include pattern names something inside the folder ``rel``."""
        return any(p.startswith(rel + "/") for p in includes)

    def walk(
        directory: str, rel_dir: str, ancestors: frozenset[str], forced: bool, only: bool
    ) -> None:
        """``forced``: an --include took the whole folder; ``only``: the folder is left out,
        and entered only for what an --include names inside it."""
        try:
            names = sorted(os.listdir(directory))
        except OSError as exc:
            raise PackageError(f"cannot read {directory}: {exc.strerror or exc}") from None
        for name in names:
            path = os.path.join(directory, name)
            rel = f"{rel_dir}/{name}" if rel_dir else name
            try:
                rel.encode("utf-8")
            except UnicodeEncodeError:
                skipped.append(Skipped(rel.encode("utf-8", "replace").decode(), "not UTF-8"))
                continue
            included = forced or _matches(rel, name, includes)
            if only and not included and not wants_into(rel):
                continue
            if excludes and _matches(rel, name, excludes) and not _matches(rel, name, includes):
                skipped.append(Skipped(rel, "--exclude"))
                continue
            real = path
            if os.path.islink(path):
                real = os.path.realpath(path)
                if not os.path.exists(real):
                    skipped.append(Skipped(rel, "dangling symlink"))
                    continue
                if not _inside(real, root):
                    skipped.append(Skipped(rel, "symlink out of the project"))
                    continue
            if real in skip_real or os.path.realpath(path) in skip_real:
                continue
            try:
                info = os.stat(real)
            except OSError as exc:
                raise PackageError(f"cannot read {path}: {exc.strerror or exc}") from None
            if stat.S_ISDIR(info.st_mode):
                real_dir = os.path.realpath(real)
                if real_dir in ancestors:
                    skipped.append(Skipped(rel, "symlink loop"))
                    continue
                reason = _dir_reason(rel, name, real, rel_dir == "")
                if (reason is not None or only) and not included:
                    if wants_into(rel):
                        walk(real, rel, ancestors | {real_dir}, False, True)
                    else:
                        skipped.append(Skipped(rel + "/", reason or "left out"))
                    continue
                walk(real, rel, ancestors | {real_dir}, included, False)
                continue
            if not stat.S_ISREG(info.st_mode):
                skipped.append(Skipped(rel, "not a regular file"))
                continue
            reason = _file_reason(name, rel_dir == "")
            if only and not included:
                continue
            if reason is not None and not included:
                skipped.append(Skipped(rel, reason))
                continue
            arcname = prefix + rel
            try:
                check_arcname(arcname)
            except ValueError as exc:
                raise PackageError(f"{path}: {exc}") from None
            tree[arcname] = Entry(source=real, mode=file_mode(arcname, info.st_mode))

    walk(root, "", frozenset({root}), False, False)
    return Collected(tree, skipped)
