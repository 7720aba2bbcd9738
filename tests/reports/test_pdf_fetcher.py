"""The report PDF loads only the app's own static files: anything an editor points at
elsewhere (a local file, another host, a private address, the app's own pages) is refused,
never fetched, and named in the export."""

import pytest
import weasyprint

from reports.export.pdf_fetcher import BASE_URL, RefusedURL, StaticOnlyFetcher

REFUSED = [
    "file:///etc/passwd",
    "file:///work/main/db.sqlite3",
    "http://169.254.169.254/latest/meta-data/",
    "http://localhost:8000/admin/",
    "http://127.0.0.1:8000/static/css/app.css",
    "http://10.0.0.1/static/css/app.css",
    "https://example.com/static/css/app.css",
    "ftp://example.com/file",
    f"{BASE_URL}admin/",
    f"{BASE_URL}inspections/durham/report/preview/",
    f"{BASE_URL}static/../inspection/settings.py",
    f"{BASE_URL}static/%2e%2e/inspection/settings.py",
    f"{BASE_URL}static/css/../../manage.py",
    f"{BASE_URL}static/css/app.css?x=1",
    f"{BASE_URL}static/no-such-file.css",
    "https://user@report.invalid/static/css/app.css",
    "https://report.invalid:8443/static/css/app.css",
]


@pytest.mark.parametrize("url", REFUSED)
def test_the_fetcher_refuses_anything_but_the_apps_static_files_and_notes_it(url):
    fetcher = StaticOnlyFetcher()
    with pytest.raises(RefusedURL):
        fetcher.fetch(url)
    assert fetcher.refused == [url]


def test_the_fetcher_reads_a_static_file_from_disk():
    fetcher = StaticOnlyFetcher()
    response = fetcher.fetch(f"{BASE_URL}static/css/report-print.css")
    assert b"@page" in response.read()
    assert response.content_type == "text/css"
    assert fetcher.refused == []


def test_the_fetcher_decodes_data_uris_without_fetching_anything():
    fetcher = StaticOnlyFetcher()
    assert fetcher.fetch("data:text/plain;base64,aGVsbG8=").read() == b"hello"
    assert fetcher.fetch("data:image/svg+xml,%3Csvg%2F%3E").read() == b"<svg/>"


def test_weasyprint_leaves_out_a_refused_image_and_stylesheet_and_the_fetcher_names_them():
    fetcher = StaticOnlyFetcher()
    html = (
        '<link rel="stylesheet" href="http://localhost:8000/admin/">'
        '<p>Before</p><img src="file:///etc/passwd" alt="secret">'
        '<p style="background: url(http://169.254.169.254/)">After</p>'
    )
    pdf = weasyprint.HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher).write_pdf()
    assert pdf.startswith(b"%PDF")
    assert set(fetcher.refused) == {
        "http://localhost:8000/admin/",
        "file:///etc/passwd",
        "http://169.254.169.254/",
    }
    assert b"root:" not in pdf
