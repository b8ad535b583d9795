"""PutEvents: ids, per-entry validation with ErrorCode/ErrorMessage and FailedEntryCount, bus by name
or ARN, Time/Resources/TraceHeader carried into the event. Written from botocore's `events` model and
the PutEvents API reference. The full envelope as a target sees it is checked in
test_events_targets.py."""

from __future__ import annotations

import json
import re
from datetime import datetime, timezone

import pytest

from herald_compat import bus_arn, event_entry, make_queue, put_ok, raises_aws, receive_bodies

UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


@pytest.fixture
def catch_all(events, sqs):
    """A rule on the default bus sending every event from com.example.* to a queue; returns the queue URL."""
    url, arn = make_queue(sqs, "put-events-sink")
    events.put_rule(Name="catch-all", EventPattern=json.dumps({"source": [{"prefix": "com.example"}]}))
    events.put_targets(Rule="catch-all", Targets=[{"Id": "q", "Arn": arn}])
    return url


def test_single_event_gets_an_event_id(events):
    r = events.put_events(Entries=[event_entry(detail={"n": 1})])
    assert r["FailedEntryCount"] == 0
    [entry] = r["Entries"]
    assert set(entry) == {"EventId"}
    assert UUID.match(entry["EventId"]), entry["EventId"]


def test_ten_entries_get_ten_distinct_ids(events):
    ids = put_ok(events, *[event_entry(detail={"i": i}) for i in range(10)])
    assert len(set(ids)) == 10


def test_entries_without_rules_are_accepted(events):
    # An event that matches no rule is still ingested (and dropped): AWS returns an EventId.
    assert len(put_ok(events, event_entry(source="nobody.listens"))) == 1


@pytest.mark.parametrize("missing", ["Source", "DetailType", "Detail"])
def test_missing_required_field_fails_only_that_entry(events, missing):
    bad = event_entry(detail={"ok": False})
    del bad[missing]
    r = events.put_events(Entries=[event_entry(detail={"ok": 1}), bad, event_entry(detail={"ok": 2})])
    assert r["FailedEntryCount"] == 1
    first, failed, last = r["Entries"]
    assert UUID.match(first["EventId"]) and UUID.match(last["EventId"])
    assert "EventId" not in failed or not failed["EventId"]
    # AWS: ErrorCode InvalidArgument, "Parameter <field> is not valid. Reason: <field> is a required argument."
    assert failed["ErrorCode"] == "InvalidArgument"
    assert missing in failed["ErrorMessage"]


def test_all_entries_failing_is_still_a_200_with_per_entry_errors(events):
    r = events.put_events(Entries=[{"Source": "a"}, {"DetailType": "b"}])
    assert r["FailedEntryCount"] == 2
    assert [e["ErrorCode"] for e in r["Entries"]] == ["InvalidArgument", "InvalidArgument"]


def test_detail_that_is_not_json_is_malformed_detail(events):
    r = events.put_events(Entries=[event_entry(detail="{not json")])
    assert r["FailedEntryCount"] == 1
    [e] = r["Entries"]
    assert e["ErrorCode"] == "MalformedDetail"
    assert e["ErrorMessage"]  # AWS: "Detail is malformed."


@pytest.mark.parametrize("detail", ['"a string"', "[1, 2, 3]", "42", "true", "null"])
def test_detail_that_is_json_but_not_an_object_is_rejected(events, detail):
    # "Detail: A valid JSON object." AWS answers MalformedDetail; the documented minimum is a
    # per-entry failure.
    r = events.put_events(Entries=[event_entry(detail=detail), event_entry(detail={})])
    assert r["FailedEntryCount"] == 1
    bad, good = r["Entries"]
    assert bad["ErrorCode"] in ("MalformedDetail", "InvalidArgument")
    assert UUID.match(good["EventId"])


def test_detail_type_over_128_characters_is_rejected(events):
    # "DetailType: Free-form string, with a maximum of 128 characters".
    r = events.put_events(Entries=[event_entry(detail_type="d" * 129), event_entry(detail_type="d" * 128)])
    assert r["FailedEntryCount"] == 1
    assert r["Entries"][0].get("ErrorCode")
    assert UUID.match(r["Entries"][1]["EventId"])


def test_event_bus_by_name_and_by_arn(events, sqs):
    events.create_event_bus(Name="custom")
    url, arn = make_queue(sqs, "custom-sink")
    events.put_rule(Name="on-custom", EventBusName="custom", EventPattern='{"source":["com.example.custom"]}')
    events.put_targets(Rule="on-custom", EventBusName="custom", Targets=[{"Id": "q", "Arn": arn}])
    ids = put_ok(events,
                 event_entry(source="com.example.custom", detail={"via": "name"}, EventBusName="custom"),
                 event_entry(source="com.example.custom", detail={"via": "arn"}, EventBusName=bus_arn("custom")),
                 event_entry(source="com.example.custom", detail={"via": "default"}))  # default bus: no rule
    got = receive_bodies(sqs, url, 2)
    assert sorted(b["detail"]["via"] for b in got) == ["arn", "name"]
    assert sorted(b["id"] for b in got) == sorted(ids[:2])


