"""Tenancy: one organization never sees or changes another's data.

Generic on purpose, so new tables and routes are covered the day they are added:

* every mapped table whose model uses ``TenantMixin`` is checked at the ORM level (a row
  made in organization A is invisible, unchangeable and undeletable from B, cannot be
  written from B, and a session with no organization sees nothing). A tenant table with
  no factory in ``FACTORIES`` fails the suite: add one.
* every ``/api/v1`` route with a path parameter is called by the owner of organization B
  with an id that belongs to A, and must answer 404. A path parameter whose kind is not in
  ``ID_KINDS`` fails the suite: add the kind and the object it names to ``_world``.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi.routing import APIRoute
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from spotter.clients.models import (
    Assessment,
    Client,
    ClientTag,
    Goal,
    HealthHistory,
    TrainerAssignment,
)
from spotter.core import tenancy
from spotter.core.db import db, utcnow
from spotter.core.tenancy import TenancyViolation, TenantMixin, set_organization
from spotter.exercises.dataset import library_id
from spotter.exercises.models import (
    CustomExercise,
    CustomExerciseMuscle,
    Exercise,
    ExerciseLibraryVersion,
    ExerciseOverride,
    Muscle,
)
from spotter.identity.models import User
from spotter.orgs.models import ApiKey, Invitation, Membership, Organization
from spotter.programs.models import (
    Phase,
    Plan,
    Prescription,
    Program,
    ScheduleOverride,
    Workout,
    WorkoutCompletion,
)
from spotter.progress.models import (
    CheckIn,
    CheckInForm,
    CheckInMessage,
    CustomMetric,
    Measurement,
    Photo,
)
from spotter.registry import Base
from spotter.training.models import (
    ExerciseDay,
    LoggedExercise,
    LoggedSet,
    LoggedWorkout,
    PersonalRecord,
)
from tests.builders import (
    invite_and_accept,
    make_api_key,
    make_client,
    make_invitation,
    make_owner,
    membership_id,
    table_snapshot,
    unique_email,
)
from tests.nutrition import tenancy as nutrition
from tests.progress.helpers import progress_world

# --- (a) every tenant table, at the ORM level ----------------------------------------------

# A factory builds one new, transient row of its table for an organization. It may create
# what the row needs (global rows, parent rows of that same organization) on ``setup``, a
# platform session, but must not add the row it returns.
Factory = Callable[[AsyncSession, uuid.UUID, uuid.UUID], Awaitable[Any]]


def _hex() -> str:
    return uuid.uuid4().hex + uuid.uuid4().hex


async def _membership(setup: AsyncSession, org: uuid.UUID, user: uuid.UUID) -> Any:
    member = User(email=unique_email("member"), full_name="Member", password_hash=None)
    setup.add(member)
    await setup.flush()
    return Membership(organization_id=org, user_id=member.id, role="trainer")


async def _invitation(setup: AsyncSession, org: uuid.UUID, user: uuid.UUID) -> Any:
    return Invitation(
        organization_id=org,
        email=unique_email("inv"),
        role="trainer",
        token_digest=_hex(),
        invited_by_id=user,
        expires_at=utcnow() + timedelta(days=1),
    )


async def _api_key(setup: AsyncSession, org: uuid.UUID, user: uuid.UUID) -> Any:
    return ApiKey(
        organization_id=org,
        name="key",
        prefix="spk_test",
        key_digest=_hex(),
        scopes=["clients:read"],
        rate_limit_per_minute=10,
        created_by_id=user,
    )


async def _client(setup: AsyncSession, org: uuid.UUID, user: uuid.UUID) -> Any:
    return Client(organization_id=org, full_name="Tenant Probe", trainer_id=user)


async def _client_parent(setup: AsyncSession, org: uuid.UUID, user: uuid.UUID) -> uuid.UUID:
    parent = Client(organization_id=org, full_name="Tenant Probe Parent", trainer_id=user)
    setup.add(parent)
    await setup.flush()
    return parent.id


async def _client_tag(setup: AsyncSession, org: uuid.UUID, user: uuid.UUID) -> Any:
    return ClientTag(
        organization_id=org, client_id=await _client_parent(setup, org, user), tag="vip"
    )


async def _trainer_assignment(setup: AsyncSession, org: uuid.UUID, user: uuid.UUID) -> Any:
    client_id = await _client_parent(setup, org, user)
    return TrainerAssignment(organization_id=org, client_id=client_id, to_trainer_id=user)


async def _health_history(setup: AsyncSession, org: uuid.UUID, user: uuid.UUID) -> Any:
    client_id = await _client_parent(setup, org, user)
    return HealthHistory(organization_id=org, client_id=client_id, sealed="probe")


async def _goal(setup: AsyncSession, org: uuid.UUID, user: uuid.UUID) -> Any:
    client_id = await _client_parent(setup, org, user)
    return Goal(
        organization_id=org, client_id=client_id, type="custom", title="Probe", target_value=1
    )


async def _assessment(setup: AsyncSession, org: uuid.UUID, user: uuid.UUID) -> Any:
    client_id = await _client_parent(setup, org, user)
    return Assessment(organization_id=org, client_id=client_id, assessed_on=utcnow().date())


async def _custom_exercise(setup: AsyncSession, org: uuid.UUID, user: uuid.UUID) -> Any:
    return CustomExercise(
        organization_id=org,
        name="Tenant Probe Press",
        level="beginner",
        category_id=library_id("category", "strength"),
        cues=[],
        created_by_id=user,
    )


async def _custom_exercise_muscle(setup: AsyncSession, org: uuid.UUID, user: uuid.UUID) -> Any:
    parent = await _custom_exercise(setup, org, user)
    setup.add(parent)
    await setup.flush()
    return CustomExerciseMuscle(
        organization_id=org,
        custom_exercise_id=parent.id,
        muscle_id=library_id("muscle", "chest"),
        is_primary=True,
    )


async def _exercise_override(setup: AsyncSession, org: uuid.UUID, user: uuid.UUID) -> Any:
    # A different shared exercise each time: one override per (organization, exercise).
    shared = await setup.scalar(sa.select(Exercise.id).order_by(sa.func.random()).limit(1))
    return ExerciseOverride(
        organization_id=org, exercise_id=shared, name="Tenant Probe", cues=["probe"]
    )


async def _exercise_library_version(setup: AsyncSession, org: uuid.UUID, user: uuid.UUID) -> Any:
    return ExerciseLibraryVersion(organization_id=org, version=uuid.uuid4())


async def _plan(setup: AsyncSession, org: uuid.UUID, user: uuid.UUID) -> Any:
    return Plan(organization_id=org, name="Tenant Probe Plan", owner_id=user)


async def _phase(setup: AsyncSession, org: uuid.UUID, user: uuid.UUID) -> Any:
    plan = await _plan(setup, org, user)
    setup.add(plan)
    await setup.flush()
    return Phase(organization_id=org, plan_id=plan.id, name="Probe Phase", weeks=2)


async def _workout(setup: AsyncSession, org: uuid.UUID, user: uuid.UUID) -> Any:
    phase = await _phase(setup, org, user)
    setup.add(phase)
    await setup.flush()
    return Workout(organization_id=org, phase_id=phase.id, name="Probe Workout")


async def _prescription(setup: AsyncSession, org: uuid.UUID, user: uuid.UUID) -> Any:
    workout = await _workout(setup, org, user)
    setup.add(workout)
    await setup.flush()
    return Prescription(
        organization_id=org,
        workout_id=workout.id,
        exercise_id=library_id("exercise", "Barbell_Squat"),
        sets=3,
    )


async def _program(setup: AsyncSession, org: uuid.UUID, user: uuid.UUID) -> Any:
    client = await _client(setup, org, user)
    plan = await _plan(setup, org, user)
    setup.add_all([client, plan])
    await setup.flush()
    return Program(
        organization_id=org,
        client_id=client.id,
        plan_id=plan.id,
        name="Probe Program",
        mode="STATIC",
        start_on=utcnow().date(),
        training_days=[1, 3],
    )


async def _workout_completion(setup: AsyncSession, org: uuid.UUID, user: uuid.UUID) -> Any:
    program = await _program(setup, org, user)
    workout = await _workout(setup, org, user)
    setup.add_all([program, workout])
    await setup.flush()
    return WorkoutCompletion(
        organization_id=org,
        program_id=program.id,
        workout_id=workout.id,
        phase=1,
        week=1,
        completed_on=utcnow().date(),
    )


async def _schedule_override(setup: AsyncSession, org: uuid.UUID, user: uuid.UUID) -> Any:
    program = await _program(setup, org, user)
    setup.add(program)
    await setup.flush()
    return ScheduleOverride(
        organization_id=org,
        program_id=program.id,
        scheduled_id=uuid.uuid4(),
        scheduled_on=utcnow().date(),
    )


async def _custom_metric(setup: AsyncSession, org: uuid.UUID, user: uuid.UUID) -> Any:
    return CustomMetric(
        organization_id=org, name=f"Probe {_hex()[:8]}", unit_kind="count", direction="higher"
    )


async def _measurement(setup: AsyncSession, org: uuid.UUID, user: uuid.UUID) -> Any:
    client_id = await _client_parent(setup, org, user)
    return Measurement(
        organization_id=org,
        client_id=client_id,
        metric="body_weight",
        measured_on=utcnow().date(),
        value=80.0,
        source="entry",
    )


async def _photo(setup: AsyncSession, org: uuid.UUID, user: uuid.UUID) -> Any:
    client_id = await _client_parent(setup, org, user)
    return Photo(
        organization_id=org,
        client_id=client_id,
        pose="front",
        taken_on=utcnow().date(),
        image_key="progress/photos/probe.jpg",
        thumbnail_key="progress/photos/probe-thumb.jpg",
        width=1,
        height=1,
        size_bytes=1,
        created_at=utcnow(),
    )


async def _checkin_form(setup: AsyncSession, org: uuid.UUID, user: uuid.UUID) -> Any:
    client_id = await _client_parent(setup, org, user)
    return CheckInForm(
        organization_id=org,
        client_id=client_id,
        scales=["energy"],
        questions=[],
        ask_photo=False,
        ask_weight=True,
        due_weekday=7,
    )


async def _checkin(setup: AsyncSession, org: uuid.UUID, user: uuid.UUID) -> Any:
    client_id = await _client_parent(setup, org, user)
    today = utcnow().date()
    return CheckIn(
        organization_id=org,
        client_id=client_id,
        week_starts_on=today,
        due_on=today,
        submitted_at=utcnow(),
        late=False,
        scales={"energy": 5},
        answers=[],
    )


async def _checkin_message(setup: AsyncSession, org: uuid.UUID, user: uuid.UUID) -> Any:
    check_in = await _checkin(setup, org, user)
    setup.add(check_in)
    await setup.flush()
    return CheckInMessage(
        organization_id=org,
        check_in_id=check_in.id,
        from_client=False,
        text="probe",
        created_at=utcnow(),
    )


# --- the training log ---


async def _logged_workout(setup: AsyncSession, org: uuid.UUID, user: uuid.UUID) -> Any:
    client_id = await _client_parent(setup, org, user)
    return LoggedWorkout(
        organization_id=org,
        client_id=client_id,
        name="Probe Session",
        performed_on=utcnow().date(),
        started_at=utcnow(),
    )


async def _logged_exercise(setup: AsyncSession, org: uuid.UUID, user: uuid.UUID) -> Any:
    workout = await _logged_workout(setup, org, user)
    setup.add(workout)
    await setup.flush()
    return LoggedExercise(
        organization_id=org,
        logged_workout_id=workout.id,
        exercise_id=library_id("exercise", "Barbell_Squat"),
    )


async def _logged_set(setup: AsyncSession, org: uuid.UUID, user: uuid.UUID) -> Any:
    entry = await _logged_exercise(setup, org, user)
    setup.add(entry)
    await setup.flush()
    workout = await setup.get(LoggedWorkout, entry.logged_workout_id)
    assert workout is not None
    return LoggedSet(
        organization_id=org,
        logged_workout_id=workout.id,
        logged_exercise_id=entry.id,
        client_id=workout.client_id,
        exercise_id=entry.exercise_id,
        performed_on=workout.performed_on,
        reps=5,
        load_kg=100,
    )


async def _exercise_day(setup: AsyncSession, org: uuid.UUID, user: uuid.UUID) -> Any:
    client_id = await _client_parent(setup, org, user)
    today = utcnow().date()
    return ExerciseDay(
        organization_id=org,
        client_id=client_id,
        exercise_id=library_id("exercise", "Barbell_Squat"),
        performed_on=today,
        week_on=today,
        month_on=today.replace(day=1),
        sets=1,
        reps=5,
        tonnage_kg=500.0,
    )


async def _personal_record(setup: AsyncSession, org: uuid.UUID, user: uuid.UUID) -> Any:
    logged = await _logged_set(setup, org, user)
    setup.add(logged)
    await setup.flush()
    return PersonalRecord(
        organization_id=org,
        client_id=logged.client_id,
        exercise_id=logged.exercise_id,
        set_id=logged.id,
        logged_workout_id=logged.logged_workout_id,
        kind="load",
        value=100.0,
        achieved_on=logged.performed_on,
    )


FACTORIES: dict[str, Factory] = {
    "memberships": _membership,
    "invitations": _invitation,
    "api_keys": _api_key,
    "clients": _client,
    "client_tags": _client_tag,
    "client_trainer_assignments": _trainer_assignment,
    "client_health_histories": _health_history,
    "client_goals": _goal,
    "client_assessments": _assessment,
    "custom_exercises": _custom_exercise,
    "custom_exercise_muscles": _custom_exercise_muscle,
    "exercise_overrides": _exercise_override,
    "exercise_library_versions": _exercise_library_version,
    "plans": _plan,
    "plan_phases": _phase,
    "plan_workouts": _workout,
    "plan_prescriptions": _prescription,
    "programs": _program,
    "program_workout_completions": _workout_completion,
    "program_schedule_overrides": _schedule_override,
    "progress_custom_metrics": _custom_metric,
    "progress_measurements": _measurement,
    "progress_photos": _photo,
    "progress_checkin_forms": _checkin_form,
    "progress_checkins": _checkin,
    "progress_checkin_messages": _checkin_message,
    **nutrition.FACTORIES,
    "logged_workouts": _logged_workout,
    "logged_exercises": _logged_exercise,
    "logged_sets": _logged_set,
    "training_exercise_days": _exercise_day,
    "personal_records": _personal_record,
}


async def build(table: str, org: uuid.UUID, user: uuid.UUID) -> Any:
    async with db.session(platform=True) as setup:
        return await FACTORIES[table](setup, org, user)


def tenant_models() -> dict[str, type[Any]]:
    return {
        mapper.local_table.name: mapper.class_
        for mapper in Base.registry.mappers
        if issubclass(mapper.class_, TenantMixin)
    }


def test_every_tenant_table_has_a_factory():
    missing = sorted(set(tenant_models()) - set(FACTORIES))
    assert not missing, (
        f"tenant tables without a factory in tests/test_tenancy.py FACTORIES: {missing}; "
        "add one so the tenancy checks cover them"
    )
    stale = sorted(set(FACTORIES) - set(tenant_models()))
    assert not stale, f"FACTORIES names tables that are not tenant tables: {stale}"
    assert {"clients", "memberships", "invitations", "api_keys"} <= set(tenant_models())


async def _orgs_and_user() -> tuple[uuid.UUID, uuid.UUID, uuid.UUID]:
    async with db.session(platform=True) as s:
        a = Organization(name="Org A", slug=f"org-a-{uuid.uuid4().hex[:8]}")
        b = Organization(name="Org B", slug=f"org-b-{uuid.uuid4().hex[:8]}")
        user = User(email=unique_email("tenant"), full_name="Tenant User", password_hash=None)
        s.add_all([a, b, user])
        await s.flush()
        return a.id, b.id, user.id


def _pk(model: type[Any]) -> sa.ColumnElement[Any]:
    (column,) = sa.inspect(model).primary_key
    return column


@pytest.mark.parametrize("table", sorted(tenant_models()))
async def test_tenant_table_is_isolated(table):
    model = tenant_models()[table]
    if table not in FACTORIES:
        pytest.fail(f"no factory for tenant table {table!r} in FACTORIES")
    org_a, org_b, user_id = await _orgs_and_user()
    pk = _pk(model)

    async with db.session() as a:
        set_organization(a, org_a)
        row = await build(table, org_a, user_id)
        a.add(row)
        await a.flush()
        row_id = getattr(row, pk.key)
        values = {c.key: getattr(row, c.key) for c in sa.inspect(model).column_attrs}
        # The row is visible where it belongs (so the checks below are not vacuous).
        assert await a.get(model, row_id) is not None
        assert len(await tenancy.rows(a, sa.select(pk).where(pk == row_id))) == 1

    async with db.session() as b:
        set_organization(b, org_b)
        # Invisible to every kind of ORM read.
        assert await b.get(model, row_id) is None
        assert (await b.scalars(sa.select(model).where(pk == row_id))).all() == []
        assert (await b.scalars(sa.select(model).where(model.organization_id == org_a))).all() == []
        alias = aliased(model)
        by_alias = sa.select(alias).where(getattr(alias, pk.key) == row_id)
        assert (await b.scalars(by_alias)).all() == []
        count = sa.select(sa.func.count()).select_from(model).where(pk == row_id)
        assert await b.scalar(count) == 0
        # Nor to a read of plain columns on the connection (``tenancy.rows``).
        assert await tenancy.rows(b, sa.select(pk).where(pk == row_id)) == []
        assert await tenancy.rows(b, sa.select(model.__table__).where(pk == row_id)) == []
        # Cannot be changed or deleted: bulk statements match nothing.
        stolen = await b.execute(sa.update(model).where(pk == row_id).values(organization_id=org_b))
        assert stolen.rowcount == 0
        deleted = await b.execute(sa.delete(model).where(pk == row_id))
        assert deleted.rowcount == 0

    # Cannot be written for A from a session scoped to B: flushed or bulk.
    for attempt in ("flush", "bulk"):
        with pytest.raises(TenancyViolation):
            async with db.session() as b:
                set_organization(b, org_b)
                if attempt == "flush":
                    b.add(await build(table, org_a, user_id))
                    await b.flush()
                else:
                    fresh = await build(table, org_a, user_id)
                    cols = {c.key: getattr(fresh, c.key) for c in sa.inspect(model).column_attrs}
                    cols[pk.key] = uuid.uuid4()
                    await b.execute(
                        sa.insert(model).values(**{k: v for k, v in cols.items() if v is not None})
                    )

    # B's own rows cannot be moved into A, neither by flush nor by a bulk UPDATE.
    with pytest.raises(TenancyViolation):
        async with db.session() as b:
            set_organization(b, org_b)
            own = await build(table, org_b, user_id)
            b.add(own)
            await b.flush()
            own.organization_id = org_a
            await b.flush()
    with pytest.raises(TenancyViolation):
        async with db.session() as b:
            set_organization(b, org_b)
            await b.execute(sa.update(model).values(organization_id=org_a))

    # A session with no organization sees no tenant rows at all, and cannot write one.
    async with db.session() as nobody:
        assert await nobody.get(model, row_id) is None
        assert (await nobody.scalars(sa.select(model))).all() == []
        assert await tenancy.rows(nobody, sa.select(pk)) == []
    with pytest.raises(TenancyViolation):
        async with db.session() as nobody:
            nobody.add(await build(table, org_a, user_id))
            await nobody.flush()

    # And A's row is exactly as it was.
    async with db.session(platform=True) as s:
        again = await s.get(model, row_id)
        assert again is not None
        assert {c.key: getattr(again, c.key) for c in sa.inspect(model).column_attrs} == values


async def test_rows_refuses_what_it_cannot_scope():
    """``tenancy.rows`` scopes the tenant tables of its FROM; one in a join, an alias or a
    nested SELECT would go unscoped, so it refuses those statements outright."""
    w, d = LoggedWorkout, ExerciseDay
    refused = [
        sa.select(w.id).join(d, d.client_id == w.client_id),
        sa.select(aliased(w).id),
        sa.select(w.id).where(w.client_id.in_(sa.select(d.client_id))),
        sa.update(w).values(name="x"),
    ]
    async with db.session() as s:
        set_organization(s, uuid.uuid4())
        for statement in refused:
            with pytest.raises(TypeError):
                await tenancy.rows(s, statement)
        # A nested SELECT of shared (non-tenant) rows is fine.
        shared = sa.select(w.id).where(w.name.in_(sa.select(Muscle.name)))
        assert await tenancy.rows(s, shared) == []


# --- (b) every /api/v1 route with an id ----------------------------------------------------

# Path parameter name -> the kind of object it names. A new route whose parameter is not
# here fails test_every_id_route_answers_404_across_organizations.
ID_KINDS = {
    "client_id": "client",
    "membership_id": "membership",
    "invitation_id": "invitation",
    "key_id": "api_key",
    "organization_id": "organization",
    "exercise_id": "exercise",  # a custom exercise (shared ones are everyone's)
    "goal_id": "goal",
    "assessment_id": "assessment",
    "template_id": "template",
    "phase_id": "phase",
    "workout_id": "workout",  # a template workout (program workouts are copies)
    "prescription_id": "prescription",
    "program_id": "program",
    "scheduled_id": "scheduled_workout",
    "metric_id": "metric",  # a custom metric
    "measurement_id": "measurement",
    "photo_id": "photo",
    "checkin_id": "check_in",
    **nutrition.ID_KINDS,
    "logged_workout_id": "logged_workout",  # the training log's workouts
    "logged_exercise_id": "logged_exercise",
    "set_id": "logged_set",
}


def api_routes(app) -> list[tuple[str, set[str]]]:
    """(path template, methods) of every API route, including routers that FastAPI
    includes lazily (``app.routes`` then holds one entry per included router)."""
    try:
        from fastapi.routing import iter_route_contexts
    except ImportError:  # older FastAPI: included routes are flattened into app.routes
        contexts = [r for r in app.routes if isinstance(r, APIRoute)]
    else:
        contexts = [
            c for c in iter_route_contexts(app.routes) if isinstance(c.original_route, APIRoute)
        ]
    found = [(c.path, set(c.methods or ())) for c in contexts if c.path.startswith("/api/v1/")]
    return found


def test_route_walk_finds_the_real_routes(app):
    walked = {path for path, _ in api_routes(app)}
    assert "/api/v1/clients/{client_id}" in walked
    documented = set(app.openapi()["paths"])
    assert documented <= walked, f"routes in OpenAPI the walk missed: {documented - walked}"


def _path_params(path: str) -> list[str]:
    # Also a parameter inside a segment: "/shopping-lists/{shopping_list_id}.csv".
    return re.findall(r"\{(\w+)(?::[^}]*)?\}", path)


def _resolve(schema: dict[str, Any], spec: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[1]
        schema = spec["components"]["schemas"][name]
    return schema


def sample_body(schema: dict[str, Any], spec: dict[str, Any]) -> Any:
    """A minimal valid value for an OpenAPI schema: required fields only."""
    schema = _resolve(schema, spec)
    for key in ("anyOf", "oneOf"):
        if key in schema:
            options = [s for s in schema[key] if _resolve(s, spec).get("type") != "null"]
            return sample_body(options[0], spec)
    if "allOf" in schema:
        return sample_body(schema["allOf"][0], spec)
    if "enum" in schema:
        return schema["enum"][0]
    if "const" in schema:
        return schema["const"]
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        props = schema.get("properties", {})
        return {k: sample_body(props[k], spec) for k in schema.get("required", [])}
    if kind == "array":
        return [sample_body(schema.get("items", {}), spec)] * max(1, schema.get("minItems", 1))
    if kind == "integer":
        return max(1, schema.get("minimum", 1))
    if kind == "number":
        return 1
    if kind == "boolean":
        return True
    fmt = schema.get("format")
    if fmt == "email":
        return unique_email("sample")
    if fmt == "uuid":
        return str(uuid.uuid4())
    if fmt == "date-time":
        return utcnow().isoformat()
    if fmt == "date":
        return utcnow().date().isoformat()
    return "x" * max(10, schema.get("minLength", 0))


def request_body(spec: dict[str, Any], path: str, method: str) -> Any:
    operation = spec["paths"].get(path, {}).get(method.lower(), {})
    content = operation.get("requestBody", {}).get("content", {})
    if "application/json" not in content:
        return None
    return sample_body(content["application/json"]["schema"], spec)


async def _world(client, outbox) -> tuple[Any, Any, dict[str, str]]:
    """Organization A with one object of every id kind, and organization B's owner."""
    owner_a = await make_owner(client, org_name="Alpha Athletics")
    owner_b = await make_owner(client, org_name="Beta Barbell")
    trainer = await invite_and_accept(client, outbox, owner_a, role="trainer")
    ids = {
        "client": (await make_client(client, owner_a, full_name="Alice Alpha"))["id"],
        "membership": await membership_id(client, owner_a, trainer.user_id),
        "invitation": (await make_invitation(client, owner_a, role="front_desk"))["id"],
        "api_key": (await make_api_key(client, owner_a, scopes=["clients:read"]))["id"],
        "organization": owner_a.organization_id,
        "exercise": (
            await client.post(
                "/api/v1/exercises",
                headers=owner_a.headers,
                json={
                    "name": "Alpha Press",
                    "category": "strength",
                    "primary_muscles": ["chest"],
                },
            )
        ).json()["id"],
    }
    base = f"/api/v1/clients/{ids['client']}"
    goal = {"type": "custom", "target_value": 10, "unit": "sessions"}
    r = await client.post(f"{base}/goals", headers=owner_a.headers, json=goal)
    ids["goal"] = r.json()["id"]
    assessment = {"assessed_on": "2026-01-05", "resting_hr": 60}
    r = await client.post(f"{base}/assessments", headers=owner_a.headers, json=assessment)
    ids["assessment"] = r.json()["id"]
    ids.update(await _program_world(client, owner_a, ids["client"]))
    ids.update(await progress_world(client, outbox, owner_a, ids["client"]))
    ids.update(await nutrition.world(client, owner_a, ids["client"]))
    ids.update(await _training_world(client, owner_a, ids["client"]))
    assert set(ids) == set(ID_KINDS.values())
    return owner_a, owner_b, ids


