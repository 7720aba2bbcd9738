"""The URL × persona table: what every URL in the URLconf answers every persona, GET and POST.

`test_every_url_has_a_row` walks the URLconf, so a new page without a row fails until someone
decides here who may use it (NetBox's ViewTestCases, in miniature). The Django admin's own
pages keep their own staff gate (tests/inspection/test_admin.py); only its index is here.

Personas, as in tests/conftest.py, with two of this module's own:
- anonymous: not signed in
- off_team: Otto, an inspector on Southshire only
- inspector, lead, editor: Ivy, Lena and Ed, on the Northshire team
- staff: Sam, who may open the admin and holds no permission
- staff_admin: Adam, staff holding inspection.view_all_inspections and inspection.add_inspection
"""

from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest
from django.contrib.auth.models import Permission
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from judgements.framework import forget_frameworks
from judgements.models import Question
from judgements.services import combination_save
from reports.charts.services import chart_bar_create, chart_create
from reports.document.services import PartContent, report_part_add
from reports.models import ExportStatus, PublishedReport, ReportExport
from reports.tables.services import recommendation_add, recommendation_group_add, table_row_add
from tests.factories import UserFactory

# Each cell is (status of a GET, status of a POST with no data).
OK = (200, 200)
SIGN_IN = (302, 302)  # sent to the sign-in page (or, for the admin, the admin's sign-in page)
MOVED = (302, 302)  # sent on somewhere else
HIDDEN = (404, 404)  # not on the team: the inspection does not exist for them
REFUSED = (403, 403)  # signed in, may see the page exists, may not use it
POST_ONLY = (405, 302)  # signing out is a POST, then a redirect to the sign-in page
READ = (200, 405)  # a page or file to read: a POST is refused before anything else
UNSEEN = (404, 405)  # not theirs to see, and a POST is refused as on any page to read
SHOWN_AGAIN = (200, 200)  # a form: a POST with nothing in it shows the form again with errors
SAVED = (200, 302)  # a form that saves nothing from an empty POST and moves on
READ_ONLY = (200, 403)  # may read the page, may not change what it shows
POSTED = (405, 302)  # a POST-only action: done (or refused with a message), then back
ACTION_REFUSED = (405, 403)  # a POST-only action they may not take
ACTION_SHOWN_AGAIN = (405, 200)  # a POST-only form: refused input shows its page with the errors
ACTION_UNSEEN = (405, 404)  # a POST-only action on a case that does not exist for them
AUTOSAVE_REFUSED = (405, 422)  # the autosave, sent no answer: refused with a JSON message
READ_REFUSED = (403, 405)  # a page to read that needs a permission they lack
SIGNED_OUT = (401, 401)  # a page's script asking about a session that has ended: told in JSON

SIGNED_IN = ["off_team", "inspector", "lead", "editor", "staff", "staff_admin"]
PERSONAS = ["anonymous", *SIGNED_IN]


def row(*signed_in: tuple[int, int], anonymous: tuple[int, int] = SIGN_IN) -> dict:
    """One URL's rule: a cell per signed-in persona, in SIGNED_IN's order."""
    assert len(signed_in) == len(SIGNED_IN), "a row needs a cell for every signed-in persona"
    return {"anonymous": anonymous, **dict(zip(SIGNED_IN, signed_in, strict=True))}


