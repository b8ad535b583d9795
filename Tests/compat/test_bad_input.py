"""Bad input never crashes the server, never blocks others: each malformed request gets a clear 4xx
quickly, and the server stays healthy and serves normal requests afterwards."""

from __future__ import annotations

import json
import socket
import time

import pytest
import requests

from herald_compat import QueryClient, signed_json_post


def assert_still_serving(herald, sqs):
    assert herald.is_healthy()
    url = sqs.create_queue(QueueName="after-bad-input")["QueueUrl"]
    sqs.send_message(QueueUrl=url, MessageBody="still alive")
    got = sqs.receive_message(QueueUrl=url, WaitTimeSeconds=1)["Messages"]
    assert [m["Body"] for m in got] == ["still alive"]


def json_error_type(resp: requests.Response) -> str:
    body = resp.json()
    t = body.get("__type", "")
    return t.rsplit("#", 1)[-1]


def test_malformed_json_body_is_a_4xx_json_error(herald, sqs):
    r = signed_json_post(herald.endpoint, "AmazonSQS.CreateQueue", b'{"QueueName": "x",,,')
    assert 400 <= r.status_code < 500
    # AWS JSON protocols answer a body that is not JSON with a SerializationException-style error.
    assert json_error_type(r)
    assert_still_serving(herald, sqs)


def test_json_body_that_is_not_an_object_is_rejected(herald, sqs):
    r = signed_json_post(herald.endpoint, "AmazonSQS.CreateQueue", b'["QueueName", "x"]')
    assert 400 <= r.status_code < 500
    assert_still_serving(herald, sqs)


def test_wrong_json_types_for_members_are_rejected(herald, sqs):
    url = sqs.create_queue(QueueName="types")["QueueUrl"]
    r = signed_json_post(herald.endpoint, "AmazonSQS.ReceiveMessage",
                         json.dumps({"QueueUrl": url, "MaxNumberOfMessages": "ten"}).encode())
    assert 400 <= r.status_code < 500
    r = signed_json_post(herald.endpoint, "AmazonSQS.SendMessage",
                         json.dumps({"QueueUrl": url, "MessageBody": {"nested": True}}).encode())
    assert 400 <= r.status_code < 500
    assert_still_serving(herald, sqs)


def test_missing_required_member_is_rejected(herald, sqs):
    r = signed_json_post(herald.endpoint, "AmazonSQS.CreateQueue", b"{}")
    assert r.status_code == 400
    assert r.headers.get("x-amzn-query-error", "").startswith("MissingParameter;")


def test_unknown_x_amz_target_operation_is_rejected(herald, sqs):
    r = signed_json_post(herald.endpoint, "AmazonSQS.FrobnicateQueue", b"{}")
    assert 400 <= r.status_code < 500
    assert "Unknown" in json_error_type(r) or "InvalidAction" in json_error_type(r)
    assert_still_serving(herald, sqs)


def test_x_amz_target_for_another_service_prefix_is_rejected(herald, sqs):
    r = signed_json_post(herald.endpoint, "NotAService_20991231.CreateQueue", b'{"QueueName": "x"}')
    assert 400 <= r.status_code < 500
    assert sqs.list_queues().get("QueueUrls", []) == []


def test_wrong_content_type_is_rejected(herald, sqs):
    r = signed_json_post(herald.endpoint, "AmazonSQS.CreateQueue", b'{"QueueName": "ct"}', content_type="text/plain")
    assert 400 <= r.status_code < 500
    assert_still_serving(herald, sqs)


def test_unknown_query_action_is_invalid_action(herald, sqs):
    r = QueryClient(herald.endpoint).call("DoSomethingOdd")
    assert r.status == 400
    assert r.error_code == "InvalidAction"
    assert_still_serving(herald, sqs)


def test_query_request_without_action_is_rejected(herald, sqs):
    r = QueryClient(herald.endpoint).post_form("Version=2012-11-05&QueueName=x")
    assert 400 <= r.status < 500
    assert_still_serving(herald, sqs)


def test_request_without_authorization_is_rejected_or_served_consistently(herald, sqs):
    # AWS would answer MissingAuthenticationToken (403). Herald may be lenient locally, but it must
    # answer cleanly either way.
    r = requests.post(herald.endpoint + "/", data="Action=ListQueues&Version=2012-11-05",
                      headers={"Content-Type": "application/x-www-form-urlencoded"}, timeout=10)
    assert r.status_code in (200, 400, 403)
    assert_still_serving(herald, sqs)


def test_ten_megabyte_body_is_refused_quickly_and_server_stays_healthy(herald, sqs):
    url = sqs.create_queue(QueueName="big")["QueueUrl"]
    payload = json.dumps({"QueueUrl": url, "MessageBody": "x" * (10 * 1024 * 1024)}).encode()
    t0 = time.monotonic()
    try:
        r = signed_json_post(herald.endpoint, "AmazonSQS.SendMessage", payload, timeout=30)
        status = r.status_code
    except requests.ConnectionError:
        status = None  # the server may cut the connection after answering 413 mid-upload
    elapsed = time.monotonic() - t0
    assert status is None or 400 <= status < 500, status
    assert elapsed < 10, f"took {elapsed:.1f}s"
    assert sqs.receive_message(QueueUrl=url).get("Messages", []) == []
    assert_still_serving(herald, sqs)


def test_ten_megabyte_query_body_is_refused(herald, sqs):
    t0 = time.monotonic()
    try:
        r = QueryClient(herald.endpoint).call("CreateQueue", {"QueueName": "bigq", "Attribute.1.Name": "Policy",
                                                             "Attribute.1.Value": "p" * (10 * 1024 * 1024)})
        status = r.status
    except requests.ConnectionError:
        status = None
    assert status is None or 400 <= status < 500, status
    assert time.monotonic() - t0 < 10
    assert_still_serving(herald, sqs)


def test_garbage_bytes_on_the_socket_do_not_hurt_the_server(herald, sqs):
    with socket.create_connection(("127.0.0.1", herald.port), timeout=5) as s:
        s.sendall(b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03garbage-not-http\r\n\r\n")
        try:
            s.recv(1024)
        except (socket.timeout, ConnectionResetError):
            pass
    assert_still_serving(herald, sqs)


def test_half_sent_request_does_not_block_other_clients(herald, sqs):
    with socket.create_connection(("127.0.0.1", herald.port), timeout=5) as s:
        s.sendall(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n"
                  b"Content-Type: application/x-amz-json-1.0\r\nX-Amz-Target: AmazonSQS.ListQueues\r\n\r\n{")
        t0 = time.monotonic()
        assert_still_serving(herald, sqs)
        assert time.monotonic() - t0 < 5


def test_unknown_path_get_is_404_not_a_crash(herald, sqs):
    r = requests.get(herald.endpoint + "/definitely/not/here", timeout=5)
    assert 400 <= r.status_code < 500
    assert_still_serving(herald, sqs)


@pytest.mark.parametrize("body", [b"", b"null", b'{"QueueName": null}', b'{"QueueName": 12}', "{\"QueueName\": \"\u0000\"}".encode()])
def test_odd_create_queue_bodies_get_4xx(herald, sqs, body):
    r = signed_json_post(herald.endpoint, "AmazonSQS.CreateQueue", body)
    assert 400 <= r.status_code < 500, (r.status_code, r.text)
    assert_still_serving(herald, sqs)
