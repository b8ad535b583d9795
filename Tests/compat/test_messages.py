"""Messages on standard queues: send, receive, delete, attributes, digests, batches, visibility,
delay, long polling, limits, purge, retention, and the errors AWS documents for each."""

from __future__ import annotations

import threading
import time
import uuid

import pytest
from botocore.exceptions import ClientError

from herald_compat import (
    attrs,
    error_code,
    md5_hex,
    md5_of_message_attributes,
    queue_arn,
    raises_aws,
    receive_all,
    wait_until,
)

MIB = 1024 * 1024


@pytest.fixture
def q(sqs):
    return sqs.create_queue(QueueName="work")["QueueUrl"]


def receive_one(sqs, url, **kw):
    kw.setdefault("WaitTimeSeconds", 2)
    msgs = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=1, **kw).get("Messages", [])
    assert len(msgs) == 1, f"expected one message, got {msgs}"
    return msgs[0]


def receive_none(sqs, url, **kw):
    kw.setdefault("WaitTimeSeconds", 0)
    msgs = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, **kw).get("Messages", [])
    assert msgs == [], f"expected no message, got {[m['Body'] for m in msgs]}"


# ---------------------------------------------------------------- send / receive / delete

def test_send_returns_message_id_and_md5_of_body(sqs, q):
    body = "hello, Herald — ünïcødé ✓ 😀"
    resp = sqs.send_message(QueueUrl=q, MessageBody=body)
    uuid.UUID(resp["MessageId"])  # AWS message ids are UUIDs
    assert resp["MD5OfMessageBody"] == md5_hex(body)
    assert "MD5OfMessageAttributes" not in resp


def test_received_message_has_same_id_body_md5_and_a_receipt_handle(sqs, q):
    body = '{"order": 42, "items": ["a", "b"]}'
    sent = sqs.send_message(QueueUrl=q, MessageBody=body)
    m = receive_one(sqs, q)
    assert m["MessageId"] == sent["MessageId"]
    assert m["Body"] == body
    assert m["MD5OfBody"] == md5_hex(body)
    assert m["ReceiptHandle"]


def test_delete_message_removes_it_for_good(sqs, q):
    sqs.send_message(QueueUrl=q, MessageBody="once")
    m = receive_one(sqs, q, VisibilityTimeout=1)
    sqs.delete_message(QueueUrl=q, ReceiptHandle=m["ReceiptHandle"])
    time.sleep(1.3)
    receive_none(sqs, q)
    assert attrs(sqs, q, "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible") == {
        "ApproximateNumberOfMessages": "0", "ApproximateNumberOfMessagesNotVisible": "0"}


def test_delete_with_receipt_handle_of_already_deleted_message_succeeds(sqs, q):
    # "If you use an old ReceiptHandle, the request will succeed" (DeleteMessage docs).
    sqs.send_message(QueueUrl=q, MessageBody="x")
    m = receive_one(sqs, q)
    sqs.delete_message(QueueUrl=q, ReceiptHandle=m["ReceiptHandle"])
    sqs.delete_message(QueueUrl=q, ReceiptHandle=m["ReceiptHandle"])


def test_receive_on_empty_queue_returns_no_messages_key(sqs, q):
    resp = sqs.receive_message(QueueUrl=q)
    assert resp.get("Messages", []) == []


def test_receive_returns_at_most_max_number_of_messages(sqs, q):
    for i in range(15):
        sqs.send_message(QueueUrl=q, MessageBody=f"m{i}")
    got = sqs.receive_message(QueueUrl=q, MaxNumberOfMessages=4, WaitTimeSeconds=1)["Messages"]
    assert 1 <= len(got) <= 4
    all_msgs = receive_all(sqs, q, 15 - len(got))  # the first ones stay in flight
    assert sorted(m["Body"] for m in all_msgs + got) == sorted(f"m{i}" for i in range(15))


@pytest.mark.parametrize("n", [0, 11])
def test_receive_rejects_max_number_of_messages_outside_1_to_10(sqs, q, n):
    with raises_aws("InvalidParameterValue"):
        sqs.receive_message(QueueUrl=q, MaxNumberOfMessages=n)


def test_receive_rejects_wait_time_over_20_seconds(sqs, q):
    with raises_aws("InvalidParameterValue"):
        sqs.receive_message(QueueUrl=q, WaitTimeSeconds=21)


