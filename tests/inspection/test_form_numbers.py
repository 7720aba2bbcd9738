"""A version or a neighbour sent back by a page is compared, never skipped: one the page never
made (missing, garbled, not a record's) refuses the write as stale."""

import pytest

from inspection.lib.forms import MATCHES_NOTHING, expected_from_page, int_or_none


@pytest.mark.parametrize("sent", [None, "", "abc", "1.5", "0", "-3"])
def test_a_version_the_page_never_made_matches_no_record(sent):
    assert expected_from_page(sent) == MATCHES_NOTHING


def test_a_version_the_page_made_is_read_as_sent():
    assert expected_from_page("7") == 7
    assert expected_from_page(" 12 ") == 12


@pytest.mark.parametrize(("sent", "read"), [("4", 4), (None, None), ("", None), ("x", None)])
def test_an_optional_number_is_none_when_not_one(sent, read):
    assert int_or_none(sent) == read
