"""The ``lambdago`` command, run as a real process (``python -m lambdago.cli`` and the
console script)."""

from __future__ import annotations

import json
import os
import pathlib
import re
import signal
import subprocess
import sys
import time
import urllib.request

import pytest

from lambdago import events

from .conftest import PYTHON, ROOT_DIR, make_bootstrap, wait_gone

CLI = [PYTHON, "-m", "lambdago.cli"]
EXAMPLES = ROOT_DIR / "docs" / "examples"


def run(
    args: list[str], cwd: pathlib.Path | None = None, stdin: bytes = b"", timeout: float = 60
) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([*CLI, *args], cwd=cwd, input=stdin, capture_output=True, timeout=timeout)


def console_script() -> str:
    path = pathlib.Path(sys.executable).parent / "lambdago"
    if not path.exists():
        pytest.skip(f"the console script is not installed next to {sys.executable}")
    return str(path)


def test_events_list_and_show() -> None:
    done = subprocess.run([console_script(), "events", "list"], capture_output=True, timeout=60)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.decode().splitlines()
    names = events.sample_names()
    assert len(lines) == len(names) > 0
    for line, (name, type_name) in zip(lines, names.items(), strict=True):
        assert line.split() == [name, type_name]
    name = next(iter(names))
    done = run(["events", "show", name])
    assert done.returncode == 0
    assert json.loads(done.stdout) == json.loads(events.sample(name))
    done = run(["events", "show", "no-such-event"])
    assert done.returncode == 2
    assert b"no sample event named" in done.stderr


def test_usage_errors() -> None:
    assert run([]).returncode == 2
    done = run(["serve"])
    assert done.returncode == 2
    assert b"HANDLER" in done.stderr
    done = run(["invoke", "app.handler", "--", PYTHON])
    assert done.returncode == 2
    assert b"not both" in done.stderr
    done = run(["invoke", "app.handler", "--event", "/no/such/file.json"])
    assert done.returncode == 2
    assert b"cannot read" in done.stderr
    done = run(["serve", "app.handler", "--env", "NOEQUALS"])
    assert done.returncode == 2
    assert b"KEY=VALUE" in done.stderr


@pytest.mark.parametrize("name", ["awslambdaric", "raw"])
def test_invoke_with_a_command(name: str, tmp_path: pathlib.Path) -> None:
    boot = make_bootstrap(name, tmp_path / "task")
    event = tmp_path / "event.json"
    event.write_text('{"action": "echo", "n": 1}')
    done = run(["invoke", "--event", str(event), "--", *boot.command], cwd=boot.task_root)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {"action": "echo", "n": 1}
    assert b"START RequestId: " in done.stderr
    assert b"REPORT RequestId: " in done.stderr
    # stdin, and a function error: exit status 1 with the error on stdout.
    done = run(
        ["invoke", "-", "--", *boot.command], cwd=boot.task_root, stdin=b'{"action": "fail"}'
    )
    assert done.returncode == 1
    assert json.loads(done.stdout)["errorType"] == boot.error_type
    # No event: {}.
    done = run(["invoke", "--", *boot.command], cwd=boot.task_root)
    assert done.returncode == 0
    assert json.loads(done.stdout) == {}
    # A sample event, echoed back unchanged.
    sample = next(iter(events.sample_names()))
    done = run(["invoke", "--data-example", sample, "--", *boot.command], cwd=boot.task_root)
    assert done.returncode == 0
    assert json.loads(done.stdout) == json.loads(events.sample(sample))
    # Options reach the runtime.
    wanted = {"A": "1", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "512", "AWS_LAMBDA_FUNCTION_NAME": "f1"}
    done = run(
        [
            "invoke",
            "--env",
            "A=1",
            "--memory",
            "512",
            "--function-name",
            "f1",
            "-",
            "--",
            *boot.command,
        ],
        cwd=boot.task_root,
        stdin=json.dumps({"action": "env", "names": list(wanted)}).encode(),
    )
    assert json.loads(done.stdout) == {
        "A": "1",
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "512",
        "AWS_LAMBDA_FUNCTION_NAME": "f1",
    }
    # A timeout is an error too.
    done = run(
        ["invoke", "--timeout", "0.5", "-", "--", *boot.command],
        cwd=boot.task_root,
        stdin=b'{"action": "sleep", "seconds": 5}',
    )
    assert done.returncode == 1
    assert json.loads(done.stdout)["errorType"] == "Sandbox.Timedout"


