"""Accounts and regions come from the SigV4 credential scope: region from the scope, account from
a 12-digit access key id (else the server's default account)."""

from __future__ import annotations

from herald_compat import attrs, make_sqs_client, queue_arn, queue_url, raises_aws

ACCOUNT_A = "111111111111"
ACCOUNT_B = "222222222222"


def test_same_queue_name_in_two_regions_are_distinct_queues(sqs_factory):
    east, west = sqs_factory(region="us-east-1"), sqs_factory(region="eu-west-1")
    east_url = east.create_queue(QueueName="shared-name", Attributes={"VisibilityTimeout": "10"})["QueueUrl"]
    west_url = west.create_queue(QueueName="shared-name", Attributes={"VisibilityTimeout": "20"})["QueueUrl"]
    assert attrs(east, east_url, "QueueArn", "VisibilityTimeout") == {
        "QueueArn": queue_arn("shared-name", region="us-east-1"), "VisibilityTimeout": "10"}
    assert attrs(west, west_url, "QueueArn", "VisibilityTimeout") == {
        "QueueArn": queue_arn("shared-name", region="eu-west-1"), "VisibilityTimeout": "20"}
    east.send_message(QueueUrl=east_url, MessageBody="for the east")
    assert west.receive_message(QueueUrl=west_url).get("Messages", []) == []
    assert [m["Body"] for m in east.receive_message(QueueUrl=east_url, WaitTimeSeconds=1)["Messages"]] == ["for the east"]


def test_list_queues_only_shows_the_callers_region(sqs_factory):
    east, west = sqs_factory(region="us-east-1"), sqs_factory(region="eu-west-1")
    east.create_queue(QueueName="only-east")
    assert west.list_queues().get("QueueUrls", []) == []
    with raises_aws("AWS.SimpleQueueService.NonExistentQueue"):
        west.get_queue_url(QueueName="only-east")


def test_twelve_digit_access_key_selects_the_account(sqs_factory, endpoint):
    a = sqs_factory(access_key=ACCOUNT_A)
    url = a.create_queue(QueueName="acct-q")["QueueUrl"]
    assert url == queue_url(endpoint, "acct-q", account=ACCOUNT_A)
    assert attrs(a, url, "QueueArn") == {"QueueArn": queue_arn("acct-q", account=ACCOUNT_A)}


def test_same_queue_name_in_two_accounts_are_distinct_queues(sqs_factory, endpoint):
    a, b = sqs_factory(access_key=ACCOUNT_A), sqs_factory(access_key=ACCOUNT_B)
    url_a = a.create_queue(QueueName="twin")["QueueUrl"]
    url_b = b.create_queue(QueueName="twin")["QueueUrl"]
    assert url_a != url_b
    a.send_message(QueueUrl=url_a, MessageBody="for A")
    assert b.receive_message(QueueUrl=url_b).get("Messages", []) == []
    assert a.list_queues()["QueueUrls"] == [url_a]
    assert b.list_queues()["QueueUrls"] == [url_b]


def test_non_numeric_access_key_uses_the_default_account(sqs, endpoint):
    url = sqs.create_queue(QueueName="dflt")["QueueUrl"]
    assert url == queue_url(endpoint, "dflt", account="000000000000")


def test_china_region_uses_aws_cn_partition_in_arns(sqs_factory):
    cn = sqs_factory(region="cn-north-1")
    url = cn.create_queue(QueueName="china")["QueueUrl"]
    assert attrs(cn, url, "QueueArn") == {"QueueArn": "arn:aws-cn:sqs:cn-north-1:000000000000:china"}


def test_gov_cloud_region_uses_aws_us_gov_partition_in_arns(sqs_factory):
    gov = sqs_factory(region="us-gov-west-1")
    url = gov.create_queue(QueueName="gov")["QueueUrl"]
    assert attrs(gov, url, "QueueArn") == {"QueueArn": "arn:aws-us-gov:sqs:us-gov-west-1:000000000000:gov"}


def test_get_queue_url_with_queue_owner_account_id(sqs_factory, endpoint):
    a, b = sqs_factory(access_key=ACCOUNT_A), sqs_factory(access_key=ACCOUNT_B)
    b.create_queue(QueueName="owned-by-b")
    with raises_aws("AWS.SimpleQueueService.NonExistentQueue"):
        a.get_queue_url(QueueName="owned-by-b")
    url = a.get_queue_url(QueueName="owned-by-b", QueueOwnerAWSAccountId=ACCOUNT_B)["QueueUrl"]
    assert url == queue_url(endpoint, "owned-by-b", account=ACCOUNT_B)


def test_server_default_account_id_is_configurable(herald_factory):
    server = herald_factory("acct", storage="memory", account_id="123456789012")
    client = make_sqs_client(server.endpoint)
    url = client.create_queue(QueueName="configured")["QueueUrl"]
    assert url == queue_url(server.endpoint, "configured", account="123456789012")
    assert attrs(client, url, "QueueArn") == {"QueueArn": queue_arn("configured", account="123456789012")}


def test_queue_url_uses_the_host_the_client_connected_to(herald, sqs_factory):
    via_localhost = sqs_factory(endpoint=f"http://localhost:{herald.port}")
    url = via_localhost.create_queue(QueueName="hosty")["QueueUrl"]
    assert url == f"http://localhost:{herald.port}/000000000000/hosty"
