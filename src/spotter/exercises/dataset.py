"""The shipped exercise dataset and its idempotent loader.

``spotter/data/exercises.json`` holds the 873 public-domain exercises of yuhonas/free-exercise-db
(Unlicense; see NOTICE). ``load_library`` upserts them, with the category hierarchy, the 17
muscle groups and the equipment list, keyed by the dataset's slugs: running it again changes
nothing, and a newer dataset only updates what changed. It is called by a data migration, so
``spotter db upgrade`` installs the library on SQLite and PostgreSQL alike.

A muscle listed as both primary and secondary (nine rows do) is stored once, as primary.

The loader speaks Core against table shapes declared here (only the columns it writes), not
the ORM models, so later migrations that add columns to these tables do not break it.

Ids are UUIDv7 values derived from the slug (timestamp: the dataset's date; the "random"
bits: a SHA-256 of the slug), so a shared exercise has the same id on every installation and
exported programs stay meaningful elsewhere.
"""

from __future__ import annotations

import json
import re
import uuid
from datetime import UTC, datetime
from importlib import resources
from typing import Any

import sqlalchemy as sa

from spotter.core.datasets import LoadReport, stable_id, upsert, utc_date
from spotter.core.db import UTCDateTime, new_id

EXPECTED_ROWS = 873
# The dataset's exercise data last changed on 2024-01-16 (see NOTICE); the ids' timestamp.
_EPOCH = utc_date(2024, 1, 16)

# (slug, name, parent slug); order is display order, parents before their children.
CATEGORIES: list[tuple[str, str, str | None]] = [
    ("strength", "Strength", None),
    ("powerlifting", "Powerlifting", "strength"),
    ("olympic_weightlifting", "Olympic weightlifting", "strength"),
    ("strongman", "Strongman", "strength"),
    ("conditioning", "Conditioning", None),
    ("cardio", "Cardio", "conditioning"),
    ("plyometrics", "Plyometrics", "conditioning"),
    ("mobility", "Mobility", None),
    ("stretching", "Stretching", "mobility"),
]

# (slug, name, body region)
MUSCLES: list[tuple[str, str, str]] = [
    ("abdominals", "Abdominals", "core"),
    ("abductors", "Abductors", "legs"),
    ("adductors", "Adductors", "legs"),
    ("biceps", "Biceps", "arms"),
    ("calves", "Calves", "legs"),
    ("chest", "Chest", "chest"),
    ("forearms", "Forearms", "arms"),
    ("glutes", "Glutes", "legs"),
    ("hamstrings", "Hamstrings", "legs"),
    ("lats", "Lats", "back"),
    ("lower_back", "Lower back", "back"),
    ("middle_back", "Middle back", "back"),
    ("neck", "Neck", "neck"),
    ("quadriceps", "Quadriceps", "legs"),
    ("shoulders", "Shoulders", "shoulders"),
    ("traps", "Traps", "back"),
    ("triceps", "Triceps", "arms"),
]

# (slug, name)
EQUIPMENT: list[tuple[str, str]] = [
    ("barbell", "Barbell"),
    ("dumbbell", "Dumbbell"),
    ("kettlebells", "Kettlebells"),
    ("ez_curl_bar", "EZ curl bar"),
    ("cable", "Cable"),
    ("machine", "Machine"),
    ("bands", "Bands"),
    ("medicine_ball", "Medicine ball"),
    ("exercise_ball", "Exercise ball"),
    ("foam_roll", "Foam roll"),
    ("body_only", "Body only"),
    ("other", "Other"),
]


def vocab_key(value: str) -> str:
    """How a vocabulary value is matched: letters and digits only, lower case, so
    "Lower back", "lower-back" and "lower_back" (and the dataset's "e-z curl bar" for
    "ez_curl_bar") are the same value."""
    return re.sub(r"[^a-z0-9]", "", value.lower())


def library_id(kind: str, slug: str) -> uuid.UUID:
    """A deterministic UUIDv7 for a shared row."""
    return stable_id("spotter-library", kind, slug, epoch=_EPOCH)


def read_dataset() -> list[dict[str, Any]]:
    text = resources.files("spotter").joinpath("data/exercises.json").read_text("utf-8")
    rows: list[dict[str, Any]] = json.loads(text)
    return rows


# Table shapes the loader writes (see the module docstring).
_categories = sa.table(
    "exercise_categories",
    sa.column("id", sa.Uuid()),
    sa.column("slug", sa.String()),
    sa.column("name", sa.String()),
    sa.column("parent_id", sa.Uuid()),
    sa.column("position", sa.Integer()),
)
_muscles = sa.table(
    "muscles",
    sa.column("id", sa.Uuid()),
    sa.column("slug", sa.String()),
    sa.column("name", sa.String()),
    sa.column("region", sa.String()),
)
_equipment = sa.table(
    "equipment", sa.column("id", sa.Uuid()), sa.column("slug", sa.String()), sa.column("name")
)
_exercises = sa.table(
    "exercises",
    sa.column("id", sa.Uuid()),
    sa.column("slug", sa.String()),
    sa.column("name", sa.String()),
    sa.column("category_id", sa.Uuid()),
    sa.column("level", sa.String()),
    sa.column("mechanic", sa.String()),
    sa.column("force", sa.String()),
    sa.column("equipment_id", sa.Uuid()),
    sa.column("created_at", UTCDateTime()),
    sa.column("updated_at", UTCDateTime()),
)
_exercise_muscles = sa.table(
    "exercise_muscles",
    sa.column("id", sa.Uuid()),
    sa.column("exercise_id", sa.Uuid()),
    sa.column("muscle_id", sa.Uuid()),
    sa.column("is_primary", sa.Boolean()),
)


