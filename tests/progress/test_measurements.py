"""Measurements: entry in the user's units stored metric, one per metric per day,
history newest first, latest values, custom metrics, CSV export, goals reading them."""

from __future__ import annotations

import csv
import io

from tests.builders import make_assessment, make_client_world, make_goal
from tests.progress.helpers import API, days_ago, measure


async def test_entries_are_stored_metric_and_shown_in_the_callers_units(client, outbox):
    world = await make_client_world(client, outbox)
    cid = world.client_id
    r = await measure(client, world.trainer, cid, body_weight=(180, "lb"), waist=(32, "in"))
    assert r.status_code == 200, r.text
    by_metric = {m["metric"]: m for m in r.json()}
    assert by_metric["body_weight"]["value"] == 81.647  # 180 lb, exactly 81.6466266 kg
    assert by_metric["body_weight"]["unit"] == "kg"
    assert by_metric["waist"]["value"] == 81.28 and by_metric["waist"]["unit"] == "cm"
    # The client's profile says imperial: they read it in pounds and inches.
    profile = {"unit_system": "imperial"}
    r = await client.put(
        f"{API}/clients/{cid}/profile", headers=world.trainer.headers, json=profile
    )
    assert r.status_code == 200, r.text
    r = await client.get(
        f"{API}/clients/{cid}/measurements/latest", headers=world.client_self.headers
    )
    shown = {m["metric"]: (m["display_value"], m["display_unit"]) for m in r.json()}
    assert shown == {"body_weight": (180.0, "lb"), "waist": (32.0, "in")}
    # Without a unit, the client types in their own system.
    r = await measure(client, world.client_self, cid, on=days_ago(1), body_weight=179.5)
    assert r.json()[0]["value"] == 81.42 and r.json()[0]["display_unit"] == "lb"


async def test_the_same_day_again_updates_it(client, outbox):
    world = await make_client_world(client, outbox)
    cid = world.client_id
    first = (await measure(client, world.client_self, cid, on=days_ago(2), body_weight=80)).json()
    again = (await measure(client, world.trainer, cid, on=days_ago(2), body_weight=79.4)).json()
    assert again[0]["id"] == first[0]["id"] and again[0]["value"] == 79.4
    r = await client.get(f"{API}/clients/{cid}/measurements", headers=world.trainer.headers)
    assert [m["value"] for m in r.json()["items"]] == [79.4]
    assert r.json()["items"][0]["recorded_by_id"] == world.trainer.user_id


