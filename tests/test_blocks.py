"""Block splitting and classification: pure functions on hand-made text."""

from __future__ import annotations

from index.blocks import (
    ends_open,
    footnote_markers,
    footnote_number,
    heading_title,
    is_caption,
    is_embed,
    is_figure,
    split_blocks,
    starts_continuation,
    strip_markup,
)
from index.records import section_records
from index.toc import TocEntry, match_entry, parse_entry, plain_heading
from index.types import Block, Section


def test_blocks_split_on_blank_and_nbsp_lines_and_headings_stand_alone() -> None:
    blocks = split_blocks("# Title\nline one\nline two\n\u00a0\nnext\n")
    assert [b.kind for b in blocks] == ["heading", "paragraph", "paragraph"]
    assert blocks[1].lines == (2, 3)


def test_block_kinds() -> None:
    text = "a\tb\tc\n1\t2\t3\n\n<sup>4</sup> A footnote body.\n\n**TOTAL**  \n**2,981,200 EUR**\n\n"
    text += "Officers at the border, Shkodra, 17 October 2019. (Oltjon Milo)\n"
    kinds = [b.kind for b in split_blocks(text)]
    assert kinds == ["table", "footnote", "figure", "caption"]


def test_a_web_posts_buttons_counters_and_cut_text_are_embed_residue() -> None:
    assert is_embed(("👍 43 4 Shares",)) and is_embed(("👍 Like 💬 Comment ➦ Share",))
    assert is_embed(("**OSCE Office for Democratic Institutions (ODIHR)** ⋮",))
    assert is_embed(("“Prevention is our aim,” said the head of police ... [See More](#)",))
    assert not is_embed(("On 3 May, 43 officers shared good practices (see more below).",))
    assert not is_embed(("← \\_\\_ →",)), "a chart's arrows are no post"
    kinds = [b.kind for b in split_blocks("Text of a report.\n\n· May 2, 2019 · 🌐\n")]
    assert kinds == ["paragraph", "embed"]


def test_bold_pseudo_headings_but_not_bold_figures() -> None:
    kinds = [b.kind for b in split_blocks("**Other**\n\n**TOTAL**\n\n**5 Total**\n")]
    assert kinds == ["heading", "figure", "figure"]


def test_footnotes_and_markers() -> None:
    assert footnote_number("<sup>9</sup> The reports provided") == 9
    assert footnote_number("21 GRETA (2015)37, Report") == 21
    assert footnote_number("¹ Data taken from IPU") == 1
    assert footnote_number("In 2019 the Mission") is None
    assert footnote_number("31 Čačak, Leskovac, Niš and Zvezdara.") == 31, "a capital beyond A-Z"
    assert footnote_number("12 police officers attended") is None
    assert footnote_markers("regions<sup>9</sup> and age of 45.¹ Then") == [9, 1]


def test_markup_and_sentence_edges() -> None:
    assert (
        strip_markup("<b>Total</b> \\*note\\_x <sup>th</sup> [a](http://x)") == "Total note_x th a"
    )
    assert heading_title("### BUDGET (UB)\\*: N/A\\*\\*") == "BUDGET (UB)"
    assert ends_open("the Mission organized a training seminar")
    assert not ends_open("It ended.")
    assert ends_open("ten MoI representatives (three women and seven men)"), "a bracket is no stop"
    assert not ends_open("It ended (see below.)") and not ends_open('He said "stop."')
    assert starts_continuation("in Chisinau to identify")
    assert not starts_continuation("In Chisinau")
    assert is_figure(("2019",)) and not is_figure(("A long sentence about police reform in 2019.",))
    assert is_caption(("Runners at the night run, Travnik, 31 August 2019. (Edib Jahić)",))
    assert is_caption(("**A training for forensic experts, Danilovgrad, 2019. (Darko Dakovic)**",))
    assert not is_caption(("**The Mission trained 20 officers in 2019.**",))


def test_contents_entries_and_matching() -> None:
    assert parse_entry("4.1. Presence in Albania\t42") == TocEntry("4.1", "Presence in Albania")
    assert parse_entry("<b>1. Executive Summary</b>\t<b>5</b>").name == "1 Executive Summary"
    assert parse_entry("APPENDIX 4: Abbreviations and Acronyms\t151").name == (
        "Appendix 4 Abbreviations and Acronyms"
    )
    entries = [TocEntry("4.1", "Presence in Albania"), TocEntry("4.2", "Mission to Serbia")]
    assert match_entry("# 4.1. Presence in Albania", entries, set()) == 0
    assert match_entry("Mission to Serbia", entries, {1}) is None, "entries are matched once"


def test_plain_numbered_headings() -> None:
    block = split_blocks("2.2 Supporting young women as future changemakers\n")[0]
    assert plain_heading(block) == TocEntry("2.2", "Supporting young women as future changemakers")
    long = split_blocks("2.2 This is a sentence that ends with a period.\n")[0]
    assert plain_heading(long) is None


def test_budget_records_keep_labels_years_and_values() -> None:
    raw = "2019\nTOTAL  \n**17,462.600** EUR\nDEPARTMENT FOR  \nSECURITY AND PUBLIC  \nSAFETY  \n**1,615,700** EUR"
    section = Section(
        "d",
        "4.3 X > BUDGET (UB)",
        "BUDGET (UB)",
        "4.3 X",
        "BUDGET (UB)",
        "",
        "budget",
        (Block("figure", raw, tuple(range(1, 8))),),
        0,
    )
    records = section_records(section)
    assert [(r.item, r.year, r.value) for r in records] == [
        ("Total", "2019", "17,462.600 EUR"),
        ("Department for Security and Public Safety", "2019", "1,615,700 EUR"),
    ]
