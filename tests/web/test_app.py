"""Pages and the JSON API render the same result objects; every error uses one envelope (API) or a friendly page;
oversized, malformed and unsupported requests are refused and leave nothing stored."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from kidney_navigator.web.app import MB
from tests.web.conftest import CASES

NOTE = CASES / "05-portal-nivo-ipi-imdc-poor" / "visit-note.txt"
FHIR = CASES / "35-fhir-imdc-favourable" / "bundle.json"


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return tmp_path / "data"


def stored_profiles(data: Path) -> list[str]:
    db = data / "navigator.db"
    if not db.exists():
        return []
    with sqlite3.connect(db) as conn:
        try:
            return [r[0] for r in conn.execute("SELECT name FROM profiles")]
        except sqlite3.OperationalError:
            return []


def upload(client: TestClient, name: str, *paths: Path) -> dict[str, object]:
    files = [("files", (p.name, p.read_bytes())) for p in paths]
    response = client.post(f"/api/v1/profiles/{name}/records", files=files)
    assert response.status_code == 201, response.text
    body: dict[str, object] = response.json()
    return body


def test_page_has_a_labelled_question_box(client: TestClient) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert '<label for="q">' in response.text and 'id="q"' in response.text
    assert '<html lang="en">' in response.text and 'href="#main"' in response.text


def test_page_shows_structured_answer_with_sources(client: TestClient) -> None:
    response = client.get("/", params={"q": "What does IMDC intermediate mean?"})
    assert response.status_code == 200
    assert "Short answer" in response.text and "Sources" in response.text
    assert 'href="#src-1"' in response.text and 'id="src-1"' in response.text
    assert "You might also ask" in response.text


def test_page_shows_urgent_banner_first(client: TestClient) -> None:
    html = client.get("/", params={"q": "my legs suddenly went weak and numb"}).text
    assert html.index("Get help now") < html.index('class="disclaimer"')
    assert html.index('role="alert"') < html.index("Get help now")
    if "Short answer" in html:
        assert html.index("Get help now") < html.index("Short answer")


def test_api_matches_cli_contract(client: TestClient) -> None:
    response = client.post("/api/v1/ask", json={"question": "what is cabozantinib"})
    assert response.status_code == 200
    assert list(response.json()) == ["question", "status", "urgent", "sections", "sources", "disclaimer"]


def test_api_bad_question_envelope(client: TestClient) -> None:
    response = client.post("/api/v1/ask", json={"question": "   "})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "bad_question"


def test_page_error_is_friendly(client: TestClient) -> None:
    response = client.get("/", params={"q": "\x00\x01"})
    assert response.status_code == 400
    assert "plain text" in response.text


@pytest.mark.parametrize(("method", "path", "kwargs", "status", "code"), [
    ("post", "/api/v1/ask", {"content": b'{"question": ', "headers": {"content-type": "application/json"}},
     400, "malformed_json"),
    ("post", "/api/v1/ask", {"json": {"q": "missing field"}}, 422, "invalid_request"),
    ("post", "/api/v1/ask", {"json": {"question": 12}}, 422, "invalid_request"),
    ("get", "/api/v1/nothing-here", {}, 404, "not_found"),
    ("get", "/api/v1/profiles/nobody", {}, 404, "unknown_profile"),
    ("get", "/api/v1/profiles/nobody/options", {}, 404, "unknown_profile"),
    ("post", "/api/v1/profiles/nobody/corrections", {"json": {"corrections": ["grade=2"]}}, 404, "unknown_profile"),
    ("get", "/api/v1/profiles/bad%2Fname!", {}, 404, "not_found"),
    ("get", "/api/v1/profiles/bad!name", {}, 422, "invalid_request"),
    ("delete", "/api/v1/ask", {}, 405, "method_not_allowed"),
])
def test_every_api_error_uses_the_envelope(client: TestClient, method: str, path: str, kwargs: dict[str, object],
                                           status: int, code: str) -> None:
    response = client.request(method.upper(), path, **kwargs)  # type: ignore[arg-type]
    assert response.status_code == status, response.text
    body = response.json()
    assert list(body) == ["error"] and body["error"]["code"] == code
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]


def test_upload_profile_correct_and_options_through_the_api(client: TestClient, data: Path) -> None:
    profile = upload(client, "dad", NOTE)
    assert profile["histology"] == "clear_cell"
    imdc = profile["imdc"]
    assert isinstance(imdc, dict) and imdc["group"] == "poor"
    assert client.get("/api/v1/profiles/dad").json() == profile
    before = client.get("/api/v1/profiles/dad/options").json()
    corrected = client.post("/api/v1/profiles/dad/corrections", json={"corrections": ["histology=papillary"]})
    assert corrected.status_code == 200 and corrected.json()["histology"] == "papillary"
    after = client.get("/api/v1/profiles/dad/options").json()
    assert before["setting"]["histology_group"] == "clear_cell" and after["setting"]["histology_group"] == "papillary"
    # the same contract as `kidney-nav options PROFILE_JSON --json`
    assert client.post("/api/v1/options", json=corrected.json()).json() == after
    # a correction survives uploading the same document again
    assert upload(client, "dad", NOTE)["histology"] == "papillary"
    assert stored_profiles(data) == ["dad"]


def test_bad_correction_is_422_and_stores_nothing(client: TestClient) -> None:
    upload(client, "mum", FHIR)
    before = client.get("/api/v1/profiles/mum").json()
    response = client.post("/api/v1/profiles/mum/corrections",
                           json={"corrections": ["grade=2", "histology=banana"]})
    assert response.status_code == 422 and response.json()["error"]["code"] == "bad_correction"
    assert client.get("/api/v1/profiles/mum").json() == before


def test_oversized_streamed_upload_is_refused_and_nothing_is_stored(client: TestClient, data: Path) -> None:
    def body() -> Iterator[bytes]:
        yield b'--xyz\r\nContent-Disposition: form-data; name="files"; filename="big.txt"\r\n\r\n'
        for _ in range(26):
            yield b"renal cell carcinoma " * (MB // 21 + 1)

    response = client.post("/api/v1/profiles/big/records", content=body(),
                           headers={"content-type": "multipart/form-data; boundary=xyz"})
    assert response.status_code == 413 and response.json()["error"]["code"] == "too_large"
    assert "big" not in stored_profiles(data)


def test_oversized_declared_length_is_refused_before_reading(client: TestClient) -> None:
    response = client.post("/api/v1/ask", content=b"{}", headers={"content-type": "application/json",
                                                                  "content-length": str(2 * MB)})
    assert response.status_code == 413 and response.json()["error"]["code"] == "too_large"


def test_one_bad_file_stores_none_of_the_upload(client: TestClient, data: Path) -> None:
    files = [("files", (NOTE.name, NOTE.read_bytes())), ("files", ("scan.pdf", b"%PDF-1.4 broken"))]
    response = client.post("/api/v1/profiles/half/records", files=files)
    assert response.status_code == 422 and response.json()["error"]["code"] == "unreadable_file"
    assert "half" not in stored_profiles(data)


def test_wrong_file_type_is_415(client: TestClient, data: Path) -> None:
    response = client.post("/api/v1/profiles/x/records", files=[("files", ("photo.jpg", b"\xff\xd8\xff\xe0"))])
    assert response.status_code == 415 and response.json()["error"]["code"] == "unsupported_type"
    page = client.post("/records", data={"profile": "x"}, files=[("files", ("photo.jpg", b"\xff\xd8"))])
    assert page.status_code == 415 and "not supported" in page.text and 'role="alert"' in page.text
    assert stored_profiles(data) == []


def test_unknown_profile_gets_a_friendly_page(client: TestClient) -> None:
    response = client.get("/options", params={"profile": "nobody"})
    assert response.status_code == 404
    assert "No profile named" in response.text and "Upload your records" in response.text
    records = client.get("/records", params={"profile": "nobody"})
    assert records.status_code == 200 and "No records saved yet" in records.text
    bad = client.get("/records", params={"profile": "../etc"})
    assert bad.status_code == 400 and "profile name" in bad.text


def test_records_page_marks_evidence_and_accepts_corrections(client: TestClient) -> None:
    response = client.post("/records", data={"profile": "me"}, files=[("files", (NOTE.name, NOTE.read_bytes()))],
                           follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/records?profile=me")
    html = client.get("/records").text
    assert '<mark id="ev-' in html and 'href="#ev-' in html
    corrected = client.post("/records/correct", data={"profile": "me", "field": "performance_status",
                                                      "value": "KPS:90"})
    assert corrected.status_code == 200 and "corrected by you" in corrected.text and "KPS 90" in corrected.text
    wrong = client.post("/records/correct", data={"profile": "me", "field": "grade", "value": "9"})
    assert wrong.status_code == 422 and "grade must be" in wrong.text
    options = client.get("/options").text
    assert "IMDC" in options and "Karnofsky" in options and "Questions to ask" in options


def test_html_404_is_a_page_and_openapi_is_served(client: TestClient) -> None:
    page = client.get("/no/such/page")
    assert page.status_code == 404 and "text/html" in page.headers["content-type"] and "Page not found" in page.text
    spec = client.get("/openapi.json").json()
    assert "/api/v1/ask" in spec["paths"] and "/api/v1/profiles/{name}/records" in spec["paths"]
    assert client.get("/docs").status_code == 200


def test_summary_without_the_module_is_a_friendly_503_or_a_pdf(client: TestClient) -> None:
    from kidney_navigator.web.app import summary_module

    upload(client, "sum", NOTE)
    page = client.get("/summary", params={"profile": "sum"})
    pdf = client.get("/api/v1/profiles/sum/summary.pdf")
    if summary_module() is None:
        assert page.status_code == 503 and "not available yet" in page.text
        assert pdf.status_code == 503 and pdf.json()["error"]["code"] == "summary_unavailable"
    else:
        assert page.status_code == 200
        assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


EMAIL = ("From: Nadia <n@example.net>\nDate: Sun, 20 Sep 2026 21:47:12 -0700\n\n"
         "I started the Sutent on March 16 like we planned, and the spots in my lungs are smaller.\n")
LETTER = "Metastatic clear cell renal cell carcinoma of the right kidney, seen 2026-03-06.\n"


def _therapies(profile: dict[str, object]) -> list[tuple[object, object]]:
    therapies = profile["therapies"]
    assert isinstance(therapies, list)
    return [(t["drug"], t["start"]) for t in therapies]


def test_an_earlier_upload_naming_no_cancer_is_read_again_when_the_kidney_record_arrives(
        client: TestClient, tmp_path: Path) -> None:
    (tmp_path / "email.txt").write_text(EMAIL)
    (tmp_path / "letter.txt").write_text(LETTER)
    alone = upload(client, "nadia", tmp_path / "email.txt")
    assert _therapies(alone) == []  # on its own a message naming no cancer gives no treatment
    later = upload(client, "nadia", tmp_path / "letter.txt")
    assert _therapies(later) == [("sunitinib", "2026-03-16")]
    # the same profile as uploading both at once
    together = upload(client, "both", tmp_path / "email.txt", tmp_path / "letter.txt")
    assert {k: v for k, v in later.items() if k != "facts"} == {k: v for k, v in together.items() if k != "facts"}
    page = client.get("/records", params={"profile": "nadia"})
    assert page.status_code == 200 and "email.txt" in page.text and "letter.txt" in page.text


def test_an_earlier_upload_naming_another_cancer_stays_out(client: TestClient, tmp_path: Path) -> None:
    (tmp_path / "other.txt").write_text("Metastatic melanoma. She started nivolumab on 2026-03-16.\n")
    (tmp_path / "letter.txt").write_text(LETTER)
    upload(client, "sam", tmp_path / "other.txt")
    assert _therapies(upload(client, "sam", tmp_path / "letter.txt")) == []


def test_a_lab_marked_by_the_lab_shows_its_mark(client: TestClient, tmp_path: Path) -> None:
    (tmp_path / "note.txt").write_text("Clear cell renal cell carcinoma, nephrectomy 05/02/2023.\n"
                                       "Labs 06/08/2023: Hgb 12.1 g/dL (L)   Plt 362 K/uL\n")
    profile = upload(client, "flagged", tmp_path / "note.txt")
    labs = profile["labs"]
    assert isinstance(labs, dict) and labs["hemoglobin"]["flag"] == "low" and labs["platelets"]["flag"] is None
    page = client.get("/records", params={"profile": "flagged"})
    assert "12.1 g/dL (marked low by the lab)" in page.text