def test_each_receive_gives_a_new_receipt_handle(sqs, q):
    sqs.send_message(QueueUrl=q, MessageBody="x")
    first = receive_one(sqs, q, VisibilityTimeout=0)
    second = receive_one(sqs, q, VisibilityTimeout=0)
    assert first["MessageId"] == second["MessageId"]
    assert first["ReceiptHandle"] != second["ReceiptHandle"]


def test_delete_with_garbage_receipt_handle_fails_with_receipt_handle_is_invalid(sqs, q):
    # AWS's Smithy model gives ReceiptHandleIsInvalid HTTP 404; the older query model gave none.
    with raises_aws("ReceiptHandleIsInvalid", status=(400, 404)) as info:
        sqs.delete_message(QueueUrl=q, ReceiptHandle="this-is-not-a-receipt-handle")
    assert isinstance(info.value, sqs.exceptions.ReceiptHandleIsInvalid)


def test_change_visibility_with_garbage_receipt_handle_fails_with_receipt_handle_is_invalid(sqs, q):
    with raises_aws("ReceiptHandleIsInvalid", status=(400, 404)):
        sqs.change_message_visibility(QueueUrl=q, ReceiptHandle="garbage", VisibilityTimeout=5)


def test_change_visibility_of_deleted_message_fails(sqs, q):
    sqs.send_message(QueueUrl=q, MessageBody="x")
    m = receive_one(sqs, q)
    sqs.delete_message(QueueUrl=q, ReceiptHandle=m["ReceiptHandle"])
    # AWS answers InvalidParameterValue "...Reason: Message does not exist or is not available for
    # visibility timeout change." The model lists MessageNotInflight / ReceiptHandleIsInvalid too.
    with raises_aws(("InvalidParameterValue", "AWS.SimpleQueueService.MessageNotInflight", "ReceiptHandleIsInvalid"),
                    status=(400, 404)):
        sqs.change_message_visibility(QueueUrl=q, ReceiptHandle=m["ReceiptHandle"], VisibilityTimeout=10)


def test_change_visibility_of_message_no_longer_in_flight_fails(sqs, q):
    sqs.send_message(QueueUrl=q, MessageBody="x")
    m = receive_one(sqs, q, VisibilityTimeout=1)
    time.sleep(1.5)
    # The visibility timeout has expired: the message is not in flight any more.
    # Documented as MessageNotInflight; AWS in practice may answer InvalidParameterValue. Uncertain.
    with raises_aws(("AWS.SimpleQueueService.MessageNotInflight", "InvalidParameterValue")):
        sqs.change_message_visibility(QueueUrl=q, ReceiptHandle=m["ReceiptHandle"], VisibilityTimeout=10)


def test_send_empty_body_is_rejected(sqs, q):
    # "The minimum size is one character." AWS: MissingParameter for an empty MessageBody.
    with raises_aws(("MissingParameter", "InvalidParameterValue")):
        sqs.send_message(QueueUrl=q, MessageBody="")


@pytest.mark.parametrize("bad", ["\u0000", "abc\u0001def", "\ufffe", "x\u001fy"], ids=["nul", "soh", "fffe", "unit-sep"])
def test_send_with_characters_outside_allowed_set_fails_with_invalid_message_contents(sqs, q, bad):
    # Allowed: #x9 | #xA | #xD | #x20-#xD7FF | #xE000-#xFFFD | #x10000-#x10FFFF.
    with raises_aws("InvalidMessageContents"):
        sqs.send_message(QueueUrl=q, MessageBody=bad)


def test_send_with_allowed_control_characters_and_astral_plane_round_trips(sqs, q):
    body = "tab\there\nnewline\rcr \U0001F680 \uE000 \uFFFD"
    sqs.send_message(QueueUrl=q, MessageBody=body)
    assert receive_one(sqs, q)["Body"] == body


# ---------------------------------------------------------------- size limits

def test_message_of_exactly_max_size_is_accepted(sqs, q):
    body = "x" * MIB
    resp = sqs.send_message(QueueUrl=q, MessageBody=body)
    assert resp["MD5OfMessageBody"] == md5_hex(body)
    assert receive_one(sqs, q)["Body"] == body


def test_message_over_max_size_fails_with_invalid_parameter_value(sqs, q):
    # AWS: InvalidParameterValue "One or more parameters are invalid. Reason: Message must be shorter than 1048576 bytes."
    with raises_aws("InvalidParameterValue"):
        sqs.send_message(QueueUrl=q, MessageBody="x" * (MIB + 1))


def test_queue_maximum_message_size_is_enforced(sqs):
    url = sqs.create_queue(QueueName="small", Attributes={"MaximumMessageSize": "1024"})["QueueUrl"]
    sqs.send_message(QueueUrl=url, MessageBody="y" * 1024)
    with raises_aws("InvalidParameterValue"):
        sqs.send_message(QueueUrl=url, MessageBody="y" * 1025)


