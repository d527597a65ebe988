"""The Clinical trials page and `POST /api/v1/trials/match`: the CLI's TrialStore and TrialMatch contract, in plain
words (never "you are eligible"), with honest empty states, the age of the stored data and friendly refusals."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

from fastapi.testclient import TestClient
from markupsafe import escape
from typer.testing import CliRunner

from kidney_navigator.cli import app as cli
from tests.web.conftest import CASES, study_ids, sync_studies

CCDA = CASES / "41-ccda-imdc-intermediate" / "ccd.xml"
NOTE = CASES / "05-portal-nivo-ipi-imdc-poor" / "visit-note.txt"
TODAY = dt.date.today()
STATUS_WORDS = {"met": "Fits", "not_met": "Does not fit", "unknown": "Not known from your records"}


def save_profile(client: TestClient, name: str, record: Path) -> None:
    """Through the page's own upload form, as a person would."""
    response = client.post("/records", data={"profile": name}, files=[("files", (record.name, record.read_bytes()))],
                           follow_redirects=False)
    assert response.status_code == 303, response.text


def match(client: TestClient, **body: object) -> list[dict[str, object]]:
    response = client.post("/api/v1/trials/match", json=body)
    assert response.status_code == 200, response.text
    found: list[dict[str, object]] = response.json()
    return found


def visible_text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_nothing_stored_says_how_to_sync(client: TestClient) -> None:
    save_profile(client, "me", CCDA)
    page = client.get("/trials", params={"location": "31774"})
    assert page.status_code == 200
    assert "No trials stored yet" in page.text and "<code>kidney-nav trials sync</code>" in page.text
    assert 'id="location"' not in page.text and "Find studies" not in page.text
    api = client.post("/api/v1/trials/match", json={"profile": "me", "location": "31774"})
    assert api.status_code == 404 and api.json()["error"]["code"] == "no_trials_stored"
    assert "kidney-nav trials sync" in api.json()["error"]["message"]


def test_no_profile_is_an_honest_page_and_a_404(client: TestClient, data: Path) -> None:
    sync_studies(data, TODAY)
    save_profile(client, "mum", NOTE)
    page = client.get("/trials", params={"profile": "nobody"})
    assert page.status_code == 404
    assert "No profile named “nobody” yet" in page.text and 'href="/records?profile=nobody"' in page.text
    assert 'href="/trials?profile=mum"' in page.text  # offers the saved profiles instead
    api = client.post("/api/v1/trials/match", json={"profile": "nobody"})
    assert api.status_code == 404 and api.json()["error"]["code"] == "unknown_profile"


def test_page_shows_each_study_decision_site_and_criteria(client: TestClient, data: Path) -> None:
    assert sync_studies(data, TODAY - dt.timedelta(days=12)) == len(study_ids())
    save_profile(client, "me", CCDA)
    html = client.get("/trials", params={"location": "31774"}).text
    expected = match(client, profile="me", location="31774")
    assert expected and len(expected) < len(study_ids())  # the 300-mile default leaves some out
    text = visible_text(html)
    assert f"{len(expected)} studies within 300 miles of Ocilla, GA 31774" in text
    assert f"{len(study_ids())} stored studies, last synced {(TODAY - dt.timedelta(days=12)).isoformat()} " \
           "(12 days ago)" in text
    # every study of the API's answer, in the same order, with its link, decision words and nearest site
    shown = re.findall(r'<article class="card trial decision-(\w+)" id="(NCT\d+)"', html)
    assert [nct for _, nct in shown] == [m["nct_id"] for m in expected]
    assert [d for d, _ in shown] == [m["decision"] for m in expected]
    words = {"likely_eligible": "May fit", "possibly_eligible": "Might fit",
             "likely_ineligible": "Likely does not fit"}
    for m in expected:
        article = html[html.index(f'id="{m["nct_id"]}"'):]
        article = article[:article.index("</article>")]
        assert f'href="https://clinicaltrials.gov/study/{m["nct_id"]}"' in article
        assert f'class="badge badge-{m["decision"]}">{words[str(m["decision"])]}<' in article
        site = m["nearest_site"]
        assert isinstance(site, dict)
        assert f"{escape(site['facility'])}, {escape(site['city'])}" in article
        assert f"({round(site['distance_miles'])} miles away)" in article
        criteria = m["criteria"]
        assert isinstance(criteria, list)
        labels = re.findall(r'<li class="crit crit-(\w+)">\s*<span class="crit-status">'
                            r'<span aria-hidden="true">.</span> ([^<]+)</span>', article)
        assert [s for s, _ in labels] == [c["status"] for c in criteria]
        for status, label in labels:
            assert label == STATUS_WORDS[status]
        for c in criteria:
            assert str(escape(c["text"])) in article
            if c["evidence"]:
                assert f"Your records: {escape(c['evidence'])}" in article
    statuses = {c["status"] for m in expected for c in m["criteria"]}  # type: ignore[attr-defined]
    assert statuses == {"met", "not_met", "unknown"}
    assert "you are eligible" not in text.lower() and "you qualify" not in text.lower()
    assert "Only the study team can" in text


