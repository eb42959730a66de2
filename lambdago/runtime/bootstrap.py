"""``python -m lambdago [HANDLER]``: the generic bootstrap.

HANDLER (default ``$_HANDLER``) names the function in one of three forms:

* ``module.func``: split at the last dot; ``dir/file.func`` imports ``dir.file``;
* ``module:func``: the attribute may be dotted (``app:Service.handle``);
* ``path/to/file.py:func``: a source file, relative to ``LAMBDA_TASK_ROOT``.

``LAMBDA_TASK_ROOT`` (else the current directory) goes first on ``sys.path``. Failing to
load the handler is an init error with the official Python runtime's ``errorType``:
``Runtime.MalformedHandlerName``, ``Runtime.ImportModuleError``,
``Runtime.UserCodeSyntaxError``, ``Runtime.HandlerNotFound``,
``Runtime.BuiltInModuleConflict``; an exception raised by the module's own code is
reported with its class name; an unacceptable handler shape is ``Runtime.InvalidHandler``.
"""

from __future__ import annotations

import os
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, NoReturn

__all__ = ["HandlerSpec", "InitError", "load_handler", "main", "parse_handler"]

USAGE = "usage: python -m lambdago [HANDLER]   (HANDLER defaults to $_HANDLER)\n"


class InitError(Exception):
    """A handler that could not be loaded; ``error_type`` is the init error's type."""

    def __init__(self, error_type: str, message: str, stack_trace: list[str] | None = None) -> None:
        super().__init__(message)
        self.error_type = error_type
        self.message = message
        self.stack_trace = stack_trace or []


class HandlerSpec:
    """A parsed handler name: a module name or a file path, and an attribute path."""

    __slots__ = ("attribute", "module", "path", "text")

    def __init__(self, text: str, module: str | None, path: str | None, attribute: str) -> None:
        self.text = text
        self.module = module
        self.path = path
        self.attribute = attribute

    def __repr__(self) -> str:
        where = f"path={self.path!r}" if self.path else f"module={self.module!r}"
        return f"HandlerSpec({where}, attribute={self.attribute!r})"

    @property
    def module_label(self) -> str:
        """The module as the user wrote it, for messages."""
        return self.path or self.module or ""


def _valid_dotted(name: str) -> bool:
    return bool(name) and all(part.isidentifier() for part in name.split("."))


def parse_handler(text: str) -> HandlerSpec:
    """Parse a handler name; raises :class:`InitError` (``Runtime.MalformedHandlerName``)."""
    spec = text.strip()

    def malformed(why: str) -> InitError:
        return InitError("Runtime.MalformedHandlerName", f"Bad handler {text!r}: {why}")

    if not spec:
        raise malformed("the handler name is empty")
    if ":" in spec:
        left, _, attribute = spec.rpartition(":")
        if not left or not _valid_dotted(attribute):
            raise malformed("expected module:function or path/to/file.py:function")
        if left.endswith(".py") or "/" in left or os.sep in left:
            return HandlerSpec(text, None, left, attribute)
        if not _valid_dotted(left):
            raise malformed(f"{left!r} is not a module name")
        return HandlerSpec(text, left, None, attribute)
    module, dot, attribute = spec.rpartition(".")
    if not dot or not module or not attribute.isidentifier():
        raise malformed("expected module.function (e.g. app.handler)")
    module = module.replace("/", ".").replace(os.sep, ".").strip(".")
    if not _valid_dotted(module):
        raise malformed(f"{module!r} is not a module name")
    return HandlerSpec(text, module, None, attribute)


def _task_root() -> str:
    return os.environ.get("LAMBDA_TASK_ROOT") or os.getcwd()


def prepare_path() -> None:
    """Put ``LAMBDA_TASK_ROOT`` (else the current directory) first on ``sys.path``."""
    root = os.path.abspath(_task_root())
    if not sys.path or sys.path[0] != root:
        try:
            sys.path.remove(root)
        except ValueError:
            pass
        sys.path.insert(0, root)


def _syntax_trace(exc: SyntaxError) -> list[str]:
    return [f'  File "{exc.filename}" Line {exc.lineno}\n    {(exc.text or "").strip()}\n']


