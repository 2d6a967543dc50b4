"""Development helpers. ``/dev/outbox`` lists the emails the embedded backend wrote under
``<data_dir>/outbox`` so a new user can click their invitation link. Not in production."""

from __future__ import annotations

import email
import re
from email.message import EmailMessage
from email.policy import default
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

import anyio
from fastapi import Depends, Request
from fastapi.responses import Response
from markupsafe import Markup, escape

from spotter.config import get_settings
from spotter.core.errors import NotFound
from spotter.core.routing import Router
from spotter.web import MaybePageUser, render

MAX_LISTED = 200
_NAME = re.compile(r"^[0-9A-Za-z_-]{1,80}\.eml$")
_URL = re.compile(r"https?://[^\s<>\"]+")


async def development_only() -> None:
    if get_settings().is_production:
        raise NotFound()


router = Router(prefix="/dev", dependencies=[Depends(development_only)])


def _read(path: Path) -> EmailMessage:
    return email.message_from_bytes(path.read_bytes(), policy=default)  # type: ignore[return-value]


def _summary(path: Path) -> dict[str, Any] | None:
    try:
        message = _read(path)
    except OSError:  # removed while listing
        return None
    try:
        sent = parsedate_to_datetime(message["Date"]) if message["Date"] else None
    except (TypeError, ValueError):
        sent = None
    return {
        "name": path.name,
        "to": message["To"] or "",
        "subject": message["Subject"] or "",
        "sent": sent,
    }


def _list(directory: Path) -> list[dict[str, Any]]:
    if not directory.is_dir():
        return []
    # File names start with the UTC time they were written: name order is time order.
    paths = sorted(directory.glob("*.eml"), key=lambda p: p.name, reverse=True)[:MAX_LISTED]
    return [s for s in (_summary(p) for p in paths) if s is not None]


def linkify(text: str) -> Markup:
    """The text, escaped, with its web links made clickable."""
    parts: list[Markup] = []
    last = 0
    for match in _URL.finditer(text):
        parts.append(escape(text[last : match.start()]))
        parts.append(Markup('<a href="{0}">{0}</a>').format(match.group(0)))
        last = match.end()
    parts.append(escape(text[last:]))
    return Markup("").join(parts)


def _message(directory: Path, name: str) -> dict[str, Any]:
    path = directory / name
    if not _NAME.match(name) or not path.is_file():
        raise NotFound("No such message in the outbox")
    message = _read(path)
    body = message.get_body(preferencelist=("plain", "html"))
    text = body.get_content() if body is not None else ""
    summary = _summary(path) or {}
    return {**summary, "from": message["From"] or "", "body": linkify(text)}


@router.get("/outbox")
async def outbox(request: Request, principal: MaybePageUser) -> Response:
    directory = get_settings().outbox_dir
    messages = await anyio.to_thread.run_sync(_list, directory)
    return render(request, "dev/outbox.html", {"messages": messages, "directory": directory})


@router.get("/outbox/{name}")
async def outbox_message(request: Request, principal: MaybePageUser, name: str) -> Response:
    message = await anyio.to_thread.run_sync(_message, get_settings().outbox_dir, name)
    return render(request, "dev/message.html", {"message": message})