def test_message_size_counts_utf8_bytes_not_characters(sqs):
    url = sqs.create_queue(QueueName="small-utf8", Attributes={"MaximumMessageSize": "1024"})["QueueUrl"]
    with raises_aws("InvalidParameterValue"):
        sqs.send_message(QueueUrl=url, MessageBody="é" * 600)  # 1200 bytes, 600 characters


def test_message_attributes_count_towards_message_size(sqs):
    url = sqs.create_queue(QueueName="small-attrs", Attributes={"MaximumMessageSize": "1024"})["QueueUrl"]
    with raises_aws("InvalidParameterValue"):
        sqs.send_message(QueueUrl=url, MessageBody="z" * 1000,
                         MessageAttributes={"pad": {"DataType": "String", "StringValue": "p" * 100}})


# ---------------------------------------------------------------- message attributes

ATTRS = {
    "city": {"DataType": "String", "StringValue": "Zürich"},
    "count": {"DataType": "Number", "StringValue": "42.5"},
    "blob": {"DataType": "Binary", "BinaryValue": b"\x00\x01\xfe\xff"},
    "kind": {"DataType": "String.Custom", "StringValue": "premium"},
    "size": {"DataType": "Number.int", "StringValue": "7"},
    "img": {"DataType": "Binary.png", "BinaryValue": b"\x89PNG"},
}


def test_send_with_message_attributes_returns_their_md5(sqs, q):
    resp = sqs.send_message(QueueUrl=q, MessageBody="with attrs", MessageAttributes=ATTRS)
    assert resp["MD5OfMessageAttributes"] == md5_of_message_attributes(ATTRS)
    assert resp["MD5OfMessageBody"] == md5_hex("with attrs")


def test_receive_all_message_attributes_returns_them_unchanged_with_md5(sqs, q):
    sqs.send_message(QueueUrl=q, MessageBody="with attrs", MessageAttributes=ATTRS)
    m = receive_one(sqs, q, MessageAttributeNames=["All"])
    assert m["MessageAttributes"] == ATTRS
    assert m["MD5OfMessageAttributes"] == md5_of_message_attributes(ATTRS)


def test_receive_without_message_attribute_names_returns_no_attributes(sqs, q):
    sqs.send_message(QueueUrl=q, MessageBody="x", MessageAttributes=ATTRS)
    m = receive_one(sqs, q)
    assert "MessageAttributes" not in m


def test_receive_filters_message_attributes_by_exact_name_and_prefix(sqs, q):
    a = {
        "order.id": {"DataType": "String", "StringValue": "1"},
        "order.total": {"DataType": "Number", "StringValue": "9.99"},
        "customer": {"DataType": "String", "StringValue": "ann"},
        "other": {"DataType": "String", "StringValue": "zzz"},
    }
    sqs.send_message(QueueUrl=q, MessageBody="filter me", MessageAttributes=a)
    m = receive_one(sqs, q, MessageAttributeNames=["order.*", "customer"], VisibilityTimeout=0)
    assert m["MessageAttributes"] == {k: a[k] for k in ("order.id", "order.total", "customer")}
    # The digest covers the attributes returned, so a client can verify what it got.
    assert m["MD5OfMessageAttributes"] == md5_of_message_attributes(m["MessageAttributes"])
    m = receive_one(sqs, q, MessageAttributeNames=[".*"], VisibilityTimeout=0)
    assert m["MessageAttributes"] == a


def test_message_attribute_with_unknown_data_type_is_rejected(sqs, q):
    with raises_aws("InvalidParameterValue"):
        sqs.send_message(QueueUrl=q, MessageBody="x",
                         MessageAttributes={"a": {"DataType": "Boolean", "StringValue": "true"}})


def test_message_attribute_number_must_be_numeric(sqs, q):
    with raises_aws("InvalidParameterValue"):
        sqs.send_message(QueueUrl=q, MessageBody="x",
                         MessageAttributes={"n": {"DataType": "Number", "StringValue": "forty-two"}})


@pytest.mark.parametrize("name", ["AWS.reserved", "amazon.thing", ".leading", "trailing.", "dou..ble", "bad name", "a" * 257])
def test_message_attribute_names_follow_documented_rules(sqs, q, name):
    with raises_aws("InvalidParameterValue"):
        sqs.send_message(QueueUrl=q, MessageBody="x",
                         MessageAttributes={name: {"DataType": "String", "StringValue": "v"}})


