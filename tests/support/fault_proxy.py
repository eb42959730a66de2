"""A fault-injecting HTTP proxy to put between a runtime and any Runtime API (the test
server in fake_runtime_api.py, or the emulator's), so that the real bootstrap meets a
misbehaving peer over real loopback sockets.

The runtime is pointed at the proxy (``AWS_LAMBDA_RUNTIME_API=proxy.address``); the proxy
forwards each request to ``upstream`` on a connection of its own and relays the answer,
unless a fault says otherwise. Faults (``proxy.faults``) apply to every matching request
while set:

==========================  =====================================================================
fault                       what the runtime sees
==========================  =====================================================================
``reset_next``              ``GET /next`` answered with a TCP reset (``SO_LINGER`` 0)
``cut_next_body``           the ``/next`` answer's head and half its body, then the connection
                            closes (the upstream did deliver the invocation)
``post_status``             every POST answered with this status by the proxy (not forwarded)
``post_hang``               POSTs read, never forwarded, never answered
``cut_post_answer``         POSTs forwarded; the answer's head and half its body, then close
``post_read_rate``          POST bodies read at this many bytes per second (a slow reader)
``post_never_read``         POST bodies never read at all (the runtime's send blocks)
``next_delay``              each ``/next`` held this many seconds before it is forwarded
==========================  =====================================================================

:meth:`FaultProxy.stop_listening` makes new connections fail (connection refused) and
closes the open ones (the runtime's, and the proxy's own to the upstream, so that a
parked ``/next`` upstream ends too); :meth:`FaultProxy.restart` is a server restart: the
listener and every connection closed, then a new listener on the same port.

Every answer is written with one ``sendall`` on a ``TCP_NODELAY`` socket (see the note on
split writes in tests/support/fake_runtime_api.py), except ``cut_*``, which write the cut
answer in one piece and close.
"""

from __future__ import annotations

import contextlib
import select
import socket
import struct
import threading
import time
from dataclasses import dataclass

__all__ = ["FaultProxy", "ProxyFaults"]

NEXT_PATH = "/2018-06-01/runtime/invocation/next"


@dataclass
class ProxyFaults:
    reset_next: bool = False
    cut_next_body: bool = False
    post_status: int | None = None
    post_hang: bool = False
    cut_post_answer: bool = False
    post_read_rate: int | None = None  # bytes per second
    post_never_read: bool = False
    next_delay: float = 0.0  # seconds to hold each /next before forwarding it


class _Closed(Exception):
    pass


def _wait_for_answer(upstream: socket.socket, client: socket.socket, pending: bytearray) -> bool:
    """Wait until ``upstream`` has something to read; False if ``client`` closes first.

    A Runtime API notices when a runtime closes a connection whose ``/next`` it has parked
    (and then hands that invocation to nobody): the proxy passes that on by closing its own
    upstream connection. Bytes the client sends meanwhile (a pipelined request) are kept
    in ``pending`` for the next round.
    """
    watch = [upstream, client]
    while True:
        readable, _, _ = select.select(watch, [], [])
        if upstream in readable:
            return True
        data = client.recv(65536)
        if not data:
            return False
        pending += data


def _read_head(sock: socket.socket, buffer: bytearray) -> bytes:
    while True:
        end = buffer.find(b"\r\n\r\n")
        if end >= 0:
            head = bytes(buffer[: end + 4])
            del buffer[: end + 4]
            return head
        data = sock.recv(65536)
        if not data:
            raise _Closed
        buffer += data


