"""FastAPI assembly: server-rendered pages and the JSON API over the same result objects, one error envelope.

`create_app(settings)` is the factory (uvicorn calls it with no arguments); settings choose the data folder and the
request-size limits so tests and the bench can run the real app against a temporary database.
"""

from __future__ import annotations

import importlib
import importlib.util
import logging
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kidney_navigator.services import composer
from kidney_navigator.storage.db import connect, data_dir
from kidney_navigator.web.store import RecordsError as ApiError
from kidney_navigator.web.store import WebRecords

HERE = Path(__file__).parent
TEMPLATES = Jinja2Templates(directory=str(HERE / "templates"))
MB = 1024 * 1024
UPLOAD_PATHS = ("/records", "/api/v1/profiles/")
log = logging.getLogger(__name__)
CODES = {400: "bad_request", 404: "not_found", 405: "method_not_allowed", 413: "too_large",
         415: "unsupported_type", 422: "invalid_request", 500: "internal_error", 503: "unavailable"}


@dataclass(frozen=True)
class Settings:
    """Where data lives and how big a request may be (uploads may be large, everything else is small)."""

    data_dir: Path | None = None  # None: $KIDNEY_NAV_HOME, else ~/.kidney-navigator (the CLI's folder)
    max_upload_bytes: int = 25 * MB
    max_body_bytes: int = 1 * MB

    def db_path(self) -> Path:
        return (self.data_dir or data_dir()) / "navigator.db"

    def limit_for(self, path: str) -> int:
        return self.max_upload_bytes if path.startswith(UPLOAD_PATHS) else self.max_body_bytes


class BodyTooLarge(StarletteHTTPException):
    pass


def _too_large_message(limit: int) -> str:
    return (f"The upload is larger than {limit / MB:g} MB. Upload fewer or smaller files "
            "(for example one report at a time).")


class BodyLimit:
    """Reject a request body over the limit: at once from Content-Length, else while it streams in.

    Handlers read and check everything before storing anything, so a body cut off here leaves nothing behind.
    """

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app, self.settings = app, settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.settings.limit_for(scope["path"])
        length = dict(scope["headers"]).get(b"content-length", b"")
        if length.isdigit() and int(length) > limit:
            response = error_response(scope["path"], 413, "too_large", _too_large_message(limit))
            await response(scope, receive, send)
            return
        received = 0

        async def limited() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(413, _too_large_message(limit))
            return message

        await self.app(scope, limited, send)


class ServerTiming:
    """Add `Server-Timing: app;dur=MS` (time until the response starts) so the bench measures server time only."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()

        async def timed(message: Message) -> None:
            if message["type"] == "http.response.start":
                ms = (time.perf_counter() - start) * 1000
                message["headers"] = [*message.get("headers", []), (b"server-timing", f"app;dur={ms:.2f}".encode())]
            await send(message)

        await self.app(scope, receive, timed)


def wants_json(path: str) -> bool:
    return path.startswith("/api/") or path in ("/openapi.json", "/docs")


def error_response(path: str, status: int, code: str, message: str) -> Response:
    """The one error envelope for the API; a friendly page with the same message for people."""
    if wants_json(path):
        return JSONResponse(status_code=status, content={"error": {"code": code, "message": message}})
    html = TEMPLATES.get_template("error.html").render(
        status_code=status, code=code, message=message, page="", profile="me", profiles=[], path="/", pq="me")
    return HTMLResponse(html, status_code=status)


def _validation_message(exc: RequestValidationError) -> tuple[int, str, str]:
    errors = exc.errors()
    if any(e.get("type") == "json_invalid" for e in errors):
        return 400, "malformed_json", "The request body is not valid JSON."
    first = errors[0] if errors else {"loc": (), "msg": "invalid request"}
    where = ".".join(str(p) for p in first.get("loc", ()) if p not in ("body", "query", "path", "form"))
    return 422, "invalid_request", f"{where or 'request'}: {first.get('msg', 'invalid')}"


def summary_module() -> ModuleType | None:
    """The visit-summary functions, once that part of the project is installed; None until then (pages say so).

    The package is expected to export build_summary / render_summary_html / render_summary_pdf; while it is being
    built they may live only in its build and render submodules, so those are accepted too.
    """
    needed = ("build_summary", "render_summary_html", "render_summary_pdf")
    try:
        if importlib.util.find_spec("kidney_navigator.summary") is None:
            return None
        module = importlib.import_module("kidney_navigator.summary")
        if all(hasattr(module, n) for n in needed):
            return module
        combined = ModuleType("kidney_navigator.summary (build + render)")
        for sub in ("build", "render"):
            part = importlib.import_module(f"kidney_navigator.summary.{sub}")
            for n in needed:
                if hasattr(part, n):
                    setattr(combined, n, getattr(part, n))
    except Exception:  # a half-written module must not take the other pages down
        log.warning("kidney_navigator.summary could not be imported", exc_info=True)
        return None
    return combined if all(hasattr(combined, n) for n in needed) else None


@contextmanager
def open_records(settings: Settings, create: bool = True) -> Iterator[WebRecords | None]:
    """The records on their own connection, closed after; None when `create` is off and there is no database yet."""
    path = settings.db_path()
    if not create and not path.exists():
        yield None
        return
    conn = connect(path)
    try:
        yield WebRecords(conn, composer().pack)
    finally:
        conn.close()


def records_for(request: Request) -> Iterator[WebRecords]:
    """A connection per request: SQLite connections are cheap and this keeps threads from sharing transactions."""
    with open_records(request.app.state.settings) as records:
        assert records is not None
        yield records


def records_if_saved(request: Request) -> Iterator[WebRecords | None]:
    """Like records_for, but None while there is no database yet: asking a question must not create one."""
    with open_records(request.app.state.settings, create=False) as records:
        yield records


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    app = FastAPI(title="Kidney Cancer Navigator", version="0.1.0",
                  description="Cited, plain-language answers about metastatic kidney cancer, your records as a "
                              "profile with evidence, and the options guidelines list. Not medical advice. "
                              "Every error is `{\"error\": {\"code\": str, \"message\": str}}`.")
    app.state.settings = settings
    composer()  # load and validate the pack at start-up, not on the first request

    async def on_records_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, ApiError)
        return error_response(request.url.path, exc.status, exc.code, exc.message)

    async def on_http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        status = exc.status_code
        if status == 404:
            message = "There is no page at this address." if not wants_json(request.url.path) else \
                f"No such resource: {request.url.path}"
        else:
            message = exc.detail if isinstance(exc.detail, str) else "The request could not be handled."
        return error_response(request.url.path, status, CODES.get(status, "error"), message)

    async def on_validation_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        status, code, message = _validation_message(exc)
        return error_response(request.url.path, status, code, message)

    async def on_crash(request: Request, exc: Exception) -> Response:
        log.exception("unhandled error on %s", request.url.path)
        return error_response(request.url.path, 500, "internal_error",
                              "Something went wrong on our side. Nothing was changed; please try again.")

    handlers: dict[Any, Callable[[Request, Exception], Awaitable[Response]]] = {
        ApiError: on_records_error, StarletteHTTPException: on_http_error,
        RequestValidationError: on_validation_error, Exception: on_crash,
    }
    for exc_type, handler in handlers.items():
        app.add_exception_handler(exc_type, handler)
    app.add_middleware(BodyLimit, settings=settings)
    app.add_middleware(ServerTiming)
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")

    from kidney_navigator.web.api import router as api_router
    from kidney_navigator.web.pages import router as pages_router

    app.include_router(api_router)
    app.include_router(pages_router)
    return app
