"""Program pages: the template library, the builder and the assign form.

The builder edits one template in place. Structure changes (phases, workouts, duplicating)
are plain forms that redirect back to the workout; everything on a prescription (add from
the inline exercise search, edit, reorder, superset, remove) is an HTMX post answered with
the workout card re-rendered, or a redirect without JavaScript."""

from __future__ import annotations

import string
import uuid
from collections.abc import Awaitable, Callable
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from sqlalchemy.ext.asyncio import AsyncSession

from spotter.clients import service as clients
from spotter.core.db import DbSession, utcnow
from spotter.core.errors import AppError, field_error
from spotter.core.pagination import PageParams
from spotter.exercises import service as exercises
from spotter.identity.dependencies import Principal
from spotter.programs import present, service
from spotter.programs.errors import WorkoutNotFound
from spotter.programs.schemas import (
    AssignIn,
    Level,
    Order,
    PhaseFields,
    PhaseIn,
    PrescriptionIn,
    PrescriptionOut,
    SetType,
    TemplateCreate,
    TemplateFields,
    TemplateOut,
    WorkoutFields,
    WorkoutIn,
    WorkoutOut,
)
from spotter.web import (
    FORM_ERRORS,
    blank_to_none,
    field_messages,
    page_require,
    read_form,
    redirect,
    render,
    render_form,
)

router = APIRouter()
TemplatesRead = Annotated[Principal, page_require("templates:read")]
TemplatesWrite = Annotated[Principal, page_require("templates:write")]
ProgramsWrite = Annotated[Principal, page_require("programs:write")]
Search = Annotated[str, Query(max_length=100)]
Cursor = Annotated[str, Query(max_length=500)]
PAGE_SIZE = 20
LEVELS = [level.value for level in Level]
SET_TYPES = [(s.value, s.value.replace("_", "-").capitalize()) for s in SetType]
LOAD_KINDS = [("load_kg", "kg"), ("percent_1rm", "%1RM"), ("rpe", "RPE"), ("rir", "RIR")]
WEEKDAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
# Form names for the prescription fields a message may be about.
RX_RENAME = {
    "reps_min": "reps",
    "reps_max": "reps",
    "load_kg": "load",
    "percent_1rm": "load",
    "rpe": "load",
    "rir": "load",
}
RX_COLUMNS = (
    "exercise_id",
    "sets",
    "reps_min",
    "reps_max",
    "load_kg",
    "percent_1rm",
    "rpe",
    "rir",
    "tempo",
    "rest_seconds",
    "duration_seconds",
    "distance_m",
    "set_type",
    "notes",
    "group_label",
    "progression",
)


# --- the library ---------------------------------------------------------------------------------


async def template_list(
    session: AsyncSession, principal: Principal, *, q: str = "", cursor: str = ""
) -> dict[str, Any]:
    items, next_cursor, weeks = await service.list_templates(
        session,
        principal=principal,
        params=PageParams(cursor=cursor or None, limit=PAGE_SIZE),
        q=q.strip() or None,
    )
    return {
        "templates": [present.summary(p, weeks.get(p.id, 0)) for p in items],
        "next_cursor": next_cursor,
        "q": q,
    }


@router.get("/programs")
async def templates_page(
    request: Request, session: DbSession, principal: TemplatesRead, q: Search = ""
) -> Response:
    context = await template_list(session, principal, q=q)
    form = {"weeks": "4", "days": "3"}
    return render(request, "programs/list.html", {**context, "levels": LEVELS, "form": form})


@router.get("/programs/rows")
async def template_rows(
    request: Request,
    session: DbSession,
    principal: TemplatesRead,
    q: Search = "",
    cursor: Cursor = "",
) -> Response:
    context = await template_list(session, principal, q=q, cursor=cursor)
    return render(request, "programs/_rows.html", {**context, "appending": bool(cursor)})


