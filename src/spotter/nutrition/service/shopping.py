"""Shopping lists: generated from a client's assigned meal plans over a date range, ticked
off item by item (who and when kept), manual items, pantry staples listed apart.

Generating reads everything in a constant number of statements whatever the range: the
plans covering it, all their items in one join, the foods (``foods_by_ids``) and recipes
(``recipe_views``, a level of nesting at a time), the pantry and the list being
regenerated. Each date uses the plan whose ``day_number`` is not None (the latest start
when two overlap), so a 4-week list of a 7-day plan counts each plan day four times and
reads it once.

Access: the client for themself, and staff with ``nutrition:read``/``nutrition:write`` for
the clients they see (the nutrition row rule, ``access``).
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from spotter.clients.models import Client
from spotter.core.db import utcnow
from spotter.core.errors import Forbidden, InvalidInput, NotFound, field_error
from spotter.nutrition import shopping
from spotter.nutrition.food import USDA, FoodView
from spotter.nutrition.models import (
    MealPlan,
    MealPlanDay,
    MealPlanItem,
    MealPlanMeal,
    PantryStaple,
    ShoppingList,
    ShoppingListItem,
)
from spotter.nutrition.models.foods import NAME_MAX
from spotter.nutrition.models.plans import ASSIGNED
from spotter.nutrition.models.shopping import LABEL_MAX
from spotter.nutrition.recipe import RecipeView
from spotter.nutrition.schemas.shopping import MAX_PANTRY, ManualItemIn, ShoppingListIn
from spotter.nutrition.service import access
from spotter.nutrition.service.foods import foods_by_ids
from spotter.nutrition.service.recipes import recipe_views

if TYPE_CHECKING:
    from spotter.identity.dependencies import Principal

MAX_DAYS = 56  # 8 weeks
MAX_LISTS = 50


class ShoppingListNotFound(NotFound):
    code, title = "shopping_list_not_found", "No such shopping list"


class ShoppingItemNotFound(NotFound):
    code, title = "shopping_item_not_found", "No such item on this shopping list"


@dataclass(frozen=True)
class ListView:
    """A list as shown: the items to buy by aisle (unticked first, in list order), the
    pantry staples apart."""

    row: ShoppingList
    items: list[ShoppingListItem]
    at_home_ids: frozenset[uuid.UUID]

    def at_home(self, item: ShoppingListItem) -> bool:
        return item.food_ref is not None and item.food_ref in self.at_home_ids

    @property
    def to_buy(self) -> list[ShoppingListItem]:
        return [i for i in self.items if not self.at_home(i)]

    @property
    def home(self) -> list[ShoppingListItem]:
        return [i for i in self.items if self.at_home(i)]

    @property
    def ticked(self) -> int:
        return sum(1 for i in self.to_buy if i.ticked_at is not None)

    @property
    def aisles(self) -> list[tuple[str, str, list[ShoppingListItem]]]:
        by_aisle: dict[str, list[ShoppingListItem]] = {}
        for item in self.to_buy:
            by_aisle.setdefault(item.aisle, []).append(item)
        return [
            (
                slug,
                name,
                sorted(by_aisle[slug], key=lambda i: (i.ticked_at is not None, i.position)),
            )
            for slug, name in shopping.AISLES
            if slug in by_aisle
        ]


# --- reading -----------------------------------------------------------------------------


def _visible_lists(principal: Principal) -> sa.Select[Any]:
    return access.of_visible_clients(principal, ShoppingList)


async def _list(
    session: AsyncSession, principal: Principal, list_id: uuid.UUID, *, write: bool = False
) -> ShoppingList:
    if write and not access.writes_client_data(principal):
        raise Forbidden("You need the 'nutrition:write' permission to change shopping lists.")
    if not access.reads_client_data(principal):
        raise Forbidden("You need the 'nutrition:read' permission for shopping lists.")
    row = await session.scalar(
        _visible_lists(principal)
        .options(selectinload(ShoppingList.items))
        .where(ShoppingList.id == list_id)
    )
    if row is None:
        raise ShoppingListNotFound()
    return row


async def _pantry_ids(
    session: AsyncSession, client_ids: Iterable[uuid.UUID]
) -> dict[uuid.UUID, set[uuid.UUID]]:
    rows = await session.execute(
        sa.select(PantryStaple.client_id, PantryStaple.food_id, PantryStaple.custom_food_id).where(
            PantryStaple.client_id.in_(set(client_ids))
        )
    )
    out: dict[uuid.UUID, set[uuid.UUID]] = {}
    for client_id, food_id, custom_food_id in rows:
        if ref := food_id or custom_food_id:
            out.setdefault(client_id, set()).add(ref)
    return out


async def _view(session: AsyncSession, row: ShoppingList) -> ListView:
    pantry = await _pantry_ids(session, [row.client_id])
    return ListView(row, list(row.items), frozenset(pantry.get(row.client_id, ())))


async def get_list(session: AsyncSession, *, principal: Principal, list_id: uuid.UUID) -> ListView:
    return await _view(session, await _list(session, principal, list_id))


async def list_lists(session: AsyncSession, *, client: Client) -> list[ListView]:
    """The client's lists, the latest dates first (the caller has checked the client)."""
    rows = (
        await session.scalars(
            sa.select(ShoppingList)
            .options(selectinload(ShoppingList.items))
            .where(ShoppingList.client_id == client.id)
            .order_by(ShoppingList.starts_on.desc(), ShoppingList.id.desc())
            .limit(MAX_LISTS)
        )
    ).all()
    pantry = frozenset((await _pantry_ids(session, [client.id])).get(client.id, ()))
    return [ListView(r, list(r.items), pantry) for r in rows]