async def _program_world(client, owner, client_id: str) -> dict[str, str]:
    """A template (phase, workout, prescription) assigned to ``client_id``."""
    from tests.programs.helpers import assign, make_template

    template = await make_template(client, owner)
    program = await assign(client, owner, template["id"], client_id)
    workout = template["phases"][0]["workouts"][0]
    schedule = await client.get(f"/api/v1/programs/{program['id']}/schedule", headers=owner.headers)
    return {
        "template": template["id"],
        "phase": template["phases"][0]["id"],
        "workout": workout["id"],
        "prescription": workout["prescriptions"][0]["id"],
        "program": program["id"],
        "scheduled_workout": schedule.json()[0]["id"],
    }


async def _training_world(client, owner, client_id: str) -> dict[str, str]:
    """A logged workout with one exercise and one set, for ``client_id``."""
    from tests.training.helpers import SQUAT, add_exercise, put_set, start

    workout = await start(client, owner, client_id)
    entry = await add_exercise(client, owner, workout["id"], SQUAT)
    logged = await put_set(client, owner, workout["id"], entry["id"], load_kg=60, reps=5)
    return {
        "logged_workout": workout["id"],
        "logged_exercise": entry["id"],
        "logged_set": logged["set"]["id"],
    }


async def test_every_id_route_answers_404_across_organizations(app, client, outbox):
    owner_a, owner_b, ids = await _world(client, outbox)
    spec = app.openapi()
    routes = [(path, methods) for path, methods in api_routes(app) if "{" in path]
    assert routes, "no /api/v1 route with a path parameter found"

    unknown = sorted(
        {(path, p) for path, _ in routes for p in _path_params(path) if p not in ID_KINDS}
    )
    assert not unknown, (
        f"routes with path parameters of unknown kind {unknown}: add them to ID_KINDS and "
        "an object of that kind to _world in tests/test_tenancy.py"
    )

    before = await table_snapshot(organization_id=owner_a.organization_id)
    wrong: list[str] = []
    called = 0
    for path, methods in routes:
        url = path
        for param in _path_params(path):
            url = url.replace("{" + param + "}", ids[ID_KINDS[param]])
        for method in sorted(methods - {"HEAD", "OPTIONS"}):
            body = request_body(spec, path, method)
            r = await client.request(
                method, url, headers=owner_b.headers, json=body if body is not None else None
            )
            called += 1
            if r.status_code != 404 or r.headers["content-type"] != "application/problem+json":
                wrong.append(f"{method} {path} -> {r.status_code} {r.text[:200]}")
    assert called >= 5
    assert not wrong, "organization B reached organization A's objects:\n" + "\n".join(wrong)
    # Nothing of A's changed (a DELETE or PATCH that answered 404 must not have acted).
    assert await table_snapshot(organization_id=owner_a.organization_id) == before

    # Positive control: the same GET routes work for A, so the 404s above mean something.
    async with db.session(platform=True) as s:
        await s.execute(
            sa.update(User).where(User.id == uuid.UUID(owner_a.user_id)).values(is_superadmin=True)
        )
    for path, methods in routes:
        if "GET" not in methods:
            continue
        url = path
        for param in _path_params(path):
            url = url.replace("{" + param + "}", ids[ID_KINDS[param]])
        r = await client.get(url, headers=owner_a.headers)
        assert r.status_code == 200, f"GET {path} as organization A: {r.status_code} {r.text}"


