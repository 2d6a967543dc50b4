"""Meal plans in a browser: a trainer creates a plan from the navigation, adds eggs to
breakfast from the inline search, changes the quantity in place, sets a target and sees
the day under it, then duplicates the day and opens the second day's tab; then moves the
eggs to lunch with the keyboard and on to the second day's dinner, the totals following."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e import test_foundation_flow as foundation
from tests.e2e.test_coaching_flow import shot

pytestmark = pytest.mark.browser


def test_trainer_builds_a_meal_plan(new_page, live_server):
    page = new_page()
    foundation.register(
        page, name="Nina Nutrition", email=foundation.unique("nina"), business="Plan Lab"
    )
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Meal plans").click()
    expect(page.get_by_text("No meal plan templates yet")).to_be_visible()
    page.get_by_role("button", name="New plan").click()
    page.get_by_label("Name", exact=True).fill("Lean week")
    page.get_by_role("button", name="Create and add meals").click()
    expect(page.get_by_role("heading", name="Lean week")).to_be_visible()

    breakfast = page.locator("section.n-meal", has=page.get_by_role("heading", name="Breakfast"))
    breakfast.get_by_role("button", name="+ Add to breakfast").click()
    breakfast.get_by_label("Search foods for breakfast").fill("egg whole raw")
    result = breakfast.locator("form.n-result", has_text="Egg, whole, raw, fresh").first
    expect(result).to_be_visible()
    result.get_by_label("Quantity").fill("2")
    result.get_by_role("button", name="Add").click()
    breakfast = page.locator("section.n-meal", has=page.get_by_role("heading", name="Breakfast"))
    expect(breakfast.locator(".name", has_text="Egg, whole, raw, fresh")).to_be_visible()
    expect(breakfast).to_contain_text("143")

    quantity = breakfast.get_by_label("Quantity of Egg, whole, raw, fresh")
    quantity.fill("4")
    quantity.press("Tab")
    expect(page.locator("section.n-meal", has_text="Breakfast")).to_contain_text("286")

    page.get_by_text("Name, diets and targets").click()
    page.get_by_label("kcal").fill("2000")
    page.get_by_role("button", name="Save", exact=True).first.click()
    expect(page.locator(".n-vs.under")).to_contain_text("under")
    shot(page, "meal-plan-builder")

    page.get_by_role("button", name="Duplicate day").click()
    tabs = page.get_by_role("navigation", name="Days")
    expect(tabs.get_by_role("link", name=re.compile("Day 2"))).to_have_attribute(
        "aria-current", "page"
    )
    tabs.get_by_role("link", name=re.compile("Day 1")).click()
    expect(tabs.get_by_role("link", name=re.compile("Day 1"))).to_have_attribute(
        "aria-current", "page"
    )

    # Move the eggs to lunch with the keyboard: Move, choose the meal, Tab, Enter.
    move = page.get_by_role("button", name="Move Egg, whole, raw, fresh", exact=True)
    move.focus()
    page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog", name="Move Egg, whole, raw, fresh", exact=True)
    expect(dialog).to_be_visible()
    where = dialog.get_by_label("To")
    expect(where).to_be_focused()
    expect(where).to_have_value(re.compile(".+"))  # the item's own meal, to start from
    where.select_option(label="Day 1 · Lunch")
    page.keyboard.press("Tab")
    expect(dialog.get_by_role("button", name="Move here")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator(".n-moved")).to_contain_text(
        "Moved Egg, whole, raw, fresh to Day 1 · Lunch."
    )
    lunch = page.locator("section.n-meal", has=page.get_by_role("heading", name="Lunch"))
    expect(lunch.locator(".name", has_text="Egg, whole, raw, fresh")).to_be_visible()
    expect(lunch.locator(".n-kcal")).to_contain_text("286")
    expect(page.locator("section.n-meal", has_text="Breakfast")).to_contain_text(
        "Nothing planned for breakfast yet"
    )
    # The focus is back on the moved item, so the keyboard carries on from there.
    expect(
        lunch.get_by_role("button", name="Move Egg, whole, raw, fresh", exact=True)
    ).to_be_focused()

    # Then to day 2's dinner: day 1 empties, day 2 has both portions.
    page.keyboard.press("Enter")
    page.get_by_role("dialog").get_by_label("To").select_option(label="Day 2 · Dinner")
    page.get_by_role("dialog").get_by_role("button", name="Move here").click()
    status = page.locator(".n-moved")
    expect(status).to_contain_text("to Day 2 · Dinner")
    expect(status).to_be_focused()
    expect(tabs.get_by_role("link", name=re.compile("Day 1"))).to_contain_text("0 kcal")
    expect(tabs.get_by_role("link", name=re.compile("Day 2"))).to_contain_text("572")
    status.get_by_role("link", name="Open day 2").click()
    dinner = page.locator("section.n-meal", has=page.get_by_role("heading", name="Dinner"))
    expect(dinner.locator(".name", has_text="Egg, whole, raw, fresh")).to_be_visible()
    expect(dinner.locator(".n-kcal")).to_contain_text("286")
