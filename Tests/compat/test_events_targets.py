"""Targets: PutTargets / ListTargetsByRule / RemoveTargets, routing to SQS queues end to end (the exact
envelope), FIFO queues with SqsParameters.MessageGroupId, event-bus targets in another region and
another account, and input shaping (Input, InputPath, InputTransformer) with the examples from the
EventBridge user guide ("Amazon EventBridge input transformation")."""

from __future__ import annotations

import json
import re
import time
from datetime import datetime, timezone

import requests

from herald_compat import (
    DEFAULT_ACCOUNT,
    DUMMY_ROLE_ARN,
    ENVELOPE_FIELDS,
    assert_queue_stays_empty,
    bus_arn,
    drain,
    event_entry,
    make_queue,
    put_ok,
    raises_aws,
    receive_bodies,
    rule_arn,
)

ACCOUNT_A = "111111111111"
ISO_SECONDS = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
ORDERS = {"source": ["com.example.orders"]}


def rule_to_queue(events, sqs, rule: str, queue: str, pattern: dict | None = None, bus: str | None = None,
                  queue_attrs: dict | None = None, **target) -> tuple[str, str]:
    """A rule (pattern defaults to ORDERS) with one SQS target; returns (queue url, queue arn)."""
    url, arn = make_queue(sqs, queue, queue_attrs)
    kw = {"EventBusName": bus} if bus else {}
    events.put_rule(Name=rule, EventPattern=json.dumps(pattern or ORDERS), **kw)
    t = {"Id": target.pop("Id", "q"), "Arn": arn, **target}
    r = events.put_targets(Rule=rule, Targets=[t], **kw)
    assert r["FailedEntryCount"] == 0, r
    return url, arn


# ---------------------------------------------------------------------------------- target CRUD

def test_put_and_list_targets_round_trip_every_field(events, sqs):
    _, arn = make_queue(sqs, "t-crud")
    _, dlq = make_queue(sqs, "t-crud-dlq")
    events.put_rule(Name="r", EventPattern=json.dumps(ORDERS))
    targets = [
        {"Id": "plain", "Arn": arn},
        {"Id": "const", "Arn": arn, "Input": '{"fixed": true}'},
        {"Id": "path", "Arn": arn, "InputPath": "$.detail",
         "RetryPolicy": {"MaximumRetryAttempts": 3, "MaximumEventAgeInSeconds": 600},
         "DeadLetterConfig": {"Arn": dlq}},
        {"Id": "xform", "Arn": arn, "InputTransformer": {
            "InputPathsMap": {"id": "$.detail.id"}, "InputTemplate": '{"order": <id>}'}},
    ]
    r = events.put_targets(Rule="r", Targets=targets)
    assert r["FailedEntryCount"] == 0
    assert r.get("FailedEntries", []) == []
    listed = {t["Id"]: t for t in events.list_targets_by_rule(Rule="r")["Targets"]}
    assert sorted(listed) == ["const", "path", "plain", "xform"]
    for t in targets:
        assert listed[t["Id"]] == t


def test_put_target_with_same_id_replaces_it(events, sqs):
    _, a = make_queue(sqs, "t-a")
    _, b = make_queue(sqs, "t-b")
    events.put_rule(Name="r", EventPattern=json.dumps(ORDERS))
    events.put_targets(Rule="r", Targets=[{"Id": "t", "Arn": a}])
    events.put_targets(Rule="r", Targets=[{"Id": "t", "Arn": b, "Input": '"x"'}])
    assert events.list_targets_by_rule(Rule="r")["Targets"] == [{"Id": "t", "Arn": b, "Input": '"x"'}]


def test_remove_targets(events, sqs):
    _, arn = make_queue(sqs, "t-rm")
    events.put_rule(Name="r", EventPattern=json.dumps(ORDERS))
    events.put_targets(Rule="r", Targets=[{"Id": i, "Arn": arn} for i in ("a", "b", "c")])
    r = events.remove_targets(Rule="r", Ids=["a", "c"])
    assert r["FailedEntryCount"] == 0
    assert [t["Id"] for t in events.list_targets_by_rule(Rule="r")["Targets"]] == ["b"]


