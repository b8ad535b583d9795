"""The SQS query protocol (`Action=...&Version=2012-11-05` form posts, XML responses), as older
SDKs and hand-written clients speak it. Requests are signed with SigV4; responses parsed as XML."""

from __future__ import annotations

import base64
import time

import requests
from botocore.auth import SigV4QueryAuth, SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from herald_compat import (
    DUMMY_KEY,
    DUMMY_SECRET,
    QueryResponse,
    md5_hex,
    md5_of_message_attributes,
    queue_arn,
    queue_url,
)


def create(query, name, **params):
    r = query.call("CreateQueue", {"QueueName": name, **params})
    assert r.status == 200, r.text
    return r.text_of("./CreateQueueResult/QueueUrl")


def test_create_queue_returns_queue_url_and_request_id(query, endpoint):
    r = query.call("CreateQueue", {"QueueName": "q-xml", "Attribute.1.Name": "VisibilityTimeout", "Attribute.1.Value": "40"})
    assert r.status == 200, r.text
    assert r.xml.tag == "CreateQueueResponse"
    assert r.text_of("./CreateQueueResult/QueueUrl") == queue_url(endpoint, "q-xml")
    assert r.text_of("./ResponseMetadata/RequestId")
    assert "xml" in r.raw.headers.get("Content-Type", "")


def test_response_uses_sqs_2012_11_05_namespace(query):
    r = query.call("ListQueues")
    assert r.status == 200
    assert 'xmlns="http://queue.amazonaws.com/doc/2012-11-05/"' in r.text


def test_create_queue_with_tags(query, sqs):
    url = create(query, "q-tags", **{"Tag.1.Key": "team", "Tag.1.Value": "core", "Tag.2.Key": "env", "Tag.2.Value": "dev"})
    assert sqs.list_queue_tags(QueueUrl=url)["Tags"] == {"team": "core", "env": "dev"}


def test_send_message_with_message_attributes_returns_md5s(query):
    url = create(query, "q-send")
    r = query.call("SendMessage", {
        "QueueUrl": url,
        "MessageBody": "hello & <xml> \"quoted\" ünï",
        "MessageAttribute.1.Name": "city",
        "MessageAttribute.1.Value.DataType": "String",
        "MessageAttribute.1.Value.StringValue": "Zürich",
        "MessageAttribute.2.Name": "n",
        "MessageAttribute.2.Value.DataType": "Number",
        "MessageAttribute.2.Value.StringValue": "3",
        "MessageAttribute.3.Name": "raw",
        "MessageAttribute.3.Value.DataType": "Binary",
        "MessageAttribute.3.Value.BinaryValue": base64.b64encode(b"\x00\xff").decode(),
    })
    assert r.status == 200, r.text
    assert r.text_of("./SendMessageResult/MD5OfMessageBody") == md5_hex("hello & <xml> \"quoted\" ünï")
    assert r.text_of("./SendMessageResult/MD5OfMessageAttributes") == md5_of_message_attributes({
        "city": {"DataType": "String", "StringValue": "Zürich"},
        "n": {"DataType": "Number", "StringValue": "3"},
        "raw": {"DataType": "Binary", "BinaryValue": b"\x00\xff"},
    })
    assert r.text_of("./SendMessageResult/MessageId")


def test_receive_message_returns_body_system_and_message_attributes(query):
    url = create(query, "q-recv")
    body = "<order id=\"1\">&amp;</order>"
    sent = query.call("SendMessage", {
        "QueueUrl": url, "MessageBody": body,
        "MessageAttribute.1.Name": "k", "MessageAttribute.1.Value.DataType": "String",
        "MessageAttribute.1.Value.StringValue": "v",
    })
    msg_id = sent.text_of("./SendMessageResult/MessageId")
    r = query.call("ReceiveMessage", {"QueueUrl": url, "AttributeName.1": "All", "MessageAttributeName.1": "All",
                                      "MaxNumberOfMessages": "5", "WaitTimeSeconds": "1"})
    assert r.status == 200, r.text
    msgs = r.findall("./ReceiveMessageResult/Message")
    assert len(msgs) == 1
    m = msgs[0]
    assert m.findtext("MessageId") == msg_id
    assert m.findtext("Body") == body  # XML-escaped on the wire, identical after parsing
    assert m.findtext("MD5OfBody") == md5_hex(body)
    assert m.findtext("ReceiptHandle")
    system = {a.findtext("Name"): a.findtext("Value") for a in m.findall("Attribute")}
    assert system["ApproximateReceiveCount"] == "1"
    assert {"SentTimestamp", "ApproximateFirstReceiveTimestamp", "SenderId"} <= set(system)
    mattrs = {a.findtext("Name"): (a.findtext("Value/DataType"), a.findtext("Value/StringValue")) for a in m.findall("MessageAttribute")}
    assert mattrs == {"k": ("String", "v")}
    assert m.findtext("MD5OfMessageAttributes") == md5_of_message_attributes({"k": {"DataType": "String", "StringValue": "v"}})


