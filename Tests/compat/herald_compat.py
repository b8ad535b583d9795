"""Shared helpers for the compatibility suite.

Everything here is written from AWS's documented behaviour and botocore's `sqs` model, never
from Herald's code: a server process, clients (boto3, AWS CLI, raw query protocol), the SQS
MD5 digests, and small polling utilities.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any, Callable, Iterable
from urllib.parse import urlencode

import boto3
import pytest
import requests
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials
from botocore.exceptions import ClientError

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_ACCOUNT = "000000000000"
DEFAULT_REGION = "us-east-1"
DUMMY_KEY = "AKIDEXAMPLEHERALD"
DUMMY_SECRET = "herald-secret-not-checked"

QUERY_NS = "http://queue.amazonaws.com/doc/2012-11-05/"


# --------------------------------------------------------------------------------------------
# The server process
# --------------------------------------------------------------------------------------------

def herald_binary() -> Path:
    env = os.environ.get("HERALD_BIN")
    if env:
        return Path(env)
    return REPO_ROOT / ".build" / "debug" / "herald"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class HeraldServer:
    """One `herald serve` process on its own port and data directory."""

    def __init__(
        self,
        data_dir: Path,
        storage: str = "sqlite",
        account_id: str | None = None,
        port: int | None = None,
        extra_args: Iterable[str] = (),
    ):
        self.data_dir = Path(data_dir)
        self.storage = storage
        self.account_id = account_id
        self.port = port or free_port()
        self.extra_args = list(extra_args)
        self.proc: subprocess.Popen | None = None
        self.log_path = self.data_dir.parent / f"herald-{self.data_dir.name}-{self.port}.log"
        self._log = None

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def command(self) -> list[str]:
        cmd = [
            str(herald_binary()), "serve",
            "--host", "127.0.0.1",
            "--port", str(self.port),
            "--data-dir", str(self.data_dir),
            "--storage", self.storage,
            "--log-level", "info",
            "--allow-reset",
        ]
        if self.account_id:
            cmd += ["--account-id", self.account_id]
        return cmd + self.extra_args

    def start(self, timeout: float = 30.0) -> "HeraldServer":
        binary = herald_binary()
        if not binary.exists():
            raise RuntimeError(
                f"herald binary not found at {binary}; build it with `swift build` "
                f"or set HERALD_BIN"
            )
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self._log = open(self.log_path, "ab")
        self.proc = subprocess.Popen(
            self.command(), stdout=self._log, stderr=subprocess.STDOUT, cwd=str(self.data_dir.parent)
        )
        self.wait_healthy(timeout)
        return self

    def wait_healthy(self, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        last: Exception | None = None
        while time.monotonic() < deadline:
            if self.proc is not None and self.proc.poll() is not None:
                raise RuntimeError(
                    f"herald exited with {self.proc.returncode} before becoming healthy; "
                    f"log:\n{self.log_tail()}"
                )
            try:
                r = requests.get(f"{self.endpoint}/_herald/health", timeout=1)
                if r.status_code == 200:
                    return
            except requests.RequestException as e:  # not listening yet
                last = e
            time.sleep(0.05)
        raise RuntimeError(f"herald not healthy within {timeout}s ({last}); log:\n{self.log_tail()}")

    def is_healthy(self) -> bool:
        try:
            return requests.get(f"{self.endpoint}/_herald/health", timeout=2).status_code == 200
        except requests.RequestException:
            return False

    def reset(self) -> None:
        r = requests.post(f"{self.endpoint}/_herald/reset", timeout=10)
        assert r.status_code in (200, 204), f"reset failed: {r.status_code} {r.text}"

    def kill9(self) -> None:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=10)

    def terminate(self, sig: int = signal.SIGTERM, timeout: float = 10.0) -> int:
        """Send `sig` and wait; returns the exit code (raises if it does not exit in time)."""
        assert self.proc is not None
        self.proc.send_signal(sig)
        return self.proc.wait(timeout=timeout)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        if self._log is not None:
            self._log.close()
            self._log = None

    def restart(self, timeout: float = 30.0) -> "HeraldServer":
        """Start again on the same port and data dir (the old process must be gone)."""
        self.stop()
        return self.start(timeout)

    def log_tail(self, n: int = 4000) -> str:
        try:
            return self.log_path.read_bytes()[-n:].decode("utf-8", "replace")
        except OSError:
            return "<no log>"


# --------------------------------------------------------------------------------------------
# Clients
# --------------------------------------------------------------------------------------------

def make_sqs_client(
    endpoint: str,
    region: str = DEFAULT_REGION,
    access_key: str = DUMMY_KEY,
    secret_key: str = DUMMY_SECRET,
    read_timeout: float = 40,
):
    """A boto3 SQS client pointed at Herald. Retries are off so errors surface once, as sent."""
    return boto3.session.Session().client(
        "sqs",
        endpoint_url=endpoint,
        region_name=region,
        aws_access_key_id=access_key,
        aws_secret_access_key=secret_key,
        config=Config(
            retries={"max_attempts": 1, "mode": "standard"},
            read_timeout=read_timeout,
            connect_timeout=5,
        ),
    )


def queue_url(endpoint: str, name: str, account: str = DEFAULT_ACCOUNT) -> str:
    return f"{endpoint}/{account}/{name}"


def queue_arn(name: str, account: str = DEFAULT_ACCOUNT, region: str = DEFAULT_REGION, partition: str = "aws") -> str:
    return f"arn:{partition}:sqs:{region}:{account}:{name}"


class AwsCli:
    """Runs the AWS CLI (v1, installed from PyPI as `awscli`) against Herald."""

    def __init__(self, endpoint: str, region: str = DEFAULT_REGION, access_key: str = DUMMY_KEY):
        self.endpoint = endpoint
        self.region = region
        self.access_key = access_key
        self._tmp = tempfile.mkdtemp(prefix="herald-cli-")

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
        env.update(
            AWS_ACCESS_KEY_ID=self.access_key,
            AWS_SECRET_ACCESS_KEY=DUMMY_SECRET,
            AWS_DEFAULT_REGION=self.region,
            AWS_CONFIG_FILE=os.path.join(self._tmp, "config"),
            AWS_SHARED_CREDENTIALS_FILE=os.path.join(self._tmp, "credentials"),
            AWS_PAGER="",
            AWS_MAX_ATTEMPTS="1",
        )
        return env

    def run_raw(self, *args: str, timeout: float = 60) -> subprocess.CompletedProcess:
        cmd = [sys.executable, "-m", "awscli", *args, "--endpoint-url", self.endpoint, "--output", "json"]
        return subprocess.run(cmd, env=self.env(), capture_output=True, text=True, timeout=timeout)

    def __call__(self, *args: str, timeout: float = 60) -> dict:
        """Run and return parsed JSON output ({} when the command prints nothing)."""
        p = self.run_raw(*args, timeout=timeout)
        if p.returncode != 0:
            raise AssertionError(
                f"aws {' '.join(args)} exited {p.returncode}\nstdout: {p.stdout}\nstderr: {p.stderr}"
            )
        out = p.stdout.strip()
        return json.loads(out) if out else {}


def strip_ns(elem: ET.Element) -> ET.Element:
    for e in elem.iter():
        if isinstance(e.tag, str) and "}" in e.tag:
            e.tag = e.tag.split("}", 1)[1]
    return elem


class QueryResponse:
    def __init__(self, resp: requests.Response):
        self.raw = resp
        self.status = resp.status_code
        self.text = resp.text
        try:
            self.xml = strip_ns(ET.fromstring(resp.content)) if resp.content else None
        except ET.ParseError:
            self.xml = None

    def find(self, path: str) -> ET.Element | None:
        assert self.xml is not None, f"response is not XML: {self.status} {self.text[:500]}"
        return self.xml.find(path)

    def findall(self, path: str) -> list[ET.Element]:
        assert self.xml is not None, f"response is not XML: {self.status} {self.text[:500]}"
        return self.xml.findall(path)

    def text_of(self, path: str) -> str | None:
        e = self.find(path)
        return None if e is None else (e.text or "")

    @property
    def error_code(self) -> str | None:
        return self.text_of("./Error/Code") if self.xml is not None else None

    @property
    def error_type(self) -> str | None:
        return self.text_of("./Error/Type") if self.xml is not None else None


class QueryClient:
    """The SQS query protocol over raw HTTP: form-encoded POSTs signed with SigV4, XML back."""

    def __init__(self, endpoint: str, region: str = DEFAULT_REGION, access_key: str = DUMMY_KEY):
        self.endpoint = endpoint
        self.region = region
        self.credentials = Credentials(access_key, DUMMY_SECRET)

    def call(self, action: str, params: dict[str, Any] | None = None, path: str = "/",
             version: str = "2012-11-05", timeout: float = 40) -> QueryResponse:
        form: dict[str, Any] = {"Action": action}
        if version:
            form["Version"] = version
        form.update(params or {})
        return self.post_form(urlencode(form), path=path, timeout=timeout)

    def post_form(self, body: str | bytes, path: str = "/", timeout: float = 40,
                  content_type: str = "application/x-www-form-urlencoded; charset=utf-8") -> QueryResponse:
        url = self.endpoint + path
        req = AWSRequest(method="POST", url=url, data=body, headers={"Content-Type": content_type})
        SigV4Auth(self.credentials, "sqs", self.region).add_auth(req)
        prepared = req.prepare()
        resp = requests.post(url, data=prepared.body, headers=dict(prepared.headers), timeout=timeout)
        return QueryResponse(resp)


def signed_json_post(endpoint: str, target: str | None, body: bytes,
                     content_type: str = "application/x-amz-json-1.0",
                     region: str = DEFAULT_REGION, timeout: float = 30, path: str = "/") -> requests.Response:
    """A raw AWS JSON 1.0 request, signed with SigV4 over whatever bytes are given."""
    url = endpoint + path
    headers = {"Content-Type": content_type}
    if target is not None:
        headers["X-Amz-Target"] = target
    req = AWSRequest(method="POST", url=url, data=body, headers=headers)
    SigV4Auth(Credentials(DUMMY_KEY, DUMMY_SECRET), "sqs", region).add_auth(req)
    prepared = req.prepare()
    return requests.post(url, data=prepared.body, headers=dict(prepared.headers), timeout=timeout)


# --------------------------------------------------------------------------------------------
# Errors
# --------------------------------------------------------------------------------------------

@contextlib.contextmanager
def raises_aws(code: str | tuple[str, ...], status: int | tuple[int, ...] | None = 400):
    """Expect a botocore ClientError with the given error code(s) and HTTP status.

    On the JSON protocol SQS sends `x-amzn-query-error: <query code>;Sender`, and botocore
    reports that query code as Error.Code (e.g. AWS.SimpleQueueService.NonExistentQueue), so the
    codes asserted here are the query-protocol codes AWS documents.
    """
    codes = (code,) if isinstance(code, str) else code
    statuses = (status,) if isinstance(status, int) else status
    with pytest.raises(ClientError) as info:
        yield info
    err = info.value.response.get("Error", {})
    got = err.get("Code")
    http = info.value.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
    assert got in codes, f"expected error code {codes}, got {got!r} (HTTP {http}): {err.get('Message')!r}"
    if statuses is not None:
        assert http in statuses, f"expected HTTP {statuses} for {got}, got {http}"


def error_code(exc: ClientError) -> str:
    return exc.response["Error"]["Code"]


# --------------------------------------------------------------------------------------------
# MD5 digests as SQS computes them
# --------------------------------------------------------------------------------------------

def md5_hex(data: str | bytes) -> str:
    if isinstance(data, str):
        data = data.encode("utf-8")
    return hashlib.md5(data).hexdigest()


def md5_of_message_attributes(attributes: dict[str, dict]) -> str:
    """SQS's digest of message (or system) attributes.

    For each attribute, sorted by name: 4-byte big-endian length + UTF-8 name, length + UTF-8
    DataType, one transport byte (1 = string value, 2 = binary value), length + value bytes.
    """
    buf = bytearray()

    def put(b: bytes) -> None:
        buf.extend(struct.pack(">I", len(b)))
        buf.extend(b)

    for name in sorted(attributes):
        attr = attributes[name]
        put(name.encode("utf-8"))
        put(attr["DataType"].encode("utf-8"))
        if "StringValue" in attr:
            buf.append(1)
            put(attr["StringValue"].encode("utf-8"))
        else:
            buf.append(2)
            value = attr["BinaryValue"]
            put(value if isinstance(value, bytes) else bytes(value))
    return hashlib.md5(bytes(buf)).hexdigest()


# --------------------------------------------------------------------------------------------
# Waiting
# --------------------------------------------------------------------------------------------

def wait_until(predicate: Callable[[], Any], timeout: float = 10.0, interval: float = 0.1, what: str = "condition"):
    """Poll `predicate` until it returns something truthy; return that value."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        last = predicate()
        if last:
            return last
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}; last value: {last!r}")


