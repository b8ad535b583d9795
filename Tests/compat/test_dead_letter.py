"""Dead-letter queues: RedrivePolicy, ListDeadLetterSourceQueues, RedriveAllowPolicy, and message
move tasks (StartMessageMoveTask, ListMessageMoveTasks, CancelMessageMoveTask)."""

from __future__ import annotations

import json
import time

import pytest

from herald_compat import attrs, queue_arn, raises_aws, receive_all, wait_until


def redrive(dlq_name: str, max_receive: int = 2) -> str:
    return json.dumps({"deadLetterTargetArn": queue_arn(dlq_name), "maxReceiveCount": max_receive})


@pytest.fixture
def dlq(sqs):
    return sqs.create_queue(QueueName="dead")["QueueUrl"]


@pytest.fixture
def source(sqs, dlq):
    return sqs.create_queue(QueueName="live", Attributes={"RedrivePolicy": redrive("dead", 2)})["QueueUrl"]


def fail_receives(sqs, url, times):
    """Receive the message `times` times without deleting it (VisibilityTimeout=0: back at once)."""
    ids = []
    for _ in range(times):
        msgs = sqs.receive_message(QueueUrl=url, VisibilityTimeout=0, WaitTimeSeconds=2).get("Messages", [])
        assert len(msgs) == 1, f"expected the message back, got {msgs}"
        ids.append(msgs[0]["MessageId"])
    return ids


def test_message_moves_to_dlq_after_max_receive_count(sqs, source, dlq):
    sent = sqs.send_message(QueueUrl=source, MessageBody="poison", MessageAttributes={
        "k": {"DataType": "String", "StringValue": "v"}})
    assert fail_receives(sqs, source, 2) == [sent["MessageId"]] * 2
    # The third receive would exceed maxReceiveCount=2: the message goes to the DLQ instead.
    assert sqs.receive_message(QueueUrl=source, WaitTimeSeconds=1).get("Messages", []) == []
    moved = wait_until(lambda: sqs.receive_message(
        QueueUrl=dlq, MessageAttributeNames=["All"], MessageSystemAttributeNames=["All"]).get("Messages"),
        timeout=5, what="message in DLQ")
    assert len(moved) == 1
    m = moved[0]
    assert m["MessageId"] == sent["MessageId"]
    assert m["Body"] == "poison"
    assert m["MessageAttributes"] == {"k": {"DataType": "String", "StringValue": "v"}}
    assert m["Attributes"].get("DeadLetterQueueSourceArn") == queue_arn("live")
    assert attrs(sqs, source, "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible") == {
        "ApproximateNumberOfMessages": "0", "ApproximateNumberOfMessagesNotVisible": "0"}


def test_message_deleted_before_max_receive_count_never_reaches_dlq(sqs, source, dlq):
    sqs.send_message(QueueUrl=source, MessageBody="fine")
    fail_receives(sqs, source, 1)
    m = sqs.receive_message(QueueUrl=source, WaitTimeSeconds=1)["Messages"][0]
    sqs.delete_message(QueueUrl=source, ReceiptHandle=m["ReceiptHandle"])
    time.sleep(0.5)
    assert sqs.receive_message(QueueUrl=dlq).get("Messages", []) == []


def test_dead_lettering_after_visibility_timeout_expiry(sqs, dlq):
    src = sqs.create_queue(QueueName="live-vt", Attributes={
        "RedrivePolicy": redrive("dead", 1), "VisibilityTimeout": "1"})["QueueUrl"]
    sqs.send_message(QueueUrl=src, MessageBody="slow consumer")
    assert len(sqs.receive_message(QueueUrl=src)["Messages"]) == 1
    time.sleep(1.3)
    assert sqs.receive_message(QueueUrl=src, WaitTimeSeconds=1).get("Messages", []) == []
    moved = wait_until(lambda: sqs.receive_message(QueueUrl=dlq).get("Messages"), timeout=5, what="DLQ message")
    assert [m["Body"] for m in moved] == ["slow consumer"]


def test_list_dead_letter_source_queues(sqs, dlq, source, endpoint):
    other = sqs.create_queue(QueueName="live-2", Attributes={"RedrivePolicy": redrive("dead", 5)})["QueueUrl"]
    sqs.create_queue(QueueName="unrelated")
    urls = sqs.list_dead_letter_source_queues(QueueUrl=dlq)["queueUrls"]
    assert sorted(urls) == sorted([source, other])


