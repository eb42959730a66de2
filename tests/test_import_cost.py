"""``import lambdago`` stays cheap: a plain ``dict`` handler pays for no machinery it does
not use (each avoided module is milliseconds of every cold start, see docs/design.md)."""

from __future__ import annotations

import ast
import subprocess
import sys
import textwrap

import pytest

HEAVY = [
    "attr",
    "attrs",
    "cattrs",
    "orjson",
    "typing",
    "asyncio",
    "inspect",
    "socket",
    "logging",
    "json",
    "re",
    "dataclasses",
    "traceback",
    "enum",
    "uuid",
    "decimal",
    "datetime",
    "importlib.util",
    "threading",
    "select",
    "email",
    "http.client",
]


def _loaded_after(code: str) -> list[str]:
    probe = textwrap.dedent(code) + textwrap.dedent(
        f"""
        import sys
        print(sorted(m for m in {HEAVY!r} if m in sys.modules))
        """
    )
    out = subprocess.run(
        [sys.executable, "-S", "-c", probe],
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONPATH": ":".join(p for p in sys.path if p)},
    )
    loaded: list[str] = ast.literal_eval(out.stdout.strip().splitlines()[-1])
    return loaded


def test_import_lambdago_loads_nothing_heavy() -> None:
    assert _loaded_after("import lambdago") == []


def test_wrapping_and_serving_a_dict_handler_loads_nothing_heavy() -> None:
    code = """
    import lambdago
    from lambdago import _jsonio
    _jsonio.use_cold_start_engine()
    handler = lambdago.new_handler(lambda ctx, event: {"echo": event})
    from lambdago.lambdacontext import new_context
    ctx = new_context("r", deadline_ms=1)
    assert handler.invoke(b'{"a": [1, 2.5, null, "x"]}', ctx) == b'{"echo":{"a":[1,2.5,null,"x"]}}'
    """
    assert _loaded_after(code) == []


def test_runtime_modules_load_nothing_heavy() -> None:
    code = """
    import lambdago.runtime.bootstrap, lambdago.runtime.entry, lambdago.runtime.invoke_loop
    import lambdago.runtime.client, lambdago.runtime.protocol
    """
    assert _loaded_after(code) == []


@pytest.mark.parametrize("name", ["lambdago.events", "lambdago.cli"])
def test_entry_modules_are_lazy(name: str) -> None:
    loaded = _loaded_after(f"import {name}")
    assert "attrs" not in loaded and "cattrs" not in loaded and "orjson" not in loaded
    assert "asyncio" not in loaded and "argparse" not in loaded
