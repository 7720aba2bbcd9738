"""Writes to the report as a document: its title page, and its tree of parts.

Every service is one write to the inspection's data (inspection.writing: the lock, the
published refusal, the data revision), records who made the change (django-simple-history),
and refuses a change made from an older copy (the part's version for an edit or a removal, the
neighbour the person saw for a move). A body whose live figures name nothing (an unknown
question, item or group) is refused, each error naming the part and the placeholder as typed.

Saving a part confirms its figures as they read now: the edit page shows them beside the text.
A figure that moves later (an answer changed) flags the part until the editor confirms again
(`report_part_confirm_figures`).
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError

from cases.models import Case
from inspection.lib.text import text_problem
from inspection.models import Inspection
from inspection.services import refuse_stale
from inspection.writing import inspection_writing
from judgements.findings import inspection_findings
from reports.chapters import OUTCOME_DOMAINS, Perspective
from reports.document.compose import register_of
from reports.document.models import BODY_MAX_CHARS, HEADING_MAX_CHARS, Report, ReportPart
from reports.document.models import PartKind as Kind
from reports.document.placeholders import placeholders_in, resolve
from reports.ordering import delete_as, move_one_place, renumber, save_as

BLOCK_KINDS = [Kind.PROSE, Kind.PRACTICE_EXAMPLE, Kind.QUOTATION, Kind.CHART_POINTER]
APPENDIX_KINDS = [
    Kind.FRAMEWORK_DESCRIPTION,
    Kind.BACKGROUND_TABLE,
    Kind.METHODOLOGY,
    Kind.CHARTS,
    Kind.GLOSSARY,
    Kind.ACKNOWLEDGEMENTS,
    Kind.ROLE_OF_INSPECTORATE,
]
# What may stand where: the top of the report (None) and each kind's children. The report's
# shape stays free (chapters in any order, any number of sections and appendices) while a part
# the document cannot print (a glossary inside a quotation) is refused.
CHILD_KINDS: dict[str | None, list[str]] = {
    None: [
        Kind.TITLE_PAGE,
        Kind.COPYRIGHT,
        Kind.CONTENTS,
        Kind.FOREWORD,
        Kind.OVERALL_JUDGEMENTS,
        Kind.EXECUTIVE_SUMMARY,
        Kind.RECOMMENDATIONS,
        Kind.LOCAL_CONTEXT,
        Kind.CHAPTER,
        Kind.APPENDIX,
    ],
    Kind.FOREWORD: BLOCK_KINDS,
    Kind.OVERALL_JUDGEMENTS: BLOCK_KINDS,
    Kind.EXECUTIVE_SUMMARY: [Kind.SUMMARY_DOMAIN, *BLOCK_KINDS],
    Kind.SUMMARY_DOMAIN: [Kind.SUMMARY_CELL],
    Kind.RECOMMENDATIONS: BLOCK_KINDS,
    Kind.LOCAL_CONTEXT: BLOCK_KINDS,
    Kind.CHAPTER: [Kind.SECTION, Kind.SUBSECTION, *BLOCK_KINDS],
    Kind.SECTION: [Kind.SUBSECTION, *BLOCK_KINDS, Kind.ENABLERS_BARRIERS],
    Kind.SUBSECTION: BLOCK_KINDS,
    Kind.APPENDIX: [*APPENDIX_KINDS, *BLOCK_KINDS],
}
# Kinds that name an outcome domain (chapters and summary domains must; a table may, else it
# takes its chapter's) and a perspective (sections and summary cells must).
DOMAIN_REQUIRED = {Kind.CHAPTER, Kind.SUMMARY_DOMAIN}
PERSPECTIVE_REQUIRED = {Kind.SECTION, Kind.SUMMARY_CELL}
PUBLISHER_MAX_LINES = 10
CASE_REF_MAX_CHARS = Case._meta.get_field("case_ref").max_length


@dataclass(frozen=True)
class PartContent:
    """What an editor writes in a part; fields a kind does not use stay empty.

    `case_ref` names a case of the inspection (a practice example's source, never printed);
    `charts` the Appendix 4 chart numbers a pointer names; `columns`, `rows` and `source` a
    background table; `terms` a glossary's (term, definition) pairs; `roles` the
    acknowledgements' (role, ((name, job title), …)) entries."""

    heading: str = ""
    body: str = ""
    domain: str = ""
    perspective: str = ""
    good: bool = False
    case_ref: str = ""
    attribution: str = ""
    signatory: str = ""
    signatory_role: str = ""
    signed: str = ""
    charts: Sequence[int] = ()
    columns: Sequence[str] = ()
    rows: Sequence[Sequence[str]] = ()
    source: str = ""
    terms: Sequence[Sequence[str]] = ()
    roles: Sequence[Sequence] = field(default_factory=tuple)


def location(kind: str, heading: str) -> str:
    """A part as an error message names it: “Section “Effectiveness of the CRC””."""
    name = Kind(kind).label
    return f"{name} “{heading}”" if heading else name


# Text


def _text(value: str, field_name: str, what: str, errors: dict, limit: int) -> str:
    cleaned = (value or "").replace("\r\n", "\n").strip()
    problem = text_problem(cleaned, what=f"the {what}", max_chars=limit)
    if problem:
        errors.setdefault(field_name, []).append(problem)
    return cleaned


def _line(value: str, field_name: str, what: str, errors: dict) -> str:
    return _text(value, field_name, what, errors, HEADING_MAX_CHARS)


# One part's content as kept, or every problem with it at once


class _Checked:
    def __init__(self, inspection: Inspection, kind: str, content: PartContent):
        self.inspection, self.kind, self.content = inspection, kind, content
        self.errors: dict[str, list[str]] = {}
        self.values: dict[str, str] = {}

    def fields(self) -> dict:
        content, errors = self.content, self.errors
        heading = _line(content.heading, "heading", "heading", errors)
        body = _text(content.body, "body", "text", errors, BODY_MAX_CHARS)
        kept = {
            "heading": heading,
            "body": body,
            "domain": self._domain(),
            "perspective": self._perspective(),
            "good": bool(content.good) if self.kind == Kind.PRACTICE_EXAMPLE else False,
            "case": self._case(),
            "attribution": _line(content.attribution, "attribution", "attribution", errors),
            "signatory": _line(content.signatory, "signatory", "signatory", errors),
            "signatory_role": _line(content.signatory_role, "signatory_role", "role", errors),
            "signed": _text(content.signed, "signed", "date signed", errors, 40),
            "charts": self._charts(),
            "columns": [_line(c, "columns", "column heading", errors) for c in content.columns],
            "rows": self._rows(),
            "source": _text(content.source, "source", "source line", errors, 300),
            "terms": self._terms(),
            "roles": self._roles(),
        }
        self._figures(heading, body)
        if errors:
            raise ValidationError(errors, code="invalid_part")
        return kept

    def _error(self, field_name: str, message: str) -> None:
        self.errors.setdefault(field_name, []).append(message)

    def _domain(self) -> str:
        code = (self.content.domain or "").strip().upper()
        if not code:
            if self.kind in DOMAIN_REQUIRED:
                self._error("domain", f"Choose the outcome domain of the {self._what()}.")
            return ""
        framework = set(self.inspection.framework.domains.values_list("code", flat=True))
        if code not in OUTCOME_DOMAINS or code not in framework:
            known = ", ".join(c for c in OUTCOME_DOMAINS if c in framework)
            self._error(
                "domain", f"“{code}” is not an outcome domain of the framework; one of {known}."
            )
        return code

    def _perspective(self) -> str:
        value = (self.content.perspective or "").strip()
        value = value.upper() if value.lower() in ("crc", "nps") else value.lower()
        if not value:
            if self.kind in PERSPECTIVE_REQUIRED:
                self._error("perspective", f"Choose whose work the {self._what()} is about.")
            return ""
        if value not in Perspective.values:
            self._error("perspective", f"“{value}” is not one of {', '.join(Perspective.values)}.")
        return value

    def _what(self) -> str:
        return Kind(self.kind).label.lower()

    def _case(self) -> Case | None:
        ref = (self.content.case_ref or "").strip()
        if not ref:
            return None
        problem = text_problem(ref, what="the case reference", max_chars=CASE_REF_MAX_CHARS)
        if problem:
            self._error("case_ref", problem)
            return None
        case = self.inspection.cases.filter(case_ref__iexact=ref).first()
        if case is None:
            self._error("case_ref", f"Not a case of {self.inspection.slug}: {ref}.")
        return case

    def _charts(self) -> list[int]:
        numbers = []
        for number in self.content.charts:
            try:
                value = int(number)
            except (TypeError, ValueError):
                value = 0
            if value < 1:
                self._error("charts", f"“{number}” is not a chart number (1, 2, 3 …).")
                continue
            numbers.append(value)
        return list(dict.fromkeys(numbers))

    def _rows(self) -> list[list[str]]:
        width = len(self.content.columns)
        rows = []
        for number, row in enumerate(self.content.rows, start=1):
            cells = [_line(cell, "rows", "cell", self.errors) for cell in row]
            if width and len(cells) != width:
                self._error(
                    "rows", f"Row {number} has {len(cells)} cells; the table has {width} columns."
                )
            rows.append(cells)
        return rows

    def _terms(self) -> list[list[str]]:
        terms = []
        for number, entry in enumerate(self.content.terms, start=1):
            if len(entry) != 2 or not str(entry[0]).strip() or not str(entry[1]).strip():
                self._error("terms", f"Entry {number} needs a term and its definition.")
                continue
            term = _line(entry[0], "terms", "term", self.errors)
            terms.append([term, _text(entry[1], "terms", "definition", self.errors, 2_000)])
        return terms

    def _roles(self) -> list:
        roles = []
        for number, entry in enumerate(self.content.roles, start=1):
            if len(entry) != 2 or not str(entry[0]).strip():
                self._error("roles", f"Entry {number} needs a role and the people in it.")
                continue
            people = []
            for person in entry[1]:
                if len(person) != 2 or not str(person[0]).strip():
                    self._error("roles", f"Each person under {entry[0]} needs a name and a title.")
                    continue
                name = _line(person[0], "roles", "name", self.errors)
                people.append([name, _line(person[1], "roles", "job title", self.errors)])
            roles.append([_line(entry[0], "roles", "role", self.errors), people])
        return roles

    def _figures(self, heading: str, body: str) -> None:
        if not placeholders_in(body):
            return  # no figure to read: the findings are not counted for a heading or prose
        _text_out, self.values, problems = resolve(
            body,
            self.inspection,
            register_of(self.kind),
            findings=inspection_findings(self.inspection),
        )
        where = location(self.kind, heading)
        for problem in problems:
            self._error("body", f"{where}: {problem}")


# The title page


def report_front_save(
    *,
    inspection: Inspection,
    title: str,
    series: str = "",
    byline: str = "",
    published: str = "",
    copyright: str = "",
    licence: str = "",
    publisher: Iterable[str] = (),
    by,
    expected_version: int | None = None,
) -> Report:
    """Write the title page and copyright block (made on the first save)."""
    with inspection_writing(inspection.pk, what="report") as write:
        current = write.inspection
        report = Report.objects.select_for_update().filter(inspection=current).first()
        if report is not None:
            refuse_stale(report, expected_version)
        errors: dict[str, list[str]] = {}
        fields = {
            "title": _line(title, "title", "title", errors),
            "series": _line(series, "series", "series", errors),
            "byline": _line(byline, "byline", "byline", errors),
            "published": _text(published, "published", "month and year", errors, 40),
            "copyright": _line(copyright, "copyright", "copyright line", errors),
            "licence": _text(licence, "licence", "licence", errors, BODY_MAX_CHARS),
            "publisher": [
                _line(line, "publisher", "address line", errors)
                for line in publisher
                if line and line.strip()
            ],
        }
        if not fields["title"]:
            errors.setdefault("title", []).append("Enter the report's title.")
        if len(fields["publisher"]) > PUBLISHER_MAX_LINES:
            errors.setdefault("publisher", []).append(
                f"The address has {len(fields['publisher'])} lines; it may have "
                f"{PUBLISHER_MAX_LINES} at most."
            )
        if errors:
            raise ValidationError(errors, code="invalid_report")
        report = report or Report(inspection=current)
        if report.pk and all(getattr(report, name) == value for name, value in fields.items()):
            return report
        for name, value in fields.items():
            setattr(report, name, value)
        save_as(report, by)
        write.changed()
    return report


# The parts


def _siblings(inspection_id: int, parent_id: int | None):
    return ReportPart.objects.filter(inspection_id=inspection_id, parent_id=parent_id).order_by(
        "position", "pk"
    )


def _locked_part(part: ReportPart) -> ReportPart:
    # Only the part itself: the inspection's row is locked by the write, the framework never is.
    parts = ReportPart.objects.select_for_update(of=("self",))
    return parts.select_related("inspection__framework").get(pk=part.pk)


def _refuse_place(kind: str, parent: ReportPart | None) -> None:
    if kind not in Kind.values:
        raise ValidationError({"kind": f"“{kind}” is not a kind of part."}, code="kind")
    allowed = CHILD_KINDS.get(parent.kind if parent else None, [])
    if kind not in allowed:
        where = f"under {location(parent.kind, parent.heading)}" if parent else "at the top"
        raise ValidationError(
            {"kind": f"A {Kind(kind).label.lower()} cannot stand {where}."}, code="place"
        )


def report_part_add(
    *,
    inspection: Inspection,
    kind: str,
    content: PartContent = PartContent(),
    parent: ReportPart | None = None,
    position: int | None = None,
    by,
) -> ReportPart:
    """Add a part under `parent` (None: at the top of the report) at `position` (1 = first;
    None = last); the parts from that place on move down one."""
    with inspection_writing(inspection.pk, what="report") as write:
        current = write.inspection
        if parent is not None:
            parent = ReportPart.objects.select_for_update().filter(pk=parent.pk).first()
            if parent is None or parent.inspection_id != current.pk:
                raise ValidationError({"parent": "Choose a part of this report."}, code="parent")
        _refuse_place(kind, parent)
        checked = _Checked(current, kind, content)
        fields = checked.fields()
        part = ReportPart(inspection=current, parent=parent, kind=kind, **fields)
        part.confirmed_figures = checked.values
        siblings = list(_siblings(current.pk, parent.pk if parent else None).select_for_update())
        index = len(siblings) if position is None else max(0, min(position - 1, len(siblings)))
        siblings.insert(index, part)
        renumber(siblings, by)
        if part.pk is None:  # already in its place: renumbering saved only the parts that moved
            save_as(part, by)
        write.changed()
    return part


def report_part_update(
    *, part: ReportPart, content: PartContent, by, expected_version: int | None = None
) -> ReportPart:
    """Change a part's text and fields (its kind and place stay); refused from a stale copy.
    Saving confirms the figures as they read now; a part left as it was is not saved again."""
    with inspection_writing(part.inspection_id, what="report") as write:
        current = _locked_part(part)
        refuse_stale(current, expected_version)
        checked = _Checked(current.inspection, current.kind, content)
        fields = checked.fields()
        unchanged = all(getattr(current, name) == value for name, value in fields.items())
        if unchanged and current.confirmed_figures == checked.values:
            return current
        for name, value in fields.items():
            setattr(current, name, value)
        current.confirmed_figures = checked.values
        save_as(current, by)
        write.changed()
    return current


def report_part_confirm_figures(
    *, part: ReportPart, by, expected_version: int | None = None
) -> ReportPart:
    """Record the part's live figures as the editor has now read them: its flag clears."""
    with inspection_writing(part.inspection_id, what="report") as write:
        current = _locked_part(part)
        refuse_stale(current, expected_version)
        _text_out, values, problems = resolve(
            current.body, current.inspection, register_of(current.kind)
        )
        if problems:
            where = location(current.kind, current.heading)
            raise ValidationError(
                {"body": [f"{where}: {problem}" for problem in problems]}, code="unknown_figure"
            )
        if values == current.confirmed_figures:
            return current
        current.confirmed_figures = values
        save_as(current, by)
        write.changed()
    return current


def report_part_move(
    *, part: ReportPart, direction: str, by, expected_neighbour: int | None = None
) -> ReportPart:
    """Move a part, with everything under it, one place up or down among its siblings (the
    numbers of the chapters, sections or appendices it passes follow)."""
    with inspection_writing(part.inspection_id, what="report") as write:
        current = _locked_part(part)
        siblings = list(_siblings(current.inspection_id, current.parent_id).select_for_update())
        moved = move_one_place(
            siblings, current, direction, by=by, expected_neighbour=expected_neighbour
        )
        write.changed()
    return moved


def part_destinations(part: ReportPart) -> list[ReportPart | None]:
    """Where else the part may stand, in the report's order: the parts of its report whose
    kind may hold it (CHILD_KINDS), not the part itself or a part under it, and not its own
    parent; None is the top of the report, where a top-level kind may stand."""
    below = {descendant.pk for descendant in part_descendants(part)} | {part.pk}
    parts = (
        ReportPart.objects.filter(inspection_id=part.inspection_id)
        .only("pk", "parent_id", "position", "kind")
        .order_by("parent_id", "position", "pk")
    )
    children: dict[int | None, list[ReportPart]] = {}
    for candidate in parts:
        children.setdefault(candidate.parent_id, []).append(candidate)
    ordered: list[ReportPart | None] = [None] if part.parent_id is not None else []

    def visit(parent_id: int | None) -> None:
        for child in children.get(parent_id, []):
            if child.pk in below:
                continue
            ordered.append(child)
            visit(child.pk)

    visit(None)
    return [
        candidate
        for candidate in ordered
        if part.kind in CHILD_KINDS.get(candidate.kind if candidate else None, [])
        and (candidate.pk if candidate else None) != part.parent_id
    ]


def report_part_move_to(
    *, part: ReportPart, parent: ReportPart | None, by, expected_version: int | None = None
) -> ReportPart:
    """Move a part, with everything under it, to the end of another part's (or, `parent`
    None, to the end of the report's top level): a section into another chapter, a paragraph
    into another section. The parts it leaves and joins are numbered again."""
    with inspection_writing(part.inspection_id, what="report") as write:
        current = _locked_part(part)
        refuse_stale(current, expected_version)
        if parent is not None:
            parent = ReportPart.objects.select_for_update().filter(pk=parent.pk).first()
            if parent is None or parent.inspection_id != current.inspection_id:
                raise ValidationError({"parent": "Choose a part of this report."}, code="parent")
            if parent.pk == current.pk or parent.pk in {p.pk for p in part_descendants(current)}:
                where = location(current.kind, current.heading)
                raise ValidationError(
                    {"parent": f"{where} cannot move under itself."}, code="place"
                )
        _refuse_place(current.kind, parent)
        new_parent_id = parent.pk if parent else None
        if new_parent_id == current.parent_id:
            return current
        left = [
            sibling
            for sibling in _siblings(current.inspection_id, current.parent_id).select_for_update()
            if sibling.pk != current.pk
        ]
        joined = list(_siblings(current.inspection_id, new_parent_id).select_for_update())
        renumber(joined, by)
        current.parent = parent
        current.position = len(joined) + 1
        save_as(current, by)
        renumber(left, by)
        write.changed()
    return current


def part_descendants(part: ReportPart) -> list[ReportPart]:
    """Every part under `part`, deepest first (so each is deleted before its parent)."""
    every = list(
        ReportPart.objects.filter(inspection_id=part.inspection_id).only("pk", "parent_id")
    )
    children: dict[int | None, list[ReportPart]] = {}
    for candidate in every:
        children.setdefault(candidate.parent_id, []).append(candidate)
    ordered: list[ReportPart] = []

    def visit(node_id: int) -> None:
        for child in children.get(node_id, []):
            visit(child.pk)
            ordered.append(child)

    visit(part.pk)
    return ordered


def report_part_remove(
    *, part: ReportPart, by, expected_version: int | None = None, confirmed: bool = False
) -> int:
    """Remove a part and every part under it; how many parts went. A part with parts under it
    is removed only when the person confirmed they go too."""
    with inspection_writing(part.inspection_id, what="report") as write:
        current = _locked_part(part)
        refuse_stale(current, expected_version)
        under = part_descendants(current)
        if under and not confirmed:
            raise ValidationError(
                f"{location(current.kind, current.heading)} has {len(under)} "
                f"part{'s' if len(under) != 1 else ''} under it; confirm that they are removed "
                "too.",
                code="unconfirmed",
            )
        stored = ReportPart.objects.in_bulk([descendant.pk for descendant in under])
        for descendant in under:
            delete_as(stored[descendant.pk], by)
        delete_as(current, by)
        write.changed()
    return len(under) + 1
