"""The document the preview and the PDF print: its numbering and contents, the data each part
prints beside its prose, and the loader that reads a report written in the content contract's
shape (report_content_format.md)."""

import re

import pytest

from fixtures.durham_2016_document_loader import load_document
from reports.document.compose import build_document
from reports.models import Report, ReportPart
from reports.tables.services import recommendation_add, recommendation_group_add, table_row_add
from tests.factories import CaseFactory
from tests.helpers import record

REPORT = {
    "series": "Quality & Impact inspection",
    "title": "The effectiveness of probation work in Northshire",
    "byline": "An inspection by HM Inspectorate of Probation",
    "published": "May 2026",
    "copyright": "© Crown copyright 2026",
    "licence": "You may reuse this under the [Open Government Licence](https://example.org/ogl).",
    "publisher": ["HM Inspectorate of Probation", "Manchester"],
}


def section(perspective, *children):
    return {"kind": "section", "perspective": perspective, "children": list(children)}


def chapter(domain, heading):
    return {
        "kind": "chapter",
        "domain": domain,
        "heading": heading,
        "body": "This chapter reports what we found.",
        "children": [
            section(
                "crc",
                {
                    "kind": "subsection",
                    "heading": "Practice issues",
                    "children": [
                        {"kind": "prose", "body": "Officers acted in [[PP-D8a CRC]] cases."},
                        {"kind": "quotation", "body": "It helped.", "attribution": "a participant"},
                    ],
                },
                {"kind": "enablers_barriers", "body": "In [[PP-D8a CRC phrase]] cases …"},
            ),
            section("nps", {"kind": "enablers_barriers", "body": "The NPS table."}),
            section(
                "joint",
                {"kind": "chart_pointer", "charts": [1]},
                {"kind": "enablers_barriers", "body": "Together."},
            ),
        ],
    }


# A report in the contract's shape, small: every kind of part once or more.
PARTS = [
    {"kind": "title_page", "heading": None, "body": ""},
    {"kind": "copyright", "heading": None, "body": ""},
    {"kind": "contents", "heading": None, "body": ""},
    {
        "kind": "foreword",
        "heading": "Foreword",
        "body": "Our view.[^a]\n\n[^a]: A note.",
        "signatory": "A. Chief",
        "signatory_role": "HM Chief Inspector of Probation",
        "signed": "May 2026",
    },
    {"kind": "overall_judgements", "heading": "Overall judgements", "body": "Good."},
    {
        "kind": "executive_summary",
        "heading": "Executive summary",
        "body": "",
        "children": [
            {
                "kind": "summary_domain",
                "domain": "pp",
                "heading": None,
                "children": [
                    {"kind": "summary_cell", "perspective": p, "body": "In [[PP-D8a all phrase]]."}
                    for p in ("crc", "nps", "joint")
                ],
            }
        ],
    },
    {"kind": "recommendations", "heading": "Recommendations", "body": "To improve:"},
    {"kind": "local_context", "heading": "Local context", "body": "Northshire is rural."},
    chapter("rr", "Reducing reoffending"),
    chapter("pp", "Protecting the public"),
    {
        "kind": "appendix",
        "heading": "Background data",
        "children": [
            {
                "kind": "background_table",
                "heading": "Population",
                "body": "Mostly rural.",
                "columns": ["Area", "People"],
                "rows": [["North", "100"], ["South", "200"]],
                "source": "Source: a census",
            }
        ],
    },
    {
        "kind": "appendix",
        "heading": "Methodology",
        "children": [
            {
                "kind": "methodology",
                "body": "We read [[sample cases]] cases: [[sample CRC]] CRC and [[sample NPS]] "
                "NPS; we interviewed [[sample interviewed]].",
            }
        ],
    },
    {
        "kind": "appendix",
        "heading": "Data analysis",
        "children": [{"kind": "charts", "body": "The charts."}],
    },
    {
        "kind": "appendix",
        "heading": "Glossary",
        "children": [
            {
                "kind": "glossary",
                "terms": [("NPS", "National Probation Service"), ("CRC", "a company")],
            }
        ],
    },
    {
        "kind": "appendix",
        "heading": "Acknowledgements",
        "children": [
            {
                "kind": "acknowledgements",
                "body": "Thanks.",
                "roles": [("Lead Inspector", [("A. Person", "Inspector")])],
            }
        ],
    },
]


