"""The services that write the enablers and barriers tables and the recommendations: their
rules, the history they leave, the versions that keep two people from overwriting each other,
the order and its moves, and the published freeze, held by the models as well."""

import re

import pytest
from django.core.exceptions import ValidationError

from inspection.models import Inspection, PublishedError
from inspection.services import StaleWrite
from judgements.findings import inspection_findings
from reports.models import (
    Recommendation,
    RecommendationBarrier,
    RecommendationGroup,
    TableRow,
    TableRowCase,
    TableRowFinding,
)
from reports.tables.layout import enablers_and_barriers, recommendation_groups
from reports.tables.services import (
    FindingLink,
    recommendation_add,
    recommendation_delete,
    recommendation_group_add,
    recommendation_group_delete,
    recommendation_group_move,
    recommendation_group_update,
    recommendation_move,
    recommendation_update,
    table_row_add,
    table_row_delete,
    table_row_move,
    table_row_update,
)
from tests.factories import CaseFactory
from tests.helpers import record


def add(inspection, text, *, column="barrier", domain="PP", perspective="CRC", by=None, **links):
    return table_row_add(
        inspection=inspection,
        domain=domain,
        perspective=perspective,
        column=column,
        text=text,
        by=by,
        **links,
    )


def column_texts(inspection, domain="PP", perspective="CRC", column="barrier") -> list[str]:
    rows = TableRow.objects.filter(
        inspection=inspection, domain=domain, perspective=perspective, column=column
    )
    return list(rows.order_by("position", "pk").values_list("text", flat=True))


def revision(inspection) -> int:
    return Inspection.objects.values_list("data_revision", flat=True).get(pk=inspection.pk)


def published(inspection):
    inspection.status = "published"
    inspection.save()
    return inspection


@pytest.fixture
def three_barriers(inspection, lead):
    return [add(inspection, text, by=lead) for text in ("First", "Second", "Third")]


@pytest.fixture
def nps_case(inspection):
    return CaseFactory(inspection=inspection, case_ref="NS-101", organisation="NPS")


# Adding a row


def test_a_row_is_added_at_the_end_of_its_column_with_its_links_and_who_added_it(
    inspection, case, lead, three_barriers
):
    row = add(
        inspection,
        "Risk tasks left open at allocation went undone.",
        findings=[FindingLink("PP-A2", None, "CRC"), FindingLink("PP-O1", "public", "all")],
        case_refs=["NS-001"],
        by=lead,
    )

    assert column_texts(inspection)[-1] == "Risk tasks left open at allocation went undone."
    assert [str(link) for link in row.finding_links.all()] == ["PP-A2 CRC", "PP-O1[public] all"]
    assert [link.case for link in row.case_links.all()] == [case]
    first = row.history.get()
    assert (first.history_type, first.history_user, first.version) == ("+", lead, 1)
    assert TableRowFinding.history.filter(row_id=row.pk, history_user=lead).count() == 2
    assert TableRowCase.history.get(row_id=row.pk).history_user == lead


def test_the_other_columns_and_tables_keep_their_own_numbering(inspection, three_barriers):
    add(inspection, "An enabler", column="enabler")
    add(inspection, "An NPS barrier", perspective="NPS")

    assert column_texts(inspection) == ["First", "Second", "Third"]
    assert column_texts(inspection, column="enabler") == ["An enabler"]
    assert column_texts(inspection, perspective="NPS") == ["An NPS barrier"]


def test_a_row_names_a_table_of_the_report(inspection):
    with pytest.raises(ValidationError) as refused:
        add(inspection, "Text", domain="CS", perspective="HMPPS", column="note")

    assert set(refused.value.message_dict) == {"domain", "perspective", "column"}
    assert "one of RR, PP, AB" in refused.value.message_dict["domain"][0]
    assert not TableRow.objects.exists()


