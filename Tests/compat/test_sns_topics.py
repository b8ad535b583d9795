"""SNS topics: create/get/set/list/delete, FIFO naming rules, pagination, tags, permissions, errors.

Written from botocore's `sns` model and AWS's CreateTopic/SetTopicAttributes/ListTopics/AddPermission
documentation, not from Herald's code.
"""

from __future__ import annotations

import json

import pytest

from herald_compat import (
    DEFAULT_ACCOUNT,
    list_all_topics,
    make_queue,
    make_sns_client,
    raises_aws,
    topic_arn,
)


# --------------------------------------------------------------------------------------------
# create / get / delete
# --------------------------------------------------------------------------------------------

def test_create_topic_returns_arn_and_is_idempotent(sns):
    arn = sns.create_topic(Name="orders")["TopicArn"]
    assert arn == topic_arn("orders")
    # "This action is idempotent": the same name gives the same ARN and no second topic.
    assert sns.create_topic(Name="orders")["TopicArn"] == arn
    assert list_all_topics(sns) == [arn]


def test_create_existing_topic_with_different_attributes_is_rejected(sns):
    sns.create_topic(Name="attrs", Attributes={"DisplayName": "one"})
    with raises_aws("InvalidParameter"):
        sns.create_topic(Name="attrs", Attributes={"DisplayName": "two"})
    # Same attributes again: idempotent.
    assert sns.create_topic(Name="attrs", Attributes={"DisplayName": "one"})["TopicArn"] == topic_arn("attrs")


def test_default_topic_attributes(sns):
    arn = sns.create_topic(Name="defaults")["TopicArn"]
    a = sns.get_topic_attributes(TopicArn=arn)["Attributes"]
    assert a["TopicArn"] == arn
    assert a["Owner"] == DEFAULT_ACCOUNT
    assert a.get("DisplayName", "") == ""
    assert a["SubscriptionsConfirmed"] == "0"
    assert a["SubscriptionsPending"] == "0"
    assert a["SubscriptionsDeleted"] == "0"
    assert a.get("FifoTopic", "false") == "false"
    policy = json.loads(a["Policy"])
    assert policy["Version"] == "2008-10-17"
    resources = {s["Resource"] for s in policy["Statement"]}
    assert resources == {arn}
    effective = json.loads(a["EffectiveDeliveryPolicy"])
    healthy = effective["http"]["defaultHealthyRetryPolicy"]
    # AWS's documented default HTTP/S policy: 3 retries, 20 s apart, linear.
    assert healthy["numRetries"] == 3
    assert healthy["minDelayTarget"] == 20
    assert healthy["maxDelayTarget"] == 20
    assert healthy["backoffFunction"] == "linear"


def test_create_topic_with_attributes(sns):
    delivery = {"http": {"defaultHealthyRetryPolicy": {"minDelayTarget": 5, "maxDelayTarget": 10, "numRetries": 4,
                                                        "numNoDelayRetries": 0, "numMinDelayRetries": 0,
                                                        "numMaxDelayRetries": 0, "backoffFunction": "exponential"},
                         "disableSubscriptionOverrides": False}}
    arn = sns.create_topic(Name="configured", Attributes={
        "DisplayName": "Configured Topic",
        "DeliveryPolicy": json.dumps(delivery),
        "TracingConfig": "Active",
    })["TopicArn"]
    a = sns.get_topic_attributes(TopicArn=arn)["Attributes"]
    assert a["DisplayName"] == "Configured Topic"
    assert a["TracingConfig"] == "Active"
    assert json.loads(a["DeliveryPolicy"])["http"]["defaultHealthyRetryPolicy"]["numRetries"] == 4
    eff = json.loads(a["EffectiveDeliveryPolicy"])["http"]["defaultHealthyRetryPolicy"]
    assert eff["numRetries"] == 4
    assert eff["backoffFunction"] == "exponential"