def test_five_targets_per_rule_is_the_limit(events, sqs):
    _, arn = make_queue(sqs, "t-limit")
    events.put_rule(Name="r", EventPattern=json.dumps(ORDERS))
    events.put_targets(Rule="r", Targets=[{"Id": f"t{i}", "Arn": arn} for i in range(5)])
    # A sixth target exceeds AWS's quota of 5 targets per rule.
    with raises_aws("LimitExceededException"):
        events.put_targets(Rule="r", Targets=[{"Id": "t5", "Arn": arn}])
    assert len(events.list_targets_by_rule(Rule="r")["Targets"]) == 5
    # Replacing an existing id is not a new target.
    events.put_targets(Rule="r", Targets=[{"Id": "t0", "Arn": arn, "Input": "{}"}])
    assert len(events.list_targets_by_rule(Rule="r")["Targets"]) == 5


def test_six_targets_in_one_call_is_refused(events, sqs):
    _, arn = make_queue(sqs, "t-limit6")
    events.put_rule(Name="r", EventPattern=json.dumps(ORDERS))
    with raises_aws(("LimitExceededException", "ValidationException")):
        events.put_targets(Rule="r", Targets=[{"Id": f"t{i}", "Arn": arn} for i in range(6)])
    assert events.list_targets_by_rule(Rule="r").get("Targets", []) == []


def test_targets_on_missing_rule_are_resource_not_found(events, sqs):
    _, arn = make_queue(sqs, "t-missing")
    with raises_aws("ResourceNotFoundException"):
        events.put_targets(Rule="ghost", Targets=[{"Id": "t", "Arn": arn}])
    with raises_aws("ResourceNotFoundException"):
        events.list_targets_by_rule(Rule="ghost")
    with raises_aws("ResourceNotFoundException"):
        events.remove_targets(Rule="ghost", Ids=["t"])


def test_input_and_input_path_together_are_refused(events, sqs):
    # "Input, InputPath, and InputTransformer are mutually exclusive". AWS refuses the call
    # (ValidationException); a per-entry failure is the documented minimum.
    _, arn = make_queue(sqs, "t-excl")
    events.put_rule(Name="r", EventPattern=json.dumps(ORDERS))
    target = {"Id": "t", "Arn": arn, "Input": "{}", "InputPath": "$.detail"}
    try:
        r = events.put_targets(Rule="r", Targets=[target])
        assert r["FailedEntryCount"] == 1
        assert r["FailedEntries"][0]["TargetId"] == "t"
    except Exception as e:  # noqa: BLE001
        assert getattr(e, "response", {}).get("Error", {}).get("Code") == "ValidationException", e
    assert events.list_targets_by_rule(Rule="r").get("Targets", []) == []


def test_input_that_is_not_json_is_refused(events, sqs):
    _, arn = make_queue(sqs, "t-badinput")
    events.put_rule(Name="r", EventPattern=json.dumps(ORDERS))
    try:
        r = events.put_targets(Rule="r", Targets=[{"Id": "t", "Arn": arn, "Input": "{not json"}])
        assert r["FailedEntryCount"] == 1
    except Exception as e:  # noqa: BLE001
        assert getattr(e, "response", {}).get("Error", {}).get("Code") == "ValidationException", e
    assert events.list_targets_by_rule(Rule="r").get("Targets", []) == []


def test_invalid_target_id_is_rejected(events, sqs):
    _, arn = make_queue(sqs, "t-badid")
    events.put_rule(Name="r", EventPattern=json.dumps(ORDERS))
    with raises_aws("ValidationException"):
        events.put_targets(Rule="r", Targets=[{"Id": "bad id!", "Arn": arn}])


# ---------------------------------------------------------------------------------- routing to SQS

