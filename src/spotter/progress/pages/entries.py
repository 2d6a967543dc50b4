"""Measurement entry (fast on a phone: today's date, the user's units, numeric keyboards),
the history with "Load more", the CSV export, and the organization's custom metrics."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import Request
from fastapi.responses import Response
from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from spotter.clients.models import Client
from spotter.core.db import DbSession
from spotter.core.errors import InvalidInput
from spotter.core.pagination import PageParams
from spotter.core.units import UnitSystem
from spotter.identity.dependencies import Principal
from spotter.progress import service
from spotter.progress.metrics import BUILTIN, Direction, UnitKind
from spotter.progress.pages.common import (
    PAGE_SIZE,
    Cursor,
    ProgressUser,
    header,
    router,
    the_client,
)
from spotter.progress.present import csv_response
from spotter.progress.schemas import CustomMetricIn, CustomMetricUpdate, MeasurementsIn
from spotter.web import FORM_ERRORS, page_require, read_form, redirect, render, render_form

MetricsManage = Annotated[Principal, page_require("progress:manage")]
UNIT_KINDS = [
    ("mass", "Weight (kg / lb)"),
    ("length", "Length (cm / in)"),
    ("percent", "Percent"),
    ("count", "Count"),
    ("seconds", "Seconds"),
    ("score", "Score"),
]
DIRECTIONS = [("higher", "Higher is better"), ("lower", "Lower is better")]


async def entry_context(
    session: AsyncSession, principal: Principal, client: Client, cursor: str = ""
) -> dict[str, Any]:
    system = service.unit_system(principal, client)
    metrics = await service.catalogue(session, system=system)
    history, next_cursor = await service.list_measurements(
        session,
        principal=principal,
        client=client,
        params=PageParams(cursor=cursor or None, limit=PAGE_SIZE),
    )
    return {
        **header(principal, client, "measurements"),
        "body": [m for m in metrics if m.group == "body"],
        "circumferences": [m for m in metrics if m.group == "circumference"],
        "custom": [m for m in metrics if m.group == "custom"],
        "history": history,
        "next_cursor": next_cursor,
        "today": service.client_today(client, principal.organization.timezone),
    }


@router.get("/progress/clients/{client_id}/measurements")
async def measurements_page(
    request: Request,
    session: DbSession,
    principal: ProgressUser,
    client_id: uuid.UUID,
    cursor: Cursor = "",
) -> Response:
    client = await the_client(session, principal, client_id)
    context = await entry_context(session, principal, client, cursor)
    if cursor and request.headers.get("hx-request"):
        return render(request, "progress/_measurement_rows.html", {**context, "appending": True})
    return render(
        request,
        "progress/measurements.html",
        {**context, "form": {"measured_on": context["today"]}},
    )


def entries_of(form: dict[str, Any]) -> dict[str, Any]:
    """The form's filled-in metric fields (``m:<key>``) as one day's entries."""
    entries = [
        {"metric": name.removeprefix("m:"), "value": value.strip()}
        for name, value in form.items()
        if name.startswith("m:") and isinstance(value, str) and value.strip()
    ]
    return {"measured_on": form.get("measured_on") or None, "entries": entries}


def entry_errors(exc: ValidationError | InvalidInput, data: dict[str, Any]) -> InvalidInput:
    """Messages about ``entries.N.*`` placed next to that metric's input."""
    keys = [e["metric"] for e in data["entries"]]

    def name(loc: list[Any]) -> str | None:
        if len(loc) >= 2 and loc[0] == "entries" and str(loc[1]).isdigit():
            return f"m:{keys[int(loc[1])]}"
        return str(loc[0]) if loc else None

    if isinstance(exc, ValidationError):
        errors = [{"field": name(list(e["loc"])), "message": e["msg"]} for e in exc.errors()]
    else:
        errors = [
            {"field": name(str(e.get("field") or "").split(".")), "message": e["message"]}
            for e in exc.errors or []
        ]
    if not data["entries"]:
        errors = [{"field": None, "message": "Enter at least one value."}]
    return InvalidInput(exc.detail if isinstance(exc, InvalidInput) else "Not saved", errors=errors)


