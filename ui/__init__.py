"""The web app over the assistant: `build_app` makes it, `serve` runs it. Nothing imports ui."""

from ui.app import ChatHandler, build_app, launch, serve
from ui.startup import ensure_index, host_problem, index_staleness, is_loopback

__all__ = [
    "ChatHandler",
    "build_app",
    "ensure_index",
    "host_problem",
    "index_staleness",
    "is_loopback",
    "launch",
    "serve",
]
