"""Shared fixtures: the real bundled pack, a composer over it, and a private data folder per test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kidney_navigator.answers.compose import Composer
from kidney_navigator.knowledge.loader import Pack, default_pack
from kidney_navigator.retrieval.lexicon import Lexicon
from kidney_navigator.retrieval.library import Library
from kidney_navigator.storage.db import connect

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def private_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own data folder, so nothing touches the user's real one."""
    home = tmp_path / "home"
    monkeypatch.setenv("KIDNEY_NAV_HOME", str(home))
    return home


@pytest.fixture(scope="session")
def pack() -> Pack:
    return default_pack()


@pytest.fixture(scope="session")
def composer(pack: Pack) -> Composer:
    return Composer.from_pack(pack)


@pytest.fixture
def library(tmp_path: Path, pack: Pack) -> Iterator[Library]:
    conn = connect(tmp_path / "lib.db")
    yield Library(conn, Lexicon.build(pack.lexicon))
    conn.close()
