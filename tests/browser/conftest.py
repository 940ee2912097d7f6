"""Browser tests: Debian's Chromium driven by Playwright against the real demo,
started with `territoria demo` on a free port of 127.0.0.1 in a throwaway folder."""

import contextlib
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from tests.serving import free_port, instance_env, territoria

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "var" / "screenshots"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@contextlib.contextmanager
def serving(var_dir: Path, command: str):
    """Run `territoria <command> --port P` on a free port until the block ends; yields
    its URL once it says it listens."""
    args = [command, "--port", str(free_port())]
    with territoria(args, instance_env(var_dir), var_dir / f"{command}.log") as url:
        yield url


@pytest.fixture(scope="session")
def demo_url(tmp_path_factory):
    """The demo, prepared and served exactly as a newcomer's `territoria demo` does."""
    with serving(tmp_path_factory.mktemp("demo-var"), "demo") as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def phone(browser):
    context = browser.new_context(
        locale="fr-FR", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def screenshot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
