"""The foundation, the way a trainer and a client meet it in a browser: register, log out and
in, invite a client, open the invitation from the dev outbox, the client sets a password and
sees their home; the owner creates an API key, uses it, revokes it."""

from __future__ import annotations

import re
import time
import uuid

import httpx
import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser
PASSWORD = "correct-horse-battery"


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}@example.com"


def register(page: Page, *, name: str, email: str, business: str) -> None:
    page.goto("/register")
    page.get_by_label("Your name").fill(name)
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Business or gym name").fill(business)
    page.get_by_role("button", name="Create account").click()
    expect(page).to_have_url(re.compile(r"/home$"))


def open_outbox_message(page: Page, to: str) -> None:
    """The email is written by a background job just after the request: poll briefly."""
    deadline = time.monotonic() + 15
    while True:
        page.goto("/dev/outbox")
        row = page.get_by_role("row").filter(has_text=to)
        if row.count() or time.monotonic() > deadline:
            break
        time.sleep(0.3)
    row.get_by_role("link").first.click()


def test_register_invite_client_and_api_key(new_page, live_server):
    owner_email = unique("owner")
    client_email = unique("client")
    owner = new_page()

    # Register, log out, log in again.
    register(owner, name="Olivia Owner", email=owner_email, business="Browser Barbell")
    expect(owner.get_by_role("heading", name="Hi Olivia")).to_be_visible()
    expect(owner.get_by_text("No clients yet")).to_be_visible()
    owner.get_by_role("button", name=re.compile("Account menu")).click()
    owner.get_by_role("button", name="Log out").click()
    expect(owner).to_have_url(re.compile(r"/login$"))
    expect(owner.get_by_text("You are logged out.")).to_be_visible()
    owner.get_by_label("Email").fill(owner_email)
    owner.get_by_label("Password", exact=True).fill(PASSWORD)
    owner.get_by_role("button", name="Log in").click()
    expect(owner).to_have_url(re.compile(r"/home$"))

    # Invite a client from the empty state's call to action.
    owner.get_by_role("link", name="Invite your first client").click()
    expect(owner).to_have_url(re.compile(r"/team"))
    invite = owner.locator("#invite")
    invite.get_by_label("Email").fill(client_email)
    expect(invite.get_by_label("Role")).to_have_value("client")
    invite.get_by_label("Client's name").fill("Cara Client")
    invite.get_by_role("button", name="Send invitation").click()
    expect(owner.get_by_text(f"Invitation sent to {client_email}.")).to_be_visible()

    # The invitation arrives in the development outbox; its link is clickable.
    open_outbox_message(owner, client_email)
    expect(
        owner.get_by_role("heading", name=re.compile("invited you to Browser Barbell"))
    ).to_be_visible()
    link = owner.locator('a[href*="/invitations/"]')
    invitation_url = link.get_attribute("href")
    assert invitation_url and invitation_url.startswith(live_server.url)

    # The client, in their own browser, sets a password and lands on their home.
    client = new_page(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    client.goto(invitation_url)
    expect(client.get_by_role("heading", name="Join Browser Barbell")).to_be_visible()
    client.get_by_label("Your name").fill("Cara Client")
    client.get_by_label("Choose a password").fill(PASSWORD)
    client.get_by_role("button", name="Accept invitation").click()
    expect(client).to_have_url(re.compile(r"/home$"))
    expect(client.get_by_role("heading", name="Welcome, Cara!")).to_be_visible()
    expect(client.get_by_text("Your trainer is Olivia Owner.")).to_be_visible()
    expect(client.get_by_text(re.compile("workouts and progress will appear here"))).to_be_visible()

    # The trainer now sees the client on their home; the search narrows the list as you type.
    owner.goto("/home")
    clients = owner.locator("#client-list")
    expect(clients.get_by_text("Cara Client")).to_be_visible()
    owner.get_by_label("Search clients by name").press_sequentially("zz", delay=30)
    expect(clients.get_by_text("No clients match “zz”.")).to_be_visible()
    owner.get_by_label("Search clients by name").fill("car")
    expect(clients.get_by_text("Cara Client")).to_be_visible()

    # The owner creates an API key, reads it once from the page and uses it.
    owner.get_by_role("link", name="API keys").click()
    owner.get_by_label("Name", exact=True).fill("Browser test key")
    expect(owner.get_by_role("checkbox", name=re.compile("clients:read"))).to_be_checked()
    owner.get_by_role("button", name="Create key").click()
    key = owner.locator("#new-api-key").input_value()
    assert key.startswith("spk_")
    api = httpx.Client(base_url=live_server.url, timeout=10)
    r = api.get("/api/v1/clients", headers={"X-API-Key": key})
    assert r.status_code == 200, r.text
    assert [c["full_name"] for c in r.json()["items"]] == ["Cara Client"]

    owner.goto("/settings/api-keys")
    expect(owner.locator("body")).not_to_contain_text(key)
    owner.once("dialog", lambda dialog: dialog.accept())
    owner.get_by_role("button", name="Revoke the key Browser test key").click()
    expect(owner.get_by_text("was revoked")).to_be_visible()
    assert api.get("/api/v1/clients", headers={"X-API-Key": key}).status_code == 401
    api.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_pages_fit_a_phone_and_follow_the_theme(new_page, scheme):
    page = new_page(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, color_scheme=scheme
    )
    register(page, name="Phoebe Phone", email=unique("phone"), business="Pocket Gym")
    for path in (
        "/home",
        "/team",
        "/clients",
        "/settings/organization",
        "/settings/api-keys",
        "/account/security",
        "/dev/outbox",
    ):
        page.goto(path)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at 390px"
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert (background == "rgb(13, 17, 23)") == (scheme == "dark")
    # The menu button opens the navigation on a phone; the toggle switches and remembers.
    page.get_by_role("button", name="Menu").click()
    expect(page.get_by_role("link", name="Team")).to_be_visible()
    page.get_by_role("button", name=re.compile("Switch to")).click()
    flipped = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert flipped != background
    page.reload()
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == flipped
