"""Queue management: CreateQueue, GetQueueUrl, ListQueues, DeleteQueue, attributes, tags, permissions.

Expected behaviour is AWS's, from botocore's sqs model and the SQS API reference. Error codes are
the query-protocol codes that AWS sends in `x-amzn-query-error` and that botocore reports.
"""

from __future__ import annotations

import json
import time

import pytest

from herald_compat import (
    DEFAULT_ACCOUNT,
    attrs,
    queue_arn,
    queue_url,
    raises_aws,
)

NON_EXISTENT = "AWS.SimpleQueueService.NonExistentQueue"


# ---------------------------------------------------------------- CreateQueue / GetQueueUrl

def test_create_queue_returns_aws_shaped_url_with_connected_host_and_default_account(sqs, endpoint):
    resp = sqs.create_queue(QueueName="orders")
    assert resp["QueueUrl"] == f"{endpoint}/{DEFAULT_ACCOUNT}/orders"


def test_create_queue_is_idempotent_with_identical_attributes(sqs):
    a = sqs.create_queue(QueueName="idem", Attributes={"VisibilityTimeout": "45", "DelaySeconds": "2"})
    b = sqs.create_queue(QueueName="idem", Attributes={"VisibilityTimeout": "45", "DelaySeconds": "2"})
    assert a["QueueUrl"] == b["QueueUrl"]
    assert len(sqs.list_queues()["QueueUrls"]) == 1


def test_create_queue_without_attributes_on_existing_queue_returns_its_url(sqs):
    a = sqs.create_queue(QueueName="plain")
    b = sqs.create_queue(QueueName="plain")
    assert a["QueueUrl"] == b["QueueUrl"]


def test_create_queue_with_different_attributes_fails_with_queue_already_exists(sqs):
    sqs.create_queue(QueueName="clash", Attributes={"VisibilityTimeout": "45"})
    # JSON protocol: __type QueueNameExists, x-amzn-query-error QueueAlreadyExists;Sender.
    with raises_aws("QueueAlreadyExists") as info:
        sqs.create_queue(QueueName="clash", Attributes={"VisibilityTimeout": "46"})
    assert isinstance(info.value, sqs.exceptions.QueueNameExists)
    # The existing queue was not altered.
    assert attrs(sqs, sqs.get_queue_url(QueueName="clash")["QueueUrl"], "VisibilityTimeout") == {"VisibilityTimeout": "45"}


def test_get_queue_url_returns_url_of_existing_queue(sqs, endpoint):
    sqs.create_queue(QueueName="lookup-me")
    assert sqs.get_queue_url(QueueName="lookup-me")["QueueUrl"] == queue_url(endpoint, "lookup-me")


def test_get_queue_url_of_missing_queue_fails_with_non_existent_queue(sqs):
    with raises_aws(NON_EXISTENT) as info:
        sqs.get_queue_url(QueueName="nope")
    assert isinstance(info.value, sqs.exceptions.QueueDoesNotExist)


def test_queue_names_are_case_sensitive(sqs):
    sqs.create_queue(QueueName="CaseQ")
    with raises_aws(NON_EXISTENT):
        sqs.get_queue_url(QueueName="caseq")


@pytest.mark.parametrize("name", ["a" * 80, "A-b_c-9", "x", "a" * 75 + ".fifo"])
def test_create_queue_accepts_names_up_to_80_chars_of_alnum_hyphen_underscore(sqs, name):
    attributes = {"FifoQueue": "true"} if name.endswith(".fifo") else {}
    url = sqs.create_queue(QueueName=name, Attributes=attributes)["QueueUrl"]
    assert url.endswith("/" + name)


@pytest.mark.parametrize("name", ["a" * 81, "has space", "dot.name", "slash/name", "star*", "ünïcode", "a" * 77 + ".fifo"])
def test_create_queue_rejects_invalid_names_with_invalid_parameter_value(sqs, name):
    attributes = {"FifoQueue": "true"} if name.endswith(".fifo") else {}
    with raises_aws("InvalidParameterValue"):
        sqs.create_queue(QueueName=name, Attributes=attributes)


