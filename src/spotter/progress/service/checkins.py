"""Weekly check-ins: the questions (per client, the organization's default, or built in),
the client's one submission per week (their week: Monday to Sunday in their time zone),
the thread under it, and for staff who has not checked in yet and what awaits a reply."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from spotter.clients import service as clients
from spotter.clients.models import Client
from spotter.config import get_settings
from spotter.core import email
from spotter.core.db import new_id, utcnow
from spotter.core.errors import AppError, InvalidInput, field_error
from spotter.core.pagination import PageParams, paginate
from spotter.core.permissions import Role
from spotter.identity.models import User
from spotter.progress.errors import AlreadyCheckedIn, CheckInNotFound
from spotter.progress.metrics import BODY_WEIGHT, BUILTIN
from spotter.progress.models import CheckIn, CheckInForm, CheckInMessage
from spotter.progress.schemas import (
    SCALE_LABELS,
    Answer,
    CheckInFormIn,
    CheckInFormOut,
    CheckInIn,
    CheckInOut,
    DueItem,
    DuePage,
    DueState,
    DueSummary,
    Entry,
    FormQuestion,
    InboxItem,
    MeasurementsIn,
    MessageIn,
    MessageOut,
    Scale,
)
from spotter.progress.service.common import client_timezone, monday, today_in, unit_system
from spotter.progress.service.measurements import record, stored_value
from spotter.progress.service.photos import get_photo

if TYPE_CHECKING:
    from spotter.identity.dependencies import Principal

DEFAULT_QUESTIONS = (
    "What went well this week?",
    "What was hard?",
    "Anything your coach should know?",
)
DEFAULT_DUE_WEEKDAY = 7


# --- the questions -------------------------------------------------------------------------


def _built_in() -> CheckInFormOut:
    return CheckInFormOut(
        source="default",
        scales=list(Scale),
        scale_labels={str(k): v for k, v in SCALE_LABELS.items()},
        questions=[FormQuestion(id=f"q{i + 1}", label=q) for i, q in enumerate(DEFAULT_QUESTIONS)],
        ask_photo=True,
        ask_weight=True,
        due_weekday=DEFAULT_DUE_WEEKDAY,
    )


def _form_out(row: CheckInForm, source: str) -> CheckInFormOut:
    return CheckInFormOut(
        source=source,
        client_id=row.client_id,
        scales=[Scale(s) for s in row.scales],
        scale_labels={str(k): v for k, v in SCALE_LABELS.items()},
        questions=[FormQuestion.model_validate(q) for q in row.questions],
        ask_photo=row.ask_photo,
        ask_weight=row.ask_weight,
        due_weekday=row.due_weekday,
    )


async def _org_row(session: AsyncSession) -> CheckInForm | None:
    return await session.scalar(sa.select(CheckInForm).where(CheckInForm.client_id.is_(None)))


async def _client_row(session: AsyncSession, client_id: uuid.UUID) -> CheckInForm | None:
    return await session.scalar(sa.select(CheckInForm).where(CheckInForm.client_id == client_id))


async def organization_form(session: AsyncSession) -> CheckInFormOut:
    row = await _org_row(session)
    return _form_out(row, "organization") if row else _built_in()


async def effective_form(session: AsyncSession, *, client: Client) -> CheckInFormOut:
    """The client's own questions, else the organization's default, else the built-in."""
    row = await _client_row(session, client.id)
    return _form_out(row, "client") if row else await organization_form(session)


def _questions(previous: list[Any], labels: list[str]) -> list[dict[str, str]]:
    """Question ids stay the same for a label that stays, so past answers keep matching."""
    known = {q["label"].lower(): q["id"] for q in previous}
    return [
        {"id": known.get(label.lower()) or f"q{new_id().hex[-8:]}", "label": label}
        for label in labels
    ]


async def _put(
    session: AsyncSession,
    row: CheckInForm | None,
    client_id: uuid.UUID | None,
    principal: Principal,
    data: CheckInFormIn,
) -> CheckInForm:
    if row is None:
        row = CheckInForm(client_id=client_id, questions=[])
        session.add(row)
    row.scales = [str(s) for s in data.scales]
    row.questions = _questions(row.questions or [], data.questions)
    row.ask_photo, row.ask_weight = data.ask_photo, data.ask_weight
    row.due_weekday = data.due_weekday
    row.updated_by_id = principal.user_id
    await session.flush()
    return row


async def put_client_form(
    session: AsyncSession, *, principal: Principal, client: Client, data: CheckInFormIn
) -> CheckInFormOut:
    row = await _put(session, await _client_row(session, client.id), client.id, principal, data)
    return _form_out(row, "client")


async def put_organization_form(
    session: AsyncSession, *, principal: Principal, data: CheckInFormIn
) -> CheckInFormOut:
    row = await _put(session, await _org_row(session), None, principal, data)
    return _form_out(row, "organization")


async def reset_client_form(session: AsyncSession, *, client: Client) -> CheckInFormOut:
    """Back to the organization's default questions."""
    row = await _client_row(session, client.id)
    if row is not None:
        await session.delete(row)
        await session.flush()
    return await organization_form(session)


