"""SNS email and email-json subscriptions, delivered over SMTP to a relay given with `--smtp-url`.

These run against a dedicated server (`herald_smtp`) whose relay is the aiosmtpd receiver
`smtp_receiver`. Written from AWS's documentation of email subscriptions (confirmation email with a
confirmation link, notification emails, email-json bodies), not from Herald's code.
"""

from __future__ import annotations

import json
import time
from urllib.parse import urlsplit

import requests

from herald_compat import raises_aws


def _herald_links(mail, herald) -> list[str]:
    netloc = urlsplit(herald.endpoint).netloc
    return [u.rstrip(".,)") for u in mail.links() if urlsplit(u).netloc == netloc]


def _confirm_link(mail, herald) -> str:
    links = [u for u in _herald_links(mail, herald) if "token" in u.lower() or "confirm" in u.lower()]
    assert links, f"no confirmation link to {herald.endpoint} in the email body: {mail.body!r}"
    return links[0]


def _subscribe_and_confirm(sns, smtp, herald, topic: str, address: str, protocol: str = "email") -> str:
    arn = sns.subscribe(TopicArn=topic, Protocol=protocol, Endpoint=address,
                        ReturnSubscriptionArn=True)["SubscriptionArn"]
    [mail] = smtp.wait_for(address, 1)
    if protocol == "email-json":
        body = json.loads(mail.body)
        sns.confirm_subscription(TopicArn=topic, Token=body["Token"])
    else:
        r = requests.get(_confirm_link(mail, herald), timeout=10)
        assert r.status_code == 200, r.text
    assert sns.get_subscription_attributes(SubscriptionArn=arn)["Attributes"]["PendingConfirmation"] == "false"
    smtp.clear()
    return arn


def test_confirmation_email_carries_a_link_that_confirms(sns_smtp, smtp_receiver, herald_smtp):
    sns = sns_smtp
    topic = sns.create_topic(Name="mail", Attributes={"DisplayName": "Mail Topic"})["TopicArn"]
    resp = sns.subscribe(TopicArn=topic, Protocol="email", Endpoint="alice@example.com")
    assert resp["SubscriptionArn"] == "pending confirmation"
    [mail] = smtp_receiver.wait_for("alice@example.com", 1)
    assert mail.rcpt_tos == ["alice@example.com"]
    assert "alice@example.com" in mail.to
    assert "confirmation" in mail.subject.lower(), mail.subject
    assert topic in mail.body
    listed = sns.list_subscriptions_by_topic(TopicArn=topic)["Subscriptions"]
    assert [(s["SubscriptionArn"], s["Protocol"], s["Endpoint"]) for s in listed] == \
        [("PendingConfirmation", "email", "alice@example.com")]

    r = requests.get(_confirm_link(mail, herald_smtp), timeout=10)
    assert r.status_code == 200, r.text
    [sub] = sns.list_subscriptions_by_topic(TopicArn=topic)["Subscriptions"]
    assert sub["SubscriptionArn"].startswith(topic + ":")
    a = sns.get_subscription_attributes(SubscriptionArn=sub["SubscriptionArn"])["Attributes"]
    assert a["PendingConfirmation"] == "false"
    assert a["Protocol"] == "email"


def test_notification_email_has_subject_and_message(sns_smtp, smtp_receiver, herald_smtp):
    sns = sns_smtp
    topic = sns.create_topic(Name="mail-note", Attributes={"DisplayName": "Build Bot"})["TopicArn"]
    _subscribe_and_confirm(sns, smtp_receiver, herald_smtp, topic, "bob@example.com")
    sns.publish(TopicArn=topic, Message="The build is green.\nAll 42 tests passed.", Subject="Build report")
    [mail] = smtp_receiver.wait_for("bob@example.com", 1)
    assert mail.rcpt_tos == ["bob@example.com"]
    assert mail.subject == "Build report"
    # The topic's DisplayName is the sender's name on email notifications.
    assert "Build Bot" in str(mail.message.get("From", "")), mail.message.get("From")
    assert "The build is green." in mail.body
    assert "All 42 tests passed." in mail.body


def test_notification_email_unsubscribe_link_works(sns_smtp, smtp_receiver, herald_smtp):
    sns = sns_smtp
    topic = sns.create_topic(Name="mail-unsub")["TopicArn"]
    arn = _subscribe_and_confirm(sns, smtp_receiver, herald_smtp, topic, "carol@example.com")
    sns.publish(TopicArn=topic, Message="first", Subject="one")
    [mail] = smtp_receiver.wait_for("carol@example.com", 1)
    links = [u for u in _herald_links(mail, herald_smtp) if "unsubscribe" in u.lower()]
    assert links, f"no unsubscribe link in {mail.body!r}"
    assert requests.get(links[0], timeout=10).status_code == 200
    assert arn not in [s["SubscriptionArn"] for s in sns.list_subscriptions()["Subscriptions"]]