def receive_all(sqs, url: str, expected: int, timeout: float = 15.0, **kwargs) -> list[dict]:
    """Receive (and keep, without deleting) messages until `expected` distinct MessageIds are seen."""
    seen: dict[str, dict] = {}
    deadline = time.monotonic() + timeout
    while len(seen) < expected and time.monotonic() < deadline:
        resp = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=1, **kwargs)
        for m in resp.get("Messages", []):
            seen.setdefault(m["MessageId"], m)
    return list(seen.values())


def drain(sqs, url: str, expected: int, timeout: float = 15.0, **kwargs) -> list[dict]:
    """Receive and delete until `expected` distinct messages were seen (or time runs out)."""
    seen: dict[str, dict] = {}
    deadline = time.monotonic() + timeout
    while len(seen) < expected and time.monotonic() < deadline:
        resp = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=1, **kwargs)
        for m in resp.get("Messages", []):
            seen.setdefault(m["MessageId"], m)
            sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])
    return list(seen.values())


def attrs(sqs, url: str, *names: str) -> dict[str, str]:
    return sqs.get_queue_attributes(QueueUrl=url, AttributeNames=list(names) or ["All"]).get("Attributes", {})


def new_data_dir(base: Path, name: str) -> Path:
    d = Path(base) / name
    if d.exists():
        shutil.rmtree(d)
    return d


