"""Text matching shared by the searches (exercises, foods): one normalization and one
edit distance, so every search folds accents and counts typos the same way."""

from __future__ import annotations

import functools
import re
import unicodedata

_WORD = re.compile(r"[^\W_]+")


@functools.lru_cache(maxsize=16384)
def normalize(text: str) -> str:
    """Accents folded, lower case, punctuation as spaces, single spaces."""
    if text.isascii():  # nothing to fold (most names): skip the per-character work
        return " ".join(_WORD.findall(text.lower()))
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
