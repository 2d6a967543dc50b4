"""Assigning a template to a client: the standalone page (the builder and the client page
carry the same form in a dialog or a card)."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import Query, Request
from fastapi.responses import Response
from sqlalchemy.ext.asyncio import AsyncSession

from spotter.clients import service as clients
from spotter.core.db import DbSession, utcnow
from spotter.core.errors import field_error
from spotter.core.pagination import PageParams
from spotter.identity.dependencies import Principal
from spotter.programs import service
from spotter.programs.pages.common import WEEKDAY_NAMES, ProgramsWrite, router
from spotter.programs.schemas import AssignIn
from spotter.web import FORM_ERRORS, blank_to_none, read_form, redirect, render, render_form


async def assign_context(
    session: AsyncSession, principal: Principal, form: dict[str, Any]
) -> dict[str, Any]:
    """The standalone assign page: the templates to pick from (the client is searched
    for with the picker)."""
    templates, _, _ = await service.list_templates(
        session, principal=principal, params=PageParams(limit=100)
    )
    return {"templates": templates, "weekday_names": WEEKDAY_NAMES, "assign_form": form}


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
        "mode": "STATIC",
        "start_on": utcnow().date().isoformat(),
    }
    if client_id:  # "Assign a program" from a client: that client, chosen already
        try:
            chosen = await clients.get_client(
                session, principal=principal, client_id=uuid.UUID(client_id)
            )
        except ValueError:
            raise field_error("client_id", "Choose a client.") from None
        form |= {"client_id": str(chosen.id), "client_name": chosen.full_name}
    context = await assign_context(session, principal, form)
    return render(request, "programs/assign.html", {**context, "form": form})


@router.post("/programs/assign/new")
async def assign(request: Request, session: DbSession, principal: ProgramsWrite) -> Response:
    form = await read_form(request, lists=("training_days",))
    data = blank_to_none(form, "name")
    data.pop("client_name", None)  # the picker's display name, for showing it again
    if not data.get("training_days"):
        data["training_days"] = None
    template_id = form.get("template_id") or ""
    try:
        async with session.begin_nested():
            try:
                tid = uuid.UUID(template_id)
            except ValueError:
                raise field_error("template_id", "Choose a template.") from None
            if not form.get("client_id"):
                raise field_error("client_id", "Choose a client.")
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
