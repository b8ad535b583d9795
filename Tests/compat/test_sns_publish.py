"""SNS Publish and PublishBatch to SQS subscriptions: the JSON envelope, raw delivery, message
attributes, MessageStructure=json, batches, FIFO ordering and deduplication, limits and errors.

Written from botocore's `sns` model and AWS's documentation ("Amazon SNS message attributes",
"Amazon SQS message format", "Message filtering", "FIFO topics", Publish/PublishBatch reference),
not from Herald's code.
"""

from __future__ import annotations

import base64
import json
import re
from urllib.parse import parse_qs, urlsplit

import pytest

from herald_compat import (
    assert_queue_stays_empty,
    drain,
    raises_aws,
    sns_envelopes,
    sns_subscribe_queue,
    topic_arn,
)
from sns_receivers import SignatureVerifier

UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
MAX_MESSAGE = 262_144  # 256 KiB, AWS's Publish limit


def _attrs_in() -> dict:
    return {
        "color": {"DataType": "String", "StringValue": "blue"},
        "count": {"DataType": "Number", "StringValue": "42"},
        "blob": {"DataType": "Binary", "BinaryValue": b"\x00\x01binary\xff"},
        "tags": {"DataType": "String.Array", "StringValue": json.dumps(["a", "b"])},
    }


# --------------------------------------------------------------------------------------------
# the SQS envelope
# --------------------------------------------------------------------------------------------

def test_sqs_envelope_fields(herald, sns, sqs):
    topic = sns.create_topic(Name="envelope")["TopicArn"]
    url, sub = sns_subscribe_queue(sns, sqs, topic, "envelope-q")
    resp = sns.publish(TopicArn=topic, Message="hello, queue", Subject="Greeting", MessageAttributes=_attrs_in())
    mid = resp["MessageId"]
    assert UUID.match(mid), mid
    [env] = sns_envelopes(sqs, url, 1)
    assert env["Type"] == "Notification"
    assert env["MessageId"] == mid
    assert env["TopicArn"] == topic
    assert env["Subject"] == "Greeting"
    assert env["Message"] == "hello, queue"
    assert TIMESTAMP.match(env["Timestamp"]), env["Timestamp"]
    assert env["SignatureVersion"] == "1"
    assert base64.b64decode(env["Signature"], validate=True)
    netloc = urlsplit(herald.endpoint).netloc
    assert urlsplit(env["SigningCertURL"]).netloc == netloc
    unsub = urlsplit(env["UnsubscribeURL"])
    assert unsub.netloc == netloc
    q = parse_qs(unsub.query)
    assert q["Action"] == ["Unsubscribe"]
    assert q["SubscriptionArn"] == [sub]
    assert env["MessageAttributes"] == {
        "color": {"Type": "String", "Value": "blue"},
        "count": {"Type": "Number", "Value": "42"},
        "blob": {"Type": "Binary", "Value": base64.b64encode(b"\x00\x01binary\xff").decode()},
        "tags": {"Type": "String.Array", "Value": json.dumps(["a", "b"])},
    }
    # The envelope's signature verifies the way a receiver verifies AWS's.
    SignatureVerifier(herald.endpoint).verify(env)


def test_envelope_without_subject_has_no_subject(herald, sns, sqs):
    topic = sns.create_topic(Name="no-subject")["TopicArn"]
    url, _ = sns_subscribe_queue(sns, sqs, topic, "no-subject-q")
    sns.publish(TopicArn=topic, Message="plain")
    [env] = sns_envelopes(sqs, url, 1)
    assert env.get("Subject") is None
    assert env["Message"] == "plain"
    SignatureVerifier(herald.endpoint).verify(env)


def test_signature_version_2_envelope_verifies_with_sha256(herald, sns, sqs):
    topic = sns.create_topic(Name="sigv2", Attributes={"SignatureVersion": "2"})["TopicArn"]
    url, _ = sns_subscribe_queue(sns, sqs, topic, "sigv2-q")
    sns.publish(TopicArn=topic, Message="signed with sha256", Subject="v2")
    [env] = sns_envelopes(sqs, url, 1)
    assert env["SignatureVersion"] == "2"
    SignatureVerifier(herald.endpoint).verify(env)
    # A tampered message does not verify: the verifier really checks.
    env["Message"] = "tampered"
    with pytest.raises(AssertionError):
        SignatureVerifier(herald.endpoint).verify(env)


