"""Nutrition tables: the food database (shared USDA foods and custom foods), recipes,
targets, the food diary, meal plans and shopping lists. See each module for its design
notes."""

from spotter.nutrition.models.diary import DiaryEntry, NutritionProfile, NutritionTarget
from spotter.nutrition.models.foods import (
    NUTRIENT_COLUMNS,
    CustomFood,
    CustomFoodCatalog,
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
from spotter.nutrition.models.shopping import PantryStaple, ShoppingList, ShoppingListItem

__all__ = [
    "NUTRIENT_COLUMNS",
    "CustomFood",
    "CustomFoodCatalog",
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
    "PantryStaple",
    "Recipe",
    "RecipeIngredient",
    "ShoppingList",
    "ShoppingListItem",
]
