"""Readers turn real files into pages of text, or fail with a message a person can act on."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kidney_navigator.knowledge.loader import Pack
from kidney_navigator.records.load import read_record
from kidney_navigator.records.readers import MAX_FILE_BYTES, ReadError, megabytes, read_document
from tests.pdfs import encrypted_pdf, image_only_pdf, text_pdf


def test_multi_page_pdf_keeps_page_numbers(tmp_path: Path) -> None:
    path = text_pdf(tmp_path / "r.pdf", ["Page one talks about sunitinib.", "Page two talks about bone scans."],
                    title="My clinic letter")
    doc = read_document(path)
    assert doc.kind == "pdf" and doc.title == "My clinic letter"
    assert [p.number for p in doc.pages] == [1, 2]
    assert "bone scans" in doc.pages[1].text


def test_encrypted_pdf_is_refused_with_advice(tmp_path: Path) -> None:
    plain = text_pdf(tmp_path / "plain.pdf", ["secret letter about my treatment plan"])
    with pytest.raises(ReadError, match="password-protected"):
        read_document(encrypted_pdf(tmp_path / "locked.pdf", plain))


def test_image_only_pdf_says_ocr_is_not_available(tmp_path: Path) -> None:
    with pytest.raises(ReadError, match="OCR"):
        read_document(image_only_pdf(tmp_path / "scan.pdf"))


def test_truncated_pdf_is_reported_as_damaged(tmp_path: Path) -> None:
    good = text_pdf(tmp_path / "good.pdf", ["some text about kidney cancer " * 20]).read_bytes()
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(good[: len(good) // 3])
    with pytest.raises(ReadError):
        read_document(bad)


def test_html_drops_scripts_and_keeps_title(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text("<html><head><title>Bone mets</title><script>alert(1)</script></head>"
                    "<body><h1>Bone</h1><p>Denosumab &amp; zoledronic acid protect bones.</p></body></html>")
    doc = read_document(path)
    assert doc.title == "Bone mets"
    assert "Denosumab & zoledronic acid" in doc.pages[0].text
    assert "alert" not in doc.pages[0].text


def test_binary_junk_and_unknown_types_are_refused(tmp_path: Path) -> None:
    junk = tmp_path / "junk.txt"
    junk.write_bytes(bytes(range(256)) * 10)
    with pytest.raises(ReadError, match="binary"):
        read_document(junk)
    other = tmp_path / "sheet.xlsx"
    other.write_text("hello world this is text")
    with pytest.raises(ReadError, match="not supported"):
        read_document(other)


def test_oversized_file_is_refused_before_reading(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    with big.open("wb") as fh:
        fh.seek(60 * 1024 * 1024)
        fh.write(b"x")
    with pytest.raises(ReadError, match="limit"):
        read_document(big)


def test_size_message_uses_one_unit(tmp_path: Path, pack: Pack) -> None:
    """Size and limit are both in MB of 1,048,576 bytes: a 60 MB file against the 50 MB limit, never "52 MB"."""
    big = tmp_path / "big.txt"
    with big.open("wb") as fh:
        fh.seek(60 * 1024 * 1024 - 1)
        fh.write(b"x")
    for read in (lambda: read_document(big), lambda: read_record(big, pack)):
        with pytest.raises(ReadError, match=r"the file is 60 MB; the limit is 50 MB\."):
            read()


@pytest.mark.parametrize(
    ("size", "shown"),
    [(MAX_FILE_BYTES, "50 MB"), (MAX_FILE_BYTES + 1, "50.1 MB"), (3 * 1024 * 1024 // 2, "1.5 MB"),
     (210 * 1024 * 1024, "210 MB")],
)
def test_megabytes(size: int, shown: str) -> None:
    assert megabytes(size) == shown


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(min_size=1, max_size=4000), suffix=st.sampled_from([".pdf", ".txt", ".html", ".md", ""]))
def test_any_bytes_give_a_document_or_a_read_error(tmp_path: Path, data: bytes, suffix: str) -> None:
    path = tmp_path / f"fuzz{suffix}"
    path.write_bytes(data)
    try:
        doc = read_document(path)
    except ReadError as exc:
        assert str(exc)
    else:
        assert doc.pages and all(isinstance(p.text, str) for p in doc.pages)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cut=st.floats(min_value=0.05, max_value=0.95))
def test_pdf_cut_anywhere_never_crashes(tmp_path: Path, cut: float) -> None:
    good = tmp_path / "g.pdf"
    if not good.exists():
        text_pdf(good, ["kidney cancer letter " * 30, "second page " * 30])
    data = good.read_bytes()
    path = tmp_path / "cut.pdf"
    path.write_bytes(data[: int(len(data) * cut)])
    with contextlib.suppress(ReadError):
        read_document(path)
