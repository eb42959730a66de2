"""The lazy-loading index of lambdago.events is current, and loading stays lazy."""

from __future__ import annotations

import json
import subprocess
import sys

import lambdago.events
from lambdago.events import _catalog


def test_index_is_current() -> None:
    on_disk = _catalog.INDEX.read_text(encoding="utf-8")
    assert on_disk == _catalog.render(), "run: python -m lambdago.events._catalog"


def test_every_exported_name_resolves_to_its_module() -> None:
    for name, module in lambdago.events._index.WHERE.items():
        value = getattr(lambdago.events, name)
        assert getattr(sys.modules[f"lambdago.events.{module}"], name) is value


def test_every_sample_decodes_into_its_type() -> None:
    for name, type_name in lambdago.events.sample_names().items():
        cls = getattr(lambdago.events, type_name)
        raw = lambdago.events.sample(name)
        value = lambdago.decode(raw, cls)
        assert json.loads(lambdago.encode(value)) == json.loads(raw), name


def test_importing_events_loads_no_source_module() -> None:
    code = (
        "import sys, lambdago.events as e; "
        "print(sorted(m for m in sys.modules if m.startswith('lambdago.events.')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "['lambdago.events._index']"


def test_one_source_loads_only_itself() -> None:
    code = (
        "import sys, lambdago.events as e; e.SQSEvent; "
        "print(sorted(m for m in sys.modules if m.startswith('lambdago.events.')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == (
        "['lambdago.events._base', 'lambdago.events._eventclass', 'lambdago.events._index', 'lambdago.events.sqs']"
    )
