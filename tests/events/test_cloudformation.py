"""CloudFormation custom resources: samples round-trip, responses are uploaded the way
CloudFormation expects (checked against a local HTTP server standing in for S3), and the
custom_resource wrapper always answers: on success, on errors, and before a timeout."""

from __future__ import annotations

import asyncio
import json
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

import lambdago
import lambdago.events
from lambdago import lambdacontext
from lambdago.context import Context
from lambdago.events import (
    CloudFormationCustomResourceRequest,
    CloudFormationCustomResourceResponse,
    CloudFormationRequestTypeCreate,
    CloudFormationResponseError,
    CloudFormationStatusFailed,
    CloudFormationStatusSuccess,
    custom_resource,
)
from lambdago.events.cloudformation import MAX_RESPONSE_BYTES, _fit_reason
from lambdago.testing import make_context
from tests.conftest import json_diff

SAMPLES = sorted(n for n in lambdago.events.sample_names() if n.startswith("cloudformation-"))


# -- a stand-in for S3 --------------------------------------------------------------------------


@dataclass
class Received:
    method: str
    target: str
    headers: list[tuple[str, str]]
    body: bytes
    at: float

    def header(self, name: str) -> list[str]:
        return [v for k, v in self.headers if k.lower() == name.lower()]

    def json(self) -> Any:
        return json.loads(self.body)


class FakeS3:
    """Answers each HTTP request with the next status of ``statuses`` (then 200), one
    request per connection, every answer in a single write on a TCP_NODELAY socket."""

    def __init__(self) -> None:
        self.statuses: list[int] = []
        self.delay = 0.0
        self.received: list[Received] = []
        self.arrived = threading.Event()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.1)
        self.port = self._listener.getsockname()[1]
        self._stop = False
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def url(self, path: str = "/bucket/stack%7CRes%7Creq") -> str:
        return f"http://127.0.0.1:{self.port}{path}?X-Amz-Signature=ab%2Fcd&X-Amz-Expires=7200"

    def _serve(self) -> None:
        while not self._stop:
            try:
                conn, _addr = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with conn:
                conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                conn.settimeout(5)
                try:
                    self._handle(conn)
                except OSError:
                    pass

    def _handle(self, conn: socket.socket) -> None:
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = conn.recv(65536)
            if not chunk:
                return
            data += chunk
        head, _, body = data.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        method, target, _version = lines[0].split(" ", 2)
        headers = []
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers.append((name, value.strip()))
        length = int(next((v for k, v in headers if k.lower() == "content-length"), "0"))
        while len(body) < length:
            chunk = conn.recv(65536)
            if not chunk:
                break
            body += chunk
        self.received.append(Received(method, target, headers, body, time.monotonic()))
        self.arrived.set()
        if self.delay:
            time.sleep(self.delay)
        status = self.statuses.pop(0) if self.statuses else 200
        answer = b"" if status == 200 else b"<Error><Code>AccessDenied</Code></Error>"
        conn.sendall(
            f"HTTP/1.1 {status} X\r\nContent-Length: {len(answer)}\r\nConnection: close\r\n\r\n".encode()
            + answer
        )

    def close(self) -> None:
        self._stop = True
        self._thread.join(2)
        self._listener.close()


@pytest.fixture
def s3() -> Iterator[FakeS3]:
    server = FakeS3()
    yield server
    server.close()


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


# -- types and samples ------------------------------------------------------------------------


def _json(value: Any) -> Any:
    return json.loads(lambdago.encode(value))


def _load(name: str) -> CloudFormationCustomResourceRequest:
    return lambdago.decode(lambdago.events.sample(name), CloudFormationCustomResourceRequest)


@pytest.mark.parametrize("name", SAMPLES)
def test_samples_round_trip_and_every_key_is_modelled(name: str) -> None:
    cls = getattr(lambdago.events, lambdago.events.sample_names()[name])
    raw = lambdago.events.sample(name)
    assert not json_diff(_json(lambdago.decode(raw, cls)), json.loads(raw))
    lambdago.decode(raw, cls, strict=True)


def test_request_kinds() -> None:
    create = _load("cloudformation-custom-resource-create")
    update = _load("cloudformation-custom-resource-update")
    delete = _load("cloudformation-custom-resource-delete")
    assert (create.is_create(), create.is_update(), create.is_delete()) == (True, False, False)
    assert update.is_update() and not update.is_create()
    assert delete.is_delete()
    assert create.request_type == CloudFormationRequestTypeCreate
    assert create.physical_resource_id is None
    assert update.old_resource_properties is not None


