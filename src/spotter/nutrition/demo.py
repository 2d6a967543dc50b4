"""Demo nutrition data for ``spotter demo``: the organization's own foods and recipes,
targets worked out by the calculator from each active client's profile and latest
weight, and a fortnight of food diary for several clients (Jordan, the demo client,
logs nearly every day; others less reliably), so the adherence overview has a story."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from spotter.clients.models import Client
from spotter.core.db import new_id, utcnow
from spotter.core.errors import InvalidInput
from spotter.core.tenancy import current_organization
from spotter.nutrition import dataset, demo_plans, demo_shopping, text
from spotter.nutrition.calculator import Activity, Goal
from spotter.nutrition.food import FoodView
from spotter.nutrition.models import (
    CustomFood,
    CustomFoodPortion,
    CustomFoodTerm,
    DiaryEntry,
    NutritionProfile,
    NutritionTarget,
    Recipe,
    RecipeIngredient,
)
from spotter.nutrition.nutrients import NUTRIENTS, Amounts
from spotter.nutrition.schemas.targets import ClientCalculatorIn
from spotter.nutrition.service.custom import catalog_changed
from spotter.nutrition.service.library import shared_foods
from spotter.nutrition.service.targets import calculate, calculation_record, client_inputs

F = dataset.food_id
# (name, brand, barcode, group, per 100 g: kcal, protein, fat, carbs, fibre, sugars, sodium,
#  portion (description, grams))
CUSTOM_FOODS: list[
    tuple[str, str | None, str | None, str, tuple[float | None, ...], tuple[str, float]]
] = [
    (
        "Northside protein shake",
        "Northside",
        "5012345678900",
        "beverages",
        (62, 10, 1.2, 3.1, None, 2.5, 80),
        ("bottle", 330),
    ),
    (
        "House granola",
        None,
        None,
        "breakfast_cereals",
        (455, 11, 19, 58, 7.5, 14, None),
        ("bowl", 60),
    ),
    (
        "Protein bar, salted caramel",
        "Grafter",
        "4006381333931",
        "snacks",
        (380, 33, 13, 35, None, 4, 310),
        ("bar", 60),
    ),
]
# (name, servings, prep, cook, steps, [(ndb, grams)], meals it suits). Enough
# vegetarian breakfasts, mains and snacks for a generated week (each recipe on at most
# half the days, no main two days running), and meat and fish mains for a mixed one.
B, M, S = "breakfast", "main", "snack"
Lines = list[tuple[str, float]]
RECIPES: list[tuple[str, int, int, int, list[str], Lines, list[str]]] = [
    (
        "Overnight oats with berries",
        2,
        10,
        0,
        [
            "Stir the oats, milk and yogurt together.",
            "Top with blueberries and chia.",
            "Leave in the fridge overnight.",
        ],
        [("08120", 100), ("01079", 250), ("01256", 150), ("09050", 120), ("12006", 15)],
        [B],
    ),
    (
        "Chicken, rice and broccoli bowl",
        2,
        10,
        25,
        [
            "Roast the chicken breast.",
            "Cook the rice.",
            "Steam the broccoli.",
            "Divide into bowls.",
        ],
        [("05062", 300), ("20045", 300), ("11090", 200), ("04053", 10)],
        [M],
    ),
    (
        "Red lentil dahl",
        4,
        10,
        30,
        [
            "Soften the onion in the oil.",
            "Add curry powder, lentils, tomatoes and coconut milk.",
            "Simmer until the lentils collapse; stir in the spinach.",
        ],
        [
            ("16069", 250),
            ("11282", 150),
            ("04053", 15),
            ("02015", 10),
            ("11531", 400),
            ("12118", 200),
            ("11457", 100),
        ],
        [M],
    ),
    ("Scrambled eggs on toast", 1, 5, 5, [], [("01132", 150), ("18075", 80)], [B]),
    (
        "Greek yogurt, banana and almond bowl",
        1,
        5,
        0,
        [],
        [("01256", 250), ("09040", 120), ("12061", 20), ("20038", 30)],
        [B, S],
    ),
    (
        "Peanut butter and banana toast",
        1,
        5,
        3,
        [],
        [("18075", 80), ("16398", 30), ("09040", 100)],
        [B, S],
    ),
    (
        "Tofu scramble on toast",
        1,
        5,
        10,
        [],
        [("16426", 200), ("11457", 60), ("11529", 100), ("04053", 5), ("18075", 70)],
        [B],
    ),
    (
        "Cottage cheese and berry pot",
        1,
        5,
        0,
        [],
        [("01016", 200), ("09050", 100), ("20038", 20)],
        [B, S],
    ),
    (
        "Chickpea and spinach curry with rice",
        2,
        10,
        25,
        [],
        [
            ("16057", 400),
            ("11457", 150),
            ("11531", 400),
            ("11282", 100),
            ("04053", 15),
            ("02015", 8),
            ("20045", 300),
        ],
        [M],
    ),
    (
        "Tofu and broccoli stir-fry with rice",
        2,
        10,
        15,
        [],
        [
            ("16426", 400),
            ("11090", 300),
            ("11821", 150),
            ("16124", 30),
            ("04053", 15),
            ("20037", 350),
        ],
        [M],
    ),
    (
        "Black bean and sweet potato chili",
        3,
        15,
        40,
        [],
        [
            ("16015", 500),
            ("11508", 400),
            ("11531", 400),
            ("11282", 150),
            ("11821", 150),
            ("04053", 15),
        ],
        [M],
    ),
    (
        "Spinach and feta pasta",
        2,
        10,
        15,
        [],
        [("20121", 450), ("11457", 150), ("01019", 100), ("11529", 200), ("04053", 15)],
        [M],
    ),
    (
        "Quinoa bowl with chickpeas, feta and avocado",
        2,
        15,
        15,
        [],
        [
            ("20137", 400),
            ("16057", 250),
            ("01019", 60),
            ("09037", 100),
            ("11205", 150),
            ("11529", 150),
        ],
        [M],
    ),
    (
        "Egg fried rice with edamame",
        2,
        10,
        10,
        [],
        [
            ("20045", 400),
            ("01123", 150),
            ("11212", 200),
            ("11291", 50),
            ("16124", 20),
            ("04053", 15),
        ],
        [M],
    ),
    (
        "Bean and cheese quesadillas",
        2,
        10,
        10,
        [],
        [("18364", 160), ("16033", 250), ("01028", 120), ("11821", 100)],
        [M],
    ),
    (
        "Salmon with sweet potato and spinach",
        2,
        10,
        25,
        [],
        [("15237", 300), ("11508", 400), ("11457", 150), ("04053", 10)],
        [M],
    ),
    (
        "Beef chili with rice",
        3,
        15,
        45,
        [],
        [("23565", 400), ("16033", 400), ("11531", 400), ("11282", 150), ("20045", 450)],
        [M],
    ),
    (
        "Tuna pasta salad",
        2,
        15,
        10,
        [],
        [("20121", 400), ("15121", 250), ("11529", 200), ("11205", 150), ("04053", 20)],
        [M],
    ),
    (
        "Turkey and hummus wraps",
        2,
        10,
        0,
        [],
        [("18364", 140), ("07081", 200), ("16158", 80), ("11457", 60), ("11529", 100)],
        [M],
    ),
    (
        "Hummus with pita and carrots",
        1,
        5,
        0,
        [],
        [("16158", 80), ("18042", 60), ("11124", 100)],
        [S],
    ),
    ("Cottage cheese with apple", 1, 3, 0, [], [("01016", 200), ("09003", 150)], [S]),
    ("Edamame with sea salt", 1, 2, 5, [], [("11212", 150)], [S]),
    ("Apple with peanut butter", 1, 3, 0, [], [("09003", 180), ("16398", 25)], [S]),
    (
        "Greek yogurt with strawberries",
        1,
        3,
        0,
        [],
        [("01256", 200), ("09316", 120), ("19296", 10)],
        [S],
    ),
    ("Trail mix", 1, 2, 0, [], [("12061", 20), ("09298", 30), ("12155", 15)], [S]),
]
# A day's meals: (meal, [(ndb or recipe index, amount)]); recipes take servings.
DAYS: list[list[tuple[str, list[tuple[str, float]]]]] = [
    [
        ("Breakfast", [("r0", 1)]),
        ("Lunch", [("r1", 1), ("09003", 180)]),
        ("Dinner", [("r2", 1.5), ("18075", 60)]),
        ("Snacks", [("c0", 330), ("09040", 120)]),
    ],
    [
        ("Breakfast", [("01123", 150), ("18075", 80), ("16398", 20)]),
        ("Lunch", [("r1", 1)]),
        ("Dinner", [("15236", 180), ("11352", 250), ("11090", 150)]),
        ("Snacks", [("c2", 60)]),
    ],
    [
        ("Breakfast", [("c1", 60), ("01079", 200)]),
        ("Lunch", [("r2", 1), ("18075", 40)]),
        ("Dinner", [("23567", 150), ("20045", 200), ("11457", 80)]),
        ("Snacks", [("01256", 170)]),
    ],
]
LOGGERS = {0: 13, 1: 9, 2: 6, 6: 11, 7: 4}  # client index -> days logged of the last 14


async def load(session: AsyncSession, *, logged_by: uuid.UUID) -> None:
    people = list(await session.scalars(sa.select(Client).order_by(Client.id)))
    library = await shared_foods(session)
    customs = _custom_foods(session, logged_by)
    await catalog_changed(session, client_id=None)  # written past custom._index: a new version
    views = {f"c{i}": v for i, (_, v) in enumerate(customs)}
    recipes = _recipes(session, library, logged_by)
    await session.flush()
    today = utcnow().date()
    for n, person in enumerate(people):
        if person.status != "active":
            continue
        target = await _target(session, person, today - timedelta(days=21))
        if n in LOGGERS and target:
            _diary(
                session, person, library, views, recipes, today, LOGGERS[n], n, logged_by, target
            )
    demo_plans.load(session, DAYS, people=people, recipes=recipes, customs=customs, user=logged_by)
    await demo_shopping.load(session, people=people, user=logged_by)
    # Aiko follows a vegetarian diet and avoids peanuts.
    session.add(
        NutritionProfile(
            client_id=people[7].id,
            meal_names=["Breakfast", "Lunch", "Dinner", "Snacks"],
            diets=["vegetarian"],
            avoid=["peanuts"],
        )
    )
    await session.flush()


def _custom_foods(session: AsyncSession, user: uuid.UUID) -> list[tuple[CustomFood, FoodView]]:
    org = current_organization(session)
    out = []
    for name, brand, barcode, group, values, (measure, grams) in CUSTOM_FOODS:
        row = CustomFood(
            id=new_id(),
            name=name,
            brand=brand,
            barcode=barcode,
            food_group_id=dataset.group_id(group),
            created_by_id=user,
            **dict(zip(NUTRIENTS, values, strict=True)),
        )
        portion = CustomFoodPortion(id=new_id(), description=measure, amount=1, gram_weight=grams)
        row.portions = [portion]
        session.add(row)
        session.add_all(
            CustomFoodTerm(
                organization_id=org,
                custom_food_id=row.id,
                term=term,
                whole=whole,
                name_len=text.name_length(name),
            )
            for term, whole in text.terms(name, brand).items()
        )
        view = FoodView(
            id=row.id,
            source="organization",
            name=name,
            group=group,
            per_100g=Amounts.of(dict(zip(NUTRIENTS, values, strict=True))),
        )
        out.append((row, view))
    return out


def _recipes(session: AsyncSession, library: Any, user: uuid.UUID) -> list[tuple[Recipe, Amounts]]:
    out = []
    for name, servings, prep, cook, steps, lines, meals in RECIPES:
        recipe = Recipe(
            id=new_id(),
            name=name,
            servings=servings,
            prep_minutes=prep,
            cook_minutes=cook,
            steps=steps,
            claimed_diets=["vegan"] if "dahl" in name else [],
            meals=meals,
            created_by_id=user,
        )
        recipe.ingredients = [
            RecipeIngredient(food_id=F(ndb), quantity=grams, unit="g", grams=grams, position=i)
            for i, (ndb, grams) in enumerate(lines)
        ]
        session.add(recipe)
        per_serving = Amounts.total(
            library.get(F(ndb)).amounts(grams) for ndb, grams in lines
        ).scaled(1 / servings)
        out.append((recipe, per_serving))
    return out


async def _target(session: AsyncSession, person: Client, start: date) -> float | None:
    """A calculated target from ``start``; its energy (None without a weight on record)."""
    goal = Goal.LOSE if person.sex == "female" else Goal.GAIN
    data = ClientCalculatorIn(
        activity=Activity.MODERATE, goal=goal, adjust_percent=15, use_body_fat=False
    )
    try:
        inputs, sources = await client_inputs(session, client=person, data=data, today=start)
    except InvalidInput:  # no weight on record: no target
        return None
    result = calculate(inputs)
    session.add(
        NutritionTarget(
            client_id=person.id,
            effective_on=start,
            energy_kcal=result.energy_kcal,
            protein_g=result.protein_g,
            fat_g=result.fat_g,
            carbohydrate_g=result.carbohydrate_g,
            calculation=calculation_record(inputs, sources, result),
            notes="Worked out with the calculator",
        )
    )
    return float(result.energy_kcal)


def _diary(
    session: AsyncSession,
    person: Client,
    library: Any,
    customs: dict[str, FoodView],
    recipes: list[tuple[Recipe, Amounts]],
    today: date,
    logged_days: int,
    seed: int,
    user: uuid.UUID,
    target_kcal: float,
) -> None:
    def energy(ref: str, amount: float) -> float:
        if ref.startswith("r"):
            return (recipes[int(ref[1:])][1].value("energy_kcal") or 0) * amount
        food = customs[ref] if ref.startswith("c") else library.get(F(ref))
        return food.amounts(amount).value("energy_kcal") or 0

    for back in range(14):
        if (back * 7 + seed) % 14 >= logged_days:
            continue  # a day they did not log
        day = today - timedelta(days=back)
        plan = DAYS[(back + seed) % len(DAYS)]
        planned = sum(energy(ref, amount) for _, items in plan for ref, amount in items)
        # Portions sized to the target, off by -12% .. +12% from day to day (more for
        # those who log less carefully).
        spread = 0.06 if logged_days >= 9 else 0.12
        scale = target_kcal / planned * (1 + spread * (((back * 5 + seed) % 5) - 2) / 2)
        for meal, items in plan:
            for ref, amount in items:
                entry = DiaryEntry(client_id=person.id, eaten_on=day, meal=meal, logged_by_id=user)
                if ref.startswith("r"):
                    recipe, per_serving = recipes[int(ref[1:])]
                    servings = round(amount * scale, 2)
                    entry.kind, entry.name, entry.recipe_id = "recipe", recipe.name, recipe.id
                    entry.quantity, entry.unit, amounts = (
                        servings,
                        "serving",
                        per_serving.scaled(servings),
                    )
                else:
                    food = customs[ref] if ref.startswith("c") else library.get(F(ref))
                    grams = round(amount * scale)
                    entry.kind, entry.name = "food", food.display_name
                    if ref.startswith("c"):
                        entry.custom_food_id = food.id
                    else:
                        entry.food_id = food.id
                    entry.quantity, entry.unit, entry.grams = grams, "g", grams
                    amounts = food.amounts(grams)
                for name, value in amounts.values().items():
                    setattr(entry, name, value)
                session.add(entry)
