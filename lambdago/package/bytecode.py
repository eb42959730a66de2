"""Bytecode compiled ahead of time, by an interpreter of the target version.

Lambda's ``/var/task`` (and ``/opt``) are read-only: a module without bytecode is
compiled again on every cold start. So every ``.py`` of the package gets its
``__pycache__/<name>.cpython-XY.pyc`` here, written with
``--invalidation-mode unchecked-hash``: the interpreter loads it without comparing it
with the source (the fixed timestamps of the zip would otherwise not match the
timestamp recorded in the bytecode, and it would be ignored).

The compiling interpreter runs with ``PYTHONHASHSEED=0`` and compiles the files one
after the other in name order, so that the output is the same from one build to the
next (set and frozenset constants are written in hash order). The file name recorded in
the code objects is where the file will be in Lambda (``/var/task/app.py``); Python puts
the real path back when it loads the file, so tracebacks show the source that is there.
"""

from __future__ import annotations

import json
import os
import pathlib
import subprocess

from .zipwriter import Entry, Tree

__all__ = ["compile_tree"]

# Run by the target interpreter: reads [[source, arcname, shown_path], ...] as JSON on
# stdin, writes each file's bytecode under OUT, prints {"written": [...], "failed": [...]}.
_COMPILER = r"""
import importlib.util, json, os, py_compile, sys
out = sys.argv[1]
jobs = json.load(sys.stdin)
written, failed = [], []
mode = py_compile.PycInvalidationMode.UNCHECKED_HASH
for source, arcname, shown in jobs:
    cache = importlib.util.cache_from_source(arcname)
    target = os.path.join(out, *cache.split("/"))
    try:
        py_compile.compile(source, cfile=target, dfile=shown, doraise=True,
                           invalidation_mode=mode)
    except (py_compile.PyCompileError, SyntaxError, ValueError, UnicodeDecodeError) as exc:
        failed.append([arcname, str(exc).strip().splitlines()[-1] if str(exc).strip() else
                       type(exc).__name__])
        continue
    written.append([arcname, cache])
json.dump({"written": written, "failed": failed}, sys.stdout)
"""


class CompileFailed(Exception):
    pass


def compile_tree(
    tree: Tree,
    python: str,
    scratch: pathlib.Path,
    *,
    mount: str = "/var/task",
) -> tuple[Tree, list[tuple[str, str]]]:
    """Bytecode for every ``.py`` in ``tree``: a tree of ``.pyc`` entries, and the files
    that did not compile ``[(arcname, error)]`` (they ship without bytecode).

    ``mount`` is where the package's root will be (``/var/task``, or ``/opt`` for a layer).
    """
    jobs = [
        [entry.source, name, f"{mount}/{name}"]
        for name, entry in sorted(tree.items())
        if name.endswith(".py") and entry.source is not None
    ]
    inline = {name: entry for name, entry in tree.items() if name.endswith(".py") and entry.data}
    staged = scratch / "inline-sources"
    for name, entry in sorted(inline.items()):
        path = staged / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(entry.read())
        jobs.append([str(path), name, f"{mount}/{name}"])
    jobs.sort(key=lambda job: job[1])
    out = scratch / "bytecode"
    out.mkdir(parents=True, exist_ok=True)
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("PYTHON") and key not in ("VIRTUAL_ENV",)
    }
    env["PYTHONHASHSEED"] = "0"
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    done = subprocess.run(
        [python, "-S", "-s", "-c", _COMPILER, str(out)],
        input=json.dumps(jobs),
        capture_output=True,
        text=True,
        env=env,
        cwd=str(scratch),
    )
    if done.returncode != 0:
        raise CompileFailed(f"{python} could not compile the bytecode:\n{done.stderr[-3000:]}")
    result = json.loads(done.stdout)
    compiled: Tree = {}
    for arcname, cache in result["written"]:
        path = out.joinpath(*cache.split("/"))
        compiled[cache] = Entry(source=str(path), mode=0o644)
        del arcname
    failed = [(name, error) for name, error in result["failed"]]
    return compiled, failed