@pytest.fixture
def sample(inspection):
    crc = [CaseFactory(inspection=inspection, interviewed=True) for _ in range(3)]
    nps = [CaseFactory(inspection=inspection, organisation="NPS") for _ in range(2)]
    for case, value in zip(crc + nps, ["yes", "yes", "no", "yes", "no"], strict=True):
        record(case, "PP-D8a", value)
    return crc + nps


@pytest.fixture
def loaded(inspection, editor, sample, chart):
    load_document(inspection, REPORT, PARTS)
    return build_document(inspection)


def test_the_document_numbers_chapters_sections_and_appendices_as_the_report_does(loaded):
    assert [entry.label for entry in loaded.outline()] == [
        "Foreword",
        "1 Overall judgements",
        "2 Executive summary",
        "3 Recommendations",
        "4 Local context",
        "5 Reducing reoffending",
        "5.1 Effectiveness of the Community Rehabilitation Company",
        "5.2 Effectiveness of the National Probation Service",
        "5.3 The CRC and NPS working together to promote effectiveness",
        "6 Protecting the public",
        "6.1 Effectiveness of the Community Rehabilitation Company",
        "6.2 Effectiveness of the National Probation Service",
        "6.3 The CRC and NPS working together to promote effectiveness",
        "Appendix 1 Background data",
        "Appendix 2 Methodology",
        "Appendix 3 Data analysis",
        "Appendix 4 Glossary",
        "Appendix 5 Acknowledgements",
    ]
    anchors = [node.anchor for node in loaded.walk()]
    assert len(anchors) == len(set(anchors))
    assert [e.anchor for e in loaded.outline()][5:7] == ["chapter-5", "section-5-1"]
    appendix = next(node for node in loaded.parts if node.number == "Appendix 2")
    assert appendix.full_heading == "Appendix 2: Methodology"


def test_moving_an_appendix_renumbers_it_and_the_chart_pointers_follow(inspection, loaded, editor):
    from reports.document.services import report_part_move

    charts = ReportPart.objects.get(inspection=inspection, kind="appendix", heading="Data analysis")
    report_part_move(part=charts, direction="up", by=editor)

    document = build_document(inspection)
    pointer = next(node for node in document.walk() if node.kind == "chart_pointer")
    assert "Appendix 2 includes 1 chart (Chart 1)" in pointer.html
    assert [e.label for e in document.outline()][-4:-2] == [
        "Appendix 2 Data analysis",
        "Appendix 3 Methodology",
    ]


def test_figures_are_filled_in_the_register_of_their_part(loaded):
    prose = next(node for node in loaded.walk() if "Officers acted" in node.html)
    assert prose.html == "<p>Officers acted in 2 out of 3 cases.</p>"
    assert prose.where == (
        "5 Reducing reoffending, 5.1 Effectiveness of the Community Rehabilitation Company, "
        "Practice issues"
    )
    assert prose.depth == 3
    table_lead = next(node for node in loaded.walk() if node.kind == "enablers_barriers")
    cell = next(node for node in loaded.walk() if node.kind == "summary_cell")
    assert table_lead.html == "<p>In most cases …</p>"  # 2 of 3, summary register
    assert cell.html == "<p>In most.</p>"  # 3 of 5: "three-fifths" in a chapter
    assert cell.heading == "Effectiveness of the Community Rehabilitation Company"
    summary_domain = next(node for node in loaded.walk() if node.kind == "summary_domain")
    assert summary_domain.heading == "Protecting the public"


def test_the_methodology_prints_the_sample_from_the_data_and_follows_a_new_case(inspection, loaded):
    methodology = next(node for node in loaded.walk() if node.kind == "methodology")
    assert methodology.html == ("<p>We read 5 cases: 3 CRC and 2 NPS; we interviewed 3.</p>")
    assert (methodology.sample.cases, methodology.sample.crc) == (5, 3)

    CaseFactory(inspection=inspection, organisation="NPS")

    methodology = next(n for n in build_document(inspection).walk() if n.kind == "methodology")
    assert "We read 6 cases: 3 CRC and 3 NPS" in methodology.html


