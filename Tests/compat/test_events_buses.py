"""Event buses: the default bus, CreateEventBus / DescribeEventBus / ListEventBuses / UpdateEventBus /
DeleteEventBus, bus policies (PutPermission / RemovePermission, stored and returned, not enforced) and
tags. Written from botocore's `events` model and the EventBridge API reference."""

from __future__ import annotations

import json

from herald_compat import bus_arn, raises_aws, rule_arn

ACCOUNT_A = "111111111111"


def tags_of(events, arn: str) -> dict[str, str]:
    return {t["Key"]: t["Value"] for t in events.list_tags_for_resource(ResourceARN=arn)["Tags"]}


def policy_of(events, name: str = "default") -> dict | None:
    p = events.describe_event_bus(Name=name).get("Policy")
    return json.loads(p) if p else None


# ---------------------------------------------------------------------------------- default bus

def test_default_bus_exists_without_being_created(events):
    d = events.describe_event_bus()
    assert d["Name"] == "default"
    assert d["Arn"] == bus_arn("default")
    assert "Policy" not in d  # no permissions granted yet


def test_default_bus_describe_by_name_and_by_arn(events):
    assert events.describe_event_bus(Name="default")["Arn"] == bus_arn()
    assert events.describe_event_bus(Name=bus_arn())["Name"] == "default"


def test_default_bus_is_listed(events):
    buses = events.list_event_buses()["EventBuses"]
    assert [(b["Name"], b["Arn"]) for b in buses] == [("default", bus_arn())]


def test_default_bus_exists_in_every_region_and_account(events_factory):
    west = events_factory(region="eu-west-1")
    assert west.describe_event_bus()["Arn"] == bus_arn("default", region="eu-west-1")
    acct = events_factory(access_key=ACCOUNT_A)
    assert acct.describe_event_bus()["Arn"] == bus_arn("default", account=ACCOUNT_A)


def test_default_bus_cannot_be_deleted(events):
    # AWS: "Cannot delete event bus default." (ValidationException).
    with raises_aws("ValidationException"):
        events.delete_event_bus(Name="default")
    assert events.describe_event_bus()["Name"] == "default"


def test_default_bus_cannot_be_created_again(events):
    # The name is taken by the account's default bus. AWS answers ResourceAlreadyExistsException;
    # a ValidationException would also tell the user what to fix.
    with raises_aws(("ResourceAlreadyExistsException", "ValidationException")):
        events.create_event_bus(Name="default")


# ---------------------------------------------------------------------------------- custom buses

def test_create_and_describe_custom_bus(events):
    r = events.create_event_bus(Name="orders", Description="order events")
    assert r["EventBusArn"] == bus_arn("orders")
    d = events.describe_event_bus(Name="orders")
    assert d["Name"] == "orders"
    assert d["Arn"] == bus_arn("orders")
    assert d["Description"] == "order events"
    assert "Policy" not in d
    if "CreationTime" in d and "LastModifiedTime" in d:
        assert d["LastModifiedTime"] >= d["CreationTime"]


def test_describe_custom_bus_by_arn(events):
    events.create_event_bus(Name="by-arn")
    assert events.describe_event_bus(Name=bus_arn("by-arn"))["Name"] == "by-arn"


def test_create_duplicate_bus_is_resource_already_exists(events):
    events.create_event_bus(Name="dup")
    with raises_aws("ResourceAlreadyExistsException") as info:
        events.create_event_bus(Name="dup")
    assert "dup" in info.value.response["Error"]["Message"]


def test_describe_missing_bus_is_resource_not_found(events):
    with raises_aws("ResourceNotFoundException") as info:
        events.describe_event_bus(Name="nope")
    # AWS: "Event bus nope does not exist."
    assert "nope" in info.value.response["Error"]["Message"]


def test_custom_bus_name_with_slash_is_rejected(events):
    # "Custom event bus names can't contain the / character" (only partner buses may).
    with raises_aws("ValidationException"):
        events.create_event_bus(Name="team/orders")
    assert [b["Name"] for b in events.list_event_buses()["EventBuses"]] == ["default"]


def test_bus_name_over_256_characters_is_rejected(events):
    with raises_aws("ValidationException"):
        events.create_event_bus(Name="b" * 257)


def test_bus_name_with_invalid_characters_is_rejected(events):
    with raises_aws("ValidationException"):
        events.create_event_bus(Name="has space")


def test_list_event_buses_sorted_and_filtered_by_prefix(events):
    for name in ("orders", "billing", "orders-eu", "audit"):
        events.create_event_bus(Name=name)
    names = [b["Name"] for b in events.list_event_buses()["EventBuses"]]
    assert names == sorted(["audit", "billing", "default", "orders", "orders-eu"])
    pref = events.list_event_buses(NamePrefix="orders")["EventBuses"]
    assert [(b["Name"], b["Arn"]) for b in pref] == [("orders", bus_arn("orders")), ("orders-eu", bus_arn("orders-eu"))]


