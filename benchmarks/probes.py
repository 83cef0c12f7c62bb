"""Structural probes: questions built from the reports' own structure, which need no answer key.

- Section probe: for every thematic section of an operation's chapter, ask "What did <operation>
  do on <theme>?" and count how often the first source is that very section.
- Theme probe: for every theme two or more field operations (units named after a place) have a
  section on, ask "Which field operations worked on <theme>?" and count the field operations
  with such a section the answer names.

Prints figures; asserts nothing. Needs an index (`osce-assistant ingest`).
Run: .venv/bin/python benchmarks/probes.py [--show N]
"""

from __future__ import annotations

import argparse
import os
import sys
from collections import defaultdict
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.lexicon import is_unit_chapter, unit_label  # noqa: E402
from assistant.service import build_assistant  # noqa: E402
from assistant.settings import Settings  # noqa: E402

# records and the activities chart: figures, not work on a theme
_NOT_THEMES = ("budget", "staff", "police-related activities", "introduction", "other")


def thematic_sections(assistant) -> dict[str, set[str]]:  # type: ignore[no-untyped-def]
    """Operation chapter -> the themes it has a section on (text sections only)."""
    themes: dict[str, set[str]] = defaultdict(set)
    for chunk in assistant.catalog.chunks:
        theme = chunk.theme
        if chunk.kind != "text" or not theme or not is_unit_chapter(chunk.unit):
            continue
        if not any(word in theme.lower() for word in _NOT_THEMES):
            themes[chunk.unit].add(theme)
    return themes


def section_probe(assistant, themes: dict[str, set[str]], show: int) -> None:  # type: ignore[no-untyped-def]
    """How often the first source of "what did X do on Y?" is X's section on Y."""
    asked = hit = 0
    misses = []
    for unit, unit_themes in sorted(themes.items()):
        for theme in sorted(unit_themes):
            answer = assistant.answer(f"What did the {unit_label(unit)} do on {theme}?")
            asked += 1
            first = answer.citations[0].section if answer.citations else ""
            if first == f"{unit} > {theme}" or first.startswith(f"{unit} > {theme} > "):
                hit += 1
            else:
                misses.append(f"  {unit} > {theme}  ->  {first or '(refused)'}")
    print(f"section probe        first source is the section: {hit} of {asked}")
    print("\n".join(misses[:show]))


def theme_probe(assistant, themes: dict[str, set[str]], show: int) -> None:  # type: ignore[no-untyped-def]
    """How many of the field operations with a section on a theme a "which field operations"
    answer names."""
    holders: dict[str, set[str]] = defaultdict(set)
    for unit, unit_themes in themes.items():
        if not assistant.lexicon.places.get(unit):
            continue  # a Secretariat unit or an institution: not a field operation
        for theme in unit_themes:
            holders[theme].add(unit)
    named = expected = 0
    misses = []
    for theme, units in sorted(holders.items()):
        if len(units) < 2:
            continue
        answer = assistant.answer(f"Which field operations worked on {theme}?")
        cited = {c.section.split(" > ")[0] for c in answer.citations}
        expected += len(units)
        named += len(units & cited)
        left = sorted(unit_label(u) for u in units - cited)
        if left:
            misses.append(f"  {theme}: not named {', '.join(left)}")
    print(f"theme probe          operations named: {named} of {expected}")
    print("\n".join(misses[:show]))


def main() -> None:
    """Run both probes over the index the settings point at."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show", type=int, default=10, help="misses to list per probe")
    args = parser.parse_args()
    assistant = build_assistant(Settings())
    themes = thematic_sections(assistant)
    section_probe(assistant, themes, args.show)
    theme_probe(assistant, themes, args.show)


if __name__ == "__main__":
    main()
