"""What a food contains, and so which diets it fits and which allergens it carries.

A curated rule set over the food group and whole words of the name (tested in
``tests/nutrition/test_traits.py``). A food's *traits* come from this vocabulary:

* the nine major allergens: milk, egg, fish, shellfish (crustaceans and molluscs),
  tree nuts (coconut is not counted), peanuts, gluten (wheat, barley, rye, oats, spelt
  and the foods made from them), soy, sesame;
* meat (meat and poultry, gelatin, lard and other animal fats), and animal (other animal
  products a vegan avoids but a vegetarian eats: honey).

Diets follow from traits: vegetarian (no meat, fish, shellfish), vegan (vegetarian and no
milk, egg or other animal products), gluten-free, dairy-free (no milk), and keto, which is
not about ingredients but about carbohydrate: net carbohydrate (carbohydrate minus fibre;
all of it when fibre is unknown) at most 10% of the energy from protein, fat and
carbohydrate.

Names decide more than groups, and exceptions are spelled out: "peanut butter" is not
butter, "coconut milk" is not milk, "eggplant" has no egg, "meatless" sausages have no
meat. The rules err on the side of flagging (oats count as gluten; a mixed dish that names
cheese contains milk). Custom foods may state their traits instead (``contains``).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from enum import StrEnum
from typing import Any

from spotter.nutrition.nutrients import Amounts
from spotter.nutrition.text import words as text_words


class Trait(StrEnum):
    MILK = "milk"
    EGG = "egg"
    FISH = "fish"
    SHELLFISH = "shellfish"
    TREE_NUTS = "tree_nuts"
    PEANUTS = "peanuts"
    GLUTEN = "gluten"
    SOY = "soy"
    SESAME = "sesame"
    MEAT = "meat"
    ANIMAL = "animal"


ALLERGENS: tuple[Trait, ...] = (
    Trait.MILK,
    Trait.EGG,
    Trait.FISH,
    Trait.SHELLFISH,
    Trait.TREE_NUTS,
    Trait.PEANUTS,
    Trait.GLUTEN,
    Trait.SOY,
    Trait.SESAME,
)
TRAIT_LABELS = {
    "milk": "Milk",
    "egg": "Egg",
    "fish": "Fish",
    "shellfish": "Shellfish",
    "tree_nuts": "Tree nuts",
    "peanuts": "Peanuts",
    "gluten": "Gluten",
    "soy": "Soy",
    "sesame": "Sesame",
    "meat": "Meat",
    "animal": "Animal product",
}


class Diet(StrEnum):
    VEGAN = "vegan"
    VEGETARIAN = "vegetarian"
    GLUTEN_FREE = "gluten_free"
    DAIRY_FREE = "dairy_free"
    KETO = "keto"


DIET_LABELS = {
    "vegan": "Vegan",
    "vegetarian": "Vegetarian",
    "gluten_free": "Gluten-free",
    "dairy_free": "Dairy-free",
    "keto": "Keto",
}
# The traits each ingredient-based diet excludes.
EXCLUDES: dict[Diet, frozenset[Trait]] = {
    Diet.VEGETARIAN: frozenset({Trait.MEAT, Trait.FISH, Trait.SHELLFISH}),
    Diet.VEGAN: frozenset(
        {Trait.MEAT, Trait.FISH, Trait.SHELLFISH, Trait.MILK, Trait.EGG, Trait.ANIMAL}
    ),
    Diet.GLUTEN_FREE: frozenset({Trait.GLUTEN}),
    Diet.DAIRY_FREE: frozenset({Trait.MILK}),
}
KETO_MAX_NET_CARB_SHARE = 0.10

# Food groups whose foods all carry a trait (unless a name rule says otherwise).
_GROUP_TRAITS: dict[str, Trait] = {
    "poultry": Trait.MEAT,
    "beef": Trait.MEAT,
    "pork": Trait.MEAT,
    "lamb_veal_game": Trait.MEAT,
    "sausages_meats": Trait.MEAT,
    "baked": Trait.GLUTEN,
}


def _phrases_of(text: str) -> tuple[str, ...]:
    return tuple(p.strip() for p in text.split(","))


# Whole words and phrases of names (normalized, singular where the stemmer would make it).
_WORDS: dict[Trait, tuple[str, ...]] = {
    Trait.MEAT: _phrases_of(
        "chicken, turkey, beef, pork, ham, bacon, lamb, mutton, veal, sausage, salami, "
        "pepperoni, bologna, frankfurter, hot dog, hotdog, duck, goose, venison, bison, "
        "buffalo, elk, moose, rabbit, goat, meat, meatball, meatloaf, lard, gelatin, "
        "gelatine, liver, pastrami, chorizo, prosciutto, jerky, tallow, suet, giblet, quail, "
        "pheasant, pate, kielbasa, bratwurst, corned, brisket, burger, hamburger, "
        "cheeseburger, oxtail, tripe, carnitas, chicharrone, pemmican, caribou, "
        "seal, walrus, whale"
    ),
    Trait.FISH: _phrases_of(
        "fish, salmon, tuna, cod, anchovy, sardine, herring, mackerel, trout, tilapia, "
        "halibut, pollock, haddock, catfish, bass, carp, perch, pike, snapper, swordfish, "
        "sole, flounder, roe, caviar, surimi, eel, worcestershire, whitefish, grouper, "
        "mahimahi, bluefish, pompano, sturgeon, smelt, shad, mullet, croaker, rockfish, "
        "whiting, burbot, cisco, dolphinfish, drum, lingcod, monkfish, ocean perch, roughy, "
        "sablefish, scup, sheepshead, spot, tilefish, wolffish, yellowtail, butterfish, "
        "milkfish, pout, sucker, anchovies, lox"
    ),
    Trait.SHELLFISH: _phrases_of(
        "shrimp, prawn, crab, lobster, crayfish, crawfish, clam, mussel, oyster, scallop, "
        "squid, calamari, octopus, snail, escargot, whelk, abalone, cuttlefish, conch, "
        "shellfish, krill"
    ),
    Trait.MILK: _phrases_of(
        "milk, cheese, butter, cream, yogurt, yoghurt, whey, casein, caseinate, ghee, kefir, "
        "custard, lactose, ricotta, mozzarella, parmesan, cheddar, brie, feta, half and half, "
        "pudding, buttermilk, milkfat, eggnog, queso, paneer, mascarpone, gouda, provolone, "
        "camembert, colby, gruyere, neufchatel, romano, alfredo, frosting, icing, nougat, "
        "cheesecake, cheeseburger, milkshake, creamer, lassi, gelato, tzatziki, raita, latte, "
        "cappuccino"
    ),
    Trait.EGG: _phrases_of(
        "egg, mayonnaise, meringue, albumen, custard, eggnog, omelet, omelette, quiche, "
        "frittata, souffle, hollandaise, aioli, flan, egg noodle, noodle egg"
    ),
    Trait.GLUTEN: _phrases_of(
        "wheat, barley, rye, spelt, semolina, durum, farro, couscous, bulgur, bulgar, seitan, "
        "malt, malted, bread, pasta, spaghetti, macaroni, noodle, flour, cracker, cookie, "
        "cake, pie, pastry, croissant, bagel, muffin, pizza, pretzel, breadcrumb, breaded, "
        "batter, biscuit, doughnut, donut, waffle, pancake, tortilla, triticale, kamut, soy "
        "sauce, beer, ale, lager, oat, oatmeal, granola, bran, crouton, dumpling, lasagna, "
        "ravioli, tortellini, gnocchi, pita, bun, roll, stuffing, brownie, cereal, wafer, "
        "matzo, teriyaki, orzo, ramen, udon, gravy, roux, graham, crepe, strudel, eclair, "
        "scone, danish, baklava, churro, burrito, sandwich, sub, hoagie, burger, hamburger, "
        "cheeseburger, hot dog, corn dog, nugget, wonton, eggroll, egg roll, empanada"
    ),
    Trait.TREE_NUTS: _phrases_of(
        "almond, cashew, walnut, pecan, pistachio, hazelnut, filbert, macadamia, brazilnut, "
        "brazil nut, pine nut, pinyon, pignolia, chestnut, praline, marzipan, nutella, "
        "beechnut, hickorynut, hickory nut, ginkgo, mixed nut, nut"
    ),
    Trait.PEANUTS: _phrases_of("peanut, goober"),
    Trait.SOY: _phrases_of(
        "soy, soya, soybean, tofu, tempeh, edamame, miso, natto, soymilk, tamari, textured "
        "vegetable protein, okara, yuba"
    ),
    Trait.SESAME: _phrases_of("sesame, tahini, halvah, halva, hummus, tahina"),
    Trait.ANIMAL: _phrases_of("honey, royal jelly, bee pollen"),
}

# Groups where the bare word "meat" means a fruit's or nut's flesh.
_PLANT_GROUPS = frozenset({"nuts_seeds", "fruits", "vegetables", "legumes"})

# Phrases that look like a trait but are not, with the traits they cancel when no word
# outside them gives them back. "a + b" means both words, anywhere in the name.
_NOT: dict[str, frozenset[Trait]] = {
    "peanut butter": frozenset({Trait.MILK}),
    "almond butter": frozenset({Trait.MILK}),
    "cashew butter": frozenset({Trait.MILK}),
    "sesame butter": frozenset({Trait.MILK}),
    "nut butter": frozenset({Trait.MILK}),
    "apple butter": frozenset({Trait.MILK}),
    "cocoa butter": frozenset({Trait.MILK}),
    "butter bean": frozenset({Trait.MILK}),
    "coconut milk": frozenset({Trait.MILK}),
    "coconut cream": frozenset({Trait.MILK}),
    "soy milk": frozenset({Trait.MILK}),
    "almond milk": frozenset({Trait.MILK}),
    "rice milk": frozenset({Trait.MILK}),
    "oat milk": frozenset({Trait.MILK}),
    "milk substitute": frozenset({Trait.MILK}),
    "cream substitute": frozenset({Trait.MILK}),
    "cream of tartar": frozenset({Trait.MILK}),
    "cream soda": frozenset({Trait.MILK}),
    "coconut meat": frozenset({Trait.MEAT}),
    "imitation": frozenset({Trait.MEAT}),
    "egg substitute": frozenset(),
    "rice noodle": frozenset({Trait.GLUTEN}),
    "rice flour": frozenset({Trait.GLUTEN}),
    "corn flour": frozenset({Trait.GLUTEN}),
    "potato flour": frozenset({Trait.GLUTEN}),
    "almond flour": frozenset({Trait.GLUTEN}),
    "coconut flour": frozenset({Trait.GLUTEN}),
    "soy flour": frozenset({Trait.GLUTEN}),
    "chickpea flour": frozenset({Trait.GLUTEN}),
    "tortilla + corn": frozenset({Trait.GLUTEN}),
    "taco shell + corn": frozenset({Trait.GLUTEN}),
    "rice cake": frozenset({Trait.GLUTEN}),
    "rice cracker": frozenset({Trait.GLUTEN}),
    "buckwheat": frozenset({Trait.GLUTEN}),
    "soy yogurt": frozenset({Trait.MILK}),
    "coconut yogurt": frozenset({Trait.MILK}),
    "almond yogurt": frozenset({Trait.MILK}),
    "custard apple": frozenset({Trait.MILK, Trait.EGG}),
    "shortening bread": frozenset({Trait.GLUTEN}),
    "nutmeg": frozenset({Trait.TREE_NUTS}),
    "nut coconut": frozenset({Trait.TREE_NUTS}),
    "ginger ale": frozenset({Trait.GLUTEN}),
    "root beer": frozenset({Trait.GLUTEN}),
    "birch beer": frozenset({Trait.GLUTEN}),
    "fruit roll": frozenset({Trait.GLUTEN}),
    "fruit leather": frozenset({Trait.GLUTEN}),
    "coconut": frozenset({Trait.TREE_NUTS}),
    "doughnut": frozenset({Trait.TREE_NUTS}),
    "water chestnut": frozenset({Trait.TREE_NUTS}),
    "butternut squash": frozenset({Trait.TREE_NUTS}),
    "tiger nut": frozenset({Trait.TREE_NUTS}),
}


# Words that take a trait away from the whole name ("Frankfurter, meatless").
_FREE_OF: dict[str, frozenset[Trait]] = {
    "meatless": frozenset({Trait.MEAT}),
    "vegetarian": frozenset({Trait.MEAT}),
    "vegan": frozenset({Trait.MEAT, Trait.MILK, Trait.EGG, Trait.ANIMAL}),
    "veggie": frozenset({Trait.MEAT}),
    "meat substitute": frozenset({Trait.MEAT}),
    "nondairy": frozenset({Trait.MILK}),
    "non dairy": frozenset({Trait.MILK}),
    "dairy free": frozenset({Trait.MILK}),
    "gluten free": frozenset({Trait.GLUTEN}),
    "nut free": frozenset({Trait.TREE_NUTS, Trait.PEANUTS}),
}


def _by_first_word(
    pairs: Iterable[tuple[str, Any]],
) -> dict[str, list[tuple[tuple[str, ...], Any]]]:
    index: dict[str, list[tuple[tuple[str, ...], Any]]] = {}
    for phrase, value in pairs:
        words = tuple(text_words(phrase))
        index.setdefault(words[0], []).append((words, value))
    return index


_RULES = _by_first_word((p, t) for t, phrases in _WORDS.items() for p in phrases)
_CANCEL = _by_first_word((p, t) for p, t in _NOT.items() if "+" not in p)
_FREE = _by_first_word(_FREE_OF.items())
_CANCEL_TOGETHER = [
    (frozenset(text_words(p.replace("+", " "))), t) for p, t in _NOT.items() if "+" in p
]


def _matches(
    words: list[str], index: dict[str, list[tuple[tuple[str, ...], Any]]]
) -> list[tuple[int, int, Any]]:
    """(start, end, value) of every phrase of ``index`` found in ``words``."""
    found = []
    for i, word in enumerate(words):
        for phrase, value in index.get(word, ()):
            if tuple(words[i : i + len(phrase)]) == phrase:
                found.append((i, i + len(phrase), value))
    return found


def _traits_in(words: list[str]) -> set[Trait]:
    return {trait for _, _, trait in _matches(words, _RULES)}


@functools.lru_cache(maxsize=32768)
def derive(name: str, group: str | None) -> frozenset[Trait]:
    """The traits of a food from its name and food group slug.

    A trait comes from a word of the name, unless every word that gives it sits inside a
    phrase that cancels it ("peanut butter" keeps peanuts and drops milk)."""
    words = text_words(name)
    covered: set[int] = set()
    cancelled: set[Trait] = set()
    for start, end, traits in _matches(words, _CANCEL):
        covered.update(range(start, end))
        cancelled |= traits
    for together, traits in _CANCEL_TOGETHER:
        if together <= set(words):
            covered.update(i for i, w in enumerate(words) if w in together)
            cancelled |= traits
    rest = [w for i, w in enumerate(words) if i not in covered]
    found = _traits_in(rest) | (_traits_in(words) - cancelled)
    for _, _, traits in _matches(words, _FREE):
        found -= traits
        cancelled |= traits
    if group == "dairy_egg" and Trait.EGG not in found and Trait.MILK not in cancelled:
        found.add(Trait.MILK)
    elif group == "fish_shellfish":
        found.discard(Trait.MEAT)  # "crab meat", "devilfish, meat": the flesh of the fish
        if not found & {Trait.FISH, Trait.SHELLFISH}:
            found.add(Trait.FISH)
    elif group in _GROUP_TRAITS and _GROUP_TRAITS[group] not in cancelled:
        found.add(_GROUP_TRAITS[group])
    if group in _PLANT_GROUPS and Trait.MEAT in found:
        meat_words = {tuple(rest[a:b]) for a, b, t in _matches(rest, _RULES) if t == Trait.MEAT}
        if meat_words <= {("meat",)}:  # "coconut ... grated meat", "nut meats": the flesh
            found.discard(Trait.MEAT)
    return frozenset(found)


def allergens(traits: Iterable[str]) -> list[str]:
    present = set(traits)
    return [a.value for a in ALLERGENS if a in present]


def net_carb_share(amounts: Amounts) -> float | None:
    """Net carbohydrate energy as a share of the energy from protein, fat and
    carbohydrate; None when a macronutrient is unknown or there is no energy at all."""
    energy = amounts.macro_energy()
    if energy is None or sum(energy.values()) <= 0:
        return None
    carbs = amounts.value("carbohydrate_g") or 0.0
    fibre = amounts.value("fiber_g")
    net = max(0.0, carbs - (fibre or 0.0))
    return net * 4.0 / sum(energy.values())


def keto(amounts: Amounts) -> bool | None:
    """Net carbohydrate at most 10% of macronutrient energy; None when unknown."""
    share = net_carb_share(amounts)
    return None if share is None else share <= KETO_MAX_NET_CARB_SHARE


def diets(traits: Iterable[str], amounts: Amounts | None = None) -> list[str]:
    """The diets a food or recipe with these traits (and, for keto, these amounts) fits."""
    present = set(traits)
    fits = [d.value for d, excluded in EXCLUDES.items() if not excluded & present]
    if amounts is not None and keto(amounts):
        fits.append(Diet.KETO.value)
    order = list(Diet)
    return sorted(fits, key=lambda d: order.index(Diet(d)))


def conflicts(diet: str, traits_by_item: dict[str, Iterable[str]]) -> list[str]:
    """The items (by name) that break an ingredient-based ``diet``, with why."""
    excluded = EXCLUDES.get(Diet(diet), frozenset())
    out = []
    for name, traits in traits_by_item.items():
        bad = [TRAIT_LABELS[t] for t in sorted(set(traits) & excluded)]
        if bad:
            out.append(f"{name} ({', '.join(bad).lower()})")
    return out
