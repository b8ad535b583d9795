"""SNS subscriptions: subscribe/confirm/unsubscribe per protocol, listing, attributes, errors.

Written from botocore's `sns` model and AWS's Subscribe/ConfirmSubscription/SetSubscriptionAttributes
documentation and the HTTP/S message formats, not from Herald's code.
"""

from __future__ import annotations

import json
import re
import time
import xml.etree.ElementTree as ET
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from herald_compat import (
    DEFAULT_ACCOUNT,
    assert_queue_stays_empty,
    make_queue,
    raises_aws,
    sns_envelopes,
    sns_subscribe_queue,
    strip_ns,
    topic_arn,
)
from sns_receivers import subscribe_http

SUB_ARN = re.compile(r"^arn:aws:sns:us-east-1:000000000000:(?P<topic>[A-Za-z0-9_.-]+):"
                     r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")


def _sub_attrs(sns, arn) -> dict[str, str]:
    return sns.get_subscription_attributes(SubscriptionArn=arn)["Attributes"]


def _topic_counts(sns, arn) -> tuple[str, str, str]:
    a = sns.get_topic_attributes(TopicArn=arn)["Attributes"]
    return a["SubscriptionsConfirmed"], a["SubscriptionsPending"], a["SubscriptionsDeleted"]


# --------------------------------------------------------------------------------------------
# sqs
# --------------------------------------------------------------------------------------------

def test_sqs_subscription_is_confirmed_immediately(sns, sqs):
    topic = sns.create_topic(Name="subs")["TopicArn"]
    _, qarn = make_queue(sqs, "subs-q")
    arn = sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=qarn)["SubscriptionArn"]
    m = SUB_ARN.match(arn)
    assert m and m.group("topic") == "subs", arn
    a = _sub_attrs(sns, arn)
    assert a["SubscriptionArn"] == arn
    assert a["TopicArn"] == topic
    assert a["Protocol"] == "sqs"
    assert a["Endpoint"] == qarn
    assert a["Owner"] == DEFAULT_ACCOUNT
    assert a["PendingConfirmation"] == "false"
    assert a["ConfirmationWasAuthenticated"] == "true"
    assert a["RawMessageDelivery"] == "false"
    assert _topic_counts(sns, topic)[:2] == ("1", "0")


def test_subscribe_is_idempotent_and_rejects_different_attributes(sns, sqs):
    topic = sns.create_topic(Name="idem")["TopicArn"]
    _, qarn = make_queue(sqs, "idem-q")
    a = sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=qarn)["SubscriptionArn"]
    assert sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=qarn)["SubscriptionArn"] == a
    assert len(sns.list_subscriptions_by_topic(TopicArn=topic)["Subscriptions"]) == 1
    with raises_aws("InvalidParameter"):
        sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=qarn, Attributes={"RawMessageDelivery": "true"})


def test_list_subscriptions_and_by_topic(sns, sqs):
    t1 = sns.create_topic(Name="list-a")["TopicArn"]
    t2 = sns.create_topic(Name="list-b")["TopicArn"]
    _, q1 = make_queue(sqs, "list-q1")
    _, q2 = make_queue(sqs, "list-q2")
    s1 = sns.subscribe(TopicArn=t1, Protocol="sqs", Endpoint=q1)["SubscriptionArn"]
    s2 = sns.subscribe(TopicArn=t1, Protocol="sqs", Endpoint=q2)["SubscriptionArn"]
    s3 = sns.subscribe(TopicArn=t2, Protocol="sqs", Endpoint=q1)["SubscriptionArn"]
    everything = sns.list_subscriptions()["Subscriptions"]
    assert sorted(s["SubscriptionArn"] for s in everything) == sorted([s1, s2, s3])
    row = next(s for s in everything if s["SubscriptionArn"] == s3)
    assert row == {"SubscriptionArn": s3, "Owner": DEFAULT_ACCOUNT, "Protocol": "sqs", "Endpoint": q1, "TopicArn": t2}
    by_topic = sns.list_subscriptions_by_topic(TopicArn=t1)["Subscriptions"]
    assert sorted(s["SubscriptionArn"] for s in by_topic) == sorted([s1, s2])
    assert {s["TopicArn"] for s in by_topic} == {t1}


