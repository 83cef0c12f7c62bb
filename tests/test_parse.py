"""Parsing invariants on both real reports and on a small report in the same style."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from index.blocks import footnote_markers, footnote_number, split_blocks
from index.chunk import chunk_sections
from index.parse import content_lines, parse_file, parse_report
from index.toc import find_toc
from tests.conftest import REPORTS

BIG = REPORTS / "osce-police-related-activities-2019.md"
ODIHR = REPORTS / "odihr-annual-report-2019-part-2.txt"


@pytest.fixture(scope="module", params=[BIG, ODIHR], ids=["osce", "odihr"])
def report(request: pytest.FixtureRequest) -> tuple[Path, list]:
    path = request.param
    return path, parse_file(path)


def test_every_content_line_lands_in_exactly_one_section(report: tuple[Path, list]) -> None:
    path, sections = report
    counts = Counter(n for s in sections for n in s.lines)
    wanted = set(content_lines(path.read_text(encoding="utf-8")))
    assert set(counts) == wanted, "a line of the report was lost or invented by parsing"
    assert max(counts.values()) == 1, "a line of the report was duplicated into two sections"


def test_section_paths_are_unique(report: tuple[Path, list]) -> None:
    _, sections = report
    paths = Counter((s.document, s.path) for s in sections)
    assert [p for p, n in paths.items() if n > 1] == []


def test_every_table_of_contents_entry_is_a_section() -> None:
    entries, _ = find_toc(split_blocks(BIG.read_text(encoding="utf-8")))
    units = {s.unit for s in parse_file(BIG)}
    numbered = [e.name for e in entries if e.number]
    assert len(numbered) == 28, "4 parts, 19 numbered sections and 5 appendices"
    missing = [name for name in numbered if name not in units]
    assert missing == [], f"contents entries without a section: {missing}"


def test_paths_are_named_as_the_contents_names_them() -> None:
    paths = {s.path for s in parse_file(BIG)}
    for expected in [
        "4.6 Mission to Skopje > Gender Mainstreaming",
        "1 Executive Summary",
        "Appendix 4 Abbreviations and Acronyms",
        "4.1 Presence in Albania > BUDGET (UB)",
        "4.3 Mission in Kosovo > Community Policing, Police-Public Relations and Crime Prevention"
        " > Local Public Safety Committees",
        "4.3 Mission in Kosovo > Mission in Kosovo – Police-Related Activities in 2019",
    ]:
        assert expected in paths, f"{expected!r} should be a section path"
    odihr = {s.path for s in parse_file(ODIHR)}
    assert "2.2 Supporting young women as future changemakers" in odihr


def test_field_operations_are_not_nested_under_each_other() -> None:
    """`#` counts put Skopje under Serbia in the source; numbering must win."""
    by_path = {s.path: s for s in parse_file(BIG)}
    assert by_path["4.6 Mission to Skopje"].unit == "4.6 Mission to Skopje"
    assert not any(p.startswith("4.5 Mission to Serbia > 4.6") for p in by_path)


def test_chart_blocks_do_not_swallow_the_sections_after_them() -> None:
    by_path = {s.path: s for s in parse_file(BIG)}
    chart = by_path[
        "4.2 Mission to Bosnia and Herzegovina > Mission to Bosnia and Herzegovina"
        " – Police-Related Activities in 2019"
    ]
    assert chart.kind == "chart"
    cyber = by_path["4.2 Mission to Bosnia and Herzegovina > Cybercrime"]
    assert cyber.kind == "text" and cyber.span[0] > chart.span[0]
    assert all("Cybercrime" not in b.text for b in chart.blocks)


def test_each_footnote_lands_with_its_marker() -> None:
    sections = parse_file(BIG) + parse_file(ODIHR)
    checked = 0
    for section in sections:
        for block in section.blocks:
            if block.kind != "footnote":
                continue
            number = footnote_number(block.text.split("\n")[0])
            holders = [
                b
                for b in section.blocks
                if b.kind != "footnote" and number in footnote_markers(b.text)
            ]
            assert holders, f"footnote {number} sits in {section.path} without its marker"
            checked += 1
    assert checked >= 50, "both reports hold more than 50 footnote bodies"


def test_page_break_paragraphs_are_rejoined() -> None:
    by_path = {s.path: s for s in parse_file(BIG)}
    intro = by_path["4.1 Presence in Albania > Introduction"]
    joined = [b for b in intro.blocks if "previously pioneered Local Safety Councils" in b.text]
    assert (
        joined and "with the Government’s Co-ordination Centre, the ASP and the" in joined[0].text
    )
    assert joined[0].lines[-1] - joined[0].lines[0] > 20, "the halves sit 50 lines apart"


def test_prose_cut_on_a_word_is_rejoined_even_when_the_rest_opens_in_capitals() -> None:
    by_path = {s.path: s for s in parse_file(BIG)}
    odihr = by_path[
        "Appendix 1 ODIHR Annual Report on Police-Related Activities for 2019 > "
        "Human Rights and Police Accountability"
    ]
    workshop = next(b.text for b in odihr.blocks if "organized a workshop in Slovenia" in b.text)
    assert "for the Ombuds\nInstitution (OI) and National Preventive Mechanism" in workshop
    texts = [b.text for s in by_path.values() for b in s.blocks if "Hellenic" in b.text]
    assert any("Hellenic Black Sea Economic Co-operation\n(BSEC) Chairmanship" in t for t in texts)
    prose = [b.text for s in by_path.values() for b in s.blocks if b.kind == "paragraph"]
    assert not any("\n#" in t for t in prose), "a heading is never a cut sentence's rest"
    kosovo = by_path["4.3 Mission in Kosovo > Human Resources / Police Management"]
    review = next(b.text for b in kosovo.blocks if "15 KP senior officers" in b.text)
    assert "review the KP Human Resources\nStrategy and Action Plan 2016-2020." in review, (
        "a short paragraph whose clause runs on past a comma is cut prose too"
    )


def test_an_embedded_posts_buttons_and_counters_are_in_no_chunk() -> None:
    chunks = chunk_sections(parse_file(ODIHR))
    assert any("Albacete" in c.text for c in chunks), "the caption and the quote stay"
    assert not any("Shares" in c.text or "Write a comment" in c.text for c in chunks)
    assert not any("See More" in c.text for c in chunks), "the post's cut-short copy of the quote"


def test_a_list_item_cut_by_a_page_break_is_rejoined_past_the_photo_caption() -> None:
    by_path = {s.path: s for s in parse_file(BIG)}
    hate = by_path[
        "Appendix 1 ODIHR Annual Report on Police-Related Activities for 2019 > Hate Crime"
    ]
    item = next(b for b in hate.blocks if "ODIHR signed an MoU with the Spanish MoI" in b.text)
    assert item.kind == "list" and "of the MoI (including National Hate Crime Office" in item.text
    assert "Kenneth Pennington" not in item.text, "the caption between the halves stays out"


def test_a_bare_numbered_footnote_follows_its_marker_and_leaves_the_paragraph_it_cut() -> None:
    by_path = {s.path: s for s in parse_file(BIG)}
    policing = by_path[
        "4.5 Mission to Serbia > Community Policing, Police-Public Relations and Crime Prevention"
    ]
    bodies = [b.text for b in policing.blocks if b.kind == "footnote"]
    assert any(t.startswith("31 Čačak") for t in bodies)
    assert any(t.startswith("32 Čačak") for t in bodies), "its marker is here, its body was not"
    gender = by_path["4.5 Mission to Serbia > Gender-based Violence"]
    impuls = next(b.text for b in gender.blocks if "CSO Impuls, the Mission implemented" in b.text)
    assert "Zvezdara" not in impuls and "best practice in preventative work" in impuls


def test_small_report_in_the_same_style(tiny_report: Path) -> None:
    sections = {s.path: s for s in parse_file(tiny_report)}
    assert "2.1 Office in Portvale > Gender Mainstreaming" in sections
    assert sections["2.1 Office in Portvale > BUDGET (UB)"].kind == "budget"
    intro = sections["2.1 Office in Portvale > Introduction"]
    assert any("old town" in b.text and "outreach in the" in b.text for b in intro.blocks)
    gender = sections["2.1 Office in Portvale > Gender Mainstreaming"]
    assert [b.kind for b in gender.blocks][-1] == "footnote"


def test_text_without_structure_still_parses_with_a_warning() -> None:
    text = "First paragraph about police.\n\nSecond paragraph about borders.\n"
    report = parse_report("plain", text)
    assert len(report.sections) == 2
    assert report.warnings and "no recognisable headings" in report.warnings[0]
    assert re.match(r"1 First paragraph", report.sections[0].path)


def test_markdown_without_contents_uses_its_headings() -> None:
    text = "# Alpha\n\nSome text.\n\n## Beta\n\nMore text.\n"
    paths = [s.path for s in parse_report("md", text).sections]
    assert paths == ["Alpha", "Alpha > Beta"]


def test_a_table_split_from_its_header_by_a_blank_line_reads_with_its_columns() -> None:
    from index.chunk import chunk_section
    from index.sentences import split_sentences

    text = (
        "# 1 Contacts\n\n"
        "Field Operation\tDepartment\tContact Person\tPhone\n"
        "Mission to Ardena\tSecurity\tMr. A. ALDER\t+1 555 0101\n\n"
        "Mission to Brevia\tPolice Affairs\tMs. B. BIRCH\t+1 555 0102\n\n"
        "Station\tKind\n"
        "Harbour\tBoat\n"
    )
    section = next(s for s in parse_report("contacts", text).sections if s.blocks)
    rows = {s.clean: s.lines for c in chunk_section(section) for s in split_sentences(c)}
    brevia = next(r for r in rows if "Brevia" in r)
    assert "Brevia: Department Police Affairs; Contact Person Ms. B. BIRCH; Phone" in brevia
    assert rows[brevia] == (6,), "the row is cited at its own line"
    harbour = next(r for r in rows if "Harbour" in r)
    assert "Department" not in harbour, "another table's rows do not take that header"
    assert not any(r.endswith("Field Operation Department Contact Person Phone") for r in rows)


def test_an_unlabelled_subtotal_row_reads_as_its_categorys_total_in_every_part() -> None:
    from index import chunk as chunking
    from index.sentences import split_sentences

    rows = "".join(f"Theme {i}\t{i}\t{i + 1}\t\n" for i in range(40))
    text = (
        "# 1 Figures\n\n"
        "Activity\tTraining\tOther\t%\n"
        "<b>Threats Posed by Crime</b>\t\t\t<b>44%</b>\n"
        f"{rows}"
        "\t<b>416</b>\t<b>195</b>\t\n"
        "Contact\tMs. A. ALDER\t+1 555 0101\t\n"
        "\tMr. B. BIRCH\t+1 555 0102\t\n"
    )
    section = next(s for s in parse_report("figures", text).sections if s.blocks)
    parts = chunking.chunk_section(section)
    assert len(parts) > 1, "the table is long enough to be split"
    said = [s.clean for c in parts for s in split_sentences(c)]
    total = next(s for s in said if "416" in s)
    assert "Threats Posed by Crime total: Training 416; Other 195" in total
    birch = next(s for s in said if "BIRCH" in s)
    assert "total" not in birch.lower(), "a contact's second line is no subtotal"
