"""Rules: PutRule / DescribeRule / ListRules / DeleteRule / EnableRule / DisableRule,
ListRuleNamesByTarget and TestEventPattern. Written from botocore's `events` model, the EventBridge
API reference and the event-pattern documentation (content filtering)."""

from __future__ import annotations

import json

import pytest

from herald_compat import (
    DEFAULT_ACCOUNT,
    assert_queue_stays_empty,
    bus_arn,
    event_entry,
    make_queue,
    put_ok,
    raises_aws,
    receive_bodies,
    rule_arn,
)

PATTERN = {"source": ["com.example.orders"], "detail-type": ["OrderPlaced"]}

# The EC2 example event from the EventBridge user guide.
EC2_EVENT = {
    "version": "0",
    "id": "7bf73129-1428-4cd3-a780-95db273d1602",
    "detail-type": "EC2 Instance State-change Notification",
    "source": "aws.ec2",
    "account": "123456789012",
    "time": "2015-11-11T21:29:54Z",
    "region": "us-east-1",
    "resources": ["arn:aws:ec2:us-east-1:123456789012:instance/i-abcd1111"],
    "detail": {"instance-id": "i-0123456789", "state": "RUNNING", "c-count": 5, "d-count": 0.5,
               "source-ip": "10.0.0.123", "tags": ["prod", "web"]},
}


def test_put_rule_returns_arn_and_describe_returns_every_field(events):
    r = events.put_rule(Name="orders", EventPattern=json.dumps(PATTERN), Description="new orders",
                        RoleArn="arn:aws:iam::000000000000:role/events")
    assert r["RuleArn"] == rule_arn("orders")
    d = events.describe_rule(Name="orders")
    assert d["Name"] == "orders"
    assert d["Arn"] == rule_arn("orders")
    assert json.loads(d["EventPattern"]) == PATTERN
    assert d["State"] == "ENABLED"  # the default
    assert d["Description"] == "new orders"
    assert d["RoleArn"] == "arn:aws:iam::000000000000:role/events"
    assert d["EventBusName"] == "default"
    assert d["CreatedBy"] == DEFAULT_ACCOUNT
    assert "ScheduleExpression" not in d
    assert "ManagedBy" not in d


def test_put_rule_disabled(events):
    events.put_rule(Name="off", EventPattern=json.dumps(PATTERN), State="DISABLED")
    assert events.describe_rule(Name="off")["State"] == "DISABLED"


def test_put_rule_again_updates_in_place(events):
    arn = events.put_rule(Name="upd", EventPattern=json.dumps(PATTERN), Description="one")["RuleArn"]
    new = {"source": ["com.example.billing"]}
    assert events.put_rule(Name="upd", EventPattern=json.dumps(new), Description="two")["RuleArn"] == arn
    d = events.describe_rule(Name="upd")
    assert json.loads(d["EventPattern"]) == new
    assert d["Description"] == "two"
    assert [r["Name"] for r in events.list_rules()["Rules"]] == ["upd"]


def test_put_rule_update_drops_omitted_arguments(events):
    # "If you omit arguments in PutRule, the old values for those arguments are not kept."
    events.put_rule(Name="forget", EventPattern=json.dumps(PATTERN), Description="will vanish",
                    RoleArn="arn:aws:iam::000000000000:role/r")
    events.put_rule(Name="forget", EventPattern=json.dumps(PATTERN))
    d = events.describe_rule(Name="forget")
    assert "Description" not in d or d["Description"] in ("", None)
    assert "RoleArn" not in d


def test_rule_on_custom_bus_by_name_and_arn(events):
    events.create_event_bus(Name="shop")
    r = events.put_rule(Name="r1", EventBusName="shop", EventPattern=json.dumps(PATTERN))
    assert r["RuleArn"] == rule_arn("r1", bus="shop")
    d = events.describe_rule(Name="r1", EventBusName=bus_arn("shop"))
    assert d["EventBusName"] == "shop"
    assert d["Arn"] == rule_arn("r1", bus="shop")
    # The rule lives on "shop" only.
    with raises_aws("ResourceNotFoundException"):
        events.describe_rule(Name="r1")
    assert events.list_rules().get("Rules", []) == []
    assert [x["Name"] for x in events.list_rules(EventBusName="shop")["Rules"]] == ["r1"]


def test_same_rule_name_on_two_buses_are_distinct(events):
    events.create_event_bus(Name="b2")
    events.put_rule(Name="same", EventPattern='{"source":["a"]}')
    events.put_rule(Name="same", EventBusName="b2", EventPattern='{"source":["b"]}')
    assert json.loads(events.describe_rule(Name="same")["EventPattern"]) == {"source": ["a"]}
    assert json.loads(events.describe_rule(Name="same", EventBusName="b2")["EventPattern"]) == {"source": ["b"]}


def test_put_rule_on_missing_bus_is_resource_not_found(events):
    with raises_aws("ResourceNotFoundException"):
        events.put_rule(Name="r", EventBusName="ghost-bus", EventPattern=json.dumps(PATTERN))


