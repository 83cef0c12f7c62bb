"""What the CLI subcommands do: ingest, stats, ask (one or a batch), chat.

Thin I/O shell over `index` and `assistant.service`; printing and exit codes live here.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from assistant.errors import AssistantError
from assistant.render import answer_json, answer_text, sources_text
from assistant.service import Assistant, build_assistant
from assistant.settings import Settings
from assistant.types import Answer, Filters, Turn
from index.catalog import load_catalog
from index.embed import Embedder
from index.errors import IndexError_
from index.ingest import Ingestor, IngestSummary
from index.store import ChunkStore, connect


def build_ingestor(
    settings: Settings, progress: Callable[[str, int, int], None] | None = None
) -> Ingestor:
    """An Ingestor wired to the store and embedder the settings name."""
    data_dir = Path(settings.data_dir)
    where = settings.chroma_url or str(data_dir / "chroma")
    store = ChunkStore(connect(data_dir, settings.chroma_url), settings.collection, where)
    return Ingestor(
        store,
        data_dir,
        lambda: Embedder(settings.embed_model, settings.embed_batch_size),
        progress,
    )


class _Bar:
    """A tqdm progress bar per stage, on stderr."""

    def __init__(self) -> None:
        self.stage, self.bar = "", None

    def __call__(self, stage: str, done: int, total: int) -> None:
        from tqdm import tqdm

        if stage != self.stage:
            if self.bar is not None:
                self.bar.close()
            self.stage = stage
            self.bar = tqdm(total=total, desc=stage, unit="item", file=sys.stderr, leave=False)
        if self.bar is not None:
            self.bar.n = done
            self.bar.refresh()

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def run_ingest(settings: Settings, paths: list[Path], rebuild: bool, quiet: bool) -> int:
    """Ingest and print the summary; exit 1 when any file failed."""
    bar = None if quiet else _Bar()
    summary = build_ingestor(settings, bar).run(paths, settings.embed_model, rebuild)
    if bar is not None:
        bar.close()
    print(format_summary(summary))
    for warning in summary.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    for failure in summary.failed:
        print(f"error: {failure}", file=sys.stderr)
    return 1 if summary.failed else 0


def format_summary(summary: IngestSummary) -> str:
    """One readable line about an ingest.

    Example: "2 documents, 276 sections, 838 chunks: 838 added, 0 skipped, 0 removed in 52.1 s"
    """
    return (
        f"{summary.documents} documents, {summary.sections} sections, {summary.chunks} chunks: "
        f"{summary.added} added, {summary.skipped} skipped, {summary.removed} removed "
        f"in {summary.seconds:.1f} s"
        + (f"; {len(summary.failed)} failed" if summary.failed else "")
    )


def print_stats(settings: Settings, sections: bool, as_json: bool) -> int:
    """Per document and per section counts of what the index holds."""
    catalog = load_catalog(Path(settings.data_dir))
    per_section: dict[tuple[str, str], int] = {}
    for chunk in catalog.chunks:
        key = (chunk.document, chunk.section)
        per_section[key] = per_section.get(key, 0) + 1
    report: dict[str, Any] = {
        "model": catalog.meta.get("model"),
        "dim": catalog.meta.get("dim"),
        "fingerprint": catalog.fingerprint,
        "chunks": len(catalog.chunks),
        "documents": catalog.meta["documents"],
        "records": len(catalog.records),
    }
    if as_json:
        if sections:
            report["sections"] = [
                {"document": d, "section": s, "chunks": n} for (d, s), n in per_section.items()
            ]
        print(json.dumps(report, ensure_ascii=False, indent=1))
        return 0
    print(
        f"model {report['model']} ({report['dim']} dimensions), fingerprint {catalog.fingerprint}"
    )
    for document, info in catalog.meta["documents"].items():
        print(
            f"{document}: {info['sections']} sections, {info['chunks']} chunks  ({info['source']})"
        )
    print(f"total: {len(catalog.chunks)} chunks, {len(catalog.records)} structured records")
    if sections:
        for (document, section), n in per_section.items():
            print(f"  {n:3d}  {document}  {section}")
    return 0


def ask_one(settings: Settings, question: str, filters: Filters, as_json: bool) -> int:
    """Answer one question on stdout."""
    assistant = build_assistant(settings)
    answer = assistant.answer(question, (), filters)
    if as_json:
        print(json.dumps(answer_json(answer), ensure_ascii=False))
    else:
        print(answer_text(answer))
    return 0


class BatchItem(BaseModel):
    """One line of a batch file; unknown fields are ignored."""

    model_config = ConfigDict(extra="ignore")
    id: str
    question: str
    turns: list[str] | None = None


def answer_item(assistant: Assistant, item: BatchItem, filters: Filters) -> dict[str, Any]:
    """Replay a conversation's turns in order and report the last answer."""
    turns = item.turns or [item.question]
    if turns[-1] != item.question:
        turns = [*turns, item.question]
    history: list[Turn] = []
    answer = None
    for turn in turns:
        answer = assistant.answer(turn, history, filters)
        history.append(Turn(turn, answer.text))
    assert answer is not None  # turns is never empty
    return answer_json(answer, item.id)


