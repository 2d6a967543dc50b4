"""Meal plans: write them (items resolved to grams, scopes checked per item), read them as
``PlanView`` (totals per item, meal and day against a target, diet warnings, all computed
from the foods and recipes), copy, archive, assign to a client, and log a plan day into
the client's diary.

Who may do what (the programs' template pattern on the nutrition permissions):

* Templates: trainers see their personal templates and the organization's; owners, admins,
  front desk and keys see all; clients none. Staff with ``foods:write`` write their own
  personal templates; the organization's templates (and others' personal ones) are written
  by owners, admins and keys with ``foods:write``.
* Assigned plans: read by whoever reads the client's nutrition (the client included),
  written and assigned by staff with ``nutrition:write`` for the clients they see; logged
  by the client or their staff.

Items must be readable by whoever reads the plan: templates use shared and organization
foods and recipes, an assigned plan also that client's own.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from spotter.clients import service as clients
from spotter.clients.models import Client
from spotter.core.db import utcnow
from spotter.core.errors import Forbidden, field_error
from spotter.core.pagination import PageParams, paginate
from spotter.core.permissions import Role
from spotter.nutrition import traits as rules
from spotter.nutrition.errors import (
    MealPlanArchived,
    MealPlanItemNotFound,
    MealPlanMealNotFound,
    MealPlanNotFound,
    MealPlanReadOnly,
    NotAssigned,
)
from spotter.nutrition.food import FoodView
from spotter.nutrition.models import DiaryEntry, NutritionProfile, Recipe
from spotter.nutrition.models.plans import (
    ASSIGNED,
    TEMPLATE,
    MealPlan,
    MealPlanDay,
    MealPlanItem,
    MealPlanMeal,
)
from spotter.nutrition.nutrients import Amounts
from spotter.nutrition.recipe import IngredientView
from spotter.nutrition.schemas.plans import (
    MAX_ITEMS,
    AssignIn,
    CopyPlanIn,
    LogPlanIn,
    MealPlanCreate,
    MealPlanIn,
    MoveItemIn,
    PlanDayIn,
    PlanItemIn,
)
from spotter.nutrition.service import access, diary
from spotter.nutrition.service.days import client_today
from spotter.nutrition.service.foods import foods_by_ids
from spotter.nutrition.service.recipes import recipe_views, visible_recipes
from spotter.nutrition.service.targets import in_force, targets_between
from spotter.nutrition.units import SERVING

if TYPE_CHECKING:
    from spotter.identity.dependencies import Principal

MACROS = ("energy_kcal", "protein_g", "fat_g", "carbohydrate_g")
ON_TARGET = 0.10  # within 10% of the target is "on target"
MAX_CLIENT_PLANS = 100


# --- row rules -------------------------------------------------------------------------------


def _template_rule(principal: Principal) -> sa.ColumnElement[bool]:
    if principal.role == Role.CLIENT:
        return sa.false()
    rule = MealPlan.kind == TEMPLATE
    if principal.role == Role.TRAINER:
        rule = sa.and_(
            rule, sa.or_(MealPlan.owner_id == principal.user_id, MealPlan.owner_id.is_(None))
        )
    return rule


def _assigned_rule(principal: Principal) -> sa.ColumnElement[bool]:
    if not access.reads_client_data(principal):
        return sa.false()
    seen = clients.visible_clients(principal).with_only_columns(Client.id)
    return sa.and_(MealPlan.kind == ASSIGNED, MealPlan.client_id.in_(seen))


def visible_plans(principal: Principal) -> sa.Select[Any]:
    """The one row rule for meal plans (templates and assigned plans)."""
    return sa.select(MealPlan).where(sa.or_(_template_rule(principal), _assigned_rule(principal)))


def manages_library(principal: Principal) -> bool:
    """Owners, admins (and keys) with ``foods:write`` keep the organization's templates."""
    return principal.can("foods:write") and principal.role != Role.TRAINER


def may_edit(principal: Principal, plan: MealPlan) -> bool:
    if plan.kind == ASSIGNED:
        return principal.can("nutrition:write")
    if not principal.can("foods:write"):
        return False
    return manages_library(principal) or (
        plan.owner_id is not None and plan.owner_id == principal.user_id
    )