async def test_history_is_newest_first_and_paginated(client, outbox):
    world = await make_client_world(client, outbox)
    cid = world.client_id
    for n in range(7):
        await measure(client, world.trainer, cid, on=days_ago(n), body_weight=80 + n, waist=90)
    seen, cursor = [], None
    while True:
        params = {"limit": 4, "metric": "body_weight", **({"cursor": cursor} if cursor else {})}
        page = (
            await client.get(
                f"{API}/clients/{cid}/measurements", headers=world.owner.headers, params=params
            )
        ).json()
        seen += [m["measured_on"] for m in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert seen == [days_ago(n) for n in range(7)]
    ranged = await client.get(
        f"{API}/clients/{cid}/measurements",
        headers=world.owner.headers,
        params={"from": days_ago(3), "to": days_ago(2)},
    )
    assert {m["measured_on"] for m in ranged.json()["items"]} == {days_ago(3), days_ago(2)}
    assert len(ranged.json()["items"]) == 4


async def test_custom_metrics(client, outbox):
    world = await make_client_world(client, outbox)
    cid = world.client_id
    body = {"name": "Resting heart rate", "unit_kind": "count", "direction": "lower"}
    r = await client.post(f"{API}/progress/metrics", headers=world.trainer.headers, json=body)
    assert r.status_code == 201, r.text
    metric = r.json()
    assert metric["key"] == f"custom:{metric['custom_id']}" and metric["direction"] == "lower"
    again = await client.post(
        f"{API}/progress/metrics",
        headers=world.owner.headers,
        json={**body, "name": "resting HEART rate"},
    )
    assert again.status_code == 409 and again.json()["code"] == "metric_name_taken"
    builtin = {**body, "name": "Waist"}
    r = await client.post(f"{API}/progress/metrics", headers=world.owner.headers, json=builtin)
    assert r.status_code == 409
    r = await measure(client, world.client_self, cid, **{metric["key"]: 52})
    assert r.status_code == 200 and r.json()[0]["name"] == "Resting heart rate"
    listed = await client.get(f"{API}/progress/metrics", headers=world.client_self.headers)
    assert metric["key"] in [m["key"] for m in listed.json()]
    # Archived: no new entries, history kept, hidden from the catalogue unless asked.
    r = await client.patch(
        f"{API}/progress/metrics/{metric['custom_id']}",
        headers=world.trainer.headers,
        json={"archived": True},
    )
    assert r.status_code == 200 and r.json()["archived"] is True
    r = await measure(client, world.client_self, cid, on=days_ago(1), **{metric["key"]: 50})
    assert r.status_code == 422 and "archived" in r.text
    listed = await client.get(f"{API}/progress/metrics", headers=world.trainer.headers)
    assert metric["key"] not in [m["key"] for m in listed.json()]
    listed = await client.get(
        f"{API}/progress/metrics", headers=world.trainer.headers, params={"include_archived": 1}
    )
    assert metric["key"] in [m["key"] for m in listed.json()]
    history = await client.get(f"{API}/clients/{cid}/measurements", headers=world.trainer.headers)
    assert [m["value"] for m in history.json()["items"]] == [52]
    # Clients and front desk do not define metrics.
    for actor in (world.client_self, world.front_desk):
        r = await client.post(f"{API}/progress/metrics", headers=actor.headers, json=body)
        assert r.status_code == 403


async def test_csv_export(client, outbox):
    world = await make_client_world(client, outbox)
    cid = world.client_id
    body = {"name": '=HYPERLINK("x")', "unit_kind": "score", "direction": "higher"}
    odd = (
        await client.post(f"{API}/progress/metrics", headers=world.owner.headers, json=body)
    ).json()
    await measure(client, world.trainer, cid, on=days_ago(1), body_weight=81.5)
    await measure(client, world.trainer, cid, on=days_ago(0), body_weight=81.0, **{odd["key"]: 7})
    r = await client.get(f"{API}/clients/{cid}/measurements/export", headers=world.trainer.headers)
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/csv")
    assert "attachment" in r.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert [(x["date"], x["metric"], x["value"], x["unit"]) for x in rows][:2] == [
        (days_ago(1), "body_weight", "81.5", "kg"),
        (days_ago(0), "body_weight", "81", "kg"),
    ]
    assert rows[2]["name"].startswith("'=")  # never a formula in a spreadsheet


async def test_goals_read_the_latest_measurement(client, outbox):
    world = await make_client_world(client, outbox)
    cid = world.client_id
    await make_assessment(client, world.trainer, cid, assessed_on=days_ago(30), body_weight_kg=90)
    goal = await make_goal(
        client, world.trainer, cid, type="body_weight", target_value=80, unit="kg"
    )
    assert goal["start_value"] == 90 and goal["current_value"] == 90
    await measure(client, world.client_self, cid, on=days_ago(2), body_weight=85)
    r = await client.get(f"{API}/clients/{cid}/goals/{goal['id']}", headers=world.trainer.headers)
    assert r.json()["current_value"] == 85 and r.json()["progress_percent"] == 50
    # A newer assessment wins over an older measurement.
    await make_assessment(client, world.trainer, cid, assessed_on=days_ago(1), body_weight_kg=84)
    r = await client.get(f"{API}/clients/{cid}/goals/{goal['id']}", headers=world.trainer.headers)
    assert r.json()["current_value"] == 84
    fat = await make_goal(client, world.trainer, cid, type="body_fat", target_value=18, unit="%")
    await measure(client, world.client_self, cid, body_fat=22)
    r = await client.get(f"{API}/clients/{cid}/goals/{fat['id']}", headers=world.trainer.headers)
    assert r.json()["current_value"] == 22


async def test_delete_and_get_one(client, outbox):
    world = await make_client_world(client, outbox)
    cid = world.client_id
    (entry,) = (await measure(client, world.client_self, cid, body_weight=70)).json()
    url = f"{API}/clients/{cid}/measurements/{entry['id']}"
    assert (await client.get(url, headers=world.client_self.headers)).json()["value"] == 70
    assert (await client.delete(url, headers=world.client_self.headers)).status_code == 204
    assert (await client.get(url, headers=world.trainer.headers)).status_code == 404
