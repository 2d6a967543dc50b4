from __future__ import annotations

import uuid

from spotter.clients.dependencies import Caller
from spotter.core.db import DbSession
from spotter.core.pagination import Pages
from spotter.core.schemas import Page
from spotter.progress import service
from spotter.progress.dependencies import (
    CoachedClient,
    OrgManage,
    OwnClient,
    ProgressAny,
    ProgressRead,
    ProgressReadable,
    ProgressWritable,
)
from spotter.progress.router.routes import router
from spotter.progress.schemas import (
    CheckInFormIn,
    CheckInFormOut,
    CheckInIn,
    CheckInOut,
    DuePage,
    DueState,
    InboxItem,
    MessageIn,
    MessageOut,
)

# --- the questions ----------------------------------------------------------------------


@router.get("/progress/checkin-form", response_model=CheckInFormOut)
async def organization_form(session: DbSession, principal: ProgressAny) -> CheckInFormOut:
    """The organization's default check-in questions (the built-in ones until set)."""
    return await service.organization_form(session)


@router.put("/progress/checkin-form", response_model=CheckInFormOut)
async def put_organization_form(
    session: DbSession, principal: OrgManage, data: CheckInFormIn
) -> CheckInFormOut:
    return await service.put_organization_form(session, principal=principal, data=data)


@router.get("/clients/{client_id}/checkin-form", response_model=CheckInFormOut)
async def client_form(session: DbSession, client: ProgressReadable) -> CheckInFormOut:
    """The questions this client answers: their own, else the organization's default."""
    return await service.effective_form(session, client=client)


@router.put("/clients/{client_id}/checkin-form", response_model=CheckInFormOut)
async def put_client_form(
    session: DbSession, principal: Caller, client: CoachedClient, data: CheckInFormIn
) -> CheckInFormOut:
    return await service.put_client_form(session, principal=principal, client=client, data=data)


@router.delete("/clients/{client_id}/checkin-form", response_model=CheckInFormOut)
async def reset_client_form(session: DbSession, client: CoachedClient) -> CheckInFormOut:
    """Back to the organization's default; answers the questions that now apply."""
    return await service.reset_client_form(session, client=client)


# --- check-ins and their threads -----------------------------------------------------------


@router.post("/clients/{client_id}/checkins", response_model=CheckInOut, status_code=201)
async def submit_check_in(
    session: DbSession, principal: Caller, client: OwnClient, data: CheckInIn
) -> CheckInOut:
    """The client's check-in for their current week (one a week, in their time zone).
    ``weight`` also becomes today's body-weight measurement; ``photo_id`` names a progress
    photo uploaded first."""
    return await service.submit(session, principal=principal, client=client, data=data)


@router.get("/clients/{client_id}/checkins", response_model=Page[CheckInOut])
async def list_check_ins(
    session: DbSession, client: ProgressReadable, params: Pages
) -> Page[CheckInOut]:
    """Newest week first."""
    items, cursor = await service.list_check_ins(session, client=client, params=params)
    return Page(items=items, next_cursor=cursor)


@router.get("/clients/{client_id}/checkins/{checkin_id}", response_model=CheckInOut)
async def get_check_in(
    session: DbSession, client: ProgressReadable, checkin_id: uuid.UUID
) -> CheckInOut:
    return await service.get_check_in(session, client=client, check_in_id=checkin_id)


@router.get("/clients/{client_id}/checkins/{checkin_id}/messages", response_model=Page[MessageOut])
async def list_messages(
    session: DbSession, client: ProgressReadable, checkin_id: uuid.UUID, params: Pages
) -> Page[MessageOut]:
    """The thread, oldest first."""
    items, cursor = await service.list_messages(
        session, client=client, check_in_id=checkin_id, params=params
    )
    return Page(items=items, next_cursor=cursor)


@router.post(
    "/clients/{client_id}/checkins/{checkin_id}/messages",
    response_model=MessageOut,
    status_code=201,
)
async def post_message(
    session: DbSession,
    principal: Caller,
    client: ProgressWritable,
    checkin_id: uuid.UUID,
    data: MessageIn,
) -> MessageOut:
    """A reply in the thread (staff) or an answer to it (the client). The first staff
    reply marks the check-in reviewed; the other side gets an email."""
    return await service.post_message(
        session, principal=principal, client=client, check_in_id=checkin_id, data=data
    )


# --- for staff ------------------------------------------------------------------------------


@router.get("/progress/checkins/due", response_model=DuePage)
async def due(
    session: DbSession, principal: ProgressRead, params: Pages, state: DueState = DueState.MISSING
) -> DuePage:
    """This week, for the caller's active clients with an account: who has not checked
    in yet (``missing``, the default; ``late`` marks those past their due day), who has
    (``submitted``), or everyone (``all``); with counts."""
    return await service.due(session, principal=principal, params=params, state=state)


@router.get("/progress/checkins/inbox", response_model=Page[InboxItem])
async def inbox(session: DbSession, principal: ProgressRead, params: Pages) -> Page[InboxItem]:
    """Check-ins no staff member has replied to yet, the longest waiting first."""
    items, cursor = await service.inbox(session, principal=principal, params=params)
    return Page(items=items, next_cursor=cursor)
