"""The food diary, a client's nutrition profile and the trainer's adherence overview."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated, Literal

from fastapi import Query, Response

from spotter.core.db import DbSession
from spotter.core.pagination import Pages
from spotter.core.schemas import Page
from spotter.nutrition import present
from spotter.nutrition.dependencies import (
    DiaryWritable,
    DiaryWriter,
    NutritionRead,
    NutritionReadable,
    NutritionReader,
)
from spotter.nutrition.router.routes import router
from spotter.nutrition.schemas.diary import (
    AdherenceRow,
    CopyIn,
    DayOut,
    DaySummaryOut,
    EntryIn,
    EntryOut,
    EntryUpdate,
    ProfileIn,
    ProfileOut,
    RecentOut,
)
from spotter.nutrition.service import adherence, diary


@router.get("/clients/{client_id}/nutrition/profile", response_model=ProfileOut)
async def get_profile(session: DbSession, client: NutritionReadable) -> ProfileOut:
    """Meal names (default breakfast, lunch, dinner, snacks), diets, allergens to avoid."""
    return present.profile(await diary.get_profile(session, client=client))


@router.put("/clients/{client_id}/nutrition/profile", response_model=ProfileOut)
async def put_profile(session: DbSession, client: DiaryWritable, data: ProfileIn) -> ProfileOut:
    return present.profile(await diary.put_profile(session, client=client, data=data))


async def day_out(session: DbSession, principal: NutritionReader, day: diary.Day) -> DayOut:
    entries = [e for m in day.meals for e in m.entries]
    labels = await diary.unit_labels(session, principal=principal, entries=entries)
    return present.day(day, labels)


@router.get("/clients/{client_id}/diary", response_model=DayOut)
async def read_day(
    session: DbSession,
    principal: NutritionReader,
    client: NutritionReadable,
    on: Annotated[date | None, Query(description="Default: today for the client")] = None,
) -> DayOut:
    """A day: meals with their entries and totals, the day's totals, the target in force,
    what remains and the adherence."""
    day = await diary.read_day(session, principal=principal, client=client, day=on)
    return await day_out(session, principal, day)


@router.post("/clients/{client_id}/diary", response_model=EntryOut, status_code=201)
async def add_entry(
    session: DbSession, principal: DiaryWriter, client: DiaryWritable, data: EntryIn
) -> EntryOut:
    row = await diary.add_entry(session, principal=principal, client=client, data=data)
    labels = await diary.unit_labels(session, principal=principal, entries=[row])
    return present.entry(row, labels[row.id])


@router.post("/clients/{client_id}/diary/copy", response_model=DayOut)
async def copy_entries(
    session: DbSession, principal: DiaryWriter, client: DiaryWritable, data: CopyIn
) -> DayOut:
    """Copy a day, or one meal (`meal`), to another day (`to_on`), optionally into
    another meal (`to_meal`). Answers the day copied to."""
    await diary.copy_entries(session, principal=principal, client=client, data=data)
    day = await diary.read_day(session, principal=principal, client=client, day=data.to_on)
    return await day_out(session, principal, day)


@router.get("/clients/{client_id}/diary/days", response_model=list[DaySummaryOut])
async def day_summaries(
    session: DbSession,
    client: NutritionReadable,
    principal: NutritionReader,
    first: Annotated[
        date | None, Query(alias="from", description="Default: 6 days before `to`")
    ] = None,
    last: Annotated[
        date | None, Query(alias="to", description="Default: today for the client")
    ] = None,
) -> list[DaySummaryOut]:
    """Each day's totals and adherence from `from` to `to` (93 days at most)."""
    found = await adherence.day_summaries(
        session, principal=principal, client=client, first=first, last=last
    )
    return [present.day_summary(s) for s in found]


@router.get("/clients/{client_id}/diary/recent", response_model=list[RecentOut])
async def recent(
    session: DbSession,
    principal: NutritionReader,
    client: NutritionReadable,
    order: Literal["frequent", "recent"] = "frequent",
    limit: Annotated[int, Query(ge=1, le=50)] = 12,
) -> list[RecentOut]:
    """Foods and recipes logged in the last 60 days, each with its last quantity."""
    items = await diary.recent_items(
        session, principal=principal, client=client, order=order, limit=limit
    )
    labels = await diary.unit_labels(session, principal=principal, entries=[i.last for i in items])
    return [present.recent(i, labels[i.last.id]) for i in items]


@router.get("/diary-entries/{entry_id}", response_model=EntryOut)
async def get_entry(
    session: DbSession, principal: NutritionReader, entry_id: uuid.UUID
) -> EntryOut:
    row = await diary.get_entry(session, principal=principal, entry_id=entry_id)
    labels = await diary.unit_labels(session, principal=principal, entries=[row])
    return present.entry(row, labels[row.id])


@router.put("/diary-entries/{entry_id}", response_model=EntryOut)
async def update_entry(
    session: DbSession, principal: DiaryWriter, entry_id: uuid.UUID, data: EntryUpdate
) -> EntryOut:
    row = await diary.update_entry(session, principal=principal, entry_id=entry_id, data=data)
    labels = await diary.unit_labels(session, principal=principal, entries=[row])
    return present.entry(row, labels[row.id])


@router.delete("/diary-entries/{entry_id}", status_code=204)
async def delete_entry(session: DbSession, principal: DiaryWriter, entry_id: uuid.UUID) -> Response:
    await diary.delete_entry(session, principal=principal, entry_id=entry_id)
    return Response(status_code=204)


@router.get("/nutrition/adherence", response_model=Page[AdherenceRow])
async def adherence_overview(
    session: DbSession,
    principal: NutritionRead,
    params: Pages,
    days: Annotated[int, Query(description="7, 14 or 28")] = 7,
    sort: Literal["name", "score", "days_logged", "last_logged"] = "score",
    order: Literal["asc", "desc"] = "asc",
) -> Page[AdherenceRow]:
    """Your active clients (trainers: their own) over the last `days` days: days logged,
    days on target, mean adherence score and energy against the target."""
    rows, cursor = await adherence.overview(
        session,
        principal=principal,
        params=params,
        days=days,
        sort=sort,
        descending=order == "desc",
    )
    return Page(items=rows, next_cursor=cursor)
