"""Archives and replays: CreateArchive / DescribeArchive (EventCount, SizeBytes) / ListArchives /
UpdateArchive / DeleteArchive; StartReplay / DescribeReplay / ListReplays / CancelReplay. Replayed
events carry `replay-name`, are not archived again, and can be limited to some rules (FilterArns).

AWS updates EventCount/SizeBytes with a delay; Herald is expected to catch up within seconds, and the
tests poll with deadlines."""

from __future__ import annotations

import json
import time
from datetime import datetime, timedelta, timezone

import pytest

from herald_compat import (
    archive_arn,
    assert_queue_stays_empty,
    bus_arn,
    event_entry,
    make_queue,
    put_ok,
    raises_aws,
    receive_bodies,
    replay_arn,
    rule_arn,
    wait_until,
)

ORDERS = {"source": ["com.example.orders"]}
TERMINAL = ("COMPLETED", "CANCELLED", "FAILED")


def now() -> datetime:
    return datetime.now(timezone.utc)


def event_count(events, name: str) -> int:
    return events.describe_archive(ArchiveName=name)["EventCount"]


def wait_count(events, name: str, n: int, timeout: float = 10) -> None:
    wait_until(lambda: event_count(events, name) == n, timeout=timeout, what=f"EventCount == {n} on {name}")


def wait_replay(events, name: str, states=TERMINAL, timeout: float = 20) -> dict:
    return wait_until(lambda: (lambda d: d if d["State"] in states else None)(events.describe_replay(ReplayName=name)),
                      timeout=timeout, what=f"replay {name} in {states}")


def rule_to_queue(events, sqs, rule: str, queue: str, pattern=None) -> tuple[str, str]:
    url, arn = make_queue(sqs, queue)
    events.put_rule(Name=rule, EventPattern=json.dumps(pattern or ORDERS))
    events.put_targets(Rule=rule, Targets=[{"Id": "q", "Arn": arn}])
    return url, arn


# ---------------------------------------------------------------------------------- archives

def test_create_and_describe_archive(events):
    r = events.create_archive(ArchiveName="all", EventSourceArn=bus_arn(), Description="everything", RetentionDays=3)
    assert r["ArchiveArn"] == archive_arn("all")
    assert r["State"] in ("ENABLED", "CREATING")
    d = events.describe_archive(ArchiveName="all")
    assert d["ArchiveArn"] == archive_arn("all")
    assert d["ArchiveName"] == "all"
    assert d["EventSourceArn"] == bus_arn()
    assert d["Description"] == "everything"
    assert d["RetentionDays"] == 3
    assert d["EventCount"] == 0
    assert d["SizeBytes"] == 0
    assert "EventPattern" not in d
    wait_until(lambda: events.describe_archive(ArchiveName="all")["State"] == "ENABLED", timeout=5, what="ENABLED")


def test_archive_without_pattern_counts_every_event(events):
    events.create_archive(ArchiveName="all", EventSourceArn=bus_arn())
    put_ok(events, *[event_entry(source=f"src.{i}", detail={"i": i}) for i in range(4)])
    wait_count(events, "all", 4)
    assert events.describe_archive(ArchiveName="all")["SizeBytes"] > 0


def test_archive_with_pattern_counts_only_matching_events(events):
    events.create_archive(ArchiveName="orders-only", EventSourceArn=bus_arn(), EventPattern=json.dumps(ORDERS))
    assert json.loads(events.describe_archive(ArchiveName="orders-only")["EventPattern"]) == ORDERS
    put_ok(events, event_entry(detail={"n": 1}), event_entry(source="com.example.billing"), event_entry(detail={"n": 2}),
           event_entry(source="other"))
    wait_count(events, "orders-only", 2)
    time.sleep(1)
    assert event_count(events, "orders-only") == 2


