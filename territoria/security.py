"""Security headers Django 5.2 does not set itself: CSP, CORS for the public APIs."""

from django.conf import settings
from django.core.exceptions import BadRequest, SuspiciousOperation
from django.http import HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.http.request import RawPostDataException
from django.shortcuts import render
from django.utils.cache import patch_vary_headers


class ContentSecurityPolicyMiddleware:
    """Only our own scripts and styles; map tiles are the one outside image source."""

    def __init__(self, get_response):
        self.get_response = get_response
        img = " ".join(["'self'", "data:", *settings.CSP_IMG_SOURCES])
        self.policy = "; ".join(
            [
                "default-src 'self'",
                "script-src 'self'",
                "style-src 'self'",
                f"img-src {img}",
                "font-src 'self'",
                "connect-src 'self'",
                "object-src 'none'",
                "base-uri 'self'",
                "form-action 'self'",
                "frame-ancestors 'none'",
            ]
        )

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.policy)
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=(self)"
        )
        return response


def csrf_failure(request, reason=""):
    """A French page when a form's CSRF token is missing or stale."""
    return render(request, "403_csrf.html", status=403)


# The public, read-mostly interfaces other sites' scripts may call (docs/configuration.md).
CORS_PATHS = ("/open311/", "/api/")
CORS_METHODS = "GET, HEAD, POST, OPTIONS"
CORS_REQUEST_HEADERS = "Authorization, Content-Type, If-None-Match, X-Api-Key"


class CorsMiddleware:
    """Cross-origin reads of the public APIs from CORS_ALLOWED_ORIGINS ("*": any site).

    Never with credentials: a page of another site reads what an anonymous visitor
    would, never what its visitor's session here may see. A POST is shared only when
    it carries an API key, the one way these APIs accept writes from elsewhere."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        origin = request.headers.get("Origin")
        if not origin or not request.path.startswith(CORS_PATHS):
            return self.get_response(request)
        any_origin = "*" in settings.CORS_ALLOWED_ORIGINS
        allowed = any_origin or origin in settings.CORS_ALLOWED_ORIGINS
        if (
            allowed
            and request.method == "OPTIONS"
            and "Access-Control-Request-Method" in request.headers
        ):
            response = HttpResponse(status=204)
            response["Access-Control-Allow-Methods"] = CORS_METHODS
            response["Access-Control-Allow-Headers"] = CORS_REQUEST_HEADERS
            response["Access-Control-Max-Age"] = "86400"
            _allow(response, origin, any_origin)
            return response
        response = self.get_response(request)
        if allowed and (request.method in {"GET", "HEAD"} or _has_api_key(request)):
            _allow(response, origin, any_origin)
            response["Access-Control-Expose-Headers"] = "ETag"
        return response


def _allow(response, origin: str, any_origin: bool) -> None:
    if any_origin:
        response["Access-Control-Allow-Origin"] = "*"
    else:
        response["Access-Control-Allow-Origin"] = origin
        patch_vary_headers(response, ["Origin"])


def _has_api_key(request) -> bool:
    """An Open311 api_key (query string or form body) or a key in the API's headers."""
    if request.method != "POST":
        return False
    if "Authorization" in request.headers or "X-Api-Key" in request.headers:
        return True
    if request.GET.get("api_key"):
        return True
    try:
        # Parsed by the view already; a body that is not a form reads as empty.
        return bool(request.POST.get("api_key"))
    except (BadRequest, SuspiciousOperation, MultiPartParserError, RawPostDataException):
        return False
