"""The whole curated eval set through the real assistant: the CI gate on answer quality."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from assistant.cli import build_parser
from eval.runner import run_command


@pytest.mark.slow
def test_full_eval_passes_the_gate(
    tmp_path: Path, corpus_settings: Any, corpus_assistant: Any
) -> None:
    """Every metric of the full set (both splits) must stay at or above its threshold."""
    args = build_parser().parse_args(["eval", "--out", str(tmp_path)])
    code = run_command(args, corpus_settings, build=lambda _settings: corpus_assistant)
    runs = list(tmp_path.iterdir())
    assert len(runs) == 1 and (runs[0] / "summary.json").exists()
    assert code == 0, f"a metric fell below its threshold; see {runs[0] / 'report.md'}"