def _check_editable(principal: Principal, plan: MealPlan) -> None:
    if not may_edit(principal, plan):
        if plan.kind == ASSIGNED:
            raise MealPlanReadOnly("Only staff with 'nutrition:write' change a client's plan.")
        raise MealPlanReadOnly(
            "Only owners and admins change the organization's templates; trainers change their own."
        )
    if plan.archived_at is not None:
        raise MealPlanArchived()


def _full_tree() -> Any:
    """Days, meals and items: one query per level, whatever the size."""
    return (
        selectinload(MealPlan.days).selectinload(MealPlanDay.meals).selectinload(MealPlanMeal.items)
    )


async def _plan(
    session: AsyncSession, principal: Principal, plan_id: uuid.UUID, *, full: bool = True
) -> MealPlan:
    stmt = visible_plans(principal).where(MealPlan.id == plan_id)
    if full:
        stmt = stmt.options(_full_tree())
    plan = await session.scalar(stmt)
    if plan is None:
        raise MealPlanNotFound()
    return plan


# --- views -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class MealView:
    row: MealPlanMeal
    items: list[IngredientView]  # a plan item reads like a recipe's line

    @property
    def totals(self) -> Amounts:
        return Amounts.total(i.amounts for i in self.items)


@dataclass(frozen=True)
class Versus:
    nutrient: str
    target: float
    planned: float | None
    at_least: bool

    @property
    def difference(self) -> float | None:
        return None if self.planned is None else round(self.planned - self.target, 1)

    @property
    def percent(self) -> float | None:
        if self.planned is None or self.target <= 0:
            return None
        return round(self.planned / self.target * 100, 1)

    @property
    def status(self) -> str | None:
        if self.planned is None or self.target <= 0:
            return None
        share = self.planned / self.target
        if share > 1 + ON_TARGET:
            return "over"
        # A lower bound under the target may still reach it: not "under" for sure.
        if share < 1 - ON_TARGET:
            return "unknown" if self.at_least else "under"
        return "on"


@dataclass(frozen=True)
class DayView:
    row: MealPlanDay
    meals: list[MealView]
    next_on: date | None
    target: dict[str, float] | None

    @property
    def number(self) -> int:
        return self.row.position + 1

    @property
    def totals(self) -> Amounts:
        return Amounts.total(m.totals for m in self.meals)

    @property
    def versus(self) -> list[Versus]:
        if not self.target:
            return []
        totals = self.totals
        return [
            Versus(n, t, totals.value(n), totals.part(n).partial) for n, t in self.target.items()
        ]


@dataclass(frozen=True)
class PlanView:
    plan: MealPlan
    days: list[DayView]
    warnings: list[str]
    target_source: str | None
    client: Client | None = None

    @property
    def daily_average(self) -> Amounts:
        if not self.days:
            return Amounts()
        return Amounts.total(d.totals for d in self.days).scaled(1 / len(self.days))

    def locate(self, item_id: uuid.UUID) -> tuple[DayView, MealView, IngredientView] | None:
        """Where an item is (its day, meal and line), or None."""
        for day in self.days:
            for meal in day.meals:
                for line in meal.items:
                    if line.id == item_id:
                        return day, meal, line
        return None


def _items_of(plans: Iterable[MealPlan]) -> list[MealPlanItem]:
    return [i for p in plans for d in p.days for m in d.meals for i in m.items]


def _plan_target(plan: MealPlan) -> dict[str, float] | None:
    found = {n: v for n in MACROS if (v := getattr(plan, n)) is not None}
    return found or None


