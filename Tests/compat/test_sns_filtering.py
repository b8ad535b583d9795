"""SNS subscription filter policies: MessageAttributes and MessageBody scopes, the documented operators,
and a message that matches nothing is accepted, not an error.

Written from AWS's "Amazon SNS message filtering" documentation (filter policy constraints, string,
numeric, key and logical matching), not from Herald's code.
"""

from __future__ import annotations

import json
import time

from herald_compat import assert_queue_stays_empty, drain, sns_subscribe_queue


def _s(v: str) -> dict:
    return {"DataType": "String", "StringValue": v}


def _n(v) -> dict:
    return {"DataType": "Number", "StringValue": str(v)}


def _arr(*v) -> dict:
    return {"DataType": "String.Array", "StringValue": json.dumps(list(v))}


ATTRIBUTE_MESSAGES = {
    "m1": {"store": _s("example_corp"), "price": _n(150), "event": _s("order_placed"),
           "interests": _arr("basketball", "rugby")},
    "m2": {"store": _s("other_corp"), "price": _n(50), "event": _s("order_cancelled"), "interests": _arr("soccer")},
    "m3": {"store": _s("example_corp"), "price": _n(99.5), "event": _s("order_placed")},
    "m4": {},
    "m5": {"store": _s("Example_Corp"), "event": _s("order_shipped"),
           "blob": {"DataType": "Binary", "BinaryValue": b"example_corp"}},
}

ATTRIBUTE_POLICIES = {
    "exact": ({"store": ["example_corp"]}, {"m1", "m3"}),
    "or-values": ({"store": ["other_corp", "nobody"]}, {"m2"}),
    "anything-but": ({"event": [{"anything-but": ["order_cancelled"]}]}, {"m1", "m3", "m5"}),
    "prefix": ({"event": [{"prefix": "order_p"}]}, {"m1", "m3"}),
    "suffix": ({"event": [{"suffix": "_cancelled"}]}, {"m2"}),
    "ignore-case": ({"store": [{"equals-ignore-case": "EXAMPLE_CORP"}]}, {"m1", "m3", "m5"}),
    "numeric-range": ({"price": [{"numeric": [">=", 100, "<", 200]}]}, {"m1"}),
    "numeric-equals": ({"price": [{"numeric": ["=", 99.5]}]}, {"m3"}),
    "exists": ({"interests": [{"exists": True}]}, {"m1", "m2"}),
    "not-exists": ({"interests": [{"exists": False}]}, {"m3", "m4", "m5"}),
    "string-array": ({"interests": ["rugby"]}, {"m1"}),
    "and-keys": ({"store": ["example_corp"], "price": [{"numeric": [">", 100]}]}, {"m1"}),
    "or-keys": ({"$or": [{"store": ["other_corp"]}, {"price": [{"numeric": ["<", 100]}]}]}, {"m2", "m3"}),
    "binary-never-matches": ({"blob": ["example_corp"]}, set()),
}


def _run(sns, sqs, topic: str, policies: dict, messages: dict,
         scope: str | None) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """Subscribe one raw queue per policy (plus an unfiltered one), publish every message (its name
    is the body for attribute-scope tests); return (delivered, expected), each policy -> message names."""
    queues = {}
    for i, (pname, (policy, _)) in enumerate(policies.items()):
        if scope:
            # Subscribe with the scope and a flat policy, then set the real (possibly nested) one:
            # test_subscribe_with_nested_body_policy_and_scope covers both in one Subscribe.
            url, sub = sns_subscribe_queue(sns, sqs, topic, f"f{i}-{pname}", RawMessageDelivery="true",
                                           FilterPolicyScope=scope, FilterPolicy=json.dumps({"_": ["_"]}))
            sns.set_subscription_attributes(SubscriptionArn=sub, AttributeName="FilterPolicy",
                                            AttributeValue=json.dumps(policy))
        else:
            url, _ = sns_subscribe_queue(sns, sqs, topic, f"f{i}-{pname}", RawMessageDelivery="true",
                                         FilterPolicy=json.dumps(policy))
        queues[pname] = url
    queues["(none)"] = sns_subscribe_queue(sns, sqs, topic, "f-unfiltered", RawMessageDelivery="true")[0]
    body_to_name = {}
    for name, payload in messages.items():
        kwargs = {}
        if scope == "MessageBody":
            body = payload
        else:
            body = name
            if payload:
                kwargs["MessageAttributes"] = payload
        body_to_name[body] = name
        assert sns.publish(TopicArn=topic, Message=body, **kwargs)["MessageId"]
    expected = {p: e for p, (_, e) in policies.items()}
    expected["(none)"] = set(messages)
    got = {}
    for pname, url in queues.items():
        got[pname] = {body_to_name.get(m["Body"], m["Body"]) for m in drain(sqs, url, len(expected[pname]), timeout=10)}
    # Everything that should arrive has; give stragglers that should not a moment to show up.
    time.sleep(1.0)
    for pname, url in queues.items():
        extra = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=0).get("Messages", [])
        got[pname] |= {body_to_name.get(m["Body"], m["Body"]) for m in extra}
    return got, expected