# fmt: off
RULES: dict[str, dict[str, tuple[int, int]]] = {
    #                          off_team   inspector  lead       editor     staff      staff_admin
    # The site's root: on to My inspections.
    "home":                row(MOVED,     MOVED,     MOVED,     MOVED,     MOVED,     MOVED),
    # The one page for visitors (a POST without a password shows the form again).
    "login":               row(MOVED,     MOVED,     MOVED,     MOVED,     MOVED,     MOVED,
                               anonymous=OK),
    # Signing out is a POST; a GET could be forged by any link.
    "logout":              row(POST_ONLY, POST_ONLY, POST_ONLY, POST_ONLY, POST_ONLY, POST_ONLY),
    # The session's own state for the timeout warning (a POST stays signed in): anyone's own.
    "session":             row(OK,        OK,        OK,        OK,        OK,        OK,
                               anonymous=SIGNED_OUT),
    # Lists only what each person may see (tests/inspection/test_permissions.py).
    "my-inspections":      row(READ,      READ,      READ,      READ,      READ,      READ),
    # Needs inspection.add_inspection; a 403 (not a 404) tells a team member why.
    "inspection-new":      row(REFUSED,   REFUSED,   REFUSED,   REFUSED,   REFUSED,   OK),
    # Northshire's pages: its team, and whoever may view every inspection.
    "inspection-overview": row(UNSEEN,    READ,      READ,      READ,      UNSEEN,    READ),
    # Moving Northshire from fieldwork on to analysis is the lead's (an administrator with
    # inspection.change_inspection may too); a confirmation posted empty is refused with a
    # message on the overview.
    "inspection-stage-move": row(HIDDEN,  REFUSED,   SAVED,     REFUSED,   HIDDEN,    REFUSED),
    "case-list":           row(UNSEEN,    READ,      READ,      READ,      UNSEEN,    READ),
    "case-detail":         row(UNSEEN,    READ,      READ,      READ,      UNSEEN,    READ),
    "case-history":        row(UNSEEN,    READ,      READ,      READ,      UNSEEN,    READ),
    # Every signed-in person has a My cases page (empty if nothing is theirs).
    "my-cases":            row(READ,      READ,      READ,      READ,      READ,      READ),
    # Scoring a case: its inspector (Ivy) and the lead change it; the rest of the team and
    # whoever may view every inspection read it; the editor never scores.
    "case-descriptors":    row(HIDDEN,    SHOWN_AGAIN, SHOWN_AGAIN, READ_ONLY, HIDDEN, READ_ONLY),
    "case-section":        row(HIDDEN,    SAVED,     SAVED,     READ_ONLY, HIDDEN,    READ_ONLY),
    "case-check":          row(HIDDEN,    SHOWN_AGAIN, SHOWN_AGAIN, READ_ONLY, HIDDEN, READ_ONLY),
    "answer-autosave":     row(ACTION_UNSEEN, AUTOSAVE_REFUSED, AUTOSAVE_REFUSED, ACTION_REFUSED,
                               ACTION_UNSEEN, ACTION_REFUSED),
    # Quality assurance is the lead's: an empty POST is refused with a message on the case.
    "case-review":         row(ACTION_UNSEEN, ACTION_REFUSED, ACTION_SHOWN_AGAIN, ACTION_REFUSED,
                               ACTION_UNSEEN, ACTION_REFUSED),
    # Its data as files, for the same people as its pages.
    "answers-csv":         row(UNSEEN,    READ,      READ,      READ,      UNSEEN,    READ),
    "answers-xlsx":        row(UNSEEN,    READ,      READ,      READ,      UNSEEN,    READ),
    "framework-json":      row(UNSEEN,    READ,      READ,      READ,      UNSEEN,    READ),
    "findings-json":       row(UNSEEN,    READ,      READ,      READ,      UNSEEN,    READ),
    "findings-csv":        row(UNSEEN,    READ,      READ,      READ,      UNSEEN,    READ),
    "findings-xlsx":       row(UNSEEN,    READ,      READ,      READ,      UNSEEN,    READ),
    # The sample profile: read as the inspection's other pages are; the area caseload's shares
    # are entered by the lead and the editor (Capability.EDIT_TABLES): a POST with nothing in
    # it shows the form again.
    "sample-profile":      row(UNSEEN,    READ,      READ,      READ,      UNSEEN,    READ),
    "caseload-proportions": row(HIDDEN,   REFUSED,   SHOWN_AGAIN, SHOWN_AGAIN, HIDDEN, REFUSED),
    # The Appendix 4 charts: read as the inspection's other pages are; only the lead and
    # the editor add, change, remove and reorder charts and bars (an empty POST is refused
    # as a stale form, with a message, or shows the form again).
    "chart-list":          row(UNSEEN,    READ,      READ,      READ,      UNSEEN,    READ),
    "chart-detail":        row(UNSEEN,    READ,      READ,      READ,      UNSEEN,    READ),
    "chart-csv":           row(UNSEEN,    READ,      READ,      READ,      UNSEEN,    READ),
    "chart-new":           row(HIDDEN,    REFUSED,   SHOWN_AGAIN, SHOWN_AGAIN, HIDDEN, REFUSED),
    "chart-change":        row(HIDDEN,    REFUSED,   SHOWN_AGAIN, SHOWN_AGAIN, HIDDEN, REFUSED),
    "chart-remove":        row(HIDDEN,    REFUSED,   SAVED,     SAVED,     HIDDEN,    REFUSED),
    "chart-move":          row(ACTION_UNSEEN, ACTION_REFUSED, POSTED, POSTED, ACTION_UNSEEN,
                               ACTION_REFUSED),
    # Confirming a chart's figures after answers moved them: the lead's and the editor's.
    "chart-confirm":       row(ACTION_UNSEEN, ACTION_REFUSED, POSTED, POSTED, ACTION_UNSEEN,
                               ACTION_REFUSED),
    "chart-bar-new":       row(HIDDEN,    REFUSED,   SHOWN_AGAIN, SHOWN_AGAIN, HIDDEN, REFUSED),
    "chart-bar-change":    row(HIDDEN,    REFUSED,   SHOWN_AGAIN, SHOWN_AGAIN, HIDDEN, REFUSED),
    "chart-bar-remove":    row(ACTION_UNSEEN, ACTION_REFUSED, POSTED, POSTED, ACTION_UNSEEN,
                               ACTION_REFUSED),
    "chart-bar-move":      row(ACTION_UNSEEN, ACTION_REFUSED, POSTED, POSTED, ACTION_UNSEEN,
                               ACTION_REFUSED),
    # The printed report: its preview, PDF exports and published versions are read as the
    # inspection's other pages are; only the lead and the editor (who may publish) start an
    # export or publish one (an empty POST: "choose an export", back to the page).
    "report-preview":      row(UNSEEN,    READ,      READ,      READ,      UNSEEN,    READ),
    "report-export":       row(UNSEEN,    READ,      READ,      READ,      UNSEEN,    READ),
    "report-export-start": row(ACTION_UNSEEN, ACTION_REFUSED, POSTED, POSTED, ACTION_UNSEEN,
                               ACTION_REFUSED),
    "report-export-download": row(UNSEEN, READ,      READ,      READ,      UNSEEN,    READ),
    "report-publish":      row(ACTION_UNSEEN, ACTION_REFUSED, POSTED, POSTED, ACTION_UNSEEN,
                               ACTION_REFUSED),
    "report-published-download": row(UNSEEN, READ,   READ,      READ,      UNSEEN,    READ),
    # Reopening a published report for a correction: the roles that publish it.
    "report-correction-open": row(ACTION_UNSEEN, ACTION_REFUSED, POSTED, POSTED, ACTION_UNSEEN,
                                  ACTION_REFUSED),
    # ---- Enablers and barriers; recommendations (reports/tables/views.py) ----
    # The team and whoever may view every inspection read them; the lead and the editor
    # write them (Capability.EDIT_TABLES): a form posted empty is shown again with its errors,
    # a move without its neighbour and a deletion without its version are refused with a
    # message (stale, never an overwrite), then back to the page.
    "enablers-barriers":   row(UNSEEN,    READ,      READ,      READ,      UNSEEN,    READ),
    "table-row-add":       row(HIDDEN,    REFUSED,   SHOWN_AGAIN, SHOWN_AGAIN, HIDDEN, REFUSED),
    "table-row-edit":      row(HIDDEN,    REFUSED,   SHOWN_AGAIN, SHOWN_AGAIN, HIDDEN, REFUSED),
    "table-row-move":      row(ACTION_UNSEEN, ACTION_REFUSED, POSTED, POSTED, ACTION_UNSEEN,
                               ACTION_REFUSED),
    "table-row-delete":    row(HIDDEN,    REFUSED,   SAVED,     SAVED,     HIDDEN,    REFUSED),
    # The report as a document: the team reads its outline (the index and each chapter's page)
    # and the changed figures; the lead and the editor add, edit, move, remove and confirm
    # parts (an empty POST to an edit is refused as stale and shown again; to a move under
    # another part, shown again asking where; to a removal, refused with a message and sent
    # back).
    "report-outline":      row(UNSEEN,    READ,      READ,      READ,      UNSEEN,    READ),
    "report-chapter":      row(UNSEEN,    READ,      READ,      READ,      UNSEEN,    READ),
    "report-figures":      row(UNSEEN,    READ,      READ,      READ,      UNSEEN,    READ),
    "report-front-edit":   row(HIDDEN,    REFUSED,   SHOWN_AGAIN, SHOWN_AGAIN, HIDDEN, REFUSED),
    "report-part-add":     row(HIDDEN,    REFUSED,   SHOWN_AGAIN, SHOWN_AGAIN, HIDDEN, REFUSED),
    "report-part-edit":    row(HIDDEN,    REFUSED,   SHOWN_AGAIN, SHOWN_AGAIN, HIDDEN, REFUSED),
    "report-part-move":    row(ACTION_UNSEEN, ACTION_REFUSED, POSTED, POSTED, ACTION_UNSEEN,
                               ACTION_REFUSED),
    "report-part-move-to": row(ACTION_UNSEEN, ACTION_REFUSED, ACTION_SHOWN_AGAIN,
                               ACTION_SHOWN_AGAIN, ACTION_UNSEEN, ACTION_REFUSED),
    "report-part-remove":  row(HIDDEN,    REFUSED,   SAVED,     SAVED,     HIDDEN,    REFUSED),
    "report-part-confirm": row(ACTION_UNSEEN, ACTION_REFUSED, POSTED, POSTED, ACTION_UNSEEN,
                               ACTION_REFUSED),
    "recommendations":     row(UNSEEN,    READ,      READ,      READ,      UNSEEN,    READ),
    "recommendation-group-add": row(HIDDEN, REFUSED, SHOWN_AGAIN, SHOWN_AGAIN, HIDDEN, REFUSED),
    "recommendation-group-edit": row(HIDDEN, REFUSED, SHOWN_AGAIN, SHOWN_AGAIN, HIDDEN, REFUSED),
    "recommendation-group-move": row(ACTION_UNSEEN, ACTION_REFUSED, POSTED, POSTED,
                                     ACTION_UNSEEN, ACTION_REFUSED),
    "recommendation-group-delete": row(HIDDEN, REFUSED, SAVED, SAVED,    HIDDEN,    REFUSED),
    "recommendation-add":  row(HIDDEN,    REFUSED,   SHOWN_AGAIN, SHOWN_AGAIN, HIDDEN, REFUSED),
    "recommendation-edit": row(HIDDEN,    REFUSED,   SHOWN_AGAIN, SHOWN_AGAIN, HIDDEN, REFUSED),
    "recommendation-move": row(ACTION_UNSEEN, ACTION_REFUSED, POSTED, POSTED, ACTION_UNSEEN,
                               ACTION_REFUSED),
    "recommendation-delete": row(HIDDEN,  REFUSED,   SAVED,     SAVED,     HIDDEN,    REFUSED),
    # ---- The findings pages (judgements/findings_views.py) ----
    # Read as the inspection's other pages are: its team and whoever may view every inspection.
    "findings":            row(UNSEEN,    READ,      READ,      READ,      UNSEEN,    READ),
    "findings-domain":     row(UNSEEN,    READ,      READ,      READ,      UNSEEN,    READ),
    "findings-by-descriptor": row(UNSEEN, READ,      READ,      READ,      UNSEEN,    READ),
    "finding-cases":       row(UNSEEN,    READ,      READ,      READ,      UNSEEN,    READ),
    # The combinations the lead names (judgements/combination_views.py): read by the team,
    # written by the lead and the editor, as the report's tables are.
    "combinations":        row(UNSEEN,    READ,      READ,      READ,      UNSEEN,    READ),
    "combination-cases":   row(UNSEEN,    READ,      READ,      READ,      UNSEEN,    READ),
    "combination-add":     row(HIDDEN,    REFUSED,   SHOWN_AGAIN, SHOWN_AGAIN, HIDDEN, REFUSED),
    "combination-change":  row(HIDDEN,    REFUSED,   SAVED,     SAVED,     HIDDEN,    REFUSED),
    "combination-remove":  row(HIDDEN,    REFUSED,   SAVED,     SAVED,     HIDDEN,    REFUSED),
    # A domain's findings beside the national figure: the report's writers, the lead and the
    # editor, and whoever may view every inspection (Capability.COMPARE); an inspector on the
    # team is told why not (a 403), the others do not see Northshire at all.
    "findings-compare":    row(UNSEEN,    READ_REFUSED, READ,   READ,      UNSEEN,    READ),
    # Several inspections, each beside the national figure or added together: only for
    # whoever may view every inspection (a 403 tells the others why; it names no inspection).
    "findings-national":   row(READ_REFUSED, READ_REFUSED, READ_REFUSED, READ_REFUSED,
                               READ_REFUSED, READ),
    # The Django admin: staff only; the others go to its own sign-in page.
    "admin:index":         row(SIGN_IN,   SIGN_IN,   SIGN_IN,   SIGN_IN,   OK,        OK),
    # Everyone's own password (a POST with nothing in it shows the form again with errors);
    # the admin's own change-password address leads to the same page.
    "password_change":     row(SHOWN_AGAIN, SHOWN_AGAIN, SHOWN_AGAIN, SHOWN_AGAIN, SHOWN_AGAIN,
                               SHOWN_AGAIN),
    "password_change_done": row(READ,     READ,      READ,      READ,      READ,      READ),
    "admin-password-change": row(MOVED,   MOVED,     MOVED,     MOVED,     MOVED,     MOVED),
}
# fmt: on

