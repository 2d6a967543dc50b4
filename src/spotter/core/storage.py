"""File storage: bytes under opaque keys, in a local folder (default) or an S3-compatible
bucket (``SPOTTER_STORAGE__BACKEND=s3``).

* Keys are made by ``new_key(prefix)``: a code-chosen prefix and a UUIDv7, never anything a
  user typed, so a key can name no path outside the store. Backends still refuse any key
  that is not of that shape (no ``..``, no absolute paths, no backslashes).
* The local backend writes atomically (a temporary file in the same folder, fsync, rename),
  so a reader never sees half a file.
* Files follow the database transaction that stores their key. ``put_for(session, ...)``
  writes at once and deletes the file again if that session (or the savepoint it was
  written in) rolls back; ``delete_after_commit(session, key)`` removes a file only once
  the row that named it is really gone. A process killed between the write and the commit
  can still leave an unreferenced file behind; nothing ever points at it.
"""

from __future__ import annotations

import asyncio
import os
import re
import tempfile
from abc import ABC, abstractmethod
from collections.abc import AsyncIterable, AsyncIterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction

from spotter.config import StorageSettings, get_settings
from spotter.core.db import new_id
from spotter.core.errors import AppError

CHUNK = 64 * 1024
_SEGMENT = r"[a-z0-9]+(?:[-_.][a-z0-9]+)*"
_KEY = re.compile(rf"^{_SEGMENT}(?:/{_SEGMENT})*$")
_PREFIX = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*(?:/[a-z0-9]+(?:[-_][a-z0-9]+)*)*$")
MAX_KEY_LENGTH = 255
Data = bytes | AsyncIterable[bytes]


class StorageError(AppError):
    status, code, title = 500, "storage_error", "The file store failed"


class FileMissing(AppError):
    status, code, title = 404, "file_not_found", "The file is not in the store"


def new_key(prefix: str, suffix: str = "") -> str:
    """A fresh key under ``prefix`` (a constant in code, e.g. ``"progress/photos"``)."""
    if not _PREFIX.match(prefix) or not re.fullmatch(r"(?:\.[a-z0-9]{1,10})?", suffix):
        raise ValueError(f"invalid storage prefix or suffix: {prefix!r} {suffix!r}")
    return check_key(f"{prefix}/{new_id().hex}{suffix}")


def check_key(key: str) -> str:
    if len(key) > MAX_KEY_LENGTH or not _KEY.match(key) or ".." in key:
        raise ValueError(f"invalid storage key: {key!r}")
    return key


class Storage(ABC):
    """Bytes under keys. Every method takes a key made by ``new_key``."""

    @abstractmethod
    async def put(self, key: str, data: Data, *, content_type: str) -> int:
        """Store ``data`` (bytes or an async stream of chunks); returns its size."""

    @abstractmethod
    def open(self, key: str) -> AsyncIterator[bytes]:
        """The stored bytes, in chunks; ``FileMissing`` if there is no such file."""

    async def read(self, key: str) -> bytes:
        return b"".join([chunk async for chunk in self.open(key)])

    @abstractmethod
    async def delete(self, key: str) -> None:
        """Remove the file; a missing file is not an error."""

    @abstractmethod
    async def exists(self, key: str) -> bool: ...

    @abstractmethod
    def discard(self, key: str) -> None:
        """Delete from synchronous code (transaction hooks), as soon as possible."""


async def _collect(data: Data) -> bytes:
    if isinstance(data, bytes):
        return data
    return b"".join([chunk async for chunk in data])


# --- local folder --------------------------------------------------------------------------