def _warnings(plan: MealPlan, days: list[DayView], profile: NutritionProfile | None) -> list[str]:
    """Sentences naming the items that break the plan's claimed diets or, for an assigned
    plan, the client's diets and allergens to avoid. The plan is saved either way."""
    labelled: dict[str, Iterable[str]] = {}
    for d in days:
        for m in d.meals:
            for i in m.items:
                labelled[f"Day {d.number} {m.row.name} — {i.name}"] = i.traits

    def check(diet: str, prefix: str) -> str | None:
        if diet == rules.Diet.KETO:
            bad = [
                f"Day {d.number} ({share:.0%} net carbohydrate)"
                for d in days
                if (share := rules.net_carb_share(d.totals)) is not None
                and share > rules.KETO_MAX_NET_CARB_SHARE
            ]
            return f"{prefix}, but over 10% net carbohydrate: {'; '.join(bad)}." if bad else None
        bad = rules.conflicts(diet, labelled)
        return f"{prefix}, but: {'; '.join(bad)}." if bad else None

    out = []
    for diet in plan.diets:
        if (w := check(diet, f"Marked {rules.DIET_LABELS[diet]}")) is not None:
            out.append(w)
    if profile is not None:
        for diet in profile.diets:
            if (w := check(diet, f"{rules.DIET_LABELS[diet]} client")) is not None:
                out.append(w)
        for trait in profile.avoid:
            label = rules.TRAIT_LABELS[trait]
            bad = [name for name, found in labelled.items() if trait in found]
            if bad:
                out.append(f"The client avoids {label.lower()}, but: {'; '.join(bad)}.")
    return out


async def plan_views(
    session: AsyncSession, *, principal: Principal, plans: Sequence[MealPlan]
) -> dict[uuid.UUID, PlanView]:
    """Fully loaded plans as views, in a fixed number of queries whatever their size: the
    custom foods, the recipe trees, and for assigned plans the clients, profiles and
    targets."""
    items = _items_of(plans)
    foods = await foods_by_ids(
        session, principal=principal, ids={f for i in items if (f := i.food_id or i.custom_food_id)}
    )
    recipes = await recipe_views(
        session, principal=principal, ids={i.recipe_id for i in items if i.recipe_id}
    )
    client_ids = list({p.client_id for p in plans if p.client_id is not None})
    by_client: dict[uuid.UUID, Client] = {}
    profiles: dict[uuid.UUID, NutritionProfile] = {}
    targets: dict[uuid.UUID, list[Any]] = {}
    if client_ids:
        by_client = {
            c.id: c
            for c in (await session.scalars(sa.select(Client).where(Client.id.in_(client_ids))))
        }
        profiles = {
            p.client_id: p
            for p in await session.scalars(
                sa.select(NutritionProfile).where(NutritionProfile.client_id.in_(client_ids))
            )
        }
    todays = {c.id: client_today(c, principal.organization.timezone) for c in by_client.values()}
    dates: dict[tuple[uuid.UUID, int], date] = {}
    for p in plans:
        if p.client_id in todays:
            for d in p.days:
                on = p.next_on(d.position + 1, todays[p.client_id])
                if on is not None:
                    dates[(p.id, d.position)] = on
    if dates:
        targets = await targets_between(
            session, client_ids=client_ids, first=min(dates.values()), last=max(dates.values())
        )
    out = {}
    for p in plans:
        own = _plan_target(p)
        days = []
        for d in p.days:
            on = dates.get((p.id, d.position))
            target = own
            if p.client_id is not None and on is not None:
                found = in_force(targets.get(p.client_id, []), on)
                target = {n: getattr(found, n) for n in MACROS} if found else None
            meals = [
                MealView(
                    m,
                    [
                        IngredientView(
                            id=i.id,
                            quantity=i.quantity,
                            unit=i.unit,
                            grams=i.grams,
                            food=foods.get(f) if (f := i.food_id or i.custom_food_id) else None,
                            recipe=recipes.get(i.recipe_id) if i.recipe_id else None,
                            note=i.note,
                        )
                        for i in m.items
                    ],
                )
                for m in d.meals
            ]
            days.append(DayView(d, meals, on, target))
        source = "client" if p.kind == ASSIGNED else ("plan" if own else None)
        if source == "client" and not any(d.target for d in days):
            source = None
        profile = profiles.get(p.client_id) if p.client_id else None
        out[p.id] = PlanView(
            p,
            days,
            _warnings(p, days, profile),
            source,
            by_client.get(p.client_id) if p.client_id else None,
        )
    return out


async def _view(session: AsyncSession, principal: Principal, plan: MealPlan) -> PlanView:
    return (await plan_views(session, principal=principal, plans=[plan]))[plan.id]


async def get_plan(session: AsyncSession, *, principal: Principal, plan_id: uuid.UUID) -> PlanView:
    return await _view(session, principal, await _plan(session, principal, plan_id))


