"""Client and store against a local HTTP server serving recorded API v2 pages (no network)."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import threading
import time
import urllib.parse
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from kidney_navigator.storage.db import connect
from kidney_navigator.trials.client import ApiError, CtgovClient
from kidney_navigator.trials.store import TrialStore


def study(nct: str, status: str = "RECRUITING", updated: str = "2025-01-02") -> dict[str, Any]:
    return {"protocolSection": {
        "identificationModule": {"nctId": nct, "briefTitle": f"Recorded study {nct}"},
        "statusModule": {"overallStatus": status, "lastUpdatePostDateStruct": {"date": updated, "type": "ACTUAL"}},
        "designModule": {"phases": ["PHASE2"]},
        "eligibilityModule": {"eligibilityCriteria": "Inclusion Criteria:\n* ECOG 0-1\n\nExclusion Criteria:\n* None"},
        "contactsLocationsModule": {"locations": [{"facility": "Recorded Site", "city": "Macon", "state": "Georgia",
                                                   "geoPoint": {"lat": 32.84, "lon": -83.63}}]}},
        "hasResults": False}


DROP = 0  # script code: close the connection without answering (a network error)
CUT = -1  # script code: promise a longer body than is sent, then close (the connection dropped mid-page)


class Server:
    """Serves scripted responses in order; records each request's query."""

    def __init__(self) -> None:
        self.script: list[tuple[int, bytes, float]] = []
        self.queries: list[dict[str, list[str]]] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                outer.queries.append(urllib.parse.parse_qs(urllib.parse.urlparse(self.path).query))
                code, body, delay = outer.script.pop(0) if outer.script else (500, b"no script", 0.0)
                time.sleep(delay)
                if code == DROP:
                    self.close_connection = True
                    return
                if code == CUT:
                    self.send_response(200)
                    self.send_header("Content-Length", str(len(body) + 1000))
                    self.end_headers()
                    self.wfile.write(body)
                    self.close_connection = True
                    return
                self.send_response(code)
                self.send_header("Content-Type", "application/json")
                if code == 429:
                    self.send_header("Retry-After", "0")
                self.end_headers()
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/api/v2"

    def page(self, studies: list[dict[str, Any]], token: str | None = None, code: int = 200,
             delay: float = 0.0) -> None:
        data: dict[str, Any] = {"studies": studies}
        if token:
            data["nextPageToken"] = token
        self.script.append((code, json.dumps(data).encode(), delay))


@pytest.fixture
def server() -> Iterator[Server]:
    s = Server()
    thread = threading.Thread(target=s.httpd.serve_forever, daemon=True)
    thread.start()
    yield s
    s.httpd.shutdown()
    s.httpd.server_close()


def client(url: str, **kw: Any) -> CtgovClient:
    return CtgovClient(base_url=url, min_interval=0, backoff=0.01, **kw)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[TrialStore]:
    conn = connect(tmp_path / "trials.db")
    yield TrialStore(conn)
    conn.close()


def test_paginates_and_then_syncs_incrementally(server: Server, store: TrialStore) -> None:
    server.page([study("NCT90000101"), study("NCT90000102")], token="next-1")
    server.page([study("NCT90000103")])
    result = store.sync(client(server.url))
    assert (result.pages, result.stored, result.complete) == (2, 3, True)
    assert server.queries[1]["pageToken"] == ["next-1"]
    assert server.queries[0]["query.cond"] and "filter.advanced" not in server.queries[0]
    assert store.count() == 3 and store.last_sync()
    server.page([study("NCT90000101", status="COMPLETED", updated="2025-06-01")])
    store.sync(client(server.url))
    assert server.queries[2]["filter.advanced"] == [f"AREA[LastUpdatePostDate]RANGE[{store.last_sync()},MAX]"]
    assert {s.nct_id: s.status for s in store.studies()}["NCT90000101"] == "COMPLETED"


def test_429_then_503_then_success_is_retried(server: Server, store: TrialStore) -> None:
    server.script.append((429, b"slow down", 0.0))
    server.script.append((503, b"busy", 0.0))
    server.page([study("NCT90000104")])
    result = store.sync(client(server.url))
    assert result.complete and result.stored == 1 and len(server.queries) == 3


def test_malformed_page_is_skipped_and_keeps_earlier_pages(server: Server, store: TrialStore) -> None:
    server.page([study("NCT90000105"), {"protocolSection": {}}], token="t2")
    server.script.append((200, b'{"studies": [ {"protocolSection": ', 0.0))
    result = store.sync(client(server.url))
    assert result.skipped_pages == 1 and result.warnings and not result.complete
    assert result.skipped_studies == 1  # the record without an NCT id
    assert [s.nct_id for s in store.studies()] == ["NCT90000105"]
    assert store.last_sync() is None  # an incomplete sync does not move the date


def test_timeout_keeps_stored_data(server: Server, store: TrialStore) -> None:
    server.page([study("NCT90000106")])
    assert store.sync(client(server.url)).complete
    before = store.last_sync()
    for _ in range(3):
        server.page([study("NCT90000107")], delay=1.0)
    result = store.sync(client(server.url, timeout=0.2, retries=2))
    assert result.error and "unreachable" in result.error
    assert [s.nct_id for s in store.studies()] == ["NCT90000106"] and store.last_sync() == before


def test_offline_is_a_clear_error() -> None:
    with pytest.raises(ApiError):
        client("http://127.0.0.1:9/api/v2", retries=1, timeout=0.5).page()


def test_network_error_on_page_3_keeps_pages_1_and_2_and_the_sync_date(server: Server, store: TrialStore) -> None:
    server.page([study("NCT90000110")])
    assert store.sync(client(server.url), today=dt.date(2025, 1, 1)).complete
    server.page([study("NCT90000111"), study("NCT90000112")], token="p2")
    server.page([study("NCT90000113")], token="p3")
    server.script.append((CUT, json.dumps({"studies": [study("NCT90000114")]}).encode(), 0.0))
    server.script += [(DROP, b"", 0.0)] * 2
    result = store.sync(client(server.url, retries=2), today=dt.date(2025, 2, 1))
    assert result.error and "unreachable" in result.error and not result.complete
    assert result.pages == 2 and result.stored == 3
    assert server.queries[-1]["pageToken"] == ["p3"] and len(server.queries) == 1 + 2 + 3
    assert [s.nct_id for s in store.studies()] == ["NCT90000110", "NCT90000111", "NCT90000112", "NCT90000113"]
    assert store.last_sync() == "2025-01-01"  # the next sync asks again from the last complete one
    server.page([study("NCT90000114")])
    assert store.sync(client(server.url), today=dt.date(2025, 2, 2)).complete
    assert server.queries[-1]["filter.advanced"] == ["AREA[LastUpdatePostDate]RANGE[2025-01-01,MAX]"]
    assert store.last_sync() == "2025-02-02" and store.count() == 5


def test_query_parameters_follow_the_api_description(server: Server, store: TrialStore) -> None:
    """Names and value shapes as in ctg-oas-v2.yaml: pipe-delimited statuses, an Essie date range, JSON format."""
    server.page([study("NCT90000115")])
    store.sync(client(server.url, page_size=50))
    first = server.queries[0]
    assert first["format"] == ["json"] and first["pageSize"] == ["50"] and first["fields"] == ["protocolSection"]
    assert first["filter.overallStatus"] == ["RECRUITING|NOT_YET_RECRUITING|ENROLLING_BY_INVITATION|"
                                             "ACTIVE_NOT_RECRUITING"]
    assert "pageToken" not in first  # "Do not specify it for first page"
