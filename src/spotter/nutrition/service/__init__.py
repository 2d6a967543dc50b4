"""The nutrition domain's rules, one module per area:

* ``library``: the shared USDA foods, indexed in process memory once;
* ``access``: who sees and writes which custom foods, recipes and client data;
* ``custom``: custom foods and their search terms;
* ``foods``: reading foods (one, many, by barcode); ``search``: food search;
* ``recipes``, ``targets`` (and the calculator), ``diary`` (and adherence).

Other domains (meal plans, shopping lists) use ``foods_by_ids``, ``recipe_views`` and the
``FoodView``/``Amounts`` values: grams and nutrients come from here, computed one way.
"""

from spotter.nutrition.service.custom import archive_food, create_food, update_food
from spotter.nutrition.service.foods import food_by_barcode, foods_by_ids, get_food
from spotter.nutrition.service.library import forget_shared_foods, shared_foods
from spotter.nutrition.service.search import search

__all__ = [
    "archive_food",
    "create_food",
    "food_by_barcode",
    "foods_by_ids",
    "forget_shared_foods",
    "get_food",
    "search",
    "shared_foods",
    "update_food",
]
