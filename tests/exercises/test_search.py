"""Search quality: typo-tolerant names, filters, category hierarchy, pagination."""

from __future__ import annotations

from typing import Any

import pytest

from tests.builders import make_owner
from tests.exercises.helpers import API, make_custom, search, walk
from tests.progress.test_queries import count


@pytest.fixture
async def owner(client):
    return await make_owner(client)


@pytest.mark.parametrize(
    ("q", "expected_word"),
    [
        ("bench press", "bench press"),
        ("bench pres", "bench press"),  # unfinished word: prefix
        ("benhc press", "bench press"),  # swapped letters
        ("bnech press", "bench press"),
        ("squt", "squat"),  # missing letter
        ("sqaut", "squat"),
        ("deadlfit", "deadlift"),
        ("pullup", "pullup"),
        ("Romanian deadlift", "romanian deadlift"),
        ("lat pulldwn", "pulldown"),
    ],
)
async def test_typo_tolerant_name_search(client, owner, q, expected_word):
    items = await search(client, owner, q=q, limit=10)
    assert items, f"nothing found for {q!r}"
    top = [i["name"].lower().replace("-", " ").replace("  ", " ") for i in items[:5]]
    for name in top:
        assert all(w in name.replace(" ", "") or w in name for w in expected_word.split()), (q, top)


async def test_exact_and_prefix_matches_rank_first(client, owner):
    items = await search(client, owner, q="bench press", limit=25)
    names = [i["name"] for i in items]
    # Names starting with the query come before names merely containing it.
    starts = [n for n in names if n.lower().startswith("bench press")]
    assert starts and names[: len(starts)] == starts
    assert "Barbell Bench Press - Medium Grip" in names
    assert (await search(client, owner, q="Barbell Squat", limit=1))[0]["name"] == "Barbell Squat"


async def test_ranking_is_deterministic(client, owner):
    first = await search(client, owner, q="curl", limit=50)
    second = await search(client, owner, q="curl", limit=50)
    assert [i["id"] for i in first] == [i["id"] for i in second]


async def test_no_match(client, owner):
    assert await search(client, owner, q="xylophone zebra") == []


async def test_filters(client, owner):
    chest = await walk(client, owner, "/exercises", muscle="chest", limit=100)
    assert len(chest) == 84 and all(i["primary_muscles"] == ["chest"] for i in chest)
    with_secondary = await walk(
        client, owner, "/exercises", muscle="chest", include_secondary="true", limit=100
    )
    assert len(with_secondary) > len(chest)
    assert all("chest" in i["primary_muscles"] + i["secondary_muscles"] for i in with_secondary)

    r = await client.get(
        f"{API}/exercises",
        headers=owner.headers,
        params=[
            ("equipment", "barbell"),
            ("equipment", "dumbbell"),
            ("level", "expert"),
            ("limit", "100"),
        ],
    )
    items = r.json()["items"]
    assert items and all(i["equipment"] in {"barbell", "dumbbell"} for i in items)
    assert all(i["level"] == "expert" for i in items)

    pulls = await search(
        client, owner, mechanic="isolation", force="pull", muscle="biceps", limit=100
    )
    assert pulls and all(i["mechanic"] == "isolation" and i["force"] == "pull" for i in pulls)

    # Vocabulary values are matched leniently: "Lower back" is lower_back.
    lower = await search(client, owner, muscle="Lower back", limit=100)
    assert lower and all(i["primary_muscles"] == ["lower_back"] for i in lower)

    # Text and filters together.
    curls = await search(client, owner, q="curl", equipment="dumbbell", limit=100)
    assert curls and all(
        i["equipment"] == "dumbbell" and "curl" in i["name"].lower() for i in curls
    )


async def test_category_includes_children(client, owner):
    strength = await walk(client, owner, "/exercises", category="strength", limit=100)
    kinds = {i["category"] for i in strength}
    assert kinds == {"strength", "powerlifting", "olympic_weightlifting", "strongman"}
    assert len(strength) == 581 + 38 + 35 + 21
    conditioning = await walk(client, owner, "/exercises", category="conditioning", limit=100)
    assert {i["category"] for i in conditioning} == {"cardio", "plyometrics"}
    only = await walk(client, owner, "/exercises", category="powerlifting", limit=100)
    assert len(only) == 38 and {i["category"] for i in only} == {"powerlifting"}


async def test_pagination_through_a_filter_gives_each_row_once(client, owner):
    await make_custom(
        client, owner, name="Zercher Chest Press", primary_muscles=["chest"], secondary_muscles=[]
    )
    pages = await walk(client, owner, "/exercises", muscle="chest", limit=7)
    ids = [i["id"] for i in pages]
    assert len(ids) == len(set(ids)) == 85
    ranked = await walk(client, owner, "/exercises", q="press", limit=9)
    full = await search(client, owner, q="press", limit=100)
    assert [i["id"] for i in ranked] == [i["id"] for i in full]


async def test_whole_library_pages(client, owner):
    everything = await walk(client, owner, "/exercises", limit=100)
    assert len(everything) == 873 and len({i["id"] for i in everything}) == 873


async def test_unknown_filter_values_are_422_listing_allowed_ones(client, owner):
    for param, value, allowed in [
        ("muscle", "wings", "abdominals"),
        ("equipment", "spaceship", "allowed: bands, barbell"),
        ("category", "yoga-ish", "strength"),
    ]:
        r = await client.get(f"{API}/exercises", headers=owner.headers, params={param: value})
        assert r.status_code == 422, r.text
        body = r.json()
        assert body["errors"][0]["field"] == param
        assert value in body["detail"] and allowed in body["detail"]
    r = await client.get(f"{API}/exercises", headers=owner.headers, params={"level": "godlike"})
    assert r.status_code == 422 and "beginner" in r.text
    r = await client.get(f"{API}/exercises", headers=owner.headers, params={"cursor": "bad!"})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "cursor"
    r = await client.get(f"{API}/exercises", headers=owner.headers, params={"q": "x" * 101})
    assert r.status_code == 422


async def test_vocabularies(client, owner):
    cats = (await client.get(f"{API}/exercise-categories", headers=owner.headers)).json()
    by_slug = {c["slug"]: c for c in cats}
    assert by_slug["strength"]["parent"] is None
    assert set(by_slug["strength"]["children"]) == {
        "powerlifting",
        "olympic_weightlifting",
        "strongman",
    }
    assert by_slug["stretching"]["parent"] == "mobility"
    muscles = (await client.get(f"{API}/muscles", headers=owner.headers)).json()
    assert (
        len(muscles) == 17
        and {"slug": "lower_back", "name": "Lower back", "region": "back"} in muscles
    )
    equipment = (await client.get(f"{API}/equipment", headers=owner.headers)).json()
    assert {e["slug"] for e in equipment} >= {"barbell", "ez_curl_bar", "body_only"}


async def test_a_repeated_search_is_one_statement(client, engine):
    """A search whose page is cached reads only the library's version once the worker
    reuses the caller's session lookup (as here, after the warm-up request), between the
    SAVEPOINT and RELEASE that stand in for the tests' transaction. After a write it sees
    the change."""
    owner = await make_owner(client)
    await make_custom(client, owner)

    def call() -> Any:
        return client.get(f"{API}/exercises", headers=owner.headers, params={"q": "landmine"})

    assert await count(engine, call) == 3
    made = await make_custom(client, owner, name="Landmine Row")
    assert made["id"] in [i["id"] for i in (await call()).json()["items"]]
