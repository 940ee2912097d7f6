"""A web application of another site, in Chromium, reads the demo's Open311 API across
origins; the browser withholds what the server does not share (credentials, POSTs
without a key)."""

import http.server
import threading

import pytest

pytestmark = pytest.mark.browser


class AppPage(http.server.BaseHTTPRequestHandler):
    """Another site's page (its own port of 127.0.0.1, so another origin)."""

    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.end_headers()
        self.wfile.write(b"<!doctype html><title>Appli</title><p>Carte des signalements")

    def log_message(self, *args):
        pass


@pytest.fixture
def app_url():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), AppPage)  # listening already
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join()
    server.server_close()


def test_another_site_reads_open311_but_never_with_cookies(page, demo_url, app_url):
    """fetch() from another origin reads services and requests; credentials are refused."""
    page.goto(f"{app_url}/carte")
    base = f"{demo_url}/open311/v2"
    services = page.evaluate(
        "url => fetch(url).then(r => r.json())", f"{base}/services.json?jurisdiction_id=cahors"
    )
    assert any(service["service_code"].startswith("cahors.") for service in services)
    etag = page.evaluate(
        "url => fetch(url).then(r => r.headers.get('ETag'))",
        f"{base}/requests.xml?jurisdiction_id=cahors",
    )
    assert etag and etag.startswith('"')
    refused = page.evaluate(
        """url => fetch(url, {credentials: "include"}).then(() => "read", e => e.name)""",
        f"{base}/services.json?jurisdiction_id=cahors",
    )
    assert refused == "TypeError"
    keyless_post = page.evaluate(
        """url => fetch(url, {method: "POST", body: new URLSearchParams({service_code: "x"})})
            .then(() => "read", e => e.name)""",
        f"{base}/requests.json?jurisdiction_id=cahors",
    )
    assert keyless_post == "TypeError"
