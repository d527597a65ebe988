"""Where the person is: a US ZIP code or 'City, ST' -> coordinates (offline `zipcodes` data), and distances."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import zipcodes

_matching: Callable[[str], list[dict[str, Any]]] = zipcodes.matching
_filter_by: Callable[..., list[dict[str, Any]]] = zipcodes.filter_by

EARTH_RADIUS_MILES = 3958.8


class LocationError(ValueError):
    """The place could not be found in the offline ZIP data."""


@dataclass(frozen=True)
class Origin:
    label: str
    lat: float
    lon: float


def haversine_miles(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in miles."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_MILES * math.asin(math.sqrt(a))


def resolve_origin(place: str) -> Origin:
    """'31774', '31774-1234' or 'Ocilla, GA' -> Origin; a city with several ZIPs uses their mean position."""
    place = place.strip()
    if re.fullmatch(r"\d{5}(-\d{4})?", place):
        try:
            found = _matching(place[:5])
        except (ValueError, TypeError) as exc:
            raise LocationError(f"not a valid ZIP code: {place}") from exc
        if not found:
            raise LocationError(f"ZIP code {place} was not found")
        z = found[0]
        return Origin(f"{z['city']}, {z['state']} {z['zip_code']}", float(z["lat"]), float(z["long"]))
    m = re.fullmatch(r"(.+?),?\s+([A-Za-z]{2})", place)
    if m is None:
        raise LocationError(f"give a ZIP code or 'City, ST' (e.g. 'Ocilla, GA'), not {place!r}")
    city, state = m.group(1).strip().rstrip(","), m.group(2).upper()
    found = [z for z in _filter_by(state=state) if z["city"].lower() == city.lower() and z["lat"]]
    if not found:
        raise LocationError(f"{city}, {state} was not found in the offline ZIP data")
    lat = sum(float(z["lat"]) for z in found) / len(found)
    lon = sum(float(z["long"]) for z in found) / len(found)
    return Origin(f"{found[0]['city']}, {state}", lat, lon)
