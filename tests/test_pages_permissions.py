"""Permission matrix of the coaching pages: each role (and a trainer of another client)
against the exercise library, the pickers, the builder's moves and the client page's
program actions. Expectations come from ``core.permissions`` and the row rules, and each
role's row is compared at once so a failure shows every mismatch."""

from __future__ import annotations

import pytest

from spotter.core.permissions import ROLE_PERMISSIONS, STAFF_ROLES, Role
from tests.builders import make_client_world
from tests.programs.helpers import SQUAT, assign, make_template
from tests.test_pages import browser  # noqa: F401  (the fixture)
from tests.test_pages_coaching import HX, logged_in

ACTORS = ["owner", "admin", "trainer_own", "trainer_other", "front_desk", "client_self"]
ROLE_OF = {
    "owner": Role.OWNER,
    "admin": Role.ADMIN,
    "trainer_own": Role.TRAINER,
    "trainer_other": Role.TRAINER,
    "front_desk": Role.FRONT_DESK,
    "client_self": Role.CLIENT,
}


def expected(actor: str) -> dict[str, int]:
    role = ROLE_OF[actor]
    perms = ROLE_PERMISSIONS[role]
    staff = role in STAFF_ROLES

    def may(permission: str, ok: int, *, staff_only: bool = False) -> int:
        return ok if permission in perms and (staff or not staff_only) else 403

    # The trainer's own client and template: another trainer does not see them (404).
    theirs = actor == "trainer_other"
    return {
        "GET /exercises": may("exercises:read", 200, staff_only=True),
        "GET /exercises/{id}": may("exercises:read", 200, staff_only=True),
        "GET /exercises/new": may("exercises:write", 200, staff_only=True),
        "GET /exercises/pick": may("exercises:read", 200, staff_only=True),
        "POST /exercises/{id}/override": may("exercises:write", 303, staff_only=True),
        "GET /clients/pick": may("clients:read", 200),
        "GET /clients/{id}?tab=programs": (
            404 if theirs else may("clients:read", 200) if "programs:read" in perms else 403
        ),
        "POST /clients/{id}/goals": 404 if theirs else may("clients:write", 303),
        "POST /clients/{id}/programs/{id}/status": (
            404 if theirs else may("programs:write", 200) if "clients:read" in perms else 403
        ),
        "POST /programs/{id}/phases/{id}/move": (404 if theirs else may("templates:write", 200)),
    }


@pytest.mark.parametrize("actor", ACTORS)
async def test_coaching_pages_permission_matrix(browser, client, outbox, actor):  # noqa: F811
    world = await make_client_world(client, outbox)
    template = await make_template(client, world.trainer)
    program = await assign(client, world.trainer, template["id"], world.client_id)
    phase = template["phases"][1]["id"]
    accounts = {
        "owner": world.owner,
        "admin": world.admin,
        "trainer_own": world.trainer,
        "trainer_other": world.trainer_other,
        "front_desk": world.front_desk,
        "client_self": world.client_self,
    }
    b = await logged_in(browser, accounts[actor].email)
    csrf = await b.csrf()
    cid, pid, tid = world.client_id, program["id"], template["id"]
    calls = {
        "GET /exercises": ("GET", "/exercises", None),
        "GET /exercises/{id}": ("GET", f"/exercises/{SQUAT}", None),
        "GET /exercises/new": ("GET", "/exercises/new", None),
        "GET /exercises/pick": ("GET", "/exercises/pick?q=squat", None),
        "POST /exercises/{id}/override": (
            "POST",
            f"/exercises/{SQUAT}/override",
            {"name": "Back Squat"},
        ),
        "GET /clients/pick": ("GET", "/clients/pick?q=s", None),
        "GET /clients/{id}?tab=programs": ("GET", f"/clients/{cid}?tab=programs", None),
        "POST /clients/{id}/goals": (
            "POST",
            f"/clients/{cid}/goals",
            {"type": "strength_lift", "exercise_id": SQUAT, "target_value": "100"},
        ),
        "POST /clients/{id}/programs/{id}/status": (
            "POST",
            f"/clients/{cid}/programs/{pid}/status",
            {"status": "paused"},
        ),
        "POST /programs/{id}/phases/{id}/move": (
            "POST",
            f"/programs/{tid}/phases/{phase}/move?to=up",
            {},
        ),
    }
    got = {}
    for case, (method, url, data) in calls.items():
        hx = {**HX} if case.startswith(("POST /clients/{id}/programs", "POST /programs")) else {}
        if method == "GET":
            r = await b.client.get(url, headers={"Accept": "text/html", **hx})
        else:
            r = await b.client.post(url, data={"csrf_token": csrf, **data}, headers=hx)
        got[case] = r.status_code
    assert got == expected(actor)