def test_more_than_10_message_attributes_is_rejected(sqs, q):
    many = {f"a{i}": {"DataType": "String", "StringValue": "v"} for i in range(11)}
    with raises_aws("InvalidParameterValue"):
        sqs.send_message(QueueUrl=q, MessageBody="x", MessageAttributes=many)


def test_message_attribute_without_value_is_rejected(sqs, q):
    with raises_aws(("InvalidParameterValue", "InvalidParameterCombination", "MissingParameter")):
        sqs.send_message(QueueUrl=q, MessageBody="x", MessageAttributes={"a": {"DataType": "String"}})


# ---------------------------------------------------------------- system attributes

def test_receive_all_system_attributes_for_standard_queue(sqs, q):
    t0 = int(time.time() * 1000)
    sent = sqs.send_message(QueueUrl=q, MessageBody="sys")
    m = receive_one(sqs, q, MessageSystemAttributeNames=["All"], VisibilityTimeout=0)
    a = m["Attributes"]
    assert m["MessageId"] == sent["MessageId"]
    assert a["ApproximateReceiveCount"] == "1"
    sent_ts = int(a["SentTimestamp"])
    first_ts = int(a["ApproximateFirstReceiveTimestamp"])
    assert t0 - 5000 <= sent_ts <= time.time() * 1000 + 5000  # epoch millis
    assert sent_ts <= first_ts
    assert a["SenderId"]
    for fifo_only in ("SequenceNumber", "MessageGroupId", "MessageDeduplicationId"):
        assert fifo_only not in a
    again = receive_one(sqs, q, AttributeNames=["All"])  # the older parameter name still works
    assert again["Attributes"]["ApproximateReceiveCount"] == "2"
    assert again["Attributes"]["ApproximateFirstReceiveTimestamp"] == a["ApproximateFirstReceiveTimestamp"]


def test_receive_specific_system_attributes_returns_only_those(sqs, q):
    sqs.send_message(QueueUrl=q, MessageBody="sys")
    m = receive_one(sqs, q, MessageSystemAttributeNames=["SentTimestamp", "ApproximateReceiveCount"])
    assert set(m["Attributes"]) == {"SentTimestamp", "ApproximateReceiveCount"}


def test_receive_without_attribute_names_returns_no_system_attributes(sqs, q):
    sqs.send_message(QueueUrl=q, MessageBody="sys")
    assert "Attributes" not in receive_one(sqs, q)


def test_aws_trace_header_travels_with_the_message(sqs, q):
    trace = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1"
    system = {"AWSTraceHeader": {"DataType": "String", "StringValue": trace}}
    resp = sqs.send_message(QueueUrl=q, MessageBody="traced", MessageSystemAttributes=system)
    assert resp["MD5OfMessageSystemAttributes"] == md5_of_message_attributes(system)
    m = receive_one(sqs, q, MessageSystemAttributeNames=["AWSTraceHeader"])
    assert m["Attributes"] == {"AWSTraceHeader": trace}


def test_unsupported_message_system_attribute_is_rejected(sqs, q):
    # "Currently, the only supported message system attribute is AWSTraceHeader."
    with raises_aws("InvalidParameterValue"):
        sqs.send_message(QueueUrl=q, MessageBody="x",
                         MessageSystemAttributes={"SenderId": {"DataType": "String", "StringValue": "me"}})


# ---------------------------------------------------------------- batches

def test_send_message_batch_reports_each_entry_with_ids_and_md5s(sqs, q):
    entries = [
        {"Id": "a", "MessageBody": "first"},
        {"Id": "b-2", "MessageBody": "second", "MessageAttributes": {"k": {"DataType": "String", "StringValue": "v"}}},
        {"Id": "c_3", "MessageBody": "third", "DelaySeconds": 0},
    ]
    resp = sqs.send_message_batch(QueueUrl=q, Entries=entries)
    assert resp.get("Failed", []) == []
    ok = {e["Id"]: e for e in resp["Successful"]}
    assert set(ok) == {"a", "b-2", "c_3"}
    assert ok["a"]["MD5OfMessageBody"] == md5_hex("first")
    assert ok["b-2"]["MD5OfMessageAttributes"] == md5_of_message_attributes(entries[1]["MessageAttributes"])
    assert len({e["MessageId"] for e in ok.values()}) == 3
    got = receive_all(sqs, q, 3)
    assert {m["MessageId"]: m["Body"] for m in got} == {ok[i]["MessageId"]: b for i, b in (("a", "first"), ("b-2", "second"), ("c_3", "third"))}