def test_fan_out_to_several_queues_carries_one_message_id(sns, sqs):
    topic = sns.create_topic(Name="fanout")["TopicArn"]
    urls = [sns_subscribe_queue(sns, sqs, topic, f"fanout-{i}")[0] for i in range(3)]
    mid = sns.publish(TopicArn=topic, Message="to all")["MessageId"]
    for url in urls:
        [env] = sns_envelopes(sqs, url, 1)
        assert (env["MessageId"], env["Message"]) == (mid, "to all")


def test_publish_without_subscriptions_succeeds(sns):
    topic = sns.create_topic(Name="lonely")["TopicArn"]
    assert UUID.match(sns.publish(TopicArn=topic, Message="nobody listens")["MessageId"])


# --------------------------------------------------------------------------------------------
# raw delivery
# --------------------------------------------------------------------------------------------

def test_raw_delivery_puts_body_as_is_and_maps_attributes(sns, sqs):
    topic = sns.create_topic(Name="raw")["TopicArn"]
    url, _ = sns_subscribe_queue(sns, sqs, topic, "raw-q", RawMessageDelivery="true")
    body = '{"order": 17, "note": "not wrapped"}'
    sns.publish(TopicArn=topic, Message=body, Subject="ignored in raw", MessageAttributes=_attrs_in())
    [m] = drain(sqs, url, 1, MessageAttributeNames=["All"])
    assert m["Body"] == body
    got = m["MessageAttributes"]
    assert got["color"] == {"DataType": "String", "StringValue": "blue"}
    assert got["count"] == {"DataType": "Number", "StringValue": "42"}
    assert got["blob"]["DataType"] == "Binary"
    assert got["blob"]["BinaryValue"] == b"\x00\x01binary\xff"
    assert got["tags"]["DataType"] == "String.Array"
    assert json.loads(got["tags"]["StringValue"]) == ["a", "b"]


def test_raw_and_enveloped_subscriptions_side_by_side(sns, sqs):
    topic = sns.create_topic(Name="mixed")["TopicArn"]
    raw_url, _ = sns_subscribe_queue(sns, sqs, topic, "mixed-raw", RawMessageDelivery="true")
    env_url, _ = sns_subscribe_queue(sns, sqs, topic, "mixed-env")
    sns.publish(TopicArn=topic, Message="same message")
    assert [m["Body"] for m in drain(sqs, raw_url, 1)] == ["same message"]
    assert [e["Message"] for e in sns_envelopes(sqs, env_url, 1)] == ["same message"]


# --------------------------------------------------------------------------------------------
# MessageStructure=json
# --------------------------------------------------------------------------------------------

def test_message_structure_json_selects_the_sqs_message(sns, sqs):
    topic = sns.create_topic(Name="structured")["TopicArn"]
    url, _ = sns_subscribe_queue(sns, sqs, topic, "structured-q")
    raw_url, _ = sns_subscribe_queue(sns, sqs, topic, "structured-raw", RawMessageDelivery="true")
    msg = {"default": "for everyone", "sqs": "for queues", "http": "for web hooks", "email": "for people"}
    sns.publish(TopicArn=topic, Message=json.dumps(msg), MessageStructure="json")
    assert [e["Message"] for e in sns_envelopes(sqs, url, 1)] == ["for queues"]
    assert [m["Body"] for m in drain(sqs, raw_url, 1)] == ["for queues"]


def test_message_structure_json_falls_back_to_default(sns, sqs):
    topic = sns.create_topic(Name="structured-default")["TopicArn"]
    url, _ = sns_subscribe_queue(sns, sqs, topic, "structured-default-q")
    sns.publish(TopicArn=topic, Message=json.dumps({"default": "fallback", "http": "not me"}),
                MessageStructure="json")
    assert [e["Message"] for e in sns_envelopes(sqs, url, 1)] == ["fallback"]


@pytest.mark.parametrize("message", [
    "not json at all",
    json.dumps({"sqs": "no default key"}),
    json.dumps(["default", "is", "not", "an", "object"]),
])
def test_message_structure_json_errors(sns, message):
    topic = sns.create_topic(Name="structured-bad")["TopicArn"]
    with raises_aws("InvalidParameter"):
        sns.publish(TopicArn=topic, Message=message, MessageStructure="json")


# --------------------------------------------------------------------------------------------
# limits and errors
# --------------------------------------------------------------------------------------------

