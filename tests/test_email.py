"""Email delivery: the SMTP backend against a real SMTP server on loopback (aiosmtpd), and
the embedded file backend that writes readable ``.eml`` files atomically."""

from __future__ import annotations

import email
import os
import socket
from collections.abc import Iterator
from email.policy import default
from pathlib import Path
from typing import Any

import anyio
import pytest

from spotter.config import EmailSettings, get_settings
from spotter.core import email as mail
from tests.builders import PASSWORD, make_owner, unique_email

pytestmark = pytest.mark.smtp


class Inbox:
    """An aiosmtpd handler that keeps what it receives."""

    def __init__(self) -> None:
        self.envelopes: list[Any] = []
        self.logins: list[tuple[bytes, bytes]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"

    def messages(self) -> list[email.message.EmailMessage]:
        return [
            email.message_from_bytes(e.content, policy=default)  # type: ignore[misc]
            for e in self.envelopes
        ]

    def authenticate(
        self, server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any
    ) -> Any:
        from aiosmtpd.smtp import AuthResult, LoginPassword

        ok = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (
            b"mailer",
            b"s3cret",
        )
        if ok:
            self.logins.append((auth_data.login, auth_data.password))
        return AuthResult(success=ok)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp_server() -> Iterator[tuple[Inbox, int]]:
    from aiosmtpd.controller import Controller

    inbox = Inbox()
    port = _free_port()
    controller = Controller(
        inbox,
        hostname="127.0.0.1",
        port=port,
        authenticator=inbox.authenticate,
        auth_require_tls=False,
    )
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


@pytest.fixture
def smtp_settings(smtp_server) -> Iterator[tuple[Inbox, int]]:
    """The app configured, through its environment, to send mail over SMTP."""
    inbox, port = smtp_server
    env = {
        "SPOTTER_EMAIL__BACKEND": "smtp",
        "SPOTTER_EMAIL__SMTP_HOST": "127.0.0.1",
        "SPOTTER_EMAIL__SMTP_PORT": str(port),
        "SPOTTER_EMAIL__SMTP_USERNAME": "mailer",
        "SPOTTER_EMAIL__SMTP_PASSWORD": "s3cret",
        "SPOTTER_EMAIL__SENDER": "Spotter Test <noreply@spotter.test>",
    }
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    get_settings.cache_clear()
    try:
        assert get_settings().email.backend == "smtp"
        yield inbox, port
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        get_settings.cache_clear()


async def test_smtp_backend_delivers_to_a_real_server(smtp_server):
    inbox, port = smtp_server
    backend = mail.SmtpBackend(
        EmailSettings(smtp_host="127.0.0.1", smtp_port=port, smtp_timeout_seconds=5)
    )
    message = mail.build(
        to="kim@example.com",
        subject="Hello from Spotter",
        text="Plain words.",
        html="<p>Rich words.</p>",
    )
    await backend.deliver(message)
    (envelope,) = inbox.envelopes
    assert envelope.rcpt_tos == ["kim@example.com"]
    (received,) = inbox.messages()
    assert received["Subject"] == "Hello from Spotter"
    assert received.get_body(("plain",)).get_content().strip() == "Plain words."
    assert "Rich words." in received.get_body(("html",)).get_content()
    assert received["Message-ID"] and received["Date"]


async def test_invitation_email_reaches_the_smtp_server_with_a_working_link(client, smtp_settings):
    inbox, _ = smtp_settings
    owner = await make_owner(client, org_name="Mail Room Gym")
    inbox.envelopes.clear()  # the owner's own verification email
    address = unique_email("invitee")
    r = await client.post(
        "/api/v1/invitations", headers=owner.headers, json={"email": address, "role": "trainer"}
    )
    assert r.status_code == 201, r.text

    (envelope,) = inbox.envelopes
    assert envelope.rcpt_tos == [address]
    assert envelope.mail_from == "noreply@spotter.test"
    assert inbox.logins and set(inbox.logins) == {(b"mailer", b"s3cret")}
    (message,) = inbox.messages()
    assert message["To"] == address and "Mail Room Gym" in message["Subject"]
    text = message.get_body(("plain",)).get_content()
    link = next(word for word in text.split() if "/invitations/" in word)
    assert link.startswith(get_settings().base_url + "/invitations/")
    token = link.rsplit("/", 1)[1]
    accepted = await client.post(
        "/api/v1/invitations/accept",
        json={"token": token, "password": PASSWORD, "full_name": "Ivy Invitee"},
    )
    assert accepted.status_code == 200, accepted.text


async def test_a_dead_smtp_server_does_not_fail_the_request(client, smtp_settings, monkeypatch):
    # Delivery is a job after the commit: the invitation exists even if mail is down.
    monkeypatch.setenv("SPOTTER_EMAIL__SMTP_PORT", str(_free_port()))
    get_settings.cache_clear()
    owner = await make_owner(client)
    r = await client.post(
        "/api/v1/invitations",
        headers=owner.headers,
        json={"email": unique_email(), "role": "front_desk"},
    )
    assert r.status_code == 201
    listed = (await client.get("/api/v1/invitations", headers=owner.headers)).json()
    assert [i["id"] for i in listed] == [r.json()["id"]]


# --- the file backend ----------------------------------------------------------------------


async def test_file_backend_writes_a_readable_eml(tmp_path):
    backend = mail.FileBackend(tmp_path / "outbox")
    await backend.deliver(
        mail.build(
            to="lee@example.com", subject="Readable", text="Ünïcode text survives.\nLine two."
        )
    )
    files = list((tmp_path / "outbox").iterdir())
    assert len(files) == 1 and files[0].suffix == ".eml"
    message = email.message_from_bytes(files[0].read_bytes(), policy=default)
    assert message["To"] == "lee@example.com" and message["Subject"] == "Readable"
    assert message.get_body(("plain",)).get_content() == "Ünïcode text survives.\nLine two.\n"


async def test_file_backend_never_shows_half_a_message(tmp_path, monkeypatch):
    outbox = tmp_path / "outbox"
    seen_while_writing: list[tuple[str, list[str]]] = []
    real_write = anyio.Path.write_bytes

    async def watching_write(self: anyio.Path, data: bytes) -> int:
        seen_while_writing.append((self.name, sorted(p.name for p in outbox.glob("*.eml"))))
        return await real_write(self, data)

    monkeypatch.setattr(anyio.Path, "write_bytes", watching_write)
    backend = mail.FileBackend(outbox)
    await backend.deliver(mail.build(to="a@example.com", subject="One", text="1"))
    ((written, visible),) = seen_while_writing
    assert written.endswith(".eml.tmp") and visible == []  # written aside, then renamed
    assert [p.suffix for p in outbox.iterdir()] == [".eml"]

    # A write that dies half way leaves no .eml for a reader to pick up.
    async def dying_write(self: anyio.Path, data: bytes) -> int:
        await real_write(self, data[: len(data) // 2])
        raise OSError("disk full")

    monkeypatch.setattr(anyio.Path, "write_bytes", dying_write)
    with pytest.raises(OSError):
        await backend.deliver(mail.build(to="b@example.com", subject="Two", text="2"))
    assert len(list(outbox.glob("*.eml"))) == 1


async def test_default_backend_is_the_outbox_folder(client, outbox: Path):
    assert get_settings().email.backend == "file"
    assert isinstance(mail.backend(), mail.FileBackend)
    owner = await make_owner(client)
    assert any(owner.email in p.read_text() for p in outbox.glob("*.eml"))