def test_every_problem_with_a_rows_text_findings_and_cases_is_named_at_once(inspection, other_case):
    with pytest.raises(ValidationError) as refused:
        add(
            inspection,
            "   ",
            findings=[
                FindingLink("PP-Z9", None, "CRC"),  # no such question
                FindingLink("RR-O2", None, "CRC"),  # a choice question: no "x of y"
                FindingLink("PP-O1", None, "CRC"),  # asked item by item
                FindingLink("PP-O1", "nobody", "CRC"),  # not one of its items
                FindingLink("PP-D8a", "public", "CRC"),  # has no items
            ],
            case_refs=["SS-001", "NS-404"],  # another inspection's case, and no case at all
        )

    errors = refused.value.message_dict
    assert errors["text"] == ["Enter the barrier."]
    assert errors["findings"] == [
        "PP-Z9 CRC: there is no question PP-Z9 in framework qi-2016",
        "RR-O2 CRC: only a yes/no question has a figure of cases to show",
        "PP-O1 CRC: the question is asked item by item; name one in brackets: public, "
        "known_victims, children, staff, prisoners",
        "PP-O1[nobody] CRC: nobody is not an item of risk of harm target groups",
        "PP-D8a[public] CRC: the question has no items",
    ]
    assert errors["cases"] == ["Not a case of northshire: SS-001, NS-404."]
    assert not TableRow.objects.exists()


def test_question_codes_and_case_references_are_matched_whatever_their_case(inspection, case):
    row = add(
        inspection,
        "Text",
        findings=[FindingLink("pp-d8a", None, "CRC"), FindingLink("PP-D8A", None, "CRC")],
        case_refs=["ns-001", "NS-001"],
    )

    assert [str(link) for link in row.finding_links.all()] == ["PP-D8a CRC"]
    assert [link.case.case_ref for link in row.case_links.all()] == ["NS-001"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("x" * 2_001, "The barrier has 2,001 characters; it may have 2,000 at most."),
        ("Word\x0bbreak", "The barrier holds a control character, U+000B (vertical tab"),
    ],
)
def test_a_rows_text_is_a_sentence_or_three_of_plain_text(inspection, text, message):
    with pytest.raises(ValidationError, match=re.escape(message)):
        add(inspection, text)


def test_text_is_kept_trimmed_with_its_line_breaks_as_line_feeds(inspection):
    row = add(inspection, "  One line\r\nand another  ")

    assert row.text == "One line\nand another"


# Editing a row


def test_an_edit_records_the_old_and_new_text_and_who_made_it(inspection, lead, editor):
    row = add(inspection, "Before", by=lead)

    changed = table_row_update(row=row, text="After", by=editor, expected_version=1)

    latest = changed.history.first()
    assert (latest.history_type, latest.history_user, latest.version) == ("~", editor, 2)
    delta = latest.diff_against(latest.prev_record)
    assert {c.field: (c.old, c.new) for c in delta.changes}["text"] == ("Before", "After")


def test_an_edit_from_an_older_version_is_refused_and_the_other_persons_text_stays(
    inspection, lead, editor
):
    row = add(inspection, "Before", by=lead)
    table_row_update(row=row, text="The editor's words", by=editor, expected_version=1)

    with pytest.raises(StaleWrite, match="changed by someone else"):
        table_row_update(row=row, text="The lead's words", by=lead, expected_version=1)

    row.refresh_from_db()
    assert (row.text, row.version) == ("The editor's words", 2)


def test_an_edit_that_changes_nothing_saves_nothing(inspection, case):
    row = add(inspection, "Same", findings=[FindingLink("PP-D8a", None, "CRC")])
    before = revision(inspection)

    same = table_row_update(
        row=row,
        text=" Same ",
        findings=[FindingLink("PP-D8a", None, "CRC")],
        by=None,
        expected_version=1,
    )

    assert same.version == 1
    assert row.history.count() == 1
    assert revision(inspection) == before


def test_an_edit_replaces_the_links_keeping_those_it_still_names(inspection, case, nps_case):
    row = add(
        inspection,
        "Text",
        findings=[FindingLink("PP-D8a", None, "CRC"), FindingLink("PP-R2", None, "CRC")],
        case_refs=["NS-001"],
    )
    kept = row.finding_links.get(question__code="PP-D8a")

    table_row_update(
        row=row,
        text="Text",
        findings=[FindingLink("PP-D8a", None, "CRC"), FindingLink("PP-D8a", None, "NPS")],
        case_refs=["NS-101"],
        by=None,
        expected_version=1,
    )

    assert [(link.pk == kept.pk, str(link)) for link in row.finding_links.all()] == [
        (True, "PP-D8a CRC"),
        (False, "PP-D8a NPS"),
    ]
    assert [link.case for link in row.case_links.all()] == [nps_case]
    row.refresh_from_db()
    assert row.version == 2  # a change of links alone is a change of the row


