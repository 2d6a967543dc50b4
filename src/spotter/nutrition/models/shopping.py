"""Shopping lists and pantry staples.

A list is generated from a client's assigned meal plan(s) over a date range: one item per
food with the grams summed and a shopping quantity ("1.2 kg", "3 cans (400 g)"), grouped
by aisle (``nutrition.shopping``). Items can be ticked off (who and when are kept, so two
devices of the client see the same list); the client may add manual items (free text).
Generating the list again for the same plan and dates rewrites the generated items and
keeps the ticks of the foods still on it.

Pantry staples are the foods a client has at home (salt, oil, spices): a list still holds
their items, and shows them apart under "At home" while the food is a staple, so taking a
food off the pantry puts it back on the list at once.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from spotter.core.db import Base, IdMixin, TimestampMixin, utcnow
from spotter.core.tenancy import TenantMixin
from spotter.nutrition.models.foods import NAME_MAX

LABEL_MAX = 80
ONE_FOOD = (
    "(CASE WHEN food_id IS NULL THEN 0 ELSE 1 END"
    " + CASE WHEN custom_food_id IS NULL THEN 0 ELSE 1 END)"
)


class FoodReference:
    """A shared food (``food_id``) or a custom one (``custom_food_id``); the custom one is
    let go (SET NULL) rather than blocking its deletion: the item keeps its name."""

    @declared_attr
    def food_id(cls) -> Mapped[uuid.UUID | None]:
        return mapped_column(sa.ForeignKey("foods.id", ondelete="RESTRICT"), index=True)

    @declared_attr
    def custom_food_id(cls) -> Mapped[uuid.UUID | None]:
        return mapped_column(sa.ForeignKey("custom_foods.id", ondelete="SET NULL"), index=True)

    @property
    def food_ref(self) -> uuid.UUID | None:
        return self.food_id or self.custom_food_id


class ShoppingList(IdMixin, TimestampMixin, TenantMixin, Base):
    __tablename__ = "shopping_lists"
    __table_args__ = (sa.Index("ix_shopping_lists_client_dates", "client_id", "starts_on"),)

    client_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("clients.id", ondelete="CASCADE"))
    meal_plan_id: Mapped[uuid.UUID | None] = mapped_column(
        sa.ForeignKey("meal_plans.id", ondelete="SET NULL"), index=True
    )
    name: Mapped[str] = mapped_column(sa.String(NAME_MAX))
    starts_on: Mapped[date] = mapped_column(sa.Date)
    ends_on: Mapped[date] = mapped_column(sa.Date)
    generated_at: Mapped[datetime]
    created_by_id: Mapped[uuid.UUID | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )

    items: Mapped[list[ShoppingListItem]] = relationship(
        lazy="raise",
        order_by="ShoppingListItem.position",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )


class ShoppingListItem(IdMixin, FoodReference, TenantMixin, Base):
    """A food to buy (grams summed, the shopping quantity ``quantity`` ``unit`` shown as
    ``label``) or a manual item (free text in ``name``, no food, no grams)."""

    __tablename__ = "shopping_list_items"
    __table_args__ = (
        sa.Index("ix_shopping_list_items_list", "list_id", "position"),
        sa.CheckConstraint(f"{ONE_FOOD} <= 1", name="one_food"),
    )

    list_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("shopping_lists.id", ondelete="CASCADE")
    )
    position: Mapped[int] = mapped_column(default=0)
    name: Mapped[str] = mapped_column(sa.String(NAME_MAX))
    aisle: Mapped[str] = mapped_column(sa.String(20))
    grams: Mapped[float | None] = mapped_column(sa.Float)
    quantity: Mapped[float | None] = mapped_column(sa.Float)
    unit: Mapped[str | None] = mapped_column(sa.String(10))
    label: Mapped[str | None] = mapped_column(sa.String(LABEL_MAX))
    # The recipes and meals the grams came from.
    sources: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    manual: Mapped[bool] = mapped_column(default=False)
    ticked_at: Mapped[datetime | None]
    ticked_by_id: Mapped[uuid.UUID | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )


class PantryStaple(IdMixin, FoodReference, TenantMixin, Base):
    """A food the client has at home (salt, oil, spices)."""

    __tablename__ = "pantry_staples"
    __table_args__ = (
        sa.UniqueConstraint("food_id", "client_id"),
        sa.UniqueConstraint("custom_food_id", "client_id"),
        sa.Index("ix_pantry_staples_client", "client_id"),
        sa.CheckConstraint(f"{ONE_FOOD} = 1", name="one_food"),
    )

    client_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("clients.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
