"""From domain values to API schemas (the pages use the same)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from spotter.nutrition.food import FoodView
from spotter.nutrition.generator import NUTRIENTS as MACROS
from spotter.nutrition.models import DiaryEntry, MealPlan, NutritionProfile, Recipe
from spotter.nutrition.models.plans import TEMPLATE
from spotter.nutrition.nutrients import Amounts
from spotter.nutrition.recipe import IngredientView, RecipeView
from spotter.nutrition.schemas.diary import (
    DayOut,
    DaySummaryOut,
    EntryOut,
    MealOut,
    ProfileOut,
    RecentOut,
)
from spotter.nutrition.schemas.foods import (
    FoodAmountOut,
    FoodGroupOut,
    FoodOut,
    FoodSummary,
    NutrientsOut,
    PortionOut,
    UnitOut,
)
from spotter.nutrition.schemas.generate import DraftDayOut, DraftItemOut, DraftMealOut, DraftOut
from spotter.nutrition.schemas.plans import (
    MealPlanIn,
    MealPlanOut,
    MealPlanSummary,
    PlanDayOut,
    PlanItemOut,
    PlanMealOut,
    VersusOut,
)
from spotter.nutrition.schemas.recipes import (
    IngredientOut,
    RecipeNutritionOut,
    RecipeOut,
    RecipeSummary,
)
from spotter.nutrition.schemas.targets import TargetOut

if TYPE_CHECKING:
    from spotter.nutrition.generator import PlannedDay
    from spotter.nutrition.service.generate import Draft


def nutrients(amounts: Amounts, places: int | None = 2) -> NutrientsOut:
    """Null for unknown; ``places`` rounds computed amounts (None: as stored)."""
    values = {
        name: (value if value is None or places is None else round(value, places))
        for name, value in amounts.values().items()
    }
    return NutrientsOut.model_construct(incomplete=amounts.incomplete, **values)  # type: ignore[arg-type]


def _summary_fields(view: FoodView, group_names: dict[str, str]) -> dict[str, Any]:
    group = (
        FoodGroupOut.model_construct(slug=view.group, name=group_names.get(view.group, view.group))
        if view.group
        else None
    )
    return {
        "id": view.id,
        "source": view.source,
        "name": view.name,
        "brand": view.brand,
        "display_name": view.display_name,
        "ndb_no": view.ndb_no,
        "barcode": view.barcode,
        "food_group": group,
        "client_id": view.client_id,
        "archived": view.archived,
        "per_100g": nutrients(view.per_100g, places=None),
        "portions": [
            PortionOut.model_construct(
                id=p.id,
                amount=p.amount,
                description=p.description,
                gram_weight=p.gram_weight,
                label=p.label,
            )
            for p in view.portions
        ],
        "allergens": view.allergens,
        "diets": view.diets,
    }


def _kept(kind: str, view: FoodView, build: Callable[[], Any]) -> Any:
    """An output of a view, built once and kept on the view itself: a shared food's view
    lives as long as the library, a custom food's as long as search keeps it (by its row's
    values: an edit makes a different view, so a kept output is never stale)."""
    outputs = view.__dict__  # a frozen dataclass's own dict, as its cached properties use
    found = outputs.get(f"_output_{kind}")
    if found is None:
        found = outputs[f"_output_{kind}"] = build()
    return found


def _summary_model(view: FoodView, group_names: dict[str, str]) -> FoodSummary:
    """Built with ``model_construct`` from values this domain made (nothing to validate
    again: a page of 25 costs well under a millisecond)."""
    return FoodSummary.model_construct(**_summary_fields(view, group_names))


def food_summary(view: FoodView, group_names: dict[str, str]) -> FoodSummary:
    """The summary model, kept on the view."""
    return _kept(  # type: ignore[no-any-return]
        "summary", view, lambda: _summary_model(view, group_names)
    )


def food_summary_json(view: FoodView, group_names: dict[str, str]) -> bytes:
    """``food_summary`` as JSON, kept alike (a search page is mostly these). Only the
    bytes are kept: the model is several times their size, and kept search answers hold
    thousands of views."""
    return _kept(  # type: ignore[no-any-return]
        "summary_json",
        view,
        lambda: _summary_model(view, group_names).model_dump_json().encode(),
    )


def food(view: FoodView, group_names: dict[str, str]) -> FoodOut:
    def build() -> FoodOut:
        return FoodOut.model_construct(
            **_summary_fields(view, group_names),
            density_g_per_ml=view.density_g_per_ml,
            units=[
                UnitOut.model_construct(
                    unit=u.unit, label=u.label, grams=round(u.grams, 3), approximate=u.approximate
                )
                for u in view.units
            ],
            contains=sorted(view.traits),
            contains_stated=view.traits_stated,
        )

    return _kept("food", view, build)  # type: ignore[no-any-return]


def amount(view: FoodView, quantity: float, unit: str) -> FoodAmountOut:
    grams = view.grams(quantity, unit)
    return FoodAmountOut(
        food_id=view.id,
        name=view.display_name,
        quantity=quantity,
        unit=unit,
        unit_label=view.unit_label(unit),
        grams=round(grams, 2),
        nutrients=nutrients(view.amounts(grams)),
    )


def recipe_nutrition(view: RecipeView) -> RecipeNutritionOut:
    return RecipeNutritionOut(**_nutrition(view))


def _nutrition(view: RecipeView) -> dict[str, object]:
    return {
        "servings": view.servings,
        "ingredients": [
            IngredientOut(
                id=i.id,
                food_id=i.food.id if i.food else None,
                recipe_id=i.recipe.id if i.recipe else None,
                name=i.name,
                quantity=i.quantity,
                unit=i.unit,
                unit_label=i.unit_label,
                grams=None if i.grams is None else round(i.grams, 2),
                nutrients=nutrients(i.amounts),
                contains=sorted(i.traits),
                note=i.note,
            )
            for i in view.ingredients
        ],
        "weight_g": round(view.weight_g, 1),
        "total": nutrients(view.total),
        "per_serving": nutrients(view.per_serving),
        "contains": sorted(view.traits),
        "allergens": view.allergens,
        "diets": view.diets,
        "claimed_diets": list(view.claimed_diets),
        "diet_warnings": view.diet_warnings,
        "meals": list(view.meals),
    }


def _photo_urls(recipe_id: uuid.UUID, has_photo: bool) -> tuple[str | None, str | None]:
    if not has_photo:
        return None, None
    base = f"/api/v1/recipes/{recipe_id}/photo"
    return base, f"{base}?thumbnail=true"


def recipe(row: Recipe, view: RecipeView) -> RecipeOut:
    photo, thumbnail = _photo_urls(row.id, row.photo_key is not None)
    return RecipeOut(
        **_nutrition(view),
        photo_url=photo,
        thumbnail_url=thumbnail,
        id=row.id,
        name=row.name,
        description=row.description,
        prep_minutes=row.prep_minutes,
        cook_minutes=row.cook_minutes,
        steps=list(row.steps or ()),
        client_id=row.client_id,
        archived=row.archived_at is not None,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def recipe_summary(view: RecipeView) -> RecipeSummary:
    assert view.id is not None
    return RecipeSummary(
        id=view.id,
        name=view.name,
        thumbnail_url=_photo_urls(view.id, view.has_photo)[1],
        servings=view.servings,
        per_serving=nutrients(view.per_serving),
        diets=view.diets,
        allergens=view.allergens,
        meals=list(view.meals),
        client_id=view.client_id,
        archived=view.archived,
    )


def entry(row: DiaryEntry, unit_label: str) -> EntryOut:
    return EntryOut(
        id=row.id,
        eaten_on=row.eaten_on,
        meal=row.meal,
        kind=row.kind,
        food_id=row.food_id or row.custom_food_id,
        recipe_id=row.recipe_id,
        name=row.name,
        quantity=row.quantity,
        unit=row.unit,
        unit_label=unit_label,
        grams=None if row.grams is None else round(row.grams, 2),
        nutrients=nutrients(Amounts.of_row(row)),
        logged_by_id=row.logged_by_id,
        created_at=row.created_at,
    )


def day(view: Any, labels: dict[uuid.UUID, str]) -> DayOut:
    """A ``service.diary.Day``."""
    return DayOut(
        client_id=view.client.id,
        day=view.day,
        meals=[
            MealOut(
                name=m.name,
                entries=[entry(e, labels.get(e.id, e.unit)) for e in m.entries],
                totals=nutrients(m.totals),
            )
            for m in view.meals
        ],
        totals=nutrients(view.totals),
        target=TargetOut.model_validate(view.target) if view.target else None,
        remaining=view.remaining,
        adherence=view.adherence,
    )


def day_summary(summary: Any) -> DaySummaryOut:
    """A ``service.adherence.DaySummary``."""
    return DaySummaryOut(
        day=summary.day,
        entries=summary.total.entries,
        totals=nutrients(summary.total.totals),
        target_energy_kcal=summary.target.energy_kcal if summary.target else None,
        adherence=summary.adherence,
    )


def recent(item: Any, unit_label: str) -> RecentOut:
    """A ``service.diary.Recent``."""
    return RecentOut(
        food_id=item.food_id,
        recipe_id=item.recipe_id,
        name=item.name,
        times=item.times,
        quantity=item.last.quantity,
        unit=item.last.unit,
        unit_label=unit_label,
        meal=item.last.meal,
        last_eaten_on=item.last.eaten_on,
    )


def profile(row: NutritionProfile) -> ProfileOut:
    return ProfileOut(
        client_id=row.client_id,
        meal_names=list(row.meal_names),
        diets=list(row.diets),
        avoid=list(row.avoid),
    )


# --- meal plans ------------------------------------------------------------------------------


def meal_plan_summary(row: MealPlan) -> MealPlanSummary:
    return MealPlanSummary(
        id=row.id,
        kind=row.kind,
        name=row.name,
        description=row.description,
        diets=list(row.diets),
        day_count=row.day_count,
        owner_id=row.owner_id,
        organization_template=row.kind == TEMPLATE and row.owner_id is None,
        client_id=row.client_id,
        starts_on=row.starts_on,
        ends_on=row.ends_on,
        source_plan_id=row.source_plan_id,
        archived=row.archived_at is not None,
        updated_at=row.updated_at,
    )


def _plan_item(view: IngredientView) -> PlanItemOut:
    assert view.id is not None
    return PlanItemOut(
        id=view.id,
        food_id=view.food.id if view.food else None,
        recipe_id=view.recipe.id if view.recipe else None,
        name=view.name,
        quantity=view.quantity,
        unit=view.unit,
        unit_label=view.unit_label,
        grams=None if view.grams is None else round(view.grams, 2),
        nutrients=nutrients(view.amounts),
        note=view.note,
        contains=sorted(view.traits),
    )


def meal_plan(view: Any) -> MealPlanOut:
    """A ``service.plans.PlanView``."""
    row = view.plan
    return MealPlanOut(
        **meal_plan_summary(row).model_dump(),
        **{n: getattr(row, n) for n in ("energy_kcal", "protein_g", "fat_g", "carbohydrate_g")},
        target_source=view.target_source,
        days=[
            PlanDayOut(
                id=d.row.id,
                number=d.number,
                name=d.row.name,
                next_on=d.next_on,
                meals=[
                    PlanMealOut(
                        id=m.row.id,
                        name=m.row.name,
                        items=[_plan_item(i) for i in m.items],
                        totals=nutrients(m.totals),
                    )
                    for m in d.meals
                ],
                totals=nutrients(d.totals),
                versus=[
                    VersusOut(
                        nutrient=v.nutrient,
                        target=v.target,
                        planned=None if v.planned is None else round(v.planned, 1),
                        difference=v.difference,
                        percent=v.percent,
                        status=v.status,
                        at_least=v.at_least,
                    )
                    for v in d.versus
                ],
            )
            for d in view.days
        ],
        daily_average=nutrients(view.daily_average),
        warnings=view.warnings,
    )


def _draft_day(d: Draft, number: int, day: PlannedDay) -> DraftDayOut:
    meals = d.day_items(day)
    return DraftDayOut(
        name=f"Day {number}",
        meals=[
            DraftMealOut(
                name=meal,
                items=[
                    DraftItemOut(
                        kind=i.candidate.kind,
                        food_id=i.food.id if i.food else None,
                        recipe_id=i.recipe.id if i.recipe else None,
                        name=i.candidate.name,
                        quantity=i.quantity,
                        unit=i.candidate.unit,
                        unit_label=i.unit_label,
                        nutrients=nutrients(i.amounts),
                    )
                    for i in items
                ],
            )
            for meal, items in meals
        ],
        totals=nutrients(Amounts.total(i.amounts for _, items in meals for i in items)),
        deviation=day.deviation,
    )


def draft(d: Draft) -> DraftOut:
    """A generated plan: its ``plan`` (MealPlanIn, to save as is) and what each day
    comes to against the targets."""
    return DraftOut(
        plan=MealPlanIn.model_validate(d.plan_input()),
        client_id=d.client.id if d.client is not None else None,
        targets={n: d.targets.value(n) for n in MACROS},
        days=[_draft_day(d, n, day) for n, day in enumerate(d.plan.days, start=1)],
        pool_size=d.plan.pool_size,
        status=d.plan.status,
        seconds=round(d.plan.seconds, 3),
        notes=list(d.plan.notes),
    )
