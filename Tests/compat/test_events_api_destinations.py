"""Connections (API key, basic, OAuth client credentials) and API destinations: CRUD, secrets never
returned by Describe, the HTTP requests EventBridge makes (auth headers, User-Agent, Content-Type,
connection and target HTTP parameters, OAuth token fetch), and InvocationRateLimitPerSecond.

AWS requires https endpoints; Herald also accepts http on 127.0.0.1 so a test process can listen."""

from __future__ import annotations

import base64
import json
import re
from urllib.parse import parse_qs, urlsplit

from herald_compat import (
    DUMMY_ROLE_ARN,
    basic_auth_header,
    create_api_key_destination,
    event_entry,
    put_ok,
    raises_aws,
    wait_until,
)

ORDERS = {"source": ["com.example.orders"]}
CONN_ARN = re.compile(r"^arn:aws:events:us-east-1:000000000000:connection/(?P<name>[^/]+)/[0-9a-zA-Z-]+$")
DEST_ARN = re.compile(r"^arn:aws:events:us-east-1:000000000000:api-destination/(?P<name>[^/]+)/[0-9a-zA-Z-]+$")


def route_to(events, dest_arn: str, **target) -> None:
    events.put_rule(Name="to-api", EventPattern=json.dumps(ORDERS))
    r = events.put_targets(Rule="to-api", Targets=[{"Id": "api", "Arn": dest_arn, "RoleArn": DUMMY_ROLE_ARN, **target}])
    assert r["FailedEntryCount"] == 0, r


def api_key_connection(events, name="key-conn", value="s3cr3t-key", **extra) -> str:
    return events.create_connection(Name=name, AuthorizationType="API_KEY", AuthParameters={
        "ApiKeyAuthParameters": {"ApiKeyName": "x-api-key", "ApiKeyValue": value}, **extra})["ConnectionArn"]


# ---------------------------------------------------------------------------------- connections

def test_create_api_key_connection_and_describe_hides_the_key(events):
    r = events.create_connection(Name="key-conn", Description="by key", AuthorizationType="API_KEY",
                                 AuthParameters={"ApiKeyAuthParameters": {"ApiKeyName": "x-api-key",
                                                                          "ApiKeyValue": "s3cr3t-key"}})
    m = CONN_ARN.match(r["ConnectionArn"])
    assert m and m["name"] == "key-conn", r["ConnectionArn"]
    # API key and basic connections need no round trip: AWS reports them AUTHORIZED.
    assert r["ConnectionState"] in ("AUTHORIZED", "CREATING", "AUTHORIZING")
    d = events.describe_connection(Name="key-conn")
    assert d["ConnectionArn"] == r["ConnectionArn"]
    assert d["Name"] == "key-conn"
    assert d["Description"] == "by key"
    assert d["AuthorizationType"] == "API_KEY"
    assert d["AuthParameters"]["ApiKeyAuthParameters"] == {"ApiKeyName": "x-api-key"}
    assert wait_until(lambda: events.describe_connection(Name="key-conn")["ConnectionState"] == "AUTHORIZED",
                      timeout=5, what="AUTHORIZED")
    assert "s3cr3t-key" not in json.dumps(d, default=str)


def test_basic_connection_describe_hides_the_password(events):
    events.create_connection(Name="basic-conn", AuthorizationType="BASIC", AuthParameters={
        "BasicAuthParameters": {"Username": "alice", "Password": "hunter2-password"}})
    d = events.describe_connection(Name="basic-conn")
    assert d["AuthorizationType"] == "BASIC"
    assert d["AuthParameters"]["BasicAuthParameters"] == {"Username": "alice"}
    assert "hunter2-password" not in json.dumps(d, default=str)


def test_oauth_connection_describe_hides_the_client_secret(events, http_receiver):
    http_receiver.on("/token", then=200, body={"access_token": "tok", "token_type": "Bearer", "expires_in": 3600})
    events.create_connection(Name="oauth-conn", AuthorizationType="OAUTH_CLIENT_CREDENTIALS", AuthParameters={
        "OAuthParameters": {
            "ClientParameters": {"ClientID": "client-1", "ClientSecret": "very-secret-client"},
            "AuthorizationEndpoint": http_receiver.url("/token"),
            "HttpMethod": "POST",
            "OAuthHttpParameters": {"BodyParameters": [{"Key": "grant_type", "Value": "client_credentials",
                                                        "IsValueSecret": False}]},
        }})
    d = events.describe_connection(Name="oauth-conn")
    assert d["AuthorizationType"] == "OAUTH_CLIENT_CREDENTIALS"
    o = d["AuthParameters"]["OAuthParameters"]
    assert o["ClientParameters"] == {"ClientID": "client-1"}
    assert o["AuthorizationEndpoint"] == http_receiver.url("/token")
    assert o["HttpMethod"] == "POST"
    assert "very-secret-client" not in json.dumps(d, default=str)