@dataclass
class DnsRecord:
    Zone: str
    Name: str
    Type: str
    Ttl: str
    Values: list[str]
    ServiceToken: str = ""


def test_properties_decode_into_types() -> None:
    update = _load("cloudformation-custom-resource-update")
    assert update.decode_properties(DnsRecord).Ttl == "60"
    assert update.decode_old_properties(DnsRecord).Values == ["192.0.2.10", "192.0.2.11"]
    with pytest.raises(ValueError, match="not an update"):
        _load("cloudformation-custom-resource-create").decode_old_properties(DnsRecord)

    @dataclass
    class Wrong:
        Ttl: int

    with pytest.raises(lambdago.DecodeError) as info:
        update.decode_properties(Wrong)
    assert info.value.path == "ResourceProperties.Ttl"


def test_fallback_physical_resource_ids() -> None:
    create = _load("cloudformation-custom-resource-create")
    update = _load("cloudformation-custom-resource-update")
    assert create.fallback_physical_resource_id() == "8d4f1e2a-6b3c-4a59-9e07-c1d2f3a4b5e6"
    assert update.fallback_physical_resource_id() == "Z08417352K3EXAMPLE/shop.example.com./A"
    generated = CloudFormationCustomResourceRequest(
        request_type="Create", logical_resource_id="Queue"
    ).fallback_physical_resource_id()
    assert generated.startswith("Queue-")
    assert len(generated) == len("Queue-") + 16


def test_success_and_failed_responses() -> None:
    create = _load("cloudformation-custom-resource-create")
    ok = create.success("Z08417352K3EXAMPLE/shop.example.com./A", {"Fqdn": "shop.example.com."})
    assert _json(ok) == {
        "Status": "SUCCESS",
        "PhysicalResourceId": "Z08417352K3EXAMPLE/shop.example.com./A",
        "StackId": create.stack_id,
        "RequestId": create.request_id,
        "LogicalResourceId": "ApexRecord",
        "Data": {"Fqdn": "shop.example.com."},
    }
    secret = _json(create.success(data={"Password": "x"}, no_echo=True))
    assert secret["NoEcho"] is True
    assert secret["PhysicalResourceId"] == create.request_id
    failed = _json(_load("cloudformation-custom-resource-update").failed("zone not found"))
    assert failed["Status"] == "FAILED"
    assert failed["Reason"] == "zone not found"
    assert failed["PhysicalResourceId"] == "Z08417352K3EXAMPLE/shop.example.com./A"
    with pytest.raises(ValueError, match="SUCCESS"):
        create.response("OK")


# -- uploading --------------------------------------------------------------------------------


def test_send_puts_the_body_with_an_empty_content_type(s3: FakeS3) -> None:
    create = _load("cloudformation-custom-resource-create")
    response = create.success("rec-1", {"A": "1"})
    response.send(s3.url())
    (got,) = s3.received
    assert got.method == "PUT"
    assert got.target == "/bucket/stack%7CRes%7Creq?X-Amz-Signature=ab%2Fcd&X-Amz-Expires=7200"
    assert got.header("Content-Type") == [""]
    assert got.header("Content-Length") == [str(len(got.body))]
    assert got.body == response.body()
    assert got.json()["PhysicalResourceId"] == "rec-1"


def test_request_send_uses_the_response_url(s3: FakeS3) -> None:
    request = CloudFormationCustomResourceRequest(response_url=s3.url("/x"), request_id="r")
    request.send(request.success("p"))
    assert s3.received[0].target.startswith("/x?")
    with pytest.raises(ValueError, match="no ResponseURL"):
        CloudFormationCustomResourceRequest().send(request.success("p"))


def test_transient_failures_are_retried(s3: FakeS3) -> None:
    s3.statuses = [503, 500, 429]
    CloudFormationCustomResourceResponse(status="SUCCESS").send(s3.url(), backoff=0.01)
    assert len(s3.received) == 4
    assert len({r.body for r in s3.received}) == 1


def test_a_refusal_is_not_retried(s3: FakeS3) -> None:
    s3.statuses = [403]
    with pytest.raises(CloudFormationResponseError, match="HTTP 403") as info:
        CloudFormationCustomResourceResponse(status="SUCCESS").send(s3.url(), backoff=0.01)
    assert info.value.status == 403
    assert b"AccessDenied" in info.value.body
    assert len(s3.received) == 1


def test_retries_stop_after_the_attempts(s3: FakeS3) -> None:
    s3.statuses = [502] * 10
    with pytest.raises(CloudFormationResponseError, match="HTTP 502"):
        CloudFormationCustomResourceResponse(status="SUCCESS").send(
            s3.url(), attempts=3, backoff=0.01
        )
    assert len(s3.received) == 3


