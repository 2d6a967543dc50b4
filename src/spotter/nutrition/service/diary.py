"""The food diary: a client's nutrition profile (meal names, diets, allergens to avoid),
entries (a food in a quantity, servings of a recipe, quick macros), copying a day or a
meal, the day's totals against the target in force, recent and frequent foods.

An entry keeps the nutrients it had when logged (see ``models.diary``); its day is the
client's own (their time zone, else the organization's)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from spotter.clients import service as clients
from spotter.clients.models import Client
from spotter.core.errors import Forbidden, field_error
from spotter.nutrition.errors import EntryNotFound
from spotter.nutrition.food import FoodView
from spotter.nutrition.models import DiaryEntry, NutritionProfile, NutritionTarget
from spotter.nutrition.nutrients import NUTRIENTS, Amounts
from spotter.nutrition.recipe import RecipeView
from spotter.nutrition.schemas.diary import (
    DEFAULT_MEALS,
    CopyIn,
    EntryIn,
    EntryUpdate,
    ProfileIn,
    QuickIn,
)
from spotter.nutrition.service import access
from spotter.nutrition.service.adherence import adherence
from spotter.nutrition.service.days import client_today
from spotter.nutrition.service.foods import foods_by_ids
from spotter.nutrition.service.recipes import recipe_views
from spotter.nutrition.service.targets import target_on
from spotter.nutrition.units import SERVING

if TYPE_CHECKING:
    from spotter.identity.dependencies import Principal

FOOD, RECIPE, QUICK = "food", "recipe", "quick"
RECENT_DAYS = 60
MAX_COPY = 200


# --- profile ---------------------------------------------------------------------------------


async def get_profile(session: AsyncSession, *, client: Client) -> NutritionProfile:
    """The client's profile; an unsaved default one when they have none yet."""
    row = await session.scalar(
        sa.select(NutritionProfile).where(NutritionProfile.client_id == client.id)
    )
    return row or NutritionProfile(
        client_id=client.id, meal_names=list(DEFAULT_MEALS), diets=[], avoid=[]
    )


async def put_profile(
    session: AsyncSession, *, client: Client, data: ProfileIn
) -> NutritionProfile:
    row = await session.scalar(
        sa.select(NutritionProfile).where(NutritionProfile.client_id == client.id)
    )
    if row is None:
        row = NutritionProfile(client_id=client.id)
        session.add(row)
    row.meal_names = list(data.meal_names)
    row.diets = list(dict.fromkeys(d.value for d in data.diets))
    row.avoid = list(dict.fromkeys(t.value for t in data.avoid))
    await session.flush()
    return row


def _meal(profile: NutritionProfile, given: str, field: str = "meal") -> str:
    """The client's own spelling of a meal; a meal they do not have is a 422."""
    for name in profile.meal_names:
        if name.lower() == given.strip().lower():
            return name
    raise field_error(
        field, f"{given!r} is not one of this client's meals: {', '.join(profile.meal_names)}"
    )


# --- entries ---------------------------------------------------------------------------------


def visible_entries(principal: Principal) -> sa.Select[Any]:
    return access.of_visible_clients(principal, DiaryEntry)


def _snapshot(entry: DiaryEntry, amounts: Amounts) -> None:
    for name, value in amounts.values().items():
        setattr(entry, name, None if value is None else round(value, 4))


async def _food(
    session: AsyncSession, principal: Principal, client: Client, food_id: uuid.UUID
) -> FoodView:
    food = (await foods_by_ids(session, principal=principal, ids=[food_id])).get(food_id)
    if food is None:
        raise field_error("food_id", "no such food")
    if food.client_id is not None and food.client_id != client.id:
        raise field_error("food_id", f"{food.name} is another client's own food")
    return food


async def _recipe(
    session: AsyncSession, principal: Principal, client: Client, recipe_id: uuid.UUID
) -> RecipeView:
    recipe = (await recipe_views(session, principal=principal, ids=[recipe_id])).get(recipe_id)
    if recipe is None:
        raise field_error("recipe_id", "no such recipe")
    if recipe.client_id is not None and recipe.client_id != client.id:
        raise field_error("recipe_id", f"{recipe.name} is another client's own recipe")
    return recipe


def set_food_entry(entry: DiaryEntry, food: FoodView, quantity: float, unit: str) -> None:
    grams = food.grams(quantity, unit)
    entry.kind, entry.name = FOOD, food.display_name
    entry.food_id = food.id if food.source == "usda" else None
    entry.custom_food_id = None if food.source == "usda" else food.id
    entry.quantity, entry.unit, entry.grams = quantity, unit, grams
    _snapshot(entry, food.amounts(grams))


def set_recipe_entry(entry: DiaryEntry, recipe: RecipeView, servings: float) -> None:
    entry.kind, entry.name, entry.recipe_id = RECIPE, recipe.name, recipe.id
    entry.quantity, entry.unit, entry.grams = servings, SERVING, None
    _snapshot(entry, recipe.per_serving.scaled(servings))