# The values of URL parameters, from the personas' data in tests/conftest.py (and the ids of
# the rows `report_tables` makes, given at run time).
URL_KWARGS = {
    "slug": "northshire",
    "case_ref": "NS-001",
    "section": "rr-assessment",
    "table": "pp-crc",
    "column": "barriers",
    "descriptor": "gender",
    "domain": "pp",
    "question": "PP-D8a",
    "stage": "analysis",
}
# URL parameters naming a row by its id: the fixture that makes the row on Northshire.
URL_ROWS = {
    "chart_id": "northshire_chart",
    "bar_id": "northshire_chart_bar",
    "export_id": "northshire_export",
    "version": "northshire_published_version",
    "part_id": "northshire_part",
    "code": "northshire_combination",
}


def url_patterns(patterns=None, namespace: str | None = None):
    """(name, pattern) for every URL in the URLconf; of the admin's own, only its index."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            yield from url_patterns(pattern.url_patterns, pattern.namespace or namespace)
        elif namespace == "admin":
            if pattern.name == "index":
                yield "admin:index", pattern
        elif pattern.callback.__module__.startswith(
            ("django.views.static", "django.contrib.staticfiles")
        ):
            continue
        else:
            yield (f"{namespace}:{pattern.name}" if namespace else pattern.name), pattern


def url_for(name: str, pattern: URLPattern, request=None, ids: dict | None = None) -> str:
    values = {**URL_KWARGS, **(ids or {})}
    parameters = list(pattern.pattern.regex.groupindex)
    unknown = [p for p in parameters if p not in values and p not in URL_ROWS]
    assert not unknown, f"Add a value for {unknown} to URL_KWARGS in {__name__}"
    kwargs = {
        parameter: values[parameter]
        if parameter in values
        else request.getfixturevalue(URL_ROWS[parameter]).pk
        for parameter in parameters
    }
    return reverse(name, kwargs=kwargs)


URLS = dict(url_patterns())


@pytest.fixture
def staff(db):
    return UserFactory(username="sam", is_staff=True)


@pytest.fixture
def staff_admin(db):
    user = UserFactory(username="adam", is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label="inspection",
            codename__in=["view_all_inspections", "add_inspection"],
        )
    )
    return user


@pytest.fixture
def off_team(other_inspector):
    return other_inspector


@pytest.fixture
def northshire_chart(inspection):
    return chart_create(inspection=inspection, title="Public protection", by=None)


@pytest.fixture
def northshire_chart_bar(northshire_chart):
    return chart_bar_create(
        chart=northshire_chart, question_code="PP-D8a", label="Responsible officer", by=None
    )


@pytest.fixture
def northshire_combination(inspection):
    """A combination of Northshire's, named by its code (`pk` here, as url_for asks)."""
    combination = combination_save(
        inspection=inspection,
        by=None,
        code="victims",
        name="Known victims or children",
        question=Question.objects.get(framework=inspection.framework, code="PP-A3"),
        parts=["known_victims", "children"],
    )
    return SimpleNamespace(pk=combination.code)


