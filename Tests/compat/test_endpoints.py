"""Herald's own endpoints: health, metrics, reset."""

from __future__ import annotations

import re

import requests


def test_health_endpoint_returns_200(herald):
    r = requests.get(f"{herald.endpoint}/_herald/health", timeout=5)
    assert r.status_code == 200


def test_metrics_endpoint_is_prometheus_text(herald, sqs):
    sqs.list_queues()
    r = requests.get(f"{herald.endpoint}/metrics", timeout=5)
    assert r.status_code == 200
    assert r.headers.get("Content-Type", "").startswith("text/plain")
    samples = [l for l in r.text.splitlines() if l and not l.startswith("#")]
    assert samples, "no samples"
    sample = re.compile(r'^[a-zA-Z_:][a-zA-Z0-9_:]*(\{.*\})? [-+0-9.eEInfa]+( \d+)?$')
    bad = [l for l in samples if not sample.match(l)]
    assert not bad, f"lines that are not Prometheus samples: {bad[:5]}"


def _metric_lines(herald):
    return requests.get(f"{herald.endpoint}/metrics", timeout=5).text.splitlines()


def test_metrics_count_requests_per_operation(herald, sqs):
    url = sqs.create_queue(QueueName="metered")["QueueUrl"]
    for _ in range(3):
        sqs.send_message(QueueUrl=url, MessageBody="x")
    lines = [l for l in _metric_lines(herald) if not l.startswith("#")]
    assert any("SendMessage" in l for l in lines), "no per-operation metric mentions SendMessage"
    assert any("CreateQueue" in l for l in lines), "no per-operation metric mentions CreateQueue"


def test_metrics_count_sent_received_deleted_per_queue(herald, sqs):
    url = sqs.create_queue(QueueName="metered-q")["QueueUrl"]
    sqs.send_message(QueueUrl=url, MessageBody="x")
    m = sqs.receive_message(QueueUrl=url, WaitTimeSeconds=1)["Messages"][0]
    sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])
    queue_lines = [l for l in _metric_lines(herald) if "metered-q" in l and not l.startswith("#")]
    assert queue_lines, "no metric line mentions the queue"
    joined = "\n".join(queue_lines).lower()
    for word in ("sent", "received", "deleted"):
        assert word in joined, f"no per-queue metric for {word}: {queue_lines}"
    # For each of sent/received/deleted, some series for this queue has counted at least 1.
    for word in ("sent", "received", "deleted"):
        values = [float(l.rsplit(" ", 1)[1]) for l in queue_lines if word in l.lower()]
        assert any(v >= 1 for v in values), f"{word}: {queue_lines}"


def test_reset_empties_everything(herald, sqs_factory):
    east, west = sqs_factory(), sqs_factory(region="eu-west-1", access_key="444444444444")
    east.create_queue(QueueName="a")
    west.create_queue(QueueName="b")
    r = requests.post(f"{herald.endpoint}/_herald/reset", timeout=10)
    assert r.status_code in (200, 204)
    assert east.list_queues().get("QueueUrls", []) == []
    assert west.list_queues().get("QueueUrls", []) == []


def test_reset_is_refused_without_allow_reset(herald_factory, tmp_path):
    from herald_compat import HeraldServer
    server = HeraldServer(tmp_path / "noreset", storage="memory")
    server.extra_args = []
    cmd = server.command()
    cmd.remove("--allow-reset")
    server.command = lambda: cmd  # start this one without --allow-reset
    try:
        server.start()
        r = requests.post(f"{server.endpoint}/_herald/reset", timeout=5)
        assert r.status_code in (403, 404, 405)
    finally:
        server.stop()
