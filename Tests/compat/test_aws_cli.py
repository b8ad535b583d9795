"""The AWS CLI (`aws sqs ...`) against Herald, with only --endpoint-url changed."""

from __future__ import annotations

import json

from herald_compat import md5_hex, queue_url


def test_cli_create_queue_and_list_queues(aws_cli, endpoint):
    out = aws_cli("sqs", "create-queue", "--queue-name", "cli-q", "--attributes", "VisibilityTimeout=45")
    assert out == {"QueueUrl": queue_url(endpoint, "cli-q")}
    assert aws_cli("sqs", "list-queues")["QueueUrls"] == [queue_url(endpoint, "cli-q")]


def test_cli_send_receive_delete_round_trip(aws_cli, endpoint):
    url = aws_cli("sqs", "create-queue", "--queue-name", "cli-msgs")["QueueUrl"]
    sent = aws_cli("sqs", "send-message", "--queue-url", url, "--message-body", "from the cli",
                   "--message-attributes", json.dumps({"k": {"DataType": "String", "StringValue": "v"}}))
    assert sent["MD5OfMessageBody"] == md5_hex("from the cli")
    got = aws_cli("sqs", "receive-message", "--queue-url", url, "--wait-time-seconds", "1",
                  "--message-attribute-names", "All", "--attribute-names", "All")
    [m] = got["Messages"]
    assert m["MessageId"] == sent["MessageId"]
    assert m["Body"] == "from the cli"
    assert m["MessageAttributes"] == {"k": {"DataType": "String", "StringValue": "v"}}
    assert m["Attributes"]["ApproximateReceiveCount"] == "1"
    aws_cli("sqs", "delete-message", "--queue-url", url, "--receipt-handle", m["ReceiptHandle"])
    attrs = aws_cli("sqs", "get-queue-attributes", "--queue-url", url, "--attribute-names",
                    "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible")["Attributes"]
    assert attrs == {"ApproximateNumberOfMessages": "0", "ApproximateNumberOfMessagesNotVisible": "0"}


def test_cli_get_queue_attributes_all(aws_cli):
    url = aws_cli("sqs", "create-queue", "--queue-name", "cli-attrs", "--attributes", "DelaySeconds=4")["QueueUrl"]
    attrs = aws_cli("sqs", "get-queue-attributes", "--queue-url", url, "--attribute-names", "All")["Attributes"]
    assert attrs["DelaySeconds"] == "4"
    assert attrs["QueueArn"] == "arn:aws:sqs:us-east-1:000000000000:cli-attrs"


def test_cli_receive_on_empty_queue_prints_nothing(aws_cli):
    url = aws_cli("sqs", "create-queue", "--queue-name", "cli-empty")["QueueUrl"]
    assert aws_cli("sqs", "receive-message", "--queue-url", url).get("Messages", []) == []


def test_cli_purge_queue(aws_cli):
    url = aws_cli("sqs", "create-queue", "--queue-name", "cli-purge")["QueueUrl"]
    for i in range(3):
        aws_cli("sqs", "send-message", "--queue-url", url, "--message-body", f"m{i}")
    aws_cli("sqs", "purge-queue", "--queue-url", url)
    attrs = aws_cli("sqs", "get-queue-attributes", "--queue-url", url, "--attribute-names", "ApproximateNumberOfMessages")
    assert attrs["Attributes"] == {"ApproximateNumberOfMessages": "0"}


def test_cli_get_queue_url(aws_cli, endpoint):
    aws_cli("sqs", "create-queue", "--queue-name", "cli-url")
    assert aws_cli("sqs", "get-queue-url", "--queue-name", "cli-url") == {"QueueUrl": queue_url(endpoint, "cli-url")}


def test_cli_missing_queue_exits_non_zero_with_aws_error_code(aws_cli):
    p = aws_cli.run_raw("sqs", "get-queue-url", "--queue-name", "cli-missing")
    assert p.returncode != 0  # 254 (v2) / 255 (v1): the service returned an error
    assert "AWS.SimpleQueueService.NonExistentQueue" in p.stderr or "QueueDoesNotExist" in p.stderr


def test_cli_send_message_batch_and_delete_queue(aws_cli, endpoint):
    url = aws_cli("sqs", "create-queue", "--queue-name", "cli-batch")["QueueUrl"]
    out = aws_cli("sqs", "send-message-batch", "--queue-url", url, "--entries",
                  json.dumps([{"Id": "a", "MessageBody": "1"}, {"Id": "b", "MessageBody": "2"}]))
    assert sorted(e["Id"] for e in out["Successful"]) == ["a", "b"]
    aws_cli("sqs", "delete-queue", "--queue-url", url)
    assert aws_cli("sqs", "list-queues").get("QueueUrls", []) == []


def test_cli_fifo_queue(aws_cli):
    url = aws_cli("sqs", "create-queue", "--queue-name", "cli.fifo", "--attributes",
                  "FifoQueue=true,ContentBasedDeduplication=true")["QueueUrl"]
    sent = aws_cli("sqs", "send-message", "--queue-url", url, "--message-body", "ordered", "--message-group-id", "g")
    assert sent["SequenceNumber"]
    got = aws_cli("sqs", "receive-message", "--queue-url", url, "--wait-time-seconds", "1")
    assert [m["Body"] for m in got["Messages"]] == ["ordered"]
