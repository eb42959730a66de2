"""Coverage-guided fuzzing of one target with atheris (libFuzzer).

    python -m tests.fuzz TARGET [libFuzzer options] [corpus dirs or crash files]

TARGET is one of the names in tests/fuzz/targets.py (``python -m tests.fuzz --list``).
Without a corpus directory, one is made in a temporary directory and seeded (the sample
events and conformance files for the codec targets, a real Runtime API answer, request
and headers for the others). Examples:

    python -m tests.fuzz event_codec -runs=2000                 # the short run CI makes
    python -m tests.fuzz mutated_event -max_total_time=3600     # an hour
    python -m tests.fuzz http11_request crash-0123abcd          # replay a crash

A crash (an exception other than the target's documented error) stops the run with the
traceback and writes the input to ``crash-<sha1>`` in the current directory.
"""

from __future__ import annotations

import os
import sys
import tempfile

SEEDS: dict[str, list[bytes]] = {
    "response_parser": [
        b"\x03HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
        b"Lambda-Runtime-Aws-Request-Id: 8476a536-e9f4-11e8-9739-2dfe598c3fcd\r\n"
        b"Lambda-Runtime-Deadline-Ms: 1542409706888\r\nContent-Length: 2\r\n\r\n{}",
        b"\x01HTTP/1.1 202 Accepted\r\nTransfer-Encoding: chunked\r\n\r\n"
        b"5;x=y\r\nhello\r\n0\r\nTrailer: 1\r\n\r\n",
        b"\x00HTTP/1.0 200 OK\r\n\r\nbody until close",
    ],
    "context_headers": [
        b"\x00id-1\n\x01 1542409706888\n\x04"
        b'{"client":{"app_title":"x"},"custom":{"a":1},"env":{}}\n\x05{"cognitoIdentityId":"i"}',
    ],
    "handler_name": [b"app.handler", b"pkg.mod:Service.handle", b"src/app.py:handler"],
    "http11_request": [
        b"\x03POST /2015-03-31/functions/function/invocations HTTP/1.1\r\nHost: x\r\n"
        b"Content-Length: 2\r\n\r\n{}GET /2018-06-01/runtime/invocation/next HTTP/1.1\r\n\r\n",
        b"\x02POST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\nExpect: 100-continue\r\n\r\n"
        b"3;e=1\r\nabc\r\n0\r\nT: v\r\n\r\n",
    ],
    "dynamodb": [
        b'{"a":{"S":"x"},"b":{"N":"1.5"},"c":{"B":"AAE="},"d":{"BOOL":true},"e":{"NULL":true},'
        b'"f":{"L":[{"N":"1"}]},"g":{"M":{"h":{"SS":["x"]}}},"i":{"NS":["1","2"]},'
        b'"j":{"BS":["AA=="]}}',
    ],
}


def _seed_corpus(name: str, directory: str) -> None:
    from tests.fuzz import targets

    seeds = list(SEEDS.get(name, []))
    if name in ("event_codec", "mutated_event"):
        types = targets.event_types()
        index = {cls.__name__: i for i, cls in enumerate(types)}
        for i, (type_name, raw) in enumerate(targets.seed_events()):
            if name == "event_codec":
                seeds.append(index.get(type_name, 0).to_bytes(2, "big") + raw)
            else:
                seeds.append(i.to_bytes(2, "big") + bytes([i % 4, i % 256]))
    for i, seed in enumerate(seeds):
        with open(os.path.join(directory, f"seed-{i:04d}"), "wb") as f:
            f.write(seed)


def main(argv: list[str]) -> int:
    if len(argv) < 2 or argv[1] in ("-h", "--help", "--list"):
        from tests.fuzz import targets

        print(__doc__)
        print("targets:", ", ".join(targets.TARGETS))
        return 0 if len(argv) >= 2 else 2
    name, rest = argv[1], argv[2:]
    try:
        import atheris
    except ImportError:
        print(
            "atheris is not installed (pip install atheris; it has wheels for Linux x86_64). "
            "tests/fuzz/test_fuzz.py runs every target under hypothesis without it.",
            file=sys.stderr,
        )
        return 2
    if "lambdago" in sys.modules:
        print("lambdago was imported before instrumentation", file=sys.stderr)
    with atheris.instrument_imports(include=["lambdago"]):
        from tests.fuzz import targets

        if name not in targets.TARGETS:
            print(f"unknown target {name!r}; one of: {', '.join(targets.TARGETS)}")
            return 2
        if name in ("event_codec", "mutated_event"):
            targets.event_types()  # import (and instrument) every event module now
        import lambdago.events.dynamodb  # noqa: F401
    target = targets.TARGETS[name]
    if not any(not arg.startswith("-") for arg in rest):
        corpus = tempfile.mkdtemp(prefix=f"lambdago-fuzz-{name}-")
        _seed_corpus(name, corpus)
        rest = [*rest, corpus]
    atheris.Setup([argv[0], *rest], target)
    atheris.Fuzz()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
