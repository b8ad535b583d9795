"""Bad input to the EventBridge protocol (AWS JSON 1.1, X-Amz-Target: AWSEvents.*): each malformed
request gets a clear 4xx with a JSON error, and the server keeps serving. Invalid event patterns are
InvalidEventPatternException with a message naming the problem."""

from __future__ import annotations

import json

import pytest
import requests

from herald_compat import event_entry, raises_aws, signed_events_post


def error_type(resp: requests.Response) -> str:
    return resp.json().get("__type", "").rsplit("#", 1)[-1]


def assert_still_serving(herald, events):
    assert herald.is_healthy()
    r = events.put_events(Entries=[event_entry(detail={"alive": True})])
    assert r["FailedEntryCount"] == 0
    assert events.describe_event_bus()["Name"] == "default"


def test_malformed_json_body(herald, events):
    r = signed_events_post(herald.endpoint, "PutEvents", b'{"Entries": [,,,')
    assert r.status_code == 400
    # AWS JSON protocols answer SerializationException for a body that is not JSON; Herald says where it broke.
    assert "SerializationException" in error_type(r)
    assert "offset 13" in r.json()["message"]
    assert_still_serving(herald, events)


def test_body_that_is_not_an_object(herald, events):
    r = signed_events_post(herald.endpoint, "PutEvents", b'[{"Source": "x"}]')
    assert 400 <= r.status_code < 500
    assert error_type(r)
    assert_still_serving(herald, events)


def test_unknown_operation(herald, events):
    r = signed_events_post(herald.endpoint, "FrobnicateBus", b"{}")
    assert 400 <= r.status_code < 500
    assert "UnknownOperation" in error_type(r) or "InvalidAction" in error_type(r)
    assert_still_serving(herald, events)


def test_wrong_member_types(herald, events):
    r = signed_events_post(herald.endpoint, "PutEvents", json.dumps({"Entries": "not a list"}).encode())
    assert 400 <= r.status_code < 500
    r = signed_events_post(herald.endpoint, "PutEvents", json.dumps({"Entries": [{"Source": 5}]}).encode())
    assert 400 <= r.status_code < 500 or (r.status_code == 200 and r.json()["FailedEntryCount"] == 1)
    r = signed_events_post(herald.endpoint, "ListRules", json.dumps({"Limit": "ten"}).encode())
    assert 400 <= r.status_code < 500
    assert_still_serving(herald, events)


def test_missing_required_members(herald, events):
    for op, body in (("PutEvents", {}), ("PutRule", {}), ("PutTargets", {"Rule": "r"}), ("DescribeRule", {}),
                     ("CreateEventBus", {}), ("TestEventPattern", {"EventPattern": "{}"})):
        r = signed_events_post(herald.endpoint, op, json.dumps(body).encode())
        assert r.status_code == 400, (op, r.status_code, r.text)
        assert error_type(r) == "ValidationException", (op, r.text)
    assert_still_serving(herald, events)


def test_empty_entries_list(herald, events):
    # PutEventsRequestEntryList has min 1.
    r = signed_events_post(herald.endpoint, "PutEvents", b'{"Entries": []}')
    assert r.status_code == 400
    assert error_type(r) == "ValidationException"


def test_eleven_entries(herald, events):
    body = {"Entries": [event_entry(detail={"i": i}) for i in range(11)]}
    r = signed_events_post(herald.endpoint, "PutEvents", json.dumps(body).encode())
    assert r.status_code == 400
    assert error_type(r) == "ValidationException"
    assert "10" in r.json().get("message", r.json().get("Message", ""))


def test_oversized_entries_are_refused_and_not_routed(herald, events, sqs):
    url = sqs.create_queue(QueueName="oversize-sink")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    events.put_rule(Name="all", EventPattern='{"source":[{"prefix":""}]}')
    events.put_targets(Rule="all", Targets=[{"Id": "q", "Arn": arn}])
    # Ten entries of 30 KB each: 300 KB in total, over the 256 KB request limit.
    body = {"Entries": [event_entry(detail={"blob": "y" * 30_000, "i": i}) for i in range(10)]}
    r = signed_events_post(herald.endpoint, "PutEvents", json.dumps(body).encode())
    if r.status_code == 200:
        assert r.json()["FailedEntryCount"] >= 1
    else:
        assert r.status_code == 400
        assert error_type(r) == "ValidationException"
    # A one-megabyte request is refused outright.
    r = signed_events_post(herald.endpoint, "PutEvents",
                           json.dumps({"Entries": [event_entry(detail={"blob": "z" * 1_000_000})]}).encode())
    assert r.status_code in (400, 413) or (r.status_code == 200 and r.json()["FailedEntryCount"] == 1)
    got = sqs.receive_message(QueueUrl=url, WaitTimeSeconds=1, MaxNumberOfMessages=10).get("Messages", [])
    blobs = [json.loads(m["Body"])["detail"].get("blob", "") for m in got]
    assert all(len(b) < 1_000_000 for b in blobs)
    assert_still_serving(herald, events)


@pytest.mark.parametrize("detail", ['{"unterminated": ', "not json at all", '"just a string"', "[]", "12"])
def test_detail_not_a_json_object_is_a_per_entry_error(events, detail):
    r = events.put_events(Entries=[event_entry(detail=detail), event_entry(detail={"fine": True})])
    assert r["FailedEntryCount"] == 1
    bad, good = r["Entries"]
    assert bad["ErrorCode"] in ("MalformedDetail", "InvalidArgument")
    assert bad["ErrorMessage"]
    assert good["EventId"]


@pytest.mark.parametrize("pattern,word", [
    ('{"source": "aws.ec2"}', "source"),                                  # leaf not an array
    ('{"detail": {"n": [{"numeric": [">", "five"]}]}}', "numeric"),        # numeric operand not a number
    ('{"detail": {"n": [{"prefix": 5}]}}', "prefix"),                     # prefix needs a string
    ('{"detail": {"n": [{"exists": "yes"}]}}', "exists"),                 # exists needs a boolean
    ('{"detail": {"n": [{"anything-but": {"bogus": 1}}]}}', "anything-but"),
    ('{"detail": {"n": [{"unknown-op": 1}]}}', "unknown-op"),
    ('{"source": ["a"]', None),                                           # not JSON
])
def test_invalid_patterns_name_the_problem(events, pattern, word):
    with raises_aws("InvalidEventPatternException") as info:
        events.put_rule(Name="bad-pattern", EventPattern=pattern)
    msg = info.value.response["Error"]["Message"]
    assert msg.startswith("Event pattern is not valid"), msg
    if word:
        assert word in msg, f"message does not name {word!r}: {msg}"


def test_pattern_too_large_is_rejected(events):
    # EventPattern: at most 4096 characters (AWS's documented default maximum).
    pattern = json.dumps({"source": ["s" * 50 + str(i) for i in range(200)]})
    assert len(pattern) > 4096
    with raises_aws(("ValidationException", "InvalidEventPatternException")):
        events.put_rule(Name="huge", EventPattern=pattern)


def test_bad_input_does_not_corrupt_existing_rules(herald, events):
    events.put_rule(Name="survivor", EventPattern='{"source":["ok"]}')
    for body in (b"", b"null", b"{", b'{"Name": null}', b'{"Name": 12}', "{\"Name\": \"\u0000\"}".encode()):
        r = signed_events_post(herald.endpoint, "PutRule", body)
        assert 400 <= r.status_code < 500, (body, r.status_code, r.text)
    assert json.loads(events.describe_rule(Name="survivor")["EventPattern"]) == {"source": ["ok"]}
    assert_still_serving(herald, events)
