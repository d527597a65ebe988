"""The user's library: all-or-nothing adds, search by page, and answers that cite the user's documents."""

from __future__ import annotations

from pathlib import Path

import pytest

from kidney_navigator.answers.compose import Composer
from kidney_navigator.knowledge.loader import Pack
from kidney_navigator.records.readers import ReadError
from kidney_navigator.retrieval.library import Library, split_passages
from tests.pdfs import text_pdf


def test_added_pdf_is_cited_by_title_and_page(tmp_path: Path, pack: Pack, library: Library) -> None:
    pdf = text_pdf(tmp_path / "letter.pdf", [
        "Clinic letter. Mr Smith attended with his daughter.",
        "Plan: the team discussed stereotactic radiotherapy to the solitary adrenal lesion. "
        "The adrenal lesion measures 2 cm and has grown slowly over a year.",
    ], title="Oncology clinic letter")
    docs = library.add([pdf])
    assert docs[0].pages == 2
    composer = Composer.from_pack(pack, library=library)
    answer = composer.answer("what did my letter say about the adrenal lesion radiotherapy plan")
    own = [s for s in answer.sections if s.title == "From your own documents"]
    assert own, [s.title for s in answer.sections]
    assert own[0].citations == [f"doc-{docs[0].id}-p2"]
    ref = next(s for s in answer.sources if s.id == own[0].citations[0])
    assert ref.title == "Oncology clinic letter, page 2"
    assert ref.publisher == "Your own document"


def test_one_bad_file_means_nothing_is_added(tmp_path: Path, library: Library) -> None:
    good = tmp_path / "notes.md"
    good.write_text("# My notes\n\nQuestions about cabozantinib and fatigue for next visit.")
    bad = tmp_path / "broken.pdf"
    bad.write_bytes(b"%PDF-1.7\n this is not really a pdf \x00\x01")
    with pytest.raises(ReadError, match="Nothing was added"):
        library.add([good, bad])
    assert library.documents() == []
    assert library.conn.execute("SELECT count(*) FROM passages").fetchone()[0] == 0


def test_same_file_twice_is_stored_once(tmp_path: Path, library: Library) -> None:
    path = tmp_path / "a.txt"
    path.write_text("Notes about lenvatinib and blood pressure readings at home.")
    first = library.add([path])
    second = library.add([path])
    assert first[0].id == second[0].id
    assert len(library.documents()) == 1


def test_remove_deletes_passages_and_search_hits(tmp_path: Path, library: Library) -> None:
    path = tmp_path / "a.txt"
    path.write_text("My zebrafish research diary mentions axitinib twice.")
    doc = library.add([path])[0]
    assert library.search("zebrafish axitinib diary")
    assert library.remove(doc.id)
    assert library.search("zebrafish axitinib diary") == []
    assert library.conn.execute("SELECT count(*) FROM passages").fetchone()[0] == 0


def test_split_passages_keeps_all_words() -> None:
    text = " ".join(f"Sentence number {i} is here." for i in range(100))
    passages = split_passages(text, size=40)
    assert len(passages) > 5
    assert " ".join(passages).split() == text.split()
