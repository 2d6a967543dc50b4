"""Check-in pages: the client's weekly form (1-10 scales as big tap targets, a photo from
the camera, today's weight), their list, a check-in's thread; for staff, who has not
checked in this week, what awaits a reply, and the questions (per client or default)."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import Query, Request
from fastapi.responses import Response
from sqlalchemy.ext.asyncio import AsyncSession

from spotter.clients.models import Client
from spotter.core.bodylimit import accept_uploads
from spotter.core.db import DbSession
from spotter.core.pagination import PageParams
from spotter.core.units import format_quantity
from spotter.identity.dependencies import Principal
from spotter.progress import service
from spotter.progress.pages.common import (
    PAGE_SIZE,
    Cursor,
    ProgressUser,
    header,
    router,
    the_client,
)
from spotter.progress.pages.photos import uploaded
from spotter.progress.schemas import (
    SCALE_LABELS,
    CheckInFormIn,
    CheckInIn,
    DueState,
    MessageIn,
    Pose,
)
from spotter.web import FORM_ERRORS, page_require, read_form, redirect, render, render_form

StaffProgress = Annotated[Principal, page_require("progress:read")]
OrgManage = Annotated[Principal, page_require("org:manage")]
WEEKDAYS = [
    (1, "Monday"),
    (2, "Tuesday"),
    (3, "Wednesday"),
    (4, "Thursday"),
    (5, "Friday"),
    (6, "Saturday"),
    (7, "Sunday"),
]
accept_uploads("/progress/clients/{client_id}/checkins")


# --- the client's check-ins --------------------------------------------------------------


async def checkins_context(
    session: AsyncSession, principal: Principal, client: Client, cursor: str = ""
) -> dict[str, Any]:
    items, next_cursor = await service.list_check_ins(
        session, client=client, params=PageParams(cursor=cursor or None, limit=PAGE_SIZE)
    )
    return {
        **header(principal, client, "checkins"),
        "checkins": items,
        "next_cursor": next_cursor,
        "questions": await service.effective_form(session, client=client),
        "current": await service.current_check_in(session, principal=principal, client=client),
        "weekdays": dict(WEEKDAYS),
    }


@router.get("/progress/clients/{client_id}/checkins")
async def checkins_page(
    request: Request,
    session: DbSession,
    principal: ProgressUser,
    client_id: uuid.UUID,
    cursor: Cursor = "",
) -> Response:
    client = await the_client(session, principal, client_id)
    context = await checkins_context(session, principal, client, cursor)
    if cursor and request.headers.get("hx-request"):
        return render(request, "progress/_checkin_rows.html", {**context, "appending": True})
    return render(request, "progress/checkins.html", context)


def check_in_data(fields: dict[str, str], photo_id: uuid.UUID | None) -> dict[str, Any]:
    return {
        "scales": {
            k.removeprefix("scale:"): v for k, v in fields.items() if k.startswith("scale:")
        },
        "answers": {k.removeprefix("q:"): v for k, v in fields.items() if k.startswith("q:")},
        "weight": (fields.get("weight") or "").strip() or None,
        "photo_id": photo_id,
    }


@router.post("/progress/clients/{client_id}/checkins")
async def submit(
    request: Request, session: DbSession, principal: ProgressUser, client_id: uuid.UUID
) -> Response:
    """The client's weekly check-in; the optional photo is stored as a front progress
    photo of today, in the same savepoint (a refused check-in keeps no photo either)."""
    client = await the_client(session, principal, client_id)
    fields, photo = await uploaded(request)
    try:
        async with session.begin_nested():
            photo_id = None
            if photo is not None:
                today = service.client_today(client, principal.organization.timezone)
                row = await service.upload_photo(
                    session,
                    principal=principal,
                    client=client,
                    data=photo,
                    pose=Pose.FRONT,
                    taken_on=today,
                    note="Check-in",
                )
                photo_id = row.id
            data = CheckInIn.model_validate(check_in_data(fields, photo_id))
            done = await service.submit(session, principal=principal, client=client, data=data)
    except FORM_ERRORS as exc:
        context = await checkins_context(session, principal, client)
        return render_form(
            request,
            "progress/checkins.html",
            exc,
            form=fields,
            context=context,
            rename={"file": "photo", "photo_id": "photo"},
        )
    url = f"/progress/clients/{client_id}/checkins/{done.id}"
    return redirect(request, url, "Check-in sent. Your coach will reply here.")


async def thread_context(
    session: AsyncSession, principal: Principal, client: Client, check_in_id: uuid.UUID
) -> dict[str, Any]:
    check_in = await service.get_check_in(session, client=client, check_in_id=check_in_id)
    messages, _ = await service.list_messages(
        session, client=client, check_in_id=check_in_id, params=PageParams(limit=100)
    )
    photo = None
    if check_in.photo_id is not None:
        photo = service.photo_out(
            await service.get_photo(session, client=client, photo_id=check_in.photo_id)
        )
    head = header(principal, client, "checkins")
    weight = check_in.weight_kg
    return {
        **head,
        "c": check_in,
        "weight": format_quantity(weight, "kg", head["system"]) if weight is not None else None,
        "messages": messages,
        "photo": photo,
        "scale_labels": {str(k): v for k, v in SCALE_LABELS.items()},
    }


@router.get("/progress/clients/{client_id}/checkins/{checkin_id}")
async def thread_page(
    request: Request,
    session: DbSession,
    principal: ProgressUser,
    client_id: uuid.UUID,
    checkin_id: uuid.UUID,
) -> Response:
    client = await the_client(session, principal, client_id)
    context = await thread_context(session, principal, client, checkin_id)
    return render(request, "progress/checkin.html", context)


@router.post("/progress/clients/{client_id}/checkins/{checkin_id}/messages")
async def reply(
    request: Request,
    session: DbSession,
    principal: ProgressUser,
    client_id: uuid.UUID,
    checkin_id: uuid.UUID,
) -> Response:
    form = await read_form(request)
    client = await the_client(session, principal, client_id)
    try:
        async with session.begin_nested():
            sent = await service.post_message(
                session,
                principal=principal,
                client=client,
                check_in_id=checkin_id,
                data=MessageIn.model_validate(form),
            )
    except FORM_ERRORS as exc:
        context = await thread_context(session, principal, client, checkin_id)
        return render_form(request, "progress/checkin.html", exc, form=form, context=context)
    url = f"/progress/clients/{client_id}/checkins/{checkin_id}#m-{sent.id}"
    return redirect(request, url, "Reply sent.")


# --- the questions -------------------------------------------------------------------------


def form_data(form: dict[str, Any]) -> dict[str, Any]:
    return {
        "scales": form.get("scales") or [],
        "questions": [q.strip() for q in (form.get("questions") or "").splitlines() if q.strip()],
        "ask_photo": form.get("ask_photo") == "on",
        "ask_weight": form.get("ask_weight") == "on",
        "due_weekday": form.get("due_weekday") or 7,
    }


def settings_form(questions: Any) -> dict[str, Any]:
    return {
        "scales": [str(s) for s in questions.scales],
        "questions": "\n".join(q.label for q in questions.questions),
        "ask_photo": "on" if questions.ask_photo else "",
        "ask_weight": "on" if questions.ask_weight else "",
        "due_weekday": questions.due_weekday,
    }


def settings_context(questions: Any, **extra: Any) -> dict[str, Any]:
    return {
        "questions": questions,
        "scale_labels": {str(k): v for k, v in SCALE_LABELS.items()},
        "weekday_choices": WEEKDAYS,
        **extra,
    }


@router.get("/progress/clients/{client_id}/checkin-form")
async def client_questions(
    request: Request, session: DbSession, principal: StaffProgress, client_id: uuid.UUID
) -> Response:
    client = await the_client(session, principal, client_id)
    questions = await service.effective_form(session, client=client)
    context = settings_context(questions, **header(principal, client, "checkins"))
    return render(
        request, "progress/checkin_settings.html", {**context, "form": settings_form(questions)}
    )


@router.post("/progress/clients/{client_id}/checkin-form")
async def save_client_questions(
    request: Request, session: DbSession, principal: StaffProgress, client_id: uuid.UUID
) -> Response:
    form = await read_form(request, lists=("scales",))
    client = await the_client(session, principal, client_id)
    try:
        async with session.begin_nested():
            if form.get("reset"):
                await service.reset_client_form(session, client=client)
            else:
                data = CheckInFormIn.model_validate(form_data(form))
                await service.put_client_form(
                    session, principal=principal, client=client, data=data
                )
    except FORM_ERRORS as exc:
        questions = await service.effective_form(session, client=client)
        context = settings_context(questions, **header(principal, client, "checkins"))
        return render_form(
            request, "progress/checkin_settings.html", exc, form=form, context=context
        )
    message = "Back to the default questions." if form.get("reset") else "Questions saved."
    return redirect(request, f"/progress/clients/{client_id}/checkin-form", message)


@router.get("/progress/checkin-form")
async def organization_questions(
    request: Request, session: DbSession, principal: OrgManage
) -> Response:
    questions = await service.organization_form(session)
    context = settings_context(questions, organization=True)
    return render(
        request, "progress/checkin_settings.html", {**context, "form": settings_form(questions)}
    )


@router.post("/progress/checkin-form")
async def save_organization_questions(
    request: Request, session: DbSession, principal: OrgManage
) -> Response:
    form = await read_form(request, lists=("scales",))
    try:
        async with session.begin_nested():
            data = CheckInFormIn.model_validate(form_data(form))
            await service.put_organization_form(session, principal=principal, data=data)
    except FORM_ERRORS as exc:
        questions = await service.organization_form(session)
        context = settings_context(questions, organization=True)
        return render_form(
            request, "progress/checkin_settings.html", exc, form=form, context=context
        )
    return redirect(request, "/progress/checkin-form", "Default questions saved.")


# --- staff: this week --------------------------------------------------------------------


def _state(value: str) -> DueState:
    try:
        return DueState(value)
    except ValueError:
        return DueState.MISSING


@router.get("/progress/checkins")
async def this_week(
    request: Request,
    session: DbSession,
    principal: StaffProgress,
    state: Annotated[str, Query(max_length=20)] = "missing",
    cursor: Cursor = "",
) -> Response:
    """Who has not checked in this week (and who is late), who has, and what awaits a
    reply."""
    chosen = _state(state)
    page = await service.due(
        session,
        principal=principal,
        params=PageParams(cursor=cursor or None, limit=PAGE_SIZE),
        state=chosen,
    )
    context: dict[str, Any] = {"due": page, "state": chosen.value, "appending": bool(cursor)}
    if cursor and request.headers.get("hx-request"):
        return render(request, "progress/_due_rows.html", context)
    waiting, waiting_cursor = await service.inbox(
        session, principal=principal, params=PageParams(limit=PAGE_SIZE)
    )
    context.update(waiting=waiting, waiting_more=waiting_cursor is not None)
    return render(request, "progress/staff_checkins.html", context)