def test_tables_recommendations_and_charts_come_from_the_apps_data(inspection, lead, loaded):
    table_row_add(
        inspection=inspection,
        domain="PP",
        perspective="NPS",
        column="barrier",
        text="Reports were late.",
        by=lead,
    )
    group = recommendation_group_add(inspection=inspection, addressee="The NPS", by=lead)
    recommendation_add(group=group, text="Write reports on time.", by=lead)

    document = build_document(inspection)
    tables = [node for node in document.walk() if node.kind == "enablers_barriers"]
    pp_nps = next(t for t in tables if (t.domain, t.perspective) == ("PP", "NPS"))
    assert [entry.record.text for entry in pp_nps.table.barriers] == ["Reports were late."]
    assert all(t.table is not None for t in tables)
    recommendations = next(n for n in document.walk() if n.kind == "recommendations")
    assert [
        (entry.number, entry.record.text)
        for group in recommendations.recommendation_groups
        for entry in group.recommendations
    ] == [(1, "Write reports on time.")]
    charts = next(node for node in document.walk() if node.kind == "charts")
    assert [c.figures.heading for c in charts.charts] == ["Chart 1: Public protection"]
    assert "<title" in charts.charts[0].svg


def test_the_glossary_is_alphabetical_and_the_front_matter_comes_from_the_report(loaded):
    glossary = next(node for node in loaded.walk() if node.kind == "glossary")
    assert [term for term, _definition in glossary.terms] == ["CRC", "NPS"]
    assert loaded.front.title == "The effectiveness of probation work in Northshire"
    assert 'href="https://example.org/ogl"' in loaded.front.licence_html
    foreword = next(node for node in loaded.walk() if node.kind == "foreword")
    assert foreword.html == '<p>Our view.<span class="footnote">A note.</span></p>'
    assert (foreword.signatory, foreword.signed) == ("A. Chief", "May 2026")


def test_loading_again_adds_nothing(inspection, loaded):
    count = ReportPart.objects.filter(inspection=inspection).count()

    assert load_document(inspection, REPORT, PARTS) == 0
    assert ReportPart.objects.filter(inspection=inspection).count() == count
    assert Report.objects.filter(inspection=inspection).count() == 1


def test_script_and_html_in_every_editable_field_never_become_markup(inspection, editor, sample):
    evil = "<script>alert(1)</script><img src=x onerror=alert(1)>[x](javascript:alert(1))"
    parts = [
        {
            "kind": "foreword",
            "heading": evil,
            "body": evil,
            "signatory": evil,
            "signatory_role": evil,
            "signed": "<b>",
        },
        {
            "kind": "appendix",
            "heading": evil,
            "children": [
                {"kind": "quotation", "body": evil, "attribution": evil},
                {
                    "kind": "background_table",
                    "heading": evil,
                    "body": evil,
                    "columns": [evil],
                    "rows": [[evil]],
                    "source": evil,
                },
                {"kind": "glossary", "terms": [(evil, evil)]},
                {"kind": "acknowledgements", "body": evil, "roles": [(evil, [(evil, evil)])]},
            ],
        },
    ]
    report = {**REPORT, "title": evil, "licence": evil, "publisher": [evil]}
    load_document(inspection, report, parts)

    document = build_document(inspection)
    printed_as_markup = [document.front.licence_html] + [
        html for node in document.walk() for html in (node.html, node.heading_html)
    ]
    for html in printed_as_markup:
        assert not re.search(r"<(script|img|a)\b", html), html
    # The fields printed as text keep the characters, for the template to escape.
    foreword = document.parts[0]
    assert foreword.signatory == evil


def test_background_tables_are_numbered_afresh_in_each_appendix_and_named_by_their_citation(
    inspection,
):
    from reports.document.services import PartContent, report_part_add

    def add(kind, parent=None, **content):
        return report_part_add(
            inspection=inspection, kind=kind, content=PartContent(**content), parent=parent, by=None
        )

    add("chapter", heading="Reducing reoffending", domain="RR")
    for appendix_heading, headings in [("Background", ["People", "Work"]), ("More", ["Crime"])]:
        appendix = add("appendix", heading=appendix_heading)
        add("prose", parent=appendix, body="Two tables follow.")
        for heading in headings:
            add("background_table", parent=appendix, heading=heading)

    tables = [node for node in build_document(inspection).walk() if node.table_number]

    assert [(node.table_number, node.cite, node.name) for node in tables] == [
        ("Table 1", "Appendix 1, table 1", "Appendix 1, table 1: People"),
        ("Table 2", "Appendix 1, table 2", "Appendix 1, table 2: Work"),
        ("Table 1", "Appendix 2, table 1", "Appendix 2, table 1: Crime"),
    ]
