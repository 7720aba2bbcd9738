"""The report's outline, for the editor: an index of its top-level parts (front matter,
chapters, appendices) with each one's state, and a page for each part that holds others (a
chapter, an appendix, the foreword…) listing every part in it with its buttons. One page for
the whole report ran to 27,000 pixels and ~150 links all called "Edit Prose" (issue 16): a
chapter's page holds a chapter's parts, and every link and button says which part it is
(`Node.name`: "Edit prose 4 in Operational issues, 5.1 Effectiveness of the CRC").

After a change the editor lands on the part changed, with the message saying so beside it
(`say_near`): the page returns to its row, and the banner is the first thing in the row, so it
is in view with or without JavaScript (GOV.UK Frontend moves focus to a success banner).

Thin: numbering, names and flags come from reports.document.compose (built without the
tables' rows and the charts, which the outline never shows), every write from
reports.document.services. Reading needs Capability.VIEW; the buttons show for those who may
change the report (Capability.EDIT_TABLES).
"""

from collections import defaultdict
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.messages.storage.base import Message
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from inspection.models import Inspection
from inspection.permissions import get_inspection_for_user
from reports.document import services
from reports.document.compose import Document, Node, build_document
from reports.document.models import ReportPart
from reports.permissions import can_edit_report

# The message tag that ties a message to the part it is about: "near-part-12".
NEAR = "near-part-"


@dataclass(frozen=True)
class OutlineRow:
    """A line of the outline: the part, how deep it sits, its neighbours (the move buttons
    name them, so a move from a stale page is refused), its place among its siblings, and
    whether parts may go under it. `top`: the chapter's own line at the head of its page,
    which moves, is added after and is removed from the index."""

    node: Node
    depth: int
    parent_id: int | None
    position: int
    above: int | None
    below: int | None
    takes_children: bool
    case_ref: str = ""
    top: bool = False


@dataclass(frozen=True)
class IndexEntry:
    """A top-level part on the index: its line, whether it has a page (it may hold parts),
    how many parts it holds, how many of them (itself included) have figures changed since
    they were confirmed, how many placeholders name nothing, how many live figures it has,
    and its numbered sections (5.1, 5.2…), which link to their place on its page."""

    row: OutlineRow
    has_page: bool
    parts: int
    flagged: int
    errors: int
    figures: int
    sections: tuple[Node, ...]


def _rows(nodes, depth: int, parent_id, case_refs: dict[int, str]) -> list[OutlineRow]:
    rows = []
    for index, node in enumerate(nodes):
        rows.append(
            OutlineRow(
                node=node,
                depth=min(depth, 4),
                parent_id=parent_id,
                position=index + 1,
                above=nodes[index - 1].part_id if index else None,
                below=nodes[index + 1].part_id if index + 1 < len(nodes) else None,
                takes_children=node.kind in services.CHILD_KINDS,
                case_ref=case_refs.get(node.part_id, ""),
            )
        )
        rows.extend(_rows(node.children, depth + 1, node.part_id, case_refs))
    return rows


def has_page(kind: str) -> bool:
    """A top-level part has a page of its own when parts may go under it."""
    return kind in services.CHILD_KINDS


def chapter_page_of(document: Document, part_id: int) -> Node | None:
    """The top-level part whose page lists the part (None: the index lists it)."""
    top = document.chapter_of(part_id)
    return top if top is not None and has_page(top.kind) else None


def outline_url(part: ReportPart, *, on_index: bool = False) -> str:
    """Where the outline lists the part, at its row: its chapter's page, or the index for a
    top-level part without a page (and, `on_index`, for any top-level part: moving, adding
    and removing chapters is done there)."""
    slug = part.inspection.slug
    parents = dict(
        ReportPart.objects.filter(inspection_id=part.inspection_id).values_list("pk", "parent_id")
    )
    top = part.pk
    while parents.get(top) is not None:
        top = parents[top]
    if top == part.pk and (on_index or not has_page(part.kind)):
        return f"{reverse('report-outline', args=[slug])}#part-row-{part.pk}"
    return f"{reverse('report-chapter', args=[slug, top])}#part-row-{part.pk}"


def near(part_id: int | None) -> str:
    """The tag of a message about the part `part_id` (none: a message for the page's top)."""
    return f"{NEAR}{part_id}" if part_id else ""