def _set_quick(entry: DiaryEntry, quick: QuickIn) -> None:
    entry.kind, entry.name = QUICK, quick.name
    entry.quantity, entry.unit, entry.grams = 1.0, SERVING, None
    _snapshot(entry, Amounts.of({n: getattr(quick, n) for n in NUTRIENTS}))


def check_diary_day(client: Client, principal: Principal, day: date) -> None:
    today = client_today(client, principal.organization.timezone)
    if day > today + timedelta(days=1):
        raise field_error("eaten_on", "the diary is for days that have come (today at most)")


async def add_entry(
    session: AsyncSession, *, principal: Principal, client: Client, data: EntryIn
) -> DiaryEntry:
    profile = await get_profile(session, client=client)
    day = data.eaten_on or client_today(client, principal.organization.timezone)
    check_diary_day(client, principal, day)
    entry = DiaryEntry(
        client_id=client.id,
        eaten_on=day,
        meal=_meal(profile, data.meal),
        logged_by_id=principal.user_id,
    )
    if data.food_id is not None:
        food = await _food(session, principal, client, data.food_id)
        assert data.quantity is not None
        set_food_entry(entry, food, data.quantity, data.unit or "g")
    elif data.recipe_id is not None:
        if data.unit not in (None, SERVING):
            raise field_error("unit", "a recipe is logged in servings")
        recipe = await _recipe(session, principal, client, data.recipe_id)
        set_recipe_entry(entry, recipe, data.quantity or 1.0)
    else:
        assert data.quick is not None
        _set_quick(entry, data.quick)
    session.add(entry)
    await session.flush()
    return entry


async def _entry(session: AsyncSession, principal: Principal, entry_id: uuid.UUID) -> DiaryEntry:
    entry = await session.scalar(visible_entries(principal).where(DiaryEntry.id == entry_id))
    if entry is None:
        raise EntryNotFound()
    return entry


async def get_entry(
    session: AsyncSession, *, principal: Principal, entry_id: uuid.UUID
) -> DiaryEntry:
    if not access.reads_client_data(principal):
        raise Forbidden("You need the 'nutrition:read' permission for diaries.")
    return await _entry(session, principal, entry_id)


async def _writable_entry(
    session: AsyncSession, principal: Principal, entry_id: uuid.UUID
) -> tuple[DiaryEntry, Client]:
    if not access.writes_client_data(principal):
        raise Forbidden("You need the 'nutrition:write' permission to change diaries.")
    entry = await _entry(session, principal, entry_id)
    client = await clients.get_client(session, principal=principal, client_id=entry.client_id)
    return entry, client


async def update_entry(
    session: AsyncSession, *, principal: Principal, entry_id: uuid.UUID, data: EntryUpdate
) -> DiaryEntry:
    entry, client = await _writable_entry(session, principal, entry_id)
    if data.meal is not None:
        entry.meal = _meal(await get_profile(session, client=client), data.meal)
    if data.eaten_on is not None:
        check_diary_day(client, principal, data.eaten_on)
        entry.eaten_on = data.eaten_on
    if data.quick is not None:
        if entry.kind != QUICK:
            raise field_error("quick", "only quick entries take macros; change the quantity")
        _set_quick(entry, data.quick)
    if data.quantity is not None or data.unit is not None:
        if entry.kind == FOOD:
            food_id = entry.food_id or entry.custom_food_id
            assert food_id is not None
            food = await _food(session, principal, client, food_id)
            set_food_entry(entry, food, data.quantity or entry.quantity, data.unit or entry.unit)
        elif entry.kind == RECIPE and entry.recipe_id is not None:
            if data.unit not in (None, SERVING):
                raise field_error("unit", "a recipe is logged in servings")
            recipe = await _recipe(session, principal, client, entry.recipe_id)
            set_recipe_entry(entry, recipe, data.quantity or entry.quantity)
        else:
            raise field_error("quantity", "a quick entry has no quantity; change its macros")
    await session.flush()
    return entry


async def delete_entry(session: AsyncSession, *, principal: Principal, entry_id: uuid.UUID) -> None:
    entry, _ = await _writable_entry(session, principal, entry_id)
    await session.delete(entry)
    await session.flush()


