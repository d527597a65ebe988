"""A record that names no cancer at all is read in full when the person's other records name the kidney cancer, and
only then; a record that names another cancer never is."""

from __future__ import annotations

from pathlib import Path

from kidney_navigator.knowledge.loader import Pack
from kidney_navigator.records.load import read_record, read_records

EMAIL = ("From: Nadia <n@example.net>\nDate: Sun, 20 Sep 2026 21:47:12 -0700\n\n"
         "I started the Sutent on March 16 like we planned, and the spots in my lungs are smaller.\n")
LETTER = "Metastatic clear cell renal cell carcinoma of the right kidney, seen 2026-03-06.\n"
OTHER = "Metastatic melanoma. She started nivolumab on 2026-03-16.\n"


def _drugs(facts: list) -> set[str]:  # type: ignore[type-arg]
    return {f.value["drug"] for f in facts if f.field == "therapies"}


def test_alone_an_email_gives_no_treatment(tmp_path: Path, pack: Pack) -> None:
    (tmp_path / "email.txt").write_text(EMAIL)
    record = read_record(tmp_path / "email.txt", pack)
    assert _drugs(record.facts) == set() and record.needs_context and not record.about_kidney_cancer


def test_with_a_kidney_cancer_record_the_email_is_read(tmp_path: Path, pack: Pack) -> None:
    (tmp_path / "email.txt").write_text(EMAIL)
    (tmp_path / "letter.txt").write_text(LETTER)
    email, letter = read_records([tmp_path / "email.txt", tmp_path / "letter.txt"], pack)
    assert letter.about_kidney_cancer
    therapies = [f.value for f in email.facts if f.field == "therapies"]
    assert [(t["drug"], t["start"]) for t in therapies] == [("sunitinib", "2026-03-16")]


def test_a_record_naming_another_cancer_stays_out(tmp_path: Path, pack: Pack) -> None:
    (tmp_path / "other.txt").write_text(OTHER)
    (tmp_path / "letter.txt").write_text(LETTER)
    other, _ = read_records([tmp_path / "other.txt", tmp_path / "letter.txt"], pack)
    assert _drugs(other.facts) == set() and not other.needs_context
