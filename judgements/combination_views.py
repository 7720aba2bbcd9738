"""The combinations the lead names (judgements.services.combinations), as pages: the list with
their figures and the cases behind each, and the forms to add, change and remove one.

Thin: the gate (`get_inspection_for_user`) finds the inspection (VIEW to read, EDIT_TABLES to
write, as the report's tables), the service checks and writes, the engine counts. A question is
chosen first (a GET form, so it works without JavaScript), then its items or answers.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from inspection.permissions import Capability, get_inspection_for_user, user_can
from inspection.services import StaleWrite
from judgements.finding_cases import combination_cases
from judgements.findings import (
    ALL,
    GROUPS,
    RELEVANT,
    UNANSWERED,
    inspection_findings,
)
from judgements.findings_pages import GROUP_LABELS
from judgements.framework import framework_questions
from judgements.models import Combination, Question
from judgements.services import combination_delete, combination_save
from judgements.services.combinations import combinable, parts_of

ANSWERS = {
    "yes": "counted yes",
    "no": "counted no",
    RELEVANT: "relevant (counted yes or no)",
    UNANSWERED: "not yet answered",
}
FIELDS = ["question", "name", "code", "parts"]


def _combination(inspection, code: str) -> Combination:
    combination = (
        Combination.objects.filter(inspection=inspection, code=code)
        .select_related("question__item_set")
        .first()
    )
    if combination is None:
        raise Http404("No such combination")
    return combination


@require_safe
def combinations_page(request: HttpRequest, slug: str) -> HttpResponse:
    inspection = get_inspection_for_user(request.user, slug)
    findings = inspection_findings(inspection)
    combinations = list(
        Combination.objects.filter(inspection=inspection).select_related("question")
    )
    rows = []
    for combination in combinations:
        base = reverse("combination-cases", args=[inspection.slug, combination.code])
        cells = [
            (
                GROUP_LABELS[group],
                findings.combined_finding(combination.code, group),
                {answer: f"{base}?group={group}&answer={answer}" for answer in ANSWERS},
            )
            for group in GROUPS
        ]
        rows.append({"combination": combination, "cells": cells, "labels": _labels(combination)})
    context = {
        "inspection": inspection,
        "rows": rows,
        "groups": [GROUP_LABELS[group] for group in GROUPS],
        "may_edit": user_can(request.user, inspection, Capability.EDIT_TABLES)
        and not inspection.is_read_only,
    }
    return render(request, "judgements/combinations/list.html", context)


def _labels(combination: Combination) -> list[str]:
    labels = dict(parts_of(combination.question))
    return [labels.get(part, part) for part in combination.parts]


@require_safe
def combination_cases_page(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    inspection = get_inspection_for_user(request.user, slug)
    combination = _combination(inspection, code)
    group, answer = request.GET.get("group", ALL), request.GET.get("answer", RELEVANT)
    if group not in GROUPS or answer not in ANSWERS:
        raise Http404("No such count")
    question = combination.question
    rows = combination_cases(inspection, combination, group, answer)
    context = {
        "inspection": inspection,
        "combination": combination,
        "labels": _labels(combination),
        "question": question,
        "finding": inspection_findings(inspection).combined_finding(combination.code, group),
        "group_label": GROUP_LABELS[group],
        "answer_label": ANSWERS[answer],
        "rows": [(row, question.choice_label(row.value) if row.value else None) for row in rows],
        "by_item": bool(combination.items),
    }
    return render(request, "judgements/combinations/cases.html", context)


def _form_context(request, inspection, combination, question, values, errors) -> dict:
    questions = [q for q in framework_questions(inspection.framework_id) if combinable(q)]
    return {
        "inspection": inspection,
        "combination": combination,
        "questions": questions,
        "question": question,
        "parts": parts_of(question) if question else [],
        "values": values,
        "errors": errors,
        "error_summary": [(name if name != "parts" else "parts", errors[name]) for name in errors],
    }


def _question(inspection, code: str | None) -> Question | None:
    if not code:
        return None
    return (
        Question.objects.filter(framework_id=inspection.framework_id, code=code)
        .select_related("item_set")
        .first()
    )


@require_http_methods(["GET", "HEAD", "POST"])
def combination_edit(request: HttpRequest, slug: str, code: str | None = None) -> HttpResponse:
    """Add a combination (no code) or change one."""
    inspection = get_inspection_for_user(request.user, slug, Capability.EDIT_TABLES)
    combination = _combination(inspection, code) if code else None
    source = request.POST if request.method == "POST" else request.GET
    question_code = source.get("question") or (combination.question.code if combination else "")
    question = _question(inspection, question_code)
    values = {
        "name": source.get("name", combination.name if combination else ""),
        "code": source.get("code", combination.code if combination else ""),
        "parts": source.getlist("parts")
        if "name" in source
        else (combination.parts if combination else []),
        "version": source.get("version", combination.version if combination else ""),
    }
    errors: dict[str, str] = {}
    if question_code and (question is None or not combinable(question)):
        errors["question"] = "Choose one of the questions listed."
        question = None
    if request.method == "POST" and not errors:
        try:
            saved = combination_save(
                inspection=inspection,
                by=request.user,
                code=values["code"].strip(),
                name=values["name"],
                question=question,
                parts=values["parts"],
                combination=combination,
                expected_version=int(values["version"]) if combination else None,
            )
        except StaleWrite as stale:
            errors["form"] = stale.messages[0]
            combination = _combination(inspection, code)
            values |= {"version": combination.version}
        except ValidationError as refusal:
            errors = (
                {k: v[0] for k, v in refusal.message_dict.items()}
                if hasattr(refusal, "error_dict")
                else {"form": refusal.messages[0]}
            )
        else:
            messages.success(request, f"Combination “{saved.name}” saved.")
            return redirect(f"{reverse('combinations', args=[inspection.slug])}#{saved.code}")
    context = _form_context(request, inspection, combination, question, values, errors)
    return render(request, "judgements/combinations/form.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
def combination_delete_page(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    inspection = get_inspection_for_user(request.user, slug, Capability.EDIT_TABLES)
    combination = _combination(inspection, code)
    if request.method == "POST":
        combination_delete(combination=combination, by=request.user)
        messages.success(request, f"Combination “{combination.name}” removed.")
        return redirect("combinations", inspection.slug)
    context = {"inspection": inspection, "combination": combination}
    return render(request, "judgements/combinations/delete.html", context)
