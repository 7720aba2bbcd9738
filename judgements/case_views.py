"""The case pages: they show answers and progress, so they live in the judgements layer."""

from dataclasses import dataclass
from html import escape as html_escape

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import F, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST, require_safe

from cases.descriptors import descriptor_rows
from cases.forms import CaseFilterForm, MyCasesFilterForm
from cases.models import Case, CaseStatus, RoshLevel, SentenceType, case_work_rank
from cases.permissions import get_case_for_user
from inspection.lib.forms import int_or_none
from inspection.models import Inspection, InspectionStatus, Role
from inspection.permissions import (
    Capability,
    get_inspection_for_user,
    inspections_for_user,
    user_can,
)
from judgements.framework import inspection_framework
from judgements.history import case_changes
from judgements.progress import (
    KEPT_PROGRESS_FIELDS,
    case_progress,
    listed_progress,
    progress_fields,
)
from judgements.scoring import scoring_sheet
from judgements.scoring_views import (
    can_answer,
    field_errors,
    read_only_notice,
    scoring_start_url,
)
from judgements.services import case_status_change, case_status_moves_for

# The GOV.UK tag colour of each case status (templates/includes/status_tag.html for one tag).
STATUS_TAG_CLASSES = {
    CaseStatus.NOT_STARTED: "govuk-tag--grey",
    CaseStatus.IN_PROGRESS: "govuk-tag--light-blue",
    CaseStatus.SUBMITTED: "govuk-tag--blue",
    CaseStatus.RETURNED: "govuk-tag--orange",
    CaseStatus.QUALITY_ASSURED: "govuk-tag--green",
}


@dataclass(frozen=True)
class CaseRow:
    """One line of the case list, in the words it prints: built from plain values, so 150
    cases cost neither 150 model instances nor 150 lookups in the template."""

    case_ref: str
    url: str
    organisation: str
    sentence: str
    rosh: str
    inspector: str
    answered: int
    asked: int
    status_label: str
    status_class: str


def _case_rows(inspection, cases, progress) -> list[CaseRow]:
    # A case's page is its reference under the list's address (references are URL-safe).
    prefix = reverse("case-list", args=[inspection.slug])
    sentences, rosh = dict(SentenceType.choices), dict(RoshLevel.choices)
    statuses = dict(CaseStatus.choices)
    rows = []
    for case in cases:
        first, last, username = case["first_name"], case["last_name"], case["username"]
        counts = progress.get(case["id"])
        rows.append(
            CaseRow(
                case_ref=case["case_ref"],
                url=f"{prefix}{case['case_ref']}/",
                organisation=case["organisation"],
                sentence=sentences.get(case["sentence_type"], case["sentence_type"]),
                rosh=rosh.get(case["rosh_level"], case["rosh_level"]),
                inspector=f"{first} {last}".strip() or username or "Not assigned",
                answered=counts.answered if counts else 0,
                asked=counts.asked if counts else 0,
                status_label=statuses.get(case["status"], case["status"]),
                status_class=STATUS_TAG_CLASSES.get(case["status"], "govuk-tag--blue"),
            )
        )
    return rows


# One line of the case list's table. Written here, not as a template loop: 150 rows of a
# template cost more than everything else on the page (benchmarks/case_list.py); this is the
# same markup, each value escaped (case_rows_html).
CASE_ROW_HTML = (
    '<tr class="govuk-table__row">'
    '<th scope="row" class="govuk-table__header app-nowrap" data-label="Case">'
    '<a class="govuk-link" href="{}">{}</a></th>'
    '<td class="govuk-table__cell" data-label="Organisation">{}</td>'
    '<td class="govuk-table__cell" data-label="Sentence">{}</td>'
    '<td class="govuk-table__cell" data-label="RoSH">{}</td>'
    '<td class="govuk-table__cell" data-label="Inspector">{}</td>'
    '<td class="govuk-table__cell app-progress" data-label="Progress">{} of {}'
    '<span class="govuk-visually-hidden"> questions answered</span></td>'
    '<td class="govuk-table__cell" data-label="Status">'
    '<strong class="govuk-tag {}">{}</strong></td></tr>\n'
)