def test_fifo_suffix_without_fifo_queue_attribute_is_rejected(sqs):
    with raises_aws("InvalidParameterValue"):
        sqs.create_queue(QueueName="orders.fifo")


def test_fifo_queue_attribute_without_fifo_suffix_is_rejected(sqs):
    with raises_aws("InvalidParameterValue"):
        sqs.create_queue(QueueName="orders", Attributes={"FifoQueue": "true"})


def test_fifo_suffix_with_fifo_queue_false_is_rejected(sqs):
    with raises_aws("InvalidParameterValue"):
        sqs.create_queue(QueueName="orders.fifo", Attributes={"FifoQueue": "false"})


# ---------------------------------------------------------------- ListQueues

def test_list_queues_on_empty_account_returns_no_urls(sqs):
    assert sqs.list_queues().get("QueueUrls", []) == []


def test_list_queues_returns_all_queues_and_filters_by_case_sensitive_prefix(sqs, endpoint):
    for name in ["alpha-1", "alpha-2", "beta-1", "Alpha-3"]:
        sqs.create_queue(QueueName=name)
    all_urls = sorted(sqs.list_queues()["QueueUrls"])
    assert all_urls == sorted(queue_url(endpoint, n) for n in ["alpha-1", "alpha-2", "beta-1", "Alpha-3"])
    assert sorted(sqs.list_queues(QueueNamePrefix="alpha")["QueueUrls"]) == [
        queue_url(endpoint, "alpha-1"), queue_url(endpoint, "alpha-2")
    ]
    assert sqs.list_queues(QueueNamePrefix="zzz").get("QueueUrls", []) == []


def test_list_queues_paginates_with_max_results_and_next_token(sqs, endpoint):
    names = [f"page-{i:02d}" for i in range(7)]
    for n in names:
        sqs.create_queue(QueueName=n)
    pages = []
    resp = sqs.list_queues(MaxResults=3)
    pages.append(resp["QueueUrls"])
    while "NextToken" in resp:
        resp = sqs.list_queues(MaxResults=3, NextToken=resp["NextToken"])
        pages.append(resp["QueueUrls"])
    assert [len(p) for p in pages] == [3, 3, 1]
    flat = [u for p in pages for u in p]
    assert sorted(flat) == sorted(queue_url(endpoint, n) for n in names)  # each exactly once


def test_list_queues_without_max_results_returns_no_next_token(sqs):
    for i in range(3):
        sqs.create_queue(QueueName=f"q{i}")
    resp = sqs.list_queues()
    assert len(resp["QueueUrls"]) == 3
    assert "NextToken" not in resp


def test_list_queues_paginator_with_prefix_walks_every_page(sqs):
    for i in range(5):
        sqs.create_queue(QueueName=f"pg-{i}")
    sqs.create_queue(QueueName="other")
    pager = sqs.get_paginator("list_queues")
    urls = [u for page in pager.paginate(QueueNamePrefix="pg-", PaginationConfig={"PageSize": 2}) for u in page.get("QueueUrls", [])]
    assert sorted(u.rsplit("/", 1)[1] for u in urls) == [f"pg-{i}" for i in range(5)]


@pytest.mark.parametrize("max_results", [0, 1001])
def test_list_queues_rejects_max_results_outside_1_to_1000(sqs, max_results):
    with raises_aws("InvalidParameterValue"):
        sqs.list_queues(MaxResults=max_results)


# ---------------------------------------------------------------- DeleteQueue

def test_delete_queue_removes_it(sqs):
    url = sqs.create_queue(QueueName="doomed")["QueueUrl"]
    sqs.send_message(QueueUrl=url, MessageBody="x")
    sqs.delete_queue(QueueUrl=url)
    with raises_aws(NON_EXISTENT):
        sqs.get_queue_url(QueueName="doomed")
    assert sqs.list_queues().get("QueueUrls", []) == []


def test_operations_on_deleted_queue_fail_with_non_existent_queue(sqs):
    url = sqs.create_queue(QueueName="gone")["QueueUrl"]
    sqs.delete_queue(QueueUrl=url)
    with raises_aws(NON_EXISTENT):
        sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])


