"""load_pack rejects a broken options table: an option without a source, an unknown source id, a past review date.

Each test copies the bundled pack to tmp_path, corrupts one field, and checks the error names the problem.
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from kidney_navigator.knowledge.loader import PACK_DIR, PackError, default_pack, load_pack

OPTIONS = "rules/options.yaml"


def _broken_pack(tmp_path: Path, mutate: Callable[[dict[str, Any]], None]) -> Path:
    target = tmp_path / "pack"
    shutil.copytree(PACK_DIR, target)
    path = target / OPTIONS
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    mutate(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return target


def _first_option(data: dict[str, Any]) -> dict[str, Any]:
    option: dict[str, Any] = data["settings"][0]["options"][0]
    return option


def _problems(pack_dir: Path) -> str:
    with pytest.raises(PackError) as err:
        load_pack(pack_dir)
    return "\n".join(err.value.problems)


def test_the_bundled_options_table_is_valid() -> None:
    pack = load_pack(PACK_DIR)
    assert len(pack.options.settings) >= 12 and len(pack.options.regimens) >= 18
    assert not [w for w in pack.warnings if "'opt-" in w], "every options source is cited"


def test_option_without_a_source_is_rejected(tmp_path: Path) -> None:
    problems = _problems(_broken_pack(tmp_path, lambda d: _first_option(d).update(sources=[])))
    assert "options.yaml: settings.0.options.0.sources" in problems
    assert "at least 1 item" in problems


def test_option_with_sources_field_missing_is_rejected(tmp_path: Path) -> None:
    problems = _problems(_broken_pack(tmp_path, lambda d: _first_option(d).pop("sources")))
    assert "settings.0.options.0.sources: Field required" in problems


def test_unknown_source_id_is_rejected(tmp_path: Path) -> None:
    problems = _problems(_broken_pack(tmp_path, lambda d: _first_option(d).update(sources=["opt-no-such-source"])))
    assert "options clear-cell-first-line-favorable/pembrolizumab-axitinib: unknown source id 'opt-no-such-source'" \
        in problems


def test_unknown_source_id_in_a_local_option_is_rejected(tmp_path: Path) -> None:
    problems = _problems(_broken_pack(
        tmp_path, lambda d: d["local_and_supportive"][0].update(sources=["opt-missing"])))
    assert "local option cytoreductive-nephrectomy: unknown source id 'opt-missing'" in problems


def test_past_review_date_is_rejected(tmp_path: Path) -> None:
    yesterday = dt.date.today() - dt.timedelta(days=1)
    problems = _problems(_broken_pack(tmp_path, lambda d: d.update(reviewed=dt.date(2020, 1, 1),
                                                                    next_review=yesterday)))
    assert f"options table: next_review {yesterday} is past" in problems


def test_unknown_category_is_rejected(tmp_path: Path) -> None:
    problems = _problems(_broken_pack(tmp_path, lambda d: _first_option(d).update(category="guessed")))
    assert "settings.0.options.0.category" in problems


def test_pack_override_env_points_at_the_broken_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    broken = _broken_pack(tmp_path, lambda d: _first_option(d).update(sources=["opt-nowhere"]))
    monkeypatch.setenv("KIDNEY_NAV_PACK", str(broken))
    default_pack.cache_clear()
    try:
        with pytest.raises(PackError, match="unknown source id 'opt-nowhere'"):
            default_pack()
    finally:
        default_pack.cache_clear()
