"""``publish serve`` end to end, in real Chromium (Debian's, driven by playwright): an edit on
disk shows in the open page, a build error is shown in the page until it is fixed."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from tests.conftest import write

pytestmark = [pytest.mark.slow, pytest.mark.browser]

CHROMIUM = "/usr/bin/chromium"  # Debian's chromium (scripts/setup.sh --test installs it)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    assert Path(CHROMIUM).is_file(), "Debian's chromium is missing: bash scripts/setup.sh --test"
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking"],
        )
        yield browser
        browser.close()


class Served:
    def __init__(self, root: Path):
        self.root = root
        self.process = subprocess.Popen(
            [sys.executable, "-m", "publish", "serve", "--port", "0"],
            cwd=root,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        self.lines: list[str] = []
        self.url = self.wait_for(r"serving (http://127\.0\.0\.1:\d+/)").group(1)

    def wait_for(self, pattern: str, timeout: float = 90) -> re.Match[str]:
        assert self.process.stdout is not None
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            line = self.process.stdout.readline()
            if not line:
                break
            self.lines.append(line)
            found = re.search(pattern, line)
            if found:
                return found
        raise AssertionError(f"no {pattern!r} from publish serve:\n{''.join(self.lines)}")

    def stop(self) -> int:
        self.process.send_signal(signal.SIGINT)
        try:
            return self.process.wait(timeout=30)
        finally:
            if self.process.poll() is None:
                self.process.kill()
            if self.process.stdout is not None:
                self.process.stdout.close()


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    content = tmp_path / "content"
    write(content, "note.md", "---\ntitle: A note\n---\n\nThe first paragraph.\n\nThe second paragraph.\n")
    write(content, "publish.toml", '[books.guide]\ntitle = "Guide"\nchapters = ["one.md", "two.md"]\n')
    write(content, "one.md", "# One\n\nSee [two](two.md#part).\n")
    write(content, "two.md", "# Two\n\n## Part\n\nThe chapter's text.\n")
    server = Served(tmp_path)
    yield server
    assert server.stop() == 0


def _open(browser: Browser, url: str) -> Page:
    page = browser.new_page()
    page.goto(url)
    return page


def test_an_edit_on_disk_shows_in_the_open_page(browser: Browser, served: Served) -> None:
    page = _open(browser, served.url + "note/note.html")
    expect(page.locator("article p").nth(0)).to_have_text("The first paragraph.")
    source = served.root / "content" / "note.md"
    source.write_text(source.read_text().replace("The first paragraph.", "An edited paragraph."))
    expect(page.locator("article p").nth(0)).to_have_text("An edited paragraph.", timeout=30_000)
    assert (
        'id="publish-live"' not in (served.root / "output" / "note" / "note.html").read_text()
    )  # the file is as built


def test_a_build_error_shows_in_the_page_until_it_is_fixed(browser: Browser, served: Served) -> None:
    page = _open(browser, served.url + "note/note.html")
    expect(page.locator("article p").nth(1)).to_have_text("The second paragraph.")
    source = served.root / "content" / "note.md"
    good = source.read_text()
    source.write_text(good.replace("title: A note", "title: [A note"))
    errors = page.locator("#publish-errors")
    expect(errors).to_be_visible(timeout=30_000)
    expect(errors).to_contain_text(re.compile(r"content/note\.md:\d+: invalid YAML front matter"))
    source.write_text(good.replace("The second paragraph.", "Fixed, and edited."))
    expect(page.locator("article p").nth(1)).to_have_text("Fixed, and edited.", timeout=30_000)
    expect(errors).to_have_count(0)


def test_a_book_chapter_edit_reloads_its_page_and_the_links_between_pages_work(
    browser: Browser, served: Served
) -> None:
    page = _open(browser, served.url)
    page.get_by_role("link", name="guide").click()
    page.get_by_role("link", name="One", exact=True).first.click()
    page.get_by_role("link", name="two", exact=True).click()
    expect(page).to_have_url(re.compile(r"/guide/two\.html#part$"))
    chapter = served.root / "content" / "two.md"
    chapter.write_text(chapter.read_text().replace("The chapter's text.", "The chapter, rewritten."))
    expect(page.locator("article p")).to_have_text("The chapter, rewritten.", timeout=30_000)
    page.get_by_role("link", name="Previous One").click()
    expect(page).to_have_url(re.compile(r"/guide/one\.html$"))


def test_a_theme_outside_the_content_folder_is_watched_too(browser: Browser, tmp_path: Path) -> None:
    write(tmp_path / "content", "note.md", "---\ntitle: A note\n---\n\nText.\n")
    write(tmp_path / "content", "publish.toml", '[build]\ntheme = "../theme"\n')
    block = '<header class="title-block"><h1 class="title">{label}{{{{ title }}}}</h1></header>\n'
    template = write(tmp_path / "theme", "base/titleblock.html", block.format(label=""))
    served = Served(tmp_path)
    try:
        page = _open(browser, served.url + "note/note.html")
        expect(page.locator("h1.title")).to_have_text("A note")
        template.write_text(block.format(label="Themed: "), encoding="utf-8")
        expect(page.locator("h1.title")).to_have_text("Themed: A note", timeout=30_000)
    finally:
        assert served.stop() == 0
