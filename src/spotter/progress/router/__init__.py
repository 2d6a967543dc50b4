"""The progress JSON API: measurements and metrics, photos, check-ins, forecasts and
charts (one module each), under /api/v1."""

from fastapi import APIRouter

from spotter.progress.router import checkins, measurements, photos

router = APIRouter(tags=["progress"])
for part in (measurements, photos, checkins):
    router.include_router(part.router)
