"""Search: an in-process index of the shared library, merged per request with the calling
organization's own rows.

The shared library only changes through a migration (which means a deploy and a restart),
so each process builds an index of it once, lazily, from the database: facet sets per
muscle, equipment, category, level, mechanic and force, and a posting list per name word.
A request adds the organization's own entries (custom exercises and overridden shared
ones, from ``service.own``), filters and scores them with the same code, and merges.

Results are ordered by a sort key that is also the cursor, so paging returns each row once:
by name without a query, by relevance with one (name matching and ranking:
``exercises.text``). Substitutions rank by muscle overlap the same way.
"""

from __future__ import annotations

import bisect
import heapq
import itertools
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from spotter.core.pagination import decode_sort_key, encode_sort_key
from spotter.exercises.text import Query, normalize, word_score

BODYWEIGHT = frozenset({None, "body_only"})


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
encode_cursor = encode_sort_key
decode_cursor = decode_sort_key
SUBSTITUTE_KEY = (int, int, int, int, str, str)
