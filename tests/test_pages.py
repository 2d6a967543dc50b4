"""The server-rendered web app: pages, forms, CSRF, sessions and the dev outbox."""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator, Awaitable, Callable
from html import unescape
from urllib.parse import parse_qs, urlsplit

import httpx
import pyotp
import pytest
from fastapi import FastAPI
from fastapi.responses import Response

from spotter import web
from spotter.config import Settings
from spotter.dev import pages as dev_pages
from spotter.pages import install_pages
from tests.builders import (
    PASSWORD,
    invite_and_accept,
    make_owner,
    token_from_email,
    unique_email,
)

HTML = {"Accept": "text/html"}


class Browser:
    """An httpx client with its own cookie jar that posts forms like a browser does."""

    def __init__(self, client: httpx.AsyncClient) -> None:
        self.client = client

    async def get(self, url: str, **kwargs) -> httpx.Response:
        return await self.client.get(url, headers=HTML, **kwargs)

    async def csrf(self) -> str:
        token = self.client.cookies.get("spotter_csrf")
        if not token:
            await self.get("/login")
            token = self.client.cookies.get("spotter_csrf")
        assert token
        return token

    async def post(self, url: str, data: dict | None = None, **kwargs) -> httpx.Response:
        form = {"csrf_token": await self.csrf(), **(data or {})}
        return await self.client.post(url, data=form, headers=HTML, **kwargs)

    async def login(self, email: str, password: str = PASSWORD) -> httpx.Response:
        r = await self.post("/login", {"email": email, "password": password})
        assert r.status_code == 303, r.text
        return r


@pytest.fixture
async def browser(app) -> AsyncIterator[Callable[[], Awaitable[Browser]]]:
    clients: list[httpx.AsyncClient] = []

    async def make() -> Browser:
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        c = httpx.AsyncClient(transport=transport, base_url="http://testserver")
        clients.append(c)
        return Browser(c)

    yield make
    for c in clients:
        await c.aclose()


async def registered(browser, **fields) -> tuple[Browser, str]:
    b = await browser()
    email = fields.pop("email", None) or unique_email("web")
    r = await b.post(
        "/register",
        {
            "full_name": "Wendy Web",
            "email": email,
            "password": PASSWORD,
            "organization_name": "Web Gym",
            "timezone": "Europe/Berlin",
            "currency": "EUR",
            "unit_system": "metric",
            **fields,
        },
    )
    assert r.status_code == 303, r.text
    assert r.headers["location"] == "/home"
    return b, email


def text(r: httpx.Response) -> str:
    return unescape(r.text)


# --- pages and redirects ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/login",
        "/register",
        "/forgot-password",
        "/reset-password?token=abcdefghijkl",
        "/verify-email?token=abcdefghijkl",
    ],
)
async def test_public_pages_render_with_a_csrf_field(browser, path):
    b = await browser()
    r = await b.get(path)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("text/html")
    assert 'name="csrf_token"' in r.text and b.client.cookies.get("spotter_csrf")
    assert '<link rel="manifest" href="/static/manifest.webmanifest">' in r.text
    assert 'href="#main"' in r.text  # skip link
    token = b.client.cookies.get("spotter_csrf")
    expected = "<body hx-headers='" + json.dumps({"X-CSRF-Token": token}) + "'>"
    assert expected in r.text


@pytest.mark.parametrize(
    "path",
    [
        "/home",
        "/clients",
        "/clients/rows",
        "/team",
        "/settings/organization",
        "/settings/api-keys",
        "/account/security",
    ],
)
async def test_logged_out_pages_redirect_to_login_with_next(browser, path):
    b = await browser()
    for headers in (HTML, {"Accept": "*/*"}):
        r = await b.client.get(path, headers=headers)
        assert r.status_code == 303
        location = urlsplit(r.headers["location"])
        assert location.path == "/login"
        assert parse_qs(location.query)["next"] == [path]


async def test_root_goes_to_login_or_home(browser):
    b = await browser()
    r = await b.get("/")
    assert r.status_code == 303 and r.headers["location"] == "/login"
    owner, _ = await registered(browser)
    r = await owner.get("/")
    assert r.status_code == 303 and r.headers["location"] == "/home"


