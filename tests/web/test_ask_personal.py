"""Ask with "Use my records": off by default, only offered when the profile exists, visibly marked when used, the
API equal to `kidney-nav ask --profile NAME --json`, and urgent answers still urgent-first."""

from __future__ import annotations

import json
from pathlib import Path

from fastapi.testclient import TestClient
from typer.testing import CliRunner

from kidney_navigator.answers.personalise import FOR_YOU
from kidney_navigator.cli import app as cli
from tests.web.conftest import CASES

RECORD = CASES / "06-portal-sunitinib-then-cabo" / "visit-note.txt"
QUESTION = "what's next after Sutent?"
URGENT = "my legs suddenly went weak and numb"


def save(client: TestClient, name: str) -> None:
    files = [("files", (RECORD.name, RECORD.read_bytes()))]
    assert client.post(f"/api/v1/profiles/{name}/records", files=files).status_code == 201


def test_no_checkbox_without_a_profile_and_asking_creates_no_database(client: TestClient, data: Path) -> None:
    html = client.get("/", params={"q": QUESTION, "personal": "1"}).text
    assert 'id="personal"' not in html and "Personalised with your records" not in html and FOR_YOU not in html
    assert not (data / "navigator.db").exists()
    api = client.post("/api/v1/ask", json={"question": QUESTION, "profile": "me"})
    assert api.status_code == 404 and api.json()["error"]["code"] == "unknown_profile"
    assert not (data / "navigator.db").exists()


def test_checkbox_is_off_by_default_and_tailors_when_ticked(client: TestClient) -> None:
    save(client, "dad")
    form = client.get("/", params={"profile": "dad"}).text
    assert '<input type="checkbox" id="personal" name="personal" value="1" aria-describedby' in form
    assert "Use my records (profile “dad”)" in form and 'value="1" checked' not in form
    plain = client.get("/", params={"profile": "dad", "q": QUESTION}).text
    assert FOR_YOU not in plain and "Personalised with your records" not in plain
    tailored = client.get("/", params={"profile": "dad", "q": QUESTION, "personal": "1"})
    assert tailored.status_code == 200
    html = tailored.text
    assert 'value="1" checked' in html
    assert "Personalised with your records" in html and 'class="part for-you"' in html and FOR_YOU in html
    assert "sunitinib" in html.lower() and "visit-note.txt" in html
    assert 'href="/records?profile=dad#docs-heading"' in html and 'href="file:' not in html
    assert "&amp;personal=1" in html  # follow-up questions stay personalised
    # another profile name that does not exist: no checkbox, nothing tailored
    other = client.get("/", params={"profile": "nobody", "q": QUESTION, "personal": "1"}).text
    assert 'id="personal"' not in other and FOR_YOU not in other


def test_urgent_answer_stays_urgent_first_with_records_on(client: TestClient) -> None:
    save(client, "dad")
    html = client.get("/", params={"profile": "dad", "q": URGENT, "personal": "1"}).text
    article = html[html.index("<article"):]
    assert article.index('class="urgent" role="alert"') < article.index("Your records were not used")
    assert "urgent answers are the same for everyone" in article and FOR_YOU not in article
    api = client.post("/api/v1/ask", json={"question": URGENT, "profile": "dad"}).json()
    assert api["urgent"] and api["personalised"] is False
    assert api == {**client.post("/api/v1/ask", json={"question": URGENT}).json(), "personalised": False}


def test_api_with_profile_is_the_cli_contract(client: TestClient) -> None:
    save(client, "dad")
    api = client.post("/api/v1/ask", json={"question": QUESTION, "profile": "dad"})
    assert api.status_code == 200
    body = api.json()
    assert list(body) == ["question", "status", "urgent", "sections", "sources", "disclaimer", "personalised"]
    assert body["personalised"] is True and any(s["title"] == FOR_YOU for s in body["sections"])
    result = CliRunner().invoke(cli, ["ask", "--profile", "dad", "--json", QUESTION])
    assert result.exit_code == 0, result.output
    assert body == json.loads(result.stdout)
    assert "personalised" not in client.post("/api/v1/ask", json={"question": QUESTION}).json()
    bad = client.post("/api/v1/ask", json={"question": QUESTION, "profile": "../etc"})
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "invalid_request"
