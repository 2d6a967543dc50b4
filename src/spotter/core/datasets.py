"""Loading shipped datasets (the exercise library, the USDA foods) idempotently.

Shared rows get deterministic UUIDv7 ids derived from the dataset's own keys, so a shared
row has the same id on every installation; ``upsert`` inserts what is new and updates what
differs, so running a loader again changes nothing. Loaders speak Core against table shapes
they declare themselves (only the columns they write), not the ORM models, so later
migrations that add columns do not break them.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa


def stable_id(namespace: str, kind: str, key: str, *, epoch: datetime) -> uuid.UUID:
    """A deterministic UUIDv7: timestamp ``epoch`` (the dataset's date), the "random" bits a
    SHA-256 of the namespace, kind and key."""
    epoch_ms = int(epoch.astimezone(UTC).timestamp() * 1000)
    digest = hashlib.sha256(f"{namespace}:{kind}:{key}".encode()).digest()
    raw = bytearray(epoch_ms.to_bytes(6, "big") + digest[:10])
    raw[6] = 0x70 | (raw[6] & 0x0F)  # version 7
    raw[8] = 0x80 | (raw[8] & 0x3F)  # RFC 9562 variant
    return uuid.UUID(bytes=bytes(raw))


@dataclass
class LoadReport:
    inserted: int = 0
    updated: int = 0
    deleted: int = 0

    @property
    def changed(self) -> int:
        return self.inserted + self.updated + self.deleted


def upsert(
    conn: sa.Connection,
    table: sa.TableClause,
    rows: list[dict[str, Any]],
    *,
    compare: tuple[str, ...],
    report: LoadReport,
    key: str = "slug",
    on_insert: dict[str, Any] | None = None,
    on_update: dict[str, Any] | None = None,
) -> dict[Any, uuid.UUID]:
    """Insert the rows whose ``key`` is new, update those that differ in ``compare``;
    returns key -> id."""
    cols = list(dict.fromkeys(["id", key, *compare]))
    existing = {getattr(r, key): r for r in conn.execute(sa.select(*[table.c[c] for c in cols]))}
    inserts, updates = [], []
    ids: dict[Any, uuid.UUID] = {}
    for row in rows:
        have = existing.get(row[key])
        if have is None:
            inserts.append({**row, **(on_insert or {})})
            ids[row[key]] = row["id"]
            continue
        ids[row[key]] = have.id
        if any(getattr(have, c) != row[c] for c in compare):
            updates.append({"_id": have.id, **{c: row[c] for c in compare}, **(on_update or {})})
    if inserts:
        conn.execute(table.insert(), inserts)
    if updates:
        values: dict[str, Any] = {c: sa.bindparam(c) for c in updates[0] if c != "_id"}
        conn.execute(
            table.update().where(table.c.id == sa.bindparam("_id")).values(values), updates
        )
    report.inserted += len(inserts)
    report.updated += len(updates)
    return ids


def utc_date(year: int, month: int, day: int) -> datetime:
    return datetime(year, month, day, tzinfo=UTC)
