"""The minimal web page and the JSON API render the same Answer; errors use one envelope."""

from __future__ import annotations

from fastapi.testclient import TestClient

from kidney_navigator.web.app import create_app


def client() -> TestClient:
    return TestClient(create_app())


def test_page_has_a_labelled_question_box() -> None:
    response = client().get("/")
    assert response.status_code == 200
    assert '<label for="q">' in response.text and 'id="q"' in response.text


def test_page_shows_structured_answer_with_sources() -> None:
    response = client().get("/", params={"q": "What does IMDC intermediate mean?"})
    assert response.status_code == 200
    assert "Short answer" in response.text and "Sources" in response.text
    assert 'href="#src-1"' in response.text


def test_page_shows_urgent_banner_first() -> None:
    html = client().get("/", params={"q": "my legs suddenly went weak and numb"}).text
    assert html.index("Get help now") < html.index('class="disclaimer"')
    if "Short answer" in html:
        assert html.index("Get help now") < html.index("Short answer")


def test_api_matches_cli_contract() -> None:
    response = client().post("/api/v1/ask", json={"question": "what is cabozantinib"})
    assert response.status_code == 200
    assert list(response.json()) == ["question", "status", "urgent", "sections", "sources", "disclaimer"]


def test_api_error_envelope() -> None:
    response = client().post("/api/v1/ask", json={"question": "   "})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "bad_question"


def test_page_error_is_friendly() -> None:
    response = client().get("/", params={"q": "\x00\x01"})
    assert response.status_code == 400
    assert "plain text" in response.text
