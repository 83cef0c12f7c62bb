"""Start and stop a real `chroma run` server on a free 127.0.0.1 port, for tests and benchmarks.

The server gets its own data folder and log file; `start()` waits (bounded) for the v2 heartbeat.
It never binds anything but 127.0.0.1 and never touches the network beyond it.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

CHROMA = Path(sys.executable).parent / "chroma"
HOST = "127.0.0.1"


def free_port() -> int:
    """A TCP port nobody listens on right now (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def heartbeat(url: str, timeout: float = 1.0) -> bool:
    """True when a Chroma server answers `GET /api/v2/heartbeat` at url."""
    try:
        with urllib.request.urlopen(f"{url}/api/v2/heartbeat", timeout=timeout) as response:
            return bool(response.status == 200)
    except (urllib.error.URLError, OSError):
        return False


class ChromaServer:
    """One `chroma run --path DIR --host 127.0.0.1 --port P` subprocess; restartable in place."""

    def __init__(self, path: Path, port: int | None = None, log: Path | None = None) -> None:
        self.path, self.port = Path(path), port or free_port()
        self.log = log or self.path.with_suffix(".log")
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        """The server's base URL, as OSCE_ASSISTANT_CHROMA_URL takes it."""
        return f"http://{HOST}:{self.port}"

    def start(self, wait_s: float = 60.0) -> ChromaServer:
        """Launch the server and wait for its heartbeat; RuntimeError with the log tail if not."""
        self.path.mkdir(parents=True, exist_ok=True)
        env = {**os.environ, "ANONYMIZED_TELEMETRY": "False"}
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [
                    str(CHROMA),
                    "run",
                    "--path",
                    str(self.path),
                    "--host",
                    HOST,
                    "--port",
                    str(self.port),
                ],
                stdout=log,
                stderr=subprocess.STDOUT,
                env=env,
                start_new_session=True,
            )
        deadline = time.monotonic() + wait_s
        while time.monotonic() < deadline:
            if heartbeat(self.url):
                return self
            if self.process.poll() is not None:
                break
            time.sleep(0.2)
        tail = self.log.read_text(errors="replace")[-2000:]
        self.stop()
        raise RuntimeError(f"chroma run did not come up at {self.url} in {wait_s:.0f} s:\n{tail}")

    def stop(self, wait_s: float = 20.0) -> None:
        """Terminate the server (kill after wait_s) and wait until the port stops answering."""
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=wait_s)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=wait_s)
        self.process = None
        deadline = time.monotonic() + wait_s
        while heartbeat(self.url, timeout=0.5) and time.monotonic() < deadline:
            time.sleep(0.2)

    def __enter__(self) -> ChromaServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


# ------------------------------------------------------------ vectors a real model made, replayed


class ReplayEncoder:
    """An encoder that returns vectors a real model already made for the same texts.

    Built from a real catalog (chunk `embed_text` -> chunk vector, sentence `clean` -> sentence
    vector). A text it has not seen goes to the real `fallback` model (counted in `embedded`),
    or raises KeyError without one, so vectors are never made up.
    """

    def __init__(self, catalog: object, name: str, fallback: object | None = None) -> None:
        import numpy as np

        self.name = name
        self.dim = int(catalog.meta["dim"])  # type: ignore[attr-defined]
        self.fallback = fallback
        self.known: dict[str, np.ndarray] = {}
        for i, chunk in enumerate(catalog.chunks):  # type: ignore[attr-defined]
            self.known[chunk.embed_text] = catalog.chunk_vectors[i]  # type: ignore[attr-defined]
        for i, sentence in enumerate(catalog.sentences):  # type: ignore[attr-defined]
            self.known[sentence.clean] = catalog.sentence_vectors[i]  # type: ignore[attr-defined]
        self.replayed = self.embedded = 0

    def embed(self, texts: list[str]) -> object:
        """Recorded vectors, one row per text; texts never seen go to the real fallback model."""
        import numpy as np

        unseen = [t for t in dict.fromkeys(texts) if t not in self.known]
        if unseen and self.fallback is None:
            raise KeyError(f"{len(unseen)} texts have no recorded vector, e.g. {unseen[0][:80]!r}")
        if unseen:
            fresh = self.fallback.embed(unseen)  # type: ignore[attr-defined]
            self.known.update(zip(unseen, fresh, strict=True))
            self.embedded += len(unseen)
        self.replayed += len(texts) - len(unseen)
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.vstack([self.known[t] for t in texts]).astype(np.float32)

    def embed_query(self, text: str) -> object:
        """Questions always go through the real model (fallback)."""
        return self.fallback.embed_query(text)  # type: ignore[union-attr]