def test_event_to_missing_bus_is_not_accepted(events):
    # AWS fails the entry naming the bus (per-entry error); the documented minimum is that the
    # event is not accepted: either a failed entry or a ResourceNotFoundException for the call.
    try:
        r = events.put_events(Entries=[event_entry(EventBusName="no-such-bus")])
    except Exception as e:  # noqa: BLE001 - inspected below
        assert getattr(e, "response", {}).get("Error", {}).get("Code") in ("ResourceNotFoundException", "ValidationException")
        return
    assert r["FailedEntryCount"] == 1
    [e] = r["Entries"]
    assert e.get("ErrorCode")
    assert "no-such-bus" in e.get("ErrorMessage", "")


def test_time_resources_and_detail_are_carried_into_the_event(events, sqs, catch_all):
    when = datetime(2024, 3, 1, 12, 34, 56, tzinfo=timezone.utc)
    resources = ["arn:aws:ec2:us-east-1:123456789012:instance/i-abcd1111", "arn:aws:s3:::bucket"]
    [eid] = put_ok(events, event_entry(detail={"order": {"id": "o-1", "total": 12.5}}, Time=when, Resources=resources))
    [body] = receive_bodies(sqs, catch_all, 1)
    assert body["id"] == eid
    assert body["time"] == "2024-03-01T12:34:56Z"
    assert body["resources"] == resources
    assert body["detail"] == {"order": {"id": "o-1", "total": 12.5}}


def test_resources_default_to_an_empty_list(events, sqs, catch_all):
    put_ok(events, event_entry(detail={}))
    [body] = receive_bodies(sqs, catch_all, 1)
    assert body["resources"] == []
    assert body["detail"] == {}


def test_trace_header_is_accepted(events, sqs, catch_all):
    trace = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1"
    [eid] = put_ok(events, event_entry(detail={"t": 1}, TraceHeader=trace))
    [body] = receive_bodies(sqs, catch_all, 1)
    assert body["id"] == eid


def test_unicode_detail_round_trips(events, sqs, catch_all):
    detail = {"text": "héllo wörld ✓ 日本", "emoji": "🎉", "nested": {"list": [1, "two", None, True]}}
    put_ok(events, event_entry(detail=detail))
    [body] = receive_bodies(sqs, catch_all, 1)
    assert body["detail"] == detail


def test_eleven_entries_is_a_validation_exception(events):
    # PutEventsRequestEntryList: max 10. botocore does not check list maxima client-side.
    with raises_aws("ValidationException") as info:
        events.put_events(Entries=[event_entry(detail={"i": i}) for i in range(11)])
    assert "10" in info.value.response["Error"]["Message"]


def test_large_but_allowed_entry_is_accepted(events, sqs, catch_all):
    # 256 KB per request (the entry's Source, DetailType, Detail, Resources, Time count).
    detail = {"blob": "x" * (200 * 1024)}
    [eid] = put_ok(events, event_entry(detail=detail))
    [body] = receive_bodies(sqs, catch_all, 1)
    assert body["id"] == eid
    assert len(body["detail"]["blob"]) == 200 * 1024


def test_entry_over_256_kb_is_rejected(events, sqs, catch_all):
    # AWS rejects a request whose entries total more than 256 KB (a ValidationException for the
    # call, or a failed entry); either way nothing is delivered.
    detail = {"blob": "x" * (257 * 1024)}
    try:
        r = events.put_events(Entries=[event_entry(detail=detail)])
        assert r["FailedEntryCount"] == 1
        assert r["Entries"][0].get("ErrorCode")
    except Exception as e:  # noqa: BLE001
        assert getattr(e, "response", {}).get("Error", {}).get("Code") == "ValidationException", e
    assert sqs.receive_message(QueueUrl=catch_all, WaitTimeSeconds=1).get("Messages", []) == []


def test_aws_sources_are_reserved(events):
    # Sources starting with "aws." belong to AWS services: NotAuthorizedForSourceException
    # ("You do not have permissions to publish events with this source onto this event bus").
    r = events.put_events(Entries=[event_entry(source="aws.ec2"), event_entry(source="com.example.ok")])
    assert r["FailedEntryCount"] == 1
    assert r["Entries"][0]["ErrorCode"] == "NotAuthorizedForSourceException"
    assert UUID.match(r["Entries"][1]["EventId"])
