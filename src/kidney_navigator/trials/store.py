"""TrialStore: synced studies in the app's SQLite file, one transaction per page, plus the last sync's date.

Public API: `TrialStore(conn, engine=None)`, `.sync(client) -> SyncResult`, `.studies() -> list[Study]`,
`.last_sync()`. Items are split (and, given an engine, analysed) when stored, not on every load.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from dataclasses import dataclass, field
from typing import Any

import pydantic_core

from kidney_navigator.trials.client import ApiError, CtgovClient, MalformedPage
from kidney_navigator.trials.criteria import CriteriaEngine
from kidney_navigator.trials.models import Study, StudyFormatError, parse_study
from kidney_navigator.trials.split import SPLIT_VERSION, Item

# The `prepared` column: split eligibility items tagged with the splitter's version (a changed splitter re-splits
# instead of reusing stale items) and, with an engine, [engine fingerprint, [CriteriaEngine.export per item]].
ITEMS_KEY = "items"
ITEMS_VERSION_KEY = "items_version"
ANALYSES_KEY = "analyses"

SCHEMA = """
CREATE TABLE IF NOT EXISTS trial_studies (
    nct_id TEXT PRIMARY KEY,
    status TEXT NOT NULL,
    last_update TEXT,
    raw TEXT NOT NULL,
    parsed TEXT NOT NULL,
    prepared TEXT
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
    """With an engine, each stored study also keeps its items' rule analysis (the profile-independent half of
    matching), so the first match in a fresh process does not scan every item for trigger words."""

    def __init__(self, conn: sqlite3.Connection, engine: CriteriaEngine | None = None) -> None:
        self.conn = conn
        self.engine = engine
        conn.executescript(SCHEMA)
        if "prepared" not in {row[1] for row in conn.execute("PRAGMA table_info(trial_studies)")}:
            with conn:  # a database from before items were kept: its rows are split on first use
                conn.execute("ALTER TABLE trial_studies ADD COLUMN prepared TEXT")

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
            prepared: dict[str, Any] = {ITEMS_VERSION_KEY: SPLIT_VERSION,
                                        ITEMS_KEY: [[item.kind, item.text] for item in study.items]}  # split once
            if self.engine is not None:
                prepared[ANALYSES_KEY] = [self.engine.fingerprint, [self.engine.export(i.text) for i in study.items]]
            rows.append((study.nct_id, study.status, study.last_update, json.dumps(raw), study.model_dump_json(),
                         json.dumps(prepared)))
        with self.conn:
            self.conn.executemany(
                "INSERT INTO trial_studies(nct_id, status, last_update, raw, parsed, prepared) "
                "VALUES (?, ?, ?, ?, ?, ?) "
                "ON CONFLICT(nct_id) DO UPDATE SET status=excluded.status, last_update=excluded.last_update, "
                "raw=excluded.raw, parsed=excluded.parsed, prepared=excluded.prepared", rows)
        return len(rows), skipped

    def sync(self, client: CtgovClient, today: dt.date | None = None, full: bool = False) -> SyncResult:
        """Fetch all pages (only studies updated since the last complete sync unless full) and store each page.

        An unreachable API keeps what was stored; a malformed page is skipped with a warning. The sync date only
        advances when every page arrived, so the next incremental sync asks again for anything missed."""
        result = SyncResult()
        # The date the sync started: a study updated while the pages arrive is asked for again next time.
        stamp = (today or dt.datetime.now(dt.UTC).date()).isoformat()
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
        """Every stored study with its eligibility items as split when stored (rows stored before items were kept
        are split on first use). Studies are shared with earlier calls while their stored row is unchanged: treat
        them as read-only (matching does)."""
        global _LOADED
        seen: dict[str, tuple[str, str | None, Study]] = {}
        pool: dict[tuple[str, str], Item] = {}  # one Item per distinct item: standard wording recurs across studies
        out = []
        for nct_id, parsed, prepared in self.conn.execute(
                "SELECT nct_id, parsed, prepared FROM trial_studies ORDER BY nct_id"):
            cached = _LOADED.get(nct_id)
            if cached is not None and cached[0] == parsed and cached[1] == prepared:
                study = cached[2]
            else:
                study = _load(parsed, prepared, pool)
            seen[nct_id] = (parsed, prepared, study)
            out.append(study)
        _LOADED = seen  # only what this store holds now: a replaced or deleted row is not kept
        return out


# nct_id -> (stored parsed and prepared JSON, Study): the web app loads the store on every request, and re-parsing
# thousands of unchanged rows is most of that request's time. Reused only for byte-identical rows: never stale.
_LOADED: dict[str, tuple[str, str | None, Study]] = {}


def _load(parsed: str, prepared: str | None, pool: dict[tuple[str, str], Item]) -> Study:
    study = Study.model_validate_json(parsed)
    data = pydantic_core.from_json(prepared) if prepared else None  # pydantic's parser: json.loads' values, faster
    if not isinstance(data, dict):
        return study  # stored before items were kept: split on first use
    items, analyses = data.get(ITEMS_KEY), data.get(ANALYSES_KEY)
    if isinstance(items, list) and data.get(ITEMS_VERSION_KEY) == SPLIT_VERSION:
        kept = tuple(_item(pool, kind, text) for kind, text in items)
        stored: tuple[str, list[Any]] | None = None
        if (isinstance(analyses, list) and len(analyses) == 2 and isinstance(analyses[0], str)
                and isinstance(analyses[1], list) and len(analyses[1]) == len(kept)):
            stored = (analyses[0], analyses[1])
        study.keep_items(kept, stored)
    return study


def _item(pool: dict[tuple[str, str], Item], kind: str, text: str) -> Item:
    found = pool.get((kind, text))
    if found is None:
        found = pool[(kind, text)] = Item("exclusion" if kind == "exclusion" else "inclusion", text)
    return found