async def test_next_must_be_a_local_path(browser):
    b = await browser()
    r = await b.client.get("//evil.example/x", headers=HTML)
    assert r.status_code in (303, 404)
    if r.status_code == 303:
        assert "evil" not in r.headers["location"]
    _, email = await registered(browser)
    for bad in ("//evil.example", "https://evil.example/", "/\\evil.example", "javascript:x"):
        other = await browser()
        r = await other.post("/login", {"email": email, "password": PASSWORD, "next": bad})
        assert r.status_code == 303 and r.headers["location"] == "/home", bad
    other = await browser()
    r = await other.post("/login", {"email": email, "password": PASSWORD, "next": "/team"})
    assert r.headers["location"] == "/team"


async def test_static_assets_and_manifest(client):
    manifest = await client.get("/static/manifest.webmanifest")
    assert manifest.status_code == 200
    body = manifest.json()
    assert body["start_url"] == "/" and body["theme_color"]
    assert all(icon["type"] == "image/svg+xml" for icon in body["icons"])
    for asset in (
        "/static/app.css",
        "/static/app.js",
        "/static/theme.js",
        "/static/icons/icon.svg",
    ):
        assert (await client.get(asset)).status_code == 200, asset


# --- register, log in, log out, CSRF ----------------------------------------------------------


async def test_register_login_logout_with_forms(browser):
    b, email = await registered(browser)
    cookie = b.client.cookies.get("spotter_session")
    assert cookie
    home = await b.get("/home")
    assert home.status_code == 200
    assert "Web Gym" in home.text and "Invite your first client" in home.text
    r = await b.post("/logout")
    assert r.status_code == 303 and r.headers["location"] == "/login"
    assert not b.client.cookies.get("spotter_session")
    # The old cookie no longer works even if someone kept it.
    stale = await browser()
    stale.client.cookies.set("spotter_session", cookie)
    assert (await stale.get("/home")).status_code == 303

    r = await b.post("/login", {"email": email.upper(), "password": PASSWORD})
    assert r.status_code == 303 and r.headers["location"] == "/home"
    set_cookie = r.headers["set-cookie"].lower()
    assert "spotter_session=" in set_cookie and "httponly" in set_cookie
    assert "samesite=lax" in set_cookie
    assert (await b.get("/home")).status_code == 200
    assert (await b.get("/login")).headers["location"] == "/home"


async def test_post_without_or_with_wrong_csrf_token_is_403(browser):
    b = await browser()
    await b.get("/login")
    r = await b.client.post(
        "/login", data={"email": "a@example.com", "password": "x"}, headers=HTML
    )
    assert r.status_code == 403 and "reload the page" in text(r)
    r = await b.client.post(
        "/login",
        headers=HTML,
        data={"email": "a@example.com", "password": "x", "csrf_token": "forged.token"},
    )
    assert r.status_code == 403
    fresh = await browser()  # a token from another browser's cookie does not match
    r = await fresh.client.post(
        "/login",
        headers=HTML,
        data={"email": "a@example.com", "password": "x", "csrf_token": await b.csrf()},
    )
    assert r.status_code == 403


async def test_htmx_requests_send_the_token_in_a_header(browser):
    b, _ = await registered(browser)
    headers = {"HX-Request": "true", "X-CSRF-Token": await b.csrf()}
    r = await b.client.post("/logout", headers=headers)
    assert r.status_code == 204 and r.headers["hx-redirect"] == "/login"
    r = await b.client.get(
        "/clients/rows", headers={"HX-Request": "true", "HX-Current-URL": "http://testserver/home"}
    )
    assert r.status_code == 204 and r.headers["hx-redirect"] == "/login?next=%2Fhome"


async def test_form_errors_are_422_next_to_fields_and_keep_input(browser):
    b = await browser()
    r = await b.post(
        "/register",
        {
            "full_name": "Keep Me",
            "email": "not-an-email",
            "password": "short",
            "organization_name": "Kept Gym",
            "timezone": "Mars/Olympus",
            "currency": "EUR",
            "unit_system": "metric",
        },
    )
    assert r.status_code == 422
    page = text(r)
    assert 'value="Keep Me"' in page and 'value="Kept Gym"' in page
    assert 'value="short"' not in page  # passwords are never echoed
    assert 'id="f-password" name="password"' in page
    assert re.search(r'id="f-password-error">[^<]*at least 10 characters', page)
    assert re.search(r'id="f-email-error">[^<]*email', page)
    assert 'aria-describedby="f-password-hint f-password-error" aria-invalid="true"' in page


