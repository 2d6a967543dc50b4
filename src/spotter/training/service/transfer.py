"""CSV export of a client's workout history, and import of Strong and Hevy exports.

Import, in two steps on the same call: a dry run (the default) reads the file and
answers the preview: workouts and sets found, which were imported before, how each
exercise name maps onto the library, the names that match nothing and every skipped
row with its reason. Then the same file with ``dry_run: false`` (and any names mapped by
hand, or listed in ``create``) stores it.

Names are matched with the library's own search (typo-tolerant, every word must match):
Strong and Hevy write the equipment in parentheses, "Bench Press (Barbell)", which is
searched as "Barbell Bench Press", then as "Bench Press" among barbell exercises. The
closest names are offered as suggestions for the rest.

Re-importing is idempotent: a workout's id is derived from the client, the app, its
start time and its name, so one already imported is recognised and skipped.
"""

from __future__ import annotations

import csv
import io
import re
import uuid
import zoneinfo
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from spotter.clients.models import Client
from spotter.core.db import utcnow
from spotter.core.errors import Forbidden, field_error
from spotter.core.pagination import PageParams
from spotter.core.tenancy import current_organization
from spotter.core.units import CM_PER_IN, KG_PER_LB
from spotter.exercises import service as exercises
from spotter.exercises.dataset import library_id, vocab_key
from spotter.exercises.index import Entry
from spotter.exercises.schemas import CustomExerciseIn
from spotter.training import csvformats
from spotter.training.models import LoggedExercise, LoggedSet, LoggedWorkout
from spotter.training.schemas import (
    ExerciseRef,
    ImportExercise,
    ImportReport,
    SkippedRow,
    WorkoutImport,
)
from spotter.training.service import derived
from spotter.training.service.bulk import BulkLog

if TYPE_CHECKING:
    from spotter.identity.dependencies import Principal

SKIPPED_LISTED = 200
_CHUNK = 500
METRES_PER = {"m": 1.0, "km": 1000.0, "mi": float(CM_PER_IN) * 12 * 5280 / 100}
_PARENS = re.compile(r"^(?P<base>.*?)\s*\((?P<equipment>[^)]*)\)\s*$")
# Words the apps put in parentheses that name no equipment.
_NOT_EQUIPMENT = {"bodyweight", "assisted", "weighted", "other"}
_EQUIPMENT_WORDS = {"kettlebell": "kettlebells", "band": "bands", "ez bar": "e_z_curl_bar"}
# The names Strong and Hevy give their most logged exercises, where a search would pick
# a variation (dataset slugs; tests check that every one exists).
APP_NAMES = {
    "arnold press (dumbbell)": "Arnold_Dumbbell_Press",
    "bench press (barbell)": "Barbell_Bench_Press_-_Medium_Grip",
    "bench press (dumbbell)": "Dumbbell_Bench_Press",
    "bent over row (barbell)": "Bent_Over_Barbell_Row",
    "bicep curl (barbell)": "Barbell_Curl",
    "bicep curl (dumbbell)": "Dumbbell_Bicep_Curl",
    "chin up": "Chin-Up",
    "cycling (indoor)": "Bicycling_Stationary",
    "deadlift (barbell)": "Barbell_Deadlift",
    "decline bench press (barbell)": "Decline_Barbell_Bench_Press",
    "front squat (barbell)": "Front_Barbell_Squat",
    "hammer curl (dumbbell)": "Hammer_Curls",
    "hip thrust (barbell)": "Barbell_Hip_Thrust",
    "incline bench press (barbell)": "Barbell_Incline_Bench_Press_-_Medium_Grip",
    "incline bench press (dumbbell)": "Incline_Dumbbell_Press",
    "lat pulldown (cable)": "Wide-Grip_Lat_Pulldown",
    "lat pulldown (machine)": "Wide-Grip_Lat_Pulldown",
    "lateral raise (dumbbell)": "Side_Lateral_Raise",
    "leg extension (machine)": "Leg_Extensions",
    "leg press": "Leg_Press",
    "lying leg curl (machine)": "Lying_Leg_Curls",
    "overhead press (barbell)": "Standing_Military_Press",
    "overhead press (dumbbell)": "Dumbbell_Shoulder_Press",
    "pull up": "Pullups",
    "push up": "Pushups",
    "romanian deadlift (barbell)": "Romanian_Deadlift",
    "rowing (machine)": "Rowing_Stationary",
    "running (treadmill)": "Running_Treadmill",
    "seated cable row": "Seated_Cable_Rows",
    "seated row (cable)": "Seated_Cable_Rows",
    "shrug (barbell)": "Barbell_Shrug",
    "squat (barbell)": "Barbell_Squat",
    "sumo deadlift (barbell)": "Sumo_Deadlift",
    "triceps dip": "Dips_-_Triceps_Version",
    "triceps pushdown (cable - straight bar)": "Triceps_Pushdown",
    "walking": "Walking_Treadmill",
}


