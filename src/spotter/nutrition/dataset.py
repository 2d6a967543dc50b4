"""The shipped USDA SR28 food data and its idempotent loader.

``spotter/data/usda_sr28_foods.csv.gz`` (8,789 foods: seven nutrients per 100 g and the
food group) and ``usda_sr28_portions.csv.gz`` (15,438 household measures with gram
weights) are the files described in NOTICE, gzipped. ``load_foods`` upserts the 25 food
groups, the foods keyed by NDB number and the portions keyed by (NDB number, sequence):
running it again changes nothing. A data migration calls it, so ``spotter db upgrade``
installs the food database on SQLite and PostgreSQL alike.

A blank nutrient cell is *unknown* and is stored as NULL, never as 0. Ids are UUIDv7 values
derived from the NDB numbers, so a shared food has the same id on every installation.
"""

from __future__ import annotations

import csv
import gzip
import io
import uuid
from datetime import UTC, datetime
from importlib import resources
from typing import Any

import sqlalchemy as sa

from spotter.core.datasets import LoadReport, stable_id, upsert, utc_date

EXPECTED_FOODS = 8789
EXPECTED_PORTIONS = 15438
# SR28's "version current" date (September 2015): the ids' timestamp.
_EPOCH = utc_date(2015, 9, 1)
NUTRIENTS = (
    "energy_kcal",
    "protein_g",
    "fat_g",
    "carbohydrate_g",
    "fiber_g",
    "sugars_g",
    "sodium_mg",
)

# (slug, display name, SR28 FdGrp_Desc); display order.
FOOD_GROUPS: list[tuple[str, str, str]] = [
    ("dairy_egg", "Dairy and eggs", "Dairy and Egg Products"),
    ("poultry", "Poultry", "Poultry Products"),
    ("beef", "Beef", "Beef Products"),
    ("pork", "Pork", "Pork Products"),
    ("lamb_veal_game", "Lamb, veal and game", "Lamb, Veal, and Game Products"),
    ("sausages_meats", "Sausages and luncheon meats", "Sausages and Luncheon Meats"),
    ("fish_shellfish", "Fish and shellfish", "Finfish and Shellfish Products"),
    ("legumes", "Legumes", "Legumes and Legume Products"),
    ("vegetables", "Vegetables", "Vegetables and Vegetable Products"),
    ("fruits", "Fruits and juices", "Fruits and Fruit Juices"),
    ("nuts_seeds", "Nuts and seeds", "Nut and Seed Products"),
    ("grains_pasta", "Grains and pasta", "Cereal Grains and Pasta"),
    ("breakfast_cereals", "Breakfast cereals", "Breakfast Cereals"),
    ("baked", "Baked products", "Baked Products"),
    ("fats_oils", "Fats and oils", "Fats and Oils"),
    ("spices_herbs", "Spices and herbs", "Spices and Herbs"),
    ("soups_sauces", "Soups, sauces and gravies", "Soups, Sauces, and Gravies"),
    ("beverages", "Beverages", "Beverages"),
    ("sweets", "Sweets", "Sweets"),
    ("snacks", "Snacks", "Snacks"),
    ("meals_sides", "Meals and side dishes", "Meals, Entrees, and Side Dishes"),
    ("fast_foods", "Fast foods", "Fast Foods"),
    ("restaurant", "Restaurant foods", "Restaurant Foods"),
    ("baby_foods", "Baby foods", "Baby Foods"),
    (
        "native_foods",
        "American Indian and Alaska Native foods",
        "American Indian/Alaska Native Foods",
    ),
]


def food_id(ndb_no: str) -> uuid.UUID:
    return stable_id("spotter-foods", "food", ndb_no, epoch=_EPOCH)


def portion_id(ndb_no: str, seq: int) -> uuid.UUID:
    return stable_id("spotter-foods", "portion", f"{ndb_no}:{seq}", epoch=_EPOCH)


def group_id(slug: str) -> uuid.UUID:
    return stable_id("spotter-foods", "group", slug, epoch=_EPOCH)