@pytest.fixture
def northshire_export(inspection):
    return ReportExport.objects.create(
        inspection=inspection, status=ExportStatus.DONE, pdf=b"%PDF-1.7", pages=1, checksum="0"
    )


@pytest.fixture
def northshire_part(inspection):
    return report_part_add(
        inspection=inspection, kind="foreword", content=PartContent(body="Words."), by=None
    )


@pytest.fixture
def northshire_published_version(inspection, northshire_export):
    """Version 1 of Northshire's report, made directly: publishing through the service would
    freeze Northshire and change every other row of the table. Its `pk` is the version, as
    url_for asks a row for its `pk`."""
    PublishedReport.objects.create(
        inspection=inspection, version=1, export=northshire_export, pdf=b"%PDF-1.7", pages=1
    )
    return SimpleNamespace(pk=1)


@pytest.fixture
def report_tables(inspection) -> dict:
    """A barrier, a group and a recommendation of Northshire's report, for the URLs that name
    them by id."""
    barrier = table_row_add(
        inspection=inspection,
        domain="PP",
        perspective="CRC",
        column="barrier",
        text="A barrier",
        by=None,
    )
    table_row_add(
        inspection=inspection, domain="PP", perspective="CRC", column="barrier", text="B", by=None
    )
    group = recommendation_group_add(inspection=inspection, addressee="The CRC", by=None)
    recommendation = recommendation_add(group=group, text="act", by=None)
    return {"row_id": barrier.pk, "group_id": group.pk, "recommendation_id": recommendation.pk}