# --- export ---------------------------------------------------------------------------------

EXPORT_COLUMNS = [
    "Date",
    "Workout Name",
    "Status",
    "Duration (s)",
    "Session RPE",
    "Exercise Name",
    "Set Order",
    "Set Type",
    "Set Status",
    "Weight (kg)",
    "Reps",
    "RPE",
    "RIR",
    "Distance (m)",
    "Seconds",
    "e1RM (kg)",
    "Notes",
    "Workout Notes",
]


def _zone(client: Client) -> zoneinfo.ZoneInfo | None:
    try:
        return zoneinfo.ZoneInfo(client.timezone) if client.timezone else None
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None


def export_name(client: Client) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", client.full_name.lower()).strip("-") or "client"
    return f"{slug}-workouts-{utcnow().date().isoformat()}.csv"


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


async def export_csv(session: AsyncSession, *, client: Client) -> str:
    """One row per set, oldest first; workouts without sets get one row of their own.
    Times in the client's time zone; kg and metres."""
    w, e, s = LoggedWorkout, LoggedExercise, LoggedSet
    workouts = (
        await session.scalars(
            sa.select(w)
            .where(w.client_id == client.id, w.status != "discarded")
            .order_by(w.performed_on, w.started_at, w.id)
        )
    ).all()
    ids = [x.id for x in workouts]
    entries: dict[uuid.UUID, list[LoggedExercise]] = {}
    sets: dict[uuid.UUID, list[LoggedSet]] = {}
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        for entry in await session.scalars(
            sa.select(e).where(e.logged_workout_id.in_(chunk)).order_by(e.position, e.id)
        ):
            entries.setdefault(entry.logged_workout_id, []).append(entry)
        for row in await session.scalars(
            sa.select(s).where(s.logged_workout_id.in_(chunk)).order_by(s.position, s.id)
        ):
            sets.setdefault(row.logged_exercise_id, []).append(row)
    names = await exercises.exercises_by_ids(
        session, ids={x.exercise_id for group in entries.values() for x in group}
    )
    zone = _zone(client)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(EXPORT_COLUMNS)
    for workout in workouts:
        started = workout.started_at.astimezone(zone) if zone else workout.started_at
        head = [
            started.strftime("%Y-%m-%d %H:%M:%S"),
            workout.name,
            workout.status,
            _number(workout.duration_seconds),
            _number(workout.session_rpe),
        ]
        wrote = False
        for entry in entries.get(workout.id, []):
            found = names.get(entry.exercise_id)
            name = found.name if found else str(entry.exercise_id)
            for row in sets.get(entry.id, []):
                writer.writerow(
                    [
                        *head,
                        name,
                        row.position,
                        row.set_type,
                        row.status,
                        _number(row.load_kg),
                        _number(row.reps),
                        _number(row.rpe),
                        _number(row.rir),
                        _number(row.distance_m),
                        _number(row.duration_seconds),
                        _number(row.e1rm_kg),
                        row.notes or "",
                        workout.notes or "" if not wrote else "",
                    ]
                )
                wrote = True
        if not wrote:
            writer.writerow([*head, *([""] * 12), workout.notes or ""])
    return out.getvalue()


# --- import: matching names -----------------------------------------------------------------


def search_terms(name: str) -> tuple[str, str, str | None]:
    """(the name with its equipment first, the name without it, the equipment word)."""
    found = _PARENS.match(name)
    if not found:
        return name, name, None
    base, equipment = found["base"].strip(), found["equipment"].strip().lower()
    if not base:
        return name, name, None
    if equipment in _NOT_EQUIPMENT:
        return base, base, None
    return f"{equipment} {base}", base, equipment


def _equipment_slug(word: str | None, known: Iterable[str]) -> str | None:
    if word is None:
        return None
    word = _EQUIPMENT_WORDS.get(word, word)
    by_key = {vocab_key(slug): slug for slug in known}
    return by_key.get(vocab_key(word)) or by_key.get(vocab_key(word) + "s")