async def list_plans(
    session: AsyncSession,
    *,
    principal: Principal,
    params: PageParams,
    kind: str | None = None,
    client_id: uuid.UUID | None = None,
    q: str | None = None,
    include_archived: bool = False,
) -> tuple[list[MealPlan], str | None]:
    """Templates and assigned plans the caller sees, by name (``kind``: only templates or
    only assigned plans; ``client_id``: that client's plans)."""
    stmt = visible_plans(principal)
    if kind is not None:
        stmt = stmt.where(MealPlan.kind == kind)
    if client_id is not None:
        stmt = stmt.where(MealPlan.client_id == client_id)
    if not include_archived:
        stmt = stmt.where(MealPlan.archived_at.is_(None))
    if q and q.strip():
        escaped = q.strip().lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        stmt = stmt.where(sa.func.lower(MealPlan.name).like(f"%{escaped}%", escape="\\"))
    return await paginate(session, stmt, keys=[MealPlan.name, MealPlan.id], params=params)


async def client_plans(
    session: AsyncSession, *, principal: Principal, client: Client, include_archived: bool = False
) -> list[MealPlan]:
    """A client's assigned plans, the latest start first."""
    stmt = visible_plans(principal).where(
        MealPlan.kind == ASSIGNED, MealPlan.client_id == client.id
    )
    if not include_archived:
        stmt = stmt.where(MealPlan.archived_at.is_(None))
    stmt = stmt.order_by(MealPlan.starts_on.desc(), MealPlan.id.desc()).limit(MAX_CLIENT_PLANS)
    return list((await session.scalars(stmt)).all())


async def plan_in_force(
    session: AsyncSession, *, principal: Principal, client: Client, on: date
) -> MealPlan | None:
    """The client's live assigned plan covering ``on`` (the latest started), fully loaded."""
    return await session.scalar(
        visible_plans(principal)
        .where(
            MealPlan.kind == ASSIGNED,
            MealPlan.client_id == client.id,
            MealPlan.archived_at.is_(None),
            MealPlan.starts_on <= on,
            sa.or_(MealPlan.ends_on.is_(None), MealPlan.ends_on >= on),
        )
        .order_by(MealPlan.starts_on.desc(), MealPlan.id.desc())
        .limit(1)
        .options(_full_tree())
    )


# --- writing ---------------------------------------------------------------------------------


def _where(days: Sequence[PlanDayIn], d: int, m: int, i: int) -> str:
    return f"Day {d + 1}, {days[d].meals[m].name}, item {i + 1}"


async def _resolve(
    session: AsyncSession,
    principal: Principal,
    days: Sequence[PlanDayIn],
    client_id: uuid.UUID | None,
) -> list[list[list[MealPlanItem]]]:
    """The item rows of ``days`` (per day, per meal): grams resolved, every food and recipe
    checked to be one the plan's readers may see (a 422 naming the item otherwise)."""
    given = [
        (d, m, i, item)
        for d, day in enumerate(days)
        for m, meal in enumerate(day.meals)
        for i, item in enumerate(meal.items)
    ]
    foods = await foods_by_ids(
        session, principal=principal, ids={x.food_id for *_, x in given if x.food_id}
    )
    recipe_ids = {x.recipe_id for *_, x in given if x.recipe_id}
    recipes: dict[uuid.UUID, Recipe] = {}
    if recipe_ids:
        recipes = {
            r.id: r
            for r in await session.scalars(
                visible_recipes(principal).where(Recipe.id.in_(recipe_ids))
            )
        }
    out: list[list[list[MealPlanItem]]] = [[[] for _ in day.meals] for day in days]
    for d, m, i, item in given:
        at, where = f"days.{d}.meals.{m}.items.{i}", _where(days, d, m, i)
        out[d][m].append(_item_row(item, at, where, foods, recipes, client_id, position=i))
    return out


