"""Server-rendered pages: Ask, My records, My options, Clinical trials, Visit summary, About. No JavaScript needed."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from kidney_navigator.answers.compose import QuestionError
from kidney_navigator.answers.models import Answer
from kidney_navigator.answers.personalise import personalise
from kidney_navigator.options.engine import build_options
from kidney_navigator.services import composer
from kidney_navigator.web import trials, views
from kidney_navigator.web.app import TEMPLATES, records_for, records_if_saved, summary_module
from kidney_navigator.web.store import DEFAULT_PROFILE, NAME_RE, Upload, WebRecords
from kidney_navigator.web.store import RecordsError as ApiError

router = APIRouter(include_in_schema=False)
Records = Annotated[WebRecords, Depends(records_for)]
MaybeRecords = Annotated[WebRecords | None, Depends(records_if_saved)]
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
def ask_page(request: Request, records: MaybeRecords, q: str | None = None, profile: ProfileName = DEFAULT_PROFILE,
             personal: Annotated[str | None, Query(max_length=10)] = None) -> HTMLResponse:
    """The question box; with "Use my records" ticked and a saved profile, the answer gains the 'For you' parts."""
    profile = profile if NAME_RE.fullmatch(profile) else DEFAULT_PROFILE
    has_profile = records is not None and records.exists(profile)
    use_records = has_profile and bool(personal)
    answer: Answer | None = None
    error, related = None, []
    if q is not None:
        try:
            answer, debug = composer().answer_with_debug(q)
            related = views.follow_ups(debug.topic_ids, composer().pack)
        except QuestionError as exc:
            error = str(exc)
    if answer is not None and use_records and records is not None:
        pack = composer().pack
        saved = records.profile(profile)
        answer = personalise(answer, saved, build_options(saved, pack), pack)
    numbers = {s.id: i for i, s in enumerate(answer.sources, start=1)} if answer else {}
    return _page(request, "ask.html", "ask", profile, records, status=400 if error else 200, q=q or "", answer=answer,
                 error=error, numbers=numbers, related=related, has_profile=has_profile, use_records=use_records,
                 team_questions=views.team_questions(answer) if answer else [])


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


def _radius(raw: str | None) -> tuple[float, str | None]:
    """The form's distance as miles, or the default and a message saying what is allowed."""
    if raw is None or not raw.strip():
        return trials.DEFAULT_RADIUS, None
    try:
        return trials.check_radius(float(raw)), None
    except (ValueError, ApiError):
        return trials.DEFAULT_RADIUS, (f"Choose a distance from {trials.MIN_RADIUS:g} to {trials.MAX_RADIUS:g} "
                                       "miles (for example 300).")


@router.get("/trials", response_class=HTMLResponse)
def trials_page(request: Request, records: Records, profile: ProfileName = DEFAULT_PROFILE,
                location: Annotated[str | None, Query(max_length=100)] = None,
                radius: Annotated[str | None, Query(max_length=20)] = None) -> HTMLResponse:
    """Stored studies read against the profile; results only once the form was sent (a location may be empty)."""
    if (message := _check(profile)) is not None:
        return _bad_name(request, "trials", records, message)
    _, stored = trials.stored_trials(records)
    miles, error = _radius(radius)
    exists = records.exists(profile)
    context: dict[str, Any] = {
        "stored": stored, "exists": exists, "location": (location or "").strip(), "error": error,
        "radius": radius if radius is not None and error is None else f"{miles:g}", "search": None,
        "max_radius": trials.MAX_RADIUS, "min_radius": trials.MIN_RADIUS,
        "decision_words": views.DECISION_WORDS, "group_titles": views.DECISION_GROUPS,
        "criterion_words": views.CRITERION_WORDS, "kind_words": views.KIND_WORDS, "trial_phase": views.trial_phase,
        "trial_status": views.trial_status, "status_counts": views.status_counts}
    status = 200 if exists else 404
    if exists and stored.count and location is not None and error is None:
        try:
            found = trials.search(records, profile, location, miles)
        except ApiError as exc:
            context["error"], status = exc.message, 400
        else:
            groups = {d: [m for m in found.matches if m.decision == d] for d in views.DECISION_GROUPS}
            context.update(search=found, groups=groups)
    elif error is not None:
        status = 400
    return _page(request, "trials.html", "trials", profile, records, status=status, **context)


@router.get("/about", response_class=HTMLResponse)
def about_page(request: Request, profile: ProfileName = DEFAULT_PROFILE) -> HTMLResponse:
    pack = composer().pack
    sources = sorted(pack.sources.values(), key=lambda s: (s.publisher.lower(), s.title.lower()))
    return _page(request, "about.html", "about", profile if NAME_RE.fullmatch(profile) else DEFAULT_PROFILE, None,
                 sources=sources, risk=pack.risk, options_table=pack.options,
                 safety=pack.safety)
