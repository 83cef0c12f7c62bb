"""Paths: ingestion stays inside the folder it was given and never runs code from a report or index;
the web app binds 127.0.0.1 by default and serves no file outside its own.
"""

from __future__ import annotations

import os
import pickle
import urllib.error
import urllib.request
from pathlib import Path

import numpy as np
import pytest
from conftest import FIXTURES, MODEL, HashEmbedder

from assistant.settings import Settings
from index.catalog import load_catalog
from index.errors import IndexMissingError
from index.ingest import Ingestor, discover
from index.store import ChunkStore, connect

TINY = FIXTURES / "tiny-report.md"


class _Boom:
    """Unpickling this runs os.system, which would create the sentinel file."""

    def __init__(self, sentinel: Path) -> None:
        self.sentinel = sentinel

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (os.system, (f"touch {self.sentinel}",))


def _ingest(data: Path, paths: list[Path]) -> Ingestor:
    store = ChunkStore(connect(data), Settings().collection, str(data))
    ingestor = Ingestor(store, data, lambda: HashEmbedder())
    ingestor.run(paths, MODEL)
    return ingestor


def test_symlinks_out_of_the_folder_are_not_followed(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    secret = outside / "secret.md"
    secret.write_text("# Secret\n\nThe password is hunter2.\n", "utf-8")
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "tiny-report.md").write_text(TINY.read_text("utf-8"), "utf-8")
    (folder / "link-to-secret.md").symlink_to(secret)
    (folder / "linked-dir").symlink_to(outside, target_is_directory=True)
    (folder / "passwd.txt").symlink_to("/etc/passwd")
    (folder / "inside-link.md").symlink_to(folder / "tiny-report.md")
    files, errors = discover([folder])
    resolved = {f.resolve() for f in files}
    assert secret.resolve() not in resolved and Path("/etc/passwd") not in resolved
    assert all(f.resolve().is_relative_to(folder.resolve()) for f in files)
    refused = [e for e in errors if "symlink points outside" in e]
    assert any("link-to-secret.md" in e for e in refused), errors
    assert any("passwd.txt" in e for e in refused), errors
    assert (folder / "inside-link.md") in files, "a link that stays inside the folder is fine"
    data = tmp_path / "data"
    _ingest(data, [folder])
    catalog = load_catalog(data)
    assert all("hunter2" not in c.text and "root:" not in c.text for c in catalog.chunks)


def test_symlink_loop_is_bounded(tmp_path: Path) -> None:
    folder = tmp_path / "reports"
    (folder / "sub").mkdir(parents=True)
    (folder / "sub" / "loop").symlink_to(folder, target_is_directory=True)
    (folder / "r.md").write_text(TINY.read_text("utf-8"), "utf-8")
    files, _ = discover([folder])
    assert [f.name for f in files] == ["r.md"], "a link back to the folder adds nothing"


def test_pickles_in_reports_are_never_unpickled(tmp_path: Path) -> None:
    """Pickle bytes saved as a report, or as a .pkl/.npy next to reports: never executed."""
    sentinel = tmp_path / "pwned"
    payload = pickle.dumps(_Boom(sentinel), protocol=0)  # protocol 0 is mostly ASCII
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "tiny-report.md").write_text(TINY.read_text("utf-8"), "utf-8")
    (folder / "evil.md").write_bytes(b"# Report\n\n" + payload)
    (folder / "evil.pkl").write_bytes(pickle.dumps(_Boom(sentinel)))
    np.save(folder / "evil.npy", np.array([_Boom(sentinel)], dtype=object), allow_pickle=True)
    data = tmp_path / "data"
    _ingest(data, [folder])
    assert not sentinel.exists(), "ingestion executed code from a report"
    catalog = load_catalog(data)
    assert "evil" in catalog.meta["documents"], "a pickle-looking report is just text"


def test_a_pickled_index_file_is_refused_not_run(tmp_path: Path) -> None:
    """A catalog vector file swapped for a pickle: a damaged-index error, no code runs."""
    sentinel = tmp_path / "pwned"
    data = tmp_path / "data"
    _ingest(data, [TINY])
    current = (data / "catalog").resolve()
    np.save(current / "chunks.npy", np.array([_Boom(sentinel)], dtype=object), allow_pickle=True)
    with pytest.raises(IndexMissingError, match="osce-assistant ingest --rebuild"):
        load_catalog(data)
    assert not sentinel.exists(), "loading the index unpickled a file"


# ---------------------------------------------------------------- the web app


def test_ui_binds_loopback_by_default() -> None:
    assert Settings().ui_host == "127.0.0.1"


@pytest.fixture(scope="module")
def ui_url(corpus_assistant: object, corpus_settings: Settings):  # type: ignore[no-untyped-def]
    from helpers_chroma import free_port

    from ui.app import build_app, launch

    settings = corpus_settings.model_copy(update={"ui_port": free_port()})
    demo = build_app(corpus_assistant, settings)  # type: ignore[arg-type]
    url = launch(demo, settings)
    yield url.rstrip("/"), demo
    demo.close()


@pytest.mark.slow
def test_ui_listens_on_loopback_only(ui_url: tuple[str, object]) -> None:
    url, demo = ui_url
    assert url.startswith("http://127.0.0.1:")
    assert getattr(demo, "server_name", "127.0.0.1") == "127.0.0.1"


@pytest.mark.slow
@pytest.mark.parametrize(
    "path",
    [
        "/gradio_api/file=/etc/passwd",
        "/file=/etc/passwd",
        "/gradio_api/file=../../../../etc/passwd",
        "/gradio_api/file=%2Fetc%2Fpasswd",
        "/gradio_api/file=" + str(Path(__file__).resolve()),
        "/gradio_api/file=" + str(FIXTURES.parent.parent / "pyproject.toml"),
        "/static/../../../../etc/passwd",
    ],
)
def test_ui_serves_no_files_outside_its_own(ui_url: tuple[str, object], path: str) -> None:
    url, _ = ui_url
    try:
        with urllib.request.urlopen(url + path, timeout=10) as response:
            status, body = response.status, response.read()
    except urllib.error.HTTPError as exc:
        status, body = exc.code, exc.read()
    assert b"root:x:0:0" not in body, f"{path} served /etc/passwd"
    assert b"[tool.ruff]" not in body and b"def test_ui_serves" not in body, f"{path} served a file"
    assert status in {400, 403, 404, 405}, f"{path}: expected a refusal, got {status}"
