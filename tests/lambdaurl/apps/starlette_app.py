"""A Starlette app for the lambdaurl tests: echo, server-sent events, cookies, errors,
binary bodies, and a lifespan that counts its startups and notes its shutdown."""

import asyncio
import contextlib
import os

from starlette.applications import Starlette
from starlette.background import BackgroundTask
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response, StreamingResponse
from starlette.routing import Route

from lambdago import lambdaurl

OUT = os.environ.get("OUT", os.devnull)
STARTUPS = {"count": 0}


def note(text: str) -> None:
    with open(OUT, "a") as f:
        f.write(text + "\n")


@contextlib.asynccontextmanager
async def lifespan(app: Starlette):  # type: ignore[no-untyped-def]
    STARTUPS["count"] += 1
    note("startup")
    yield {"greeting": "hello from lifespan"}
    note("shutdown")


async def echo(request: Request) -> Response:
    body = await request.body()
    return JSONResponse(
        {
            "method": request.method,
            "path": request.url.path,
            "raw_path": request.scope["raw_path"].decode(),
            "query": request.url.query,
            "params": sorted(request.query_params.multi_items()),
            "headers": dict(request.headers),
            "cookies": request.cookies,
            "body": body.decode("latin-1"),
            "client": request.client.host if request.client else None,
            "startups": STARTUPS["count"],
            "greeting": request.state.greeting,
            "request_id": request.scope["aws.context"].aws_request_id,
            "has_event": "requestContext" in request.scope["aws.event"],
        },
        headers={"X-Echo": "yes"},
    )


async def events(request: Request) -> Response:
    gap = float(request.query_params.get("gap", "0.25"))

    async def stream():  # type: ignore[no-untyped-def]
        for i in range(3):
            yield f"data: {i}\n\n"
            await asyncio.sleep(gap)

    response = StreamingResponse(stream(), media_type="text/event-stream")
    response.set_cookie("session", "abc")
    response.set_cookie("theme", "dark")
    return response


async def binary(request: Request) -> Response:
    return Response(bytes(range(256)), media_type="application/octet-stream")


async def boom(request: Request) -> Response:
    raise RuntimeError("the app broke")


async def later(request: Request) -> Response:
    return PlainTextResponse("done", background=BackgroundTask(note, "background task ran"))


async def slow(request: Request) -> Response:
    await asyncio.sleep(float(request.query_params.get("s", "0.4")))
    return JSONResponse({"pid": os.getpid()})


app = Starlette(
    routes=[
        Route("/echo", echo, methods=["GET", "POST", "PUT"]),
        Route("/events", events),
        Route("/binary", binary),
        Route("/boom", boom),
        Route("/later", later),
        Route("/slow", slow),
        Route("/path/{rest:path}", echo),
    ],
    lifespan=lifespan,
)

if __name__ == "__main__":
    lambdaurl.start(app)  # the app is its own bootstrap: python starlette_app.py
else:
    handler = lambdaurl.wrap(app)  # for python -m lambdago starlette_app.handler