# Order


def test_moving_a_row_up_swaps_it_with_the_one_above_and_records_who(
    inspection, editor, three_barriers
):
    _first, second, third = three_barriers

    table_row_move(row=third, direction="up", by=editor, expected_neighbour=second.pk)

    assert column_texts(inspection) == ["First", "Third", "Second"]
    for row in (second, third):
        assert row.history.first().history_user == editor


def test_moving_a_row_down_twice_takes_it_to_the_end(inspection, three_barriers):
    first, second, third = three_barriers

    table_row_move(row=first, direction="down", by=None, expected_neighbour=second.pk)
    table_row_move(row=first, direction="down", by=None, expected_neighbour=third.pk)

    assert column_texts(inspection) == ["Second", "Third", "First"]


def test_a_move_from_a_page_whose_order_has_changed_is_refused(inspection, three_barriers):
    """Two people see First, Second, Third and both click "Move up" on Third: the first click
    moves it; the second, still naming Second as its neighbour, moves nothing."""
    _first, second, third = three_barriers
    table_row_move(row=third, direction="up", by=None, expected_neighbour=second.pk)

    with pytest.raises(StaleWrite, match="The order changed since you opened the page"):
        table_row_move(row=third, direction="up", by=None, expected_neighbour=second.pk)

    assert column_texts(inspection) == ["First", "Third", "Second"]


def test_the_first_row_cannot_move_up_nor_the_last_down(inspection, three_barriers):
    first, _second, third = three_barriers

    with pytest.raises(ValidationError, match="is already first"):
        table_row_move(row=first, direction="up", by=None)
    with pytest.raises(ValidationError, match="is already last"):
        table_row_move(row=third, direction="down", by=None)
    with pytest.raises(ValidationError, match="Move up or down"):
        table_row_move(row=first, direction="sideways", by=None)

    assert column_texts(inspection) == ["First", "Second", "Third"]


def test_a_move_keeps_within_its_column_and_table(inspection, three_barriers):
    first, second, _third = three_barriers
    add(inspection, "An enabler", column="enabler")
    add(inspection, "An NPS barrier", perspective="NPS")

    table_row_move(row=second, direction="up", by=None, expected_neighbour=first.pk)

    assert column_texts(inspection) == ["Second", "First", "Third"]
    assert column_texts(inspection, column="enabler") == ["An enabler"]


def test_a_move_after_a_deletion_swaps_with_the_row_now_beside_it(inspection, three_barriers):
    first, second, third = three_barriers
    table_row_delete(row=second, by=None, expected_version=1)

    table_row_move(row=third, direction="up", by=None, expected_neighbour=first.pk)

    assert column_texts(inspection) == ["Third", "First"]


# Deleting a row


def test_deleting_a_row_takes_its_links_and_the_recommendations_links_but_not_them(
    inspection, case, lead
):
    barrier = add(
        inspection, "A barrier", findings=[FindingLink("PP-D8a", None, "CRC")], case_refs=["NS-001"]
    )
    group = recommendation_group_add(inspection=inspection, addressee="The CRC", by=lead)
    recommendation = recommendation_add(
        group=group, text="do better", barrier_ids=[barrier.pk], by=lead
    )

    table_row_delete(row=barrier, by=lead, expected_version=1)

    assert not TableRow.objects.exists()
    assert not TableRowFinding.objects.exists() and not TableRowCase.objects.exists()
    assert not RecommendationBarrier.objects.exists()
    assert Recommendation.objects.get() == recommendation
    gone = TableRow.history.filter(id=barrier.pk).first()
    assert (gone.history_type, gone.history_user) == ("-", lead)
    assert RecommendationBarrier.history.filter(history_type="-").get().history_user == lead


def test_a_deletion_from_an_older_version_is_refused(inspection, lead, editor):
    row = add(inspection, "Before", by=lead)
    table_row_update(row=row, text="Changed since", by=editor, expected_version=1)

    with pytest.raises(StaleWrite):
        table_row_delete(row=row, by=lead, expected_version=1)

    assert TableRow.objects.get().text == "Changed since"