def test_unsubscribe_sqs_stops_delivery(sns, sqs):
    topic = sns.create_topic(Name="unsub")["TopicArn"]
    url, arn = sns_subscribe_queue(sns, sqs, topic, "unsub-q")
    sns.unsubscribe(SubscriptionArn=arn)
    assert sns.list_subscriptions_by_topic(TopicArn=topic)["Subscriptions"] == []
    assert sns.list_subscriptions()["Subscriptions"] == []
    with raises_aws("NotFound", 404):
        sns.get_subscription_attributes(SubscriptionArn=arn)
    assert _topic_counts(sns, topic)[0] == "0"
    r = sns.publish(TopicArn=topic, Message="after unsubscribe")
    assert r["MessageId"]
    assert_queue_stays_empty(sqs, url, seconds=1.5)


def test_fifo_queue_cannot_subscribe_to_standard_topic(sns, sqs):
    topic = sns.create_topic(Name="std-for-fifo")["TopicArn"]
    _, qarn = make_queue(sqs, "q.fifo", {"FifoQueue": "true"})
    with raises_aws("InvalidParameter"):
        sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=qarn)


def test_fifo_topic_accepts_only_sqs_subscriptions(sns, sqs, sns_receiver_factory):
    topic = sns.create_topic(Name="only-sqs.fifo", Attributes={"FifoTopic": "true"})["TopicArn"]
    _, qarn = make_queue(sqs, "fifo-sub.fifo", {"FifoQueue": "true"})
    assert SUB_ARN.match(sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=qarn)["SubscriptionArn"])
    receiver = sns_receiver_factory()
    with raises_aws("InvalidParameter"):
        sns.subscribe(TopicArn=topic, Protocol="http", Endpoint=receiver.url())


# --------------------------------------------------------------------------------------------
# http
# --------------------------------------------------------------------------------------------

def test_http_subscription_is_pending_until_confirmed(sns, sns_receiver_factory, herald):
    receiver = sns_receiver_factory()
    topic = sns.create_topic(Name="http-pending")["TopicArn"]
    resp = sns.subscribe(TopicArn=topic, Protocol="http", Endpoint=receiver.url("/pending"))
    assert resp["SubscriptionArn"] == "pending confirmation"

    [req] = receiver.wait_for(1, "SubscriptionConfirmation", "/pending")
    body = req.json()
    assert req.headers["x-amz-sns-message-type"] == "SubscriptionConfirmation"
    assert req.headers["x-amz-sns-message-id"] == body["MessageId"]
    assert req.headers["x-amz-sns-topic-arn"] == topic
    assert body["Type"] == "SubscriptionConfirmation"
    assert body["TopicArn"] == topic
    assert topic in body["Message"]
    assert body["Token"]
    assert body["SignatureVersion"] == "1"
    assert re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$", body["Timestamp"]), body["Timestamp"]
    sub_url = urlsplit(body["SubscribeURL"])
    assert sub_url.netloc == urlsplit(herald.endpoint).netloc
    q = parse_qs(sub_url.query)
    assert q["Action"] == ["ConfirmSubscription"]
    assert q["TopicArn"] == [topic]
    assert q["Token"] == [body["Token"]]
    assert req.verified is True, req.verify_error

    listed = sns.list_subscriptions_by_topic(TopicArn=topic)["Subscriptions"]
    assert [(s["SubscriptionArn"], s["Protocol"], s["Endpoint"]) for s in listed] == \
        [("PendingConfirmation", "http", receiver.url("/pending"))]
    assert _topic_counts(sns, topic)[:2] == ("0", "1")

    # Nothing is delivered while pending.
    sns.publish(TopicArn=topic, Message="too early")
    time.sleep(1.0)
    assert receiver.posts("Notification") == []

    arn = sns.confirm_subscription(TopicArn=topic, Token=body["Token"],
                                   AuthenticateOnUnsubscribe="true")["SubscriptionArn"]
    assert SUB_ARN.match(arn), arn
    a = _sub_attrs(sns, arn)
    assert a["PendingConfirmation"] == "false"
    # A signed ConfirmSubscription with AuthenticateOnUnsubscribe is an authenticated confirmation.
    assert a["ConfirmationWasAuthenticated"] == "true"
    assert a["Protocol"] == "http"
    assert a["Endpoint"] == receiver.url("/pending")
    assert [s["SubscriptionArn"] for s in sns.list_subscriptions_by_topic(TopicArn=topic)["Subscriptions"]] == [arn]
    assert _topic_counts(sns, topic)[:2] == ("1", "0")

    sns.publish(TopicArn=topic, Message="now delivered")
    [note] = receiver.wait_for(1, "Notification", "/pending")
    assert note.json()["Message"] == "now delivered"


