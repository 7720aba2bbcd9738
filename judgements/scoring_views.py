"""The inspector's scoring pages: a section of a case's questions, its autosave, the check
before submitting, and the case's history. Thin: the sheet (judgements.scoring) lays the
questions out, the services (judgements.services) save, refuse and review."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from cases.descriptors import descriptor_rows
from cases.forms import CaseDescriptorsForm
from cases.models import Case, CaseStatus
from cases.permissions import get_case_for_user
from inspection.permissions import Capability, user_can
from judgements.models import Answer
from judgements.scoring import ScoringSheet, Section, Slot, parse_slot_key, scoring_sheet
from judgements.services import (
    AnswerEntry,
    AnswerRefused,
    AnswersNotSaved,
    answer_writer_refusal,
    answers_save,
    case_change,
    case_change_clears,
    case_status_change,
)


def can_answer(user, case: Case) -> bool:
    """Whether this person may change the case's answers now (the page offers inputs)."""
    return (
        user_can(user, case.inspection, Capability.ANSWER)
        and answer_writer_refusal(user, case) is None
        and case.status != CaseStatus.QUALITY_ASSURED
    )


def _case_to_answer(request: HttpRequest, slug: str, case_ref: str) -> Case:
    case = get_case_for_user(request.user, slug, case_ref, Capability.ANSWER)
    refusal = answer_writer_refusal(request.user, case)
    if refusal:
        raise PermissionDenied(refusal)
    return case


def section_url(case: Case, section: Section | None) -> str:
    if section is None:
        return reverse("case-check", args=[case.inspection.slug, case.case_ref])
    return reverse("case-section", args=[case.inspection.slug, case.case_ref, section.slug])


def _entries(section: Section, data) -> list[AnswerEntry]:
    """What the form sent for each slot (a slot it did not send is left). A slot the section
    no longer shows is read too: a page built before its gate shut still sends it, and the
    service names it as not saved rather than letting it vanish."""
    entries = []
    for slot in section.slots:
        key = slot.key
        if f"v-{key}" not in data:
            continue
        try:
            version = int(data.get(f"v-{key}", "0"))
        except ValueError:
            version = -1  # not a version this page made: a conflict, never an overwrite
        entries.append(
            AnswerEntry(
                question=slot.question,
                item=slot.item,
                value=data.get(f"a-{key}", ""),
                note=data.get(f"n-{key}", "").replace("\r\n", "\n"),
                version=version,
                keep_theirs=data.get(f"r-{key}") == "theirs",
            )
        )
    return entries


def _show_refusal(section: Section, entries: list[AnswerEntry], refusal: AnswersNotSaved) -> None:
    """Put what the person typed back in the page, with each error and conflict beside it."""
    typed = {entry.key: entry for entry in entries}
    for slot in section.slots:
        key = (slot.question.id, slot.item.id if slot.item else None)
        entry = typed.get(key)
        if entry is not None:
            slot.typed = (entry.value, entry.note, entry.version)
        slot.error = refusal.errors.get(key, "")
        if key in refusal.conflicts:
            slot.conflict, slot.theirs = True, refusal.conflicts[key]


@require_http_methods(["GET", "HEAD", "POST"])
def case_section(request: HttpRequest, slug: str, case_ref: str, section: str) -> HttpResponse:
    if request.method == "POST":
        case = _case_to_answer(request, slug, case_ref)
    else:
        case = get_case_for_user(request.user, slug, case_ref)
    sheet = scoring_sheet(case)
    current = sheet.section(section)
    if current is None:
        raise Http404("No such section")
    context: dict = {}
    if request.method == "POST":
        saved = _section_post(request, case, sheet, current, context)
        if saved is not None:
            return saved
    previous, following = sheet.neighbours(current)
    context |= {
        "inspection": case.inspection,
        "case": case,
        "sheet": sheet,
        "section": current,
        "previous": previous,
        "next_url": section_url(case, following),
        "editable": can_answer(request.user, case),
        "conflicts": [slot for slot in current.slots if slot.conflict],
        "errors": [slot for slot in current.slots if slot.error],
    }
    return render(request, "judgements/case_section.html", context)


