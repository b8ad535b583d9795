"""Durability of event buses: an event whose PutEvents returned an EventId reaches every matching target
at least once even if Herald is killed (-9) right after the response; buses, rules, targets,
connections and archives survive restarts. Each test runs its own server (herald_factory)."""

from __future__ import annotations

import json

from herald_compat import (
    DUMMY_ROLE_ARN,
    bus_arn,
    create_api_key_destination,
    drain,
    event_entry,
    make_events_client,
    make_queue,
    make_sqs_client,
    receive_all,
    wait_until,
)

ORDERS = {"source": ["com.example.orders"]}


def test_acknowledged_events_reach_queue_and_api_destination_after_kill_9(herald_factory, http_receiver):
    server = herald_factory("events-kill9")
    events, sqs = make_events_client(server.endpoint), make_sqs_client(server.endpoint)
    url, arn = make_queue(sqs, "durable-sink", {"VisibilityTimeout": "1"})
    _, dest = create_api_key_destination(events, http_receiver, "durable-hook")
    events.put_rule(Name="durable", EventPattern=json.dumps(ORDERS))
    events.put_targets(Rule="durable", Targets=[
        {"Id": "q", "Arn": arn},
        {"Id": "api", "Arn": dest, "RoleArn": DUMMY_ROLE_ARN,
         "RetryPolicy": {"MaximumRetryAttempts": 10, "MaximumEventAgeInSeconds": 3600}},
    ])
    ids: list[str] = []
    for b in range(3):
        r = events.put_events(Entries=[event_entry(detail={"b": b, "i": i}) for i in range(10)])
        assert r["FailedEntryCount"] == 0
        ids += [e["EventId"] for e in r["Entries"]]
    r = events.put_events(Entries=[event_entry(detail={"last": True})])
    ids.append(r["Entries"][0]["EventId"])
    server.kill9()  # right after the last acknowledgement

    server.start()
    sqs = make_sqs_client(server.endpoint)
    got = receive_all(sqs, url, len(ids), timeout=25)
    assert {json.loads(m["Body"])["id"] for m in got} == set(ids)
    wait_until(lambda: {r.json()["id"] for r in http_receiver.received("/hook")} >= set(ids), timeout=25,
               what="every event at the API destination")


def test_acknowledged_events_reach_every_queue_target_after_kill_9(herald_factory):
    # Two rules and three queue targets (one on a custom bus, one a FIFO queue); kill -9 at once.
    server = herald_factory("events-kill9-sqs")
    events, sqs = make_events_client(server.endpoint), make_sqs_client(server.endpoint)
    events.create_event_bus(Name="orders")
    a_url, a_arn = make_queue(sqs, "a", {"VisibilityTimeout": "1"})
    b_url, b_arn = make_queue(sqs, "b.fifo", {"FifoQueue": "true", "ContentBasedDeduplication": "true",
                                              "VisibilityTimeout": "1"})
    c_url, c_arn = make_queue(sqs, "c", {"VisibilityTimeout": "1"})
    events.put_rule(Name="r1", EventPattern=json.dumps(ORDERS))
    events.put_targets(Rule="r1", Targets=[{"Id": "a", "Arn": a_arn},
                                           {"Id": "b", "Arn": b_arn, "SqsParameters": {"MessageGroupId": "g"}}])
    events.put_rule(Name="r2", EventBusName="orders", EventPattern=json.dumps(ORDERS))
    events.put_targets(Rule="r2", EventBusName="orders", Targets=[{"Id": "c", "Arn": c_arn, "InputPath": "$.detail"}])
    default_ids: list[str] = []
    for b in range(5):
        r = events.put_events(Entries=[event_entry(detail={"b": b, "i": i}) for i in range(10)])
        assert r["FailedEntryCount"] == 0
        default_ids += [e["EventId"] for e in r["Entries"]]
    r = events.put_events(Entries=[event_entry(detail={"bus": "orders", "i": i}, EventBusName="orders")
                                   for i in range(10)])
    assert r["FailedEntryCount"] == 0
    server.kill9()

    server.start()
    sqs = make_sqs_client(server.endpoint)
    got_a = receive_all(sqs, a_url, 50, timeout=25)
    assert {json.loads(m["Body"])["id"] for m in got_a} == set(default_ids)
    got_b = drain(sqs, b_url, 50, timeout=25)  # FIFO: the group stays locked until messages are deleted
    assert {json.loads(m["Body"])["id"] for m in got_b} == set(default_ids)
    got_c = receive_all(sqs, c_url, 10, timeout=25)
    assert sorted(json.loads(m["Body"])["i"] for m in got_c) == list(range(10))


