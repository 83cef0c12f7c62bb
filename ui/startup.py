"""Before the app starts: refuse an unsafe bind address, and bring the index up to date.

Does not build an index with other settings than the current one: a fingerprint mismatch is
left to the ingestor, whose error names the rebuild command.
"""

from __future__ import annotations

import hashlib
import ipaddress
import sys
from pathlib import Path

from assistant.commands import build_ingestor
from assistant.settings import Settings
from index.catalog import load_catalog
from index.errors import IndexMissingError, ReportError
from index.ingest import discover, read_report


def is_loopback(host: str) -> bool:
    """True when only this machine can reach the address.

    Example: "127.0.0.1" -> True; "localhost" -> True; "0.0.0.0" -> False
    """
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def host_problem(settings: Settings) -> str | None:
    """Why the app must not bind where the settings say, or None when it may."""
    if is_loopback(settings.ui_host) or (settings.ui_username and settings.ui_password):
        return None
    return (
        f"refusing to serve on {settings.ui_host} without a login: set "
        "OSCE_ASSISTANT_UI_USERNAME and OSCE_ASSISTANT_UI_PASSWORD, or use --host 127.0.0.1"
    )


def index_staleness(settings: Settings) -> str | None:
    """Why the index needs an ingest (missing, a report new, changed or gone), or None."""
    try:
        catalog = load_catalog(Path(settings.data_dir))
    except IndexMissingError:
        return f"no index in {settings.data_dir} yet"
    known = dict(catalog.meta["documents"])
    files, _ = discover([Path(settings.reports_dir)])
    for path in files:
        info = known.pop(path.stem, None)
        try:
            digest = hashlib.sha256(read_report(path).encode()).hexdigest()[:16]
        except ReportError:
            continue  # the ingestor reports a bad file; it cannot make the index current
        if info is None or info.get("source_hash") != digest:
            return f"{path.name} is new or changed since the last ingest"
    folder = Path(settings.reports_dir).resolve()
    for document, info in known.items():
        source = Path(info.get("source", ""))
        if source.is_relative_to(folder) and not source.exists():
            return f"{document} was removed from {settings.reports_dir}"
    return None


def ensure_index(settings: Settings) -> None:
    """Ingest the reports folder when the index is missing or stale, printing progress."""
    why = index_staleness(settings)
    if why is None:
        return
    print(f"Updating the index ({why}) ...", file=sys.stderr, flush=True)
    summary = build_ingestor(settings, _Progress()).run(
        [Path(settings.reports_dir)], settings.embed_model
    )
    print(
        f"Index ready: {summary.documents} documents, {summary.chunks} chunks "
        f"({summary.added} embedded) in {summary.seconds:.1f} s",
        file=sys.stderr,
        flush=True,
    )
    for failure in summary.failed:
        print(f"warning: {failure}", file=sys.stderr)


class _Progress:
    """Prints a line per stage and per tenth of it: readable in a terminal and a service log."""

    def __init__(self) -> None:
        self.shown: tuple[str, int] = ("", -1)

    def __call__(self, stage: str, done: int, total: int) -> None:
        tenth = 10 * done // max(total, 1)
        if (stage, tenth) != self.shown:
            self.shown = (stage, tenth)
            print(f"  {stage}: {done}/{total}", file=sys.stderr, flush=True)