# --- generating ----------------------------------------------------------------------------


def _check_range(first: date, last: date) -> None:
    if last < first:
        raise field_error("ends_on", f"ends_on ({last}) is before starts_on ({first})")
    days = (last - first).days + 1
    if days > MAX_DAYS:
        raise field_error(
            "ends_on", f"a shopping list covers 8 weeks ({MAX_DAYS} days) at most, not {days}"
        )


async def _plans(
    session: AsyncSession, client: Client, first: date, last: date, plan_id: uuid.UUID | None
) -> list[MealPlan]:
    stmt = sa.select(MealPlan).where(
        MealPlan.client_id == client.id,
        MealPlan.kind == ASSIGNED,
        MealPlan.starts_on <= last,
        sa.or_(MealPlan.ends_on.is_(None), MealPlan.ends_on >= first),
    )
    if plan_id is not None:
        plan = await session.scalar(
            sa.select(MealPlan).where(MealPlan.id == plan_id, MealPlan.client_id == client.id)
        )
        if plan is None or plan.kind != ASSIGNED:
            raise field_error("meal_plan_id", "no such meal plan assigned to this client")
        stmt = stmt.where(MealPlan.id == plan_id)
    else:
        stmt = stmt.where(MealPlan.archived_at.is_(None))
    return list((await session.scalars(stmt.order_by(MealPlan.starts_on.desc()))).all())


def plan_days(plans: list[MealPlan], first: date, last: date) -> Counter[tuple[uuid.UUID, int]]:
    """How many dates of the range use each (plan, day number): each date takes the plan
    that covers it with the latest start (``plans`` come latest first)."""
    counts: Counter[tuple[uuid.UUID, int]] = Counter()
    on = first
    while on <= last:
        for plan in plans:
            number = plan.day_number(on)
            if number is not None:
                counts[(plan.id, number)] += 1
                break
        on += timedelta(days=1)
    return counts


def _recipe_foods(view: RecipeView, out: dict[uuid.UUID, FoodView]) -> None:
    for line in view.ingredients:
        if line.food is not None:
            out[line.food.id] = line.food
        elif line.recipe is not None:
            _recipe_foods(line.recipe, out)


async def _needs(
    session: AsyncSession, principal: Principal, counts: Counter[tuple[uuid.UUID, int]]
) -> list[shopping.Need]:
    """Every food the counted plan days call for, in grams, recipes flattened."""
    plan_ids = {plan_id for plan_id, _ in counts}
    rows = (
        await session.execute(
            sa.select(MealPlanItem, MealPlanMeal.name, MealPlanDay.plan_id, MealPlanDay.position)
            .join(MealPlanMeal, MealPlanItem.meal_id == MealPlanMeal.id)
            .join(MealPlanDay, MealPlanMeal.day_id == MealPlanDay.id)
            .where(MealPlanDay.plan_id.in_(plan_ids))
        )
    ).all()
    used = [
        (item, meal, n) for item, meal, plan_id, pos in rows if (n := counts[(plan_id, pos + 1)])
    ]
    foods = await foods_by_ids(
        session,
        principal=principal,
        ids={ref for item, _, _ in used if (ref := item.food_id or item.custom_food_id)},
    )
    recipes = await recipe_views(
        session, principal=principal, ids={i.recipe_id for i, _, _ in used if i.recipe_id}
    )
    for view in recipes.values():
        _recipe_foods(view, foods)
    needs = []
    for item, meal, times in used:
        ref = item.food_id or item.custom_food_id
        if ref is not None and (food := foods.get(ref)) is not None:
            grams = item.grams if item.grams is not None else food.grams(item.quantity, item.unit)
            needs.append(shopping.Need(food, grams * times, meal))
        elif item.recipe_id is not None and (recipe := recipes.get(item.recipe_id)) is not None:
            for food_id, grams in recipe.flatten(item.quantity).items():
                if (food := foods.get(food_id)) is not None:
                    needs.append(shopping.Need(food, grams * times, recipe.name))
    return needs


