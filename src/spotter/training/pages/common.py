"""What the training pages share: the router, whose client a page is about, the
viewer's units, and JSON answers for the logging page's background requests."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.responses import JSONResponse

from spotter.clients import service as clients
from spotter.clients.models import Client
from spotter.core.db import DbSession
from spotter.core.errors import NotFound
from spotter.core.routing import Router
from spotter.core.units import KG_PER_LB, UnitSystem
from spotter.identity.dependencies import Principal
from spotter.web import page_require

router = Router()
TrainingRead = Annotated[Principal, page_require("training:read")]
TrainingLog = Annotated[Principal, page_require("training:log")]


@dataclass(frozen=True)
class Units:
    """Loads as the viewer reads them (stored in kg, shown in kg or lb)."""

    system: str

    @property
    def weight(self) -> str:
        return "lb" if self.system == UnitSystem.IMPERIAL else "kg"

    def number(self, kg: float | None, places: int = 1) -> str:
        if kg is None:
            return "—"
        shown = Decimal(str(kg)) / (KG_PER_LB if self.weight == "lb" else 1)
        text = f"{shown:.{places}f}"
        return text.rstrip("0").rstrip(".") if places else text

    def load(self, kg: float | None, places: int = 1) -> str:
        return "—" if kg is None else f"{self.number(kg, places)} {self.weight}"

    def series(self, values: list[float]) -> list[float]:
        """Chart values in the viewer's unit."""
        factor = float(KG_PER_LB) if self.weight == "lb" else 1.0
        return [round(v / factor, 1) for v in values]


def units_for(principal: Principal, client: Client) -> Units:
    """A client reads their own profile's units; staff their own, else the organization's."""
    if principal.user_id is not None and principal.user_id == client.user_id:
        return Units(client.unit_system or UnitSystem.METRIC)
    user_system = principal.user.unit_system if principal.user else None
    return Units(user_system or principal.organization.unit_system or UnitSystem.METRIC)


async def _page_client(request: Request, session: DbSession, principal: TrainingRead) -> Client:
    """``/clients/{client_id}/...`` pages: that client (row rule); the same pages without
    the prefix (``/history``): the signed-in client themself."""
    raw = request.path_params.get("client_id")
    if raw is not None:
        try:
            client_id = uuid.UUID(str(raw))
        except ValueError:
            raise NotFound("No such client") from None
        return await clients.get_client(session, principal=principal, client_id=client_id)
    if principal.user_id is not None:
        own = await clients.own_client(session, user_id=principal.user_id)
        if own is not None:
            return own
    raise NotFound("Open a client's page to see their training.")


PageClient = Annotated[Client, Depends(_page_client)]


def client_base(request: Request, client: Client) -> str:
    """Where this client's training pages live for the viewer (prefix for links)."""
    return f"/clients/{client.id}" if "client_id" in request.path_params else ""


async def json_answers(request: Request) -> None:
    """The logging page's background requests get problem+json errors, not HTML pages
    (route dependency; runs after the routers' CSRF check)."""
    request.state.html_errors = False


def json_response(data: Any, status_code: int = 200) -> JSONResponse:
    return JSONResponse(data, status_code=status_code)
