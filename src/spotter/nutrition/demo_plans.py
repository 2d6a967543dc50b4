"""Demo meal plans: the organization's three-day template built from the demo diary's
days (its recipes, custom foods and USDA foods), and Jordan's copy of it from this week's
Monday, so the builder, the client's nutrition page and Jordan's /plan have a story."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from spotter.clients.models import Client
from spotter.core.db import new_id, utcnow
from spotter.nutrition import dataset
from spotter.nutrition.models import CustomFood, Recipe
from spotter.nutrition.models.plans import (
    ASSIGNED,
    TEMPLATE,
    MealPlan,
    MealPlanDay,
    MealPlanItem,
    MealPlanMeal,
)
from spotter.nutrition.service.plans import clone
from spotter.nutrition.units import SERVING

DAY_NAMES = ("Training day", "Rest day", "Long run")
TARGETS = {"energy_kcal": 2200, "protein_g": 150, "fat_g": 75, "carbohydrate_g": 230}


def _item(
    ref: str, amount: float, position: int, recipes: list[Recipe], customs: list[CustomFood]
) -> MealPlanItem:
    """A demo day's reference: ``r<n>`` a recipe in servings, ``c<n>`` a custom food in
    grams, else an NDB number in grams."""
    item = MealPlanItem(position=position, quantity=amount)
    if ref.startswith("r"):
        item.recipe_id, item.unit = recipes[int(ref[1:])].id, SERVING
    else:
        item.unit, item.grams = "g", amount
        if ref.startswith("c"):
            item.custom_food_id = customs[int(ref[1:])].id
        else:
            item.food_id = dataset.food_id(ref)
    return item


def load(
    session: AsyncSession,
    days: list[Any],
    *,
    people: list[Client],
    recipes: list[tuple[Recipe, Any]],
    customs: list[tuple[CustomFood, Any]],
    user: uuid.UUID,
) -> None:
    """``days`` are the demo diary's days; ``recipes`` and ``customs`` as the nutrition demo
    made them (row, computed)."""
    today = utcnow().date()
    recipe_rows, custom_rows = [r for r, _ in recipes], [c for c, _ in customs]
    created_by = user
    template = MealPlan(
        id=new_id(),
        kind=TEMPLATE,
        name="Balanced three-day rotation",
        description="Three days that repeat: oats, bowls and dahl; about 2,200 kcal.",
        diets=[],
        day_count=len(days),
        created_by_id=created_by,
        **TARGETS,
    )
    template.days = [
        MealPlanDay(
            position=d,
            name=DAY_NAMES[d % len(DAY_NAMES)],
            meals=[
                MealPlanMeal(
                    position=m,
                    name=meal,
                    items=[
                        _item(ref, amount, i, recipe_rows, custom_rows)
                        for i, (ref, amount) in enumerate(lines)
                    ],
                )
                for m, (meal, lines) in enumerate(day)
            ],
        )
        for d, day in enumerate(days)
    ]
    session.add(template)
    jordan = next((p for p in people if p.full_name == "Jordan Lee"), None)
    if jordan is not None:
        monday = today - timedelta(days=today.weekday())
        session.add(
            clone(
                template,
                kind=ASSIGNED,
                client_id=jordan.id,
                starts_on=monday,
                created_by_id=created_by,
                **dict.fromkeys(TARGETS),
            )
        )
