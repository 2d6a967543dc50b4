"""Shopping lists and the client's pantry staples."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import Field, StringConstraints

from spotter.core.schemas import Out, Schema

MAX_PANTRY = 200  # foods a client keeps at home

Aisle = Literal[
    "produce", "bakery", "meat_fish", "dairy_eggs", "dry_goods", "cans", "frozen", "drinks", "other"
]


class ShoppingListIn(Schema):
    """A list for ``starts_on`` to ``ends_on`` (8 weeks at most) from the client's assigned
    plan(s): for each date the plan that covers it, or only ``meal_plan_id``'s. The same
    plan and dates again regenerate the list, keeping the ticks of the foods still on it."""

    starts_on: date
    ends_on: date
    meal_plan_id: uuid.UUID | None = None
    name: Annotated[str | None, StringConstraints(min_length=1, max_length=200)] = None


class TickIn(Schema):
    ticked: bool


class ManualItemIn(Schema):
    """Something to buy that no plan says (kitchen roll, coffee)."""

    name: Annotated[str, StringConstraints(min_length=1, max_length=200)]
    label: Annotated[str | None, StringConstraints(max_length=80)] = None
    aisle: Aisle = "other"


class PantryIn(Schema):
    """The foods the client has at home (the whole set: it replaces the one saved)."""

    food_ids: list[uuid.UUID] = Field(default_factory=list, max_length=MAX_PANTRY)


class ShoppingItemOut(Out):
    id: uuid.UUID
    food_id: uuid.UUID | None
    name: str
    aisle: str
    grams: float | None  # exact, summed over the plan days
    quantity: float | None  # what to buy, rounded up, in ``unit``
    unit: str | None  # g, kg, ml, l, can, count
    label: str | None  # "1.2 kg", "3 cans (400 g)", "12 eggs (large)"
    sources: list[str]
    manual: bool
    ticked: bool
    ticked_at: datetime | None
    ticked_by_id: uuid.UUID | None
    at_home: bool


class AisleOut(Out):
    aisle: str
    name: str
    items: list[ShoppingItemOut]


class ShoppingListSummary(Out):
    id: uuid.UUID
    client_id: uuid.UUID
    meal_plan_id: uuid.UUID | None
    name: str
    starts_on: date
    ends_on: date
    generated_at: datetime
    items_total: int  # to buy (pantry staples not counted)
    items_ticked: int


class ShoppingListOut(ShoppingListSummary):
    aisles: list[AisleOut]
    at_home: list[ShoppingItemOut]


class PantryItemOut(Out):
    food_id: uuid.UUID
    name: str
    group: str | None


class PantryOut(Out):
    items: list[PantryItemOut]


def item_out(item: Any, at_home: bool) -> ShoppingItemOut:
    return ShoppingItemOut(
        id=item.id,
        food_id=item.food_ref,
        name=item.name,
        aisle=item.aisle,
        grams=item.grams,
        quantity=item.quantity,
        unit=item.unit,
        label=item.label,
        sources=list(item.sources or ()),
        manual=item.manual,
        ticked=item.ticked_at is not None,
        ticked_at=item.ticked_at,
        ticked_by_id=item.ticked_by_id,
        at_home=at_home,
    )


def summary_out(view: Any) -> ShoppingListSummary:
    row = view.row
    return ShoppingListSummary(
        id=row.id,
        client_id=row.client_id,
        meal_plan_id=row.meal_plan_id,
        name=row.name,
        starts_on=row.starts_on,
        ends_on=row.ends_on,
        generated_at=row.generated_at,
        items_total=len(view.to_buy),
        items_ticked=view.ticked,
    )


def list_out(view: Any) -> ShoppingListOut:
    """A ``service.shopping.ListView`` for the API."""
    return ShoppingListOut(
        **summary_out(view).model_dump(),
        aisles=[
            AisleOut(aisle=slug, name=name, items=[item_out(i, False) for i in items])
            for slug, name, items in view.aisles
        ],
        at_home=[item_out(i, True) for i in view.home],
    )


def pantry_out(foods: list[Any]) -> PantryOut:
    return PantryOut(
        items=[PantryItemOut(food_id=f.id, name=f.display_name, group=f.group) for f in foods]
    )