def test_delete_missing_queue_fails_with_non_existent_queue(sqs, endpoint):
    with raises_aws(NON_EXISTENT):
        sqs.delete_queue(QueueUrl=queue_url(endpoint, "never-was"))


def test_send_to_missing_queue_fails_with_non_existent_queue(sqs, endpoint):
    with raises_aws(NON_EXISTENT):
        sqs.send_message(QueueUrl=queue_url(endpoint, "never-was"), MessageBody="x")


def test_recreating_a_just_deleted_queue_fails_with_queue_deleted_recently(sqs):
    # AWS documents: "you must wait at least 60 seconds before creating a queue with the same name"
    # and models QueueDeletedRecently (query code AWS.SimpleQueueService.QueueDeletedRecently).
    url = sqs.create_queue(QueueName="phoenix")["QueueUrl"]
    sqs.delete_queue(QueueUrl=url)
    with raises_aws("AWS.SimpleQueueService.QueueDeletedRecently") as info:
        sqs.create_queue(QueueName="phoenix")
    assert isinstance(info.value, sqs.exceptions.QueueDeletedRecently)


# ---------------------------------------------------------------- GetQueueAttributes

STANDARD_DEFAULTS = {
    "VisibilityTimeout": "30",
    "MaximumMessageSize": "1048576",  # 1 MiB: the limit in the current model (raised from 256 KiB in 2025)
    "MessageRetentionPeriod": "345600",
    "DelaySeconds": "0",
    "ReceiveMessageWaitTimeSeconds": "0",
    "ApproximateNumberOfMessages": "0",
    "ApproximateNumberOfMessagesNotVisible": "0",
    "ApproximateNumberOfMessagesDelayed": "0",
}


def test_get_all_attributes_of_new_standard_queue_returns_documented_defaults(sqs):
    before = int(time.time())
    url = sqs.create_queue(QueueName="defaults")["QueueUrl"]
    a = attrs(sqs, url, "All")
    for name, value in STANDARD_DEFAULTS.items():
        assert a.get(name) == value, f"{name}: expected {value!r}, got {a.get(name)!r}"
    assert a["QueueArn"] == queue_arn("defaults")
    created = int(a["CreatedTimestamp"])
    assert before - 5 <= created <= time.time() + 5  # epoch seconds, not millis
    assert int(a["LastModifiedTimestamp"]) >= created
    # FIFO-only attributes are not reported for a standard queue.
    for fifo_only in ("FifoQueue", "ContentBasedDeduplication", "DeduplicationScope", "FifoThroughputLimit"):
        assert fifo_only not in a
    # New queues get SSE-SQS by default (AWS, since 2022/2023). Documented default; marked uncertain.
    assert a.get("SqsManagedSseEnabled") == "true"


def test_get_all_attributes_of_new_fifo_queue_includes_fifo_defaults(sqs):
    url = sqs.create_queue(QueueName="defaults.fifo", Attributes={"FifoQueue": "true"})["QueueUrl"]
    a = attrs(sqs, url, "All")
    assert a["FifoQueue"] == "true"
    assert a["ContentBasedDeduplication"] == "false"
    assert a["DeduplicationScope"] == "queue"
    assert a["FifoThroughputLimit"] == "perQueue"
    assert a["QueueArn"] == queue_arn("defaults.fifo")
    assert a["VisibilityTimeout"] == "30"


def test_get_queue_attributes_returns_only_requested_names(sqs):
    url = sqs.create_queue(QueueName="some")["QueueUrl"]
    a = attrs(sqs, url, "VisibilityTimeout", "QueueArn")
    assert a == {"VisibilityTimeout": "30", "QueueArn": queue_arn("some")}


def test_get_queue_attributes_without_names_returns_nothing(sqs):
    url = sqs.create_queue(QueueName="none")["QueueUrl"]
    assert sqs.get_queue_attributes(QueueUrl=url).get("Attributes", {}) == {}


def test_get_queue_attributes_with_unknown_name_fails_with_invalid_attribute_name(sqs):
    url = sqs.create_queue(QueueName="bad-attr")["QueueUrl"]
    with raises_aws("InvalidAttributeName"):
        sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["NoSuchAttribute"])


