"""`kidney-nav trials sync|match`: the typer sub-app (wired into cli.py as `trials`)."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path
from typing import Annotated

import typer

from kidney_navigator.trials.models import Study, TrialMatch

trials_app = typer.Typer(help="Clinical trials from ClinicalTrials.gov, matched to a profile (stored locally).",
                         no_args_is_help=True)


def _fail(message: str, code: int = 1) -> None:
    typer.echo(f"Error: {message}", err=True)
    raise typer.Exit(code)


def _store() -> object:
    from kidney_navigator.storage.db import connect
    from kidney_navigator.trials.store import TrialStore

    return TrialStore(connect())


@trials_app.command("sync")
def sync(
    full: Annotated[bool, typer.Option("--full", help="Fetch everything again, not only updated studies.")] = False,
    base_url: Annotated[str, typer.Option(help="API base URL.")] = "https://clinicaltrials.gov/api/v2",
    timeout: Annotated[float, typer.Option(help="Seconds per request.")] = 30.0,
    retries: Annotated[int, typer.Option(help="Retries per request, with doubling pauses.")] = 4,
) -> None:
    """Download kidney-cancer studies (only those updated since the last sync) into the local database."""
    from kidney_navigator.knowledge.loader import PackError, default_pack
    from kidney_navigator.storage.db import connect
    from kidney_navigator.trials.client import CtgovClient
    from kidney_navigator.trials.match import criteria_engine
    from kidney_navigator.trials.store import TrialStore

    try:
        engine = criteria_engine(default_pack())  # stored studies keep their rule analysis: faster first match
    except PackError as exc:
        _fail(str(exc), 3)
    store = TrialStore(connect(), engine=engine)
    before = store.last_sync()
    result = store.sync(CtgovClient(base_url=base_url, timeout=timeout, retries=retries), full=full)
    for warning in result.warnings:
        typer.echo(f"warning: {warning}", err=True)
    if result.error:
        kept = f"kept {store.count()} stored studies" + (f" from the sync of {before}" if before else "")
        typer.echo(f"Could not finish the sync: {result.error}. {kept}.", err=True)
        raise typer.Exit(1)
    typer.echo(f"synced {result.stored} studies in {result.pages} pages; {store.count()} stored"
               + (f", {result.skipped_studies} records skipped" if result.skipped_studies else ""))
    if not result.complete:
        raise typer.Exit(1)


def _load_studies(path: Path) -> list[Study]:
    from kidney_navigator.trials.models import StudyFormatError, parse_study

    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        _fail(f"cannot read {path}: {exc}")
    if not isinstance(data, dict) or not isinstance(data.get("studies"), list):
        _fail(f"{path.name}: expected the API's search response shape {{\"studies\": [...]}}", 2)
    studies = []
    for raw in data["studies"]:
        try:
            studies.append(parse_study(raw))
        except StudyFormatError as exc:
            typer.echo(f"warning: {path.name}: skipped a record: {exc}", err=True)
    return studies


def render_matches(matches: list[TrialMatch], footer: str) -> str:
    """A readable listing: decision, study, nearest site, then the items that decided it."""
    marks = {"met": "+", "not_met": "x", "unknown": "?"}
    out: list[str] = []
    for m in matches:
        where = (f"{m.nearest_site.facility}, {m.nearest_site.city}, {m.nearest_site.state} "
                 f"({m.nearest_site.distance_miles:.0f} miles)" if m.nearest_site else "no site distance")
        out.append(f"{m.decision.replace('_', ' ').upper()}  {m.nct_id}  {m.phase}  {m.status.replace('_', ' ')}")
        out += textwrap.wrap(m.title, 88, initial_indent="  ", subsequent_indent="  ")
        out.append(f"  nearest: {where}")
        for c in m.criteria:
            line = f"[{marks[c.status]}] {c.kind[:3]}: {c.text}" + (f"  <- {c.evidence}" if c.evidence else "")
            out += textwrap.wrap(line, 88, initial_indent="    ", subsequent_indent="        ")
        out.append("")
    out.append(footer)
    out.append("This list helps you prepare questions for your care team; only the study team can confirm "
               "eligibility.")
    return "\n".join(out)


@trials_app.command("match")
def match(
    profile_name: Annotated[str | None, typer.Option("--profile", help="A saved profile's name.")] = None,
    profile_json: Annotated[Path | None, typer.Option("--profile-json", help="A profile JSON file.")] = None,
    zip_code: Annotated[str | None, typer.Option("--zip", help="Your ZIP code (or 'City, ST').")] = None,
    city: Annotated[str | None, typer.Option("--city", help="Your city, e.g. 'Ocilla, GA'.")] = None,
    radius_miles: Annotated[float | None, typer.Option("--radius-miles", help="Only sites this close.")] = None,
    studies_file: Annotated[Path | None, typer.Option("--studies", help="Match a file shaped like the API's "
                                                      "search response instead of the local store.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the JSON contract.")] = False,
) -> None:
    """Rank studies for a profile: likely eligible, possibly eligible, likely ineligible, with the evidence."""
    from pydantic import ValidationError

    from kidney_navigator.knowledge.loader import PackError, default_pack
    from kidney_navigator.profile.build import build_profile
    from kidney_navigator.profile.models import Profile
    from kidney_navigator.profile.risk import assess_all
    from kidney_navigator.trials.geo import LocationError, Origin, resolve_origin
    from kidney_navigator.trials.match import match_profile
    from kidney_navigator.trials.store import TrialStore

    try:
        pack = default_pack()
    except PackError as exc:
        _fail(str(exc), 3)
    if (profile_name is None) == (profile_json is None):
        _fail("give exactly one of --profile NAME or --profile-json FILE", 2)
    if profile_json is not None:
        try:
            profile = Profile.model_validate_json(profile_json.read_text(encoding="utf-8"))
        except OSError as exc:
            _fail(f"cannot read {profile_json}: {exc.strerror}")
        except ValidationError as exc:
            first = exc.errors()[0]
            _fail(f"{profile_json.name}: field '{'.'.join(str(p) for p in first['loc'])}': {first['msg']}", 2)
        if profile.imdc is None:
            profile.imdc, profile.mskcc = assess_all(profile, pack.risk)
    else:
        import datetime as dt

        from kidney_navigator.storage.db import connect
        from kidney_navigator.storage.profiles import ProfileStore

        try:
            facts, as_of = ProfileStore(connect()).load(profile_name or "")
        except KeyError:
            _fail(f"no saved profile named {profile_name!r}; save one with: kidney-nav profile FILE... --save NAME")
        profile = build_profile(facts, pack, dt.date.fromisoformat(as_of) if as_of else None)
    place = zip_code or city
    origin: Origin | None = None
    if place:
        try:
            origin = resolve_origin(place)
        except LocationError as exc:
            _fail(str(exc), 2)
    if radius_miles is not None and origin is None:
        _fail("--radius-miles needs --zip or --city", 2)
    if studies_file is not None:
        studies = _load_studies(studies_file)
        footer = f"{len(studies)} studies from {studies_file.name}"
    else:
        store = _store()
        assert isinstance(store, TrialStore)
        studies = store.studies()
        last = store.last_sync()
        if not studies:
            _fail("no studies stored yet: run kidney-nav trials sync (needs the internet once)")
        footer = f"{len(studies)} stored studies, last synced {last or 'never completely'}"
        if as_json:
            typer.echo(f"stored trial data last synced {last or 'never completely'}", err=True)
    matches = match_profile(profile, studies, origin, radius_miles, pack=pack)
    if as_json:
        typer.echo(json.dumps([m.model_dump(mode="json") for m in matches], ensure_ascii=False, indent=2))
    else:
        near = f" within {radius_miles:g} miles of {origin.label}" if origin and radius_miles is not None else ""
        typer.echo(render_matches(matches, f"{len(matches)} studies{near}; {footer}"))
