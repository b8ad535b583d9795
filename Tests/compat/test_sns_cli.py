"""The AWS CLI (`aws sns ...`) against Herald, with only --endpoint-url changed."""

from __future__ import annotations

import json

from herald_compat import make_queue, receive_bodies, topic_arn


def test_cli_create_topic_and_list_topics(aws_cli):
    assert aws_cli("sns", "create-topic", "--name", "cli-topic") == {"TopicArn": topic_arn("cli-topic")}
    assert aws_cli("sns", "list-topics")["Topics"] == [{"TopicArn": topic_arn("cli-topic")}]
    attrs = aws_cli("sns", "get-topic-attributes", "--topic-arn", topic_arn("cli-topic"))["Attributes"]
    assert attrs["TopicArn"] == topic_arn("cli-topic")


def test_cli_subscribe_publish_and_list_subscriptions(aws_cli, sqs):
    url, qarn = make_queue(sqs, "cli-q")
    topic = aws_cli("sns", "create-topic", "--name", "cli-pub")["TopicArn"]
    sub = aws_cli("sns", "subscribe", "--topic-arn", topic, "--protocol", "sqs",
                  "--notification-endpoint", qarn)["SubscriptionArn"]
    assert sub.startswith(topic + ":")
    subs = aws_cli("sns", "list-subscriptions")["Subscriptions"]
    assert subs == [{"SubscriptionArn": sub, "Owner": "000000000000", "Protocol": "sqs",
                     "Endpoint": qarn, "TopicArn": topic}]
    assert aws_cli("sns", "list-subscriptions-by-topic", "--topic-arn", topic)["Subscriptions"] == subs
    out = aws_cli("sns", "publish", "--topic-arn", topic, "--message", "from the cli", "--subject", "CLI",
                  "--message-attributes", json.dumps({"via": {"DataType": "String", "StringValue": "cli"}}))
    [env] = receive_bodies(sqs, url, 1)
    assert env["MessageId"] == out["MessageId"]
    assert env["Message"] == "from the cli"
    assert env["Subject"] == "CLI"
    assert env["MessageAttributes"] == {"via": {"Type": "String", "Value": "cli"}}


def test_cli_set_subscription_attributes_and_unsubscribe(aws_cli, sqs):
    _, qarn = make_queue(sqs, "cli-attrs")
    topic = aws_cli("sns", "create-topic", "--name", "cli-attrs")["TopicArn"]
    sub = aws_cli("sns", "subscribe", "--topic-arn", topic, "--protocol", "sqs",
                  "--notification-endpoint", qarn)["SubscriptionArn"]
    aws_cli("sns", "set-subscription-attributes", "--subscription-arn", sub,
            "--attribute-name", "RawMessageDelivery", "--attribute-value", "true")
    a = aws_cli("sns", "get-subscription-attributes", "--subscription-arn", sub)["Attributes"]
    assert a["RawMessageDelivery"] == "true"
    aws_cli("sns", "unsubscribe", "--subscription-arn", sub)
    assert aws_cli("sns", "list-subscriptions").get("Subscriptions", []) == []


def test_cli_missing_topic_exits_non_zero_with_not_found(aws_cli):
    p = aws_cli.run_raw("sns", "get-topic-attributes", "--topic-arn", topic_arn("cli-missing"))
    assert p.returncode != 0
    assert "NotFound" in p.stderr
