"""The API documentation works offline, within the Content-Security-Policy."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser


def test_api_documentation_renders_from_our_own_files(page, demo_url):
    """/api/docs shows the OpenAPI documentation with the territory endpoints, loading
    nothing from outside and breaking no CSP rule."""
    errors, outside = [], []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(demo_url) else None)
    page.goto(demo_url + "/api/docs")
    expect(page.get_by_text("/api/territoires/recherche").first).to_be_visible()
    screenshot(page, "api-docs")
    assert [e for e in errors if "Content Security Policy" in e] == []
    assert outside == []
