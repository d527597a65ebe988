"""The visit summary from real record files: evidence, risk, options with sources, timeline, a short real PDF."""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET

import pytest
from pypdf import PdfReader

from kidney_navigator.knowledge.loader import Pack
from kidney_navigator.options.engine import build_options
from kidney_navigator.profile.corrections import parse_correction
from kidney_navigator.profile.models import Profile
from kidney_navigator.safety.triage import directive_violations
from kidney_navigator.summary.build import VisitSummary, build_summary
from kidney_navigator.summary.render import render_summary_html, render_summary_pdf
from kidney_navigator.summary.timeline import render_timeline_svg
from tests.summary.conftest import CASES, profile_from

SUNITINIB_THEN_CABO = "06-portal-sunitinib-then-cabo/visit-note.txt"
THERAPY_SEQUENCE = "38-fhir-therapy-sequence-stop-reasons/bundle.json"
CCDA_INTERMEDIATE = "41-ccda-imdc-intermediate"


@pytest.fixture(scope="module")
def cabo(pack: Pack) -> Profile:
    return profile_from(pack, SUNITINIB_THEN_CABO)


def _summary(profile: Profile, pack: Pack) -> VisitSummary:
    return build_summary(profile, build_options(profile, pack), pack=pack, name="Dad")


def _pdf_text(pdf: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(pdf))
    text = " ".join(page.extract_text() for page in reader.pages)
    return len(reader.pages), " ".join(text.split())


def test_every_fact_has_its_words_and_document(cabo: Profile, pack: Pack) -> None:
    summary = _summary(cabo, pack)
    labels = [row.label for row in summary.facts]
    assert {"Kidney cancer type", "Where it has spread", "Treatment", "Hemoglobin"} <= set(labels)
    for row in summary.facts:
        assert row.evidence, row.label
        assert all(ev.document == "visit-note.txt" and ev.text for ev in row.evidence)
    sunitinib = next(r for r in summary.facts if r.value.startswith("sunitinib"))
    assert "2023-02" in sunitinib.value and "cancer grew" in sunitinib.value


def test_risk_shows_each_factor_value_and_what_is_missing(cabo: Profile, pack: Pack) -> None:
    summary = _summary(cabo, pack)
    assert [r.name for r in summary.risks] == ["IMDC", "MSKCC"]
    hemoglobin = next(r for r in summary.risk_rows if r.label.startswith("hemoglobin"))
    # drawn 2023-12-28, after sunitinib began: today's value is shown, but the pre-treatment factor is not known
    assert "12.8" in hemoglobin.detail and hemoglobin.imdc == "not known" and hemoglobin.mskcc == "not known"
    ldh = next(r for r in summary.risk_rows if r.label.startswith("LDH"))
    assert ldh.imdc is None and ldh.mskcc == "not known"
    assert any("Karnofsky" in m for m in summary.risk_missing)


def test_options_keep_their_why_and_numbered_sources(cabo: Profile, pack: Pack) -> None:
    summary = _summary(cabo, pack)
    numbers = {s.number for s in summary.sources}
    assert summary.options
    for option in summary.options:
        assert option.why and option.sources and set(option.sources) <= numbers
    assert "Cabozantinib (Cabometyx)" in summary.already_had
    assert summary.questions and summary.disclaimer


@pytest.mark.parametrize("paper", ["letter", "A4"])
def test_pdf_is_a_real_pdf_of_at_most_two_pages(cabo: Profile, pack: Pack, paper: str) -> None:
    summary = _summary(cabo, pack)
    pdf = render_summary_pdf(summary, paper)  # type: ignore[arg-type]
    assert pdf.startswith(b"%PDF")
    pages, text = _pdf_text(pdf)
    assert pages <= 2
    assert "IMDC: cannot tell yet" in text
    for option in summary.options:
        assert option.regimen in text, option.regimen


def test_pdf_with_a_known_imdc_group(pack: Pack) -> None:
    case = CCDA_INTERMEDIATE
    files = [f"{case}/{p.name}" for p in sorted((CASES / case).iterdir()) if p.suffix == ".xml"]
    profile = profile_from(pack, *files)
    assert profile.imdc is not None and profile.imdc.group == "intermediate"
    summary = _summary(profile, pack)
    pages, text = _pdf_text(render_summary_pdf(summary, "A4"))
    assert pages <= 2
    assert "IMDC: intermediate" in text
    for option in summary.options:
        assert option.regimen in text


