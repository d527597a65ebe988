"""The web app's records: saved profiles (the CLI's ProfileStore) plus each uploaded document's text.

The text is kept so a fact's evidence can be shown highlighted where it was found; the profile itself stays in the
same `profiles` table the CLI uses, so `kidney-nav profile show NAME` and the web app see the same facts.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sqlite3
import tempfile
from dataclasses import dataclass
from pathlib import Path

from kidney_navigator.knowledge.loader import Pack
from kidney_navigator.profile.build import build_profile
from kidney_navigator.profile.corrections import CorrectionError, parse_correction
from kidney_navigator.profile.models import Fact, Profile
from kidney_navigator.records.load import STRUCTURED, needs_person_context, read_pages, read_records
from kidney_navigator.records.readers import ReadError
from kidney_navigator.storage.profiles import ProfileStore

SCHEMA = """
CREATE TABLE IF NOT EXISTS web_documents (
    profile TEXT NOT NULL,
    filename TEXT NOT NULL,
    kind TEXT NOT NULL,
    pages TEXT NOT NULL,
    warnings TEXT NOT NULL DEFAULT '[]',
    added TEXT NOT NULL,
    PRIMARY KEY (profile, filename)
);
"""
ALLOWED_SUFFIXES = {".pdf", ".txt", ".text", ".md", ".markdown", ".json", ".xml", ".html", ".htm"}
NAME_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9 _.-]{0,63}$"
NAME_RE = re.compile(NAME_PATTERN)
DEFAULT_PROFILE = "me"


class RecordsError(Exception):
    """A request about records cannot be met; carries the HTTP status, a stable code and a message for people."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


@dataclass(frozen=True)
class Upload:
    filename: str
    data: bytes


@dataclass(frozen=True)
class StoredDocument:
    filename: str
    kind: str
    pages: list[tuple[int | None, str]]
    warnings: list[str]
    added: str


def _context(profile: str, filename: str, column: str) -> str:
    """Binds each encrypted document value to its row, so values cannot be swapped between rows."""
    return f"web_documents/{profile}/{filename}/{column}"


def check_name(name: str) -> str:
    """Profile names become part of URLs and forms: keep them short and plain."""
    if not NAME_RE.fullmatch(name):
        raise RecordsError(400, "bad_profile_name", "A profile name uses letters, digits, spaces, '.', '_' or '-' "
                           "(up to 64 characters), for example: me")
    return name


def safe_filename(raw: str | None) -> str:
    name = Path((raw or "").replace("\\", "/")).name.strip()
    name = re.sub(r"[^\w .()+-]", "_", name)[:120]
    if not name or name.startswith("."):
        raise RecordsError(400, "bad_filename", "Each file needs a name ending in .pdf, .txt, .json or .xml.")
    return name