def test_api_is_the_cli_contract_on_the_same_database(client: TestClient, data: Path) -> None:
    sync_studies(data, TODAY)
    save_profile(client, "me", CCDA)
    api = client.post("/api/v1/trials/match", json={"profile": "me", "location": "Ocilla, GA", "radius_miles": 150})
    assert api.headers["x-trials-last-sync"] == TODAY.isoformat()
    assert api.headers["x-trials-stored"] == str(len(study_ids()))
    result = CliRunner().invoke(cli, ["trials", "match", "--profile", "me", "--city", "Ocilla, GA",
                                      "--radius-miles", "150", "--json"])
    assert result.exit_code == 0, result.output
    assert api.json() == json.loads(result.stdout)
    assert all(m["nearest_site"]["distance_miles"] <= 150 for m in api.json())
    assert list(api.json()[0]) == ["nct_id", "title", "phase", "status", "decision", "nearest_site", "criteria"]


def test_radius_narrows_and_no_location_lists_everything(client: TestClient, data: Path) -> None:
    sync_studies(data, TODAY)
    save_profile(client, "me", NOTE)
    near = match(client, profile="me", location="31774", radius_miles=20)
    wide = match(client, profile="me", location="31774", radius_miles=3000)
    anywhere = match(client, profile="me")
    assert 0 < len(near) < len(wide) <= len(anywhere) == len(study_ids())
    assert all(m["nearest_site"] is None for m in anywhere)
    page = visible_text(client.get("/trials", params={"location": "", "radius": "20"}).text)
    assert f"{len(study_ids())} studies " in page and "distance not known" in page
    small = visible_text(client.get("/trials", params={"location": "31774", "radius": "20"}).text)
    assert f"{len(near)} {'study' if len(near) == 1 else 'studies'} within 20 miles" in small


def test_unknown_place_and_bad_radius_are_friendly(client: TestClient, data: Path) -> None:
    sync_studies(data, TODAY)
    save_profile(client, "me", NOTE)
    page = client.get("/trials", params={"location": "Atlantis, ZZ"})
    assert page.status_code == 400
    assert 'role="alert"' in page.text and "We could not find “Atlantis, ZZ”" in page.text
    assert 'value="Atlantis, ZZ"' in page.text and 'aria-invalid="true"' in page.text  # kept for correcting
    api = client.post("/api/v1/trials/match", json={"profile": "me", "location": "99999"})
    assert api.status_code == 422 and api.json()["error"]["code"] == "unknown_location"
    for radius in ("0", "5000", "far"):
        bad = client.get("/trials", params={"location": "31774", "radius": radius})
        assert bad.status_code == 400 and "Choose a distance from 1 to 3000 miles" in bad.text
    too_far = client.post("/api/v1/trials/match", json={"profile": "me", "location": "31774", "radius_miles": 5000})
    assert too_far.status_code == 422 and too_far.json()["error"]["code"] == "invalid_request"


def test_old_data_is_flagged_and_fresh_data_is_not(client: TestClient, data: Path) -> None:
    save_profile(client, "me", NOTE)
    sync_studies(data, TODAY - dt.timedelta(days=45))
    old = visible_text(client.get("/trials").text)
    assert "(45 days ago)" in old and "Recruiting and sites change often" in old
    sync_studies(data, TODAY)
    fresh = visible_text(client.get("/trials").text)
    assert "(today)" in fresh and "Recruiting and sites change often" not in fresh


def test_trials_are_in_the_navigation_and_the_openapi(client: TestClient) -> None:
    for path in ("/", "/records", "/about"):
        assert '<a href="/trials?profile=me">Clinical trials</a>' in client.get(path).text
    spec = client.get("/openapi.json").json()
    operation = spec["paths"]["/api/v1/trials/match"]["post"]
    assert {"200", "404", "422"} <= set(operation["responses"])
    assert "X-Trials-Last-Sync" in operation["responses"]["200"]["headers"]