def test_set_topic_attributes_round_trip(sns):
    arn = sns.create_topic(Name="settable")["TopicArn"]
    sns.set_topic_attributes(TopicArn=arn, AttributeName="DisplayName", AttributeValue="Shown")
    sns.set_topic_attributes(TopicArn=arn, AttributeName="TracingConfig", AttributeValue="PassThrough")
    sns.set_topic_attributes(TopicArn=arn, AttributeName="SignatureVersion", AttributeValue="2")
    policy = {"Version": "2012-10-17", "Id": "custom", "Statement": [{
        "Sid": "allow-publish", "Effect": "Allow", "Principal": {"AWS": "*"},
        "Action": "SNS:Publish", "Resource": arn}]}
    sns.set_topic_attributes(TopicArn=arn, AttributeName="Policy", AttributeValue=json.dumps(policy))
    a = sns.get_topic_attributes(TopicArn=arn)["Attributes"]
    assert a["DisplayName"] == "Shown"
    assert a["TracingConfig"] == "PassThrough"
    assert a["SignatureVersion"] == "2"
    got = json.loads(a["Policy"])
    assert got["Id"] == "custom"
    assert [s["Sid"] for s in got["Statement"]] == ["allow-publish"]


@pytest.mark.parametrize("name,value", [
    ("NoSuchAttribute", "x"),
    ("TracingConfig", "Sometimes"),
    ("SignatureVersion", "3"),
    ("Policy", "{not json"),
    ("DeliveryPolicy", "{not json"),
    ("FifoTopic", "true"),  # cannot be changed after creation
])
def test_set_topic_attributes_rejects_bad_values(sns, name, value):
    arn = sns.create_topic(Name="strict")["TopicArn"]
    with raises_aws("InvalidParameter"):
        sns.set_topic_attributes(TopicArn=arn, AttributeName=name, AttributeValue=value)


def test_delete_topic_removes_it_and_its_subscriptions(sns, sqs):
    arn = sns.create_topic(Name="doomed")["TopicArn"]
    keep = sns.create_topic(Name="kept")["TopicArn"]
    _, qarn = make_queue(sqs, "doomed-q")
    sns.subscribe(TopicArn=arn, Protocol="sqs", Endpoint=qarn)
    sns.subscribe(TopicArn=keep, Protocol="sqs", Endpoint=qarn)
    sns.delete_topic(TopicArn=arn)
    assert list_all_topics(sns) == [keep]
    with raises_aws("NotFound", 404):
        sns.get_topic_attributes(TopicArn=arn)
    assert [s["TopicArn"] for s in sns.list_subscriptions()["Subscriptions"]] == [keep]
    # "This action is idempotent, so deleting a topic that does not exist does not result in an error."
    sns.delete_topic(TopicArn=arn)


def test_missing_topic_is_not_found(sns):
    missing = topic_arn("never-created")
    with raises_aws("NotFound", 404):
        sns.get_topic_attributes(TopicArn=missing)
    with raises_aws("NotFound", 404):
        sns.set_topic_attributes(TopicArn=missing, AttributeName="DisplayName", AttributeValue="x")
    with raises_aws("NotFound", 404):
        sns.publish(TopicArn=missing, Message="hello")
    with raises_aws("NotFound", 404):
        sns.subscribe(TopicArn=missing, Protocol="sqs", Endpoint="arn:aws:sqs:us-east-1:000000000000:q")
    with raises_aws("NotFound", 404):
        sns.list_subscriptions_by_topic(TopicArn=missing)


@pytest.mark.parametrize("arn", ["not-an-arn", "arn:aws:sqs:us-east-1:000000000000:queue", "arn:aws:sns:us-east-1"])
def test_malformed_topic_arn_is_invalid_parameter(sns, arn):
    with raises_aws("InvalidParameter"):
        sns.get_topic_attributes(TopicArn=arn)


# --------------------------------------------------------------------------------------------
# names and FIFO rules
# --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["", "has space", "bad/slash", "dot.name", "emoji-\u2603", "x" * 257, "star*"])
def test_invalid_topic_names_are_rejected(sns, name):
    with raises_aws("InvalidParameter"):
        sns.create_topic(Name=name)
    assert list_all_topics(sns) == []


def test_longest_valid_name_and_allowed_characters(sns):
    long_name = "a" * 256
    assert sns.create_topic(Name=long_name)["TopicArn"] == topic_arn(long_name)
    assert sns.create_topic(Name="Mixed_Case-09")["TopicArn"] == topic_arn("Mixed_Case-09")


