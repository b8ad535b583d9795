"""`herald bench`: it drives a real server end to end, loses nothing, and signs its requests as AWS checks them.

Herald does not verify signatures, so the signing test points the bench at a tiny recording endpoint and checks
the signature of what it sent with botocore's own SigV4 implementation.
"""

from __future__ import annotations

import json
import re
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from herald_compat import herald_binary

BENCH_TIMEOUT = 180


def run_bench(*args: str, timeout: float = BENCH_TIMEOUT, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(herald_binary()), "bench", *args], capture_output=True, text=True, timeout=timeout, env=env
    )


def assert_nothing_lost(output: str, result_lines: int) -> None:
    lines = [line for line in output.splitlines() if line.strip()]
    assert len(lines) == result_lines, output
    for line in lines:
        for received, expected in re.findall(r"(?:received|complete|found)=(\d+)/(\d+)", line):
            assert received == expected and int(expected) > 0, line
        for name, count in re.findall(r"\b([a-z-]*errors)=(\d+)", line):
            assert count == "0", f"{name} in: {line}"


def test_events_bench_routes_every_event(herald):
    result = run_bench(
        "events", "--endpoint", herald.endpoint, "--rules", "1,3", "--duration", "1", "--rate", "200",
    )
    assert result.returncode == 0, result.stderr
    # Throughput and latency, for each rule count.
    assert_nothing_lost(result.stdout, 4)
    assert "rules=3 rate=200" in result.stdout


def test_topics_bench_fans_out_to_every_queue(herald):
    result = run_bench(
        "topics", "--endpoint", herald.endpoint, "--subscriptions", "3", "--duration", "1", "--rate", "20",
    )
    assert result.returncode == 0, result.stderr
    # Throughput, latency with consumers, and receivable once answered (20 publishes × 3 queues checked).
    assert_nothing_lost(result.stdout, 3)
    assert "complete=20/20" in result.stdout
    assert "found=60/60" in result.stdout


def test_queues_bench_receives_every_message(herald):
    result = run_bench("queues", "--endpoint", herald.endpoint, "--duration", "1", "--rate", "200")
    assert result.returncode == 0, result.stderr
    assert "received=200/200" in result.stdout
    assert_nothing_lost(result.stdout, len(result.stdout.strip().splitlines()))


def test_bench_cleans_up_what_it_created(herald, sqs, events):
    result = run_bench(
        "events", "--endpoint", herald.endpoint, "--rules", "2", "--duration", "1", "--rate", "50",
        "--prefix", "cleanup-check",
    )
    assert result.returncode == 0, result.stderr
    assert not [url for url in sqs.list_queues().get("QueueUrls", []) if "cleanup-check" in url]
    assert not [bus for bus in events.list_event_buses()["EventBuses"] if "cleanup-check" in bus["Name"]]


class _Recorder(BaseHTTPRequestHandler):
    """Keeps each request and refuses it, as an endpoint with a wrong secret would."""

    recorded: list[tuple[dict[str, str], bytes]] = []

    def do_POST(self):  # noqa: N802 (http.server's naming)
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        type(self).recorded.append(({name.lower(): value for name, value in self.headers.items()}, body))
        answer = json.dumps({"__type": "UnrecognizedClientException", "message": "recorded"}).encode()
        self.send_response(400)
        self.send_header("Content-Type", "application/x-amz-json-1.1")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *args):
        pass


@pytest.fixture
def recording_endpoint():
    _Recorder.recorded = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", _Recorder.recorded
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize(
    "bench, service",
    [("events", "sqs"), ("topics", "sns")],  # their first requests: SQS CreateQueue (JSON), SNS CreateTopic (query)
)
def test_bench_signs_requests_with_sigv4_as_botocore_does(recording_endpoint, bench, service):
    url, recorded = recording_endpoint
    secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
    result = run_bench(
        bench, "--endpoint", url, "--duration", "1", "--rate", "10",
        "--access-key", "AKIDEXAMPLE", "--secret-key", secret, "--region", "eu-central-1", timeout=60,
    )
    assert result.returncode != 0
    assert "UnrecognizedClientException" in result.stderr
    assert recorded, "the bench sent nothing"
    headers, body = recorded[0]

    authorization = headers["authorization"]
    match = re.fullmatch(
        rf"AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/(\d{{8}})/eu-central-1/{service}/aws4_request, "
        r"SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})",
        authorization,
    )
    assert match, authorization
    day, signed_headers, signature = match.groups()
    assert headers["x-amz-date"].startswith(day)
    names = signed_headers.split(";")
    assert {"host", "x-amz-date", "content-type"} <= set(names)

    # botocore signs every header it is given, so give it exactly the ones the bench signed.
    request = AWSRequest(method="POST", url=url + "/", data=body, headers={name: headers[name] for name in names})
    request.context["timestamp"] = headers["x-amz-date"]
    signer = SigV4Auth(Credentials("AKIDEXAMPLE", secret), service, "eu-central-1")
    expected = signer.signature(signer.string_to_sign(request, signer.canonical_request(request)), request)
    assert signature == expected