def test_event_reaches_the_queue_with_the_exact_envelope(events, sqs):
    url, _ = rule_to_queue(events, sqs, "r", "envelope")
    when = datetime(2024, 5, 6, 7, 8, 9, tzinfo=timezone.utc)
    detail = {"orderId": "o-42", "items": [{"sku": "a", "qty": 2}], "total": 19.99, "gift": False, "note": None}
    resources = ["arn:aws:dynamodb:us-east-1:000000000000:table/orders"]
    [eid] = put_ok(events, event_entry(detail_type="OrderPlaced", detail=detail, Time=when, Resources=resources))
    [msg] = drain(sqs, url, 1)
    body = json.loads(msg["Body"])
    assert set(body) == set(ENVELOPE_FIELDS)
    assert body == {
        "version": "0",
        "id": eid,
        "detail-type": "OrderPlaced",
        "source": "com.example.orders",
        "account": DEFAULT_ACCOUNT,
        "time": "2024-05-06T07:08:09Z",
        "region": "us-east-1",
        "resources": resources,
        "detail": detail,
    }


def test_time_defaults_to_the_put_events_call(events, sqs):
    url, _ = rule_to_queue(events, sqs, "r", "envelope-now")
    before = datetime.now(timezone.utc).replace(microsecond=0)
    put_ok(events, event_entry(detail={}))
    after = datetime.now(timezone.utc)
    [body] = receive_bodies(sqs, url, 1)
    assert ISO_SECONDS.match(body["time"]), body["time"]
    t = datetime.strptime(body["time"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)
    assert before.timestamp() - 1 <= t.timestamp() <= after.timestamp() + 1


def test_non_matching_events_are_not_delivered(events, sqs):
    url, _ = rule_to_queue(events, sqs, "r", "picky", pattern={"source": ["com.example.orders"],
                                                                "detail": {"status": ["paid"]}})
    put_ok(events,
           event_entry(detail={"status": "pending", "n": 1}),
           event_entry(source="com.example.other", detail={"status": "paid", "n": 2}),
           event_entry(detail={"status": "paid", "n": 3}))
    assert [b["detail"]["n"] for b in receive_bodies(sqs, url, 1)] == [3]
    assert_queue_stays_empty(sqs, url, 1)


def test_two_rules_and_two_targets_each_get_a_copy(events, sqs):
    url1, _ = rule_to_queue(events, sqs, "r1", "copy-1")
    url2, arn2 = rule_to_queue(events, sqs, "r2", "copy-2")
    url3, arn3 = make_queue(sqs, "copy-3")
    events.put_targets(Rule="r2", Targets=[{"Id": "second", "Arn": arn3}])
    [eid] = put_ok(events, event_entry(detail={"k": 1}))
    for url in (url1, url2, url3):
        assert [b["id"] for b in receive_bodies(sqs, url, 1)] == [eid]
        assert_queue_stays_empty(sqs, url, 0.5)


def test_custom_bus_rules_see_only_their_bus(events, sqs):
    events.create_event_bus(Name="shop")
    url_custom, _ = rule_to_queue(events, sqs, "r", "on-shop", bus="shop")
    url_default, _ = rule_to_queue(events, sqs, "r", "on-default")
    put_ok(events, event_entry(detail={"to": "shop"}, EventBusName="shop"))
    put_ok(events, event_entry(detail={"to": "default"}))
    assert [b["detail"]["to"] for b in receive_bodies(sqs, url_custom, 1)] == ["shop"]
    assert [b["detail"]["to"] for b in receive_bodies(sqs, url_default, 1)] == ["default"]
    assert_queue_stays_empty(sqs, url_custom, 0.5)
    assert_queue_stays_empty(sqs, url_default, 0.5)


def test_removed_target_stops_receiving(events, sqs):
    url, _ = rule_to_queue(events, sqs, "r", "removed")
    events.remove_targets(Rule="r", Ids=["q"])
    put_ok(events, event_entry(detail={}))
    assert_queue_stays_empty(sqs, url, 1.5)


def test_many_events_all_arrive_once(events, sqs):
    url, _ = rule_to_queue(events, sqs, "r", "many")
    ids = []
    for batch in range(5):
        ids += put_ok(events, *[event_entry(detail={"b": batch, "i": i}) for i in range(10)])
    got = receive_bodies(sqs, url, 50, timeout=20)
    assert sorted(b["id"] for b in got) == sorted(ids)


def test_fifo_queue_target_with_message_group_id(events, sqs):
    url, _ = rule_to_queue(events, sqs, "r", "orders.fifo",
                           queue_attrs={"FifoQueue": "true", "ContentBasedDeduplication": "true"},
                           SqsParameters={"MessageGroupId": "orders-group"})
    ids = []
    for i in range(4):
        ids += put_ok(events, event_entry(detail={"seq": i}))
    got = []
    deadline = time.monotonic() + 15
    while len(got) < 4 and time.monotonic() < deadline:
        msgs = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=1,
                                   MessageSystemAttributeNames=["MessageGroupId"]).get("Messages", [])
        for m in msgs:
            got.append(m)
            sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])
    assert [m["Attributes"]["MessageGroupId"] for m in got] == ["orders-group"] * 4
    bodies = [json.loads(m["Body"]) for m in got]
    # One group: delivered in the order the events were put.
    assert [b["detail"]["seq"] for b in bodies] == [0, 1, 2, 3]
    assert [b["id"] for b in bodies] == ids