def ask_batch(settings: Settings, path: Path, filters: Filters) -> int:
    """Answer every JSON line of a file; a bad line gives an error object and the batch goes on."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise AssistantError(f"{path}: cannot read the batch file ({exc})") from exc
    assistant = build_assistant(settings)
    failed = 0
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        out = _batch_line(assistant, line, number, filters)
        failed += "error" in out
        print(json.dumps(out, ensure_ascii=False), flush=True)
    return 1 if failed else 0


def _batch_line(assistant: Assistant, line: str, number: int, filters: Filters) -> dict[str, Any]:
    ident: Any = f"line-{number}"
    try:
        raw = json.loads(line)
        if isinstance(raw, dict) and "id" in raw:
            ident = str(raw["id"])
        item = BatchItem.model_validate(raw)
        return answer_item(assistant, item, filters)
    except json.JSONDecodeError as exc:
        return {"id": ident, "error": f"line {number}: not JSON ({exc.msg})"}
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first["loc"]) or "line"
        return {"id": ident, "error": f"line {number}: {field}: {first['msg']}"}
    except (AssistantError, IndexError_) as exc:
        return {"id": ident, "error": f"line {number}: {exc}"}


def chat(settings: Settings, filters: Filters) -> int:
    """A terminal conversation; follow-ups use the history. Empty line or Ctrl-D ends it."""
    assistant = build_assistant(settings)
    history: list[Turn] = []
    print(
        "Ask about the reports. An empty line, 'quit' or Ctrl-D ends the chat; 'new' starts over."
    )
    while True:
        try:
            question = input("\nyou> ").strip()
        except EOFError:
            print()
            return 0
        if question.lower() in {"", "quit", "exit"}:
            return 0
        if question.lower() == "new":
            history.clear()
            print("(new conversation)")
            continue
        try:
            answer = _stream_to_terminal(assistant, question, history, filters)
        except AssistantError as exc:
            print(f"error: {exc}")
            continue
        print("\n\n" + sources_text(answer))
        history.append(Turn(question, answer.text))


def _stream_to_terminal(
    assistant: Assistant, question: str, history: list[Turn], filters: Filters
) -> Answer:
    """Print the answer as it grows (token by token with an LLM), return the finished one."""
    shown = 0
    print()
    for part in assistant.stream(question, history, filters):
        if isinstance(part, Answer):
            if part.standalone != part.question:
                print(f"\n(understood as: {part.standalone})", end="")
            return part
        text = str(part)
        print(text[shown:], end="", flush=True)
        shown = len(text)
    raise AssistantError("the answer stream ended without an answer")