def test_every_url_has_a_row():
    unnamed = [str(pattern.pattern) for name, pattern in URLS.items() if name is None]
    assert not unnamed, f"Name these URL patterns so the table can have a row: {unnamed}"
    missing = sorted(set(URLS) - set(RULES))
    assert not missing, f"Add a row to RULES in tests/test_url_permissions.py for {missing}"
    assert sorted(set(RULES) - set(URLS)) == [], "RULES has rows for URLs that no longer exist"


def test_the_walk_skips_the_admins_own_pages_but_not_its_index():
    admin_names = [name for name in URLS if name.startswith("admin:")]
    assert admin_names == ["admin:index"]
    assert {"login", "case-detail", "findings-csv"} <= set(URLS)


def persona_asks(url: str, user) -> tuple[object, object]:
    """A GET and an empty POST of the URL by one persona (None: not signed in), from a client
    of their own, in a savepoint rolled back after: what a persona's POST changed is gone
    before the next asks, as if each had the data to themselves."""
    with transaction.atomic():
        cache.clear()
        forget_frameworks()
        client = Client()
        if user is not None:
            client.force_login(user)
        got, posted = client.get(url), client.post(url)
        transaction.set_rollback(True)
    cache.clear()
    return got, posted


def header_problems(persona: str, got, posted) -> list[str]:
    problems = []
    for response in (got, posted):
        if persona != "anonymous":
            # No browser or proxy keeps what a signed-in person is sent (inspection/middleware.py).
            if "no-store" not in response.get("Cache-Control", ""):
                problems.append(f"{persona}: no Cache-Control no-store")
        elif response.status_code == 302:
            sign_in_pages = {reverse("login"), reverse("admin:login")}
            if urlsplit(response.url).path not in sign_in_pages:
                problems.append(f"{persona}: sent to {response.url}, not a sign-in page")
    return problems


@pytest.mark.parametrize("url_name", sorted(RULES))
def test_each_persona_gets_what_the_table_says(url_name, case, report_tables, request):
    """Every persona of the URL's row, each from the same data (a row's data is made once for
    its seven personas: making it a persona at a time was most of this table's time)."""
    url = url_for(url_name, URLS[url_name], request, report_tables)
    users = {persona: request.getfixturevalue(persona) for persona in SIGNED_IN}
    wrong, problems = {}, []
    for persona in PERSONAS:
        got, posted = persona_asks(url, users.get(persona))
        statuses = (got.status_code, posted.status_code)
        if statuses != RULES[url_name][persona]:
            wrong[persona] = f"GET {got.status_code}, POST {posted.status_code}"
        problems += header_problems(persona, got, posted)
    assert not wrong, f"{url_name} ({url}) against its row of the table: {wrong}"
    assert not problems, f"{url_name} ({url}): {problems}"