def _read_body(
    sock: socket.socket, buffer: bytearray, length: int, rate: int | None = None
) -> bytes:
    body = bytearray(buffer[:length])
    del buffer[:length]
    while len(body) < length:
        want = min(65536, length - len(body))
        if rate is not None:
            want = min(want, max(1, rate // 20))
        data = sock.recv(want)
        if not data:
            raise _Closed
        body += data
        if rate is not None:
            time.sleep(len(data) / rate)
    return bytes(body)


def _content_length(head: bytes) -> int:
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            return int(value.strip())
    return 0


def _reset(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    with contextlib.suppress(OSError):
        sock.close()


class FaultProxy:
    """The proxy; use as a context manager. ``address`` is ``host:port``."""

    def __init__(self, upstream: str | None = None, port: int = 0) -> None:
        self.upstream = upstream  # may be set after start (before the runtime connects)
        self.faults = ProxyFaults()
        self.requests: list[tuple[str, str]] = []  # (method, path) of each request seen
        self.post_bytes_read = 0
        self._lock = threading.Lock()
        self._conns: set[socket.socket] = set()
        self._closing = threading.Event()
        self._listener: socket.socket | None = None
        self._port = port
        self._listen()

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self._port}"

    def __enter__(self) -> FaultProxy:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- control ----------------------------------------------------------------------------

    def _listen(self) -> None:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", self._port))
        sock.listen(64)
        self._port = sock.getsockname()[1]
        self._listener = sock
        threading.Thread(target=self._accept, args=(sock,), daemon=True).start()

    def stop_listening(self) -> None:
        """Close the listener (new connections are refused) and every open connection."""
        listener, self._listener = self._listener, None
        if listener is not None:
            with contextlib.suppress(OSError):
                listener.shutdown(socket.SHUT_RDWR)
            listener.close()
        with self._lock:
            conns, self._conns = set(self._conns), set()
        for conn in conns:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
            conn.close()

    def restart(self, gap: float = 0.0, listen_first: bool = True) -> None:
        """A server restart: with ``listen_first`` the new listener is up before the old
        connections close (a restart the runtime can survive); otherwise everything closes,
        ``gap`` seconds pass, then the new listener opens."""
        if listen_first:
            old = self._listener
            self._listener = None
            if old is not None:
                with contextlib.suppress(OSError):
                    old.shutdown(socket.SHUT_RDWR)  # wakes the accepting thread
                old.close()
            self._listen()
            with self._lock:
                conns, self._conns = set(self._conns), set()
            for conn in conns:
                with contextlib.suppress(OSError):
                    conn.shutdown(socket.SHUT_RDWR)
                conn.close()
            return
        self.stop_listening()
        time.sleep(gap)
        self._listen()

    def close(self) -> None:
        self._closing.set()
        self.stop_listening()

    # -- serving ----------------------------------------------------------------------------

    def _accept(self, listener: socket.socket) -> None:
        while not self._closing.is_set():
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            with self._lock:
                self._conns.add(conn)
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        upstream: socket.socket | None = None
        buffer = bytearray()
        up_buffer = bytearray()
        try:
            while True:
                head = _read_head(conn, buffer)
                method, path = head.split(b" ", 2)[:2]
                method_s, path_s = method.decode(), path.decode()
                with self._lock:
                    self.requests.append((method_s, path_s))
                f = self.faults
                is_next = path_s == NEXT_PATH
                is_post = method_s == "POST"
                if is_next and f.reset_next:
                    _reset(conn)
                    return
                if is_post and f.post_never_read:
                    self._closing.wait()
                    return
                length = _content_length(head)
                body = _read_body(conn, buffer, length, f.post_read_rate if is_post else None)
                if is_post:
                    with self._lock:
                        self.post_bytes_read += len(body)
                if is_post and f.post_hang:
                    self._closing.wait()
                    return
                if is_post and f.post_status is not None:
                    payload = b'{"errorMessage":"injected by the proxy","errorType":"Injected"}'
                    conn.sendall(
                        b"HTTP/1.1 %d Injected\r\nContent-Type: application/json\r\n"
                        b"Content-Length: %d\r\n\r\n%s" % (f.post_status, len(payload), payload)
                    )
                    continue
                if is_next and f.next_delay:
                    time.sleep(f.next_delay)
                if upstream is None:
                    if self.upstream is None:
                        raise _Closed
                    host, port = self.upstream.rsplit(":", 1)
                    upstream = socket.create_connection((host.strip("[]"), int(port)))
                    upstream.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                    with self._lock:
                        self._conns.add(upstream)  # a restart closes both sides
                upstream.sendall(head + body)
                if not up_buffer and not _wait_for_answer(upstream, conn, buffer):
                    return  # the runtime hung up: so does the proxy, upstream too
                answer_head = _read_head(upstream, up_buffer)
                answer_body = _read_body(upstream, up_buffer, _content_length(answer_head))
                if (is_next and f.cut_next_body) or (is_post and f.cut_post_answer):
                    cut = answer_head + answer_body[: max(1, len(answer_body) // 2)]
                    if not answer_body:  # nothing to cut: promise a body that never comes
                        cut = answer_head.replace(b"Content-Length: 0", b"Content-Length: 10")
                    conn.sendall(cut)
                    conn.shutdown(socket.SHUT_RDWR)
                    conn.close()
                    return
                conn.sendall(answer_head + answer_body)
        except (_Closed, OSError, ValueError, IndexError):
            pass
        finally:
            with self._lock:
                self._conns.discard(conn)
            with contextlib.suppress(OSError):
                conn.close()
            if upstream is not None:
                with self._lock:
                    self._conns.discard(upstream)
                upstream.close()