def say_near(request: HttpRequest, part_id: int | None, text: str) -> None:
    """A success message shown beside the part's row on the outline page it lands on."""
    messages.success(request, text, extra_tags=near(part_id))


def _banners(request: HttpRequest, shown: set[int]) -> tuple[list[Message], dict]:
    """The request's messages: those for the page's top, and those to show beside a row of
    the page, by part id. A message about a part the page does not list goes to the top."""
    top, beside = [], defaultdict(list)
    for message in messages.get_messages(request):
        tag = next((t for t in message.extra_tags.split() if t.startswith(NEAR)), "")
        part_id = int(tag.removeprefix(NEAR)) if tag[len(NEAR) :].isdecimal() else None
        if part_id in shown:
            beside[part_id].append(message)
        else:
            top.append(message)
    return top, dict(beside)


def _parts_url(inspection: Inspection) -> str:
    """The address the part pages hang from ("…/report/parts/"): a row's links are made
    from it and the part's id rather than reversed one by one (five a row, 112 rows)."""
    return reverse("report-part-add", args=[inspection.slug]).removesuffix("add/")


def _case_refs(inspection: Inspection) -> dict[int, str]:
    return dict(
        ReportPart.objects.filter(inspection=inspection, case__isnull=False).values_list(
            "pk", "case__case_ref"
        )
    )


def _entry(row: OutlineRow) -> IndexEntry:
    node = row.node
    under = list(node.walk())
    return IndexEntry(
        row=row,
        has_page=has_page(node.kind),
        parts=len(under) - 1,
        flagged=sum(1 for part in under if part.flags),
        errors=sum(len(part.errors) for part in under),
        figures=sum(len(part.values) for part in under),
        sections=tuple(child for child in node.children if child.number),
    )


@require_safe
def report_outline(request: HttpRequest, slug: str) -> HttpResponse:
    inspection = get_inspection_for_user(request.user, slug)
    document = build_document(inspection, printing=False)
    rows = _rows(document.parts, 0, None, {})
    entries = [_entry(row) for row in rows if row.depth == 0]
    banners, beside = _banners(request, {entry.row.node.part_id for entry in entries})
    context = {
        "inspection": inspection,
        "document": document,
        "entries": [(entry, beside.get(entry.row.node.part_id, [])) for entry in entries],
        "flagged": sum(entry.flagged for entry in entries),
        "errors": document.errors(),
        "editable": can_edit_report(request.user, inspection),
        "banners": banners,
        "parts_url": _parts_url(inspection),
    }
    return render(request, "reports/document/outline.html", context)


@require_safe
def report_chapter(request: HttpRequest, slug: str, part_id: int) -> HttpResponse:
    """A top-level part that holds others, with every part in it."""
    inspection = get_inspection_for_user(request.user, slug)
    document = build_document(inspection, printing=False)
    pages = [node for node in document.parts if has_page(node.kind)]
    index = next((i for i, node in enumerate(pages) if node.part_id == part_id), None)
    if index is None:
        raise Http404("No such chapter")
    chapter = pages[index]
    own = OutlineRow(chapter, 0, None, 0, None, None, True, top=True)
    rows = [own, *_rows(chapter.children, 1, chapter.part_id, _case_refs(inspection))]
    banners, beside = _banners(request, {row.node.part_id for row in rows})
    context = {
        "inspection": inspection,
        "chapter": chapter,
        "contents": [child for child in chapter.children if child.number or child.heading],
        "rows": [(row, beside.get(row.node.part_id, [])) for row in rows],
        "flagged": [node for node in chapter.walk() if node.flags],
        "errors": [f"{node.name}: {error}" for node in chapter.walk() for error in node.errors],
        "previous": pages[index - 1] if index else None,
        "next": pages[index + 1] if index + 1 < len(pages) else None,
        "editable": can_edit_report(request.user, inspection),
        "banners": banners,
        "parts_url": _parts_url(inspection),
    }
    return render(request, "reports/document/chapter.html", context)


@require_safe
def report_figures(request: HttpRequest, slug: str) -> HttpResponse:
    inspection = get_inspection_for_user(request.user, slug)
    document = build_document(inspection, printing=False)
    context = {
        "inspection": inspection,
        "flagged": document.flagged(),
        "errors": document.errors(),
        "editable": can_edit_report(request.user, inspection),
    }
    return render(request, "reports/document/figures.html", context)
