"""Every link of an email must work for a reader who is not signed in (they read their
mail on another device): the page itself, or the sign-in page that comes back to it."""

import re
from urllib.parse import parse_qs, urlsplit

from django.urls import reverse

LINK = re.compile(r"https?://[^\s<>\"»)]+")


def follow_signed_out(client, body: str, reader=None) -> list[str]:
    """Open each link of `body` signed out; a members' page must send to the sign-in
    page with `next` pointing back, and answer once `reader` is signed in. Returns the
    paths followed (at least one)."""
    paths = []
    for link in LINK.findall(body):
        parts = urlsplit(link.rstrip(".,;"))
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        client.logout()
        response = client.get(path)
        login = reverse("accounts:login")
        if response.status_code == 302 and response["Location"].startswith(login):
            assert parse_qs(urlsplit(response["Location"]).query)["next"] == [path], link
            assert reader is not None, f"{link}: a members' page in an email to a visitor"
            client.force_login(reader)
            response = client.get(path)
        elif response.status_code == 302:
            response = client.get(response["Location"])
        assert response.status_code == 200, (link, response.status_code)
        paths.append(path)
    assert paths, "an email without a link"
    client.logout()
    return paths