def test_put_rule_needs_a_pattern_or_a_schedule(events):
    # AWS: "Parameter(s) EventPattern or ScheduleExpression must be specified."
    with raises_aws("ValidationException") as info:
        events.put_rule(Name="empty")
    msg = info.value.response["Error"]["Message"]
    assert "EventPattern" in msg and "ScheduleExpression" in msg


@pytest.mark.parametrize("name", ["has space", "slash/name", "x" * 65, "ünïcode"])
def test_invalid_rule_names_are_rejected(events, name):
    # RuleName: 1-64 characters of [.\-_A-Za-z0-9].
    with raises_aws("ValidationException"):
        events.put_rule(Name=name, EventPattern=json.dumps(PATTERN))


def test_invalid_pattern_is_invalid_event_pattern_exception(events):
    with raises_aws("InvalidEventPatternException") as info:
        events.put_rule(Name="bad", EventPattern='{"source": "not-an-array"}')
    # AWS: "Event pattern is not valid. Reason: ..."
    assert info.value.response["Error"]["Message"].startswith("Event pattern is not valid")
    with raises_aws("ResourceNotFoundException"):
        events.describe_rule(Name="bad")


def test_describe_missing_rule(events):
    with raises_aws("ResourceNotFoundException") as info:
        events.describe_rule(Name="nope")
    # AWS: "Rule nope does not exist on EventBus default."
    assert "nope" in info.value.response["Error"]["Message"]


def test_enable_and_disable_rule(events):
    events.put_rule(Name="toggle", EventPattern=json.dumps(PATTERN))
    events.disable_rule(Name="toggle")
    assert events.describe_rule(Name="toggle")["State"] == "DISABLED"
    events.enable_rule(Name="toggle")
    assert events.describe_rule(Name="toggle")["State"] == "ENABLED"


def test_enable_disable_missing_rule_is_resource_not_found(events):
    with raises_aws("ResourceNotFoundException"):
        events.enable_rule(Name="ghost")
    with raises_aws("ResourceNotFoundException"):
        events.disable_rule(Name="ghost")


def test_disabled_rule_does_not_route(events, sqs):
    url, arn = make_queue(sqs, "toggle-sink")
    events.put_rule(Name="toggle", EventPattern=json.dumps(PATTERN))
    events.put_targets(Rule="toggle", Targets=[{"Id": "q", "Arn": arn}])
    events.disable_rule(Name="toggle")
    put_ok(events, event_entry(detail={"n": "while disabled"}))
    assert_queue_stays_empty(sqs, url, 1.5)
    events.enable_rule(Name="toggle")
    put_ok(events, event_entry(detail={"n": "while enabled"}))
    assert [b["detail"]["n"] for b in receive_bodies(sqs, url, 1)] == ["while enabled"]
    assert_queue_stays_empty(sqs, url, 1)


def test_delete_rule(events):
    events.put_rule(Name="gone", EventPattern=json.dumps(PATTERN))
    events.delete_rule(Name="gone")
    with raises_aws("ResourceNotFoundException"):
        events.describe_rule(Name="gone")
    assert events.list_rules().get("Rules", []) == []


def test_delete_rule_with_targets_is_refused(events, sqs):
    _, arn = make_queue(sqs, "keep-sink")
    events.put_rule(Name="has-targets", EventPattern=json.dumps(PATTERN))
    events.put_targets(Rule="has-targets", Targets=[{"Id": "q", "Arn": arn}])
    # AWS: "Rule can't be deleted since it has targets." (ValidationException)
    with raises_aws("ValidationException") as info:
        events.delete_rule(Name="has-targets")
    assert "target" in info.value.response["Error"]["Message"].lower()
    assert events.describe_rule(Name="has-targets")["Name"] == "has-targets"
    events.remove_targets(Rule="has-targets", Ids=["q"])
    events.delete_rule(Name="has-targets")
    with raises_aws("ResourceNotFoundException"):
        events.describe_rule(Name="has-targets")


def test_list_rules_sorted_with_fields(events):
    for name in ("charlie", "alpha", "bravo"):
        events.put_rule(Name=name, EventPattern=json.dumps({"source": [name]}), Description=f"d-{name}")
    rules = events.list_rules()["Rules"]
    assert [r["Name"] for r in rules] == ["alpha", "bravo", "charlie"]
    a = rules[0]
    assert a["Arn"] == rule_arn("alpha")
    assert json.loads(a["EventPattern"]) == {"source": ["alpha"]}
    assert a["State"] == "ENABLED"
    assert a["Description"] == "d-alpha"
    assert a["EventBusName"] == "default"


def test_list_rules_name_prefix(events):
    for name in ("orders-new", "orders-old", "billing"):
        events.put_rule(Name=name, EventPattern=json.dumps(PATTERN))
    assert [r["Name"] for r in events.list_rules(NamePrefix="orders-")["Rules"]] == ["orders-new", "orders-old"]
    assert events.list_rules(NamePrefix="zzz").get("Rules", []) == []


