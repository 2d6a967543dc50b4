"""Nutrition pages: food search and custom foods, recipes, the macro calculator and
targets, the food diary and the trainer's adherence overview, meal plans, shopping lists
and the pantry (one module each)."""

from spotter.nutrition.pages import (  # noqa: F401  (their routes)
    diary,
    foods,
    generate,
    pantry,
    plans,
    recipes,
    shopping,
    targets,
)
from spotter.nutrition.pages.routes import router

__all__ = ["router"]
