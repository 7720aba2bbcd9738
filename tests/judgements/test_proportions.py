"""The report-style phrase for a count of relevant cases."""

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from judgements.proportions import (
    FRACTIONS,
    PHRASE_SCALE,
    SUMMARY_SCALE,
    percent,
    phrase_rank,
    proportion_phrase,
    summary_phrase,
)

FRACTION_VALUES = {name: value for value, name in FRACTIONS}


@st.composite
def count_of_relevant(draw):
    relevant = draw(st.integers(min_value=1, max_value=500))
    return draw(st.integers(min_value=0, max_value=relevant)), relevant


@pytest.mark.parametrize(
    ("count", "relevant", "phrase"),
    [
        (0, 31, "none"),
        (6, 6, "all"),
        (15, 16, "all but one"),
        (14, 16, "all but two"),
        (4, 6, "two-thirds"),  # too few cases for "all but two"
        (8, 24, "one-third"),
        (12, 16, "three-quarters"),
        (8, 16, "half"),
        (12, 15, "four-fifths"),
        (17, 31, "slightly more than half"),
        (22, 31, "almost three-quarters"),
        (26, 31, "over four-fifths"),
        (27, 31, "most"),
        (3, 31, "one-tenth"),
        (5, 31, "just under one-fifth"),
        (13, 31, "about two-fifths"),
        (1, 31, "very few"),
    ],
)
def test_phrases_read_as_the_report_writes_them(count, relevant, phrase):
    assert proportion_phrase(count, relevant) == phrase


@pytest.mark.parametrize(
    ("count", "relevant", "phrase"),
    [
        (27, 40, "two-thirds"),  # two-thirds of 40 is 26.7
        (23, 31, "three-quarters"),  # three-quarters of 31 is 23.25
        (13, 16, "four-fifths"),  # four-fifths of 16 is 12.8
        (12, 31, "two-fifths"),  # two-fifths of 31 is 12.4
    ],
)
def test_the_nearest_whole_case_to_a_fraction_is_the_fraction_itself(count, relevant, phrase):
    assert proportion_phrase(count, relevant) == phrase


@pytest.mark.parametrize(
    ("count", "relevant", "phrase"),
    [
        (26, 40, "about two-thirds"),  # 65%: 27 is nearer two-thirds of 40
        (59, 80, "about three-quarters"),  # 74%: three-quarters of 80 is 60
        (13, 31, "about two-fifths"),  # 42%: 12 is nearer two-fifths of 31
        (134, 400, "about one-third"),  # half a point off, but 133 is nearer a third of 400
        (15, 31, "about half"),  # half of 31 is 15.5: neither 15 nor 16 is nearer
        (16, 31, "about half"),
    ],
)
def test_a_count_within_two_points_that_is_not_the_nearest_whole_case_is_about(
    count, relevant, phrase
):
    assert proportion_phrase(count, relevant) == phrase


def test_the_nearest_whole_case_does_not_stretch_a_fraction_beyond_two_points():
    assert proportion_phrase(2, 7) == "just over one-quarter"  # 29%; a quarter of 7 is 1.75
    assert proportion_phrase(3, 17) == "just under one-fifth"  # 18%; a fifth of 17 is 3.4


def test_no_relevant_cases_gives_no_phrase_and_no_percentage():
    assert proportion_phrase(0, 0) is None
    assert percent(0, 0) is None


def test_a_count_above_the_relevant_cases_is_refused():
    with pytest.raises(ValueError, match="outside"):
        proportion_phrase(5, 4)


@pytest.mark.parametrize(
    ("count", "relevant", "expected"),
    [(9, 13, 69), (1, 8, 13), (1, 2, 50), (7, 15, 47), (6, 7, 86)],
)
def test_percentages_round_half_up_as_the_report_prints_them(count, relevant, expected):
    assert percent(count, relevant) == expected


@given(count_of_relevant())
def test_never_says_all_or_none_unless_true(pair):
    count, relevant = pair
    phrase = proportion_phrase(count, relevant)
    assert (phrase == "all") == (count == relevant)
    assert (phrase == "none") == (count == 0)


@given(count_of_relevant())
def test_a_bare_fraction_is_the_nearest_whole_case_and_about_one_is_not(pair):
    count, relevant = pair
    phrase = proportion_phrase(count, relevant)
    name = phrase.removeprefix("about ")
    if name not in FRACTION_VALUES:
        return
    cases_off = abs(count - FRACTION_VALUES[name] * relevant)
    if phrase == name:
        assert cases_off < Fraction(1, 2)
    else:
        assert cases_off >= Fraction(1, 2)


@given(count_of_relevant())
def test_never_says_most_of_a_minority(pair):
    count, relevant = pair
    if 2 * count < relevant:
        assert phrase_rank(proportion_phrase(count, relevant)) < phrase_rank(
            "slightly more than half"
        )
        assert proportion_phrase(count, relevant) != "most"


