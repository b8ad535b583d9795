"""Receivers that stand in for SNS subscribers: an HTTP endpoint that verifies message signatures the
way AWS documents it, and an SMTP server that collects email.

Written from AWS's documentation, never from Herald's code:

- "Verifying the signatures of Amazon SNS messages" (SNS Developer Guide): build the string to sign
  from the listed fields, in order, each as ``name\\nvalue\\n``; fetch the certificate at
  SigningCertURL (checking it comes from the SNS endpoint: here, the Herald endpoint); verify the
  base64 Signature with the certificate's public key, RSA PKCS#1 v1.5 with SHA1 (SignatureVersion 1)
  or SHA256 (SignatureVersion 2).
- "Parsing message formats" (HTTP/HTTPS headers and JSON bodies for SubscriptionConfirmation,
  Notification and UnsubscribeConfirmation).
"""

from __future__ import annotations

import base64
import email
import email.policy
import json
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

import requests
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding

# The fields AWS signs, in the documented order.
NOTIFICATION_SIGNED_FIELDS = ("Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type")
CONFIRMATION_SIGNED_FIELDS = ("Message", "MessageId", "SubscribeURL", "Timestamp", "Token", "TopicArn", "Type")


class SignatureError(AssertionError):
    pass


def string_to_sign(msg: dict) -> bytes:
    """The canonical string AWS documents for a message of type Notification, SubscriptionConfirmation
    or UnsubscribeConfirmation. Subject is included only when present (Notification only)."""
    kind = msg.get("Type")
    if kind == "Notification":
        fields = NOTIFICATION_SIGNED_FIELDS
    elif kind in ("SubscriptionConfirmation", "UnsubscribeConfirmation"):
        fields = CONFIRMATION_SIGNED_FIELDS
    else:
        raise SignatureError(f"unknown message Type {kind!r}")
    out = []
    for name in fields:
        if name not in msg or msg[name] is None:
            if name == "Subject":
                continue
            raise SignatureError(f"{kind} message lacks the signed field {name}: {sorted(msg)}")
        out.append(f"{name}\n{msg[name]}\n")
    return "".join(out).encode("utf-8")


class SignatureVerifier:
    """Verifies SNS message signatures as a receiver does against AWS, with the certificate host
    pinned to the Herald endpoint instead of sns.<region>.amazonaws.com."""

    def __init__(self, herald_endpoint: str | None = None):
        self.expected_netloc = urlsplit(herald_endpoint).netloc if herald_endpoint else None
        self._certs: dict[str, x509.Certificate] = {}
        self._lock = threading.Lock()

    def certificate(self, url: str) -> x509.Certificate:
        with self._lock:
            cert = self._certs.get(url)
        if cert is not None:
            return cert
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            raise SignatureError(f"SigningCertURL {url!r} is not an http(s) URL")
        if self.expected_netloc is not None and parts.netloc != self.expected_netloc:
            raise SignatureError(f"SigningCertURL host {parts.netloc!r} is not the Herald endpoint "
                                 f"{self.expected_netloc!r}")
        r = requests.get(url, timeout=10)
        if r.status_code != 200:
            raise SignatureError(f"GET SigningCertURL {url} -> {r.status_code} {r.text[:200]}")
        try:
            cert = x509.load_pem_x509_certificate(r.content)
        except ValueError as e:
            raise SignatureError(f"SigningCertURL {url} did not return a PEM certificate: {e}; "
                                 f"{r.content[:120]!r}") from e
        with self._lock:
            self._certs[url] = cert
        return cert

    def verify(self, msg: dict) -> None:
        """Raise SignatureError unless `msg` (a parsed SNS JSON message) carries a valid signature."""
        version = msg.get("SignatureVersion")
        if version == "1":
            algo: hashes.HashAlgorithm = hashes.SHA1()
        elif version == "2":
            algo = hashes.SHA256()
        else:
            raise SignatureError(f"SignatureVersion must be '1' or '2', got {version!r}")
        for f in ("Signature", "SigningCertURL"):
            if not msg.get(f):
                raise SignatureError(f"message lacks {f}")
        try:
            signature = base64.b64decode(msg["Signature"], validate=True)
        except (ValueError, TypeError) as e:
            raise SignatureError(f"Signature is not base64: {e}") from e
        cert = self.certificate(msg["SigningCertURL"])
        try:
            cert.public_key().verify(signature, string_to_sign(msg), padding.PKCS1v15(), algo)
        except Exception as e:  # cryptography.exceptions.InvalidSignature, or a non-RSA key
            raise SignatureError(f"signature (v{version}) does not verify: {type(e).__name__} {e}") from e


