"""Writes ``docs/events-coverage.md``: every exported type of aws-lambda-go's ``events``
package, with its lambdago counterpart and the module defining it.

Run it against a checkout of aws-lambda-go (or a bare mirror of its repository)::

    python -m lambdago.events._coverage --go-source ../aws-lambda-go

The Go types are read from the top-level ``type`` declarations of ``events/*.go`` (tests
excepted); the lambdago side comes from ``_index.WHERE``, so regenerate the index first
(``python -m lambdago.events._catalog``). A Go type lambdago does not have yet is listed
as missing.

A second table lists the types lambdago has beyond aws-lambda-go's ``events`` package
(sources it does not cover): every name of ``_index.WHERE`` that is not a Go type and is
a type (an event class, a type alias or a wire; constants, helper functions and
exceptions are not listed), with its module and the AWS source the module's docstring
names. It follows the index, so a new source module appears once the index is
regenerated.
"""

from __future__ import annotations

import argparse
import importlib
import pathlib
import re
import subprocess
import sys
import typing

from ._eventclass import evaluate_annotation
from ._index import WHERE

ROOT = pathlib.Path(__file__).resolve().parent.parent.parent
DEFAULT_OUTPUT = ROOT / "docs" / "events-coverage.md"

# Go types whose role lambdago gives to a wire of ``_base`` rather than to a type.
BASE_WIRES = {
    "RFC3339EpochTime": "RFC3339",
    "SecondsEpochTime": "EPOCH_SECONDS",
    "MilliSecondsEpochTime": "EPOCH_MILLIS",
}

_TYPE_DECL = re.compile(r"^type\s+([A-Z]\w*)", re.MULTILINE)
_QUALIFIED = re.compile(r"\blambdago\.events\.\w+\.")

HEADER = "| Go file | Go type | lambdago | module | kind |"

EXTRA_HEADER = "| lambdago type | module | kind | source | aws-lambda-go |"

# lambdago types whose counterpart aws-lambda-go has outside its ``events`` package.
GO_ELSEWHERE = {
    "CloudFormationCustomResourceRequest": "`cfn.Event`",
    "CloudFormationCustomResourceResponse": "`cfn.Response`",
}


class GoType(typing.NamedTuple):
    """One exported Go type: the file declaring it and its name."""

    file: str
    name: str


def go_types_in(source: str, file: str) -> list[GoType]:
    """The exported types declared at the top level of one Go file, in source order."""
    return [GoType(file, name) for name in _TYPE_DECL.findall(source)]


def _is_source(name: str) -> bool:
    return name.endswith(".go") and not name.endswith("_test.go")


def read_go_sources(path: pathlib.Path) -> tuple[dict[str, str], str | None]:
    """``events/*.go`` (tests excepted) from a checkout, its ``events`` directory, or a
    (bare) git repository: file name -> text, and the commit when git can tell it."""
    for events in (path / "events", path):
        if events.is_dir() and any(_is_source(p.name) for p in events.glob("*.go")):
            files = {
                p.name: p.read_text(encoding="utf-8")
                for p in sorted(events.glob("*.go"))
                if _is_source(p.name)
            }
            top = events.parent
            commit = _git(top, "rev-parse", "HEAD") if (top / ".git").exists() else None
            return files, commit
    listing = _git(path, "ls-tree", "--name-only", "HEAD", "events/")
    if listing is None:
        raise SystemExit(f"{path}: neither an aws-lambda-go checkout nor a git repository of it")
    files = {}
    for entry in sorted(listing.split()):
        name = entry.rsplit("/", 1)[-1]
        if _is_source(name):
            text = _git(path, "show", f"HEAD:{entry}")
            if text is None:
                raise SystemExit(f"{path}: cannot read {entry}")
            files[name] = text
    if not files:
        raise SystemExit(f"{path}: no events/*.go files found")
    return files, _git(path, "rev-parse", "HEAD")


def _git(path: pathlib.Path, *args: str) -> str | None:
    try:
        out = subprocess.run(
            ["git", "-C", str(path), *args], capture_output=True, text=True, check=False
        )
    except OSError:
        return None
    return out.stdout.strip() if out.returncode == 0 else None


def describe(name: str) -> tuple[str, str, str]:
    """(lambdago name, module, kind) for the Go type ``name``; ``missing`` when absent."""
    wire = BASE_WIRES.get(name)
    if wire is not None:
        return wire, "_base", "wire (`datetime`)"
    module = WHERE.get(name)
    if module is None:
        return "missing", "", ""
    value = getattr(importlib.import_module(f"lambdago.events.{module}"), name)
    return name, module, _kind(name, value)


def _kind(name: str, value: object) -> str:
    from ._base import Wire

    if isinstance(value, Wire):
        python_type = _wire_type(value)
        return f"wire (`{python_type}`)" if python_type else "wire"
    if isinstance(value, type) and not typing.get_args(value):
        if value.__name__ != name:
            return f"alias of `{value.__name__}`"
        return "class"
    shown = _QUALIFIED.sub("", repr(value).replace("typing.", ""))
    return f"alias of `{shown}`"


def _wire_type(wire: object) -> str | None:
    """The Python type a wire decodes to, from its decoder's return annotation."""
    decode = getattr(wire, "decode", None)
    hint = getattr(decode, "__annotations__", {}).get("return")
    if isinstance(hint, str):
        try:
            hint = evaluate_annotation(hint, getattr(decode, "__globals__", {}))
        except Exception:
            return None
    return hint.__name__ if isinstance(hint, type) else None