def test_message_attribute_filter_policies(sns, sqs):
    topic = sns.create_topic(Name="filter-attrs")["TopicArn"]
    got, expected = _run(sns, sqs, topic, ATTRIBUTE_POLICIES, ATTRIBUTE_MESSAGES, scope=None)
    assert got == expected


BODY_MESSAGES = {
    "b1": json.dumps({"order": {"status": "paid", "total": 120, "items": ["book", "pen"]}, "region": "eu"}),
    "b2": json.dumps({"order": {"status": "refunded", "total": 20}, "region": "us"}),
    "b3": json.dumps({"order": {"status": "paid", "total": 5}}),
    "b4": "this body is not JSON",
}

BODY_POLICIES = {
    "nested-exact": ({"order": {"status": ["paid"]}}, {"b1", "b3"}),
    "nested-numeric": ({"order": {"total": [{"numeric": [">", 100]}]}}, {"b1"}),
    "array-element": ({"order": {"items": ["pen"]}}, {"b1"}),
    "anything-but": ({"region": [{"anything-but": ["us"]}]}, {"b1"}),
    "prefix": ({"region": [{"prefix": "e"}]}, {"b1"}),
    "or-keys": ({"$or": [{"region": ["us"]}, {"order": {"total": [{"numeric": ["<", 10]}]}}]}, {"b2", "b3"}),
    "and-keys": ({"region": ["eu", "us"], "order": {"status": ["refunded"]}}, {"b2"}),
}


def test_message_body_filter_policies(sns, sqs):
    topic = sns.create_topic(Name="filter-body")["TopicArn"]
    got, expected = _run(sns, sqs, topic, BODY_POLICIES, BODY_MESSAGES, scope="MessageBody")
    assert got == expected


def test_subscribe_with_nested_body_policy_and_scope(sns, sqs):
    """FilterPolicyScope and a nested FilterPolicy given together in Subscribe's Attributes (as the
    CLI, CloudFormation and Terraform send them) are validated together."""
    topic = sns.create_topic(Name="filter-nested")["TopicArn"]
    policy = {"order": {"status": ["paid"]}}
    url, sub = sns_subscribe_queue(sns, sqs, topic, "nested-q", RawMessageDelivery="true",
                                   FilterPolicy=json.dumps(policy), FilterPolicyScope="MessageBody")
    a = sns.get_subscription_attributes(SubscriptionArn=sub)["Attributes"]
    assert (json.loads(a["FilterPolicy"]), a["FilterPolicyScope"]) == (policy, "MessageBody")
    sns.publish(TopicArn=topic, Message=json.dumps({"order": {"status": "open"}}))
    sns.publish(TopicArn=topic, Message=json.dumps({"order": {"status": "paid"}}))
    assert [json.loads(m["Body"]) for m in drain(sqs, url, 1)] == [{"order": {"status": "paid"}}]
    assert_queue_stays_empty(sqs, url, seconds=1.0)


