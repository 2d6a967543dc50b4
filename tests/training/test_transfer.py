"""CSV export, and import of Strong and Hevy exports: the preview, skipped rows and their
reasons, units, names matched to the library (mapped by hand or created on request),
idempotent re-import, and bad files."""

from __future__ import annotations

import csv
import io
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa

from spotter.core.db import db
from spotter.exercises.dataset import library_id, read_dataset
from spotter.training.models import LoggedSet
from spotter.training.service.transfer import APP_NAMES, search_terms
from tests.builders import make_client, make_client_world, make_owner, table_snapshot
from tests.training.helpers import API, BENCH, PULLUP, SQUAT, quick_workout

FIXTURES = Path(__file__).parent / "fixtures"
DEADLIFT = str(library_id("exercise", "Barbell_Deadlift"))


def fixture(name: str) -> str:
    return (FIXTURES / name).read_text()


async def _import(client, who, cid, text, expect=200, **fields):
    r = await client.post(
        f"{API}/clients/{cid}/workout-imports", headers=who.headers, json={"csv": text, **fields}
    )
    assert r.status_code == expect, r.text
    return r.json()


async def _sets(cid: str) -> list[LoggedSet]:
    async with db.session(platform=True) as s:
        rows = await s.scalars(
            sa.select(LoggedSet)
            .where(LoggedSet.client_id == uuid.UUID(cid))
            .order_by(LoggedSet.performed_on, LoggedSet.position, LoggedSet.id)
        )
        return list(rows.all())


@pytest.fixture
async def owner(client):
    return await make_owner(client, org_name="Import Gym")


async def test_strong_preview_reports_everything_and_stores_nothing(client, owner):
    cid = (await make_client(client, owner))["id"]
    before = await table_snapshot(organization_id=owner.organization_id)
    report = await _import(client, owner, cid, fixture("strong.csv"))
    assert await table_snapshot(organization_id=owner.organization_id) == before
    assert report["format"] == "strong" and report["dry_run"] and report["weight_unit"] == "kg"
    assert (report["workouts"], report["new_workouts"], report["sets"]) == (3, 3, 13)
    assert (report["first_on"], report["last_on"]) == ("2025-03-03", "2025-03-10")
    assert [(s["line"], s["reason"]) for s in report["skipped"]] == [
        (5, "rest timer row, not a set"),
        (11, "negative value '-100'"),
        (13, "no reps, time or distance: not a set"),
        (15, "unreadable date 'not a date'"),
    ]
    by_name = {e["name"]: e for e in report["exercises"]}
    assert by_name["Bench Press (Barbell)"]["exercise_id"] == BENCH
    assert by_name["Squat (Barbell)"]["exercise_id"] == SQUAT
    assert by_name["Running (Treadmill)"]["exercise_name"] == "Running, Treadmill"
    assert report["unmatched"] == ["Zottman Curl Deluxe (Machine)"]
    zottman = by_name["Zottman Curl Deluxe (Machine)"]
    assert zottman["exercise_id"] is None and zottman["suggestions"]
    assert zottman["suggestions"][0]["name"] == "Zottman Curl"