def test_event_pending_retry_is_still_delivered_after_kill_9(herald_factory, http_receiver):
    # The endpoint fails at first; Herald is killed while the delivery waits for its retry.
    http_receiver.on("/hook", 500, 500, then=200)
    server = herald_factory("events-retry-kill9")
    events = make_events_client(server.endpoint)
    _, dest = create_api_key_destination(events, http_receiver, "retry-hook")
    events.put_rule(Name="retrying", EventPattern=json.dumps(ORDERS))
    events.put_targets(Rule="retrying", Targets=[{"Id": "api", "Arn": dest, "RoleArn": DUMMY_ROLE_ARN}])
    eid = events.put_events(Entries=[event_entry(detail={"retry": True})])["Entries"][0]["EventId"]
    http_receiver.wait_for(1, "/hook", timeout=10)
    server.kill9()
    server.start()
    # Two 500s, then 200: the third attempt (made by the restarted server) is the successful one.
    got = http_receiver.wait_for(3, "/hook", timeout=25)
    assert all(r.json()["id"] == eid for r in got)


def test_configuration_survives_restart(herald_factory):
    server = herald_factory("events-config")
    events, sqs = make_events_client(server.endpoint), make_sqs_client(server.endpoint)
    events.create_event_bus(Name="kept", Description="survives", Tags=[{"Key": "k", "Value": "v"}])
    events.put_permission(EventBusName="kept", Action="events:PutEvents", Principal="111122223333", StatementId="s")
    url, arn = make_queue(sqs, "kept-sink")
    events.put_rule(Name="kept-rule", EventBusName="kept", EventPattern=json.dumps(ORDERS), State="DISABLED",
                    Description="d")
    events.put_targets(Rule="kept-rule", EventBusName="kept",
                       Targets=[{"Id": "q", "Arn": arn, "InputPath": "$.detail"}])
    events.put_rule(Name="sched", ScheduleExpression="rate(5 minutes)")
    events.create_archive(ArchiveName="kept-archive", EventSourceArn=bus_arn("kept"), RetentionDays=2)
    before_bus = events.describe_event_bus(Name="kept")
    before_rule = events.describe_rule(Name="kept-rule", EventBusName="kept")

    server.kill9()
    server.start()
    events, sqs = make_events_client(server.endpoint), make_sqs_client(server.endpoint)

    after_bus = events.describe_event_bus(Name="kept")
    for k in ("Name", "Arn", "Description", "Policy"):
        assert after_bus.get(k) == before_bus.get(k), k
    assert events.list_tags_for_resource(ResourceARN=bus_arn("kept"))["Tags"] == [{"Key": "k", "Value": "v"}]
    after_rule = events.describe_rule(Name="kept-rule", EventBusName="kept")
    for k in ("Name", "Arn", "EventPattern", "State", "Description", "EventBusName"):
        assert after_rule.get(k) == before_rule.get(k), k
    assert events.list_targets_by_rule(Rule="kept-rule", EventBusName="kept")["Targets"] == [
        {"Id": "q", "Arn": arn, "InputPath": "$.detail"}]
    assert events.describe_rule(Name="sched")["ScheduleExpression"] == "rate(5 minutes)"
    assert events.describe_archive(ArchiveName="kept-archive")["RetentionDays"] == 2
    # And routing works after the restart, with the rule re-enabled.
    events.enable_rule(Name="kept-rule", EventBusName="kept")
    events.put_events(Entries=[event_entry(detail={"after": "restart"}, EventBusName="kept")])
    got = receive_all(sqs, url, 1, timeout=10)
    assert [json.loads(m["Body"]) for m in got] == [{"after": "restart"}]


def test_api_key_secret_still_works_after_restart(herald_factory, http_receiver):
    # The secret is stored (not returned by Describe) and still used after a restart.
    server = herald_factory("events-secret")
    events = make_events_client(server.endpoint)
    _, dest = create_api_key_destination(events, http_receiver, "secret-hook", key_value="persisted-secret")
    events.put_rule(Name="r", EventPattern=json.dumps(ORDERS))
    events.put_targets(Rule="r", Targets=[{"Id": "api", "Arn": dest, "RoleArn": DUMMY_ROLE_ARN}])
    server.kill9()
    server.start()
    events = make_events_client(server.endpoint)
    assert events.describe_connection(Name="secret-hook-conn")["AuthorizationType"] == "API_KEY"
    events.put_events(Entries=[event_entry(detail={})])
    [req] = http_receiver.wait_for(1, "/hook", timeout=15)
    assert req.headers.get("x-api-key") == "persisted-secret"