def _count(value: Any, default: int) -> Any:
    text = str(value or "").strip()
    return int(text) if text.isdigit() else (text or default)


@router.post("/programs")
async def create_template(
    request: Request, session: DbSession, principal: TemplatesWrite
) -> Response:
    """A template with a first phase of ``weeks`` weeks and ``days`` empty training days."""
    form = await read_form(request)
    data = blank_to_none(form, "goal", "level", "description")
    days = _count(form.get("days"), 3)
    weeks = _count(form.get("weeks"), 4)
    try:
        async with session.begin_nested():
            if not isinstance(days, int) or not 1 <= days <= 7:
                raise field_error("days", "Choose between 1 and 7 days.")
            phase = PhaseIn.model_validate(
                {
                    "name": "Phase 1",
                    "weeks": weeks,
                    "workouts": [{"name": f"Day {i}"} for i in range(1, days + 1)],
                }
            )
            fields = {k: data.get(k) for k in ("name", "goal", "level", "description")}
            plan, _ = await service.create_template(
                session,
                principal=principal,
                data=TemplateCreate.model_validate({**fields, "phases": [phase]}),
            )
    except FORM_ERRORS as exc:
        return await _list_again(request, session, principal, form, exc)
    return redirect(request, f"/programs/{plan.id}", f"{plan.name} was created: add exercises.")


async def _list_again(
    request: Request, session: AsyncSession, principal: Principal, form: dict[str, Any], exc: Any
) -> Response:
    context = await template_list(session, principal)
    rename = {"phases": "weeks"}
    return render_form(
        request,
        "programs/list.html",
        exc,
        form=form,
        context={**context, "levels": LEVELS, "open_new": True},
        rename=rename,
    )


# --- the builder ---------------------------------------------------------------------------------


async def _template(session: AsyncSession, principal: Principal, template_id: uuid.UUID) -> Any:
    return present.template(
        *await service.read_template(session, principal=principal, template_id=template_id)
    )


def _find_workout(template: TemplateOut, workout_id: uuid.UUID) -> WorkoutOut:
    for phase in template.phases:
        for w in phase.workouts:
            if w.id == workout_id:
                return w
    raise WorkoutNotFound()


def _find_rx(template: TemplateOut, rx_id: uuid.UUID) -> tuple[WorkoutOut, PrescriptionOut]:
    for phase in template.phases:
        for w in phase.workouts:
            for rx in w.prescriptions:
                if rx.id == rx_id:
                    return w, rx
    raise WorkoutNotFound("No such prescription in this template")


def builder_context(principal: Principal, template: TemplateOut) -> dict[str, Any]:
    editable = principal.can("templates:manage") or (
        template.owner_id is not None and str(template.owner_id) == str(principal.user_id)
    )
    return {
        "t": template,
        "editable": editable and not template.archived,
        "set_types": SET_TYPES,
        "load_kinds": LOAD_KINDS,
        "levels": LEVELS,
        "weekday_names": WEEKDAY_NAMES,
        "rx_errors": {},
    }


@router.get("/programs/{template_id}")
async def builder_page(
    request: Request, session: DbSession, principal: TemplatesRead, template_id: uuid.UUID
) -> Response:
    template = await _template(session, principal, template_id)
    context = builder_context(principal, template)
    if principal.can("programs:write"):
        listed, _ = await clients.list_clients(
            session, principal=principal, params=PageParams(limit=100)
        )
        context["choices"] = [c for c in listed if c.status != "archived"]
        context["assign_form"] = {"start_on": utcnow().date().isoformat(), "mode": "STATIC"}
    form = {"name": template.name, "goal": template.goal or "", "level": template.level or ""}
    return render(request, "programs/builder.html", {**context, "form": form})


