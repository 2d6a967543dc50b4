"""Shopping in a browser: a trainer assigns a meal plan (through the API) to a client who
accepted an invitation; the client, on a phone-sized screen, makes this week's list from
the plan and ticks items off with one tap each; a second device of the client sees the
ticks. Then the client marks the eggs as at home on the pantry page (found with the food
search), the list stops counting them, and taking them off puts them back."""

from __future__ import annotations

import re
from datetime import date, timedelta

import httpx
import pytest
from playwright.sync_api import expect

from spotter.nutrition.dataset import food_id
from tests.e2e import test_foundation_flow as foundation
from tests.e2e.test_progress_flow import invite_client

pytestmark = pytest.mark.browser
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


def assign_plan(base_url: str, trainer_email: str) -> None:
    """A one-day plan (2 large eggs, 200 g chicken) for the only client, from this Monday."""
    with httpx.Client(base_url=base_url, timeout=30) as http:
        r = http.post(
            "/api/v1/auth/login", json={"email": trainer_email, "password": foundation.PASSWORD}
        )
        r.raise_for_status()
        auth = {"Authorization": f"Bearer {r.json()['access_token']}"}
        (client,) = http.get("/api/v1/clients", headers=auth).json()["items"]
        day = {
            "meals": [
                {
                    "name": "Breakfast",
                    "items": [{"food_id": str(food_id("01123")), "quantity": 100, "unit": "g"}],
                },
                {
                    "name": "Dinner",
                    "items": [{"food_id": str(food_id("05062")), "quantity": 200, "unit": "g"}],
                },
            ]
        }
        plan = http.post("/api/v1/meal-plans", headers=auth, json={"name": "Simple", "days": [day]})
        assert plan.status_code == 201, plan.text
        monday = date.today() - timedelta(days=date.today().weekday())
        r = http.post(
            f"/api/v1/meal-plans/{plan.json()['id']}/assign",
            headers=auth,
            json={"client_id": client["id"], "starts_on": monday.isoformat()},
        )
        assert r.status_code == 201, r.text


def test_client_ticks_off_a_shopping_list_on_a_phone(new_page, live_server):
    trainer = new_page()
    trainer_email = foundation.unique("shop-trainer")
    foundation.register(trainer, name="Sam Shop", email=trainer_email, business="Shop Lab")
    client_email = foundation.unique("shopper")
    url = invite_client(trainer, client_email, "Pat Shopper")
    phone = new_page(**PHONE)
    phone.goto(url)
    phone.get_by_label("Your name").fill("Pat Shopper")
    phone.get_by_label("Choose a password").fill(foundation.PASSWORD)
    phone.get_by_role("button", name="Accept invitation").click()
    expect(phone).to_have_url(re.compile(r"/home$"))
    assign_plan(live_server.url, trainer_email)

    phone.goto("/shopping")
    expect(phone.get_by_role("heading", name="No shopping list yet")).to_be_visible()
    phone.get_by_role("button", name=re.compile("^This week")).click()
    listed = phone.locator("#shopping-list")
    # 7 x 100 g of egg = 14 large eggs; 7 x 200 g of chicken = 1.4 kg
    expect(listed).to_contain_text("0 of 2")
    eggs = listed.locator("li.s-item", has_text="14 eggs (large)")
    box = eggs.locator("label").bounding_box()
    assert box and box["height"] >= 48, box  # a big tap target
    eggs.locator("label").tap()
    expect(listed).to_contain_text("1 of 2")
    expect(listed.locator("li.s-item.is-ticked", has_text="14 eggs (large)")).to_be_visible()
    # Ticked items sink to the end of their aisle and the tick is saved: a second device
    # of the client sees it.
    other = new_page(**PHONE)
    other.goto("/login")
    other.get_by_label("Email").fill(client_email)
    other.get_by_label("Password", exact=True).fill(foundation.PASSWORD)
    other.get_by_role("button", name="Log in").click()
    expect(other).to_have_url(re.compile(r"/home$"))
    other.goto("/shopping")
    expect(other.locator("#shopping-list")).to_contain_text("1 of 2")
    other.locator("li.s-item", has_text="1.4 kg").locator("label").tap()
    expect(other.locator("#shopping-list")).to_contain_text("2 of 2")
    # The first phone catches up when it comes back into view (or within 20 s).
    phone.evaluate("document.dispatchEvent(new Event('visibilitychange'))")
    expect(listed).to_contain_text("2 of 2")

    # The pantry, from the shopping page: the eggs are at home, so the list stops
    # counting them; taking them off puts them back.
    phone.get_by_role("link", name="What's at home").click()
    expect(phone.get_by_role("heading", name="What you have at home")).to_be_visible()
    expect(phone.get_by_text("Nothing at home yet.")).to_be_visible()
    phone.get_by_label("Search foods").fill("egg whole raw")
    result = phone.locator("#pantry-results li.s-item", has_text="Egg, whole, raw, fresh").first
    add = result.get_by_role("button", name=re.compile("^Add Egg, whole, raw, fresh"))
    box = add.bounding_box()
    assert box and box["height"] >= 48 and box["width"] >= 48, box
    add.tap()
    home = phone.locator("#pantry-list")
    expect(home).to_contain_text("Egg, whole, raw, fresh")
    expect(home).to_contain_text("1 food")
    expect(result).to_contain_text("✓ Added")
    no_sideways = "document.documentElement.scrollWidth <= window.innerWidth"
    assert phone.evaluate(no_sideways)
    phone.get_by_role("link", name="Back to the shopping list").click()
    expect(listed).to_contain_text("1 of 1")  # the chicken, ticked on the other phone
    expect(listed.locator(".s-home")).to_contain_text("Egg, whole, raw, fresh")
    listed.get_by_role("link", name="Change what is at home").click()
    remove = phone.get_by_role("button", name="Remove Egg, whole, raw, fresh from what is at home")
    remove.tap()
    expect(phone.get_by_text("Nothing at home yet.")).to_be_visible()
    expect(phone.locator("#pantry-list .empty")).to_be_focused()
    phone.goto("/shopping")
    expect(phone.locator("#shopping-list")).to_contain_text("2 of 2")
