"""Passwords (argon2id), opaque tokens, JWT access tokens and field encryption (AES-GCM)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time
import uuid
from datetime import timedelta
from functools import lru_cache
from typing import Any

import anyio
import jwt
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from spotter.config import get_settings
from spotter.core.db import utcnow

JWT_ALGORITHM = "HS256"
MIN_PASSWORD_LENGTH = 10


@lru_cache
def _hasher() -> PasswordHasher:
    auth = get_settings().auth
    return PasswordHasher(time_cost=auth.argon2_time_cost, memory_cost=auth.argon2_memory_kib)


# argon2id costs ~0.1 s of CPU by design: it runs in a worker thread (the C code releases the
# GIL), so one login never stalls every other request on the event loop.


async def hash_password(password: str) -> str:
    return await anyio.to_thread.run_sync(_hasher().hash, password)


def _verify(password_hash: str | None, password: str) -> bool:
    if not password_hash:
        # Spend the same effort as a real check so timing does not reveal unknown accounts.
        _hasher().hash(password)
        return False
    try:
        return _hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


async def verify_password(password_hash: str | None, password: str) -> bool:
    return await anyio.to_thread.run_sync(_verify, password_hash, password)


def needs_rehash(password_hash: str) -> bool:
    return _hasher().check_needs_rehash(password_hash)


def new_token(nbytes: int = 32) -> str:
    return secrets.token_urlsafe(nbytes)


def token_digest(token: str) -> str:
    """Opaque tokens are stored as SHA-256 digests: they are high-entropy, so no salt."""
    return hashlib.sha256(token.encode()).hexdigest()


def sign(value: str, purpose: str) -> str:
    key = get_settings().effective_secret_key.encode()
    mac = hmac.new(key, f"{purpose}:{value}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac[:18]).decode()


def constant_equals(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())


def create_access_token(
    *, user_id: uuid.UUID, organization_id: uuid.UUID | None, session_id: uuid.UUID
) -> tuple[str, int]:
    ttl = timedelta(minutes=get_settings().auth.access_token_minutes)
    now = utcnow()
    claims: dict[str, Any] = {
        "sub": str(user_id),
        "sid": str(session_id),
        "iat": now,
        "exp": now + ttl,
        "typ": "access",
    }
    if organization_id:
        claims["org"] = str(organization_id)
    token = jwt.encode(claims, get_settings().effective_secret_key, algorithm=JWT_ALGORITHM)
    return token, int(ttl.total_seconds())


def decode_access_token(token: str) -> dict[str, Any] | None:
    """The claims of a valid, unexpired access token signed with the current key; None
    otherwise. Every API request presents one, so the signature check is remembered per
    token (and key); the expiry is checked on every call."""
    claims = _verified_claims(get_settings().effective_secret_key, token)
    if claims is None or claims["exp"] <= time.time():
        return None
    return claims


@lru_cache(maxsize=4096)
def _verified_claims(secret: str, token: str) -> dict[str, Any] | None:
    try:
        claims = jwt.decode(
            token,
            secret,
            algorithms=[JWT_ALGORITHM],
            options={"require": ["exp", "sub", "typ"], "verify_exp": False},
        )
    except jwt.PyJWTError:
        return None
    if claims.get("typ") != "access" or not isinstance(claims["exp"], int | float):
        return None
    return claims


# Field encryption keys. The current key derives from the secret key; earlier secret keys
# listed in SPOTTER_OLD_SECRET_KEYS (comma-separated) still decrypt, so a secret key can be
# changed and `spotter keys rotate` then re-encrypts every sealed field to the current key.


def _derive(secret: str) -> bytes:
    return hashlib.sha256(("field-encryption:" + secret).encode()).digest()


def _aes_key() -> bytes:
    return _derive(get_settings().effective_secret_key)


@lru_cache
def _old_aes_keys() -> tuple[bytes, ...]:
    raw = get_settings().old_secret_keys
    return tuple(_derive(k.strip()) for k in raw.split(",") if k.strip())


def forget_keys() -> None:
    """Re-read the keys from the environment (tests, after changing it)."""
    get_settings.cache_clear()
    _old_aes_keys.cache_clear()


class UndecryptableError(ValueError):
    """No configured key opens this value (a key was dropped before rotating)."""


def encrypt(plaintext: str) -> str:
    nonce = secrets.token_bytes(12)
    sealed = AESGCM(_aes_key()).encrypt(nonce, plaintext.encode(), None)
    return base64.urlsafe_b64encode(nonce + sealed).decode()


def _open(token: str) -> tuple[str, bool]:
    """The plaintext, and whether it was sealed with the current key."""
    raw = base64.urlsafe_b64decode(token.encode())
    for index, key in enumerate((_aes_key(), *_old_aes_keys())):
        try:
            return AESGCM(key).decrypt(raw[:12], raw[12:], None).decode(), index == 0
        except InvalidTag:
            continue
    raise UndecryptableError("no configured key decrypts this value")


def decrypt(token: str) -> str:
    return _open(token)[0]


def reencrypt(token: str) -> str | None:
    """``token`` sealed with the current key, or None when it already is."""
    plaintext, current = _open(token)
    return None if current else encrypt(plaintext)