def case_rows_html(rows: list[CaseRow]) -> str:
    """The rows, each value escaped as format_html escapes it (Django's `escape` is the
    standard library's `html.escape` of the value as text) but each distinct value once:
    most of a list's 1,500 values are the same few organisations, labels and names."""
    escaped: dict = {}

    def text(value) -> str:
        if value not in escaped:
            escaped[value] = html_escape(str(value))
        return escaped[value]

    return mark_safe(
        "".join(
            CASE_ROW_HTML.format(
                text(row.url),
                text(row.case_ref),
                text(row.organisation),
                text(row.sentence),
                text(row.rosh),
                text(row.inspector),
                row.answered,
                row.asked,
                text(row.status_class),
                text(row.status_label),
            )
            for row in rows
        )
    )


@require_safe
def case_list(request: HttpRequest, slug: str) -> HttpResponse:
    inspection = get_inspection_for_user(request.user, slug)
    inspectors = (
        get_user_model()
        .objects.filter(memberships__inspection=inspection)
        .order_by("first_name", "username")
    )
    form = CaseFilterForm(request.GET or None, inspectors=inspectors)
    # Each case's "answered of asked" comes with it: what its answers need, kept by the
    # answer services as they write (judgements.progress.listed_progress).
    framework = inspection_framework(inspection)
    cases = list(
        form.filter(inspection.cases.all()).values(
            # A set: the fields the gates read may be among those the rows show.
            *{*progress_fields(framework), "case_ref", "sentence_type"} | {"rosh_level", "status"},
            first_name=F("assigned_inspector__first_name"),
            last_name=F("assigned_inspector__last_name"),
            username=F("assigned_inspector__username"),
            **KEPT_PROGRESS_FIELDS,
        )
    )
    rows = _case_rows(inspection, cases, listed_progress(framework, cases))
    context = {
        "inspection": inspection,
        "form": form,
        "rows": rows,
        "rows_html": case_rows_html(rows),
        "total": inspection.cases.count() if form.has_changed() else len(rows),
    }
    return render(request, "cases/case_list.html", context)


@require_safe
def case_detail(request: HttpRequest, slug: str, case_ref: str) -> HttpResponse:
    """A case's home: its status and what the lead said, its sections with their progress,
    what to do next (score, submit, review) and every answer, read-only."""
    return _case_page(request, get_case_for_user(request.user, slug, case_ref))


# Where each of the review's errors is shown and what the error summary links to.
REVIEW_ERROR_PLACES = {"review_comment": "review-comment-input", "status": "review-actions"}


def _case_page(
    request: HttpRequest, case: Case, *, review_errors: dict | None = None, comment: str = ""
) -> HttpResponse:
    sheet = scoring_sheet(case)
    previous, following = neighbouring_cases(request.user, case)
    moves = (
        case_status_moves_for(request.user, case)
        if user_can(request.user, case.inspection, Capability.REVIEW)
        else []
    )
    review_errors = review_errors or {}
    context = {
        "inspection": case.inspection,
        "case": case,
        "sheet": sheet,
        "descriptors": descriptor_rows(case),
        "editable": can_answer(request.user, case),
        "read_only_notice": read_only_notice(request.user, case),
        "next_url": scoring_start_url(case, sheet),
        "review_moves": [move for move in moves if move != CaseStatus.SUBMITTED],
        "review_errors": review_errors,
        "review_comment": comment,
        "error_summary": [
            (REVIEW_ERROR_PLACES.get(name, "review-actions"), message)
            for name, message in review_errors.items()
        ],
        "previous_case": previous,
        "next_case": following,
    }
    return render(request, "cases/case_detail.html", context)


