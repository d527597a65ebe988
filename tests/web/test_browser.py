"""End-to-end in Debian's Chromium against the live app: the flows people use, axe-core on every page at phone
and desktop widths, keyboard use, and screenshots for a human look (test-artifacts/screenshots/)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from urllib.parse import quote

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from kidney_navigator.web.app import summary_module
from tests.web.conftest import AXE, CASES, SCREENSHOTS, LiveServer, sync_studies

WIDTHS = {390: 844, 1280: 900}
RECORD = CASES / "05-portal-nivo-ipi-imdc-poor" / "visit-note.txt"
CCDA = CASES / "41-ccda-imdc-intermediate" / "ccd.xml"


@pytest.fixture(scope="module")
def context(browser: Browser) -> Iterator[BrowserContext]:
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    yield ctx
    ctx.close()


@pytest.fixture
def page(context: BrowserContext) -> Iterator[Page]:
    p = context.new_page()
    yield p
    p.close()


def ask(page: Page, server: LiveServer, question: str) -> None:
    page.goto(server.url + "/")
    page.get_by_label("Your question").fill(question)
    page.keyboard.press("Enter")
    page.wait_for_url("**/?*q=*")


def test_ask_and_open_a_citation(page: Page, live_server: LiveServer) -> None:
    ask(page, live_server, "What does IMDC intermediate mean?")
    expect(page.get_by_role("heading", name="Short answer")).to_be_visible()
    page.locator("a.cite").first.click()
    assert page.url.endswith("#src-1")
    source = page.locator("#src-1")
    expect(source).to_be_in_viewport()
    expect(source.locator("details")).to_have_attribute("open", "")
    expect(source).to_contain_text("Checked 20")
    follow_up = page.locator(".related a").first
    expect(follow_up).to_be_visible()
    question = follow_up.inner_text()
    follow_up.click()
    expect(page.get_by_label("Your question")).to_have_value(question)


def test_red_flag_question_shows_the_urgent_banner_first(page: Page, live_server: LiveServer) -> None:
    ask(page, live_server, "my legs suddenly went weak and numb")
    banner = page.locator("main [role=alert]")
    expect(banner).to_be_visible()
    expect(banner).to_contain_text("Get help now")
    first = page.evaluate("document.querySelector('main article > section').className")
    assert first == "urgent"


def test_skip_link_and_visible_focus(page: Page, live_server: LiveServer) -> None:
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    focused = page.evaluate("[document.activeElement.textContent, getComputedStyle(document.activeElement)"
                            ".outlineStyle, document.activeElement.getBoundingClientRect().top]")
    assert focused[0] == "Skip to main content" and focused[1] == "solid" and focused[2] >= 0
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def _options_text(page: Page, server: LiveServer, profile: str) -> str:
    page.goto(f"{server.url}/options?profile={profile}")
    return page.locator("#options-heading + *, .option").all_inner_texts().__str__() + page.locator(
        ".setting").inner_text()


def test_upload_a_record_correct_a_fact_and_options_change(page: Page, live_server: LiveServer) -> None:
    profile = "walter"
    page.goto(f"{live_server.url}/records?profile={profile}")
    page.set_input_files("#files", str(RECORD))
    expect(page.locator("#file-names")).to_contain_text("visit-note.txt")  # the script is running
    page.get_by_role("button", name="Upload and read").click()
    page.wait_for_url("**saved=upload**")
    expect(page.locator("#row-histology .value")).to_contain_text("clear cell")
    # the evidence link jumps to the highlighted words in the document text
    link = page.locator("#row-histology .evidence a").first
    link.click()
    target = page.locator("mark:target")
    expect(target).to_be_in_viewport()
    assert "clear cell" in target.inner_text().lower()
    before = _options_text(page, live_server, profile)
    assert "clear cell" in before

    page.goto(f"{live_server.url}/records?profile={profile}")
    page.select_option("#v-histology", "papillary")
    page.locator("#row-histology").get_by_role("button", name="Save").click()
    page.wait_for_url("**saved=histology**")
    expect(page.locator("#row-histology .value")).to_contain_text("papillary")
    expect(page.locator("#row-histology .tag")).to_have_text("corrected by you")
    after = _options_text(page, live_server, profile)
    assert "papillary" in after and after != before


def test_upload_works_without_javascript(browser: Browser, live_server: LiveServer) -> None:
    ctx = browser.new_context(java_script_enabled=False)
    page = ctx.new_page()
    try:
        page.goto(f"{live_server.url}/records?profile=nojs")
        page.set_input_files("#files", str(CASES / "35-fhir-imdc-favourable" / "bundle.json"))
        page.get_by_role("button", name="Upload and read").click()
        page.wait_for_url("**saved=upload**")
        expect(page.locator(".saved")).to_contain_text("read and saved")
        assert page.locator("mark").count() > 0
    finally:
        ctx.close()


def test_unreadable_upload_shows_a_friendly_error_in_place(page: Page, live_server: LiveServer) -> None:
    page.goto(f"{live_server.url}/records?profile=badfile")
    page.set_input_files("#files", files=[{"name": "photo.exe", "mimeType": "application/octet-stream",
                                           "buffer": b"MZ\x00\x01"}])
    page.get_by_role("button", name="Upload and read").click()
    expect(page.locator("#page-error")).to_contain_text("not supported")
    expect(page.locator("#page-error")).to_be_focused()


@pytest.mark.skipif(summary_module() is None, reason="kidney_navigator.summary is not available yet")
def test_download_the_visit_summary_pdf(page: Page, live_server: LiveServer) -> None:
    profile = "pdfcase"
    page.goto(f"{live_server.url}/records?profile={profile}")
    page.set_input_files("#files", str(RECORD))
    page.get_by_role("button", name="Upload and read").click()
    page.wait_for_url("**saved=upload**")
    page.goto(f"{live_server.url}/summary?profile={profile}")
    with page.expect_download() as info:
        page.get_by_role("link", name="Download the PDF").click()
    path = info.value.path()
    assert path is not None and path.read_bytes().startswith(b"%PDF")


@pytest.fixture(scope="module")
def stored_trials(live_server: LiveServer) -> None:
    """ClinicalTrials.gov studies in the live app's database, synced (through the real client) three days ago."""
    sync_studies(live_server.data_dir, dt.date.today() - dt.timedelta(days=3))


