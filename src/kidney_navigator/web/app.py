"""FastAPI assembly: a page with a question box and the JSON API, both rendering the same Answer."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.templating import Jinja2Templates
from pydantic import BaseModel, Field

from kidney_navigator.answers.compose import QuestionError
from kidney_navigator.services import composer

TEMPLATES = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))


class AskRequest(BaseModel):
    question: str = Field(max_length=20_000)


def _error(status: int, code: str, message: str) -> JSONResponse:
    return JSONResponse(status_code=status, content={"error": {"code": code, "message": message}})


def create_app() -> FastAPI:
    app = FastAPI(title="Kidney Cancer Navigator", version="0.1.0",
                  description="Cited, plain-language answers about metastatic kidney cancer. Not medical advice.")
    composer()  # load and validate the pack at start-up, not on the first request

    @app.get("/", response_class=HTMLResponse)
    def home(request: Request, q: str | None = None) -> HTMLResponse:
        answer, error = None, None
        if q is not None:
            try:
                answer = composer().answer(q)
            except QuestionError as exc:
                error = str(exc)
        numbers = {s.id: i for i, s in enumerate(answer.sources, start=1)} if answer else {}
        return TEMPLATES.TemplateResponse(
            request, "ask.html", {"q": q or "", "answer": answer, "error": error, "numbers": numbers},
            status_code=400 if error else 200,
        )

    @app.post("/api/v1/ask", responses={400: {"description": "Bad question"}})
    def api_ask(body: AskRequest) -> JSONResponse:
        try:
            return JSONResponse(composer().answer(body.question).contract())
        except QuestionError as exc:
            return _error(400, "bad_question", str(exc))

    return app
