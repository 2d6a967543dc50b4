"""Meal plans in a browser: a trainer creates a plan from the navigation, adds eggs to
breakfast from the inline search, changes the quantity in place, sets a target and sees
the day under it, then duplicates the day and opens the second day's tab."""

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
    expect(breakfast.get_by_text("Egg, whole, raw, fresh")).to_be_visible()
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
