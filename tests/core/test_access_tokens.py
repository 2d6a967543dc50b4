"""Access tokens: the remembered signature check never outlives the token or the key."""

from __future__ import annotations

import time
import uuid
from datetime import timedelta

import jwt
import pytest

from spotter.config import get_settings
from spotter.core import security


def _token(**overrides: object) -> str:
    now = int(time.time())
    claims = {"sub": str(uuid.uuid4()), "sid": str(uuid.uuid4()), "typ": "access"}
    claims |= {"iat": now, "exp": now + 60} | overrides
    return jwt.encode(claims, get_settings().effective_secret_key, algorithm="HS256")


def test_a_fresh_token_decodes_twice():
    token, _ = security.create_access_token(
        user_id=uuid.uuid4(), organization_id=None, session_id=uuid.uuid4()
    )
    first = security.decode_access_token(token)
    assert first is not None and first["typ"] == "access"
    assert security.decode_access_token(token) == first


def test_expiry_is_checked_on_every_use(monkeypatch: pytest.MonkeyPatch):
    token = _token(exp=int(time.time()) + 5)
    assert security.decode_access_token(token) is not None  # now remembered
    later = time.time() + timedelta(seconds=6).total_seconds()
    monkeypatch.setattr(security.time, "time", lambda: later)
    assert security.decode_access_token(token) is None


def test_an_expired_token_never_decodes():
    assert security.decode_access_token(_token(exp=int(time.time()) - 1)) is None


@pytest.mark.parametrize(
    "token",
    [
        "not-a-token",
        jwt.encode(
            {"sub": "x", "typ": "access", "exp": 9_999_999_999},
            "another-key-that-is-long-enough-for-hs256",
        ),
        _token(typ="refresh"),
        _token(exp="soon"),
    ],
    ids=["garbage", "other key", "wrong type", "non-numeric exp"],
)
def test_invalid_tokens_are_refused(token: str):
    assert security.decode_access_token(token) is None


def test_a_new_secret_key_refuses_tokens_signed_with_the_old_one(monkeypatch):
    token = _token()
    assert security.decode_access_token(token) is not None
    settings = get_settings().model_copy(
        update={"secret_key": "a-completely-different-key-0123456789"}
    )
    settings.__dict__.pop("effective_secret_key", None)
    monkeypatch.setattr(security, "get_settings", lambda: settings)
    assert security.decode_access_token(token) is None
