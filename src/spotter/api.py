"""The one list of JSON API routers, all under /api/v1."""

from fastapi import APIRouter, FastAPI

from spotter.clients.router import router as clients
from spotter.core.routing import include
from spotter.exercises.router import router as exercises
from spotter.identity.router import router as identity
from spotter.nutrition.router import router as nutrition
from spotter.orgs.router import router as orgs
from spotter.platform.router import router as platform
from spotter.programs.router import router as programs
from spotter.progress.router import router as progress
from spotter.training.router import router as training

API_PREFIX = "/api/v1"
API_ROUTERS: list[APIRouter] = [
    identity,
    orgs,
    clients,
    exercises,
    programs,
    progress,
    nutrition,
    training,
    platform,
]


def install_api(app: FastAPI) -> None:
    # Each router straight onto the app, not through one /api/v1 router: FastAPI matches a
    # request level by level, so every extra level walks the routes once more.
    for router in API_ROUTERS:
        include(app, router, prefix=API_PREFIX)
