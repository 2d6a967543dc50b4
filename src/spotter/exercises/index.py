"""Search: an in-process index of the shared library, merged per request with the calling
organization's own rows.

The shared library only changes through a migration (which means a deploy and a restart),
so each process builds an index of it once, lazily, from the database: facet sets per
muscle, equipment, category, level, mechanic and force, and a posting list per name word.
A request then asks the database only for the organization's own rows (custom exercises
and overrides, a handful), filters and scores them with the same code, and merges.

Name matching is typo-tolerant without a search engine. Names and queries are normalized
(accents folded, lower case, punctuation as spaces) and split into words. Every query word
must match some word of the name, scored: exact 100, prefix 80 ("pres" -> "press"), the
name word plus an ending 60 ("curls" -> "curl"), inside 50, one typo 40 ("squt", "benhc":
optimal string alignment distance, which counts a swap as one edit; two typos for words of
8+ letters), a typo within a prefix 30. Gym shorthand ("db", "kb", "bb") also matches the
word it stands for. A query word's scores against the whole shared vocabulary (about 530
words) are computed once and cached. As a last resort the query with spaces removed may
appear inside the name with spaces removed ("pullup" finds "Pull-Up").

Ranking is deterministic: tier (0 exact name, 1 name starts with the query, 2 name contains
the query, 3 every word matched without typos, 4 with typos), then total word score (plus a
bonus when the first word matches the name's first word and when the words appear in
order), then shorter names, then name, then id. That sort key is the cursor, so paging
through results returns each row once.
"""

from __future__ import annotations

import base64
import bisect
import functools
import heapq
import itertools
import json
import re
import unicodedata
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from spotter.core.errors import field_error

EXACT, PREFIX, STEM, INFIX, TYPO, TYPO_PREFIX = 100, 80, 60, 50, 40, 30
MAX_QUERY_WORDS = 8
_WORD = re.compile(r"[^\W_]+")
BODYWEIGHT = frozenset({None, "body_only"})
ABBREVIATIONS = {
    "db": "dumbbell",
    "dbs": "dumbbell",
    "kb": "kettlebell",
    "kbs": "kettlebell",
    "bb": "barbell",
    "bw": "bodyweight",
    "sl": "single",
}
_SUFFIXES = frozenset({"s", "es", "ing", "ings", "ed", "er", "ers"})


@functools.lru_cache(maxsize=16384)
def normalize(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text)
    folded = "".join(c for c in folded if not unicodedata.combining(c)).lower()
    return " ".join(_WORD.findall(folded))


def osa_distance(a: str, b: str, limit: int) -> int:
    """Optimal string alignment distance (a swap of neighbours is one edit), or
    ``limit + 1`` as soon as it is known to exceed ``limit``."""
    la, lb = len(a), len(b)
    if abs(la - lb) > limit:
        return limit + 1
    before: list[int] = []
    prev = list(range(lb + 1))
    for i in range(1, la + 1):
        cur = [i] + [0] * lb
        ai = a[i - 1]
        row_min = i
        for j in range(1, lb + 1):
            bj = b[j - 1]
            value = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ai != bj))
            if i > 1 and j > 1 and ai == b[j - 2] and a[i - 2] == bj:
                value = min(value, before[j - 2] + 1)
            cur[j] = value
            row_min = min(row_min, value)
        if row_min > limit:
            return limit + 1
        before, prev = prev, cur
    return min(prev[lb], limit + 1)


def word_score(q: str, w: str) -> int:
    """How well query word ``q`` matches name word ``w`` (0: not at all); gym shorthand
    ("db", "kb", "bb") also matches what it stands for."""
    score = _word_score(q, w)
    if q in ABBREVIATIONS:
        score = max(score, _word_score(ABBREVIATIONS[q], w))
    return score


def _word_score(q: str, w: str) -> int:
    if q == w:
        return EXACT
    if w.startswith(q):
        return PREFIX
    if len(w) >= 3 and q.startswith(w) and q[len(w) :] in _SUFFIXES:
        return STEM
    if len(q) >= 3 and q in w:
        return INFIX
    if len(q) >= 4:
        # Each edit brings at most one letter that the other word lacks: a cheap test first.
        limit = 1 if len(q) < 8 else 2
        letters = set(q)
        if len(letters.difference(w)) <= limit:
            distance = osa_distance(q, w, limit)
            if distance <= limit:
                return TYPO - 5 * (distance - 1)
        head = w[: len(q) + 1]
        if (
            len(w) > len(q)
            and len(letters.difference(head)) <= 1
            and (osa_distance(q, w[: len(q)], 1) <= 1 or osa_distance(q, head, 1) <= 1)
        ):
            return TYPO_PREFIX
    return 0


