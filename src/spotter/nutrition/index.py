"""Search over the shared USDA foods, in process.

The 8,789 shared foods only change through a migration, so each server process builds
this index once (on first use) from the global tables and answers searches from memory.
Custom foods are searched in the database (``service.search``) with the same ranking, and
the two are merged by sort key.

Ranking. A query is split into stems (``nutrition.text``); word order never matters. Tiers:

0. every query word is a whole word of the name;
1. every query word is a whole word or the start (3+ letters) of one;
2. every query word matches somehow: inside a word ("berry" in "strawberries") or with a
   typo (one edit, two for words of 8+ letters; a swap counts as one);
3. all query words but one match like that (queries of two words or more).

Within a tier: staples first, in their curated order (the plain foods people mean: raw
egg, cooked white rice, skinless chicken breast, ...), then ordinary foods (custom foods
count as ordinary), then branded, fast-food, restaurant, baby and regional entries, each
by shorter names first; then the id. That key is the cursor, so paging never repeats a row. Custom
foods take part in tiers 0 and 1.
"""

from __future__ import annotations

import bisect
import heapq
import re
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from spotter.core.kept import Kept
from spotter.core.text import normalize, osa_distance
from spotter.nutrition.dataset import group_id
from spotter.nutrition.food import FoodView
from spotter.nutrition.text import MIN_PREFIX, name_length, stem

SortKey = tuple[int, int, int, str]
SEARCH_KEY = (int, int, int, str)
BROWSE_KEY = (int, str)
STAPLE, ORDINARY, SPECIAL = 0, 1, 2
PAGES_KEPT = 4096
# Groups and names that are rarely what a person means by a plain word.
SPECIAL_GROUPS = frozenset({"fast_foods", "restaurant", "baby_foods", "native_foods"})
_BRAND = re.compile(r"\b[A-Z][A-Z&'.]{2,}\b")
# The plain foods people mean (SR28 NDB numbers), ranked first within their tier in this
# order (raw before cooked, except rice and pasta, which people mostly mean cooked).
STAPLES: dict[str, int] = {
    ndb: i
    for i, ndb in enumerate(
        """
    01123 01124 01129 01077 01079 01085 01256 01116 01009 01015 01026 01001 01033 01053
    05062 05064 05098 05305 23567 23562 10060 15236 15121 15015 15149 20045 20037 20044
    20038 08120 20121 20120 18075 18069 20137 11352 11365 11507 11508 09040 09003 09200
    09316 09050 09037 09132 11090 11457 11124 11529 11282 11251 11205 11821 16015 16057
    16070 16426 12061 12155 16398 16087 04053 04047 19296 19335 14058 14209 14411 16158
    12006 14091 16120 11167 11304 11260 11135 11477 02047 20081 09266 09176 09326 11233
    11215 09150
    """.split()
    )
}


def rank_class(food: FoodView) -> int:
    if food.ndb_no in STAPLES:
        return STAPLE
    if food.source == "usda" and (food.group in SPECIAL_GROUPS or _BRAND.search(food.name)):
        return SPECIAL
    return ORDINARY


def _typo_limit(q: str) -> int:
    return 1 if len(q) < 8 else 2


def fuzzy(q: str, w: str) -> bool:
    """``q`` inside ``w`` (3+ letters) or ``w`` (or its start) within the typo limit."""
    if len(q) >= MIN_PREFIX and q in w:
        return True
    if len(q) < 4:
        return False
    limit = _typo_limit(q)
    if len(set(q) - set(w)) > limit:
        return False
    if osa_distance(q, w, limit) <= limit:
        return True
    return len(w) > len(q) and osa_distance(q, w[: len(q)], 1) <= 1


@dataclass
class Entry:
    food: FoodView
    key: tuple[int, int, str]  # (rank class, name length, id)
    norm: str


@dataclass
class WordMatches:
    """The shared foods each level of match of one query word reaches."""

    whole: frozenset[int]
    prefix: frozenset[int]
    loose: frozenset[int]


