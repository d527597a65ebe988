"""TrialStore: synced studies in the app's SQLite file, one transaction per page, plus the last sync's date.

Public API: `TrialStore(conn)`, `.sync(client) -> SyncResult`, `.studies() -> list[Study]`, `.last_sync()`.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from dataclasses import dataclass, field
from typing import Any

from kidney_navigator.trials.client import ApiError, CtgovClient, MalformedPage
from kidney_navigator.trials.models import Study, StudyFormatError, parse_study

SCHEMA = """
CREATE TABLE IF NOT EXISTS trial_studies (
    nct_id TEXT PRIMARY KEY,
    status TEXT NOT NULL,
    last_update TEXT,
    raw TEXT NOT NULL,
    parsed TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS trial_sync (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    last_sync TEXT NOT NULL,
    since TEXT
);
"""


@dataclass
class SyncResult:
    pages: int = 0
    stored: int = 0
    skipped_pages: int = 0
    skipped_studies: int = 0
    complete: bool = False
    error: str | None = None
    warnings: list[str] = field(default_factory=list)


class TrialStore:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        conn.executescript(SCHEMA)

    def upsert(self, raw_studies: list[Any]) -> tuple[int, int]:
        """Store one page's studies in one transaction; a record without an NCT id is skipped. -> (stored, skipped)"""
        rows = []
        skipped = 0
        for raw in raw_studies:
            try:
                study = parse_study(raw)
            except (StudyFormatError, ValueError, TypeError):
                skipped += 1
                continue
            rows.append((study.nct_id, study.status, study.last_update, json.dumps(raw), study.model_dump_json()))
        with self.conn:
            self.conn.executemany(
                "INSERT INTO trial_studies(nct_id, status, last_update, raw, parsed) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT(nct_id) DO UPDATE SET status=excluded.status, last_update=excluded.last_update, "
                "raw=excluded.raw, parsed=excluded.parsed", rows)
        return len(rows), skipped

    def sync(self, client: CtgovClient, today: dt.date | None = None, full: bool = False) -> SyncResult:
        """Fetch all pages (only studies updated since the last complete sync unless full) and store each page.

        An unreachable API keeps what was stored; a malformed page is skipped with a warning. The sync date only
        advances when every page arrived, so the next incremental sync asks again for anything missed."""
        result = SyncResult()
        previous = self.last_sync()
        since = None if full or previous is None else previous[:10]
        token: str | None = None
        try:
            while True:
                try:
                    page = client.page(since, token)
                except MalformedPage as exc:
                    result.skipped_pages += 1
                    result.warnings.append(f"skipped a malformed page: {exc}")
                    break  # without a page there is no next token to follow
                result.pages += 1
                stored, skipped = self.upsert(page.studies)
                result.stored += stored
                result.skipped_studies += skipped
                if page.next_token is None:
                    result.complete = result.skipped_pages == 0
                    break
                token = page.next_token
        except ApiError as exc:
            result.error = str(exc)
        if result.complete:
            stamp = (today or dt.datetime.now(dt.UTC).date()).isoformat()
            with self.conn:
                self.conn.execute("INSERT INTO trial_sync(id, last_sync, since) VALUES (1, ?, ?) "
                                  "ON CONFLICT(id) DO UPDATE SET last_sync=excluded.last_sync, since=excluded.since",
                                  (stamp, since))
        return result

    def last_sync(self) -> str | None:
        row = self.conn.execute("SELECT last_sync FROM trial_sync WHERE id = 1").fetchone()
        return str(row[0]) if row else None

    def count(self) -> int:
        return int(self.conn.execute("SELECT COUNT(*) FROM trial_studies").fetchone()[0])

    def studies(self) -> list[Study]:
        return [Study.model_validate_json(row[0])
                for row in self.conn.execute("SELECT parsed FROM trial_studies ORDER BY nct_id")]
