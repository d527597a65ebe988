"""ClinicalTrials.gov API v2 client (stdlib urllib): paged /studies with rate limiting, timeouts and backoff.

Public API: `CtgovClient(base_url).pages(since=None)` yields one `Page` (raw studies + next token) at a time.
"""

from __future__ import annotations

import http.client
import json
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

DEFAULT_BASE = "https://clinicaltrials.gov/api/v2"
KIDNEY_QUERY = "kidney cancer OR renal cell carcinoma"
# Only what matching needs: the protocol section (results and derived sections are large).
FIELDS = "protocolSection"
RETRY_STATUSES = {429, 500, 502, 503, 504}
OPEN_FILTER = "RECRUITING|NOT_YET_RECRUITING|ENROLLING_BY_INVITATION|ACTIVE_NOT_RECRUITING"


class ApiError(Exception):
    """The API could not be reached or kept failing after retries."""


class MalformedPage(Exception):
    """A page that is not the API's JSON shape ({"studies": [...]})."""


@dataclass
class Page:
    studies: list[Any]
    next_token: str | None


@dataclass
class CtgovClient:
    """Polite by default: at most one request per `min_interval` seconds (the API allows ~50 per minute)."""

    base_url: str = DEFAULT_BASE
    timeout: float = 30.0
    retries: int = 4
    backoff: float = 2.0
    min_interval: float = 1.3
    page_size: int = 100
    sleep: Callable[[float], None] = time.sleep
    warnings: list[str] = field(default_factory=list)
    _last: float = 0.0

    def params(self, since: str | None, token: str | None) -> dict[str, str]:
        params = {"format": "json", "query.cond": KIDNEY_QUERY, "fields": FIELDS, "pageSize": str(self.page_size)}
        if since:
            # Incremental: only studies whose last update was posted on or after the last sync's date.
            params["filter.advanced"] = f"AREA[LastUpdatePostDate]RANGE[{since},MAX]"
        else:
            params["filter.overallStatus"] = OPEN_FILTER
        if token:
            params["pageToken"] = token
        return params

    def _get(self, params: dict[str, str]) -> bytes:
        url = f"{self.base_url.rstrip('/')}/studies?{urllib.parse.urlencode(params)}"
        delay = self.backoff
        last_error = ""
        for attempt in range(self.retries + 1):
            wait = self.min_interval - (time.monotonic() - self._last)
            if wait > 0:
                self.sleep(wait)
            self._last = time.monotonic()
            try:
                request = urllib.request.Request(url, headers={"Accept": "application/json",
                                                               "User-Agent": "kidney-navigator/0.1"})
                with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310 - https only
                    body: bytes = response.read()
                    return body
            except urllib.error.HTTPError as exc:
                last_error = f"HTTP {exc.code}"
                if exc.code not in RETRY_STATUSES:
                    raise ApiError(f"ClinicalTrials.gov answered {last_error}") from exc
                retry_after = exc.headers.get("Retry-After") if exc.headers else None
                pause = float(retry_after) if retry_after and retry_after.isdigit() else delay
            except (urllib.error.URLError, TimeoutError, OSError, http.client.HTTPException) as exc:
                # HTTPException: the connection dropped mid-response (IncompleteRead, RemoteDisconnected); retry it
                # like any network error rather than letting it escape the sync.
                last_error = str(getattr(exc, "reason", exc)) or type(exc).__name__
                pause = delay
            if attempt < self.retries:
                self.sleep(min(pause, 60.0))
                delay *= 2
        raise ApiError(f"ClinicalTrials.gov unreachable after {self.retries + 1} tries ({last_error})")

    def page(self, since: str | None = None, token: str | None = None) -> Page:
        body = self._get(self.params(since, token))
        try:
            data = json.loads(body)
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise MalformedPage(f"page is not JSON: {exc}") from exc
        if not isinstance(data, dict) or not isinstance(data.get("studies"), list):
            raise MalformedPage("page has no 'studies' list")
        token_out = data.get("nextPageToken")
        return Page(studies=data["studies"], next_token=token_out if isinstance(token_out, str) and token_out else None)

    def pages(self, since: str | None = None) -> Iterator[Page]:
        token: str | None = None
        while True:
            page = self.page(since, token)
            yield page
            if page.next_token is None:
                return
            token = page.next_token