def test_email_json_delivers_the_json_envelope(sns_smtp, smtp_receiver, herald_smtp):
    sns = sns_smtp
    topic = sns.create_topic(Name="mail-json")["TopicArn"]
    resp = sns.subscribe(TopicArn=topic, Protocol="email-json", Endpoint="dave@example.com")
    assert resp["SubscriptionArn"] == "pending confirmation"
    [conf] = smtp_receiver.wait_for("dave@example.com", 1)
    c = json.loads(conf.body)
    assert c["Type"] == "SubscriptionConfirmation"
    assert c["TopicArn"] == topic
    assert urlsplit(c["SubscribeURL"]).netloc == urlsplit(herald_smtp.endpoint).netloc
    assert requests.get(c["SubscribeURL"], timeout=10).status_code == 200
    smtp_receiver.clear()

    mid = sns.publish(TopicArn=topic, Message="as json", Subject="JSON mail",
                      MessageAttributes={"k": {"DataType": "String", "StringValue": "v"}})["MessageId"]
    [mail] = smtp_receiver.wait_for("dave@example.com", 1)
    env = json.loads(mail.body)
    assert env["Type"] == "Notification"
    assert env["MessageId"] == mid
    assert env["TopicArn"] == topic
    assert env["Subject"] == "JSON mail"
    assert env["Message"] == "as json"
    assert env["MessageAttributes"] == {"k": {"Type": "String", "Value": "v"}}
    assert env["SignatureVersion"] in ("1", "2") and env["Signature"]


def test_email_structure_json_selects_email_message(sns_smtp, smtp_receiver, herald_smtp):
    sns = sns_smtp
    topic = sns.create_topic(Name="mail-structured")["TopicArn"]
    _subscribe_and_confirm(sns, smtp_receiver, herald_smtp, topic, "erin@example.com")
    sns.publish(TopicArn=topic, MessageStructure="json", Subject="s",
                Message=json.dumps({"default": "generic text", "email": "text for email readers"}))
    [mail] = smtp_receiver.wait_for("erin@example.com", 1)
    assert "text for email readers" in mail.body
    assert "generic text" not in mail.body


def test_pending_email_subscription_gets_no_notifications(sns_smtp, smtp_receiver):
    sns = sns_smtp
    topic = sns.create_topic(Name="mail-pending")["TopicArn"]
    sns.subscribe(TopicArn=topic, Protocol="email", Endpoint="frank@example.com")
    smtp_receiver.wait_for("frank@example.com", 1)
    sns.publish(TopicArn=topic, Message="not yet", Subject="x")
    time.sleep(1.5)
    assert len(smtp_receiver.to("frank@example.com")) == 1  # only the confirmation


def test_email_rules(sns_smtp, smtp_receiver, herald_smtp):
    sns = sns_smtp
    topic = sns.create_topic(Name="mail-rules")["TopicArn"]
    with raises_aws("InvalidParameter"):
        sns.subscribe(TopicArn=topic, Protocol="email", Endpoint="not-an-address")
    # Raw delivery is for sqs, http/s and firehose only.
    arn = _subscribe_and_confirm(sns, smtp_receiver, herald_smtp, topic, "grace@example.com")
    with raises_aws("InvalidParameter"):
        sns.set_subscription_attributes(SubscriptionArn=arn, AttributeName="RawMessageDelivery",
                                        AttributeValue="true")


def test_smtp_relay_credentials_are_used(tmp_path):
    """`--smtp-url smtp://user:password@host:port` logs in to the relay before sending."""
    from herald_compat import HeraldServer, make_sns_client
    from sns_receivers import SmtpReceiver

    relay = SmtpReceiver(credentials=("herald", "s3cret")).start()
    server = HeraldServer(tmp_path / "smtp-auth", extra_args=["--smtp-url", f"smtp://herald:s3cret@127.0.0.1:{relay.port}"])
    try:
        server.start()
        sns = make_sns_client(server.endpoint)
        topic = sns.create_topic(Name="mail-auth")["TopicArn"]
        sns.subscribe(TopicArn=topic, Protocol="email", Endpoint="heidi@example.com")
        [mail] = relay.wait_for("heidi@example.com", 1)
        assert topic in mail.body
        assert ("herald", "s3cret", True) in relay.logins
    finally:
        server.stop()
        relay.stop()
