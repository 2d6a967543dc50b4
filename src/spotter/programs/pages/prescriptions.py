"""Prescriptions in the builder, over HTMX: add from the inline exercise search, edit a
field on change, reorder, superset, remove. Each answers the workout card re-rendered (with
the message next to the field when refused), or a redirect without JavaScript."""

from __future__ import annotations

import re
import string
import uuid
from collections.abc import Awaitable, Callable
from typing import Annotated, Any

from fastapi import Query, Request
from fastapi.responses import Response
from pydantic import TypeAdapter
from sqlalchemy.ext.asyncio import AsyncSession

from spotter.core.db import DbSession
from spotter.core.errors import AppError, field_error
from spotter.core.pagination import PageParams
from spotter.exercises import service as exercises
from spotter.identity.dependencies import Principal
from spotter.programs import service
from spotter.programs.pages.common import (
    LOAD_KINDS,
    Direction,
    Search,
    TemplatesWrite,
    builder_context,
    find_rx,
    find_workout,
    is_htmx,
    not_a_form_problem,
    read_template,
    router,
    swapped,
)
from spotter.programs.schemas import (
    Order,
    PrescriptionIn,
    PrescriptionOut,
    Rule,
    SetType,
    WorkoutOut,
)
from spotter.web import FORM_ERRORS, field_messages, read_form, redirect, render

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


async def workout_card(
    request: Request,
    session: AsyncSession,
    principal: Principal,
    template_id: uuid.UUID,
    workout_id: uuid.UUID,
    *,
    status: int = 200,
    rx_errors: dict[str, Any] | None = None,
    form: dict[str, Any] | None = None,
    moved: dict[str, str] | None = None,
    focus: str | None = None,
) -> Response:
    """``focus``: the id of the element to focus once the card is swapped in."""
    template = await read_template(session, principal, template_id)
    workout = find_workout(template, workout_id)
    context = {**builder_context(principal, template, moved), "w": workout, "focus": focus}
    context["rx_errors"] = rx_errors or {}
    context["rx_form"] = form or {}
    return render(request, "programs/_workout.html", context, status_code=status)


async def rx_action(
    request: Request,
    session: AsyncSession,
    principal: Principal,
    template_id: uuid.UUID,
    workout_id: uuid.UUID,
    action: Callable[[], Awaitable[Any]],
    *,
    key: str = "new",
    form: dict[str, Any] | None = None,
    rename: dict[str, str] = RX_RENAME,
    moved: dict[str, str] | None = None,
    focus: str | None = None,
) -> Response:
    """Run a prescription edit; answer the workout card, with a refusal shown in the form
    named ``key`` (a prescription id, "<id>:progression", or "new" for the search)."""
    try:
        async with session.begin_nested():
            await action()
    except FORM_ERRORS as exc:
        if not_a_form_problem(exc):
            raise
        fields, general = field_messages(exc, rename=rename)
        status = 422 if not isinstance(exc, AppError) else exc.status
        if not is_htmx(request):
            text = " ".join([*fields.values(), general or ""]).strip()
            return redirect(request, f"/programs/{template_id}#workout-{workout_id}", text, "error")
        errors = {key: {"fields": fields, "general": general}}
        return await workout_card(
            request,
            session,
            principal,
            template_id,
            workout_id,
            status=status,
            rx_errors=errors,
            form={key: form or {}},
        )
    if not is_htmx(request):
        return redirect(request, f"/programs/{template_id}#workout-{workout_id}", "Saved.")
    return await workout_card(
        request, session, principal, template_id, workout_id, moved=moved, focus=focus
    )


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
    await service.editable_workout(
        session, principal=principal, template_id=template_id, workout_id=workout_id
    )
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

    return await rx_action(request, session, principal, template_id, workout_id, action)


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
    template = await read_template(session, principal, template_id)
    workout, current = find_rx(template, rx_id)

    async def action() -> None:
        data = PrescriptionIn.model_validate(rx_data(current, form))
        await service.update_prescription(
            session, principal=principal, prescription_id=rx_id, data=data
        )

    return await rx_action(
        request, session, principal, template_id, workout.id, action, key=str(rx_id), form=form
    )


@router.post("/programs/{template_id}/prescriptions/{rx_id}/delete")
async def delete_prescription(
    request: Request,
    session: DbSession,
    principal: TemplatesWrite,
    template_id: uuid.UUID,
    rx_id: uuid.UUID,
) -> Response:
    template = await read_template(session, principal, template_id)
    workout, _ = find_rx(template, rx_id)

    async def action() -> None:
        await service.delete_prescription(session, principal=principal, prescription_id=rx_id)

    return await rx_action(request, session, principal, template_id, workout.id, action)


