"""The nutrition JSON API: foods, recipes, targets and the calculator, the diary (one
module each), under /api/v1."""

from spotter.nutrition.router import (  # noqa: F401  (their routes)
    diary,
    foods,
    generate,
    plans,
    recipes,
    shopping,
    targets,
)
from spotter.nutrition.router.routes import router

__all__ = ["router"]
