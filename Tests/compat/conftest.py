"""Fixtures for the compatibility suite.

One `herald serve` process (SQLite storage, temp data dir) is shared by the whole session;
`POST /_herald/reset` empties it around every test so tests stay independent. Tests that need
their own process (restart, kill -9, memory storage, --account-id) use `herald_factory`.

The binary comes from $HERALD_BIN, else `.build/debug/herald` under the repo root. The suite
never builds it: run `swift build` first.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from herald_compat import (  # noqa: E402
    AwsCli,
    HeraldServer,
    QueryClient,
    make_sqs_client,
)


def pytest_configure(config):
    config.addinivalue_line("markers", "slow: waits on real time for a minute or more (run with HERALD_COMPAT_SLOW=1)")


def pytest_collection_modifyitems(config, items):
    if os.environ.get("HERALD_COMPAT_SLOW") == "1":
        return
    skip_slow = pytest.mark.skip(reason="slow; set HERALD_COMPAT_SLOW=1 to run")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip_slow)


@pytest.fixture(scope="session")
def herald(tmp_path_factory):
    """The shared server: SQLite storage on a fresh temp data dir."""
    base = tmp_path_factory.mktemp("herald-session")
    server = HeraldServer(base / "data", storage="sqlite")
    try:
        server.start()
    except Exception as e:
        pytest.exit(f"could not start herald: {e}", returncode=3)
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def _reset_between_tests(request):
    """Empty every account and region before and after each test that uses the shared server."""
    if "herald" not in request.fixturenames:
        yield
        return
    server = request.getfixturevalue("herald")
    if server.proc is not None and server.proc.poll() is not None:
        server.restart()  # an earlier test crashed it; that test has already failed
    server.reset()
    yield
    if server.proc is not None and server.proc.poll() is not None:
        code = server.proc.returncode
        tail = server.log_tail()
        server.restart()
        pytest.fail(f"herald exited with {code} during this test; log tail:\n{tail}")
    server.reset()


@pytest.fixture
def endpoint(herald) -> str:
    return herald.endpoint


@pytest.fixture
def sqs(herald):
    """boto3 SQS client: us-east-1, dummy credentials (account 000000000000)."""
    return make_sqs_client(herald.endpoint)


@pytest.fixture
def sqs_factory(herald):
    """Make more boto3 clients: sqs_factory(region=..., access_key=...)."""
    def make(region: str = "us-east-1", access_key: str = "AKIDEXAMPLEHERALD", endpoint: str | None = None):
        return make_sqs_client(endpoint or herald.endpoint, region=region, access_key=access_key)
    return make


@pytest.fixture
def aws_cli(herald):
    """aws_cli("sqs", "create-queue", "--queue-name", "q") -> parsed JSON output."""
    return AwsCli(herald.endpoint)


@pytest.fixture
def query(herald):
    """Raw SQS query-protocol client: query.call("SendMessage", {...}, path="/")."""
    return QueryClient(herald.endpoint)


@pytest.fixture
def herald_factory(tmp_path):
    """Start extra servers on their own data dirs: herald_factory(name, storage=..., account_id=...)."""
    started: list[HeraldServer] = []

    def make(name: str = "extra", storage: str = "sqlite", account_id: str | None = None,
             data_dir: Path | None = None) -> HeraldServer:
        server = HeraldServer(data_dir or (tmp_path / name), storage=storage, account_id=account_id)
        started.append(server)
        return server.start()

    yield make
    for server in started:
        server.stop()


# --------------------------------------------------------------------------------------------
# EventBridge fixtures (test_events_*.py)
# --------------------------------------------------------------------------------------------

from herald_compat import HttpReceiver, make_events_client  # noqa: E402


@pytest.fixture
def events(herald):
    """boto3 EventBridge client: us-east-1, dummy credentials (account 000000000000)."""
    return make_events_client(herald.endpoint)


@pytest.fixture
def events_factory(herald):
    """Make more EventBridge clients: events_factory(region=..., access_key=...)."""
    def make(region: str = "us-east-1", access_key: str = "AKIDEXAMPLEHERALD", endpoint: str | None = None):
        return make_events_client(endpoint or herald.endpoint, region=region, access_key=access_key)
    return make


@pytest.fixture
def http_receiver():
    """A local HTTP endpoint (127.0.0.1, ephemeral port) that records requests; see HttpReceiver."""
    receiver = HttpReceiver().start()
    yield receiver
    receiver.stop()


@pytest.fixture
def http_receiver_factory():
    """More receivers when one test needs several endpoints."""
    started: list[HttpReceiver] = []

    def make() -> HttpReceiver:
        r = HttpReceiver().start()
        started.append(r)
        return r

    yield make
    for r in started:
        r.stop()


# --------------------------------------------------------------------------------------------
# SNS fixtures (test_sns_*.py)
# --------------------------------------------------------------------------------------------

from herald_compat import make_sns_client  # noqa: E402


@pytest.fixture
def sns(herald):
    """boto3 SNS client: us-east-1, dummy credentials (account 000000000000)."""
    return make_sns_client(herald.endpoint)


@pytest.fixture
def sns_receiver_factory(herald):
    """SNS HTTP subscribers on 127.0.0.1 that verify signatures against the shared server:
    sns_receiver_factory(auto_confirm=True) -> sns_receivers.SnsHttpReceiver."""
    from sns_receivers import SnsHttpReceiver

    started: list = []

    def make(auto_confirm: bool = False, endpoint: str | None = None, port: int = 0):
        r = SnsHttpReceiver(endpoint or herald.endpoint, auto_confirm=auto_confirm, port=port).start()
        started.append(r)
        return r

    yield make
    for r in started:
        r.stop()


@pytest.fixture(scope="session")
def smtp_receiver():
    """An aiosmtpd SMTP server on 127.0.0.1 for the whole session (see sns_receivers.SmtpReceiver)."""
    from sns_receivers import SmtpReceiver

    r = SmtpReceiver().start()
    yield r
    r.stop()


@pytest.fixture(scope="session")
def herald_smtp(tmp_path_factory, smtp_receiver):
    """A second session server started with `--smtp-url smtp://127.0.0.1:<port>` for email tests."""
    base = tmp_path_factory.mktemp("herald-smtp")
    server = HeraldServer(base / "data", storage="sqlite", extra_args=["--smtp-url", smtp_receiver.url])
    try:
        server.start()
    except Exception as e:  # noqa: BLE001 - the email tests fail with the reason
        pytest.fail(f"could not start herald with --smtp-url: {e}")
    yield server
    server.stop()


@pytest.fixture
def sns_smtp(herald_smtp, smtp_receiver):
    """SNS client for the --smtp-url server; the server is reset and the inbox emptied around the test."""
    if herald_smtp.proc is not None and herald_smtp.proc.poll() is not None:
        herald_smtp.restart()
    herald_smtp.reset()
    smtp_receiver.clear()
    yield make_sns_client(herald_smtp.endpoint)
    if herald_smtp.proc is not None and herald_smtp.proc.poll() is None:
        herald_smtp.reset()