def _item_row(
    item: PlanItemIn,
    at: str,
    where: str,
    foods: dict[uuid.UUID, FoodView],
    recipes: dict[uuid.UUID, Recipe],
    client_id: uuid.UUID | None,
    *,
    position: int,
) -> MealPlanItem:
    assert item.quantity is not None
    row = MealPlanItem(position=position, quantity=item.quantity, note=item.note or None)
    if item.food_id is not None:
        food = foods.get(item.food_id)
        if food is None:
            raise field_error(f"{at}.food_id", f"{where}: no such food")
        if food.client_id is not None and food.client_id != client_id:
            raise field_error(
                f"{at}.food_id", f"{where}: {food.name} is one client's own food; not for this plan"
            )
        assert item.unit is not None
        row.unit = item.unit
        row.grams = food.grams(item.quantity, item.unit, field=f"{at}.unit")
        row.food_id = food.id if food.source == "usda" else None
        row.custom_food_id = None if food.source == "usda" else food.id
    else:
        assert item.recipe_id is not None
        recipe = recipes.get(item.recipe_id)
        if recipe is None:
            raise field_error(f"{at}.recipe_id", f"{where}: no such recipe")
        if recipe.client_id is not None and recipe.client_id != client_id:
            raise field_error(
                f"{at}.recipe_id",
                f"{where}: {recipe.name} is one client's own recipe; not for this plan",
            )
        row.unit, row.grams, row.recipe_id = SERVING, None, recipe.id
    return row


def _copy_item(target: MealPlanItem, source: MealPlanItem) -> None:
    for name in ("food_id", "custom_food_id", "recipe_id", "quantity", "unit", "grams", "note"):
        setattr(target, name, getattr(source, name))


def _replace_days(
    plan: MealPlan, days: Sequence[PlanDayIn], items: list[list[list[MealPlanItem]]]
) -> None:
    """Make the plan's days those given, keeping the rows at the same positions (so the
    diary entries logged from an item stay linked to it, and day positions stay unique)."""
    plan.days = plan.days[: len(days)]
    for d, given in enumerate(days):
        if d < len(plan.days):
            day = plan.days[d]
        else:
            day = MealPlanDay(position=d, meals=[])
            plan.days.append(day)
        day.name = given.name or None
        day.meals = day.meals[: len(given.meals)]
        for m, meal_in in enumerate(given.meals):
            if m < len(day.meals):
                meal = day.meals[m]
            else:
                meal = MealPlanMeal(position=m, items=[])
                day.meals.append(meal)
            meal.name = meal_in.name
            new_items = items[d][m]
            meal.items = meal.items[: len(new_items)]
            for i, new in enumerate(new_items):
                if i < len(meal.items):
                    _copy_item(meal.items[i], new)
                else:
                    meal.items.append(new)
    plan.day_count = len(days)


def _apply(plan: MealPlan, data: MealPlanIn) -> None:
    plan.name = data.name
    plan.description = data.description or None
    plan.diets = list(dict.fromkeys(d.value for d in data.diets))
    for name in MACROS:
        setattr(plan, name, getattr(data, name))
    plan.updated_at = utcnow()


def _owner_for(principal: Principal, organization_template: bool) -> uuid.UUID | None:
    if not principal.can("foods:write"):
        raise Forbidden("You need the 'foods:write' permission for meal plan templates.")
    if organization_template:
        if not manages_library(principal):
            raise MealPlanReadOnly("Only owners and admins add the organization's templates.")
        return None
    if principal.user_id is None:
        raise field_error(
            "organization_template", "an API key only keeps organization templates (true)"
        )
    return principal.user_id


async def create_plan(
    session: AsyncSession, *, principal: Principal, data: MealPlanCreate
) -> PlanView:
    """A template (personal, or the organization's with ``organization_template``)."""
    owner_id = _owner_for(principal, data.organization_template)
    items = await _resolve(session, principal, data.days, client_id=None)
    plan = MealPlan(kind=TEMPLATE, owner_id=owner_id, created_by_id=principal.user_id, days=[])
    _apply(plan, data)
    _replace_days(plan, data.days, items)
    session.add(plan)
    await session.flush()
    return await get_plan(session, principal=principal, plan_id=plan.id)


async def update_plan(
    session: AsyncSession, *, principal: Principal, plan_id: uuid.UUID, data: MealPlanIn
) -> PlanView:
    """Replace a plan's fields and days wholesale."""
    plan = await _plan(session, principal, plan_id)
    _check_editable(principal, plan)
    items = await _resolve(session, principal, data.days, client_id=plan.client_id)
    _apply(plan, data)
    _replace_days(plan, data.days, items)
    await session.flush()
    return await _view(session, principal, plan)


