"""A report of the Durham shape with every kind of part (report_content_format.md), for the
PDF and preview tests: used when the demo holds no report parts of its own yet, so the tests
print the same kinds whatever the demo's text.

`EDITABLE` strings hold markup and script in every field an editor types, so a test can look
for them printed as text.
"""

from reports.models import PartKind as Kind
from reports.models import Report, ReportPart

SCRIPT = "<script>alert('x')</script>"
IMAGE = '<img src="file:///etc/passwd">'
DOMAINS = [("RR", "Reducing reoffending"), ("PP", "Protecting the public"), ("AB", "Abiding")]
PERSPECTIVES = ["CRC", "NPS", "joint"]
# A paragraph of ordinary length, so the sections take the room the report's do.
FILLER = (
    "Responsible officers saw people regularly and knew their circumstances well. Plans named "
    "the factors most linked to offending, and the work to address them was mostly delivered, "
    "though reviews did not always follow a change in circumstances. "
)


def _part(inspection, parent, position, kind, **fields) -> ReportPart:
    return ReportPart.objects.create(
        inspection=inspection, parent=parent, position=position, kind=kind, **fields
    )


def build_report(inspection, *, marker: str = "") -> None:
    """Parts of every kind in the Durham order. `marker` goes into every field an editor
    types (the escaping tests pass markup and script); the month-and-year fields, 40
    characters at most, get its first 28."""
    short = marker[:28]
    Report.objects.update_or_create(
        inspection=inspection,
        defaults={
            "series": f"Quality & Impact inspection{marker}",
            "title": f"The effectiveness of probation work in Durham{marker}",
            "byline": f"An inspection by HM Inspectorate of Probation{marker}",
            "published": f"August 2016{short}",
            "copyright": f"© Crown copyright 2016{marker}",
            "licence": f"Licensed under the Open Government Licence.{marker}",
            "publisher": ["HM Inspectorate of Probation", f"Manchester{marker}"],
        },
    )
    top = iter(range(1, 100))
    _part(inspection, None, next(top), Kind.TITLE_PAGE)
    _part(inspection, None, next(top), Kind.COPYRIGHT)
    _part(inspection, None, next(top), Kind.CONTENTS)
    _part(
        inspection,
        None,
        next(top),
        Kind.FOREWORD,
        body=f"We inspected the work in Durham.{marker}\n\n" + FILLER * 3,
        signatory=f"A Chief Inspector{marker}",
        signatory_role=f"HM Chief Inspector of Probation{marker}",
        signed=f"August 2016{short}",
    )
    _part(inspection, None, next(top), Kind.OVERALL_JUDGEMENTS, body=FILLER * 4 + marker)
    summary = _part(inspection, None, next(top), Kind.EXECUTIVE_SUMMARY)
    for position, (code, _name) in enumerate(DOMAINS, start=1):
        domain = _part(inspection, summary, position, Kind.SUMMARY_DOMAIN, domain=code)
        for cell, perspective in enumerate(PERSPECTIVES, start=1):
            _part(
                inspection,
                domain,
                cell,
                Kind.SUMMARY_CELL,
                perspective=perspective,
                body=f"In [[sample CRC]] CRC cases, [[PP-D8a CRC phrase]] were good. {FILLER}",
            )
    _part(
        inspection,
        None,
        next(top),
        Kind.RECOMMENDATIONS,
        body=f"To deliver positive outcomes:{marker}",
    )
    _part(inspection, None, next(top), Kind.LOCAL_CONTEXT, body=FILLER * 3)
    for code, _name in DOMAINS:
        _chapter(inspection, next(top), code, marker)
    _appendices(inspection, top, marker)


def _chapter(inspection, position, code, marker) -> None:
    chapter = _part(
        inspection, None, position, Kind.CHAPTER, domain=code, body="This chapter reports."
    )
    for number, perspective in enumerate(PERSPECTIVES, start=1):
        section = _part(inspection, chapter, number, Kind.SECTION, perspective=perspective)
        blocks = iter(range(1, 100))
        issues = _part(
            inspection, section, next(blocks), Kind.SUBSECTION, heading=f"Practice issues{marker}"
        )
        _part(
            inspection,
            issues,
            1,
            Kind.PROSE,
            body=FILLER * 4 + f"A note.[^n]{marker}\n\n[^n]: The footnote of {code}.{number}.",
        )
        _part(
            inspection,
            issues,
            2,
            Kind.PRACTICE_EXAMPLE,
            good=number == 1,
            body=f"Nat was seen weekly; his plan named his drinking.{marker}",
        )
        _part(
            inspection,
            issues,
            3,
            Kind.QUOTATION,
            body=f"“I knew what my RAR days were for.”{marker}",
            attribution=f"a participant{marker}",
        )
        _part(inspection, issues, 4, Kind.PROSE, body=FILLER * 5)
        if perspective == "joint":
            _part(inspection, section, next(blocks), Kind.CHART_POINTER, charts=[1])
        _part(
            inspection,
            section,
            next(blocks),
            Kind.ENABLERS_BARRIERS,
            body=f"The table lists the enablers and barriers.{marker}",
        )


def _appendices(inspection, top, marker) -> None:
    kinds = [
        ("Inspection framework", Kind.FRAMEWORK_DESCRIPTION, {"body": FILLER * 2}),
        (
            "Background data",
            Kind.BACKGROUND_TABLE,
            {
                "heading": f"Population estimates{marker}",
                "body": f"County Durham is the more populous.{marker}",
                "columns": [f"Area{marker}", "Population"],
                "rows": [[f"County Durham{marker}", "517,000"], ["Darlington", "105,000"]],
                "source": f"Source: Office for National Statistics{marker}",
            },
        ),
        (
            "Methodology",
            Kind.METHODOLOGY,
            {
                "body": "We inspected [[sample cases]] cases: [[sample CRC]] CRC and "
                "[[sample NPS]] NPS; we interviewed [[sample interviewed]] people."
            },
        ),
        ("Data analysis from inspected cases", Kind.CHARTS, {"body": "The charts follow."}),
        (
            "Glossary",
            Kind.GLOSSARY,
            {"terms": [[f"RAR{marker}", f"Rehabilitation activity requirement{marker}"]]},
        ),
        (
            "Acknowledgements",
            Kind.ACKNOWLEDGEMENTS,
            {"body": "We thank everyone.", "roles": [[f"Lead{marker}", [[f"Ann{marker}", "HMI"]]]]},
        ),
        ("Role of the Inspectorate and code of practice", Kind.ROLE_OF_INSPECTORATE, {"body": "-"}),
    ]
    for heading, kind, fields in kinds:
        appendix = _part(inspection, None, next(top), Kind.APPENDIX, heading=f"{heading}{marker}")
        _part(inspection, appendix, 1, kind, **fields)