async def test_register_with_taken_email_and_bad_timezone(browser):
    _, email = await registered(browser)
    b = await browser()
    r = await b.post(
        "/register",
        {
            "full_name": "Dup",
            "email": email,
            "password": PASSWORD,
            "organization_name": "Dup Gym",
            "timezone": "UTC",
            "currency": "USD",
            "unit_system": "metric",
        },
    )
    assert r.status_code == 409 and "already exists" in text(r)
    r = await b.post(
        "/register",
        {
            "full_name": "Tz",
            "email": unique_email(),
            "password": PASSWORD,
            "organization_name": "Tz Gym",
            "timezone": "Mars/Olympus",
            "currency": "USD",
            "unit_system": "metric",
        },
    )
    assert r.status_code == 422
    assert re.search(r'id="f-timezone-error">[^<]*time zone', text(r))


async def test_wrong_password_and_unknown_email_read_alike(browser):
    _, email = await registered(browser)
    b = await browser()
    wrong = await b.post("/login", {"email": email, "password": "wrong-password"})
    unknown = await b.post("/login", {"email": unique_email(), "password": "wrong-password"})
    assert wrong.status_code == unknown.status_code == 401
    assert "Email or password is incorrect" in wrong.text
    assert 'value="' + email + '"' in wrong.text  # the email stays typed


async def test_forgot_password_same_answer_and_reset(browser, outbox):
    _, email = await registered(browser)
    b = await browser()
    known = await b.post("/forgot-password", {"email": email})
    unknown = await b.post("/forgot-password", {"email": unique_email()})
    assert known.status_code == unknown.status_code == 200
    assert "If an account exists" in known.text and "If an account exists" in unknown.text
    token = token_from_email(outbox, email, "/reset-password?token")
    page = await b.get(f"/reset-password?token={token}")
    assert page.status_code == 200
    short = await b.post("/reset-password", {"token": token, "password": "short"})
    assert short.status_code == 422
    r = await b.post("/reset-password", {"token": token, "password": "a-new-password-1"})
    assert r.status_code == 303 and r.headers["location"] == "/login"
    again = await b.post("/reset-password", {"token": token, "password": "a-new-password-2"})
    assert again.status_code == 400 and "invalid or has expired" in text(again)
    await b.login(email, "a-new-password-1")


async def test_verify_email_page(browser, outbox):
    _, email = await registered(browser)
    token = token_from_email(outbox, email, "/verify-email?token")
    b = await browser()
    page = await b.get(f"/verify-email?token={token}")
    assert page.status_code == 200 and "Confirm my email address" in page.text
    r = await b.post("/verify-email", {"token": token})
    assert r.status_code == 200 and "your email address is confirmed" in r.text
    r = await b.post("/verify-email", {"token": token})
    assert r.status_code == 400


# --- owner pages -------------------------------------------------------------------------------


async def test_owner_sees_every_page(browser):
    b, _ = await registered(browser)
    for path in (
        "/home",
        "/clients",
        "/clients/rows",
        "/team",
        "/settings/organization",
        "/settings/api-keys",
        "/account/security",
        "/dev/outbox",
    ):
        r = await b.get(path)
        assert r.status_code == 200, (path, r.text)
    home = await b.get("/home")
    for link in ("/clients", "/team", "/settings/organization", "/settings/api-keys"):
        assert f'href="{link}"' in home.text