def test_send_message_batch_with_mixed_valid_and_invalid_entries_sends_the_valid_ones(sqs, q):
    resp = sqs.send_message_batch(QueueUrl=q, Entries=[
        {"Id": "good", "MessageBody": "fine"},
        {"Id": "bad", "MessageBody": "nul \u0000 here"},
    ])
    assert [e["Id"] for e in resp["Successful"]] == ["good"]
    assert len(resp["Failed"]) == 1
    failed = resp["Failed"][0]
    assert failed["Id"] == "bad"
    assert failed["SenderFault"] is True
    assert failed["Code"] in ("InvalidMessageContents", "InvalidParameterValue")
    assert [m["Body"] for m in receive_all(sqs, q, 1)] == ["fine"]


def test_delete_message_batch_with_mixed_entries(sqs, q):
    sqs.send_message_batch(QueueUrl=q, Entries=[{"Id": str(i), "MessageBody": f"m{i}"} for i in range(2)])
    msgs = receive_all(sqs, q, 2, VisibilityTimeout=30)
    assert len(msgs) == 2
    resp = sqs.delete_message_batch(QueueUrl=q, Entries=[
        {"Id": "d0", "ReceiptHandle": msgs[0]["ReceiptHandle"]},
        {"Id": "d1", "ReceiptHandle": msgs[1]["ReceiptHandle"]},
        {"Id": "junk", "ReceiptHandle": "not-a-handle"},
    ])
    assert sorted(e["Id"] for e in resp["Successful"]) == ["d0", "d1"]
    assert [(f["Id"], f["Code"], f["SenderFault"]) for f in resp["Failed"]] == [("junk", "ReceiptHandleIsInvalid", True)]
    assert attrs(sqs, q, "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible") == {
        "ApproximateNumberOfMessages": "0", "ApproximateNumberOfMessagesNotVisible": "0"}


def test_change_message_visibility_batch_with_mixed_entries(sqs, q):
    sqs.send_message_batch(QueueUrl=q, Entries=[{"Id": str(i), "MessageBody": f"m{i}"} for i in range(2)])
    msgs = receive_all(sqs, q, 2, VisibilityTimeout=30)
    resp = sqs.change_message_visibility_batch(QueueUrl=q, Entries=[
        {"Id": "v0", "ReceiptHandle": msgs[0]["ReceiptHandle"], "VisibilityTimeout": 0},
        {"Id": "v1", "ReceiptHandle": msgs[1]["ReceiptHandle"], "VisibilityTimeout": 0},
        {"Id": "junk", "ReceiptHandle": "not-a-handle", "VisibilityTimeout": 0},
    ])
    assert sorted(e["Id"] for e in resp["Successful"]) == ["v0", "v1"]
    assert [(f["Id"], f["Code"], f["SenderFault"]) for f in resp["Failed"]] == [("junk", "ReceiptHandleIsInvalid", True)]
    # Both are visible again at once.
    assert len(receive_all(sqs, q, 2, timeout=3)) == 2


BATCH_OPS = ["send", "delete", "change_visibility"]


def _batch_call(sqs, q, op, entries):
    if op == "send":
        return sqs.send_message_batch(QueueUrl=q, Entries=[{"Id": e, "MessageBody": "x"} for e in entries])
    if op == "delete":
        return sqs.delete_message_batch(QueueUrl=q, Entries=[{"Id": e, "ReceiptHandle": "h"} for e in entries])
    return sqs.change_message_visibility_batch(
        QueueUrl=q, Entries=[{"Id": e, "ReceiptHandle": "h", "VisibilityTimeout": 1} for e in entries])


@pytest.mark.parametrize("op", BATCH_OPS)
def test_empty_batch_fails_with_empty_batch_request(sqs, q, op):
    with raises_aws("AWS.SimpleQueueService.EmptyBatchRequest"):
        _batch_call(sqs, q, op, [])


@pytest.mark.parametrize("op", BATCH_OPS)
def test_batch_of_eleven_fails_with_too_many_entries(sqs, q, op):
    with raises_aws("AWS.SimpleQueueService.TooManyEntriesInBatchRequest"):
        _batch_call(sqs, q, op, [f"e{i}" for i in range(11)])


@pytest.mark.parametrize("op", BATCH_OPS)
def test_batch_with_repeated_ids_fails_with_batch_entry_ids_not_distinct(sqs, q, op):
    with raises_aws("AWS.SimpleQueueService.BatchEntryIdsNotDistinct"):
        _batch_call(sqs, q, op, ["same", "same"])


