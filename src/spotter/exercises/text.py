"""Name matching and ranking for exercise search.

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

import itertools
from typing import TYPE_CHECKING

from spotter.core.text import normalize, osa_distance

if TYPE_CHECKING:
    from spotter.exercises.index import Entry, Library

EXACT, PREFIX, STEM, INFIX, TYPO, TYPO_PREFIX = 100, 80, 60, 50, 40, 30
MAX_QUERY_WORDS = 8
__all__ = ["Query", "normalize", "osa_distance", "word_score"]
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
