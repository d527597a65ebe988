"""Web fixtures: the real app served by uvicorn on a free loopback port with a temporary database, and one
headless Debian Chromium per session (never a downloaded browser)."""

from __future__ import annotations

import datetime as dt
import http.server
import json
import socket
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import uvicorn
from fastapi.testclient import TestClient
from playwright.sync_api import Browser

from kidney_navigator.storage.db import connect
from kidney_navigator.trials.client import CtgovClient
from kidney_navigator.trials.store import TrialStore
from kidney_navigator.web.app import Settings, create_app

REPO = Path(__file__).resolve().parents[2]
CASES = REPO / "eval" / "records" / "cases"
AXE = REPO / ".cache" / "node" / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = REPO / "test-artifacts" / "screenshots"
STUDIES = REPO / "eval" / "trials" / "studies.json"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


@dataclass
class LiveServer:
    url: str
    data_dir: Path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def serve(settings: Settings) -> Iterator[str]:
    """Run the app under uvicorn in a thread until the generator is closed."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the web app did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)


@pytest.fixture(scope="session")
def live_server() -> Iterator[LiveServer]:
    with tempfile.TemporaryDirectory(prefix="kidney-nav-web-") as tmp:
        for url in serve(Settings(data_dir=Path(tmp))):
            yield LiveServer(url, Path(tmp))


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian Chromium is not installed at /usr/bin/chromium (make test installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


def sync_studies(data_dir: Path, synced: dt.date) -> int:
    """Fill the app's TrialStore the way `kidney-nav trials sync` does: the real client and store, with a loopback
    server answering /studies with eval/trials/studies.json in place of ClinicalTrials.gov. Returns studies stored."""
    page = STUDIES.read_bytes()

    class Studies(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the http.server hook name
            self.send_response(200 if self.path.startswith("/studies?") else 404)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(page)

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - keep test output quiet
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Studies)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    conn = connect(data_dir / "navigator.db")
    try:
        client = CtgovClient(base_url=f"http://127.0.0.1:{server.server_address[1]}", retries=0, min_interval=0)
        result = TrialStore(conn).sync(client, today=synced)
        assert result.complete and result.error is None, result
        return result.stored
    finally:
        conn.close()
        server.shutdown()
        server.server_close()


def study_ids() -> list[str]:
    return [s["protocolSection"]["identificationModule"]["nctId"] for s in json.loads(STUDIES.read_text())["studies"]]


@pytest.fixture
def data(private_home: Path) -> Path:
    """The app uses the CLI's data folder ($KIDNEY_NAV_HOME), so both see one database."""
    return private_home


@pytest.fixture
def client(data: Path) -> Iterator[TestClient]:
    """The real app in-process; server errors come back as responses so tests can check the envelope."""
    with TestClient(create_app(Settings(data_dir=data)), raise_server_exceptions=False) as c:
        yield c