async def copy_entries(
    session: AsyncSession, *, principal: Principal, client: Client, data: CopyIn
) -> list[DiaryEntry]:
    """Copies of a day's (or a meal's) entries on another day (or in another meal), with
    the nutrients they were logged with."""
    profile = await get_profile(session, client=client)
    check_diary_day(client, principal, data.to_on)
    stmt = sa.select(DiaryEntry).where(
        DiaryEntry.client_id == client.id, DiaryEntry.eaten_on == data.from_on
    )
    if data.meal is not None:
        stmt = stmt.where(sa.func.lower(DiaryEntry.meal) == data.meal.strip().lower())
    source = list((await session.scalars(stmt.order_by(DiaryEntry.id).limit(MAX_COPY))).all())
    if not source:
        what = f"{data.meal} on {data.from_on}" if data.meal else str(data.from_on)
        raise field_error("from_on", f"nothing was logged for {what}")
    into = _meal(profile, data.to_meal, "to_meal") if data.to_meal else None
    copies = []
    for old in source:
        new = DiaryEntry(
            client_id=client.id,
            eaten_on=data.to_on,
            meal=into or old.meal,
            logged_by_id=principal.user_id,
            **{
                k: getattr(old, k)
                for k in (
                    "kind",
                    "recipe_id",
                    "food_id",
                    "custom_food_id",
                    "name",
                    "quantity",
                    "unit",
                    "grams",
                    *NUTRIENTS,
                )
            },
        )
        copies.append(new)
    session.add_all(copies)
    await session.flush()
    return copies


# --- reading a day ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Meal:
    name: str
    entries: list[DiaryEntry]
    totals: Amounts


@dataclass(frozen=True)
class Day:
    client: Client
    day: date
    meals: list[Meal]
    totals: Amounts
    target: NutritionTarget | None
    profile: NutritionProfile

    @property
    def remaining(self) -> dict[str, float] | None:
        if self.target is None:
            return None
        return {
            name: round(getattr(self.target, name) - (self.totals.value(name) or 0.0), 1)
            for name in ("energy_kcal", "protein_g", "fat_g", "carbohydrate_g")
        }

    @property
    def adherence(self) -> Any:
        count = sum(len(m.entries) for m in self.meals)
        return adherence(self.totals, count, self.target)


async def read_day(
    session: AsyncSession, *, principal: Principal, client: Client, day: date | None
) -> Day:
    day = day or client_today(client, principal.organization.timezone)
    profile = await get_profile(session, client=client)
    entries = list(
        (
            await session.scalars(
                sa.select(DiaryEntry)
                .where(DiaryEntry.client_id == client.id, DiaryEntry.eaten_on == day)
                .order_by(DiaryEntry.id)
            )
        ).all()
    )
    names = list(profile.meal_names)
    names += [m for m in dict.fromkeys(e.meal for e in entries) if m not in names]
    meals = []
    for name in names:
        mine = [e for e in entries if e.meal == name]
        meals.append(Meal(name, mine, Amounts.total(Amounts.of_row(e) for e in mine)))
    return Day(
        client=client,
        day=day,
        meals=meals,
        totals=Amounts.total(m.totals for m in meals),
        target=await target_on(session, client_id=client.id, day=day),
        profile=profile,
    )


@dataclass(frozen=True)
class Recent:
    food_id: uuid.UUID | None
    recipe_id: uuid.UUID | None
    name: str
    times: int
    last: DiaryEntry


async def recent_items(
    session: AsyncSession,
    *,
    principal: Principal,
    client: Client,
    order: str = "frequent",
    limit: int = 12,
) -> list[Recent]:
    """Foods and recipes of the last 60 days, most often (or most recently) logged first,
    each with how it was last logged (quantity, unit, meal) for one-tap entry."""
    since = client_today(client, principal.organization.timezone) - timedelta(days=RECENT_DAYS)
    rows = (
        await session.scalars(
            sa.select(DiaryEntry)
            .where(
                DiaryEntry.client_id == client.id,
                DiaryEntry.eaten_on >= since,
                DiaryEntry.kind != QUICK,
            )
            .order_by(DiaryEntry.eaten_on.desc(), DiaryEntry.id.desc())
            .limit(500)
        )
    ).all()
    found: dict[uuid.UUID, Recent] = {}
    for row in rows:
        key = row.food_id or row.custom_food_id or row.recipe_id
        if key is None:
            continue
        if key in found:
            old = found[key]
            found[key] = Recent(old.food_id, old.recipe_id, old.name, old.times + 1, old.last)
        else:
            food = row.food_id or row.custom_food_id
            found[key] = Recent(food, row.recipe_id, row.name, 1, row)
    items = list(found.values())
    if order == "frequent":
        items.sort(key=lambda r: -r.times)  # stable: recent first among equals
    return items[:limit]


async def unit_labels(
    session: AsyncSession, *, principal: Principal, entries: list[DiaryEntry]
) -> dict[uuid.UUID, str]:
    """How each entry's unit reads ("1 large", "cup", "servings"): one query at most."""
    ids = {f for e in entries if (f := e.food_id or e.custom_food_id) is not None}
    foods = await foods_by_ids(session, principal=principal, ids=ids)
    out = {}
    for e in entries:
        food_id = e.food_id or e.custom_food_id
        food = foods.get(food_id) if food_id else None
        if food is not None:
            out[e.id] = food.unit_label(e.unit)
        else:
            out[e.id] = (
                e.unit if e.unit != SERVING else ("serving" if e.quantity == 1 else "servings")
            )
    return out
