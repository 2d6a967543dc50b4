"""The one list of web (HTML) routers. Every one gets CSRF protection."""

from __future__ import annotations

from fastapi import Depends, FastAPI

from spotter.clients.pages import router as clients
from spotter.config import Settings
from spotter.core.routing import include
from spotter.dev.pages import router as dev
from spotter.exercises.pages import router as exercises
from spotter.home.pages import router as home
from spotter.identity.pages import router as identity
from spotter.nutrition.pages import router as nutrition
from spotter.orgs.pages import router as orgs
from spotter.programs.pages import router as programs
from spotter.progress.pages import router as progress
from spotter.training.pages import router as training
from spotter.web import csrf_protect

PAGE_ROUTERS: list = [
    home,
    identity,
    orgs,
    clients,
    programs,
    exercises,
    progress,
    nutrition,
    training,
    dev,
]


def install_pages(app: FastAPI, settings: Settings) -> None:
    for router in PAGE_ROUTERS:
        if router is dev and settings.is_production:
            continue  # development helpers are not even routed in production
        include(app, router, dependencies=[Depends(csrf_protect)], include_in_schema=False)
