"""``core.kept.Kept``: a bounded map that forgets the least recently used entry."""

from spotter.core.kept import Kept


def test_it_forgets_the_least_recently_used_past_its_size() -> None:
    kept: Kept[str, int] = Kept(2)
    assert kept.put("a", 1) == 1
    kept.put("b", 2)
    assert kept.get("a") == 1  # "a" is now the most recently used
    kept.put("c", 3)
    assert kept.get("b") is None and kept.get("a") == 1 and kept.get("c") == 3
    assert len(kept) == 2


def test_pop_and_clear() -> None:
    kept: Kept[str, int] = Kept(4)
    kept.put("a", 1)
    kept.pop("a")
    kept.pop("missing")  # nothing to forget is fine
    assert kept.get("a") is None
    kept.put("b", 2)
    kept.clear()
    assert len(kept) == 0