def test_list_dead_letter_source_queues_paginates(sqs, dlq):
    for i in range(3):
        sqs.create_queue(QueueName=f"src-{i}", Attributes={"RedrivePolicy": redrive("dead", 3)})
    first = sqs.list_dead_letter_source_queues(QueueUrl=dlq, MaxResults=2)
    assert len(first["queueUrls"]) == 2
    second = sqs.list_dead_letter_source_queues(QueueUrl=dlq, MaxResults=2, NextToken=first["NextToken"])
    assert len(second["queueUrls"]) == 1
    assert "NextToken" not in second
    assert sorted(first["queueUrls"] + second["queueUrls"]) == sorted(
        sqs.get_queue_url(QueueName=f"src-{i}")["QueueUrl"] for i in range(3))


def test_list_dead_letter_source_queues_of_queue_with_no_sources_is_empty(sqs, dlq):
    assert sqs.list_dead_letter_source_queues(QueueUrl=dlq)["queueUrls"] == []


def test_removing_redrive_policy_stops_listing_the_source(sqs, dlq, source):
    sqs.set_queue_attributes(QueueUrl=source, Attributes={"RedrivePolicy": ""})
    assert sqs.list_dead_letter_source_queues(QueueUrl=dlq)["queueUrls"] == []
    assert "RedrivePolicy" not in attrs(sqs, source, "All")


def test_redrive_policy_to_missing_queue_is_rejected(sqs):
    # AWS: InvalidParameterValue "...Reason: Dead letter target does not exist."
    with raises_aws(("InvalidParameterValue", "InvalidAttributeValue")):
        sqs.create_queue(QueueName="orphan", Attributes={"RedrivePolicy": redrive("no-such-dlq", 3)})


@pytest.mark.parametrize("count", [0, 1001])
def test_redrive_policy_max_receive_count_must_be_1_to_1000(sqs, dlq, count):
    with raises_aws(("InvalidParameterValue", "InvalidAttributeValue")):
        sqs.create_queue(QueueName="bad-count", Attributes={"RedrivePolicy": redrive("dead", count)})


def test_standard_queue_cannot_use_fifo_dead_letter_queue(sqs):
    sqs.create_queue(QueueName="dead.fifo", Attributes={"FifoQueue": "true"})
    with raises_aws(("InvalidParameterValue", "InvalidAttributeValue")):
        sqs.create_queue(QueueName="std-src", Attributes={"RedrivePolicy": redrive("dead.fifo", 3)})


# ---------------------------------------------------------------- RedriveAllowPolicy
# AWS rejects a RedrivePolicy whose dead-letter queue's RedriveAllowPolicy does not admit the source
# queue (at SetQueueAttributes/CreateQueue time). The exact code is not documented; AWS answers
# InvalidParameterValue. Either attribute/parameter error is accepted here.

DISALLOWED = ("InvalidParameterValue", "InvalidAttributeValue")


def test_redrive_allow_policy_allow_all_admits_any_source(sqs):
    sqs.create_queue(QueueName="open-dlq", Attributes={
        "RedriveAllowPolicy": json.dumps({"redrivePermission": "allowAll"})})
    sqs.create_queue(QueueName="any-src", Attributes={"RedrivePolicy": redrive("open-dlq", 3)})


def test_redrive_allow_policy_deny_all_rejects_every_source(sqs):
    sqs.create_queue(QueueName="closed-dlq", Attributes={
        "RedriveAllowPolicy": json.dumps({"redrivePermission": "denyAll"})})
    with raises_aws(DISALLOWED):
        sqs.create_queue(QueueName="denied-src", Attributes={"RedrivePolicy": redrive("closed-dlq", 3)})


def test_redrive_allow_policy_by_queue_admits_only_listed_sources(sqs):
    sqs.create_queue(QueueName="picky-dlq", Attributes={"RedriveAllowPolicy": json.dumps({
        "redrivePermission": "byQueue", "sourceQueueArns": [queue_arn("chosen")]})})
    sqs.create_queue(QueueName="chosen", Attributes={"RedrivePolicy": redrive("picky-dlq", 3)})
    stranger = sqs.create_queue(QueueName="stranger")["QueueUrl"]
    with raises_aws(DISALLOWED):
        sqs.set_queue_attributes(QueueUrl=stranger, Attributes={"RedrivePolicy": redrive("picky-dlq", 3)})


def test_redrive_allow_policy_by_queue_requires_source_arns(sqs):
    with raises_aws(("InvalidAttributeValue", "InvalidParameterValue")):
        sqs.create_queue(QueueName="bad-rap", Attributes={
            "RedriveAllowPolicy": json.dumps({"redrivePermission": "byQueue"})})