@dataclass
class SharedFoods:
    groups: list[tuple[str, str]]  # (slug, name) in display order
    entries: list[Entry] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.entries.sort(key=lambda e: (e.norm, e.key[2]))
        self.by_id = {e.food.id: e for e in self.entries}
        self.group_names = dict(self.groups)
        self.group_slugs = {group_id(slug): slug for slug in self.group_names}
        self.stems: dict[str, set[int]] = {}
        self.forms: dict[str, set[int]] = {}  # raw words and stems
        self.by_group: dict[str | None, set[int]] = {}
        for i, e in enumerate(self.entries):
            for raw in e.norm.split():
                self.stems.setdefault(stem(raw), set()).add(i)
                self.forms.setdefault(raw, set()).add(i)
                self.forms.setdefault(stem(raw), set()).add(i)
            self.by_group.setdefault(e.food.group, set()).add(i)
        self.vocabulary = sorted(self.forms)
        self._memo: dict[str, WordMatches] = {}
        self._corrections: dict[str, str | None] = {}
        # Pages by what was asked: the shared foods never change in a running process.
        self._pages: Kept[tuple[object, ...], tuple[tuple[SortKey, FoodView], ...]] = Kept(
            PAGES_KEPT
        )

    @classmethod
    def build(cls, groups: list[tuple[str, str]], foods: Iterable[FoodView]) -> SharedFoods:
        entries = []
        for f in foods:
            kind = rank_class(f)
            # Staples keep their curated order in the slot other foods use for name length.
            order = STAPLES[f.ndb_no or ""] if kind == STAPLE else name_length(f.name)
            entries.append(Entry(f, (kind, order, str(f.id)), normalize(f.name)))
        return cls(groups=groups, entries=entries)

    def get(self, food_id: uuid.UUID) -> FoodView | None:
        entry = self.by_id.get(food_id)
        return entry.food if entry else None

    def knows(self, word: str) -> bool:
        """Whether a query stem is a whole word of some shared food."""
        return word in self.stems

    def correction(self, q: str) -> str | None:
        """The most common whole word of the shared names within ``q``'s typo limit."""
        if q not in self._corrections:
            if len(self._corrections) > 20_000:
                self._corrections.clear()
            limit = _typo_limit(q)
            close = [
                w
                for w in self.stems
                if abs(len(w) - len(q)) <= limit
                and len(set(q) - set(w)) <= limit
                and osa_distance(q, w, limit) <= limit
            ]
            best = max(close, key=lambda w: (len(self.stems[w]), w), default=None)
            self._corrections[q] = best
        return self._corrections[q]

    def matches(self, q: str) -> WordMatches:
        found = self._memo.get(q)
        if found is None:
            if len(self._memo) > 20_000:
                self._memo.clear()
            whole = frozenset(self.stems.get(q, ()))
            prefix: set[int] = set(whole)
            loose: set[int] = set()
            if len(q) >= MIN_PREFIX:
                start = bisect.bisect_left(self.vocabulary, q)
                for w in self.vocabulary[start:]:
                    if not w.startswith(q):
                        break
                    prefix |= self.forms[w]
                for w in self.vocabulary:
                    if fuzzy(q, w):
                        loose |= self.forms[w]
            found = WordMatches(whole, frozenset(prefix), frozenset(loose | prefix))
            self._memo[q] = found
        return found

    def search(
        self,
        words: Sequence[str],
        *,
        groups: frozenset[str] | None,
        after: SortKey | None,
        limit: int,
    ) -> list[tuple[SortKey, FoodView]]:
        """Up to ``limit`` results after ``after``, in ranking order, with their keys."""
        asked = (tuple(words), groups, after, limit)
        page = self._pages.get(asked)
        if page is None:
            page = self._pages.put(asked, tuple(self._ranked(words, groups, after, limit)))
        return list(page)

    def _ranked(
        self,
        words: Sequence[str],
        groups: frozenset[str] | None,
        after: SortKey | None,
        limit: int,
    ) -> list[tuple[SortKey, FoodView]]:
        per_word = [self.matches(q) for q in words]
        allowed: set[int] | None = None
        if groups is not None:
            allowed = set().union(*(self.by_group.get(g, set()) for g in groups))
        seen: frozenset[int] = frozenset()
        ranked: list[tuple[SortKey, FoodView]] = []
        # Each tier holds the one before it, so it is computed only when reached: most
        # pages fill up in tier 0 or 1, and tier 3 counts every loose match of every word.
        for tier in range(4 if len(words) >= 2 else 3):
            members = self._tier(per_word, tier)
            if after is not None and tier < after[0]:
                seen = members
                continue
            for i in members - seen:
                if allowed is not None and i not in allowed:
                    continue
                e = self.entries[i]
                key: SortKey = (tier, *e.key)
                if after is None or key > after:
                    ranked.append((key, e.food))
            seen = members
            if len(ranked) > limit:
                break  # later tiers sort after every key found so far
        return heapq.nsmallest(limit, ranked, key=lambda pair: pair[0])

    @staticmethod
    def _tier(per_word: Sequence[WordMatches], tier: int) -> frozenset[int]:
        """The foods in ``tier`` or better: every word whole (0), whole or a prefix (1),
        matching somehow (2); all words but one matching somehow (3)."""
        if tier == 3:
            counts: dict[int, int] = {}
            for m in per_word:
                for i in m.loose:
                    counts[i] = counts.get(i, 0) + 1
            return frozenset(i for i, n in counts.items() if n >= len(per_word) - 1)
        levels = [(m.whole, m.prefix, m.loose)[tier] for m in per_word]
        return levels[0].intersection(*levels[1:])

    def browse(
        self, *, groups: frozenset[str] | None, after: int | None, limit: int
    ) -> list[tuple[int, FoodView]]:
        """Foods by name: (position, food) after position ``after``."""
        start = 0 if after is None else after + 1
        out = []
        for i in range(start, len(self.entries)):
            food = self.entries[i].food
            if groups is None or food.group in groups:
                out.append((i, food))
                if len(out) >= limit:
                    break
        return out
