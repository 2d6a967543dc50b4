"""Module routers decline requests none of their routes can take, without changing what
FastAPI answers: the route, a 405 for another method, a 404, a trailing-slash redirect."""

from fastapi import FastAPI
from fastapi.testclient import TestClient
from starlette.routing import Match

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


def test_a_router_knows_the_shapes_of_its_routes() -> None:
    router = Router()

    @router.get("/foods/{food_id}")
    async def food(food_id: int) -> None: ...

    @router.put("/foods/{food_id}")
    async def put_food(food_id: int) -> None: ...

    @router.get("/recipes")
    async def recipes() -> None: ...

    @router.get("/foods/{food_id}/portions")
    async def portions(food_id: int) -> None: ...

    assert router.shapes() == {
        (2, "foods"): [("foods", None)],
        (1, "recipes"): [("recipes",)],
        (3, "foods"): [("foods", None, "portions")],
    }

    @router.get("/files/{rest:path}")
    async def files(rest: str) -> None: ...

    assert router.shapes() is None  # a parameter that spans segments: any path may be ours


def test_a_router_declines_paths_none_of_its_routes_has() -> None:
    router = Router()

    @router.get("/clients/{client_id}/goals")
    async def goals(client_id: int) -> None: ...

    @router.get("/{slug}/about")
    async def about(slug: str) -> None: ...

    include(FastAPI(), router, prefix="/api/v1")
    assert router.may_take("/api/v1/clients/7/goals")
    assert router.may_take("/api/v1/anything/about")  # a parameter first
    assert not router.may_take("/api/v1/clients/7/training-dashboard")  # same head
    assert not router.may_take("/api/v1/clients/7")
    assert not router.may_take("/api/v1/clients/7/goals/")
    assert not router.may_take("/clients/7/goals")  # outside its prefix
    scope = {"type": "http", "path": "/api/v1/clients/7", "root_path": "", "method": "GET"}
    assert router.matches(scope) == (Match.NONE, {})
