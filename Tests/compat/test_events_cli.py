"""The AWS CLI (`aws events ...`) against Herald, with only --endpoint-url changed."""

from __future__ import annotations

import json

from herald_compat import bus_arn, make_queue, receive_bodies, rule_arn


def test_cli_describe_default_event_bus(aws_cli):
    out = aws_cli("events", "describe-event-bus")
    assert out["Name"] == "default"
    assert out["Arn"] == bus_arn()


def test_cli_create_and_list_event_buses(aws_cli):
    assert aws_cli("events", "create-event-bus", "--name", "cli-bus") == {"EventBusArn": bus_arn("cli-bus")}
    names = [b["Name"] for b in aws_cli("events", "list-event-buses")["EventBuses"]]
    assert names == ["cli-bus", "default"]


def test_cli_put_rule_put_targets_put_events_round_trip(aws_cli, sqs):
    url, arn = make_queue(sqs, "cli-sink")
    out = aws_cli("events", "put-rule", "--name", "cli-rule", "--event-pattern",
                  json.dumps({"source": ["com.example.cli"]}), "--description", "from the cli")
    assert out == {"RuleArn": rule_arn("cli-rule")}
    out = aws_cli("events", "put-targets", "--rule", "cli-rule", "--targets", json.dumps([{"Id": "q", "Arn": arn}]))
    assert out["FailedEntryCount"] == 0
    out = aws_cli("events", "put-events", "--entries", json.dumps([
        {"Source": "com.example.cli", "DetailType": "CliEvent", "Detail": json.dumps({"from": "cli"})}]))
    assert out["FailedEntryCount"] == 0
    eid = out["Entries"][0]["EventId"]
    [body] = receive_bodies(sqs, url, 1)
    assert body["id"] == eid
    assert body["detail-type"] == "CliEvent"
    assert body["detail"] == {"from": "cli"}


def test_cli_list_rules_and_describe_rule(aws_cli):
    for name in ("cli-b", "cli-a"):
        aws_cli("events", "put-rule", "--name", name, "--schedule-expression", "rate(5 minutes)")
    rules = aws_cli("events", "list-rules", "--name-prefix", "cli-")["Rules"]
    assert [r["Name"] for r in rules] == ["cli-a", "cli-b"]
    assert rules[0]["ScheduleExpression"] == "rate(5 minutes)"
    d = aws_cli("events", "describe-rule", "--name", "cli-a")
    assert d["Arn"] == rule_arn("cli-a")
    assert d["State"] == "ENABLED"


def test_cli_list_targets_by_rule(aws_cli, sqs):
    _, arn = make_queue(sqs, "cli-t")
    aws_cli("events", "put-rule", "--name", "cli-t", "--event-pattern", '{"source":["x"]}')
    aws_cli("events", "put-targets", "--rule", "cli-t", "--targets", f"Id=one,Arn={arn}")
    assert aws_cli("events", "list-targets-by-rule", "--rule", "cli-t")["Targets"] == [{"Id": "one", "Arn": arn}]


def test_cli_put_events_with_a_failed_entry_reports_it(aws_cli):
    out = aws_cli("events", "put-events", "--entries", json.dumps([
        {"Source": "com.example.cli", "DetailType": "Bad", "Detail": "{not json"}]))
    assert out["FailedEntryCount"] == 1
    assert out["Entries"][0]["ErrorCode"] == "MalformedDetail"


def test_cli_missing_rule_exits_non_zero_with_aws_error_code(aws_cli):
    p = aws_cli.run_raw("events", "describe-rule", "--name", "cli-missing")
    assert p.returncode != 0  # 254 (v2) / 255 (v1): the service returned an error
    assert "ResourceNotFoundException" in p.stderr


def test_cli_delete_rule_with_targets_fails(aws_cli, sqs):
    _, arn = make_queue(sqs, "cli-del")
    aws_cli("events", "put-rule", "--name", "cli-del", "--event-pattern", '{"source":["x"]}')
    aws_cli("events", "put-targets", "--rule", "cli-del", "--targets", f"Id=one,Arn={arn}")
    p = aws_cli.run_raw("events", "delete-rule", "--name", "cli-del")
    assert p.returncode != 0
    assert "ValidationException" in p.stderr
    aws_cli("events", "remove-targets", "--rule", "cli-del", "--ids", "one")
    aws_cli("events", "delete-rule", "--name", "cli-del")
    assert aws_cli("events", "list-rules").get("Rules", []) == []
