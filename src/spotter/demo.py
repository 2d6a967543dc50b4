"""Demo organization: an owner who trains, a second trainer and 12 clients.

Later capabilities add their own demo data here (programs, workouts, nutrition, ...).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from spotter.clients.models import Client
from spotter.core.db import utcnow
from spotter.core.permissions import Role
from spotter.core.security import encrypt
from spotter.core.tenancy import set_organization
from spotter.identity import service as identity
from spotter.orgs import service as orgs
from spotter.orgs.models import Membership, Organization

DEMO_SLUG = "northside-strength"
DEMO_PASSWORD = "spotter-demo-1"


@dataclass(frozen=True)
class DemoLogin:
    role: str
    email: str
    password: str = DEMO_PASSWORD


DEMO_LOGINS = [
    DemoLogin("owner (trains clients too)", "alex@northside.example"),
    DemoLogin("trainer", "sam@northside.example"),
    DemoLogin("client", "jordan@northside.example"),
]

# (name, status, trainer: 0 = Alex, 1 = Sam)
CLIENTS = [
    ("Jordan Lee", "active", 0),
    ("Priya Patel", "active", 0),
    ("Marcus Johnson", "active", 0),
    ("Sofia Rossi", "active", 0),
    ("Liam O'Connor", "paused", 0),
    ("Hannah Schmidt", "lead", 0),
    ("Diego Alvarez", "active", 1),
    ("Aiko Tanaka", "active", 1),
    ("Noah Williams", "active", 1),
    ("Emma Dubois", "active", 1),
    ("Kwame Mensah", "lead", 1),
    ("Olivia Brown", "archived", 1),
]


async def demo_exists(session: AsyncSession) -> bool:
    return (
        await session.scalar(sa.select(Organization.id).where(Organization.slug == DEMO_SLUG))
        is not None
    )


async def load_demo(session: AsyncSession) -> list[DemoLogin]:
    owner = await identity.create_user(
        session,
        email_address=DEMO_LOGINS[0].email,
        full_name="Alex Morgan",
        password=DEMO_PASSWORD,
        verified=True,
    )
    org = await orgs.create_organization(
        session, name="Northside Strength", owner=owner, timezone="Europe/London", currency="GBP"
    )
    assert org.slug == DEMO_SLUG
    org.display_name = "Northside Strength & Conditioning"
    set_organization(session, org.id)
    trainer = await identity.create_user(
        session,
        email_address=DEMO_LOGINS[1].email,
        full_name="Sam Rivera",
        password=DEMO_PASSWORD,
        verified=True,
    )
    session.add(Membership(user_id=trainer.id, role=Role.TRAINER))
    trainers = [owner, trainer]
    for i, (name, status, t) in enumerate(CLIENTS):
        slug = name.split()[0].lower()
        client = Client(
            full_name=name,
            email=f"{slug}@northside.example",
            status=status,
            trainer_id=trainers[t].id,
        )
        if i == 0:
            user = await identity.create_user(
                session,
                email_address=client.email or "",
                full_name=name,
                password=DEMO_PASSWORD,
                verified=True,
            )
            session.add(Membership(user_id=user.id, role=Role.CLIENT))
            client.user_id = user.id
        _profile(client, i)
        session.add(client)
    await session.flush()
    await _coaching_records(session)
    return DEMO_LOGINS


_EQUIPMENT = [
    ["barbell", "dumbbell", "cable", "machine"],
    ["dumbbell", "bands", "body_only"],
    ["kettlebells", "body_only"],
]


def _profile(client: Client, i: int) -> None:
    """A realistic profile: varied age, height, experience, equipment and schedule."""
    first, _, last = client.full_name.partition(" ")
    client.first_name, client.last_name = first, last
    client.phone = f"+44 7700 900{100 + i:03d}"
    client.born_on = date(1970 + (i * 3) % 35, 1 + i % 12, 1 + (i * 5) % 28)
    client.sex = "female" if i in (1, 3, 5, 7, 9, 11) else "male"
    client.height_cm = 158.0 + (i * 7) % 30
    client.unit_system = "imperial" if i in (2, 8) else "metric"
    client.timezone = "Europe/London"
    client.experience = ("beginner", "intermediate", "advanced")[i % 3]
    client.equipment = _EQUIPMENT[i % 3]
    client.training_days = [[1, 3, 5], [2, 4], [1, 2, 4, 6]][i % 3]
    client.session_minutes = (45, 60, 75)[i % 3]
    if i in (2, 4):
        client.limitations_sealed = encrypt(
            "Lower back tightness after long drives" if i == 2 else "Right shoulder impingement"
        )


async def _coaching_records(session: AsyncSession) -> None:
    """Health history for a few clients, goals for most, assessments for some."""
    from spotter.clients.models import Assessment, Goal, HealthHistory
    from spotter.clients.schemas import HealthHistoryIn

    clients = list(await session.scalars(sa.select(Client).order_by(Client.full_name)))
    today = utcnow().date()
    for n, client in enumerate(clients):
        if client.status in ("lead", "archived"):
            continue
        start_weight = 70.0 + (n * 4) % 25
        for months_ago, delta in ((3, 0.0), (0, -2.5)):
            session.add(
                Assessment(
                    client_id=client.id,
                    assessed_on=today - timedelta(days=30 * months_ago + 1),
                    resting_hr=68 - (3 - months_ago) * 2,
                    bp_systolic=122 - (3 - months_ago),
                    bp_diastolic=80,
                    body_weight_kg=start_weight + delta,
                    body_fat_pct=24.0 + delta / 2,
                    waist_cm=84.0 + delta,
                    push_ups=12 + (3 - months_ago) * 2,
                    plank_seconds=60 + (3 - months_ago) * 15,
                    movement_screen={"deep_squat": 2, "hurdle_step": 2, "inline_lunge": 2},
                    items=[],
                    one_rep_maxes=[],
                )
            )
        session.add(
            Goal(
                client_id=client.id,
                type="body_weight",
                title="Reach a healthy body weight",
                target_kind="absolute",
                start_value=start_weight,
                target_value=start_weight - 5,
                unit="kg",
                deadline_on=today + timedelta(days=90),
                status="active",
            )
        )
        session.add(
            Goal(
                client_id=client.id,
                type="habit",
                title="Train three times a week for 12 weeks",
                target_kind="absolute",
                start_value=0,
                target_value=36,
                current_value=float(10 + n),
                unit="sessions",
                status="active",
            )
        )
        if n % 3 == 0:
            history = HealthHistoryIn.model_validate(
                {
                    "parq": {
                        "heart_condition": {"answer": False},
                        "bone_joint_problem": {
                            "answer": True,
                            "details": "Old ankle sprain, fully healed",
                        },
                    },
                    "injuries": ["Ankle sprain (2022)"],
                    "clearance": {"cleared": True, "cleared_on": str(today - timedelta(days=60))},
                    "emergency_contacts": [{"name": "Family contact", "phone": "+44 7700 900999"}],
                }
            )
            session.add(
                HealthHistory(client_id=client.id, sealed=encrypt(history.model_dump_json()))
            )
    await session.flush()
