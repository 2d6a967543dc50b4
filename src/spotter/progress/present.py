"""Responses shared by the API and the pages."""

from __future__ import annotations

import uuid

from fastapi import Request
from fastapi.responses import Response
from sqlalchemy.ext.asyncio import AsyncSession

from spotter.clients.models import Client
from spotter.progress.imaging import CONTENT_TYPE
from spotter.progress.service.photos import PhotoFile, photo_file


async def photo_response(
    request: Request,
    session: AsyncSession,
    *,
    client: Client,
    photo_id: uuid.UUID,
    thumbnail: bool,
) -> Response:
    """A photo's image or thumbnail for a caller already allowed to see ``client``."""
    found = await photo_file(
        session,
        client=client,
        photo_id=photo_id,
        thumbnail=thumbnail,
        if_none_match=request.headers.get("if-none-match"),
    )
    return image_response(found)


def image_response(found: PhotoFile) -> Response:
    """A photo file: private to the browser that asked (never a shared cache), revalidated
    by ETag; ``nosniff`` so it is only ever an image."""
    headers = {
        "ETag": found.etag,
        "Cache-Control": "private, max-age=3600",
        "Content-Disposition": f'inline; filename="{found.filename}"',
        "X-Content-Type-Options": "nosniff",
    }
    if found.content is None:
        return Response(status_code=304, headers=headers)
    return Response(found.content, media_type=CONTENT_TYPE, headers=headers)


def csv_response(text: str, filename: str) -> Response:
    return Response(
        text,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