def test_timeline_has_one_bar_per_dated_therapy(pack: Pack) -> None:
    profile = profile_from(pack, THERAPY_SEQUENCE)
    summary = _summary(profile, pack)
    svg = render_timeline_svg(summary.timeline)
    root = ET.fromstring(svg)  # well-formed XML
    bars = [el for el in root.iter("{http://www.w3.org/2000/svg}rect") if el.get("class") == "bar"]
    dated = [t for t in profile.therapies if t.start]
    assert len(dated) >= 3 and len(bars) == len(dated)
    assert {b.get("data-drug") for b in bars} == {bar.label for bar in summary.timeline.bars}
    assert "stopped because of side effects" in svg and "still going" in svg
    assert svg in render_summary_html(summary)


def test_hostile_record_text_is_escaped(cabo: Profile, pack: Pack) -> None:
    hostile = cabo.model_copy(deep=True)
    fact = next(f for f in hostile.facts if f.field == "histology")
    fact.evidence.text = "clear cell <script>alert('x')</script> <img src=http://example.com/x.png>"
    extra = parse_correction("therapies+=<script>evil()</script>:2023-01-01:2023-02-01:other")
    hostile.facts.append(extra)
    hostile.therapies.append(hostile.therapies[0].model_copy(update={"drug": extra.value["drug"],
                                                                     "start": "2023-01-01", "stop": "2023-02-01"}))
    summary = _summary(hostile, pack)
    html = render_summary_html(summary)
    assert "<script" not in html.lower()
    assert "<img" not in html.lower()
    assert "&lt;script&gt;" in html
    assert render_summary_pdf(summary).startswith(b"%PDF")


def test_html_is_standalone_and_never_a_directive(cabo: Profile, pack: Pack) -> None:
    html = render_summary_html(_summary(cabo, pack))
    assert html.lstrip().startswith("<!DOCTYPE html>")
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html)
    assert "<link" not in html and "@import" not in html and "<script" not in html
    text = re.sub(r"<[^>]+>", " ", html)
    assert directive_violations(text, pack) == []


@pytest.mark.parametrize("paper", ["letter", "A4"])
@pytest.mark.parametrize("case", [THERAPY_SEQUENCE, CCDA_INTERMEDIATE, "05-portal-nivo-ipi-imdc-poor/visit-note.txt",
                                  "13-portal-long-treatment-history"])
def test_typical_profiles_fit_two_pages_of_letter_and_a4(pack: Pack, case: str, paper: str) -> None:
    """Letter is 18mm shorter than A4: these used to spill a few sources onto a third Letter page."""
    folder = CASES / case
    files = [f"{case}/{p.name}" for p in sorted(folder.iterdir()) if not p.name.startswith("expected")] \
        if folder.is_dir() else [case]
    summary = _summary(profile_from(pack, *files), pack)
    pages, text = _pdf_text(render_summary_pdf(summary, paper))  # type: ignore[arg-type]
    assert pages == 2, (case, paper, pages)
    assert summary.sources and all(s.label.split(".")[0][:30] in text for s in summary.sources[-2:])


def test_a_treatment_started_after_the_newest_record_is_still_drawn(pack: Pack) -> None:
    """Case 05: nivolumab and ipilimumab start (2024-12) after the newest dated record (2024-11-26)."""
    profile = profile_from(pack, "05-portal-nivo-ipi-imdc-poor/visit-note.txt")
    assert profile.as_of and all(t.start and t.start > profile.as_of for t in profile.therapies)
    timeline = _summary(profile, pack).timeline
    assert timeline.undated == [] and len(timeline.bars) == len(profile.therapies)
    svg = render_timeline_svg(timeline)
    assert "since 2024-12, still going" in svg
    last_tick = re.findall(r'<text x="([\d.]+)"[^>]*text-anchor="(\w+)">(\d{4}-\d{2})</text>', svg)[-1]
    assert last_tick[1] == "end" or float(last_tick[0]) + 25 < 720  # a tick at the edge is not cut off


def test_screen_styles_leave_print_sizes_alone(cabo: Profile, pack: Pack) -> None:
    html = render_summary_html(_summary(cabo, pack))
    screen = html[html.index("@media screen {"):html.index("@media print")]
    paper = html[:html.index("@media screen {")]
    assert "body { padding: 1rem; font-size: 17px;" in screen
    assert "font-size: 10pt;" in paper and "ol.sources { font-size: 7pt;" in paper
