"""The meal-plan generator: a draft plan for a client (or a template) from a pool of
recipes and foods; saving it is a POST of its ``plan`` to /meal-plans."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from spotter.core.db import DbSession
from spotter.identity.dependencies import Principal, get_principal
from spotter.nutrition import present
from spotter.nutrition.router.routes import router
from spotter.nutrition.schemas.generate import DraftOut, GenerateIn
from spotter.nutrition.service import generate as service

Caller = Annotated[Principal, Depends(get_principal)]


@router.post(
    "/meal-plans/generate",
    response_model=DraftOut,
    responses={422: {"description": "Invalid input, or `targets_unreachable` with `reasons`"}},
)
async def generate_plan(session: DbSession, principal: Caller, data: GenerateIn) -> DraftOut:
    """Choose recipes (and foods) and servings so each day lands within ±5% of the energy
    target and ±10% of each macro target, with variety across days (one mixed-integer
    programme). Needs nutrition:write for a client, foods:write for a template. Nothing is
    saved: POST the answer's `plan` to /meal-plans to keep it."""
    return present.draft(await service.generate(session, principal=principal, data=data))