# --- submitting ----------------------------------------------------------------------------


def check_in_out(row: CheckIn) -> CheckInOut:
    return CheckInOut(
        id=row.id,
        client_id=row.client_id,
        week_starts_on=row.week_starts_on,
        due_on=row.due_on,
        submitted_at=row.submitted_at,
        late=row.late,
        scales=dict(row.scales),
        answers=[Answer.model_validate(a) for a in row.answers],
        weight_kg=row.weight_kg,
        photo_id=row.photo_id,
        reviewed_at=row.reviewed_at,
        last_message_at=row.last_message_at,
    )


def this_week(client: Client, organization_timezone: str | None) -> tuple[date, date]:
    """(today, Monday of this week) where the client lives."""
    today = today_in(client_timezone(client, organization_timezone))
    return today, monday(today)


def _answers(form: CheckInFormOut, data: CheckInIn) -> tuple[dict[str, int], list[dict[str, str]]]:
    asked = [str(s) for s in form.scales]
    given = {str(k): v for k, v in data.scales.items()}
    extra = sorted(set(given) - set(asked))
    if extra:
        raise field_error("scales", f"this check-in does not ask about {', '.join(extra)}")
    missing = [s for s in asked if s not in given]
    if missing:
        errors = [{"field": f"scales.{s}", "message": "rate this from 1 to 10"} for s in missing]
        raise InvalidInput("Every scale needs a rating from 1 to 10.", errors=errors)
    labels = {q.id: q.label for q in form.questions}
    unknown = sorted(set(data.answers) - set(labels))
    if unknown:
        raise field_error("answers", f"no such question: {', '.join(unknown)}")
    answers = [
        {"question": labels[q.id], "answer": data.answers[q.id]}
        for q in form.questions
        if q.id in data.answers
    ]
    return {s: given[s] for s in asked}, answers


async def submit(
    session: AsyncSession, *, principal: Principal, client: Client, data: CheckInIn
) -> CheckInOut:
    """The client's check-in for their current week (one per week)."""
    form = await effective_form(session, client=client)
    today, week = this_week(client, principal.organization.timezone)
    existing = await session.scalar(
        sa.select(CheckIn.id).where(CheckIn.client_id == client.id, CheckIn.week_starts_on == week)
    )
    if existing is not None:
        raise AlreadyCheckedIn(
            "You already checked in this week; add to it in its thread.", check_in_id=str(existing)
        )
    scales, answers = _answers(form, data)
    if data.weight is not None and not form.ask_weight:
        raise field_error("weight", "this check-in does not ask for your weight")
    if data.photo_id is not None and not form.ask_photo:
        raise field_error("photo_id", "this check-in does not ask for a photo")
    if not (scales or answers or data.weight is not None or data.photo_id is not None):
        raise InvalidInput("Answer at least one question.")
    if data.photo_id is not None:
        try:
            await get_photo(session, client=client, photo_id=data.photo_id)
        except AppError as exc:
            raise field_error("photo_id", "no such photo of yours; upload it first") from exc
    weight_kg = None
    if data.weight is not None:
        system = unit_system(principal, client)
        weight_kg = stored_value(
            BUILTIN[BODY_WEIGHT],
            data.weight,
            data.weight_unit,
            system,
            fields=("weight", "weight_unit"),
        )
        entry = Entry(metric=BODY_WEIGHT, value=weight_kg, unit="kg")
        day = MeasurementsIn(measured_on=today, entries=[entry])
        await record(session, principal=principal, client=client, data=day, source="check_in")
    due_on = week + timedelta(days=form.due_weekday - 1)
    row = CheckIn(
        client_id=client.id,
        week_starts_on=week,
        due_on=due_on,
        late=today > due_on,
        submitted_by_id=principal.user_id,
        scales=scales,
        answers=answers,
        weight_kg=weight_kg,
        photo_id=data.photo_id,
    )
    session.add(row)
    await session.flush()
    await _tell_trainer(session, client, row)
    return check_in_out(row)


def _link(client_id: uuid.UUID, check_in_id: uuid.UUID) -> str:
    base = get_settings().base_url.rstrip("/")
    return f"{base}/progress/clients/{client_id}/checkins/{check_in_id}"