async def test_organization_settings(browser):
    b, _ = await registered(browser)
    page = await b.get("/settings/organization")
    assert 'type="color"' in page.text and "Europe/Berlin" in page.text
    bad = await b.post(
        "/settings/organization",
        {
            "name": "Renamed Gym",
            "display_name": "",
            "logo_url": "http://insecure.example/x.png",
            "primary_color": "blue",
            "accent_color": "#f97316",
            "timezone": "Europe/Berlin",
            "currency": "EUR",
            "unit_system": "metric",
        },
    )
    assert bad.status_code == 422
    assert 'id="f-primary_color-error"' in bad.text and 'id="f-logo_url-error"' in bad.text
    assert 'value="Renamed Gym"' in bad.text
    ok = await b.post(
        "/settings/organization",
        {
            "name": "Renamed Gym",
            "display_name": "Renamed Strength",
            "logo_url": "",
            "primary_color": "#0f766e",
            "accent_color": "#f59e0b",
            "timezone": "Europe/Paris",
            "currency": "GBP",
            "unit_system": "imperial",
        },
    )
    assert ok.status_code == 303
    page = await b.get("/settings/organization")
    assert "Organization settings saved." in page.text
    assert "--brand: #0f766e" in page.text and "Renamed Strength" in page.text
    assert re.search(r'<option value="Europe/Paris" selected>', page.text)


async def test_api_key_is_shown_once_then_listed_and_revoked(browser, client):
    b, _ = await registered(browser)
    bad = await b.post("/settings/api-keys", {"name": "", "rate_limit_per_minute": "0"})
    assert bad.status_code == 422
    assert 'id="key-name-error"' in bad.text and 'id="key-scopes-error"' in bad.text
    r = await b.post(
        "/settings/api-keys",
        {"name": "CRM sync", "scopes": ["clients:read"], "rate_limit_per_minute": ""},
    )
    assert r.status_code == 201 and r.headers["cache-control"] == "no-store"
    key = re.search(r'id="new-api-key"[^>]*value="(spk_[^"]+)"', r.text).group(1)
    assert (await client.get("/api/v1/clients", headers={"X-API-Key": key})).status_code == 200
    listing = await b.get("/settings/api-keys")
    assert key not in listing.text and key[:12] in listing.text
    key_id = re.search(r"/settings/api-keys/([0-9a-f-]+)/revoke", listing.text).group(1)
    r = await b.post(f"/settings/api-keys/{key_id}/revoke")
    assert r.status_code == 303
    assert (await client.get("/api/v1/clients", headers={"X-API-Key": key})).status_code == 401
    assert "Revoked" in (await b.get("/settings/api-keys")).text


async def test_two_factor_setup_and_login_second_step(browser):
    b, email = await registered(browser)
    setup = await b.post("/account/security/2fa/setup")
    assert setup.status_code == 200 and setup.headers["cache-control"] == "no-store"
    secret = re.search(r'id="totp-secret"[^>]*value="([A-Z2-7]+)"', setup.text).group(1)
    uri = re.search(r'id="totp-uri"[^>]*value="([^"]+)"', setup.text).group(1)
    assert unescape(uri).startswith("otpauth://totp/")
    wrong = await b.post(
        "/account/security/2fa/confirm", {"otp": "000000", "secret": secret, "uri": uri}
    )
    assert wrong.status_code == 401 and 'id="totp-otp-error"' in wrong.text
    ok = await b.post(
        "/account/security/2fa/confirm",
        {"otp": pyotp.TOTP(secret).now(), "secret": secret, "uri": uri},
    )
    assert ok.status_code == 303

    other = await browser()
    step = await other.post("/login", {"email": email, "password": PASSWORD, "next": "/team"})
    assert step.status_code == 200 and "Two-step verification" in step.text
    assert PASSWORD not in step.text  # the password travels sealed, not in the page
    pending = re.search(r'name="pending" value="([^"]+)"', step.text).group(1)
    bad = await other.post("/login", {"pending": pending, "otp": "123456"})
    assert bad.status_code == 401 and 'id="f-otp-error"' in bad.text
    r = await other.post("/login", {"pending": pending, "otp": pyotp.TOTP(secret).now()})
    assert r.status_code == 303 and r.headers["location"] == "/team"
    tampered = await (await browser()).post(
        "/login", {"pending": pending[:-4] + "AAAA", "otp": "123456"}
    )
    assert tampered.status_code == 401

    off = await b.post("/account/security/2fa/disable", {"password": "nope"})
    assert off.status_code == 401 and 'id="disable-password-error"' in off.text
    off = await b.post("/account/security/2fa/disable", {"password": PASSWORD})
    assert off.status_code == 303