def test_approximate_counts_track_visible_in_flight_and_delayed_messages(sqs):
    url = sqs.create_queue(QueueName="counts")["QueueUrl"]
    for i in range(3):
        sqs.send_message(QueueUrl=url, MessageBody=f"m{i}")
    sqs.send_message(QueueUrl=url, MessageBody="later", DelaySeconds=60)
    got = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=1, VisibilityTimeout=60)["Messages"]
    assert len(got) == 1
    a = attrs(sqs, url, "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible", "ApproximateNumberOfMessagesDelayed")
    assert a == {
        "ApproximateNumberOfMessages": "2",
        "ApproximateNumberOfMessagesNotVisible": "1",
        "ApproximateNumberOfMessagesDelayed": "1",
    }


# ---------------------------------------------------------------- SetQueueAttributes

SETTABLE_STANDARD = {
    "DelaySeconds": "7",
    "MaximumMessageSize": "2048",
    "MessageRetentionPeriod": "86400",
    "ReceiveMessageWaitTimeSeconds": "3",
    "VisibilityTimeout": "120",
}


def test_create_queue_with_every_settable_standard_attribute_returns_them(sqs):
    url = sqs.create_queue(QueueName="custom", Attributes=SETTABLE_STANDARD)["QueueUrl"]
    a = attrs(sqs, url, "All")
    for k, v in SETTABLE_STANDARD.items():
        assert a[k] == v, k


@pytest.mark.parametrize("name,value", sorted(SETTABLE_STANDARD.items()))
def test_set_queue_attribute_round_trips(sqs, name, value):
    url = sqs.create_queue(QueueName="settable")["QueueUrl"]
    sqs.set_queue_attributes(QueueUrl=url, Attributes={name: value})
    assert attrs(sqs, url, name) == {name: value}


def test_set_queue_attributes_updates_last_modified_timestamp(sqs):
    url = sqs.create_queue(QueueName="touched")["QueueUrl"]
    created = int(attrs(sqs, url, "CreatedTimestamp")["CreatedTimestamp"])
    time.sleep(1.1)
    sqs.set_queue_attributes(QueueUrl=url, Attributes={"VisibilityTimeout": "31"})
    a = attrs(sqs, url, "CreatedTimestamp", "LastModifiedTimestamp")
    assert int(a["CreatedTimestamp"]) == created
    assert int(a["LastModifiedTimestamp"]) > created


def test_policy_attribute_round_trips_as_json(sqs):
    url = sqs.create_queue(QueueName="with-policy")["QueueUrl"]
    arn = queue_arn("with-policy")
    policy = {
        "Version": "2012-10-17",
        "Id": "p1",
        "Statement": [{
            "Sid": "AllowSend",
            "Effect": "Allow",
            "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
            "Action": "SQS:SendMessage",
            "Resource": arn,
        }],
    }
    sqs.set_queue_attributes(QueueUrl=url, Attributes={"Policy": json.dumps(policy)})
    assert json.loads(attrs(sqs, url, "Policy")["Policy"]) == policy


def test_sse_attributes_are_stored_and_returned(sqs):
    url = sqs.create_queue(QueueName="kms", Attributes={
        "KmsMasterKeyId": "alias/aws/sqs",
        "KmsDataKeyReusePeriodSeconds": "600",
    })["QueueUrl"]
    a = attrs(sqs, url, "KmsMasterKeyId", "KmsDataKeyReusePeriodSeconds")
    assert a == {"KmsMasterKeyId": "alias/aws/sqs", "KmsDataKeyReusePeriodSeconds": "600"}


def test_sqs_managed_sse_can_be_disabled(sqs):
    url = sqs.create_queue(QueueName="nosse", Attributes={"SqsManagedSseEnabled": "false"})["QueueUrl"]
    assert attrs(sqs, url, "SqsManagedSseEnabled") == {"SqsManagedSseEnabled": "false"}


