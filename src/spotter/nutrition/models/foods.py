"""The food database.

Shared (global) tables, loaded by a data migration from the USDA SR28 files in
``spotter/data/`` and never written at run time: ``food_groups`` (the 25 SR28 groups, a
vocabulary custom foods use too), ``foods`` (8,789 foods, nutrients per 100 g) and
``food_portions`` (15,438 household measures with their gram weights).

Tenant tables: ``custom_foods`` (an organization's own foods, or a client's when
``client_id`` is set), their ``custom_food_portions``, ``custom_food_terms``, the search
index of custom foods that the service keeps in step with every write (see
``nutrition.service.custom``), and ``custom_food_catalogs``, the version of each owner's
custom foods that search keeps its answers under.

Nutrient columns are nullable everywhere: NULL means *unknown*, never zero (SR28 leaves
fibre blank for 594 foods, sugars for 1,832, sodium for 83), and that distinction is kept
all the way to the API (``null``) and the pages ("unknown").
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from spotter.core.db import Base, IdMixin, TimestampMixin
from spotter.core.tenancy import TenantMixin

NAME_MAX = 200
# The seven nutrients, per 100 g: (column, unit).
NUTRIENT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("energy_kcal", "kcal"),
    ("protein_g", "g"),
    ("fat_g", "g"),
    ("carbohydrate_g", "g"),
    ("fiber_g", "g"),
    ("sugars_g", "g"),
    ("sodium_mg", "mg"),
)


class NutrientColumns:
    """The seven nutrient columns (per 100 g for foods; absolute amounts in the diary)."""

    energy_kcal: Mapped[float | None] = mapped_column(sa.Float)
    protein_g: Mapped[float | None] = mapped_column(sa.Float)
    fat_g: Mapped[float | None] = mapped_column(sa.Float)
    carbohydrate_g: Mapped[float | None] = mapped_column(sa.Float)
    fiber_g: Mapped[float | None] = mapped_column(sa.Float)
    sugars_g: Mapped[float | None] = mapped_column(sa.Float)
    sodium_mg: Mapped[float | None] = mapped_column(sa.Float)


class FoodGroup(IdMixin, Base):
    __tablename__ = "food_groups"

    slug: Mapped[str] = mapped_column(sa.String(40), unique=True)
    name: Mapped[str] = mapped_column(sa.String(80))
    position: Mapped[int] = mapped_column(default=0)


class Food(IdMixin, NutrientColumns, TimestampMixin, Base):
    """A shared USDA food. ``ndb_no`` is SR28's key (the upsert key); the ``id`` is a UUIDv7
    derived from it, the same on every installation."""

    __tablename__ = "foods"

    ndb_no: Mapped[str] = mapped_column(sa.String(5), unique=True)
    name: Mapped[str] = mapped_column(sa.String(NAME_MAX))
    food_group_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("food_groups.id", ondelete="RESTRICT"), index=True
    )


class FoodPortion(IdMixin, Base):
    """A household measure of a shared food: ``amount`` x ``description`` weighs
    ``gram_weight`` grams ("1 cup, chopped" = 128 g)."""

    __tablename__ = "food_portions"
    __table_args__ = (sa.UniqueConstraint("food_id", "seq"),)

    food_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("foods.id", ondelete="CASCADE"))
    seq: Mapped[int]
    amount: Mapped[float] = mapped_column(sa.Float)
    description: Mapped[str] = mapped_column(sa.String(120))
    gram_weight: Mapped[float] = mapped_column(sa.Float)


class CustomFood(IdMixin, NutrientColumns, TimestampMixin, TenantMixin, Base):
    """An organization's own food (``client_id`` NULL: every member sees it) or a client's
    (seen by the client and the staff who coach them). Archived, never deleted, so recipes
    and diaries that use it keep their numbers."""

    __tablename__ = "custom_foods"
    __table_args__ = (
        sa.Index("ix_custom_foods_org_barcode", "organization_id", "barcode"),
        sa.Index("ix_custom_foods_org_client_name", "organization_id", "client_id", "name"),
    )

    client_id: Mapped[uuid.UUID | None] = mapped_column(
        sa.ForeignKey("clients.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(sa.String(NAME_MAX))
    brand: Mapped[str | None] = mapped_column(sa.String(120))
    # GTIN as digits: EAN-8, or 13 digits for EAN-13 and UPC-A (stored with a leading 0).
    barcode: Mapped[str | None] = mapped_column(sa.String(14))
    food_group_id: Mapped[uuid.UUID | None] = mapped_column(
        sa.ForeignKey("food_groups.id", ondelete="RESTRICT")
    )
    # Grams per millilitre, for volume units when no volume portion says it.
    density_g_per_ml: Mapped[float | None] = mapped_column(sa.Float)
    # What the food contains (allergens, meat, ...), when the author says so; NULL: derived
    # from the name and group like shared foods.
    contains: Mapped[list[str] | None] = mapped_column(sa.JSON)
    archived_at: Mapped[datetime | None]
    created_by_id: Mapped[uuid.UUID | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )

    portions: Mapped[list[CustomFoodPortion]] = relationship(
        lazy="raise",
        order_by="CustomFoodPortion.position",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )


class CustomFoodPortion(IdMixin, TenantMixin, Base):
    __tablename__ = "custom_food_portions"
    __table_args__ = (sa.Index("ix_custom_food_portions_food", "custom_food_id", "position"),)

    custom_food_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("custom_foods.id", ondelete="CASCADE")
    )
    position: Mapped[int] = mapped_column(default=0)
    amount: Mapped[float] = mapped_column(sa.Float, default=1.0)
    description: Mapped[str] = mapped_column(sa.String(120))
    gram_weight: Mapped[float] = mapped_column(sa.Float)


class CustomFoodTerm(IdMixin, TenantMixin, Base):
    """The search index of custom foods: one row per (food, term), where a term is a word of
    the name or brand (stemmed) or a prefix of one (3 letters and up). ``whole`` says the
    term is a word itself. ``name_len`` and the food id order a term's rows, so a search
    reads them in ranking order from the index and stops after one page. Archived foods
    have no terms. ``client_id`` repeats the food's, so the scope filter needs no join."""

    __tablename__ = "custom_food_terms"
    __table_args__ = (
        sa.UniqueConstraint("custom_food_id", "term"),
        sa.Index(
            "ix_custom_food_terms_lookup",
            "organization_id",
            "term",
            "name_len",
            "custom_food_id",
            "client_id",
            "whole",
        ),
    )

    custom_food_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("custom_foods.id", ondelete="CASCADE")
    )
    client_id: Mapped[uuid.UUID | None] = mapped_column(sa.Uuid)
    term: Mapped[str] = mapped_column(sa.String(40))
    whole: Mapped[bool]
    name_len: Mapped[int] = mapped_column(sa.SmallInteger)