def _user_trace(exc: BaseException) -> list[str]:
    import traceback

    from .failure import _user_frames

    return traceback.format_list(_user_frames(exc))


def _import(spec: HandlerSpec) -> Any:
    import importlib

    if spec.path is not None:
        return _import_file(spec)
    assert spec.module is not None
    top = spec.module.split(".")[0]
    if top in sys.builtin_module_names:
        raise InitError(
            "Runtime.BuiltInModuleConflict",
            f"Cannot use built-in module {spec.module} as a handler module",
        )
    try:
        return importlib.import_module(spec.module)
    except ImportError as exc:
        raise InitError(
            "Runtime.ImportModuleError",
            f"Unable to import module '{spec.module}': {exc}",
            _user_trace(exc),
        ) from None
    except SyntaxError as exc:
        raise InitError(
            "Runtime.UserCodeSyntaxError",
            f"Syntax error in module '{spec.module}': {exc}",
            _syntax_trace(exc),
        ) from None


def _import_file(spec: HandlerSpec) -> Any:
    import importlib.util

    assert spec.path is not None
    path = spec.path if os.path.isabs(spec.path) else os.path.join(_task_root(), spec.path)
    label = spec.path
    if not os.path.isfile(path):
        raise InitError(
            "Runtime.ImportModuleError", f"Unable to import module '{label}': no such file {path}"
        )
    name = os.path.splitext(os.path.basename(path))[0]
    if not name.isidentifier():
        name = "lambdago_handler_module"
    directory = os.path.dirname(os.path.abspath(path))
    if directory not in sys.path:
        sys.path.insert(1, directory)
    module_spec = importlib.util.spec_from_file_location(name, path)
    if module_spec is None or module_spec.loader is None:
        raise InitError("Runtime.ImportModuleError", f"Unable to import module '{label}'")
    module = importlib.util.module_from_spec(module_spec)
    sys.modules[name] = module
    try:
        module_spec.loader.exec_module(module)
    except ImportError as exc:
        del sys.modules[name]
        raise InitError(
            "Runtime.ImportModuleError",
            f"Unable to import module '{label}': {exc}",
            _user_trace(exc),
        ) from None
    except SyntaxError as exc:
        del sys.modules[name]
        raise InitError(
            "Runtime.UserCodeSyntaxError",
            f"Syntax error in module '{label}': {exc}",
            _syntax_trace(exc),
        ) from None
    except BaseException:
        del sys.modules[name]
        raise
    return module


def load_handler(spec: HandlerSpec) -> Any:
    """Import the handler's module and return the handler object.

    Raises :class:`InitError` for the failures with a Runtime.* type; an exception raised
    by the module's own top-level code propagates as it is.
    """
    target = _import(spec)
    for part in spec.attribute.split("."):
        try:
            target = getattr(target, part)
        except AttributeError:
            raise InitError(
                "Runtime.HandlerNotFound",
                f"Handler '{spec.attribute}' missing on module '{spec.module_label}'",
            ) from None
    return target


def main(argv: list[str] | None = None) -> NoReturn:
    """Run the bootstrap: load the handler named on the command line or in ``$_HANDLER``."""
    from .entry import report_init_error, runtime_client, serve_handler

    args = sys.argv[1:] if argv is None else argv
    if args and args[0] in ("-h", "--help"):
        sys.stdout.write(USAGE + __doc__.split("\n\n", 1)[1] if __doc__ else USAGE)
        raise SystemExit(0)
    if len(args) > 1:
        sys.stderr.write(USAGE)
        raise SystemExit(2)
    text = args[0] if args else os.environ.get("_HANDLER", "")

    # Line-buffer the function's output, so a timeout kill loses nothing printed.
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(line_buffering=True)  # type: ignore[union-attr]
        except Exception:
            pass

    client = runtime_client()
    prepare_path()
    try:
        spec = parse_handler(text)
        handler = load_handler(spec)
    except InitError as exc:
        report_init_error(client, exc.error_type, exc.message, exc.stack_trace)
    except Exception as exc:
        from .failure import error_type_of

        report_init_error(client, error_type_of(exc), str(exc), _user_trace(exc))
    serve_handler(client, handler)
