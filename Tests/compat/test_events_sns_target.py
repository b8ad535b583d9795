"""SNS topics as EventBridge rule targets: the event (after Input, InputPath or InputTransformer) is published
to the topic as the SNS Message, so every subscription receives it as from any Publish — the JSON envelope, or
the event itself with RawMessageDelivery. A topic that does not exist is retried under the target's
RetryPolicy and then dead-lettered; a FIFO topic takes its message group from SqsParameters.MessageGroupId.

Written from AWS's documentation ("Amazon EventBridge targets", "Event retry policy and using dead-letter
queues", SNS "Amazon SQS message format") and botocore's `events` and `sns` models, not from Herald's code.
"""

from __future__ import annotations

import json

from herald_compat import (
    drain,
    event_entry,
    make_queue,
    put_ok,
    rule_arn,
    sns_envelopes,
    sns_subscribe_queue,
    topic_arn,
)
from sns_receivers import SignatureVerifier

ORDERS = {"source": ["com.example.orders"]}


def rule_to_topic(events, rule: str, topic: str, **target) -> None:
    """A rule matching ORDERS with one target, the topic `topic` (an ARN)."""
    events.put_rule(Name=rule, EventPattern=json.dumps(ORDERS))
    r = events.put_targets(Rule=rule, Targets=[{"Id": target.pop("Id", "topic"), "Arn": topic, **target}])
    assert r["FailedEntryCount"] == 0, r


def attr(message: dict, name: str) -> str | None:
    value = message.get("MessageAttributes", {}).get(name)
    return None if value is None else value["StringValue"]


# ---------------------------------------------------------------------------------- fan-out


def test_event_arrives_as_the_message_of_the_sns_envelope(herald, events, sns, sqs):
    topic = sns.create_topic(Name="orders")["TopicArn"]
    url, _ = sns_subscribe_queue(sns, sqs, topic, "orders-inbox")
    rule_to_topic(events, "to-topic", topic)

    [eid] = put_ok(events, event_entry(detail={"order": 7}))

    [envelope] = sns_envelopes(sqs, url, 1)
    assert envelope["Type"] == "Notification"
    assert envelope["TopicArn"] == topic
    event = json.loads(envelope["Message"])
    assert event["id"] == eid
    assert event["source"] == "com.example.orders"
    assert event["detail-type"] == "OrderPlaced"
    assert event["detail"] == {"order": 7}
    assert event["account"] == "000000000000"
    assert event["region"] == "us-east-1"
    SignatureVerifier(herald.endpoint).verify(envelope)


def test_raw_delivery_subscription_receives_the_event_itself(events, sns, sqs):
    topic = sns.create_topic(Name="orders")["TopicArn"]
    url, _ = sns_subscribe_queue(sns, sqs, topic, "raw-inbox", RawMessageDelivery="true")
    rule_to_topic(events, "to-topic", topic)

    [eid] = put_ok(events, event_entry(detail={"order": 8}))

    [m] = drain(sqs, url, 1)
    event = json.loads(m["Body"])
    assert event["id"] == eid
    assert event["detail"] == {"order": 8}


def test_every_subscription_of_the_topic_gets_the_event(events, sns, sqs, sns_receiver_factory):
    topic = sns.create_topic(Name="orders")["TopicArn"]
    first, _ = sns_subscribe_queue(sns, sqs, topic, "first-inbox")
    second, _ = sns_subscribe_queue(sns, sqs, topic, "second-inbox", RawMessageDelivery="true")
    receiver = sns_receiver_factory(auto_confirm=True)
    sns.subscribe(TopicArn=topic, Protocol="http", Endpoint=receiver.url())
    receiver.wait_confirmed(1)
    rule_to_topic(events, "to-topic", topic)

    [eid] = put_ok(events, event_entry(detail={"order": 9}))

    [envelope] = sns_envelopes(sqs, first, 1)
    assert json.loads(envelope["Message"])["id"] == eid
    [raw] = drain(sqs, second, 1)
    assert json.loads(raw["Body"])["id"] == eid
    [post] = receiver.wait_for(1, "Notification")
    assert post.verified, post.verify_error
    assert json.loads(post.json()["Message"])["id"] == eid


def test_input_transformer_shapes_the_message(events, sns, sqs):
    topic = sns.create_topic(Name="orders")["TopicArn"]
    raw, _ = sns_subscribe_queue(sns, sqs, topic, "raw-inbox", RawMessageDelivery="true")
    wrapped, _ = sns_subscribe_queue(sns, sqs, topic, "wrapped-inbox")
    rule_to_topic(events, "to-topic", topic, InputTransformer={
        "InputPathsMap": {"order": "$.detail.order", "kind": "$.detail-type"},
        "InputTemplate": '{"order": <order>, "kind": <kind>}',
    })

    put_ok(events, event_entry(detail={"order": 10}))

    [m] = drain(sqs, raw, 1)
    assert json.loads(m["Body"]) == {"order": 10, "kind": "OrderPlaced"}
    [envelope] = sns_envelopes(sqs, wrapped, 1)
    assert json.loads(envelope["Message"]) == {"order": 10, "kind": "OrderPlaced"}


def test_input_path_publishes_the_selected_part(events, sns, sqs):
    topic = sns.create_topic(Name="orders")["TopicArn"]
    url, _ = sns_subscribe_queue(sns, sqs, topic, "raw-inbox", RawMessageDelivery="true")
    rule_to_topic(events, "to-topic", topic, InputPath="$.detail")

    put_ok(events, event_entry(detail={"order": 11, "lines": [1, 2]}))

    [m] = drain(sqs, url, 1)
    assert json.loads(m["Body"]) == {"order": 11, "lines": [1, 2]}


