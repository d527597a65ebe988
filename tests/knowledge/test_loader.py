"""The validator accepts the bundled pack and rejects each kind of broken entry."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from kidney_navigator.knowledge.loader import PACK_DIR, Pack, PackError, load_pack


def test_bundled_pack_is_valid(pack: Pack) -> None:
    assert len(pack.topics) >= 90
    assert len(pack.drugs) >= 19
    assert len(pack.lexicon) >= 100
    for topic in pack.topics.values():
        for statement in topic.statements():
            assert all(s in pack.sources for s in statement.sources)


def test_every_required_coverage_area_has_a_topic(pack: Pack) -> None:
    plan = (Path(__file__).resolve().parents[2] / "docs" / "topic-plan.md").read_text()
    planned = {t.strip() for line in plan.splitlines() if line.startswith("| topics/")
               for t in line.split("|")[3].split(",")}
    assert planned - set(pack.topics) == set()


def test_every_drug_has_a_topic_and_lexicon_maps_its_brands(pack: Pack) -> None:
    lexicon_terms = {t.lower() for e in pack.lexicon for t in e.terms}
    for drug in pack.drugs.values():
        assert f"drug-{drug.id}" in pack.topics
        for brand in drug.brands:
            assert brand.lower() in lexicon_terms, brand


def _mutated_pack(tmp_path: Path, file: str, mutate: Any) -> Path:
    target = tmp_path / "pack"
    shutil.copytree(PACK_DIR, target)
    path = target / file
    data = yaml.safe_load(path.read_text())
    mutate(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return target


def _first_topic_file() -> str:
    return "topics/" + sorted(p.name for p in (PACK_DIR / "topics").glob("*.yaml"))[0]


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (lambda d: d[0]["short_answer"][0].update(sources=[]), "short_answer.0.sources"),
        (lambda d: d[0]["short_answer"][0].update(sources=["no-such-source"]), "unknown source id 'no-such-source'"),
        (lambda d: d[0].update(next_review="2020-01-01"), "is past"),
        (lambda d: d[0].pop("next_review"), "next_review: Field required"),
        (lambda d: d[0].pop("questions"), "questions: Field required"),
        (lambda d: d[0]["evidence"][0].update(text="You should stop taking this drug today."), "directive wording"),
        (lambda d: d.append(dict(d[0])), "duplicate topic id"),
    ],
)
def test_validator_rejects_broken_topics(tmp_path: Path, mutate: Any, expected: str) -> None:
    broken = _mutated_pack(tmp_path, _first_topic_file(), mutate)
    with pytest.raises(PackError) as info:
        load_pack(broken)
    assert any(expected in p for p in info.value.problems), info.value.problems


@pytest.mark.parametrize("field", ["urgent_side_effects", "usual_schedule", "sources", "brands"])
def test_validator_rejects_drug_without_required_field(tmp_path: Path, field: str) -> None:
    broken = _mutated_pack(tmp_path, "drugs.yaml", lambda d: d[0].pop(field))
    with pytest.raises(PackError, match=field):
        load_pack(broken)


def test_validator_rejects_drug_citing_unknown_source(tmp_path: Path) -> None:
    broken = _mutated_pack(tmp_path, "drugs.yaml", lambda d: d[0].update(sources=["made-up"]))
    with pytest.raises(PackError, match="unknown source id 'made-up'"):
        load_pack(broken)


def test_validator_rejects_pack_once_review_date_has_passed() -> None:
    earliest = min(t.next_review for t in load_pack().topics.values())
    with pytest.raises(PackError, match="is past"):
        load_pack(today=earliest + dt.timedelta(days=1))


def test_validator_rejects_bad_source_url(tmp_path: Path) -> None:
    broken = _mutated_pack(tmp_path, "sources/core.yaml", lambda d: d[0].update(url="not a url"))
    with pytest.raises(PackError, match="url"):
        load_pack(broken)


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (lambda d: d["settings"][0]["options"][0].update(sources=[]), "sources"),
        (lambda d: d["settings"][0]["options"][0].update(sources=["nope"]), "unknown source id 'nope'"),
        (lambda d: d.update(next_review="2021-01-01"), "is past"),
        (lambda d: d["settings"][0]["options"][0].update(regimen="made-up"), "unknown regimen 'made-up'"),
        (lambda d: d["settings"][0]["options"][0].update(why="You should start taking this drug now."),
         "directive wording"),
    ],
)
def test_validator_rejects_broken_options(tmp_path: Path, mutate: Any, expected: str) -> None:
    broken = _mutated_pack(tmp_path, "rules/options.yaml", mutate)
    with pytest.raises(PackError) as info:
        load_pack(broken)
    assert any(expected in p for p in info.value.problems), info.value.problems