def test_message_size_limit_is_256_kib_in_bytes(sns):
    topic = sns.create_topic(Name="limits")["TopicArn"]
    assert sns.publish(TopicArn=topic, Message="x" * MAX_MESSAGE)["MessageId"]
    with raises_aws("InvalidParameter"):
        sns.publish(TopicArn=topic, Message="x" * (MAX_MESSAGE + 1))
    # The limit counts UTF-8 bytes: 131,073 two-byte characters are 262,146 bytes.
    with raises_aws("InvalidParameter"):
        sns.publish(TopicArn=topic, Message="\u00e9" * (MAX_MESSAGE // 2 + 1))


def test_empty_message_is_invalid_parameter(sns):
    topic = sns.create_topic(Name="empty")["TopicArn"]
    with raises_aws("InvalidParameter"):
        sns.publish(TopicArn=topic, Message="")


@pytest.mark.parametrize("subject", ["line\nbreak", "tab\tcontrol", "x" * 101])
def test_bad_subject_is_invalid_parameter(sns, subject):
    topic = sns.create_topic(Name="subjects")["TopicArn"]
    with raises_aws("InvalidParameter"):
        sns.publish(TopicArn=topic, Message="m", Subject=subject)


def test_subject_under_100_characters_is_accepted(sns, sqs):
    # "Subjects must be ... less than 100 characters long."
    topic = sns.create_topic(Name="subject-99")["TopicArn"]
    url, _ = sns_subscribe_queue(sns, sqs, topic, "subject-99-q")
    sns.publish(TopicArn=topic, Message="m", Subject="Sub: ject! " + "s" * 88)
    assert [e["Subject"] for e in sns_envelopes(sqs, url, 1)] == ["Sub: ject! " + "s" * 88]


@pytest.mark.parametrize("attributes", [
    {"n": {"DataType": "Number", "StringValue": "not-a-number"}},
    {"x": {"DataType": "Float", "StringValue": "1.5"}},
    {"x": {"DataType": "String", "StringValue": ""}},
    {"x": {"DataType": "String"}},
    {"AWS.reserved": {"DataType": "String", "StringValue": "v"}},
    {"bad name!": {"DataType": "String", "StringValue": "v"}},
])
def test_bad_message_attributes_are_rejected(sns, attributes):
    topic = sns.create_topic(Name="bad-attrs")["TopicArn"]
    # AWS uses ParameterValueInvalid ("The message attribute 'n' ...") for most of these and
    # InvalidParameter for names; both are accepted.
    with raises_aws(("InvalidParameter", "ParameterValueInvalid")):
        sns.publish(TopicArn=topic, Message="m", MessageAttributes=attributes)


# --------------------------------------------------------------------------------------------
# PublishBatch
# --------------------------------------------------------------------------------------------

def test_publish_batch_delivers_each_entry(sns, sqs):
    topic = sns.create_topic(Name="batch")["TopicArn"]
    url, _ = sns_subscribe_queue(sns, sqs, topic, "batch-q")
    entries = [{"Id": f"e{i}", "Message": f"message {i}", "Subject": f"s{i}",
                "MessageAttributes": {"i": {"DataType": "Number", "StringValue": str(i)}}} for i in range(10)]
    resp = sns.publish_batch(TopicArn=topic, PublishBatchRequestEntries=entries)
    assert resp.get("Failed", []) == []
    ok = {e["Id"]: e["MessageId"] for e in resp["Successful"]}
    assert sorted(ok) == sorted(f"e{i}" for i in range(10))
    assert all(UUID.match(m) for m in ok.values())
    envs = sns_envelopes(sqs, url, 10)
    got = {e["MessageId"]: (e["Message"], e["Subject"], e["MessageAttributes"]["i"]["Value"]) for e in envs}
    assert got == {ok[f"e{i}"]: (f"message {i}", f"s{i}", str(i)) for i in range(10)}


def test_publish_batch_mixed_results(sns, sqs):
    topic = sns.create_topic(Name="batch-mixed")["TopicArn"]
    url, _ = sns_subscribe_queue(sns, sqs, topic, "batch-mixed-q", RawMessageDelivery="true")
    resp = sns.publish_batch(TopicArn=topic, PublishBatchRequestEntries=[
        {"Id": "good-1", "Message": "first"},
        {"Id": "bad", "Message": json.dumps({"no": "default"}), "MessageStructure": "json"},
        {"Id": "good-2", "Message": "second"},
    ])
    assert sorted(e["Id"] for e in resp["Successful"]) == ["good-1", "good-2"]
    [failed] = resp["Failed"]
    assert failed["Id"] == "bad"
    assert failed["Code"] == "InvalidParameter"
    assert failed["SenderFault"] is True
    assert sorted(m["Body"] for m in drain(sqs, url, 2)) == ["first", "second"]
    assert_queue_stays_empty(sqs, url, seconds=1.0)


def test_publish_batch_request_errors(sns):
    topic = sns.create_topic(Name="batch-errors")["TopicArn"]
    with raises_aws("TooManyEntriesInBatchRequest"):
        sns.publish_batch(TopicArn=topic, PublishBatchRequestEntries=[
            {"Id": f"e{i}", "Message": "m"} for i in range(11)])
    with raises_aws("EmptyBatchRequest"):
        sns.publish_batch(TopicArn=topic, PublishBatchRequestEntries=[])
    with raises_aws("BatchEntryIdsNotDistinct"):
        sns.publish_batch(TopicArn=topic, PublishBatchRequestEntries=[
            {"Id": "same", "Message": "a"}, {"Id": "same", "Message": "b"}])
    with raises_aws("InvalidBatchEntryId"):
        sns.publish_batch(TopicArn=topic, PublishBatchRequestEntries=[{"Id": "bad id!", "Message": "a"}])
    with raises_aws("InvalidBatchEntryId"):
        sns.publish_batch(TopicArn=topic, PublishBatchRequestEntries=[{"Id": "x" * 81, "Message": "a"}])
    # The whole batch is limited to 256 KiB, like a single message.
    with raises_aws("BatchRequestTooLong"):
        sns.publish_batch(TopicArn=topic, PublishBatchRequestEntries=[
            {"Id": "big1", "Message": "x" * 150_000}, {"Id": "big2", "Message": "y" * 150_000}])
    with raises_aws("NotFound", 404):
        sns.publish_batch(TopicArn=topic_arn("no-such-topic"), PublishBatchRequestEntries=[{"Id": "a", "Message": "m"}])


# --------------------------------------------------------------------------------------------
# FIFO topics to FIFO queues
# --------------------------------------------------------------------------------------------

def _fifo_topic(sns, name: str, cbd: bool = False) -> str:
    attributes = {"FifoTopic": "true"}
    if cbd:
        attributes["ContentBasedDeduplication"] = "true"
    return sns.create_topic(Name=name, Attributes=attributes)["TopicArn"]


def _fifo_queue_sub(sns, sqs, topic: str, name: str, raw: bool = True) -> str:
    url, _ = sns_subscribe_queue(sns, sqs, topic, name, {"FifoQueue": "true"},
                                 **({"RawMessageDelivery": "true"} if raw else {}))
    return url


def _receive_in_order(sqs, url: str, expected: int, timeout: float = 15.0) -> list[dict]:
    """Receive and delete FIFO messages one batch at a time, preserving the order the queue gives."""
    import time
    out: list[dict] = []
    deadline = time.monotonic() + timeout
    while len(out) < expected and time.monotonic() < deadline:
        resp = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=1,
                                   AttributeNames=["All"], MessageAttributeNames=["All"])
        for m in resp.get("Messages", []):
            out.append(m)
            sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])
    return out


