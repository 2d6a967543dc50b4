"""Progress in a browser: a trainer invites a client; the client, on a phone, logs a
weigh-in, sends the weekly check-in with ratings, an answer, their weight and a photo
from the camera; the trainer sees who has not checked in and what awaits a reply, reads
the check-in with its photo, replies; the client reads the reply; the body chart draws.

``SPOTTER_SCREENSHOT_DIR`` keeps screenshots of the pages on the way (see the coaching
flow)."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import Page, expect

from tests.e2e import test_foundation_flow as foundation
from tests.e2e.test_coaching_flow import shot

pytestmark = pytest.mark.browser


def invite_client(trainer: Page, email: str, name: str) -> str:
    trainer.goto("/team?role=client#invite")
    invite = trainer.locator("#invite")
    invite.get_by_label("Email").fill(email)
    invite.get_by_label("Client's name").fill(name)
    invite.get_by_role("button", name="Send invitation").click()
    foundation.open_outbox_message(trainer, email)
    url = trainer.locator('a[href*="/invitations/"]').get_attribute("href")
    assert url
    return url


def photo_file(tmp_path: Path) -> Path:
    path = tmp_path / "front.jpg"
    image = Image.new("RGB", (720, 960), (180, 150, 130))
    out = io.BytesIO()
    image.save(out, "JPEG")
    path.write_bytes(out.getvalue())
    return path


def test_client_checks_in_with_photo_and_weight_trainer_replies(new_page, live_server, tmp_path):
    trainer = new_page()
    foundation.register(
        trainer, name="Tess Trainer", email=foundation.unique("tess"), business="Check-in Lab"
    )
    client_email = foundation.unique("cody")
    url = invite_client(trainer, client_email, "Cody Client")

    # Nobody has checked in yet: the trainer's week view says so.
    trainer.get_by_role("navigation", name="Main").get_by_role("link", name="Check-ins").click()
    expect(trainer.get_by_role("heading", name="Check-ins this week")).to_be_visible()

    phone = new_page(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    phone.goto(url)
    phone.get_by_label("Your name").fill("Cody Client")
    phone.get_by_label("Choose a password").fill(foundation.PASSWORD)
    phone.get_by_role("button", name="Accept invitation").click()
    expect(phone).to_have_url(re.compile(r"/home$"))
    trainer.reload()
    due = trainer.locator("section", has=trainer.get_by_role("heading", name="Not checked in yet"))
    expect(due.get_by_text("Cody Client")).to_be_visible()

    # A weigh-in from the client's home.
    phone.get_by_role("link", name="Log today's weight").click()
    phone.get_by_label("Weight (kg)").fill("84.6")
    phone.get_by_role("button", name="Save").click()
    expect(phone.get_by_text(re.compile("Saved body weight"))).to_be_visible()
    expect(phone.locator(".chart-summary")).to_contain_text("Latest 84.6 kg")
    shot(phone, "progress-overview")

    # The weekly check-in: ratings, an answer, weight and a photo.
    phone.get_by_role("navigation", name="Progress").get_by_role("link", name="Check-ins").click()
    form = phone.locator("form.checkin-form")
    expect(form.get_by_role("heading", name="This week's check-in")).to_be_visible()
    for scale, value in (("Energy", 8), ("Sleep quality", 6), ("Stress", 3), ("Hunger", 5)):
        form.get_by_role("group", name=re.compile(scale)).get_by_label(
            str(value), exact=True
        ).check()
    form.get_by_role("button", name="Send check-in").click()
    expect(phone.get_by_text("Rate this from 1 to 10")).to_be_visible()  # adherence missing
    form = phone.locator("form.checkin-form")
    expect(form.get_by_role("group", name=re.compile("Energy")).get_by_label("8")).to_be_checked()
    form.get_by_role("group", name=re.compile("Plan adherence")).get_by_label(
        "9", exact=True
    ).check()
    form.get_by_label("What went well this week?").fill("Four sessions and meal prep on Sunday")
    form.get_by_label("Today's weight (kg)").fill("84.2")
    form.get_by_label("A front photo").set_input_files(str(photo_file(tmp_path)))
    shot(phone, "checkin-form")
    form.get_by_role("button", name="Send check-in").click()
    expect(phone.get_by_text("Check-in sent.")).to_be_visible()
    expect(phone.get_by_text("Four sessions and meal prep on Sunday")).to_be_visible()
    expect(phone.get_by_text("84.2 kg")).to_be_visible()
    expect(phone.get_by_alt_text(re.compile("Check-in photo"))).to_be_visible()
    thread_url = phone.url

    # The trainer: no longer missing, awaiting a reply; reads it and replies.
    trainer.reload()
    expect(trainer.get_by_text("Everyone has checked in.")).to_be_visible()
    waiting = trainer.locator(
        "section", has=trainer.get_by_role("heading", name="Awaiting your reply")
    )
    waiting.get_by_role("link", name="Cody Client").click()
    expect(trainer.get_by_text("Four sessions and meal prep on Sunday")).to_be_visible()
    photo = trainer.get_by_alt_text(re.compile("Check-in photo"))
    expect(photo).to_be_visible()
    assert trainer.evaluate("img => img.naturalWidth", photo.element_handle()) > 0
    trainer.get_by_label("Reply").fill("Great week, Cody. Keep the Sunday prep!")
    trainer.get_by_role("button", name="Send").click()
    expect(trainer.get_by_text("Reply sent.")).to_be_visible()
    shot(trainer, "checkin-thread")
    trainer.goto("/progress/checkins")
    expect(trainer.get_by_text("Every check-in has a reply.")).to_be_visible()

    # The client reads the reply; the check-in weight is on the chart.
    phone.goto(thread_url)
    expect(phone.get_by_text("Great week, Cody. Keep the Sunday prep!")).to_be_visible()
    phone.get_by_role("link", name="Overview").click()
    expect(phone.locator(".chart-summary")).to_contain_text("Latest 84.2 kg")
    phone.get_by_role("button", name="4 weeks").click()
    expect(phone.get_by_role("button", name="4 weeks")).to_have_attribute("aria-pressed", "true")
    overflow = phone.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"the progress page scrolls sideways by {overflow}px on a phone"