def test_source_queue_arns_only_allowed_with_by_queue(sqs):
    with raises_aws(("InvalidAttributeValue", "InvalidParameterValue")):
        sqs.create_queue(QueueName="bad-rap2", Attributes={"RedriveAllowPolicy": json.dumps({
            "redrivePermission": "allowAll", "sourceQueueArns": [queue_arn("x")]})})


def test_redrive_allow_policy_by_queue_accepts_at_most_10_sources(sqs):
    with raises_aws(("InvalidAttributeValue", "InvalidParameterValue")):
        sqs.create_queue(QueueName="bad-rap3", Attributes={"RedriveAllowPolicy": json.dumps({
            "redrivePermission": "byQueue", "sourceQueueArns": [queue_arn(f"s{i}") for i in range(11)]})})


# ---------------------------------------------------------------- message move tasks

def dead_letter(sqs, source_url, dlq_url, bodies):
    """Send `bodies` to the source and drive each past maxReceiveCount=1 into the DLQ."""
    for b in bodies:
        sqs.send_message(QueueUrl=source_url, MessageBody=b)
    # One receive each (count 1 = max), then a receive that exceeds it moves them.
    receive_all(sqs, source_url, len(bodies), timeout=5, VisibilityTimeout=0)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        sqs.receive_message(QueueUrl=source_url, MaxNumberOfMessages=10, VisibilityTimeout=0)
        if attrs(sqs, dlq_url, "ApproximateNumberOfMessages")["ApproximateNumberOfMessages"] == str(len(bodies)):
            return
        time.sleep(0.1)
    raise AssertionError("messages did not reach the DLQ")


@pytest.fixture
def redrive_pair(sqs):
    dlq_url = sqs.create_queue(QueueName="mv-dlq")["QueueUrl"]
    src_url = sqs.create_queue(QueueName="mv-src", Attributes={"RedrivePolicy": redrive("mv-dlq", 1)})["QueueUrl"]
    return src_url, dlq_url


def wait_task(sqs, source_arn, status, timeout=15):
    def check():
        tasks = sqs.list_message_move_tasks(SourceArn=source_arn, MaxResults=10)["Results"]
        return tasks if tasks and tasks[0]["Status"] == status else None
    return wait_until(check, timeout=timeout, interval=0.2, what=f"move task {status}")


def test_move_task_without_destination_returns_messages_to_their_source(sqs, redrive_pair):
    src_url, dlq_url = redrive_pair
    dead_letter(sqs, src_url, dlq_url, ["r1", "r2", "r3"])
    task = sqs.start_message_move_task(SourceArn=queue_arn("mv-dlq"))
    assert task["TaskHandle"]
    tasks = wait_task(sqs, queue_arn("mv-dlq"), "COMPLETED")
    t = tasks[0]
    assert t["SourceArn"] == queue_arn("mv-dlq")
    assert "DestinationArn" not in t or t["DestinationArn"] is None
    assert t["ApproximateNumberOfMessagesMoved"] == 3
    assert t["ApproximateNumberOfMessagesToMove"] == 3
    assert t["StartedTimestamp"] > 0
    assert "TaskHandle" not in t  # only populated for RUNNING tasks
    back = receive_all(sqs, src_url, 3, timeout=5)
    assert sorted(m["Body"] for m in back) == ["r1", "r2", "r3"]
    assert attrs(sqs, dlq_url, "ApproximateNumberOfMessages") == {"ApproximateNumberOfMessages": "0"}


def test_move_task_to_explicit_destination(sqs, redrive_pair):
    src_url, dlq_url = redrive_pair
    dest = sqs.create_queue(QueueName="mv-dest")["QueueUrl"]
    dead_letter(sqs, src_url, dlq_url, ["d1", "d2"])
    sqs.start_message_move_task(SourceArn=queue_arn("mv-dlq"), DestinationArn=queue_arn("mv-dest"))
    t = wait_task(sqs, queue_arn("mv-dlq"), "COMPLETED")[0]
    assert t["DestinationArn"] == queue_arn("mv-dest")
    assert t["ApproximateNumberOfMessagesMoved"] == 2
    assert sorted(m["Body"] for m in receive_all(sqs, dest, 2, timeout=5)) == ["d1", "d2"]
    assert sqs.receive_message(QueueUrl=src_url).get("Messages", []) == []