def test_nested_policy_needs_body_scope(sns, sqs):
    topic = sns.create_topic(Name="filter-nested-attrs")["TopicArn"]
    _, sub = sns_subscribe_queue(sns, sqs, topic, "nested-attrs-q")
    # AWS: "Filter policy scope MessageAttributes does not support nested filter policy".
    from herald_compat import raises_aws
    with raises_aws("InvalidParameter"):
        sns.set_subscription_attributes(SubscriptionArn=sub, AttributeName="FilterPolicy",
                                        AttributeValue=json.dumps({"order": {"status": ["paid"]}}))


def test_body_scope_ignores_message_attributes(sns, sqs):
    topic = sns.create_topic(Name="filter-scope")["TopicArn"]
    url, _ = sns_subscribe_queue(sns, sqs, topic, "scope-q", RawMessageDelivery="true",
                                 FilterPolicy=json.dumps({"kind": ["wanted"]}), FilterPolicyScope="MessageBody")
    sns.publish(TopicArn=topic, Message=json.dumps({"kind": "unwanted"}), MessageAttributes={"kind": _s("wanted")})
    sns.publish(TopicArn=topic, Message=json.dumps({"kind": "wanted"}), MessageAttributes={"kind": _s("unwanted")})
    assert [json.loads(m["Body"]) for m in drain(sqs, url, 1)] == [{"kind": "wanted"}]
    assert_queue_stays_empty(sqs, url, seconds=1.0)


def test_non_matching_message_is_accepted_and_not_delivered(sns, sqs):
    topic = sns.create_topic(Name="filter-none")["TopicArn"]
    url, _ = sns_subscribe_queue(sns, sqs, topic, "none-q", FilterPolicy=json.dumps({"store": ["nowhere"]}))
    r = sns.publish(TopicArn=topic, Message="filtered out", MessageAttributes={"store": _s("somewhere")})
    assert len(r["MessageId"]) == 36
    r = sns.publish_batch(TopicArn=topic, PublishBatchRequestEntries=[{"Id": "a", "Message": "also filtered"}])
    assert r.get("Failed", []) == [] and len(r["Successful"]) == 1
    assert_queue_stays_empty(sqs, url, seconds=1.5)


def test_changing_the_filter_policy_applies_to_later_messages(sns, sqs):
    topic = sns.create_topic(Name="filter-change")["TopicArn"]
    url, sub = sns_subscribe_queue(sns, sqs, topic, "change-q", RawMessageDelivery="true",
                                   FilterPolicy=json.dumps({"color": ["red"]}))
    sns.publish(TopicArn=topic, Message="red-1", MessageAttributes={"color": _s("red")})
    sns.publish(TopicArn=topic, Message="blue-1", MessageAttributes={"color": _s("blue")})
    assert [m["Body"] for m in drain(sqs, url, 1)] == ["red-1"]
    sns.set_subscription_attributes(SubscriptionArn=sub, AttributeName="FilterPolicy",
                                    AttributeValue=json.dumps({"color": ["blue"]}))
    sns.publish(TopicArn=topic, Message="red-2", MessageAttributes={"color": _s("red")})
    sns.publish(TopicArn=topic, Message="blue-2", MessageAttributes={"color": _s("blue")})
    assert [m["Body"] for m in drain(sqs, url, 1)] == ["blue-2"]
    assert_queue_stays_empty(sqs, url, seconds=1.0)


def test_filter_policy_applies_to_enveloped_delivery(sns, sqs):
    topic = sns.create_topic(Name="filter-env")["TopicArn"]
    url, _ = sns_subscribe_queue(sns, sqs, topic, "env-q", FilterPolicy=json.dumps({"n": [{"numeric": [">", 10]}]}))
    sns.publish(TopicArn=topic, Message="small", MessageAttributes={"n": _n(3)})
    mid = sns.publish(TopicArn=topic, Message="big", MessageAttributes={"n": _n(11)})["MessageId"]
    [m] = drain(sqs, url, 1)
    env = json.loads(m["Body"])
    assert (env["MessageId"], env["Message"]) == (mid, "big")
    assert env["MessageAttributes"]["n"] == {"Type": "Number", "Value": "11"}
    assert_queue_stays_empty(sqs, url, seconds=1.0)
