"""docs/events-coverage.md matches lambdago.events, and its generator works (no Go source
needed: the generator is fed small Go files written here)."""

from __future__ import annotations

import pathlib
import re

import pytest

import lambdago.events
from lambdago.events import _base, _coverage
from lambdago.events._index import WHERE

DOC = pathlib.Path(__file__).resolve().parent.parent.parent / "docs" / "events-coverage.md"


def _cells(line: str) -> list[str]:
    parts = re.split(r"(?<!\\)\|", line.strip())
    return [p.strip().replace("\\|", "|") for p in parts[1:-1]]


def _rows(text: str) -> list[list[str]]:
    lines = text.splitlines()
    start = lines.index(_coverage.HEADER)
    rows = []
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        rows.append(_cells(line))
    return rows


def _code(cell: str) -> str:
    return cell.strip("`")


def test_the_document_lists_every_type_once() -> None:
    rows = _rows(DOC.read_text(encoding="utf-8"))
    assert len(rows) > 300
    names = [_code(r[1]) for r in rows]
    assert len(names) == len(set(names))
    assert all(len(r) == 5 for r in rows)


def test_every_name_listed_as_present_exists() -> None:
    for go_file, go_name, lg, module, kind in _rows(DOC.read_text(encoding="utf-8")):
        if lg == "missing":
            assert (module, kind) == ("", ""), go_name
            continue
        name, module = _code(lg), _code(module)
        if module == "_base":
            assert isinstance(getattr(_base, name), _base.Wire), go_name
            assert _coverage.BASE_WIRES[_code(go_name)] == name
            continue
        assert name == _code(go_name), f"{go_file}: {go_name} is listed as {lg}"
        assert WHERE.get(name) == module, f"{name} is not defined in lambdago.events.{module}"
        assert name in lambdago.events.__all__
        assert getattr(lambdago.events, name) is not None


def test_the_summary_counts_the_rows() -> None:
    text = DOC.read_text(encoding="utf-8")
    rows = _rows(text)
    present = sum(1 for r in rows if r[2] != "missing")
    assert f"**{present} of {len(rows)} types are covered" in text


def test_go_type_declarations_are_read() -> None:
    source = (
        "package events\n\n"
        'type Alpha struct {\n\tName string `json:"name"`\n}\n'
        "type beta struct{}\n"
        "type Gamma = Alpha\n"
        "type Delta map[string]string\n"
        "func (a Alpha) MarshalJSON() ([]byte, error) {\n\ttype Inner Alpha\n\treturn nil, nil\n}\n"
        "// type Commented struct{}\n"
    )
    got = _coverage.go_types_in(source, "x.go")
    assert got == [
        _coverage.GoType("x.go", "Alpha"),
        _coverage.GoType("x.go", "Gamma"),
        _coverage.GoType("x.go", "Delta"),
    ]


def _checkout(tmp_path: pathlib.Path) -> pathlib.Path:
    events = tmp_path / "events"
    events.mkdir()
    (events / "sqs.go").write_text("package events\ntype SQSEvent struct{}\n", encoding="utf-8")
    (events / "codebuild.go").write_text(
        "package events\ntype CodeBuildTime time.Time\ntype CodeBuildPhaseType string\n",
        encoding="utf-8",
    )
    (events / "lex.go").write_text("package events\ntype Slots map[string]*string\n")
    (events / "epoch_time.go").write_text(
        "package events\ntype SecondsEpochTime struct{ time.Time }\n", encoding="utf-8"
    )
    (events / "nowhere.go").write_text("package events\ntype NoSuchThing struct{}\n")
    (events / "sqs_test.go").write_text("package events\ntype TestOnly struct{}\n")
    (events / "README.md").write_text("type NotGo struct{}\n")
    return tmp_path


def test_a_checkout_is_rendered(tmp_path: pathlib.Path) -> None:
    files, _commit = _coverage.read_go_sources(_checkout(tmp_path))
    assert sorted(files) == ["codebuild.go", "epoch_time.go", "lex.go", "nowhere.go", "sqs.go"]
    text = _coverage.render(files, "815d21f4176907c97cc6a77465ece6a1d2bbbac4")
    assert "at commit `815d21f41769`" in text
    rows = {_code(r[1]): r for r in _rows(text)}
    assert rows["SQSEvent"] == ["`sqs.go`", "`SQSEvent`", "`SQSEvent`", "`sqs`", "class"]
    assert rows["CodeBuildTime"][4] == "wire (`datetime`)"
    assert rows["CodeBuildPhaseType"][4] == "alias of `str`"
    assert rows["Slots"][4] == "alias of `dict[str, str | None]`"
    assert rows["SecondsEpochTime"][2:4] == ["`EPOCH_SECONDS`", "`_base`"]
    assert rows["NoSuchThing"] == ["`nowhere.go`", "`NoSuchThing`", "missing", "", ""]
    assert "TestOnly" not in rows
    assert "NotGo" not in rows
    assert "**5 of 6 types are covered; 1 are missing.**" in text


def test_the_events_directory_itself_is_accepted(tmp_path: pathlib.Path) -> None:
    files, _commit = _coverage.read_go_sources(_checkout(tmp_path) / "events")
    assert "sqs.go" in files


def test_main_writes_the_document(tmp_path: pathlib.Path) -> None:
    out = tmp_path / "coverage.md"
    assert _coverage.main(["--go-source", str(_checkout(tmp_path)), "--output", str(out)]) == 0
    assert "| `sqs.go` | `SQSEvent` |" in out.read_text(encoding="utf-8")


def test_a_directory_without_go_sources_is_rejected(tmp_path: pathlib.Path) -> None:
    with pytest.raises(SystemExit, match="neither an aws-lambda-go checkout"):
        _coverage.read_go_sources(tmp_path)