# --------------------------------------------------------------------------------------------
# HTTP receiver
# --------------------------------------------------------------------------------------------

class SnsRequest:
    """One request an SNS HTTP receiver got."""

    def __init__(self, method: str, path: str, headers: dict[str, str], body: bytes, status: int):
        self.method = method
        self.path = path
        self.headers = headers  # lower-cased names
        self.body = body
        self.status = status  # what the receiver answered (-1: the request arrived incomplete)
        self.at = time.monotonic()
        self.verified: bool | None = None  # None: not an SNS JSON message (e.g. raw delivery)
        self.verify_error: str | None = None

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    def json(self) -> Any:
        return json.loads(self.body)

    @property
    def message_type(self) -> str | None:
        return self.headers.get("x-amz-sns-message-type")

    def __repr__(self) -> str:
        return f"<{self.method} {self.path} {self.status} {self.message_type} {self.text[:100]!r}>"


class SnsHttpReceiver:
    """An HTTP(S) subscriber on 127.0.0.1 (ephemeral port) in a background thread.

    - records every request (`requests`), with the status it answered;
    - `fail_next(n, status)` answers the next n SNS POSTs with `status` (500 by default);
    - `delay` seconds are slept before answering each POST (a slow endpoint);
    - `auto_confirm = True` GETs the SubscribeURL of each SubscriptionConfirmation it gets;
    - every JSON SNS message is verified with `SignatureVerifier` (`req.verified`, `req.verify_error`).
    """

    def __init__(self, herald_endpoint: str | None = None, auto_confirm: bool = False, port: int = 0):
        self.verifier = SignatureVerifier(herald_endpoint)
        self.auto_confirm = auto_confirm
        self.delay = 0.0
        self.requests: list[SnsRequest] = []
        self.confirm_results: list[tuple[str, int, str]] = []  # (url, status, body)
        self._fail: list[int] = []
        self._cond = threading.Condition()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def _read_body(self) -> bytes:
                if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
                    chunks = []
                    while True:
                        line = self.rfile.readline()
                        if not line:
                            raise ConnectionError("connection closed inside a chunked body")
                        size = int(line.strip().split(b";")[0] or b"0", 16)
                        if size == 0:
                            self.rfile.readline()
                            break
                        chunk = self.rfile.read(size)
                        if len(chunk) < size:
                            raise ConnectionError("short chunk")
                        chunks.append(chunk)
                        self.rfile.readline()
                    return b"".join(chunks)
                n = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(n) if n else b""
                if len(body) < n:  # the sender died mid-request (kill -9): not a delivery
                    raise ConnectionError(f"short body: {len(body)} of {n} bytes")
                return body

            def _handle(self):
                try:
                    body = self._read_body()
                except (ConnectionError, ValueError, OSError) as e:
                    rec = SnsRequest(self.command, self.path, {k.lower(): v for k, v in self.headers.items()},
                                     b"", -1)
                    rec.verify_error = f"incomplete request: {e}"
                    with receiver._cond:
                        receiver.requests.append(rec)
                        receiver._cond.notify_all()
                    self.close_connection = True
                    return
                headers = {k.lower(): v for k, v in self.headers.items()}
                status = 200
                if self.command == "POST":
                    if receiver.delay:
                        time.sleep(receiver.delay)
                    with receiver._cond:
                        if receiver._fail:
                            status = receiver._fail.pop(0)
                rec = SnsRequest(self.command, self.path, headers, body, status)
                receiver._inspect(rec)
                with receiver._cond:
                    receiver.requests.append(rec)
                    receiver._cond.notify_all()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "text/plain")
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                except OSError:
                    pass

            do_GET = do_POST = do_PUT = do_HEAD = _handle

        self._server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    # lifecycle -------------------------------------------------------------------------------

    def start(self) -> "SnsHttpReceiver":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def url(self, path: str = "/sns") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    # behaviour -------------------------------------------------------------------------------

    def fail_next(self, n: int, status: int = 500) -> None:
        with self._cond:
            self._fail = [status] * n

    def fail_always(self, status: int = 500) -> None:
        self.fail_next(10_000, status)

    def _inspect(self, rec: SnsRequest) -> None:
        if rec.method != "POST":
            return
        try:
            msg = json.loads(rec.body)
        except ValueError:
            return
        if not isinstance(msg, dict) or "Type" not in msg:
            return  # raw delivery: not an SNS JSON document
        if "Signature" not in msg and "SignatureVersion" not in msg:
            rec.verified = False
            rec.verify_error = "SNS JSON message without Signature/SignatureVersion"
            return
        try:
            self.verifier.verify(msg)
            rec.verified = True
        except SignatureError as e:
            rec.verified = False
            rec.verify_error = str(e)
        except Exception as e:  # noqa: BLE001 - record, the test asserts
            rec.verified = False
            rec.verify_error = f"{type(e).__name__}: {e}"
        if self.auto_confirm and msg.get("Type") == "SubscriptionConfirmation" and msg.get("SubscribeURL"):
            threading.Thread(target=self._confirm, args=(msg["SubscribeURL"],), daemon=True).start()

    def _confirm(self, url: str) -> None:
        time.sleep(0.05)  # let the confirmation POST finish first
        try:
            r = requests.get(url, timeout=10)
            result = (url, r.status_code, r.text)
        except requests.RequestException as e:
            result = (url, -1, str(e))
        with self._cond:
            self.confirm_results.append(result)
            self._cond.notify_all()

    # queries ---------------------------------------------------------------------------------

    def posts(self, message_type: str | None = None, path: str | None = None) -> list[SnsRequest]:
        with self._cond:
            return [r for r in self.requests if r.method == "POST"
                    and (message_type is None or r.message_type == message_type)
                    and (path is None or r.path.split("?", 1)[0] == path)]

    def wait_for(self, count: int, message_type: str | None = None, path: str | None = None,
                 timeout: float = 15.0, status: int | None = None) -> list[SnsRequest]:
        """Wait until at least `count` POSTs (of that type, to that path, answered with `status`) arrived."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                got = [r for r in self.requests if r.method == "POST"
                       and (message_type is None or r.message_type == message_type)
                       and (path is None or r.path.split("?", 1)[0] == path)
                       and (status is None or r.status == status)]
                if len(got) >= count:
                    return got
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(
                        f"timed out after {timeout}s waiting for {count} {message_type or 'SNS'} POST(s) "
                        f"to {path or 'any path'}; got {len(got)}; all requests: {self.requests}")
                self._cond.wait(min(left, 0.5))

    def wait_confirmed(self, count: int = 1, timeout: float = 15.0) -> list[tuple[str, int, str]]:
        deadline = time.monotonic() + timeout
        with self._cond:
            while len(self.confirm_results) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"auto-confirm: {len(self.confirm_results)} of {count} "
                                         f"SubscribeURL GETs done; requests: {self.requests}")
                self._cond.wait(min(left, 0.5))
            return list(self.confirm_results)

    def notifications(self, path: str | None = None, status: int | None = 200) -> list[SnsRequest]:
        return [r for r in self.posts("Notification", path) if status is None or r.status == status]


# --------------------------------------------------------------------------------------------
# SMTP receiver
# --------------------------------------------------------------------------------------------

class ReceivedMail:
    def __init__(self, mail_from: str, rcpt_tos: list[str], data: bytes):
        self.mail_from = mail_from
        self.rcpt_tos = rcpt_tos
        self.data = data
        self.message = email.message_from_bytes(data, policy=email.policy.default)

    @property
    def subject(self) -> str:
        return str(self.message.get("Subject", ""))

    @property
    def to(self) -> str:
        return str(self.message.get("To", ""))

    @property
    def body(self) -> str:
        """The text body (text/plain part if multipart, else the single part), decoded."""
        msg = self.message
        if msg.is_multipart():
            part = msg.get_body(preferencelist=("plain", "html"))
            if part is None:
                return ""
            return part.get_content()
        return msg.get_content()

    def links(self) -> list[str]:
        return re.findall(r"https?://[^\s\"'<>]+", self.body)

    def __repr__(self) -> str:
        return f"<mail to={self.rcpt_tos} subject={self.subject!r} {self.body[:100]!r}>"


class SmtpReceiver:
    """An SMTP server (aiosmtpd Controller) on 127.0.0.1 that keeps every message it gets."""

    def __init__(self, port: int | None = None, credentials: tuple[str, str] | None = None):
        """With `credentials` (user, password) the server requires AUTH (PLAIN/LOGIN, no TLS) and
        records each login attempt in `logins`."""
        from aiosmtpd.controller import Controller  # imported here so collection works without it
        from aiosmtpd.smtp import AuthResult

        from herald_compat import free_port

        self.port = port or free_port()
        self.messages: list[ReceivedMail] = []
        self.logins: list[tuple[str, str, bool]] = []
        self._cond = threading.Condition()
        receiver = self

        class Handler:
            async def handle_DATA(self, server, session, envelope):
                mail = ReceivedMail(envelope.mail_from, list(envelope.rcpt_tos), envelope.original_content
                                    or envelope.content)
                with receiver._cond:
                    receiver.messages.append(mail)
                    receiver._cond.notify_all()
                return "250 Message accepted for delivery"

        kwargs: dict[str, Any] = {}
        if credentials is not None:
            def authenticator(server, session, envelope, mechanism, auth_data):
                login = auth_data.login.decode() if isinstance(auth_data.login, bytes) else str(auth_data.login)
                password = (auth_data.password.decode() if isinstance(auth_data.password, bytes)
                            else str(auth_data.password))
                ok = (login, password) == credentials
                with receiver._cond:
                    receiver.logins.append((login, password, ok))
                return AuthResult(success=ok)

            kwargs = dict(authenticator=authenticator, auth_required=True, auth_require_tls=False)
        self._controller = Controller(Handler(), hostname="127.0.0.1", port=self.port, **kwargs)

    def start(self) -> "SmtpReceiver":
        self._controller.start()
        return self

    def stop(self) -> None:
        self._controller.stop()

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def clear(self) -> None:
        with self._cond:
            self.messages.clear()

    def to(self, address: str) -> list[ReceivedMail]:
        with self._cond:
            return [m for m in self.messages if address in m.rcpt_tos]

    def wait_for(self, address: str, count: int = 1, timeout: float = 15.0) -> list[ReceivedMail]:
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                got = [m for m in self.messages if address in m.rcpt_tos]
                if len(got) >= count:
                    return got
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"timed out after {timeout}s waiting for {count} mail(s) to "
                                         f"{address}; got {got}; all: {self.messages}")
                self._cond.wait(min(left, 0.5))


# --------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------

def subscribe_http(sns, topic: str, receiver: SnsHttpReceiver, path: str = "/sns", confirm: bool = True,
                   timeout: float = 15.0, **attributes: str) -> str:
    """Subscribe `receiver.url(path)` to `topic` over http, wait for the SubscriptionConfirmation and
    (if `confirm`) confirm it with ConfirmSubscription and the Token; return the subscription ARN."""
    before = len(receiver.posts("SubscriptionConfirmation", path))
    kwargs: dict[str, Any] = dict(TopicArn=topic, Protocol="http", Endpoint=receiver.url(path),
                                  ReturnSubscriptionArn=True)
    if attributes:
        kwargs["Attributes"] = dict(attributes)
    arn = sns.subscribe(**kwargs)["SubscriptionArn"]
    conf = receiver.wait_for(before + 1, "SubscriptionConfirmation", path, timeout=timeout)[-1].json()
    if confirm:
        got = sns.confirm_subscription(TopicArn=topic, Token=conf["Token"])["SubscriptionArn"]
        assert got == arn, f"ConfirmSubscription returned {got}, Subscribe returned {arn}"
    return arn
