"""Recipe photos: uploaded, cleaned (JPEG, no metadata), served with an ETag, replaced and
removed with their files; refused files and other people's recipes change nothing."""

from __future__ import annotations

import io

from PIL import Image

from spotter.core import storage
from tests.builders import make_client_world, make_owner, table_snapshot
from tests.nutrition.helpers import make_recipe, png


async def _upload(client, actor, recipe_id: str, data: bytes, name: str = "dish.png"):
    return await client.put(
        f"/api/v1/recipes/{recipe_id}/photo",
        headers=actor.headers,
        files={"file": (name, data, "image/png")},
    )


async def test_upload_serve_replace_remove(client):
    owner = await make_owner(client)
    recipe = await make_recipe(client, owner)
    r = await _upload(client, owner, recipe["id"], png((1200, 900)))
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["photo_url"] == f"/api/v1/recipes/{recipe['id']}/photo"
    image = await client.get(body["photo_url"], headers=owner.headers)
    assert image.status_code == 200 and image.headers["content-type"] == "image/jpeg"
    shown = Image.open(io.BytesIO(image.content))
    assert shown.format == "JPEG" and shown.size == (1200, 900) and not shown.info.get("exif")
    thumb = await client.get(body["thumbnail_url"], headers=owner.headers)
    assert max(Image.open(io.BytesIO(thumb.content)).size) == 480
    again = await client.get(
        body["photo_url"], headers={**owner.headers, "If-None-Match": image.headers["etag"]}
    )
    assert again.status_code == 304
    listed = (await client.get("/api/v1/recipes", headers=owner.headers)).json()["items"]
    assert listed[0]["thumbnail_url"] == body["thumbnail_url"]

    # Replacing writes new files and removes the old ones once committed.
    first_etag = image.headers["etag"]
    r = await _upload(client, owner, recipe["id"], png((640, 480), "green"))
    assert r.status_code == 200
    newer = await client.get(body["photo_url"], headers=owner.headers)
    assert newer.headers["etag"] != first_etag
    old_key = "nutrition/recipes/" + first_etag.strip('"')
    assert not await storage.get_storage().exists(old_key)
    assert (
        await client.delete(f"/api/v1/recipes/{recipe['id']}/photo", headers=owner.headers)
    ).status_code == 204
    gone = await client.get(body["photo_url"], headers=owner.headers)
    assert gone.status_code == 404 and gone.json()["code"] == "recipe_photo_not_found"


async def test_refused_files_change_nothing(client):
    owner = await make_owner(client)
    recipe = await make_recipe(client, owner)
    before = await table_snapshot()
    for data, name in (
        (b"#!/bin/sh echo hi", "script.png"),
        (b"", "empty.png"),
        (png((10, 10)), "tiny.png"),
    ):
        r = await _upload(client, owner, recipe["id"], data, name)
        assert r.status_code == 422, r.text
        assert r.json()["code"] == "invalid_image"
    assert await table_snapshot() == before


async def test_who_may_set_a_photo(client, outbox):
    w = await make_client_world(client, outbox)
    org_recipe = await make_recipe(client, w.trainer, "Gym chili")
    own = await make_recipe(client, w.client_self, "Sally's porridge")
    assert (await _upload(client, w.client_self, org_recipe["id"], png())).status_code == 403
    assert (await _upload(client, w.client_self, own["id"], png())).status_code == 200
    assert (await _upload(client, w.trainer_other, own["id"], png())).status_code == 404
    other = await make_owner(client, org_name="Elsewhere")
    assert (await _upload(client, other, org_recipe["id"], png())).status_code == 404
    # Everyone who reads the recipe sees its photo; nobody else does.
    url = f"/api/v1/recipes/{own['id']}/photo"
    assert (await client.get(url, headers=w.trainer.headers)).status_code == 200
    assert (await client.get(url, headers=w.client_other.headers)).status_code == 404