def test_fifo_high_throughput_attributes_are_accepted_and_returned(sqs):
    url = sqs.create_queue(QueueName="ht.fifo", Attributes={
        "FifoQueue": "true",
        "ContentBasedDeduplication": "true",
        "DeduplicationScope": "messageGroup",
        "FifoThroughputLimit": "perMessageGroupId",
    })["QueueUrl"]
    a = attrs(sqs, url, "All")
    assert (a["ContentBasedDeduplication"], a["DeduplicationScope"], a["FifoThroughputLimit"]) == (
        "true", "messageGroup", "perMessageGroupId")


def test_redrive_policy_and_redrive_allow_policy_round_trip(sqs):
    dlq = sqs.create_queue(QueueName="rt-dlq", Attributes={
        "RedriveAllowPolicy": json.dumps({"redrivePermission": "byQueue", "sourceQueueArns": [queue_arn("rt-src")]}),
    })["QueueUrl"]
    src = sqs.create_queue(QueueName="rt-src", Attributes={
        "RedrivePolicy": json.dumps({"deadLetterTargetArn": queue_arn("rt-dlq"), "maxReceiveCount": 4}),
    })["QueueUrl"]
    rp = json.loads(attrs(sqs, src, "RedrivePolicy")["RedrivePolicy"])
    assert rp["deadLetterTargetArn"] == queue_arn("rt-dlq")
    assert int(rp["maxReceiveCount"]) == 4
    rap = json.loads(attrs(sqs, dlq, "RedriveAllowPolicy")["RedriveAllowPolicy"])
    assert rap == {"redrivePermission": "byQueue", "sourceQueueArns": [queue_arn("rt-src")]}


def test_set_queue_attributes_with_unknown_name_fails_with_invalid_attribute_name(sqs):
    url = sqs.create_queue(QueueName="unknown-set")["QueueUrl"]
    with raises_aws("InvalidAttributeName"):
        sqs.set_queue_attributes(QueueUrl=url, Attributes={"Colour": "blue"})


def test_create_queue_with_unknown_attribute_fails_with_invalid_attribute_name(sqs):
    with raises_aws("InvalidAttributeName"):
        sqs.create_queue(QueueName="unknown-create", Attributes={"Colour": "blue"})
    with raises_aws(NON_EXISTENT):
        sqs.get_queue_url(QueueName="unknown-create")


INVALID_VALUES = [
    ("VisibilityTimeout", "43201"),
    ("VisibilityTimeout", "-1"),
    ("VisibilityTimeout", "abc"),
    ("DelaySeconds", "901"),
    ("MaximumMessageSize", "1023"),
    ("MaximumMessageSize", "1048577"),
    ("MessageRetentionPeriod", "59"),
    ("MessageRetentionPeriod", "1209601"),
    ("ReceiveMessageWaitTimeSeconds", "21"),
    ("KmsDataKeyReusePeriodSeconds", "59"),
    ("Policy", "not json"),  # AWS troubleshooting guide: an invalid policy gives InvalidAttributeValue
]


@pytest.mark.parametrize("name,value", INVALID_VALUES)
def test_set_queue_attributes_rejects_out_of_range_values_with_invalid_attribute_value(sqs, name, value):
    url = sqs.create_queue(QueueName="ranges")["QueueUrl"]
    with raises_aws("InvalidAttributeValue"):
        sqs.set_queue_attributes(QueueUrl=url, Attributes={name: value})


@pytest.mark.parametrize("name,value", [
    ("RedrivePolicy", "not json"),
    ("RedrivePolicy", json.dumps({"maxReceiveCount": 3})),
    ("RedriveAllowPolicy", json.dumps({"redrivePermission": "sometimes"})),
])
def test_set_queue_attributes_rejects_malformed_json_policies(sqs, name, value):
    url = sqs.create_queue(QueueName="json-attrs")["QueueUrl"]
    # AWS answers InvalidParameterValue ("Value ... for parameter RedrivePolicy is invalid. Reason: ...")
    # for the redrive policies; the model also lists InvalidAttributeValue. Either is accepted.
    with raises_aws(("InvalidAttributeValue", "InvalidParameterValue")):
        sqs.set_queue_attributes(QueueUrl=url, Attributes={name: value})