@pytest.mark.parametrize("op", BATCH_OPS)
@pytest.mark.parametrize("bad_id", ["has space", "dot.id", "x" * 81])
def test_batch_with_malformed_id_fails_with_invalid_batch_entry_id(sqs, q, op, bad_id):
    # Ids: up to 80 characters of alphanumerics, hyphens and underscores.
    with raises_aws("AWS.SimpleQueueService.InvalidBatchEntryId"):
        _batch_call(sqs, q, op, [bad_id])


def test_send_batch_over_total_size_fails_with_batch_request_too_long(sqs, q):
    # Each entry is under the 1 MiB message limit; together they exceed the 1 MiB batch limit.
    entries = [{"Id": f"e{i}", "MessageBody": "b" * (200 * 1024)} for i in range(6)]
    with raises_aws("AWS.SimpleQueueService.BatchRequestTooLong"):
        sqs.send_message_batch(QueueUrl=q, Entries=entries)
    receive_none(sqs, q)


# ---------------------------------------------------------------- visibility timeout

def test_received_message_is_hidden_then_reappears_after_visibility_timeout(sqs, q):
    sqs.send_message(QueueUrl=q, MessageBody="peekaboo")
    first = receive_one(sqs, q, VisibilityTimeout=1)
    receive_none(sqs, q)
    again = receive_one(sqs, q, WaitTimeSeconds=5, MessageSystemAttributeNames=["ApproximateReceiveCount"])
    assert again["MessageId"] == first["MessageId"]
    assert again["Attributes"]["ApproximateReceiveCount"] == "2"


def test_queue_visibility_timeout_applies_when_receive_does_not_override(sqs):
    url = sqs.create_queue(QueueName="vt1", Attributes={"VisibilityTimeout": "1"})["QueueUrl"]
    sqs.send_message(QueueUrl=url, MessageBody="x")
    t0 = time.monotonic()
    receive_one(sqs, url)
    receive_none(sqs, url)
    receive_one(sqs, url, WaitTimeSeconds=5)
    assert time.monotonic() - t0 < 4


def test_receive_level_visibility_timeout_overrides_queue_setting(sqs):
    url = sqs.create_queue(QueueName="vt-long", Attributes={"VisibilityTimeout": "600"})["QueueUrl"]
    sqs.send_message(QueueUrl=url, MessageBody="x")
    receive_one(sqs, url, VisibilityTimeout=1)
    receive_one(sqs, url, WaitTimeSeconds=5)


def test_change_visibility_to_zero_makes_message_visible_immediately(sqs, q):
    sqs.send_message(QueueUrl=q, MessageBody="x")
    m = receive_one(sqs, q, VisibilityTimeout=300)
    receive_none(sqs, q)
    sqs.change_message_visibility(QueueUrl=q, ReceiptHandle=m["ReceiptHandle"], VisibilityTimeout=0)
    assert receive_one(sqs, q, WaitTimeSeconds=0)["MessageId"] == m["MessageId"]


def test_change_visibility_extends_the_hidden_period(sqs, q):
    sqs.send_message(QueueUrl=q, MessageBody="x")
    m = receive_one(sqs, q, VisibilityTimeout=1)
    sqs.change_message_visibility(QueueUrl=q, ReceiptHandle=m["ReceiptHandle"], VisibilityTimeout=30)
    time.sleep(1.5)
    receive_none(sqs, q)


def test_change_visibility_over_12_hours_is_rejected(sqs, q):
    sqs.send_message(QueueUrl=q, MessageBody="x")
    m = receive_one(sqs, q)
    with raises_aws("InvalidParameterValue"):
        sqs.change_message_visibility(QueueUrl=q, ReceiptHandle=m["ReceiptHandle"], VisibilityTimeout=43201)


def test_delete_works_with_the_latest_receipt_handle(sqs, q):
    sqs.send_message(QueueUrl=q, MessageBody="x")
    receive_one(sqs, q, VisibilityTimeout=0)
    latest = receive_one(sqs, q, VisibilityTimeout=1)
    sqs.delete_message(QueueUrl=q, ReceiptHandle=latest["ReceiptHandle"])
    time.sleep(1.3)
    receive_none(sqs, q)


# ---------------------------------------------------------------- delay

