"""Training pages: logging a workout (offline-capable), its detail, a client's history
with CSV export and import, the progress dashboard and one lift's history."""

from spotter.training.pages import log, views
from spotter.training.pages.common import router

__all__ = ["log", "router", "views"]