class WebRecords:
    def __init__(self, conn: sqlite3.Connection, pack: Pack) -> None:
        self.conn, self.pack = conn, pack
        self.profiles = ProfileStore(conn)
        conn.executescript(SCHEMA)

    def names(self) -> list[str]:
        return self.profiles.names()

    def exists(self, name: str) -> bool:
        return self.conn.execute("SELECT 1 FROM profiles WHERE name = ?", (name,)).fetchone() is not None

    def profile(self, name: str) -> Profile:
        """The saved profile rebuilt from its facts and corrections; KeyError when there is none."""
        facts, as_of = self.profiles.load(name)
        return build_profile(facts, self.pack, dt.date.fromisoformat(as_of) if as_of else None)

    def documents(self, name: str) -> list[StoredDocument]:
        rows = self.conn.execute("SELECT filename, kind, pages, warnings, added FROM web_documents "
                                 "WHERE profile = ? ORDER BY added, filename", (name,))
        cipher = self.profiles.cipher
        return [StoredDocument(r[0], r[1],
                               [(p[0], p[1]) for p in json.loads(cipher.open(r[2], _context(name, r[0], "pages")))],
                               json.loads(cipher.open(r[3], _context(name, r[0], "warnings"))), r[4])
                for r in rows]

    def add(self, name: str, uploads: list[Upload]) -> Profile:
        """Read every file first; store all of them or, when one cannot be read, nothing at all."""
        check_name(name)
        if not uploads:
            raise RecordsError(400, "no_files", "Choose at least one file to upload.")
        read: list[tuple[str, str, list[tuple[int | None, str]], list[Fact], list[str]]] = []
        stored: list[Fact] = self.profiles.load(name)[0] if self.exists(name) else []
        # records that name no cancer are read in full when this person's records name the kidney cancer
        known_kidney = any(f.field == "histology" and f.source != "user" for f in stored)
        with tempfile.TemporaryDirectory(prefix="kidney-nav-upload-") as tmp:
            paths: list[Path] = []
            for upload in uploads:
                filename = safe_filename(upload.filename)
                suffix = Path(filename).suffix.lower()
                if suffix not in ALLOWED_SUFFIXES:
                    raise RecordsError(415, "unsupported_type",
                                       f"{filename}: this file type is not supported. Upload PDF, text (.txt), "
                                       "FHIR JSON (.json) or C-CDA XML (.xml) files.")
                if not upload.data:
                    raise RecordsError(422, "unreadable_file", f"{filename}: the file is empty.")
                path = Path(tmp) / filename
                path.write_bytes(upload.data)
                paths.append(path)
            try:
                records = read_records(paths, self.pack, kidney_context=known_kidney)
                for path, record in zip(paths, records, strict=True):
                    if path.suffix.lower() in STRUCTURED:
                        pages: list[tuple[int | None, str]] = [(None, record.text)]
                    else:
                        pages = record.page_texts
                    read.append((path.name, record.kind, pages, record.facts, record.warnings))
            except ReadError as exc:
                message = str(exc)
                for path in paths:
                    message = message.replace(str(path), path.name)
                raise RecordsError(422, "unreadable_file", message) from exc
        new_names = {r[0] for r in read}
        kept: list[Fact] = []
        documents: list[str] = []
        reread: dict[str, list[str]] = {}
        if self.exists(name):
            facts, _ = self.profiles.load(name)
            kept = [f for f in facts if f.source != "user" and f.evidence.document not in new_names]
            documents = [d for d in self.profiles.documents(name) if Path(d).name not in new_names]
            if not known_kidney and any(r.about_kidney_cancer for r in records):
                kept, reread = self._read_again_in_context(name, kept, new_names)
        facts = kept + [f for r in read for f in r[3]]
        as_of = build_profile(facts, self.pack).as_of
        now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        try:
            # One transaction: ProfileStore.save commits these inserts together with the profile, or rolls back.
            for filename, kind, pages, _, warnings in read:
                self.conn.execute(
                    "INSERT OR REPLACE INTO web_documents(profile, filename, kind, pages, warnings, added) "
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    (name, filename, kind,
                     self.profiles.cipher.seal(json.dumps(pages), _context(name, filename, "pages")),
                     self.profiles.cipher.seal(json.dumps(warnings), _context(name, filename, "warnings")), now))
            for filename, warnings in reread.items():
                self.conn.execute("UPDATE web_documents SET warnings = ? WHERE profile = ? AND filename = ?",
                                  (self.profiles.cipher.seal(json.dumps(warnings),
                                                             _context(name, filename, "warnings")), name, filename))
            self.profiles.save(name, facts, documents + sorted(new_names), as_of)
        except BaseException:
            self.conn.rollback()
            raise
        return self.profile(name)

    def _read_again_in_context(self, name: str, kept: list[Fact],
                               new_names: set[str]) -> tuple[list[Fact], dict[str, list[str]]]:
        """This upload is the first to name the kidney cancer: documents uploaded before that named no cancer at all
        (a portal message, a lab printout) are read again from their stored pages as being about it, the same as
        when all the files are read together. Returns the facts to keep and each re-read document's new warnings."""
        warnings: dict[str, list[str]] = {}
        for document in self.documents(name):
            if document.filename in new_names or document.kind in {kind for kind, _ in STRUCTURED.values()}:
                continue
            if not needs_person_context("\n".join(text for _, text in document.pages)):
                continue
            again = read_pages(document.filename, document.kind, document.pages, self.pack, kidney_context=True)
            kept = [f for f in kept if f.evidence.document != document.filename] + again.facts
            warnings[document.filename] = again.warnings
        return kept, warnings

    def correct(self, name: str, assignments: list[str]) -> Profile:
        """Store corrections (they win over anything read from documents); all valid, or none stored."""
        if not self.exists(name):
            raise KeyError(name)
        try:
            facts = [parse_correction(a) for a in assignments]
        except CorrectionError as exc:
            raise RecordsError(422, "bad_correction", str(exc)) from exc
        for fact in facts:
            self.profiles.add_correction(name, fact)
        return self.profile(name)
