"""VisitSummary -> a standalone HTML page (inline CSS and SVG) and a PDF of it, with no network at all.

Record text is untrusted: the template autoescapes everything, and the SVG is built with escaped text. WeasyPrint
gets a URL fetcher that refuses every URL, so a hostile snippet cannot make the PDF step reach out.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from kidney_navigator.summary.build import VisitSummary
from kidney_navigator.summary.timeline import render_timeline_svg

TEMPLATES = Path(__file__).resolve().parent / "templates"
Paper = Literal["letter", "A4"]

_env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True, undefined=StrictUndefined,
                   trim_blocks=True, lstrip_blocks=True)


def render_summary_html(summary: VisitSummary, paper: Paper = "letter") -> str:
    """A complete HTML document: opens in any browser, prints cleanly, and is the PDF's source."""
    template = _env.get_template("summary.html.j2")
    svg = Markup(render_timeline_svg(summary.timeline))  # noqa: S704 - built from escaped text in timeline.py
    return template.render(s=summary, timeline_svg=svg, paper=paper)


def _refuse(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    raise ValueError(f"the visit summary loads nothing from outside the page (refused {url[:60]!r})")


def render_summary_pdf(summary: VisitSummary, paper: Paper = "letter") -> bytes:
    """The same page as PDF (WeasyPrint), laid out for Letter or A4."""
    from weasyprint import HTML

    pdf: bytes = HTML(string=render_summary_html(summary, paper), base_url=None, url_fetcher=_refuse).write_pdf()
    return pdf
