"""The Runtime API protocol without sockets: request bytes and the answer parser."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lambdago.runtime import protocol
from lambdago.runtime.bootstrap import InitError, parse_handler
from lambdago.runtime.protocol import (
    ErrorRequest,
    InitErrorRequest,
    NextRequest,
    ProtocolError,
    RegisterExtensionRequest,
    ResponseParser,
    ResponseRequest,
    quote_request_id,
)

HOST = "127.0.0.1:9001"


def _split(request: bytes) -> tuple[str, dict[str, str], bytes]:
    head, _, body = request.partition(b"\r\n\r\n")
    lines = head.decode().split("\r\n")
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(": ")
        headers[name] = value
    return lines[0], headers, body


def test_next_request() -> None:
    line, headers, body = _split(NextRequest().to_bytes(HOST))
    assert line == "GET /2018-06-01/runtime/invocation/next HTTP/1.1"
    assert headers["Host"] == HOST
    assert headers["User-Agent"].startswith("lambdago/") and " python/3." in headers["User-Agent"]
    assert body == b""


def test_response_request() -> None:
    request = ResponseRequest("8476a536-e9f4-11e8-9739-2dfe598c3fcd", b'{"ok":true}')
    line, headers, body = _split(request.to_bytes(HOST))
    assert (
        line
        == "POST /2018-06-01/runtime/invocation/8476a536-e9f4-11e8-9739-2dfe598c3fcd/response HTTP/1.1"
    )
    assert headers["Content-Type"] == "application/json"
    assert headers["Content-Length"] == "11"
    assert body == b'{"ok":true}'
    raw = ResponseRequest("r", b"\x00\x01", "application/octet-stream").to_bytes(HOST)
    assert _split(raw)[1]["Content-Type"] == "application/octet-stream"


def test_error_request_headers_and_xray_limit() -> None:
    payload = json.dumps({"errorMessage": "m", "errorType": "T"}).encode()
    cause = json.dumps({"working_directory": "/var/task", "message": "é ☃"}).encode()
    line, headers, body = _split(ErrorRequest("r1", payload, "My.Error", cause).to_bytes(HOST))
    assert line == "POST /2018-06-01/runtime/invocation/r1/error HTTP/1.1"
    assert headers["Lambda-Runtime-Function-Error-Type"] == "My.Error"
    # Non-ASCII in the cause is escaped, so the header stays ASCII and still valid JSON.
    assert json.loads(headers["Lambda-Runtime-Function-XRay-Error-Cause"]) == json.loads(cause)
    assert headers["Lambda-Runtime-Function-XRay-Error-Cause"].isascii()
    assert body == payload
    big = b'{"x":"' + b"a" * (1024 * 1024) + b'"}'
    _, headers, _ = _split(ErrorRequest("r1", payload, "T", big).to_bytes(HOST))
    assert "Lambda-Runtime-Function-XRay-Error-Cause" not in headers


def test_init_error_and_extension_registration() -> None:
    line, headers, body = _split(
        InitErrorRequest(b"{}", "Runtime.ImportModuleError").to_bytes(HOST)
    )
    assert line == "POST /2018-06-01/runtime/init/error HTTP/1.1"
    assert headers["Lambda-Runtime-Function-Error-Type"] == "Runtime.ImportModuleError"
    line, headers, body = _split(RegisterExtensionRequest("lambdago-sigterm").to_bytes(HOST))
    assert line == "POST /2020-01-01/extension/register HTTP/1.1"
    assert headers["Lambda-Extension-Name"] == "lambdago-sigterm"
    assert json.loads(body) == {"events": []}


def test_request_ids_are_quoted_into_one_path_segment() -> None:
    assert (
        quote_request_id("8476a536-e9f4-11e8-9739-2dfe598c3fcd")
        == "8476a536-e9f4-11e8-9739-2dfe598c3fcd"
    )
    assert quote_request_id("a b/c\r\nX: y") == "a%20b%2Fc%0D%0AX%3A%20y"
    assert quote_request_id("é") == "%C3%A9"


@given(st.text())
def test_any_request_id_gives_a_valid_request_line(request_id: str) -> None:
    line = ResponseRequest(request_id, b"").to_bytes(HOST).split(b"\r\n", 1)[0]
    method, path, version = line.split(b" ")
    assert (method, version) == (b"POST", b"HTTP/1.1")
    assert path.startswith(b"/2018-06-01/runtime/invocation/") and path.endswith(b"/response")
    assert path.count(b"/") == 5


# -- the parser ---------------------------------------------------------------------------------

NEXT_ANSWER = (
    b"HTTP/1.1 200 OK\r\n"
    b"Content-Type: application/json\r\n"
    b"Lambda-Runtime-Aws-Request-Id: 8476a536-e9f4-11e8-9739-2dfe598c3fcd\r\n"
    b"Lambda-Runtime-Deadline-Ms: 1542409706888\r\n"
    b"Lambda-Runtime-Invoked-Function-Arn: arn:aws:lambda:us-east-2:123456789012:function:custom-runtime\r\n"
    b"Lambda-Runtime-Trace-Id: Root=1-5bef4de7-ad49b0e87f6ef6c87fc2e700;Parent=9a9197af755a6419;Sampled=1\r\n"
    b"Date: Fri, 16 Nov 2018 22:48:26 GMT\r\n"
    b"Content-Length: 17\r\n\r\n"
    b'{"key1":"value1"}'
)


def test_parses_a_real_next_answer() -> None:
    response = ResponseParser().feed(NEXT_ANSWER)
    assert response is not None
    assert response.status == 200 and response.reason == "OK"
    assert (
        response.headers["lambda-runtime-aws-request-id"] == "8476a536-e9f4-11e8-9739-2dfe598c3fcd"
    )
    assert response.headers["lambda-runtime-deadline-ms"] == "1542409706888"
    assert response.body == b'{"key1":"value1"}'
    assert response.keep_alive


@settings(max_examples=200)
@given(st.lists(st.integers(min_value=1, max_value=len(NEXT_ANSWER) - 1), unique=True, max_size=10))
def test_answers_split_anywhere_parse_the_same(cuts: list[int]) -> None:
    parser = ResponseParser()
    pieces = [
        NEXT_ANSWER[a:b]
        for a, b in zip([0, *sorted(cuts)], [*sorted(cuts), len(NEXT_ANSWER)], strict=True)
    ]
    results = [parser.feed(p) for p in pieces]
    assert all(r is None for r in results[:-1])
    final = results[-1]
    assert final is not None and final.body == b'{"key1":"value1"}'
    assert final.headers["lambda-runtime-deadline-ms"] == "1542409706888"


def test_two_answers_in_one_read_and_keep_alive() -> None:
    parser = ResponseParser()
    accepted = b'HTTP/1.1 202 Accepted\r\nContent-Length: 16\r\n\r\n{"status":"OK"}\n'
    first = parser.feed(accepted + NEXT_ANSWER[:50])
    assert first is not None and first.status == 202 and first.body == b'{"status":"OK"}\n'
    second = parser.feed(NEXT_ANSWER[50:])
    assert second is not None and second.status == 200
    closing = parser.feed(
        b"HTTP/1.1 202 Accepted\r\nConnection: close\r\nContent-Length: 0\r\n\r\n"
    )
    assert closing is not None and not closing.keep_alive
    old = parser.feed(b"HTTP/1.0 202 Accepted\r\nContent-Length: 0\r\n\r\n")
    assert old is not None and not old.keep_alive


_ANSWERS = [
    NEXT_ANSWER,
    b'HTTP/1.1 202 Accepted\r\nContent-Type: application/json\r\nContent-Length: 16\r\n\r\n{"status":"OK"}\n',
    b"HTTP/1.1 202 Accepted\r\nContent-Length: 0\r\n\r\n",
    b"HTTP/1.1 202 Accepted\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok",
    b"HTTP/1.0 202 Accepted\r\nContent-Length: 0\r\n\r\n",
    b"HTTP/1.1 202 Accepted\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n",
    b"HTTP/1.1 413 Payload Too Large\r\nContent-Length: 3\r\n\r\nbig",
]


def _summary(response: protocol.Response | None) -> tuple[Any, ...] | None:
    if response is None:
        return None
    return (response.status, response.reason, response.headers, response.body, response.keep_alive)


@settings(max_examples=200)
@given(st.lists(st.tuples(st.sampled_from(range(len(_ANSWERS))), st.booleans()), max_size=12))
def test_a_long_lived_parser_answers_as_a_fresh_one(order: list[tuple[int, bool]]) -> None:
    # The parser keeps the last 202 head it parsed, to skip parsing it again: what it gives
    # must not depend on what it parsed before (nor on a HEAD request in between).
    parser = ResponseParser()
    for index, head in order:
        fresh = ResponseParser()
        if head:
            parser.expect_no_body("HEAD")
            fresh.expect_no_body("HEAD")
        got = parser.feed(_ANSWERS[index])
        want = fresh.feed(_ANSWERS[index])
        assert _summary(got) == _summary(want)
        if got is not None and parser.pending:
            parser = ResponseParser()  # a HEAD answer's "body" stays behind: start over
        if got is None:
            parser = ResponseParser()
        else:
            got.headers["content-length"] = (
                "changed by a caller"  # must not leak into later answers
            )


@settings(max_examples=200)
@given(
    st.lists(st.sampled_from(range(len(_ANSWERS))), min_size=1, max_size=6),
    st.lists(st.integers(min_value=1, max_value=2000), unique=True, max_size=8),
)
def test_back_to_back_answers_cut_anywhere(order: list[int], cuts: list[int]) -> None:
    # Answers arriving back to back (a 202 and the pipelined /next's answer, say), in reads
    # cut anywhere: each feed gives at most one answer, the bytes after it wait for the
    # next feed (``feed(b"")`` while ``pending``), and every answer comes out as a fresh
    # parser would give it, in order.
    stream = b"".join(_ANSWERS[i] for i in order)
    bounds = sorted({c for c in cuts if c < len(stream)})
    reads = [stream[a:b] for a, b in zip([0, *bounds], [*bounds, len(stream)], strict=True)]
    parser = ResponseParser()
    got = []
    for data in reads:
        response = parser.feed(data)
        while response is not None:
            got.append(_summary(response))
            response = parser.feed(b"") if parser.pending else None
    assert parser.pending == 0
    assert got == [_summary(ResponseParser().feed(_ANSWERS[i])) for i in order]


def test_chunked_answers_with_trailers() -> None:
    parser = ResponseParser()
    raw = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4;ext=1\r\nWiki\r\n5\r\npedia\r\n0\r\nX-Trailer: v\r\n\r\n"
    response = parser.feed(raw)
    assert response is not None and response.body == b"Wikipedia"
    assert parser.pending == 0


def test_body_delimited_by_close() -> None:
    parser = ResponseParser()
    assert parser.feed(b"HTTP/1.1 200 OK\r\n\r\nsome bytes") is None
    response = parser.eof()
    assert response is not None and response.body == b"some bytes" and not response.keep_alive


def test_repeated_headers_are_joined() -> None:
    response = ResponseParser().feed(
        b"HTTP/1.1 200 OK\r\nX-A: 1\r\nx-a: 2\r\nContent-Length: 0\r\n\r\n"
    )
    assert response is not None and response.headers["x-a"] == "1, 2"


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"HTTP/2 200 OK\r\n\r\n", "invalid status line"),
        (b"HTTP/1.1 2000 OK\r\n\r\n", "invalid status line"),
        (b"HTTP/1.1 abc OK\r\n\r\n", "invalid status line"),
        ("HTTP/1.1 2\u00b20 OK\r\n\r\n".encode(), "invalid status line"),  # a digit, not ASCII
        (b"garbage\r\n\r\n", "invalid status line"),
        (b"HTTP/1.1 200 OK\r\nno colon here\r\n\r\n", "invalid header line"),
        (b"HTTP/1.1 200 OK\r\n folded: x\r\n\r\n", "invalid header line"),
        (b"HTTP/1.1 200 OK\r\n: empty name\r\n\r\n", "invalid header line"),
        (b"HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n", "invalid Content-Length"),
        (b"HTTP/1.1 200 OK\r\nContent-Length: 1e3\r\n\r\n", "invalid Content-Length"),
        (
            b"HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\n",
            "conflicting Content-Length",
        ),
        (b"HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n", "unsupported Transfer-Encoding"),
        (b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", "invalid chunk size"),
        (b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n-1\r\n", "invalid chunk size"),
        (
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n",
            "chunk not followed by CRLF",
        ),
    ],
)
def test_malformed_answers_are_protocol_errors(raw: bytes, message: str) -> None:
    with pytest.raises(ProtocolError, match=message):
        ResponseParser().feed(raw)


def test_limits() -> None:
    with pytest.raises(ProtocolError, match="larger than 1 MiB"):
        ResponseParser().feed(b"HTTP/1.1 200 OK\r\nX: " + b"a" * (protocol.MAX_HEAD_BYTES + 1))
    many = b"".join(f"X-{i}: v\r\n".encode() for i in range(protocol.MAX_HEADERS + 1))
    with pytest.raises(ProtocolError, match="more than"):
        ResponseParser().feed(b"HTTP/1.1 200 OK\r\n" + many + b"\r\n")


def test_eof_errors() -> None:
    with pytest.raises(ProtocolError, match="before a response"):
        ResponseParser().eof()
    parser = ResponseParser()
    parser.feed(b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc")
    with pytest.raises(ProtocolError, match="middle of a response"):
        parser.eof()


@settings(max_examples=500)
@given(st.binary(max_size=300))
def test_arbitrary_bytes_never_crash_the_parser(data: bytes) -> None:
    parser = ResponseParser()
    try:
        parser.feed(data)
        parser.eof()
    except ProtocolError:
        pass


@settings(max_examples=300)
@given(st.data())
def test_mutated_answers_parse_or_raise_protocol_error(data: st.DataObject) -> None:
    raw = bytearray(NEXT_ANSWER)
    for _ in range(data.draw(st.integers(1, 5))):
        i = data.draw(st.integers(0, len(raw) - 1))
        raw[i] = data.draw(st.integers(0, 255))
    try:
        ResponseParser().feed(bytes(raw))
    except ProtocolError:
        pass


# -- handler names --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "module", "path", "attribute"),
    [
        ("app.handler", "app", None, "handler"),
        ("pkg.mod.handler", "pkg.mod", None, "handler"),
        ("dir/file.handler", "dir.file", None, "handler"),
        ("app:handler", "app", None, "handler"),
        ("pkg.mod:Service.handle", "pkg.mod", None, "Service.handle"),
        ("src/app.py:handler", None, "src/app.py", "handler"),
        ("app.py:handler", None, "app.py", "handler"),
        ("  app.handler  ", "app", None, "handler"),
    ],
)
def test_handler_forms(text: str, module: str | None, path: str | None, attribute: str) -> None:
    spec = parse_handler(text)
    assert (spec.module, spec.path, spec.attribute) == (module, path, attribute)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "handler",
        ".handler",
        "app.",
        "app:",
        ":handler",
        "app:1x",
        "1app.handler",
        "a b.handler",
        "app.han dler",
    ],
)
def test_malformed_handler_names(text: str) -> None:
    with pytest.raises(InitError) as info:
        parse_handler(text)
    assert info.value.error_type == "Runtime.MalformedHandlerName"
    assert f"Bad handler {text!r}" in info.value.message


@given(st.text(max_size=40))
def test_any_handler_name_parses_or_is_malformed(text: str) -> None:
    try:
        spec = parse_handler(text)
    except InitError as exc:
        assert exc.error_type == "Runtime.MalformedHandlerName"
        return
    assert spec.attribute and all(part.isidentifier() for part in spec.attribute.split("."))


# -- streaming ----------------------------------------------------------------------------------


def test_streaming_response_request_framing() -> None:
    from lambdago.runtime.protocol import ExtensionNextRequest, StreamingResponseRequest

    request = StreamingResponseRequest("abc", "text/plain")
    line, headers, body = _split(request.head(HOST))
    assert line == "POST /2018-06-01/runtime/invocation/abc/response HTTP/1.1"
    assert headers["Content-Type"] == "text/plain"
    assert headers["Lambda-Runtime-Function-Response-Mode"] == "streaming"
    assert headers["Transfer-Encoding"] == "chunked"
    assert headers["Trailer"] == (
        "Lambda-Runtime-Function-Error-Type, Lambda-Runtime-Function-Error-Body"
    )
    assert "Content-Length" not in headers
    assert body == b""
    assert request.chunk(b"hello") == b"5\r\nhello\r\n"
    assert request.chunk(b"x" * 300) == b"12c\r\n" + b"x" * 300 + b"\r\n"
    assert request.chunk(b"") == b""  # an empty chunk would end the body
    assert request.chunk_prefix(26) == b"1a\r\n"
    assert request.end() == b"0\r\n\r\n"
    error = b'{"errorMessage":"m","errorType":"E"}'
    end = request.end("E", error)
    assert end.startswith(b"0\r\n") and end.endswith(b"\r\n\r\n")
    fields = dict(line.split(": ", 1) for line in end.decode().split("\r\n")[1:] if ": " in line)
    assert fields["Lambda-Runtime-Function-Error-Type"] == "E"
    import base64

    assert base64.b64decode(fields["Lambda-Runtime-Function-Error-Body"]) == error
    # A stream (all of it) parses back with the runtime's own chunked parser.
    answer = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
    parsed = ResponseParser().feed(answer + request.chunk(b"ab") + request.chunk(b"c") + end)
    assert parsed is not None and parsed.body == b"abc"
    line, headers, _ = _split(ExtensionNextRequest("ext-1").to_bytes(HOST))
    assert line == "GET /2020-01-01/extension/event/next HTTP/1.1"
    assert headers["Lambda-Extension-Identifier"] == "ext-1"


def test_ordinary_results_take_one_class_test(monkeypatch: pytest.MonkeyPatch) -> None:
    """dict, list, str, numbers, None and tuples never reach the stream classification."""
    from lambdago import handler as handler_module

    def refuse(cls: type) -> bool:
        raise AssertionError(f"classified {cls}")

    monkeypatch.setattr(handler_module, "is_stream_class", refuse)
    wrapped = handler_module.new_handler(lambda event: event)
    assert isinstance(wrapped, handler_module.FunctionHandler)
    for value in ({"a": 1}, [1], "s", 1, 1.5, True, None, (1, 2)):
        body, content_type = wrapped.encode_result(value)
        assert body.__class__ is bytes and content_type == "application/json"


def test_stream_classification() -> None:
    import io

    from lambdago.events.lambda_function_urls import LambdaFunctionURLStreamingResponse
    from lambdago.handler import is_stream_class

    async def agen() -> Any:
        yield b""

    def gen() -> Any:
        yield b""

    assert is_stream_class(type(gen()))
    assert is_stream_class(type(agen()))
    assert is_stream_class(type(iter([b"a"])))
    assert is_stream_class(io.BytesIO)
    assert is_stream_class(io.BufferedReader)
    assert is_stream_class(LambdaFunctionURLStreamingResponse)
    assert not is_stream_class(set)
    assert not is_stream_class(bytes)
    assert not is_stream_class(type(range(3)))

    class WithRead:  # a read() alone is not a file
        def read(self) -> bytes:
            return b""

    assert not is_stream_class(WithRead)
