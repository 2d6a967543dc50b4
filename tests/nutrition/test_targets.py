"""The calculator through the API, with a client's profile and assessments filling the
gaps; targets saved with history; validation."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.builders import make_assessment, make_client_world, make_owner


def born_years_ago(years: int) -> str:
    """A date of birth that makes the client exactly ``years`` old today."""
    today = date.today()
    return (
        date(today.year - years, today.month, min(today.day, 28)) - timedelta(days=1)
    ).isoformat()


async def _profile(client, actor, client_id: str, **fields):
    body = {"born_on": born_years_ago(30), "sex": "male", "height_cm": 180, **fields}
    r = await client.put(f"/api/v1/clients/{client_id}/profile", headers=actor.headers, json=body)
    assert r.status_code == 200, r.text
    return r.json()


async def test_plain_calculator_pinned(client):
    owner = await make_owner(client)
    r = await client.post(
        "/api/v1/nutrition/calculate",
        headers=owner.headers,
        json={
            "weight_kg": 80,
            "height_cm": 180,
            "age_years": 30,
            "sex": "male",
            "activity": "moderate",
            "goal": "lose",
            "adjust_percent": 20,
            "protein_g_per_kg": 2.0,
            "fat_percent": 25,
        },
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert (body["bmr_kcal"], body["tdee_kcal"], body["energy_kcal"]) == (1780, 2759, 2207)
    assert (body["protein_g"], body["fat_g"], body["carbohydrate_g"]) == (160, 61, 255)
    assert body["formula"] == "mifflin_st_jeor" and len(body["steps"]) == 6


async def test_calculator_refusals(client):
    owner = await make_owner(client)
    bad = [
        {
            "weight_kg": 80,
            "age_years": 30,
            "height_cm": 180,
            "protein_g_per_kg": 4,
            "fat_percent": 70,
        },
        {"weight_kg": 80, "height_cm": 180},  # no age and no body fat
        {"weight_kg": -5, "height_cm": 180, "age_years": 30},
        {
            "weight_kg": 80,
            "height_cm": 180,
            "age_years": 30,
            "goal": "maintain",
            "adjust_kcal": 200,
        },
        {
            "weight_kg": 80,
            "height_cm": 180,
            "age_years": 30,
            "goal": "lose",
            "adjust_kcal": 200,
            "adjust_percent": 10,
        },
    ]
    for body in bad:
        r = await client.post("/api/v1/nutrition/calculate", headers=owner.headers, json=body)
        assert r.status_code == 422, (body, r.text)
        assert r.json()["detail"]


async def test_client_data_fills_the_calculator(client, outbox):
    w = await make_client_world(client, outbox)
    await _profile(client, w.trainer, w.client_id)
    r = await client.post(
        f"/api/v1/clients/{w.client_id}/nutrition/calculate", headers=w.trainer.headers, json={}
    )
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "weight_kg"
    await make_assessment(client, w.trainer, w.client_id, body_weight_kg=80)
    r = await client.post(
        f"/api/v1/clients/{w.client_id}/nutrition/calculate",
        headers=w.trainer.headers,
        json={"goal": "lose", "adjust_percent": 20, "protein_g_per_kg": 2.0, "fat_percent": 25},
    )
    body = r.json()
    assert body["energy_kcal"] == 2207 and body["formula"] == "mifflin_st_jeor"
    assert body["sources"]["weight_kg"] == "assessment" and body["sources"]["sex"] == "profile"
    assert body["sources"]["age_years"] == "profile" and body["inputs"]["age_years"] == 30
    # With body fat on record, Katch-McArdle: 370 + 21.6 * 80 * 0.8 = 1752.4 -> 1752
    await make_assessment(
        client, w.trainer, w.client_id, assessed_on=date.today().isoformat(), body_fat_pct=20
    )
    r = await client.post(
        f"/api/v1/clients/{w.client_id}/nutrition/calculate", headers=w.trainer.headers, json={}
    )
    body = r.json()
    assert body["formula"] == "katch_mcardle" and body["bmr_kcal"] == 1752
    assert body["inputs"]["weight_kg"] == 80  # the latest weight, from the older assessment
    # The client reads their own numbers; another trainer's view of them does not exist.
    mine = await client.post(
        f"/api/v1/clients/{w.client_id}/nutrition/calculate", headers=w.client_self.headers, json={}
    )
    assert mine.status_code == 200
    other = await client.post(
        f"/api/v1/clients/{w.client_id}/nutrition/calculate",
        headers=w.trainer_other.headers,
        json={},
    )
    assert other.status_code == 404


async def test_targets_history_and_the_one_in_force(client, outbox):
    w = await make_client_world(client, outbox)
    await _profile(client, w.trainer, w.client_id)
    await make_assessment(client, w.trainer, w.client_id, body_weight_kg=80)
    base = f"/api/v1/clients/{w.client_id}/nutrition/targets"
    first = await client.post(
        base,
        headers=w.trainer.headers,
        json={
            "effective_on": "2026-01-01",
            "energy_kcal": 2500,
            "protein_g": 160,
            "fat_g": 80,
            "carbohydrate_g": 285,
        },
    )
    assert first.status_code == 201, first.text
    assert first.json()["calculation"] is None
    calculated = await client.post(
        base,
        headers=w.trainer.headers,
        json={
            "effective_on": "2026-02-01",
            "calculator": {
                "goal": "lose",
                "adjust_percent": 20,
                "protein_g_per_kg": 2,
                "fat_percent": 25,
            },
            "notes": "Cut for the summer",
        },
    )
    body = calculated.json()
    assert (body["energy_kcal"], body["protein_g"], body["fat_g"], body["carbohydrate_g"]) == (
        2207,
        160,
        61,
        255,
    )
    assert body["calculation"]["steps"][0].startswith("Mifflin-St Jeor")
    # Same day again: replaced, not duplicated.
    again = await client.post(
        base,
        headers=w.trainer.headers,
        json={
            "effective_on": "2026-02-01",
            "energy_kcal": 2200,
            "protein_g": 160,
            "fat_g": 60,
            "carbohydrate_g": 255,
        },
    )
    assert again.status_code == 201 and again.json()["id"] == body["id"]
    history = (await client.get(base, headers=w.client_self.headers)).json()["items"]
    assert [t["effective_on"] for t in history] == ["2026-02-01", "2026-01-01"]
    for on, energy in (("2026-01-15", 2500), ("2026-02-01", 2200), ("2026-06-30", 2200)):
        r = await client.get(f"{base}/current", headers=w.client_self.headers, params={"on": on})
        assert r.json()["energy_kcal"] == energy
    r = await client.get(f"{base}/current", headers=w.trainer.headers, params={"on": "2025-12-31"})
    assert r.status_code == 404
    # Clients read their targets but do not set them; a target can be removed by staff.
    r = await client.post(
        base,
        headers=w.client_self.headers,
        json={"energy_kcal": 4000, "protein_g": 100, "fat_g": 100, "carbohydrate_g": 675},
    )
    assert r.status_code == 403
    target_id = history[0]["id"]
    assert (
        await client.get(f"/api/v1/nutrition-targets/{target_id}", headers=w.client_self.headers)
    ).status_code == 200
    assert (
        await client.get(f"/api/v1/nutrition-targets/{target_id}", headers=w.client_other.headers)
    ).status_code == 404
    assert (
        await client.delete(f"/api/v1/nutrition-targets/{target_id}", headers=w.trainer.headers)
    ).status_code == 204
    r = await client.get(f"{base}/current", headers=w.trainer.headers, params={"on": "2026-06-30"})
    assert r.json()["energy_kcal"] == 2500


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        (
            {"energy_kcal": 1500, "protein_g": 250, "fat_g": 80, "carbohydrate_g": 0},
            "more than the",
        ),
        ({"energy_kcal": 2500, "protein_g": 100, "fat_g": 50, "carbohydrate_g": 100}, "not the"),
        ({"energy_kcal": 2500}, "give energy_kcal"),
        (
            {
                "energy_kcal": 2000,
                "protein_g": 150,
                "fat_g": 70,
                "carbohydrate_g": 190,
                "calculator": {},
            },
            "not both",
        ),
    ],
)
async def test_target_refusals(client, outbox, body, fragment):
    owner = await make_owner(client)
    from tests.builders import make_client

    person = await make_client(client, owner)
    r = await client.post(
        f"/api/v1/clients/{person['id']}/nutrition/targets", headers=owner.headers, json=body
    )
    assert r.status_code == 422, r.text
    text = r.json()["detail"] + " ".join(e["message"] for e in r.json().get("errors") or [])
    assert fragment in text, text


async def test_default_date_is_today_for_the_client(client):
    owner = await make_owner(client)
    from tests.builders import make_client

    person = await make_client(client, owner)
    r = await client.post(
        f"/api/v1/clients/{person['id']}/nutrition/targets",
        headers=owner.headers,
        json={"energy_kcal": 2000, "protein_g": 150, "fat_g": 70, "carbohydrate_g": 192},
    )
    day = date.fromisoformat(r.json()["effective_on"])
    assert abs((day - date.today()).days) <= 1 and day - timedelta(
        days=1
    ) < date.today() + timedelta(days=1)
