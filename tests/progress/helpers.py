"""Builders for progress tests (through the public API)."""

from __future__ import annotations

import io
from datetime import date, timedelta
from typing import Any

import httpx
from PIL import Image

from spotter.core.db import utcnow
from tests.builders import Account

API = "/api/v1"


def today() -> date:
    return utcnow().date()


def days_ago(n: int) -> str:
    return (today() - timedelta(days=n)).isoformat()


async def measure(
    client: httpx.AsyncClient,
    actor: Account | dict[str, str],
    client_id: str,
    *,
    on: str | None = None,
    **values: Any,
) -> httpx.Response:
    """``measure(c, actor, id, body_weight=80, waist=(32, "in"))``: one day's entries."""
    entries = []
    for metric, value in values.items():
        if isinstance(value, tuple):
            entries.append({"metric": metric, "value": value[0], "unit": value[1]})
        else:
            entries.append({"metric": metric, "value": value})
    headers = actor if isinstance(actor, dict) else actor.headers
    return await client.post(
        f"{API}/clients/{client_id}/measurements",
        headers=headers,
        json={"measured_on": on or today().isoformat(), "entries": entries},
    )


def jpeg(
    width: int = 320,
    height: int = 480,
    *,
    color: tuple[int, int, int] = (200, 120, 90),
    **save: Any,
) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), color).save(out, "JPEG", **save)
    return out.getvalue()


async def upload(
    client: httpx.AsyncClient,
    actor: Account | dict[str, str],
    client_id: str,
    *,
    content: bytes | None = None,
    filename: str = "photo.jpg",
    content_type: str = "image/jpeg",
    pose: str = "front",
    taken_on: str | None = None,
    **form: str,
) -> httpx.Response:
    headers = actor if isinstance(actor, dict) else actor.headers
    return await client.post(
        f"{API}/clients/{client_id}/photos",
        headers=headers,
        files={"file": (filename, content if content is not None else jpeg(), content_type)},
        data={"pose": pose, "taken_on": taken_on or today().isoformat(), **form},
    )