async def _top(
    session: AsyncSession, q: str, limit: int, equipment: str | None = None
) -> list[Entry]:
    items, _ = await exercises.search(
        session, params=PageParams(limit=limit), q=q, equipment=[equipment] if equipment else ()
    )
    return items


async def match_name(
    session: AsyncSession, name: str, equipment_slugs: Iterable[str]
) -> tuple[Entry | None, list[Entry]]:
    """(the library exercise a name stands for or None, suggestions when None)."""
    known = APP_NAMES.get(re.sub(r"\s+", " ", name.strip().lower()))
    if known is not None:
        by_id = await exercises.exercises_by_ids(session, ids=[library_id("exercise", known)])
        if by_id:
            return next(iter(by_id.values())), []
    full, base, equipment = search_terms(name)
    found = await _top(session, full, 1)
    if found:
        return found[0], []
    slug = _equipment_slug(equipment, equipment_slugs)
    if slug is not None:
        found = await _top(session, base, 1, slug)
        if found:
            return found[0], []
    return None, await _suggestions(session, base)


async def _suggestions(session: AsyncSession, base: str) -> list[Entry]:
    """The closest names: to the whole name, else to it with words dropped from the end
    ("Zottman Curl Deluxe" finds "Zottman Curl"), else to each word, last first."""
    words = [w for w in re.findall(r"[^\W_]+", base) if len(w) >= 3]
    tries = [" ".join(words[:n]) for n in range(len(words), 0, -1)] + words[::-1]
    for q in dict.fromkeys([base, *tries]):
        found = await _top(session, q, 3)
        if found:
            return found
    return []


# --- import -----------------------------------------------------------------------------------


def _workout_id(client: Client, fmt: str, started: datetime, name: str) -> uuid.UUID:
    return uuid.uuid5(client.id, f"{fmt}:{started.isoformat()}:{name}")


def _kg(value: float | None, unit: str) -> float | None:
    if value is None:
        return None
    return round(value * float(KG_PER_LB), 3) if unit == "lb" else value


def _metres(value: float | None, unit: str) -> float | None:
    return None if value is None else round(value * METRES_PER[unit], 2)


def _guess(entry: Entry | None, name: str) -> CustomExerciseIn | None:
    """A custom exercise for a name matching nothing, shaped like its closest match."""
    if entry is None or not entry.primary_muscles:
        return None
    return CustomExerciseIn(
        name=name[:120],
        category=entry.category,
        level=entry.level,  # type: ignore[arg-type]
        mechanic=entry.mechanic,  # type: ignore[arg-type]
        force=entry.force,  # type: ignore[arg-type]
        equipment=entry.equipment,
        primary_muscles=list(entry.primary_muscles),
        secondary_muscles=list(entry.secondary_muscles),
    )


