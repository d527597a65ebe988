"""The user's own documents: add them (all or nothing), list them, and search their passages by page."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from kidney_navigator.records.readers import Document, ReadError, read_document
from kidney_navigator.retrieval.lexicon import Lexicon
from kidney_navigator.retrieval.search import FtsSearcher, plan_query

PASSAGE_WORDS = 90


@dataclass(frozen=True)
class LibraryDoc:
    id: int
    title: str
    filename: str
    kind: str
    pages: int
    added: str


@dataclass(frozen=True)
class PassageHit:
    doc_id: int
    page: int | None
    source_title: str  # "Title, page 3"
    excerpt: str
    url: str
    added: str
    coverage: float

    @property
    def citation_id(self) -> str:
        return f"doc-{self.doc_id}" + (f"-p{self.page}" if self.page else "")


def split_passages(text: str, size: int = PASSAGE_WORDS) -> list[str]:
    """Split page text into passages of about `size` words, cutting at sentence ends where possible."""
    sentences = re.split(r"(?<=[.!?])\s+|\n{2,}", re.sub(r"[ \t]+", " ", text))
    passages: list[str] = []
    current: list[str] = []
    count = 0
    for sentence in sentences:
        sentence = sentence.strip()
        if not sentence:
            continue
        n = len(sentence.split())
        if current and count + n > size:
            passages.append(" ".join(current))
            current, count = [], 0
        current.append(sentence)
        count += n
    if current:
        passages.append(" ".join(current))
    return passages


class Library:
    """The user's document library inside the app database."""

    def __init__(self, conn: sqlite3.Connection, lexicon: Lexicon) -> None:
        self.conn = conn
        self.lexicon = lexicon
        self.searcher = FtsSearcher(conn, "passages_fts", (1.0,))

    def add(self, paths: list[Path]) -> list[LibraryDoc]:
        """Read every file first; store them in one transaction only if all of them could be read."""
        read: list[tuple[Path, Document, str]] = []
        errors: list[str] = []
        for path in paths:
            try:
                doc = read_document(path)
                digest = hashlib.sha256(path.read_bytes()).hexdigest()
                read.append((path, doc, digest))
            except ReadError as exc:
                errors.append(str(exc))
        if errors:
            raise ReadError("Nothing was added. " + " ".join(errors))
        added: list[LibraryDoc] = []
        today = dt.date.today().isoformat()
        with self.conn:  # one transaction: all files or none
            for path, doc, digest in read:
                row = self.conn.execute("SELECT id FROM documents WHERE sha256 = ?", (digest,)).fetchone()
                if row:
                    added.append(self.get(int(row[0])))
                    continue
                cur = self.conn.execute(
                    "INSERT INTO documents(title, filename, kind, sha256, pages, added) VALUES (?, ?, ?, ?, ?, ?)",
                    (doc.title, path.name, doc.kind, digest, len(doc.pages), today),
                )
                doc_id = int(cur.lastrowid or 0)
                for page in doc.pages:
                    for passage in split_passages(page.text):
                        pcur = self.conn.execute(
                            "INSERT INTO passages(doc_id, page, text) VALUES (?, ?, ?)", (doc_id, page.number, passage)
                        )
                        self.conn.execute(
                            "INSERT INTO passages_fts(rowid, text) VALUES (?, ?)", (pcur.lastrowid, passage)
                        )
                added.append(LibraryDoc(doc_id, doc.title, path.name, doc.kind, len(doc.pages), today))
        self.searcher.clear_cache()
        return added

    def get(self, doc_id: int) -> LibraryDoc:
        row = self.conn.execute(
            "SELECT id, title, filename, kind, pages, added FROM documents WHERE id = ?", (doc_id,)
        ).fetchone()
        if row is None:
            raise KeyError(doc_id)
        return LibraryDoc(*row)

    def documents(self) -> list[LibraryDoc]:
        rows = self.conn.execute("SELECT id, title, filename, kind, pages, added FROM documents ORDER BY id").fetchall()
        return [LibraryDoc(*r) for r in rows]

    def remove(self, doc_id: int) -> bool:
        with self.conn:
            ids = [r[0] for r in self.conn.execute("SELECT id FROM passages WHERE doc_id = ?", (doc_id,))]
            for pid, text in self.conn.execute(
                f"SELECT id, text FROM passages WHERE id IN ({','.join('?' * len(ids))})", ids
            ).fetchall() if ids else []:
                self.conn.execute("INSERT INTO passages_fts(passages_fts, rowid, text) VALUES('delete', ?, ?)",
                                  (pid, text))
            self.conn.execute("DELETE FROM passages WHERE doc_id = ?", (doc_id,))
            cur = self.conn.execute("DELETE FROM documents WHERE id = ?", (doc_id,))
        self.searcher.clear_cache()
        return cur.rowcount > 0

    def search(self, question: str, limit: int = 3) -> list[PassageHit]:
        if self.searcher.doc_count() == 0:
            return []
        hits = self.searcher.search(plan_query(question, self.lexicon), limit=limit)
        out = []
        for hit in hits:
            row = self.conn.execute(
                "SELECT p.doc_id, p.page, p.text, d.title, d.filename, d.added FROM passages p "
                "JOIN documents d ON d.id = p.doc_id WHERE p.id = ?", (hit.rowid,)
            ).fetchone()
            if row is None:
                continue
            doc_id, page, text, title, filename, added = row
            label = f"{title}, page {page}" if page else str(title)
            out.append(PassageHit(int(doc_id), page, label, _excerpt(text), f"file:{filename}", added, hit.coverage))
        return out


def _excerpt(text: str, limit: int = 400) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " \u2026"