def test_every_write_bumps_the_inspections_data_revision(inspection, lead):
    revisions = [revision(inspection)]
    row = add(inspection, "One", by=lead)
    revisions.append(revision(inspection))
    other = add(inspection, "Two", by=lead)
    revisions.append(revision(inspection))
    table_row_update(row=row, text="One, changed", by=lead, expected_version=1)
    revisions.append(revision(inspection))
    table_row_move(row=other, direction="up", by=lead, expected_neighbour=row.pk)
    revisions.append(revision(inspection))
    group = recommendation_group_add(inspection=inspection, addressee="The CRC", by=lead)
    revisions.append(revision(inspection))
    recommendation_add(group=group, text="act", by=lead)
    revisions.append(revision(inspection))
    table_row_delete(row=other, by=lead, expected_version=2)
    revisions.append(revision(inspection))

    assert revisions == sorted(set(revisions))


# Recommendations


@pytest.fixture
def recommendations(inspection, lead):
    """Two groups of two, numbered 1 to 4."""
    both = recommendation_group_add(
        inspection=inspection,
        addressee="The Community Rehabilitation Company and National Probation Service should:",
        by=lead,
    )
    crc = recommendation_group_add(inspection=inspection, addressee="The CRC", by=lead)
    return {
        "both": both,
        "crc": crc,
        "one": recommendation_add(group=both, text="one", by=lead),
        "two": recommendation_add(group=both, text="two", by=lead),
        "three": recommendation_add(group=crc, text="three", by=lead),
        "four": recommendation_add(group=crc, text="four", by=lead),
    }


def numbered(inspection) -> list[tuple[str, list[tuple[int, str]]]]:
    return [
        (entry.group.addressee, [(r.number, r.record.text) for r in entry.recommendations])
        for entry in recommendation_groups(inspection)
    ]


def test_recommendations_are_numbered_straight_through_their_groups(inspection, recommendations):
    assert numbered(inspection) == [
        (
            "The Community Rehabilitation Company and National Probation Service",
            [(1, "one"), (2, "two")],
        ),
        ("The CRC", [(3, "three"), (4, "four")]),
    ]


def test_moving_a_group_up_moves_its_recommendations_and_renumbers_them(
    inspection, recommendations
):
    recommendation_group_move(
        group=recommendations["crc"],
        direction="up",
        by=None,
        expected_neighbour=recommendations["both"].pk,
    )

    assert [[n for n, _ in entries] for _, entries in numbered(inspection)] == [[1, 2], [3, 4]]
    assert [[t for _, t in entries] for _, entries in numbered(inspection)] == [
        ["three", "four"],
        ["one", "two"],
    ]


def test_a_recommendation_moves_within_its_group(inspection, recommendations):
    recommendation_move(
        recommendation=recommendations["four"],
        direction="up",
        by=None,
        expected_neighbour=recommendations["three"].pk,
    )

    assert numbered(inspection)[1][1] == [(3, "four"), (4, "three")]
    with pytest.raises(ValidationError, match="is already first"):
        recommendation_move(recommendation=recommendations["four"], direction="up", by=None)
    with pytest.raises(StaleWrite):
        recommendation_move(
            recommendation=recommendations["three"],
            direction="up",
            by=None,
            expected_neighbour=recommendations["two"].pk,
        )


def test_a_recommendation_given_another_group_joins_the_end_of_it(inspection, recommendations):
    recommendation_update(
        recommendation=recommendations["one"],
        text="one",
        group=recommendations["crc"],
        by=None,
        expected_version=1,
    )

    assert numbered(inspection)[0][1] == [(1, "two")]
    assert numbered(inspection)[1][1] == [(2, "three"), (3, "four"), (4, "one")]


