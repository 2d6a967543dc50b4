"""What the log tells: the dashboard (1RM per lift, weekly volume per muscle, adherence
to the program schedule, streaks, plateaus, records), one lift's history, strength goal
progress, and that the dashboard's cost does not grow with the history."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import event

from spotter.core.tenancy import set_organization
from spotter.training import service
from spotter.training.service import stats
from tests.builders import make_assessment, make_client, make_goal, make_owner
from tests.programs.helpers import assign, make_template
from tests.training.helpers import (
    API,
    BENCH,
    PLANK,
    SQUAT,
    add_exercise,
    complete,
    put_set,
    quick_workout,
    start,
)


def _today() -> date:
    return datetime.now(UTC).date()  # the client has no time zone: UTC


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


async def _monday_thursday_program(client, owner, cid, start_on):
    """The programs test template (day A, day B) on Mondays and Thursdays from
    ``start_on``: (program, day A's id, day B's id)."""
    template = await make_template(client, owner)
    program = await assign(
        client,
        owner,
        template["id"],
        cid,
        start_on=start_on.isoformat(),
        training_days=["mon", "thu"],
    )
    week = (
        await client.get(f"{API}/programs/{program['id']}/workouts", headers=owner.headers)
    ).json()
    day_a, day_b = (w["id"] for w in week["workouts"])
    return program, day_a, day_b


async def _logged_program_workout(client, who, cid, program_id, workout_id, on, load):
    """Day A: three squat sets at ``load``; day B: two planks."""
    w = await start(
        client,
        who,
        cid,
        program_id=program_id,
        program_workout_id=workout_id,
        performed_on=on.isoformat(),
    )
    by_exercise = {e["exercise_id"]: e["id"] for e in w["entries"]}
    if SQUAT in by_exercise:
        for _ in range(3):
            await put_set(client, who, w["id"], by_exercise[SQUAT], load_kg=load, reps=5)
    else:
        for _ in range(2):
            await put_set(client, who, w["id"], by_exercise[PLANK], duration_seconds=60)
    return await complete(client, who, w["id"], session_rpe=8)


@pytest.fixture
async def history(client):
    """Four weeks of a Monday/Thursday program (5 of 8 workouts done) and free-style
    bench presses that stalled: the best is 6 weeks old, three sessions since."""
    owner = await make_owner(client)
    c = await make_client(client, owner, full_name="Dana Dashboard")
    cid = c["id"]
    this_monday = _monday(_today())
    start_on = this_monday - timedelta(weeks=4)
    program, day_a, day_b = await _monday_thursday_program(client, owner, cid, start_on)
    done = [
        (day_a, start_on, 100),
        (day_b, start_on + timedelta(days=3), None),
        (day_a, start_on + timedelta(weeks=1), 105),
        (day_b, start_on + timedelta(weeks=1, days=3), None),
        (day_a, start_on + timedelta(weeks=2), 110),
    ]
    for workout_id, on, load in done:
        await _logged_program_workout(client, owner, cid, program["id"], workout_id, on, load)
    await quick_workout(
        client,
        owner,
        cid,
        [(80, 5)],
        exercise_id=BENCH,
        performed_on=(this_monday - timedelta(weeks=6)).isoformat(),
    )
    for weeks_ago in (3, 2, 1):  # Wednesdays, all within the last four weeks
        await quick_workout(
            client,
            owner,
            cid,
            [(77.5, 5), (77.5, 5)],
            exercise_id=BENCH,
            performed_on=(this_monday - timedelta(weeks=weeks_ago) + timedelta(days=2)).isoformat(),
        )
    return owner, cid, program, start_on


async def test_the_dashboard(client, history):
    owner, cid, _, start_on = history
    r = await client.get(
        f"{API}/clients/{cid}/training-dashboard", headers=owner.headers, params={"range": "12w"}
    )
    assert r.status_code == 200, r.text
    d = r.json()
    assert d["bucket"] == "week" and d["lift_bucket"] == "day"
    assert d["to_on"] == _today().isoformat()
    # 1RM lines: one point per training day, most-trained lifts first (planks have none).
    assert [lift["exercise_id"] for lift in d["lifts"]] == [BENCH, SQUAT]
    squat = d["lifts"][1]
    assert squat["points"][0]["on"] == start_on.isoformat()
    assert len(squat["points"]) == 3
    assert squat["latest_e1rm_kg"] == pytest.approx(110 * 36 / 32, abs=0.1)
    assert squat["plateau"] is None or not squat["plateau"]["plateaued"]
    bench = next(lift for lift in d["lifts"] if lift["exercise_id"] == BENCH)
    assert bench["plateau"]["plateaued"] and bench["plateau"]["best_kg"] == 90.0
    # Weekly working sets per primary muscle.
    volume = {m["muscle"]: m for m in d["volume"]["muscles"]}
    first = d["volume"]["buckets"].index(start_on.isoformat())
    assert volume["quadriceps"]["sets"][first] == 3
    assert volume["quadriceps"]["tonnage_kg"][first] == 1500
    assert (
        volume["abdominals"]["sets"][first] == 2 and volume["abdominals"]["tonnage_kg"][first] == 0
    )
    assert sum(volume["chest"]["sets"]) == 7  # 1 set six weeks ago, then 2 x 3
    # Adherence: 8 scheduled (two a week for four weeks), 5 done; free-style kept apart.
    adherence = d["adherence"]
    assert sum(adherence["scheduled"]) == 8 and sum(adherence["completed"]) == 5
    assert adherence["percent"] == 62.5
    assert sum(adherence["extra"]) == 4  # the bench sessions
    # Streaks: the program's first three weeks met the plan (the third with a free-style
    # session for the day B missed), last week did not; this week has not yet.
    assert d["streaks"]["longest_weeks"] == 3 and d["streaks"]["current_weeks"] == 0
    assert d["streaks"]["workouts"] == 9
    # Records as they were set, newest first.
    assert d["records"] and d["records"][0]["exercise_name"] == "Barbell Squat"
    # Only what is drawn: a year is weekly, so at most 53 buckets.
    year = (
        await client.get(
            f"{API}/clients/{cid}/training-dashboard", headers=owner.headers, params={"range": "1y"}
        )
    ).json()
    assert year["lift_bucket"] == "week" and len(year["volume"]["buckets"]) <= 54
    assert len(year["lifts"][0]["points"]) <= 54


async def test_choosing_lifts_and_bad_ranges(client, history):
    owner, cid, _, _ = history
    url = f"{API}/clients/{cid}/training-dashboard"
    r = await client.get(url, headers=owner.headers, params={"lifts": [BENCH]})
    assert [lift["exercise_id"] for lift in r.json()["lifts"]] == [BENCH]
    r = await client.get(url, headers=owner.headers, params={"range": "5y"})
    assert r.status_code == 422
    r = await client.get(url, headers=owner.headers, params={"lifts": ["not-an-id"]})
    assert r.status_code == 422


async def test_one_lift_and_its_sets(client, history):
    owner, cid, _, start_on = history
    r = await client.get(f"{API}/clients/{cid}/lifts/{SQUAT}", headers=owner.headers)
    assert r.status_code == 200
    lift = r.json()
    assert lift["name"] == "Barbell Squat" and lift["best_load_kg"] == 110
    assert lift["best_e1rm_kg"] == pytest.approx(123.75)
    assert {rec["kind"] for rec in lift["records"][:3]} == {"load", "e1rm", "volume"}
    assert lift["records"][0]["achieved_on"] == (start_on + timedelta(weeks=2)).isoformat()
    sets = await client.get(
        f"{API}/clients/{cid}/lifts/{SQUAT}/sets", headers=owner.headers, params={"limit": 4}
    )
    page = sets.json()
    assert len(page["items"]) == 4 and page["next_cursor"]
    assert page["items"][0]["load_kg"] == 110
    records = await client.get(f"{API}/clients/{cid}/personal-records", headers=owner.headers)
    assert all(rec["previous_value"] is not None for rec in records.json()["items"])


async def test_e1rm_history_for_forecasts(client, history, session):
    owner, cid, _, start_on = history
    set_organization(session, uuid.UUID(owner.organization_id))
    points = await service.e1rm_history(
        session, client_id=uuid.UUID(cid), exercise_id=uuid.UUID(SQUAT)
    )
    assert points[0] == (start_on, pytest.approx(112.5))
    assert [d for d, _ in points] == sorted(d for d, _ in points) and len(points) == 3


async def test_strength_goals_read_the_latest_e1rm(client):
    owner = await make_owner(client)
    c = await make_client(client, owner)
    today = _today()
    await quick_workout(
        client, owner, c["id"], [(100, 5)], performed_on=(today - timedelta(days=40)).isoformat()
    )
    goal = await make_goal(
        client, owner, c["id"], type="strength_lift", exercise_id=SQUAT, target_value=140, unit="kg"
    )
    assert goal["start_value"] == pytest.approx(112.5) and goal["current_value"] == pytest.approx(
        112.5
    )
    await quick_workout(client, owner, c["id"], [(110, 5)], performed_on=today.isoformat())
    got = (
        await client.get(f"{API}/clients/{c['id']}/goals/{goal['id']}", headers=owner.headers)
    ).json()
    assert got["current_value"] == pytest.approx(123.75)
    assert got["progress_percent"] == pytest.approx(40.9, abs=0.1)


async def test_empty_dashboard(client):
    owner = await make_owner(client)
    c = await make_client(client, owner)
    d = (
        await client.get(f"{API}/clients/{c['id']}/training-dashboard", headers=owner.headers)
    ).json()
    assert d["lifts"] == [] and d["records"] == [] and d["adherence"]["percent"] is None
    assert d["streaks"] == {"current_weeks": 0, "longest_weeks": 0, "days_logged": 0, "workouts": 0}


async def test_the_dashboard_costs_the_same_queries_for_a_longer_history(client, session):
    owner = await make_owner(client)
    c = await make_client(client, owner)
    org, cid = uuid.UUID(owner.organization_id), uuid.UUID(c["id"])
    set_organization(session, org)
    client_row = await session.get(stats.Client, cid)

    async def count() -> int:
        statements: list[str] = []

        def seen(*args: object) -> None:
            statements.append(str(args[2]))

        target = session.bind.engine.sync_engine  # the test transaction's engine
        event.listen(target, "before_cursor_execute", seen)
        try:
            await service.dashboard(session, client=client_row, range_=stats.Range.ALL)
        finally:
            event.remove(target, "before_cursor_execute", seen)
        return len(statements)

    await quick_workout(client, owner, c["id"], [(60, 5)], performed_on="2026-01-05")
    small = await count()
    for week in range(1, 12):
        on = date(2026, 1, 5) + timedelta(weeks=week)
        w = await start(client, owner, c["id"], performed_on=on.isoformat())
        for exercise in (SQUAT, BENCH):
            entry = await add_exercise(client, owner, w["id"], exercise)
            await put_set(client, owner, w["id"], entry["id"], load_kg=60 + week, reps=5)
        await complete(client, owner, w["id"])
    assert await count() == small
    assert 5 < small <= 14, small


async def test_adherence_counts_what_was_done_when_a_dynamic_program_waits(client):
    """Day B missed in week 1: the program waits for it, so week 2's day A counts for
    nothing in the program; the client still trained, and adherence says so."""
    owner = await make_owner(client)
    cid = (await make_client(client, owner))["id"]
    start_on = _monday(_today()) - timedelta(weeks=3)
    program, day_a, day_b = await _monday_thursday_program(client, owner, cid, start_on)
    for workout_id, on in [
        (day_a, start_on),
        (day_a, start_on + timedelta(weeks=1)),
        (day_b, start_on + timedelta(weeks=1, days=3)),
    ]:
        await _logged_program_workout(client, owner, cid, program["id"], workout_id, on, 100)
    # Marked done by hand (no log) in week 3.
    r = await client.post(
        f"{API}/programs/{program['id']}/workouts/{day_a}/complete",
        headers=owner.headers,
        json={"completed_on": (start_on + timedelta(weeks=2)).isoformat()},
    )
    assert r.status_code == 200
    d = (
        await client.get(
            f"{API}/clients/{cid}/training-dashboard", headers=owner.headers, params={"range": "4w"}
        )
    ).json()
    a = d["adherence"]
    weeks = [start_on + timedelta(weeks=i) for i in range(3)]
    at = [a["buckets"].index(w.isoformat()) for w in weeks]
    assert [a["scheduled"][i] for i in at] == [2, 2, 2]
    assert [a["completed"][i] for i in at] == [1, 2, 1]
    assert a["percent"] == pytest.approx(100 * 4 / sum(a["scheduled"]), abs=0.1)


async def test_the_dashboard_is_kept_until_the_log_changes(client, session):
    owner = await make_owner(client)
    c = await make_client(client, owner)
    set_organization(session, uuid.UUID(owner.organization_id))
    row = await session.get(stats.Client, uuid.UUID(c["id"]))
    today = _today()
    workout, _ = await quick_workout(client, owner, c["id"], [(100, 5)], finish=False)
    first, _ = await service.dashboard(session, client=row, range_=stats.Range.WEEKS_4, today=today)
    again, _ = await service.dashboard(session, client=row, range_=stats.Range.WEEKS_4, today=today)
    assert again is first  # kept: nothing changed
    entry = (await client.get(f"{API}/workouts/{workout['id']}", headers=owner.headers)).json()[
        "entries"
    ][0]["id"]
    await put_set(client, owner, workout["id"], entry, load_kg=110, reps=5)
    fresh, _ = await service.dashboard(session, client=row, range_=stats.Range.WEEKS_4, today=today)
    assert fresh is not first and 110 in {r.value for r in fresh.records}


async def test_the_past_buckets_are_kept_while_only_the_current_one_changes(client, session):
    """A set logged today leaves the past weeks' grouped rows and completed workouts as
    they were: the next dashboard reads the current week's alone, and draws what a
    dashboard computed from nothing draws. A set changed in an old workout has them read
    again."""
    owner = await make_owner(client)
    c = await make_client(client, owner)
    set_organization(session, uuid.UUID(owner.organization_id))
    row = await session.get(stats.Client, uuid.UUID(c["id"]))
    today = _today()
    old_on = _monday(today) - timedelta(weeks=20)  # weekly buckets: 12 weeks to 2 years
    old, (old_set,) = await quick_workout(
        client, owner, c["id"], [(100, 5)], performed_on=old_on.isoformat()
    )
    now, (now_set,) = await quick_workout(client, owner, c["id"], [(80, 5)], finish=False)
    grouped: list[str] = []

    def seen(*args: object) -> None:
        if "sum(training_exercise_days.sets)" in str(args[2]):
            grouped.append(str(args[2]))

    async def view() -> tuple[stats.DashboardOut, int]:
        grouped.clear()
        target = session.bind.engine.sync_engine
        event.listen(target, "before_cursor_execute", seen)
        try:
            out, _ = await service.dashboard(
                session, client=row, range_=stats.Range.ALL, today=today
            )
        finally:
            event.remove(target, "before_cursor_execute", seen)
        return out, len(grouped)

    assert (await view())[1] == 2  # the past weeks, then the current one
    await put_set(
        client, owner, now["id"], now_set["set"]["logged_exercise_id"], load_kg=90, reps=5
    )
    after, runs = await view()
    assert runs == 1  # the current week alone
    stats.cache.forget()
    afresh, _ = await view()
    assert after == afresh
    week = after.volume.buckets.index(old_on)
    assert after.volume.tonnage_kg[week] == 500
    assert after.volume.tonnage_kg[-1] == 80 * 5 + 90 * 5
    assert after.streaks.workouts == 1  # today's is not completed yet
    await complete(client, owner, now["id"], session_rpe=7)
    done, runs = await view()
    assert runs == 1 and done.streaks.workouts == 2  # the past workouts kept, today's read

    await put_set(
        client, owner, old["id"], old_set["set"]["logged_exercise_id"], load_kg=120, reps=3
    )
    changed, runs = await view()
    assert runs == 2
    assert changed.volume.tonnage_kg[week] == 500 + 360


async def test_a_strength_goal_reads_whichever_1rm_is_the_latest(client):
    """A 1RM tested after the last session beats the log's estimate; a later session beats
    the test."""
    owner = await make_owner(client)
    c = await make_client(client, owner)
    today = _today()
    await quick_workout(
        client, owner, c["id"], [(100, 5)], performed_on=(today - timedelta(days=10)).isoformat()
    )
    goal = await make_goal(
        client, owner, c["id"], type="strength_lift", exercise_id=SQUAT, target_value=140, unit="kg"
    )
    url = f"{API}/clients/{c['id']}/goals/{goal['id']}"
    assert (await client.get(url, headers=owner.headers)).json()["current_value"] == 112.5
    await make_assessment(
        client,
        owner,
        c["id"],
        assessed_on=(today - timedelta(days=3)).isoformat(),
        one_rep_maxes=[{"exercise_id": SQUAT, "kg": 120}],
    )
    assert (await client.get(url, headers=owner.headers)).json()["current_value"] == 120
    await quick_workout(client, owner, c["id"], [(105, 5)], performed_on=today.isoformat())
    current = (await client.get(url, headers=owner.headers)).json()["current_value"]
    assert current == pytest.approx(118.1, abs=0.1)  # 105 x 36 / 32, the latest measure


async def test_a_strength_goal_is_forecast_from_the_lifts_trend(client):
    """The progress domain's forecast (Theil-Sen over the last 12 weeks) follows a strength
    goal through the lift's best estimated 1RM a day."""
    owner = await make_owner(client)
    c = await make_client(client, owner)
    today = _today()
    for week in range(8):  # weekly squats of 5, 2.5 kg heavier each week, the last today
        day = today - timedelta(weeks=7 - week)
        await quick_workout(client, owner, c["id"], [(100 + 2.5 * week, 5)], performed_on=str(day))
    goal = await make_goal(
        client, owner, c["id"], type="strength_lift", exercise_id=SQUAT, target_value=140, unit="kg"
    )
    url = f"{API}/clients/{c['id']}/goals/{goal['id']}/forecast"
    body = (await client.get(url, headers=owner.headers)).json()
    # Brzycki at 5 reps is 36/32 of the load: 112.5 kg rising 2.8125 kg a week.
    assert body["metric"] == "e1rm" and body["status"] == "on_track", body
    assert body["current"] == pytest.approx(132.19, abs=0.01) and body["points"] == 8
    assert body["slope_per_week"] == pytest.approx(2.8125, abs=0.001)
    # 7.8125 kg to go at 2.8125 a week: 19.4 days, so reached on the 20th.
    assert body["eta_on"] == (today + timedelta(days=20)).isoformat()
    assert body["plateau"]["weeks"] == 4 and body["plateau"]["is_plateau"] is False


async def test_a_flat_lift_is_a_plateau_for_its_goal(client):
    owner = await make_owner(client)
    c = await make_client(client, owner)
    today = _today()
    for week in range(6):
        day = today - timedelta(weeks=5 - week)
        await quick_workout(client, owner, c["id"], [(100, 5)], performed_on=str(day))
    goal = await make_goal(
        client, owner, c["id"], type="strength_lift", exercise_id=SQUAT, target_value=140, unit="kg"
    )
    url = f"{API}/clients/{c['id']}/goals/{goal['id']}/forecast"
    body = (await client.get(url, headers=owner.headers)).json()
    assert body["status"] == "wrong_way" and "Not at this trend" in body["message"]
    assert body["plateau"]["is_plateau"] is True
