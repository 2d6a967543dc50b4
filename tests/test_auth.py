from __future__ import annotations

from tests.builders import PASSWORD, make_owner, token_from_email, unique_email


async def test_register_login_me(client):
    owner = await make_owner(client, org_name="Iron Temple")
    me = (await client.get("/api/v1/me", headers=owner.headers)).json()
    assert me["role"] == "owner"
    assert me["memberships"][0]["organization_slug"] == "iron-temple"
    assert me["email_verified"] is False
    r = await client.post(
        "/api/v1/auth/login", json={"email": owner.email.upper(), "password": PASSWORD}
    )
    assert r.status_code == 200
    assert r.json()["organization_id"] == owner.organization_id


async def test_wrong_password_and_unknown_email_answer_alike(client):
    owner = await make_owner(client)
    wrong = await client.post("/api/v1/auth/login", json={"email": owner.email, "password": "nope"})
    unknown = await client.post(
        "/api/v1/auth/login", json={"email": unique_email(), "password": "nope"}
    )
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json()["detail"] == unknown.json()["detail"]
    assert wrong.headers["content-type"] == "application/problem+json"


async def test_refresh_rotates_and_reuse_revokes_family(client):
    owner = await make_owner(client)
    first = await client.post("/api/v1/auth/refresh", json={"refresh_token": owner.refresh_token})
    assert first.status_code == 200
    new_pair = first.json()
    assert new_pair["refresh_token"] != owner.refresh_token
    reuse = await client.post("/api/v1/auth/refresh", json={"refresh_token": owner.refresh_token})
    assert reuse.status_code == 401
    # The family is gone: even the newest refresh token and its access token stop working.
    later = await client.post(
        "/api/v1/auth/refresh", json={"refresh_token": new_pair["refresh_token"]}
    )
    assert later.status_code == 401
    me = await client.get(
        "/api/v1/me", headers={"Authorization": f"Bearer {new_pair['access_token']}"}
    )
    assert me.status_code == 401


async def test_logout_ends_session(client):
    owner = await make_owner(client)
    assert (await client.post("/api/v1/auth/logout", headers=owner.headers)).status_code == 204
    assert (await client.get("/api/v1/me", headers=owner.headers)).status_code == 401


async def test_forgot_and_reset_password(client, outbox):
    owner = await make_owner(client)
    same = "If an account exists"
    r1 = await client.post("/api/v1/auth/forgot-password", json={"email": owner.email})
    r2 = await client.post("/api/v1/auth/forgot-password", json={"email": unique_email()})
    assert r1.status_code == r2.status_code == 202
    assert r1.json() == r2.json() and same in r1.json()["detail"]
    token = token_from_email(outbox, owner.email, "/reset-password?token")
    r = await client.post(
        "/api/v1/auth/reset-password", json={"token": token, "password": "a-brand-new-password"}
    )
    assert r.status_code == 200
    # One time only, and old sessions are ended.
    again = await client.post(
        "/api/v1/auth/reset-password", json={"token": token, "password": "another-new-password"}
    )
    assert again.status_code == 400 and again.json()["code"] == "invalid_token"
    assert (await client.get("/api/v1/me", headers=owner.headers)).status_code == 401
    ok = await client.post(
        "/api/v1/auth/login", json={"email": owner.email, "password": "a-brand-new-password"}
    )
    assert ok.status_code == 200


async def test_email_verification(client, outbox):
    owner = await make_owner(client)
    token = token_from_email(outbox, owner.email, "/verify-email?token")
    assert (
        await client.post("/api/v1/auth/verify-email", json={"token": token})
    ).status_code == 200
    assert (await client.get("/api/v1/me", headers=owner.headers)).json()["email_verified"]


async def test_login_rate_limited_per_account(client):
    owner = await make_owner(client)
    codes = []
    for _ in range(12):
        r = await client.post("/api/v1/auth/login", json={"email": owner.email, "password": "x"})
        codes.append(r.status_code)
    assert codes[:10] == [401] * 10
    assert codes[-1] == 429
    assert r.json()["code"] == "rate_limited" and int(r.headers["retry-after"]) > 0


async def test_totp_two_factor(client):
    import pyotp

    owner = await make_owner(client)
    setup = (await client.post("/api/v1/auth/2fa/setup", headers=owner.headers)).json()
    totp = pyotp.TOTP(setup["secret"])
    bad = await client.post(
        "/api/v1/auth/2fa/confirm", headers=owner.headers, json={"otp": "000000"}
    )
    assert bad.status_code == 401
    ok = await client.post(
        "/api/v1/auth/2fa/confirm", headers=owner.headers, json={"otp": totp.now()}
    )
    assert ok.status_code == 200
    need = await client.post(
        "/api/v1/auth/login", json={"email": owner.email, "password": PASSWORD}
    )
    assert need.status_code == 401 and need.json()["code"] == "otp_required"
    r = await client.post(
        "/api/v1/auth/login", json={"email": owner.email, "password": PASSWORD, "otp": totp.now()}
    )
    assert r.status_code == 200