def test_a_recommendation_names_the_barriers_it_answers_as_the_tables_number_them(
    inspection, recommendations, three_barriers
):
    first, _second, third = three_barriers
    enabler = add(inspection, "An enabler", column="enabler")

    recommendation_update(
        recommendation=recommendations["three"],
        text="three",
        barrier_ids=[third.pk, first.pk],
        by=None,
        expected_version=1,
    )
    with pytest.raises(ValidationError, match="Choose barriers of this inspection"):
        recommendation_add(
            group=recommendations["crc"], text="five", barrier_ids=[enabler.pk], by=None
        )

    barriers = recommendation_groups(inspection)[1].recommendations[0].barriers
    assert [barrier.label for barrier in barriers] == [
        "Protecting the public, CRC: barrier 3",
        "Protecting the public, CRC: barrier 1",
    ]
    tables = enablers_and_barriers(inspection)
    protecting_crc = tables[1].tables[0]
    assert [entry.recommendations for entry in protecting_crc.barriers] == [
        [(3, recommendations["three"].pk)],
        [],
        [(3, recommendations["three"].pk)],
    ]


def test_a_barrier_of_another_inspection_is_refused(inspection, other_inspection, recommendations):
    elsewhere = add(other_inspection, "Someone else's barrier")

    with pytest.raises(ValidationError, match="Choose barriers of this inspection"):
        recommendation_add(
            group=recommendations["crc"], text="five", barrier_ids=[elsewhere.pk], by=None
        )


def test_a_group_with_recommendations_cannot_be_deleted_but_an_empty_one_can(
    inspection, recommendations, lead
):
    with pytest.raises(ValidationError, match="still has 2 recommendations"):
        recommendation_group_delete(group=recommendations["crc"], by=lead, expected_version=1)

    for name in ("three", "four"):
        recommendation_delete(recommendation=recommendations[name], by=lead, expected_version=1)
    recommendation_group_delete(group=recommendations["crc"], by=lead, expected_version=1)

    assert list(RecommendationGroup.objects.values_list("addressee", flat=True)) == [
        "The Community Rehabilitation Company and National Probation Service"
    ]


def test_who_should_act_is_kept_without_the_headings_should(inspection, recommendations, editor):
    group = recommendation_group_update(
        group=recommendations["crc"], addressee="The NPS should", by=editor, expected_version=1
    )

    assert group.addressee == "The NPS"
    assert str(group) == "The NPS should:"
    with pytest.raises(StaleWrite):
        recommendation_group_update(
            group=recommendations["crc"], addressee="HMPPS", by=editor, expected_version=1
        )
    with pytest.raises(ValidationError, match="Enter the addressee"):
        recommendation_group_add(inspection=inspection, addressee=" should: ", by=editor)


def test_a_recommendation_edit_from_an_older_version_is_refused(inspection, recommendations):
    recommendation_update(
        recommendation=recommendations["one"], text="first", by=None, expected_version=1
    )

    with pytest.raises(StaleWrite):
        recommendation_update(
            recommendation=recommendations["one"], text="second", by=None, expected_version=1
        )
    with pytest.raises(StaleWrite):
        recommendation_delete(recommendation=recommendations["one"], by=None, expected_version=1)

    assert Recommendation.objects.get(pk=recommendations["one"].pk).text == "first"


# What the pages read


def test_a_linked_finding_shows_the_engines_figure_now(inspection, case, nps_case):
    second = CaseFactory(inspection=inspection, case_ref="NS-002")
    record(case, "PP-D8a", "yes")
    record(second, "PP-D8a", "no")
    record(nps_case, "PP-D8a", "yes")
    add(
        inspection,
        "Text",
        findings=[FindingLink("PP-D8a", None, "CRC"), FindingLink("PP-D8a", None, "all")],
    )

    figures = enablers_and_barriers(inspection)[1].tables[0].barriers[0].figures

    engine = inspection_findings(inspection)
    assert [(f.label, f.yes, f.relevant, f.count) for f in figures] == [
        ("PP-D8a CRC", 1, 2, "1 of 2 (50%)"),
        ("PP-D8a CRC and NPS", 2, 3, "2 of 3 (67%)"),
    ]
    assert figures[0].relevant == engine.yes_no_finding("PP-D8a", group="CRC").relevant
    record(second, "PP-D8a", "yes", expected_version=1)
    figures = enablers_and_barriers(inspection)[1].tables[0].barriers[0].figures
    assert figures[0].count == "2 of 2 (100%)"


