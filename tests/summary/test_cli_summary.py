"""`kidney-nav summary NAME --pdf/--html` through typer's CliRunner, on a profile saved from real records."""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader
from typer.testing import CliRunner

from kidney_navigator.cli import app
from tests.summary.conftest import CASES

runner = CliRunner()


def test_summary_writes_pdf_and_html(tmp_path: Path, private_home: Path) -> None:
    saved = runner.invoke(app, ["profile", str(CASES / "06-portal-sunitinib-then-cabo" / "visit-note.txt"),
                                "--save", "dad"])
    assert saved.exit_code == 0, saved.output
    pdf, html = tmp_path / "dad.pdf", tmp_path / "dad.html"
    result = runner.invoke(app, ["summary", "dad", "--pdf", str(pdf), "--html", str(html), "--paper", "a4"])
    assert result.exit_code == 0, result.output
    assert len(PdfReader(pdf).pages) <= 2
    page = html.read_text(encoding="utf-8")
    assert "Visit summary: dad" in page and "size: A4" in page


def test_unknown_profile_fails_cleanly(tmp_path: Path, private_home: Path) -> None:
    result = runner.invoke(app, ["summary", "nobody", "--pdf", str(tmp_path / "x.pdf")])
    assert result.exit_code == 1
    assert "no saved profile named 'nobody'" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert not (tmp_path / "x.pdf").exists()
    assert not private_home.exists(), "a failed look-up must not create the database"


def test_summary_needs_an_output(private_home: Path) -> None:
    result = runner.invoke(app, ["summary", "dad"])
    assert result.exit_code == 2 and "--pdf" in result.output