def test_return_subscription_arn_gives_the_arn_while_pending(sns, sns_receiver_factory):
    receiver = sns_receiver_factory()
    topic = sns.create_topic(Name="http-arn")["TopicArn"]
    arn = sns.subscribe(TopicArn=topic, Protocol="http", Endpoint=receiver.url(),
                        ReturnSubscriptionArn=True)["SubscriptionArn"]
    assert SUB_ARN.match(arn), arn
    assert _sub_attrs(sns, arn)["PendingConfirmation"] == "true"
    token = receiver.wait_for(1, "SubscriptionConfirmation")[0].json()["Token"]
    assert sns.confirm_subscription(TopicArn=topic, Token=token)["SubscriptionArn"] == arn
    assert _sub_attrs(sns, arn)["PendingConfirmation"] == "false"


def test_opening_subscribe_url_confirms(sns, sns_receiver_factory):
    receiver = sns_receiver_factory()
    topic = sns.create_topic(Name="http-url")["TopicArn"]
    arn = sns.subscribe(TopicArn=topic, Protocol="http", Endpoint=receiver.url(),
                        ReturnSubscriptionArn=True)["SubscriptionArn"]
    conf = receiver.wait_for(1, "SubscriptionConfirmation")[0].json()
    r = requests.get(conf["SubscribeURL"], timeout=10)
    assert r.status_code == 200, r.text
    xml = strip_ns(ET.fromstring(r.content))
    assert xml.tag == "ConfirmSubscriptionResponse"
    assert xml.findtext("./ConfirmSubscriptionResult/SubscriptionArn") == arn
    a = _sub_attrs(sns, arn)
    assert a["PendingConfirmation"] == "false"
    # Opening the link is an unauthenticated GET.
    assert a["ConfirmationWasAuthenticated"] == "false"


def test_auto_confirming_receiver_gets_notifications(sns, sns_receiver_factory):
    receiver = sns_receiver_factory(auto_confirm=True)
    topic = sns.create_topic(Name="http-auto")["TopicArn"]
    arn = sns.subscribe(TopicArn=topic, Protocol="http", Endpoint=receiver.url(),
                        ReturnSubscriptionArn=True)["SubscriptionArn"]
    [(_, status, _)] = receiver.wait_confirmed(1)
    assert status == 200
    assert _sub_attrs(sns, arn)["PendingConfirmation"] == "false"
    mid = sns.publish(TopicArn=topic, Message="auto")["MessageId"]
    [note] = receiver.wait_for(1, "Notification")
    assert note.json()["MessageId"] == mid


def test_confirm_subscription_with_bad_token_is_invalid_parameter(sns, sns_receiver_factory):
    receiver = sns_receiver_factory()
    topic = sns.create_topic(Name="bad-token")["TopicArn"]
    other = sns.create_topic(Name="other-topic")["TopicArn"]
    arn = sns.subscribe(TopicArn=topic, Protocol="http", Endpoint=receiver.url(),
                        ReturnSubscriptionArn=True)["SubscriptionArn"]
    token = receiver.wait_for(1, "SubscriptionConfirmation")[0].json()["Token"]
    with raises_aws("InvalidParameter"):
        sns.confirm_subscription(TopicArn=topic, Token="not-the-token")
    with raises_aws("InvalidParameter"):
        sns.confirm_subscription(TopicArn=other, Token=token)  # a token belongs to its topic
    with raises_aws("NotFound", 404):
        sns.confirm_subscription(TopicArn=topic_arn("gone"), Token=token)
    assert _sub_attrs(sns, arn)["PendingConfirmation"] == "true"


def test_confirming_twice_returns_the_same_arn(sns, sns_receiver_factory):
    receiver = sns_receiver_factory()
    topic = sns.create_topic(Name="twice")["TopicArn"]
    arn = subscribe_http(sns, topic, receiver)
    token = receiver.posts("SubscriptionConfirmation")[0].json()["Token"]
    assert sns.confirm_subscription(TopicArn=topic, Token=token)["SubscriptionArn"] == arn
    assert len(sns.list_subscriptions_by_topic(TopicArn=topic)["Subscriptions"]) == 1