def test_fifo_keeps_group_order(sns, sqs):
    topic = _fifo_topic(sns, "ordered.fifo")
    url = _fifo_queue_sub(sns, sqs, topic, "ordered.fifo")
    seqs: dict[str, list[int]] = {"A": [], "B": []}
    for i in range(12):
        group = "A" if i % 2 == 0 else "B"
        r = sns.publish(TopicArn=topic, Message=f"{group}-{i}", MessageGroupId=group,
                        MessageDeduplicationId=f"d{i}")
        assert r["MessageId"]
        assert r["SequenceNumber"].isdigit()
        seqs[group].append(int(r["SequenceNumber"]))
    for group in seqs:
        assert seqs[group] == sorted(seqs[group]) and len(set(seqs[group])) == 6
    msgs = _receive_in_order(sqs, url, 12)
    by_group: dict[str, list[str]] = {"A": [], "B": []}
    for m in msgs:
        by_group[m["Attributes"]["MessageGroupId"]].append(m["Body"])
    assert by_group == {"A": [f"A-{i}" for i in range(0, 12, 2)], "B": [f"B-{i}" for i in range(1, 12, 2)]}


def test_fifo_envelope_carries_sequence_number(sns, sqs):
    topic = _fifo_topic(sns, "fifo-env.fifo")
    url = _fifo_queue_sub(sns, sqs, topic, "fifo-env.fifo", raw=False)
    r = sns.publish(TopicArn=topic, Message="m", MessageGroupId="g", MessageDeduplicationId="one")
    [m] = _receive_in_order(sqs, url, 1)
    env = json.loads(m["Body"])
    assert env["MessageId"] == r["MessageId"]
    assert env["SequenceNumber"] == r["SequenceNumber"]
    assert m["Attributes"]["MessageGroupId"] == "g"
    assert m["Attributes"]["MessageDeduplicationId"] == "one"


