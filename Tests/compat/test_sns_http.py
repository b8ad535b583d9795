"""SNS HTTP subscriptions: notifications with SNS's headers and JSON body, signatures that verify as
AWS documents (SignatureVersion 1 = SHA1, 2 = SHA256), raw delivery, UnsubscribeURL, retries under the
DeliveryPolicy, dead-lettering through the RedrivePolicy, and isolation from slow endpoints.

Written from AWS's documentation ("Parsing message formats", "Verifying the signatures of Amazon SNS
messages", "Amazon SNS message delivery retries", "Amazon SNS dead-letter queues"), not from Herald's code.
"""

from __future__ import annotations

import json
import time
from urllib.parse import parse_qs, urlsplit

import requests

from herald_compat import SNS_DEFAULT_HEALTHY_RETRY_POLICY, drain, make_queue
from sns_receivers import subscribe_http

FAST_RETRY = {"healthyRetryPolicy": {"numRetries": 2, "minDelayTarget": 1, "maxDelayTarget": 1,
                                     "numNoDelayRetries": 0, "numMinDelayRetries": 0, "numMaxDelayRetries": 0,
                                     "backoffFunction": "linear"}}


def test_notification_headers_body_and_v1_signature(herald, sns, sns_receiver_factory):
    receiver = sns_receiver_factory()
    topic = sns.create_topic(Name="web")["TopicArn"]
    sub = subscribe_http(sns, topic, receiver, "/web")
    conf = receiver.posts("SubscriptionConfirmation", "/web")[0]
    assert conf.verified is True, conf.verify_error

    mid = sns.publish(TopicArn=topic, Message="hello web", Subject="Hi",
                      MessageAttributes={"kind": {"DataType": "String", "StringValue": "greeting"}})["MessageId"]
    [req] = receiver.wait_for(1, "Notification", "/web")
    assert req.method == "POST"
    assert req.headers["x-amz-sns-message-type"] == "Notification"
    assert req.headers["x-amz-sns-message-id"] == mid
    assert req.headers["x-amz-sns-topic-arn"] == topic
    assert req.headers["x-amz-sns-subscription-arn"] == sub
    assert req.headers.get("content-type", "").lower().startswith("text/plain")
    body = req.json()
    assert body["Type"] == "Notification"
    assert body["MessageId"] == mid
    assert body["TopicArn"] == topic
    assert body["Subject"] == "Hi"
    assert body["Message"] == "hello web"
    assert body["SignatureVersion"] == "1"
    assert body["MessageAttributes"] == {"kind": {"Type": "String", "Value": "greeting"}}
    unsub = urlsplit(body["UnsubscribeURL"])
    assert unsub.netloc == urlsplit(herald.endpoint).netloc
    assert parse_qs(unsub.query)["SubscriptionArn"] == [sub]
    assert req.verified is True, req.verify_error


def test_signature_version_2(sns, sns_receiver_factory):
    receiver = sns_receiver_factory()
    topic = sns.create_topic(Name="web-v2", Attributes={"SignatureVersion": "2"})["TopicArn"]
    subscribe_http(sns, topic, receiver)
    conf = receiver.posts("SubscriptionConfirmation")[0]
    assert conf.json()["SignatureVersion"] == "2"
    assert conf.verified is True, conf.verify_error
    sns.publish(TopicArn=topic, Message="sha256 please")  # no Subject: it is left out of the signed string
    [req] = receiver.wait_for(1, "Notification")
    assert req.json()["SignatureVersion"] == "2"
    assert "Subject" not in req.json() or req.json()["Subject"] is None
    assert req.verified is True, req.verify_error


def test_switching_signature_version_applies_to_next_messages(sns, sns_receiver_factory):
    receiver = sns_receiver_factory()
    topic = sns.create_topic(Name="web-switch")["TopicArn"]
    subscribe_http(sns, topic, receiver)
    sns.publish(TopicArn=topic, Message="v1", Subject="one")
    receiver.wait_for(1, "Notification")
    sns.set_topic_attributes(TopicArn=topic, AttributeName="SignatureVersion", AttributeValue="2")
    sns.publish(TopicArn=topic, Message="v2", Subject="two")
    reqs = receiver.wait_for(2, "Notification")
    assert [(r.json()["Message"], r.json()["SignatureVersion"]) for r in reqs] == [("v1", "1"), ("v2", "2")]
    assert all(r.verified for r in reqs), [r.verify_error for r in reqs]


def test_raw_delivery_over_http(sns, sns_receiver_factory):
    receiver = sns_receiver_factory()
    topic = sns.create_topic(Name="web-raw")["TopicArn"]
    sub = subscribe_http(sns, topic, receiver, RawMessageDelivery="true")
    mid = sns.publish(TopicArn=topic, Message='{"raw": true}')["MessageId"]
    [req] = receiver.wait_for(1, "Notification")
    assert req.body == b'{"raw": true}'
    assert req.headers["x-amz-sns-rawdelivery"] == "true"
    assert req.headers["x-amz-sns-message-id"] == mid
    assert req.headers["x-amz-sns-subscription-arn"] == sub


