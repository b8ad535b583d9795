"""Reliable delivery: failed target invocations are retried with backoff under the target's
RetryPolicy; exhausted (or non-retryable) events go to the target's DeadLetterConfig SQS queue with the
message attributes EventBridge documents (ERROR_CODE, ERROR_MESSAGE, RULE_ARN, TARGET_ARN).

API destinations answer from a local HTTP receiver (tests/compat HttpReceiver). AWS retries 401, 407,
409, 429 and 5xx responses and does not retry other 4xx. Herald's first retry comes after about a
second, doubling after that; every wait here is bounded."""

from __future__ import annotations

import json
import time

import pytest

from herald_compat import (
    DUMMY_ROLE_ARN,
    bus_arn,
    create_api_key_destination,
    drain,
    event_entry,
    make_queue,
    put_ok,
    queue_arn,
    receive_bodies,
    rule_arn,
)

ORDERS = {"source": ["com.example.orders"]}


@pytest.fixture
def dlq(sqs):
    url, arn = make_queue(sqs, "events-dlq")
    return url, arn


def api_target(events, receiver, dlq_arn: str | None, name: str = "hook", retries: int | None = 5,
               max_age: int | None = 300, path: str = "/hook") -> tuple[str, str]:
    """Rule `deliver` → API destination at receiver.url(path); returns (rule ARN, destination ARN)."""
    _, dest = create_api_key_destination(events, receiver, name, path=path)
    events.put_rule(Name="deliver", EventPattern=json.dumps(ORDERS))
    target = {"Id": "api", "Arn": dest, "RoleArn": DUMMY_ROLE_ARN}
    policy = {}
    if retries is not None:
        policy["MaximumRetryAttempts"] = retries
    if max_age is not None:
        policy["MaximumEventAgeInSeconds"] = max_age
    if policy:
        target["RetryPolicy"] = policy
    if dlq_arn:
        target["DeadLetterConfig"] = {"Arn": dlq_arn}
    r = events.put_targets(Rule="deliver", Targets=[target])
    assert r["FailedEntryCount"] == 0, r
    return rule_arn("deliver"), dest


def dlq_messages(sqs, url: str, expected: int, timeout: float) -> list[dict]:
    return drain(sqs, url, expected, timeout=timeout, MessageAttributeNames=["All"])


def attr(m: dict, name: str) -> str | None:
    a = m.get("MessageAttributes", {}).get(name)
    if a is None:
        return None
    assert a["DataType"] == "String", a
    return a["StringValue"]


def assert_stays(receiver, count: int, path: str, seconds: float) -> None:
    time.sleep(seconds)
    got = receiver.received(path)
    assert len(got) == count, f"expected exactly {count} request(s) to {path}, got {len(got)}: {got}"


def test_500_twice_then_success_is_delivered_once_after_retries(events, sqs, http_receiver, dlq):
    http_receiver.on("/hook", 500, 500, then=200)
    api_target(events, http_receiver, dlq[1])
    [eid] = put_ok(events, event_entry(detail={"attempt": "me"}))
    got = http_receiver.wait_for(3, "/hook", timeout=20)
    bodies = [r.json() for r in got]
    assert all(b["id"] == eid for b in bodies), "every attempt carries the same event"
    assert bodies[0]["detail"] == {"attempt": "me"}
    # Backoff: the retries are spaced, not fired back to back.
    assert got[2].at - got[0].at >= 0.5
    assert_stays(http_receiver, 3, "/hook", 2.5)  # delivered: no more attempts
    assert sqs.receive_message(QueueUrl=dlq[0], WaitTimeSeconds=1).get("Messages", []) == []


def test_429_is_retried(events, sqs, http_receiver, dlq):
    http_receiver.on("/hook", 429, then=200)
    api_target(events, http_receiver, dlq[1])
    put_ok(events, event_entry(detail={}))
    http_receiver.wait_for(2, "/hook", timeout=15)
    assert_stays(http_receiver, 2, "/hook", 2)
    assert sqs.receive_message(QueueUrl=dlq[0], WaitTimeSeconds=1).get("Messages", []) == []


def test_400_is_not_retried_and_goes_to_the_dlq_with_attributes(events, sqs, http_receiver, dlq):
    http_receiver.on("/hook", then=400, body={"error": "bad request"})
    rule, dest = api_target(events, http_receiver, dlq[1])
    [eid] = put_ok(events, event_entry(detail={"poison": True}))
    [m] = dlq_messages(sqs, dlq[0], 1, timeout=15)
    assert_stays(http_receiver, 1, "/hook", 2)  # a 400 is final: exactly one attempt
    body = json.loads(m["Body"])
    assert body["id"] == eid
    assert body["detail"] == {"poison": True}
    assert attr(m, "RULE_ARN") == rule
    assert attr(m, "TARGET_ARN") == dest
    assert attr(m, "ERROR_CODE"), m.get("MessageAttributes")
    assert attr(m, "ERROR_MESSAGE"), m.get("MessageAttributes")