@router.post("/progress/clients/{client_id}/measurements")
async def record(
    request: Request, session: DbSession, principal: ProgressUser, client_id: uuid.UUID
) -> Response:
    form = await read_form(request)
    client = await the_client(session, principal, client_id)
    data = entries_of(form)
    back = form.get("back") or f"/progress/clients/{client_id}/measurements"
    try:
        async with session.begin_nested():
            saved = await service.record(
                session,
                principal=principal,
                client=client,
                data=MeasurementsIn.model_validate(data),
            )
    except (ValidationError, InvalidInput) as exc:
        context = await entry_context(session, principal, client)
        return render_form(
            request,
            "progress/measurements.html",
            entry_errors(exc, data),
            form=form,
            context=context,
        )
    names = ", ".join(m.name.lower() for m in saved)
    target = back if back.startswith(f"/progress/clients/{client_id}") else "/progress"
    return redirect(request, target, f"Saved {names} for {saved[0].measured_on:%-d %b}.")


@router.post("/progress/clients/{client_id}/measurements/{measurement_id}/delete")
async def delete_entry(
    request: Request,
    session: DbSession,
    principal: ProgressUser,
    client_id: uuid.UUID,
    measurement_id: uuid.UUID,
) -> Response:
    client = await the_client(session, principal, client_id)
    await service.delete_measurement(session, client=client, measurement_id=measurement_id)
    return redirect(request, f"/progress/clients/{client_id}/measurements", "Entry deleted.")


@router.get("/progress/clients/{client_id}/measurements/export")
async def export(session: DbSession, principal: ProgressUser, client_id: uuid.UUID) -> Response:
    client = await the_client(session, principal, client_id)
    text = await service.export_csv(session, principal=principal, client=client)
    return csv_response(text, f"measurements-{client.id}.csv")


# --- custom metrics ------------------------------------------------------------------------


async def metrics_context(session: AsyncSession, principal: Principal) -> dict[str, Any]:
    system = UnitSystem(principal.organization.unit_system)
    listed = await service.catalogue(session, system=system, include_archived=True)
    return {
        "metrics": [m for m in listed if m.custom_id is not None],
        "builtin": list(BUILTIN.values()),
        "unit_kinds": UNIT_KINDS,
        "directions": DIRECTIONS,
    }


@router.get("/progress/metrics")
async def metrics_page(request: Request, session: DbSession, principal: MetricsManage) -> Response:
    context = await metrics_context(session, principal)
    form = {"unit_kind": UnitKind.COUNT, "direction": Direction.HIGHER}
    return render(request, "progress/metrics.html", {**context, "form": form})


@router.post("/progress/metrics")
async def create_metric(request: Request, session: DbSession, principal: MetricsManage) -> Response:
    form = await read_form(request)
    try:
        async with session.begin_nested():
            made = await service.create_custom_metric(
                session, principal=principal, data=CustomMetricIn.model_validate(form)
            )
    except FORM_ERRORS as exc:
        context = await metrics_context(session, principal)
        return render_form(
            request, "progress/metrics.html", exc, form=form, context=context, default_field="name"
        )
    return redirect(request, "/progress/metrics", f"{made.name} can be recorded now.")


@router.post("/progress/metrics/{metric_id}/archive")
async def archive_metric(
    request: Request, session: DbSession, principal: MetricsManage, metric_id: uuid.UUID
) -> Response:
    form = await read_form(request)
    archived = form.get("archived") == "true"
    data = CustomMetricUpdate(archived=archived)
    made = await service.update_custom_metric(
        session, principal=principal, metric_id=metric_id, data=data
    )
    return redirect(
        request, "/progress/metrics", f"{made.name} {'archived' if archived else 'restored'}."
    )
