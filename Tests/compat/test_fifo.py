"""FIFO queues: ordering within a message group, group locking, deduplication, sequence numbers,
high-throughput settings, ReceiveRequestAttemptId, and FIFO-specific validation."""

from __future__ import annotations

import hashlib

import pytest

from herald_compat import attrs, md5_hex, raises_aws, receive_all


@pytest.fixture
def fifo(sqs):
    return sqs.create_queue(QueueName="orders.fifo", Attributes={"FifoQueue": "true"})["QueueUrl"]


@pytest.fixture
def fifo_cbd(sqs):
    return sqs.create_queue(QueueName="cbd.fifo", Attributes={
        "FifoQueue": "true", "ContentBasedDeduplication": "true"})["QueueUrl"]


def send(sqs, url, body, group="g1", dedup=None, **kw):
    return sqs.send_message(QueueUrl=url, MessageBody=body, MessageGroupId=group,
                            MessageDeduplicationId=dedup or body, **kw)


def test_send_to_fifo_returns_message_id_and_sequence_number(sqs, fifo):
    resp = send(sqs, fifo, "first")
    assert resp["MessageId"]
    assert resp["MD5OfMessageBody"] == md5_hex("first")
    assert resp["SequenceNumber"].isdigit()


def test_sequence_numbers_increase_within_a_group(sqs, fifo):
    seqs = [int(send(sqs, fifo, f"m{i}")["SequenceNumber"]) for i in range(5)]
    assert seqs == sorted(seqs)
    assert len(set(seqs)) == 5


