"""The golden tests read the Durham report's figures from shared/reference, outside the project:
without it they skip, and say where they looked, unless REQUIRE_REFERENCE=1 (as CI sets),
where a run without the reference fails rather than passing by skipping."""

import pytest

from tests.helpers import reference_file


def test_a_missing_reference_skips_with_where_it_was_looked_for(tmp_path, monkeypatch):
    monkeypatch.setenv("QI_REFERENCE_DIR", str(tmp_path))
    monkeypatch.delenv("REQUIRE_REFERENCE", raising=False)

    with pytest.raises(pytest.skip.Exception) as skipped:
        reference_file("durham_figures.yaml")

    assert f"No durham_figures.yaml at {tmp_path / 'durham_figures.yaml'}" in str(skipped.value)
    assert "Set QI_REFERENCE_DIR" in str(skipped.value)


def test_a_missing_reference_fails_when_it_is_required(tmp_path, monkeypatch):
    monkeypatch.setenv("QI_REFERENCE_DIR", str(tmp_path))
    monkeypatch.setenv("REQUIRE_REFERENCE", "1")

    with pytest.raises(pytest.fail.Exception) as failed:
        reference_file("durham_figures.yaml")

    assert f"No durham_figures.yaml at {tmp_path / 'durham_figures.yaml'}" in str(failed.value)
    assert "REQUIRE_REFERENCE=1" in str(failed.value)


def test_a_reference_that_is_there_is_read_from_its_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("QI_REFERENCE_DIR", str(tmp_path))
    monkeypatch.setenv("REQUIRE_REFERENCE", "1")
    (tmp_path / "durham_figures.yaml").write_text("[]\n", encoding="utf-8")

    assert reference_file("durham_figures.yaml") == tmp_path / "durham_figures.yaml"
