"""Coaching in a browser: a trainer creates a client, records their health history and a
goal, builds a 3-day template with a superset, assigns it dynamically from today; the
client, on a phone, sees today's workout with each prescription.

Set ``SPOTTER_SCREENSHOT_DIR`` to keep screenshots of the pages on the way (light and dark,
phone and desktop) for a visual review."""

from __future__ import annotations

import os
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.e2e import test_foundation_flow as foundation

pytestmark = pytest.mark.browser
SHOTS = os.environ.get("SPOTTER_SCREENSHOT_DIR")


def shot(page: Page, name: str) -> None:
    """Phone and desktop widths, light and dark, when SPOTTER_SCREENSHOT_DIR is set."""
    if not SHOTS:
        return
    Path(SHOTS).mkdir(parents=True, exist_ok=True)
    size = page.viewport_size or {"width": 1280, "height": 900}
    for width in (390, 1280):
        page.set_viewport_size({"width": width, "height": size["height"]})
        for scheme in ("light", "dark"):
            page.emulate_media(color_scheme=scheme)
            page.screenshot(path=str(Path(SHOTS) / f"{name}-{width}-{scheme}.png"), full_page=True)
    page.emulate_media(color_scheme="light")
    page.set_viewport_size(size)


def settled(page: Page) -> None:
    """HTMX has finished swapping (new content is wired up only after it settles)."""
    page.wait_for_function(
        "!document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling, .htmx-added')"
    )


def add_exercise(page: Page, day: Any, query: str) -> None:
    before = day.locator("[data-rx]").count()
    settled(page)
    day.get_by_role("searchbox").fill(query)
    day.locator(".result").first.wait_for()
    day.get_by_role("searchbox").press("Enter")
    expect(day.locator("[data-rx]")).to_have_count(before + 1)
    settled(page)


def pick(page: Page, scope: Any, label: str, query: str, name: str) -> None:
    """Choose in a search-and-choose picker with the keyboard: type, Enter takes the
    first match, and the focus lands on "Change"."""
    settled(page)
    box = scope.get_by_label(label, exact=True)
    box.fill(query)
    scope.locator(".result").first.wait_for()
    box.press("Enter")
    expect(scope.get_by_text(name, exact=True).first).to_be_visible()
    expect(scope.get_by_role("button", name="Change")).to_be_focused()


