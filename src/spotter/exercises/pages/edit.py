"""The organization's own exercises (``exercises:write``): create, edit, archive, through
``exercises.service`` so the search cache stays right. (Its version of a shared exercise
is edited on that exercise's page, ``detail``.)"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import Annotated, Any

from fastapi import Query, Request
from fastapi.responses import Response
from sqlalchemy.ext.asyncio import AsyncSession

from spotter.core.db import DbSession
from spotter.exercises import service as exercises
from spotter.exercises.index import Entry
from spotter.exercises.pages.common import ExercisesWrite, lines, router, vocabulary
from spotter.exercises.schemas import CustomExerciseIn
from spotter.web import FORM_ERRORS, blank_to_none, read_form, redirect, render, render_form

MUSCLE_LISTS = ("primary_muscles", "secondary_muscles")


def custom_data(form: dict[str, Any]) -> dict[str, Any]:
    """The form's fields as ``CustomExerciseIn``'s (cues one per line)."""
    data = blank_to_none(form, "mechanic", "force", "equipment", "video_url", "notes")
    data["cues"] = lines(form.get("cues"))
    return data


def custom_form(entry: Entry) -> dict[str, Any]:
    return {
        "name": entry.name,
        "category": entry.category,
        "level": entry.level,
        "mechanic": entry.mechanic or "",
        "force": entry.force or "",
        "equipment": entry.equipment or "",
        "primary_muscles": list(entry.primary_muscles),
        "secondary_muscles": list(entry.secondary_muscles),
        "video_url": entry.video_url or "",
        "cues": "\n".join(entry.cues),
        "notes": entry.notes or "",
    }


async def _form_page(
    request: Request, session: AsyncSession, form: dict[str, Any], entry: Entry | None = None
) -> Response:
    vocab = (await vocabulary(session)).as_context()
    return render(request, "exercises/form.html", {**vocab, "form": form, "e": entry})


@router.get("/exercises/new")
async def new_exercise_page(
    request: Request,
    session: DbSession,
    principal: ExercisesWrite,
    name: Annotated[str, Query(max_length=120)] = "",
) -> Response:
    form = {"name": name, "category": "strength", "level": "beginner"}
    return await _form_page(request, session, form)


async def _save_custom(
    request: Request,
    session: AsyncSession,
    save: Callable[[CustomExerciseIn], Awaitable[Entry]],
    message: str,
    current: uuid.UUID | None = None,
) -> Response:
    """The custom-exercise form, for a new one or ``current``: saved and on to its page, or
    the form again with the messages."""
    form = await read_form(request, lists=MUSCLE_LISTS)
    try:
        async with session.begin_nested():
            entry = await save(CustomExerciseIn.model_validate(custom_data(form)))
    except FORM_ERRORS as exc:
        context = (await vocabulary(session)).as_context()
        if current is not None:
            context["e"] = await exercises.get_exercise(session, exercise_id=current)
        return render_form(request, "exercises/form.html", exc, form=form, context=context)
    return redirect(request, f"/exercises/{entry.id}", message.format(name=entry.name))


@router.post("/exercises/new")
async def create_exercise(
    request: Request, session: DbSession, principal: ExercisesWrite
) -> Response:
    async def save(data: CustomExerciseIn) -> Entry:
        return await exercises.create_custom(session, principal=principal, data=data)

    return await _save_custom(request, session, save, "{name} was added to your library.")


@router.get("/exercises/{exercise_id}/edit")
async def edit_exercise_page(
    request: Request, session: DbSession, principal: ExercisesWrite, exercise_id: uuid.UUID
) -> Response:
    entry = await exercises.get_exercise(session, exercise_id=exercise_id)
    if entry.source != "custom":  # a shared exercise is customized on its own page
        return redirect(request, f"/exercises/{entry.id}#customize")
    return await _form_page(request, session, custom_form(entry), entry)


@router.post("/exercises/{exercise_id}/edit")
async def update_exercise(
    request: Request, session: DbSession, principal: ExercisesWrite, exercise_id: uuid.UUID
) -> Response:
    async def save(data: CustomExerciseIn) -> Entry:
        return await exercises.update_custom(session, exercise_id=exercise_id, data=data)

    return await _save_custom(request, session, save, "{name} was saved.", exercise_id)


@router.post("/exercises/{exercise_id}/archive")
async def archive_exercise(
    request: Request, session: DbSession, principal: ExercisesWrite, exercise_id: uuid.UUID
) -> Response:
    entry = await exercises.get_exercise(session, exercise_id=exercise_id)
    await exercises.archive_custom(session, exercise_id=exercise_id)
    message = f"{entry.name} was archived: programs that use it keep it."
    return redirect(request, "/exercises", message)
