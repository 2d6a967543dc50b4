"""Progress photos: upload (decoded, cleaned and re-encoded by ``imaging`` in a worker
thread), gallery, the files themselves, deletion, and the side-by-side comparison.

Files are written with ``storage.put_for``, so a request that rolls back leaves none
behind, and removed with ``storage.delete_after_commit``."""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from spotter.clients.models import Client
from spotter.config import get_settings
from spotter.core import storage
from spotter.core.errors import PayloadTooLarge
from spotter.core.pagination import PageParams, paginate
from spotter.progress import imaging
from spotter.progress.errors import PhotoNotFound
from spotter.progress.metrics import BODY_WEIGHT
from spotter.progress.models import Photo
from spotter.progress.schemas import PhotoCompare, PhotoOut, PhotoSide, Pose
from spotter.progress.service.common import check_day, client_today
from spotter.progress.service.measurements import series

if TYPE_CHECKING:
    from spotter.identity.dependencies import Principal

PREFIX = "progress/photos"
API = "/api/v1"


def photo_out(row: Photo) -> PhotoOut:
    base = f"{API}/clients/{row.client_id}/photos/{row.id}"
    return PhotoOut(
        id=row.id,
        client_id=row.client_id,
        pose=Pose(row.pose),
        taken_on=row.taken_on,
        width=row.width,
        height=row.height,
        size_bytes=row.size_bytes,
        note=row.note,
        uploaded_by_id=row.uploaded_by_id,
        created_at=row.created_at,
        image_url=f"{base}/image",
        thumbnail_url=f"{base}/thumbnail",
    )


async def upload_photo(
    session: AsyncSession,
    *,
    principal: Principal,
    client: Client,
    data: bytes,
    pose: Pose,
    taken_on: date,
    note: str | None = None,
) -> Photo:
    """Store a progress photo; nothing is stored if the file is refused."""
    limit = get_settings().max_upload_bytes
    if len(data) > limit:
        raise PayloadTooLarge(f"Photos are limited to {limit // 1_048_576} MiB.")
    check_day("taken_on", taken_on, client_today(client, principal.organization.timezone))
    processed = await asyncio.to_thread(imaging.process, data)
    row = Photo(
        client_id=client.id,
        pose=pose,
        taken_on=taken_on,
        image_key=storage.new_key(PREFIX, ".jpg"),
        thumbnail_key=storage.new_key(PREFIX, ".jpg"),
        width=processed.width,
        height=processed.height,
        size_bytes=len(processed.image),
        note=note or None,
        uploaded_by_id=principal.user_id,
    )
    session.add(row)
    await session.flush()
    for key, content in (
        (row.image_key, processed.image),
        (row.thumbnail_key, processed.thumbnail),
    ):
        await storage.put_for(session, key, content, content_type=imaging.CONTENT_TYPE)
    return row


async def list_photos(
    session: AsyncSession, *, client: Client, params: PageParams, pose: Pose | None = None
) -> tuple[list[PhotoOut], str | None]:
    """Newest first (by the day taken, then by upload)."""
    stmt = sa.select(Photo).where(Photo.client_id == client.id)
    if pose is not None:
        stmt = stmt.where(Photo.pose == pose)
    rows, cursor = await paginate(
        session, stmt, keys=[Photo.taken_on, Photo.id], params=params, descending=True
    )
    return [photo_out(r) for r in rows], cursor


async def get_photo(session: AsyncSession, *, client: Client, photo_id: uuid.UUID) -> Photo:
    row = await session.scalar(
        sa.select(Photo).where(Photo.id == photo_id, Photo.client_id == client.id)
    )
    if row is None:
        raise PhotoNotFound()
    return row


@dataclass(frozen=True)
class PhotoFile:
    content: bytes | None  # None: the caller's copy (If-None-Match) is current
    etag: str
    filename: str


async def photo_file(
    session: AsyncSession,
    *,
    client: Client,
    photo_id: uuid.UUID,
    thumbnail: bool = False,
    if_none_match: str | None = None,
) -> PhotoFile:
    """The image (or thumbnail) of a photo. Its files never change, so the ETag is the
    photo's id and a cached copy is answered without reading the store."""
    row = await get_photo(session, client=client, photo_id=photo_id)
    kind = "thumbnail" if thumbnail else "image"
    etag = f'"{row.id.hex}-{kind}"'
    filename = f"progress-{row.taken_on.isoformat()}-{row.pose}-{kind}.jpg"
    if if_none_match is not None and etag in [t.strip() for t in if_none_match.split(",")]:
        return PhotoFile(None, etag, filename)
    key = row.thumbnail_key if thumbnail else row.image_key
    return PhotoFile(await storage.get_storage().read(key), etag, filename)


async def delete_photo(session: AsyncSession, *, client: Client, photo_id: uuid.UUID) -> None:
    row = await get_photo(session, client=client, photo_id=photo_id)
    for key in (row.image_key, row.thumbnail_key):
        storage.delete_after_commit(session, key)
    await session.delete(row)
    await session.flush()


def _nearest(rows: list[Photo], day: date) -> Photo | None:
    # The closest day; on a tie the earlier day, and of one day the latest upload.
    return min(
        reversed(rows),
        key=lambda r: (abs((r.taken_on - day).days), r.taken_on > day),
        default=None,
    )


def _weight_on(points: list[tuple[date, float]], day: date | None) -> float | None:
    if day is None:
        return None
    before = [v for d, v in points if d <= day]
    return before[-1] if before else None


async def compare_photos(
    session: AsyncSession,
    *,
    client: Client,
    pose: Pose,
    before_on: date | None,
    after_on: date | None,
) -> PhotoCompare:
    """The photos of ``pose`` nearest two dates (by default the first and the latest),
    with the body weight on each."""
    rows = list(
        await session.scalars(
            sa.select(Photo)
            .where(Photo.client_id == client.id, Photo.pose == pose)
            .order_by(Photo.taken_on, Photo.id)
        )
    )
    if rows:
        before_on = before_on or rows[0].taken_on
        after_on = after_on or rows[-1].taken_on
        if before_on > after_on:
            before_on, after_on = after_on, before_on
    first = _nearest(rows, before_on) if before_on else None
    last = _nearest(rows, after_on) if after_on else None
    weights = await series(session, client_id=client.id, metric=BODY_WEIGHT)
    sides = []
    for day, photo in ((before_on, first), (after_on, last)):
        on = photo.taken_on if photo else day
        sides.append(
            PhotoSide(
                on=day,
                photo=photo_out(photo) if photo else None,
                body_weight_kg=_weight_on(weights, on),
            )
        )
    change = None
    if sides[0].body_weight_kg is not None and sides[1].body_weight_kg is not None:
        change = round(sides[1].body_weight_kg - sides[0].body_weight_kg, 2)
    days = (last.taken_on - first.taken_on).days if first and last else None
    return PhotoCompare(
        pose=pose, before=sides[0], after=sides[1], days=days, body_weight_change_kg=change
    )
