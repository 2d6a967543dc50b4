"""Every web page route with an id answers 404 to another organization, like the API
(tests/test_tenancy.py walks the ``/api/v1`` routes; this walks the HTML ones), and
changes nothing of the organization it names."""

from __future__ import annotations

import re

from fastapi.routing import APIRoute, iter_route_contexts

from tests.builders import table_snapshot
from tests.programs.helpers import SQUAT
from tests.test_pages import browser  # noqa: F401  (the fixture)
from tests.test_pages_coaching import logged_in
from tests.test_tenancy import ID_KINDS, _path_params, _world

# Page parameters that are not ids of an organization's objects.
NOT_IDS = {"token", "name"}
PAGE_ID_KINDS = {**ID_KINDS, "rx_id": "prescription"}
# A valid form where the route checks its input before looking the object up (so the 404
# below is about the organization, not about the input); other routes get DEFAULT_FORM.
DEFAULT_FORM = {"name": "x", "status": "paused"}
FORMS = {
    "/team/members/{membership_id}/role": {"role": "admin"},
    "/programs/{template_id}": {"name": "x"},
    "/programs/{template_id}/phases/{phase_id}": {"name": "x", "weeks": "1"},
    "/programs/{template_id}/workouts/{workout_id}": {"name": "x"},
    "/programs/{template_id}/workouts/{workout_id}/prescriptions": {"exercise_id": SQUAT},
}


def page_routes(app) -> list[tuple[str, set[str]]]:
    return [
        (c.path, set(c.methods or ()))
        for c in iter_route_contexts(app.routes)
        if isinstance(c.original_route, APIRoute)
        and not c.path.startswith("/api/")
        and set(_path_params(c.path)) - NOT_IDS
    ]


async def test_every_page_id_route_answers_404_across_organizations(
    app,
    client,
    outbox,
    browser,  # noqa: F811
):
    owner_a, owner_b, ids = await _world(client, outbox)
    routes = page_routes(app)
    assert any(path.startswith("/exercises/") for path, _ in routes)
    unknown = sorted(
        {(path, p) for path, _ in routes for p in _path_params(path) if p not in PAGE_ID_KINDS}
    )
    assert not unknown, f"page routes with path parameters of unknown kind: {unknown}"

    b = await logged_in(browser, owner_b.email)
    before = await table_snapshot(organization_id=owner_a.organization_id)
    wrong = []
    for path, methods in routes:
        url = path
        for param in _path_params(path):
            url = url.replace("{" + param + "}", ids[PAGE_ID_KINDS[param]])
        for method in sorted(methods - {"HEAD", "OPTIONS"}):
            for headers in ({}, {"HX-Request": "true"}):
                if method == "GET":
                    r = await b.client.get(url, headers={"Accept": "text/html", **headers})
                else:
                    form = {"csrf_token": await b.csrf(), **FORMS.get(path, DEFAULT_FORM)}
                    r = await b.client.post(url, data=form, headers=headers)
                if r.status_code != 404:
                    wrong.append(f"{method} {path} {headers} -> {r.status_code}")
    assert not wrong, "organization B reached organization A's pages:\n" + "\n".join(wrong)
    assert await table_snapshot(organization_id=owner_a.organization_id) == before

    # Positive control: A's owner opens the same pages.
    a = await logged_in(browser, owner_a.email)
    for path, methods in routes:
        if "GET" not in methods:
            continue
        url = path
        for param in _path_params(path):
            url = url.replace("{" + param + "}", ids[PAGE_ID_KINDS[param]])
        r = await a.get(url)
        assert r.status_code == 200, (path, r.status_code, re.sub(r"\s+", " ", r.text)[:300])