def test_connection_failures_are_retried_then_reported() -> None:
    url = f"http://127.0.0.1:{_closed_port()}/x"
    started = time.monotonic()
    with pytest.raises(CloudFormationResponseError, match="uploading the response failed") as info:
        CloudFormationCustomResourceResponse(status="SUCCESS").send(url, attempts=3, backoff=0.05)
    assert isinstance(info.value.__cause__, OSError)
    assert info.value.status is None
    assert time.monotonic() - started >= 0.15  # waited 0.05 + 0.1 between the tries


def test_a_slow_server_times_out_within_the_time_limit(s3: FakeS3) -> None:
    s3.delay = 1.0
    started = time.monotonic()
    with pytest.raises(CloudFormationResponseError):
        CloudFormationCustomResourceResponse(status="SUCCESS").send(
            s3.url(), timeout=5, attempts=5, backoff=0.01, time_limit=0.3
        )
    assert time.monotonic() - started < 0.9


def test_bad_arguments() -> None:
    response = CloudFormationCustomResourceResponse(status="SUCCESS")
    with pytest.raises(ValueError, match="not an HTTP"):
        response.send("ftp://example.com/x")
    with pytest.raises(ValueError, match="not an HTTP"):
        response.send("not a url")
    with pytest.raises(ValueError, match="attempts"):
        response.send("http://127.0.0.1:9/x", attempts=0)
    big = CloudFormationCustomResourceResponse(status="SUCCESS", data={"k": "x" * 5000})
    with pytest.raises(ValueError, match="at most 4096"):
        big.send("http://127.0.0.1:9/x")


def test_reasons_are_shortened_to_fit() -> None:
    for text in ["é" * 5000, "\u0001" * 3000, "word " * 2000, "x" * 4090]:
        response = CloudFormationCustomResourceResponse(
            status="FAILED", reason=text, physical_resource_id="p" * 200
        )
        _fit_reason(response)
        assert len(response.body()) <= MAX_RESPONSE_BYTES
        assert response.reason is not None
        assert response.reason.endswith("...")
        assert len(response.body()) > MAX_RESPONSE_BYTES - 200
    short = CloudFormationCustomResourceResponse(status="FAILED", reason="fine")
    _fit_reason(short)
    assert short.reason == "fine"
    hopeless = CloudFormationCustomResourceResponse(
        status="FAILED", reason="r" * 10, data={"k": "v" * 5000}
    )
    _fit_reason(hopeless)
    assert hopeless.reason is None


# -- the wrapper ------------------------------------------------------------------------------


def _event(s3: FakeS3, name: str = "cloudformation-custom-resource-create") -> bytes:
    raw = json.loads(lambdago.events.sample(name))
    raw["ResponseURL"] = s3.url()
    return json.dumps(raw).encode()


def _invoke(fn: Any, payload: bytes, remaining_ms: int = 30_000) -> bytes:
    return lambdago.new_handler(fn).invoke(payload, make_context(remaining_ms=remaining_ms))


def test_a_successful_create(s3: FakeS3) -> None:
    @custom_resource
    def handler(event: CloudFormationCustomResourceRequest) -> tuple[str, dict[str, str]]:
        props = event.decode_properties(DnsRecord)
        return f"Z1/{props.Name}./{props.Type}", {"Fqdn": props.Name + "."}

    assert handler.__name__ == "handler"
    assert not hasattr(handler, "__wrapped__")
    assert _invoke(handler, _event(s3)) == b"null"
    (got,) = s3.received
    assert got.json() == {
        "Status": "SUCCESS",
        "PhysicalResourceId": "Z1/shop.example.com./A",
        "StackId": "arn:aws:cloudformation:us-east-2:356278901234:stack/web-frontend/5e2b7c90-e8f1-11ef-9a1d-0a3c5f7e2b41",
        "RequestId": "8d4f1e2a-6b3c-4a59-9e07-c1d2f3a4b5e6",
        "LogicalResourceId": "ApexRecord",
        "Data": {"Fqdn": "shop.example.com."},
    }


