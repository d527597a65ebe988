"""Plain objects between the trial stages: a parsed Study, and the TrialMatch whose JSON is the public contract."""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, Field

if TYPE_CHECKING:
    from kidney_navigator.trials.split import Item

Decision = Literal["likely_eligible", "possibly_eligible", "likely_ineligible"]
Status = Literal["met", "not_met", "unknown"]
Kind = Literal["inclusion", "exclusion"]

# Statuses under which a person can still join (ClinicalTrials.gov overallStatus values).
OPEN_STATUSES = frozenset({"RECRUITING", "NOT_YET_RECRUITING", "ENROLLING_BY_INVITATION"})


class Site(BaseModel):
    facility: str
    city: str
    state: str
    country: str = ""
    zip: str = ""
    lat: float | None = None
    lon: float | None = None
    status: str | None = None


class Study(BaseModel):
    """The fields of one API v2 study record that matching needs (the raw record is kept by the store)."""

    nct_id: str
    title: str
    status: str
    phases: list[str] = Field(default_factory=list)
    conditions: list[str] = Field(default_factory=list)
    interventions: list[str] = Field(default_factory=list)
    eligibility: str = ""
    minimum_age: str | None = None
    maximum_age: str | None = None
    sex: str | None = None
    sites: list[Site] = Field(default_factory=list)
    last_update: str | None = None

    @cached_property
    def items(self) -> tuple[Item, ...]:
        """The eligibility text split into items, once per Study object (the text never changes)."""
        from kidney_navigator.trials.split import split_criteria

        return tuple(split_criteria(self.eligibility))

    @cached_property
    def stored_analyses(self) -> tuple[str, list[Any]] | None:
        """(engine fingerprint, one CriteriaEngine.export per item) when the store kept them; never in the JSON."""
        return None

    def keep_items(self, items: tuple[Item, ...], analyses: tuple[str, list[Any]] | None = None) -> None:
        """Use items split (and analysed) when the study was stored, so loading thousands does not redo it. Set as
        the cached properties' values (a private attribute's per-instance default costs more than the rest)."""
        self.__dict__["items"] = items
        self.__dict__["stored_analyses"] = analyses

    @property
    def recruiting(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def phase(self) -> str:
        """'PHASE1/PHASE2' style, as the API lists phases; 'NA' when none."""
        return "/".join(self.phases) or "NA"


class StudyFormatError(ValueError):
    """A study record lacks what matching needs (no NCT id, not an object)."""


def _get(obj: Any, *path: str) -> Any:
    for key in path:
        if not isinstance(obj, dict):
            return None
        obj = obj.get(key)
    return obj


def _str(value: Any) -> str:
    return value if isinstance(value, str) else ""


def parse_study(raw: Any) -> Study:
    """API v2 study JSON -> Study; tolerant of missing modules, strict about the NCT id."""
    nct_id = _get(raw, "protocolSection", "identificationModule", "nctId")
    if not isinstance(nct_id, str) or not nct_id.startswith("NCT"):
        raise StudyFormatError("study without protocolSection.identificationModule.nctId")
    proto = raw["protocolSection"]
    ident = proto.get("identificationModule") or {}
    status_module = _get(proto, "statusModule") or {}
    eligibility = _get(proto, "eligibilityModule") or {}
    sites = []
    for loc in _get(proto, "contactsLocationsModule", "locations") or []:
        if not isinstance(loc, dict):
            continue
        point = loc.get("geoPoint")
        geo: dict[str, Any] = point if isinstance(point, dict) else {}
        lat, lon = geo.get("lat"), geo.get("lon")
        sites.append(Site(facility=_str(loc.get("facility")), city=_str(loc.get("city")),
                          state=_str(loc.get("state")), country=_str(loc.get("country")), zip=_str(loc.get("zip")),
                          lat=float(lat) if isinstance(lat, int | float) else None,
                          lon=float(lon) if isinstance(lon, int | float) else None,
                          status=loc.get("status") if isinstance(loc.get("status"), str) else None))
    interventions = [_str(i.get("name")) for i in _get(proto, "armsInterventionsModule", "interventions") or []
                     if isinstance(i, dict) and i.get("name")]
    return Study(
        nct_id=nct_id,
        title=_str(ident.get("briefTitle")) or _str(ident.get("officialTitle")) or nct_id,
        status=_str(status_module.get("overallStatus")) or "UNKNOWN",
        phases=[p for p in _get(proto, "designModule", "phases") or [] if isinstance(p, str)],
        conditions=[c for c in _get(proto, "conditionsModule", "conditions") or [] if isinstance(c, str)],
        interventions=interventions,
        eligibility=_str(eligibility.get("eligibilityCriteria")),
        minimum_age=eligibility.get("minimumAge") if isinstance(eligibility.get("minimumAge"), str) else None,
        maximum_age=eligibility.get("maximumAge") if isinstance(eligibility.get("maximumAge"), str) else None,
        sex=eligibility.get("sex") if isinstance(eligibility.get("sex"), str) else None,
        sites=sites,
        last_update=_get(status_module, "lastUpdatePostDateStruct", "date"),
    )


class Criterion(BaseModel):
    """One eligibility item and how it reads against the profile; status is from the person's side:
    met = no barrier (an inclusion holds, or an exclusion does not apply)."""

    text: str
    kind: Kind
    status: Status
    evidence: str | None


class NearestSite(BaseModel):
    facility: str
    city: str
    state: str
    distance_miles: float


class TrialMatch(BaseModel):
    """One study judged against one profile; `model_dump(mode="json")` is the public JSON contract."""

    nct_id: str
    title: str
    phase: str
    status: str
    decision: Decision
    nearest_site: NearestSite | None
    criteria: list[Criterion]