def upload_record(page: Page, server: LiveServer, profile: str, record: str) -> None:
    page.goto(f"{server.url}/records?profile={profile}")
    page.set_input_files("#files", record)
    page.get_by_role("button", name="Upload and read").click()
    page.wait_for_url("**saved=upload**")


def test_find_trials_near_a_zip_and_read_a_studys_criteria(page: Page, live_server: LiveServer,
                                                           stored_trials: None) -> None:
    upload_record(page, live_server, "trialcase", str(CCDA))
    page.get_by_role("link", name="Clinical trials").click()
    expect(page.get_by_role("heading", name="Clinical trials")).to_be_visible()
    expect(page.locator(".data-age")).to_contain_text("(3 days ago)")
    expect(page.get_by_label("Distance in miles")).to_have_value("300")
    page.get_by_label("ZIP code or city").fill("31774")
    page.get_by_role("button", name="Find studies").click()
    page.wait_for_url("**location=31774**")
    expect(page.locator("#results-heading")).to_contain_text("within 300 miles of Ocilla, GA 31774")
    first = page.locator("article.trial").first
    expect(first.locator(".badge")).to_have_text("May fit")
    expect(first.locator(".site")).to_contain_text("miles away")
    criteria = first.locator("details.criteria")
    items = criteria.locator("li.crit")
    expect(items.first).to_be_hidden()  # folded until asked for
    criteria.locator("summary").click()
    expect(criteria).to_have_attribute("open", "")
    expect(items.first).to_be_visible()
    labels = set(criteria.locator(".crit-status").all_inner_texts())
    assert labels and labels <= {"✓ Fits", "✗ Does not fit", "? Not known from your records"}, labels
    link = first.get_by_role("link", name="Full study on ClinicalTrials.gov")
    nct = first.get_attribute("id")
    assert link.get_attribute("href") == f"https://clinicaltrials.gov/study/{nct}"
    # studies that likely do not fit are there, folded away, each with its statuses in words
    more = page.locator("details.more")
    more.locator("> summary").click()
    unlikely = more.locator("article.trial").first
    expect(unlikely.locator(".badge")).to_have_text("Likely does not fit")
    unlikely.locator("details.criteria > summary").click()
    expect(unlikely.locator(".crit-not_met .crit-status").first).to_have_text("✗ Does not fit")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "trials-flow-1280.png"), full_page=True)
    # an unknown place is said in words, next to the field, and the entry is kept for correcting
    page.get_by_label("ZIP code or city").fill("Atlantis, ZZ")
    page.get_by_role("button", name="Find studies").click()
    expect(page.get_by_role("alert")).to_contain_text("We could not find")
    expect(page.get_by_label("ZIP code or city")).to_have_value("Atlantis, ZZ")