def test_list_rules_pagination_visits_every_rule_once(events):
    names = [f"rule-{i:02d}" for i in range(7)]
    for name in names:
        events.put_rule(Name=name, EventPattern=json.dumps(PATTERN))
    seen, token = [], None
    for _ in range(10):
        kwargs = {"Limit": 3}
        if token:
            kwargs["NextToken"] = token
        r = events.list_rules(**kwargs)
        assert len(r["Rules"]) <= 3
        seen += [x["Name"] for x in r["Rules"]]
        token = r.get("NextToken")
        if not token:
            break
    assert seen == names


def test_list_rules_on_missing_bus_is_resource_not_found(events):
    with raises_aws("ResourceNotFoundException"):
        events.list_rules(EventBusName="nobus")


def test_list_rule_names_by_target(events, sqs):
    _, a = make_queue(sqs, "target-a")
    _, b = make_queue(sqs, "target-b")
    for name, arn in (("r2", a), ("r1", a), ("r3", b)):
        events.put_rule(Name=name, EventPattern=json.dumps(PATTERN))
        events.put_targets(Rule=name, Targets=[{"Id": "t", "Arn": arn}])
    assert events.list_rule_names_by_target(TargetArn=a)["RuleNames"] == ["r1", "r2"]
    assert events.list_rule_names_by_target(TargetArn=b)["RuleNames"] == ["r3"]
    assert events.list_rule_names_by_target(TargetArn="arn:aws:sqs:us-east-1:000000000000:none").get("RuleNames", []) == []


def test_list_rule_names_by_target_is_per_bus(events, sqs):
    _, a = make_queue(sqs, "target-bus")
    events.create_event_bus(Name="other")
    events.put_rule(Name="on-other", EventBusName="other", EventPattern=json.dumps(PATTERN))
    events.put_targets(Rule="on-other", EventBusName="other", Targets=[{"Id": "t", "Arn": a}])
    assert events.list_rule_names_by_target(TargetArn=a).get("RuleNames", []) == []
    assert events.list_rule_names_by_target(TargetArn=a, EventBusName="other")["RuleNames"] == ["on-other"]


# ---------------------------------------------------------------------------------- TestEventPattern

@pytest.mark.parametrize("pattern,expected", [
    ({"source": ["aws.ec2"]}, True),
    ({"source": ["aws.s3"]}, False),
    ({"detail-type": ["EC2 Instance State-change Notification"], "detail": {"state": ["RUNNING", "STOPPED"]}}, True),
    ({"detail": {"state": ["running"]}}, False),  # matching is case-sensitive
    ({"detail": {"state": [{"equals-ignore-case": "running"}]}}, True),
    ({"source": [{"prefix": "aws."}]}, True),
    ({"detail": {"instance-id": [{"suffix": "789"}]}}, True),
    ({"detail": {"state": [{"anything-but": "RUNNING"}]}}, False),
    ({"detail": {"state": [{"anything-but": ["STOPPED", "PENDING"]}]}}, True),
    ({"detail": {"c-count": [{"numeric": [">", 0, "<=", 5]}]}}, True),
    ({"detail": {"d-count": [{"numeric": ["<", 0.5]}]}}, False),
    ({"detail": {"source-ip": [{"cidr": "10.0.0.0/24"}]}}, True),
    ({"detail": {"missing": [{"exists": False}]}}, True),
    ({"detail": {"state": [{"exists": False}]}}, False),
    ({"detail": {"tags": ["web"]}}, True),  # an array matches if any element matches
    ({"resources": ["arn:aws:ec2:us-east-1:123456789012:instance/i-abcd1111"]}, True),
    ({"detail": {"instance-id": [{"wildcard": "i-0123*"}]}}, True),
    ({"$or": [{"detail": {"state": ["STOPPED"]}}, {"detail": {"c-count": [5]}}]}, True),
    ({"account": ["000000000000"]}, False),
])
def test_test_event_pattern_documented_matching(events, pattern, expected):
    r = events.test_event_pattern(EventPattern=json.dumps(pattern), Event=json.dumps(EC2_EVENT))
    assert r["Result"] is expected


@pytest.mark.parametrize("pattern", [
    '{"source": "aws.ec2"}',                        # a leaf must be an array
    '{"source": []}',                               # empty array matches nothing: AWS rejects it
    '{"detail": {"n": [{"numeric": [">"]}]}}',     # numeric needs an operand
    '{"detail": {"n": [{"bogus-operator": 1}]}}',   # unknown operator
    '{"source": ["aws.ec2"]',                       # not JSON
    '["aws.ec2"]',                                  # not an object
])
def test_test_event_pattern_rejects_invalid_patterns(events, pattern):
    with raises_aws("InvalidEventPatternException") as info:
        events.test_event_pattern(EventPattern=pattern, Event=json.dumps(EC2_EVENT))
    assert info.value.response["Error"]["Message"].startswith("Event pattern is not valid")


def test_test_event_pattern_requires_the_mandatory_event_fields(events):
    # "the following fields are mandatory: id, account, source, time, region, resources, detail-type"
    event = dict(EC2_EVENT)
    del event["id"]
    with raises_aws(("ValidationException", "InvalidEventPatternException")):
        events.test_event_pattern(EventPattern='{"source":["aws.ec2"]}', Event=json.dumps(event))
