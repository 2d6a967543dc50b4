"""The one nutrition page router: every module of this package adds its routes to it."""

from spotter.core.routing import Router

router = Router()
