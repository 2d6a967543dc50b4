"""Weekly check-ins: questions per client or organization, one submission per week in the
client's time zone, weight becoming a measurement, a photo, the thread with emails, and
staff's view of who has not checked in (and who is late)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from spotter.progress.service import common
from tests.builders import email_text, latest_email, make_client_world
from tests.progress.helpers import API, upload

# A Thursday: the week began on Monday 23 November 2026.
THURSDAY = datetime(2026, 11, 26, 15, 0, tzinfo=UTC)
SCALES = {"energy": 7, "sleep": 6, "stress": 4, "hunger": 5, "adherence": 8}


def at(monkeypatch, moment: datetime) -> None:
    """Today, for the progress rules (never the wall clock)."""
    monkeypatch.setattr(common, "utcnow", lambda: moment)


@pytest.fixture
async def world(client, outbox, monkeypatch):
    at(monkeypatch, THURSDAY)
    return await make_client_world(client, outbox)


def form_url(world) -> str:
    return f"{API}/clients/{world.client_id}/checkin-form"


async def submit(client, world, **body):
    return await client.post(
        f"{API}/clients/{world.client_id}/checkins",
        headers=world.client_self.headers,
        json={"scales": SCALES, **body},
    )


async def test_questions_default_per_organization_and_per_client(client, world):
    r = await client.get(form_url(world), headers=world.client_self.headers)
    form = r.json()
    assert form["source"] == "default" and form["scales"] == list(SCALES)
    assert len(form["questions"]) == 3 and form["due_weekday"] == 7

    org = {"scales": ["energy", "sleep"], "questions": ["Wins this week?"], "due_weekday": 5}
    r = await client.put(f"{API}/progress/checkin-form", headers=world.trainer.headers, json=org)
    assert r.status_code == 403  # the organization's default is for owners and admins
    r = await client.put(f"{API}/progress/checkin-form", headers=world.admin.headers, json=org)
    assert r.status_code == 200 and r.json()["source"] == "organization"
    assert (await client.get(form_url(world), headers=world.trainer.headers)).json()["scales"] == [
        "energy",
        "sleep",
    ]

    mine = {"scales": ["adherence"], "questions": ["Wins this week?", "Pain anywhere?"]}
    r = await client.put(form_url(world), headers=world.trainer.headers, json=mine)
    assert r.status_code == 200 and r.json()["source"] == "client"
    kept = r.json()["questions"]
    # A question kept by label keeps its id, so its past answers still match.
    r = await client.put(
        form_url(world),
        headers=world.trainer.headers,
        json={**mine, "questions": ["Pain anywhere?"]},
    )
    assert r.json()["questions"][0]["id"] == kept[1]["id"]
    for actor in (world.client_self, world.front_desk):
        assert (
            await client.put(form_url(world), headers=actor.headers, json=mine)
        ).status_code == 403
    r = await client.put(form_url(world), headers=world.trainer_other.headers, json=mine)
    assert r.status_code == 404
    r = await client.delete(form_url(world), headers=world.trainer.headers)
    assert r.status_code == 200 and r.json()["source"] == "organization"


@pytest.mark.parametrize(
    "body",
    [
        {"scales": [], "questions": [], "ask_photo": False, "ask_weight": False},
        {"scales": ["energy", "energy"]},
        {"scales": ["mood"]},
        {"questions": ["Same?", "same?"]},
        {"questions": ["x"]},
        {"due_weekday": 0},
        {"due_weekday": 8},
    ],
)
async def test_bad_questions_are_refused(client, world, body):
    r = await client.put(form_url(world), headers=world.trainer.headers, json=body)
    assert r.status_code == 422, r.text


async def test_the_client_checks_in_once_a_week(client, outbox, world):
    form = (await client.get(form_url(world), headers=world.client_self.headers)).json()
    q1, q2 = (q["id"] for q in form["questions"][:2])
    await client.put(
        f"{API}/clients/{world.client_id}/profile",
        headers=world.trainer.headers,
        json={"unit_system": "imperial", "timezone": "Europe/London"},
    )
    photo = (await upload(client, world.client_self, world.client_id, taken_on="2026-11-26")).json()
    r = await submit(
        client,
        world,
        answers={q1: "Hit every session", q2: " "},
        weight=176.4,
        photo_id=photo["id"],
    )
    assert r.status_code == 201, r.text
    check_in = r.json()
    assert check_in["week_starts_on"] == "2026-11-23" and check_in["due_on"] == "2026-11-29"
    assert check_in["late"] is False and check_in["scales"] == SCALES
    assert check_in["answers"] == [
        {"question": "What went well this week?", "answer": "Hit every session"}
    ]
    assert check_in["weight_kg"] == 80.014 and check_in["photo_id"] == photo["id"]
    # The weight is also today's body-weight measurement.
    latest = await client.get(
        f"{API}/clients/{world.client_id}/measurements/latest", headers=world.trainer.headers
    )
    (weight,) = latest.json()
    assert (weight["measured_on"], weight["value"], weight["source"]) == (
        "2026-11-26",
        80.014,
        "check_in",
    )
    # The trainer hears about it.
    assert "checked in" in latest_email(outbox, world.trainer.email)["Subject"]
    again = await submit(client, world)
    assert again.status_code == 409 and again.json()["check_in_id"] == check_in["id"]
    listed = await client.get(
        f"{API}/clients/{world.client_id}/checkins", headers=world.trainer.headers
    )
    assert [c["id"] for c in listed.json()["items"]] == [check_in["id"]]


async def test_a_new_week_takes_a_new_check_in(client, world, monkeypatch):
    assert (await submit(client, world)).status_code == 201
    at(monkeypatch, datetime(2026, 11, 30, 9, 0, tzinfo=UTC))  # Monday
    r = await submit(client, world)
    assert r.status_code == 201 and r.json()["week_starts_on"] == "2026-11-30"


async def test_late_is_after_the_due_day(client, world):
    await client.put(form_url(world), headers=world.trainer.headers, json={"due_weekday": 2})
    r = await submit(client, world)
    assert r.json()["due_on"] == "2026-11-24" and r.json()["late"] is True


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"scales": {"energy": 7}}, "scales.sleep"),
        ({"scales": {**SCALES, "energy": 11}}, "scales.energy"),
        ({"scales": {**SCALES, "energy": 0}}, "scales.energy"),
        ({"scales": {**SCALES, "mood": 3}}, "scales.mood"),
        ({"answers": {"q99": "hello"}}, "answers"),
        ({"weight": -80}, "weight"),
        ({"weight": 900, "weight_unit": "kg"}, "weight"),
        ({"weight": 80, "weight_unit": "stone"}, "weight_unit"),
        ({"photo_id": "0192f0c0-0000-7000-8000-000000000000"}, "photo_id"),
    ],
)
async def test_bad_check_ins_change_nothing(client, world, body, field):
    r = await client.post(
        f"{API}/clients/{world.client_id}/checkins",
        headers=world.client_self.headers,
        json={"scales": SCALES, **body},
    )
    assert r.status_code == 422, r.text
    assert any(e["field"].startswith(field) for e in r.json()["errors"]), r.json()
    listed = await client.get(
        f"{API}/clients/{world.client_id}/checkins", headers=world.trainer.headers
    )
    assert listed.json()["items"] == []
    latest = await client.get(
        f"{API}/clients/{world.client_id}/measurements/latest", headers=world.trainer.headers
    )
    assert latest.json() == []


async def test_what_the_form_does_not_ask_is_refused(client, world):
    await client.put(
        form_url(world),
        headers=world.trainer.headers,
        json={"scales": ["energy"], "ask_weight": False, "ask_photo": False},
    )
    r = await submit(client, world, scales={"energy": 5}, weight=80)
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "weight"
    r = await submit(client, world, scales={"energy": 5})
    assert r.status_code == 201


async def test_only_the_client_submits(client, world):
    for actor, status in (
        (world.trainer, 403),
        (world.owner, 403),
        (world.front_desk, 403),
        (world.client_other, 404),
    ):
        r = await client.post(
            f"{API}/clients/{world.client_id}/checkins",
            headers=actor.headers,
            json={"scales": SCALES},
        )
        assert r.status_code == status, (actor.email, r.text)


async def test_the_thread(client, outbox, world):
    check_in = (await submit(client, world)).json()
    url = f"{API}/clients/{world.client_id}/checkins/{check_in['id']}"
    r = await client.post(
        f"{url}/messages", headers=world.trainer.headers, json={"text": "Great week. Sleep?"}
    )
    assert r.status_code == 201, r.text
    assert r.json()["from_client"] is False and r.json()["author_name"] == "Tia Own"
    reply = latest_email(outbox, world.client_self.email)
    assert "replied" in reply["Subject"] and f"/checkins/{check_in['id']}" in email_text(reply)
    r = await client.post(
        f"{url}/messages", headers=world.client_self.headers, json={"text": "Better, thanks!"}
    )
    assert r.status_code == 201 and r.json()["from_client"] is True
    assert "replied" in latest_email(outbox, world.trainer.email)["Subject"]
    thread = await client.get(f"{url}/messages", headers=world.client_self.headers)
    assert [m["text"] for m in thread.json()["items"]] == ["Great week. Sleep?", "Better, thanks!"]
    got = (await client.get(url, headers=world.owner.headers)).json()
    assert got["reviewed_at"] is not None and got["last_message_at"] is not None
    for actor, status in (
        (world.front_desk, 403),
        (world.trainer_other, 404),
        (world.client_other, 404),
    ):
        r = await client.post(f"{url}/messages", headers=actor.headers, json={"text": "hi"})
        assert r.status_code == status
        assert (await client.get(f"{url}/messages", headers=actor.headers)).status_code == status
    for body in ({"text": ""}, {"text": "x" * 4001}, {}):
        r = await client.post(f"{url}/messages", headers=world.trainer.headers, json=body)
        assert r.status_code == 422


async def test_who_has_not_checked_in_and_the_inbox(client, world):
    due_url = f"{API}/progress/checkins/due"
    r = await client.get(due_url, headers=world.trainer.headers)
    assert r.status_code == 200, r.text
    page = r.json()
    names = [i["full_name"] for i in page["items"]]
    # The trainer's two clients with accounts; not the other trainer's.
    assert len(names) == 2 and all(not n.startswith("Otto") for n in names)
    assert page["summary"] == {"expected": 2, "submitted": 0, "missing": 2, "late": 0}
    assert all(i["due_on"] == "2026-11-29" and not i["late"] for i in page["items"])

    check_in = (await submit(client, world)).json()
    page = (await client.get(due_url, headers=world.trainer.headers)).json()
    assert [i["client_id"] for i in page["items"]] != [world.client_id]
    assert world.client_id not in [i["client_id"] for i in page["items"]]
    assert page["summary"]["submitted"] == 1 and page["summary"]["missing"] == 1
    done = await client.get(due_url, headers=world.trainer.headers, params={"state": "submitted"})
    (item,) = done.json()["items"]
    assert item["client_id"] == world.client_id and item["check_in_id"] == check_in["id"]
    assert item["last_check_in_on"] == "2026-11-23"
    everyone = await client.get(due_url, headers=world.owner.headers, params={"state": "all"})
    assert everyone.json()["summary"]["expected"] == 2  # Otto Elsewhere has no account

    # Late: past the due day without a check-in.
    await client.put(
        f"{API}/progress/checkin-form", headers=world.owner.headers, json={"due_weekday": 3}
    )
    page = (await client.get(due_url, headers=world.trainer.headers)).json()
    assert page["summary"]["late"] == 1 and page["items"][0]["late"] is True

    inbox = await client.get(f"{API}/progress/checkins/inbox", headers=world.trainer.headers)
    assert [i["check_in"]["id"] for i in inbox.json()["items"]] == [check_in["id"]]
    await client.post(
        f"{API}/clients/{world.client_id}/checkins/{check_in['id']}/messages",
        headers=world.trainer.headers,
        json={"text": "Seen, nice work"},
    )
    inbox = await client.get(f"{API}/progress/checkins/inbox", headers=world.trainer.headers)
    assert inbox.json()["items"] == []
    other = await client.get(f"{API}/progress/checkins/due", headers=world.trainer_other.headers)
    assert other.json()["items"] == []
    for actor in (world.front_desk, world.client_self):
        assert (await client.get(due_url, headers=actor.headers)).status_code == 403


async def test_the_week_is_the_clients_own(client, world, monkeypatch):
    # Sunday evening in London is already Monday morning in Auckland.
    sunday = datetime(2026, 11, 29, 20, 0, tzinfo=UTC)
    profile = f"{API}/clients/{world.client_id}/profile"
    await client.put(profile, headers=world.trainer.headers, json={"timezone": "Pacific/Auckland"})
    at(monkeypatch, sunday)
    r = await submit(client, world)
    assert r.json()["week_starts_on"] == "2026-11-30"
    page = (
        await client.get(
            f"{API}/progress/checkins/due",
            headers=world.trainer.headers,
            params={"state": "all"},
        )
    ).json()
    weeks = {
        i["full_name"].split()[0]: (i["week_starts_on"], i["submitted"]) for i in page["items"]
    }
    assert weeks == {"Sally": ("2026-11-30", True), "Oscar": ("2026-11-23", False)}