def test_target_queue_in_another_region(events, sqs_factory):
    west_sqs = sqs_factory(region="eu-west-1")
    url, arn = make_queue(west_sqs, "west-queue")
    assert arn == "arn:aws:sqs:eu-west-1:000000000000:west-queue"
    events.put_rule(Name="r", EventPattern=json.dumps(ORDERS))
    events.put_targets(Rule="r", Targets=[{"Id": "q", "Arn": arn}])
    [eid] = put_ok(events, event_entry(detail={"x": 1}))
    [body] = receive_bodies(west_sqs, url, 1)
    assert body["id"] == eid
    assert body["region"] == "us-east-1"


def test_event_bus_target_in_another_region_forwards_to_its_own_rules(events, events_factory, sqs_factory):
    west = events_factory(region="eu-west-1")
    west_sqs = sqs_factory(region="eu-west-1")
    url, arn = make_queue(west_sqs, "west-sink")
    west.put_rule(Name="from-east", EventPattern=json.dumps(ORDERS))
    west.put_targets(Rule="from-east", Targets=[{"Id": "q", "Arn": arn}])
    events.put_rule(Name="to-west", EventPattern=json.dumps(ORDERS))
    r = events.put_targets(Rule="to-west", Targets=[{"Id": "bus", "Arn": bus_arn("default", region="eu-west-1"),
                                                      "RoleArn": DUMMY_ROLE_ARN}])
    assert r["FailedEntryCount"] == 0
    put_ok(events, event_entry(detail_type="Forwarded", detail={"hop": 1}))
    [body] = receive_bodies(west_sqs, url, 1)
    assert body["source"] == "com.example.orders"
    assert body["detail-type"] == "Forwarded"
    assert body["detail"] == {"hop": 1}
    # The event keeps the account and region where it was first put.
    assert body["account"] == DEFAULT_ACCOUNT
    assert body["region"] == "us-east-1"


def test_event_bus_target_in_another_account(events, events_factory, sqs_factory):
    other = events_factory(access_key=ACCOUNT_A)
    other_sqs = sqs_factory(access_key=ACCOUNT_A)
    other.create_event_bus(Name="central")
    other.put_permission(EventBusName="central", Action="events:PutEvents", Principal=DEFAULT_ACCOUNT,
                         StatementId="from-default")
    url, arn = make_queue(other_sqs, "central-sink")
    other.put_rule(Name="collect", EventBusName="central", EventPattern=json.dumps(ORDERS))
    other.put_targets(Rule="collect", EventBusName="central", Targets=[{"Id": "q", "Arn": arn}])
    events.put_rule(Name="to-central", EventPattern=json.dumps(ORDERS))
    events.put_targets(Rule="to-central", Targets=[{"Id": "bus", "Arn": bus_arn("central", account=ACCOUNT_A),
                                                     "RoleArn": DUMMY_ROLE_ARN}])
    put_ok(events, event_entry(detail={"cross": "account"}))
    [body] = receive_bodies(other_sqs, url, 1)
    assert body["detail"] == {"cross": "account"}
    assert body["account"] == DEFAULT_ACCOUNT  # the sender's account, as AWS documents


