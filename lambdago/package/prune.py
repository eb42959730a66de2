"""The installed dependencies as a tree, without what a function never uses.

Left out of what pip installed (``--include PATTERN`` keeps any of it):

* ``bin/`` at the top: pip's console scripts, whose ``#!`` line names the building
  machine's interpreter and cannot run in Lambda;
* ``__pycache__`` and ``*.pyc`` of any version (bytecode is compiled afterwards, for the
  target);
* the install records in ``*.dist-info``: ``RECORD`` (its hashes no longer match once
  bytecode is added), ``INSTALLER``, ``REQUESTED``, ``direct_url.json``; ``METADATA``,
  ``entry_points.txt`` and licences stay, so ``importlib.metadata`` still answers;
* test suites: folders named ``tests`` or ``test`` (at the top or inside a package);
* build leftovers: Cython sources (``*.pyx``, ``*.pxd``, ``*.pxi``) and type stubs
  (``*.pyi``), which nothing reads at run time.
"""

from __future__ import annotations

import fnmatch
import os
import pathlib
import stat

from .zipwriter import Entry, Tree, check_arcname, file_mode

__all__ = ["dependency_tree"]

_RECORDS = ("RECORD", "INSTALLER", "REQUESTED", "direct_url.json")
_LEFTOVERS = ("*.pyc", "*.pyo", "*.pyx", "*.pxd", "*.pxi", "*.pyi")
_TEST_DIRS = ("tests", "test")


def _kept(rel: str, includes: tuple[str, ...]) -> bool:
    name = rel.rpartition("/")[2]
    return any(fnmatch.fnmatchcase(rel, p) or fnmatch.fnmatchcase(name, p) for p in includes)


def dependency_tree(
    installed: pathlib.Path,
    *,
    prefix: str = "",
    includes: tuple[str, ...] = (),
    excludes: tuple[str, ...] = (),
) -> tuple[Tree, int]:
    """The files under ``installed`` as a tree under ``prefix``, and how many were left
    out."""
    tree: Tree = {}
    dropped = 0
    root = str(installed)
    for directory, dirnames, filenames in os.walk(root):
        rel_dir = os.path.relpath(directory, root).replace(os.sep, "/")
        rel_dir = "" if rel_dir == "." else rel_dir
        keep_dirs = []
        for d in sorted(dirnames):
            rel = f"{rel_dir}/{d}" if rel_dir else d
            drop = (
                d == "__pycache__"
                or d in _TEST_DIRS
                or (rel_dir == "" and d == "bin")
                or (excludes and _kept(rel, excludes))
            )
            if (
                drop
                and not _kept(rel, includes)
                and not any(p.startswith(rel + "/") for p in includes)
            ):
                dropped += sum(len(f) for _, _, f in os.walk(os.path.join(directory, d)))
                continue
            keep_dirs.append(d)
        dirnames[:] = keep_dirs
        in_dist_info = rel_dir.endswith(".dist-info") and "/" not in rel_dir
        for name in sorted(filenames):
            rel = f"{rel_dir}/{name}" if rel_dir else name
            path = os.path.join(directory, name)
            drop = (
                (in_dist_info and name in _RECORDS)
                or any(fnmatch.fnmatchcase(name, p) for p in _LEFTOVERS)
                or (excludes and _kept(rel, excludes))
            )
            if drop and not _kept(rel, includes):
                dropped += 1
                continue
            info = os.lstat(path)
            if not stat.S_ISREG(info.st_mode):
                dropped += 1
                continue
            arcname = prefix + rel
            check_arcname(arcname)
            tree[arcname] = Entry(source=path, mode=file_mode(rel, info.st_mode))
    return tree, dropped