def test_secret_invocation_parameters_are_not_returned(events):
    api_key_connection(events, name="params-conn", InvocationHttpParameters={
        "HeaderParameters": [{"Key": "x-public", "Value": "shown", "IsValueSecret": False},
                             {"Key": "x-private", "Value": "hidden-header-value", "IsValueSecret": True}]})
    d = events.describe_connection(Name="params-conn")
    headers = {h["Key"]: h for h in d["AuthParameters"]["InvocationHttpParameters"]["HeaderParameters"]}
    assert headers["x-public"]["Value"] == "shown"
    assert "x-private" in headers
    assert "hidden-header-value" not in json.dumps(d, default=str)


def test_list_update_delete_connections(events):
    a = api_key_connection(events, name="conn-a")
    api_key_connection(events, name="conn-b")
    api_key_connection(events, name="other")
    listed = events.list_connections(NamePrefix="conn-")["Connections"]
    assert sorted(c["Name"] for c in listed) == ["conn-a", "conn-b"]
    assert {c["Name"]: c["ConnectionArn"] for c in listed}["conn-a"] == a
    assert all(c["AuthorizationType"] == "API_KEY" for c in listed)
    u = events.update_connection(Name="conn-a", Description="updated", AuthParameters={
        "ApiKeyAuthParameters": {"ApiKeyName": "x-new-key", "ApiKeyValue": "new-secret"}})
    assert u["ConnectionArn"] == a
    d = events.describe_connection(Name="conn-a")
    assert d["Description"] == "updated"
    assert d["AuthParameters"]["ApiKeyAuthParameters"] == {"ApiKeyName": "x-new-key"}
    deleted = events.delete_connection(Name="conn-a")
    assert deleted["ConnectionArn"] == a
    with raises_aws("ResourceNotFoundException"):
        events.describe_connection(Name="conn-a")


def test_connection_errors(events):
    api_key_connection(events, name="dup-conn")
    with raises_aws("ResourceAlreadyExistsException"):
        api_key_connection(events, name="dup-conn")
    with raises_aws("ResourceNotFoundException"):
        events.describe_connection(Name="no-conn")
    with raises_aws("ResourceNotFoundException"):
        events.delete_connection(Name="no-conn")


def test_auth_parameters_must_match_the_authorization_type(events):
    # "You must include only authorization parameters for the AuthorizationType you specify."
    with raises_aws("ValidationException"):
        events.create_connection(Name="mismatch", AuthorizationType="BASIC", AuthParameters={
            "ApiKeyAuthParameters": {"ApiKeyName": "k", "ApiKeyValue": "v"}})


# ---------------------------------------------------------------------------------- API destinations

def test_api_destination_crud(events, http_receiver):
    conn = api_key_connection(events)
    r = events.create_api_destination(Name="dest", Description="hook", ConnectionArn=conn,
                                      InvocationEndpoint=http_receiver.url("/hook"), HttpMethod="POST",
                                      InvocationRateLimitPerSecond=50)
    m = DEST_ARN.match(r["ApiDestinationArn"])
    assert m and m["name"] == "dest", r["ApiDestinationArn"]
    assert r["ApiDestinationState"] == "ACTIVE"
    d = events.describe_api_destination(Name="dest")
    assert d["ApiDestinationArn"] == r["ApiDestinationArn"]
    assert d["Name"] == "dest"
    assert d["Description"] == "hook"
    assert d["ConnectionArn"] == conn
    # An http endpoint on 127.0.0.1 is accepted and returned verbatim.
    assert d["InvocationEndpoint"] == http_receiver.url("/hook")
    assert d["HttpMethod"] == "POST"
    assert d["InvocationRateLimitPerSecond"] == 50
    events.update_api_destination(Name="dest", InvocationRateLimitPerSecond=7, HttpMethod="PUT")
    d = events.describe_api_destination(Name="dest")
    assert (d["InvocationRateLimitPerSecond"], d["HttpMethod"]) == (7, "PUT")
    listed = events.list_api_destinations(NamePrefix="de")["ApiDestinations"]
    assert [x["Name"] for x in listed] == ["dest"]
    assert listed[0]["ConnectionArn"] == conn
    events.delete_api_destination(Name="dest")
    with raises_aws("ResourceNotFoundException"):
        events.describe_api_destination(Name="dest")