@require_POST
def case_review(request: HttpRequest, slug: str, case_ref: str) -> HttpResponse:
    """The lead inspector's review: return the case with a comment, mark it quality assured,
    or reopen a quality-assured case. A refused review shows the case again, the errors in
    the error summary and beside the comment or the buttons, and the comment as typed."""
    case = get_case_for_user(request.user, slug, case_ref, Capability.REVIEW)
    to_status = request.POST.get("to_status", "")
    comment = request.POST.get("comment", "")
    try:
        case_status_change(
            case=case,
            to_status=to_status,
            by=request.user,
            comment=comment,
            expected_version=int_or_none(request.POST.get("version")),
        )
    except ValidationError as error:
        case = get_case_for_user(request.user, slug, case_ref)  # as it stands now
        return _case_page(request, case, review_errors=field_errors(error), comment=comment)
    done = {
        CaseStatus.RETURNED: "returned to the inspector with your comment",
        CaseStatus.QUALITY_ASSURED: "marked as quality assured",
    }
    messages.success(request, f"Case {case.case_ref} {done.get(to_status, 'updated')}.")
    return redirect(case.get_absolute_url())


def neighbouring_cases(user, case: Case) -> tuple[str | None, str | None]:
    """The references of the previous and next case: among the person's own cases in the
    inspection if they have any assigned, otherwise among all its cases (one query)."""
    rows = list(
        Case.objects.filter(inspection_id=case.inspection_id)
        .order_by("organisation", "case_ref")
        .values_list("case_ref", "assigned_inspector_id")
    )
    refs = [ref for ref, inspector in rows if inspector == user.pk] or [ref for ref, _ in rows]
    if case.case_ref not in refs:
        return None, None
    index = refs.index(case.case_ref)
    previous = refs[index - 1] if index > 0 else None
    following = refs[index + 1] if index + 1 < len(refs) else None
    return previous, following


@require_safe
def case_history(request: HttpRequest, slug: str, case_ref: str) -> HttpResponse:
    """Every change to the case and its answers: who, when, and what it was before."""
    case = get_case_for_user(request.user, slug, case_ref)
    context = {"inspection": case.inspection, "case": case, "changes": case_changes(case)}
    return render(request, "judgements/case_history.html", context)


@require_safe
def my_cases(request: HttpRequest) -> HttpResponse:
    """The cases assigned to me and, for a lead inspector, every case of the inspections they
    lead (published inspections are done with), the cases waiting for me first
    (cases.models.case_work_rank), filtered by inspection and status."""
    user = request.user
    led = set(
        inspections_for_user(user)
        .filter(team__user=user, team__role=Role.LEAD_INSPECTOR)
        .values_list("pk", flat=True)
    )
    all_mine = (
        Case.objects.filter(Q(assigned_inspector=user) | Q(inspection__in=led))
        .exclude(inspection__status=InspectionStatus.PUBLISHED)
        .distinct()
    )
    inspections = Inspection.objects.filter(
        pk__in=all_mine.order_by().values("inspection_id")
    ).order_by("title")
    form = MyCasesFilterForm(request.GET or None, inspections=inspections)
    cases = list(
        form.filter(all_mine).select_related("inspection", "assigned_inspector", "kept_progress")
    )
    for case in cases:
        case.for_my_review = case.inspection_id in led and case.status == CaseStatus.SUBMITTED
    cases.sort(
        key=lambda case: (
            case_work_rank(
                case.status,
                reviews=case.inspection_id in led,
                assigned=case.assigned_inspector_id == user.pk,
            ),
            case.inspection.title,
            case.organisation,
            case.case_ref,
        )
    )
    progress = cases_progress(cases)
    context = {
        "form": form,
        "cases": [(case, progress[case.id]) for case in cases],
        "total": all_mine.count() if form.has_changed() else len(cases),
        "filtered": form.has_changed(),
    }
    return render(request, "judgements/my_cases.html", context)


def cases_progress(cases: list[Case]) -> dict:
    """case_progress for cases of several inspections (a query set per inspection)."""
    by_inspection: dict[int, list[Case]] = {}
    for case in cases:
        by_inspection.setdefault(case.inspection_id, []).append(case)
    progress = {}
    for group in by_inspection.values():
        progress |= case_progress(group)
    return progress
