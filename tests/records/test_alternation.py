"""The first-character grouping of cue and drug alternations must find exactly what the plain alternation finds."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from kidney_navigator.records.context import by_first_char, first_literal

WORDS = st.text(alphabet="abcAB .,-", min_size=1, max_size=6)


def _plain(alternatives: list[str]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{a})" for a in alternatives), re.I)


@settings(max_examples=300, deadline=None)
@given(st.lists(WORDS, min_size=1, max_size=8), st.text(alphabet="abcAB .,-\n", max_size=60))
def test_grouped_alternation_matches_like_the_plain_one(phrases: list[str], text: str) -> None:
    regexes = [re.escape(p) for p in phrases]
    grouped = re.compile(by_first_char([(p[0], rx) for p, rx in zip(phrases, regexes, strict=True)]), re.I)
    plain = _plain(regexes)
    assert [m.span() for m in grouped.finditer(text)] == [m.span() for m in plain.finditer(text)]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["ab", "a?b", "(a|b)c", "ba", "b|c", "abc", "a*c"]), min_size=1, max_size=6),
       st.text(alphabet="abc ", max_size=40))
def test_unknown_first_characters_keep_their_place(regexes: list[str], text: str) -> None:
    grouped = re.compile(by_first_char([(first_literal(rx), rx) for rx in regexes]), re.I)
    assert [m.span() for m in grouped.finditer(text)] == [m.span() for m in _plain(regexes).finditer(text)]


def test_first_literal_is_none_when_not_certain() -> None:
    assert first_literal("lymph nodes?") == "l"
    assert first_literal("a?b") is None
    assert first_literal("(upper|lower) lobe") is None
    assert first_literal("bone|liver") is None
    assert first_literal("x{2}") is None
    assert first_literal("") is None