def test_per_message_delay_hides_message_and_counts_it_as_delayed(sqs, q):
    sqs.send_message(QueueUrl=q, MessageBody="later", DelaySeconds=2)
    receive_none(sqs, q)
    assert attrs(sqs, q, "ApproximateNumberOfMessagesDelayed", "ApproximateNumberOfMessages") == {
        "ApproximateNumberOfMessagesDelayed": "1", "ApproximateNumberOfMessages": "0"}
    t0 = time.monotonic()
    m = receive_one(sqs, q, WaitTimeSeconds=5)
    assert m["Body"] == "later"
    assert time.monotonic() - t0 < 4
    assert attrs(sqs, q, "ApproximateNumberOfMessagesDelayed") == {"ApproximateNumberOfMessagesDelayed": "0"}


def test_queue_delay_seconds_applies_to_every_message(sqs):
    url = sqs.create_queue(QueueName="delayed", Attributes={"DelaySeconds": "2"})["QueueUrl"]
    sqs.send_message(QueueUrl=url, MessageBody="d")
    receive_none(sqs, url)
    assert receive_one(sqs, url, WaitTimeSeconds=5)["Body"] == "d"


def test_per_message_delay_zero_overrides_queue_delay(sqs):
    url = sqs.create_queue(QueueName="delayed0", Attributes={"DelaySeconds": "60"})["QueueUrl"]
    sqs.send_message(QueueUrl=url, MessageBody="now", DelaySeconds=0)
    assert receive_one(sqs, url, WaitTimeSeconds=1)["Body"] == "now"


def test_per_message_delay_over_900_is_rejected(sqs, q):
    with raises_aws("InvalidParameterValue"):
        sqs.send_message(QueueUrl=q, MessageBody="x", DelaySeconds=901)


def test_batch_entry_delay_is_per_entry(sqs, q):
    sqs.send_message_batch(QueueUrl=q, Entries=[
        {"Id": "now", "MessageBody": "now"},
        {"Id": "later", "MessageBody": "later", "DelaySeconds": 60},
    ])
    got = receive_all(sqs, q, 2, timeout=2)
    assert [m["Body"] for m in got] == ["now"]


# ---------------------------------------------------------------- long polling

def test_long_poll_returns_as_soon_as_a_message_arrives(sqs, sqs_factory, q):
    producer = sqs_factory()

    def send_later():
        time.sleep(1.0)
        producer.send_message(QueueUrl=q, MessageBody="wake up")

    t = threading.Thread(target=send_later)
    t0 = time.monotonic()
    t.start()
    resp = sqs.receive_message(QueueUrl=q, WaitTimeSeconds=5)
    elapsed = time.monotonic() - t0
    t.join()
    assert [m["Body"] for m in resp.get("Messages", [])] == ["wake up"]
    assert 0.9 <= elapsed < 2.5, f"long poll returned after {elapsed:.2f}s"


def test_empty_long_poll_waits_roughly_the_full_wait_time(sqs, q):
    t0 = time.monotonic()
    resp = sqs.receive_message(QueueUrl=q, WaitTimeSeconds=2)
    elapsed = time.monotonic() - t0
    assert resp.get("Messages", []) == []
    assert 1.8 <= elapsed < 4, f"empty long poll returned after {elapsed:.2f}s"


def test_short_poll_on_empty_queue_returns_immediately(sqs, q):
    t0 = time.monotonic()
    sqs.receive_message(QueueUrl=q, WaitTimeSeconds=0)
    assert time.monotonic() - t0 < 1


def test_queue_receive_wait_time_makes_receives_long_polls(sqs):
    url = sqs.create_queue(QueueName="lp", Attributes={"ReceiveMessageWaitTimeSeconds": "2"})["QueueUrl"]
    t0 = time.monotonic()
    resp = sqs.receive_message(QueueUrl=url)
    elapsed = time.monotonic() - t0
    assert resp.get("Messages", []) == []
    assert 1.8 <= elapsed < 4, f"receive returned after {elapsed:.2f}s"
    t0 = time.monotonic()
    sqs.receive_message(QueueUrl=url, WaitTimeSeconds=0)  # explicit 0 overrides the queue's wait
    assert time.monotonic() - t0 < 1


def test_concurrent_long_polls_each_get_a_distinct_message(sqs_factory, q, sqs):
    results: list[list[str]] = [[], [], []]

    def consume(i):
        c = sqs_factory()
        resp = c.receive_message(QueueUrl=q, WaitTimeSeconds=5, VisibilityTimeout=30)
        results[i] = [m["Body"] for m in resp.get("Messages", [])]

    threads = [threading.Thread(target=consume, args=(i,)) for i in range(3)]
    for t in threads:
        t.start()
    time.sleep(0.5)
    for i in range(3):
        sqs.send_message(QueueUrl=q, MessageBody=f"job{i}")
    for t in threads:
        t.join()
    delivered = [b for r in results for b in r]
    assert sorted(delivered) == ["job0", "job1", "job2"]  # nobody got a duplicate, nothing lost


