from spotter.core.errors import Conflict, Forbidden, InvalidInput, NotFound


class FoodNotFound(NotFound):
    code, title = "food_not_found", "No such food"


class RecipeNotFound(NotFound):
    code, title = "recipe_not_found", "No such recipe"


class TargetNotFound(NotFound):
    code, title = "target_not_found", "No such nutrition target"


class EntryNotFound(NotFound):
    code, title = "diary_entry_not_found", "No such diary entry"


class SharedFoodReadOnly(Conflict):
    code, title = (
        "shared_food_read_only",
        "USDA foods cannot be changed; add your own food (POST /foods) instead",
    )


class ArchivedFood(Conflict):
    code, title = "food_archived", "This food is archived and cannot be changed"


class ArchivedRecipe(Conflict):
    code, title = "recipe_archived", "This recipe is archived and cannot be changed"


class BarcodeTaken(Conflict):
    code, title = "barcode_taken", "Another food here already has this barcode"


class RecipeCycle(InvalidInput):
    code, title = "recipe_cycle", "A recipe cannot contain itself"


class MealPlanNotFound(NotFound):
    code, title = "meal_plan_not_found", "No such meal plan"


class MealPlanReadOnly(Forbidden):
    code, title = "meal_plan_read_only", "You cannot change this meal plan"


class MealPlanArchived(Conflict):
    code, title = "meal_plan_archived", "This meal plan is archived and cannot be changed"


class NotAssigned(Conflict):
    code, title = "meal_plan_not_assigned", "Only a plan assigned to a client is logged"


class MealPlanItemNotFound(NotFound):
    code, title = "meal_plan_item_not_found", "No such item in this meal plan"


class MealPlanMealNotFound(NotFound):
    code, title = "meal_plan_meal_not_found", "No such meal"