async def _structure(
    request: Request,
    session: AsyncSession,
    principal: Principal,
    template_id: uuid.UUID,
    action: Callable[[], Awaitable[Any]],
    message: str,
    anchor: str = "",
) -> Response:
    """A structure change: redirect back to the builder, or show the refusal there."""
    try:
        async with session.begin_nested():
            result = await action()
    except FORM_ERRORS as exc:
        if isinstance(exc, AppError) and exc.status >= 500:
            raise
        fields, general = field_messages(exc)
        text = general if not fields else " ".join(fields.values())
        return redirect(request, f"/programs/{template_id}", text or "Not saved.", "error")
    target = anchor or (f"#workout-{result}" if isinstance(result, uuid.UUID) else "")
    return redirect(request, f"/programs/{template_id}{target}", message)


@router.post("/programs/{template_id}")
async def update_template(
    request: Request, session: DbSession, principal: TemplatesWrite, template_id: uuid.UUID
) -> Response:
    form = await read_form(request)
    data = blank_to_none(form, "goal", "level", "description")

    async def action() -> None:
        await service.update_template(
            session,
            principal=principal,
            template_id=template_id,
            data=TemplateFields.model_validate(data),
        )

    return await _structure(request, session, principal, template_id, action, "Template saved.")


@router.post("/programs/{template_id}/archive")
async def archive_template(
    request: Request, session: DbSession, principal: TemplatesWrite, template_id: uuid.UUID
) -> Response:
    await service.archive_template(session, principal=principal, template_id=template_id)
    return redirect(request, "/programs", "Template archived.")


@router.post("/programs/{template_id}/phases")
async def add_phase(
    request: Request, session: DbSession, principal: TemplatesWrite, template_id: uuid.UUID
) -> Response:
    form = await read_form(request)

    async def action() -> None:
        data = PhaseIn.model_validate(
            {
                "name": form.get("name") or "New phase",
                "weeks": form.get("weeks") or 4,
                "focus": form.get("focus") or None,
                "workouts": [{"name": "Day 1"}],
            }
        )
        await service.add_phase(session, principal=principal, template_id=template_id, data=data)

    return await _structure(request, session, principal, template_id, action, "Phase added.")


@router.post("/programs/{template_id}/phases/{phase_id}")
async def update_phase(
    request: Request,
    session: DbSession,
    principal: TemplatesWrite,
    template_id: uuid.UUID,
    phase_id: uuid.UUID,
) -> Response:
    form = await read_form(request)

    async def action() -> None:
        data = PhaseFields.model_validate(blank_to_none(form, "focus"))
        await service.update_phase(session, principal=principal, phase_id=phase_id, data=data)

    return await _structure(
        request, session, principal, template_id, action, "Phase saved.", f"#phase-{phase_id}"
    )


@router.post("/programs/{template_id}/phases/{phase_id}/delete")
async def delete_phase(
    request: Request,
    session: DbSession,
    principal: TemplatesWrite,
    template_id: uuid.UUID,
    phase_id: uuid.UUID,
) -> Response:
    async def action() -> None:
        await service.delete_phase(session, principal=principal, phase_id=phase_id)

    return await _structure(request, session, principal, template_id, action, "Phase removed.")


@router.post("/programs/{template_id}/phases/{phase_id}/workouts")
async def add_workout(
    request: Request,
    session: DbSession,
    principal: TemplatesWrite,
    template_id: uuid.UUID,
    phase_id: uuid.UUID,
) -> Response:
    form = await read_form(request)

    async def action() -> uuid.UUID:
        data = WorkoutIn.model_validate({"name": form.get("name") or "New day"})
        workout, _ = await service.add_workout(
            session, principal=principal, phase_id=phase_id, data=data
        )
        return workout.id

    return await _structure(request, session, principal, template_id, action, "Day added.")


