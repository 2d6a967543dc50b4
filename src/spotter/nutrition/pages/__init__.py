"""Nutrition pages: food search and custom foods, recipes, the macro calculator and
targets, the food diary and the trainer's adherence overview."""

from fastapi import APIRouter

from spotter.nutrition.pages.diary import router as diary
from spotter.nutrition.pages.foods import router as foods
from spotter.nutrition.pages.recipes import router as recipes
from spotter.nutrition.pages.targets import router as targets

router = APIRouter()
for part in (foods, recipes, targets, diary):
    router.include_router(part)