def test_every_outcome_domain_has_its_three_tables_even_when_empty(inspection):
    tables = enablers_and_barriers(inspection)

    assert [(d.name, [t.slug for t in d.tables]) for d in tables] == [
        ("Reducing reoffending", ["rr-crc", "rr-nps", "rr-joint"]),
        ("Protecting the public", ["pp-crc", "pp-nps", "pp-joint"]),
        ("Abiding by the sentence", ["ab-crc", "ab-nps", "ab-joint"]),
    ]
    assert tables[0].tables[2].heading == "The CRC and NPS working together"
    assert tables[0].tables[0].heading == inspection.crc_name


# The published freeze


@pytest.fixture
def content(inspection, case, lead, recommendations):
    barrier = add(
        inspection,
        "A barrier",
        findings=[FindingLink("PP-D8a", None, "CRC")],
        case_refs=["NS-001"],
        by=lead,
    )
    second = add(inspection, "Another", by=lead)
    recommendation_update(
        recommendation=recommendations["one"],
        text="one",
        barrier_ids=[barrier.pk],
        by=lead,
        expected_version=1,
    )
    return {**recommendations, "barrier": barrier, "second": second}


def snapshot() -> dict:
    return {
        model.__name__: list(model.objects.order_by("pk").values())
        for model in (
            TableRow,
            TableRowFinding,
            TableRowCase,
            RecommendationGroup,
            Recommendation,
            RecommendationBarrier,
        )
    }


SERVICE_WRITES = {
    "add a row": lambda c, i: add(i, "New"),
    "edit a row": lambda c, i: table_row_update(row=c["barrier"], text="Changed", by=None),
    "move a row": lambda c, i: table_row_move(row=c["second"], direction="up", by=None),
    "delete a row": lambda c, i: table_row_delete(row=c["barrier"], by=None),
    "add a group": lambda c, i: recommendation_group_add(inspection=i, addressee="X", by=None),
    "rename a group": lambda c, i: recommendation_group_update(
        group=c["crc"], addressee="X", by=None
    ),
    "move a group": lambda c, i: recommendation_group_move(group=c["crc"], direction="up", by=None),
    "add a recommendation": lambda c, i: recommendation_add(group=c["crc"], text="x", by=None),
    "edit a recommendation": lambda c, i: recommendation_update(
        recommendation=c["one"], text="x", by=None
    ),
    "move a recommendation": lambda c, i: recommendation_move(
        recommendation=c["two"], direction="up", by=None
    ),
    "delete a recommendation": lambda c, i: recommendation_delete(recommendation=c["one"], by=None),
}


@pytest.mark.parametrize("write", SERVICE_WRITES, ids=list(SERVICE_WRITES))
def test_a_published_inspections_tables_refuse_every_service(inspection, content, write):
    published(inspection)
    before = snapshot()

    with pytest.raises(PublishedError, match="northshire is published"):
        SERVICE_WRITES[write](content, inspection)

    assert snapshot() == before


def copy_of(row: TableRow) -> TableRow:
    return TableRow(
        inspection_id=row.inspection_id,
        domain=row.domain,
        perspective=row.perspective,
        column=row.column,
        position=row.position + 1,
        text=row.text,
    )


MODEL_WRITES = {
    "save a row": lambda c: c["barrier"].save(),
    "delete a row": lambda c: c["barrier"].delete(),
    "update rows": lambda c: TableRow.objects.update(text="Rewritten"),
    "delete rows": lambda c: TableRow.objects.all().delete(),
    "bulk-create a row": lambda c: TableRow.objects.bulk_create([copy_of(c["barrier"])]),
    "remove a finding link": lambda c: TableRowFinding.objects.get().delete(),
    "change a finding link": lambda c: TableRowFinding.objects.update(group="NPS"),
    "remove a case link": lambda c: TableRowCase.objects.all().delete(),
    "rename a group": lambda c: RecommendationGroup.objects.update(addressee="X"),
    "save a recommendation": lambda c: c["one"].save(),
    "delete recommendations": lambda c: Recommendation.objects.all().delete(),
    "unlink a barrier": lambda c: RecommendationBarrier.objects.get().delete(),
}


@pytest.mark.parametrize("write", MODEL_WRITES, ids=list(MODEL_WRITES))
def test_a_published_inspections_tables_refuse_writes_round_the_services(
    inspection, content, write
):
    """The shell, a command or a migration cannot step round the freeze either."""
    published(inspection)
    before = snapshot()

    with pytest.raises(PublishedError):
        MODEL_WRITES[write](content)

    assert snapshot() == before
