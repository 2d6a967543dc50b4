"""Module routers that decline, at a glance, a request none of their routes can take.

FastAPI matches a request by walking every included router's routes in order (with some
bookkeeping per route), and walks the chosen router's routes again to handle it: a request
for the last module's routes paid for matching all ~400 routes before it (0.3-0.6 ms of a
3 ms request). A ``Router`` knows the shape of each of its routes, its segments with the
parameters as wildcards (``/clients/{id}/goals`` -> ``clients, *, goals``), so a request
whose path (after the prefix it is included under) has no such shape gets ``Match.NONE``
without a walk: ``/clients/{id}/training-dashboard`` is walked by the one router that has
it, not by every router with a route under ``/clients``. Everything else is FastAPI's own
matching.

    router = Router(tags=["nutrition"])   # in a module
    include(app, router, prefix="/api/v1")  # in spotter.api / spotter.pages
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, FastAPI
from starlette._utils import get_route_path
from starlette.routing import Match
from starlette.types import Scope

Shape = tuple[str | None, ...]  # a route's path segments, None for a parameter
_ANY = None  # the head of a shape that starts with a parameter


def _shape(path: str) -> Shape | None:
    """``/clients/{id}/goals`` -> ``("clients", None, "goals")``; None for a path whose
    parameter may span segments (``{rest:path}``), or a route without a path."""
    if ":path}" in path:
        return None
    return tuple(None if "{" in part else part for part in path[1:].split("/"))


def _fits(shape: Shape, segments: list[str]) -> bool:
    for part, given in zip(shape, segments, strict=True):
        if part is not None and part != given:
            return False
    return True


class Router(APIRouter):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._mounted_at = ""
        self._shapes: dict[tuple[int, str | None], list[Shape]] | None = None
        self._shapes_for = -1

    def shapes(self) -> dict[tuple[int, str | None], list[Shape]] | None:
        """The routes' shapes by (segment count, first segment); None when a route may
        take any path."""
        if self._shapes_for != len(self.routes):  # routes are added while modules import
            found = [_shape(getattr(route, "path", "/{rest:path}")) for route in self.routes]
            shapes: dict[tuple[int, str | None], list[Shape]] = {}
            for shape in found:
                if shape is not None and shape not in (
                    same := shapes.setdefault((len(shape), shape[0]), [])
                ):
                    same.append(shape)
            self._shapes = None if None in found else shapes
            self._shapes_for = len(self.routes)
        return self._shapes

    def may_take(self, path: str) -> bool:
        """Whether a route of this router may match ``path`` (the full request path)."""
        shapes = self.shapes()
        if shapes is None:
            return True
        if self._mounted_at:
            if not path.startswith(self._mounted_at + "/"):
                return False
            path = path[len(self._mounted_at) :]
        segments = path[1:].split("/")
        n = len(segments)
        for head in (segments[0], _ANY):
            for shape in shapes.get((n, head), ()):
                if _fits(shape, segments):
                    return True
        return False

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        if scope.get("type") in ("http", "websocket") and not self.may_take(get_route_path(scope)):
            return Match.NONE, {}
        return super().matches(scope)


def include(app: FastAPI, router: APIRouter, *, prefix: str = "", **kwargs: Any) -> None:
    """``app.include_router``, telling a ``Router`` the prefix its paths sit under."""
    if isinstance(router, Router):
        router._mounted_at = prefix.rstrip("/")
    app.include_router(router, prefix=prefix, **kwargs)
