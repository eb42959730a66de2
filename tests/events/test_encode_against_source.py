"""Encoding a decoded event against the JSON it came from (copy on write).

An unchanged decoded event is written as its source; whatever the user changed, by
assignment or in place, must show in the output, and nothing else may move.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import attrs
import orjson
from hypothesis import given, settings
from hypothesis import strategies as st

import lambdago
import lambdago.events
from lambdago import _converters
from lambdago.events import CodeBuildEvent, CognitoEventUserPoolsPreSignup, SQSEvent, SQSMessage

SQS = {
    "Records": [
        {
            "messageId": "m-1",
            "receiptHandle": "h-1",
            "body": "one",
            "attributes": {"ApproximateReceiveCount": "1", "SentTimestamp": "1523232000000"},
            "messageAttributes": {},
            "md5OfBody": None,
            "eventSource": "aws:sqs",
            "futureKey": {"added": "by AWS later"},
        },
        {"messageId": "m-2", "body": "two", "eventSource": "aws:sqs"},
    ]
}


def _decoded(raw: Any, tp: type) -> Any:
    return lambdago.decode(orjson.dumps(raw), tp)


def _out(value: Any) -> Any:
    return json.loads(lambdago.encode(value))


def test_an_unchanged_event_is_written_as_its_source_object() -> None:
    event = _decoded(SQS, SQSEvent)
    encode = _converters.encoder_for_class(SQSEvent)
    assert encode(event) is event._lg_src  # no copy at all
    assert lambdago.encode(event) == orjson.dumps(SQS)  # same bytes, same key order


def test_an_assigned_field_is_patched_in_its_place() -> None:
    event = _decoded(SQS, SQSEvent)
    event.records[0].body = "changed"
    out = _out(event)
    assert out["Records"][0]["body"] == "changed"
    assert list(out["Records"][0]) == list(SQS["Records"][0])  # the key kept its place
    assert out["Records"][0]["futureKey"] == {"added": "by AWS later"}  # unmodelled key kept
    assert out["Records"][0]["md5OfBody"] is None  # null stays null
    assert out["Records"][1] == SQS["Records"][1]


def test_a_field_set_to_none_drops_its_key_and_a_new_one_is_added() -> None:
    event = _decoded(SQS, SQSEvent)
    event.records[0].receipt_handle = None
    event.records[1].receipt_handle = "h-2"
    out = _out(event)
    assert "receiptHandle" not in out["Records"][0]
    assert out["Records"][1]["receiptHandle"] == "h-2"


def test_changes_in_place_show() -> None:
    event = _decoded(SQS, SQSEvent)
    event.records[0].attributes["ApproximateReceiveCount"] = "2"  # a dict from the source
    event.records.append(SQSMessage(body="3"))
    del event.records[0]
    out = _out(event)
    assert [r["body"] for r in out["Records"]] == ["two", "3"]
    event = _decoded(SQS, SQSEvent)
    event.records[0].attributes["ApproximateReceiveCount"] = "2"
    assert _out(event)["Records"][0]["attributes"]["ApproximateReceiveCount"] == "2"


def test_converted_values_keep_their_spelling_until_changed() -> None:
    raw = {
        "detail-type": "CodeBuild Build Phase Change",
        "time": "2017-09-01T16:14:21Z",
        "detail": {
            "completed-phase-start": "Sep 1, 2017 4:12:29 PM",
            "completed-phase-end": "Sep 1, 2017 4:14:21 PM",
            "completed-phase-duration-seconds": 112.0,
        },
    }
    event = _decoded(raw, CodeBuildEvent)
    assert _out(event) == raw  # 112.0 stays a float, the layout stays CodeBuild's
    # A new object equal to the decoded one is no change: the source spelling stays.
    event.time = dt.datetime(2017, 9, 1, 18, 14, 21, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    assert _out(event)["time"] == "2017-09-01T16:14:21Z"
    event.detail.completed_phase_end = dt.datetime(2017, 9, 1, 16, 15, 0, tzinfo=dt.UTC)
    event.detail.completed_phase_duration = dt.timedelta(seconds=151)
    out = _out(event)
    assert out["detail"]["completed-phase-end"] == "Sep 1, 2017 4:15:00 PM"
    assert out["detail"]["completed-phase-duration-seconds"] == 151
    assert out["detail"]["completed-phase-start"] == "Sep 1, 2017 4:12:29 PM"
    event.detail.completed_phase_start = None
    assert "completed-phase-start" not in _out(event)["detail"]


def test_a_mutable_converted_value_changed_in_place_shows() -> None:
    raw = {
        "version": "1",
        "triggerSource": "PreSignUp_SignUp",
        "request": {"userAttributes": {"email": "a@example.com"}},
        "response": {},
    }
    event = _decoded(raw, CognitoEventUserPoolsPreSignup)
    assert _out(event) == raw
    event.request.user_attributes["email"] = "b@example.com"
    assert _out(event)["request"]["userAttributes"] == {"email": "b@example.com"}


# -- the property: whatever is changed, the output decodes to the changed event -------------

_TEXT = st.text(max_size=12)
_TIMES = st.datetimes(
    min_value=dt.datetime(2001, 1, 1), max_value=dt.datetime(2037, 1, 1), timezones=st.just(dt.UTC)
).map(lambda t: t.replace(microsecond=0))


def _changeable(obj: Any) -> list[tuple[Any, str, st.SearchStrategy[Any]]]:
    """Every (object, attribute, values) that a change can be made to, in ``obj``'s tree."""
    out: list[tuple[Any, str, st.SearchStrategy[Any]]] = []
    if attrs.has(type(obj)) and _converters.is_event_class(type(obj)):
        for f in _converters.class_fields(type(obj)):
            value = getattr(obj, f.attr)
            kind = _converters._unwrap(f.type)
            members = _converters.union_members(kind) or (kind,)
            if hasattr(obj, "_after_decode"):
                pass  # fields derived on decode (S3's urlDecodedKey) would not round-trip
            elif str in members and len(members) <= 2:
                out.append((obj, f.attr, st.none() | _TEXT))
            elif dt.datetime in members and len(members) <= 2:
                out.append((obj, f.attr, st.none() | _TIMES))
            elif bytes in members and len(members) <= 2:
                out.append((obj, f.attr, st.none() | st.binary(max_size=8)))
            out.extend(_changeable(value))
    elif isinstance(obj, list):
        for item in obj:
            out.extend(_changeable(item))
    elif isinstance(obj, dict):
        for item in obj.values():
            out.extend(_changeable(item))
    return out


