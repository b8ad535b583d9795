"""SNS metrics at /metrics: per topic and subscription counts of published, delivered, filtered out,
failed, retried and dead-lettered messages, and delivery latency (Prometheus text)."""

from __future__ import annotations

import json
import re

import requests

from herald_compat import drain, make_queue, sns_subscribe_queue, wait_until
from sns_receivers import subscribe_http

SAMPLE = re.compile(r'^(?P<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(?P<labels>\{.*\})? (?P<value>[-+0-9.eEInfa]+)( \d+)?$')


def _lines_for(herald, needle: str) -> list[tuple[str, str, float]]:
    text = requests.get(f"{herald.endpoint}/metrics", timeout=5).text
    out = []
    for line in text.splitlines():
        if line.startswith("#") or needle not in line:
            continue
        m = SAMPLE.match(line)
        assert m, f"not a Prometheus sample: {line!r}"
        out.append((m.group("name"), m.group("labels") or "", float(m.group("value"))))
    return out


def _max(lines, word: str) -> float:
    vals = [v for (n, l, v) in lines if word in n.lower() and not n.endswith("_bucket")]
    return max(vals) if vals else -1.0


def test_topic_metrics_count_published_delivered_and_filtered(herald, sns, sqs):
    topic = sns.create_topic(Name="metered-topic")["TopicArn"]
    url, sub = sns_subscribe_queue(sns, sqs, topic, "metered-all")
    _, _ = sns_subscribe_queue(sns, sqs, topic, "metered-none", FilterPolicy=json.dumps({"k": ["never"]}))
    for i in range(3):
        sns.publish(TopicArn=topic, Message=f"m{i}")
    assert len(drain(sqs, url, 3)) == 3

    def ready():
        lines = _lines_for(herald, "metered-topic")
        return lines if _max(lines, "deliver") >= 3 and _max(lines, "filter") >= 3 else None

    lines = wait_until(ready, timeout=10, what="SNS metrics for metered-topic")
    assert _max(lines, "publish") >= 3, lines
    assert _max(lines, "deliver") >= 3, lines
    assert _max(lines, "filter") >= 3, lines
    assert any("latency" in n.lower() or "duration" in n.lower() for (n, _, _) in lines), \
        f"no delivery latency series for the topic: {lines}"
    # Per subscription too: a delivered series labelled with this subscription (its id or ARN).
    sub_id = sub.rsplit(":", 1)[1]
    per_sub = [(n, l, v) for (n, l, v) in lines if sub_id in l and "deliver" in n.lower()
               and not n.endswith(("_bucket", "_sum", "_count"))]
    assert per_sub and max(v for (_, _, v) in per_sub) == 3, lines


def test_failed_retried_and_dead_lettered_are_counted(herald, sns, sqs, sns_receiver_factory):
    receiver = sns_receiver_factory()
    dlq_url, dlq_arn = make_queue(sqs, "metered-dlq")
    topic = sns.create_topic(Name="metered-failing")["TopicArn"]
    policy = {"healthyRetryPolicy": {"numRetries": 1, "minDelayTarget": 1, "maxDelayTarget": 1,
                                     "numNoDelayRetries": 0, "numMinDelayRetries": 0, "numMaxDelayRetries": 0,
                                     "backoffFunction": "linear"}}
    subscribe_http(sns, topic, receiver, DeliveryPolicy=json.dumps(policy),
                   RedrivePolicy=json.dumps({"deadLetterTargetArn": dlq_arn}))
    receiver.fail_always()
    sns.publish(TopicArn=topic, Message="doomed")
    assert len(drain(sqs, dlq_url, 1, timeout=20)) == 1

    def ready():
        lines = _lines_for(herald, "metered-failing")
        return lines if _max(lines, "dead") >= 1 else None

    lines = wait_until(ready, timeout=10, what="dead-letter metric for metered-failing")
    assert _max(lines, "fail") >= 1, lines
    assert _max(lines, "retr") >= 1, lines
    assert _max(lines, "dead") >= 1, lines
