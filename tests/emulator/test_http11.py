"""The sans-IO HTTP/1.1 request parser, without sockets."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lambdago.emulator.http11 import (
    NEED_DATA,
    Closed,
    Data,
    EndOfMessage,
    HTTPError,
    Limits,
    RequestHead,
    RequestParser,
    chunk,
    last_chunk,
    response_head,
)


def parse_all(data: bytes, *, pieces: list[int] | None = None, eof: bool = True) -> list[object]:
    """Feed ``data`` (in pieces of the given sizes, if any) and collect every event."""
    parser = RequestParser()
    events: list[object] = []
    chunks = [data]
    if pieces:
        chunks, rest = [], data
        for size in pieces:
            chunks.append(rest[:size])
            rest = rest[size:]
        chunks.append(rest)
    for piece in chunks:
        parser.feed(piece)
        while (event := parser.next_event()) is not NEED_DATA:
            events.append(event)
            if isinstance(event, Closed):
                return events
    if eof:
        parser.feed_eof()
        while (event := parser.next_event()) is not NEED_DATA:
            events.append(event)
            if isinstance(event, Closed):
                break
    return events


def requests_of(events: list[object]) -> list[tuple[RequestHead, bytes]]:
    out: list[tuple[RequestHead, bytes]] = []
    head: RequestHead | None = None
    body = b""
    for event in events:
        if isinstance(event, RequestHead):
            head, body = event, b""
        elif isinstance(event, Data):
            body += event.data
        elif isinstance(event, EndOfMessage):
            assert head is not None
            out.append((head, body))
            head = None
    return out


def _drain(parser: RequestParser) -> None:
    while parser.next_event() is not NEED_DATA:
        pass


def error_of(data: bytes, limits: Limits | None = None) -> HTTPError:
    parser = RequestParser(limits or Limits())
    parser.feed(data)
    parser.feed_eof()
    with pytest.raises(HTTPError) as info:
        _drain(parser)
    # Once failed, it stays failed.
    with pytest.raises(HTTPError):
        parser.next_event()
    return info.value


def test_simple_get() -> None:
    events = parse_all(b"GET /2018-06-01/runtime/invocation/next HTTP/1.1\r\nHost: x\r\n\r\n")
    head = events[0]
    assert isinstance(head, RequestHead)
    assert head.method == "GET"
    assert head.path == "/2018-06-01/runtime/invocation/next"
    assert head.version == "1.1"
    assert head.keep_alive is True
    assert head.content_length is None
    assert not head.chunked
    assert head.get("host") == "x"
    assert events[1:] == [EndOfMessage(), Closed()]


def test_content_length_body_and_pipelining() -> None:
    data = (
        b"POST /a HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello"
        b"POST /b?q=1 HTTP/1.1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    )
    (first, body1), (second, body2) = requests_of(parse_all(data))
    assert (first.path, body1) == ("/a", b"hello")
    assert (second.path, second.target, body2) == ("/b", "/b?q=1", b"")
    assert second.keep_alive is False


def test_chunked_body_with_extensions_and_trailers() -> None:
    data = (
        b"POST /r HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
        b"5;name=value\r\nhello\r\n1\r\n \r\n5\r\nworld\r\n0\r\nX-Trailer: yes\r\n\r\n"
    )
    events = parse_all(data)
    ((head, body),) = requests_of(events)
    assert head.chunked
    assert body == b"hello world"
    end = next(e for e in events if isinstance(e, EndOfMessage))
    assert end.trailers == (("x-trailer", "yes"),)


def test_http10_keep_alive_and_bare_lf() -> None:
    ((head, _),) = requests_of(parse_all(b"GET / HTTP/1.0\nConnection: keep-alive\n\n"))
    assert head.version == "1.0"
    assert head.keep_alive
    ((head, _),) = requests_of(parse_all(b"GET / HTTP/1.0\r\n\r\n"))
    assert not head.keep_alive


def test_expect_continue_and_repeated_headers() -> None:
    ((head, body),) = requests_of(
        parse_all(
            b"POST / HTTP/1.1\r\nExpect: 100-continue\r\nA: 1\r\nA: 2\r\n"
            b"Content-Length: 2\r\n\r\nhi"
        )
    )
    assert head.expect_continue
    assert body == b"hi"
    assert head.get("a") == "1, 2"


def test_leading_empty_lines_are_ignored() -> None:
    ((head, _),) = requests_of(parse_all(b"\r\n\r\nGET / HTTP/1.1\r\n\r\n"))
    assert head.method == "GET"


def test_need_data_until_complete() -> None:
    parser = RequestParser()
    parser.feed(b"POST / HTTP/1.1\r\nContent-Le")
    assert parser.next_event() is NEED_DATA
    parser.feed(b"ngth: 3\r\n\r\nab")
    assert isinstance(parser.next_event(), RequestHead)
    assert parser.next_event() == Data(b"ab")
    assert parser.next_event() is NEED_DATA
    parser.feed(b"c")
    assert parser.next_event() == Data(b"c")
    assert parser.next_event() == EndOfMessage()
    assert parser.next_event() is NEED_DATA


@pytest.mark.parametrize(
    ("data", "status"),
    [
        (b"garbage\r\n\r\n", 400),
        (b"GET /\r\n\r\n", 400),
        (b"GET  / HTTP/1.1\r\n\r\n", 400),
        (b"G(T / HTTP/1.1\r\n\r\n", 400),
        (b"GET / HTTP/2.0\r\n\r\n", 505),
        (b"GET / HTTX/1.1\r\n\r\n", 400),
        (b"GET /\x01 HTTP/1.1\r\n\r\n", 400),
        (b"GET / HTTP/1.1\r\nNo colon here\r\n\r\n", 400),
        (b"GET / HTTP/1.1\r\nBad Name: x\r\n\r\n", 400),
        (b"GET / HTTP/1.1\r\nA: b\x00c\r\n\r\n", 400),
        (b"GET / HTTP/1.1\r\nA: b\r\n folded\r\n\r\n", 400),
        (b"GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400),
        (b"POST / HTTP/1.1\r\nContent-Length: abc\r\n\r\n", 400),
        (b"POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n", 400),
        (b"POST / HTTP/1.1\r\nContent-Length: +1\r\n\r\n", 400),
        (b"POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n", 400),
        (b"POST / HTTP/1.1\r\nContent-Length: 1, 2\r\n\r\n", 400),
        (b"POST / HTTP/1.1\r\nContent-Length: 9999999999999999999999\r\n\r\n", 400),
        (b"POST / HTTP/1.1\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n", 400),
        (b"POST / HTTP/1.1\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", 501),
        (b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked, gzip\r\n\r\n", 400),
        (b"POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n", 400),
        (b"POST / HTTP/1.1\r\nExpect: something\r\n\r\n", 417),
        (b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", 400),
        (b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n-1\r\n", 400),
        (b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0x5\r\n", 400),
        (b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n" + b"1" * 20 + b"\r\n", 400),
        (b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcX\r\n", 400),
        (b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nbad trailer\r\n\r\n", 400),
        (b"POST / HTTP/1.1\r\nContent-Length: 10\r\n\r\nshort", 400),  # EOF mid-body
        (b"GET / HTTP/1.1\r\nHost: x", 400),  # EOF mid-head
    ],
)
def test_malformed_requests(data: bytes, status: int) -> None:
    assert error_of(data).status == status


def test_limits() -> None:
    assert error_of(b"GET /" + b"a" * 9000 + b" HTTP/1.1\r\n\r\n").status == 414
    assert error_of(b"GET /" + b"a" * 9000).status == 414  # before the line ends
    many = b"".join(b"H%d: v\r\n" % i for i in range(101))
    assert error_of(b"GET / HTTP/1.1\r\n" + many + b"\r\n").status == 431
    big = b"X: " + b"v" * 70_000 + b"\r\n"
    assert error_of(b"GET / HTTP/1.1\r\n" + big + b"\r\n").status == 431
    assert error_of(b"GET / HTTP/1.1\r\n" + big).status == 431  # before the head ends
    small = Limits(max_request_line=64, max_header_bytes=128, max_headers=2)
    assert error_of(b"GET /" + b"a" * 70 + b" HTTP/1.1\r\n\r\n", small).status == 414
    assert error_of(b"GET / HTTP/1.1\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n", small).status == 431
    long_chunk_line = b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n1;" + b"x" * 5000
    assert error_of(long_chunk_line).status == 400
    trailers = (
        b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nT: "
        + b"v" * 20000
        + b"\r\n\r\n"
    )
    assert error_of(trailers).status == 431


def test_response_head() -> None:
    head = response_head(
        200, [("Content-Type", "application/json")], content_length=2, keep_alive=True
    )
    assert head == b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n"
    head = response_head(204, [], content_length=0, keep_alive=False)
    assert head == b"HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n"
    assert b"Transfer-Encoding: chunked" in response_head(
        200, [], content_length=None, keep_alive=True
    )
    assert b"Connection: keep-alive" in response_head(
        200, [], content_length=0, keep_alive=True, version="1.0"
    )
    with pytest.raises(ValueError, match="line break"):
        response_head(200, [("X", "a\r\nInjected: yes")], content_length=0, keep_alive=True)
    assert chunk(b"abc") == b"3\r\nabc\r\n"
    assert chunk(b"") == b""
    assert last_chunk() == b"0\r\n\r\n"


# -- properties -----------------------------------------------------------------------------------

_token = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-", min_size=1, max_size=20)
_value = st.text(alphabet=st.characters(min_codepoint=0x21, max_codepoint=0x7E), max_size=40)
_headers = st.lists(
    st.tuples(
        _token.filter(
            lambda n: (
                n not in ("content-length", "transfer-encoding", "connection", "expect", "host")
            )
        ),
        _value,
    ),
    max_size=10,
)


@st.composite
def _requests(draw: st.DrawFn) -> tuple[bytes, list[tuple[str, str, list[tuple[str, str]], bytes]]]:
    wire = b""
    expected = []
    for _ in range(draw(st.integers(1, 3))):
        method = draw(st.sampled_from(["GET", "POST", "PUT", "DELETE"]))
        target = "/" + draw(st.text(alphabet="abc/-_.~%?=&0123456789", max_size=30))
        headers = draw(_headers)
        body = draw(st.binary(max_size=300))
        chunked = draw(st.booleans())
        lines = [f"{method} {target} HTTP/1.1"] + [f"{k}: {v}" for k, v in headers]
        if chunked:
            lines.append("Transfer-Encoding: chunked")
            pieces, rest = [], body
            while rest:
                n = draw(st.integers(1, max(1, len(rest))))
                pieces.append(rest[:n])
                rest = rest[n:]
            encoded = b"".join(b"%x\r\n%s\r\n" % (len(p), p) for p in pieces) + b"0\r\n\r\n"
        else:
            lines.append(f"Content-Length: {len(body)}")
            encoded = body
        wire += ("\r\n".join(lines) + "\r\n\r\n").encode() + encoded
        expected.append((method, target, [(k, v.strip()) for k, v in headers], body))
    return wire, expected


@settings(max_examples=300, deadline=None)
@given(_requests(), st.lists(st.integers(0, 200), max_size=20))
def test_round_trip_in_any_pieces(
    generated: tuple[bytes, list[tuple[str, str, list[tuple[str, str]], bytes]]], cuts: list[int]
) -> None:
    wire, expected = generated
    got = requests_of(parse_all(wire, pieces=cuts))
    assert len(got) == len(expected)
    for (head, body), (method, target, headers, want_body) in zip(got, expected, strict=True):
        assert (head.method, head.target, body) == (method, target, want_body)
        plain = [
            (k, v) for k, v in head.headers if k not in ("content-length", "transfer-encoding")
        ]
        assert plain == headers


@settings(max_examples=500, deadline=None)
@given(st.binary(max_size=2000), st.lists(st.integers(0, 300), max_size=10))
def test_arbitrary_bytes_never_crash(data: bytes, cuts: list[int]) -> None:
    """Whatever arrives, the parser yields events or raises HTTPError with a 4xx/5xx."""
    try:
        parse_all(data, pieces=cuts)
    except HTTPError as exc:
        status = exc.status
    else:
        status = 400
    assert 400 <= status < 600


@settings(max_examples=300, deadline=None)
@given(_requests(), st.integers(0, 10_000), st.binary(min_size=1, max_size=5))
def test_mutated_requests_parse_or_fail_cleanly(
    generated: tuple[bytes, list[object]], position: int, junk: bytes
) -> None:
    wire = generated[0]
    cut = position % (len(wire) + 1)
    mutated = wire[:cut] + junk + wire[cut:]
    try:
        parse_all(mutated)
    except HTTPError as exc:
        status = exc.status
    else:
        status = 400
    assert 400 <= status < 600