def test_api_destination_needs_an_existing_connection(events, http_receiver):
    missing = "arn:aws:events:us-east-1:000000000000:connection/missing/00000000-0000-0000-0000-000000000000"
    with raises_aws("ResourceNotFoundException"):
        events.create_api_destination(Name="orphan", ConnectionArn=missing,
                                      InvocationEndpoint=http_receiver.url("/hook"), HttpMethod="POST")


def test_duplicate_api_destination(events, http_receiver):
    conn = api_key_connection(events)
    kw = dict(Name="twice", ConnectionArn=conn, InvocationEndpoint=http_receiver.url("/hook"), HttpMethod="POST")
    events.create_api_destination(**kw)
    with raises_aws("ResourceAlreadyExistsException"):
        events.create_api_destination(**kw)


# ---------------------------------------------------------------------------------- invocations

def test_api_key_invocation_headers_and_body(events, http_receiver):
    _, dest = create_api_key_destination(events, http_receiver, "keyed", key_name="x-api-key", key_value="s3cr3t-key")
    route_to(events, dest)
    [eid] = put_ok(events, event_entry(detail={"order": 1}))
    [req] = http_receiver.wait_for(1, "/hook", timeout=15)
    assert req.method == "POST"
    assert req.headers.get("x-api-key") == "s3cr3t-key"
    # EventBridge's documented request headers.
    assert req.headers.get("user-agent") == "Amazon/EventBridge/ApiDestinations"
    assert req.headers.get("content-type", "").startswith("application/json")
    body = req.json()
    assert body["id"] == eid
    assert body["detail"] == {"order": 1}
    assert body["source"] == "com.example.orders"


def test_basic_auth_invocation(events, http_receiver):
    conn = events.create_connection(Name="basic", AuthorizationType="BASIC", AuthParameters={
        "BasicAuthParameters": {"Username": "alice", "Password": "hunter2"}})["ConnectionArn"]
    dest = events.create_api_destination(Name="basic-dest", ConnectionArn=conn, HttpMethod="PUT",
                                         InvocationEndpoint=http_receiver.url("/basic"))["ApiDestinationArn"]
    route_to(events, dest)
    put_ok(events, event_entry(detail={}))
    [req] = http_receiver.wait_for(1, "/basic", timeout=15)
    assert req.method == "PUT"
    assert req.headers.get("authorization") == basic_auth_header("alice", "hunter2")


def test_oauth_client_credentials_fetches_a_token_then_calls_with_bearer(events, http_receiver):
    http_receiver.on("/token", then=200, body={"access_token": "tok-123", "token_type": "Bearer", "expires_in": 3600})
    conn = events.create_connection(Name="oauth", AuthorizationType="OAUTH_CLIENT_CREDENTIALS", AuthParameters={
        "OAuthParameters": {
            "ClientParameters": {"ClientID": "client-1", "ClientSecret": "client-secret"},
            "AuthorizationEndpoint": http_receiver.url("/token"),
            "HttpMethod": "POST",
            "OAuthHttpParameters": {"BodyParameters": [{"Key": "grant_type", "Value": "client_credentials",
                                                        "IsValueSecret": False}]},
        }})["ConnectionArn"]
    dest = events.create_api_destination(Name="oauth-dest", ConnectionArn=conn, HttpMethod="POST",
                                         InvocationEndpoint=http_receiver.url("/hook"))["ApiDestinationArn"]
    route_to(events, dest)
    [eid] = put_ok(events, event_entry(detail={"o": 1}))
    [call] = http_receiver.wait_for(1, "/hook", timeout=15)
    assert call.headers.get("authorization") == "Bearer tok-123"
    assert call.json()["id"] == eid
    tokens = http_receiver.received("/token")
    assert tokens, "the token endpoint was never called"
    t = tokens[0]
    assert t.method == "POST"
    # Client credentials travel as HTTP Basic (RFC 6749 §2.3.1) or as client_id/client_secret form fields.
    auth = t.headers.get("authorization", "")
    form = parse_qs(t.text) if "json" not in t.headers.get("content-type", "") else \
        {k: [v] for k, v in t.json().items()}
    if auth.startswith("Basic "):
        assert base64.b64decode(auth[6:]).decode() == "client-1:client-secret"
    else:
        assert form.get("client_id") == ["client-1"] and form.get("client_secret") == ["client-secret"], (auth, t.text)
    assert form.get("grant_type") == ["client_credentials"] or "grant_type=client_credentials" in t.path
    assert wait_until(lambda: events.describe_connection(Name="oauth")["ConnectionState"] == "AUTHORIZED",
                      timeout=5, what="AUTHORIZED")
    # The token is cached (expires_in=3600): a second event does not fetch a new one.
    put_ok(events, event_entry(detail={"o": 2}))
    http_receiver.wait_for(2, "/hook", timeout=15)
    assert len(http_receiver.received("/token")) == 1


