"""The ``lambdago`` command.

Each subcommand is one function decorated with :func:`subcommand`, which names it and
declares its arguments; adding one (``package``, ``zip``…) is adding such a function.
Importing this module is cheap: the emulator, the events and everything else heavy are
imported inside the subcommand that needs them.

    lambdago serve HANDLER [--timeout S] [--memory MB] [--concurrency N] [--port P]
                           [--host H] [--env K=V ...] [--watch]
    lambdago serve [options] -- COMMAND ...
    lambdago invoke HANDLER [--event FILE | --data-example NAME | -]
    lambdago events list
    lambdago events show NAME
    lambdago package [PROJECT] --handler HANDLER [--target provided|image|managed]
                     [--arch x86_64|arm64] [--python 3.11|3.12|3.13] [--layer] [--sam] ...
    lambdago zip [-o OUT.zip] EXECUTABLE [FILES ...]
"""

from __future__ import annotations

import sys

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing and argparse cost milliseconds: imported only when used
    import argparse
    from collections.abc import Callable, Sequence
    from typing import Any, NoReturn, TypeAlias

    Runner: TypeAlias = Callable[[argparse.Namespace], int]
    _Argument: TypeAlias = tuple[tuple[Any, ...], dict[str, Any]]

__all__ = ["main", "subcommand"]

_COMMANDS: dict[str, tuple[str, list[_Argument], Runner]] = {}


def arg(*names: Any, **options: Any) -> _Argument:
    """One ``add_argument`` call, for :func:`subcommand`."""
    return names, options


def subcommand(name: str, help: str, *arguments: _Argument) -> Callable[[Runner], Runner]:
    """Register ``lambdago NAME``: the decorated function gets the parsed arguments
    (``args.command`` holds what followed ``--``, if anything) and returns the exit status."""

    def register(run: Runner) -> Runner:
        _COMMANDS[name] = (help, list(arguments), run)
        return run

    return register


class _UsageError(Exception):
    pass


def _fail(message: str) -> NoReturn:
    raise _UsageError(message)


# -- arguments shared by serve and invoke ---------------------------------------------------------

_RUNTIME_ARGUMENTS = (
    arg(
        "handler",
        nargs="?",
        help="the handler: module.func, module:func or path/to/file.py:func "
        "(run with `python -m lambdago HANDLER`); or give `-- COMMAND ...` instead",
    ),
    arg("--timeout", type=float, default=3.0, metavar="S", help="function timeout (default 3 s)"),
    arg("--memory", type=int, default=128, metavar="MB", help="memory size (default 128 MB)"),
    arg(
        "--env",
        "-e",
        action="append",
        default=[],
        metavar="K=V",
        help="an environment variable for the runtime (repeatable)",
    ),
    arg("--task-root", metavar="DIR", help="LAMBDA_TASK_ROOT (default: the current directory)"),
    arg(
        "--function-name",
        metavar="NAME",
        help="AWS_LAMBDA_FUNCTION_NAME (default: from the handler)",
    ),
    arg("--region", metavar="REGION", help="AWS_REGION (default: $AWS_REGION, else us-east-1)"),
    arg(
        "--aws-credentials",
        action="store_true",
        help="pass this shell's AWS credentials (AWS_ACCESS_KEY_ID, AWS_PROFILE, ...) on",
    ),
)


def _parse_env(pairs: Sequence[str]) -> dict[str, str]:
    env: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            _fail(f"--env wants KEY=VALUE, not {pair!r}")
        env[key] = value
    return env


def _runtime_command(args: argparse.Namespace) -> tuple[list[str], str]:
    """The bootstrap command and the handler (for ``_HANDLER``)."""
    command: list[str] = args.command
    if command and args.handler:
        _fail("give either HANDLER or `-- COMMAND ...`, not both")
    if command:
        return command, args.handler_name or (command[-1] if len(command) > 1 else "")
    if not args.handler:
        _fail("a HANDLER (e.g. app.handler) or `-- COMMAND ...` is required")
    return [sys.executable, "-m", "lambdago", args.handler], args.handler


