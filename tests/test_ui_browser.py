"""The web app in Debian's Chromium: ask, watch the cited answer stream in, check a source."""

from __future__ import annotations

import os
import shutil
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"

from ui.app import build_app, launch

CHROMIUM = "/usr/bin/chromium"
# PLATFORM.md: no sandbox in containers; the resolver rule stops Chromium's own outside lookups
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost",
]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        shutil.which(CHROMIUM) is None, reason="needs Debian's chromium: make setup-browser"
    ),
]


@pytest.fixture(scope="module")
def app_url(corpus_assistant, corpus_settings) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """The real app on a free loopback port, closed after the module."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    settings = corpus_settings.model_copy(update={"ui_host": "127.0.0.1", "ui_port": port})
    demo = build_app(corpus_assistant, settings)
    yield launch(demo, settings)
    demo.close()


def test_ask_and_check_a_citation(app_url: str, tmp_path: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1440, "height": 1000})
        page.goto(app_url)
        box = page.get_by_role("textbox").first
        box.fill("What did the Mission to Skopje do on gender mainstreaming?")
        box.press("Enter")
        answer = page.locator("#chat [data-testid='bot']").last
        expect(answer).to_contain_text("[1]", timeout=60_000)
        first = page.locator("#sources details.source").first
        expect(first).to_contain_text("[1]")
        expect(first).to_contain_text("4.6 Mission to Skopje")
        mark = first.locator("mark")
        expect(mark).to_be_hidden()  # the passage opens on the click, not before
        first.locator("summary").click()
        expect(mark).to_be_visible()
        quote = first.locator(".source-quote").inner_text().strip("“”")
        assert mark.inner_text() == quote, "the highlight must be exactly the cited quote"
        shot = tmp_path / "ui.png"
        page.screenshot(path=str(shot), full_page=True)
        page.locator("#new-chat").click()
        expect(page.locator("#chat [data-testid='bot']")).to_have_count(0)
        expect(page.locator("#sources")).not_to_contain_text("4.6 Mission to Skopje")
        browser.close()
    assert shot.stat().st_size > 10_000, "the screenshot should show the page, not a blank"