def test_fifo_deduplication_id_suppresses_duplicates(sns, sqs):
    topic = _fifo_topic(sns, "dedup.fifo")
    url = _fifo_queue_sub(sns, sqs, topic, "dedup.fifo")
    for body in ("first", "second copy, same id", "third"):
        dedup = "same" if body != "third" else "other"
        assert sns.publish(TopicArn=topic, Message=body, MessageGroupId="g", MessageDeduplicationId=dedup)["MessageId"]
    # Ask for one more than expected: the bounded wait shows no duplicate arrives.
    assert [m["Body"] for m in _receive_in_order(sqs, url, 3, timeout=3)] == ["first", "third"]


def test_fifo_content_based_deduplication(sns, sqs):
    topic = _fifo_topic(sns, "cbd.fifo", cbd=True)
    url = _fifo_queue_sub(sns, sqs, topic, "cbd.fifo")
    for body in ("alpha", "alpha", "beta", "alpha"):
        sns.publish(TopicArn=topic, Message=body, MessageGroupId="g")
    # An explicit id overrides the content hash.
    sns.publish(TopicArn=topic, Message="alpha", MessageGroupId="g", MessageDeduplicationId="explicit")
    # Ask for one more than expected: the bounded wait shows no duplicate arrives.
    assert [m["Body"] for m in _receive_in_order(sqs, url, 4, timeout=3)] == ["alpha", "beta", "alpha"]


def test_fifo_publish_batch_keeps_order(sns, sqs):
    topic = _fifo_topic(sns, "batch-order.fifo")
    url = _fifo_queue_sub(sns, sqs, topic, "batch-order.fifo")
    resp = sns.publish_batch(TopicArn=topic, PublishBatchRequestEntries=[
        {"Id": f"e{i}", "Message": f"m{i}", "MessageGroupId": "g", "MessageDeduplicationId": f"d{i}"}
        for i in range(10)])
    assert resp.get("Failed", []) == []
    assert all(e.get("SequenceNumber") for e in resp["Successful"])
    assert [m["Body"] for m in _receive_in_order(sqs, url, 10)] == [f"m{i}" for i in range(10)]


def test_fifo_publish_errors(sns):
    topic = _fifo_topic(sns, "fifo-errors.fifo")
    with raises_aws("InvalidParameter"):
        sns.publish(TopicArn=topic, Message="no group", MessageDeduplicationId="d")
    with raises_aws("InvalidParameter"):
        # Neither ContentBasedDeduplication nor MessageDeduplicationId.
        sns.publish(TopicArn=topic, Message="no dedup", MessageGroupId="g")


# --------------------------------------------------------------------------------------------
# dead-lettering for sqs subscriptions
# --------------------------------------------------------------------------------------------

def test_message_for_deleted_queue_goes_to_the_subscription_dlq(sns, sqs):
    """"Client-side errors" (AWS's example: the subscribed endpoint was deleted) are not retried; with
    a RedrivePolicy the message goes to the dead-letter queue."""
    from herald_compat import make_queue

    dlq_url, dlq_arn = make_queue(sqs, "deleted-target-dlq")
    topic = sns.create_topic(Name="deleted-target")["TopicArn"]
    url, _ = sns_subscribe_queue(sns, sqs, topic, "deleted-target-q",
                                 RedrivePolicy=json.dumps({"deadLetterTargetArn": dlq_arn}))
    sqs.delete_queue(QueueUrl=url)
    mid = sns.publish(TopicArn=topic, Message="nowhere to go")["MessageId"]
    [m] = drain(sqs, dlq_url, 1, timeout=20)
    try:
        body = json.loads(m["Body"])
    except ValueError:
        body = m["Body"]
    if isinstance(body, dict):
        assert (body["Message"], body["MessageId"]) == ("nowhere to go", mid)
    else:
        assert body == "nowhere to go"