def _read(name: str) -> list[dict[str, str]]:
    raw = resources.files("spotter").joinpath(f"data/{name}").read_bytes()
    text = gzip.decompress(raw).decode("utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def read_foods() -> list[dict[str, str]]:
    return _read("usda_sr28_foods.csv.gz")


def read_portions() -> list[dict[str, str]]:
    return _read("usda_sr28_portions.csv.gz")


def _number(value: str) -> float | None:
    """A CSV cell: blank is unknown (None), never 0."""
    value = value.strip()
    return float(value) if value else None


_groups = sa.table(
    "food_groups",
    sa.column("id", sa.Uuid()),
    sa.column("slug", sa.String()),
    sa.column("name", sa.String()),
    sa.column("position", sa.Integer()),
)
_foods = sa.table(
    "foods",
    sa.column("id", sa.Uuid()),
    sa.column("ndb_no", sa.String()),
    sa.column("name", sa.String()),
    sa.column("food_group_id", sa.Uuid()),
    *[sa.column(n, sa.Float()) for n in NUTRIENTS],
    sa.column("created_at", sa.DateTime(timezone=True)),
    sa.column("updated_at", sa.DateTime(timezone=True)),
)
_portions = sa.table(
    "food_portions",
    sa.column("id", sa.Uuid()),
    sa.column("food_id", sa.Uuid()),
    sa.column("seq", sa.Integer()),
    sa.column("amount", sa.Float()),
    sa.column("description", sa.String()),
    sa.column("gram_weight", sa.Float()),
)


def _check(foods: list[dict[str, str]], portions: list[dict[str, str]]) -> None:
    groups = {usda for _, _, usda in FOOD_GROUPS}
    seen: set[str] = set()
    for row in foods:
        ndb = row["ndb_no"]
        problems = []
        if len(ndb) != 5 or not ndb.isdigit() or ndb in seen:
            problems.append("bad or duplicate ndb_no")
        seen.add(ndb)
        if row["food_group"] not in groups:
            problems.append(f"food group {row['food_group']!r}")
        if not row["description"].strip():
            problems.append("no description")
        if problems:
            raise ValueError(f"food dataset row {ndb!r}: " + ", ".join(problems))
    for row in portions:
        if row["ndb_no"] not in seen or float(row["gram_weight"]) <= 0:
            raise ValueError(f"portion {row['ndb_no']}:{row['seq']}: unknown food or no weight")


def load_foods(
    conn: sa.Connection,
    foods: list[dict[str, str]] | None = None,
    portions: list[dict[str, str]] | None = None,
) -> LoadReport:
    """Upsert the food groups, the shared foods and their portions (idempotent)."""
    foods = read_foods() if foods is None else foods
    portions = read_portions() if portions is None else portions
    _check(foods, portions)
    report = LoadReport()
    now = datetime.now(UTC)
    group_ids = upsert(
        conn,
        _groups,
        [
            {"id": group_id(slug), "slug": slug, "name": name, "position": position}
            for position, (slug, name, _) in enumerate(FOOD_GROUPS, start=1)
        ],
        compare=("name", "position"),
        report=report,
    )
    by_usda = {usda: group_ids[slug] for slug, _, usda in FOOD_GROUPS}
    food_rows: list[dict[str, Any]] = [
        {
            "id": food_id(row["ndb_no"]),
            "ndb_no": row["ndb_no"],
            "name": row["description"].strip(),
            "food_group_id": by_usda[row["food_group"]],
            **{n: _number(row[n]) for n in NUTRIENTS},
        }
        for row in foods
    ]
    ids = upsert(
        conn,
        _foods,
        food_rows,
        key="ndb_no",
        compare=("name", "food_group_id", *NUTRIENTS),
        report=report,
        on_insert={"created_at": now, "updated_at": now},
        on_update={"updated_at": now},
    )
    portion_rows = [
        {
            "id": portion_id(row["ndb_no"], int(row["seq"])),
            "food_id": ids[row["ndb_no"]],
            "seq": int(row["seq"]),
            "amount": float(row["amount"]),
            "description": row["measure_description"].strip(),
            "gram_weight": float(row["gram_weight"]),
        }
        for row in portions
    ]
    wanted = {r["id"] for r in portion_rows}
    upsert(
        conn,
        _portions,
        portion_rows,
        key="id",
        compare=("food_id", "seq", "amount", "description", "gram_weight"),
        report=report,
    )
    shipped = set(ids.values())
    stale = [
        r.id
        for r in conn.execute(sa.select(_portions.c.id, _portions.c.food_id))
        if r.food_id in shipped and r.id not in wanted
    ]
    if stale:
        conn.execute(_portions.delete().where(_portions.c.id.in_(stale)))
        report.deleted += len(stale)
    return report