def meal_label(day: MealPlanDay, meal: MealPlanMeal) -> str:
    """ "Day 2 · Lunch" (with the day's name when it has one)."""
    name = f" ({day.name})" if day.name else ""
    return f"Day {day.position + 1}{name} · {meal.name}"


async def _meal_elsewhere(session: AsyncSession, principal: Principal, meal_id: uuid.UUID) -> bool:
    """Is ``meal_id`` a meal of another plan the caller sees? (A meal nobody here sees,
    another organization's included, is simply not found.)"""
    seen = visible_plans(principal).with_only_columns(MealPlan.id)
    found = await session.scalar(
        sa.select(MealPlanMeal.id)
        .join(MealPlanDay, MealPlanMeal.day_id == MealPlanDay.id)
        .where(MealPlanMeal.id == meal_id, MealPlanDay.plan_id.in_(seen))
    )
    return found is not None


async def move_item(
    session: AsyncSession,
    *,
    principal: Principal,
    plan_id: uuid.UUID,
    item_id: uuid.UUID,
    data: MoveItemIn,
) -> PlanView:
    """Move one item to another meal of the same plan (any of its days), or within its
    meal, at ``data.position`` (the end when not given). The row itself moves, so its id
    and the diary entries logged from it stay; both meals are renumbered 0..n-1."""
    plan = await editable_plan(session, principal=principal, plan_id=plan_id)
    meals = {m.id: (d, m) for d in plan.days for m in d.meals}
    found = next(((m, i) for _, m in meals.values() for i in m.items if i.id == item_id), None)
    if found is None:
        raise MealPlanItemNotFound()
    source, item = found
    if data.meal_id not in meals:
        if await _meal_elsewhere(session, principal, data.meal_id):
            raise field_error(
                "meal_id", "that meal is in another meal plan: items move within one plan"
            )
        raise MealPlanMealNotFound("No such meal in this meal plan")
    day, target = meals[data.meal_id]
    where = meal_label(day, target)
    if target is not source and len(target.items) >= MAX_ITEMS:
        raise field_error(
            "meal_id", f"{where} already has {MAX_ITEMS} items, the most a meal holds"
        )
    others = [i for i in target.items if i is not item]
    position = len(others) if data.position is None else data.position
    if position > len(others):
        raise field_error(
            "position",
            f"{where} has {len(others)} other items: a position from 0 to {len(others)}",
        )
    if target is not source:
        # Moving between collections of the same relationship: the row is re-parented,
        # not deleted as an orphan.
        source.items.remove(item)
        for n, row in enumerate(source.items):
            row.position = n
    target.items = [*others[:position], item, *others[position:]]
    for n, row in enumerate(target.items):
        row.position = n
    plan.updated_at = utcnow()
    await session.flush()
    return await _view(session, principal, plan)


async def archive_plan(session: AsyncSession, *, principal: Principal, plan_id: uuid.UUID) -> None:
    """Archived, not deleted: what was logged from it keeps its link."""
    plan = await _plan(session, principal, plan_id, full=False)
    if not may_edit(principal, plan):
        _check_editable(principal, plan)
    if plan.archived_at is None:
        plan.archived_at = utcnow()
        await session.flush()


def clone(source: MealPlan, **fields: Any) -> MealPlan:
    """A deep, transient copy of a fully loaded plan, with ``fields`` set on it."""
    plan = MealPlan(
        name=source.name,
        description=source.description,
        diets=list(source.diets),
        day_count=source.day_count,
        source_plan_id=source.id,
        **{n: getattr(source, n) for n in MACROS},
    )
    for name, value in fields.items():
        setattr(plan, name, value)
    plan.days = []
    for d in source.days:
        day = MealPlanDay(position=d.position, name=d.name, meals=[])
        for m in d.meals:
            meal = MealPlanMeal(position=m.position, name=m.name, items=[])
            for i in m.items:
                item = MealPlanItem(position=i.position)
                _copy_item(item, i)
                meal.items.append(item)
            day.meals.append(meal)
        plan.days.append(day)
    return plan


