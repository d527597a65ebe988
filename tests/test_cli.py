"""The kidney-nav command, run as a real process: contract output, batch mode, exit codes, clear errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.pdfs import encrypted_pdf, text_pdf

EXE = [sys.executable, "-m", "kidney_navigator.cli"]


def run(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "KIDNEY_NAV_HOME": str(home)}
    return subprocess.run([*EXE, *args], capture_output=True, text=True, env=env, timeout=120)


def test_ask_json_prints_the_contract(private_home: Path) -> None:
    result = run("ask", "--json", "What does IMDC intermediate mean?", home=private_home)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert list(data) == ["question", "status", "urgent", "sections", "sources", "disclaimer"]
    assert data["status"] == "answered"
    assert not private_home.exists(), "asking a question must not write anything"


def test_ask_text_is_readable(private_home: Path) -> None:
    result = run("ask", "Is surgery still an option?", home=private_home)
    assert result.returncode == 0
    assert "SHORT ANSWER" in result.stdout and "SOURCES" in result.stdout


def test_batch_answers_one_json_per_line_in_order(tmp_path: Path, private_home: Path) -> None:
    questions = ["what is sunitinib", "my legs are numb and weak since this morning", "how do I bake bread"]
    batch = tmp_path / "q.txt"
    batch.write_text("\n".join(questions) + "\n")
    result = run("ask", "--json", "--batch", str(batch), home=private_home)
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["question"] for line in lines] == questions
    assert [line["status"] for line in lines] == ["answered", "urgent", "out_of_scope"]


def test_empty_and_huge_questions_fail_cleanly(private_home: Path) -> None:
    empty = run("ask", "", home=private_home)
    assert empty.returncode == 2 and "empty" in empty.stderr
    huge = run("ask", "kidney " * 14_000, home=private_home)  # ~100 kB (one argv string tops out at 128 kB)
    assert huge.returncode == 2 and "limit" in huge.stderr
    assert "Traceback" not in empty.stderr + huge.stderr


def test_library_add_rejects_encrypted_pdf_and_stores_nothing(tmp_path: Path, private_home: Path) -> None:
    plain = text_pdf(tmp_path / "plain.pdf", ["a letter about my kidney cancer treatment"])
    locked = encrypted_pdf(tmp_path / "locked.pdf", plain)
    result = run("library", "add", str(plain), str(locked), home=private_home)
    assert result.returncode == 1
    assert "password-protected" in result.stderr and "Traceback" not in result.stderr
    listing = run("library", "list", home=private_home)
    assert "empty" in listing.stdout


def test_library_add_then_list(tmp_path: Path, private_home: Path) -> None:
    pdf = text_pdf(tmp_path / "p.pdf", ["page one", "page two about pazopanib"], title="Visit notes")
    added = run("library", "add", str(pdf), home=private_home)
    assert added.returncode == 0, added.stderr
    assert "Visit notes" in added.stdout and "2 pages" in added.stdout
    assert "Visit notes" in run("library", "list", home=private_home).stdout


def test_pack_check_passes(private_home: Path) -> None:
    result = run("pack", "check", home=private_home)
    assert result.returncode == 0, result.stderr
    assert "pack ok" in result.stdout


PROFILE_KEYS = {"histology", "sarcomatoid", "grade", "stage", "diagnosis_date", "nephrectomy", "metastatic_sites",
                "performance_status", "labs", "therapies", "biomarkers", "facts", "imdc", "mskcc", "as_of"}


def test_profile_save_edit_and_corrections_survive_rereading(tmp_path: Path, private_home: Path) -> None:
    note = tmp_path / "note.txt"
    note.write_text("Clinic note. Date of service: 2025-01-10. Metastatic renal cell carcinoma, clear cell type, "
                    "with lung metastases. ECOG 2.")
    first = run("profile", str(note), "--json", "--save", "dad", home=private_home)
    assert first.returncode == 0, first.stderr
    data = json.loads(first.stdout)
    assert set(data) >= PROFILE_KEYS
    assert data["histology"] == "clear_cell" and data["metastatic_sites"] == ["lung"]
    edited = run("profile", "edit", "dad", "histology=papillary", "metastatic_sites+=bone", home=private_home)
    assert edited.returncode == 0, edited.stderr
    again = json.loads(run("profile", str(note), "--json", "--save", "dad", home=private_home).stdout)
    assert again["histology"] == "papillary"
    assert again["metastatic_sites"] == ["bone", "lung"]
    user_facts = [f for f in again["facts"] if f["source"] == "user"]
    assert len(user_facts) == 2


def test_profile_errors_are_clear(tmp_path: Path, private_home: Path) -> None:
    missing = run("profile", "show", "nobody", home=private_home)
    assert missing.returncode == 1 and "no saved profile" in missing.stderr
    bad_edit = run("profile", "edit", "nobody", "grade=9", home=private_home)
    assert bad_edit.returncode == 2 and "grade must be" in bad_edit.stderr
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"%PDF-1.4 garbage")
    result = run("profile", str(empty), home=private_home)
    assert result.returncode == 1 and "Traceback" not in result.stderr