async def import_csv(
    session: AsyncSession, *, principal: Principal, client: Client, data: WorkoutImport
) -> ImportReport:
    try:
        parsed = csvformats.parse(data.csv, data.format)
    except csvformats.UnreadableFile as exc:
        raise field_error("csv", str(exc)) from exc
    if data.create and not principal.can("exercises:write"):
        raise Forbidden(
            "Creating exercises needs the 'exercises:write' permission: map the names instead"
        )
    default_weight = data.weight_unit or ("lb" if client.unit_system == "imperial" else "kg")
    default_distance = data.distance_unit or ("mi" if client.unit_system == "imperial" else "km")
    weight_unit = next((r.weight_unit for r in parsed.rows if r.weight_unit), default_weight)

    # Exercise names -> library entries.
    counts: dict[str, int] = {}
    for row in parsed.rows:
        counts[row.exercise] = counts.get(row.exercise, 0) + 1
    lib = await exercises.library(session)
    matched: dict[str, Entry] = {}
    report_exercises: dict[str, ImportExercise] = {}
    if data.mapping:
        mapped = await exercises.exercises_by_ids(session, ids=set(data.mapping.values()))
        for name, exercise_id in data.mapping.items():
            if exercise_id not in mapped:
                raise field_error(f"mapping.{name}", "no such exercise in your library")
    for name in sorted(counts):
        if name in data.mapping:
            entry: Entry | None = mapped[data.mapping[name]]
            how = "mapping"
            suggestions: list[Entry] = []
        else:
            entry, suggestions = await match_name(session, name, lib.equipment_by_slug)
            how = "library"
        if entry is None and name in data.create:
            custom = _guess(suggestions[0] if suggestions else None, name)
            if custom is not None:
                how = "to_create"
                if not data.dry_run:
                    entry = await exercises.create_custom(session, principal=principal, data=custom)
                    how = "created"
        if entry is not None:
            matched[name] = entry
        report_exercises[name] = ImportExercise(
            name=name,
            sets=counts[name],
            exercise_id=entry.id if entry else None,
            exercise_name=entry.name if entry else None,
            matched_by=how if entry is not None or how == "to_create" else None,  # type: ignore[arg-type]
            suggestions=[ExerciseRef(exercise_id=s.id, name=s.name) for s in suggestions],
        )

    # Rows -> workouts (by start and name), in the client's time zone.
    zone = _zone(client) or UTC
    groups: dict[uuid.UUID, list[csvformats.Row]] = {}
    for row in parsed.rows:
        key = _workout_id(client, parsed.format, row.started_at, row.workout_name)
        groups.setdefault(key, []).append(row)
    existing: set[uuid.UUID] = set()
    keys = list(groups)
    for start in range(0, len(keys), _CHUNK):
        existing |= set(
            (
                await session.scalars(
                    sa.select(LoggedWorkout.id).where(
                        LoggedWorkout.id.in_(keys[start : start + _CHUNK])
                    )
                )
            ).all()
        )
    skipped = list(parsed.skipped)
    unmatched = sorted(n for n in counts if n not in matched)
    imported_sets = 0
    if not data.dry_run:
        imported_sets = await _store(
            session,
            principal=principal,
            client=client,
            fmt=parsed.format,
            groups={k: v for k, v in groups.items() if k not in existing},
            matched=matched,
            zone=zone,
            units=(default_weight, default_distance),
        )
        for key, rows in groups.items():
            if key in existing:
                continue
            skipped += [
                (r.line, f"exercise {r.exercise!r} not matched")
                for r in rows
                if r.exercise not in matched
            ]
        skipped.sort()
    days = [r.started_at.date() for r in parsed.rows]
    return ImportReport(
        format=parsed.format,
        dry_run=data.dry_run,
        weight_unit=weight_unit,  # type: ignore[arg-type]
        workouts=len(groups),
        sets=len(parsed.rows),
        new_workouts=len(groups) - len(existing),
        already_imported=len(existing),
        imported_sets=imported_sets,
        exercises=list(report_exercises.values()),
        unmatched=unmatched,
        skipped=[SkippedRow(line=line, reason=why) for line, why in skipped[:SKIPPED_LISTED]],
        skipped_total=len(skipped),
        first_on=min(days) if days else None,
        last_on=max(days) if days else None,
    )


async def _store(
    session: AsyncSession,
    *,
    principal: Principal,
    client: Client,
    fmt: str,
    groups: dict[uuid.UUID, list[csvformats.Row]],
    matched: dict[str, Entry],
    zone: Any,
    units: tuple[str, str],
) -> int:
    """Insert the new workouts in bulk, then rebuild the client's derived data."""
    log = BulkLog(current_organization(session) or principal.organization_id)
    for workout_id, rows in groups.items():
        rows = [r for r in rows if r.exercise in matched]
        if not rows:
            continue
        first = rows[0]
        day = first.started_at.date()
        log.workout(
            id=workout_id,
            client_id=client.id,
            name=first.workout_name,
            performed_on=day,
            started_at=first.started_at.replace(tzinfo=zone).astimezone(UTC),
            duration_seconds=first.duration_seconds,
            source=fmt,
            notes=first.workout_notes,
            logged_by_id=principal.user_id,
        )
        entries: dict[str, uuid.UUID] = {}
        for row in rows:
            exercise = matched[row.exercise].id
            if row.exercise not in entries:
                entries[row.exercise] = log.exercise(
                    workout_id=workout_id,
                    exercise_id=exercise,
                    position=len(entries),
                    notes=row.exercise_notes,
                )
            log.set(
                workout_id=workout_id,
                entry_id=entries[row.exercise],
                client_id=client.id,
                exercise_id=exercise,
                performed_on=day,
                position=row.order or 1,
                reps=row.reps,
                load_kg=_kg(row.weight, row.weight_unit or units[0]),
                set_type=row.set_type,
                rpe=row.rpe,
                duration_seconds=row.seconds,
                distance_m=_metres(row.distance, row.distance_unit or units[1]),
                notes=row.notes,
            )
    written = await log.write(session)
    if written:
        await derived.rebuild_client(session, client.id)
    return written