def test_unsubscribe_http_subscription(sns, sns_receiver_factory):
    receiver = sns_receiver_factory()
    topic = sns.create_topic(Name="http-unsub")["TopicArn"]
    arn = subscribe_http(sns, topic, receiver)
    sns.unsubscribe(SubscriptionArn=arn)
    assert sns.list_subscriptions_by_topic(TopicArn=topic)["Subscriptions"] == []
    sns.publish(TopicArn=topic, Message="after unsubscribe")
    time.sleep(1.0)
    assert receiver.posts("Notification") == []


def test_unsubscribe_pending_subscription(sns, sns_receiver_factory):
    receiver = sns_receiver_factory()
    topic = sns.create_topic(Name="pending-unsub")["TopicArn"]
    arn = subscribe_http(sns, topic, receiver, confirm=False)
    sns.unsubscribe(SubscriptionArn=arn)
    assert sns.list_subscriptions_by_topic(TopicArn=topic)["Subscriptions"] == []
    assert _topic_counts(sns, topic)[:2] == ("0", "0")


def test_list_subscriptions_by_topic_paginates_by_100(sns, sns_receiver_factory):
    receiver = sns_receiver_factory()
    topic = sns.create_topic(Name="many-subs")["TopicArn"]
    arns = {sns.subscribe(TopicArn=topic, Protocol="http", Endpoint=receiver.url(f"/s{i}"),
                          ReturnSubscriptionArn=True)["SubscriptionArn"] for i in range(105)}
    assert len(arns) == 105
    first = sns.list_subscriptions_by_topic(TopicArn=topic)
    assert len(first["Subscriptions"]) == 100 and first.get("NextToken")
    second = sns.list_subscriptions_by_topic(TopicArn=topic, NextToken=first["NextToken"])
    assert len(second["Subscriptions"]) == 5 and not second.get("NextToken")
    endpoints = {s["Endpoint"] for s in first["Subscriptions"] + second["Subscriptions"]}
    assert endpoints == {receiver.url(f"/s{i}") for i in range(105)}
    paged = [s for p in sns.get_paginator("list_subscriptions").paginate() for s in p["Subscriptions"]]
    assert len(paged) == 105


# --------------------------------------------------------------------------------------------
# endpoint and protocol validation
# --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("protocol,endpoint", [
    ("sqs", "not-an-arn"),
    ("sqs", "https://sqs.us-east-1.amazonaws.com/000000000000/q"),
    ("http", "https://127.0.0.1:9/x"),     # an http subscription needs an http:// URL
    ("https", "http://127.0.0.1:9/x"),     # and https one an https:// URL
    ("http", "not a url"),
    ("carrier-pigeon", "coop"),
])
def test_bad_protocol_or_endpoint_is_invalid_parameter(sns, protocol, endpoint):
    topic = sns.create_topic(Name="validate")["TopicArn"]
    with raises_aws("InvalidParameter"):
        sns.subscribe(TopicArn=topic, Protocol=protocol, Endpoint=endpoint)
    assert sns.list_subscriptions_by_topic(TopicArn=topic)["Subscriptions"] == []


@pytest.mark.parametrize("protocol,endpoint,attributes", [
    ("lambda", "arn:aws:lambda:us-east-1:000000000000:function:handler", {}),
    ("sms", "+15555550100", {}),
    ("application", "arn:aws:sns:us-east-1:000000000000:endpoint/GCM/app/0f3a8c1e-3f44-4c1e-9f3c-1e2d3c4b5a69", {}),
    ("firehose", "arn:aws:firehose:us-east-1:000000000000:deliverystream/stream",
     {"SubscriptionRoleArn": "arn:aws:iam::000000000000:role/firehose"}),
])
def test_unsupported_protocols_are_refused_clearly(sns, protocol, endpoint, attributes):
    topic = sns.create_topic(Name="refuse")["TopicArn"]
    with raises_aws("InvalidParameter") as info:
        sns.subscribe(TopicArn=topic, Protocol=protocol, Endpoint=endpoint, Attributes=attributes)
    assert info.value.response["Error"].get("Message"), "the refusal should say why"
    assert sns.list_subscriptions()["Subscriptions"] == []


