"""The framework's two rules, once: the answers a question takes, and when a gate opens."""

from judgements.rules import Gate, answer_codes, gate_opens


def _opens(gate, item=None, descriptors=None, answers=None):
    return gate_opens(
        gate,
        item,
        lambda name: (descriptors or {})[name],
        lambda question, gate_item: (answers or {}).get((question, gate_item)),
    )


def test_each_kind_takes_its_codes():
    assert answer_codes("yes_no_na", None) == ["yes", "no", "na"]
    assert answer_codes("yes_no", None) == ["yes", "no"]
    assert answer_codes("choice", [{"code": "po"}, {"code": "pso"}]) == ["po", "pso"]
    assert answer_codes("number", None) == answer_codes("text", None) == []


def test_a_question_without_a_gate_is_always_asked():
    assert _opens(None)


def test_a_descriptor_gate_opens_on_its_codes_only():
    gate = Gate(values=["full_written", "short_or_oral"], descriptor="court_report")

    assert _opens(gate, descriptors={"court_report": "short_or_oral"})
    assert not _opens(gate, descriptors={"court_report": "none"})


def test_an_item_gate_reads_the_same_item_and_an_unanswered_gate_stays_shut():
    gate = Gate(values=["yes"], question="RR-A2", per_item=True)
    answers = {("RR-A2", "alcohol"): "yes", ("RR-A2", "drugs"): "no"}

    assert _opens(gate, "alcohol", answers=answers)
    assert not _opens(gate, "drugs", answers=answers)
    assert not _opens(gate, "finance", answers=answers)


def test_a_gate_without_items_reads_the_one_answer_whatever_the_item():
    gate = Gate(values=["no"], question="RR-D1")

    assert _opens(gate, "alcohol", answers={("RR-D1", None): "no"})
    assert not _opens(gate, "alcohol", answers={("RR-D1", "alcohol"): "no"})