def test_connection_and_target_http_parameters_are_sent(events, http_receiver):
    conn = api_key_connection(events, name="with-params", InvocationHttpParameters={
        "HeaderParameters": [{"Key": "x-conn-header", "Value": "from-connection", "IsValueSecret": False}],
        "QueryStringParameters": [{"Key": "conn_q", "Value": "cq", "IsValueSecret": False}]})
    dest = events.create_api_destination(Name="params", ConnectionArn=conn, HttpMethod="POST",
                                         InvocationEndpoint=http_receiver.url("/hook"))["ApiDestinationArn"]
    route_to(events, dest, HttpParameters={"HeaderParameters": {"x-target-header": "from-target"},
                                           "QueryStringParameters": {"target_q": "tq"}})
    put_ok(events, event_entry(detail={}))
    [req] = http_receiver.wait_for(1, "/hook", timeout=15)
    assert req.headers.get("x-conn-header") == "from-connection"
    assert req.headers.get("x-target-header") == "from-target"
    query = parse_qs(urlsplit(req.path).query)
    assert query.get("conn_q") == ["cq"]
    assert query.get("target_q") == ["tq"]
    assert req.headers.get("x-api-key") == "s3cr3t-key"


def test_input_transformer_shapes_the_http_body(events, http_receiver):
    _, dest = create_api_key_destination(events, http_receiver, "shaped")
    route_to(events, dest, InputTransformer={"InputPathsMap": {"id": "$.detail.orderId"},
                                             "InputTemplate": '{"text": "order <id> placed", "id": <id>}'})
    put_ok(events, event_entry(detail={"orderId": "o-9"}))
    [req] = http_receiver.wait_for(1, "/hook", timeout=15)
    assert req.json() == {"text": "order o-9 placed", "id": "o-9"}


def test_invocation_rate_limit_is_roughly_enforced(events, http_receiver):
    _, dest = create_api_key_destination(events, http_receiver, "slow", rate=2)
    route_to(events, dest)
    for batch in range(2):
        put_ok(events, *[event_entry(detail={"b": batch, "i": i}) for i in range(5)])
    got = http_receiver.wait_for(10, "/hook", timeout=25)
    span = got[9].at - got[0].at
    # 10 calls at 2 per second take about 4.5 s; allow a burst of a couple of calls at the start.
    assert span >= 2.5, f"10 calls within {span:.2f}s despite a limit of 2/s"
    # No one-second window holds far more than the limit.
    times = [r.at for r in got]
    worst = max(sum(1 for t in times if s <= t < s + 1.0) for s in times)
    assert worst <= 4, f"{worst} calls within one second at a limit of 2/s"


def test_oauth_token_is_refreshed_after_a_401(events, http_receiver):
    # "EventBridge refreshes OAuth tokens when a 401 or 407 response is returned"; with retries left
    # the invocation is retried with the new token.
    http_receiver.on("/token", then=200, body={"access_token": "tok-r", "token_type": "Bearer", "expires_in": 3600})
    http_receiver.on("/hook", 401, then=200)
    conn = events.create_connection(Name="oauth-refresh", AuthorizationType="OAUTH_CLIENT_CREDENTIALS", AuthParameters={
        "OAuthParameters": {
            "ClientParameters": {"ClientID": "c", "ClientSecret": "s"},
            "AuthorizationEndpoint": http_receiver.url("/token"),
            "HttpMethod": "POST",
        }})["ConnectionArn"]
    dest = events.create_api_destination(Name="refresh-dest", ConnectionArn=conn, HttpMethod="POST",
                                         InvocationEndpoint=http_receiver.url("/hook"))["ApiDestinationArn"]
    route_to(events, dest, RetryPolicy={"MaximumRetryAttempts": 3, "MaximumEventAgeInSeconds": 300})
    [eid] = put_ok(events, event_entry(detail={}))
    calls = http_receiver.wait_for(2, "/hook", timeout=15)
    assert [c.json()["id"] for c in calls[:2]] == [eid, eid]
    assert len(http_receiver.received("/token")) >= 2, "the token was not refreshed after the 401"
