"""A Flask app for the lambdaurl tests: echo, a streamed body, cookies, errors, binary."""

import os
import time

from flask import Flask, Response, jsonify, make_response, request, stream_with_context

from lambdago import lambdaurl

app = Flask(__name__)


@app.route("/echo", methods=["GET", "POST", "PUT"])
def echo():  # type: ignore[no-untyped-def]
    response = make_response(
        jsonify(
            method=request.method,
            path=request.path,
            query=request.query_string.decode(),
            args=sorted((k, v) for k, vs in request.args.lists() for v in vs),
            headers={k.lower(): v for k, v in request.headers.items()},
            cookies=request.cookies,
            body=request.get_data().decode("latin-1"),
            client=request.remote_addr,
            request_id=request.environ["aws.context"].aws_request_id,
            multithread=request.environ["wsgi.multithread"],
        )
    )
    response.headers["X-Echo"] = "yes"
    response.set_cookie("session", "abc")
    response.set_cookie("theme", "dark")
    return response


@app.route("/stream")
def stream():  # type: ignore[no-untyped-def]
    gap = float(request.args.get("gap", "0.25"))

    def lines():  # type: ignore[no-untyped-def]
        for i in range(3):
            yield f"line {i}\n"
            time.sleep(gap)

    return Response(stream_with_context(lines()), mimetype="text/plain")


@app.route("/binary")
def binary():  # type: ignore[no-untyped-def]
    return Response(bytes(range(256)), mimetype="application/octet-stream")


@app.route("/boom")
def boom():  # type: ignore[no-untyped-def]
    raise RuntimeError("the app broke")


@app.route("/slow")
def slow():  # type: ignore[no-untyped-def]
    time.sleep(float(request.args.get("s", "0.4")))
    return jsonify(pid=os.getpid())


handler = lambdaurl.wrap(app)