async def test_change_password(browser):
    b, email = await registered(browser)
    r = await b.post(
        "/account/password", {"current_password": "wrong", "new_password": "another-password"}
    )
    assert r.status_code == 401 and 'id="pw-current_password-error"' in r.text
    r = await b.post(
        "/account/password", {"current_password": PASSWORD, "new_password": "another-password"}
    )
    assert r.status_code == 303
    assert (await b.get("/home")).status_code == 200  # this session stays
    await (await browser()).login(email, "another-password")


# --- team, invitations, outbox ----------------------------------------------------------------


async def invite_from_team_page(b: Browser, **fields) -> httpx.Response:
    r = await b.post("/team/invite", fields)
    assert r.status_code == 303, r.text
    return r


async def test_invite_client_outbox_and_accept(browser, outbox):
    owner, _ = await registered(browser, full_name="Olga Owner")
    address = unique_email("client")
    await invite_from_team_page(owner, email=address, role="client", full_name="Cara Client")
    team = await owner.get("/team")
    assert address in team.text and "Invitation sent to" in team.text

    listing = await owner.get("/dev/outbox")
    assert listing.status_code == 200 and address in listing.text
    name = re.search(r'href="/dev/outbox/([^"]+\.eml)"', listing.text).group(1)
    message = await owner.get(f"/dev/outbox/{name}")
    link = re.search(r'<a href="(http://testserver/invitations/[^"]+)"', message.text).group(1)
    assert "invited you to Web Gym" in unescape(message.text)

    newcomer = await browser()
    path = urlsplit(link).path
    page = await newcomer.get(path)
    assert page.status_code == 200 and address in page.text and "Choose a password" in page.text
    short = await newcomer.post(path, {"full_name": "Cara Client", "password": "short"})
    assert short.status_code == 422 and 'id="f-password-error"' in short.text
    assert 'value="Cara Client"' in short.text
    r = await newcomer.post(path, {"full_name": "Cara Client", "password": PASSWORD})
    assert r.status_code == 303 and r.headers["location"] == "/home"
    home = await newcomer.get("/home")
    assert home.status_code == 200
    assert "Welcome, Cara!" in home.text and "Olga Owner" in home.text
    assert "workouts and progress will appear here" in home.text
    assert 'href="/team"' not in home.text  # clients get no staff navigation
    assert (await newcomer.get("/team")).status_code == 403
    assert (await newcomer.get("/clients")).status_code == 403
    gone = await (await browser()).get(path)
    assert gone.status_code == 400 and "invalid, used or expired" in text(gone)


async def test_dev_outbox_refuses_odd_names(browser):
    b = await browser()
    assert (await b.get("/dev/outbox/..%2Fsecret_key")).status_code == 404
    assert (await b.get("/dev/outbox/nothing-here.eml")).status_code == 404


async def test_trainer_home_lists_only_their_own_clients(browser, client, outbox):
    api_owner = await make_owner(client, org_name="Split Gym")
    trainer = await invite_and_accept(
        client, outbox, api_owner, role="trainer", full_name="Tina Trainer"
    )
    for name in ("Mine Alpha", "Mine Beta"):
        r = await client.post(
            "/api/v1/clients", headers=trainer.headers, json={"full_name": name, "status": "active"}
        )
        assert r.status_code == 201
    await client.post(
        "/api/v1/clients",
        headers=trainer.headers,
        json={"full_name": "Mine Lead", "status": "lead"},
    )
    await client.post(
        "/api/v1/clients",
        headers=api_owner.headers,
        json={"full_name": "Someone Else", "status": "active"},
    )

    b = await browser()
    await b.login(trainer.email)
    home = await b.get("/home")
    assert home.status_code == 200
    assert "Mine Alpha" in home.text and "Mine Beta" in home.text
    assert "Someone Else" not in home.text
    assert re.search(r'<span class="value">3</span><p class="label">Your clients', home.text)
    assert (
        'hx-get="/clients/rows"' in home.text
        and 'hx-trigger="input changed delay:250ms' in home.text
    )
    rows = await b.client.get("/clients/rows", params={"q": "beta"}, headers={"HX-Request": "true"})
    assert rows.status_code == 200 and "<html" not in rows.text
    assert "Mine Beta" in rows.text and "Mine Alpha" not in rows.text
    assert "Someone Else" not in (await b.get("/clients")).text
    # A trainer may invite clients but not staff, and cannot manage the team.
    team = await b.get("/team")
    assert 'name="role" value="client"' in team.text and "Remove" not in team.text
    r = await b.post("/team/invite", {"email": unique_email(), "role": "admin"})
    assert r.status_code == 403 and "cannot invite" in text(r)

    owner_browser = await browser()
    await owner_browser.login(api_owner.email)
    everyone = await owner_browser.get("/clients")
    assert "Someone Else" in everyone.text and "Mine Alpha" in everyone.text
    assert "Tina Trainer" in everyone.text  # owners see who trains whom


