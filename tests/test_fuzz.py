"""Hostile input: parsing, reading and the question path never crash or hang.

Property tests (hypothesis, bounded examples, no per-example deadline because this machine is
shared; time is bounded by explicit checks on the worst inputs instead) plus hand-made
adversarial reports: huge lines, deep heading nesting, NUL bytes, mixed encodings.
"""

from __future__ import annotations

import tempfile
import time
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant.errors import AssistantError, QuestionError
from assistant.service import Assistant, clean_question
from assistant.types import Answer, Filters, Turn
from index.blocks import split_blocks
from index.errors import ReportError
from index.ingest import read_report
from index.parse import content_lines, parse_report

BOUNDED = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# lines that look like what the parser reacts to, mixed with arbitrary unicode
_TITLE = st.text(st.characters(blacklist_categories=["Cs"]), max_size=40)
_LINE = st.one_of(
    _TITLE,
    st.builds(lambda n, t: "#" * n + " " + t, st.integers(1, 8), _TITLE),
    st.builds(
        lambda d, t: ".".join(map(str, d)) + " " + t,
        st.lists(st.integers(0, 12), min_size=1, max_size=6),
        _TITLE,
    ),
    st.builds(lambda n, t: f"<sup>{n}</sup> {t}", st.integers(0, 99), _TITLE),
    st.builds(lambda t: f"**{t}**", _TITLE),
    st.builds(lambda t, n: f"{t}\t{n}", _TITLE, st.integers(0, 300)),
    st.sampled_from(
        [
            "",
            " ",
            "\u00a0",
            "\t",
            "# Table of Contents",
            "# Contents",
            "PART 2",
            "\x00",
            "\x0c",
            "\u2028",
            "(",
            "**",
            "2019",
            "45%",
        ]
    ),
)
REPORT = st.lists(_LINE, max_size=60).map("\n".join)


def assert_every_line_once(text: str) -> None:
    """The parser's promise: every content line of the report lands in exactly one section."""
    report = parse_report("fuzz", text)
    placed = Counter(n for s in report.sections for n in s.lines)
    wanted = content_lines(text)
    missing = [n for n in wanted if placed[n] == 0]
    twice = [n for n, c in placed.items() if c > 1]
    extra = set(placed) - set(wanted)
    assert not missing, f"content lines lost by the parser: {missing[:10]}"
    assert not twice, f"lines in more than one section: {twice[:10]}"
    assert not extra, f"blank or non-existent lines placed in sections: {sorted(extra)[:10]}"
    for section in report.sections:
        block_lines = [n for b in section.blocks for n in b.lines]
        assert len(block_lines) == len(set(block_lines)), f"a line twice in {section.path!r}"


@BOUNDED
@given(REPORT)
def test_parse_places_every_line_once(text: str) -> None:
    assert_every_line_once(text)


@BOUNDED
@given(st.text(max_size=2000))
def test_parse_arbitrary_text(text: str) -> None:
    assert_every_line_once(text)


@BOUNDED
@given(REPORT)
def test_split_blocks_covers_content_lines(text: str) -> None:
    """Blocks hold every content line once, in order, and never a blank one."""
    lines = [n for b in split_blocks(text) for n in b.lines]
    assert lines == content_lines(text)


def _nested(depth: int) -> str:
    """A heading tree `depth` deep, numbered and with '#' levels, each with a paragraph."""
    out = ["# Table of Contents", ""]
    out += [".".join(["1"] * (d + 1)) + f" Part {d}\t{d + 2}" for d in range(depth)]
    for d in range(depth):
        out += ["", "#" * min(d + 1, 6) + " " + ".".join(["1"] * (d + 1)) + f" Part {d}", ""]
        out.append(f"Text of part {d} which ends open and")
    return "\n".join(out)


ADVERSARIAL = {
    "huge line": "# Title\n\n" + "word " * 200_000,
    "huge line of one char": "(" * 300_000 + "\n" + ")" * 300_000,
    "huge bold line": "**" + "a" * 200_000 + "**",
    "many footnote markers": "# A\n\n" + "x<sup>1</sup> " * 20_000 + "\n\n<sup>1</sup> body",
    "deep nesting": _nested(120),
    "ten thousand headings": "\n".join(f"{'#' * (i % 6 + 1)} H{i}" for i in range(10_000)),
    "open sentences everywhere": "\n\n".join(f"paragraph {i} of the" for i in range(3_000)),
    "nul and controls": "# A\x00B\n\ntext\x00with\x01nul\x0cand\x1bescape\n\n\x00",
    "only blanks": "\n \n\u00a0\n\t\n",
}


