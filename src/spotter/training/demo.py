"""Demo training data, before the program Jordan (the demo client) started this week: an
eight-week base block, followed (two sessions missed, the bench press stalling) and then
completed, a year of older history "imported from Strong" before it, and a few weeks of
free-style workouts for two other clients. Written in bulk, then the derived data is
rebuilt, so the demo still loads in a couple of seconds."""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from spotter.clients.models import Client
from spotter.core.permissions import ROLE_PERMISSIONS, Role
from spotter.core.tenancy import current_organization
from spotter.exercises.dataset import library_id
from spotter.identity.dependencies import Principal
from spotter.identity.models import User
from spotter.orgs.models import Organization
from spotter.programs import service as programs
from spotter.programs.schemas import AssignIn, ProgramUpdate, TemplateCreate
from spotter.training import formulas
from spotter.training.service import derived
from spotter.training.service.bulk import BulkLog


def _id(slug: str) -> uuid.UUID:
    return library_id("exercise", slug)


SQUAT = _id("Barbell_Squat")
BENCH = _id("Barbell_Bench_Press_-_Medium_Grip")
DEADLIFT = _id("Barbell_Deadlift")
PRESS = _id("Standing_Military_Press")
ROW = _id("Bent_Over_Barbell_Row")
PULLUP = _id("Pullups")
PLANK = _id("Plank")
GOBLET = _id("Goblet_Squat")
DB_BENCH = _id("Dumbbell_Bench_Press")
LUNGE = _id("Dumbbell_Lunges")


def _rx(exercise: uuid.UUID, sets: int, **fields: Any) -> dict[str, Any]:
    return {"exercise_id": str(exercise), "sets": sets, **fields}


TEMPLATE = {
    "name": "Base block",
    "goal": "Learn the big lifts and build a base",
    "level": "beginner",
    "description": "Two full-body days for eight weeks, linear progression on the main lifts.",
    "shared": True,
    "phases": [
        {
            "name": "Linear progression",
            "weeks": 8,
            "focus": "strength",
            "workouts": [
                {
                    "name": "Day A: squat and bench",
                    "prescriptions": [
                        _rx(
                            SQUAT,
                            3,
                            reps=5,
                            load_kg=62.5,  # what the logged sessions below start from
                            rest_seconds=180,
                            progression={"kind": "linear_load", "increment_kg": 2.5},
                        ),
                        _rx(
                            BENCH,
                            3,
                            reps=5,
                            load_kg=60,
                            rest_seconds=150,
                            progression={"kind": "linear_load", "increment_kg": 1.25},
                        ),
                        _rx(
                            ROW,
                            3,
                            reps_min=8,
                            reps_max=10,
                            load_kg=50,
                            rest_seconds=90,
                            progression={"kind": "double_progression", "increment_kg": 2.5},
                        ),
                    ],
                },
                {
                    "name": "Day B: deadlift and press",
                    "prescriptions": [
                        _rx(
                            DEADLIFT,
                            1,
                            reps=5,
                            load_kg=110,
                            rest_seconds=180,
                            progression={"kind": "linear_load", "increment_kg": 5},
                        ),
                        _rx(
                            PRESS,
                            3,
                            reps=5,
                            load_kg=40,
                            rest_seconds=120,
                            progression={"kind": "linear_load", "increment_kg": 1.25},
                        ),
                        _rx(PULLUP, 3, reps=8, rir=2, rest_seconds=90),
                        _rx(PLANK, 2, duration_seconds=45, rest_seconds=60),
                    ],
                },
            ],
        }
    ],
}
PROGRAM_WEEKS = 8  # ending last Sunday: the program of this week is the demo's own
HISTORY_WEEKS = 44


@dataclass
class _Demo:
    """Shorthands over ``BulkLog`` for the demo's sessions (at 18:00, an hour at most)."""

    log: BulkLog

    def workout(self, client: Client, day: date, name: str, **fields: Any) -> uuid.UUID:
        return self.log.workout(
            client_id=client.id,
            name=name,
            performed_on=day,
            started_at=datetime.combine(day, time(18, 0), tzinfo=UTC),
            duration_seconds=fields.pop("minutes", 55) * 60,
            session_rpe=fields.pop("session_rpe", 7.5),
            **fields,
        )

    def exercise(
        self,
        client: Client,
        workout_id: uuid.UUID,
        day: date,
        exercise: uuid.UUID,
        sets: list[tuple[float | None, int | None, int | None]],
        **fields: Any,
    ) -> None:
        """``sets``: (kg, reps, seconds)."""
        position = sum(1 for e in self.log.entries if e["logged_workout_id"] == workout_id)
        entry_id = self.log.exercise(
            workout_id=workout_id, exercise_id=exercise, position=position, **fields
        )
        for i, (kg, reps, seconds) in enumerate(sets, start=1):
            self.log.set(
                workout_id=workout_id,
                entry_id=entry_id,
                client_id=client.id,
                exercise_id=exercise,
                performed_on=day,
                position=i,
                reps=reps,
                load_kg=kg,
                duration_seconds=seconds,
                done_at=datetime.combine(day, time(18, i), tzinfo=UTC),
            )


def _kg(value: float) -> float:
    return round(value / 1.25) * 1.25