def test_list_event_buses_paginates_with_limit_and_next_token(events):
    for i in range(5):
        events.create_event_bus(Name=f"page-{i}")
    seen, token, pages = [], None, 0
    while True:
        kwargs = {"Limit": 2, "NamePrefix": "page-"}
        if token:
            kwargs["NextToken"] = token
        r = events.list_event_buses(**kwargs)
        assert len(r["EventBuses"]) <= 2
        seen += [b["Name"] for b in r["EventBuses"]]
        pages += 1
        token = r.get("NextToken")
        if not token:
            break
        assert pages < 10
    assert seen == [f"page-{i}" for i in range(5)]
    assert pages >= 3


def test_update_event_bus_description(events):
    events.create_event_bus(Name="upd", Description="before")
    r = events.update_event_bus(Name="upd", Description="after")
    assert r["Arn"] == bus_arn("upd")
    assert r["Name"] == "upd"
    assert r["Description"] == "after"
    assert events.describe_event_bus(Name="upd")["Description"] == "after"


def test_update_missing_bus_is_resource_not_found(events):
    with raises_aws("ResourceNotFoundException"):
        events.update_event_bus(Name="ghost", Description="x")


def test_update_event_bus_dead_letter_config_is_returned(events):
    events.create_event_bus(Name="with-dlq")
    dlq = "arn:aws:sqs:us-east-1:000000000000:bus-dlq"
    events.update_event_bus(Name="with-dlq", DeadLetterConfig={"Arn": dlq})
    assert events.describe_event_bus(Name="with-dlq")["DeadLetterConfig"] == {"Arn": dlq}


def test_delete_custom_bus(events):
    events.create_event_bus(Name="temp")
    events.delete_event_bus(Name="temp")
    with raises_aws("ResourceNotFoundException"):
        events.describe_event_bus(Name="temp")
    assert [b["Name"] for b in events.list_event_buses()["EventBuses"]] == ["default"]
    # The name can be used again.
    assert events.create_event_bus(Name="temp")["EventBusArn"] == bus_arn("temp")


def test_delete_missing_bus_succeeds(events):
    # DeleteEventBus models no ResourceNotFoundException: deleting an absent bus is a no-op on AWS.
    events.delete_event_bus(Name="never-existed")


def test_buses_are_scoped_by_region_and_account(events, events_factory):
    west = events_factory(region="eu-west-1")
    other = events_factory(access_key=ACCOUNT_A)
    assert west.create_event_bus(Name="shared")["EventBusArn"] == bus_arn("shared", region="eu-west-1")
    assert other.create_event_bus(Name="shared")["EventBusArn"] == bus_arn("shared", account=ACCOUNT_A)
    assert [b["Name"] for b in events.list_event_buses()["EventBuses"]] == ["default"]
    with raises_aws("ResourceNotFoundException"):
        events.describe_event_bus(Name="shared")
    # Same name in the caller's own scope is still free.
    assert events.create_event_bus(Name="shared")["EventBusArn"] == bus_arn("shared")


# ---------------------------------------------------------------------------------- permissions

def test_put_permission_for_an_account_builds_the_policy(events):
    events.create_event_bus(Name="shared-bus")
    events.put_permission(EventBusName="shared-bus", Action="events:PutEvents",
                          Principal="111122223333", StatementId="allow-partner")
    policy = policy_of(events, "shared-bus")
    assert policy["Version"] == "2012-10-17"
    assert policy["Statement"] == [{
        "Sid": "allow-partner",
        "Effect": "Allow",
        "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
        "Action": "events:PutEvents",
        "Resource": bus_arn("shared-bus"),
    }]


def test_put_permission_on_default_bus_when_name_omitted(events):
    events.put_permission(Action="events:PutEvents", Principal="111122223333", StatementId="s1")
    assert [s["Sid"] for s in policy_of(events)["Statement"]] == ["s1"]
    assert policy_of(events)["Statement"][0]["Resource"] == bus_arn()


def test_put_permission_for_everyone_with_organization_condition(events):
    events.put_permission(Action="events:PutEvents", Principal="*", StatementId="org",
                          Condition={"Type": "StringEquals", "Key": "aws:PrincipalOrgID", "Value": "o-1234567890"})
    [stmt] = policy_of(events)["Statement"]
    assert stmt["Sid"] == "org"
    assert stmt["Principal"] == "*"
    assert stmt["Effect"] == "Allow"
    assert stmt["Action"] == "events:PutEvents"
    assert stmt["Condition"] == {"StringEquals": {"aws:PrincipalOrgID": "o-1234567890"}}