@dataclass(frozen=True, slots=True)
class Category:
    id: uuid.UUID
    slug: str
    name: str
    parent: str | None
    position: int
    children: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Term:
    """A muscle or a piece of equipment."""

    id: uuid.UUID
    slug: str
    name: str
    region: str | None = None


@dataclass(frozen=True, slots=True)
class Entry:
    """One exercise as an organization sees it (shared, shared with override, or custom)."""

    id: uuid.UUID
    source: str  # "shared" | "custom"
    slug: str | None
    name: str
    category: str
    level: str
    mechanic: str | None
    force: str | None
    equipment: str | None
    primary_muscles: tuple[str, ...]
    secondary_muscles: tuple[str, ...]
    video_url: str | None = None
    cues: tuple[str, ...] = ()
    notes: str | None = None
    overridden: bool = False
    shared_name: str | None = None
    archived: bool = False
    norm: str = field(default="", repr=False)
    words: tuple[str, ...] = field(default=(), repr=False)
    compact: str = field(default="", repr=False)

    @classmethod
    def make(cls, **values: Any) -> Entry:
        norm = normalize(values["name"])
        return cls(**values, norm=norm, words=tuple(norm.split()), compact=norm.replace(" ", ""))

    def renamed(self, name: str, **values: Any) -> Entry:
        norm = normalize(name)
        return replace(
            self,
            name=name,
            norm=norm,
            words=tuple(norm.split()),
            compact=norm.replace(" ", ""),
            **values,
        )

    @property
    def muscles(self) -> frozenset[str]:
        return frozenset(self.primary_muscles) | frozenset(self.secondary_muscles)


@dataclass(frozen=True)
class Filters:
    """Validated filter values (slugs); categories already include their descendants.
    Within one filter any value matches; different filters must all match."""

    muscles: frozenset[str] = frozenset()
    include_secondary: bool = False
    equipment: frozenset[str] = frozenset()
    categories: frozenset[str] = frozenset()
    levels: frozenset[str] = frozenset()
    mechanics: frozenset[str] = frozenset()
    forces: frozenset[str] = frozenset()
    sources: frozenset[str] = frozenset()
    include_archived: bool = False

    def accepts(self, e: Entry) -> bool:
        if e.archived and not self.include_archived:
            return False
        if self.muscles:
            have = e.muscles if self.include_secondary else frozenset(e.primary_muscles)
            if not have & self.muscles:
                return False
        checks = (
            (self.equipment, e.equipment),
            (self.categories, e.category),
            (self.levels, e.level),
            (self.mechanics, e.mechanic),
            (self.forces, e.force),
            (self.sources, e.source),
        )
        return all(not wanted or value in wanted for wanted, value in checks)


class Query:
    """A normalized name query; word scores come from the library's cache."""

    def __init__(self, text: str, library: Library) -> None:
        self.norm = normalize(text)
        self.words = tuple(dict.fromkeys(self.norm.split()))[:MAX_QUERY_WORDS]
        self.compact = self.norm.replace(" ", "")
        self._library = library
        self._memo: dict[tuple[str, str], int] = {}

    def __bool__(self) -> bool:
        return bool(self.words)

    def score(self, q: str, w: str) -> int:
        if w in self._library.vocabulary:
            return self._library.word_scores(q).get(w, 0)
        key = (q, w)
        if key not in self._memo:
            self._memo[key] = word_score(q, w)
        return self._memo[key]

    def rank(self, e: Entry) -> tuple[int, int] | None:
        """(tier, score) of a name, or None when it does not match."""
        total, positions, typos = 0, [], False
        for q in self.words:
            best, at = 0, -1
            for i, w in enumerate(e.words):
                s = self.score(q, w)
                if s > best:
                    best, at = s, i
            if best == 0:
                if len(self.compact) >= 3 and self.compact in e.compact:
                    return 2, INFIX * len(self.words)
                return None
            total += best
            positions.append(at)
            typos = typos or best < INFIX
        if positions[0] == 0:
            total += 10
        if all(b == a + 1 for a, b in itertools.pairwise(positions)):
            total += 10
        if e.norm == self.norm:
            tier = 0
        elif e.norm.startswith(self.norm):
            tier = 1
        elif self.norm in e.norm:
            tier = 2
        else:
            tier = 4 if typos else 3
        return tier, total