def test_ask_with_my_records_ticked(page: Page, live_server: LiveServer) -> None:
    upload_record(page, live_server, "askcase", str(RECORD))
    page.goto(f"{live_server.url}/?profile=askcase")
    box = page.get_by_label("Use my records (profile “askcase”)")
    expect(box).not_to_be_checked()
    box.check()
    page.get_by_label("Your question").fill("what are my treatment options?")
    page.get_by_role("button", name="Ask").click()
    page.wait_for_url("**personal=1**")
    expect(page.locator(".personal-note")).to_contain_text("Personalised with your records")
    expect(page.get_by_role("heading", name="For you: what your records show")).to_be_visible()
    expect(page.get_by_label("Use my records (profile “askcase”)")).to_be_checked()


# Every page, in the states people see them; a saved profile is made first so records/options/summary have content.
PAGES = {
    "ask": "/",
    "ask-answer": "/?q=" + quote("What does IMDC intermediate mean?"),
    "ask-urgent": "/?q=" + quote("my legs suddenly went weak and numb"),
    "records-empty": "/records?profile=nobody",
    "records": "/records?profile=axe",
    "options": "/options?profile=axe",
    "options-no-profile": "/options?profile=nobody",
    "ask-personal": "/?profile=axe&personal=1&q=" + quote("what are my treatment options?"),
    "trials": "/trials?profile=axe&location=31774",
    "trials-form": "/trials?profile=axe",
    "trials-no-profile": "/trials?profile=nobody",
    "summary": "/summary?profile=axe",
    "summary-print": "/summary/print?profile=axe",
    "about": "/about",
    "not-found": "/no/such/page",
}


@pytest.fixture(scope="module")
def axe_profile(live_server: LiveServer) -> None:
    import httpx

    with open(RECORD, "rb") as fh:
        response = httpx.post(f"{live_server.url}/api/v1/profiles/axe/records",
                              files=[("files", ("visit-note.txt", fh, "text/plain"))])
    assert response.status_code == 201, response.text
    httpx.post(f"{live_server.url}/api/v1/profiles/axe/corrections", json={"corrections": ["grade=3"]})


@pytest.mark.parametrize("width", list(WIDTHS))
def test_every_page_passes_axe_and_fits(browser: Browser, live_server: LiveServer, axe_profile: None,
                                        stored_trials: None, width: int) -> None:
    """Zero serious or critical axe violations, no horizontal scrolling, body text >= 16px; screenshots saved."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    ctx = browser.new_context(viewport={"width": width, "height": WIDTHS[width]})
    page = ctx.new_page()
    problems: dict[str, list[str]] = {}
    try:
        for name, path in PAGES.items():
            page.goto(live_server.url + path)
            page.add_script_tag(path=str(AXE))
            result = page.evaluate("async () => JSON.stringify(await axe.run(document, {resultTypes: ['violations']}))")
            violations = [v for v in json.loads(result)["violations"] if v["impact"] in ("serious", "critical")]
            found = [f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}" for v in violations]
            overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
            if overflow > 0:
                found.append(f"horizontal overflow {overflow}px")
            body_px = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
            if body_px < 16:
                found.append(f"body font {body_px}px")
            if page.locator("html[lang]").count() != 1 or page.locator("main").count() != 1:
                found.append("missing lang or main landmark")
            if found:
                problems[name] = found
            page.screenshot(path=str(SCREENSHOTS / f"{name}-{width}.png"), full_page=True)
    finally:
        ctx.close()
    assert not problems, problems
