"""Tests for eval.metrics on small hand-made examples."""

from __future__ import annotations

import pytest

from eval.metrics import (
    abstention_correct,
    aggregate,
    citation_precision,
    citation_validity,
    contains_fact,
    fact_recall,
    normalise_number_text,
    percentile,
    recall_at_k,
    reciprocal_rank,
    section_hit,
)

SKOPJE = "4.6 Mission to Skopje"
SKOPJE_GENDER = "4.6 Mission to Skopje > Gender Mainstreaming"


def test_section_hit_accepts_equal_and_descendant_paths() -> None:
    assert section_hit(SKOPJE_GENDER, SKOPJE_GENDER), "a path must hit itself"
    assert section_hit(SKOPJE_GENDER, SKOPJE), "a child section must count for its parent"
    assert section_hit("4.6  mission to SKOPJE >  gender mainstreaming", SKOPJE_GENDER), (
        "matching must ignore case and runs of whitespace"
    )


def test_section_hit_rejects_parents_and_prefix_lookalikes() -> None:
    assert not section_hit(SKOPJE, SKOPJE_GENDER), "a parent is broader than the gold section"
    assert not section_hit("4.1 Presence in Albania > Introduction", "4.1 Presence in Al"), (
        "a raw string prefix is not a path prefix"
    )
    assert not section_hit("4.10 Programme Office in Bishkek", "4.1"), "4.10 is not under 4.1"


def test_recall_at_k_counts_only_the_first_k() -> None:
    retrieved = ["1 Executive Summary", "4.3 Mission in Kosovo > Hate Crime", SKOPJE_GENDER]
    assert recall_at_k(retrieved, [SKOPJE], 3) == 1.0
    assert recall_at_k(retrieved, [SKOPJE], 2) == 0.0, "the hit at rank 3 lies outside k=2"
    assert recall_at_k(retrieved, ["4.5 Mission to Serbia", "4.3 Mission in Kosovo"], 2) == 1.0
    assert recall_at_k(retrieved, [], 3) == 0.0, "no gold means nothing can be recalled"


def test_recall_at_k_rejects_a_useless_k() -> None:
    with pytest.raises(ValueError, match="k >= 1"):
        recall_at_k(["a"], ["a"], 0)


def test_reciprocal_rank_uses_the_first_hit() -> None:
    assert reciprocal_rank(["a", "b > c", "b"], ["b"]) == 0.5
    assert reciprocal_rank(["b"], ["b"]) == 1.0
    assert reciprocal_rank(["a", "c"], ["b"]) == 0.0


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("17,462.600 EUR", "17462600 EUR"),  # the report's mixed separators
        ("17,462,600 EUR", "17462600 EUR"),
        ("315,5 Total", "315.5 Total"),  # decimal comma in the BiH staff block
        ("2 981 200 EUR", "2981200 EUR"),
        ("2\u00a0403\u00a0663 people", "2403663 people"),
        ("reached 5.1 million", "reached 5.1 million"),
        ("Albania, 2019 and 2018, 14", "Albania, 2019 and 2018, 14"),
        ("1,286.5", "1286.5"),
    ],
)
def test_normalise_number_text(text: str, expected: str) -> None:
    assert normalise_number_text(text) == expected


def test_normalise_number_text_keeps_separate_numbers_apart() -> None:
    assert normalise_number_text("in 2019 150 children") == "in 2019 150 children", (
        "a year followed by a count must not be glued into one number"
    )


def test_contains_fact_matches_across_number_formats_and_case() -> None:
    assert contains_fact("a budget of 2,981,200 EUR", "2981200 eur")
    assert contains_fact("**315,5 Total**", "315.5 total")
    assert contains_fact("the ‘Hot Pursuit’ exercise", "'hot pursuit'"), (
        "curly quotes fold to ASCII"
    )


def test_contains_fact_does_not_match_inside_longer_numbers() -> None:
    assert not contains_fact("17,462,600 EUR", "17,462"), "17462 is not 17462600"
    assert not contains_fact("1,259 pieces", "259"), "259 is not 1259"
    assert not contains_fact("anything", "   "), "an empty fact never counts as found"


def test_fact_recall_is_the_share_found() -> None:
    answer = "Some 1,000 adults and 400 children ran in Travnik."
    assert fact_recall(answer, ["1000", "400", "Travnik"]) == 1.0
    assert fact_recall(answer, ["1000", "400", "Zenica"]) == pytest.approx(2 / 3)
    assert fact_recall(answer, []) == 1.0, "nothing required means nothing missed"


def test_citation_validity_checks_each_quote_in_its_own_document() -> None:
    sources = {"osce": "The Bike Unit in Ohrid was established\nin 2013.", "odihr": "Love Sonia"}
    citations = [
        ("osce", "Bike Unit in Ohrid was established in 2013"),  # crosses a line break
        ("odihr", "Bike Unit"),  # verbatim, but in the other document
        ("osce", "bike unit in ohrid"),  # wrong case is not verbatim
        ("missing", "Love Sonia"),
    ]
    assert citation_validity(citations, sources) == 0.25
    assert citation_validity([], sources) == 0.0
    assert citation_validity([("osce", "  ")], sources) == 0.0, "a blank quote proves nothing"


def test_citation_precision_is_the_share_of_cited_paths_in_gold() -> None:
    cited = [SKOPJE_GENDER, "1 Executive Summary", "4.6 MISSION TO SKOPJE > Other"]
    assert citation_precision(cited, [SKOPJE]) == pytest.approx(2 / 3)
    assert citation_precision([], [SKOPJE]) == 0.0


def test_abstention_correct_truth_table() -> None:
    assert abstention_correct(abstained=True, answerable=False)
    assert abstention_correct(abstained=False, answerable=True)
    assert not abstention_correct(abstained=True, answerable=True), "refusing an answerable case"
    assert not abstention_correct(abstained=False, answerable=False), "answering the unanswerable"


def test_percentile_interpolates_between_ranks() -> None:
    assert percentile([4.0, 1.0, 3.0, 2.0], 50) == 2.5
    assert percentile([1.0, 2.0, 3.0, 4.0, 5.0], 95) == pytest.approx(4.8)
    assert percentile([7.0], 95) == 7.0
    assert percentile([1.0, 9.0], 0) == 1.0
    assert percentile([1.0, 9.0], 100) == 9.0


def test_percentile_refuses_bad_input() -> None:
    with pytest.raises(ValueError, match="empty"):
        percentile([], 50)
    with pytest.raises(ValueError, match=r"0\.\.100"):
        percentile([1.0], 101)


def test_aggregate_means_per_kind_and_overall_skipping_none() -> None:
    rows = [
        {"id": "a", "kind": "factoid", "recall_at_5": 1.0, "abstention_correct": True},
        {"id": "b", "kind": "factoid", "recall_at_5": 0.0, "abstention_correct": False},
        {"id": "c", "kind": "unanswerable", "recall_at_5": None, "abstention_correct": True},
    ]
    result = aggregate(rows)
    assert result["overall"] == {"n": 3.0, "recall_at_5": 0.5, "abstention_correct": 2 / 3}
    assert result["by_kind"]["factoid"] == {"n": 2.0, "recall_at_5": 0.5, "abstention_correct": 0.5}
    assert result["by_kind"]["unanswerable"] == {"n": 1.0, "abstention_correct": 1.0}, (
        "a metric that is None for every row of a kind must not appear as 0"
    )


def test_aggregate_ignores_text_fields() -> None:
    result = aggregate([{"kind": "table", "answer": "1297", "latency_s": 2.0}])
    assert result["overall"] == {"n": 1.0, "latency_s": 2.0}