class CustomFoodCatalog(IdMixin, TenantMixin, Base):
    """The version of one owner's custom foods: ``owner_id`` is the organization's id for
    the organization's own foods, a client's id for that client's. Every write a search can
    see (create, edit, portions, archive) gives it a new ``version`` in the same
    transaction, and search keeps its custom-food answers in process under the versions it
    read. A new random value, never a counter: a version written by a transaction that
    rolled back (or lost to a restore) is never seen again, so it cannot name another
    state. No row: the owner's foods never changed since this table came (version None).
    ``owner_id`` has no foreign key (it names an organization or a client); a deleted
    client's row is left behind, and nothing asks for it again."""

    __tablename__ = "custom_food_catalogs"
    __table_args__ = (sa.UniqueConstraint("organization_id", "owner_id"),)

    owner_id: Mapped[uuid.UUID] = mapped_column(sa.Uuid)
    version: Mapped[uuid.UUID] = mapped_column(sa.Uuid)


class FoodAmount:
    """A food in a quantity: a shared food (``food_id``) or a custom one
    (``custom_food_id``), the quantity and unit as entered (``unit`` is a unit name or the
    id of one of the food's portions), and the grams they came to when written. Recipe
    ingredients and diary entries use it (and meal-plan items will)."""

    @declared_attr
    def food_id(cls) -> Mapped[uuid.UUID | None]:
        return mapped_column(sa.ForeignKey("foods.id", ondelete="RESTRICT"), index=True)

    @declared_attr
    def custom_food_id(cls) -> Mapped[uuid.UUID | None]:
        return mapped_column(sa.ForeignKey("custom_foods.id"), index=True)

    quantity: Mapped[float] = mapped_column(sa.Float)
    unit: Mapped[str] = mapped_column(sa.String(40))
    grams: Mapped[float | None] = mapped_column(sa.Float)


def nutrient_values(row: Any) -> dict[str, float | None]:
    return {name: getattr(row, name) for name, _ in NUTRIENT_COLUMNS}
