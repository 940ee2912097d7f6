"""Request bodies on the JSON API: each route's size limit, and the refusal of a larger
body in the API's error shape (Django's own refusal is an HTML « Bad Request »).

Most routes keep Django's DATA_UPLOAD_MAX_MEMORY_SIZE; the routes listed in
LARGE_BODIES take more (a batch of 50,000 readings, as JSON or CSV, is documented
as allowed)."""

import io

from django.conf import settings
from django.http import JsonResponse
from django.urls import Resolver404, resolve
from django.utils.formats import number_format
from django.utils.translation import gettext as _

API_PREFIX = "/api/"
MEBIBYTE = 1024 * 1024
# url name -> bytes; 20 Mo carry 50,000 readings with room (about 100 bytes each).
LARGE_BODIES = {
    "api:sensors_readings": 20 * MEBIBYTE,
    "api:sensors_readings_csv": 20 * MEBIBYTE,
}


def body_limit(path: str) -> int | None:
    """The largest body the route at `path` accepts, in bytes; None: no limit."""
    try:
        name = resolve(path).view_name
    except Resolver404:
        name = ""
    return LARGE_BODIES.get(name, settings.DATA_UPLOAD_MAX_MEMORY_SIZE)


def megabytes(limit: int) -> str:
    """2621440 -> « 2,5 » (in the active language)."""
    return number_format(round(limit / MEBIBYTE, 1), 1 if limit % MEBIBYTE else 0)


def payload_too_large(limit: int) -> JsonResponse:
    return JsonResponse(
        {
            "code": "payload_too_large",
            "message": _(
                "Corps de requête trop volumineux : la limite de cette adresse est de "
                "%(limit)s Mo. Envoyez les données en plusieurs lots."
            )
            % {"limit": megabytes(limit)},
        },
        status=413,
    )


class RequestSizeMiddleware:
    """On /api/, a body over the route's limit answers 413 `payload_too_large` before
    anything reads it; a body within a large route's limit is read here, past
    Django's general limit."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path_info.startswith(API_PREFIX):
            return self.get_response(request)
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = body_limit(request.path_info)
        if limit is not None and length > limit:
            return payload_too_large(limit)
        default = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if length and default is not None and length > default:
            # Reading the stream directly skips Django's general check, the route's
            # own limit was checked above.
            request._body = request.read()
            request._stream = io.BytesIO(request._body)
        return self.get_response(request)