def test_archive_on_a_custom_bus_sees_only_that_bus(events):
    events.create_event_bus(Name="shop")
    events.create_archive(ArchiveName="shop-archive", EventSourceArn=bus_arn("shop"))
    put_ok(events, event_entry(EventBusName="shop"), event_entry(), event_entry(EventBusName="shop"))
    wait_count(events, "shop-archive", 2)
    time.sleep(1)
    assert event_count(events, "shop-archive") == 2


def test_failed_entries_are_not_archived(events):
    events.create_archive(ArchiveName="strict", EventSourceArn=bus_arn())
    r = events.put_events(Entries=[event_entry(detail="{broken"), event_entry(detail={"ok": 1})])
    assert r["FailedEntryCount"] == 1
    wait_count(events, "strict", 1)
    time.sleep(1)
    assert event_count(events, "strict") == 1


def test_list_archives_filters(events):
    events.create_event_bus(Name="shop")
    events.create_archive(ArchiveName="a-default", EventSourceArn=bus_arn())
    events.create_archive(ArchiveName="a-shop", EventSourceArn=bus_arn("shop"))
    events.create_archive(ArchiveName="b-default", EventSourceArn=bus_arn())
    names = lambda **kw: sorted(a["ArchiveName"] for a in events.list_archives(**kw)["Archives"])  # noqa: E731
    assert names() == ["a-default", "a-shop", "b-default"]
    assert names(NamePrefix="a-") == ["a-default", "a-shop"]
    assert names(EventSourceArn=bus_arn("shop")) == ["a-shop"]
    listed = {a["ArchiveName"]: a for a in events.list_archives()["Archives"]}
    assert listed["a-shop"]["EventSourceArn"] == bus_arn("shop")
    assert listed["a-shop"]["EventCount"] == 0


def test_update_archive(events):
    events.create_archive(ArchiveName="upd", EventSourceArn=bus_arn(), RetentionDays=1)
    r = events.update_archive(ArchiveName="upd", Description="now filtered", EventPattern=json.dumps(ORDERS),
                              RetentionDays=10)
    assert r["ArchiveArn"] == archive_arn("upd")
    d = events.describe_archive(ArchiveName="upd")
    assert d["Description"] == "now filtered"
    assert d["RetentionDays"] == 10
    assert json.loads(d["EventPattern"]) == ORDERS
    # The new pattern applies to new events.
    put_ok(events, event_entry(source="not-orders"), event_entry())
    wait_count(events, "upd", 1)


def test_delete_archive(events):
    events.create_archive(ArchiveName="gone", EventSourceArn=bus_arn())
    events.delete_archive(ArchiveName="gone")
    with raises_aws("ResourceNotFoundException"):
        events.describe_archive(ArchiveName="gone")
    assert events.list_archives().get("Archives", []) == []


def test_archive_errors(events):
    events.create_archive(ArchiveName="dup", EventSourceArn=bus_arn())
    with raises_aws("ResourceAlreadyExistsException"):
        events.create_archive(ArchiveName="dup", EventSourceArn=bus_arn())
    with raises_aws("ResourceNotFoundException"):
        events.create_archive(ArchiveName="nobus", EventSourceArn=bus_arn("no-such-bus"))
    with raises_aws("InvalidEventPatternException"):
        events.create_archive(ArchiveName="badpat", EventSourceArn=bus_arn(), EventPattern='{"source": "x"}')
    with raises_aws("ResourceNotFoundException"):
        events.describe_archive(ArchiveName="missing")
    with raises_aws("ResourceNotFoundException"):
        events.delete_archive(ArchiveName="missing")
    with raises_aws("ResourceNotFoundException"):
        events.update_archive(ArchiveName="missing", Description="x")


# ---------------------------------------------------------------------------------- replays

@pytest.fixture
def archived(events, sqs):
    """Archive on the default bus, a rule → queue, and three events put and already delivered once.
    Returns (queue url, event ids, window start, window end)."""
    events.create_archive(ArchiveName="arch", EventSourceArn=bus_arn())
    url, _ = rule_to_queue(events, sqs, "orders", "replay-sink")
    start = now() - timedelta(seconds=5)
    ids = put_ok(events, *[event_entry(detail={"n": i}) for i in range(3)])
    assert sorted(b["id"] for b in receive_bodies(sqs, url, 3)) == sorted(ids)
    wait_count(events, "arch", 3)
    time.sleep(1.1)  # the window's end must be after the events and not in the future
    return url, ids, start, now()


