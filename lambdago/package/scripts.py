"""The ``bootstrap`` script of a package, and the managed runtime's exec wrapper.

The bootstrap is a small ``#!/bin/sh`` script (no fork: only shell built-ins, then one
``exec``). It finds the interpreter, in this order:

1. ``$LAMBDAGO_PYTHON``, when set (an error if it is not executable);
2. a Python layer: ``/opt/python/bin/pythonX.Y``, ``/opt/python/bin/python3``,
   ``/opt/bin/pythonX.Y``, ``/opt/bin/python3``;
3. a managed Python runtime: ``/var/lang/bin/pythonX.Y``, ``/var/lang/bin/python3``;

and otherwise writes where it looked to stderr and exits 127. It then runs

    python -S -B -c PROGRAM TASK_ROOT OPT BOOTSTRAP HANDLER

* ``-S``: no ``site`` processing (no site-packages scan, no ``.pth`` files): the
  dependencies are in the task root or a layer, put on ``sys.path`` directly, as Lambda's
  Python runtimes put them; it saves a few milliseconds of every cold start;
* ``-B``: no attempt to write bytecode (``/var/task`` is read-only; the package ships
  its bytecode, compiled ahead);
* ``-c PROGRAM`` (rather than ``-m lambdago``, which loads ``runpy`` and its imports):
  checks the interpreter's version (the bytecode and compiled dependencies are for X.Y
  only), sets ``sys.path`` to ``[$LAMBDA_TASK_ROOT, /opt/python/lib/pythonX.Y/site-packages,
  /opt/python, $PYTHONPATH..., the standard library]`` and calls
  ``lambdago.runtime.bootstrap.main([HANDLER])``.

The handler is the one given to ``lambdago package``; ``$LAMBDAGO_HANDLER`` replaces it
(one package, several functions). ``$LAMBDAGO_OPT_ROOT`` replaces ``/opt``: it exists for
tests, which unpack a layer somewhere else.
"""

from __future__ import annotations

import shlex

__all__ = ["bootstrap_script", "interpreter_candidates", "wrapper_script"]

WRAPPER_NAME = "lambdago-wrapper"

_PROGRAM = """import sys
if sys.version_info[:2] != ({major}, {minor}):
    sys.stderr.write("lambdago: %s is Python %d.%d, but this package was built for Python \
{version}: its bytecode and compiled dependencies are for {version} only. Use a Python \
{version} interpreter, or package again with --python %d.%d\\n"
                     % ((sys.executable,) + tuple(sys.version_info[:2]) * 2))
    raise SystemExit(127)
sys.path[0] = sys.argv[1]
sys.path[1:1] = [sys.argv[2] + "/python/lib/python{version}/site-packages", \
sys.argv[2] + "/python"]
sys.argv[:] = sys.argv[3:]
from lambdago.runtime.bootstrap import main
main(sys.argv[1:])"""


def interpreter_candidates(version: str, opt: str = "/opt") -> list[str]:
    """Where the bootstrap looks for Python, after ``$LAMBDAGO_PYTHON``."""
    return [
        f"{opt}/python/bin/python{version}",
        f"{opt}/python/bin/python3",
        f"{opt}/bin/python{version}",
        f"{opt}/bin/python3",
        f"/var/lang/bin/python{version}",
        "/var/lang/bin/python3",
    ]


def python_program(version: str) -> str:
    major, minor = version.split(".")
    program = _PROGRAM.format(major=int(major), minor=int(minor), version=version)
    assert "'" not in program
    return program


def bootstrap_script(handler: str, version: str, lambdago_version: str) -> bytes:
    """The ``bootstrap`` for ``handler`` on Python ``version`` (X.Y)."""
    candidates = interpreter_candidates(version, "$opt")
    quoted = " ".join(f'"{c}"' for c in candidates)
    looked = "\n".join(f'        echo "  {c}" >&2' for c in candidates)
    text = f"""#!/bin/sh
# The bootstrap of a Lambda function packaged by lambdago {lambdago_version}: it serves
# {handler} with lambdago's runtime on Python {version}.
#
# The interpreter is the first of: $LAMBDAGO_PYTHON; a Python layer's
# /opt/python/bin/python{version}, /opt/python/bin/python3, /opt/bin/python{version},
# /opt/bin/python3; a managed runtime's /var/lang/bin/python{version}, /var/lang/bin/python3.
# $LAMBDAGO_HANDLER replaces the handler. $LAMBDAGO_OPT_ROOT replaces /opt (for tests only).
opt=${{LAMBDAGO_OPT_ROOT:-/opt}}
if [ -n "${{LAMBDAGO_PYTHON-}}" ]; then
    py=$LAMBDAGO_PYTHON
    if [ ! -f "$py" ] || [ ! -x "$py" ]; then
        echo "lambdago: LAMBDAGO_PYTHON=$py is not an executable file" >&2
        exit 127
    fi
else
    py=
    for candidate in {quoted}; do
        if [ -f "$candidate" ] && [ -x "$candidate" ]; then
            py=$candidate
            break
        fi
    done
    if [ -z "$py" ]; then
        echo "lambdago: no Python interpreter found for this function" \
            "(it needs Python {version}). Looked for:" >&2
        echo "  \\$LAMBDAGO_PYTHON (not set)" >&2
{looked}
        echo "Add a layer with Python {version} (docs/deploy-provided.md), or deploy" \
            "as a container image (--target image) or on the managed python{version}" \
            "runtime (--target managed)." >&2
        exit 127
    fi
fi
handler=${{LAMBDAGO_HANDLER-}}
if [ -z "$handler" ]; then
    handler={shlex.quote(handler)}
fi
exec "$py" -S -B -c '{python_program(version)}' \
    "${{LAMBDA_TASK_ROOT:-${{0%/*}}}}" "$opt" "$0" "$handler"
"""
    return text.encode()


def wrapper_script(version: str, lambdago_version: str) -> bytes:
    """The ``AWS_LAMBDA_EXEC_WRAPPER`` script for the managed ``python{version}`` runtime."""
    text = f"""#!/bin/sh
# AWS_LAMBDA_EXEC_WRAPPER of a function packaged by lambdago {lambdago_version} for the
# managed python{version} runtime. Lambda runs it as `{WRAPPER_NAME} <the runtime's
# interpreter> <its bootstrap> ...`; that command line is ignored: lambdago's bootstrap
# serves the function instead, with the managed runtime's own Python.
LAMBDAGO_PYTHON=${{LAMBDAGO_PYTHON:-/var/lang/bin/python3}}
export LAMBDAGO_PYTHON
exec "${{LAMBDA_TASK_ROOT:-${{0%/*}}}}/bootstrap"
"""
    return text.encode()
