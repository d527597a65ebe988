"""Read a user's file (PDF, HTML, Markdown, plain text) into pages of text, or fail with a clear message."""

from __future__ import annotations

import html
import io
import math
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

MAX_FILE_BYTES = 50 * 1024 * 1024
TEXT_SUFFIXES = {".txt", ".text", ".md", ".markdown"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}


def megabytes(size: int) -> str:
    """A size in MB of 1,048,576 bytes, the unit the limits are set in (MAX_FILE_BYTES is 50 MB, shown as "50 MB"
    and not "52 MB"); one decimal so a file just over the limit does not read as equal to it."""
    value = size / (1024 * 1024)
    if value == int(value) or value >= 100:
        return f"{value:,.0f} MB"
    return f"{math.ceil(value * 10) / 10:,.1f} MB"  # rounded up: 50 MB + 1 byte is "50.1 MB", over a 50 MB limit


class ReadError(Exception):
    """A file could not be read; the message says why and what the person can do."""


@dataclass(frozen=True)
class Page:
    number: int | None  # 1-based page number for paged formats, None otherwise
    text: str


@dataclass(frozen=True)
class Document:
    title: str
    kind: str  # pdf | html | markdown | text
    pages: tuple[Page, ...]


def read_document(path: Path, max_bytes: int = MAX_FILE_BYTES) -> Document:
    """Read one file by its content (not only its name); raise ReadError on anything we cannot use."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ReadError(f"{path}: cannot open the file ({exc.strerror}).") from exc
    if not path.is_file():
        raise ReadError(f"{path}: not a regular file.")
    if size > max_bytes:
        raise ReadError(
            f"{path.name}: the file is {megabytes(size)}; the limit is {megabytes(max_bytes)}. "
            "Split it or add only the pages you need."
        )
    if size == 0:
        raise ReadError(f"{path.name}: the file is empty.")
    data = path.read_bytes()
    suffix = path.suffix.lower()
    if data.startswith(b"%PDF") or suffix == ".pdf":
        return _read_pdf(path.name, data)
    text = _decode_text(path.name, data)
    if suffix in HTML_SUFFIXES or re.match(r"\s*(<!doctype html|<html)", text[:500], re.I):
        return _read_html(path.name, text)
    if suffix in TEXT_SUFFIXES or suffix == "":
        kind = "markdown" if suffix in {".md", ".markdown"} else "text"
        return Document(title=_title_from_text(path, text), kind=kind, pages=(Page(None, text),))
    raise ReadError(
        f"{path.name}: this file type ({suffix}) is not supported. Add PDF, HTML, Markdown (.md) or text (.txt) files."
    )


def _decode_text(name: str, data: bytes) -> str:
    if b"\x00" in data[:8192]:
        raise ReadError(f"{name}: this looks like a binary file, not text. Add PDF, HTML, Markdown or text files.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    sample = text[:20000]
    odd = sum(1 for ch in sample if (ord(ch) < 32 and ch not in "\t\n\r\f") or ch == "\ufffd")
    if sample and odd / len(sample) > 0.02:
        raise ReadError(f"{name}: this looks like a binary file, not text. Add PDF, HTML, Markdown or text files.")
    if not re.search(r"[^\W\d_]{2,}", sample):
        raise ReadError(f"{name}: no readable words were found in this file.")
    return text


def _title_from_text(path: Path, text: str) -> str:
    for line in text.splitlines()[:20]:
        line = line.strip().lstrip("#").strip()
        if 3 <= len(line) <= 120:
            return line
    return path.stem


def _read_pdf(name: str, data: bytes) -> Document:
    import logging

    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # our own message says what went wrong, once

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise ReadError(
                f"{name}: this PDF is password-protected. Open it, save or print an unprotected copy, then add that."
            )
        pages = []
        for number, page in enumerate(reader.pages, start=1):
            pages.append(Page(number, page.extract_text() or ""))
        title = None
        if reader.metadata is not None and reader.metadata.title:
            title = str(reader.metadata.title)
    except ReadError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError,
            OSError, NotImplementedError) as exc:
        raise ReadError(f"{name}: this PDF is damaged or not a real PDF, so it could not be read ({exc}).") from exc
    if not pages:
        raise ReadError(f"{name}: this PDF has no pages.")
    if sum(len(p.text.strip()) for p in pages) < 20:
        raise ReadError(
            f"{name}: this PDF has no text layer (it looks like a scan or photo). Text recognition (OCR) is not "
            "available here: ask for a digital copy, or use a scanner app that makes a searchable PDF."
        )
    return Document(title=title or name, kind="pdf", pages=tuple(pages))


class _TextExtractor(HTMLParser):
    SKIP = {"script", "style", "noscript", "template", "svg", "head"}
    BLOCK = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "section", "article", "td", "th"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.title = ""
        self._skip = 0
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "title":
            self._in_title = True
        if tag in self.SKIP:
            self._skip += 1
        elif tag in self.BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        if tag in self.SKIP and self._skip:
            self._skip -= 1
        elif tag in self.BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data
        elif not self._skip:
            self.parts.append(data)


def _read_html(name: str, text: str) -> Document:
    parser = _TextExtractor()
    parser.feed(text)
    parser.close()
    body = html.unescape(re.sub(r"[ \t]+", " ", "".join(parser.parts)))
    body = re.sub(r"\n\s*\n+", "\n\n", body).strip()
    if len(body) < 20:
        raise ReadError(f"{name}: no readable text was found in this web page.")
    return Document(title=parser.title.strip() or name, kind="html", pages=(Page(None, body),))
