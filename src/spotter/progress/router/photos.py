from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated, Any

from fastapi import File, Form, Query, Request, Response, UploadFile

from spotter.clients.dependencies import Caller
from spotter.core.bodylimit import accept_uploads
from spotter.core.db import DbSession
from spotter.core.pagination import Pages
from spotter.core.schemas import Page
from spotter.progress import service
from spotter.progress.dependencies import ProgressReadable, ProgressWritable
from spotter.progress.present import photo_response
from spotter.progress.router.routes import router
from spotter.progress.schemas import PhotoCompare, PhotoOut, Pose

accept_uploads("/api/v1/clients/{client_id}/photos")


@router.post("/clients/{client_id}/photos", response_model=PhotoOut, status_code=201)
async def upload_photo(
    session: DbSession,
    principal: Caller,
    client: ProgressWritable,
    file: Annotated[UploadFile, File(description="JPEG, PNG or WebP, up to 15 MiB")],
    pose: Annotated[Pose, Form()],
    taken_on: Annotated[date, Form()],
    note: Annotated[str | None, Form(max_length=500)] = None,
) -> PhotoOut:
    """A progress photo (multipart form). The image is decoded to check what it really
    is, turned upright, stripped of all metadata (EXIF with GPS, XMP, ...), re-encoded
    as JPEG and given a thumbnail. Its files are served only through the routes below."""
    row = await service.upload_photo(
        session,
        principal=principal,
        client=client,
        data=await file.read(),
        pose=pose,
        taken_on=taken_on,
        note=note,
    )
    return service.photo_out(row)


@router.get("/clients/{client_id}/photos", response_model=Page[PhotoOut])
async def list_photos(
    session: DbSession, client: ProgressReadable, params: Pages, pose: Pose | None = None
) -> Page[PhotoOut]:
    """Newest first; ``pose`` filters."""
    items, cursor = await service.list_photos(session, client=client, params=params, pose=pose)
    return Page(items=items, next_cursor=cursor)


@router.get("/clients/{client_id}/photos/compare", response_model=PhotoCompare)
async def compare_photos(
    session: DbSession,
    client: ProgressReadable,
    pose: Pose = Pose.FRONT,
    before_on: Annotated[date | None, Query(alias="from")] = None,
    after_on: Annotated[date | None, Query(alias="to")] = None,
) -> PhotoCompare:
    """Side by side: the photos of ``pose`` nearest two dates (default: the first and
    the latest), with the body weight on each day."""
    return await service.compare_photos(
        session, client=client, pose=pose, before_on=before_on, after_on=after_on
    )


@router.get("/clients/{client_id}/photos/{photo_id}", response_model=PhotoOut)
async def get_photo(session: DbSession, client: ProgressReadable, photo_id: uuid.UUID) -> PhotoOut:
    return service.photo_out(await service.get_photo(session, client=client, photo_id=photo_id))


IMAGE: dict[int | str, dict[str, Any]] = {
    200: {"content": {"image/jpeg": {}}, "description": "The image"},
    304: {},
}


@router.get(
    "/clients/{client_id}/photos/{photo_id}/image", response_class=Response, responses=IMAGE
)
async def photo_image(
    request: Request, session: DbSession, client: ProgressReadable, photo_id: uuid.UUID
) -> Response:
    return await photo_response(request, session, client=client, photo_id=photo_id, thumbnail=False)


@router.get(
    "/clients/{client_id}/photos/{photo_id}/thumbnail", response_class=Response, responses=IMAGE
)
async def photo_thumbnail(
    request: Request, session: DbSession, client: ProgressReadable, photo_id: uuid.UUID
) -> Response:
    return await photo_response(request, session, client=client, photo_id=photo_id, thumbnail=True)


@router.delete("/clients/{client_id}/photos/{photo_id}", status_code=204)
async def delete_photo(
    session: DbSession, client: ProgressWritable, photo_id: uuid.UUID
) -> Response:
    """Deletes the photo and, once that is committed, its files."""
    await service.delete_photo(session, client=client, photo_id=photo_id)
    return Response(status_code=204)