class LocalStorage(Storage):
    def __init__(self, root: Path) -> None:
        self.root = root.resolve()

    def path(self, key: str) -> Path:
        path = self.root.joinpath(*check_key(key).split("/")).resolve()
        if not path.is_relative_to(self.root) or path == self.root:
            raise ValueError(f"invalid storage key: {key!r}")
        return path

    def _write(self, path: Path, chunks: list[bytes]) -> int:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        size = 0
        try:
            with os.fdopen(fd, "wb") as out:
                for chunk in chunks:
                    out.write(chunk)
                    size += len(chunk)
                out.flush()
                os.fsync(out.fileno())
            os.chmod(tmp, 0o600)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return size

    async def put(self, key: str, data: Data, *, content_type: str) -> int:
        path = self.path(key)
        chunks = [data] if isinstance(data, bytes) else [c async for c in data]
        try:
            return await asyncio.to_thread(self._write, path, chunks)
        except OSError as exc:
            raise StorageError(f"Could not write a file: {exc.strerror}") from exc

    async def open(self, key: str) -> AsyncIterator[bytes]:
        path = self.path(key)
        try:
            handle = await asyncio.to_thread(path.open, "rb")
        except FileNotFoundError as exc:
            raise FileMissing() from exc
        try:
            while chunk := await asyncio.to_thread(handle.read, CHUNK):
                yield chunk
        finally:
            handle.close()

    async def delete(self, key: str) -> None:
        await asyncio.to_thread(self.discard, key)

    async def exists(self, key: str) -> bool:
        return await asyncio.to_thread(self.path(key).is_file)

    def discard(self, key: str) -> None:
        self.path(key).unlink(missing_ok=True)


# --- S3-compatible bucket ------------------------------------------------------------------


class S3Storage(Storage):
    """Any S3-compatible service (AWS, MinIO, R2, ...) through boto3, run in threads."""

    def __init__(self, settings: StorageSettings) -> None:
        import boto3
        from botocore.config import Config

        if not settings.s3_bucket:
            raise RuntimeError("SPOTTER_STORAGE__S3_BUCKET must be set for the s3 backend")
        self.bucket = settings.s3_bucket
        self.prefix = settings.s3_prefix.strip("/")
        self.client = boto3.client(
            "s3",
            endpoint_url=settings.s3_endpoint_url or None,
            region_name=settings.s3_region or None,
            aws_access_key_id=settings.s3_access_key_id or None,
            aws_secret_access_key=settings.s3_secret_access_key or None,
            config=Config(
                s3={"addressing_style": settings.s3_addressing_style},
                retries={"max_attempts": 3, "mode": "standard"},
                connect_timeout=5,
                read_timeout=30,
            ),
        )
        self._pending: set[asyncio.Future[Any]] = set()

    def object_key(self, key: str) -> str:
        check_key(key)
        return f"{self.prefix}/{key}" if self.prefix else key

    async def _call(self, method: str, **kwargs: Any) -> Any:
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            return await asyncio.to_thread(getattr(self.client, method), **kwargs)
        except ClientError as exc:
            code = exc.response.get("Error", {}).get("Code", "")
            if code in ("NoSuchKey", "404", "NotFound"):
                raise FileMissing() from exc
            raise StorageError(f"The file store answered {code or 'an error'}") from exc
        except BotoCoreError as exc:
            raise StorageError(f"The file store is unreachable: {type(exc).__name__}") from exc

    async def put(self, key: str, data: Data, *, content_type: str) -> int:
        body = await _collect(data)
        await self._call(
            "put_object",
            Bucket=self.bucket,
            Key=self.object_key(key),
            Body=body,
            ContentType=content_type,
        )
        return len(body)

    async def open(self, key: str) -> AsyncIterator[bytes]:
        answer = await self._call("get_object", Bucket=self.bucket, Key=self.object_key(key))
        body = answer["Body"]
        try:
            while chunk := await asyncio.to_thread(body.read, CHUNK):
                yield chunk
        finally:
            body.close()

    async def delete(self, key: str) -> None:
        await self._call("delete_object", Bucket=self.bucket, Key=self.object_key(key))

    async def exists(self, key: str) -> bool:
        try:
            await self._call("head_object", Bucket=self.bucket, Key=self.object_key(key))
        except FileMissing:
            return False
        return True

    def discard(self, key: str) -> None:
        # Called from transaction hooks on the event loop: delete in a thread, keep a
        # reference until it is done (``drain`` waits for them, e.g. at shutdown or in tests).
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            self.client.delete_object(Bucket=self.bucket, Key=self.object_key(key))
            return
        future = loop.run_in_executor(
            None,
            lambda: self.client.delete_object(Bucket=self.bucket, Key=self.object_key(key)),
        )
        self._pending.add(future)
        future.add_done_callback(self._pending.discard)

    async def drain(self) -> None:
        while self._pending:
            await asyncio.gather(*list(self._pending), return_exceptions=True)


