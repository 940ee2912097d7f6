"""Settings for bench/serve.py: Territoria's own, plus one minimal view."""

from territoria.settings import *  # noqa: F403

ROOT_URLCONF = "bench.serve_app.urls"
