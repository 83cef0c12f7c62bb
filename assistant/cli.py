"""The `osce-assistant` console script: ingest, stats, ask, chat, eval, ui.

Each handler parses its arguments, builds settings and objects, calls one function, and maps
errors to a one-line message and a non-zero exit code. No tracebacks for expected failures.

This module is the program's composition root: it alone reaches up into `eval` and `ui`, and only
inside the handlers that need them, so the layering (ui -> assistant -> index) holds elsewhere.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

from pydantic import ValidationError

from assistant.errors import AssistantError
from assistant.settings import Settings
from assistant.types import Filters
from index.errors import IndexError_

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def _filters(args: argparse.Namespace) -> Filters:
    return Filters(
        documents=tuple(args.document or ()),
        units=tuple(args.unit or ()),
        themes=tuple(args.theme or ()),
    )


def _add_filter_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--document", action="append", help="only this document (repeatable)")
    parser.add_argument(
        "--unit", action="append", help="only this field operation or unit, e.g. Skopje"
    )
    parser.add_argument("--theme", action="append", help="only this thematic heading")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every subcommand."""
    parser = argparse.ArgumentParser(
        prog="osce-assistant", description="Cited answers from long institutional reports."
    )
    sub = parser.add_subparsers(dest="command", required=True)
    ingest = sub.add_parser("ingest", help="index reports (default: the bundled corpus)")
    ingest.add_argument("paths", nargs="*", type=Path, help="report files or folders")
    ingest.add_argument("--rebuild", action="store_true", help="drop the index and build anew")
    ingest.add_argument("--quiet", action="store_true", help="no progress bar")
    stats = sub.add_parser("stats", help="what the index holds")
    stats.add_argument("--sections", action="store_true", help="list every section")
    stats.add_argument("--json", action="store_true", help="one JSON object")
    ask = sub.add_parser("ask", help="answer one question, or a batch")
    ask.add_argument("question", nargs="?", help="the question")
    ask.add_argument("--batch", type=Path, help="JSON Lines file of questions")
    ask.add_argument("--json", action="store_true", help="JSON output")
    _add_filter_args(ask)
    chat = sub.add_parser("chat", help="interactive chat in the terminal")
    _add_filter_args(chat)
    ev = sub.add_parser("eval", help="score the assistant on the curated eval set")
    ev.add_argument("--check", action="store_true", help="validate the eval set only")
    ev.add_argument("--retrieval-only", action="store_true", help="score retrieval only")
    ev.add_argument("--kind", action="append", help="only cases of this kind")
    ev.add_argument("--split", choices=["dev", "holdout", "all"], default="all")
    ev.add_argument("--cases", type=Path, help="cases file (default eval/cases.jsonl)")
    ev.add_argument("--out", type=Path, help="runs folder (default eval/runs)")
    ev.add_argument("--compare", nargs=2, type=Path, metavar=("RUN_A", "RUN_B"))
    ev.add_argument("--answerer", choices=["grounded", "llm"], help="override the answerer")
    ev.add_argument("--no-gate", action="store_true", help="report only; never fail")
    _add_filter_args(ev)
    ui = sub.add_parser("ui", help="start the web app")
    ui.add_argument("--host", help="bind address (default 127.0.0.1)")
    ui.add_argument("--port", type=int, help="port")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script."""
    args = build_parser().parse_args(argv)
    handlers: dict[str, Callable[[argparse.Namespace, Settings], int]] = {
        "ingest": cmd_ingest,
        "stats": cmd_stats,
        "ask": cmd_ask,
        "chat": cmd_chat,
        "eval": cmd_eval,
        "ui": cmd_ui,
    }
    try:
        settings = Settings()
        return handlers[args.command](args, settings)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = "OSCE_ASSISTANT_" + str(first["loc"][0]).upper() if first["loc"] else "settings"
        _fail(f"{where}: {first['msg']}")
    except (AssistantError, IndexError_) as exc:
        _fail(str(exc))
    except KeyboardInterrupt:
        _fail("interrupted")
    except BrokenPipeError:
        # The reader (e.g. `| head`) stopped early: silence the flush at exit and end quietly.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return EXIT_FAILED


def _fail(message: str) -> None:
    print(f"error: {message}", file=sys.stderr)


def cmd_ingest(args: argparse.Namespace, settings: Settings) -> int:
    """Index reports and print a summary."""
    from assistant.commands import run_ingest

    return run_ingest(settings, args.paths or [settings.reports_dir], args.rebuild, args.quiet)


def cmd_stats(args: argparse.Namespace, settings: Settings) -> int:
    """Print what the index holds per document and section."""
    from assistant.commands import print_stats

    return print_stats(settings, args.sections, args.json)


def cmd_ask(args: argparse.Namespace, settings: Settings) -> int:
    """Answer one question, or every line of a batch file."""
    from assistant.commands import ask_batch, ask_one

    if args.batch:
        return ask_batch(settings, args.batch, _filters(args))
    if args.question is None:
        _fail("give a question, or --batch FILE")
        return EXIT_USAGE
    return ask_one(settings, args.question, _filters(args), args.json)


def cmd_chat(args: argparse.Namespace, settings: Settings) -> int:
    """Interactive terminal chat with history."""
    from assistant.commands import chat

    return chat(settings, _filters(args))


def cmd_eval(args: argparse.Namespace, settings: Settings) -> int:
    """Run or check the eval set."""
    from eval.runner import run_command

    return run_command(args, settings)


def cmd_ui(args: argparse.Namespace, settings: Settings) -> int:
    """Start the web app."""
    from ui.app import serve

    updates = {k: v for k, v in {"ui_host": args.host, "ui_port": args.port}.items() if v}
    return serve(settings.model_copy(update=updates))


if __name__ == "__main__":
    raise SystemExit(main())
