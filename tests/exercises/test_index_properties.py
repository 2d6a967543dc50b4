"""Properties of the search index itself (no HTTP): paging returns each row once and in
the same order as one big page, whatever the query and filters."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from spotter.exercises import service
from spotter.exercises.index import Entry, Filters
from spotter.exercises.text import Query, normalize, osa_distance, word_score

WORDS = [
    "bench",
    "press",
    "squat",
    "curl",
    "row",
    "pull",
    "benhc",
    "squt",
    "db",
    "kb",
    "x",
    "deadlfit",
    "stretch",
    "up",
    "dumbbell",
    "incline",
    "zz",
]


async def test_paging_equals_one_big_page(session):
    lib = await service.library(session)
    own = (
        Entry.make(
            id=lib.entries[0].id,
            source="shared",
            slug=None,
            name="House Bench Press",
            category="strength",
            level="beginner",
            mechanic="compound",
            force="push",
            equipment="barbell",
            primary_muscles=("chest",),
            secondary_muscles=(),
            overridden=True,
        ),
    )
    hidden = frozenset({lib.entries[0].id})

    @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
    @given(
        words=st.lists(st.sampled_from(WORDS), max_size=3),
        muscles=st.sets(st.sampled_from(["chest", "quadriceps", "biceps", "lats"]), max_size=2),
        equipment=st.sets(st.sampled_from(["barbell", "dumbbell", "cable"]), max_size=2),
        limit=st.integers(min_value=1, max_value=40),
    )
    def check(words, muscles, equipment, limit):
        query = Query(" ".join(words), lib) if words else None
        filters = Filters(muscles=frozenset(muscles), equipment=frozenset(equipment))
        everything, _ = lib.search(
            query=query, filters=filters, own=own, hidden=hidden, after=None, limit=2000
        )
        paged, after = [], None
        while True:
            page, after = lib.search(
                query=query, filters=filters, own=own, hidden=hidden, after=after, limit=limit
            )
            paged += page
            if after is None:
                break
        assert [e.id for e in paged] == [e.id for e in everything]
        assert len({e.id for e in paged}) == len(paged)
        for e in paged:
            assert filters.accepts(e)

    check()


def test_text_helpers():
    assert normalize("Dumbbell Bench Press - Medium Grip!") == "dumbbell bench press medium grip"
    assert normalize("Développé Couché") == "developpe couche"
    assert osa_distance("benhc", "bench", 2) == 1  # a swap is one edit
    assert osa_distance("squt", "squat", 1) == 1
    assert osa_distance("abcdef", "uvwxyz", 1) == 2  # capped at limit + 1
    assert word_score("press", "press") > word_score("pres", "press") > word_score("squt", "squat")
    assert word_score("db", "dumbbell") > 0 and word_score("row", "throw") > 0
    assert word_score("xyz", "squat") == 0 and word_score("pullup", "pull") == 0
