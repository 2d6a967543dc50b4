"""Generate a meal plan: the pool, targets and meals from the database, the plan from
``nutrition.generator``, a draft in the meal-plan input shapes out.

The pool is every live recipe the caller may read for the client (the organization's
and the client's own; for a template, the organization's), plus any recipes and foods
named in the request, less what breaks a diet (the client's and the request's), holds an
allergen to avoid, was excluded by id or mentions an excluded word in its name or in an
ingredient's. Recipes are read with ``recipe_views`` and foods with ``foods_by_ids``: a
fixed number of statements whatever the pool's size.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from spotter.clients.models import Client
from spotter.config import get_settings
from spotter.core.errors import Forbidden, InvalidInput, field_error
from spotter.nutrition import generator, text
from spotter.nutrition import traits as rules
from spotter.nutrition.food import FoodView
from spotter.nutrition.generator import Candidate, MealKind, Plan, Problem, Rules, Targets
from spotter.nutrition.models import Recipe
from spotter.nutrition.nutrients import Amounts
from spotter.nutrition.recipe import RecipeView
from spotter.nutrition.schemas.diary import DEFAULT_MEALS
from spotter.nutrition.schemas.generate import GenerateIn
from spotter.nutrition.service import access, recipes, targets
from spotter.nutrition.service.days import client_today
from spotter.nutrition.service.diary import get_profile
from spotter.nutrition.service.foods import foods_by_ids
from spotter.nutrition.units import SERVING

if TYPE_CHECKING:
    from spotter.identity.dependencies import Principal

# Recipes in 0.5-serving steps from 0.5 to 3; foods by a household portion (1 to 4 of
# them) when they have one of a sensible size, else 25 g steps from 50 to 300 g.
RECIPE_STEP, RECIPE_STEPS = 0.5, (1, 6)
FOOD_GRAMS_STEP, FOOD_GRAMS_STEPS = 25.0, (2, 12)
PORTION_STEPS = (1, 4)
PORTION_GRAMS = (20.0, 400.0)
# Meal names for ``meals_per_day``.
STANDARD_MEALS = {
    1: ("Dinner",),
    2: ("Breakfast", "Dinner"),
    3: ("Breakfast", "Lunch", "Dinner"),
    4: DEFAULT_MEALS,
    5: ("Breakfast", "Morning snack", "Lunch", "Afternoon snack", "Dinner"),
    6: ("Breakfast", "Morning snack", "Lunch", "Afternoon snack", "Dinner", "Evening snack"),
}
MACRO_NAMES = ("energy_kcal", "protein_g", "fat_g", "carbohydrate_g")


class TargetsUnreachable(InvalidInput):
    code, title = "targets_unreachable", "The targets cannot be met with this pool"


@dataclass(frozen=True)
class DraftItem:
    candidate: Candidate
    quantity: float
    unit_label: str
    amounts: Amounts
    food: FoodView | None = None
    recipe: RecipeView | None = None


@dataclass(frozen=True)
class Draft:
    """A generated plan, ready to save: ``plan_input()`` is a ``MealPlanIn``."""

    name: str
    client: Client | None
    diets: list[str]
    targets: Targets
    meals: list[str]
    plan: Plan
    items: dict[str, tuple[FoodView | None, RecipeView | None]]

    def day_items(self, day: generator.PlannedDay) -> list[tuple[str, list[DraftItem]]]:
        out = []
        for meal in day.meals:
            lines = []
            for item in meal.items:
                food, recipe = self.items[item.candidate.key]
                lines.append(_draft_item(item, food, recipe))
            out.append((meal.name, lines))
        return out

    def plan_input(self) -> dict[str, Any]:
        """The draft as ``MealPlanIn`` data: POST it to /meal-plans as is."""
        return {
            "name": self.name,
            "description": "Generated to land each day within 5% of the energy target and "
            "10% of each macronutrient target.",
            "diets": self.diets,
            **{n: self.targets.value(n) for n in MACRO_NAMES},
            "days": [
                {
                    "meals": [
                        {
                            "name": meal.name,
                            "items": [_item_input(item) for item in meal.items],
                        }
                        for meal in day.meals
                    ],
                }
                for day in self.plan.days
            ],
        }


def _item_input(item: generator.PlannedItem) -> dict[str, Any]:
    cand = item.candidate
    ref = "recipe_id" if cand.kind == "recipe" else "food_id"
    return {ref: cand.ref_id, "quantity": item.quantity, "unit": cand.unit}


def _draft_item(
    item: generator.PlannedItem, food: FoodView | None, recipe: RecipeView | None
) -> DraftItem:
    if recipe is not None:
        label = "serving" if item.quantity == 1 else "servings"
        return DraftItem(
            item.candidate,
            item.quantity,
            label,
            recipe.per_serving.scaled(item.quantity),
            recipe=recipe,
        )
    assert food is not None
    grams = food.grams(item.quantity, item.candidate.unit)
    return DraftItem(
        item.candidate,
        item.quantity,
        food.unit_label(item.candidate.unit),
        food.amounts(grams),
        food=food,
    )


# --- the request's settings ------------------------------------------------------------------


async def _scope(
    session: AsyncSession, principal: Principal, client_id: uuid.UUID | None
) -> Client | None:
    if client_id is None:
        client_id = await access.own_client_id(session, principal)
    if client_id is None:
        if not principal.can("foods:write"):
            raise Forbidden("Generating a template needs the 'foods:write' permission.")
        return None
    return await access.client_for_write(session, principal, client_id)


async def _targets(
    session: AsyncSession, principal: Principal, client: Client | None, data: GenerateIn
) -> Targets:
    if data.targets is not None:
        given = data.targets
        assert given.energy_kcal is not None
        targets.check_typed(given.energy_kcal, given.protein_g, given.fat_g, given.carbohydrate_g)
        return Targets(given.energy_kcal, given.protein_g, given.fat_g, given.carbohydrate_g)
    if client is None:
        raise field_error("targets", "A template needs targets: at least energy_kcal.")
    day = client_today(client, principal.organization.timezone)
    found = await targets.target_on(session, client_id=client.id, day=day)
    if found is None:
        raise field_error(
            "targets", "This client has no nutrition target in force; set one or give targets."
        )
    return Targets(found.energy_kcal, found.protein_g, found.fat_g, found.carbohydrate_g)


def _meal_names(data: GenerateIn, profile_meals: Sequence[str]) -> list[str]:
    if data.meals is not None:
        return [m.strip() for m in data.meals]
    if data.meals_per_day is not None:
        if len(profile_meals) == data.meals_per_day:
            return list(profile_meals)
        standard = STANDARD_MEALS.get(data.meals_per_day)
        return list(standard or (f"Meal {n}" for n in range(1, data.meals_per_day + 1)))
    return list(profile_meals) or list(DEFAULT_MEALS)


# --- the pool --------------------------------------------------------------------------------


def _mentions(words: set[str], names: Iterable[str]) -> bool:
    return any(words & set(text.words(name)) for name in names)


def _label(diets: Sequence[str], avoid: Sequence[str]) -> str:
    parts = []
    if diets:
        parts.append(f"fit a {' and '.join(rules.DIET_LABELS[d] for d in diets).lower()} diet")
    if avoid:
        parts.append(f"have no {', '.join(rules.TRAIT_LABELS[a] for a in avoid).lower()}")
    return f"that {' and '.join(parts)}" if parts else ""


def _fits(
    item_diets: Sequence[str], traits: Iterable[str], diets: Sequence[str], avoid: set[str]
) -> bool:
    return set(diets) <= set(item_diets) and not avoid & set(traits)


def recipe_candidate(view: RecipeView) -> Candidate:
    assert view.id is not None
    return Candidate(
        key=f"recipe:{view.id}",
        kind="recipe",
        name=view.name,
        per_unit={n: view.per_serving.value(n) for n in MACRO_NAMES},
        unit=SERVING,
        step=RECIPE_STEP,
        min_steps=RECIPE_STEPS[0],
        max_steps=RECIPE_STEPS[1],
        meals=frozenset(MealKind(m) for m in view.meals),
        ref_id=view.id,
    )


def food_candidate(food: FoodView) -> Candidate:
    portion = next(
        (p for p in food.portions if PORTION_GRAMS[0] <= p.gram_weight <= PORTION_GRAMS[1]),
        None,
    )
    per_gram = food.per_100g.scaled(0.01)
    if portion is not None:  # a quantity of a portion unit counts portions: "2 x 1 large"
        unit, step, steps = str(portion.id), 1.0, PORTION_STEPS
        per_unit = per_gram.scaled(portion.gram_weight)
    else:
        unit, step, steps, per_unit = "g", FOOD_GRAMS_STEP, FOOD_GRAMS_STEPS, per_gram
    return Candidate(
        key=f"food:{food.id}",
        kind="food",
        name=food.display_name,
        per_unit={n: per_unit.value(n) for n in MACRO_NAMES},
        unit=unit,
        step=step,
        min_steps=steps[0],
        max_steps=steps[1],
        ref_id=food.id,
    )


async def _pool_recipes(
    session: AsyncSession, principal: Principal, client: Client | None, data: GenerateIn
) -> list[RecipeView]:
    owner = None if client is None else client.id
    ids: set[uuid.UUID] = set(data.recipe_ids)
    if data.include_library:
        scope = (
            Recipe.client_id.is_(None)
            if owner is None
            else sa.or_(Recipe.client_id.is_(None), Recipe.client_id == owner)
        )
        found = await session.scalars(
            recipes.visible_recipes(principal)
            .with_only_columns(Recipe.id)
            .where(scope, Recipe.archived_at.is_(None))
        )
        ids |= set(found)
    views = await recipes.recipe_views(session, principal=principal, ids=ids)
    for n, recipe_id in enumerate(data.recipe_ids):
        view = views.get(recipe_id)
        if view is None:
            raise field_error(f"recipe_ids.{n}", "no such recipe")
        if view.client_id not in (None, owner):
            raise field_error(f"recipe_ids.{n}", f"{view.name} is another client's own recipe")
    return [v for v in views.values() if not v.archived]


async def _pool_foods(
    session: AsyncSession, principal: Principal, client: Client | None, data: GenerateIn
) -> list[FoodView]:
    found = await foods_by_ids(session, principal=principal, ids=data.food_ids)
    owner = None if client is None else client.id
    for n, food_id in enumerate(data.food_ids):
        food = found.get(food_id)
        if food is None:
            raise field_error(f"food_ids.{n}", "no such food")
        if food.client_id not in (None, owner):
            raise field_error(f"food_ids.{n}", f"{food.name} is another client's own food")
    return [found[i] for i in dict.fromkeys(data.food_ids) if not found[i].archived]


def _pool(
    recipe_views: Sequence[RecipeView],
    foods: Sequence[FoodView],
    data: GenerateIn,
    diets: Sequence[str],
    avoid: set[str],
) -> tuple[list[Candidate], dict[str, tuple[FoodView | None, RecipeView | None]]]:
    excluded = {text.stem(w) for word in data.exclude_words for w in text.words(word)}
    left_out_recipes, left_out_foods = set(data.exclude_recipe_ids), set(data.exclude_food_ids)
    candidates: list[Candidate] = []
    sources: dict[str, tuple[FoodView | None, RecipeView | None]] = {}
    for view in sorted(recipe_views, key=lambda v: (v.name.lower(), str(v.id))):
        if view.id in left_out_recipes or not _fits(view.diets, view.traits, diets, avoid):
            continue
        names = [view.name, *(i.name for i in view.ingredients)]
        if excluded and _mentions(excluded, names):
            continue
        cand = recipe_candidate(view)
        candidates.append(cand)
        sources[cand.key] = (None, view)
    for food in foods:
        if food.id in left_out_foods or not _fits(food.diets, food.traits, diets, avoid):
            continue
        if excluded and _mentions(excluded, [food.display_name]):
            continue
        cand = food_candidate(food)
        candidates.append(cand)
        sources[cand.key] = (food, None)
    return candidates, sources


# --- generating ------------------------------------------------------------------------------


async def generate(session: AsyncSession, *, principal: Principal, data: GenerateIn) -> Draft:
    """A draft plan for the request; a 422 ``targets_unreachable`` with the reasons when
    the pool cannot meet the targets."""
    client = await _scope(session, principal, data.client_id)
    plan_targets = await _targets(session, principal, client, data)
    profile = await get_profile(session, client=client) if client is not None else None
    diets = list(
        dict.fromkeys([*(profile.diets if profile else []), *(d.value for d in data.diets)])
    )
    avoid = list(
        dict.fromkeys([*(profile.avoid if profile else []), *(a.value for a in data.avoid)])
    )
    meals = _meal_names(data, profile.meal_names if profile else DEFAULT_MEALS)
    recipe_views = await _pool_recipes(session, principal, client, data)
    foods = await _pool_foods(session, principal, client, data)
    candidates, sources = _pool(recipe_views, foods, data, diets, set(avoid))
    seconds = get_settings().meal_plan_seconds
    problem = Problem(
        candidates=candidates,
        targets=plan_targets,
        days=data.days,
        meals=meals,
        rules=Rules(
            min_items=data.min_items,
            max_items=data.max_items,
            max_days_per_item=data.max_days_per_item,
            seed=data.seed,
            time_limit=seconds,
            fallback_time=0.8 * seconds,
        ),
        pool_label=_label(diets, avoid),
    )
    try:
        # The solver holds the CPU for up to its time limit: off the event loop.
        plan = await asyncio.to_thread(generator.generate, problem)
    except generator.TargetsUnreachable as exc:
        raise TargetsUnreachable(
            " ".join(exc.reasons),
            errors=[{"field": "targets", "message": r} for r in exc.reasons],
            reasons=exc.reasons,
            notes=exc.notes,
            pool_size=len(candidates),
        ) from None
    name = data.name or _default_name(client, diets, data.days)
    return Draft(name, client, diets, plan_targets, meals, plan, sources)


def _default_name(client: Client | None, diets: Sequence[str], days: int) -> str:
    label = " ".join(rules.DIET_LABELS[d] for d in diets)
    what = f"{days}-day {label.lower()} plan" if label else f"{days}-day plan"
    who = f" for {client.first_name or client.full_name}" if client is not None else ""
    return f"Generated {what}{who}"
