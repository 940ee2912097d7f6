"""Members' pages reached while signed out: sign in, then back to the page."""

from django.contrib.auth.views import redirect_to_login

from territoria.territories.tenancy import SignInRequired


class SignInRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        # Only page reads: a signed-out POST or HTMX call keeps its plain 404.
        if (
            isinstance(exception, SignInRequired)
            and request.method in ("GET", "HEAD")
            and not request.headers.get("HX-Request")
        ):
            return redirect_to_login(request.get_full_path())
        return None
