"""Nutrition tables: the food database (shared USDA foods and custom foods), recipes,
targets, the food diary and meal plans. See each module for its design notes."""

from spotter.nutrition.models.diary import DiaryEntry, NutritionProfile, NutritionTarget
from spotter.nutrition.models.foods import (
    NUTRIENT_COLUMNS,
    CustomFood,
    CustomFoodPortion,
    CustomFoodTerm,
    Food,
    FoodAmount,
    FoodGroup,
    FoodPortion,
    NutrientColumns,
)
from spotter.nutrition.models.plans import MealPlan, MealPlanDay, MealPlanItem, MealPlanMeal
from spotter.nutrition.models.recipes import Recipe, RecipeIngredient

__all__ = [
    "NUTRIENT_COLUMNS",
    "CustomFood",
    "CustomFoodPortion",
    "CustomFoodTerm",
    "DiaryEntry",
    "Food",
    "FoodAmount",
    "FoodGroup",
    "FoodPortion",
    "MealPlan",
    "MealPlanDay",
    "MealPlanItem",
    "MealPlanMeal",
    "NutrientColumns",
    "NutritionProfile",
    "NutritionTarget",
    "Recipe",
    "RecipeIngredient",
]