def _emulator(args: argparse.Namespace, **options: Any) -> Any:
    import os

    from .emulator import Emulator

    command, handler = _runtime_command(args)
    if args.timeout <= 0:
        _fail("--timeout must be positive")
    return Emulator(
        command,
        task_root=args.task_root or os.getcwd(),
        env=_parse_env(args.env),
        timeout=args.timeout,
        memory=args.memory,
        function_name=args.function_name,
        handler=handler,
        region=args.region,
        pass_aws_credentials=args.aws_credentials,
        **options,
    )


# -- serve -------------------------------------------------------------------------------------


@subcommand(
    "serve",
    "run a local Lambda: the invoke endpoint on 127.0.0.1:9000 in front of your runtime",
    *_RUNTIME_ARGUMENTS,
    arg("--concurrency", type=int, default=1, metavar="N", help="runtime processes (default 1)"),
    arg(
        "--max-concurrency",
        type=int,
        default=1,
        metavar="N",
        help="invocations one runtime process holds at once, as on Lambda Managed Instances "
        "(sets AWS_LAMBDA_MAX_CONCURRENCY; default 1)",
    ),
    arg(
        "--port",
        "-p",
        type=int,
        default=9000,
        metavar="P",
        help="invoke port (default 9000; 0: any)",
    ),
    arg("--host", default="127.0.0.1", metavar="H", help="invoke address (default 127.0.0.1)"),
    arg(
        "--watch",
        action="store_true",
        help="restart the runtime when a file under the task root changes",
    ),
    arg(
        "--handler-name", metavar="NAME", help="_HANDLER for `-- COMMAND` (default: its last word)"
    ),
)
def serve(args: argparse.Namespace) -> int:
    if args.concurrency < 1:
        _fail("--concurrency must be at least 1")
    if args.max_concurrency < 1:
        _fail("--max-concurrency must be at least 1")
    emu = _emulator(
        args,
        concurrency=args.concurrency,
        max_concurrency=args.max_concurrency,
        invoke_port=args.port,
        host=args.host,
        watch=args.watch,
    )

    def ready(e: Any) -> None:
        url = e.invoke_url
        config = e.config
        lines = [
            f"lambdago: {config.function_name} ({' '.join(config.command)}) in {config.task_root}",
            f"lambdago: invoke endpoint {url}",
            f"lambdago: Runtime API {', '.join(e.runtime_apis)}",
            f"lambdago: try   curl -s -d '{{}}' {url}",
        ]
        if args.host not in ("127.0.0.1", "localhost", "::1"):
            lines.append(f"lambdago: warning: listening on {args.host}, not only on this machine")
        if args.watch:
            lines.append("lambdago: watching for changes")
        print("\n".join(lines), flush=True)

    try:
        emu.serve_forever(ready)
    except OSError as exc:
        print(
            f"lambdago: cannot listen on {args.host}:{args.port}: {exc.strerror or exc}",
            file=sys.stderr,
        )
        return 1
    return 0


# -- invoke ------------------------------------------------------------------------------------


@subcommand(
    "invoke",
    "invoke a handler once through a real runtime and the emulator, print the response",
    *_RUNTIME_ARGUMENTS,
    arg("event", nargs="?", metavar="-", help="`-` reads the event from stdin"),
    arg("--event", dest="event_file", metavar="FILE", help="the event JSON file"),
    arg("--data-example", metavar="NAME", help="a sample event (see `lambdago events list`)"),
    arg("--client-context", metavar="JSON", help="a client context object"),
    arg(
        "--handler-name", metavar="NAME", help="_HANDLER for `-- COMMAND` (default: its last word)"
    ),
)
def invoke(args: argparse.Namespace) -> int:
    import json

    if args.handler == "-" and args.event is None:
        args.handler, args.event = None, "-"
    sources = [s for s in (args.event, args.event_file, args.data_example) if s is not None]
    if args.event is not None and args.event != "-":
        # `lambdago invoke -- CMD` has no handler: a lone positional is then the event.
        _fail(f"unexpected argument {args.event!r} (use --event FILE, or - for stdin)")
    if len(sources) > 1:
        _fail("give at most one of --event FILE, --data-example NAME and -")
    if args.event == "-":
        payload = sys.stdin.buffer.read()
    elif args.event_file is not None:
        try:
            with open(args.event_file, "rb") as f:
                payload = f.read()
        except OSError as exc:
            _fail(f"cannot read {args.event_file}: {exc.strerror or exc}")
    elif args.data_example is not None:
        from . import events

        try:
            payload = events.sample(args.data_example)
        except KeyError:
            _fail(f"no sample event named {args.data_example!r} (see `lambdago events list`)")
    else:
        payload = b"{}"
    emu = _emulator(args, invoke_port=0, echo=sys.stderr)
    out = sys.stdout.buffer
    with emu:
        # A streamed response is printed as it arrives.
        result = emu.invoke_stream(payload, client_context=args.client_context)
        last = b"\n"
        for piece in result:
            out.write(piece)
            out.flush()
            last = piece[-1:]
        # End the answer's line at once, before the emulator's END and REPORT lines (on
        # stderr) can land on it, not after the emulator has shut down.
        if last != b"\n":
            out.write(b"\n")
        out.flush()
    if result.streamed and result.trailers.get("lambda-runtime-function-error-type"):
        error = json.dumps(result.error) if result.error is not None else ""
        print(f"lambdago: the streamed response failed: {error}", file=sys.stderr)
    if result.status >= 300 or result.function_error:
        return 1
    return 0


