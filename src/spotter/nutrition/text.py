"""Words of food names, for search and for the allergen rules.

Names are normalized (``core.text.normalize``: accents folded, lower case, punctuation as
spaces) and each word is reduced to a light singular stem, so "eggs" finds "Egg, whole"
and "tomatoes" finds "Tomato". The stemmer is deliberately small (-ies -> -y; -oes, -ches,
-shes, -xes lose -es; a final -s goes, except after s, u or i) and applied to names and
queries alike, so its mistakes cancel out ("molasses" is "molass" on both sides).

A name's search *terms* are its stems (``whole``) and every prefix of three letters or
more of each word and of its stem, so typing "chick" or "tomatoe" finds them too.
"""

from __future__ import annotations

import functools

from spotter.core.text import normalize

MIN_PREFIX = 3
MAX_TERM = 40
MAX_QUERY_WORDS = 8


@functools.lru_cache(maxsize=65536)
def stem(word: str) -> str:
    if len(word) <= 3 or word.endswith(("ss", "us", "is")):
        return word
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(("oes", "ches", "shes", "xes")):
        return word[:-2]
    return word[:-1] if word.endswith("s") else word


def words(text: str) -> list[str]:
    """The stems of the words of ``text``, in order."""
    return [stem(w) for w in normalize(text).split()]


def query_words(text: str) -> tuple[str, ...]:
    """A query's distinct stems, at most eight."""
    return tuple(dict.fromkeys(words(text)))[:MAX_QUERY_WORDS]


def terms(*texts: str | None) -> dict[str, bool]:
    """The search terms of a name (and brand): term -> is a whole word (stem)."""
    out: dict[str, bool] = {}
    for text in texts:
        for raw in normalize(text or "").split():
            raw = raw[:MAX_TERM]
            whole = stem(raw)
            out[whole] = True
            for word in {raw, whole}:
                for end in range(MIN_PREFIX, len(word)):
                    out.setdefault(word[:end], False)
    return out


def name_length(name: str) -> int:
    """What "shorter names first" measures."""
    return len(normalize(name))
