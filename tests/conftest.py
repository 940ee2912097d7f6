"""Personas: an agent of Saint-Amand-Montrond, an élu of Niort, a citizen, a provider
and an operator, on a small slice of the real territories."""

from types import SimpleNamespace

import pytest

from territoria.accounts.enums import Role
from tests.factories import make_collectivite, make_commune, make_epci, make_member, make_user
from tests.serving import instance_env, manage, throwaway_database


@pytest.fixture(autouse=True)
def _plain_static_storage(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def world(db):
    """Collectivités and people every module's tests share."""
    cc_coeur_de_france = make_epci("200036135", "CC Coeur de France", population=19_000)
    saint_amand = make_commune(
        "18197",
        "Saint-Amand-Montrond",
        population=9_899,
        postal_codes=["18200"],
        epci=cc_coeur_de_france,
    )
    orval = make_commune(
        "18173", "Orval", population=1_900, postal_codes=["18200"], epci=cc_coeur_de_france
    )
    niort = make_commune(
        "79191", "Niort", population=60_000, postal_codes=["79000"], dep="79", reg="75"
    )
    w = SimpleNamespace()
    w.cc = make_collectivite(cc_coeur_de_france, "cc-coeur-de-france")
    w.saint_amand = make_collectivite(saint_amand, "saint-amand-montrond")
    w.orval = make_collectivite(orval, "orval")
    w.niort = make_collectivite(niort, "niort")
    w.agent_saint_amand = make_member(
        w.saint_amand, Role.AGENT, "agent@saint-amand.fr", full_name="Agnès Agent"
    )
    w.admin_saint_amand = make_member(
        w.saint_amand, Role.ADMIN, "admin@saint-amand.fr", full_name="Adèle Admin"
    )
    w.elu_niort = make_member(w.niort, Role.ELU, "elu@niort.fr", full_name="Élie Élu")
    w.agent_niort = make_member(w.niort, Role.AGENT, "agent@niort.fr", full_name="Noé Agent")
    w.agent_cc = make_member(w.cc, Role.AGENT, "agent@cc-coeur-de-france.fr")
    w.citizen = make_user("citoyenne@exemple.fr", full_name="Camille Citoyenne")
    w.provider = make_user("fournisseur@exemple-sarl.fr", full_name="Exemple SARL")
    w.operator = make_user(
        "operateur@territoria.localhost", is_staff=True, full_name="Olga Opératrice"
    )
    return w


@pytest.fixture
def shipped_catalogue(world):
    """The shipped catalogue on top of the personas (its feedback names real communes:
    a tiny stand-in for the COG import is made for those the personas lack)."""
    import json

    from territoria.catalogue import content
    from territoria.territories.models import Commune

    rows = json.loads((content.CONTENT_DIR / content.FEEDBACK).read_text(encoding="utf-8"))
    for row in rows:
        if not Commune.objects.filter(code=row["insee"]).exists():
            make_commune(row["insee"], row["commune"], population=row.get("population") or 10_000)
    content.load()
    return world


@pytest.fixture(scope="session")
def prepared_demo(tmp_path_factory):
    """The whole demonstration prepared once per run (`territoria demo --no-serve`) in a
    throwaway folder and database, for the tests that serve it themselves (the API
    conformance and the data.gouv.fr harvest): (environment, folder)."""
    var_dir = tmp_path_factory.mktemp("prepared-demo")
    with throwaway_database("prepared_demo") as database:
        env = instance_env(var_dir) | database
        manage(env, "demo", "--no-serve")
        yield env, var_dir