@given(count_of_relevant())
def test_a_majority_is_never_described_below_half(pair):
    count, relevant = pair
    if 2 * count > relevant:
        assert phrase_rank(proportion_phrase(count, relevant)) > phrase_rank(
            "slightly less than half"
        )


# Each example walks every count of up to 400 cases, so how long it takes is the machine's load,
# not the rule: with no deadline, a busy machine cannot fail it (it took 360 ms once, against
# Hypothesis's 200 ms, while other suites ran).
NO_DEADLINE = settings(deadline=None)


@NO_DEADLINE
@given(st.integers(min_value=1, max_value=400))
def test_phrases_never_go_down_as_the_count_goes_up(relevant):
    ranks = [phrase_rank(proportion_phrase(count, relevant)) for count in range(relevant + 1)]
    assert ranks == sorted(ranks)


def test_every_phrase_on_the_scale_is_said_for_some_count():
    said = {proportion_phrase(c, r) for r in range(1, 120) for c in range(r + 1)}
    unsaid = [phrase for tier in PHRASE_SCALE for phrase in tier if phrase not in said]
    assert unsaid == []


# The summary register: the executive summary and the enablers and barriers tables


@pytest.mark.parametrize(
    ("count", "relevant", "phrase"),
    [
        (14, 16, "most"),  # "all but two" in the chapters
        (15, 16, "most"),
        (12, 16, "most"),  # "three-quarters" in the chapters
        (5, 8, "most"),  # "just over three-fifths" in the chapters
        (16, 31, "most"),  # one case over half is more than half
        (16, 16, "all"),
        (8, 16, "half"),
        (15, 31, "about half"),
        (10, 26, "two-fifths"),
        (1, 31, "very few"),
        (0, 16, "none"),
    ],
)
def test_the_summary_says_most_of_more_than_half_short_of_all(count, relevant, phrase):
    assert summary_phrase(count, relevant) == phrase


def test_the_summary_has_no_phrase_without_relevant_cases_and_refuses_a_count_too_large():
    assert summary_phrase(0, 0) is None
    with pytest.raises(ValueError, match="outside"):
        summary_phrase(5, 4)


@given(count_of_relevant())
def test_the_summary_never_says_all_or_none_unless_true(pair):
    count, relevant = pair
    phrase = summary_phrase(count, relevant)
    assert (phrase == "all") == (count == relevant)
    assert (phrase == "none") == (count == 0)


@given(count_of_relevant())
def test_the_summary_says_most_exactly_of_a_majority_short_of_all(pair):
    count, relevant = pair
    assert (summary_phrase(count, relevant) == "most") == (relevant < 2 * count < 2 * relevant)


@given(count_of_relevant())
def test_at_or_below_half_the_summary_says_what_the_chapters_say(pair):
    count, relevant = pair
    if 2 * count <= relevant:
        assert summary_phrase(count, relevant) == proportion_phrase(count, relevant)


@given(count_of_relevant())
def test_the_summary_never_puts_a_minority_at_or_above_half(pair):
    count, relevant = pair
    if 2 * count < relevant:
        rank = phrase_rank(summary_phrase(count, relevant), summary=True)
        assert rank <= phrase_rank("half", summary=True)
        assert rank < phrase_rank("most", summary=True)


@NO_DEADLINE
@given(st.integers(min_value=1, max_value=400))
def test_summary_phrases_never_go_down_as_the_count_goes_up(relevant):
    ranks = [
        phrase_rank(summary_phrase(count, relevant), summary=True) for count in range(relevant + 1)
    ]
    assert ranks == sorted(ranks)


def test_every_phrase_on_the_summary_scale_is_said_for_some_count():
    said = {summary_phrase(c, r) for r in range(1, 120) for c in range(r + 1)}
    unsaid = [phrase for tier in SUMMARY_SCALE for phrase in tier if phrase not in said]
    assert unsaid == []
    assert said <= {phrase for tier in SUMMARY_SCALE for phrase in tier}


# At the edges of each rule, and of one relevant case


def test_one_relevant_case_is_all_or_none_at_100_or_0_percent():
    assert (percent(1, 1), proportion_phrase(1, 1)) == (100, "all")
    assert (percent(0, 1), proportion_phrase(0, 1)) == (0, "none")


@pytest.mark.parametrize(
    ("count", "relevant", "phrase"),
    [
        (5, 6, "all but one"),  # the fewest cases that read "all but one"
        (10, 12, "all but two"),  # the fewest cases that read "all but two"
        (3, 20, "just over one-tenth"),  # as near one-fifth: the lower fraction is named
        (19, 200, "about one-tenth"),  # half a point from a fraction is "about" it
        (12, 25, "about half"),  # two points from a fraction is still "about" it
    ],
)
def test_phrases_at_the_edges_of_each_rule(count, relevant, phrase):
    assert proportion_phrase(count, relevant) == phrase
