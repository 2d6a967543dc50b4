from __future__ import annotations

from pathlib import Path

import pytest

from spotter.core import storage


@pytest.fixture(autouse=True)
def files(tmp_path, monkeypatch) -> Path:
    """Each test gets an empty file store (a rolled-back test transaction cannot take
    back files that the app committed), and this is its folder."""
    store = storage.LocalStorage(tmp_path / "files")
    monkeypatch.setattr(storage, "get_storage", lambda: store)
    return store.root