def _name(first: date, last: date) -> str:
    if first == last:
        return f"Shopping for {first:%a} {first.day} {first:%b}"
    return f"Shopping {first.day} {first:%b} to {last.day} {last:%b}"


def _item(line: shopping.ShoppingLine, position: int) -> ShoppingListItem:
    food = line.food
    return ShoppingListItem(
        food_id=food.id if food.source == USDA else None,
        custom_food_id=None if food.source == USDA else food.id,
        position=position,
        name=line.name[:NAME_MAX],  # a name with its brand may run past the column
        aisle=line.aisle,
        grams=round(line.grams, 3),
        quantity=line.amount.quantity,
        unit=line.amount.unit,
        label=line.amount.label[:LABEL_MAX],
        sources=list(line.sources),
        manual=False,
    )


async def create_list(
    session: AsyncSession, *, principal: Principal, client: Client, data: ShoppingListIn
) -> ListView:
    """A list from the plans over the range (see the module); the same plan and dates
    again rewrite the generated items of that list, keeping the ticks of foods still on it
    and the manual items."""
    if not access.writes_client_data(principal):
        raise Forbidden("You need the 'nutrition:write' permission to make shopping lists.")
    first, last = data.starts_on, data.ends_on
    _check_range(first, last)
    plans = await _plans(session, client, first, last, data.meal_plan_id)
    counts = plan_days(plans, first, last)
    if not counts:
        raise field_error(
            "starts_on", f"no meal plan assigned to {client.full_name} covers {first} to {last}"
        )
    consolidated = shopping.consolidate(await _needs(session, principal, counts))
    row = await session.scalar(
        sa.select(ShoppingList)
        .options(selectinload(ShoppingList.items))
        .where(
            ShoppingList.client_id == client.id,
            ShoppingList.starts_on == first,
            ShoppingList.ends_on == last,
            ShoppingList.meal_plan_id.is_(None)
            if data.meal_plan_id is None
            else ShoppingList.meal_plan_id == data.meal_plan_id,
        )
        .order_by(ShoppingList.id)
        .limit(1)
    )
    ticks: dict[uuid.UUID, tuple[Any, Any]] = {}
    if row is None:
        row = ShoppingList(
            client_id=client.id,
            meal_plan_id=data.meal_plan_id,
            starts_on=first,
            ends_on=last,
            created_by_id=principal.user_id,
            items=[],
        )
        session.add(row)
    else:
        for old in row.items:
            if not old.manual and old.food_ref is not None and old.ticked_at is not None:
                ticks[old.food_ref] = (old.ticked_at, old.ticked_by_id)
        row.items = [i for i in row.items if i.manual]
    row.name = data.name or row.name or _name(first, last)
    row.generated_at = utcnow()
    manual = row.items
    fresh = [_item(line, n) for n, line in enumerate(consolidated.lines)]
    for item in fresh:
        if item.food_ref in ticks:
            item.ticked_at, item.ticked_by_id = ticks[item.food_ref]
    for n, item in enumerate(manual, start=len(fresh)):
        item.position = n
    row.items = fresh + manual
    await session.flush()
    return await _view(session, row)


# --- ticks, manual items, deleting -----------------------------------------------------------


def _find(row: ShoppingList, item_id: uuid.UUID) -> ShoppingListItem:
    for item in row.items:
        if item.id == item_id:
            return item
    raise ShoppingItemNotFound()


async def tick(
    session: AsyncSession,
    *,
    principal: Principal,
    list_id: uuid.UUID,
    item_id: uuid.UUID,
    ticked: bool,
) -> ListView:
    """Tick an item off (or put it back); ticking a ticked item keeps who and when."""
    row = await _list(session, principal, list_id, write=True)
    item = _find(row, item_id)
    if ticked and item.ticked_at is None:
        item.ticked_at, item.ticked_by_id = utcnow(), principal.user_id
    elif not ticked:
        item.ticked_at = item.ticked_by_id = None
    await session.flush()
    return await _view(session, row)


