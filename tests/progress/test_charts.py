"""Body chart data (only what is drawn) and goal forecasts through the API."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from spotter.core.db import db
from spotter.core.tenancy import set_organization
from spotter.progress.models import Measurement
from tests.builders import make_client_world, make_goal
from tests.progress.helpers import API, days_ago, measure, today


async def daily_weights(world, days: int, start: float = 90.0, per_day: float = -0.05) -> None:
    """``days`` daily weigh-ins ending today, straight into the table (fast)."""
    async with db.session() as session:
        set_organization(session, uuid.UUID(world.owner.organization_id))
        for n in range(days):
            session.add(
                Measurement(
                    client_id=uuid.UUID(world.client_id),
                    metric="body_weight",
                    measured_on=today() - timedelta(days=days - 1 - n),
                    value=round(start + per_day * n, 2),
                )
            )


@pytest.fixture
async def world(client, outbox):
    return await make_client_world(client, outbox)


def chart(client, world, actor=None, **params):
    return client.get(
        f"{API}/clients/{world.client_id}/charts/body",
        headers=(actor or world.trainer).headers,
        params=params,
    )


async def test_ranges_return_only_what_is_drawn(client, world):
    await daily_weights(world, 400)
    for rng, points, bucket in (("4w", 28, 1), ("12w", 84, 1), ("1y", 53, 7), ("all", 58, 7)):
        body = (await chart(client, world, range=rng)).json()
        assert body["bucket_days"] == bucket, rng
        assert len(body["weight"]) == points == len(body["weight_average"]), rng
        assert body["to_on"] == today().isoformat()
    four = (await chart(client, world, range="4w")).json()
    assert four["from_on"] == days_ago(27) and four["weight"][0]["on"] == days_ago(27)
    # The 7-day mean on the first day uses the six days before the window.
    first = four["weight"][0]["value"]
    assert four["weight_average"][0]["value"] == pytest.approx(first + 0.15, abs=0.01)
    assert (await chart(client, world, range="2y")).status_code == 422


async def test_units_composition_and_lean_mass(client, world):
    await measure(client, world.trainer, world.client_id, on=days_ago(1), body_weight=80)
    await measure(
        client, world.trainer, world.client_id, on=days_ago(0), body_weight=82, body_fat=20
    )
    body = (await chart(client, world)).json()
    assert body["unit"] == "kg"
    assert [p["value"] for p in body["weight"]] == [80, 82]
    assert [p["value"] for p in body["weight_average"]] == [80, 81]
    assert body["body_fat"] == [{"on": days_ago(0), "value": 20}]
    assert body["lean_mass"] == [{"on": days_ago(0), "value": 64.8}]  # 81 * 0.8
    await client.put(
        f"{API}/clients/{world.client_id}/profile",
        headers=world.trainer.headers,
        json={"unit_system": "imperial"},
    )
    mine = (await chart(client, world, actor=world.client_self)).json()
    assert mine["unit"] == "lb" and mine["weight"][0]["value"] == 176.37


async def test_an_empty_chart(client, world):
    body = (await chart(client, world, range="all")).json()
    assert body["weight"] == [] and body["from_on"] == body["to_on"] == today().isoformat()


async def test_chart_access(client, world):
    expected = {
        "owner": 200,
        "admin": 200,
        "trainer_own": 200,
        "trainer_other": 404,
        "front_desk": 403,
        "client_self": 200,
        "client_other": 404,
        "api_key": 403,
    }
    url = f"{API}/clients/{world.client_id}/charts/body"
    got = {k: (await client.get(url, headers=h)).status_code for k, h in world.actors().items()}
    assert got == expected


async def test_goal_forecast(client, world):
    await daily_weights(world, 42, start=90, per_day=-0.1)  # 85.9 today
    goal = await make_goal(
        client,
        world.trainer,
        world.client_id,
        type="body_weight",
        target_value=84,
        unit="kg",
        start_value=90,
    )
    url = f"{API}/clients/{world.client_id}/goals/{goal['id']}/forecast"
    body = (await client.get(url, headers=world.client_self.headers)).json()
    assert body["status"] == "on_track" and body["unit"] == "kg"
    assert body["current"] == pytest.approx(85.9) and body["slope_per_week"] == pytest.approx(-0.7)
    assert body["eta_on"] == (today() + timedelta(days=19)).isoformat()  # 1.9 kg at 0.1 a day
    assert body["since_on"] == days_ago(41) and body["points"] == 42  # 8 weeks: all fit
    assert body["plateau"] == {"weeks": 3, "is_plateau": False, "change": -2.1}
    assert "At this trend" in body["message"]

    habit = await make_goal(client, world.trainer, world.client_id)
    r = await client.get(
        f"{API}/clients/{world.client_id}/goals/{habit['id']}/forecast",
        headers=world.trainer.headers,
    )
    assert r.status_code == 200 and r.json()["status"] == "not_measured"


async def test_a_stalled_goal_is_a_plateau(client, world):
    await daily_weights(world, 30, start=80, per_day=0.0)
    goal = await make_goal(
        client, world.trainer, world.client_id, type="body_weight", target_value=75, unit="kg"
    )
    url = f"{API}/clients/{world.client_id}/goals/{goal['id']}/forecast"
    body = (await client.get(url, headers=world.trainer.headers)).json()
    assert body["status"] == "wrong_way" and body["eta_on"] is None
    assert body["plateau"]["is_plateau"] is True
    assert body["message"].startswith("Not at this trend")


async def test_few_points_are_not_enough(client, world):
    await measure(client, world.trainer, world.client_id, on=days_ago(3), body_weight=80)
    goal = await make_goal(
        client, world.trainer, world.client_id, type="body_fat", target_value=18, unit="%"
    )
    url = f"{API}/clients/{world.client_id}/goals/{goal['id']}/forecast"
    body = (await client.get(url, headers=world.trainer.headers)).json()
    assert body["status"] == "not_enough_data" and body["points"] == 0
