"""Module routers decline requests none of their routes can take, without changing what
FastAPI answers: the route, a 405 for another method, a 404, a trailing-slash redirect."""

from fastapi import FastAPI
from fastapi.testclient import TestClient

from spotter.core.routing import Router, include


def _app() -> FastAPI:
    first, second, pages = Router(), Router(), Router()

    @first.get("/alpha/{item_id}")
    async def alpha(item_id: int) -> dict[str, int]:
        return {"alpha": item_id}

    @second.get("/beta")
    async def beta() -> dict[str, str]:
        return {"beta": "yes"}

    @pages.get("/alpha")
    async def page() -> dict[str, str]:
        return {"page": "alpha"}

    app = FastAPI()
    include(app, first, prefix="/api/v1")
    include(app, second, prefix="/api/v1")
    include(app, pages)
    return app


def test_requests_reach_their_routes_and_errors_are_unchanged() -> None:
    client = TestClient(_app())
    assert client.get("/api/v1/alpha/7").json() == {"alpha": 7}
    assert client.get("/api/v1/beta").json() == {"beta": "yes"}
    assert client.get("/alpha").json() == {"page": "alpha"}  # same head, other prefix
    assert client.post("/api/v1/beta").status_code == 405
    assert client.get("/api/v1/gamma").status_code == 404
    assert client.get("/api/v1/alpha/x").status_code == 422
    redirect = client.get("/api/v1/beta/", follow_redirects=False)
    assert redirect.status_code == 307 and redirect.headers["location"].endswith("/api/v1/beta")


def test_a_router_declines_paths_outside_its_heads() -> None:
    router = Router()

    @router.get("/foods/{food_id}")
    async def food(food_id: int) -> None: ...

    @router.get("/recipes")
    async def recipes() -> None: ...

    assert router.heads() == frozenset({"foods", "recipes"})

    @router.get("/{anything}")
    async def anything(anything: str) -> None: ...

    assert router.heads() is None  # a parameter first: every request may be ours