def is_type_export(name: str, value: object) -> bool:
    """Whether the exported ``value`` named ``name`` is a type (an event class, a class
    with its own JSON form, an alias of a type, a wire) rather than a constant, a helper
    function or an exception."""
    from ._base import EventBase, Wire

    if isinstance(value, Wire):
        return True
    if isinstance(value, type):
        if value.__name__ != name:
            return True  # a module-level alias of a type
        if issubclass(value, BaseException):
            return False
        return issubclass(value, EventBase) or hasattr(value, "__lambdago_decode__")
    return typing.get_origin(value) is not None  # an alias such as dict[str, str]


def source_of(doc: str | None, module: str) -> str:
    """The AWS source a module's docstring names: its text up to the first colon (the
    house style, ``"Amazon SQS: the batch of ..."``), else its first sentence, else the
    module's name."""
    text = " ".join((doc or "").split("\n\n", 1)[0].split())
    if not text:
        return module
    head, colon, _rest = text.partition(": ")
    if colon:
        return head
    return text.split(". ", 1)[0].rstrip(".")


class ExtraType(typing.NamedTuple):
    """A lambdago type aws-lambda-go's ``events`` package does not have."""

    name: str
    module: str
    kind: str
    source: str
    go_elsewhere: str | None


def extra_types(go_names: set[str]) -> list[ExtraType]:
    """Every type of ``_index.WHERE`` not among ``go_names``, by module then name."""
    out = []
    for name, module_name in sorted(WHERE.items(), key=lambda kv: (kv[1], kv[0])):
        if name in go_names:
            continue
        module = importlib.import_module(f"lambdago.events.{module_name}")
        value = getattr(module, name)
        if not is_type_export(name, value):
            continue
        out.append(
            ExtraType(
                name,
                module_name,
                _kind(name, value),
                source_of(module.__doc__, module_name),
                GO_ELSEWHERE.get(name),
            )
        )
    return out


def _extra_rows(extras: list[ExtraType]) -> list[str]:
    rows = []
    for t in extras:
        go = "missing" if t.go_elsewhere is None else f"missing ({t.go_elsewhere}, package `cfn`)"
        rows.append(
            f"| `{t.name}` | `{t.module}` | {_cell(t.kind)} | {_cell(t.source)} | {_cell(go)} |"
        )
    return rows


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def render(go_files: dict[str, str], commit: str | None) -> str:
    """The markdown document."""
    types = [t for file, text in sorted(go_files.items()) for t in go_types_in(text, file)]
    rows = []
    present = 0
    for t in types:
        lg_name, module, kind = describe(t.name)
        if lg_name != "missing":
            present += 1
            rows.append(f"| `{t.file}` | `{t.name}` | `{lg_name}` | `{module}` | {_cell(kind)} |")
        else:
            rows.append(f"| `{t.file}` | `{t.name}` | missing | | |")
    extras = extra_types({t.name for t in types})
    sources = len({t.module for t in extras})
    source = "aws-lambda-go" + (f" at commit `{commit[:12]}`" if commit else "")
    lines = [
        "# `lambdago.events` coverage of aws-lambda-go's `events` package",
        "",
        "Generated by `python -m lambdago.events._coverage --go-source <aws-lambda-go>`; do not",
        "edit by hand.",
        "",
        f"Every exported type declared in `events/*.go` of {source},",
        "with the lambdago name (the same name, importable from `lambdago.events`) and the",
        "module of `lambdago.events` that defines it.",
        "",
        f"**{present} of {len(types)} types are covered; {len(types) - present} are missing.**",
        "",
        "Kinds: *class* is an event class; *alias of `X`* is a module-level alias (a Go",
        "`type A = B`, a Go map type, or a Go string enum type, whose constants are",
        "module-level strings); *wire (`T`)* converts a field between a custom JSON form",
        "and a Python `T` (`field(key, wire=CodeBuildTime)`): Go types that only give",
        "`time.Time`, `time.Duration` or a number their own JSON form. aws-lambda-go's",
        "`RFC3339EpochTime`, `SecondsEpochTime` and `MilliSecondsEpochTime` are the wires",
        "`RFC3339`, `EPOCH_SECONDS` and `EPOCH_MILLIS` of `lambdago.events._base`.",
        "",
        HEADER,
        "|---|---|---|---|---|",
        *rows,
        "",
        "## Sources aws-lambda-go does not have",
        "",
        "Types of `lambdago.events` with no counterpart among the types of aws-lambda-go's",
        "`events` package: event sources (and the types they are made of) that aws-lambda-go",
        "does not model. *source* is the AWS service, as the module's docstring names it.",
        "Constants, helper functions and exceptions are not listed. Where aws-lambda-go has",
        "a counterpart in another package (its `cfn` package), the last column names it.",
        "",
        f"**{len(extras)} types from {sources} modules are missing from aws-lambda-go.**",
        "",
        EXTRA_HEADER,
        "|---|---|---|---|---|",
        *_extra_rows(extras),
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m lambdago.events._coverage")
    parser.add_argument(
        "--go-source",
        required=True,
        type=pathlib.Path,
        help="an aws-lambda-go checkout, its events directory, or a git mirror of it",
    )
    parser.add_argument("--output", type=pathlib.Path, default=DEFAULT_OUTPUT)
    args = parser.parse_args(argv)
    files, commit = read_go_sources(args.go_source)
    args.output.write_text(render(files, commit), encoding="utf-8")
    print(f"wrote {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
