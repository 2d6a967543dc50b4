"""The client page and its tabs (overview, profile, health, goals, assessments, programs,
notes), and how a tab's form answers: a redirect with a flash message, or the same tab
again with the messages next to the fields."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from datetime import date, timedelta
from typing import Annotated, Any

from fastapi import Query, Request
from fastapi.responses import Response
from sqlalchemy.ext.asyncio import AsyncSession

from spotter.clients import service
from spotter.clients.models import Client
from spotter.clients.pages.common import PAGE_SIZE, WEEKDAY_NAMES, ClientsRead, Cursor, Tab, router
from spotter.clients.schemas import FMS_TESTS, PARQ_QUESTIONS, Experience, GoalType, Sex
from spotter.core.db import DbSession, utcnow
from spotter.core.errors import Forbidden
from spotter.core.pagination import PageParams
from spotter.exercises.dataset import EQUIPMENT
from spotter.identity.dependencies import Principal
from spotter.orgs import service as orgs
from spotter.programs import present as programs_present
from spotter.programs import service as programs
from spotter.programs.models import Program
from spotter.programs.schemas import ProgramStatus
from spotter.web import FORM_ERRORS, redirect, render, render_form

TABS = {
    "overview": "Overview",
    "profile": "Profile",
    "health": "Health",
    "goals": "Goals",
    "assessments": "Assessments",
    "programs": "Programs",
    "notes": "Notes",
}
GOAL_TYPES = [
    (GoalType.BODY_WEIGHT.value, "Body weight"),
    (GoalType.BODY_FAT.value, "Body fat"),
    (GoalType.STRENGTH_LIFT.value, "Strength: a lift's 1RM"),
    (GoalType.PERFORMANCE.value, "Performance"),
    (GoalType.HABIT.value, "Habit"),
    (GoalType.CUSTOM.value, "Custom"),
]
HISTORY_LISTS = ("conditions", "medications", "injuries", "surgeries")


def visible_tabs(principal: Principal) -> dict[str, str]:
    hidden = set()
    if not principal.can("health:read"):
        hidden.add("health")
    if not principal.can("clients:notes"):
        hidden.add("notes")
    if not principal.can("programs:read"):
        hidden.add("programs")
    return {k: v for k, v in TABS.items() if k not in hidden}


async def program_cards(
    session: AsyncSession,
    principal: Principal,
    client: Client,
    assigned: list[Program],
    week: date | None = None,
) -> list[dict[str, Any]]:
    """Each program as its card shows it: where it is and, while it runs (active or
    paused), the workouts of one calendar week (default: this week where the client is)."""
    today = programs.client_today(client)
    monday, sunday = programs.week_of(week or today)
    cards = []
    for program in assigned:
        card: dict[str, Any] = {
            "p": programs_present.program(program),
            "today": today,
            "monday": monday,
            "sunday": sunday,
            "previous": monday - timedelta(days=7),
            "next": monday + timedelta(days=7),
            "this_week": monday <= today <= sunday,
            "days": None,
        }
        if program.status in (ProgramStatus.ACTIVE, ProgramStatus.PAUSED):
            items = await programs.schedule(
                session, principal=principal, program_id=program.id, from_on=monday, to_on=sunday
            )
            days = [monday + timedelta(days=n) for n in range(7)]
            card["days"] = [(day, [i for i in items if i.date == day]) for day in days]
        cards.append(card)
    return cards


async def client_context(
    session: AsyncSession,
    principal: Principal,
    client_id: uuid.UUID,
    tab: str,
    *,
    cursor: str = "",
    week: date | None = None,
) -> dict[str, Any]:
    client, tags = await service.get_client_with_tags(
        session, principal=principal, client_id=client_id
    )
    tabs = visible_tabs(principal)
    if tab not in TABS:
        tab = "overview"
    if tab not in tabs:
        raise Forbidden("Your role does not include this part of the client record.")
    trainer = None
    if client.trainer_id is not None:
        trainer = await orgs.staff_user(session, user_id=client.trainer_id)
    context: dict[str, Any] = {
        "client": client,
        "tags": tags,
        "tab": tab,
        "tabs": tabs,
        "trainer": trainer,
        "profile": service.profile_out(client, principal),
        "weekday_names": WEEKDAY_NAMES,
        "can_write": principal.can("clients:write"),
    }
    if tab in ("overview", "goals"):
        context["goals"] = await service.list_goals(session, client=client)
    if tab in ("overview", "assessments"):
        limit = 1 if tab == "overview" else PAGE_SIZE
        items, next_cursor = await service.list_assessments(
            session, client=client, params=PageParams(cursor=cursor or None, limit=limit)
        )
        context["assessments"], context["next_cursor"] = items, next_cursor
    if tab in ("overview", "programs") and "programs" in tabs:
        assigned, next_cursor = await programs.list_client_programs(
            session,
            principal=principal,
            client_id=client.id,
            params=PageParams(cursor=cursor or None, limit=PAGE_SIZE),
        )
        context["programs"] = [programs_present.program(p) for p in assigned]
        if tab == "programs":
            context["cards"] = await program_cards(session, principal, client, assigned, week)
            context["card_errors"] = {}
            context["next_cursor"] = next_cursor
            if principal.can("programs:write"):
                context["assign_form"] = {
                    "start_on": utcnow().date().isoformat(),
                    "mode": "STATIC",
                    "training_days": [str(d) for d in client.training_days or []],
                }
                templates, _, _ = await programs.list_templates(
                    session, principal=principal, params=PageParams(limit=100)
                )
                context["templates"] = templates
    if tab == "health":
        context["health"] = await service.get_health(session, client=client)
        context["questions"] = PARQ_QUESTIONS
    if tab == "profile":
        context["equipment_choices"] = EQUIPMENT
        context["sexes"] = [s.value for s in Sex]
        context["experiences"] = [e.value for e in Experience]
    if tab == "goals":
        context["goal_types"] = GOAL_TYPES
    if tab == "assessments":
        context["fms_tests"] = FMS_TESTS
    return context


@router.get("/clients/{client_id}")
async def client_page(
    request: Request,
    session: DbSession,
    principal: ClientsRead,
    client_id: uuid.UUID,
    tab: Tab = "overview",
    cursor: Cursor = "",
    week: Annotated[date | None, Query(description="A day of the week to show")] = None,
) -> Response:
    context = await client_context(session, principal, client_id, tab, cursor=cursor, week=week)
    if cursor and request.headers.get("hx-request"):
        return render(request, f"clients/_{context['tab']}_rows.html", context)
    return render(request, "clients/detail.html", {**context, "form": _prefill(context)})


def _prefill(context: dict[str, Any]) -> dict[str, Any]:
    """What the tab's form shows before anything is typed."""
    tab, client = context["tab"], context["client"]
    if tab == "profile":
        p = context["profile"]
        return {
            "born_on": p.born_on or "",
            "sex": p.sex or "",
            "height_cm": p.height_cm or "",
            "unit_system": p.unit_system,
            "timezone": p.timezone or "",
            "experience": p.experience or "",
            "equipment": p.equipment,
            "training_days": [str(d) for d in p.training_days],
            "session_minutes": p.session_minutes or "",
            "injuries_and_limitations": p.injuries_and_limitations or "",
        }
    if tab == "notes":
        return {"notes": client.notes or ""}
    if tab == "health":
        h = context["health"]
        form: dict[str, Any] = {k: "\n".join(getattr(h, k)) for k in HISTORY_LISTS}
        for key in PARQ_QUESTIONS:
            answer = getattr(h.parq, key)
            form[f"parq_{key}"] = "" if answer is None else ("yes" if answer.answer else "no")
            form[f"parq_{key}_details"] = (answer.details or "") if answer else ""
        form["cleared"] = "on" if h.clearance.cleared else ""
        form["cleared_on"] = h.clearance.cleared_on or ""
        form["cleared_by"] = h.clearance.cleared_by or ""
        contact = h.emergency_contacts[0] if h.emergency_contacts else None
        form["ec_name"] = contact.name if contact else ""
        form["ec_relationship"] = (contact.relationship or "") if contact else ""
        form["ec_phone"] = contact.phone if contact else ""
        form["notes"] = h.notes or ""
        return form
    return {}


async def submit(
    request: Request,
    session: AsyncSession,
    principal: Principal,
    client_id: uuid.UUID,
    tab: str,
    form: dict[str, Any],
    action: Callable[[], Awaitable[Any]],
    message: str,
    rename: dict[str, str] | None = None,
) -> Response:
    """A tab's form: the action inside a savepoint, then back to the tab with a message, or
    the tab again with what was typed and the messages next to the fields."""
    try:
        async with session.begin_nested():
            await action()
    except FORM_ERRORS as exc:
        context = await client_context(session, principal, client_id, tab)
        return render_form(
            request, "clients/detail.html", exc, form=form, context=context, rename=rename
        )
    return redirect(request, f"/clients/{client_id}?tab={tab}", message)
