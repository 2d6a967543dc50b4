"""The nutrition API: one router made of the areas' routers."""

from fastapi import APIRouter

from spotter.nutrition.router.foods import router as foods

router = APIRouter()
for part in (foods,):
    router.include_router(part)