# -- events ------------------------------------------------------------------------------------


@subcommand(
    "events",
    "sample events for every source: `events list`, `events show NAME`",
    arg("action", choices=["list", "show"]),
    arg("name", nargs="?"),
)
def events_command(args: argparse.Namespace) -> int:
    from . import events

    if args.action == "list":
        if args.name:
            _fail("`events list` takes no name")
        names = events.sample_names()
        width = max((len(n) for n in names), default=0)
        for name, type_name in names.items():
            print(f"{name:<{width}}  {type_name}")
        return 0
    if not args.name:
        _fail("`events show` needs a NAME (see `lambdago events list`)")
    try:
        data = events.sample(args.name)
    except KeyError:
        print(
            f"lambdago: no sample event named {args.name!r} (see `lambdago events list`)",
            file=sys.stderr,
        )
        return 2
    out = sys.stdout.buffer
    out.write(data if data.endswith(b"\n") else data + b"\n")
    out.flush()
    return 0


# -- package -------------------------------------------------------------------------------------


@subcommand(
    "package",
    "build a deployment package: a zip (or a layer, an image context, SAM files) for Lambda",
    arg("project", nargs="?", default=".", help="the project folder (default: .)"),
    arg(
        "--handler",
        "-H",
        metavar="HANDLER",
        help="the handler: module.func, module:func or path/to/file.py:func (not for --layer)",
    ),
    arg(
        "--output",
        "-o",
        metavar="PATH",
        help="the zip (default: dist/function.zip, dist/layer.zip; dist/image for images)",
    ),
    arg("--output-dir", metavar="DIR", help="write the package's files into DIR instead of a zip"),
    arg(
        "--target",
        choices=("provided", "image", "managed"),
        default="provided",
        help="provided.al2023 with a Python layer (default), a container image, or a managed "
        "python runtime with lambdago's exec wrapper",
    ),
    arg("--arch", choices=("x86_64", "arm64"), default="x86_64", help="default: x86_64"),
    arg(
        "--python",
        choices=("3.11", "3.12", "3.13"),
        help="the target Python (default: this interpreter's, when Lambda has it)",
    ),
    arg(
        "--os",
        choices=("al2023", "al2"),
        default="al2023",
        help="the target's Amazon Linux, for its glibc (default al2023; al2: provided.al2)",
    ),
    arg("--layer", action="store_true", help="build a layer of the dependencies instead"),
    arg(
        "--no-dependencies",
        action="store_true",
        help="code only: the dependencies come from a layer (`--layer`)",
    ),
    arg(
        "--requirements",
        "-r",
        metavar="FILE",
        help="the dependencies (default: requirements.txt, else pyproject.toml's)",
    ),
    arg(
        "--include",
        action="append",
        default=[],
        metavar="PATTERN",
        help="ship files that are left out by default (.env, tests...) (repeatable)",
    ),
    arg("--exclude", action="append", default=[], metavar="PATTERN", help="leave out (repeatable)"),
    arg("--no-bytecode", action="store_true", help="do not compile bytecode ahead"),
    arg(
        "--build-python",
        metavar="PATH",
        help="the interpreter that compiles bytecode (default: searched for)",
    ),
    arg("--sam", action="store_true", help="also write template.yaml and a Makefile for SAM"),
    arg("--force", action="store_true", help="let --sam overwrite files it did not write"),
    arg("--function-name", metavar="NAME", help="for SAM and the CLI (default: from the handler)"),
    arg("--memory", type=int, default=128, metavar="MB", help="for SAM and the CLI (128)"),
    arg("--timeout", type=int, default=3, metavar="S", help="for SAM and the CLI (3)"),
    arg("--quiet", "-q", action="store_true", help="no progress and no summary"),
)
def package(args: argparse.Namespace) -> int:
    import pathlib

    from .package import Display, PackageError, PackageOptions, Platform, build
    from .package.options import default_python

    if not args.layer and not args.handler:
        _fail("--handler is required (e.g. --handler app.handler), except with --layer")
    options = PackageOptions(
        handler=args.handler or "",
        project=pathlib.Path(args.project),
        output=pathlib.Path(args.output) if args.output else None,
        output_dir=pathlib.Path(args.output_dir) if args.output_dir else None,
        platform=Platform(args.arch, args.python or default_python(), args.os),
        target=args.target,
        layer=args.layer,
        dependencies=not args.no_dependencies,
        requirements=pathlib.Path(args.requirements) if args.requirements else None,
        includes=tuple(args.include),
        excludes=tuple(args.exclude),
        bytecode=not args.no_bytecode,
        build_python=args.build_python,
        sam=args.sam,
        force=args.force,
        function_name=args.function_name,
        memory=args.memory,
        timeout=args.timeout,
        quiet=args.quiet,
    )
    display = Display(quiet=args.quiet)
    try:
        build(options, display)
    except PackageError as exc:
        display.clear()
        print(f"lambdago: error: {exc}", file=sys.stderr)
        return 1
    return 0


