"""The nutrition API: one router made of the areas' routers."""

from fastapi import APIRouter

from spotter.nutrition.router.diary import router as diary
from spotter.nutrition.router.foods import router as foods
from spotter.nutrition.router.recipes import router as recipes
from spotter.nutrition.router.targets import router as targets

router = APIRouter()
for part in (foods, recipes, targets, diary):
    router.include_router(part)