@pytest.mark.parametrize("name,value", INVALID_VALUES[:9])
def test_create_queue_rejects_out_of_range_values_with_invalid_attribute_value(sqs, name, value):
    with raises_aws("InvalidAttributeValue"):
        sqs.create_queue(QueueName="ranges-create", Attributes={name: value})


@pytest.mark.parametrize("name,value", [
    ("VisibilityTimeout", "0"), ("VisibilityTimeout", "43200"),
    ("DelaySeconds", "900"), ("MaximumMessageSize", "1024"), ("MaximumMessageSize", "1048576"),
    ("MessageRetentionPeriod", "60"), ("MessageRetentionPeriod", "1209600"),
    ("ReceiveMessageWaitTimeSeconds", "20"),
])
def test_set_queue_attributes_accepts_boundary_values(sqs, name, value):
    url = sqs.create_queue(QueueName="bounds")["QueueUrl"]
    sqs.set_queue_attributes(QueueUrl=url, Attributes={name: value})
    assert attrs(sqs, url, name) == {name: value}


def test_queue_type_cannot_be_changed_after_creation(sqs):
    url = sqs.create_queue(QueueName="std")["QueueUrl"]
    # "You can provide this attribute only during queue creation." AWS rejects it on set; the
    # exact code is not documented (observed: InvalidAttributeName), either attribute error is accepted.
    with raises_aws(("InvalidAttributeName", "InvalidAttributeValue")):
        sqs.set_queue_attributes(QueueUrl=url, Attributes={"FifoQueue": "true"})


def test_read_only_attributes_cannot_be_set(sqs):
    url = sqs.create_queue(QueueName="ro")["QueueUrl"]
    # Read-only attributes are not in SetQueueAttributes' list; AWS answers InvalidAttributeName.
    with raises_aws(("InvalidAttributeName", "InvalidAttributeValue")):
        sqs.set_queue_attributes(QueueUrl=url, Attributes={"QueueArn": "arn:aws:sqs:us-east-1:000000000000:x"})


def test_fifo_only_attribute_on_standard_queue_is_rejected(sqs):
    # AWS: InvalidAttributeName "Unknown Attribute ContentBasedDeduplication." for standard queues.
    with raises_aws(("InvalidAttributeName", "InvalidAttributeValue")):
        sqs.create_queue(QueueName="std-cbd", Attributes={"ContentBasedDeduplication": "true"})


def test_per_message_group_throughput_requires_message_group_dedup_scope(sqs):
    # "The perMessageGroupId value is allowed only when the value for DeduplicationScope is messageGroup."
    with raises_aws(("InvalidAttributeValue", "InvalidParameterValue")):
        sqs.create_queue(QueueName="ht-bad.fifo", Attributes={
            "FifoQueue": "true", "DeduplicationScope": "queue", "FifoThroughputLimit": "perMessageGroupId",
        })


# ---------------------------------------------------------------- Tags

def test_tags_given_at_create_queue_are_listed(sqs):
    url = sqs.create_queue(QueueName="tagged", tags={"team": "payments", "env": "test"})["QueueUrl"]
    assert sqs.list_queue_tags(QueueUrl=url)["Tags"] == {"team": "payments", "env": "test"}


def test_tag_queue_adds_and_overwrites_and_untag_removes(sqs):
    url = sqs.create_queue(QueueName="tagging")["QueueUrl"]
    assert sqs.list_queue_tags(QueueUrl=url).get("Tags", {}) == {}
    sqs.tag_queue(QueueUrl=url, Tags={"a": "1", "b": "2"})
    sqs.tag_queue(QueueUrl=url, Tags={"b": "20", "c": "3"})
    assert sqs.list_queue_tags(QueueUrl=url)["Tags"] == {"a": "1", "b": "20", "c": "3"}
    sqs.untag_queue(QueueUrl=url, TagKeys=["a", "c", "not-there"])
    assert sqs.list_queue_tags(QueueUrl=url)["Tags"] == {"b": "20"}


