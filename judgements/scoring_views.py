"""The inspector's scoring pages: a section of a case's questions, its autosave, the check
before submitting, and the case's history. Thin: the sheet (judgements.scoring) lays the
questions out, the services (judgements.services) save, refuse and review."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.dateformat import format as date_format
from django.utils.timezone import localtime
from django.views.decorators.http import require_http_methods, require_POST

from cases.descriptors import descriptor_rows, descriptor_summary, unset_required_descriptors
from cases.forms import CaseDescriptorsForm
from cases.models import Case, CaseStatus
from cases.permissions import get_case_for_user
from inspection.kept_posts import keeps_post_when_signed_out, kept_post_take
from inspection.lib.forms import int_or_none
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
    case_status_refusal,
)


def can_answer(user, case: Case) -> bool:
    """Whether this person may change the case's answers now (the page offers inputs)."""
    return (
        user_can(user, case.inspection, Capability.ANSWER)
        and answer_writer_refusal(user, case) is None
        and case_status_refusal(case, user) is None
    )


def read_only_notice(user, case: Case) -> str:
    """Why a case's pages show this person its answers without inputs ("" when they can
    change them): the words of the notice above the answers."""
    if can_answer(user, case):
        return ""
    if case.status == CaseStatus.QUALITY_ASSURED:
        return (
            "This case is quality assured: its answers cannot change unless the lead inspector "
            "reopens it."
        )
    if case.status == CaseStatus.SUBMITTED and case.assigned_inspector_id == user.pk:
        return (
            "This case is with the lead inspector for review: you can read its answers but not "
            "change them. You can change them again if the lead inspector returns the case to you."
        )
    return (
        "You can read this case; only its inspector and the lead inspector can change its answers."
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


def scoring_start_url(case: Case, sheet: ScoringSheet) -> str | None:
    """Where "Start scoring" (or "Continue scoring") goes: the case descriptors while one the
    inspector must record is blank (they open and shut questions, so they come first), then
    the first section with questions left; None when every section is done."""
    if unset_required_descriptors(case):
        return reverse("case-descriptors", args=[case.inspection.slug, case.case_ref])
    section = next((s for s in sheet.sections if s.state in ("not_started", "in_progress")), None)
    return section_url(case, section) if section else None


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


def _show_typed(section: Section, entries: list[AnswerEntry]) -> None:
    """Put what the person typed back in the page."""
    typed = {entry.key: entry for entry in entries}
    for slot in section.slots:
        entry = typed.get((slot.question.id, slot.item.id if slot.item else None))
        if entry is not None:
            slot.typed = (entry.value, entry.note, entry.version)


def _show_refusal(
    section: Section, entries: list[AnswerEntry], refusal: AnswersNotSaved, user
) -> None:
    """Put what the person typed back in the page, with each error and conflict beside it."""
    _show_typed(section, entries)
    for slot in section.slots:
        key = (slot.question.id, slot.item.id if slot.item else None)
        slot.error = refusal.errors.get(key, "")
        if key in refusal.conflicts:
            slot.conflict, slot.theirs = True, refusal.conflicts[key]
            slot.theirs_mine = slot.theirs is not None and slot.theirs.answered_by_id == user.pk


KEPT_WHILE_SIGNED_OUT = (
    "You were signed out before this page was saved. What you had entered is shown below, "
    "not saved: check it, then save."
)


@keeps_post_when_signed_out
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
    elif request.method == "GET" and (kept := kept_post_take(request)) is not None:
        _show_typed(current, _entries(current, kept))
        messages.warning(request, KEPT_WHILE_SIGNED_OUT)
    previous, following = sheet.neighbours(current)
    context |= {
        "inspection": case.inspection,
        "case": case,
        "sheet": sheet,
        "section": current,
        "previous": previous,
        "next_url": section_url(case, following),
        "editable": can_answer(request.user, case),
        "read_only_notice": read_only_notice(request.user, case),
        "conflicts": [slot for slot in current.slots if slot.conflict],
        "own_conflicts": sum(1 for slot in current.slots if slot.conflict and slot.theirs_mine),
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
        _show_refusal(section, entries, refusal, request.user)
        context["would_clear"] = sheet.answer_names(refusal.would_clear)
        return None
    # One sheet for both: neighbours() finds the section by identity, so a section that asks
    # nothing of the case (listed only because it is the one open) must come from its sheet.
    fresh_sheet = scoring_sheet(case)
    if saved.cleared:
        messages.info(
            request,
            f"Answers cleared because their question no longer applies: "
            f"{'; '.join(sheet.answer_names(saved.cleared))}.",
        )
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


def _theirs(answer: Answer | None, user) -> dict | None:
    if answer is None:
        return None
    by = answer.answered_by
    return {
        "value": answer.value,
        "label": answer.display_value,
        "note": answer.note,
        "version": answer.version,
        "by": (by.get_full_name() or by.username) if by else "an import",
        # The person's own save, from another tab or window of theirs: "someone else" misleads.
        "mine": by is not None and by.pk == user.pk,
        "at": answer.answered_at.isoformat(),
        # As the pages write a date, in the server's time zone (not the browser's words).
        "when": date_format(localtime(answer.answered_at), "j M Y, H:i"),
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
            return JsonResponse(
                {"state": "conflict", "theirs": _theirs(theirs, request.user)}, status=409
            )
        if refusal.would_clear:
            return JsonResponse(
                {"state": "confirm-clear", "would_clear": sheet.answer_names(refusal.would_clear)},
                status=409,
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
    page = fresh.section_of(slot.key)
    return JsonResponse(
        {
            "state": "saved",
            "version": answer.version if answer else 0,
            "value": answer.value if answer else "",
            "cleared": sheet.answer_names(saved.cleared),
            "cleared_keys": [f"{q}-{i or 0}" for q, i in saved.cleared_keys],
            "answered": fresh.answered,
            "asked": fresh.asked,
            # The counts of the answer's own page, as its "answered on this page" line says.
            "section": {"slug": page.slug, "answered": page.answered, "asked": page.asked},
        }
    )


@keeps_post_when_signed_out
@require_http_methods(["GET", "HEAD", "POST"])
def case_check(request: HttpRequest, slug: str, case_ref: str) -> HttpResponse:
    """Check your answers (GOV.UK's check answers pattern): the descriptors, then every
    question asked of the case by section, answered or not, each with a link to change it;
    then submit. The reason given for questions left unanswered when it was last submitted is
    offered again, so a resubmission after the lead returned the case keeps it."""
    case = get_case_for_user(request.user, slug, case_ref)
    errors: dict[str, str] = {}
    comment = case.submission_note
    if request.method == "GET" and (kept := kept_post_take(request)) is not None:
        comment = kept.get("comment", "")
        messages.warning(
            request,
            "You were signed out before the case was submitted: it is not submitted. "
            "Check your answers, then submit it.",
        )
    if request.method == "POST":
        case = _case_to_answer(request, slug, case_ref)
        comment = request.POST.get("comment", "")
        try:
            case_status_change(
                case=case,
                to_status=CaseStatus.SUBMITTED,
                by=request.user,
                comment=comment,
                expected_version=int_or_none(request.POST.get("version")),
            )
        except ValidationError as error:
            errors = field_errors(error)
        else:
            messages.success(request, f"Case {case.case_ref} submitted to the lead inspector.")
            return redirect(case.get_absolute_url())
    sheet = scoring_sheet(case)
    descriptors = descriptor_summary(case)
    to_record = [row for row in descriptors if row.to_record]
    editable = can_answer(request.user, case)
    context = {
        "inspection": case.inspection,
        "case": case,
        "sheet": sheet,
        "descriptors": descriptors,
        "to_record": to_record,
        "to_do": sheet.unanswered + len(to_record),
        "sections": [section for section in sheet.sections if section.asked],
        "editable": editable,
        "read_only_notice": read_only_notice(request.user, case),
        "can_submit": editable
        and case.status in (CaseStatus.NOT_STARTED, CaseStatus.IN_PROGRESS, CaseStatus.RETURNED),
        "errors": errors,
        "comment": comment,
    }
    return render(request, "judgements/case_check.html", context)


def field_errors(error: ValidationError) -> dict[str, str]:
    if hasattr(error, "error_dict"):
        return {name: messages_[0] for name, messages_ in error.message_dict.items()}
    return {"status": error.messages[0]}


@keeps_post_when_signed_out
@require_http_methods(["GET", "HEAD", "POST"])
def case_descriptors(request: HttpRequest, slug: str, case_ref: str) -> HttpResponse:
    """The case's descriptors, first of its pages. A change that shuts gates is confirmed
    first, with the answers it will clear named."""
    if request.method != "POST":
        case = get_case_for_user(request.user, slug, case_ref)
        kept = kept_post_take(request) if request.method == "GET" else None
        if kept is not None:
            messages.warning(request, KEPT_WHILE_SIGNED_OUT)
        form = CaseDescriptorsForm(kept, case=case)
        return _descriptors_page(request, case, form)
    case = _case_to_answer(request, slug, case_ref)
    form = CaseDescriptorsForm(request.POST, case=case)
    if not form.is_valid():
        return _descriptors_page(request, case, form)
    changes = form.changes()
    clears = scoring_sheet(case).answer_names(case_change_clears(case, changes))
    if clears and request.POST.get("confirm_clear") != "1":
        return _descriptors_page(request, case, form, would_clear=clears)
    named = scoring_sheet(case).answer_names
    try:
        _changed, cleared = case_change(
            case=case,
            changes=changes,
            by=request.user,
            expected_version=form.cleaned_data["version"],
        )
    except ValidationError as error:
        for name, message in field_errors(error).items():
            form.add_error(name if name in form.fields else None, message)
        return _descriptors_page(request, case, form)
    message = "Case descriptors saved."
    if cleared:
        message += f" Answers cleared because they no longer apply: {'; '.join(named(cleared))}."
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
        "read_only_notice": read_only_notice(request.user, case),
        "would_clear": list(would_clear),
        "descriptors": descriptor_rows(case),
    }
    return render(request, "judgements/case_descriptors.html", context)
