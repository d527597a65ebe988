"""Web figures for `make bench`: POST /api/v1/ask throughput and p95 under concurrent clients on loopback, and
per-page server render time (read from the app's Server-Timing header, so client and network time are excluded).

The app runs in its own uvicorn process over a temporary data folder, as `kidney-nav serve` would.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

from kidney_navigator.evaluation.ask_eval import percentile

RECORD = Path("eval/records/cases/05-portal-nivo-ipi-imdc-poor/visit-note.txt")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def running_app(home: Path) -> Iterator[str]:
    """Start `uvicorn --factory kidney_navigator.web.app:create_app` on a free loopback port; stop it after."""
    import httpx

    port = _free_port()
    env = {**os.environ, "KIDNEY_NAV_HOME": str(home)}
    proc = subprocess.Popen([sys.executable, "-m", "uvicorn", "--factory", "kidney_navigator.web.app:create_app",
                             "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"], env=env)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(url + "/openapi.json", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline or proc.poll() is not None:
                raise RuntimeError("the web app did not start")
            time.sleep(0.1)
        yield url
    finally:
        proc.terminate()
        proc.wait(10)


def _server_ms(response: object) -> float:
    header = getattr(response, "headers", {}).get("server-timing", "")
    for part in header.split(","):
        if part.strip().startswith("app;dur="):
            return float(part.strip().removeprefix("app;dur="))
    return float("nan")


def web_bench(questions: list[str], clients: int = 8, requests: int = 800, page_rounds: int = 20) -> list[str]:
    try:
        import httpx
    except ImportError:
        return ["web bench: skipped (httpx is a test extra: pip install -e '.[test]')"]
    questions = questions or ["What does IMDC intermediate mean?"]
    with tempfile.TemporaryDirectory(prefix="kidney-nav-bench-") as tmp, running_app(Path(tmp)) as url:
        local = __import__("threading").local()

        def client() -> httpx.Client:
            if not hasattr(local, "client"):
                local.client = httpx.Client(base_url=url, timeout=30)
            return local.client  # type: ignore[no-any-return]

        def one(i: int) -> float:
            start = time.perf_counter()
            response = client().post("/api/v1/ask", json={"question": questions[i % len(questions)]})
            elapsed = (time.perf_counter() - start) * 1000
            if response.status_code not in (200, 400):
                raise RuntimeError(f"/api/v1/ask answered {response.status_code}")
            return elapsed

        with ThreadPoolExecutor(clients) as pool:
            list(pool.map(one, range(min(100, requests))))  # warm up connections and caches
            start = time.perf_counter()
            latencies = list(pool.map(one, range(requests)))
            wall = time.perf_counter() - start
        pages = {"ask (empty)": "/", "ask (answer)": "/?q=What+does+IMDC+intermediate+mean%3F",
                 "my records": "/records?profile=bench", "my options": "/options?profile=bench",
                 "visit summary": "/summary?profile=bench", "about": "/about"}
        lines = [
            f"web POST /api/v1/ask      {requests / wall:,.0f} requests/s ({clients} concurrent clients, loopback)",
            f"web ask latency p50/p95   {percentile(latencies, 50):.1f} ms / {percentile(latencies, 95):.1f} ms",
        ]
        with httpx.Client(base_url=url, timeout=30) as http:
            if RECORD.exists():
                http.post("/api/v1/profiles/bench/records",
                          files=[("files", (RECORD.name, RECORD.read_bytes(), "text/plain"))])
            for name, path in pages.items():
                times = []
                status = 0
                for _ in range(page_rounds):
                    response = http.get(path)
                    status = response.status_code
                    times.append(_server_ms(response))
                lines.append(f"page {name:<21}{percentile(times, 50):.1f} ms p50, {percentile(times, 95):.1f} ms p95 "
                             f"server time (HTTP {status}; target < 200 ms)")
    return lines