def test_delete_message_removes_it(query):
    url = create(query, "q-del")
    query.call("SendMessage", {"QueueUrl": url, "MessageBody": "bye"})
    r = query.call("ReceiveMessage", {"QueueUrl": url, "VisibilityTimeout": "1"})
    handle = r.text_of("./ReceiveMessageResult/Message/ReceiptHandle")
    d = query.call("DeleteMessage", {"QueueUrl": url, "ReceiptHandle": handle})
    assert d.status == 200, d.text
    assert d.xml.tag == "DeleteMessageResponse"
    time.sleep(1.3)
    again = query.call("ReceiveMessage", {"QueueUrl": url})
    assert again.findall("./ReceiveMessageResult/Message") == []


def test_get_queue_attributes_all(query):
    url = create(query, "q-attrs", **{"Attribute.1.Name": "DelaySeconds", "Attribute.1.Value": "3"})
    r = query.call("GetQueueAttributes", {"QueueUrl": url, "AttributeName.1": "All"})
    assert r.status == 200, r.text
    a = {e.findtext("Name"): e.findtext("Value") for e in r.findall("./GetQueueAttributesResult/Attribute")}
    assert a["DelaySeconds"] == "3"
    assert a["VisibilityTimeout"] == "30"
    assert a["QueueArn"] == queue_arn("q-attrs")


def test_set_queue_attributes(query, sqs):
    url = create(query, "q-set")
    r = query.call("SetQueueAttributes", {"QueueUrl": url, "Attribute.1.Name": "VisibilityTimeout", "Attribute.1.Value": "77"})
    assert r.status == 200, r.text
    assert sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["VisibilityTimeout"])["Attributes"] == {"VisibilityTimeout": "77"}


def test_list_queues_with_prefix(query, endpoint):
    for n in ("lq-a", "lq-b", "other"):
        create(query, n)
    r = query.call("ListQueues", {"QueueNamePrefix": "lq-"})
    assert sorted(e.text for e in r.findall("./ListQueuesResult/QueueUrl")) == [
        queue_url(endpoint, "lq-a"), queue_url(endpoint, "lq-b")]


def test_send_message_batch_with_mixed_results(query):
    url = create(query, "q-batch")
    r = query.call("SendMessageBatch", {
        "QueueUrl": url,
        "SendMessageBatchRequestEntry.1.Id": "ok1",
        "SendMessageBatchRequestEntry.1.MessageBody": "one",
        "SendMessageBatchRequestEntry.2.Id": "ok2",
        "SendMessageBatchRequestEntry.2.MessageBody": "two",
        "SendMessageBatchRequestEntry.2.DelaySeconds": "0",
        "SendMessageBatchRequestEntry.3.Id": "bad",
        "SendMessageBatchRequestEntry.3.MessageBody": "nul\u0000",
    })
    assert r.status == 200, r.text
    ok = {e.findtext("Id"): e for e in r.findall("./SendMessageBatchResult/SendMessageBatchResultEntry")}
    assert set(ok) == {"ok1", "ok2"}
    assert ok["ok1"].findtext("MD5OfMessageBody") == md5_hex("one")
    errs = r.findall("./SendMessageBatchResult/BatchResultErrorEntry")
    assert [(e.findtext("Id"), e.findtext("SenderFault")) for e in errs] == [("bad", "true")]
    assert errs[0].findtext("Code")


def test_delete_message_batch(query):
    url = create(query, "q-dbatch")
    query.call("SendMessage", {"QueueUrl": url, "MessageBody": "x"})
    handle = query.call("ReceiveMessage", {"QueueUrl": url, "WaitTimeSeconds": "1"}).text_of("./ReceiveMessageResult/Message/ReceiptHandle")
    r = query.call("DeleteMessageBatch", {
        "QueueUrl": url,
        "DeleteMessageBatchRequestEntry.1.Id": "good", "DeleteMessageBatchRequestEntry.1.ReceiptHandle": handle,
        "DeleteMessageBatchRequestEntry.2.Id": "junk", "DeleteMessageBatchRequestEntry.2.ReceiptHandle": "nope",
    })
    assert r.status == 200, r.text
    assert [e.findtext("Id") for e in r.findall("./DeleteMessageBatchResult/DeleteMessageBatchResultEntry")] == ["good"]
    errs = r.findall("./DeleteMessageBatchResult/BatchResultErrorEntry")
    assert [(e.findtext("Id"), e.findtext("Code")) for e in errs] == [("junk", "ReceiptHandleIsInvalid")]