@pytest.mark.parametrize("protocol", ["email", "email-json"])
def test_email_without_smtp_relay_is_refused(sns, protocol):
    """The shared server runs without --smtp-url: email subscriptions cannot be delivered, so they
    are refused with an error that says so."""
    topic = sns.create_topic(Name="no-relay")["TopicArn"]
    with raises_aws("InvalidParameter") as info:
        sns.subscribe(TopicArn=topic, Protocol=protocol, Endpoint="someone@example.com")
    msg = info.value.response["Error"].get("Message", "").lower()
    assert "smtp" in msg or "email" in msg or "relay" in msg, msg
    assert sns.list_subscriptions()["Subscriptions"] == []


def test_subscription_operations_on_missing_subscription(sns):
    missing = topic_arn("t") + ":0f3a8c1e-3f44-4c1e-9f3c-1e2d3c4b5a69"
    sns.create_topic(Name="t")
    with raises_aws("NotFound", 404):
        sns.get_subscription_attributes(SubscriptionArn=missing)
    with raises_aws("NotFound", 404):
        sns.set_subscription_attributes(SubscriptionArn=missing, AttributeName="RawMessageDelivery",
                                        AttributeValue="true")
    with raises_aws("InvalidParameter"):
        sns.get_subscription_attributes(SubscriptionArn="not-an-arn")


# --------------------------------------------------------------------------------------------
# attributes
# --------------------------------------------------------------------------------------------

def test_set_and_get_subscription_attributes(sns, sqs):
    topic = sns.create_topic(Name="sub-attrs")["TopicArn"]
    _, dlq_arn = make_queue(sqs, "sub-attrs-dlq")
    _, arn = sns_subscribe_queue(sns, sqs, topic, "sub-attrs-q")
    policy = {"store": ["example_corp"], "price_usd": [{"numeric": [">=", 100]}]}
    sns.set_subscription_attributes(SubscriptionArn=arn, AttributeName="RawMessageDelivery", AttributeValue="true")
    sns.set_subscription_attributes(SubscriptionArn=arn, AttributeName="FilterPolicy",
                                    AttributeValue=json.dumps(policy))
    sns.set_subscription_attributes(SubscriptionArn=arn, AttributeName="RedrivePolicy",
                                    AttributeValue=json.dumps({"deadLetterTargetArn": dlq_arn}))
    a = _sub_attrs(sns, arn)
    assert a["RawMessageDelivery"] == "true"
    assert json.loads(a["FilterPolicy"]) == policy
    assert a["FilterPolicyScope"] == "MessageAttributes"  # the documented default
    assert json.loads(a["RedrivePolicy"]) == {"deadLetterTargetArn": dlq_arn}

    sns.set_subscription_attributes(SubscriptionArn=arn, AttributeName="FilterPolicyScope",
                                    AttributeValue="MessageBody")
    assert _sub_attrs(sns, arn)["FilterPolicyScope"] == "MessageBody"
    sns.set_subscription_attributes(SubscriptionArn=arn, AttributeName="RawMessageDelivery", AttributeValue="false")
    assert _sub_attrs(sns, arn)["RawMessageDelivery"] == "false"


def test_subscribe_with_attributes(sns, sqs):
    topic = sns.create_topic(Name="sub-with")["TopicArn"]
    policy = {"a": [{"prefix": "x"}]}
    _, arn = sns_subscribe_queue(sns, sqs, topic, "sub-with-q", RawMessageDelivery="true",
                                 FilterPolicy=json.dumps(policy), FilterPolicyScope="MessageBody")
    a = _sub_attrs(sns, arn)
    assert a["RawMessageDelivery"] == "true"
    assert json.loads(a["FilterPolicy"]) == policy
    assert a["FilterPolicyScope"] == "MessageBody"