def test_invoke_with_a_handler(tmp_path: pathlib.Path) -> None:
    """The HANDLER form runs lambdago's own bootstrap."""
    boot = make_bootstrap("lambdago", tmp_path / "task")
    done = run(
        ["invoke", "app.go_handler", "-"], cwd=boot.task_root, stdin=b'{"action": "echo", "k": "v"}'
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {"action": "echo", "k": "v"}
    done = run(["invoke", "app.go_handler", "-"], cwd=boot.task_root, stdin=b'{"action": "fail"}')
    assert done.returncode == 1
    assert json.loads(done.stdout)["errorType"] == "ValueError"


def test_the_readme_example() -> None:
    """`lambdago invoke docs/examples/hello.py:handler --event docs/examples/hello-event.json`."""
    if not (EXAMPLES / "hello.py").exists():
        pytest.fail("docs/examples/hello.py is missing")
    done = subprocess.run(
        [
            console_script(),
            "invoke",
            "docs/examples/hello.py:handler",
            "--event",
            "docs/examples/hello-event.json",
        ],
        cwd=ROOT_DIR,
        capture_output=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout)
    assert answer["message"] == "Hello, Ada! You write Python, Go."
    assert re.match(r"^[0-9a-f-]{36}$", answer["request_id"])
    assert b"greeting Ada" in done.stderr


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_serve(sig: signal.Signals, tmp_path: pathlib.Path) -> None:
    boot = make_bootstrap("awslambdaric", tmp_path / "task")
    proc = subprocess.Popen(
        [
            *CLI,
            "serve",
            "--port",
            "0",
            "--concurrency",
            "2",
            "--env",
            "GREETING=hi",
            "--",
            *boot.command,
        ],
        cwd=boot.task_root,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        banner = []
        url = None
        deadline = time.monotonic() + 30
        while url is None and time.monotonic() < deadline:
            line = proc.stdout.readline()
            assert line, proc.stderr.read() if proc.stderr else ""
            banner.append(line)
            match = re.search(
                r"invoke endpoint (http://127\.0\.0\.1:\d+/2015-03-31/functions/function/invocations)",
                line,
            )
            if match:
                url = match.group(1)
        assert url is not None
        line = proc.stdout.readline()
        line += proc.stdout.readline()
        assert "curl" in line
        assert url in line
        payload = json.dumps({"action": "env", "names": ["GREETING"]}).encode()
        request = urllib.request.Request(url, data=payload, method="POST")
        with urllib.request.urlopen(request, timeout=30) as response:
            assert response.status == 200
            assert json.loads(response.read()) == {"GREETING": "hi"}
        request = urllib.request.Request(
            url, data=json.dumps({"action": "pid"}).encode(), method="POST"
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            pid = json.loads(response.read())["pid"]
        proc.send_signal(sig)
        assert proc.wait(timeout=10) == 0
        assert wait_gone([pid]) == []
        rest = proc.stdout.read()
        assert "START RequestId:" in "".join(banner) + rest
    finally:
        proc.kill()
        proc.wait()
        for stream in (proc.stdout, proc.stderr):
            if stream is not None:
                stream.close()


def test_serve_refuses_a_taken_port(tmp_path: pathlib.Path) -> None:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        port = sock.getsockname()[1]
        done = run(["serve", "--port", str(port), "--", PYTHON, "-V"], cwd=tmp_path)
    assert done.returncode == 1
    assert b"cannot listen" in done.stderr


def test_import_is_cheap() -> None:
    heavy = ("argparse", "asyncio", "typing", "lambdago.emulator", "lambdago.events")
    code = f"import sys, lambdago.cli; print(sorted(m for m in {heavy!r} if m in sys.modules))"
    done = subprocess.run(
        [PYTHON, "-c", code],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PYTHONWARNINGS": ""},
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_invoke_prints_a_streamed_response_as_it_arrives(tmp_path: pathlib.Path) -> None:
    (tmp_path / "app.py").write_text(
        "import time\n"
        "def handler(event):\n"
        "    def pieces():\n"
        "        yield 'first\\n'\n"
        "        if event.get('fail'):\n"
        "            raise ValueError('broke')\n"
        "        yield 'second\\n'\n"
        "    return pieces()\n"
    )
    done = run(["invoke", "app.handler"], cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout == b"first\nsecond\n"
    event = tmp_path / "fail.json"
    event.write_text('{"fail": true}')
    done = run(["invoke", "app.handler", "--event", str(event)], cwd=tmp_path)
    assert done.returncode == 1
    assert done.stdout == b"first\n"
    assert b"lambdago: the streamed response failed:" in done.stderr
    assert b'"errorType": "ValueError"' in done.stderr


def test_serve_max_concurrency_must_be_positive() -> None:
    done = run(["serve", "app.handler", "--max-concurrency", "0"])
    assert done.returncode == 2
    assert b"--max-concurrency must be at least 1" in done.stderr