async def test_strong_import_then_reimport_is_idempotent(client, owner):
    cid = (await make_client(client, owner))["id"]
    report = await _import(client, owner, cid, fixture("strong.csv"), dry_run=False)
    assert report["imported_sets"] == 12
    assert (18, "exercise 'Zottman Curl Deluxe (Machine)' not matched") in [
        (s["line"], s["reason"]) for s in report["skipped"]
    ]
    history = (
        await client.get(f"{API}/clients/{cid}/workout-history", headers=owner.headers)
    ).json()["items"]
    assert [(w["name"], w["performed_on"], w["status"], w["source"]) for w in history] == [
        ("Push B", "2025-03-10", "completed", "strong"),
        ("Legs", "2025-03-06", "completed", "strong"),
        ("Push A", "2025-03-03", "completed", "strong"),
    ]
    push_a = await client.get(f"{API}/workouts/{history[2]['id']}", headers=owner.headers)
    detail = push_a.json()
    assert detail["duration_seconds"] == 3720 and detail["notes"] == "Felt strong"
    bench = detail["entries"][0]
    assert [(s["set_type"], s["load_kg"], s["reps"], s["rpe"]) for s in bench["sets"]] == [
        ("warm_up", 40, 10, None),
        ("working", 80, 5, 8),
        ("working", 80, 5, 8.5),
    ]
    assert bench["sets"][2]["notes"] == "Paused reps"
    legs = (await client.get(f"{API}/workouts/{history[1]['id']}", headers=owner.headers)).json()
    run = next(e for e in legs["entries"] if e["exercise_name"] == "Running, Treadmill")
    assert (run["sets"][0]["distance_m"], run["sets"][0]["duration_seconds"]) == (3200, 1200)
    # Records were derived: 82.5 x 6 on March 10 beat March 3.
    lift = (await client.get(f"{API}/clients/{cid}/lifts/{BENCH}", headers=owner.headers)).json()
    assert lift["best_load_kg"] == 82.5 and lift["records"]
    # Importing the same file again adds nothing.
    count = len(await _sets(cid))
    again = await _import(client, owner, cid, fixture("strong.csv"), dry_run=False)
    assert (again["new_workouts"], again["already_imported"], again["imported_sets"]) == (0, 3, 0)
    assert len(await _sets(cid)) == count


async def test_names_mapped_by_hand_or_created(client, owner):
    cid = (await make_client(client, owner))["id"]
    name = "Zottman Curl Deluxe (Machine)"
    mapped = await _import(
        client, owner, cid, fixture("strong.csv"), dry_run=False, mapping={name: PULLUP}
    )
    assert mapped["imported_sets"] == 13 and mapped["unmatched"] == []
    assert next(e for e in mapped["exercises"] if e["name"] == name)["matched_by"] == "mapping"
    r = await client.post(
        f"{API}/clients/{cid}/workout-imports",
        headers=owner.headers,
        json={"csv": fixture("strong.csv"), "mapping": {name: str(uuid.uuid4())}},
    )
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == f"mapping.{name}"
    # Creating a name: a preview says what would be created; the import creates it.
    other = (await make_client(client, owner, full_name="Other Importer"))["id"]
    preview = await _import(client, owner, other, fixture("strong.csv"), create=[name])
    assert next(e for e in preview["exercises"] if e["name"] == name)["matched_by"] == "to_create"
    search = await client.get(f"{API}/exercises", headers=owner.headers, params={"q": "deluxe"})
    assert search.json()["items"] == []  # nothing created by a dry run
    done = await _import(client, owner, other, fixture("strong.csv"), create=[name], dry_run=False)
    created = next(e for e in done["exercises"] if e["name"] == name)
    assert created["matched_by"] == "created" and done["imported_sets"] == 13
    custom = await client.get(f"{API}/exercises/{created['exercise_id']}", headers=owner.headers)
    assert custom.json()["source"] == "custom" and custom.json()["primary_muscles"]


