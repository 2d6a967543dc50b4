"""The one progress API router: every module of this package adds its routes to it, so
the app includes a single flat router (each nested level costs a walk of the routes)."""

from spotter.core.routing import Router

router = Router(tags=["progress"])