def _section_post(request, case: Case, sheet: ScoringSheet, section: Section, context: dict):
    """Save the section; a redirect on success, None to show the page again with why not."""
    entries = _entries(section, request.POST)
    opened_before = {slot.key for slot in section.slots if slot.is_open}
    try:
        saved = answers_save(
            case=case,
            entries=entries,
            user=request.user,
            confirm_clear=request.POST.get("confirm_clear") == "1",
        )
    except AnswerRefused as refusal:  # the case was quality assured or published meanwhile
        messages.error(request, refusal.messages[0])
        return redirect(section_url(case, section))
    except AnswersNotSaved as refusal:
        _show_refusal(section, entries, refusal)
        context["would_clear"] = refusal.would_clear
        return None
    if saved.cleared:
        messages.info(
            request,
            f"Answers cleared because their question no longer applies: "
            f"{', '.join(saved.cleared)}.",
        )
    # One sheet for both: neighbours() finds the section by identity, so a section that asks
    # nothing of the case (listed only because it is the one open) must come from its sheet.
    fresh_sheet = scoring_sheet(case)
    fresh = fresh_sheet.section(section.slug)
    opened = [slot for slot in fresh.slots if slot.is_open and slot.key not in opened_before]
    if opened:
        # Without JavaScript, the questions an answer opened are on this page: show them.
        messages.info(
            request,
            f"Your answers opened {len(opened)} more question{'s' if len(opened) != 1 else ''} "
            "on this page: answer them, then save and continue.",
        )
        return redirect(f"{section_url(case, section)}#slot-{opened[0].key}")
    messages.success(request, f"{section.heading}: saved.")
    _previous, following = fresh_sheet.neighbours(fresh)
    return redirect(section_url(case, following))


def _theirs(answer: Answer | None) -> dict | None:
    if answer is None:
        return None
    by = answer.answered_by
    return {
        "value": answer.value,
        "label": answer.display_value,
        "note": answer.note,
        "version": answer.version,
        "by": (by.get_full_name() or by.username) if by else "an import",
        "at": answer.answered_at.isoformat(),
    }


@require_POST
def answer_autosave(request: HttpRequest, slug: str, case_ref: str) -> JsonResponse:
    """Save one answer as the person types (the page's script posts here; the same form
    fields as the section's "Save and continue"). JSON in every case, never a redirect."""
    try:
        case = _case_to_answer(request, slug, case_ref)
    except PermissionDenied as denied:
        return JsonResponse({"state": "refused", "message": str(denied)}, status=403)
    parsed = parse_slot_key(request.POST.get("key", ""))
    sheet = scoring_sheet(case)
    slot: Slot | None = sheet.slots().get(request.POST.get("key", "")) if parsed else None
    if slot is None:
        return JsonResponse(
            {"state": "refused", "message": "This question is not asked of this case."},
            status=422,
        )
    section = Section(slug="", domain=slot.question.domain, title="", questions=[], slots=[slot])
    slot.gated_here = True  # a slot in the page is sent whatever its gate says
    entries = _entries(section, request.POST)
    try:
        saved = answers_save(
            case=case,
            entries=entries,
            user=request.user,
            confirm_clear=request.POST.get("confirm_clear") == "1",
        )
    except AnswerRefused as refusal:
        return JsonResponse({"state": "refused", "message": refusal.messages[0]}, status=422)
    except AnswersNotSaved as refusal:
        if refusal.conflicts:
            theirs = next(iter(refusal.conflicts.values()))
            return JsonResponse({"state": "conflict", "theirs": _theirs(theirs)}, status=409)
        if refusal.would_clear:
            return JsonResponse(
                {"state": "confirm-clear", "would_clear": refusal.would_clear}, status=409
            )
        key, message = next(iter(refusal.errors.items()))
        if key in refusal.not_asked:
            state = "not-asked"
        elif "choose an answer" in message:
            state = "needs-answer"
        else:
            state = "refused"
        return JsonResponse({"state": state, "message": message}, status=422)
    answer = saved.answers.get((slot.question.id, slot.item.id if slot.item else None))
    fresh = scoring_sheet(case)
    return JsonResponse(
        {
            "state": "saved",
            "version": answer.version if answer else 0,
            "value": answer.value if answer else "",
            "cleared": saved.cleared,
            "cleared_keys": [f"{q}-{i or 0}" for q, i in saved.cleared_keys],
            "answered": fresh.answered,
            "asked": fresh.asked,
        }
    )