def make_storage(settings: StorageSettings, data_dir: Path) -> Storage:
    if settings.backend == "s3":
        return S3Storage(settings)
    return LocalStorage(settings.local_dir or data_dir / "files")


@lru_cache
def get_storage() -> Storage:
    settings = get_settings()
    return make_storage(settings.storage, settings.data_dir)


# --- files that follow the transaction -----------------------------------------------------

_WRITTEN = "storage_written"
_DOOMED = "storage_delete_after_commit"


@dataclass(frozen=True)
class _Tracked:
    key: str
    storage: Storage
    # The innermost transaction (savepoint or root) open when the file was written.
    owner: SessionTransaction


def _sync(session: Any) -> Session:
    return getattr(session, "sync_session", session)


def _owner(session: Session) -> SessionTransaction:
    # A session that has not run a statement yet has no transaction to follow: begin one
    # (no I/O happens until a statement needs the connection).
    return session.get_nested_transaction() or session.get_transaction() or session.begin()


async def put_for(
    session: Any, key: str, data: Data, *, content_type: str, storage: Storage | None = None
) -> int:
    """Write now; delete again if ``session`` (or the current savepoint) rolls back."""
    store = storage or get_storage()
    sync = _sync(session)
    tracked = _Tracked(key, store, _owner(sync))
    sync.info.setdefault(_WRITTEN, []).append(tracked)
    return await store.put(key, data, content_type=content_type)


def delete_after_commit(session: Any, key: str, *, storage: Storage | None = None) -> None:
    """Delete the file once ``session`` commits (never if it rolls back)."""
    sync = _sync(session)
    sync.info.setdefault(_DOOMED, []).append(_Tracked(key, storage or get_storage(), _owner(sync)))


def _within(owner: SessionTransaction | None, boundary: SessionTransaction) -> bool:
    while owner is not None:
        if owner is boundary:
            return True
        owner = owner.parent
    return False


@event.listens_for(Session, "after_soft_rollback")
def _rolled_back(session: Session, previous: SessionTransaction) -> None:
    # The transaction really rolled back is the first savepoint or root at or above
    # ``previous`` (a failed flush rolls back through its internal subtransaction).
    boundary = previous
    while boundary.parent is not None and not boundary.nested:
        boundary = boundary.parent
    written = session.info.get(_WRITTEN, [])
    for item in [t for t in written if _within(t.owner, boundary) or boundary.parent is None]:
        written.remove(item)
        item.storage.discard(item.key)
    doomed = session.info.get(_DOOMED, [])
    session.info[_DOOMED] = [
        t for t in doomed if not (_within(t.owner, boundary) or boundary.parent is None)
    ]


@event.listens_for(Session, "after_commit")
def _committed(session: Session) -> None:
    if session.in_nested_transaction():
        return  # a savepoint was released: the outer transaction decides
    session.info.pop(_WRITTEN, None)
    for item in session.info.pop(_DOOMED, []):
        item.storage.discard(item.key)


@event.listens_for(Session, "after_transaction_end")
def _ended(session: Session, transaction: SessionTransaction) -> None:
    # The root transaction ended without committing what it wrote (a rollback, or a
    # session closed without a commit): those files must not stay.
    if transaction.parent is None:
        for item in session.info.pop(_WRITTEN, []):
            item.storage.discard(item.key)
        session.info.pop(_DOOMED, None)
