"""The report as a PDF: the same HTML as the preview page, typeset by WeasyPrint.

`report_html` is the one document both the preview (reports/export/print_views.py) and the PDF
print: built by reports/document/compose.py, laid out by templates/reports/print/, styled by
static/css/report-print.css (paged media: cover, contents with page numbers, running footer,
footnotes, bookmarks). `render_report_pdf` returns bytes, as an export should; the export job,
the command and the benchmark all call it.

The PDF is tagged (PDF/UA-1), so a screen reader reads it in document order, its charts are
images with their SVG's title and description as alternative text, and each table cell is tied
to its headers (reports/export/pdf_tables.py completes WeasyPrint's tagging of them). It says
which version of the report it is, on its copyright page and in its metadata
(reports/export/version_mark.py). WeasyPrint loads nothing but the app's own static files
(reports/export/pdf_fetcher.py); what it refused is returned, for the export page to show.

What a PDF prints is known without typesetting it again: `printed_fingerprint` hashes the HTML
WeasyPrint was given and every static file it read (the stylesheet). The same HTML and the same
files make the same PDF, so an export is current exactly while the report's HTML and those
files hash as they did when it was made; a write that prints nothing (a stage move, a figure
confirmed, an evidence note) leaves it current.
"""

import base64
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, replace

import weasyprint
from django.template.loader import render_to_string

from inspection.models import Inspection
from reports.document.compose import Document, OutlineEntry, build_document
from reports.export.pdf_fetcher import BASE_URL, RefusedURL, StaticOnlyFetcher, static_file
from reports.export.pdf_tables import associate_table_headers
from reports.export.version_mark import VersionMark, version_mark

AUTHOR = "HM Inspectorate of Probation"
LANGUAGE = "en-GB"
# Presentational hints: WeasyPrint then honours `<li value>`, so recommendations keep their
# numbers running on across addressee groups (4 to 8 under the CRC) as the report prints them.
PDF_OPTIONS = {"pdf_variant": "pdf/ua-1", "pdf_tags": True, "presentational_hints": True}


@dataclass(frozen=True)
class PdfResult:
    pdf: bytes
    refused_urls: list[str]
    pages: int
    # What it prints (printed_fingerprint) and the static files that went into it.
    fingerprint: str
    static_files: list[str]
    # The version the PDF says it is (reports/export/version_mark.py), when made from a report.
    version: int | None = None


def printed_fingerprint(html: str, static_files: Sequence[str]) -> str:
    """A SHA-256 of what a PDF prints: its HTML and the static files it read, each by its URL
    and its bytes as they are on disk now (a file no longer there hashes as missing)."""
    digest = hashlib.sha256(html.encode())
    for url in sorted(set(static_files)):
        try:
            body = hashlib.sha256(static_file(url)).hexdigest()
        except RefusedURL:
            body = "missing"
        digest.update(f"\n{url} {body}".encode())
    return digest.hexdigest()


def svg_data_uri(svg: str) -> str:
    """A chart's SVG as an image address: an `<img>` keeps its alt text in the tagged PDF
    (WeasyPrint tags it as a Figure with /Alt), where an inline `<svg>` would be artwork."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode("ascii")


@dataclass(frozen=True)
class ContentsEntry:
    entry: OutlineEntry
    children: list[OutlineEntry]


def contents_of(document: Document) -> list[ContentsEntry]:
    """The outline as the contents page nests it: each section under its chapter."""
    contents: list[ContentsEntry] = []
    for entry in document.outline():
        if entry.level > 1 and contents:
            contents[-1].children.append(entry)
        else:
            contents.append(ContentsEntry(entry, []))
    return contents


def document_html(
    document: Document, *, version: VersionMark | None = None, screen: bool = False
) -> str:
    """The document's HTML, with the version it goes out as on its copyright page and in its
    metadata. `screen` (the preview page) links the stylesheet by its static URL, adds a bar
    of links back to the app and draws the charts inline."""
    return render_to_string(
        "reports/print/document.html",
        {
            "document": document,
            "contents": contents_of(document),
            "version": version,
            "author": AUTHOR,
            "language": LANGUAGE,
            "screen": screen,
        },
    )


def report_html(inspection: Inspection, *, screen: bool = False) -> str:
    return document_html(
        build_document(inspection), version=version_mark(inspection), screen=screen
    )


def html_to_pdf(html: str) -> PdfResult:
    """Typeset finished HTML: WeasyPrint's own work, which the benchmark times on its own."""
    fetcher = StaticOnlyFetcher()
    rendered = weasyprint.HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher).render(
        **PDF_OPTIONS
    )
    pdf = associate_table_headers(rendered.write_pdf(**PDF_OPTIONS))
    static_files = list(dict.fromkeys(fetcher.read))
    return PdfResult(
        pdf=pdf,
        refused_urls=list(dict.fromkeys(fetcher.refused)),
        pages=len(rendered.pages),
        fingerprint=printed_fingerprint(html, static_files),
        static_files=static_files,
    )


def render_report_pdf(inspection: Inspection) -> PdfResult:
    """The report's PDF, marked with the version it goes out as. Its fingerprint is of the
    report without the mark (which holds the day it was made): what decides whether it is
    current is what the report prints, and the version number, which publishing checks."""
    document = build_document(inspection)
    version = version_mark(inspection)
    result = html_to_pdf(document_html(document, version=version))
    unmarked = printed_fingerprint(document_html(document), result.static_files)
    return replace(result, version=version.number, fingerprint=unmarked)