async def add_manual(
    session: AsyncSession, *, principal: Principal, list_id: uuid.UUID, data: ManualItemIn
) -> ListView:
    row = await _list(session, principal, list_id, write=True)
    row.items.append(
        ShoppingListItem(
            position=max((i.position for i in row.items), default=-1) + 1,
            name=data.name,
            label=data.label or None,
            aisle=data.aisle,
            sources=[],
            manual=True,
        )
    )
    await session.flush()
    return await _view(session, row)


async def remove_manual(
    session: AsyncSession, *, principal: Principal, list_id: uuid.UUID, item_id: uuid.UUID
) -> ListView:
    row = await _list(session, principal, list_id, write=True)
    item = _find(row, item_id)
    if not item.manual:
        raise InvalidInput(
            f"{item.name} comes from the meal plan: tick it off, or mark it as at home.",
            errors=[{"field": "item_id", "message": "only items added by hand can be removed"}],
        )
    row.items.remove(item)
    await session.flush()
    return await _view(session, row)


async def delete_list(session: AsyncSession, *, principal: Principal, list_id: uuid.UUID) -> None:
    row = await _list(session, principal, list_id, write=True)
    await session.delete(row)
    await session.flush()


# --- pantry ----------------------------------------------------------------------------------


async def pantry(session: AsyncSession, *, principal: Principal, client: Client) -> list[FoodView]:
    """The foods the client has at home, by name."""
    ids = (await _pantry_ids(session, [client.id])).get(client.id, set())
    foods = await foods_by_ids(session, principal=principal, ids=ids)
    return sorted(foods.values(), key=lambda f: (f.display_name.lower(), str(f.id)))


async def _staple_foods(
    session: AsyncSession, principal: Principal, client: Client, ids: list[uuid.UUID]
) -> dict[uuid.UUID, FoodView]:
    foods = await foods_by_ids(session, principal=principal, ids=ids)
    for n, food_id in enumerate(ids):
        food = foods.get(food_id)
        if food is None:
            raise field_error(f"food_ids.{n}", f"no such food: {food_id}")
        if food.client_id is not None and food.client_id != client.id:
            raise field_error(f"food_ids.{n}", f"{food.name} is another client's own food")
    return foods


def _staple(client: Client, food: FoodView) -> PantryStaple:
    return PantryStaple(
        client_id=client.id,
        food_id=food.id if food.source == USDA else None,
        custom_food_id=None if food.source == USDA else food.id,
    )


async def set_pantry(
    session: AsyncSession, *, principal: Principal, client: Client, food_ids: list[uuid.UUID]
) -> list[FoodView]:
    """Replace the client's pantry staples with these foods."""
    if not access.writes_client_data(principal):
        raise Forbidden("You need the 'nutrition:write' permission to change the pantry.")
    wanted = list(dict.fromkeys(food_ids))
    foods = await _staple_foods(session, principal, client, wanted)
    rows = (
        await session.scalars(sa.select(PantryStaple).where(PantryStaple.client_id == client.id))
    ).all()
    have = {r.food_ref: r for r in rows}
    for ref, staple in have.items():
        if ref not in foods:
            await session.delete(staple)
    session.add_all(_staple(client, foods[i]) for i in wanted if i not in have)
    await session.flush()
    return sorted(foods.values(), key=lambda f: (f.display_name.lower(), str(f.id)))


async def set_staple(
    session: AsyncSession,
    *,
    principal: Principal,
    client: Client,
    food_id: uuid.UUID,
    at_home: bool,
) -> None:
    """Mark one food as at home (a pantry staple) or not; idempotent. A pantry keeps
    ``MAX_PANTRY`` foods, as ``set_pantry`` does."""
    if not access.writes_client_data(principal):
        raise Forbidden("You need the 'nutrition:write' permission to change the pantry.")
    staple = await session.scalar(
        sa.select(PantryStaple).where(
            PantryStaple.client_id == client.id,
            sa.or_(PantryStaple.food_id == food_id, PantryStaple.custom_food_id == food_id),
        )
    )
    if at_home and staple is None:
        kept = await session.scalar(
            sa.select(sa.func.count())
            .select_from(PantryStaple)
            .where(PantryStaple.client_id == client.id)
        )
        if (kept or 0) >= MAX_PANTRY:
            raise field_error(
                "food_id", f"a pantry keeps {MAX_PANTRY} foods at most: remove one first"
            )
        foods = await _staple_foods(session, principal, client, [food_id])
        session.add(_staple(client, foods[food_id]))
    elif not at_home and staple is not None:
        await session.delete(staple)
    await session.flush()
