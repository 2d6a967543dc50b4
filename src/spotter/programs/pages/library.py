"""The template library: list with live search and "Load more", and a new template."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import Response
from sqlalchemy.ext.asyncio import AsyncSession

from spotter.core.db import DbSession
from spotter.core.errors import field_error
from spotter.core.pagination import PageParams
from spotter.identity.dependencies import Principal
from spotter.programs import present, service
from spotter.programs.pages.common import (
    LEVELS,
    PAGE_SIZE,
    Cursor,
    Search,
    TemplatesRead,
    TemplatesWrite,
    router,
)
from spotter.programs.schemas import PhaseIn, TemplateCreate
from spotter.web import FORM_ERRORS, blank_to_none, read_form, redirect, render, render_form


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
        context = await template_list(session, principal)
        return render_form(
            request,
            "programs/list.html",
            exc,
            form=form,
            context={**context, "levels": LEVELS, "open_new": True},
            rename={"phases": "weeks"},
        )
    return redirect(request, f"/programs/{plan.id}", f"{plan.name} was created: add exercises.")