SortKey = tuple[Any, ...]


class Library:
    """The shared exercise library of this process (immutable once built)."""

    def __init__(
        self,
        *,
        categories: Sequence[Category],
        muscles: Sequence[Term],
        equipment: Sequence[Term],
        entries: Iterable[Entry],
    ) -> None:
        children: dict[str, list[str]] = {}
        for c in categories:
            if c.parent:
                children.setdefault(c.parent, []).append(c.slug)
        self.categories = [replace(c, children=tuple(children.get(c.slug, ()))) for c in categories]
        self.category_by_slug = {c.slug: c for c in self.categories}
        self.category_by_id = {c.id: c for c in self.categories}
        self.muscles = list(muscles)
        self.muscle_by_slug = {m.slug: m for m in self.muscles}
        self.muscle_by_id = {m.id: m for m in self.muscles}
        self.equipment = list(equipment)
        self.equipment_by_slug = {e.slug: e for e in self.equipment}
        self.equipment_by_id = {e.id: e for e in self.equipment}

        self.entries: list[Entry] = sorted(entries, key=lambda e: (e.norm, str(e.id)))
        self.by_id = {e.id: e for e in self.entries}
        self.name_keys = [_name_key(e) for e in self.entries]
        self.postings: dict[str, set[int]] = {}
        self.facets: dict[str, dict[str | None, set[int]]] = {
            k: {} for k in ("primary", "any", "equipment", "category", "level", "mechanic", "force")
        }
        for i, e in enumerate(self.entries):
            for w in e.words:
                self.postings.setdefault(w, set()).add(i)
            for m in e.primary_muscles:
                self.facets["primary"].setdefault(m, set()).add(i)
            for m in e.muscles:
                self.facets["any"].setdefault(m, set()).add(i)
            for facet, value in (
                ("equipment", e.equipment),
                ("category", e.category),
                ("level", e.level),
                ("mechanic", e.mechanic),
                ("force", e.force),
            ):
                self.facets[facet].setdefault(value, set()).add(i)
        self.vocabulary = frozenset(self.postings)
        self._word_scores: dict[str, dict[str, int]] = {}

    # --- vocabularies -----------------------------------------------------------------------

    def descendants(self, slug: str) -> set[str]:
        found, todo = set(), [slug]
        while todo:
            current = todo.pop()
            found.add(current)
            todo.extend(self.category_by_slug[current].children)
        return found

    def word_scores(self, q: str) -> dict[str, int]:
        """The non-zero scores of query word ``q`` against every shared name word."""
        found = self._word_scores.get(q)
        if found is None:
            if len(self._word_scores) > 20_000:
                self._word_scores.clear()
            found = {w: s for w in self.vocabulary if (s := word_score(q, w))}
            self._word_scores[q] = found
        return found

    # --- search -----------------------------------------------------------------------------

    def _candidates(self, filters: Filters) -> set[int] | None:
        """Indexes of shared entries passing the filters (None: all of them)."""
        if filters.sources and "shared" not in filters.sources:
            return set()
        picked: set[int] | None = None
        groups = (
            ("any" if filters.include_secondary else "primary", filters.muscles),
            ("equipment", filters.equipment),
            ("category", filters.categories),
            ("level", filters.levels),
            ("mechanic", filters.mechanics),
            ("force", filters.forces),
        )
        for facet, wanted in groups:
            if not wanted:
                continue
            index = self.facets[facet]
            union: set[int] = set().union(*(index.get(v, set()) for v in wanted))
            picked = union if picked is None else picked & union
        return picked

    def _text_matches(self, query: Query, candidates: set[int] | None) -> set[int]:
        matched: set[int] | None = None
        for q in query.words:
            hits: set[int] = set().union(*(self.postings[w] for w in self.word_scores(q)))
            matched = hits if matched is None else matched & hits
        found = matched or set()
        if len(query.compact) >= 3:  # "pullup" inside "wide grip pullup" / "pull up"
            pool = range(len(self.entries)) if candidates is None else candidates
            found |= {i for i in pool if query.compact in self.entries[i].compact}
        return found if candidates is None else found & candidates

    def search(
        self,
        *,
        query: Query | None,
        filters: Filters,
        own: Iterable[Entry],
        hidden: frozenset[uuid.UUID],
        after: SortKey | None,
        limit: int,
    ) -> tuple[list[Entry], SortKey | None]:
        """One page of results: shared entries (minus ``hidden``, the overridden ones, which
        come back merged in ``own``) and the organization's own entries."""
        candidates = self._candidates(filters)
        mine = [e for e in own if filters.accepts(e)]
        if not query:
            return self._by_name(candidates, mine, hidden, after, limit)
        pool = [self.entries[i] for i in self._text_matches(query, candidates)]
        pool = [e for e in pool if e.id not in hidden]
        ranked: list[tuple[SortKey, Entry]] = []
        for e in pool + mine:
            found = query.rank(e)
            if found is None:
                continue
            key: SortKey = (found[0], -found[1], len(e.norm), e.norm, str(e.id))
            if after is None or key > after:
                ranked.append((key, e))
        return _page(ranked, limit)

    def _by_name(
        self,
        candidates: set[int] | None,
        own: list[Entry],
        hidden: frozenset[uuid.UUID],
        after: SortKey | None,
        limit: int,
    ) -> tuple[list[Entry], SortKey | None]:
        """Without a query the order is by name: the shared entries are kept in that order,
        so a page is a bisect and a short walk, merged with the organization's rows."""
        start = 0 if after is None else bisect.bisect_right(self.name_keys, after)
        if candidates is None:
            indexes: Iterable[int] = range(start, len(self.entries))
        else:
            indexes = sorted(i for i in candidates if i >= start)
        shared = (
            (self.name_keys[i], self.entries[i])
            for i in indexes
            if self.entries[i].id not in hidden
        )
        keyed = [(_name_key(e), e) for e in own]
        mine = sorted(
            ((k, e) for k, e in keyed if after is None or k > after), key=lambda pair: pair[0]
        )
        top = list(itertools.islice(heapq.merge(shared, mine, key=lambda p: p[0]), limit + 1))
        if len(top) > limit:
            return [e for _, e in top[:limit]], top[limit - 1][0]
        return [e for _, e in top], None

    def substitutes(
        self,
        source: Entry,
        *,
        own: Iterable[Entry],
        hidden: frozenset[uuid.UUID],
        equipment: frozenset[str] | None,
        after: SortKey | None,
        limit: int,
    ) -> tuple[list[Entry], SortKey | None]:
        """Alternatives to ``source``: the same primary muscles and mechanic, usable with
        ``equipment`` (bodyweight ones always are), most shared muscles first."""
        primary = frozenset(source.primary_muscles)
        indexes: set[int] = set()
        for m in primary:
            indexes |= self.facets["primary"].get(m, set())
        pool = [self.entries[i] for i in indexes]
        pool = [e for e in pool if e.id not in hidden]
        pool.extend(e for e in own if not e.archived)
        muscles = source.muscles
        ranked: list[tuple[SortKey, Entry]] = []
        for e in pool:
            if (
                e.id == source.id
                or frozenset(e.primary_muscles) != primary
                or e.mechanic != source.mechanic
            ):
                continue
            if equipment is not None and e.equipment not in equipment | BODYWEIGHT:
                continue
            overlap = len(muscles & e.muscles) * 100 // len(muscles | e.muscles)
            key: SortKey = (
                -overlap,
                -(e.force == source.force),
                -(e.category == source.category),
                -(e.equipment == source.equipment),
                e.norm,
                str(e.id),
            )
            if after is None or key > after:
                ranked.append((key, e))
        return _page(ranked, limit)


def _name_key(e: Entry) -> SortKey:
    return (0, 0, 0, e.norm, str(e.id))


def _page(ranked: list[tuple[SortKey, Entry]], limit: int) -> tuple[list[Entry], SortKey | None]:
    top = heapq.nsmallest(limit + 1, ranked, key=lambda pair: pair[0])
    if len(top) > limit:
        return [e for _, e in top[:limit]], top[limit - 1][0]
    return [e for _, e in top], None


# --- cursors ---------------------------------------------------------------------------------

SEARCH_KEY = (int, int, int, str, str)
SUBSTITUTE_KEY = (int, int, int, int, str, str)


def encode_cursor(key: SortKey) -> str:
    raw = json.dumps(list(key), separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str | None, shape: tuple[type, ...]) -> SortKey | None:
    if not cursor:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        values = json.loads(raw)
        ok = (
            isinstance(values, list)
            and len(values) == len(shape)
            and all(type(v) is t for v, t in zip(values, shape, strict=True))
        )
    except (ValueError, TypeError):
        ok = False
    if not ok:
        raise field_error("cursor", "invalid cursor: use next_cursor from a previous page")
    return tuple(values)