# --------------------------------------------------------------------------------------------
# EventBridge (events): clients, ARNs, a local HTTP receiver for API destinations
# --------------------------------------------------------------------------------------------
# Written from botocore's `events` model and AWS's EventBridge documentation.

import base64  # noqa: E402
import threading  # noqa: E402
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer  # noqa: E402

EVENTS_TARGET_PREFIX = "AWSEvents"
# AWS requires a RoleArn on API-destination and cross-account/region bus targets; Herald stores it.
DUMMY_ROLE_ARN = f"arn:aws:iam::{DEFAULT_ACCOUNT}:role/herald-compat"
# The envelope fields AWS puts on every event, in the documented order.
ENVELOPE_FIELDS = ("version", "id", "detail-type", "source", "account", "time", "region", "resources", "detail")


def make_events_client(
    endpoint: str,
    region: str = DEFAULT_REGION,
    access_key: str = DUMMY_KEY,
    secret_key: str = DUMMY_SECRET,
    read_timeout: float = 40,
):
    """A boto3 EventBridge client pointed at Herald. Retries are off so errors surface once, as sent."""
    return boto3.session.Session().client(
        "events",
        endpoint_url=endpoint,
        region_name=region,
        aws_access_key_id=access_key,
        aws_secret_access_key=secret_key,
        config=Config(
            retries={"max_attempts": 1, "mode": "standard"},
            read_timeout=read_timeout,
            connect_timeout=5,
        ),
    )


