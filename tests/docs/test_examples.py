"""Every code example of the documentation runs, so that none rots.

Collected from README.md and docs/**/*.md:

* ```python blocks: run in a fresh interpreter (a subprocess per example, the checkout
  first on ``sys.path``, the repository root as working directory), as the body of a
  module named ``app``, as a function's module would be (so ``lambdago.start(...)`` under
  ``if __name__ == "__main__":`` stays a declaration, and messages naming the handler read
  ``app.handler``). A block preceded by ``<!-- continues -->`` continues the page's previous
  Python block: same interpreter, same namespace. Tracebacks name the Markdown file and
  line.
* ```console blocks: each ``$ command`` runs in bash from the repository root, with this
  interpreter's ``bin`` folder first on ``PATH`` (so ``lambdago`` is this checkout's). It
  must exit 0 (or the status a ``<!-- exit: N -->`` comment gives), and the lines shown
  after it must match its standard output: UUIDs match any UUID and ``…`` matches anything.
* ```sh / ```bash blocks: run as one bash script (``set -e``), which must exit 0.

Two more comments apply to the block after them: ``<!-- file: PATH -->`` says the block is
the text of that file of the repository (the test fails if they differ, so a page can show
a file that console examples then use), and ``<!-- cwd: DIR -->`` runs a console or shell
block in that folder of the repository.

A block preceded by ``<!-- not run: REASON -->`` is reported as skipped, with the reason
(a Python block so marked stands alone: the next block may continue the one before it).
Other fences (no language, ``go``, ``yaml`` …) are text and are not collected.
"""

from __future__ import annotations

import json
import os
import pathlib
import re
import shlex
import signal
import subprocess
import sys
from dataclasses import dataclass, field

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
TIMEOUT = 180

PYTHON = {"python", "py"}
CONSOLE = {"console"}
SHELL = {"sh", "bash", "shell"}

_FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})\s*(?P<lang>[\w+-]*)")
_DIRECTIVE = re.compile(r"^\s*<!--\s*(?P<name>[a-z][a-z -]*?)\s*(?::\s*(?P<value>.*?))?\s*-->\s*$")
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


@dataclass
class Block:
    path: pathlib.Path
    line: int  # of the first line of code (1-based)
    lang: str
    code: str
    directives: dict[str, str] = field(default_factory=dict)

    @property
    def where(self) -> str:
        return f"{self.path.relative_to(ROOT)}:{self.line}"


def documents() -> list[pathlib.Path]:
    docs = sorted(p for p in (ROOT / "docs").rglob("*.md") if "_build" not in p.parts)
    return [ROOT / "README.md", *docs]


def blocks(path: pathlib.Path) -> list[Block]:
    """The fenced blocks of a Markdown file, with the directives just above each."""
    lines = path.read_text(encoding="utf-8").split("\n")
    out: list[Block] = []
    i = 0
    while i < len(lines):
        match = _FENCE.match(lines[i])
        if not match:
            i += 1
            continue
        indent, fence, lang = match["indent"], match["fence"], match["lang"].lower()
        directives: dict[str, str] = {}
        j = i - 1
        while j >= 0 and (d := _DIRECTIVE.match(lines[j])):
            directives.setdefault(d["name"], d["value"] or "")
            j -= 1
        body: list[str] = []
        k = i + 1
        while k < len(lines) and not (
            lines[k].startswith(indent + fence[0] * 3) and lines[k].strip().strip(fence[0]) == ""
        ):
            body.append(
                lines[k][len(indent) :] if lines[k].startswith(indent) else lines[k].lstrip()
            )
            k += 1
        out.append(Block(path, i + 2, lang, "\n".join(body) + "\n", directives))
        i = k + 1
    return out


@dataclass
class Example:
    kind: str  # "python", "console" or "sh"
    blocks: list[Block]

    @property
    def id(self) -> str:
        return self.blocks[0].where

    @property
    def skip_reason(self) -> str | None:
        return self.blocks[0].directives.get("not run")


def examples() -> list[Example]:
    out: list[Example] = []
    for path in documents():
        chain: Example | None = None
        for block in blocks(path):
            if block.lang in PYTHON:
                if "not run" in block.directives:  # on its own: neither starts nor continues
                    out.append(Example("python", [block]))
                    continue
                if "continues" in block.directives:
                    assert chain is not None, f"{block.where}: nothing to continue"
                    chain.blocks.append(block)
                    continue
                chain = Example("python", [block])
                out.append(chain)
            elif block.lang in CONSOLE:
                out.append(Example("console", [block]))
            elif block.lang in SHELL:
                out.append(Example("sh", [block]))
    return out


EXAMPLES = examples()