async def copy_plan(
    session: AsyncSession, *, principal: Principal, plan_id: uuid.UUID, data: CopyPlanIn
) -> PlanView:
    """A new template from a template (or from a client's plan: the client's own foods and
    recipes cannot come along)."""
    source = await _plan(session, principal, plan_id)
    owner_id = _owner_for(principal, data.organization_template)
    if source.client_id is not None and await _uses_client_items(session, principal, source):
        raise field_error(
            "plan_id", "this plan uses the client's own foods or recipes; it cannot be a template"
        )
    plan = clone(
        source,
        kind=TEMPLATE,
        name=data.name or f"{source.name} (copy)",
        owner_id=owner_id,
        created_by_id=principal.user_id,
    )
    session.add(plan)
    await session.flush()
    return await get_plan(session, principal=principal, plan_id=plan.id)


async def _uses_client_items(session: AsyncSession, principal: Principal, plan: MealPlan) -> bool:
    items = _items_of([plan])
    custom = {i.custom_food_id for i in items if i.custom_food_id}
    foods = await foods_by_ids(session, principal=principal, ids=custom)
    if any(f not in foods or foods[f].client_id is not None for f in custom):
        return True
    recipe_ids = {i.recipe_id for i in items if i.recipe_id}
    if not recipe_ids:
        return False
    owned = await session.scalar(
        sa.select(sa.func.count())
        .select_from(Recipe)
        .where(Recipe.id.in_(recipe_ids), Recipe.client_id.is_not(None))
    )
    return bool(owned)


async def assign_plan(
    session: AsyncSession, *, principal: Principal, plan_id: uuid.UUID, data: AssignIn
) -> PlanView:
    """A copy of a template for a client from ``starts_on``: later template edits do not
    rewrite it. The client's earlier plan ends the day before; plans of theirs that would
    have started on or after that day are archived (replaced)."""
    if not principal.can("nutrition:write"):
        raise Forbidden("You need the 'nutrition:write' permission to assign meal plans.")
    source = await _plan(session, principal, plan_id)
    if source.kind != TEMPLATE:
        raise field_error("plan_id", "assign a template (copy a client's plan to make one)")
    if source.archived_at is not None:
        raise MealPlanArchived()
    client = await clients.get_client(session, principal=principal, client_id=data.client_id)
    earlier = await session.scalars(
        sa.select(MealPlan).where(
            MealPlan.kind == ASSIGNED,
            MealPlan.client_id == client.id,
            MealPlan.archived_at.is_(None),
            sa.or_(MealPlan.ends_on.is_(None), MealPlan.ends_on >= data.starts_on),
        )
    )
    day_before = data.starts_on - timedelta(days=1)
    for old in earlier:
        if old.starts_on is not None and old.starts_on < data.starts_on:
            old.ends_on = day_before
        else:
            old.archived_at = utcnow()
    plan = clone(
        source,
        kind=ASSIGNED,
        client_id=client.id,
        starts_on=data.starts_on,
        ends_on=data.ends_on,
        created_by_id=principal.user_id,
        # A client's plan is measured against the client's targets.
        **dict.fromkeys(MACROS),
    )
    session.add(plan)
    await session.flush()
    return await get_plan(session, principal=principal, plan_id=plan.id)


# --- logging into the diary ------------------------------------------------------------------


def _meal_name(profile: NutritionProfile, name: str) -> str:
    """The client's own spelling of a plan meal; the plan's name when they have no such."""
    return next((n for n in profile.meal_names if n.lower() == name.lower()), name)


