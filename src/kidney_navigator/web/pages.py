"""Server-rendered pages: Ask, My records, My options, Visit summary, About. They work without JavaScript."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from kidney_navigator.answers.compose import QuestionError
from kidney_navigator.options.engine import build_options
from kidney_navigator.services import composer
from kidney_navigator.web import views
from kidney_navigator.web.app import TEMPLATES, records_for, summary_module
from kidney_navigator.web.store import DEFAULT_PROFILE, NAME_RE, Upload, WebRecords
from kidney_navigator.web.store import RecordsError as ApiError

router = APIRouter(include_in_schema=False)
Records = Annotated[WebRecords, Depends(records_for)]
ProfileName = Annotated[str, Query(max_length=200)]


def _page(request: Request, template: str, page: str, profile: str, records: WebRecords | None,
          status: int = 200, **context: Any) -> HTMLResponse:
    names = records.names() if records is not None else []
    return TEMPLATES.TemplateResponse(
        request, template, {"page": page, "profile": profile, "profiles": names, "path": request.url.path,
                            "pq": quote(profile), **context}, status_code=status)


def _check(profile: str) -> str | None:
    return None if NAME_RE.fullmatch(profile) else (
        "A profile name uses letters, digits, spaces, '.', '_' or '-' (up to 64 characters), for example: me.")


def _bad_name(request: Request, page: str, records: WebRecords | None, message: str) -> HTMLResponse:
    return _page(request, "error.html", page, DEFAULT_PROFILE, records, status=400, status_code=400,
                 code="bad_profile_name", message=message)


@router.get("/", response_class=HTMLResponse)
def ask_page(request: Request, q: str | None = None, profile: ProfileName = DEFAULT_PROFILE) -> HTMLResponse:
    answer, error, related = None, None, []
    if q is not None:
        try:
            answer, debug = composer().answer_with_debug(q)
            related = views.follow_ups(debug.topic_ids, composer().pack)
        except QuestionError as exc:
            error = str(exc)
    numbers = {s.id: i for i, s in enumerate(answer.sources, start=1)} if answer else {}
    return _page(request, "ask.html", "ask", profile if NAME_RE.fullmatch(profile) else DEFAULT_PROFILE, None,
                 status=400 if error else 200, q=q or "", answer=answer, error=error, numbers=numbers,
                 related=related, team_questions=views.team_questions(answer) if answer else [])


def _records_page(request: Request, records: WebRecords, profile: str, status: int = 200,
                  error: str | None = None, saved: str | None = None) -> HTMLResponse:
    exists = records.exists(profile)
    context: dict[str, Any] = {"exists": exists, "error": error, "saved": saved, "sites": views.ALL_SITES}
    if exists:
        result = records.profile(profile)
        documents, anchors = views.document_views(result, records.documents(profile))
        context.update(result=result, rows=views.rows(result), documents=documents, anchors=anchors,
                       site_evidence=views.site_evidence(result), therapy_evidence=views.therapy_evidence(result),
                       corrected={f.field for f in result.facts if f.source == "user"})
    return _page(request, "records.html", "records", profile, records, status=status, **context)


@router.get("/records", response_class=HTMLResponse)
def records_page(request: Request, records: Records, profile: ProfileName = DEFAULT_PROFILE,
                 saved: Annotated[str | None, Query(max_length=100)] = None) -> HTMLResponse:
    if (message := _check(profile)) is not None:
        return _bad_name(request, "records", records, message)
    return _records_page(request, records, profile, saved=saved)


@router.post("/records", response_class=HTMLResponse)
def records_upload(request: Request, records: Records, profile: Annotated[str, Form(max_length=200)] = DEFAULT_PROFILE,
                   files: Annotated[list[UploadFile] | None, File()] = None) -> Response:
    if (message := _check(profile)) is not None:
        return _bad_name(request, "records", records, message)
    uploads = [Upload(f.filename or "", f.file.read()) for f in files or [] if f.filename]
    try:
        records.add(profile, uploads)
    except ApiError as exc:
        return _records_page(request, records, profile, status=exc.status, error=exc.message)
    return RedirectResponse(f"/records?profile={quote(profile)}&saved=upload#profile", status_code=303)


@router.post("/records/correct", response_class=HTMLResponse)
def records_correct(request: Request, records: Records, field: Annotated[str, Form(max_length=100)],
                    value: Annotated[str, Form(max_length=500)] = "",
                    op: Annotated[str, Form(max_length=2)] = "=",
                    profile: Annotated[str, Form(max_length=200)] = DEFAULT_PROFILE) -> Response:
    if (message := _check(profile)) is not None:
        return _bad_name(request, "records", records, message)
    if op not in ("=", "+=", "-="):
        op = "="
    try:
        records.correct(profile, [f"{field}{op}{value}"])
    except KeyError:
        return _records_page(request, records, profile, status=404,
                             error=f"There is no saved profile named {profile!r} yet. Upload records first.")
    except ApiError as exc:
        return _records_page(request, records, profile, status=exc.status, error=exc.message)
    anchor = "sites" if field == "metastatic_sites" else "therapies" if field == "therapies" else \
        "row-" + field.replace(".", "-")
    return RedirectResponse(f"/records?profile={quote(profile)}&saved={quote(field)}#{anchor}", status_code=303)


def _missing_profile(request: Request, page: str, records: WebRecords, profile: str) -> HTMLResponse:
    return _page(request, "no_profile.html", page, profile, records, status=404)


@router.get("/options", response_class=HTMLResponse)
def options_page(request: Request, records: Records, profile: ProfileName = DEFAULT_PROFILE) -> HTMLResponse:
    if (message := _check(profile)) is not None:
        return _bad_name(request, "options", records, message)
    try:
        result = records.profile(profile)
    except KeyError:
        return _missing_profile(request, "options", records, profile)
    pack = composer().pack
    options = build_options(result, pack)
    cited = [s for o in options.options for s in o.sources] + [s for o in options.local_and_supportive
                                                                for s in o.sources]
    sources = views.numbered_sources(cited, pack)
    numbers = {s["id"]: i for i, s in enumerate(sources, start=1)}
    risks = [("IMDC", result.imdc, views.risk_factors(result.imdc, result), views.missing_labels(result.imdc)),
             ("MSKCC", result.mskcc, views.risk_factors(result.mskcc, result), views.missing_labels(result.mskcc))]
    return _page(request, "options.html", "options", profile, records, result=result, options=options,
                 sources=sources, numbers=numbers, risks=risks)


def _summary(request: Request, records: WebRecords, profile: str, page: str) -> tuple[Any, Any] | HTMLResponse:
    """The summary module and the built summary, or the page to show instead (bad name, not available, no profile)."""
    if (message := _check(profile)) is not None:
        return _bad_name(request, page, records, message)
    module = summary_module()
    if module is None:
        return _page(request, "error.html", page, profile, records, status=503, status_code=503,
                     code="summary_unavailable", title="Visit summary not available yet",
                     message="The visit summary is not available yet in this version. Your records and options "
                             "pages already show everything it will contain.")
    try:
        result = records.profile(profile)
    except KeyError:
        return _missing_profile(request, page, records, profile)
    return module, module.build_summary(result, build_options(result, composer().pack))


@router.get("/summary", response_class=HTMLResponse)
def summary_page(request: Request, records: Records, profile: ProfileName = DEFAULT_PROFILE) -> HTMLResponse:
    found = _summary(request, records, profile, "summary")
    if isinstance(found, HTMLResponse):
        return found
    return _page(request, "summary.html", "summary", profile, records)


@router.get("/summary/print", response_class=HTMLResponse)
def summary_print(request: Request, records: Records, profile: ProfileName = DEFAULT_PROFILE) -> HTMLResponse:
    """The standalone printable page (the same HTML the PDF is made from)."""
    found = _summary(request, records, profile, "summary")
    if isinstance(found, HTMLResponse):
        return found
    module, summary = found
    return HTMLResponse(module.render_summary_html(summary))


@router.get("/summary.pdf")
def summary_pdf(request: Request, records: Records, profile: ProfileName = DEFAULT_PROFILE) -> Response:
    found = _summary(request, records, profile, "summary")
    if isinstance(found, HTMLResponse):
        return found
    module, summary = found
    return Response(module.render_summary_pdf(summary), media_type="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="visit-summary-{profile}.pdf"'})


@router.get("/about", response_class=HTMLResponse)
def about_page(request: Request, profile: ProfileName = DEFAULT_PROFILE) -> HTMLResponse:
    pack = composer().pack
    sources = sorted(pack.sources.values(), key=lambda s: (s.publisher.lower(), s.title.lower()))
    return _page(request, "about.html", "about", profile if NAME_RE.fullmatch(profile) else DEFAULT_PROFILE, None,
                 sources=sources, risk=pack.risk, options_table=pack.options,
                 safety=pack.safety)
