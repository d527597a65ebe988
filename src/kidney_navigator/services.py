"""Wiring: build the composer from the bundled pack and the user's library, once per process."""

from __future__ import annotations

from functools import lru_cache

from kidney_navigator.answers.compose import Composer
from kidney_navigator.knowledge.loader import default_pack
from kidney_navigator.retrieval.lexicon import Lexicon
from kidney_navigator.retrieval.library import Library
from kidney_navigator.storage.db import connect, data_dir


def open_library(create: bool = False) -> Library | None:
    """The user's library, or None when there is none yet and `create` is False (asking never writes files)."""
    path = data_dir() / "navigator.db"
    if not create and not path.exists():
        return None
    return Library(connect(path), Lexicon.build(default_pack().lexicon))


@lru_cache(maxsize=1)
def composer() -> Composer:
    return Composer.from_pack(default_pack(), library=open_library())