async def test_api_key_of_one_organization_cannot_see_another(client):
    owner_a = await make_owner(client, org_name="Key Holder Gym")
    owner_b = await make_owner(client, org_name="Other Gym")
    mine = await make_client(client, owner_a, full_name="Mine Client")
    theirs = await make_client(client, owner_b, full_name="Theirs Client")
    key = (await make_api_key(client, owner_a))["key"]
    headers = {"X-API-Key": key}

    assert (await client.get(f"/api/v1/clients/{mine['id']}", headers=headers)).status_code == 200
    r = await client.get(f"/api/v1/clients/{theirs['id']}", headers=headers)
    assert r.status_code == 404 and r.json()["code"] == "not_found"
    listed = (await client.get("/api/v1/clients", headers=headers)).json()["items"]
    assert [c["id"] for c in listed] == [mine["id"]]
    org = (await client.get("/api/v1/organization", headers=headers)).json()
    assert org["id"] == owner_a.organization_id
    # The key cannot be pointed at another organization with X-Organization.
    r = await client.get(
        "/api/v1/clients", headers={**headers, "X-Organization": owner_b.organization_id}
    )
    assert all(c["id"] != theirs["id"] for c in r.json().get("items", []))
    # Written objects land in the key's organization.
    created = await client.post("/api/v1/clients", headers=headers, json={"full_name": "Via Key"})
    assert created.status_code == 201
    assert (
        await client.get(f"/api/v1/clients/{created.json()['id']}", headers=owner_b.headers)
    ).status_code == 404


async def test_x_organization_naming_a_foreign_organization_is_404(client):
    member = await make_owner(client, org_name="Home Gym")
    foreign = await make_owner(client, org_name="Foreign Gym")
    foreign_org = await client.get("/api/v1/organization", headers=foreign.headers)
    foreign_slug = foreign_org.json()["slug"]
    for ref in (foreign.organization_id, foreign_slug, str(uuid.uuid4()), "no-such-gym"):
        for path in ("/api/v1/me", "/api/v1/clients", "/api/v1/organization"):
            r = await client.get(path, headers={**member.headers, "X-Organization": ref})
            assert r.status_code == 404, (ref, path, r.text)
            assert r.headers["content-type"] == "application/problem+json"
    # The same header naming the member's own organization works.
    r = await client.get(
        "/api/v1/organization", headers={**member.headers, "X-Organization": member.organization_id}
    )
    assert r.status_code == 200 and r.json()["id"] == member.organization_id
