"""Security headers Django 5.2 does not set itself."""

from django.conf import settings
from django.shortcuts import render


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