async def load_training_demo(
    session: AsyncSession, *, organization: Organization, owner: User, today: date
) -> None:
    rng = random.Random(7)
    clients = {
        c.full_name: c
        for c in await session.scalars(sa.select(Client).where(Client.status == "active"))
    }
    jordan = clients["Jordan Lee"]
    principal = Principal(
        organization=organization,
        role=Role.OWNER,
        permissions=ROLE_PERMISSIONS[Role.OWNER],
        user=owner,
    )
    template, _ = await programs.create_template(
        session, principal=principal, data=TemplateCreate.model_validate(TEMPLATE)
    )
    monday = formulas.monday(today)
    start_on = monday - timedelta(weeks=PROGRAM_WEEKS)
    program = await programs.assign(
        session,
        principal=principal,
        template_id=template.id,
        data=AssignIn(
            client_id=jordan.id,
            mode="DYNAMIC_PROGRESSIVE",  # type: ignore[arg-type]
            start_on=start_on,
            training_days=[1, 4],
        ),
    )
    rows = _Demo(BulkLog(current_organization(session) or organization.id))

    # A year of older history, as if imported from Strong: two full-body days a week.
    history_start = start_on - timedelta(weeks=HISTORY_WEEKS)
    for week in range(HISTORY_WEEKS):
        for offset, name in ((1, "Upper"), (4, "Lower")):
            day = history_start + timedelta(weeks=week, days=offset)
            if rng.random() < 0.15:
                continue  # missed
            level = 0.7 + 0.3 * week / HISTORY_WEEKS
            w = rows.workout(jordan, day, name, source="strong", session_rpe=None)
            if name == "Upper":
                rows.exercise(jordan, w, day, BENCH, [(_kg(62 * level), 8, None)] * 3)
                rows.exercise(jordan, w, day, DB_BENCH, [(_kg(22 * level), 10, None)] * 2)
                rows.exercise(jordan, w, day, PULLUP, [(None, 5 + week // 12, None)] * 3)
            else:
                rows.exercise(jordan, w, day, SQUAT, [(_kg(68 * level), 8, None)] * 3)
                rows.exercise(jordan, w, day, LUNGE, [(_kg(14 * level), 10, None)] * 2)
                rows.exercise(jordan, w, day, PLANK, [(None, None, 40)] * 2)

    # The base block, followed as scheduled (two day B sessions missed; the bench press
    # stalls from week 4), then completed by the trainer.
    week_of = await programs.program_week(session, principal=principal, program_id=program.id)
    day_a, day_b = (w.id for w in week_of.workouts)
    done: list[tuple[uuid.UUID, date]] = []
    for item in await programs.schedule(
        session,
        principal=principal,
        program_id=program.id,
        from_on=start_on,
        to_on=monday - timedelta(days=1),
    ):
        week = item.week
        if (week, item.workout_id) in ((3, day_b), (6, day_b)):
            continue
        day = item.date
        w = rows.workout(
            jordan,
            day,
            item.workout_name,
            program_id=program.id,
            program_workout_id=item.workout_id,
            phase=item.phase,
            week=week,
            session_rpe=7 + rng.choice((0, 0.5, 1)),
        )
        if item.workout_id == day_a:
            squat = 62.5 + 2.5 * (week - 1)
            bench = 60 + 1.25 * min(week - 1, 3)  # stuck at 63.75 kg since week 4
            bench_reps = [5, 5, 4] if week >= 5 else [5, 5, 5]
            rows.exercise(jordan, w, day, SQUAT, [(squat, 5, None)] * 3, rest_seconds=180)
            rows.exercise(
                jordan, w, day, BENCH, [(bench, r, None) for r in bench_reps], rest_seconds=150
            )
            rows.exercise(
                jordan, w, day, ROW, [(_kg(50 + 2.5 * (week // 3)), 8 + week % 3, None)] * 3
            )
        else:
            rows.exercise(
                jordan, w, day, DEADLIFT, [(100 + 5 * (week - 1), 5, None)], rest_seconds=180
            )
            rows.exercise(jordan, w, day, PRESS, [(_kg(40 + 1.25 * (week - 1)), 5, None)] * 3)
            rows.exercise(jordan, w, day, PULLUP, [(None, 8 + week // 3, None)] * 3)
            rows.exercise(jordan, w, day, PLANK, [(None, None, 45 + 5 * (week // 2))] * 2)
        done.append((item.workout_id, day))

    # Two other clients: a few weeks of free-style workouts.
    for name, base in (("Priya Patel", 1.0), ("Marcus Johnson", 1.3)):
        client = clients[name]
        for week in range(6):
            for offset in (0, 3):
                day = monday - timedelta(weeks=6 - week, days=-offset)
                w = rows.workout(client, day, "Full body", session_rpe=7)
                rows.exercise(client, w, day, GOBLET, [(_kg(16 * base + 2 * week), 10, None)] * 3)
                rows.exercise(client, w, day, DB_BENCH, [(_kg(14 * base + week), 10, None)] * 3)
                rows.exercise(client, w, day, PULLUP, [(None, 4 + week // 2, None)] * 2)

    await rows.log.write(session)
    for workout_id, day in done:
        await programs.record_workout_completed(
            session, program_id=program.id, program_workout_id=workout_id, completed_on=day
        )
    await programs.update_program(
        session, principal=principal, program_id=program.id, data=ProgramUpdate(status="completed")
    )
    for client in (jordan, clients["Priya Patel"], clients["Marcus Johnson"]):
        await derived.rebuild_client(session, client.id)