def test_tags_are_case_sensitive(sqs):
    url = sqs.create_queue(QueueName="tagcase")["QueueUrl"]
    sqs.tag_queue(QueueUrl=url, Tags={"Key": "A", "key": "b"})
    assert sqs.list_queue_tags(QueueUrl=url)["Tags"] == {"Key": "A", "key": "b"}


def test_tag_operations_on_missing_queue_fail_with_non_existent_queue(sqs, endpoint):
    with raises_aws(NON_EXISTENT):
        sqs.tag_queue(QueueUrl=queue_url(endpoint, "ghost"), Tags={"a": "b"})
    with raises_aws(NON_EXISTENT):
        sqs.list_queue_tags(QueueUrl=queue_url(endpoint, "ghost"))


# ---------------------------------------------------------------- Permissions

def _statements(sqs, url):
    policy = attrs(sqs, url, "Policy").get("Policy")
    return json.loads(policy)["Statement"] if policy else []


def test_add_permission_is_visible_as_a_policy_statement(sqs):
    url = sqs.create_queue(QueueName="shared")["QueueUrl"]
    sqs.add_permission(QueueUrl=url, Label="AliceSend", AWSAccountIds=["111122223333"], Actions=["SendMessage"])
    statements = _statements(sqs, url)
    assert len(statements) == 1
    st = statements[0]
    assert st["Sid"] == "AliceSend"
    assert st["Effect"] == "Allow"
    principal = st["Principal"]["AWS"]
    principal = principal if isinstance(principal, list) else [principal]
    assert principal == ["arn:aws:iam::111122223333:root"]
    actions = st["Action"] if isinstance(st["Action"], list) else [st["Action"]]
    assert actions == ["SQS:SendMessage"]
    assert st["Resource"] == queue_arn("shared")


def test_add_permission_with_several_accounts_and_actions(sqs):
    url = sqs.create_queue(QueueName="shared2")["QueueUrl"]
    sqs.add_permission(QueueUrl=url, Label="Team", AWSAccountIds=["111122223333", "444455556666"],
                       Actions=["ReceiveMessage", "DeleteMessage"])
    st = _statements(sqs, url)[0]
    principals = st["Principal"]["AWS"]
    assert sorted(principals) == ["arn:aws:iam::111122223333:root", "arn:aws:iam::444455556666:root"]
    assert sorted(st["Action"]) == ["SQS:DeleteMessage", "SQS:ReceiveMessage"]


def test_remove_permission_removes_the_labelled_statement(sqs):
    url = sqs.create_queue(QueueName="shared3")["QueueUrl"]
    sqs.add_permission(QueueUrl=url, Label="One", AWSAccountIds=["111122223333"], Actions=["SendMessage"])
    sqs.add_permission(QueueUrl=url, Label="Two", AWSAccountIds=["111122223333"], Actions=["ReceiveMessage"])
    assert sorted(s["Sid"] for s in _statements(sqs, url)) == ["One", "Two"]
    sqs.remove_permission(QueueUrl=url, Label="One")
    assert [s["Sid"] for s in _statements(sqs, url)] == ["Two"]
    sqs.remove_permission(QueueUrl=url, Label="Two")
    assert _statements(sqs, url) == []


def test_add_permission_with_duplicate_label_is_rejected(sqs):
    url = sqs.create_queue(QueueName="shared4")["QueueUrl"]
    sqs.add_permission(QueueUrl=url, Label="Dup", AWSAccountIds=["111122223333"], Actions=["SendMessage"])
    # AWS: InvalidParameterValue "Value Dup for parameter Label is invalid. Reason: Already exists."
    with raises_aws("InvalidParameterValue"):
        sqs.add_permission(QueueUrl=url, Label="Dup", AWSAccountIds=["111122223333"], Actions=["SendMessage"])


def test_remove_permission_with_unknown_label_is_rejected(sqs):
    url = sqs.create_queue(QueueName="shared5")["QueueUrl"]
    # AWS: InvalidParameterValue "Value x for parameter Label is invalid. Reason: can't find label."
    with raises_aws("InvalidParameterValue"):
        sqs.remove_permission(QueueUrl=url, Label="nothing-here")