async def _tell_trainer(session: AsyncSession, client: Client, row: CheckIn) -> None:
    if client.trainer_id is None:
        return
    trainer = await session.get(User, client.trainer_id)
    if trainer is None:
        return
    email.send(
        session,
        to=trainer.email,
        subject=f"{client.full_name} checked in",
        text=(
            f"{client.full_name} sent their check-in for the week of "
            f"{row.week_starts_on:%-d %B}.\n\nRead it and reply: {_link(client.id, row.id)}\n"
        ),
    )


async def current_check_in(
    session: AsyncSession, *, principal: Principal, client: Client
) -> CheckInOut | None:
    """This week's check-in, if the client has sent it."""
    _, week = this_week(client, principal.organization.timezone)
    row = await session.scalar(
        sa.select(CheckIn).where(CheckIn.client_id == client.id, CheckIn.week_starts_on == week)
    )
    return check_in_out(row) if row else None


async def list_check_ins(
    session: AsyncSession, *, client: Client, params: PageParams
) -> tuple[list[CheckInOut], str | None]:
    """Newest week first."""
    rows, cursor = await paginate(
        session,
        sa.select(CheckIn).where(CheckIn.client_id == client.id),
        keys=[CheckIn.week_starts_on, CheckIn.id],
        params=params,
        descending=True,
    )
    return [check_in_out(r) for r in rows], cursor


async def _row(session: AsyncSession, client: Client, check_in_id: uuid.UUID) -> CheckIn:
    row = await session.scalar(
        sa.select(CheckIn).where(CheckIn.id == check_in_id, CheckIn.client_id == client.id)
    )
    if row is None:
        raise CheckInNotFound()
    return row


async def get_check_in(
    session: AsyncSession, *, client: Client, check_in_id: uuid.UUID
) -> CheckInOut:
    return check_in_out(await _row(session, client, check_in_id))


# --- the thread ----------------------------------------------------------------------------


async def _names(session: AsyncSession, ids: set[uuid.UUID | None]) -> dict[uuid.UUID, str]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    rows = await session.execute(sa.select(User.id, User.full_name).where(User.id.in_(wanted)))
    return dict(rows.all())


def _message_out(row: CheckInMessage, names: dict[uuid.UUID, str]) -> MessageOut:
    out = MessageOut.model_validate(row)
    out.author_name = names.get(row.author_id) if row.author_id else None
    return out


async def list_messages(
    session: AsyncSession, *, client: Client, check_in_id: uuid.UUID, params: PageParams
) -> tuple[list[MessageOut], str | None]:
    """Oldest first, as a thread reads."""
    await _row(session, client, check_in_id)
    rows, cursor = await paginate(
        session,
        sa.select(CheckInMessage).where(CheckInMessage.check_in_id == check_in_id),
        keys=[CheckInMessage.id],
        params=params,
    )
    names = await _names(session, {r.author_id for r in rows})
    return [_message_out(r, names) for r in rows], cursor


async def post_message(
    session: AsyncSession,
    *,
    principal: Principal,
    client: Client,
    check_in_id: uuid.UUID,
    data: MessageIn,
) -> MessageOut:
    """A reply in the thread: staff reviewing it, or the client answering."""
    check_in = await _row(session, client, check_in_id)
    from_client = principal.role == Role.CLIENT
    now = utcnow()
    row = CheckInMessage(
        check_in_id=check_in.id,
        author_id=principal.user_id,
        from_client=from_client,
        text=data.text,
        created_at=now,
    )
    session.add(row)
    check_in.last_message_at = now
    if not from_client and check_in.reviewed_at is None:
        check_in.reviewed_at = now
    await session.flush()
    await _notify_reply(session, principal, client, check_in, from_client)
    user = principal.require_user()
    return _message_out(row, {user.id: user.full_name})


async def _notify_reply(
    session: AsyncSession,
    principal: Principal,
    client: Client,
    check_in: CheckIn,
    from_client: bool,
) -> None:
    to_id = client.trainer_id if from_client else client.user_id
    if to_id is None or to_id == principal.user_id:
        return
    recipient = await session.get(User, to_id)
    if recipient is None:
        return
    author = principal.require_user().full_name
    email.send(
        session,
        to=recipient.email,
        subject=f"{author} replied to the check-in of {check_in.week_starts_on:%-d %B}",
        text=f"{author} wrote in the check-in thread.\n\nRead it: {_link(client.id, check_in.id)}",
    )


# --- for staff: who has not checked in, what awaits a reply --------------------------------


def _expected_week(zones: list[str], fallback: str) -> tuple[Any, dict[str, date]]:
    """This week's Monday per time zone, as a SQL CASE over the client's zone."""
    mondays = {z: monday(today_in(z)) for z in {*zones, fallback}}
    zone = sa.func.coalesce(Client.timezone, fallback)
    whens = {z: sa.literal(m, sa.Date) for z, m in mondays.items()}
    return sa.case(whens, value=zone, else_=sa.literal(mondays[fallback], sa.Date)), mondays