@settings(max_examples=300, deadline=None)
@given(name=st.sampled_from(sorted(lambdago.events.sample_names())), data=st.data())
def test_the_output_decodes_to_the_changed_event(name: str, data: st.DataObject) -> None:
    tp = getattr(lambdago.events, lambdago.events.sample_names()[name])
    event = lambdago.decode(lambdago.events.sample(name), tp)
    places = _changeable(event)
    if places:
        for _ in range(data.draw(st.integers(1, 3))):
            obj, attr, values = data.draw(st.sampled_from(places))
            setattr(obj, attr, data.draw(values))
    again = lambdago.decode(lambdago.encode(event), tp)
    assert again == event


DYNAMODB = {
    "Records": [
        {
            "eventID": "1",
            "eventName": "MODIFY",
            "dynamodb": {
                "Keys": {"Id": {"N": "101"}},
                "NewImage": {"Id": {"N": "101"}, "Message": {"S": "new"}, "Tags": {"SS": ["a"]}},
                "OldImage": {"Id": {"N": "101"}, "Message": {"S": "old"}},
                "SequenceNumber": "222",
                "StreamViewType": "NEW_AND_OLD_IMAGES",
            },
        }
    ]
}


def test_a_dynamodb_image_changed_in_place_or_replaced_shows() -> None:
    from lambdago.events import DynamoDBAttributeValue, DynamoDBEvent

    event = _decoded(DYNAMODB, DynamoDBEvent)
    assert lambdago.encode(event) == orjson.dumps(DYNAMODB)
    image = event.records[0].dynamodb.new_image
    image["Message"] = DynamoDBAttributeValue(S="newer")
    del image["Tags"]
    image["Count"] = DynamoDBAttributeValue(N="3")
    out = _out(event)["Records"][0]["dynamodb"]
    assert out["NewImage"] == {"Id": {"N": "101"}, "Message": {"S": "newer"}, "Count": {"N": "3"}}
    assert out["OldImage"] == DYNAMODB["Records"][0]["dynamodb"]["OldImage"]
    event.records[0].dynamodb.old_image = None
    assert "OldImage" not in _out(event)["Records"][0]["dynamodb"]