async def test_strong_legacy_units_and_hevy(client, owner):
    cid = (await make_client(client, owner))["id"]
    report = await _import(client, owner, cid, fixture("strong_legacy.csv"), dry_run=False)
    assert report["weight_unit"] == "lb" and report["imported_sets"] == 4
    sets = await _sets(cid)
    deadlifts = [s for s in sets if str(s.exercise_id) == DEADLIFT]
    assert [round(s.load_kg, 2) for s in deadlifts] == [102.06, 111.13, 119.07]
    assert deadlifts[2].rpe == 9  # "262,5" read with a decimal comma
    ride = next(s for s in sets if s.distance_m)
    assert ride.distance_m == pytest.approx(16093.44) and ride.duration_seconds == 1800

    hevy_client = (await make_client(client, owner, full_name="Hevy User"))["id"]
    report = await _import(client, owner, hevy_client, fixture("hevy.csv"), dry_run=False)
    assert report["format"] == "hevy" and report["imported_sets"] == 10
    assert report["skipped"] == [{"line": 9, "reason": "unknown set type 'myo-rep'"}]
    by_name = {e["name"]: e for e in report["exercises"]}
    assert by_name["Pull Up"]["exercise_id"] == PULLUP
    history = (
        await client.get(f"{API}/clients/{hevy_client}/workout-history", headers=owner.headers)
    ).json()["items"]
    upper = next(w for w in history if w["name"] == "Upper Strength")
    assert upper["duration_seconds"] == 65 * 60 and upper["notes"] == "Good session"
    detail = (await client.get(f"{API}/workouts/{upper['id']}", headers=owner.headers)).json()
    bench = detail["entries"][0]
    assert bench["notes"] == "Elbows tucked"
    assert [s["set_type"] for s in bench["sets"]] == ["warm_up", "working", "working", "drop"]
    assert [s["set_type"] for s in detail["entries"][1]["sets"]] == ["working", "failure"]


async def test_bad_files_are_refused_and_store_nothing(client, owner):
    cid = (await make_client(client, owner))["id"]
    before = await table_snapshot(organization_id=owner.organization_id)
    for text, fmt in [
        ("name,age\nalice,30\n", "auto"),
        (fixture("strong.csv"), "hevy"),
        ("\n\n", "auto"),
        ("#!/bin/sh\nrm -rf /\n", "auto"),
    ]:
        r = await client.post(
            f"{API}/clients/{cid}/workout-imports",
            headers=owner.headers,
            json={"csv": text, "format": fmt, "dry_run": False},
        )
        assert r.status_code == 422, r.text
        assert r.json()["errors"][0]["field"] == "csv"
    assert await table_snapshot(organization_id=owner.organization_id) == before


async def test_who_may_import(client, outbox):
    w = await make_client_world(client, outbox)
    text = fixture("hevy.csv")
    for who, status in [
        (w.front_desk, 403),
        (w.trainer_other, 404),
        (w.trainer, 200),
        (w.client_self, 200),
    ]:
        await _import(client, who, w.client_id, text, expect=status)
    # Creating exercises needs exercises:write, which a client does not have.
    r = await client.post(
        f"{API}/clients/{w.client_id}/workout-imports",
        headers=w.client_self.headers,
        json={"csv": fixture("strong.csv"), "create": ["Zottman Curl Deluxe (Machine)"]},
    )
    assert r.status_code == 403


async def test_export_csv(client, owner):
    cid = (await make_client(client, owner, full_name="Erin Export"))["id"]
    await quick_workout(client, owner, cid, [(100, 5), (105, 3)], performed_on="2026-02-02")
    discarded, _ = await quick_workout(client, owner, cid, [(50, 5)], finish=False)
    await client.post(f"{API}/workouts/{discarded['id']}/discard", headers=owner.headers)
    r = await client.get(f"{API}/clients/{cid}/workout-history.csv", headers=owner.headers)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert 'filename="erin-export-workouts-' in r.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert [(x["Exercise Name"], x["Weight (kg)"], x["Reps"], x["Set Order"]) for x in rows] == [
        ("Barbell Squat", "100", "5", "1"),
        ("Barbell Squat", "105", "3", "2"),
    ]
    assert rows[0]["Date"].startswith("2026-") and rows[0]["Status"] == "completed"


def test_app_names_name_real_exercises():
    slugs = {e["id"] for e in read_dataset()}
    assert set(APP_NAMES.values()) <= slugs


def test_search_terms_move_the_equipment_first():
    assert search_terms("Bench Press (Barbell)") == (
        "barbell Bench Press",
        "Bench Press",
        "barbell",
    )
    assert search_terms("Pull Up (Assisted)") == ("Pull Up", "Pull Up", None)
    assert search_terms("Plank") == ("Plank", "Plank", None)