def test_event_bus_target_on_the_same_account_and_region(events, sqs):
    events.create_event_bus(Name="downstream")
    url, _ = rule_to_queue(events, sqs, "collect", "downstream-sink", bus="downstream")
    events.put_rule(Name="forward", EventPattern=json.dumps(ORDERS))
    events.put_targets(Rule="forward", Targets=[{"Id": "bus", "Arn": bus_arn("downstream"), "RoleArn": DUMMY_ROLE_ARN}])
    put_ok(events, event_entry(detail={"via": "forward"}))
    [body] = receive_bodies(sqs, url, 1)
    assert body["detail"] == {"via": "forward"}
    assert_queue_stays_empty(sqs, url, 1)


# ---------------------------------------------------------------------------------- input shaping

# The example from "Amazon EventBridge input transformation".
DOC_DETAIL = {"instance-id": "i-0123456789", "state": "RUNNING"}
DOC_PATHS = {"instance": "$.detail.instance-id", "state": "$.detail.state"}


def shaped(events, sqs, name: str, parse: bool, **target) -> tuple[object, str]:
    """Route one EC2-like event through a target with `target` shaping; return (body, event id)."""
    url, _ = rule_to_queue(events, sqs, "shape", name, pattern={"source": ["com.example.ec2"]}, **target)
    [eid] = put_ok(events, event_entry(source="com.example.ec2", detail_type="EC2 Instance State-change Notification",
                                       detail=DOC_DETAIL,
                                       Resources=["arn:aws:ec2:us-east-1:123456789012:instance/i-abcd1111"]))
    [body] = receive_bodies(sqs, url, 1, parse=parse)
    return body, eid


def test_input_constant_replaces_the_event(events, sqs):
    body, _ = shaped(events, sqs, "in-const", parse=False, Input='{"fixed": ["value", 1]}')
    assert json.loads(body) == {"fixed": ["value", 1]}


def test_input_path_detail(events, sqs):
    body, _ = shaped(events, sqs, "in-path", parse=True, InputPath="$.detail")
    assert body == DOC_DETAIL


def test_input_path_resources_array(events, sqs):
    body, _ = shaped(events, sqs, "in-path-arr", parse=True, InputPath="$.resources")
    assert body == ["arn:aws:ec2:us-east-1:123456789012:instance/i-abcd1111"]


def test_transformer_plain_text_template(events, sqs):
    # Doc example: template `instance <instance> is in <state>` (no quotes) -> plain text.
    body, _ = shaped(events, sqs, "tx-text", parse=False, InputTransformer={
        "InputPathsMap": DOC_PATHS, "InputTemplate": "instance <instance> is in <state>"})
    assert body == "instance i-0123456789 is in RUNNING"


def test_transformer_quoted_string_template(events, sqs):
    # Doc example: template `"instance <instance> is in <state>"` -> the same, as a JSON string.
    body, _ = shaped(events, sqs, "tx-string", parse=False, InputTransformer={
        "InputPathsMap": DOC_PATHS, "InputTemplate": '"instance <instance> is in <state>"'})
    assert body == '"instance i-0123456789 is in RUNNING"'


def test_transformer_json_template_with_values_and_strings(events, sqs):
    # Placeholders as JSON values get the JSON value (quoted strings); inside strings, the raw text.
    body, _ = shaped(events, sqs, "tx-json", parse=False, InputTransformer={
        "InputPathsMap": DOC_PATHS,
        "InputTemplate": '{"instance": <instance>, "state": [9, <state>, true], "Transformed": "Yes",'
                         ' "summary": "instance <instance> is in <state>"}'})
    assert json.loads(body) == {"instance": "i-0123456789", "state": [9, "RUNNING", True], "Transformed": "Yes",
                                "summary": "instance i-0123456789 is in RUNNING"}


def test_transformer_escaped_quotes_inside_strings(events, sqs):
    # API reference example: `"<instance> is in state \"<status>\""` inside a JSON object.
    body, _ = shaped(events, sqs, "tx-escaped", parse=False, InputTransformer={
        "InputPathsMap": {"instance": "$.detail.instance-id", "status": "$.detail.state"},
        "InputTemplate": '{"myInstance": <instance>,"myStatus": "<instance> is in state \\"<status>\\""}'})
    assert json.loads(body) == {"myInstance": "i-0123456789", "myStatus": 'i-0123456789 is in state "RUNNING"'}