def test_message_structure_json_selects_http_message(sns, sns_receiver_factory):
    receiver = sns_receiver_factory()
    topic = sns.create_topic(Name="web-structured")["TopicArn"]
    subscribe_http(sns, topic, receiver)
    sns.publish(TopicArn=topic, MessageStructure="json",
                Message=json.dumps({"default": "generic", "http": "for http", "https": "for https", "sqs": "q"}))
    [req] = receiver.wait_for(1, "Notification")
    assert req.json()["Message"] == "for http"
    assert req.verified is True, req.verify_error


def test_unsubscribe_url_unsubscribes(sns, sns_receiver_factory):
    receiver = sns_receiver_factory()
    topic = sns.create_topic(Name="web-unsub")["TopicArn"]
    sub = subscribe_http(sns, topic, receiver)
    sns.publish(TopicArn=topic, Message="first")
    [note] = receiver.wait_for(1, "Notification")
    r = requests.get(note.json()["UnsubscribeURL"], timeout=10)
    assert r.status_code == 200, r.text
    assert sns.list_subscriptions_by_topic(TopicArn=topic)["Subscriptions"] == []
    assert sub not in [s["SubscriptionArn"] for s in sns.list_subscriptions()["Subscriptions"]]
    sns.publish(TopicArn=topic, Message="second")
    time.sleep(1.5)
    assert [r.json()["Message"] for r in receiver.posts("Notification")] == ["first"]
    # If an UnsubscribeConfirmation is sent (AWS sends one to HTTP endpoints), it verifies too.
    for u in receiver.posts("UnsubscribeConfirmation"):
        assert u.verified is True, u.verify_error


def test_default_effective_delivery_policy_is_aws_default(sns, sns_receiver_factory):
    receiver = sns_receiver_factory()
    topic = sns.create_topic(Name="web-default-policy")["TopicArn"]
    sub = subscribe_http(sns, topic, receiver)
    eff = json.loads(sns.get_subscription_attributes(SubscriptionArn=sub)["Attributes"]["EffectiveDeliveryPolicy"])
    healthy = eff["healthyRetryPolicy"]
    for k, v in SNS_DEFAULT_HEALTHY_RETRY_POLICY.items():
        assert healthy[k] == v, (k, healthy)


def test_retries_until_success_deliver_once(sns, sns_receiver_factory):
    receiver = sns_receiver_factory()
    topic = sns.create_topic(Name="web-retry")["TopicArn"]
    subscribe_http(sns, topic, receiver, DeliveryPolicy=json.dumps(FAST_RETRY))
    receiver.fail_next(2)
    mid = sns.publish(TopicArn=topic, Message="persist")["MessageId"]
    reqs = receiver.wait_for(3, "Notification", timeout=15)
    time.sleep(1.5)  # no further attempt after the success
    reqs = receiver.posts("Notification")
    assert [r.status for r in reqs] == [500, 500, 200]
    assert {r.headers["x-amz-sns-message-id"] for r in reqs} == {mid}
    assert all(r.json()["Message"] == "persist" for r in reqs)
    # minDelayTarget 1 and no immediate retries: the attempts are about a second apart.
    gaps = [b.at - a.at for a, b in zip(reqs, reqs[1:])]
    assert all(g >= 0.7 for g in gaps), gaps


def _dlq_bodies(sqs, url: str, expected: int, timeout: float = 20.0) -> list[str]:
    msgs = drain(sqs, url, expected, timeout=timeout)
    out = []
    for m in msgs:
        try:
            env = json.loads(m["Body"])
            out.append(env["Message"] if isinstance(env, dict) and "Message" in env else m["Body"])
        except ValueError:
            out.append(m["Body"])
    return out


def test_exhausted_retries_go_to_the_dead_letter_queue(sns, sqs, sns_receiver_factory):
    receiver = sns_receiver_factory()
    dlq_url, dlq_arn = make_queue(sqs, "web-dlq")
    topic = sns.create_topic(Name="web-dead")["TopicArn"]
    subscribe_http(sns, topic, receiver, DeliveryPolicy=json.dumps(FAST_RETRY),
                   RedrivePolicy=json.dumps({"deadLetterTargetArn": dlq_arn}))
    receiver.fail_always()
    sns.publish(TopicArn=topic, Message="undeliverable")
    assert _dlq_bodies(sqs, dlq_url, 1) == ["undeliverable"]
    time.sleep(1.5)
    # numRetries 2: the first attempt and two retries, then the dead-letter queue.
    assert [r.status for r in receiver.posts("Notification")] == [500, 500, 500]


