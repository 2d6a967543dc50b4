"""File storage: the same contract for the local folder and an S3-compatible bucket, keys
that can never leave the store, atomic writes, and files that follow the transaction.

The S3 backend runs against a real server speaking the S3 protocol (moto's standalone
``moto_server``) when one is installed on the machine; without it those cases skip and
say why."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from spotter.config import StorageSettings
from spotter.core import storage as storage_module
from spotter.core.db import db
from spotter.core.storage import (
    FileMissing,
    LocalStorage,
    S3Storage,
    Storage,
    check_key,
    delete_after_commit,
    new_key,
    put_for,
)
from spotter.orgs.models import Organization

# moto's standalone S3 server, pinned in requirements-dev.lock, next to this interpreter.
MOTO = shutil.which("moto_server", path=str(Path(sys.executable).parent)) or shutil.which(
    "moto_server"
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    if MOTO is None:
        pytest.fail("no S3-compatible test server: moto_server (requirements-dev.lock) is missing")
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("SPOTTER_")}
    proc = subprocess.Popen(
        [MOTO, "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("moto_server did not start")
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def _s3(endpoint: str, bucket: str, prefix: str = "") -> S3Storage:
    store = S3Storage(
        StorageSettings(
            backend="s3",
            s3_bucket=bucket,
            s3_prefix=prefix,
            s3_endpoint_url=endpoint,
            s3_region="us-east-1",
            s3_access_key_id="test",
            s3_secret_access_key="test",
            s3_addressing_style="path",
        )
    )
    store.client.create_bucket(Bucket=bucket)
    return store


@pytest.fixture(params=["local", "s3"])
def store(request, tmp_path) -> Storage:
    if request.param == "local":
        return LocalStorage(tmp_path / "files")
    endpoint = request.getfixturevalue("s3_endpoint")
    return _s3(endpoint, f"b-{os.urandom(4).hex()}", prefix="tenant-files")


async def _chunks(*parts: bytes) -> AsyncIterator[bytes]:
    for part in parts:
        yield part


async def _settle(store: Storage) -> None:
    if isinstance(store, S3Storage):
        await store.drain()


# --- keys ------------------------------------------------------------------------------------


def test_new_keys_are_opaque_and_unique():
    a, b = new_key("progress/photos", ".jpg"), new_key("progress/photos", ".jpg")
    assert a != b and a.startswith("progress/photos/") and a.endswith(".jpg")
    assert len(a.rsplit("/", 1)[1]) == len("0" * 32 + ".jpg")


@pytest.mark.parametrize(
    "key",
    [
        "",
        "../secret",
        "a/../../etc/passwd",
        "/etc/passwd",
        "a//b",
        "a/",
        ".hidden",
        "a\\b",
        "Upper/Case",
        "a/b c",
        "a/%2e%2e/b",
        "x" * 300,
        "photos/\x00",
    ],
)
def test_keys_that_could_escape_or_are_malformed_are_refused(key, tmp_path):
    with pytest.raises(ValueError):
        check_key(key)
    with pytest.raises(ValueError):
        LocalStorage(tmp_path).path(key)


@pytest.mark.parametrize("prefix", ["", "/abs", "a/../b", "Photos", "a.b", "photos/"])
def test_prefixes_are_code_constants_of_a_plain_shape(prefix):
    with pytest.raises(ValueError):
        new_key(prefix)
    with pytest.raises(ValueError):
        new_key("photos", suffix="/../x")


def test_a_symlink_inside_the_store_cannot_lead_outside(tmp_path):
    root = tmp_path / "files"
    outside = tmp_path / "outside"
    root.mkdir()
    outside.mkdir()
    (root / "link").symlink_to(outside, target_is_directory=True)
    with pytest.raises(ValueError):
        LocalStorage(root).path("link/file")


# --- the contract, on both backends -----------------------------------------------------------


async def test_put_read_open_exists_delete(store):
    key = new_key("tests/contract", ".bin")
    assert not await store.exists(key)
    payload = os.urandom(200_000)  # several chunks
    assert await store.put(key, payload, content_type="application/octet-stream") == len(payload)
    assert await store.exists(key)
    assert await store.read(key) == payload
    chunks = [c async for c in store.open(key)]
    assert len(chunks) > 1 and b"".join(chunks) == payload
    # Overwriting replaces the whole file.
    await store.put(key, b"short", content_type="text/plain")
    assert await store.read(key) == b"short"
    await store.delete(key)
    assert not await store.exists(key)
    await store.delete(key)  # deleting twice is fine


async def test_put_from_a_stream(store):
    key = new_key("tests/contract")
    size = await store.put(key, _chunks(b"abc", b"", b"def" * 1000), content_type="text/plain")
    assert size == 3 + 3000
    assert await store.read(key) == b"abc" + b"def" * 1000


async def test_reading_a_missing_file_is_file_missing(store):
    key = new_key("tests/contract")
    with pytest.raises(FileMissing):
        await store.read(key)
    with pytest.raises(FileMissing):
        [c async for c in store.open(key)]


async def test_discard_from_synchronous_code(store):
    key = new_key("tests/contract")
    await store.put(key, b"x", content_type="text/plain")
    store.discard(key)
    await _settle(store)
    assert not await store.exists(key)


async def test_s3_prefix_keeps_objects_under_it(s3_endpoint):
    store = _s3(s3_endpoint, "prefixed-bucket", prefix="spotter/eu")
    key = new_key("tests/prefix")
    await store.put(key, b"hello", content_type="text/plain")
    listed = store.client.list_objects_v2(Bucket="prefixed-bucket")["Contents"]
    assert [o["Key"] for o in listed] == [f"spotter/eu/{key}"]
    head = store.client.head_object(Bucket="prefixed-bucket", Key=f"spotter/eu/{key}")
    assert head["ContentType"] == "text/plain"


# --- local folder specifics ---------------------------------------------------------------------


async def test_local_writes_are_atomic_and_private(tmp_path):
    store = LocalStorage(tmp_path / "files")
    key = new_key("tests/atomic")
    await store.put(key, b"first", content_type="text/plain")

    async def broken() -> AsyncIterator[bytes]:
        yield b"partial"
        raise RuntimeError("the upload stopped")

    with pytest.raises(RuntimeError):
        await store.put(key, broken(), content_type="text/plain")
    # The old content is intact and no temporary file is left next to it.
    assert await store.read(key) == b"first"
    folder = store.path(key).parent
    assert [p.name for p in folder.iterdir()] == [store.path(key).name]
    assert store.path(key).stat().st_mode & 0o777 == 0o600


async def test_local_write_failure_is_a_storage_error(tmp_path):
    root = tmp_path / "files"
    root.mkdir()
    (root / "blocked").write_text("a file where a folder should be")
    with pytest.raises(storage_module.StorageError):
        await LocalStorage(root).put("blocked/x", b"data", content_type="text/plain")


def test_default_backend_is_a_folder_under_the_data_dir(tmp_path):
    store = storage_module.make_storage(StorageSettings(), tmp_path)
    assert isinstance(store, LocalStorage) and store.root == (tmp_path / "files").resolve()
    with pytest.raises(RuntimeError, match="S3_BUCKET"):
        storage_module.make_storage(StorageSettings(backend="s3"), tmp_path)


# --- files follow the transaction -------------------------------------------------------------


class Boom(Exception):
    pass


@pytest.fixture
def local(tmp_path) -> LocalStorage:
    return LocalStorage(tmp_path / "tx")


async def test_a_committed_write_stays(local):
    key = new_key("tests/tx")
    async with db.session(platform=True) as session:
        await session.execute(sa.select(1))
        await put_for(session, key, b"kept", content_type="text/plain", storage=local)
    assert await local.read(key) == b"kept"


async def test_a_rolled_back_write_is_deleted(store):
    key = new_key("tests/tx")
    with pytest.raises(Boom):
        async with db.session(platform=True) as session:
            await session.execute(sa.select(1))
            await put_for(session, key, b"gone", content_type="text/plain", storage=store)
            assert await store.exists(key)
            raise Boom()
    await _settle(store)
    assert not await store.exists(key)


async def test_a_savepoint_rollback_deletes_only_its_own_files(local):
    outer, inner, nested_ok = (new_key("tests/tx") for _ in range(3))
    async with db.session(platform=True) as session:
        await put_for(session, outer, b"o", content_type="text/plain", storage=local)
        async with session.begin_nested():
            await put_for(session, nested_ok, b"n", content_type="text/plain", storage=local)
        with pytest.raises(Boom):
            async with session.begin_nested():
                await put_for(session, inner, b"i", content_type="text/plain", storage=local)
                raise Boom()
        assert not await local.exists(inner)
        assert await local.exists(outer) and await local.exists(nested_ok)
    assert await local.exists(outer) and await local.exists(nested_ok)


async def test_a_released_savepoint_still_follows_the_outer_rollback(local):
    key = new_key("tests/tx")
    with pytest.raises(Boom):
        async with db.session(platform=True) as session:
            async with session.begin_nested():
                await put_for(session, key, b"n", content_type="text/plain", storage=local)
            assert await local.exists(key)
            raise Boom()
    assert not await local.exists(key)


async def test_a_failed_flush_in_a_savepoint_deletes_the_file(local):
    key = new_key("tests/tx")
    async with db.session(platform=True) as session:
        taken = Organization(name="Taken", slug=f"taken-{os.urandom(3).hex()}")
        session.add(taken)
        await session.flush()
        with pytest.raises(sa.exc.IntegrityError):
            async with session.begin_nested():
                await put_for(session, key, b"x", content_type="text/plain", storage=local)
                session.add(Organization(name="Dup", slug=taken.slug))
                await session.flush()
        assert not await local.exists(key)


async def test_delete_after_commit_waits_for_the_commit(local):
    key = new_key("tests/tx")
    await local.put(key, b"still here", content_type="text/plain")
    with pytest.raises(Boom):
        async with db.session(platform=True) as session:
            delete_after_commit(session, key, storage=local)
            raise Boom()
    assert await local.exists(key)  # the rollback kept the row, so the file stays
    async with db.session(platform=True) as session:
        async with session.begin_nested():
            delete_after_commit(session, key, storage=local)
        assert await local.exists(key)  # a released savepoint is not the commit yet
    assert not await local.exists(key)


async def test_a_deletion_in_a_rolled_back_savepoint_is_forgotten(local):
    key = new_key("tests/tx")
    await local.put(key, b"x", content_type="text/plain")
    async with db.session(platform=True) as session:
        with pytest.raises(Boom):
            async with session.begin_nested():
                delete_after_commit(session, key, storage=local)
                raise Boom()
    assert await local.exists(key)


async def test_the_default_store_is_used_when_none_is_given(tmp_path, monkeypatch):
    store = LocalStorage(tmp_path / "default")
    monkeypatch.setattr(storage_module, "get_storage", lambda: store)
    key = new_key("tests/tx")
    with pytest.raises(Boom):
        async with db.session(platform=True) as session:
            await put_for(session, key, b"x", content_type="text/plain")
            assert (Path(store.root) / key).is_file()
            raise Boom()
    assert not await store.exists(key)
