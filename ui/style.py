"""The look of the web app: theme, header text and CSS for sources, passages and refusals."""

from __future__ import annotations

import gradio as gr

THEME = gr.themes.Soft(primary_hue="blue", neutral_hue="slate")

HEADER = (
    "## OSCE report assistant\n"
    "Answers come only from the indexed reports. Every claim ends with a numbered citation "
    "**[n]**; the **Sources** panel quotes it verbatim; click a source to read it in context."
)

CSS = """
.sources-head, .sources-empty { color: var(--body-text-color-subdued); font-size: 0.9em;
  margin-bottom: 0.5em; }
details.source { border: 1px solid var(--border-color-primary); border-radius: 8px;
  padding: 0.5em 0.75em; margin-bottom: 0.5em; background: var(--background-fill-secondary); }
details.source[open] { border-color: var(--color-accent); }
details.source summary { cursor: pointer; list-style: none; display: grid; gap: 0.15em; }
details.source summary::-webkit-details-marker { display: none; }
.source-n { font-weight: 700; color: var(--color-accent); }
.source-section { font-weight: 600; }
.source-doc { font-size: 0.8em; color: var(--body-text-color-subdued); }
.source-quote { font-style: italic; font-size: 0.9em; }
.passage { margin-top: 0.6em; padding-top: 0.5em; border-top: 1px dashed
  var(--border-color-primary); font-size: 0.88em; line-height: 1.45; }
.passage p { margin: 0 0 0.6em 0; }
.passage p.gap { color: var(--body-text-color-subdued); margin: 0; }
.passage mark { background: #fde68a; color: #111827; padding: 0 2px; border-radius: 2px; }
.refusal { border-left: 4px solid #d97706; background: #fffbeb; color: #78350f;
  padding: 0.5em 0.75em; border-radius: 4px; }
"""
