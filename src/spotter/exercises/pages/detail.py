"""One exercise: what it is, the organization's version of it (saved and removed here,
``exercises:write``, through ``exercises.service``), and its substitutions, optionally
limited to the equipment a chosen client has."""

from __future__ import annotations

import uuid
from typing import Annotated, Any
from urllib.parse import urlsplit

from fastapi import Query, Request
from fastapi.responses import Response
from sqlalchemy.ext.asyncio import AsyncSession

from spotter.clients import service as clients
from spotter.core.db import DbSession
from spotter.core.errors import field_error
from spotter.core.pagination import PageParams
from spotter.exercises import service as exercises
from spotter.exercises.index import Entry
from spotter.exercises.pages.common import (
    ExercisesRead,
    ExercisesWrite,
    lines,
    router,
    vocabulary,
)
from spotter.exercises.schemas import OverrideIn
from spotter.identity.dependencies import Principal
from spotter.web import FORM_ERRORS, blank_to_none, read_form, redirect, render, render_form

SUBSTITUTES = 10


def override_form(entry: Entry) -> dict[str, Any]:
    """The override form as the exercise is now (the library's name when not renamed)."""
    return {
        "name": entry.name,
        "video_url": entry.video_url or "",
        "cues": "\n".join(entry.cues),
        "notes": entry.notes or "",
    }


async def detail_context(
    session: AsyncSession, principal: Principal, exercise_id: uuid.UUID
) -> dict[str, Any]:
    entry = await exercises.get_exercise(session, exercise_id=exercise_id)
    vocab = await vocabulary(session)
    video_host = urlsplit(entry.video_url).hostname if entry.video_url else None
    return {
        **vocab.as_context(),
        "e": entry,
        "video_host": video_host,
        "can_write": principal.can("exercises:write"),
        "override_form": override_form(entry),
        **await substitutes_context(session, principal, entry.id),
    }


async def substitutes_context(
    session: AsyncSession,
    principal: Principal,
    exercise_id: uuid.UUID,
    *,
    client_id: uuid.UUID | None = None,
    cursor: str = "",
) -> dict[str, Any]:
    """Substitutions, limited to the client's equipment when one is chosen (bodyweight
    exercises always qualify); a client with no equipment recorded limits nothing."""
    client = None
    equipment: list[str] | None = None
    if client_id is not None:
        client = await clients.get_client(session, principal=principal, client_id=client_id)
        equipment = list(client.equipment or []) or None
    items, next_cursor = await exercises.substitutions(
        session,
        exercise_id=exercise_id,
        params=PageParams(cursor=cursor or None, limit=SUBSTITUTES),
        equipment=equipment,
    )
    return {
        "subs": items,
        "subs_cursor": next_cursor,
        "sub_client": client,
        "sub_equipment": equipment,
    }


@router.get("/exercises/{exercise_id}")
async def exercise_page(
    request: Request, session: DbSession, principal: ExercisesRead, exercise_id: uuid.UUID
) -> Response:
    context = await detail_context(session, principal, exercise_id)
    return render(request, "exercises/detail.html", {**context, "form": context["override_form"]})


@router.get("/exercises/{exercise_id}/substitutions")
async def substitutions(
    request: Request,
    session: DbSession,
    principal: ExercisesRead,
    exercise_id: uuid.UUID,
    client_id: Annotated[str, Query(max_length=40)] = "",
    cursor: Annotated[str, Query(max_length=500)] = "",
) -> Response:
    """HTML fragment: the substitutions list (for a client, and the next page)."""
    entry = await exercises.get_exercise(session, exercise_id=exercise_id)
    try:
        chosen = uuid.UUID(client_id) if client_id else None
    except ValueError:
        raise field_error("client_id", "Choose a client from the list.") from None
    context = await substitutes_context(
        session, principal, entry.id, client_id=chosen, cursor=cursor
    )
    names = (await vocabulary(session)).names
    context = {**context, "e": entry, "names": names, "appending": bool(cursor)}
    return render(request, "exercises/_substitutions.html", context)


@router.post("/exercises/{exercise_id}/override")
async def save_override(
    request: Request, session: DbSession, principal: ExercisesWrite, exercise_id: uuid.UUID
) -> Response:
    form = await read_form(request)
    data = blank_to_none(form, "name", "video_url", "notes")
    data["cues"] = lines(form.get("cues"))
    try:
        async with session.begin_nested():
            entry = await exercises.put_override(
                session, exercise_id=exercise_id, data=OverrideIn.model_validate(data)
            )
    except FORM_ERRORS as exc:
        context = await detail_context(session, principal, exercise_id)
        return render_form(
            request, "exercises/detail.html", exc, form=form, context={**context, "open": True}
        )
    message = f"{entry.name}: your organization's version was saved."
    return redirect(request, f"/exercises/{exercise_id}", message)


@router.post("/exercises/{exercise_id}/override/delete")
async def remove_override(
    request: Request, session: DbSession, principal: ExercisesWrite, exercise_id: uuid.UUID
) -> Response:
    await exercises.delete_override(session, exercise_id=exercise_id)
    entry = await exercises.get_exercise(session, exercise_id=exercise_id)
    message = f"{entry.name} is back to the library's version."
    return redirect(request, f"/exercises/{exercise_id}", message)
