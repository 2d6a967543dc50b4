"""Demo progress data: four months of weigh-ins (a loss, a slow loss, a plateau, a gain),
body fat and waist every other week, a custom metric, progress photos and weekly
check-ins with their threads for the demo client (Jordan). Deterministic, and fast: a
second or so."""

from __future__ import annotations

import asyncio
import io
import random
from datetime import date, timedelta

import sqlalchemy as sa
from PIL import Image, ImageDraw
from sqlalchemy.ext.asyncio import AsyncSession

from spotter.clients.models import Client, Goal
from spotter.core import storage
from spotter.core.db import utcnow
from spotter.progress import imaging
from spotter.progress.models import CheckIn, CheckInMessage, CustomMetric, Measurement, Photo
from spotter.progress.service.common import monday
from spotter.progress.service.photos import PREFIX

DAYS = 120
# Per client (by name order): kg per day over the four months; None is a plateau (a slow
# loss that stopped five weeks ago).
TRENDS = [-0.035, -0.02, None, -0.03, -0.015, 0.012, -0.025, -0.03, -0.01]


def _trend(per_day: float | None, n: int) -> float:
    return -0.02 * min(n, DAYS - 35) if per_day is None else per_day * n


WEEKS = [
    (8, 7, 4, 6, 9, "All four sessions, and I cooked on Sunday.", "Great week! Keep the prep."),
    (6, 5, 6, 7, 7, "Three sessions; work was busy.", "Three is solid in a busy week."),
    (7, 6, 5, 5, 8, "New squat depth feels better.", "It shows in the videos, well done."),
    (5, 4, 7, 8, 6, "Slept badly, snacked late.", "Let's aim for lights out by 11."),
    (8, 8, 3, 5, 9, "Best week so far.", "The trend agrees: down 0.4 kg/week."),
]


def _figure(width_factor: float, pose: str) -> bytes:
    """A plain figure on a studio backdrop, narrower as the weeks go by."""
    image = Image.new("RGB", (720, 960), (232, 228, 222))
    draw = ImageDraw.Draw(image)
    for y in range(960):  # a soft vertical gradient backdrop
        shade = 232 - y // 24
        draw.line([(0, y), (720, y)], fill=(shade, shade - 3, shade - 8))
    body = (120, 110, 150)
    half = int(120 * width_factor) if pose != "side" else int(70 * width_factor)
    draw.ellipse((300, 90, 420, 210), fill=body)
    draw.rounded_rectangle((360 - half, 220, 360 + half, 560), radius=60, fill=body)
    draw.rectangle((360 - half + 10, 540, 350, 900), fill=body)
    draw.rectangle((370, 540, 360 + half - 10, 900), fill=body)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=88)
    return out.getvalue()


async def _photos(session: AsyncSession, client: Client, today: date) -> None:
    for weeks_ago, width in ((16, 1.0), (8, 0.93), (1, 0.87)):
        for pose in ("front", "side"):
            processed = await asyncio.to_thread(imaging.process, _figure(width, pose))
            row = Photo(
                client_id=client.id,
                pose=pose,
                taken_on=today - timedelta(weeks=weeks_ago),
                image_key=storage.new_key(PREFIX, ".jpg"),
                thumbnail_key=storage.new_key(PREFIX, ".jpg"),
                width=processed.width,
                height=processed.height,
                size_bytes=len(processed.image),
                note="Morning, same spot by the window" if pose == "front" else None,
                uploaded_by_id=client.user_id,
            )
            session.add(row)
            for key, data in (
                (row.image_key, processed.image),
                (row.thumbnail_key, processed.thumbnail),
            ):
                await storage.put_for(session, key, data, content_type=imaging.CONTENT_TYPE)


async def _check_ins(session: AsyncSession, client: Client, today: date) -> None:
    this_week = monday(today)
    for n, (energy, sleep, stress, hunger, adherence, went_well, reply) in enumerate(WEEKS):
        week = this_week - timedelta(weeks=len(WEEKS) - n)
        sent = utcnow() - timedelta(days=(this_week - week).days - 5, hours=3)
        row = CheckIn(
            client_id=client.id,
            week_starts_on=week,
            due_on=week + timedelta(days=6),
            submitted_at=sent,
            late=n == 3,
            submitted_by_id=client.user_id,
            scales={
                "energy": energy,
                "sleep": sleep,
                "stress": stress,
                "hunger": hunger,
                "adherence": adherence,
            },
            answers=[{"question": "What went well this week?", "answer": went_well}],
            reviewed_at=None if n == len(WEEKS) - 1 else sent + timedelta(hours=5),
        )
        session.add(row)
        await session.flush()
        if n < len(WEEKS) - 1:  # the latest one still waits for a reply
            session.add(
                CheckInMessage(
                    check_in_id=row.id,
                    author_id=client.trainer_id,
                    from_client=False,
                    text=reply,
                    created_at=sent + timedelta(hours=5),
                )
            )
            row.last_message_at = sent + timedelta(hours=5)


async def load(session: AsyncSession) -> None:
    """Progress data for the demo organization (the session is scoped to it)."""
    today = utcnow().date()
    rng = random.Random(42)
    clients = list(
        await session.scalars(
            sa.select(Client).where(Client.status == "active").order_by(Client.full_name)
        )
    )
    starts = {
        g.client_id: g.start_value
        for g in await session.scalars(sa.select(Goal).where(Goal.type == "body_weight"))
    }
    rows: list[Measurement] = []
    for client, per_day in zip(clients, TRENDS, strict=False):
        start = (starts.get(client.id) or 80.0) + 0.8
        fat = 26.0 + rng.uniform(-4, 4)
        for n in range(DAYS):
            day = today - timedelta(days=DAYS - n)
            if rng.random() < 0.25:  # not every morning
                continue
            change = _trend(per_day, n)
            rows.append(_m(client, "body_weight", day, start + change + rng.gauss(0, 0.35)))
            if n % 14 == 0:
                rows.append(_m(client, "body_fat", day, fat + change * 0.6))
                rows.append(_m(client, "waist", day, 86 + change * 0.8 + rng.gauss(0, 0.3)))
    heart = CustomMetric(name="Resting heart rate", unit_kind="count", direction="lower")
    session.add(heart)
    await session.flush()
    jordan = next((c for c in clients if c.user_id is not None), None)
    if jordan is not None:
        for week in range(16):
            day = today - timedelta(weeks=16 - week)
            rows.append(
                _m(jordan, f"custom:{heart.id}", day, 64 - week * 0.4 + rng.gauss(0, 1), heart)
            )
    session.add_all(rows)
    if jordan is not None:
        await _photos(session, jordan, today)
        await _check_ins(session, jordan, today)
    await session.flush()


def _m(
    client: Client, metric: str, day: date, value: float, custom: CustomMetric | None = None
) -> Measurement:
    return Measurement(
        client_id=client.id,
        metric=metric,
        custom_metric_id=custom.id if custom else None,
        measured_on=day,
        value=round(value, 1),
        source="entry",
        recorded_by_id=client.user_id or client.trainer_id,
    )
