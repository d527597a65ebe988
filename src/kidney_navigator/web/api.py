"""The JSON API under /api/v1: the same contracts as the CLI's --json output, and one error envelope."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Path, Request, UploadFile
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field

from kidney_navigator.answers.compose import QuestionError
from kidney_navigator.answers.models import Answer
from kidney_navigator.answers.personalise import personalise
from kidney_navigator.options.engine import build_options
from kidney_navigator.options.models import OptionSet
from kidney_navigator.profile.models import Profile
from kidney_navigator.profile.risk import assess_all
from kidney_navigator.services import composer
from kidney_navigator.trials.models import TrialMatch
from kidney_navigator.web import trials
from kidney_navigator.web.app import open_records, records_for, summary_module
from kidney_navigator.web.store import NAME_PATTERN, Upload, WebRecords
from kidney_navigator.web.store import RecordsError as ApiError

router = APIRouter(prefix="/api/v1", tags=["api"])


class ErrorBody(BaseModel):
    code: str
    message: str


class ErrorEnvelope(BaseModel):
    error: ErrorBody


class AskRequest(BaseModel):
    question: str = Field(max_length=20_000, description="The question, in the person's own words.")
    profile: str | None = Field(None, pattern=NAME_PATTERN, description=(
        "Tailor the answer with this saved profile, like `kidney-nav ask --profile NAME`: adds the 'For you' "
        "sections and `personalised` to the answer. Urgent and out-of-scope answers are never changed."))


class TrialsRequest(BaseModel):
    profile: str = Field(pattern=NAME_PATTERN, description="The saved profile to match, e.g. me.")
    location: str | None = Field(None, max_length=100, description=(
        "A US ZIP code (31774) or 'City, ST' (Ocilla, GA). Without it there are no distances and no radius."))
    radius_miles: float = Field(trials.DEFAULT_RADIUS, ge=trials.MIN_RADIUS, le=trials.MAX_RADIUS,
                                description="Only studies with a site this close (applies with a location).")


class CorrectionsRequest(BaseModel):
    corrections: list[Annotated[str, Field(max_length=500)]] = Field(
        min_length=1, max_length=50, description="Each like the CLI's `profile edit`: histology=papillary, "
        "performance_status=KPS:70, labs.hemoglobin=10.9 g/dL (13.5-17.5), metastatic_sites+=bone.")


class ProfileList(BaseModel):
    profiles: list[str]


def _errors(*statuses: int) -> dict[int | str, dict[str, Any]]:
    described = {400: "Bad request", 404: "Not found", 413: "Body too large", 415: "Unsupported file type",
                 422: "Invalid request", 503: "Not available yet"}
    return {s: {"model": ErrorEnvelope, "description": described[s]} for s in statuses}


Name = Annotated[str, Path(pattern=NAME_PATTERN, description="The saved profile's name, e.g. me.")]
Records = Annotated[WebRecords, Depends(records_for)]


def _unknown(name: str) -> ApiError:
    return ApiError(404, "unknown_profile", f"There is no saved profile named {name!r}. Upload records for it first.")


@router.post("/ask", response_model=Answer, responses=_errors(400, 404, 413, 422))
def api_ask(body: AskRequest, request: Request) -> JSONResponse:
    """Answer a question (the `kidney-nav ask --json` contract): urgent first, cited sections, sources.

    With `profile`, the answer is tailored exactly like `kidney-nav ask --profile NAME --json` and carries
    `personalised`; an unknown profile is a 404."""
    composer_ = composer()
    try:
        answer = composer_.answer(body.question)
    except QuestionError as exc:
        raise ApiError(400, "bad_question", str(exc)) from exc
    if body.profile is not None:
        with open_records(request.app.state.settings, create=False) as records:
            try:
                if records is None:
                    raise KeyError(body.profile)
                profile = records.profile(body.profile)
            except KeyError:
                raise _unknown(body.profile) from None
        answer = personalise(answer, profile, build_options(profile, composer_.pack), composer_.pack)
    return JSONResponse(answer.contract())


@router.get("/profiles", response_model=ProfileList)
def api_profiles(records: Records) -> ProfileList:
    """Names of the saved profiles on this machine."""
    return ProfileList(profiles=records.names())


@router.post("/profiles/{name}/records", response_model=Profile, status_code=201,
             responses=_errors(400, 413, 415, 422))
def api_upload(name: Name, files: Annotated[list[UploadFile], File(description="PDF, text, FHIR JSON or C-CDA XML")],
               records: Records) -> Profile:
    """Read record files into the named profile (the `kidney-nav profile FILE... --save NAME --json` contract).

    All files are read before anything is stored; one unreadable file stores nothing.
    """
    uploads = [Upload(f.filename or "", f.file.read()) for f in files]
    return records.add(name, uploads)


@router.get("/profiles/{name}", response_model=Profile, responses=_errors(404, 422))
def api_profile(name: Name, records: Records) -> Profile:
    """The saved profile with the evidence for every fact, IMDC and MSKCC risk."""
    try:
        return records.profile(name)
    except KeyError:
        raise _unknown(name) from None


@router.post("/profiles/{name}/corrections", response_model=Profile, responses=_errors(400, 404, 422))
def api_correct(name: Name, body: CorrectionsRequest, records: Records) -> Profile:
    """Add corrections (they win over the documents and survive re-reading); all are stored, or none."""
    try:
        return records.correct(name, body.corrections)
    except KeyError:
        raise _unknown(name) from None


@router.get("/profiles/{name}/options", response_model=OptionSet, responses=_errors(404, 422))
def api_profile_options(name: Name, records: Records) -> OptionSet:
    """The options guidelines list for a setting like this profile's (the `kidney-nav options --json` contract)."""
    try:
        profile = records.profile(name)
    except KeyError:
        raise _unknown(name) from None
    return build_options(profile, composer().pack)


