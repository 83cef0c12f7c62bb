"""The console script as a person meets it: subprocesses, exit codes, one-line errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

CLI = [sys.executable, "-m", "assistant.cli"]


def run(args: list[str], data_dir: Path, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "OSCE_ASSISTANT_DATA_DIR": str(data_dir), "HF_HUB_OFFLINE": "1"}
    return subprocess.run(
        CLI + args, input=stdin, capture_output=True, text=True, env=env, timeout=300
    )


def one_line_error(result: subprocess.CompletedProcess[str]) -> str:
    err = result.stderr.strip()
    assert result.returncode == 1, result
    assert err.startswith("error: ") and "\n" not in err, f"one line, no traceback: {err!r}"
    return err


def test_missing_index_names_the_command_that_builds_it(tmp_path: Path) -> None:
    err = one_line_error(run(["stats"], tmp_path / "nothing"))
    assert "osce-assistant ingest" in err


def test_ingesting_a_path_that_does_not_exist_fails_clearly(tmp_path: Path) -> None:
    result = run(["ingest", "--quiet", str(tmp_path / "missing.md")], tmp_path / "data")
    assert result.returncode == 1
    assert "missing.md: no such file or folder" in result.stderr


def test_empty_question_is_one_line_error(corpus_settings: Any) -> None:
    err = one_line_error(run(["ask", "   "], corpus_settings.data_dir))
    assert "question is empty" in err


def test_batch_goes_on_past_a_bad_line(tmp_path: Path, corpus_settings: Any) -> None:
    batch = tmp_path / "batch.jsonl"
    batch.write_text(
        '{"id": "a", "question": "how many young women did odihr train in belarus?"}\n'
        "not json\n"
        '{"id": "c", "question": "And in Serbia?", "turns": ["What did the Mission to Skopje'
        ' do on cybercrime?", "And in Serbia?"], "extra": 1}\n'
    )
    result = run(["ask", "--batch", str(batch), "--json"], corpus_settings.data_dir)
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["id"] for r in rows] == ["a", "line-2", "c"], "one object per line, in order"
    assert "31" in rows[0]["answer"] and "error" in rows[1]
    assert rows[2]["citations"][0]["section"].startswith("4.5 Mission to Serbia")
    assert result.returncode == 1, "a failed line makes the exit code say so"


@pytest.mark.slow
def test_terminal_chat_streams_and_keeps_the_history(corpus_settings: Any) -> None:
    turns = "What did the Mission to Skopje do on cybercrime?\nAnd in Serbia?\n\n"
    result = run(["chat"], corpus_settings.data_dir, stdin=turns)
    assert result.returncode == 0, result.stderr
    assert "understood as: What did the Mission to Serbia do on cybercrime?" in result.stdout
    assert "4.5 Mission to Serbia > Cybercrime" in result.stdout


def test_a_reader_that_stops_early_gets_no_traceback(corpus_settings: Any) -> None:
    env = {**os.environ, "OSCE_ASSISTANT_DATA_DIR": str(corpus_settings.data_dir)}
    proc = subprocess.Popen(
        [*CLI, "stats", "--sections"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # like `| head` that has read enough before the listing is written
    err = proc.stderr.read()
    proc.wait(timeout=300)
    assert "Traceback" not in err and "BrokenPipe" not in err, err