def test_put_permission_with_a_full_policy_document(events):
    events.create_event_bus(Name="pol")
    doc = {"Version": "2012-10-17", "Statement": [{
        "Sid": "AllowAll", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:root"},
        "Action": ["events:PutEvents", "events:PutRule"], "Resource": bus_arn("pol")}]}
    events.put_permission(EventBusName="pol", Policy=json.dumps(doc))
    assert policy_of(events, "pol") == doc


def test_two_statements_then_remove_one(events):
    events.put_permission(Action="events:PutEvents", Principal="111122223333", StatementId="a")
    events.put_permission(Action="events:PutEvents", Principal="444455556666", StatementId="b")
    assert sorted(s["Sid"] for s in policy_of(events)["Statement"]) == ["a", "b"]
    events.remove_permission(StatementId="a")
    assert [s["Sid"] for s in policy_of(events)["Statement"]] == ["b"]
    events.remove_permission(StatementId="b")
    # With no statement left AWS stops returning a Policy; an empty statement list is the minimum.
    p = policy_of(events)
    assert p is None or p.get("Statement") == []


def test_remove_unknown_statement_is_resource_not_found(events):
    events.put_permission(Action="events:PutEvents", Principal="111122223333", StatementId="keep")
    with raises_aws("ResourceNotFoundException"):
        events.remove_permission(StatementId="missing")
    assert [s["Sid"] for s in policy_of(events)["Statement"]] == ["keep"]


def test_remove_all_permissions(events):
    events.create_event_bus(Name="wipe")
    for sid in ("x", "y"):
        events.put_permission(EventBusName="wipe", Action="events:PutEvents", Principal="111122223333", StatementId=sid)
    events.remove_permission(EventBusName="wipe", RemoveAllPermissions=True)
    p = policy_of(events, "wipe")
    assert p is None or p.get("Statement") == []


def test_put_permission_on_missing_bus_is_resource_not_found(events):
    with raises_aws("ResourceNotFoundException"):
        events.put_permission(EventBusName="absent", Action="events:PutEvents", Principal="111122223333",
                              StatementId="s")


def test_policy_is_listed_with_the_bus(events):
    events.create_event_bus(Name="listed")
    events.put_permission(EventBusName="listed", Action="events:PutEvents", Principal="111122223333", StatementId="s")
    [bus] = [b for b in events.list_event_buses(NamePrefix="listed")["EventBuses"]]
    assert json.loads(bus["Policy"])["Statement"][0]["Sid"] == "s"


# ---------------------------------------------------------------------------------- tags

def test_create_bus_with_tags_and_list_them(events):
    arn = events.create_event_bus(Name="tagged", Tags=[{"Key": "team", "Value": "core"},
                                                       {"Key": "env", "Value": "test"}])["EventBusArn"]
    assert tags_of(events, arn) == {"team": "core", "env": "test"}


def test_tag_overwrite_and_untag_bus(events):
    arn = events.create_event_bus(Name="retag", Tags=[{"Key": "team", "Value": "core"}])["EventBusArn"]
    events.tag_resource(ResourceARN=arn, Tags=[{"Key": "team", "Value": "edge"}, {"Key": "cost", "Value": "42"}])
    assert tags_of(events, arn) == {"team": "edge", "cost": "42"}
    events.untag_resource(ResourceARN=arn, TagKeys=["team", "not-there"])
    assert tags_of(events, arn) == {"cost": "42"}


def test_tags_on_rules(events):
    arn = events.put_rule(Name="tagged-rule", EventPattern='{"source":["x"]}',
                          Tags=[{"Key": "owner", "Value": "me"}])["RuleArn"]
    assert arn == rule_arn("tagged-rule")
    assert tags_of(events, arn) == {"owner": "me"}
    events.tag_resource(ResourceARN=arn, Tags=[{"Key": "tier", "Value": "1"}])
    assert tags_of(events, arn) == {"owner": "me", "tier": "1"}


def test_tags_on_missing_resource_are_resource_not_found(events):
    with raises_aws("ResourceNotFoundException"):
        events.list_tags_for_resource(ResourceARN=bus_arn("missing"))
    with raises_aws("ResourceNotFoundException"):
        events.tag_resource(ResourceARN=bus_arn("missing"), Tags=[{"Key": "k", "Value": "v"}])
    with raises_aws("ResourceNotFoundException"):
        events.untag_resource(ResourceARN=rule_arn("missing"), TagKeys=["k"])


def test_tags_are_gone_when_the_bus_is_recreated(events):
    arn = events.create_event_bus(Name="phoenix", Tags=[{"Key": "gen", "Value": "1"}])["EventBusArn"]
    events.delete_event_bus(Name="phoenix")
    events.create_event_bus(Name="phoenix")
    assert tags_of(events, arn) == {}
