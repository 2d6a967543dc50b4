"""The client record's own forms: status, private notes, profile and health history."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import Request
from fastapi.responses import Response

from spotter.clients import service
from spotter.clients.pages.common import ClientsWrite, router
from spotter.clients.pages.record import HISTORY_LISTS, submit
from spotter.clients.schemas import PARQ_QUESTIONS, ClientUpdate, HealthHistoryIn, ProfileIn
from spotter.core.db import DbSession
from spotter.identity.dependencies import Principal
from spotter.web import blank_to_none, page_require, read_form


@router.post("/clients/{client_id}/status")
async def change_status(
    request: Request, session: DbSession, principal: ClientsWrite, client_id: uuid.UUID
) -> Response:
    form = await read_form(request)

    async def action() -> None:
        data = ClientUpdate.model_validate({"status": form.get("status") or None})
        await service.update_client(session, principal=principal, client_id=client_id, data=data)

    return await submit(
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

    return await submit(
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

    return await submit(
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

    return await submit(
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