@router.post("/programs/{template_id}/prescriptions/{rx_id}/move")
async def move_prescription(
    request: Request,
    session: DbSession,
    principal: TemplatesWrite,
    template_id: uuid.UUID,
    rx_id: uuid.UUID,
    to: Direction = "up",
) -> Response:
    template = await read_template(session, principal, template_id)
    workout, _ = find_rx(template, rx_id)
    ids = swapped([rx.id for rx in workout.prescriptions], rx_id, to)

    async def action() -> None:
        await service.reorder_prescriptions(
            session, principal=principal, workout_id=workout.id, order=Order(ids=ids)
        )

    moved = {"id": str(rx_id), "to": to}
    return await rx_action(
        request, session, principal, template_id, workout.id, action, moved=moved
    )


# The progression form's fields for what a message is about.
PROGRESSION_RENAME = {
    "linear_load": "linear_increment",
    "double_progression": "double_increment",
    "percentage_steps": "steps",
    "reps_min": "double_reps",
    "reps_max": "double_reps",
}
PROGRESSION_INPUTS = {
    "linear_load": ("linear_increment", "increment_kg"),
    "double_progression": ("double_increment", "increment_kg"),
    "percentage_steps": ("steps", "steps"),
}
RULE: TypeAdapter[Any] = TypeAdapter(Rule)


def _steps(text: str) -> list[str]:
    """ "70, 75, 80" (or with spaces, semicolons, % signs) as the list of steps."""
    return [part for part in re.split(r"[\s,;%]+", text) if part]


def progression_rule(form: dict[str, Any]) -> dict[str, Any] | None:
    """The progression form as a rule (validated), or None for "no progression"."""
    kind = form.get("kind") or ""
    if not kind:
        return None
    if kind not in PROGRESSION_INPUTS:
        raise field_error("kind", "Choose one of the listed rules.")
    name, field = PROGRESSION_INPUTS[kind]
    raw = (form.get(name) or "").strip()
    rule: dict[str, Any] = {"kind": kind}
    if raw:  # an empty field is "required", not "not a number"
        rule[field] = _steps(raw) if field == "steps" else raw.replace(",", ".")
    return dict(RULE.validate_python(rule).model_dump())


@router.get("/programs/{template_id}/prescriptions/{rx_id}/progression")
async def progression_form(
    request: Request,
    session: DbSession,
    principal: TemplatesWrite,
    template_id: uuid.UUID,
    rx_id: uuid.UUID,
) -> Response:
    """HTML fragment: the progression form, loaded when its disclosure is first opened."""
    template = await read_template(session, principal, template_id)
    workout, rx = find_rx(template, rx_id)
    context = {**builder_context(principal, template), "w": workout, "rx": rx, "key": str(rx.id)}
    return render(request, "programs/_progression_form.html", context)


@router.post("/programs/{template_id}/prescriptions/{rx_id}/progression")
async def update_progression(
    request: Request,
    session: DbSession,
    principal: TemplatesWrite,
    template_id: uuid.UUID,
    rx_id: uuid.UUID,
) -> Response:
    """Set, change or remove a prescription's progression rule; a double progression's
    rep range is edited here too."""
    form = await read_form(request)
    template = await read_template(session, principal, template_id)
    workout, current = find_rx(template, rx_id)

    async def action() -> None:
        rule = progression_rule(form)
        double = form.get("kind") == "double_progression"
        edits = {"reps": form.get("double_reps") or ""} if double else {}
        data = PrescriptionIn.model_validate({**rx_data(current, edits), "progression": rule})
        await service.update_prescription(
            session, principal=principal, prescription_id=rx_id, data=data
        )

    return await rx_action(
        request,
        session,
        principal,
        template_id,
        workout.id,
        action,
        key=f"{rx_id}:progression",
        form=form,
        rename=PROGRESSION_RENAME,
        focus=f"prog-{rx_id}",
    )


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
    ungroup: Annotated[bool, Query()] = False,
) -> Response:
    """Superset this exercise with the next one (joining its group if it has one), or take
    it out of its group."""
    template = await read_template(session, principal, template_id)
    workout, current = find_rx(template, rx_id)
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

    return await rx_action(request, session, principal, template_id, workout.id, action)