def test_topic_delivery_policy_applies_to_its_http_subscriptions(sns, sqs, sns_receiver_factory):
    receiver = sns_receiver_factory()
    dlq_url, dlq_arn = make_queue(sqs, "web-topic-policy-dlq")
    policy = {"http": {"defaultHealthyRetryPolicy": {"numRetries": 1, "minDelayTarget": 1, "maxDelayTarget": 1,
                                                     "numNoDelayRetries": 0, "numMinDelayRetries": 0,
                                                     "numMaxDelayRetries": 0, "backoffFunction": "linear"},
                       "disableSubscriptionOverrides": False}}
    topic = sns.create_topic(Name="web-topic-policy", Attributes={"DeliveryPolicy": json.dumps(policy)})["TopicArn"]
    sub = subscribe_http(sns, topic, receiver, RedrivePolicy=json.dumps({"deadLetterTargetArn": dlq_arn}))
    eff = json.loads(sns.get_subscription_attributes(SubscriptionArn=sub)["Attributes"]["EffectiveDeliveryPolicy"])
    assert eff["healthyRetryPolicy"]["numRetries"] == 1
    receiver.fail_always()
    sns.publish(TopicArn=topic, Message="topic policy")
    assert _dlq_bodies(sqs, dlq_url, 1) == ["topic policy"]
    time.sleep(1.5)
    assert [r.status for r in receiver.posts("Notification")] == [500, 500]


def test_slow_endpoint_does_not_delay_another(sns, sns_receiver_factory):
    slow = sns_receiver_factory()
    fast = sns_receiver_factory()
    topic = sns.create_topic(Name="web-slow")["TopicArn"]
    subscribe_http(sns, topic, slow, "/slow")
    subscribe_http(sns, topic, fast, "/fast")
    slow.delay = 6.0
    start = time.monotonic()
    mids = [sns.publish(TopicArn=topic, Message=f"m{i}")["MessageId"] for i in range(3)]
    got = fast.wait_for(3, "Notification", "/fast", timeout=4)
    assert time.monotonic() - start < 4
    assert {r.headers["x-amz-sns-message-id"] for r in got} == set(mids)
    # The slow one still gets them, later.
    slow.wait_for(1, "Notification", "/slow", timeout=15)


def test_throttle_policy_spaces_deliveries(sns, sns_receiver_factory):
    receiver = sns_receiver_factory()
    topic = sns.create_topic(Name="web-throttle")["TopicArn"]
    policy = dict(FAST_RETRY, throttlePolicy={"maxReceivesPerSecond": 1})
    subscribe_http(sns, topic, receiver, DeliveryPolicy=json.dumps(policy))
    sns.publish_batch(TopicArn=topic, PublishBatchRequestEntries=[{"Id": f"e{i}", "Message": f"m{i}"} for i in range(3)])
    reqs = receiver.wait_for(3, "Notification", timeout=15)
    # At most one delivery per second: three deliveries span at least ~2 s.
    assert reqs[2].at - reqs[0].at >= 1.5, [r.at - reqs[0].at for r in reqs]


def test_immediate_retries_need_no_delay(sns, sns_receiver_factory):
    receiver = sns_receiver_factory()
    topic = sns.create_topic(Name="web-immediate")["TopicArn"]
    policy = {"healthyRetryPolicy": {"numRetries": 2, "numNoDelayRetries": 2, "minDelayTarget": 20,
                                     "maxDelayTarget": 20, "numMinDelayRetries": 0, "numMaxDelayRetries": 0,
                                     "backoffFunction": "linear"}}
    subscribe_http(sns, topic, receiver, DeliveryPolicy=json.dumps(policy))
    receiver.fail_next(2)
    sns.publish(TopicArn=topic, Message="right away")
    # Both retries are "no delay" retries: all three attempts well within the 20 s delay target.
    reqs = receiver.wait_for(3, "Notification", timeout=8)
    assert [r.status for r in reqs] == [500, 500, 200]
    assert reqs[2].at - reqs[0].at < 5


def test_publish_batch_entries_reach_http_with_their_own_ids(sns, sns_receiver_factory):
    receiver = sns_receiver_factory()
    topic = sns.create_topic(Name="web-batch")["TopicArn"]
    subscribe_http(sns, topic, receiver)
    resp = sns.publish_batch(TopicArn=topic, PublishBatchRequestEntries=[
        {"Id": "plain", "Message": "plain text", "Subject": "S1"},
        {"Id": "structured", "MessageStructure": "json",
         "Message": json.dumps({"default": "generic", "http": "http flavour"})},
    ])
    ids = {e["Id"]: e["MessageId"] for e in resp["Successful"]}
    reqs = receiver.wait_for(2, "Notification")
    got = {r.headers["x-amz-sns-message-id"]: r.json()["Message"] for r in reqs}
    assert got == {ids["plain"]: "plain text", ids["structured"]: "http flavour"}
    assert all(r.verified for r in reqs), [r.verify_error for r in reqs]