def test_list_message_move_tasks_returns_most_recent_first_and_defaults_to_one(sqs, redrive_pair):
    src_url, dlq_url = redrive_pair
    sqs.create_queue(QueueName="mv-elsewhere")
    dead_letter(sqs, src_url, dlq_url, ["a"])
    # Move the first one elsewhere so it does not come back through the source.
    sqs.start_message_move_task(SourceArn=queue_arn("mv-dlq"), DestinationArn=queue_arn("mv-elsewhere"))
    wait_task(sqs, queue_arn("mv-dlq"), "COMPLETED")
    dead_letter(sqs, src_url, dlq_url, ["b", "c"])
    sqs.start_message_move_task(SourceArn=queue_arn("mv-dlq"))
    wait_task(sqs, queue_arn("mv-dlq"), "COMPLETED")
    assert len(sqs.list_message_move_tasks(SourceArn=queue_arn("mv-dlq"))["Results"]) == 1
    tasks = sqs.list_message_move_tasks(SourceArn=queue_arn("mv-dlq"), MaxResults=10)["Results"]
    assert [t["ApproximateNumberOfMessagesMoved"] for t in tasks] == [2, 1]


def test_cancel_running_move_task(sqs, redrive_pair):
    src_url, dlq_url = redrive_pair
    dead_letter(sqs, src_url, dlq_url, [f"c{i}" for i in range(10)])
    handle = sqs.start_message_move_task(SourceArn=queue_arn("mv-dlq"), MaxNumberOfMessagesPerSecond=1)["TaskHandle"]
    running = sqs.list_message_move_tasks(SourceArn=queue_arn("mv-dlq"))["Results"][0]
    assert running["Status"] == "RUNNING"
    assert running["TaskHandle"] == handle
    assert running["MaxNumberOfMessagesPerSecond"] == 1
    cancelled = sqs.cancel_message_move_task(TaskHandle=handle)
    assert 0 <= cancelled["ApproximateNumberOfMessagesMoved"] < 10
    t = wait_task(sqs, queue_arn("mv-dlq"), "CANCELLED", timeout=10)[0]
    assert t["ApproximateNumberOfMessagesMoved"] < 10
    # Cancelling does not revert moved messages; the rest stay in the DLQ.
    remaining = int(attrs(sqs, dlq_url, "ApproximateNumberOfMessages")["ApproximateNumberOfMessages"])
    assert remaining + t["ApproximateNumberOfMessagesMoved"] == 10


def test_only_one_active_move_task_per_queue(sqs, redrive_pair):
    src_url, dlq_url = redrive_pair
    dead_letter(sqs, src_url, dlq_url, [f"x{i}" for i in range(5)])
    handle = sqs.start_message_move_task(SourceArn=queue_arn("mv-dlq"), MaxNumberOfMessagesPerSecond=1)["TaskHandle"]
    try:
        with raises_aws(("InvalidParameterValue", "UnsupportedOperation", "AWS.SimpleQueueService.UnsupportedOperation")):
            sqs.start_message_move_task(SourceArn=queue_arn("mv-dlq"))
    finally:
        sqs.cancel_message_move_task(TaskHandle=handle)


def test_start_move_task_from_missing_queue_fails_with_resource_not_found(sqs):
    # ResourceNotFoundException is HTTP 404 in AWS's Smithy model.
    with raises_aws("ResourceNotFoundException", status=(400, 404)) as info:
        sqs.start_message_move_task(SourceArn=queue_arn("no-such-queue"))
    assert isinstance(info.value, sqs.exceptions.ResourceNotFoundException)


def test_start_move_task_from_queue_that_is_not_a_dlq_is_rejected(sqs):
    sqs.create_queue(QueueName="just-a-queue")
    # AWS: InvalidParameterValue "Source queue must be configured as a Dead Letter Queue."
    with raises_aws("InvalidParameterValue"):
        sqs.start_message_move_task(SourceArn=queue_arn("just-a-queue"))


def test_cancel_unknown_task_handle_fails_with_resource_not_found(sqs):
    with raises_aws(("ResourceNotFoundException", "InvalidParameterValue"), status=(400, 404)):
        sqs.cancel_message_move_task(TaskHandle="bm90LWEtdGFzaw==")


def test_list_move_tasks_of_missing_queue_fails_with_resource_not_found(sqs):
    with raises_aws("ResourceNotFoundException", status=(400, 404)):
        sqs.list_message_move_tasks(SourceArn=queue_arn("no-such-queue"))