def test_subscription_filter_policy_on_the_body_sees_the_event(events, sns, sqs):
    topic = sns.create_topic(Name="orders")["TopicArn"]
    big, _ = sns_subscribe_queue(sns, sqs, topic, "big-orders", RawMessageDelivery="true",
                                 FilterPolicyScope="MessageBody",
                                 FilterPolicy=json.dumps({"detail": {"total": [{"numeric": [">", 100]}]}}))
    rule_to_topic(events, "to-topic", topic)

    small_id, large_id = put_ok(events, event_entry(detail={"total": 5}), event_entry(detail={"total": 500}))

    [m] = drain(sqs, big, 1)
    assert json.loads(m["Body"])["id"] == large_id != small_id


# ---------------------------------------------------------------------------------- failures


def test_missing_topic_sends_the_event_straight_to_the_dlq(events, sqs):
    dlq_url, dlq_arn = make_queue(sqs, "events-dlq")
    missing = topic_arn("does-not-exist")
    # The default RetryPolicy would retry for a day: only a failure that is not retried reaches the DLQ in time.
    rule_to_topic(events, "to-nowhere", missing, DeadLetterConfig={"Arn": dlq_arn})

    [eid] = put_ok(events, event_entry(detail={"lost": True}))

    [m] = drain(sqs, dlq_url, 1, timeout=30, MessageAttributeNames=["All"])
    assert json.loads(m["Body"])["id"] == eid
    assert attr(m, "RULE_ARN") == rule_arn("to-nowhere")
    assert attr(m, "TARGET_ARN") == missing
    assert attr(m, "ERROR_CODE") == "NO_RESOURCE"
    assert "does-not-exist" in attr(m, "ERROR_MESSAGE")


# ---------------------------------------------------------------------------------- targets


def test_put_targets_with_a_topic_arn_is_listed(events, sns):
    topic = sns.create_topic(Name="orders")["TopicArn"]
    rule_to_topic(events, "to-topic", topic, Id="notify", Input='{"fixed": true}')

    [target] = events.list_targets_by_rule(Rule="to-topic")["Targets"]
    assert target["Id"] == "notify"
    assert target["Arn"] == topic
    assert target["Input"] == '{"fixed": true}'
    assert events.list_rule_names_by_target(TargetArn=topic)["RuleNames"] == ["to-topic"]


def test_topic_need_not_exist_when_the_target_is_put(events):
    rule_to_topic(events, "to-future", topic_arn("future"))
    [target] = events.list_targets_by_rule(Rule="to-future")["Targets"]
    assert target["Arn"] == topic_arn("future")


def test_fifo_topic_target_without_message_group_id_is_refused(events, sns):
    topic = sns.create_topic(Name="orders.fifo", Attributes={"FifoTopic": "true"})["TopicArn"]
    events.put_rule(Name="to-fifo", EventPattern=json.dumps(ORDERS))

    r = events.put_targets(Rule="to-fifo", Targets=[{"Id": "fifo", "Arn": topic}])

    assert r["FailedEntryCount"] == 1
    [failed] = r["FailedEntries"]
    assert failed["TargetId"] == "fifo"
    assert failed["ErrorCode"] == "ValidationException"
    assert "SqsParameters" in failed["ErrorMessage"]
    assert events.list_targets_by_rule(Rule="to-fifo")["Targets"] == []


def test_fifo_topic_target_publishes_in_order_in_its_group(events, sns, sqs):
    topic = sns.create_topic(Name="orders.fifo", Attributes={"FifoTopic": "true"})["TopicArn"]
    url, _ = sns_subscribe_queue(sns, sqs, topic, "orders-inbox.fifo", {"FifoQueue": "true"},
                                 RawMessageDelivery="true")
    rule_to_topic(events, "to-fifo", topic, SqsParameters={"MessageGroupId": "orders"})
    [target] = events.list_targets_by_rule(Rule="to-fifo")["Targets"]
    assert target["SqsParameters"] == {"MessageGroupId": "orders"}

    ids = []
    for seq in range(4):
        ids += put_ok(events, event_entry(detail={"seq": seq}))

    got = drain(sqs, url, 4, timeout=20, MessageSystemAttributeNames=["MessageGroupId", "MessageDeduplicationId"])
    assert [m["Attributes"]["MessageGroupId"] for m in got] == ["orders"] * 4
    # The event id is the deduplication id, so an event delivered again is published once.
    assert [m["Attributes"]["MessageDeduplicationId"] for m in got] == ids
    assert [json.loads(m["Body"])["detail"]["seq"] for m in got] == [0, 1, 2, 3]


def test_unsupported_target_kinds_are_still_refused(events):
    events.put_rule(Name="to-lambda", EventPattern=json.dumps(ORDERS))
    r = events.put_targets(Rule="to-lambda", Targets=[
        {"Id": "fn", "Arn": "arn:aws:lambda:us-east-1:000000000000:function:f"},
        {"Id": "sub", "Arn": topic_arn("orders") + ":0f3a8c1e-3f44-4c1e-9f3c-1e2d3c4b5a69"},
    ])
    assert r["FailedEntryCount"] == 2
    assert {f["TargetId"] for f in r["FailedEntries"]} == {"fn", "sub"}
    assert all(f["ErrorCode"] == "ValidationException" for f in r["FailedEntries"])
