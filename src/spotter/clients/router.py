from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import Query, Response

from spotter.clients import service
from spotter.clients.dependencies import (
    Caller,
    ClientsRead,
    ClientsWrite,
    HealthReadable,
    HealthWritable,
    ReadableClient,
    WritableClient,
)
from spotter.clients.schemas import (
    AssessmentCompare,
    AssessmentIn,
    AssessmentOut,
    AssignmentOut,
    ClientCreate,
    ClientOut,
    ClientStatus,
    ClientUpdate,
    GoalIn,
    GoalOut,
    HealthHistoryIn,
    HealthHistoryOut,
    ProfileIn,
    ProfileOut,
)
from spotter.core.db import DbSession
from spotter.core.pagination import Pages, model_page
from spotter.core.routing import Router
from spotter.core.schemas import Page

router = Router(tags=["clients"])


@router.get("/clients", response_model=Page[ClientOut])
async def list_clients(
    session: DbSession,
    principal: ClientsRead,
    params: Pages,
    q: Annotated[str | None, Query(max_length=100, description="Name contains")] = None,
    status: ClientStatus | None = None,
    trainer_id: uuid.UUID | None = None,
    tag: Annotated[str | None, Query(max_length=40)] = None,
) -> Response:
    items, cursor = await service.list_clients_with_tags(
        session,
        principal=principal,
        params=params,
        q=q,
        status=status,
        trainer_id=trainer_id,
        tag=tag,
    )
    return model_page([ClientOut.build(row, principal) for row in items], cursor)


@router.post("/clients", response_model=ClientOut, status_code=201)
async def create_client(
    session: DbSession, principal: ClientsWrite, data: ClientCreate
) -> ClientOut:
    client = await service.create_client(session, principal=principal, data=data)
    return ClientOut.build(client, principal, sorted(set(data.tags)))


@router.get("/client-tags", response_model=list[dict[str, Any]])
async def list_tags(session: DbSession, principal: ClientsRead) -> list[dict[str, Any]]:
    """The organization's client tags, with how many (visible) clients carry each."""
    return await service.organization_tags(session, principal=principal)


@router.get("/clients/{client_id}", response_model=ClientOut)
async def get_client(session: DbSession, principal: ClientsRead, client_id: uuid.UUID) -> ClientOut:
    client, tags = await service.get_client_with_tags(
        session, principal=principal, client_id=client_id
    )
    return ClientOut.build(client, principal, tags)


@router.put("/clients/{client_id}", response_model=ClientOut)
async def update_client(
    session: DbSession, principal: ClientsWrite, client_id: uuid.UUID, data: ClientUpdate
) -> ClientOut:
    """Fields left out stay as they are. Changing ``trainer_id`` needs ``clients:assign``
    (owners, admins) and is recorded in the assignment history; ``status`` follows
    lead → active → paused → archived (archived clients may be reactivated)."""
    client, tags = await service.update_client(
        session, principal=principal, client_id=client_id, data=data
    )
    return ClientOut.build(client, principal, tags)


@router.delete("/clients/{client_id}", status_code=204)
async def archive_client(
    session: DbSession, principal: ClientsWrite, client_id: uuid.UUID
) -> Response:
    """Archives the client (status ``archived``); their history is kept. Reactivate with
    ``PUT /clients/{id}`` and ``status: active``."""
    await service.archive_client(session, principal=principal, client_id=client_id)
    return Response(status_code=204)


@router.get("/clients/{client_id}/assignments", response_model=list[AssignmentOut])
async def assignment_history(
    session: DbSession, principal: ClientsRead, client_id: uuid.UUID
) -> list[AssignmentOut]:
    rows = await service.assignment_history(session, principal=principal, client_id=client_id)
    return [AssignmentOut.model_validate(r) for r in rows]


# --- profile and health ------------------------------------------------------------------


@router.get("/clients/{client_id}/profile", response_model=ProfileOut)
async def get_profile(principal: Caller, client: ReadableClient) -> ProfileOut:
    return service.profile_out(client, principal)


@router.put("/clients/{client_id}/profile", response_model=ProfileOut)
async def put_profile(
    session: DbSession, principal: Caller, client: WritableClient, data: ProfileIn
) -> ProfileOut:
    return await service.put_profile(session, principal=principal, client=client, data=data)