def test_long_poll_on_deleted_queue_does_not_hang(sqs, q):
    sqs.delete_queue(QueueUrl=q)
    t0 = time.monotonic()
    with pytest.raises(ClientError) as info:
        sqs.receive_message(QueueUrl=q, WaitTimeSeconds=5)
    assert error_code(info.value) == "AWS.SimpleQueueService.NonExistentQueue"
    assert time.monotonic() - t0 < 2


# ---------------------------------------------------------------- purge

def test_purge_deletes_visible_and_in_flight_messages(sqs, q):
    for i in range(5):
        sqs.send_message(QueueUrl=q, MessageBody=f"m{i}")
    receive_one(sqs, q, VisibilityTimeout=1)
    sqs.purge_queue(QueueUrl=q)
    wait_until(lambda: attrs(sqs, q, "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible") == {
        "ApproximateNumberOfMessages": "0", "ApproximateNumberOfMessagesNotVisible": "0"}, timeout=5, what="purge")
    time.sleep(1.2)
    receive_none(sqs, q)


def test_second_purge_within_60_seconds_fails_with_purge_queue_in_progress(sqs, q):
    sqs.purge_queue(QueueUrl=q)
    with raises_aws("AWS.SimpleQueueService.PurgeQueueInProgress", status=403) as info:
        sqs.purge_queue(QueueUrl=q)
    assert isinstance(info.value, sqs.exceptions.PurgeQueueInProgress)


def test_purge_does_not_affect_other_queues(sqs, q):
    other = sqs.create_queue(QueueName="other")["QueueUrl"]
    sqs.send_message(QueueUrl=other, MessageBody="keep me")
    sqs.send_message(QueueUrl=q, MessageBody="drop me")
    sqs.purge_queue(QueueUrl=q)
    assert receive_one(sqs, other)["Body"] == "keep me"


def test_purge_missing_queue_fails_with_non_existent_queue(sqs, endpoint):
    with raises_aws("AWS.SimpleQueueService.NonExistentQueue"):
        sqs.purge_queue(QueueUrl=f"{endpoint}/000000000000/missing")


# ---------------------------------------------------------------- retention

def test_retention_period_minimum_is_60_seconds(sqs):
    url = sqs.create_queue(QueueName="short-lived", Attributes={"MessageRetentionPeriod": "60"})["QueueUrl"]
    assert attrs(sqs, url, "MessageRetentionPeriod") == {"MessageRetentionPeriod": "60"}
    with raises_aws("InvalidAttributeValue"):
        sqs.set_queue_attributes(QueueUrl=url, Attributes={"MessageRetentionPeriod": "59"})


@pytest.mark.slow
def test_messages_older_than_retention_period_are_deleted(sqs):
    url = sqs.create_queue(QueueName="expiring", Attributes={"MessageRetentionPeriod": "60"})["QueueUrl"]
    sqs.send_message(QueueUrl=url, MessageBody="ephemeral")
    time.sleep(62)
    receive_none(sqs, url, WaitTimeSeconds=1)
    assert attrs(sqs, url, "ApproximateNumberOfMessages") == {"ApproximateNumberOfMessages": "0"}


# ---------------------------------------------------------------- fair queues (MessageGroupId on standard)

def test_message_group_id_is_accepted_on_standard_queue(sqs, q):
    # Since 2025 standard queues accept MessageGroupId ("fair queues"); delivery stays unordered.
    sqs.send_message(QueueUrl=q, MessageBody="tenant-a", MessageGroupId="tenant-a")
    m = receive_one(sqs, q, MessageSystemAttributeNames=["All"])
    assert m["Body"] == "tenant-a"
    assert m["Attributes"].get("MessageGroupId") == "tenant-a"


def test_queue_url_with_another_host_for_the_same_server_resolves_by_path(sqs, q, herald):
    # Clients sometimes rebuild queue URLs (localhost vs 127.0.0.1); the path names the queue.
    other_host = q.replace("127.0.0.1", "localhost")
    sqs.send_message(QueueUrl=other_host, MessageBody="by path")
    assert receive_one(sqs, q)["Body"] == "by path"


def test_queue_arn_in_attributes_matches_queue_url(sqs, q):
    assert attrs(sqs, q, "QueueArn") == {"QueueArn": queue_arn("work")}
