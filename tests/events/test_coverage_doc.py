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


# -- the second table: sources aws-lambda-go does not have ------------------------------------


def _extra_rows(text: str) -> list[list[str]]:
    lines = text.splitlines()
    start = lines.index(_coverage.EXTRA_HEADER)
    rows = []
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        rows.append(_cells(line))
    return rows


def test_the_extra_table_lists_every_non_go_type_of_the_index() -> None:
    text = DOC.read_text(encoding="utf-8")
    go_names = {_code(r[1]) for r in _rows(text)}
    extra = _extra_rows(text)
    listed = [_code(r[0]) for r in extra]
    assert len(listed) == len(set(listed))
    assert not set(listed) & go_names
    from lambdago._converters import is_event_class

    expected = set()
    for name in WHERE:
        value = getattr(lambdago.events, name)
        if name not in go_names and is_event_class(value):
            expected.add(name)
    # Every event class outside aws-lambda-go is listed; anything else listed is a type.
    assert expected <= set(listed)
    for name, module, _kind, source, go in extra:
        name, module = _code(name), _code(module)
        assert WHERE[name] == module
        assert _coverage.is_type_export(name, getattr(lambdago.events, name))
        assert source
        assert go.startswith("missing")
    assert f"**{len(extra)} types from {len({r[1] for r in extra})} modules" in text


def test_the_extra_table_has_the_new_sources_and_no_constants() -> None:
    rows = {_code(r[0]): r for r in _extra_rows(DOC.read_text(encoding="utf-8"))}
    for name, module in [
        ("BedrockAgentEvent", "bedrock_agent"),
        ("AppSyncResolverEvent", "appsync_resolver"),
        ("AppSyncEventsResponse", "appsync_events"),
        ("CloudWatchAlarmEvent", "cloudwatch_alarm"),
        ("CloudWatchDashboardCustomWidgetEvent", "cloudwatch_dashboard"),
        ("CodeDeployLifecycleHookEvent", "codedeploy_lifecycle"),
        ("CognitoEventUserPoolsCustomSMSSender", "cognito_custom_sender"),
        ("DocumentDBEvent", "documentdb"),
    ]:
        assert _code(rows[name][1]) == module
        assert rows[name][4] == "missing"
    assert rows["CloudWatchAlarmTime"][2] == "wire (`datetime`)"
    assert rows["CloudFormationCustomResourceRequest"][3] == "AWS CloudFormation custom resources"
    assert rows["CloudFormationCustomResourceRequest"][4] == "missing (`cfn.Event`, package `cfn`)"
    assert rows["CloudFormationCustomResourceResponse"][4] == (
        "missing (`cfn.Response`, package `cfn`)"
    )
    for not_a_type in [
        "CloudFormationStatusSuccess",  # a constant
        "custom_resource",  # a function
        "CloudFormationResponseError",  # an exception
        "documentdb_to_python",
        "CodeBuildPhaseStatusFailed",  # a constant aws-lambda-go has
    ]:
        assert not_a_type not in rows


def test_a_checkout_renders_the_extra_table(tmp_path: pathlib.Path) -> None:
    files, _commit = _coverage.read_go_sources(_checkout(tmp_path))
    text = _coverage.render(files, None)
    rows = {_code(r[0]): r for r in _extra_rows(text)}
    # Only SQSEvent is a Go type in this checkout: its siblings become extras.
    assert "SQSEvent" not in rows
    assert rows["SQSMessage"] == ["`SQSMessage`", "`sqs`", "class", "Amazon SQS", "missing"]
    assert "CodeBuildPhaseStatusFailed" not in rows
    # Slots is a Go type of this checkout (lex.go), so it is in the first table only.
    assert "Slots" not in rows


@pytest.mark.parametrize(
    ("doc", "source"),
    [
        ("Amazon SQS: the batch of messages.", "Amazon SQS"),
        (
            "AWS CodeDeploy lifecycle hooks: the event\nCodeDeploy sends.",
            "AWS CodeDeploy lifecycle hooks",
        ),
        ("Agents for Amazon\nBedrock: the event.\n\nMore: text.", "Agents for Amazon Bedrock"),
        ("Durations sent as JSON numbers. More text.", "Durations sent as JSON numbers"),
        ("Only text\n\nthen: a colon later", "Only text"),
        (None, "mymodule"),
        ("", "mymodule"),
    ],
)
def test_the_source_comes_from_the_module_docstring(doc: str | None, source: str) -> None:
    assert _coverage.source_of(doc, "mymodule") == source


def test_only_types_count_as_type_exports() -> None:
    from lambdago.events import cloudformation, sqs

    assert _coverage.is_type_export("SQSEvent", sqs.SQSEvent)
    assert _coverage.is_type_export("X", dict[str, str])
    assert _coverage.is_type_export("Alias", sqs.SQSEvent)
    assert _coverage.is_type_export("CloudWatchAlarmTime", lambdago.events.CloudWatchAlarmTime)
    assert not _coverage.is_type_export("Const", "SUCCESS")
    assert not _coverage.is_type_export("custom_resource", cloudformation.custom_resource)
    assert not _coverage.is_type_export(
        "CloudFormationResponseError", cloudformation.CloudFormationResponseError
    )
    assert not _coverage.is_type_export("Plain", type("Plain", (), {}))
