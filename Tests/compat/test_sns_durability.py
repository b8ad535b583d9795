"""SNS durability: a Publish that returned a MessageId reaches every matching subscription at least
once, even when the server is killed with SIGKILL right after answering; topics and subscriptions
survive restarts. Each test runs its own server (herald_factory)."""

from __future__ import annotations

import json

from herald_compat import make_queue, make_sns_client, make_sqs_client, receive_all
from sns_receivers import SnsHttpReceiver, subscribe_http


def _receiver(server) -> SnsHttpReceiver:
    return SnsHttpReceiver(server.endpoint).start()


def test_published_messages_reach_sqs_and_http_after_kill_9(herald_factory):
    server = herald_factory("sns-kill9")
    sns, sqs = make_sns_client(server.endpoint), make_sqs_client(server.endpoint)
    receiver = _receiver(server)
    try:
        topic = sns.create_topic(Name="durable")["TopicArn"]
        url, qarn = make_queue(sqs, "durable-q", {"VisibilityTimeout": "30"})
        sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=qarn, Attributes={"RawMessageDelivery": "true"})
        subscribe_http(sns, topic, receiver)
        receiver.delay = 0.1  # a slowish endpoint: HTTP deliveries are still owed when the kill comes

        sent: dict[str, str] = {}
        for i in range(20):
            sent[sns.publish(TopicArn=topic, Message=f"single-{i}")["MessageId"]] = f"single-{i}"
        for b in range(2):
            r = sns.publish_batch(TopicArn=topic, PublishBatchRequestEntries=[
                {"Id": f"e{i}", "Message": f"batch-{b}-{i}"} for i in range(10)])
            assert r.get("Failed", []) == []
            for e in r["Successful"]:
                sent[e["MessageId"]] = f"batch-{b}-{e['Id'][1:]}"
        server.kill9()  # right after the last Publish returned
        receiver.delay = 0.0
        server.start()
        sqs = make_sqs_client(server.endpoint)

        got = receive_all(sqs, url, len(sent), timeout=30)
        assert sorted(m["Body"] for m in got) == sorted(sent.values())
        receiver.wait_for(len(sent), "Notification", status=200, timeout=30)
        delivered = {r.headers["x-amz-sns-message-id"]: r.json()["Message"] for r in receiver.notifications()}
        assert delivered == sent  # at least once: duplicates collapse onto the same MessageId
        assert all(r.verified for r in receiver.notifications())
    finally:
        receiver.stop()


def test_pending_http_retry_survives_kill_9(herald_factory):
    server = herald_factory("sns-retry-kill9")
    sns = make_sns_client(server.endpoint)
    receiver = _receiver(server)
    try:
        topic = sns.create_topic(Name="retry-durable")["TopicArn"]
        policy = {"healthyRetryPolicy": {"numRetries": 20, "minDelayTarget": 1, "maxDelayTarget": 1,
                                         "numNoDelayRetries": 0, "numMinDelayRetries": 0,
                                         "numMaxDelayRetries": 0, "backoffFunction": "linear"}}
        subscribe_http(sns, topic, receiver, DeliveryPolicy=json.dumps(policy))
        receiver.fail_always()
        mid = sns.publish(TopicArn=topic, Message="keep trying")["MessageId"]
        receiver.wait_for(1, "Notification", status=500, timeout=15)
        server.kill9()
        receiver.fail_next(0)  # the endpoint recovers while Herald is down
        server.start()
        [ok] = receiver.wait_for(1, "Notification", status=200, timeout=30)
        assert ok.headers["x-amz-sns-message-id"] == mid
        assert ok.json()["Message"] == "keep trying"
    finally:
        receiver.stop()


def test_topics_and_subscriptions_survive_restart(herald_factory):
    server = herald_factory("sns-config")
    sns, sqs = make_sns_client(server.endpoint), make_sqs_client(server.endpoint)
    receiver = _receiver(server)
    try:
        topic = sns.create_topic(Name="config", Attributes={"DisplayName": "Kept"},
                                 Tags=[{"Key": "team", "Value": "core"}])["TopicArn"]
        fifo = sns.create_topic(Name="config.fifo", Attributes={"FifoTopic": "true",
                                                                 "ContentBasedDeduplication": "true"})["TopicArn"]
        url, qarn = make_queue(sqs, "config-q")
        policy = json.dumps({"k": ["v"]})
        sqs_sub = sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=qarn,
                                Attributes={"FilterPolicy": policy, "RawMessageDelivery": "true"})["SubscriptionArn"]
        pending = subscribe_http(sns, topic, receiver, confirm=False)
        token = receiver.posts("SubscriptionConfirmation")[0].json()["Token"]

        server.kill9()
        server.start()
        sns, sqs = make_sns_client(server.endpoint), make_sqs_client(server.endpoint)

        a = sns.get_topic_attributes(TopicArn=topic)["Attributes"]
        assert a["DisplayName"] == "Kept"
        assert sns.list_tags_for_resource(ResourceArn=topic)["Tags"] == [{"Key": "team", "Value": "core"}]
        f = sns.get_topic_attributes(TopicArn=fifo)["Attributes"]
        assert (f["FifoTopic"], f["ContentBasedDeduplication"]) == ("true", "true")
        s = sns.get_subscription_attributes(SubscriptionArn=sqs_sub)["Attributes"]
        assert json.loads(s["FilterPolicy"]) == {"k": ["v"]}
        assert s["RawMessageDelivery"] == "true"
        assert sns.get_subscription_attributes(SubscriptionArn=pending)["Attributes"]["PendingConfirmation"] == "true"
        # The token sent before the restart still confirms.
        assert sns.confirm_subscription(TopicArn=topic, Token=token)["SubscriptionArn"] == pending

        sns.publish(TopicArn=topic, Message="after restart", MessageAttributes={"k": {"DataType": "String",
                                                                                      "StringValue": "v"}})
        assert [m["Body"] for m in receive_all(sqs, url, 1)] == ["after restart"]
        receiver.wait_for(1, "Notification", status=200)
    finally:
        receiver.stop()