def test_http_subscription_delivery_policy_is_effective(sns, sns_receiver_factory):
    receiver = sns_receiver_factory()
    topic = sns.create_topic(Name="sub-delivery")["TopicArn"]
    policy = {"healthyRetryPolicy": {"numRetries": 5, "minDelayTarget": 2, "maxDelayTarget": 8,
                                     "numNoDelayRetries": 1, "numMinDelayRetries": 0, "numMaxDelayRetries": 0,
                                     "backoffFunction": "exponential"},
              "throttlePolicy": {"maxReceivesPerSecond": 10}}
    arn = subscribe_http(sns, topic, receiver, DeliveryPolicy=json.dumps(policy))
    a = _sub_attrs(sns, arn)
    assert json.loads(a["DeliveryPolicy"])["healthyRetryPolicy"]["numRetries"] == 5
    eff = json.loads(a["EffectiveDeliveryPolicy"])
    assert eff["healthyRetryPolicy"]["numRetries"] == 5
    assert eff["healthyRetryPolicy"]["backoffFunction"] == "exponential"
    assert eff["throttlePolicy"]["maxReceivesPerSecond"] == 10


@pytest.mark.parametrize("name,value", [
    ("FilterPolicy", "{not json"),
    ("FilterPolicy", json.dumps({"a": [{"no-such-operator": 1}]})),
    ("FilterPolicy", json.dumps({"a": "not-a-list"})),
    ("FilterPolicy", json.dumps({"a": [{"numeric": [">", "ten"]}]})),
    # 10 x 10 x 2 = 200 combinations, over AWS's documented 150.
    ("FilterPolicy", json.dumps({"a": list(range(10)), "b": list(range(10)), "c": ["x", "y"]})),
])
def test_invalid_filter_policy_is_rejected(sns, sqs, name, value):
    topic = sns.create_topic(Name="bad-filter")["TopicArn"]
    _, arn = sns_subscribe_queue(sns, sqs, topic, "bad-filter-q")
    # AWS answers InvalidParameter ("Invalid parameter: FilterPolicy: ..."); the issue names
    # InvalidParameterValue, whose wire code is ParameterValueInvalid. Either is accepted.
    with raises_aws(("InvalidParameter", "ParameterValueInvalid")):
        sns.set_subscription_attributes(SubscriptionArn=arn, AttributeName=name, AttributeValue=value)
    assert "FilterPolicy" not in _sub_attrs(sns, arn)
    _, qarn = make_queue(sqs, "bad-filter-q2")
    with raises_aws(("InvalidParameter", "ParameterValueInvalid")):
        sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=qarn, Attributes={name: value})


@pytest.mark.parametrize("name,value", [
    ("NoSuchAttribute", "x"),
    ("RawMessageDelivery", "yes"),
    ("FilterPolicyScope", "Everything"),
    ("RedrivePolicy", "{not json"),
    ("DeliveryPolicy", "{not json"),
])
def test_invalid_subscription_attributes_are_rejected(sns, sqs, name, value):
    topic = sns.create_topic(Name="bad-attr")["TopicArn"]
    _, arn = sns_subscribe_queue(sns, sqs, topic, "bad-attr-q")
    with raises_aws("InvalidParameter"):
        sns.set_subscription_attributes(SubscriptionArn=arn, AttributeName=name, AttributeValue=value)
    assert _sub_attrs(sns, arn)["RawMessageDelivery"] == "false"


def test_unsubscribe_url_from_sqs_envelope_unsubscribes(sns, sqs):
    topic = sns.create_topic(Name="env-unsub")["TopicArn"]
    url, sub = sns_subscribe_queue(sns, sqs, topic, "env-unsub-q")
    sns.publish(TopicArn=topic, Message="first")
    [env] = sns_envelopes(sqs, url, 1)
    r = requests.get(env["UnsubscribeURL"], timeout=10)
    assert r.status_code == 200, r.text
    assert strip_ns(ET.fromstring(r.content)).tag == "UnsubscribeResponse"
    with raises_aws("NotFound", 404):
        sns.get_subscription_attributes(SubscriptionArn=sub)
    sns.publish(TopicArn=topic, Message="second")
    assert_queue_stays_empty(sqs, url, seconds=1.0)


def test_deleting_the_topic_deletes_its_subscriptions(sns, sqs):
    topic = sns.create_topic(Name="gone-topic")["TopicArn"]
    _, sub = sns_subscribe_queue(sns, sqs, topic, "gone-topic-q")
    sns.delete_topic(TopicArn=topic)
    with raises_aws("NotFound", 404):
        sns.get_subscription_attributes(SubscriptionArn=sub)
    assert sns.list_subscriptions()["Subscriptions"] == []
