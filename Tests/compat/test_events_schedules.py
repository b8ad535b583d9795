"""Scheduled rules: `rate(...)` and six-field `cron(...)` expressions as AWS documents them
("Creating a rule that runs on a schedule"), validated with AWS's error
(ValidationException, "Parameter ScheduleExpression is not valid."). A real tick is at least a minute
away, so firing is tested in Swift with a fake clock; here: acceptance, description, validation."""

from __future__ import annotations

import json

import pytest

from herald_compat import make_queue, raises_aws, rule_arn

VALID = [
    "rate(1 minute)",
    "rate(5 minutes)",
    "rate(1 hour)",
    "rate(12 hours)",
    "rate(1 day)",
    "rate(7 days)",
    # The examples from AWS's cron table.
    "cron(0 10 * * ? *)",
    "cron(15 12 * * ? *)",
    "cron(0 18 ? * MON-FRI *)",
    "cron(0 8 1 * ? *)",
    "cron(0/15 * * * ? *)",
    "cron(0/10 * ? * MON-FRI *)",
    "cron(0/5 8-17 ? * MON-FRI *)",
    "cron(0 9 ? * 2#1 *)",
    # Wildcards the docs list: L (last), W (weekday), lists, year.
    "cron(0 0 L * ? *)",
    "cron(0 0 ? * 6L *)",
    "cron(0 12 15W * ? *)",
    "cron(30 6 ? * SUN,SAT 2030)",
    "cron(0 0 1 JAN,JUL ? *)",
]

INVALID = [
    "rate(1 minutes)",        # value 1 needs the singular unit
    "rate(5 minute)",         # values above 1 need the plural unit
    "rate(0 minutes)",        # must be a positive whole number
    "rate(-5 minutes)",
    "rate(1.5 hours)",
    "rate(30 seconds)",       # minutes, hours or days only
    "rate(5)",
    "rate()",
    "rate(five minutes)",
    "cron(0 12 * * *)",       # five fields: AWS needs six
    "cron(0 12 * * ? * *)",   # seven fields
    "cron(0 12 * * * *)",     # day-of-month and day-of-week both given: one must be ?
    "cron(0 12 1 * MON *)",
    "cron(60 12 * * ? *)",    # minute 0-59
    "cron(0 24 * * ? *)",     # hour 0-23
    "cron(0 12 32 * ? *)",    # day of month 1-31
    "cron(0 12 ? 13 MON *)",  # month 1-12
    "cron(0 12 ? * 8 *)",     # day of week 1-7
    "cron(0 12 ? * MON 1969)",  # year 1970-2199
    "cron()",
    "every 5 minutes",
    "at(2030-01-01T00:00:00)",  # EventBridge Scheduler syntax, not valid on rules
]


@pytest.mark.parametrize("expr", VALID)
def test_valid_schedule_expressions_are_accepted_and_described(events, expr):
    r = events.put_rule(Name="sched", ScheduleExpression=expr, Description="tick")
    assert r["RuleArn"] == rule_arn("sched")
    d = events.describe_rule(Name="sched")
    assert d["ScheduleExpression"] == expr
    assert d["State"] == "ENABLED"
    assert d["EventBusName"] == "default"
    assert "EventPattern" not in d


@pytest.mark.parametrize("expr", INVALID)
def test_invalid_schedule_expressions_are_rejected(events, expr):
    with raises_aws("ValidationException") as info:
        events.put_rule(Name="bad-sched", ScheduleExpression=expr)
    assert "ScheduleExpression" in info.value.response["Error"]["Message"]
    with raises_aws("ResourceNotFoundException"):
        events.describe_rule(Name="bad-sched")


def test_schedule_on_a_custom_bus_is_rejected(events):
    # "ScheduleExpression is supported only on the default event bus."
    events.create_event_bus(Name="custom")
    with raises_aws("ValidationException") as info:
        events.put_rule(Name="sched", EventBusName="custom", ScheduleExpression="rate(5 minutes)")
    assert "ScheduleExpression" in info.value.response["Error"]["Message"]


def test_scheduled_rule_is_listed_and_takes_targets(events, sqs):
    _, arn = make_queue(sqs, "ticks")
    events.put_rule(Name="every-minute", ScheduleExpression="rate(1 minute)", State="DISABLED")
    events.put_targets(Rule="every-minute", Targets=[{"Id": "q", "Arn": arn, "Input": '{"tick": true}'}])
    [rule] = events.list_rules()["Rules"]
    assert rule["Name"] == "every-minute"
    assert rule["ScheduleExpression"] == "rate(1 minute)"
    assert rule["State"] == "DISABLED"
    assert events.list_targets_by_rule(Rule="every-minute")["Targets"] == [
        {"Id": "q", "Arn": arn, "Input": '{"tick": true}'}]
    assert events.list_rule_names_by_target(TargetArn=arn)["RuleNames"] == ["every-minute"]


def test_schedule_can_be_changed_and_the_rule_toggled(events):
    events.put_rule(Name="s", ScheduleExpression="rate(5 minutes)")
    events.put_rule(Name="s", ScheduleExpression="cron(0 12 * * ? *)")
    assert events.describe_rule(Name="s")["ScheduleExpression"] == "cron(0 12 * * ? *)"
    events.enable_rule(Name="s")
    events.disable_rule(Name="s")
    assert events.describe_rule(Name="s")["State"] == "DISABLED"


def test_schedule_expression_too_long_is_rejected(events):
    # ScheduleExpression: at most 256 characters.
    with raises_aws("ValidationException"):
        events.put_rule(Name="long", ScheduleExpression="rate(" + "1" * 300 + " minutes)")


def test_scheduled_rule_with_a_pattern_too(events):
    # AWS documents "EventPattern and/or ScheduleExpression"; the rule keeps both as given.
    pattern = {"source": ["com.example"]}
    events.put_rule(Name="both", ScheduleExpression="rate(10 minutes)", EventPattern=json.dumps(pattern))
    d = events.describe_rule(Name="both")
    assert d["ScheduleExpression"] == "rate(10 minutes)"
    assert json.loads(d["EventPattern"]) == pattern


@pytest.mark.slow
def test_rate_rule_delivers_the_scheduled_event_envelope(events, sqs):
    # Waits on real time (up to ~2 minutes): run with HERALD_COMPAT_SLOW=1.
    from herald_compat import ENVELOPE_FIELDS, DEFAULT_ACCOUNT, receive_bodies
    url, arn = make_queue(sqs, "scheduled")
    events.put_rule(Name="tick", ScheduleExpression="rate(1 minute)")
    events.put_targets(Rule="tick", Targets=[{"Id": "q", "Arn": arn}])
    [body] = receive_bodies(sqs, url, 1, timeout=130)
    assert set(body) == set(ENVELOPE_FIELDS)
    assert body["source"] == "aws.events"
    assert body["detail-type"] == "Scheduled Event"
    assert body["detail"] == {}
    assert body["resources"] == [rule_arn("tick")]
    assert body["account"] == DEFAULT_ACCOUNT
    assert body["region"] == "us-east-1"
    assert body["version"] == "0"