@router.get("/clients/{client_id}/health-history", response_model=HealthHistoryOut)
async def get_health_history(session: DbSession, client: HealthReadable) -> HealthHistoryOut:
    """Health data: the client, their trainer, owners and admins only; never API keys."""
    return await service.get_health(session, client=client)


@router.put("/clients/{client_id}/health-history", response_model=HealthHistoryOut)
async def put_health_history(
    session: DbSession, principal: Caller, client: HealthWritable, data: HealthHistoryIn
) -> HealthHistoryOut:
    return await service.put_health(session, principal=principal, client=client, data=data)


# --- goals -------------------------------------------------------------------------------


@router.get("/clients/{client_id}/goals", response_model=list[GoalOut])
async def list_goals(session: DbSession, client: ReadableClient) -> list[GoalOut]:
    return await service.list_goals(session, client=client)


@router.post("/clients/{client_id}/goals", response_model=GoalOut, status_code=201)
async def create_goal(
    session: DbSession, principal: Caller, client: WritableClient, data: GoalIn
) -> GoalOut:
    return await service.create_goal(session, principal=principal, client=client, data=data)


@router.get("/clients/{client_id}/goals/{goal_id}", response_model=GoalOut)
async def get_goal(session: DbSession, client: ReadableClient, goal_id: uuid.UUID) -> GoalOut:
    return await service.get_goal(session, client=client, goal_id=goal_id)


@router.put("/clients/{client_id}/goals/{goal_id}", response_model=GoalOut)
async def update_goal(
    session: DbSession, client: WritableClient, goal_id: uuid.UUID, data: GoalIn
) -> GoalOut:
    return await service.update_goal(session, client=client, goal_id=goal_id, data=data)


@router.delete("/clients/{client_id}/goals/{goal_id}", status_code=204)
async def delete_goal(session: DbSession, client: WritableClient, goal_id: uuid.UUID) -> Response:
    await service.delete_goal(session, client=client, goal_id=goal_id)
    return Response(status_code=204)


# --- assessments -------------------------------------------------------------------------


@router.get("/clients/{client_id}/assessments", response_model=Page[AssessmentOut])
async def list_assessments(
    session: DbSession, client: ReadableClient, params: Pages
) -> Page[AssessmentOut]:
    """Newest first."""
    items, cursor = await service.list_assessments(session, client=client, params=params)
    return Page(items=items, next_cursor=cursor)


@router.post("/clients/{client_id}/assessments", response_model=AssessmentOut, status_code=201)
async def create_assessment(
    session: DbSession, principal: Caller, client: WritableClient, data: AssessmentIn
) -> AssessmentOut:
    return await service.create_assessment(session, principal=principal, client=client, data=data)


@router.get("/clients/{client_id}/assessments/compare", response_model=AssessmentCompare)
async def compare_assessments(
    session: DbSession,
    client: ReadableClient,
    before: Annotated[uuid.UUID | None, Query(alias="from")] = None,
    after: Annotated[uuid.UUID | None, Query(alias="to")] = None,
) -> AssessmentCompare:
    """The change per field between two assessments (ids); by default the first and the
    latest."""
    return await service.compare(session, client=client, before_id=before, after_id=after)


@router.get("/clients/{client_id}/assessments/{assessment_id}", response_model=AssessmentOut)
async def get_assessment(
    session: DbSession, client: ReadableClient, assessment_id: uuid.UUID
) -> AssessmentOut:
    return await service.get_assessment(session, client=client, assessment_id=assessment_id)


@router.put("/clients/{client_id}/assessments/{assessment_id}", response_model=AssessmentOut)
async def update_assessment(
    session: DbSession, client: WritableClient, assessment_id: uuid.UUID, data: AssessmentIn
) -> AssessmentOut:
    return await service.update_assessment(
        session, client=client, assessment_id=assessment_id, data=data
    )


@router.delete("/clients/{client_id}/assessments/{assessment_id}", status_code=204)
async def delete_assessment(
    session: DbSession, client: WritableClient, assessment_id: uuid.UUID
) -> Response:
    await service.delete_assessment(session, client=client, assessment_id=assessment_id)
    return Response(status_code=204)