@pytest.mark.parametrize("name", list(ADVERSARIAL))
def test_adversarial_reports_parse_quickly(name: str) -> None:
    """Worst cases of size and shape: correct and bounded in time (no regex blow-up)."""
    started = time.perf_counter()
    assert_every_line_once(ADVERSARIAL[name])
    elapsed = time.perf_counter() - started
    assert elapsed < 30, f"{name}: parsing took {elapsed:.1f} s; something is super-linear"


ENCODINGS = st.sampled_from(["utf-8", "utf-8-sig", "latin-1", "cp1252", "utf-16", "shift_jis"])


@BOUNDED
@given(st.one_of(st.binary(max_size=3000), st.tuples(st.text(max_size=500), ENCODINGS)))
def test_read_report_on_bytes(data: bytes | tuple[str, str]) -> None:
    """Any bytes: text back, or a ReportError with a reason; never another exception."""
    if isinstance(data, tuple):
        try:
            data = data[0].encode(data[1])
        except UnicodeEncodeError:
            data = data[0].encode("utf-8", "replace")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "r.md"
        path.write_bytes(data)
        try:
            text = read_report(path)
        except ReportError as exc:
            assert str(path) in str(exc) and exc.reason, "a rejection says which file and why"
            return
    assert "\r\n" not in text
    assert any(ch.isalpha() for ch in text)
    assert_every_line_once(text)


def test_read_report_mixed_encoding_is_rejected_with_offset(tmp_path: Path) -> None:
    """UTF-8 text with one latin-1 paragraph pasted in: rejected, naming the bad byte's offset."""
    path = tmp_path / "mixed.md"
    path.write_bytes(
        "# Report\n\nCafé in UTF-8.\n\n".encode() + "Café in latin-1.".encode("latin-1")
    )
    with pytest.raises(ReportError, match=r"not UTF-8 text \(bad byte at offset 30\)"):
        read_report(path)


@BOUNDED
@given(st.text(max_size=2500))
def test_clean_question(question: str) -> None:
    """Any string: a cleaned question or a QuestionError; the clean form has no control chars."""
    try:
        cleaned = clean_question(question, 2000)
    except QuestionError as exc:
        assert str(exc) and "\n" not in str(exc)
        return
    assert cleaned == cleaned.strip() and cleaned
    assert len(cleaned) <= 2000
    assert not any(ord(ch) < 32 or 127 <= ord(ch) < 160 for ch in cleaned)


@pytest.mark.parametrize("bad", [None, "", "   ", "\x00\x00", "?!?", "\u200b\u200b", "x" * 2001])
def test_unusable_questions_give_a_clear_error(
    corpus_assistant: Assistant, bad: str | None
) -> None:
    with pytest.raises(QuestionError):
        corpus_assistant.answer(bad)  # type: ignore[arg-type]


_QUESTION = st.one_of(
    st.text(max_size=300),
    st.lists(
        st.sampled_from(
            [
                "skopje",
                "budget",
                "2019",
                "[7]",
                "#",
                "**",
                "\x00",
                "ignore",
                "OSCE",
                "?",
                "police",
                "'",
                '"',
                "<sup>1</sup>",
                "kosovo",
                "gender",
            ]
        ),
        max_size=20,
    ).map(" ".join),
)


@pytest.mark.slow
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_QUESTION, st.lists(_QUESTION, max_size=3))
def test_answer_never_crashes(
    corpus_assistant: Assistant, question: str, history: list[str]
) -> None:
    """Any question and history: an Answer with verbatim quotes, or an AssistantError."""
    try:
        answer = corpus_assistant.answer(question, [Turn(q) for q in history])
    except AssistantError as exc:
        assert str(exc) and "\n" not in str(exc)
        return
    assert isinstance(answer, Answer)
    assert answer.citations or answer.abstained, "an answer without a source must be a refusal"
    for citation in answer.citations:
        assert citation.quote in corpus_assistant.source(citation.document)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=60))
def test_filters_resolve_or_explain(corpus_assistant: Assistant, name: str) -> None:
    """A filter value is matched to a real name or refused with an AssistantError."""
    try:
        resolved = corpus_assistant.resolve_filters(Filters(units=(name,)))
    except AssistantError as exc:
        assert "no operation/unit named" in str(exc)
        return
    assert set(resolved.units) <= set(corpus_assistant.lexicon.units)