def test_trainer_builds_and_assigns_client_sees_today(new_page, live_server):
    email = foundation.unique("coach")
    client_email = foundation.unique("cara")
    trainer = new_page()
    foundation.register(trainer, name="Tom Trainer", email=email, business="Coach Lab")

    # A new client, from the client list.
    trainer.get_by_role("navigation", name="Main").get_by_role("link", name="Clients").click()
    expect(trainer.get_by_text("No clients yet")).to_be_visible()
    trainer.get_by_role("link", name="New client").click()
    trainer.get_by_role("button", name="Add client").click()
    expect(trainer.get_by_role("alert")).to_be_visible()  # a name is required
    trainer.get_by_label("First name").fill("Cara")
    trainer.get_by_label("Last name").fill("Client")
    trainer.get_by_label("Email").fill(client_email)
    trainer.get_by_role("button", name="Add client").click()
    expect(trainer.get_by_role("heading", name="Cara Client")).to_be_visible()
    client_url = trainer.url

    # Health history (restricted tab) and a goal.
    tabs = trainer.get_by_role("navigation", name="Client record")
    tabs.get_by_role("link", name=re.compile("Health")).click()
    heart = trainer.locator(".parq").first
    heart.get_by_label("Yes").check()
    heart.get_by_label("Details").fill("Controlled blood pressure")
    trainer.get_by_label("Conditions").fill("Hypertension")
    contact = trainer.get_by_role("group", name="Emergency contact")
    contact.get_by_label("Name").fill("Eve Client")
    contact.get_by_label("Phone").fill("+44 20 7946 0000")
    trainer.get_by_role("button", name="Save health history").click()
    expect(trainer.get_by_text("Health history saved.")).to_be_visible()
    expect(trainer.get_by_text("Ask for medical clearance")).to_be_visible()
    shot(trainer, "client-health")

    tabs.get_by_role("link", name="Goals").click()
    trainer.get_by_label("Type").select_option("habit")
    trainer.get_by_label("Title").fill("Train three times a week")
    trainer.get_by_label("Start").fill("0")
    trainer.get_by_label("Target value").fill("12")
    trainer.get_by_label("Unit").fill("weeks")
    trainer.get_by_role("button", name="Add goal").click()
    expect(trainer.get_by_text("Goal added.")).to_be_visible()
    expect(trainer.get_by_text("Train three times a week").first).to_be_visible()

    # A 3-day template with a superset.
    trainer.get_by_role("navigation", name="Main").get_by_role("link", name="Programs").click()
    trainer.get_by_label("Name", exact=True).fill("Strength 3-day")
    trainer.get_by_label("Weeks").fill("4")
    trainer.get_by_label("Days a week").fill("3")
    trainer.get_by_role("button", name="Create and build").click()
    expect(trainer.get_by_role("heading", name="Strength 3-day")).to_be_visible()
    days = trainer.locator("article.workout")
    expect(days).to_have_count(3)
    day1, day2, day3 = days.nth(0), days.nth(1), days.nth(2)
    add_exercise(trainer, day1, "barbell bench press")
    add_exercise(trainer, day1, "bent over row")
    add_exercise(trainer, day1, "plank")
    day1.get_by_role("button", name=re.compile("^Superset .* with ")).first.click()
    expect(day1.get_by_text("Superset A")).to_be_visible()
    sets = day1.get_by_label("Sets").first
    sets.fill("4")
    sets.press("Tab")
    expect(day1.get_by_label("Sets").first).to_have_value("4")
    add_exercise(trainer, day2, "squat")
    add_exercise(trainer, day3, "deadlift")
    shot(trainer, "builder")

    # Assign it dynamically, from today, on every day of the week.
    trainer.get_by_role("button", name="Assign to a client").click()
    dialog = trainer.get_by_role("dialog")
    pick(trainer, dialog, "Client", "cara", "Cara Client")
    dialog.get_by_role("radio", name=re.compile("Dynamic")).check()
    today = datetime.now(UTC).date()
    expect(dialog.get_by_label("Start date")).to_have_value(today.isoformat())
    for day in ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"):
        dialog.get_by_label(day, exact=True).check()
    shot(trainer, "assign-dialog")
    dialog.get_by_role("button", name="Assign program").click()
    expect(trainer.get_by_text(re.compile("Strength 3-day assigned"))).to_be_visible()
    assert trainer.url.startswith(client_url)
    shot(trainer, "client-programs")
    trainer.goto(client_url)
    shot(trainer, "client-overview")
    trainer.goto("/clients")
    shot(trainer, "client-list")

    # Invite the client to the app; they accept on their phone and see today's workout.
    trainer.goto("/team?role=client#invite")
    invite = trainer.locator("#invite")
    invite.get_by_label("Email").fill(client_email)
    invite.get_by_label("Client's name").fill("Cara Client")
    invite.get_by_role("button", name="Send invitation").click()
    foundation.open_outbox_message(trainer, client_email)
    url = trainer.locator('a[href*="/invitations/"]').get_attribute("href")
    assert url

    phone = new_page(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    phone.goto(url)
    phone.get_by_label("Your name").fill("Cara Client")
    phone.get_by_label("Choose a password").fill(foundation.PASSWORD)
    phone.get_by_role("button", name="Accept invitation").click()
    expect(phone).to_have_url(re.compile(r"/home$"))
    today_card = phone.locator("section", has=phone.get_by_role("heading", name="Today"))
    expect(today_card.get_by_role("heading", name="Day 1")).to_be_visible()
    expect(today_card.get_by_text("Barbell Bench Press", exact=False).first).to_be_visible()
    expect(today_card.get_by_text("Superset", exact=True)).to_be_visible()
    expect(today_card.get_by_text(re.compile("4 \u00d7 8\u201312"))).to_be_visible()
    expect(phone.get_by_role("heading", name="This week")).to_be_visible()
    expect(phone.get_by_text("Train three times a week")).to_be_visible()
    shot(phone, "client-home")


def test_library_builder_moves_and_client_programs(new_page, live_server):
    """A trainer customizes a library exercise and finds substitutions for a client's
    equipment, reorders days and sets a progression rule in the builder, assigns a STATIC
    program through the client search, then moves it on, reschedules a workout, pauses
    it, and sets a strength goal on the customized lift."""
    trainer = new_page()
    foundation.register(
        trainer, name="Lee Lifts", email=foundation.unique("lee"), business="Lift Lab"
    )
    trainer.goto("/clients/new")
    trainer.get_by_label("First name").fill("Pat")
    trainer.get_by_label("Last name").fill("Press")
    trainer.get_by_role("button", name="Add client").click()
    expect(trainer.get_by_role("heading", name="Pat Press")).to_be_visible()
    client_url = trainer.url.split("?")[0]
    tabs = trainer.get_by_role("navigation", name="Client record")
    tabs.get_by_role("link", name="Profile").click()
    equipment = trainer.get_by_role("group", name="Equipment available")
    equipment.get_by_label("Dumbbell").check()
    equipment.get_by_label("Bands").check()
    trainer.get_by_role("button", name="Save profile").click()
    expect(trainer.get_by_text("Profile saved.")).to_be_visible()

    # The library: live, typo-tolerant search; the exercise; the organization's version.
    trainer.get_by_role("navigation", name="Main").get_by_role("link", name="Exercises").click()
    trainer.get_by_label("Search exercises by name").fill("barbel squat")
    expect(trainer).to_have_url(re.compile(r"/exercises\?q=barbel"))
    trainer.get_by_role("link", name="Barbell Squat", exact=True).click()
    expect(trainer.get_by_role("heading", name="Barbell Squat")).to_be_visible()
    subs = trainer.locator("#substitutions")
    pick(trainer, subs, "Limit to a client's equipment (optional)", "pat", "Pat Press")
    expect(subs.get_by_text(re.compile("For Pat Press: with Dumbbell, Bands"))).to_be_visible()
    shot(trainer, "exercise-detail")
    mine = trainer.locator("#customize")
    mine.get_by_label("Name").fill("Back Squat")
    mine.get_by_label("Demo video URL").fill("http://not-secure.example/squat")
    mine.get_by_role("button", name="Save your version").click()
    expect(trainer.get_by_text("must start with https://")).to_be_visible()
    expect(trainer.get_by_label("Demo video URL")).to_be_focused()
    trainer.get_by_label("Demo video URL").fill("https://video.example.com/squat")
    trainer.get_by_label("Coaching cues (one per line)").fill("Brace\nKnees out")
    trainer.get_by_role("button", name="Save your version").click()
    expect(trainer.get_by_text("your organization's version was saved")).to_be_visible()
    expect(trainer.get_by_role("heading", name="Back Squat")).to_be_visible()
    expect(trainer.locator(".cues").get_by_text("Knees out")).to_be_visible()

    # The builder: two days, reordered with the keyboard; a progression rule in place.
    trainer.goto("/programs")
    trainer.get_by_label("Name", exact=True).fill("Two-day block")
    trainer.get_by_label("Weeks").fill("3")
    trainer.get_by_label("Days a week").fill("2")
    trainer.get_by_role("button", name="Create and build").click()
    days = trainer.locator("article.workout")
    expect(days).to_have_count(2)
    add_exercise(trainer, days.nth(0), "back squat")
    expect(days.nth(0).get_by_text("Back Squat")).to_be_visible()
    trainer.get_by_role("button", name="Move Day 2 earlier in the week").click()
    expect(days.nth(0).get_by_role("heading", name=re.compile("^Day 2"))).to_be_visible()
    expect(trainer.get_by_role("button", name="Move Day 2 later in the week")).to_be_focused()
    trainer.keyboard.press("Enter")  # and back, without leaving the keyboard
    expect(days.nth(0).get_by_role("heading", name=re.compile("^Day 1"))).to_be_visible()
    settled(trainer)
    day1 = days.nth(0)
    day1.get_by_text("Progression: none").click()
    day1.get_by_label("Rule").select_option("linear_load")
    day1.get_by_label("kg added each week").fill("2.5")
    day1.get_by_role("button", name="Save progression").click()
    expect(day1.get_by_text("Linear load progression needs a load in kg")).to_be_visible()
    settled(trainer)
    load = day1.get_by_label("Load", exact=True)
    load.fill("60")
    load.press("Tab")
    expect(day1.get_by_label("Load", exact=True)).to_have_value("60")
    settled(trainer)
    expect(day1.get_by_role("button", name="Save progression")).to_be_visible()  # still open
    day1.get_by_label("Rule").select_option("linear_load")
    day1.get_by_label("kg added each week").fill("2.5")
    day1.get_by_role("button", name="Save progression").click()
    expect(day1.get_by_text("Progression: +2.5 kg a week")).to_be_visible()
    preview = day1.locator(".progression-preview")
    expect(preview).to_have_text(re.compile("week 3: 3 \u00d7 8\u201312 @ 65 kg"))
    shot(trainer, "builder-progression")

    # Assign it (STATIC) through the client search, from today on every day.
    trainer.get_by_role("button", name="Assign to a client").click()
    dialog = trainer.get_by_role("dialog")
    pick(trainer, dialog, "Client", "pat", "Pat Press")
    for day in ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"):
        dialog.get_by_label(day, exact=True).check()
    dialog.get_by_role("button", name="Assign program").click()
    expect(trainer.get_by_text(re.compile("Two-day block assigned"))).to_be_visible()

    # The client page: this week, moved on a week, a workout rescheduled, paused.
    card = trainer.locator("article.program-card")
    expect(card.get_by_text(re.compile("Phase 1 of 1: Phase 1"))).to_be_visible()
    expect(card.get_by_role("heading", name=re.compile("^This week"))).to_be_visible()
    card.get_by_role("button", name="Next week \u203a").click()
    expect(card.get_by_text("now phase 1, week 2")).to_be_visible()
    expect(card.get_by_role("status")).to_be_focused()
    settled(trainer)
    card.locator("details.reschedule-menu summary").first.click()
    when = card.locator("input[type=date]").first
    when.fill("2000-01-01")
    card.get_by_role("button", name="Move", exact=True).first.click()
    expect(card.get_by_text(re.compile("program starts on"))).to_be_visible()
    expect(card.locator("input[type=date]").first).to_have_value("2000-01-01")  # kept
    settled(trainer)
    when = card.locator("input[type=date]").first
    today = datetime.now(UTC).date()
    when.fill(today.replace(day=28).isoformat() if today.day < 28 else today.isoformat())
    card.get_by_role("button", name="Move", exact=True).first.click()
    expect(card.get_by_text(re.compile(" moved to "))).to_be_visible()
    settled(trainer)
    card.get_by_role("button", name="Pause").click()
    expect(card.get_by_text(re.compile("is paused"))).to_be_visible()
    expect(card.get_by_role("button", name="Resume")).to_be_visible()
    shot(trainer, "client-program-card")

    # A strength goal on the customized lift.
    trainer.goto(f"{client_url}?tab=goals")
    trainer.get_by_label("Type").select_option("strength_lift")
    goal = trainer.locator("#new-goal")
    pick(trainer, goal, "Lift", "back squat", "Back Squat")
    goal.get_by_label("Target value").fill("100")
    goal.get_by_label("Unit").fill("kg")
    goal.get_by_role("button", name="Add goal").click()
    expect(trainer.get_by_text("Goal added.")).to_be_visible()
    expect(trainer.get_by_text("Back Squat 1RM").first).to_be_visible()
