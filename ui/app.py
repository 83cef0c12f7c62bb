"""The Gradio web app: a streaming chat with numbered citations beside a sources panel.

The server keeps no conversation: every call rebuilds the turns from the history Gradio sends,
and the only objects shared between users are the read-only assistant and settings. Never
launches at import time and never opens a public share link.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator, Sequence
from typing import Any

import gradio as gr

from assistant.errors import AssistantError
from assistant.render import answer_markdown
from assistant.service import Assistant, build_assistant
from assistant.settings import Settings
from assistant.types import Answer, Filters
from index.errors import IndexError_
from ui.present import (
    EMPTY_SOURCES,
    WORKING_SOURCES,
    chat_text,
    history_turns,
    passage_html,
    section_span,
    source_html,
    sources_html,
)
from ui.startup import ensure_index, host_problem, is_loopback
from ui.style import CSS, HEADER, THEME

log = logging.getLogger(__name__)

EXAMPLES = [
    "What did the Mission to Skopje do on gender mainstreaming?",
    "What did the Mission to Serbia do on public order and crisis management in 2019?",
    "What support did the Kosovo mission give to the local public safety committees?",
    "How did ODIHR help build a civil society coalition against hate crime?",
]


class ChatHandler:
    """The chat function: (message, history, filters) -> streamed text, sources, Markdown."""

    def __init__(self, assistant: Assistant, max_chars: int) -> None:
        self.assistant, self.max_chars = assistant, max_chars

    def respond(
        self,
        message: str,
        history: Sequence[dict[str, Any]],
        documents: Sequence[str] | None = None,
        units: Sequence[str] | None = None,
    ) -> Iterator[tuple[str, str, str]]:
        """Yield the growing answer, then the finished one with its sources and Markdown."""
        if len(message or "") > self.max_chars:  # refused before any work is done on it
            raise gr.Error(
                f"The question is {len(message)} characters long; the limit is {self.max_chars}.",
                print_exception=False,
            )
        filters = Filters(documents=tuple(documents or ()), units=tuple(units or ()))
        try:
            for part in self.assistant.stream(message, history_turns(history), filters):
                if isinstance(part, Answer):
                    yield chat_text(part), self.sources(part), answer_markdown(part)
                else:
                    yield part, WORKING_SOURCES, ""
        except (AssistantError, IndexError_) as exc:
            raise gr.Error(_sentence(str(exc)), print_exception=False) from exc
        except Exception as exc:  # a shell's last guard: log the traceback, show one line
            log.exception("answering %r failed", message[:200])
            raise gr.Error(
                "Something went wrong while answering; the server log has the details.",
                print_exception=False,
            ) from exc

    def sources(self, answer: Answer) -> str:
        """The sources panel of an answer: each citation with its passage in context."""
        entries = []
        for citation in answer.citations:
            span = section_span(self.assistant.catalog.sections, citation)
            passage = passage_html(self.assistant.source(citation.document), span, citation)
            entries.append(source_html(citation, passage))
        return sources_html(answer, entries)


def _sentence(message: str) -> str:
    return message[:1].upper() + message[1:] + ("" if message.endswith(".") else ".")


def build_app(assistant: Assistant, settings: Settings) -> gr.Blocks:
    """The Blocks app over an assistant: filters and chat on the left, sources on the right."""
    with gr.Blocks(title="OSCE report assistant", fill_width=True) as demo:
        gr.Markdown(HEADER)
        with gr.Row(equal_height=False):
            with gr.Column(scale=3, min_width=420):
                filters = _filter_inputs(assistant)
                sources, markdown = _side_outputs()
                handler = ChatHandler(assistant, settings.max_question_chars)
                chat = _chat(handler, settings, filters, [sources, markdown])
                new = gr.Button("New conversation", variant="secondary", elem_id="new-chat")
            with gr.Column(scale=2, min_width=340):
                with gr.Accordion("Copy or download this answer", open=False):
                    markdown.render()
                gr.Markdown("### Sources")
                sources.render()
        new.click(
            lambda: ([], [], EMPTY_SOURCES, ""),
            None,
            [chat.chatbot, chat.chatbot_state, sources, markdown],
            queue=False,
            api_visibility="private",
        )
        chat.chatbot.clear(
            lambda: (EMPTY_SOURCES, ""), None, [sources, markdown], api_visibility="private"
        )
    return demo


def _filter_inputs(assistant: Assistant) -> list[str | gr.Component]:
    """Document and field operation/unit pickers, passed to the chat on every message."""
    with gr.Row():
        documents = gr.Dropdown(
            sorted(assistant.catalog.meta["documents"]),
            value=[],
            multiselect=True,
            label="Documents",
            info="Answer only from these reports (empty: all).",
        )
        units = gr.Dropdown(
            list(assistant.lexicon.units),
            value=[],
            multiselect=True,
            label="Field operation / unit",
            info="Only these parts (empty: all).",
        )
    return [documents, units]


def _side_outputs() -> tuple[gr.HTML, gr.Code]:
    """The sources panel and the Markdown copy, made here and rendered in the side column."""
    sources = gr.HTML(
        EMPTY_SOURCES, label="sources", elem_id="sources", max_height=720, render=False
    )
    markdown = gr.Code(
        "",
        language="markdown",
        label="Answer with sources (Markdown)",
        buttons=["copy", "download"],
        wrap_lines=True,
        interactive=False,
        elem_id="answer-markdown",
        render=False,
    )
    return sources, markdown


def _chat(
    handler: ChatHandler,
    settings: Settings,
    inputs: list[str | gr.Component],
    outputs: list[gr.Component],
) -> gr.ChatInterface:
    """The streaming chat; its API endpoint is /chat (message, documents, units)."""
    chatbot = gr.Chatbot(
        label="Conversation",
        height=560,
        latex_delimiters=[],  # "$" in budgets is money, not mathematics
        buttons=["copy"],
        placeholder="**Ask about the reports.** Every claim cites its source [n].",
        elem_id="chat",
    )
    textbox = gr.Textbox(
        placeholder=f"Ask a question (up to {settings.max_question_chars} characters)",
        submit_btn=True,
        autofocus=True,
    )
    return gr.ChatInterface(
        handler.respond,
        chatbot=chatbot,
        textbox=textbox,
        additional_inputs=inputs,
        additional_outputs=outputs,
        # None for the filters keeps the examples inside the empty chat, run with current filters
        examples=[[question, None, None] for question in EXAMPLES],
        api_name="chat",
        concurrency_limit=settings.ui_concurrency,
        fill_height=False,
    )


def launch(demo: gr.Blocks, settings: Settings, block: bool = False) -> str:
    """Queue and start the app where the settings say; the address it serves on."""
    demo.queue(default_concurrency_limit=settings.ui_concurrency, max_size=64)
    auth = None if is_loopback(settings.ui_host) else (settings.ui_username, settings.ui_password)
    demo.launch(
        server_name=settings.ui_host,
        server_port=settings.ui_port,
        auth=auth,
        share=False,
        prevent_thread_lock=True,
        quiet=True,
        theme=THEME,
        css=CSS,
        footer_links=["settings"],
    )
    url = f"http://{settings.ui_host}:{demo.server_port}/"
    if block:
        print(f"OSCE report assistant on {url}  (Ctrl-C stops it)", flush=True)
        demo.block_thread()
    return url


def serve(settings: Settings) -> int:
    """Bring the index up to date, build the assistant and the app, and serve until Ctrl-C."""
    problem = host_problem(settings)
    if problem:
        print(f"error: {problem}", file=sys.stderr)
        return 2
    try:
        ensure_index(settings)
        assistant = build_assistant(settings)
    except (AssistantError, IndexError_) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    launch(build_app(assistant, settings), settings, block=True)
    return 0
