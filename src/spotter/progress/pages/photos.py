"""The photo gallery (pose filter, "Load more"), upload from a phone's camera, the
side-by-side comparison, and the image routes the pages use (authorised by the session
cookie: there is no public path to a photo)."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated, Any

from fastapi import Query, Request
from fastapi.responses import Response
from pydantic import TypeAdapter, ValidationError
from starlette.datastructures import UploadFile

from spotter.core.bodylimit import accept_uploads
from spotter.core.db import DbSession
from spotter.core.errors import field_error
from spotter.core.pagination import PageParams
from spotter.core.units import format_quantity
from spotter.progress import service
from spotter.progress.pages.common import (
    PAGE_SIZE,
    Cursor,
    ProgressUser,
    header,
    router,
    the_client,
)
from spotter.progress.present import photo_response
from spotter.progress.schemas import Pose
from spotter.web import FORM_ERRORS, redirect, render, render_form

POSES = [(p.value, p.value.capitalize()) for p in Pose]
accept_uploads("/progress/clients/{client_id}/photos")


def _pose(value: str | None) -> Pose | None:
    try:
        return Pose(value) if value else None
    except ValueError:
        return None


async def gallery(
    session: Any, principal: Any, client: Any, *, pose: str = "", cursor: str = ""
) -> dict[str, Any]:
    photos, next_cursor = await service.list_photos(
        session,
        client=client,
        params=PageParams(cursor=cursor or None, limit=PAGE_SIZE),
        pose=_pose(pose),
    )
    return {
        **header(principal, client, "photos"),
        "photos": photos,
        "next_cursor": next_cursor,
        "pose": pose if _pose(pose) else "",
        "poses": POSES,
        "today": service.client_today(client, principal.organization.timezone),
    }


@router.get("/progress/clients/{client_id}/photos")
async def photos_page(
    request: Request,
    session: DbSession,
    principal: ProgressUser,
    client_id: uuid.UUID,
    pose: Annotated[str, Query(max_length=10)] = "",
    cursor: Cursor = "",
) -> Response:
    client = await the_client(session, principal, client_id)
    context = await gallery(session, principal, client, pose=pose, cursor=cursor)
    if cursor and request.headers.get("hx-request"):
        return render(request, "progress/_photo_cards.html", {**context, "appending": True})
    form = {"pose": context["pose"] or "front", "taken_on": context["today"]}
    return render(request, "progress/photos.html", {**context, "form": form})


async def uploaded(request: Request) -> tuple[dict[str, str], bytes | None]:
    """The text fields and the file of a multipart form."""
    form = await request.form()
    fields = {k: v for k, v in form.items() if isinstance(v, str) and k != "csrf_token"}
    file = form.get("file")
    data = await file.read() if isinstance(file, UploadFile) and file.filename else None
    return fields, data


@router.post("/progress/clients/{client_id}/photos")
async def upload(
    request: Request, session: DbSession, principal: ProgressUser, client_id: uuid.UUID
) -> Response:
    client = await the_client(session, principal, client_id)
    fields, data = await uploaded(request)
    try:
        async with session.begin_nested():
            if data is None:
                raise field_error("file", "Choose a photo to upload.")
            await service.upload_photo(
                session,
                principal=principal,
                client=client,
                data=data,
                pose=TypeAdapter(Pose).validate_python(fields.get("pose")),
                taken_on=TypeAdapter(date).validate_python(fields.get("taken_on")),
                note=(fields.get("note") or "").strip()[:500] or None,
            )
    except FORM_ERRORS as exc:
        context = await gallery(session, principal, client)
        rename = {"": "pose"} if isinstance(exc, ValidationError) else None
        return render_form(
            request, "progress/photos.html", exc, form=fields, context=context, rename=rename
        )
    return redirect(request, f"/progress/clients/{client_id}/photos", "Photo saved.")


@router.post("/progress/clients/{client_id}/photos/{photo_id}/delete")
async def delete(
    request: Request,
    session: DbSession,
    principal: ProgressUser,
    client_id: uuid.UUID,
    photo_id: uuid.UUID,
) -> Response:
    client = await the_client(session, principal, client_id)
    await service.delete_photo(session, client=client, photo_id=photo_id)
    return redirect(request, f"/progress/clients/{client_id}/photos", "Photo deleted.")


@router.get("/progress/clients/{client_id}/photos/compare")
async def compare_page(
    request: Request,
    session: DbSession,
    principal: ProgressUser,
    client_id: uuid.UUID,
    pose: Pose = Pose.FRONT,
    before_on: Annotated[date | None, Query(alias="from")] = None,
    after_on: Annotated[date | None, Query(alias="to")] = None,
) -> Response:
    client = await the_client(session, principal, client_id)
    found = await service.compare_photos(
        session, client=client, pose=pose, before_on=before_on, after_on=after_on
    )
    head = header(principal, client, "photos")
    system = head["system"]

    def weight(kg: float | None, sign: bool = False) -> str | None:
        if kg is None:
            return None
        return ("+" if sign and kg > 0 else "") + format_quantity(kg, "kg", system)

    shown = {
        "before": weight(found.before.body_weight_kg),
        "after": weight(found.after.body_weight_kg),
        "change": weight(found.body_weight_change_kg, sign=True),
    }
    context = {**head, "c": found, "poses": POSES, "weights": shown}
    return render(request, "progress/compare.html", context)


@router.get("/progress/clients/{client_id}/photos/{photo_id}/image")
async def image(
    request: Request,
    session: DbSession,
    principal: ProgressUser,
    client_id: uuid.UUID,
    photo_id: uuid.UUID,
) -> Response:
    client = await the_client(session, principal, client_id)
    return await photo_response(request, session, client=client, photo_id=photo_id, thumbnail=False)


@router.get("/progress/clients/{client_id}/photos/{photo_id}/thumbnail")
async def thumbnail(
    request: Request,
    session: DbSession,
    principal: ProgressUser,
    client_id: uuid.UUID,
    photo_id: uuid.UUID,
) -> Response:
    client = await the_client(session, principal, client_id)
    return await photo_response(request, session, client=client, photo_id=photo_id, thumbnail=True)