def test_fifo_topic_attributes(sns):
    arn = sns.create_topic(Name="orders.fifo", Attributes={"FifoTopic": "true"})["TopicArn"]
    assert arn == topic_arn("orders.fifo")
    a = sns.get_topic_attributes(TopicArn=arn)["Attributes"]
    assert a["FifoTopic"] == "true"
    assert a["ContentBasedDeduplication"] == "false"
    sns.set_topic_attributes(TopicArn=arn, AttributeName="ContentBasedDeduplication", AttributeValue="true")
    assert sns.get_topic_attributes(TopicArn=arn)["Attributes"]["ContentBasedDeduplication"] == "true"


def test_fifo_topic_with_content_based_deduplication_at_creation(sns):
    arn = sns.create_topic(Name="cbd.fifo", Attributes={"FifoTopic": "true",
                                                         "ContentBasedDeduplication": "true"})["TopicArn"]
    assert sns.get_topic_attributes(TopicArn=arn)["Attributes"]["ContentBasedDeduplication"] == "true"


@pytest.mark.parametrize("name,attributes", [
    ("nofifo", {"FifoTopic": "true"}),                  # FIFO topic names must end with .fifo
    ("plain.fifo", {}),                                 # .fifo names are only for FIFO topics
    ("plain.fifo", {"FifoTopic": "false"}),
    ("std", {"ContentBasedDeduplication": "true"}),     # only FIFO topics deduplicate
    (".fifo", {"FifoTopic": "true"}),                   # the part before .fifo must not be empty
    ("bad name.fifo", {"FifoTopic": "true"}),
    ("std", {"FifoTopic": "maybe"}),
    ("std", {"NoSuchAttribute": "1"}),
])
def test_fifo_naming_rules_and_bad_attributes(sns, name, attributes):
    with raises_aws("InvalidParameter"):
        sns.create_topic(Name=name, Attributes=attributes)
    assert list_all_topics(sns) == []


def test_content_based_deduplication_cannot_be_set_on_standard_topic(sns):
    arn = sns.create_topic(Name="std-cbd")["TopicArn"]
    with raises_aws("InvalidParameter"):
        sns.set_topic_attributes(TopicArn=arn, AttributeName="ContentBasedDeduplication", AttributeValue="true")


# --------------------------------------------------------------------------------------------
# listing
# --------------------------------------------------------------------------------------------

def test_list_topics_paginates_by_100(sns):
    names = [f"page-{i:03d}" for i in range(105)]
    for n in names:
        sns.create_topic(Name=n)
    first = sns.list_topics()
    assert len(first["Topics"]) == 100
    assert first.get("NextToken")
    second = sns.list_topics(NextToken=first["NextToken"])
    assert len(second["Topics"]) == 5
    assert not second.get("NextToken")
    arns = [t["TopicArn"] for t in first["Topics"] + second["Topics"]]
    assert sorted(arns) == sorted(topic_arn(n) for n in names)
    assert len(set(arns)) == 105
    # boto3's paginator follows NextToken the same way.
    paged = [t["TopicArn"] for p in sns.get_paginator("list_topics").paginate() for t in p["Topics"]]
    assert sorted(paged) == sorted(arns)


def test_list_topics_with_bad_next_token(sns):
    sns.create_topic(Name="one")
    with raises_aws("InvalidParameter"):
        sns.list_topics(NextToken="garbage-token-!!")


def test_topics_are_scoped_by_region_and_account(herald, sns):
    west = make_sns_client(herald.endpoint, region="eu-west-1")
    other = make_sns_client(herald.endpoint, access_key="111122223333")
    a = sns.create_topic(Name="scoped")["TopicArn"]
    b = west.create_topic(Name="scoped")["TopicArn"]
    c = other.create_topic(Name="scoped")["TopicArn"]
    assert a == topic_arn("scoped")
    assert b == topic_arn("scoped", region="eu-west-1")
    assert c == topic_arn("scoped", account="111122223333")
    assert list_all_topics(sns) == [a]
    assert list_all_topics(west) == [b]
    assert list_all_topics(other) == [c]
    assert other.get_topic_attributes(TopicArn=c)["Attributes"]["Owner"] == "111122223333"