async def test_client_list_load_more(browser, client):
    api_owner = await make_owner(client)
    for i in range(23):
        await client.post(
            "/api/v1/clients", headers=api_owner.headers, json={"full_name": f"Client {i:02d}"}
        )
    b = await browser()
    await b.login(api_owner.email)
    first = await b.get("/clients")
    assert "Client 19" in first.text and "Client 20" not in first.text
    more = re.search(r'hx-get="(/clients/rows\?[^"]+)"', first.text).group(1)
    rest = await b.client.get(unescape(more), headers={"HX-Request": "true"})
    assert "Client 20" in rest.text and "Client 22" in rest.text and "Client 00" not in rest.text
    assert "Load more" not in rest.text


async def test_team_role_change_remove_and_revoke(browser, client, outbox):
    api_owner = await make_owner(client)
    member = await invite_and_accept(
        client, outbox, api_owner, role="trainer", full_name="Rita Role"
    )
    b = await browser()
    await b.login(api_owner.email)
    team = await b.get("/team")
    membership_id = re.search(r"/team/members/([0-9a-f-]+)/role", team.text).group(1)
    r = await b.post(f"/team/members/{membership_id}/role", {"role": "admin"})
    assert r.status_code == 303
    me = (await client.get("/api/v1/me", headers=member.headers)).json()
    assert me["role"] == "admin"
    bad = await b.post(f"/team/members/{membership_id}/role", {"role": "wizard"})
    assert bad.status_code == 422

    await invite_from_team_page(b, email=unique_email(), role="front_desk")
    team = await b.get("/team")
    invitation_id = re.search(r"/team/invitations/([0-9a-f-]+)/revoke", team.text).group(1)
    r = await b.post(f"/team/invitations/{invitation_id}/revoke")
    assert r.status_code == 303
    assert "/revoke" not in (await b.get("/team")).text

    r = await b.post(f"/team/members/{membership_id}/remove")
    assert r.status_code == 303
    assert "Rita Role" not in (await b.get("/team")).text


async def test_invite_errors_show_on_the_form(browser):
    b, email = await registered(browser)
    r = await b.post("/team/invite", {"email": "nope", "role": "client", "full_name": "X"})
    assert r.status_code == 422 and 'id="invite-email-error"' in r.text
    r = await b.post("/team/invite", {"email": email, "role": "trainer"})
    assert r.status_code == 409 and 'id="invite-email-error"' in r.text
    assert "already a member" in text(r)


async def test_organization_switcher(browser, client, outbox):
    first = await make_owner(client, org_name="First Place")
    second = await make_owner(client, org_name="Second Place")
    await client.post(
        "/api/v1/invitations",
        headers=second.headers,
        json={"email": first.email, "role": "trainer"},
    )
    token = token_from_email(outbox, first.email, "/invitations/")
    b = await browser()
    page = await b.get(f"/invitations/{token}")
    assert "You already have a Spotter account" in page.text
    wrong = await b.post(f"/invitations/{token}", {"password": "not-my-password"})
    assert wrong.status_code == 401 and 'id="f-password-error"' in wrong.text
    r = await b.post(f"/invitations/{token}", {"password": PASSWORD})
    assert r.status_code == 303
    home = await b.get("/home")
    assert 'id="org-switch"' in home.text and "Second Place" in home.text

    r = await b.post("/switch-organization", {"organization": first.organization_id})
    assert r.status_code == 303
    home = await b.get("/home")
    assert "You are now working in First Place" in home.text
    assert re.search(rf'<option value="{first.organization_id}" selected>', home.text)
    # Not a member: looks like it does not exist.
    stranger = await make_owner(client, org_name="Stranger Place")
    r = await b.post("/switch-organization", {"organization": stranger.organization_id})
    assert r.status_code == 404


