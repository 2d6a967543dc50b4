"""Demo organization: an owner who trains, a second trainer and 12 clients.

Later capabilities add their own demo data here (programs, workouts, nutrition, ...).
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from spotter.clients.models import Client
from spotter.core.permissions import Role
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
        session.add(client)
    await session.flush()
    return DEMO_LOGINS
