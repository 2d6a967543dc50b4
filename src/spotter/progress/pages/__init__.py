"""Progress pages: a client's overview (body charts, latest values, goals with their
forecast), measurements, photos and check-ins; for staff, this week's check-ins and the
custom metrics. Clients reach only their own; staff their clients (the clients row rule)."""

from spotter.progress.pages import checkins, entries, overview, photos  # noqa: F401  (routes)
from spotter.progress.pages.common import router

__all__ = ["router"]