def test_messages_of_one_group_are_received_in_send_order(sqs, fifo):
    bodies = [f"step-{i}" for i in range(8)]
    for b in bodies:
        send(sqs, fifo, b)
    got = []
    while len(got) < len(bodies):
        resp = sqs.receive_message(QueueUrl=fifo, MaxNumberOfMessages=3, WaitTimeSeconds=1)
        msgs = resp.get("Messages", [])
        assert msgs, f"ran dry after {got}"
        got += [m["Body"] for m in msgs]
        sqs.delete_message_batch(QueueUrl=fifo, Entries=[
            {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(msgs)])
    assert got == bodies


def test_receive_returns_fifo_system_attributes(sqs, fifo):
    sent = send(sqs, fifo, "attrs", group="grp-7", dedup="dedup-7")
    m = sqs.receive_message(QueueUrl=fifo, MessageSystemAttributeNames=["All"], WaitTimeSeconds=1)["Messages"][0]
    a = m["Attributes"]
    assert a["MessageGroupId"] == "grp-7"
    assert a["MessageDeduplicationId"] == "dedup-7"
    assert a["SequenceNumber"] == sent["SequenceNumber"]
    assert a["ApproximateReceiveCount"] == "1"


def test_group_is_locked_while_one_of_its_messages_is_in_flight(sqs, sqs_factory, fifo):
    send(sqs, fifo, "a1", group="A")
    send(sqs, fifo, "a2", group="A")
    send(sqs, fifo, "b1", group="B")
    send(sqs, fifo, "b2", group="B")
    consumer1, consumer2, consumer3 = sqs, sqs_factory(), sqs_factory()

    first = consumer1.receive_message(QueueUrl=fifo, MaxNumberOfMessages=1, VisibilityTimeout=30)["Messages"][0]
    assert first["Body"] in ("a1", "b1")  # the head of some group, never a2/b2
    locked_group = first["Body"][0]
    other_group = "B" if locked_group == "a" else "A"

    # Another consumer gets the other group's head, never the locked group's next message.
    second = consumer2.receive_message(QueueUrl=fifo, MaxNumberOfMessages=1, VisibilityTimeout=30)["Messages"][0]
    assert second["Body"] == other_group.lower() + "1"

    # Both groups now have a message in flight: nothing more can be delivered.
    assert consumer3.receive_message(QueueUrl=fifo, MaxNumberOfMessages=10).get("Messages", []) == []

    # Deleting the locked group's head releases its next message, in order.
    consumer1.delete_message(QueueUrl=fifo, ReceiptHandle=first["ReceiptHandle"])
    nxt = consumer3.receive_message(QueueUrl=fifo, MaxNumberOfMessages=10, VisibilityTimeout=30)["Messages"]
    assert [m["Body"] for m in nxt] == [locked_group + "2"]


def test_other_groups_flow_while_one_group_is_blocked(sqs, fifo):
    send(sqs, fifo, "x1", group="X")
    send(sqs, fifo, "x2", group="X")
    head = sqs.receive_message(QueueUrl=fifo, MaxNumberOfMessages=1, VisibilityTimeout=30)["Messages"][0]
    assert head["Body"] == "x1"
    for i in range(3):
        send(sqs, fifo, f"y{i}", group="Y")
    got = sqs.receive_message(QueueUrl=fifo, MaxNumberOfMessages=10, VisibilityTimeout=30)["Messages"]
    assert [m["Body"] for m in got] == ["y0", "y1", "y2"]


def test_message_returns_to_head_of_its_group_after_visibility_timeout(sqs, fifo):
    send(sqs, fifo, "h1")
    send(sqs, fifo, "h2")
    m = sqs.receive_message(QueueUrl=fifo, MaxNumberOfMessages=1, VisibilityTimeout=1)["Messages"][0]
    assert m["Body"] == "h1"
    again = sqs.receive_message(QueueUrl=fifo, MaxNumberOfMessages=10, WaitTimeSeconds=5)["Messages"]
    assert [x["Body"] for x in again][:1] == ["h1"]
    assert [x["Body"] for x in again] in (["h1"], ["h1", "h2"])


def test_duplicate_deduplication_id_is_accepted_but_delivered_once(sqs, fifo):
    first = send(sqs, fifo, "pay invoice 7", dedup="inv-7")
    dup = send(sqs, fifo, "pay invoice 7 (retry)", dedup="inv-7")
    assert dup["MessageId"]
    # Observed AWS behaviour (not spelled out in the docs): a duplicate send answers with the
    # original message's MessageId and SequenceNumber.
    assert dup["MessageId"] == first["MessageId"]
    got = receive_all(sqs, fifo, 2, timeout=2)
    assert [m["Body"] for m in got] == ["pay invoice 7"]


def test_deduplication_id_is_remembered_after_the_message_is_deleted(sqs, fifo):
    send(sqs, fifo, "once", dedup="d-1")
    m = sqs.receive_message(QueueUrl=fifo, WaitTimeSeconds=1)["Messages"][0]
    sqs.delete_message(QueueUrl=fifo, ReceiptHandle=m["ReceiptHandle"])
    send(sqs, fifo, "once again", dedup="d-1")
    assert sqs.receive_message(QueueUrl=fifo, WaitTimeSeconds=1).get("Messages", []) == []


def test_content_based_deduplication_drops_identical_bodies(sqs, fifo_cbd):
    sqs.send_message(QueueUrl=fifo_cbd, MessageBody="same", MessageGroupId="g")
    sqs.send_message(QueueUrl=fifo_cbd, MessageBody="same", MessageGroupId="g")
    sqs.send_message(QueueUrl=fifo_cbd, MessageBody="different", MessageGroupId="g")
    got = receive_all(sqs, fifo_cbd, 3, timeout=2)
    assert sorted(m["Body"] for m in got) == ["different", "same"]


def test_content_based_deduplication_id_is_sha256_of_body(sqs, fifo_cbd):
    # The generated MessageDeduplicationId is a SHA-256 of the body: an explicit id equal to that
    # hash is a duplicate of the content-deduplicated message.
    sqs.send_message(QueueUrl=fifo_cbd, MessageBody="hash me", MessageGroupId="g")
    sqs.send_message(QueueUrl=fifo_cbd, MessageBody="other body", MessageGroupId="g",
                     MessageDeduplicationId=hashlib.sha256(b"hash me").hexdigest())
    got = receive_all(sqs, fifo_cbd, 2, timeout=2)
    assert [m["Body"] for m in got] == ["hash me"]


def test_explicit_deduplication_id_overrides_content_hash(sqs, fifo_cbd):
    sqs.send_message(QueueUrl=fifo_cbd, MessageBody="same", MessageGroupId="g", MessageDeduplicationId="one")
    sqs.send_message(QueueUrl=fifo_cbd, MessageBody="same", MessageGroupId="g", MessageDeduplicationId="two")
    got = sqs.receive_message(QueueUrl=fifo_cbd, MaxNumberOfMessages=10, WaitTimeSeconds=1)["Messages"]
    assert [m["Body"] for m in got] == ["same", "same"]
    assert got[0]["MessageId"] != got[1]["MessageId"]


def test_deduplication_scope_message_group_dedups_per_group(sqs):
    url = sqs.create_queue(QueueName="ht.fifo", Attributes={
        "FifoQueue": "true", "DeduplicationScope": "messageGroup", "FifoThroughputLimit": "perMessageGroupId"})["QueueUrl"]
    assert attrs(sqs, url, "DeduplicationScope", "FifoThroughputLimit") == {
        "DeduplicationScope": "messageGroup", "FifoThroughputLimit": "perMessageGroupId"}
    sqs.send_message(QueueUrl=url, MessageBody="in A", MessageGroupId="A", MessageDeduplicationId="same-id")
    sqs.send_message(QueueUrl=url, MessageBody="in B", MessageGroupId="B", MessageDeduplicationId="same-id")
    sqs.send_message(QueueUrl=url, MessageBody="dup in A", MessageGroupId="A", MessageDeduplicationId="same-id")
    got = receive_all(sqs, url, 3, timeout=2)
    assert sorted(m["Body"] for m in got) == ["in A", "in B"]


def test_deduplication_scope_queue_dedups_across_groups(sqs, fifo):
    sqs.send_message(QueueUrl=fifo, MessageBody="in A", MessageGroupId="A", MessageDeduplicationId="same-id")
    sqs.send_message(QueueUrl=fifo, MessageBody="in B", MessageGroupId="B", MessageDeduplicationId="same-id")
    got = receive_all(sqs, fifo, 2, timeout=2)
    assert [m["Body"] for m in got] == ["in A"]


def test_send_without_message_group_id_fails_with_missing_parameter(sqs, fifo):
    with raises_aws("MissingParameter"):
        sqs.send_message(QueueUrl=fifo, MessageBody="x", MessageDeduplicationId="d")


def test_send_without_deduplication_id_or_content_dedup_is_rejected(sqs, fifo):
    # AWS: InvalidParameterValue "The queue should either have ContentBasedDeduplication enabled or
    # MessageDeduplicationId provided explicitly".
    with raises_aws("InvalidParameterValue"):
        sqs.send_message(QueueUrl=fifo, MessageBody="x", MessageGroupId="g")


def test_per_message_delay_is_rejected_on_fifo(sqs, fifo):
    # "When you set FifoQueue, you can't set DelaySeconds per message."
    with raises_aws("InvalidParameterValue"):
        send(sqs, fifo, "x", DelaySeconds=5)


def test_queue_level_delay_applies_on_fifo(sqs):
    url = sqs.create_queue(QueueName="slow.fifo", Attributes={"FifoQueue": "true", "DelaySeconds": "1"})["QueueUrl"]
    send(sqs, url, "delayed")
    assert sqs.receive_message(QueueUrl=url).get("Messages", []) == []
    got = sqs.receive_message(QueueUrl=url, WaitTimeSeconds=4)["Messages"]
    assert [m["Body"] for m in got] == ["delayed"]


@pytest.mark.parametrize("field,value", [("MessageGroupId", "g" * 129), ("MessageDeduplicationId", "d" * 129),
                                         ("MessageGroupId", "bad group\u00e9")])
def test_group_and_dedup_ids_over_128_chars_or_with_bad_characters_are_rejected(sqs, fifo, field, value):
    kw = {"MessageGroupId": "g", "MessageDeduplicationId": "d", field: value}
    with raises_aws("InvalidParameterValue"):
        sqs.send_message(QueueUrl=fifo, MessageBody="x", **kw)


def test_batch_send_on_fifo_keeps_order_and_returns_sequence_numbers(sqs, fifo):
    resp = sqs.send_message_batch(QueueUrl=fifo, Entries=[
        {"Id": f"e{i}", "MessageBody": f"b{i}", "MessageGroupId": "g", "MessageDeduplicationId": f"d{i}"}
        for i in range(5)])
    assert resp.get("Failed", []) == []
    seqs = {e["Id"]: int(e["SequenceNumber"]) for e in resp["Successful"]}
    assert [seqs[f"e{i}"] for i in range(5)] == sorted(seqs.values())
    got = sqs.receive_message(QueueUrl=fifo, MaxNumberOfMessages=10, WaitTimeSeconds=1)["Messages"]
    assert [m["Body"] for m in got] == [f"b{i}" for i in range(5)]


def test_batch_entry_without_group_id_fails_alone(sqs, fifo):
    resp = sqs.send_message_batch(QueueUrl=fifo, Entries=[
        {"Id": "ok", "MessageBody": "fine", "MessageGroupId": "g", "MessageDeduplicationId": "d1"},
        {"Id": "nogroup", "MessageBody": "broken", "MessageDeduplicationId": "d2"},
    ])
    assert [e["Id"] for e in resp["Successful"]] == ["ok"]
    assert [(f["Id"], f["SenderFault"]) for f in resp["Failed"]] == [("nogroup", True)]
    assert resp["Failed"][0]["Code"] == "MissingParameter"


def test_receive_request_attempt_id_returns_same_messages_and_handles_on_retry(sqs, fifo):
    for i in range(3):
        send(sqs, fifo, f"r{i}")
    first = sqs.receive_message(QueueUrl=fifo, MaxNumberOfMessages=2, ReceiveRequestAttemptId="attempt-1",
                                VisibilityTimeout=30)["Messages"]
    assert [m["Body"] for m in first] == ["r0", "r1"]
    retry = sqs.receive_message(QueueUrl=fifo, MaxNumberOfMessages=2, ReceiveRequestAttemptId="attempt-1",
                                VisibilityTimeout=30)["Messages"]
    assert [(m["MessageId"], m["ReceiptHandle"]) for m in retry] == [(m["MessageId"], m["ReceiptHandle"]) for m in first]
    # A different attempt id gets nothing: the group is locked by the in-flight messages.
    other = sqs.receive_message(QueueUrl=fifo, MaxNumberOfMessages=2, ReceiveRequestAttemptId="attempt-2")
    assert other.get("Messages", []) == []


def test_fifo_queue_requires_fifo_dead_letter_queue(sqs, fifo):
    std_dlq = sqs.create_queue(QueueName="std-dlq")["QueueUrl"]
    arn = attrs(sqs, std_dlq, "QueueArn")["QueueArn"]
    # "The dead-letter queue of a FIFO queue must also be a FIFO queue."
    with raises_aws(("InvalidParameterValue", "InvalidAttributeValue")):
        sqs.set_queue_attributes(QueueUrl=fifo, Attributes={
            "RedrivePolicy": f'{{"deadLetterTargetArn":"{arn}","maxReceiveCount":"3"}}'})


def test_content_based_deduplication_can_be_toggled_on_fifo(sqs, fifo):
    sqs.set_queue_attributes(QueueUrl=fifo, Attributes={"ContentBasedDeduplication": "true"})
    assert attrs(sqs, fifo, "ContentBasedDeduplication") == {"ContentBasedDeduplication": "true"}
    sqs.send_message(QueueUrl=fifo, MessageBody="no explicit id", MessageGroupId="g")  # now allowed


def test_delete_with_expired_receipt_handle_on_fifo_is_rejected(sqs, fifo):
    # AWS knowledge center: on FIFO queues a receipt handle expires with the visibility timeout;
    # DeleteMessage then answers InvalidParameterValue "...Reason: The receipt handle has expired."
    send(sqs, fifo, "expiring")
    m = sqs.receive_message(QueueUrl=fifo, VisibilityTimeout=1, WaitTimeSeconds=1)["Messages"][0]
    again = sqs.receive_message(QueueUrl=fifo, WaitTimeSeconds=4)["Messages"][0]
    assert again["MessageId"] == m["MessageId"]
    with raises_aws("InvalidParameterValue"):
        sqs.delete_message(QueueUrl=fifo, ReceiptHandle=m["ReceiptHandle"])
    sqs.delete_message(QueueUrl=fifo, ReceiptHandle=again["ReceiptHandle"])  # the latest handle works
