"""Demo organization: an owner who trains, a second trainer and 12 clients.

Later capabilities add their own demo data here (programs, workouts, nutrition, ...).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from spotter.clients.models import Client
from spotter.core.db import utcnow
from spotter.core.permissions import ROLE_PERMISSIONS, Role
from spotter.core.security import encrypt
from spotter.core.tenancy import set_organization
from spotter.exercises.dataset import library_id
from spotter.identity import service as identity
from spotter.identity.dependencies import Principal
from spotter.identity.models import User
from spotter.nutrition import demo as nutrition_demo
from spotter.orgs import service as orgs
from spotter.orgs.models import Membership, Organization
from spotter.progress import demo as progress_demo

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
    await _library_and_programs(session, org, owner, trainer)
    await progress_demo.load(session)
    await nutrition_demo.load(session, logged_by=owner.id)
    from spotter.training.demo import load_training_demo

    await load_training_demo(session, organization=org, owner=owner, today=utcnow().date())
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


# --- coaching: the organization's exercises, program templates, clients' programs ---------


def _rx(slug: str, sets: int = 3, reps: tuple[int, int] | None = (8, 12), **fields: Any) -> Any:
    low, high = reps if reps else (None, None)
    fields.update(exercise_id=library_id("exercise", slug), sets=sets)
    return {"reps_min": low, "reps_max": high, **fields}


FOUNDATIONS = {
    "name": "Strength Foundations",
    "goal": "Build a base of strength",
    "level": "beginner",
    "description": "Three full-body days: learn the big lifts, then go heavier.",
    "shared": True,
    "phases": [
        {
            "name": "Base",
            "weeks": 4,
            "focus": "Technique and volume",
            "workouts": [
                {
                    "name": "Lower A",
                    "prescriptions": [
                        _rx(
                            "Barbell_Squat",
                            3,
                            (5, 5),
                            load_kg=60,
                            rest_seconds=150,
                            progression={"kind": "linear_load", "increment_kg": 2.5},
                        ),
                        _rx(
                            "Romanian_Deadlift",
                            3,
                            (8, 12),
                            load_kg=50,
                            progression={"kind": "double_progression", "increment_kg": 5},
                        ),
                        _rx("Dumbbell_Lunges", 3, (10, 10), load_kg=12, group_label="A"),
                        _rx("Plank", 3, None, duration_seconds=45, group_label="A"),
                    ],
                },
                {
                    "name": "Upper A",
                    "prescriptions": [
                        _rx(
                            "Barbell_Bench_Press_-_Medium_Grip",
                            3,
                            (5, 5),
                            load_kg=50,
                            rest_seconds=150,
                            progression={"kind": "linear_load", "increment_kg": 2.5},
                        ),
                        _rx(
                            "Bent_Over_Barbell_Row",
                            3,
                            (8, 12),
                            load_kg=40,
                            progression={"kind": "double_progression", "increment_kg": 2.5},
                        ),
                        _rx("Face_Pull", 3, (12, 15), group_label="A", rir=2),
                        _rx("Hanging_Leg_Raise", 3, (8, 12), group_label="A", rir=2),
                    ],
                },
                {
                    "name": "Full body",
                    "prescriptions": [
                        _rx(
                            "Barbell_Deadlift",
                            1,
                            (5, 5),
                            load_kg=80,
                            rest_seconds=180,
                            progression={"kind": "linear_load", "increment_kg": 5},
                        ),
                        _rx("Standing_Military_Press", 3, (6, 8), load_kg=30),
                        _rx("Wide-Grip_Lat_Pulldown", 3, (10, 12), rpe=8),
                    ],
                },
            ],
        },
        {
            "name": "Build",
            "weeks": 2,
            "focus": "Heavier singles and doubles",
            "workouts": [
                {
                    "name": "Heavy lower",
                    "prescriptions": [
                        _rx(
                            "Barbell_Squat",
                            4,
                            (3, 3),
                            percent_1rm=80,
                            rest_seconds=180,
                            progression={"kind": "percentage_steps", "steps": [80, 85]},
                        ),
                        _rx("Barbell_Hip_Thrust", 3, (8, 10), load_kg=70),
                    ],
                },
                {
                    "name": "Heavy upper",
                    "prescriptions": [
                        _rx(
                            "Barbell_Bench_Press_-_Medium_Grip",
                            4,
                            (3, 3),
                            percent_1rm=78,
                            progression={"kind": "percentage_steps", "steps": [78, 83]},
                        ),
                        _rx("Pullups", 4, (5, 8), rir=1),
                    ],
                },
            ],
        },
    ],
}
HOME_PLAN = {
    "name": "Dumbbell Home Plan",
    "goal": "Train at home with dumbbells and bands",
    "level": "beginner",
    "phases": [
        {
            "name": "Home block",
            "weeks": 6,
            "workouts": [
                {
                    "name": "Legs and push",
                    "prescriptions": [
                        _rx(
                            "Goblet_Squat",
                            3,
                            (10, 15),
                            load_kg=16,
                            progression={"kind": "double_progression", "increment_kg": 2},
                        ),
                        _rx("Dumbbell_Bench_Press", 3, (8, 12), load_kg=14),
                    ],
                },
                {
                    "name": "Hinge and pull",
                    "prescriptions": [
                        _rx("One-Arm_Kettlebell_Swings", 3, (12, 15), load_kg=16),
                        _rx("Seated_Cable_Rows", 3, (10, 12), rpe=8),
                    ],
                },
            ],
        }
    ],
}


async def _library_and_programs(
    session: AsyncSession, org: Organization, owner: User, trainer: User
) -> None:
    """Northside's own version of the back squat and its own landmine press; a shared
    template and one of Sam's; programs for a few clients (dynamic, static moved on, paused,
    a rescheduled workout, last workouts done) and a strength goal on the squat."""
    from spotter.clients.models import Assessment, Goal
    from spotter.exercises import service as exercises
    from spotter.exercises.schemas import CustomExerciseIn, OverrideIn
    from spotter.programs import service as programs
    from spotter.programs.schemas import AssignIn, ProgramUpdate, TemplateCreate

    def acting(user: User, role: Role) -> Principal:
        return Principal(organization=org, role=role, permissions=ROLE_PERMISSIONS[role], user=user)

    alex, sam = acting(owner, Role.OWNER), acting(trainer, Role.TRAINER)
    squat = library_id("exercise", "Barbell_Squat")
    await exercises.put_override(
        session,
        exercise_id=squat,
        data=OverrideIn(
            name="Back Squat",
            video_url="https://videos.northside.example/back-squat",
            cues=[
                "Brace before you descend",
                "Knees out over the toes",
                "Drive up through mid-foot",
            ],
            notes="Bar on the upper traps, feet shoulder-width.\nSit down between the hips "
            "until the hip crease is below the knee, then stand up tall.",
        ),
    )
    await exercises.create_custom(
        session,
        principal=alex,
        data=CustomExerciseIn(
            name="Landmine Press",
            category="strength",
            level="intermediate",
            mechanic="compound",
            force="push",
            equipment="barbell",
            primary_muscles=["shoulders"],
            secondary_muscles=["triceps", "chest"],
            cues=["Ribs down", "Press up and in"],
            notes="Half-kneeling, one end of the bar in the landmine. A shoulder-friendly press.",
        ),
    )
    foundations, _ = await programs.create_template(
        session, principal=alex, data=TemplateCreate.model_validate(FOUNDATIONS)
    )
    home, _ = await programs.create_template(
        session, principal=sam, data=TemplateCreate.model_validate(HOME_PLAN)
    )
    clients = {c.full_name: c for c in await session.scalars(sa.select(Client))}
    today = utcnow().date()
    monday = today - timedelta(days=today.weekday())

    async def program(who: Principal, plan: Any, name: str, mode: str, start: date) -> Any:
        data = AssignIn.model_validate(
            {"client_id": clients[name].id, "mode": mode, "start_on": start}
        )
        return await programs.assign(session, principal=who, template_id=plan.id, data=data)

    # Jordan (who can log in): dynamic from this Monday, this week's past workouts done,
    # next week's first workout moved a day later.
    jordan = await program(alex, foundations, "Jordan Lee", "DYNAMIC_PROGRESSIVE", monday)
    done = await programs.schedule(
        session, principal=alex, program_id=jordan.id, from_on=monday, to_on=today
    )
    for item in done[:-1] if done and done[-1].date == today else done:
        await programs.record_workout_completed(
            session,
            program_id=jordan.id,
            program_workout_id=item.workout_id,
            completed_on=item.date,
        )
    upcoming = await programs.schedule(
        session,
        principal=alex,
        program_id=jordan.id,
        from_on=monday + timedelta(days=7),
        to_on=monday + timedelta(days=13),
    )
    if upcoming:
        first = upcoming[0]
        await programs.move(
            session,
            principal=alex,
            program_id=jordan.id,
            scheduled_id=first.id,
            to=first.date + timedelta(days=1),
        )
    # Priya: static, started two weeks ago, moved on to week 3 by hand.
    priya = await program(alex, foundations, "Priya Patel", "STATIC", monday - timedelta(14))
    await programs.update_program(
        session, principal=alex, program_id=priya.id, data=ProgramUpdate(current_week=3)
    )
    # Aiko (Sam's): the home plan, paused while she travels.
    aiko = await program(sam, home, "Aiko Tanaka", "STATIC", monday - timedelta(days=7))
    await programs.update_program(
        session, principal=sam, program_id=aiko.id, data=ProgramUpdate(status="paused")
    )
    # A strength goal on Northside's Back Squat, with a 1RM tested yesterday (in line with
    # the training log's estimate after the base block's 3 x 5 at 80 kg).
    latest = await session.scalar(
        sa.select(Assessment)
        .where(Assessment.client_id == clients["Jordan Lee"].id)
        .order_by(Assessment.assessed_on.desc())
    )
    if latest is not None:
        latest.one_rep_maxes = [{"exercise_id": str(squat), "kg": 92.5}]
    session.add(
        Goal(
            client_id=clients["Jordan Lee"].id,
            type="strength_lift",
            title="Back Squat 1RM",
            exercise_id=squat,
            target_kind="absolute",
            start_value=70.0,
            target_value=110.0,
            unit="kg",
            deadline_on=today + timedelta(days=120),
            status="active",
        )
    )
    await session.flush()
