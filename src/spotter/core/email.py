"""Email delivery: an interface with an SMTP backend and an embedded default that writes
``.eml`` files under ``<data_dir>/outbox`` (listed at ``/dev/outbox`` in development).

Code calls ``send(session, ...)``: the message is built now and delivered by a job after
the request commits, so a rolled-back request never sends mail.
"""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid, parseaddr
from pathlib import Path
from typing import Any, Protocol

import anyio
import structlog

from spotter.config import EmailSettings, get_settings
from spotter.core import jobs
from spotter.core.db import new_id, utcnow

log = structlog.get_logger("spotter.email")


class EmailBackend(Protocol):
    async def deliver(self, message: EmailMessage) -> None: ...


class FileBackend:
    """Writes each message to ``<dir>/<time>-<id>.eml``: readable by any mail client."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    async def deliver(self, message: EmailMessage) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        name = f"{utcnow():%Y%m%dT%H%M%S%f}-{new_id().hex[:8]}.eml"
        tmp = self.directory / (name + ".tmp")
        await anyio.Path(tmp).write_bytes(bytes(message))
        tmp.rename(self.directory / name)  # atomic: a reader never sees half a message


class SmtpBackend:
    def __init__(self, settings: EmailSettings) -> None:
        self.settings = settings

    def _send(self, message: EmailMessage) -> None:
        s = self.settings
        with smtplib.SMTP(s.smtp_host, s.smtp_port, timeout=s.smtp_timeout_seconds) as smtp:
            if s.smtp_starttls:
                smtp.starttls(context=ssl.create_default_context())
            if s.smtp_username and s.smtp_password:
                smtp.login(s.smtp_username, s.smtp_password)
            smtp.send_message(message)

    async def deliver(self, message: EmailMessage) -> None:
        await anyio.to_thread.run_sync(self._send, message)


def backend() -> EmailBackend:
    settings = get_settings()
    if settings.email.backend == "smtp":
        return SmtpBackend(settings.email)
    return FileBackend(settings.outbox_dir)


def build(*, to: str, subject: str, text: str, html: str | None = None) -> EmailMessage:
    sender = get_settings().email.sender
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = format_datetime(utcnow())
    domain = parseaddr(sender)[1].rpartition("@")[2] or "spotter.local"
    message["Message-ID"] = make_msgid(domain=domain)
    message.set_content(text)
    if html:
        message.add_alternative(html, subtype="html")
    return message


@jobs.job("email.deliver", retries=4, backoff_seconds=5.0)
async def deliver_email(*, raw: str) -> None:
    from email import message_from_string
    from email.policy import default

    message: Any = message_from_string(raw, policy=default)
    await backend().deliver(message)
    log.info("email_sent", subject=message["Subject"])


def send(session: Any, *, to: str, subject: str, text: str, html: str | None = None) -> None:
    """Queue an email for delivery after ``session`` commits."""
    message = build(to=to, subject=subject, text=text, html=html)
    jobs.enqueue(session, deliver_email, raw=message.as_string())