def test_replay_delivers_archived_events_with_replay_name(events, sqs, archived):
    url, ids, start, end = archived
    r = events.start_replay(ReplayName="again", EventSourceArn=archive_arn("arch"), EventStartTime=start,
                            EventEndTime=end, Destination={"Arn": bus_arn()})
    assert r["ReplayArn"] == replay_arn("again")
    assert r["State"] in ("STARTING", "RUNNING", "COMPLETED")
    got = receive_bodies(sqs, url, 3, timeout=20)
    assert sorted(b["detail"]["n"] for b in got) == [0, 1, 2]
    assert all(b["replay-name"] == "again" for b in got)
    assert all(b["source"] == "com.example.orders" for b in got)
    d = wait_replay(events, "again")
    assert d["State"] == "COMPLETED"
    assert d["ReplayName"] == "again"
    assert d["ReplayArn"] == replay_arn("again")
    assert d["EventSourceArn"] == archive_arn("arch")
    assert d["Destination"]["Arn"] == bus_arn()
    assert abs(d["EventStartTime"].timestamp() - int(start.timestamp())) <= 1
    assert abs(d["EventEndTime"].timestamp() - int(end.timestamp())) <= 1
    assert "ReplayStartTime" in d
    assert "ReplayEndTime" in d
    assert_queue_stays_empty(sqs, url, 1)


def test_replayed_events_are_not_archived_again(events, sqs, archived):
    url, _, start, end = archived
    events.start_replay(ReplayName="no-loop", EventSourceArn=archive_arn("arch"), EventStartTime=start,
                        EventEndTime=end, Destination={"Arn": bus_arn()})
    receive_bodies(sqs, url, 3, timeout=20)
    wait_replay(events, "no-loop")
    time.sleep(1.5)
    assert event_count(events, "arch") == 3


def test_replay_window_excludes_events_outside_it(events, sqs):
    events.create_archive(ArchiveName="win", EventSourceArn=bus_arn())
    url, _ = rule_to_queue(events, sqs, "orders", "window-sink")
    put_ok(events, event_entry(detail={"batch": "early"}))
    time.sleep(2.1)
    middle = now()
    time.sleep(1.1)
    put_ok(events, event_entry(detail={"batch": "late"}))
    receive_bodies(sqs, url, 2)
    wait_count(events, "win", 2)
    time.sleep(1.1)
    events.start_replay(ReplayName="late-only", EventSourceArn=archive_arn("win"), EventStartTime=middle,
                        EventEndTime=now(), Destination={"Arn": bus_arn()})
    got = receive_bodies(sqs, url, 1, timeout=20)
    assert [b["detail"]["batch"] for b in got] == ["late"]
    wait_replay(events, "late-only")
    assert_queue_stays_empty(sqs, url, 1)


def test_replay_filtered_to_one_rule(events, sqs, archived):
    url1, _, start, end = archived
    url2, arn2 = make_queue(sqs, "second-sink")
    events.put_rule(Name="also-orders", EventPattern=json.dumps(ORDERS))
    events.put_targets(Rule="also-orders", Targets=[{"Id": "q", "Arn": arn2}])
    events.start_replay(ReplayName="only-first", EventSourceArn=archive_arn("arch"), EventStartTime=start,
                        EventEndTime=end, Destination={"Arn": bus_arn(), "FilterArns": [rule_arn("orders")]})
    got = receive_bodies(sqs, url1, 3, timeout=20)
    assert len(got) == 3 and all(b["replay-name"] == "only-first" for b in got)
    wait_replay(events, "only-first")
    assert events.describe_replay(ReplayName="only-first")["Destination"]["FilterArns"] == [rule_arn("orders")]
    assert_queue_stays_empty(sqs, url2, 1.5)