@router.post("/programs/{template_id}/workouts/{workout_id}")
async def update_workout(
    request: Request,
    session: DbSession,
    principal: TemplatesWrite,
    template_id: uuid.UUID,
    workout_id: uuid.UUID,
) -> Response:
    form = await read_form(request)

    async def action() -> uuid.UUID:
        data = WorkoutFields.model_validate(blank_to_none(form, "notes"))
        await service.update_workout(session, principal=principal, workout_id=workout_id, data=data)
        return workout_id

    if request.headers.get("hx-request"):
        return await _rx_action(request, session, principal, template_id, workout_id, action)
    return await _structure(request, session, principal, template_id, action, "Day renamed.")


@router.post("/programs/{template_id}/workouts/{workout_id}/delete")
async def delete_workout(
    request: Request,
    session: DbSession,
    principal: TemplatesWrite,
    template_id: uuid.UUID,
    workout_id: uuid.UUID,
) -> Response:
    async def action() -> None:
        await service.delete_workout(session, principal=principal, workout_id=workout_id)

    return await _structure(request, session, principal, template_id, action, "Day removed.")


@router.post("/programs/{template_id}/workouts/{workout_id}/duplicate")
async def duplicate_workout(
    request: Request,
    session: DbSession,
    principal: TemplatesWrite,
    template_id: uuid.UUID,
    workout_id: uuid.UUID,
) -> Response:
    async def action() -> uuid.UUID:
        copy, _ = await service.duplicate_workout(
            session, principal=principal, workout_id=workout_id
        )
        return copy.id

    return await _structure(request, session, principal, template_id, action, "Day duplicated.")


# --- prescriptions (HTMX: the workout card comes back) ------------------------------------------


async def _workout_card(
    request: Request,
    session: AsyncSession,
    principal: Principal,
    template_id: uuid.UUID,
    workout_id: uuid.UUID,
    *,
    status: int = 200,
    rx_errors: dict[str, Any] | None = None,
    form: dict[str, Any] | None = None,
) -> Response:
    template = await _template(session, principal, template_id)
    workout = _find_workout(template, workout_id)
    context = {**builder_context(principal, template), "w": workout}
    context["rx_errors"] = rx_errors or {}
    context["rx_form"] = form or {}
    return render(request, "programs/_workout.html", context, status_code=status)


async def _rx_action(
    request: Request,
    session: AsyncSession,
    principal: Principal,
    template_id: uuid.UUID,
    workout_id: uuid.UUID,
    action: Callable[[], Awaitable[Any]],
    *,
    rx_id: uuid.UUID | None = None,
    form: dict[str, Any] | None = None,
) -> Response:
    try:
        async with session.begin_nested():
            await action()
    except FORM_ERRORS as exc:
        if isinstance(exc, AppError) and exc.status >= 500:
            raise
        fields, general = field_messages(exc, rename=RX_RENAME)
        status = 422 if not isinstance(exc, AppError) else exc.status
        if not request.headers.get("hx-request"):
            text = " ".join([*fields.values(), general or ""]).strip()
            return redirect(request, f"/programs/{template_id}#workout-{workout_id}", text, "error")
        key = str(rx_id) if rx_id else "new"
        errors = {key: {"fields": fields, "general": general}}
        return await _workout_card(
            request,
            session,
            principal,
            template_id,
            workout_id,
            status=status,
            rx_errors=errors,
            form={key: form or {}},
        )
    if not request.headers.get("hx-request"):
        return redirect(request, f"/programs/{template_id}#workout-{workout_id}", "Saved.")
    return await _workout_card(request, session, principal, template_id, workout_id)


@router.get("/programs/{template_id}/workouts/{workout_id}/exercises")
async def exercise_search(
    request: Request,
    session: DbSession,
    principal: TemplatesWrite,
    template_id: uuid.UUID,
    workout_id: uuid.UUID,
    q: Search = "",
) -> Response:
    """HTML fragment: library matches for the workout's inline search, each one a button
    that adds it."""
    results: list[Any] = []
    if q.strip():
        results, _ = await exercises.search(session, params=PageParams(limit=8), q=q.strip())
    context = {"results": results, "q": q, "template_id": template_id, "workout_id": workout_id}
    return render(request, "programs/_search_results.html", context)