# Runs inside the fresh interpreter: reads the blocks as JSON from stdin and executes them
# one after another as the module ``app``, each compiled under its Markdown file and line.
RUNNER = """
import json, sys, types
blocks = json.load(sys.stdin)
module = sys.modules["app"] = types.ModuleType("app")
for block in blocks:
    code = "\\n" * (block["line"] - 1) + block["code"]
    exec(compile(code, block["file"], "exec"), module.__dict__)
"""


def run(command: list[str], cwd: pathlib.Path, stdin: str | None = None) -> Done:
    """Run ``command`` in a session of its own; on timeout, kill everything it started."""
    proc = subprocess.Popen(
        command,
        stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=cwd,
        env=environment(),
        start_new_session=True,
    )
    try:
        out, err = proc.communicate(stdin, timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        out, err = proc.communicate()
        pytest.fail(f"`{shlex.join(command)[:200]}` took more than {TIMEOUT} s:\n{err[-2000:]}")
    finally:
        try:
            os.killpg(proc.pid, signal.SIGKILL)  # anything it left running in the background
        except ProcessLookupError:
            pass
    return Done(proc.returncode, out, err)


@dataclass
class Done:
    returncode: int
    stdout: str
    stderr: str


def environment() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH", "")) if p)
    env["PATH"] = os.pathsep.join((str(pathlib.Path(sys.executable).parent), env.get("PATH", "")))
    env.pop("AWS_LAMBDA_RUNTIME_API", None)
    return env


def run_python(example: Example) -> None:
    payload = [
        {"file": str(b.path.relative_to(ROOT)), "line": b.line, "code": b.code}
        for b in example.blocks
    ]
    done = run([sys.executable, "-c", RUNNER], ROOT, stdin=json.dumps(payload))
    assert done.returncode == 0, (
        f"the example at {example.id} failed (exit {done.returncode}):\n"
        f"{done.stderr[-4000:]}\n--- stdout ---\n{done.stdout[-2000:]}"
    )


def _matches(expected: list[str], got: list[str]) -> bool:
    if len(expected) != len(got):
        return False
    for want, have in zip(expected, got, strict=True):
        want, have = _UUID.sub("<uuid>", want.rstrip()), _UUID.sub("<uuid>", have.rstrip())
        pattern = ".*".join(re.escape(part) for part in want.split("…"))
        if not re.fullmatch(pattern, have):
            return False
    return True


def run_console(example: Example) -> None:
    block = example.blocks[0]
    status = int(block.directives.get("exit", "0"))
    commands: list[tuple[str, list[str]]] = []
    for line in block.code.rstrip("\n").split("\n"):
        if line.startswith("$ "):
            commands.append((line[2:], []))
        elif commands:
            commands[-1][1].append(line)
    assert commands, f"{example.id}: a console block without a `$ ` command"
    for command, expected in commands:
        done = run(["bash", "-c", command], workdir(example))
        assert done.returncode == status, (
            f"{example.id}: `{command}` exited {done.returncode}, expected {status}:\n"
            f"{done.stderr[-3000:]}\n--- stdout ---\n{done.stdout[-2000:]}"
        )
        got = done.stdout.rstrip("\n").split("\n") if done.stdout.strip() else []
        while expected and not expected[-1].strip():
            expected.pop()
        if expected:
            assert _matches(expected, got), (
                f"{example.id}: `{command}` printed\n{done.stdout}\nexpected\n"
                + "\n".join(expected)
            )


def run_sh(example: Example) -> None:
    done = run(["bash", "-e", "-c", example.blocks[0].code], workdir(example))
    assert done.returncode == 0, (
        f"the shell example at {example.id} failed (exit {done.returncode}):\n"
        f"{done.stderr[-3000:]}\n--- stdout ---\n{done.stdout[-2000:]}"
    )


def check_files(example: Example) -> None:
    for block in example.blocks:
        name = block.directives.get("file")
        if name is not None:
            text = (ROOT / name).read_text(encoding="utf-8")
            assert text == block.code, f"{block.where}: the block differs from {name}"


def workdir(example: Example) -> pathlib.Path:
    return ROOT / example.blocks[0].directives.get("cwd", ".")


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.id for e in EXAMPLES])
def test_example(example: Example) -> None:
    reason = example.skip_reason
    if reason is not None:
        pytest.skip(f"{example.id}: not run: {reason}")
    check_files(example)
    {"python": run_python, "console": run_console, "sh": run_sh}[example.kind](example)


def test_examples_are_collected() -> None:
    """The collector sees the examples (a parser regression would silently test nothing)."""
    kinds = {e.kind for e in EXAMPLES}
    assert {"python", "console"} <= kinds
    assert sum(e.kind == "python" for e in EXAMPLES) >= 20


def test_not_run_examples_say_why() -> None:
    for example in EXAMPLES:
        reason = example.skip_reason
        assert reason is None or len(reason) > 10, f"{example.id}: say why it is not run"
