"""Write the PDF inputs of the synthetic record cases from their text sources.

Every ``cases/*/*.txt`` file that contains a line ``=== PAGE BREAK ===`` is a PDF source: it is split into pages
at those lines and written as ``<same name>.pdf`` next to it, with a real text layer (fpdf2, core Courier font) and
a "Page n of N" footer. Text files without the marker are plain-text inputs and are left alone.

Output is deterministic (fixed creation date), so re-running does not change the PDFs.

    .venv/bin/python eval/records/make_pdfs.py            # all cases
    .venv/bin/python eval/records/make_pdfs.py 27-pdf-...  # only the named case folders
    .venv/bin/python eval/records/make_pdfs.py --root eval/records/unseen2  # another set of case folders
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from fpdf import FPDF

PAGE_BREAK = "=== PAGE BREAK ==="
CASES = Path(__file__).resolve().parent / "cases"
FIXED_DATE = dt.datetime(2025, 1, 1, tzinfo=dt.timezone.utc)


class _Pdf(FPDF):
    def footer(self) -> None:
        self.set_y(-12)
        self.set_font("Courier", size=8)
        self.cell(0, 6, f"Page {self.page_no()} of {{nb}}", align="C")


def _latin1(text: str) -> str:
    """Core PDF fonts are Latin-1 only; replace anything else rather than fail."""
    return text.encode("latin-1", errors="replace").decode("latin-1")


def pages_of(source: Path) -> list[str]:
    pages, current = [], []
    for line in source.read_text(encoding="utf-8").splitlines():
        if line.strip() == PAGE_BREAK:
            pages.append("\n".join(current).strip("\n"))
            current = []
        else:
            current.append(line)
    pages.append("\n".join(current).strip("\n"))
    return [p for p in pages if p.strip()]


def write_pdf(source: Path) -> Path:
    target = source.with_suffix(".pdf")
    pdf = _Pdf(format="Letter")
    pdf.set_title(source.stem)
    pdf.set_author("Kidney Cancer Navigator synthetic evaluation set")
    pdf.set_creation_date(FIXED_DATE)
    pdf.set_auto_page_break(auto=True, margin=16)
    pdf.set_margins(15, 15, 15)
    for page in pages_of(source):
        pdf.add_page()
        pdf.set_font("Courier", size=8.5)
        pdf.multi_cell(0, 4.0, _latin1(page))
    pdf.output(str(target))
    return target


def main(argv: list[str]) -> int:
    root = CASES
    if argv[:1] == ["--root"] and len(argv) > 1:  # another case folder, e.g. eval/records/unseen2
        root, argv = Path(argv[1]).resolve(), argv[2:]
    folders = [root / name for name in argv] if argv else sorted(p for p in root.iterdir() if p.is_dir())
    written = 0
    for folder in folders:
        for source in sorted(folder.glob("*.txt")):
            if PAGE_BREAK in source.read_text(encoding="utf-8"):
                target = write_pdf(source)
                written += 1
                print(f"{target.relative_to(root)}  ({len(pages_of(source))} pages)")
    print(f"{written} PDF(s) written")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