@router.post("/programs/{template_id}/workouts/{workout_id}/prescriptions")
async def add_prescription(
    request: Request,
    session: DbSession,
    principal: TemplatesWrite,
    template_id: uuid.UUID,
    workout_id: uuid.UUID,
) -> Response:
    form = await read_form(request)

    async def action() -> None:
        data = PrescriptionIn.model_validate(
            {"exercise_id": form.get("exercise_id"), "sets": 3, "reps_min": 8, "reps_max": 12}
        )
        await service.add_prescription(
            session, principal=principal, workout_id=workout_id, data=data
        )

    return await _rx_action(request, session, principal, template_id, workout_id, action)


def _reps(text: str) -> tuple[Any, Any]:
    """ "8" or "8-12" (also with an en dash, or "8 to 12") as (min, max); anything else is
    passed on for the schema to refuse with its message."""
    cleaned = text.strip().replace("\u2013", "-").replace(" to ", "-").replace(" ", "")
    if not cleaned:
        return None, None
    low, _, high = cleaned.partition("-")
    return low, (high or low)


def rx_data(current: PrescriptionOut, form: dict[str, Any]) -> dict[str, Any]:
    """The prescription as it is, with what the inline editor sent on top."""
    data = current.model_dump(include=set(RX_COLUMNS))
    if "sets" in form:
        data["sets"] = form["sets"] or None
    if "reps" in form:
        data["reps_min"], data["reps_max"] = _reps(form["reps"])
    if "load_kind" in form:
        for kind, _ in LOAD_KINDS:
            data[kind] = None
        value = (form.get("load") or "").strip()
        if value and form["load_kind"] in dict(LOAD_KINDS):
            data[form["load_kind"]] = value
    for name in ("rest_seconds", "tempo", "notes", "group_label", "set_type"):
        if name in form:
            data[name] = (form[name] or "").strip() or None
    if data.get("set_type") is None:
        data["set_type"] = SetType.WORKING
    return data


@router.post("/programs/{template_id}/prescriptions/{rx_id}")
async def update_prescription(
    request: Request,
    session: DbSession,
    principal: TemplatesWrite,
    template_id: uuid.UUID,
    rx_id: uuid.UUID,
) -> Response:
    form = await read_form(request)
    template = await _template(session, principal, template_id)
    workout, current = _find_rx(template, rx_id)

    async def action() -> None:
        data = PrescriptionIn.model_validate(rx_data(current, form))
        await service.update_prescription(
            session, principal=principal, prescription_id=rx_id, data=data
        )

    return await _rx_action(
        request, session, principal, template_id, workout.id, action, rx_id=rx_id, form=form
    )


@router.post("/programs/{template_id}/prescriptions/{rx_id}/delete")
async def delete_prescription(
    request: Request,
    session: DbSession,
    principal: TemplatesWrite,
    template_id: uuid.UUID,
    rx_id: uuid.UUID,
) -> Response:
    template = await _template(session, principal, template_id)
    workout, _ = _find_rx(template, rx_id)

    async def action() -> None:
        await service.delete_prescription(session, principal=principal, prescription_id=rx_id)

    return await _rx_action(request, session, principal, template_id, workout.id, action)


@router.post("/programs/{template_id}/prescriptions/{rx_id}/move")
async def move_prescription(
    request: Request,
    session: DbSession,
    principal: TemplatesWrite,
    template_id: uuid.UUID,
    rx_id: uuid.UUID,
    to: Annotated[str, Query(pattern="^(up|down)$")] = "up",
) -> Response:
    template = await _template(session, principal, template_id)
    workout, _ = _find_rx(template, rx_id)
    ids = [rx.id for rx in workout.prescriptions]
    i = ids.index(rx_id)
    j = i - 1 if to == "up" else i + 1
    if 0 <= j < len(ids):
        ids[i], ids[j] = ids[j], ids[i]

    async def action() -> None:
        await service.reorder_prescriptions(
            session, principal=principal, workout_id=workout.id, order=Order(ids=ids)
        )

    return await _rx_action(request, session, principal, template_id, workout.id, action)