async def test_pages_with_another_organizations_ids_answer_404(browser, client, outbox):
    mine = await make_owner(client)
    theirs = await make_owner(client)
    key = await client.post(
        "/api/v1/api-keys",
        headers=theirs.headers,
        json={"name": "theirs", "scopes": ["clients:read"]},
    )
    await invite_and_accept(client, outbox, theirs, role="trainer")
    member_id = next(
        m["id"]
        for m in (await client.get("/api/v1/members", headers=theirs.headers)).json()
        if m["role"] == "trainer"
    )
    invited = await client.post(
        "/api/v1/invitations",
        headers=theirs.headers,
        json={"email": unique_email(), "role": "admin"},
    )
    b = await browser()
    await b.login(mine.email)
    for url, data in (
        (f"/settings/api-keys/{key.json()['id']}/revoke", {}),
        (f"/team/members/{member_id}/role", {"role": "admin"}),
        (f"/team/members/{member_id}/remove", {}),
        (f"/team/invitations/{invited.json()['id']}/revoke", {}),
    ):
        r = await b.post(url, data)
        assert r.status_code == 404, (url, r.status_code)
    # Nothing changed over there.
    members = (await client.get("/api/v1/members", headers=theirs.headers)).json()
    assert any(m["id"] == member_id and m["role"] == "trainer" for m in members)
    assert (await client.get("/api/v1/invitations", headers=theirs.headers)).json()
    listed = (await client.get("/api/v1/api-keys", headers=theirs.headers)).json()
    assert listed[0]["revoked_at"] is None


async def test_roles_see_only_their_pages(browser, client, outbox):
    owner = await make_owner(client)
    people = {
        role: await invite_and_accept(client, outbox, owner, role=role)
        for role in ("admin", "trainer", "front_desk", "client")
    }
    expected = {
        "admin": {"/settings/organization": 200, "/settings/api-keys": 403, "/team": 200},
        "trainer": {"/settings/organization": 403, "/settings/api-keys": 403, "/team": 200},
        "front_desk": {"/settings/organization": 403, "/settings/api-keys": 403, "/team": 200},
        "client": {"/settings/organization": 403, "/settings/api-keys": 403, "/team": 403},
    }
    for role, pages in expected.items():
        b = await browser()
        await b.login(people[role].email)
        home = await b.get("/home")
        assert home.status_code == 200
        for path, status in pages.items():
            assert (await b.get(path)).status_code == status, (role, path)
            assert (f'href="{path}"' in home.text) == (status == 200), (role, path)


async def test_dev_outbox_is_not_served_in_production(browser, monkeypatch):
    production = Settings(env="production", secret_key="x" * 48)
    bare = FastAPI()
    install_pages(bare, production)
    transport = httpx.ASGITransport(app=bare)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
        assert (await c.get("/dev/outbox", headers=HTML)).status_code == 404
        assert (await c.get("/login", headers=HTML)).status_code == 200
    # Even if routed, the outbox refuses to show anything in production.
    monkeypatch.setattr(dev_pages, "get_settings", lambda: production)
    assert (await (await browser()).get("/dev/outbox")).status_code == 404


def test_session_cookie_is_secure_behind_https(monkeypatch):
    monkeypatch.setattr(web, "get_settings", lambda: Settings(base_url="https://spotter.example"))
    header = web.set_session_cookie(Response(), "secret").headers["set-cookie"].lower()
    assert "secure" in header and "httponly" in header and "samesite=lax" in header
    monkeypatch.setattr(web, "get_settings", lambda: Settings(base_url="http://127.0.0.1:8000"))
    assert "secure" not in web.set_session_cookie(Response(), "s").headers["set-cookie"].lower()


async def test_register_api_with_unknown_timezone_is_422_not_500(client):
    """Regression: the API validated the zone only after the request was parsed (a 500)."""
    for field, value in (("timezone", "Mars/Olympus"), ("currency", "XXX"), ("unit_system", "x")):
        r = await client.post(
            "/api/v1/auth/register",
            json={
                "email": unique_email(),
                "password": PASSWORD,
                "full_name": "Zed",
                "organization_name": "Zone Gym",
                field: value,
            },
        )
        assert r.status_code == 422, (field, r.text)
        assert r.json()["errors"][0]["field"] == field