@require_http_methods(["GET", "HEAD", "POST"])
def case_check(request: HttpRequest, slug: str, case_ref: str) -> HttpResponse:
    """Check your answers: every open question left unanswered, then submit."""
    case = get_case_for_user(request.user, slug, case_ref)
    errors: dict[str, str] = {}
    comment = ""
    if request.method == "POST":
        case = _case_to_answer(request, slug, case_ref)
        comment = request.POST.get("comment", "")
        try:
            case_status_change(
                case=case,
                to_status=CaseStatus.SUBMITTED,
                by=request.user,
                comment=comment,
                expected_version=_int(request.POST.get("version")),
            )
        except ValidationError as error:
            errors = _field_errors(error)
        else:
            messages.success(request, f"Case {case.case_ref} submitted to the lead inspector.")
            return redirect(case.get_absolute_url())
    sheet = scoring_sheet(case)
    context = {
        "inspection": case.inspection,
        "case": case,
        "sheet": sheet,
        "sections": [section for section in sheet.sections if section.unanswered],
        "can_submit": can_answer(request.user, case)
        and case.status in (CaseStatus.NOT_STARTED, CaseStatus.IN_PROGRESS, CaseStatus.RETURNED),
        "errors": errors,
        "comment": comment,
    }
    return render(request, "judgements/case_check.html", context)


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _field_errors(error: ValidationError) -> dict[str, str]:
    if hasattr(error, "error_dict"):
        return {name: messages_[0] for name, messages_ in error.message_dict.items()}
    return {"status": error.messages[0]}


@require_POST
def case_review(request: HttpRequest, slug: str, case_ref: str) -> HttpResponse:
    """The lead inspector's review: return the case with a comment, mark it quality assured,
    or reopen a quality-assured case."""
    case = get_case_for_user(request.user, slug, case_ref, Capability.REVIEW)
    to_status = request.POST.get("to_status", "")
    try:
        case_status_change(
            case=case,
            to_status=to_status,
            by=request.user,
            comment=request.POST.get("comment", ""),
            expected_version=_int(request.POST.get("version")),
        )
    except ValidationError as error:
        for message in _field_errors(error).values():
            messages.error(request, message)
        return redirect(f"{case.get_absolute_url()}#review")
    done = {
        CaseStatus.RETURNED: "returned to the inspector with your comment",
        CaseStatus.QUALITY_ASSURED: "marked as quality assured",
    }
    messages.success(request, f"Case {case.case_ref} {done.get(to_status, 'updated')}.")
    return redirect(case.get_absolute_url())


@require_http_methods(["GET", "HEAD", "POST"])
def case_descriptors(request: HttpRequest, slug: str, case_ref: str) -> HttpResponse:
    """The case's descriptors, first of its pages. A change that shuts gates is confirmed
    first, with the answers it will clear named."""
    if request.method != "POST":
        case = get_case_for_user(request.user, slug, case_ref)
        form = CaseDescriptorsForm(case=case)
        return _descriptors_page(request, case, form)
    case = _case_to_answer(request, slug, case_ref)
    form = CaseDescriptorsForm(request.POST, case=case)
    if not form.is_valid():
        return _descriptors_page(request, case, form)
    changes = form.changes()
    clears = case_change_clears(case, changes)
    if clears and request.POST.get("confirm_clear") != "1":
        return _descriptors_page(request, case, form, would_clear=clears)
    try:
        _changed, cleared = case_change(
            case=case,
            changes=changes,
            by=request.user,
            expected_version=form.cleaned_data["version"],
        )
    except ValidationError as error:
        for name, message in _field_errors(error).items():
            form.add_error(name if name in form.fields else None, message)
        return _descriptors_page(request, case, form)
    message = "Case descriptors saved."
    if cleared:
        message += f" Answers cleared because they no longer apply: {', '.join(cleared)}."
    messages.success(request, message)
    first = next((s for s in scoring_sheet(case).sections if s.shown), None)
    return redirect(section_url(case, first))


def _descriptors_page(request, case: Case, form, would_clear=()) -> HttpResponse:
    context = {
        "inspection": case.inspection,
        "case": case,
        "sheet": scoring_sheet(case),
        "form": form,
        "editable": can_answer(request.user, case),
        "would_clear": list(would_clear),
        "descriptors": descriptor_rows(case),
    }
    return render(request, "judgements/case_descriptors.html", context)