@router.post("/options", response_model=OptionSet, responses=_errors(400, 413, 422))
def api_options(profile: Profile) -> OptionSet:
    """Options for a profile given in the body, exactly as `kidney-nav options PROFILE_JSON --json`."""
    pack = composer().pack
    if profile.imdc is None:
        profile.imdc, profile.mskcc = assess_all(profile, pack.risk)
    return build_options(profile, pack)


@router.get("/profiles/{name}/summary.pdf", response_class=Response, responses={
    200: {"content": {"application/pdf": {}}, "description": "The visit summary as PDF"}, **_errors(404, 422, 503)})
def api_summary_pdf(name: Name, records: Records) -> Response:
    """The printable visit summary for this profile, as a PDF."""
    module = summary_module()
    if module is None:
        raise ApiError(503, "summary_unavailable", "The visit summary is not available yet in this version.")
    try:
        profile = records.profile(name)
    except KeyError:
        raise _unknown(name) from None
    summary = module.build_summary(profile, build_options(profile, composer().pack))
    pdf: bytes = module.render_summary_pdf(summary)
    return Response(pdf, media_type="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="visit-summary-{name}.pdf"'})


@router.post("/trials/match", response_model=list[TrialMatch], responses={
    200: {"description": "Studies ranked likely_eligible, possibly_eligible, likely_ineligible (the "
                         "`kidney-nav trials match --json` contract)",
          "headers": {"X-Trials-Last-Sync": {"description": "Date of the last complete sync, or 'never'.",
                                             "schema": {"type": "string"}},
                      "X-Trials-Stored": {"description": "How many studies are stored.",
                                          "schema": {"type": "integer"}}}},
    **_errors(400, 404, 413, 422)})
def api_trials_match(body: TrialsRequest, records: Records) -> JSONResponse:
    """Match the stored ClinicalTrials.gov studies to a saved profile, nearest site first among equals.

    The list helps prepare questions: only the study team can confirm eligibility. 404 `unknown_profile`, 404
    `no_trials_stored` (run `kidney-nav trials sync` once when online), 422 `unknown_location`."""
    found = trials.search(records, body.profile, body.location, body.radius_miles)
    return JSONResponse([m.model_dump(mode="json") for m in found.matches],
                        headers={"X-Trials-Last-Sync": found.stored.last_sync or "never",
                                 "X-Trials-Stored": str(found.stored.count)})