async def due(
    session: AsyncSession, *, principal: Principal, params: PageParams, state: DueState
) -> DuePage:
    """This week's check-in status of the caller's active clients with an account: who
    has checked in, who has not yet, and who is late (past their due day)."""
    fallback = principal.organization.timezone or "UTC"
    expected_clients = clients.visible_clients(principal).where(
        Client.status == "active", Client.user_id.is_not(None)
    )
    zone = sa.func.coalesce(Client.timezone, fallback)
    zones = list(await session.scalars(expected_clients.with_only_columns(zone).distinct()))
    expected, mondays = _expected_week(zones, fallback)
    done = (
        sa.exists()
        .where(CheckIn.client_id == Client.id, CheckIn.week_starts_on == expected)
        .correlate(Client)
    )
    listed = expected_clients
    if state == DueState.MISSING:
        listed = listed.where(~done)
    elif state == DueState.SUBMITTED:
        listed = listed.where(done)
    page, cursor = await paginate(
        session, listed, keys=[Client.full_name, Client.id], params=params
    )
    missing = list(
        (
            await session.execute(expected_clients.with_only_columns(Client.id, zone).where(~done))
        ).all()
    )
    total = await session.scalar(
        expected_clients.with_only_columns(sa.func.count(Client.id)).order_by(None)
    )
    due_days = await _due_weekdays(session)
    todays = {z: today_in(z) for z in mondays}
    late = sum(
        1
        for client_id, z in missing
        if todays.get(z, todays[fallback])
        > mondays.get(z, mondays[fallback]) + _offset(due_days, client_id)
    )
    summary = DueSummary(
        expected=total or 0,
        submitted=(total or 0) - len(missing),
        missing=len(missing),
        late=late,
    )
    items = await _due_items(session, page, mondays, fallback, due_days)
    return DuePage(summary=summary, items=items, next_cursor=cursor)


async def _due_weekdays(session: AsyncSession) -> dict[uuid.UUID | None, int]:
    rows = await session.execute(sa.select(CheckInForm.client_id, CheckInForm.due_weekday))
    return dict(rows.all())


def _offset(due_days: dict[uuid.UUID | None, int], client_id: uuid.UUID) -> timedelta:
    weekday = due_days.get(client_id) or due_days.get(None) or DEFAULT_DUE_WEEKDAY
    return timedelta(days=weekday - 1)


async def _due_items(
    session: AsyncSession,
    page: list[Client],
    mondays: dict[str, date],
    fallback: str,
    due_days: dict[uuid.UUID | None, int],
) -> list[DueItem]:
    ids = [c.id for c in page]
    if not ids:
        return []
    this_week = {
        (r.client_id, r.week_starts_on): r
        for r in await session.scalars(
            sa.select(CheckIn).where(
                CheckIn.client_id.in_(ids), CheckIn.week_starts_on.in_(set(mondays.values()))
            )
        )
    }
    latest = dict(
        (
            await session.execute(
                sa.select(CheckIn.client_id, sa.func.max(CheckIn.week_starts_on))
                .where(CheckIn.client_id.in_(ids))
                .group_by(CheckIn.client_id)
            )
        ).all()
    )
    items = []
    for c in page:
        z = client_timezone(c, fallback)
        week = mondays.get(z, mondays[fallback])
        due_on = week + _offset(due_days, c.id)
        found = this_week.get((c.id, week))
        items.append(
            DueItem(
                client_id=c.id,
                full_name=c.full_name,
                trainer_id=c.trainer_id,
                week_starts_on=week,
                due_on=due_on,
                submitted=found is not None,
                late=found.late if found else today_in(z) > due_on,
                check_in_id=found.id if found else None,
                last_check_in_on=latest.get(c.id),
            )
        )
    return items


async def inbox(
    session: AsyncSession, *, principal: Principal, params: PageParams
) -> tuple[list[InboxItem], str | None]:
    """Check-ins of the caller's clients that no staff member has answered yet, oldest
    first (the longest waiting at the top)."""
    visible = clients.visible_clients(principal).with_only_columns(Client.id)
    stmt = sa.select(CheckIn).where(CheckIn.reviewed_at.is_(None), CheckIn.client_id.in_(visible))
    rows, cursor = await paginate(session, stmt, keys=[CheckIn.id], params=params)
    names = dict(
        (
            await session.execute(
                sa.select(Client.id, Client.full_name).where(
                    Client.id.in_({r.client_id for r in rows})
                )
            )
        ).all()
    )
    return [InboxItem(check_in=check_in_out(r), full_name=names[r.client_id]) for r in rows], cursor