def _check(rows: list[dict[str, Any]]) -> None:
    categories = {vocab_key(s) for s, _, _ in CATEGORIES}
    muscles = {vocab_key(s) for s, _, _ in MUSCLES}
    equipment = {vocab_key(s) for s, _ in EQUIPMENT}
    seen: set[str] = set()
    for row in rows:
        slug = row["id"]
        problems = []
        if slug in seen:
            problems.append("duplicate id")
        seen.add(slug)
        if vocab_key(row["category"]) not in categories:
            problems.append(f"category {row['category']!r}")
        if row["equipment"] is not None and vocab_key(row["equipment"]) not in equipment:
            problems.append(f"equipment {row['equipment']!r}")
        for m in [*row["primary_muscles"], *row["secondary_muscles"]]:
            if vocab_key(m) not in muscles:
                problems.append(f"muscle {m!r}")
        if not row["primary_muscles"]:
            problems.append("no primary muscle")
        if problems:
            raise ValueError(f"exercise dataset row {slug!r}: " + ", ".join(problems))


def load_library(conn: sa.Connection, rows: list[dict[str, Any]] | None = None) -> LoadReport:
    """Upsert the vocabularies and the shared exercises (idempotent)."""
    rows = read_dataset() if rows is None else rows
    _check(rows)
    report = LoadReport()
    now = datetime.now(UTC)

    category_ids: dict[str, uuid.UUID] = {}
    for position, (slug, name, parent) in enumerate(CATEGORIES, start=1):
        # One at a time: a child's parent id must be known (and inserted) first.
        category_ids |= upsert(
            conn,
            _categories,
            [
                {
                    "id": library_id("category", slug),
                    "slug": slug,
                    "name": name,
                    "parent_id": category_ids[parent] if parent else None,
                    "position": position,
                }
            ],
            compare=("name", "parent_id", "position"),
            report=report,
        )
    muscle_ids = upsert(
        conn,
        _muscles,
        [{"id": library_id("muscle", s), "slug": s, "name": n, "region": r} for s, n, r in MUSCLES],
        compare=("name", "region"),
        report=report,
    )
    equipment_ids = upsert(
        conn,
        _equipment,
        [{"id": library_id("equipment", s), "slug": s, "name": n} for s, n in EQUIPMENT],
        compare=("name",),
        report=report,
    )
    by_key = {
        "category": {vocab_key(s): i for s, i in category_ids.items()},
        "muscle": {vocab_key(s): i for s, i in muscle_ids.items()},
        "equipment": {vocab_key(s): i for s, i in equipment_ids.items()},
    }

    exercise_ids = upsert(
        conn,
        _exercises,
        [
            {
                "id": library_id("exercise", row["id"]),
                "slug": row["id"],
                "name": row["name"].strip(),
                "category_id": by_key["category"][vocab_key(row["category"])],
                "level": row["level"],
                "mechanic": row["mechanic"],
                "force": row["force"],
                "equipment_id": row["equipment"]
                and by_key["equipment"][vocab_key(row["equipment"])],
            }
            for row in rows
        ],
        compare=("name", "category_id", "level", "mechanic", "force", "equipment_id"),
        report=report,
        on_insert={"created_at": now, "updated_at": now},
        on_update={"updated_at": now},
    )

    wanted: dict[tuple[uuid.UUID, uuid.UUID], bool] = {}
    for row in rows:
        exercise_id = exercise_ids[row["id"]]
        for m in row["secondary_muscles"]:
            wanted[(exercise_id, by_key["muscle"][vocab_key(m)])] = False
        for m in row["primary_muscles"]:
            wanted[(exercise_id, by_key["muscle"][vocab_key(m)])] = True
    em = _exercise_muscles
    existing = {
        (r.exercise_id, r.muscle_id): r
        for r in conn.execute(sa.select(em.c.id, em.c.exercise_id, em.c.muscle_id, em.c.is_primary))
    }
    shipped = set(exercise_ids.values())
    stale = [r.id for k, r in existing.items() if k not in wanted and k[0] in shipped]
    changed = [
        {"_id": r.id, "is_primary": wanted[k]}
        for k, r in existing.items()
        if k in wanted and r.is_primary != wanted[k]
    ]
    new = [
        {"id": new_id(), "exercise_id": e, "muscle_id": m, "is_primary": p}
        for (e, m), p in wanted.items()
        if (e, m) not in existing
    ]
    if stale:
        conn.execute(em.delete().where(em.c.id.in_(stale)))
    if changed:
        conn.execute(
            em.update()
            .where(em.c.id == sa.bindparam("_id"))
            .values(is_primary=sa.bindparam("is_primary")),
            changed,
        )
    if new:
        conn.execute(em.insert(), new)
    report.deleted += len(stale)
    report.updated += len(changed)
    report.inserted += len(new)
    return report
