"""The demo organization's training data: Jordan's program, followed with a stall on the
bench press, a year of imported history, and two more clients who train."""

from __future__ import annotations

import uuid

import sqlalchemy as sa

from spotter.clients.models import Client
from spotter.core.db import db
from spotter.core.tenancy import set_organization
from spotter.demo import load_demo
from spotter.orgs.models import Organization
from spotter.programs import service as programs
from spotter.training import service
from spotter.training.models import LoggedSet, LoggedWorkout
from spotter.training.schemas import Range
from tests.training.helpers import BENCH, SQUAT

BENCH_ID, SQUAT_ID = uuid.UUID(BENCH), uuid.UUID(SQUAT)


async def test_the_demo_shows_a_year_of_training():
    async with db.session(platform=True) as session:
        await load_demo(session)
    async with db.session() as session:
        org = await session.scalar(
            sa.select(Organization).where(Organization.slug == "northside-strength")
        )
        set_organization(session, org.id)
        jordan = await session.scalar(sa.select(Client).where(Client.full_name == "Jordan Lee"))
        sources = set((await session.scalars(sa.select(LoggedWorkout.source))).all())
        assert sources == {"app", "strong"}
        sets = await session.scalar(sa.select(sa.func.count()).select_from(LoggedSet))
        assert sets > 700
        d, _ = await service.dashboard(session, client=jordan, range_=Range.ALL)
        by_id = {lift.exercise_id: lift for lift in d.lifts}
        assert by_id[BENCH_ID].plateau and by_id[BENCH_ID].plateau.plateaued
        assert by_id[SQUAT_ID].plateau and not by_id[SQUAT_ID].plateau.plateaued
        assert d.adherence.percent and d.adherence.percent > 75
        assert d.records and d.streaks.workouts > 80
        assert d.to_on == programs.client_today(jordan)