# --------------------------------------------------------------------------------------------
# tags
# --------------------------------------------------------------------------------------------

def _tags(sns, arn) -> dict[str, str]:
    return {t["Key"]: t["Value"] for t in sns.list_tags_for_resource(ResourceArn=arn)["Tags"]}


def test_tags_at_creation_and_tag_untag(sns):
    arn = sns.create_topic(Name="tagged", Tags=[{"Key": "team", "Value": "core"},
                                                 {"Key": "env", "Value": "dev"}])["TopicArn"]
    assert _tags(sns, arn) == {"team": "core", "env": "dev"}
    sns.tag_resource(ResourceArn=arn, Tags=[{"Key": "env", "Value": "prod"}, {"Key": "cost", "Value": "42"}])
    assert _tags(sns, arn) == {"team": "core", "env": "prod", "cost": "42"}
    sns.untag_resource(ResourceArn=arn, TagKeys=["team", "not-there"])
    assert _tags(sns, arn) == {"env": "prod", "cost": "42"}


def test_tags_on_missing_topic_are_resource_not_found(sns):
    missing = topic_arn("no-tags-here")
    with raises_aws("ResourceNotFound", 404):
        sns.list_tags_for_resource(ResourceArn=missing)
    with raises_aws("ResourceNotFound", 404):
        sns.tag_resource(ResourceArn=missing, Tags=[{"Key": "a", "Value": "b"}])
    with raises_aws("ResourceNotFound", 404):
        sns.untag_resource(ResourceArn=missing, TagKeys=["a"])


def test_more_than_50_tags_is_tag_limit_exceeded(sns):
    arn = sns.create_topic(Name="many-tags", Tags=[{"Key": f"k{i}", "Value": "v"} for i in range(50)])["TopicArn"]
    assert len(_tags(sns, arn)) == 50
    with raises_aws("TagLimitExceeded"):
        sns.tag_resource(ResourceArn=arn, Tags=[{"Key": "one-too-many", "Value": "v"}])
    assert len(_tags(sns, arn)) == 50


# --------------------------------------------------------------------------------------------
# permissions (stored and returned in the Policy attribute)
# --------------------------------------------------------------------------------------------

def _statements(sns, arn) -> dict[str, dict]:
    policy = json.loads(sns.get_topic_attributes(TopicArn=arn)["Attributes"]["Policy"])
    return {s.get("Sid"): s for s in policy["Statement"]}


def test_add_and_remove_permission(sns):
    arn = sns.create_topic(Name="shared")["TopicArn"]
    before = set(_statements(sns, arn))
    sns.add_permission(TopicArn=arn, Label="AllowPartners", AWSAccountId=["111122223333", "444455556666"],
                       ActionName=["Publish", "Subscribe"])
    stmts = _statements(sns, arn)
    assert set(stmts) == before | {"AllowPartners"}
    s = stmts["AllowPartners"]
    assert s["Effect"] == "Allow"
    assert s["Resource"] == arn
    actions = s["Action"] if isinstance(s["Action"], list) else [s["Action"]]
    assert sorted(actions) == ["SNS:Publish", "SNS:Subscribe"]
    principal = json.dumps(s["Principal"])
    assert "111122223333" in principal and "444455556666" in principal

    sns.remove_permission(TopicArn=arn, Label="AllowPartners")
    assert set(_statements(sns, arn)) == before


def test_add_permission_with_existing_label_is_rejected(sns):
    arn = sns.create_topic(Name="dup-label")["TopicArn"]
    sns.add_permission(TopicArn=arn, Label="L1", AWSAccountId=["111122223333"], ActionName=["Publish"])
    with raises_aws("InvalidParameter"):
        sns.add_permission(TopicArn=arn, Label="L1", AWSAccountId=["444455556666"], ActionName=["Publish"])


def test_permissions_on_missing_topic_are_not_found(sns):
    with raises_aws("NotFound", 404):
        sns.add_permission(TopicArn=topic_arn("nope"), Label="L", AWSAccountId=["111122223333"],
                           ActionName=["Publish"])