def test_error_response_for_missing_queue(query):
    r = query.call("GetQueueUrl", {"QueueName": "does-not-exist"})
    assert r.status == 400
    assert r.xml.tag == "ErrorResponse"
    assert r.error_code == "AWS.SimpleQueueService.NonExistentQueue"
    assert r.error_type == "Sender"
    assert r.text_of("./Error/Message")
    assert r.text_of("./RequestId")


def test_error_response_for_queue_already_exists(query):
    create(query, "q-dup", **{"Attribute.1.Name": "VisibilityTimeout", "Attribute.1.Value": "40"})
    r = query.call("CreateQueue", {"QueueName": "q-dup", "Attribute.1.Name": "VisibilityTimeout", "Attribute.1.Value": "41"})
    assert r.status == 400
    assert r.error_code == "QueueAlreadyExists"


def test_error_for_empty_batch(query):
    url = create(query, "q-empty")
    r = query.call("SendMessageBatch", {"QueueUrl": url})
    assert r.status == 400
    assert r.error_code == "AWS.SimpleQueueService.EmptyBatchRequest"


def test_missing_required_parameter_is_missing_parameter(query):
    r = query.call("CreateQueue", {})
    assert r.status == 400
    assert r.error_code == "MissingParameter"


def test_unknown_action_is_invalid_action(query):
    r = query.call("FrobnicateQueue", {"QueueName": "x"})
    assert r.status == 400
    assert r.error_code == "InvalidAction"


def test_post_to_queue_url_path_targets_that_queue(query, sqs):
    url = create(query, "q-path")
    path = "/000000000000/q-path"
    r = query.call("SendMessage", {"MessageBody": "via path"}, path=path)
    assert r.status == 200, r.text
    got = query.call("ReceiveMessage", {"WaitTimeSeconds": "1"}, path=path)
    assert got.text_of("./ReceiveMessageResult/Message/Body") == "via path"
    a = query.call("GetQueueAttributes", {"AttributeName.1": "QueueArn"}, path=path)
    assert a.text_of("./GetQueueAttributesResult/Attribute/Value") == queue_arn("q-path")
    assert url.endswith(path)


def test_post_to_missing_queue_path_is_non_existent_queue(query):
    r = query.call("SendMessage", {"MessageBody": "x"}, path="/000000000000/nowhere")
    assert r.status == 400
    assert r.error_code == "AWS.SimpleQueueService.NonExistentQueue"


def test_query_and_json_protocols_see_the_same_queues_and_messages(query, sqs):
    url = sqs.create_queue(QueueName="both")["QueueUrl"]
    query.call("SendMessage", {"QueueUrl": url, "MessageBody": "from query",
                               "MessageAttribute.1.Name": "a", "MessageAttribute.1.Value.DataType": "Number",
                               "MessageAttribute.1.Value.StringValue": "1"})
    m = sqs.receive_message(QueueUrl=url, MessageAttributeNames=["All"], WaitTimeSeconds=1)["Messages"][0]
    assert m["Body"] == "from query"
    assert m["MessageAttributes"] == {"a": {"DataType": "Number", "StringValue": "1"}}


def test_signed_get_request_with_query_string(herald):
    # The query protocol also accepts GET with parameters in the query string.
    url = f"{herald.endpoint}/?Action=ListQueues&Version=2012-11-05"
    req = AWSRequest(method="GET", url=url)
    SigV4Auth(Credentials(DUMMY_KEY, DUMMY_SECRET), "sqs", "us-east-1").add_auth(req)
    r = QueryResponse(requests.get(url, headers=dict(req.headers), timeout=10))
    assert r.status == 200, r.text
    assert r.xml.tag == "ListQueuesResponse"


def test_presigned_query_string_authentication(herald):
    url = f"{herald.endpoint}/?Action=CreateQueue&QueueName=presigned&Version=2012-11-05"
    req = AWSRequest(method="GET", url=url)
    SigV4QueryAuth(Credentials(DUMMY_KEY, DUMMY_SECRET), "sqs", "us-east-1", expires=300).add_auth(req)
    r = QueryResponse(requests.get(req.url, timeout=10))
    assert r.status == 200, r.text
    assert r.text_of("./CreateQueueResult/QueueUrl").endswith("/000000000000/presigned")


def test_query_credential_scope_selects_account_and_region(herald):
    from herald_compat import QueryClient
    client = QueryClient(herald.endpoint, region="eu-central-1", access_key="333333333333")
    r = client.call("CreateQueue", {"QueueName": "scoped"})
    assert r.text_of("./CreateQueueResult/QueueUrl") == f"{herald.endpoint}/333333333333/scoped"
    a = client.call("GetQueueAttributes", {"QueueUrl": f"{herald.endpoint}/333333333333/scoped", "AttributeName.1": "QueueArn"})
    assert a.text_of("./GetQueueAttributesResult/Attribute/Value") == "arn:aws:sqs:eu-central-1:333333333333:scoped"