def bus_arn(name: str = "default", account: str = DEFAULT_ACCOUNT, region: str = DEFAULT_REGION) -> str:
    return f"arn:aws:events:{region}:{account}:event-bus/{name}"


def rule_arn(name: str, bus: str = "default", account: str = DEFAULT_ACCOUNT, region: str = DEFAULT_REGION) -> str:
    """Rules on the default bus are `rule/<name>`; on a custom bus `rule/<bus>/<name>`."""
    if bus == "default":
        return f"arn:aws:events:{region}:{account}:rule/{name}"
    return f"arn:aws:events:{region}:{account}:rule/{bus}/{name}"


def archive_arn(name: str, account: str = DEFAULT_ACCOUNT, region: str = DEFAULT_REGION) -> str:
    return f"arn:aws:events:{region}:{account}:archive/{name}"


def replay_arn(name: str, account: str = DEFAULT_ACCOUNT, region: str = DEFAULT_REGION) -> str:
    return f"arn:aws:events:{region}:{account}:replay/{name}"


def make_queue(sqs, name: str, attributes: dict[str, str] | None = None) -> tuple[str, str]:
    """Create an SQS queue; return (url, arn)."""
    url = sqs.create_queue(QueueName=name, Attributes=attributes or {})["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    return url, arn


def event_entry(source: str = "com.example.orders", detail_type: str = "OrderPlaced",
                detail: Any = None, **extra: Any) -> dict:
    """One PutEvents entry; `detail` is JSON-encoded unless it is already a string."""
    if detail is None:
        detail = {}
    entry = {"Source": source, "DetailType": detail_type,
             "Detail": detail if isinstance(detail, str) else json.dumps(detail)}
    entry.update(extra)
    return entry


def put_ok(events, *entries: dict) -> list[str]:
    """PutEvents that must fully succeed; returns the EventIds in order."""
    resp = events.put_events(Entries=list(entries))
    assert resp["FailedEntryCount"] == 0, resp["Entries"]
    ids = [e["EventId"] for e in resp["Entries"]]
    assert len(ids) == len(entries)
    return ids


def receive_bodies(sqs, url: str, expected: int, timeout: float = 15.0, parse: bool = True, **kwargs) -> list:
    """Drain `expected` messages (deleting them) and return their bodies, parsed as JSON if `parse`."""
    msgs = drain(sqs, url, expected, timeout=timeout, **kwargs)
    bodies = [m["Body"] for m in msgs]
    return [json.loads(b) for b in bodies] if parse else bodies


def assert_queue_stays_empty(sqs, url: str, seconds: float = 1.5) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        got = sqs.receive_message(QueueUrl=url, WaitTimeSeconds=1, MaxNumberOfMessages=10).get("Messages", [])
        assert got == [], f"expected no messages, got {[m['Body'] for m in got]}"


def signed_events_post(endpoint: str, operation: str | None, body: bytes,
                       content_type: str = "application/x-amz-json-1.1",
                       region: str = DEFAULT_REGION, timeout: float = 30) -> requests.Response:
    """A raw AWS JSON 1.1 EventBridge request (X-Amz-Target: AWSEvents.<operation>), SigV4-signed."""
    url = endpoint + "/"
    headers = {"Content-Type": content_type}
    if operation is not None:
        headers["X-Amz-Target"] = f"{EVENTS_TARGET_PREFIX}.{operation}"
    req = AWSRequest(method="POST", url=url, data=body, headers=headers)
    SigV4Auth(Credentials(DUMMY_KEY, DUMMY_SECRET), "events", region).add_auth(req)
    prepared = req.prepare()
    return requests.post(url, data=prepared.body, headers=dict(prepared.headers), timeout=timeout)


class RecordedRequest:
    def __init__(self, method: str, path: str, headers: dict[str, str], body: bytes):
        self.method = method
        self.path = path
        self.headers = headers  # lower-cased names
        self.body = body
        self.at = time.monotonic()

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    def json(self) -> Any:
        return json.loads(self.body)

    def __repr__(self) -> str:
        return f"<{self.method} {self.path} {self.text[:120]!r}>"


class HttpReceiver:
    """An HTTP endpoint on 127.0.0.1 (ephemeral port) in a background thread, standing in for an
    API destination's endpoint or an OAuth token endpoint. It records every request and answers
    from a per-path script: `on("/hook", 500, 500, then=200)` answers 500 twice, then 200."""

    def __init__(self) -> None:
        self.requests: list[RecordedRequest] = []
        self._cond = threading.Condition()
        self._plans: dict[str, dict] = {}
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):  # keep pytest output clean
                pass

            def _handle(self):
                body = b""
                if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
                    chunks = []
                    while True:
                        size = int(self.rfile.readline().strip().split(b";")[0] or b"0", 16)
                        if size == 0:
                            self.rfile.readline()
                            break
                        chunks.append(self.rfile.read(size))
                        self.rfile.readline()
                    body = b"".join(chunks)
                else:
                    n = int(self.headers.get("Content-Length") or 0)
                    body = self.rfile.read(n) if n else b""
                path_only = self.path.split("?", 1)[0]
                rec = RecordedRequest(self.command, self.path,
                                      {k.lower(): v for k, v in self.headers.items()}, body)
                status, payload, ctype = receiver._answer(path_only)
                with receiver._cond:
                    receiver.requests.append(rec)
                    receiver._cond.notify_all()
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = _handle

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        daemon=True)

    def start(self) -> "HttpReceiver":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def url(self, path: str = "/hook") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def on(self, path: str, *statuses: int, then: int = 200, body: Any = b"",
           content_type: str = "application/json") -> None:
        """Answer `statuses` in order for `path`, then `then` forever. `body` may be bytes, str or JSON."""
        if not isinstance(body, (bytes, str)):
            body = json.dumps(body)
        if isinstance(body, str):
            body = body.encode()
        with self._cond:
            self._plans[path] = {"script": list(statuses), "then": then, "body": body, "ctype": content_type}

    def _answer(self, path: str) -> tuple[int, bytes, str]:
        with self._cond:
            plan = self._plans.get(path)
            if plan is None:
                return 200, b"", "application/json"
            status = plan["script"].pop(0) if plan["script"] else plan["then"]
            return status, plan["body"], plan["ctype"]

    def received(self, path: str | None = None) -> list[RecordedRequest]:
        with self._cond:
            return [r for r in self.requests if path is None or r.path.split("?", 1)[0] == path]

    def wait_for(self, count: int, path: str | None = None, timeout: float = 15.0) -> list[RecordedRequest]:
        """Wait until at least `count` requests (to `path`, if given) arrived; return them all."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                got = [r for r in self.requests if path is None or r.path.split("?", 1)[0] == path]
                if len(got) >= count:
                    return got
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"timed out after {timeout}s waiting for {count} request(s) to "
                                         f"{path or 'any path'}; got {len(got)}: {got}")
                self._cond.wait(left)


def basic_auth_header(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


def create_api_key_destination(events, receiver: HttpReceiver, name: str, path: str = "/hook",
                               rate: int | None = None, method: str = "POST",
                               key_name: str = "x-api-key", key_value: str = "s3cr3t-key") -> tuple[str, str]:
    """An API_KEY connection plus an API destination at receiver.url(path); returns (connection ARN, destination ARN)."""
    conn = events.create_connection(
        Name=f"{name}-conn", AuthorizationType="API_KEY",
        AuthParameters={"ApiKeyAuthParameters": {"ApiKeyName": key_name, "ApiKeyValue": key_value}},
    )["ConnectionArn"]
    kwargs: dict[str, Any] = dict(Name=name, ConnectionArn=conn, InvocationEndpoint=receiver.url(path), HttpMethod=method)
    if rate is not None:
        kwargs["InvocationRateLimitPerSecond"] = rate
    dest = events.create_api_destination(**kwargs)["ApiDestinationArn"]
    return conn, dest


# --------------------------------------------------------------------------------------------
# SNS (topics): clients, ARNs, subscription helpers (test_sns_*.py)
# --------------------------------------------------------------------------------------------
# Written from botocore's `sns` model (query protocol, XML) and AWS's SNS documentation.

SNS_ENVELOPE_FIELDS = ("Type", "MessageId", "TopicArn", "Message", "Timestamp", "SignatureVersion",
                       "Signature", "SigningCertURL", "UnsubscribeURL")
# AWS's documented default HTTP/S retry policy (healthyRetryPolicy of EffectiveDeliveryPolicy).
SNS_DEFAULT_HEALTHY_RETRY_POLICY = {"minDelayTarget": 20, "maxDelayTarget": 20, "numRetries": 3,
                                    "numMaxDelayRetries": 0, "numNoDelayRetries": 0,
                                    "numMinDelayRetries": 0, "backoffFunction": "linear"}


def make_sns_client(
    endpoint: str,
    region: str = DEFAULT_REGION,
    access_key: str = DUMMY_KEY,
    secret_key: str = DUMMY_SECRET,
    read_timeout: float = 40,
):
    """A boto3 SNS client pointed at Herald. Retries are off so errors surface once, as sent."""
    return boto3.session.Session().client(
        "sns",
        endpoint_url=endpoint,
        region_name=region,
        aws_access_key_id=access_key,
        aws_secret_access_key=secret_key,
        config=Config(
            retries={"max_attempts": 1, "mode": "standard"},
            read_timeout=read_timeout,
            connect_timeout=5,
        ),
    )


def topic_arn(name: str, account: str = DEFAULT_ACCOUNT, region: str = DEFAULT_REGION) -> str:
    return f"arn:aws:sns:{region}:{account}:{name}"


def sns_subscribe_queue(sns, sqs, topic: str, queue_name: str, queue_attributes: dict[str, str] | None = None,
                        **sub_attributes: str) -> tuple[str, str]:
    """Create a queue and subscribe it to `topic` (sqs subscriptions need no confirmation);
    returns (queue url, subscription ARN)."""
    url, arn = make_queue(sqs, queue_name, queue_attributes)
    kwargs: dict[str, Any] = dict(TopicArn=topic, Protocol="sqs", Endpoint=arn, ReturnSubscriptionArn=True)
    if sub_attributes:
        kwargs["Attributes"] = dict(sub_attributes)
    sub = sns.subscribe(**kwargs)["SubscriptionArn"]
    return url, sub


def sns_envelopes(sqs, url: str, expected: int, timeout: float = 15.0) -> list[dict]:
    """Drain `expected` messages from a queue subscribed without raw delivery; return the parsed
    SNS JSON envelopes."""
    return [json.loads(m["Body"]) for m in drain(sqs, url, expected, timeout=timeout)]


def list_all_topics(sns) -> list[str]:
    arns, token = [], None
    while True:
        resp = sns.list_topics(**({"NextToken": token} if token else {}))
        arns += [t["TopicArn"] for t in resp.get("Topics", [])]
        token = resp.get("NextToken")
        if not token:
            return arns
