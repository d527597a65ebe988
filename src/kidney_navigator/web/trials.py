"""Trial matching for the web: the CLI's `trials match` over the same TrialStore, shared by the page and the API.

Kept in one place so the page and `POST /api/v1/trials/match` refuse the same inputs with the same words and rank
the same `TrialMatch` objects (the CLI's JSON contract).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from kidney_navigator.trials.geo import LocationError, Origin, resolve_origin
from kidney_navigator.trials.match import match_profile
from kidney_navigator.trials.models import TrialMatch
from kidney_navigator.trials.store import TrialStore
from kidney_navigator.web.store import RecordsError, WebRecords

DEFAULT_RADIUS = 300.0
MIN_RADIUS = 1.0
MAX_RADIUS = 3000.0  # coast to coast in the lower 48; anything larger is a typo
STALE_DAYS = 30
NO_TRIALS = ("No trials are stored on this computer yet. When you are online, run `kidney-nav trials sync` once "
             "to download kidney-cancer studies from ClinicalTrials.gov; matching then works offline.")


@dataclass(frozen=True)
class StoredTrials:
    """How many studies are stored and when the last complete sync was (None: never completely)."""

    count: int
    last_sync: str | None

    def age(self, today: dt.date | None = None) -> str:
        """'last synced 2026-11-20 (11 days ago)': people should see how old the study list is."""
        if self.last_sync is None:
            return "never completely synced"
        try:
            days = ((today or dt.date.today()) - dt.date.fromisoformat(self.last_sync[:10])).days
        except ValueError:
            return f"last synced {self.last_sync}"
        ago = "today" if days <= 0 else "yesterday" if days == 1 else f"{days} days ago"
        return f"last synced {self.last_sync[:10]} ({ago})"

    def stale(self, today: dt.date | None = None) -> bool:
        """Recruiting status and sites change often; a month-old list deserves a nudge to sync again."""
        if self.last_sync is None:
            return True
        try:
            synced = dt.date.fromisoformat(self.last_sync[:10])
        except ValueError:
            return True
        return ((today or dt.date.today()) - synced).days > STALE_DAYS


@dataclass(frozen=True)
class TrialSearch:
    matches: list[TrialMatch]
    origin: Origin | None
    radius_miles: float | None
    stored: StoredTrials


def stored_trials(records: WebRecords) -> tuple[TrialStore, StoredTrials]:
    """The CLI's TrialStore on the app's database (same file as `kidney-nav trials sync` fills)."""
    store = TrialStore(records.conn)
    return store, StoredTrials(store.count(), store.last_sync())


def origin_for(location: str | None) -> Origin | None:
    """ZIP or 'City, ST' -> Origin; None for no location; a 422 with an example when it cannot be found."""
    if location is None or not location.strip():
        return None
    try:
        return resolve_origin(location)
    except LocationError:
        raise RecordsError(422, "unknown_location",
                           f"We could not find “{location.strip()[:60]}”. Enter a 5-digit US ZIP code or a city "
                           "and state, for example 31774 or Ocilla, GA.") from None


def check_radius(radius: float) -> float:
    if not MIN_RADIUS <= radius <= MAX_RADIUS:
        raise RecordsError(422, "bad_radius",
                           f"Choose a distance from {MIN_RADIUS:g} to {MAX_RADIUS:g} miles (for example 300).")
    return radius


def search(records: WebRecords, name: str, location: str | None, radius_miles: float) -> TrialSearch:
    """Rank the stored studies for a saved profile; the radius applies only when a location is given.

    Errors: 422 unknown_location / bad_radius, 404 unknown_profile, 404 no_trials_stored."""
    origin = origin_for(location)
    radius = check_radius(radius_miles) if origin is not None else None
    try:
        profile = records.profile(name)
    except KeyError:
        raise RecordsError(404, "unknown_profile",
                           f"There is no saved profile named {name!r}. Upload records for it first.") from None
    store, stored = stored_trials(records)
    if stored.count == 0:
        raise RecordsError(404, "no_trials_stored", NO_TRIALS)
    matches = match_profile(profile, store.studies(), origin, radius, pack=records.pack)
    return TrialSearch(matches, origin, radius, stored)