async def log_day(
    session: AsyncSession, *, principal: Principal, plan_id: uuid.UUID, data: LogPlanIn
) -> diary.Day:
    """Diary entries for the items of ``eaten_on``'s plan day (or of some of its meals),
    with the same nutrient snapshot as logging them by hand. Items already logged that
    day are skipped, so logging twice adds nothing. Answers the diary day."""
    if not access.writes_client_data(principal):
        raise Forbidden("You need the 'nutrition:write' permission to log a client's diary.")
    plan = await _plan(session, principal, plan_id)
    if plan.kind != ASSIGNED or plan.client_id is None:
        raise NotAssigned()
    client = await clients.get_client(session, principal=principal, client_id=plan.client_id)
    if plan.archived_at is not None:
        raise MealPlanArchived()
    number = plan.day_number(data.eaten_on)
    if number is None:
        until = f" to {plan.ends_on}" if plan.ends_on else ""
        raise field_error(
            "eaten_on",
            f"the plan does not cover {data.eaten_on}: it runs from {plan.starts_on}{until}",
        )
    diary.check_diary_day(client, principal, data.eaten_on)
    day = plan.days[number - 1]
    meals = list(day.meals)
    if data.meals is not None:
        wanted = {n.lower() for n in data.meals}
        have = {m.name.lower() for m in meals}
        unknown = [n for n in data.meals if n.lower() not in have]
        if unknown:
            raise field_error(
                "meals",
                f"Day {number} has no meal {', '.join(unknown)}: "
                f"{', '.join(m.name for m in meals) or 'it has no meals'}",
            )
        meals = [m for m in meals if m.name.lower() in wanted]
    items = [(m, i) for m in meals for i in m.items]
    done = set(
        await session.scalars(
            sa.select(DiaryEntry.meal_plan_item_id).where(
                DiaryEntry.client_id == client.id,
                DiaryEntry.eaten_on == data.eaten_on,
                DiaryEntry.meal_plan_item_id.in_([i.id for _, i in items]),
            )
        )
    )
    todo = [(m, i) for m, i in items if i.id not in done]
    if todo:
        profile = await diary.get_profile(session, client=client)
        foods = await foods_by_ids(
            session,
            principal=principal,
            ids={f for _, i in todo if (f := i.food_id or i.custom_food_id)},
        )
        recipes = await recipe_views(
            session, principal=principal, ids={i.recipe_id for _, i in todo if i.recipe_id}
        )
        for meal, item in todo:
            entry = DiaryEntry(
                client_id=client.id,
                eaten_on=data.eaten_on,
                meal=_meal_name(profile, meal.name),
                logged_by_id=principal.user_id,
                meal_plan_item_id=item.id,
            )
            food_id = item.food_id or item.custom_food_id
            if food_id is not None and (food := foods.get(food_id)) is not None:
                diary.set_food_entry(entry, food, item.quantity, item.unit)
            elif item.recipe_id is not None and (recipe := recipes.get(item.recipe_id)):
                diary.set_recipe_entry(entry, recipe, item.quantity)
            else:
                raise field_error("meals", f"Day {number}, {meal.name}: an item is gone")
            session.add(entry)
        await session.flush()
    return await diary.read_day(session, principal=principal, client=client, day=data.eaten_on)


def plan_input(plan: MealPlan) -> MealPlanIn:
    """A fully loaded plan as the input that would write it (the builder edits this and
    saves it whole)."""
    return MealPlanIn.model_validate(
        {
            "name": plan.name,
            "description": plan.description,
            "diets": list(plan.diets),
            **{n: getattr(plan, n) for n in MACROS},
            "days": [
                {
                    "name": d.name,
                    "meals": [
                        {
                            "name": m.name,
                            "items": [
                                {
                                    "food_id": i.food_id or i.custom_food_id,
                                    "recipe_id": i.recipe_id,
                                    "quantity": i.quantity,
                                    "unit": i.unit,
                                    "note": i.note,
                                }
                                for i in m.items
                            ],
                        }
                        for m in d.meals
                    ],
                }
                for d in plan.days
            ],
        }
    )


async def editable_plan(
    session: AsyncSession, *, principal: Principal, plan_id: uuid.UUID
) -> MealPlan:
    """A live plan the caller may change, fully loaded (404, 403 or 409 otherwise)."""
    plan = await _plan(session, principal, plan_id)
    _check_editable(principal, plan)
    return plan


async def client_names(
    session: AsyncSession, *, principal: Principal, ids: Iterable[uuid.UUID]
) -> dict[uuid.UUID | None, str]:
    """The names of the listed plans' clients (those the caller sees), in one query."""
    wanted = set(ids)
    if not wanted:
        return {}
    rows = await session.execute(
        clients.visible_clients(principal)
        .with_only_columns(Client.id, Client.full_name)
        .where(Client.id.in_(wanted))
    )
    return {client_id: name for client_id, name in rows.all()}


async def visible_plan(
    session: AsyncSession, *, principal: Principal, plan_id: uuid.UUID
) -> MealPlan:
    """A plan the caller may see (its row, without days; a 404 otherwise)."""
    return await _plan(session, principal, plan_id, full=False)