@pytest.mark.parametrize(
    ("result", "physical_id", "data"),
    [
        (None, "8d4f1e2a-6b3c-4a59-9e07-c1d2f3a4b5e6", None),
        ("rec-9", "rec-9", None),
        ({"A": "1"}, "8d4f1e2a-6b3c-4a59-9e07-c1d2f3a4b5e6", {"A": "1"}),
        ((None, {"A": "1"}), "8d4f1e2a-6b3c-4a59-9e07-c1d2f3a4b5e6", {"A": "1"}),
        (("rec-9", None), "rec-9", None),
        (("", None), "8d4f1e2a-6b3c-4a59-9e07-c1d2f3a4b5e6", None),
    ],
)
def test_what_the_function_returns(s3: FakeS3, result: Any, physical_id: str, data: Any) -> None:
    @custom_resource
    def handler(event: CloudFormationCustomResourceRequest) -> Any:
        return result

    _invoke(handler, _event(s3))
    body = s3.received[0].json()
    assert body["Status"] == "SUCCESS"
    assert body["PhysicalResourceId"] == physical_id
    assert body.get("Data") == data


def test_a_returned_response_is_sent_with_ids_filled_in(s3: FakeS3) -> None:
    @custom_resource
    def handler(event: CloudFormationCustomResourceRequest) -> CloudFormationCustomResourceResponse:
        return CloudFormationCustomResourceResponse(status="FAILED", reason="quota reached")

    _invoke(handler, _event(s3, "cloudformation-custom-resource-update"))
    body = s3.received[0].json()
    assert body["Status"] == "FAILED"
    assert body["Reason"] == "quota reached"
    assert body["PhysicalResourceId"] == "Z08417352K3EXAMPLE/shop.example.com./A"
    assert body["RequestId"] == "2a7c9e1f-3d5b-4f80-a2c4-e6f8a0b2c4d6"
    assert body["LogicalResourceId"] == "ApexRecord"

    @custom_resource
    def bare(event: CloudFormationCustomResourceRequest) -> CloudFormationCustomResourceResponse:
        return CloudFormationCustomResourceResponse(data={"k": "v"})

    _invoke(bare, _event(s3))
    assert s3.received[1].json()["Status"] == "SUCCESS"


