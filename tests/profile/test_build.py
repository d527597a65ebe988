"""Building one profile from facts: newest wins, except that a nephrectomy once done stays done; the latest
performance status of a multi-page document wins."""

from __future__ import annotations

from pathlib import Path

from kidney_navigator.knowledge.loader import Pack
from kidney_navigator.profile.build import build_profile
from kidney_navigator.profile.models import Evidence, Fact
from kidney_navigator.records.load import read_record
from tests.pdfs import text_pdf


def _fact(field: str, value: object, date: str | None, source: str = "extracted") -> Fact:
    return Fact(field=field, value=value, date=date, source=source,  # type: ignore[arg-type]
                evidence=Evidence(document="d", start=0, end=1, text="x"))


def test_done_nephrectomy_beats_a_later_not_done(pack: Pack) -> None:
    facts = [_fact("nephrectomy", {"done": True, "date": "2019-03-01", "type": "radical"}, "2019-03-01"),
             _fact("nephrectomy", {"done": False, "date": None, "type": None}, "2025-01-01")]
    profile = build_profile(facts, pack)
    assert profile.nephrectomy.done is True and profile.nephrectomy.type == "radical"


def test_not_done_when_no_record_says_done(pack: Pack) -> None:
    facts = [_fact("nephrectomy", {"done": False, "date": None, "type": None}, "2025-01-01")]
    assert build_profile(facts, pack).nephrectomy.done is False


def test_user_correction_still_wins_over_done(pack: Pack) -> None:
    facts = [_fact("nephrectomy", {"done": True, "date": None, "type": None}, "2019-03-01"),
             _fact("nephrectomy", {"done": False, "date": None, "type": None}, None, source="user")]
    assert build_profile(facts, pack).nephrectomy.done is False


def test_later_page_performance_status_wins(tmp_path: Path, pack: Pack) -> None:
    path = text_pdf(tmp_path / "note.pdf", [
        "Clear cell renal cell carcinoma. Date of service: 10/08/2025. Karnofsky 90% at the start of treatment.",
        "Exam today. Karnofsky performance status today: 70%. ECOG 1.",
    ])
    facts = read_record(path, pack).facts
    kps = [f.value for f in facts if f.field == "performance_status" and f.value["scale"] == "KPS"]
    assert kps == [{"scale": "KPS", "value": 70}]
    chosen = build_profile(facts, pack).performance_status
    assert chosen is not None and (chosen.scale, chosen.value) == ("KPS", 70)


def test_a_written_t_beats_one_worked_out_from_size_on_an_earlier_page(tmp_path: Path, pack: Pack) -> None:
    path = text_pdf(tmp_path / "consult.pdf", [
        "Clear cell renal cell carcinoma. Visit date: 10/12/2026. CT showed an 8.7 cm left renal mass.",
        "ASSESSMENT: Clinical stage cT3a cN1 cM1 (stage IV).",
    ])
    facts = read_record(path, pack).facts
    assert [f.value for f in facts if f.field == "stage.t"] == ["T3a"]
