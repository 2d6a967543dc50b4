"""The one list of JSON API routers, all under /api/v1."""

from fastapi import APIRouter

from spotter.clients.router import router as clients
from spotter.exercises.router import router as exercises
from spotter.identity.router import router as identity
from spotter.orgs.router import router as orgs
from spotter.platform.router import router as platform
from spotter.programs.router import router as programs

API_PREFIX = "/api/v1"

api_router = APIRouter(prefix=API_PREFIX)
for router in (identity, orgs, clients, exercises, programs, platform):
    api_router.include_router(router)