def test_max_retry_attempts_zero_goes_to_dlq_quickly(events, sqs, http_receiver, dlq):
    http_receiver.on("/hook", then=503)
    rule, dest = api_target(events, http_receiver, dlq[1], retries=0)
    t0 = time.monotonic()
    [eid] = put_ok(events, event_entry(detail={"n": 0}))
    [m] = dlq_messages(sqs, dlq[0], 1, timeout=10)
    assert time.monotonic() - t0 < 8
    assert json.loads(m["Body"])["id"] == eid
    assert attr(m, "RULE_ARN") == rule
    assert attr(m, "TARGET_ARN") == dest
    assert_stays(http_receiver, 1, "/hook", 1.5)


def test_retries_are_bounded_by_maximum_retry_attempts(events, sqs, http_receiver, dlq):
    http_receiver.on("/hook", then=500)
    api_target(events, http_receiver, dlq[1], retries=2)
    [eid] = put_ok(events, event_entry(detail={}))
    [m] = dlq_messages(sqs, dlq[0], 1, timeout=25)
    # One attempt plus two retries.
    assert len(http_receiver.received("/hook")) == 3
    assert json.loads(m["Body"])["id"] == eid
    assert attr(m, "ERROR_CODE")
    assert_stays(http_receiver, 3, "/hook", 2)


def test_missing_sqs_target_goes_to_dlq(events, sqs, dlq):
    missing = queue_arn("does-not-exist")
    events.put_rule(Name="to-nowhere", EventPattern=json.dumps(ORDERS))
    # The default RetryPolicy would retry for a day: only a failure that is not retried reaches the DLQ in time.
    events.put_targets(Rule="to-nowhere", Targets=[{"Id": "gone", "Arn": missing, "DeadLetterConfig": {"Arn": dlq[1]}}])
    [eid] = put_ok(events, event_entry(detail={"lost": False}))
    # AWS sends events for a target that does not exist straight to the DLQ (no retries help).
    [m] = dlq_messages(sqs, dlq[0], 1, timeout=20)
    assert json.loads(m["Body"])["id"] == eid
    assert attr(m, "RULE_ARN") == rule_arn("to-nowhere")
    assert attr(m, "TARGET_ARN") == missing
    assert attr(m, "ERROR_CODE")
    assert attr(m, "ERROR_MESSAGE")


def test_missing_bus_target_goes_straight_to_dlq(events, sqs, dlq):
    missing = bus_arn("no-such-bus")
    events.put_rule(Name="to-no-bus", EventPattern=json.dumps(ORDERS))
    events.put_targets(Rule="to-no-bus", Targets=[
        {"Id": "gone", "Arn": missing, "RoleArn": DUMMY_ROLE_ARN, "DeadLetterConfig": {"Arn": dlq[1]}}])
    [eid] = put_ok(events, event_entry(detail={"lost": False}))
    [m] = dlq_messages(sqs, dlq[0], 1, timeout=20)
    assert json.loads(m["Body"])["id"] == eid
    assert attr(m, "TARGET_ARN") == missing
    assert attr(m, "ERROR_CODE") == "ResourceNotFoundException"


def test_failing_target_does_not_hold_back_other_targets(events, sqs, http_receiver, dlq):
    http_receiver.on("/hook", then=500)
    api_target(events, http_receiver, dlq[1], retries=1)
    ok_url, ok_arn = make_queue(sqs, "healthy")
    events.put_targets(Rule="deliver", Targets=[{"Id": "healthy", "Arn": ok_arn}])
    [eid] = put_ok(events, event_entry(detail={}))
    assert [b["id"] for b in receive_bodies(sqs, ok_url, 1, timeout=5)] == [eid]
    [m] = dlq_messages(sqs, dlq[0], 1, timeout=15)
    assert json.loads(m["Body"])["id"] == eid


def test_no_dlq_means_the_event_is_dropped_after_retries(events, sqs, http_receiver):
    http_receiver.on("/hook", then=500)
    api_target(events, http_receiver, None, retries=1)
    put_ok(events, event_entry(detail={}))
    http_receiver.wait_for(2, "/hook", timeout=15)
    assert_stays(http_receiver, 2, "/hook", 3)
    # The server keeps serving and delivering afterwards.
    http_receiver.on("/hook", then=200)
    put_ok(events, event_entry(detail={"after": True}))
    got = http_receiver.wait_for(3, "/hook", timeout=10)
    assert got[-1].json()["detail"] == {"after": True}
