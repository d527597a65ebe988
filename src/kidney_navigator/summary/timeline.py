"""Timeline -> inline SVG, drawn here so the page needs no chart library, script or network.

Treatments are bars on a date axis (one row each, start to stop; an arrow when still going), with the stop reason
written under the bar (words, not colour alone). Diagnosis and kidney surgery are dashed vertical markers.
"""

from __future__ import annotations

import datetime as dt
from html import escape

from kidney_navigator.summary.build import Timeline

WIDTH = 720
LABEL_W = 190
RIGHT_PAD = 14
TOP = 36  # room for two staggered rows of marker labels
ROW_H = 36
AXIS_H = 28
BAR_H = 16
INK = "#111111"
BAR = "#1f4e79"
ONGOING = "#2e75b6"
MARKER = "#8a3b00"
GRID = "#c8c8c8"
FONT = "Liberation Sans, DejaVu Sans, Arial, sans-serif"
MAX_LABEL = 26
CHAR_W = 6.2


def _date(value: str) -> dt.date:
    return dt.date.fromisoformat(value)


def _ticks(first: dt.date, last: dt.date) -> list[tuple[dt.date, str]]:
    """Yearly ticks for long spans, quarterly for short ones, so labels never crowd."""
    span = (last - first).days
    if span <= 800:
        out = []
        year, mon = first.year, ((first.month - 1) // 3) * 3 + 1
        while True:
            day = dt.date(year, mon, 1)
            if day > last:
                break
            if day >= first:
                out.append((day, f"{year}-{mon:02d}"))
            mon += 3
            if mon > 12:
                year, mon = year + 1, mon - 12
        return out
    step = 1 if span <= 12 * 366 else 2
    return [(dt.date(y, 1, 1), str(y)) for y in range(first.year + 1, last.year + 1, step)]


def _short(text: str) -> str:
    return text if len(text) <= MAX_LABEL else text[: MAX_LABEL - 1] + "\u2026"


def render_timeline_svg(timeline: Timeline) -> str:
    """A complete <svg> element (escaped text, no external references); empty string when nothing is dated."""
    dates = [_date(b.start) for b in timeline.bars] + [_date(b.end) for b in timeline.bars]
    dates += [_date(m.date) for m in timeline.markers]
    if not timeline.bars and not timeline.markers:
        return ""
    first, last = min(dates), max(dates)
    pad = max(dt.timedelta(days=30), (last - first) * 0.03)
    first, last = first - pad, last + pad
    x0, x1 = LABEL_W, WIDTH - RIGHT_PAD
    total = max(1, (last - first).days)

    def x(day: dt.date) -> float:
        return round(x0 + (x1 - x0) * (day - first).days / total, 1)

    rows = max(1, len(timeline.bars))
    plot_bottom = TOP + rows * ROW_H + 6  # the last caption sits above the axis line
    height = plot_bottom + AXIS_H
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="timeline" role="img" viewBox="0 0 {WIDTH} {height}" '
           f'width="100%" font-family="{FONT}" aria-label="Treatment timeline">',
           '<title>Treatment timeline from your records</title>',
           '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="5" markerHeight="5" '
           f'orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="{ONGOING}"/></marker></defs>']
    for day, label in _ticks(first, last):
        tx = x(day)
        out.append(f'<line x1="{tx}" y1="{TOP - 4}" x2="{tx}" y2="{plot_bottom}" stroke="{GRID}" stroke-width="1"/>')
        # A tick near the right edge ends at its line, so a label like 2025-01 is not cut off.
        anchor = "end" if tx + CHAR_W * len(label) / 2 > WIDTH - 2 else "middle"
        out.append(f'<text x="{tx}" y="{plot_bottom + 18}" font-size="12" fill="{INK}" '
                   f'text-anchor="{anchor}">{escape(label)}</text>')
    out.append(f'<line x1="{x0}" y1="{plot_bottom}" x2="{x1}" y2="{plot_bottom}" stroke="{INK}" stroke-width="1.2"/>')
    last_x: list[float] = [-1e9, -1e9]
    for marker in sorted(timeline.markers, key=lambda m: m.date):
        mx = x(_date(marker.date))
        level = 0 if mx - last_x[0] > 120 else 1
        last_x[level] = mx
        ty = 13 if level == 0 else 28
        anchor = "end" if mx > x1 - 90 else "start"
        out.append(f'<g class="marker" data-label="{escape(marker.label)}">'
                   f'<line x1="{mx}" y1="{ty + 3}" x2="{mx}" y2="{plot_bottom}" stroke="{MARKER}" '
                   'stroke-width="1.5" stroke-dasharray="5 3"/>'
                   f'<text x="{mx + (3 if anchor == "start" else -3)}" y="{ty}" font-size="12" fill="{MARKER}" '
                   f'text-anchor="{anchor}" font-weight="bold">{escape(marker.label)} '
                   f'{escape(marker.date[:7])}</text></g>')
    for i, bar in enumerate(timeline.bars):
        top = TOP + i * ROW_H
        bx0, bx1 = x(_date(bar.start)), x(_date(bar.end))
        bx1 = max(bx1, bx0 + 4)
        fill = ONGOING if bar.ongoing else BAR
        out.append(f'<text x="6" y="{top + 15}" font-size="13" font-weight="bold" fill="{INK}">'
                   f'{escape(_short(bar.label))}</text>')
        out.append(f'<rect class="bar" data-drug="{escape(bar.label)}" x="{bx0}" y="{top + 3}" '
                   f'width="{round(bx1 - bx0, 1)}" height="{BAR_H}" rx="2" fill="{fill}"/>')
        if bar.ongoing:
            out.append(f'<line x1="{bx1}" y1="{top + 3 + BAR_H / 2}" x2="{min(bx1 + 12, x1 + 8)}" '
                       f'y2="{top + 3 + BAR_H / 2}" stroke="{ONGOING}" stroke-width="3" marker-end="url(#arrow)"/>')
        else:
            out.append(f'<line x1="{bx1}" y1="{top}" x2="{bx1}" y2="{top + BAR_H + 6}" stroke="{INK}" '
                       'stroke-width="2"/>')
        span = f"{bar.start[:7]} to {bar.stop[:7]}" if bar.stop else f"since {bar.start[:7]}, still going"
        caption = span + (f" \u00b7 {bar.stop_reason}" if bar.stop_reason else "")
        # Start under the bar; slide left when the words would run off the right edge (about 6 px a character).
        cx = round(max(6.0, min(bx0, WIDTH - 4 - CHAR_W * len(caption))), 1)
        out.append(f'<text x="{cx}" y="{top + BAR_H + 18}" font-size="11.5" fill="{INK}">{escape(caption)}</text>')
    out.append("</svg>")
    return "\n".join(out)