def _free_label(workout: WorkoutOut) -> str:
    used = {rx.group_label for rx in workout.prescriptions if rx.group_label}
    return next((c for c in string.ascii_uppercase if c not in used), "Z")


@router.post("/programs/{template_id}/prescriptions/{rx_id}/group")
async def group_prescription(
    request: Request,
    session: DbSession,
    principal: TemplatesWrite,
    template_id: uuid.UUID,
    rx_id: uuid.UUID,
    ungroup: bool = False,
) -> Response:
    """Superset this exercise with the next one (joining its group if it has one), or take
    it out of its group."""
    template = await _template(session, principal, template_id)
    workout, current = _find_rx(template, rx_id)
    ids = [rx.id for rx in workout.prescriptions]
    nxt = workout.prescriptions[ids.index(rx_id) + 1] if ids[-1] != rx_id else None

    async def action() -> None:
        changes: list[tuple[PrescriptionOut, str | None]] = []
        if ungroup:
            changes.append((current, None))
        elif nxt is not None:
            label: str | None = current.group_label or nxt.group_label or _free_label(workout)
            changes += [(current, label), (nxt, label)]
        for rx, label in changes:
            data = PrescriptionIn.model_validate({**rx_data(rx, {}), "group_label": label})
            await service.update_prescription(
                session, principal=principal, prescription_id=rx.id, data=data
            )

    return await _rx_action(request, session, principal, template_id, workout.id, action)


# --- assign --------------------------------------------------------------------------------------


async def assign_context(
    session: AsyncSession, principal: Principal, form: dict[str, Any]
) -> dict[str, Any]:
    """The standalone assign page: every template and client the person may pick."""
    templates, _, _ = await service.list_templates(
        session, principal=principal, params=PageParams(limit=100)
    )
    listed, _ = await clients.list_clients(
        session, principal=principal, params=PageParams(limit=100)
    )
    return {
        "templates": templates,
        "choices_clients": [c for c in listed if c.status != "archived"],
        "weekday_names": WEEKDAY_NAMES,
        "assign_form": form,
    }


@router.get("/programs/assign/new")
async def assign_page(
    request: Request,
    session: DbSession,
    principal: ProgramsWrite,
    template_id: Annotated[str, Query(max_length=40)] = "",
    client_id: Annotated[str, Query(max_length=40)] = "",
) -> Response:
    form = {
        "template_id": template_id,
        "client_id": client_id,
        "mode": "STATIC",
        "start_on": utcnow().date().isoformat(),
    }
    context = await assign_context(session, principal, form)
    return render(request, "programs/assign.html", {**context, "form": form})


@router.post("/programs/assign/new")
async def assign(request: Request, session: DbSession, principal: ProgramsWrite) -> Response:
    form = await read_form(request, lists=("training_days",))
    data = blank_to_none(form, "name")
    if not data.get("training_days"):
        data["training_days"] = None
    template_id = form.get("template_id") or ""
    try:
        async with session.begin_nested():
            try:
                tid = uuid.UUID(template_id)
            except ValueError:
                raise field_error("template_id", "Choose a template.") from None
            fields = {k: v for k, v in data.items() if k != "template_id"}
            program = await service.assign(
                session, principal=principal, template_id=tid, data=AssignIn.model_validate(fields)
            )
    except FORM_ERRORS as exc:
        context = await assign_context(session, principal, form)
        return render_form(
            request, "programs/assign.html", exc, form=form, context=context, rename={}
        )
    return redirect(
        request,
        f"/clients/{program.client_id}?tab=programs",
        f"{program.name} assigned, starting {program.start_on:%-d %b}.",
    )
