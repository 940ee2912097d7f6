"""The cross-tenant walker: every URL of the URL conf, visited as a member of another
collectivité, never shows or changes Saint-Amand-Montrond's private data.

URLs are discovered from the URL conf, so a new module's pages and API endpoints are
walked without editing this file. Each app describes its URLs in
`tests/<app>/tenancy.py`:

- `PUBLIC`: URL names anyone may open (they are still checked for private data);
- `samples(world)`: for URL names with parameters, the kwargs naming objects that
  belong to Saint-Amand-Montrond, plus `CANARIES`: private strings of those objects.

A URL with parameters and no sample fails the walk, so nothing is left unchecked.
"""

import importlib
import pkgutil
import re

from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver, reverse

import pytest

import tests

ADMIN_PREFIX = "admin:"
# Parameters of Django's own admin and of documentation pages, filled generically.
GENERIC_KWARGS = {
    "app_label": "accounts",
    "object_id": "1",
    "model_name": "user",
    "content_type_id": "1",
}
UNSAFE_METHODS_OK = {403, 404, 405}


def _walk(resolver, namespace=""):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _walk(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}", pattern


def _url_names():
    seen = {}
    for name, pattern in _walk(get_resolver()):
        seen.setdefault(name, pattern)
    return seen


def _registries():
    """Every tests/<app>/tenancy.py module."""
    modules = []
    for info in pkgutil.iter_modules(tests.__path__):
        if info.ispkg:
            try:
                modules.append(importlib.import_module(f"tests.{info.name}.tenancy"))
            except ModuleNotFoundError as error:
                if error.name != f"tests.{info.name}.tenancy":
                    raise
    return modules


def _private_setup(world):
    public, samples, canaries = set(), {}, set()
    for module in _registries():
        public |= set(getattr(module, "PUBLIC", ()))
        found = module.samples(world) if hasattr(module, "samples") else {}
        canaries |= set(found.pop("CANARIES", ()))
        samples.update(found)
    return public, samples, canaries


def _reverse(name, pattern, samples):
    params = set(re.findall(r"<(?:\w+:)?(\w+)>", str(pattern.pattern))) | set(
        pattern.pattern.regex.groupindex
    )
    if not params:
        return reverse(name)
    if name in samples:
        return reverse(name, kwargs=samples[name])
    if name.startswith(ADMIN_PREFIX):
        return reverse(name, kwargs={p: GENERIC_KWARGS.get(p, "1") for p in params})
    return None


def _row_counts():
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


@pytest.fixture
def walk(world, client):
    public, samples, canaries = _private_setup(world)
    return public, samples, canaries


@pytest.mark.django_db
def test_every_url_has_a_sample_or_needs_none(walk):
    """Every URL with parameters is described in a tests/<app>/tenancy.py registry."""
    public, samples, _ = walk
    missing = [
        name
        for name, pattern in _url_names().items()
        if name not in public and _reverse(name, pattern, samples) is None
    ]
    assert missing == []


@pytest.mark.django_db
def test_another_collectivite_never_sees_private_data(walk, world, client):
    """A member of Niort opening any URL never sees Saint-Amand-Montrond's private data,
    and gets 403/404 on Saint-Amand-Montrond's private objects."""
    public, samples, canaries = walk
    assert canaries, "the registries must name private strings to look for"
    client.force_login(world.agent_niort)
    leaks, opened = [], []
    for name, pattern in _url_names().items():
        url = _reverse(name, pattern, samples)
        if url is None:
            continue
        response = client.get(url)
        assert "_auth_user_id" in client.session, f"{url} signed the person out"
        body = response.content.decode(errors="replace")
        for canary in canaries:
            if canary in body:
                leaks.append((url, canary))
        private_object = name in samples and name not in public
        if private_object and response.status_code not in {403, 404, 405}:
            opened.append((url, response.status_code))
    assert leaks == []
    assert opened == []


@pytest.mark.django_db
def test_another_collectivite_cannot_change_private_objects(walk, world, client):
    """A member of Niort posting to any URL about Saint-Amand-Montrond's objects is refused
    and nothing in the database changes."""
    public, samples, _ = walk
    client.force_login(world.agent_niort)
    before = _row_counts()
    accepted = []
    for name, pattern in _url_names().items():
        if name not in samples or name in public:
            continue
        url = _reverse(name, pattern, samples)
        for method in (client.post, client.put, client.patch, client.delete):
            response = method(url, data={}, content_type="application/json")
            if response.status_code not in UNSAFE_METHODS_OK:
                accepted.append((method.__name__, url, response.status_code))
    assert accepted == []
    assert _row_counts() == before


@pytest.mark.django_db
def test_visitors_never_see_private_data(walk, client):
    """A visitor who is not signed in never sees private data on any URL."""
    public, samples, canaries = walk
    leaks = []
    for name, pattern in _url_names().items():
        url = _reverse(name, pattern, samples)
        if url is None:
            continue
        body = client.get(url).content.decode(errors="replace")
        leaks += [(url, canary) for canary in canaries if canary in body]
    assert leaks == []