@subcommand(
    "zip",
    "zip an executable (and other files) for Lambda, each at the root, with Unix modes",
    arg("files", nargs="+", metavar="FILE", help="the executable first, then other files"),
    arg("--output", "-o", metavar="PATH", help="the zip (default: FIRST-FILE.zip)"),
    arg(
        "--no-bootstrap-link",
        action="store_true",
        help="no `bootstrap` symlink to the executable when it has another name",
    ),
)
def zip_command(args: argparse.Namespace) -> int:
    from .package.zipwriter import zip_files

    output = args.output or f"{args.files[0].replace(chr(92), '/').rpartition('/')[2]}.zip"
    try:
        names = zip_files(output, args.files, bootstrap_link=not args.no_bootstrap_link)
    except (OSError, ValueError) as exc:
        print(f"lambdago: error: {exc}", file=sys.stderr)
        return 1
    print(f"lambdago: wrote {output} ({', '.join(names)})", file=sys.stderr)
    return 0


# -- main ----------------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every registered subcommand."""
    import argparse

    from ._version import __version__

    parser = argparse.ArgumentParser(
        prog="lambdago",
        description="lambdago: the aws-lambda-go programming model for Python, and a local Lambda.",
    )
    parser.add_argument("--version", action="version", version=f"lambdago {__version__}")
    subparsers = parser.add_subparsers(dest="subcommand", metavar="COMMAND")
    for name, (help_text, arguments, run) in _COMMANDS.items():
        sub = subparsers.add_parser(name, help=help_text, description=help_text)
        for names, options in arguments:
            sub.add_argument(*names, **options)
        sub.set_defaults(run=run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``lambdago`` command; returns the exit status."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    command: list[str] = []
    if "--" in args_list:
        cut = args_list.index("--")
        args_list, command = args_list[:cut], args_list[cut + 1 :]
    parser = build_parser()
    args = parser.parse_args(args_list)
    if getattr(args, "run", None) is None:
        parser.print_help(sys.stderr)
        return 2
    args.command = command
    if command and args.subcommand not in ("serve", "invoke"):
        parser.error(f"`{args.subcommand}` takes no `-- COMMAND`")
    try:
        status: int = args.run(args)
    except _UsageError as exc:
        parser.error(str(exc))
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (`lambdago events list | head`): not an error of ours.
        import os

        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    return status


if __name__ == "__main__":
    sys.exit(main())
