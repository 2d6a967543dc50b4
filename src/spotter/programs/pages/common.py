"""What the program pages share: permission aliases, choices for the forms, reading a
template for the builder and the two ways a builder action answers (a redirect for a
structure change, the re-rendered fragment for an HTMX edit)."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import Annotated, Any

from fastapi import Query, Request
from fastapi.responses import Response
from sqlalchemy.ext.asyncio import AsyncSession

from spotter.core.errors import AppError
from spotter.core.routing import Router
from spotter.identity.dependencies import Principal
from spotter.programs import present, progression, service
from spotter.programs.errors import PhaseNotFound, WorkoutNotFound
from spotter.programs.schemas import (
    Level,
    PhaseOut,
    PrescriptionOut,
    SetType,
    TemplateOut,
    WorkoutOut,
)
from spotter.web import FORM_ERRORS, field_messages, page_require, redirect

# The package's one router: its modules add their routes to it in import order.
router = Router()
TemplatesRead = Annotated[Principal, page_require("templates:read")]
TemplatesWrite = Annotated[Principal, page_require("templates:write")]
ProgramsWrite = Annotated[Principal, page_require("programs:write")]
Search = Annotated[str, Query(max_length=100)]
Cursor = Annotated[str, Query(max_length=500)]
Direction = Annotated[str, Query(pattern="^(up|down)$")]
PAGE_SIZE = 20
LEVELS = [level.value for level in Level]
SET_TYPES = [(s.value, s.value.replace("_", "-").capitalize()) for s in SetType]
LOAD_KINDS = [("load_kg", "kg"), ("percent_1rm", "%1RM"), ("rpe", "RPE"), ("rir", "RIR")]
WEEKDAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def not_a_form_problem(exc: Exception) -> bool:
    """Errors that answer as themselves (a 404 for another organization's object, a 403,
    a 5xx), not as a message in the builder."""
    return isinstance(exc, AppError) and (exc.status in (403, 404) or exc.status >= 500)


def is_htmx(request: Request) -> bool:
    return bool(request.headers.get("hx-request"))


def swapped(ids: list[uuid.UUID], item: uuid.UUID, to: str) -> list[uuid.UUID]:
    """``ids`` with ``item`` moved one place up or down (unchanged at either end)."""
    order = list(ids)
    i = order.index(item)
    j = i - 1 if to == "up" else i + 1
    if 0 <= j < len(order):
        order[i], order[j] = order[j], order[i]
    return order


async def read_template(
    session: AsyncSession, principal: Principal, template_id: uuid.UUID
) -> TemplateOut:
    return present.template(
        *await service.read_template(session, principal=principal, template_id=template_id)
    )


def find_phase(template: TemplateOut, phase_id: uuid.UUID) -> PhaseOut:
    for phase in template.phases:
        if phase.id == phase_id:
            return phase
    raise PhaseNotFound()


def phase_of(template: TemplateOut, workout_id: uuid.UUID) -> PhaseOut:
    for phase in template.phases:
        if any(w.id == workout_id for w in phase.workouts):
            return phase
    raise WorkoutNotFound()


def find_workout(template: TemplateOut, workout_id: uuid.UUID) -> WorkoutOut:
    return next(w for w in phase_of(template, workout_id).workouts if w.id == workout_id)


def find_rx(template: TemplateOut, rx_id: uuid.UUID) -> tuple[WorkoutOut, PrescriptionOut]:
    for phase in template.phases:
        for w in phase.workouts:
            for rx in w.prescriptions:
                if rx.id == rx_id:
                    return w, rx
    raise WorkoutNotFound("No such prescription in this template")


def _week_text(values: progression.Values) -> str:
    reps = ""
    if values.reps_min is not None:
        top = f"\u2013{values.reps_max}" if values.reps_max != values.reps_min else ""
        reps = f" \u00d7 {values.reps_min}{top}"
    load = ""
    if values.load_kg is not None:
        load = f" @ {values.load_kg:g} kg"
    elif values.percent_1rm is not None:
        load = f" @ {values.percent_1rm:g}% 1RM"
    return f"{values.sets}{reps}{load}"


def _rule_text(rx: PrescriptionOut) -> str:
    rule = rx.progression or {}
    increment = f"{rule.get('increment_kg', 0):g}"
    if rule.get("kind") == "linear_load":
        return f"+{increment} kg a week"
    if rule.get("kind") == "double_progression":
        reps = f"{rx.reps_min}\u2013{rx.reps_max}" if rx.reps_min != rx.reps_max else "rep range"
        return f"{reps}, then +{increment} kg"
    return " \u2192 ".join(f"{step:g}" for step in rule.get("steps", [])) + " %1RM"


def progressions(template: TemplateOut) -> tuple[dict[str, str], dict[str, str]]:
    """Each rule in words, and what it does over its phase (the first and the last
    week's values), by prescription id."""
    rules, previews = {}, {}
    for phase in template.phases:
        for w in phase.workouts:
            for rx in w.prescriptions:
                if not rx.progression:
                    continue
                key = str(rx.id)
                rules[key] = _rule_text(rx)
                base = progression.Values.of(rx)
                first = _week_text(progression.applied(base, rx.progression, 1))
                if phase.weeks == 1:
                    previews[key] = f"Week 1: {first} (a one-week phase)"
                    continue
                last = _week_text(progression.applied(base, rx.progression, phase.weeks))
                previews[key] = f"Week 1: {first} \u2192 week {phase.weeks}: {last}"
    return rules, previews


def builder_context(
    principal: Principal, template: TemplateOut, moved: dict[str, str] | None = None
) -> dict[str, Any]:
    """``moved``: the item an up/down just moved (its buttons keep the focus)."""
    editable = principal.can("templates:manage") or (
        template.owner_id is not None and str(template.owner_id) == str(principal.user_id)
    )
    rules, previews = progressions(template)
    return {
        "t": template,
        "editable": editable and not template.archived,
        "set_types": SET_TYPES,
        "load_kinds": LOAD_KINDS,
        "levels": LEVELS,
        "weekday_names": WEEKDAY_NAMES,
        "rx_errors": {},
        "rx_form": {},
        "rules": rules,
        "previews": previews,
        "moved": moved,
    }


async def structure_change(
    request: Request,
    session: AsyncSession,
    template_id: uuid.UUID,
    action: Callable[[], Awaitable[Any]],
    message: str,
    anchor: str = "",
    *,
    fragment: Callable[[], Awaitable[Response]] | None = None,
) -> Response:
    """A structure change: redirect back to the builder (or, over HTMX, answer
    ``fragment``: the part of the builder that changed), or show the refusal there."""
    try:
        async with session.begin_nested():
            result = await action()
    except FORM_ERRORS as exc:
        if not_a_form_problem(exc):
            raise
        fields, general = field_messages(exc)
        text = general if not fields else " ".join(fields.values())
        return redirect(request, f"/programs/{template_id}", text or "Not saved.", "error")
    if fragment is not None and is_htmx(request):
        return await fragment()
    target = anchor or (f"#workout-{result}" if isinstance(result, uuid.UUID) else "")
    return redirect(request, f"/programs/{template_id}{target}", message)
