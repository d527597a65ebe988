"""Real PDF files for tests, written with fpdf2 (text layer) and pypdf (encryption)."""

from __future__ import annotations

from pathlib import Path

from fpdf import FPDF
from pypdf import PdfReader, PdfWriter


def text_pdf(path: Path, pages: list[str], title: str = "Test document") -> Path:
    pdf = FPDF()
    pdf.set_title(title)
    pdf.set_font("Helvetica", size=12)
    for text in pages:
        pdf.add_page()
        pdf.multi_cell(0, 8, text)
    pdf.output(str(path))
    return path


def image_only_pdf(path: Path) -> Path:
    """A PDF whose page has only drawn shapes, like a scan without a text layer."""
    pdf = FPDF()
    pdf.add_page()
    pdf.set_fill_color(120, 120, 120)
    for i in range(10):
        pdf.rect(10 + i * 15, 20 + i * 10, 12, 8, style="F")
    pdf.output(str(path))
    return path


def encrypted_pdf(path: Path, source: Path) -> Path:
    writer = PdfWriter()
    for page in PdfReader(str(source)).pages:
        writer.add_page(page)
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    with path.open("wb") as fh:
        writer.write(fh)
    return path