def test_an_exception_sends_failed_and_the_invocation_succeeds(
    s3: FakeS3, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(lambdacontext, "log_stream_name", "2025/03/05/[$LATEST]0a1b2c3d")

    @custom_resource
    def handler(ctx: Context, event: CloudFormationCustomResourceRequest) -> str:
        raise RuntimeError("zone shop.example.com not found")

    assert _invoke(handler, _event(s3, "cloudformation-custom-resource-update")) == b"null"
    body = s3.received[0].json()
    assert body["Status"] == CloudFormationStatusFailed
    assert body["Reason"] == (
        "RuntimeError: zone shop.example.com not found "
        "(details in CloudWatch log stream 2025/03/05/[$LATEST]0a1b2c3d)"
    )
    assert body["PhysicalResourceId"] == "Z08417352K3EXAMPLE/shop.example.com./A"
    err = capsys.readouterr().err
    assert "Traceback" in err
    assert "sending FAILED" in err


def test_a_failed_create_reports_the_request_id(s3: FakeS3) -> None:
    @custom_resource
    def handler(event: CloudFormationCustomResourceRequest) -> None:
        raise ValueError

    _invoke(handler, _event(s3))
    body = s3.received[0].json()
    assert body["Reason"] == "ValueError"
    assert body["PhysicalResourceId"] == "8d4f1e2a-6b3c-4a59-9e07-c1d2f3a4b5e6"


def test_a_wrong_return_value_sends_failed(s3: FakeS3) -> None:
    @custom_resource
    def handler(event: CloudFormationCustomResourceRequest) -> Any:
        return 42

    _invoke(handler, _event(s3))
    body = s3.received[0].json()
    assert body["Status"] == "FAILED"
    assert body["Reason"].startswith("TypeError: a custom resource function returns None")

    @custom_resource
    def bad_id(event: CloudFormationCustomResourceRequest) -> Any:
        return (7, None)

    _invoke(bad_id, _event(s3))
    assert "physical resource id must be a str" in s3.received[1].json()["Reason"]

    @custom_resource
    def bad_data(event: CloudFormationCustomResourceRequest) -> Any:
        return ("p", ["not", "a", "mapping"])

    _invoke(bad_data, _event(s3))
    assert "Data must be a mapping" in s3.received[2].json()["Reason"]


def test_data_that_cannot_be_encoded_sends_failed(s3: FakeS3) -> None:
    @custom_resource
    def handler(event: CloudFormationCustomResourceRequest) -> Any:
        return "p", {"Handle": object()}

    _invoke(handler, _event(s3))
    body = s3.received[0].json()
    assert body["Status"] == "FAILED"
    assert body["Reason"].startswith("EncodeError: cannot encode")
    assert body["PhysicalResourceId"] == "p"


def test_oversized_results_become_failed(s3: FakeS3) -> None:
    @custom_resource
    def big_data(event: CloudFormationCustomResourceRequest) -> Any:
        return "p", {"Blob": "x" * 5000}

    _invoke(big_data, _event(s3))
    body = s3.received[0].json()
    assert body["Status"] == "FAILED"
    assert "accepts at most 4096" in body["Reason"]
    assert body["PhysicalResourceId"] == "p"

    @custom_resource
    def long_reason(event: CloudFormationCustomResourceRequest) -> Any:
        raise RuntimeError("why " * 3000)

    _invoke(long_reason, _event(s3))
    assert len(s3.received[1].body) <= MAX_RESPONSE_BYTES
    assert s3.received[1].json()["Reason"].startswith("RuntimeError: why why")


def test_async_functions(s3: FakeS3) -> None:
    @custom_resource
    async def handler(ctx: Context, event: CloudFormationCustomResourceRequest) -> str:
        await asyncio.sleep(0)
        return f"async-{ctx.aws_request_id[:4]}"

    _invoke(handler, _event(s3))
    assert s3.received[0].json()["PhysicalResourceId"].startswith("async-")

    @custom_resource
    async def failing(event: CloudFormationCustomResourceRequest) -> str:
        raise KeyError("Zone")

    _invoke(failing, _event(s3))
    assert s3.received[1].json()["Reason"] == "KeyError: 'Zone'"


def test_base_exceptions_send_failed_and_propagate(s3: FakeS3) -> None:
    @custom_resource
    def handler(event: CloudFormationCustomResourceRequest) -> None:
        raise SystemExit(3)

    with pytest.raises(SystemExit):
        _invoke(handler, _event(s3))
    assert s3.received[0].json()["Status"] == "FAILED"


def test_the_watchdog_answers_before_the_deadline(s3: FakeS3) -> None:
    finished: list[float] = []

    @custom_resource(timeout_margin=1.0)
    def slow(event: CloudFormationCustomResourceRequest) -> str:
        s3.arrived.wait(5)  # returns once the watchdog's response reached S3
        finished.append(time.monotonic())
        return "too-late"

    started = time.monotonic()
    _invoke(slow, _event(s3, "cloudformation-custom-resource-delete"), remaining_ms=2_000)
    (got,) = s3.received  # the late result is not sent
    assert got.at < finished[0]
    assert 0.8 < got.at - started < 1.8
    body = got.json()
    assert body["Status"] == "FAILED"
    assert "did not finish in time" in body["Reason"]
    assert body["PhysicalResourceId"] == "Z08417352K3EXAMPLE/shop.example.com./A"


def test_a_short_timeout_waits_half_the_time_left(s3: FakeS3) -> None:
    @custom_resource(timeout_margin=10.0)
    def slow(event: CloudFormationCustomResourceRequest) -> None:
        s3.arrived.wait(5)

    started = time.monotonic()
    _invoke(slow, _event(s3), remaining_ms=1_000)
    assert 0.4 < s3.received[0].at - started < 0.9
    assert len(s3.received) == 1


def test_no_watchdog_without_a_deadline(s3: FakeS3) -> None:
    @custom_resource
    def handler(event: CloudFormationCustomResourceRequest) -> str:
        return "p"

    ctx = Context(aws_request_id="r", deadline_ms=0)
    lambdago.new_handler(handler).invoke(_event(s3), ctx)
    assert s3.received[0].json()["Status"] == CloudFormationStatusSuccess


def test_an_undeliverable_response_fails_the_invocation() -> None:
    raw = json.loads(lambdago.events.sample("cloudformation-custom-resource-create"))
    raw["ResponseURL"] = f"http://127.0.0.1:{_closed_port()}/x"

    @custom_resource(attempts=2, backoff=0.01)
    def handler(event: CloudFormationCustomResourceRequest) -> str:
        return "p"

    with pytest.raises(CloudFormationResponseError):
        _invoke(handler, json.dumps(raw).encode())
    raw.pop("ResponseURL")
    with pytest.raises(CloudFormationResponseError, match="no ResponseURL"):
        _invoke(handler, json.dumps(raw).encode())


def test_a_function_must_take_the_event() -> None:
    with pytest.raises(TypeError, match="takes the request"):
        custom_resource(lambda: None)


def test_the_wrapper_has_the_handler_shape() -> None:
    @custom_resource
    def handler(event: CloudFormationCustomResourceRequest) -> None:
        pass

    wrapped = lambdago.new_handler(handler)
    assert wrapped.takes_context and wrapped.takes_event  # type: ignore[attr-defined]
    assert wrapped.event_type is CloudFormationCustomResourceRequest  # type: ignore[attr-defined]
