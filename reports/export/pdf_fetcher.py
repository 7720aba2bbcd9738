"""The only way WeasyPrint may load anything while it makes a report PDF.

Editor-written prose reaches the PDF, so an `<img src>` or a stylesheet `url()` in it must not
become a request from the server: `file:///etc/passwd`, the cloud metadata address or
`http://localhost:8000/admin/` would be read with the server's rights and printed. This fetcher
loads only the app's own static files, read from disk through the staticfiles finders (never
over HTTP), and `data:` URIs (which fetch nothing); everything else is refused, and every
refused URL is remembered so the export can say what it left out and where. Every static file
it read is remembered too: it is part of what the PDF prints (reports/export/pdf.py
`printed_fingerprint`).
"""

import base64
import mimetypes
import posixpath
from urllib.parse import unquote, unquote_to_bytes, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from weasyprint.urls import URLFetcher, URLFetcherResponse

# The documents are rendered with this base URL, so "/static/css/report-print.css" resolves to
# an address of this origin. `.invalid` is reserved (RFC 2606): it names no real host, so a
# URL of this origin can only have come from our own templates' relative links.
REPORT_ORIGIN = "https://report.invalid"
BASE_URL = f"{REPORT_ORIGIN}/"


class RefusedURL(ValueError):
    """A URL the report may not load. WeasyPrint catches it, leaves the resource out and
    carries on; the fetcher has noted the URL by then."""


class StaticOnlyFetcher(URLFetcher):
    """A WeasyPrint URL fetcher for the app's static files and `data:` URIs only; `refused`
    lists, in order, every URL it would not load, and `read` every static file it loaded."""

    def __init__(self) -> None:
        super().__init__(allowed_protocols=(), allow_redirects=False)
        self.refused: list[str] = []
        self.read: list[str] = []

    def fetch(self, url: str, headers=None) -> URLFetcherResponse:
        try:
            if url.startswith("data:"):
                return _data_response(url)
            response = _static_response(url)
        except RefusedURL:
            self.refused.append(url)
            raise
        self.read.append(url)
        return response


def _data_response(url: str) -> URLFetcherResponse:
    """`data:[<media type>][;base64],<data>` decoded here, as the fetcher opens no handler."""
    header, comma, payload = url[len("data:") :].partition(",")
    if not comma:
        raise RefusedURL(f"malformed data: URI {url[:60]}")
    media_type, _, options = header.partition(";")
    try:
        body = (
            base64.b64decode(unquote(payload), validate=True)
            if options.endswith("base64")
            else unquote_to_bytes(payload)
        )
    except ValueError:
        raise RefusedURL(f"malformed data: URI {url[:60]}") from None
    return URLFetcherResponse(url, body, {"Content-Type": media_type or "text/plain"})


def static_path(url: str) -> str | None:
    """The static file's path (relative to STATIC_URL) that `url` names, or None when it
    names anything else: another scheme or host, a query, a path outside static, or `..`."""
    parts = urlsplit(url)
    if f"{parts.scheme}://{parts.netloc}" != REPORT_ORIGIN or parts.query or parts.username:
        return None
    prefix = "/" + settings.STATIC_URL.strip("/") + "/"
    path = unquote(parts.path)
    if not path.startswith(prefix) or "\\" in path or "\x00" in path:
        return None
    relative = path[len(prefix) :]
    if not relative or posixpath.normpath(relative) != relative or relative.startswith(".."):
        return None
    return relative


def static_file(url: str) -> bytes:
    """The bytes of the static file `url` names, read from disk; RefusedURL for any other URL
    or a file that is not there."""
    relative = static_path(url)
    if relative is None:
        raise RefusedURL(f"not one of the app's static files: {url}")
    found = finders.find(relative)
    if not found:
        raise RefusedURL(f"no static file {relative}")
    with open(found, "rb") as opened:
        return opened.read()


def _static_response(url: str) -> URLFetcherResponse:
    body = static_file(url)
    content_type = mimetypes.guess_type(static_path(url))[0] or "application/octet-stream"
    return URLFetcherResponse(url, body, {"Content-Type": content_type})
