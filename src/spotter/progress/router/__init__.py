"""The progress JSON API: measurements and metrics, photos, check-ins, forecasts and
charts (one module each), under /api/v1."""

from spotter.progress.router import checkins, measurements, photos  # noqa: F401  (their routes)
from spotter.progress.router.routes import router

__all__ = ["router"]
