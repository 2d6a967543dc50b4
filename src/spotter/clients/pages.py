"""Client pages: the list (live search, status filter, "Load more"), a new-client form and
the client page with its tabs (overview, profile, health, goals, assessments, programs,
notes). Every form follows ``web``'s pattern: the service call inside a savepoint, then a
redirect with a flash message, or the same tab again with the messages next to the fields."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from sqlalchemy.ext.asyncio import AsyncSession

from spotter.clients import service
from spotter.clients.schemas import (
    FMS_TESTS,
    PARQ_QUESTIONS,
    AssessmentIn,
    ClientCreate,
    ClientStatus,
    ClientUpdate,
    Experience,
    GoalIn,
    GoalType,
    HealthHistoryIn,
    ProfileIn,
    Sex,
)
from spotter.core.db import DbSession, utcnow
from spotter.core.errors import Forbidden
from spotter.core.pagination import PageParams
from spotter.core.permissions import Role
from spotter.exercises.dataset import EQUIPMENT
from spotter.identity.dependencies import Principal
from spotter.orgs import service as orgs
from spotter.programs import present as programs_present
from spotter.programs import service as programs
from spotter.web import (
    FORM_ERRORS,
    blank_to_none,
    page_require,
    read_form,
    redirect,
    render,
    render_form,
)

router = APIRouter()
ClientsRead = Annotated[Principal, page_require("clients:read")]
ClientsWrite = Annotated[Principal, page_require("clients:write")]
Search = Annotated[str, Query(max_length=100)]
Cursor = Annotated[str, Query(max_length=500)]
PAGE_SIZE = 20
TABS = {
    "overview": "Overview",
    "profile": "Profile",
    "health": "Health",
    "goals": "Goals",
    "assessments": "Assessments",
    "programs": "Programs",
    "notes": "Notes",
}
WEEKDAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
GOAL_TYPES = [t.value for t in GoalType if t != GoalType.STRENGTH_LIFT]
HISTORY_LISTS = ("conditions", "medications", "injuries", "surgeries")


def _status(value: str) -> ClientStatus | None:
    try:
        return ClientStatus(value) if value else None
    except ValueError:
        return None


async def client_list(
    session: AsyncSession,
    principal: Principal,
    *,
    q: str = "",
    cursor: str = "",
    status: str = "",
) -> dict[str, Any]:
    """One page of the clients this person may see, for the list component."""
    items, next_cursor = await service.list_clients(
        session,
        principal=principal,
        params=PageParams(cursor=cursor or None, limit=PAGE_SIZE),
        q=q.strip() or None,
        status=_status(status),
    )
    trainers: dict[Any, str] = {}
    if principal.role != Role.TRAINER:  # a trainer's list holds only their own clients
        trainers = {u.id: u.full_name for _, u in await orgs.list_members(session)}
    return {
        "clients": items,
        "next_cursor": next_cursor,
        "q": q,
        "status": status if _status(status) else "",
        "statuses": [s.value for s in ClientStatus],
        "trainers": trainers,
        "show_trainer": bool(trainers),
    }


@router.get("/clients")
async def clients_page(
    request: Request,
    session: DbSession,
    principal: ClientsRead,
    q: Search = "",
    cursor: Cursor = "",
    status: Annotated[str, Query(max_length=20)] = "",
) -> Response:
    context = await client_list(session, principal, q=q, cursor=cursor, status=status)
    return render(request, "clients/list.html", context)


@router.get("/clients/rows")
async def client_rows(
    request: Request,
    session: DbSession,
    principal: ClientsRead,
    q: Search = "",
    cursor: Cursor = "",
    status: Annotated[str, Query(max_length=20)] = "",
) -> Response:
    """HTML fragment: rows (and the next "Load more") for live search and paging."""
    context = await client_list(session, principal, q=q, cursor=cursor, status=status)
    return render(request, "clients/_rows.html", {**context, "appending": bool(cursor)})


# --- a new client ------------------------------------------------------------------------------


async def trainer_choices(session: AsyncSession, principal: Principal) -> list[tuple[str, str]]:
    """Who may coach a new client (owners and admins choose; trainers coach their own)."""
    if not principal.can("clients:assign"):
        return []
    coaches = (Role.OWNER, Role.ADMIN, Role.TRAINER)
    members = await orgs.list_members(session)
    return [("", "No trainer yet")] + [
        (str(u.id), u.full_name) for m, u in members if m.role in coaches
    ]


@router.get("/clients/new")
async def new_client_page(
    request: Request, session: DbSession, principal: ClientsWrite
) -> Response:
    form = {"status": "active", "trainer_id": str(principal.user_id)}
    trainers = await trainer_choices(session, principal)
    return render(request, "clients/new.html", {"form": form, "trainers": trainers})


@router.post("/clients/new")
async def new_client(request: Request, session: DbSession, principal: ClientsWrite) -> Response:
    form = await read_form(request)
    data = blank_to_none(form, "email", "phone", "notes", "trainer_id")
    data["tags"] = [t for t in (form.get("tags") or "").split(",") if t.strip()]
    try:
        async with session.begin_nested():
            client = await service.create_client(
                session, principal=principal, data=ClientCreate.model_validate(data)
            )
    except FORM_ERRORS as exc:
        trainers = await trainer_choices(session, principal)
        return render_form(
            request, "clients/new.html", exc, form=form, context={"trainers": trainers}
        )
    return redirect(request, f"/clients/{client.id}", f"{client.full_name} was added.")


# --- the client page ---------------------------------------------------------------------------


def visible_tabs(principal: Principal) -> dict[str, str]:
    hidden = set()
    if not principal.can("health:read"):
        hidden.add("health")
    if not principal.can("clients:notes"):
        hidden.add("notes")
    if not principal.can("programs:read"):
        hidden.add("programs")
    return {k: v for k, v in TABS.items() if k not in hidden}


async def client_context(
    session: AsyncSession,
    principal: Principal,
    client_id: uuid.UUID,
    tab: str,
    *,
    cursor: str = "",
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


Tab = Annotated[str, Query(max_length=20)]


@router.get("/clients/{client_id}")
async def client_page(
    request: Request,
    session: DbSession,
    principal: ClientsRead,
    client_id: uuid.UUID,
    tab: Tab = "overview",
    cursor: Cursor = "",
) -> Response:
    context = await client_context(session, principal, client_id, tab, cursor=cursor)
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


async def _submit(
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
    try:
        async with session.begin_nested():
            await action()
    except FORM_ERRORS as exc:
        context = await client_context(session, principal, client_id, tab)
        return render_form(
            request, "clients/detail.html", exc, form=form, context=context, rename=rename
        )
    return redirect(request, f"/clients/{client_id}?tab={tab}", message)


@router.post("/clients/{client_id}/status")
async def change_status(
    request: Request, session: DbSession, principal: ClientsWrite, client_id: uuid.UUID
) -> Response:
    form = await read_form(request)

    async def action() -> None:
        data = ClientUpdate.model_validate({"status": form.get("status") or None})
        await service.update_client(session, principal=principal, client_id=client_id, data=data)

    return await _submit(
        request, session, principal, client_id, "overview", form, action, "Status changed."
    )


@router.post("/clients/{client_id}/notes")
async def save_notes(
    request: Request, session: DbSession, principal: ClientsWrite, client_id: uuid.UUID
) -> Response:
    form = await read_form(request)

    async def action() -> None:
        data = ClientUpdate.model_validate({"notes": form.get("notes") or None})
        await service.update_client(session, principal=principal, client_id=client_id, data=data)

    return await _submit(
        request, session, principal, client_id, "notes", form, action, "Notes saved."
    )


@router.post("/clients/{client_id}/profile")
async def save_profile(
    request: Request, session: DbSession, principal: ClientsWrite, client_id: uuid.UUID
) -> Response:
    form = await read_form(request, lists=("equipment", "training_days"))
    optional = ("born_on", "sex", "height_cm", "timezone", "experience", "session_minutes")
    data = blank_to_none(form, *optional, "injuries_and_limitations")
    if not principal.can("health:write"):
        data.pop("injuries_and_limitations", None)

    async def action() -> None:
        client = await service.get_client(session, principal=principal, client_id=client_id)
        await service.put_profile(
            session, principal=principal, client=client, data=ProfileIn.model_validate(data)
        )

    return await _submit(
        request, session, principal, client_id, "profile", form, action, "Profile saved."
    )


def _lines(value: str | None) -> list[str]:
    return [line.strip() for line in (value or "").splitlines() if line.strip()]


def health_data(form: dict[str, Any]) -> dict[str, Any]:
    """The health form's flat fields as ``HealthHistoryIn``'s structure."""
    parq = {}
    for key in PARQ_QUESTIONS:
        answer = form.get(f"parq_{key}")
        if answer in ("yes", "no"):
            details = (form.get(f"parq_{key}_details") or "").strip() or None
            parq[key] = {"answer": answer == "yes", "details": details}
    contacts = []
    if any((form.get(k) or "").strip() for k in ("ec_name", "ec_phone", "ec_relationship")):
        contacts.append(
            {
                "name": (form.get("ec_name") or "").strip(),
                "relationship": (form.get("ec_relationship") or "").strip() or None,
                "phone": (form.get("ec_phone") or "").strip(),
            }
        )
    return {
        "parq": parq,
        **{k: _lines(form.get(k)) for k in HISTORY_LISTS},
        "clearance": {
            "cleared": form.get("cleared") == "on",
            "cleared_on": form.get("cleared_on") or None,
            "cleared_by": (form.get("cleared_by") or "").strip() or None,
        },
        "emergency_contacts": contacts,
        "notes": (form.get("notes") or "").strip() or None,
    }


@router.post("/clients/{client_id}/health")
async def save_health(
    request: Request,
    session: DbSession,
    principal: Annotated[Principal, page_require("health:write")],
    client_id: uuid.UUID,
) -> Response:
    form = await read_form(request)

    async def action() -> None:
        client = await service.get_client(session, principal=principal, client_id=client_id)
        data = HealthHistoryIn.model_validate(health_data(form))
        await service.put_health(session, principal=principal, client=client, data=data)

    return await _submit(
        request,
        session,
        principal,
        client_id,
        "health",
        form,
        action,
        "Health history saved.",
        rename={"clearance": "cleared_on", "emergency_contacts": "ec_phone"},
    )


@router.post("/clients/{client_id}/goals")
async def add_goal(
    request: Request, session: DbSession, principal: ClientsWrite, client_id: uuid.UUID
) -> Response:
    form = await read_form(request)
    data = blank_to_none(
        form, "title", "start_value", "target_value", "unit", "deadline_on", "current_value"
    )

    async def action() -> None:
        client = await service.get_client(session, principal=principal, client_id=client_id)
        await service.create_goal(
            session, principal=principal, client=client, data=GoalIn.model_validate(data)
        )

    return await _submit(
        request, session, principal, client_id, "goals", form, action, "Goal added."
    )


@router.post("/clients/{client_id}/goals/{goal_id}/status")
async def goal_status(
    request: Request,
    session: DbSession,
    principal: ClientsWrite,
    client_id: uuid.UUID,
    goal_id: uuid.UUID,
) -> Response:
    form = await read_form(request)

    async def action() -> None:
        client = await service.get_client(session, principal=principal, client_id=client_id)
        goal = await service.get_goal(session, client=client, goal_id=goal_id)
        fields = goal.model_dump(
            include={
                "type",
                "title",
                "exercise_id",
                "target_kind",
                "start_value",
                "target_value",
                "current_value",
                "unit",
                "deadline_on",
            }
        )
        if form.get("current_value"):
            fields["current_value"] = form["current_value"]
        if form.get("status"):
            fields["status"] = form["status"]
        await service.update_goal(
            session, client=client, goal_id=goal_id, data=GoalIn.model_validate(fields)
        )

    return await _submit(
        request, session, principal, client_id, "goals", form, action, "Goal updated."
    )


ASSESSMENT_FIELDS = (
    "resting_hr",
    "bp_systolic",
    "bp_diastolic",
    "body_weight_kg",
    "body_fat_pct",
    "waist_cm",
    "hip_cm",
    "push_ups",
    "plank_seconds",
    "sit_reach_cm",
)


@router.post("/clients/{client_id}/assessments")
async def add_assessment(
    request: Request, session: DbSession, principal: ClientsWrite, client_id: uuid.UUID
) -> Response:
    form = await read_form(request)
    data = blank_to_none(form, *ASSESSMENT_FIELDS, *FMS_TESTS, "notes")
    data["movement_screen"] = {t: data.pop(t) for t in FMS_TESTS if data.get(t) is not None}
    for t in FMS_TESTS:
        data.pop(t, None)

    async def action() -> None:
        client = await service.get_client(session, principal=principal, client_id=client_id)
        await service.create_assessment(
            session, principal=principal, client=client, data=AssessmentIn.model_validate(data)
        )

    return await _submit(
        request,
        session,
        principal,
        client_id,
        "assessments",
        form,
        action,
        "Assessment recorded.",
        rename={"movement_screen": FMS_TESTS[0]},
    )