def test_list_replays(events, sqs, archived):
    _, _, start, end = archived
    for name in ("r-one", "r-two"):
        events.start_replay(ReplayName=name, EventSourceArn=archive_arn("arch"), EventStartTime=start,
                            EventEndTime=end, Destination={"Arn": bus_arn()})
    for name in ("r-one", "r-two"):
        wait_replay(events, name)
    listed = events.list_replays(NamePrefix="r-")["Replays"]
    assert sorted(r["ReplayName"] for r in listed) == ["r-one", "r-two"]
    assert all(r["EventSourceArn"] == archive_arn("arch") for r in listed)
    assert all(r["State"] == "COMPLETED" for r in listed)
    assert sorted(r["ReplayName"] for r in events.list_replays(State="COMPLETED")["Replays"]) == ["r-one", "r-two"]
    assert events.list_replays(NamePrefix="zzz").get("Replays", []) == []


def test_cancel_replay(events, sqs):
    events.create_archive(ArchiveName="big", EventSourceArn=bus_arn())
    start = now() - timedelta(seconds=5)
    for b in range(20):
        put_ok(events, *[event_entry(source="com.example.bulk", detail={"b": b, "i": i}) for i in range(10)])
    wait_count(events, "big", 200, timeout=20)
    time.sleep(1.1)
    events.start_replay(ReplayName="stop-me", EventSourceArn=archive_arn("big"), EventStartTime=start,
                        EventEndTime=now(), Destination={"Arn": bus_arn()})
    try:
        r = events.cancel_replay(ReplayName="stop-me")
    except Exception as e:  # noqa: BLE001 - it may already have completed: IllegalStatusException
        assert getattr(e, "response", {}).get("Error", {}).get("Code") == "IllegalStatusException", e
        assert wait_replay(events, "stop-me")["State"] == "COMPLETED"
        return
    assert r["ReplayArn"] == replay_arn("stop-me")
    assert r["State"] in ("CANCELLING", "CANCELLED")
    assert wait_replay(events, "stop-me")["State"] == "CANCELLED"


def test_cancel_completed_or_missing_replay(events, sqs, archived):
    _, _, start, end = archived
    events.start_replay(ReplayName="done", EventSourceArn=archive_arn("arch"), EventStartTime=start,
                        EventEndTime=end, Destination={"Arn": bus_arn()})
    wait_replay(events, "done")
    with raises_aws("IllegalStatusException"):
        events.cancel_replay(ReplayName="done")
    with raises_aws("ResourceNotFoundException"):
        events.cancel_replay(ReplayName="never")
    with raises_aws("ResourceNotFoundException"):
        events.describe_replay(ReplayName="never")


def test_start_replay_validation(events, sqs, archived):
    _, _, start, end = archived
    events.create_event_bus(Name="elsewhere")
    # "You can replay events only to the event bus specified to create the archive."
    with raises_aws("ValidationException"):
        events.start_replay(ReplayName="wrong-bus", EventSourceArn=archive_arn("arch"), EventStartTime=start,
                            EventEndTime=end, Destination={"Arn": bus_arn("elsewhere")})
    with raises_aws("ValidationException"):
        events.start_replay(ReplayName="backwards", EventSourceArn=archive_arn("arch"), EventStartTime=end,
                            EventEndTime=start, Destination={"Arn": bus_arn()})
    with raises_aws("ResourceNotFoundException"):
        events.start_replay(ReplayName="no-archive", EventSourceArn=archive_arn("nope"), EventStartTime=start,
                            EventEndTime=end, Destination={"Arn": bus_arn()})
    events.start_replay(ReplayName="once", EventSourceArn=archive_arn("arch"), EventStartTime=start,
                        EventEndTime=end, Destination={"Arn": bus_arn()})
    with raises_aws("ResourceAlreadyExistsException"):
        events.start_replay(ReplayName="once", EventSourceArn=archive_arn("arch"), EventStartTime=start,
                            EventEndTime=end, Destination={"Arn": bus_arn()})