def test_transformer_object_and_number_values(events, sqs):
    url, _ = rule_to_queue(events, sqs, "shape", "tx-values", InputTransformer={
        "InputPathsMap": {"order": "$.detail.order", "total": "$.detail.total", "first": "$.detail.items[0]",
                          "src": "$.source"},
        "InputTemplate": '{"o": <order>, "t": <total>, "f": <first>, "s": <src>}'})
    put_ok(events, event_entry(detail={"order": {"id": "o-1", "lines": 2}, "total": 12.5, "items": ["x", "y"]}))
    [body] = receive_bodies(sqs, url, 1)
    assert body == {"o": {"id": "o-1", "lines": 2}, "t": 12.5, "f": "x", "s": "com.example.orders"}


def test_transformer_predefined_rule_variables(events, sqs):
    body, _ = shaped(events, sqs, "tx-rule", parse=False, InputTransformer={
        "InputTemplate": '{"text": "rule <aws.events.rule-name> (<aws.events.rule-arn>)",'
                         ' "name": <aws.events.rule-name>}'})
    # As a JSON value a predefined variable is a string value like any other (AWS quotes it).
    assert json.loads(body) == {"text": f"rule shape ({rule_arn('shape')})", "name": "shape"}


def test_transformer_ingestion_time(events, sqs):
    before = time.time()
    body, _ = shaped(events, sqs, "tx-ingest", parse=False, InputTransformer={
        "InputTemplate": '{"at": "<aws.events.event.ingestion-time>"}'})
    at = json.loads(body)["at"]
    # "an ISO 8601 timestamp" of when EventBridge received the event.
    parsed = datetime.fromisoformat(at.replace("Z", "+00:00"))
    assert before - 2 <= parsed.timestamp() <= time.time() + 2


def test_transformer_whole_event_variables(events, sqs):
    body, eid = shaped(events, sqs, "tx-event", parse=False, InputTransformer={
        "InputTemplate": '{"full": <aws.events.event.json>, "header": <aws.events.event>}'})
    out = json.loads(body)
    # aws.events.event.json: the full original event (with detail).
    assert out["full"]["id"] == eid
    assert out["full"]["detail"] == DOC_DETAIL
    assert set(out["full"]) == set(ENVELOPE_FIELDS)
    # aws.events.event: the original event without the detail field.
    assert out["header"]["id"] == eid
    assert out["header"]["source"] == "com.example.ec2"
    assert "detail" not in out["header"]


def test_input_shaping_applies_per_target(events, sqs):
    url_raw, _ = rule_to_queue(events, sqs, "r", "per-target-raw")
    url_cut, arn_cut = make_queue(sqs, "per-target-cut")
    events.put_targets(Rule="r", Targets=[{"Id": "cut", "Arn": arn_cut, "InputPath": "$.detail.order"}])
    [eid] = put_ok(events, event_entry(detail={"order": {"id": "o-7"}}))
    assert receive_bodies(sqs, url_raw, 1)[0]["id"] == eid
    assert receive_bodies(sqs, url_cut, 1) == [{"id": "o-7"}]


# ---------------------------------------------------------------------------------- metrics

def test_metrics_mention_bus_rule_and_target(herald, events, sqs):
    events.create_event_bus(Name="metered-bus")
    url, _ = rule_to_queue(events, sqs, "metered-rule", "metered-target", bus="metered-bus")
    put_ok(events, event_entry(detail={}, EventBusName="metered-bus"))
    receive_bodies(sqs, url, 1)
    text = requests.get(f"{herald.endpoint}/metrics", timeout=5).text
    samples = [l for l in text.splitlines() if l and not l.startswith("#")]
    assert any("metered-bus" in l for l in samples), "no metric series for the bus"
    assert any("metered-rule" in l for l in samples), "no metric series for the rule"
    assert any("PutEvents" in l for l in samples), "no per-operation metric for PutEvents"
