"""A whole instance moved by `territoria backup` and `territoria restore`: each step is
its own process, as an operator runs them, and the restore lands in an empty folder."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PASSPHRASE = "phrase de passe du test de restauration"
PLAIN_STATIC = "django.contrib.staticfiles.storage.StaticFilesStorage"

# Filled through the real actions: a confirmed report with a photo, a published
# open-data file, a participatory budget whose census letters carry voting codes.
FILL = """
import hashlib, json
import django
django.setup()
from django.core.management import call_command
from django.urls import reverse
call_command("migrate", "--no-input", verbosity=0)
from territoria.accounts.enums import Role
from territoria.opendata import actions as opendata
from territoria.reports import actions as reports
from tests.factories import make_collectivite, make_commune, make_member
from tests.opendata.factories import VALID_ROW, subventions_csv, upload
from tests.participation.factories import letter_codes, voting_campaign
from tests.reports.factories import SAINT_AMAND, image_bytes, make_category, make_zone

commune = make_commune("18197", "Saint-Amand-Montrond", postal_codes=["18200"])
place = make_collectivite(commune, "saint-amand-montrond")
agent = make_member(place, Role.AGENT, "agent@saint-amand.fr")
make_zone(place, SAINT_AMAND)
category = make_category(place, "eclairage", "Éclairage public")
report = reports.submit_report(reports.Submission(
    place=place, category=category, description="Lampadaire éteint rue de la Paix",
    latitude=SAINT_AMAND[0], longitude=SAINT_AMAND[1], email="camille@exemple.fr",
    photos=[("rue.jpg", image_bytes(size=(800, 600)))],
))
reports.confirm_report(reports.confirmation_token(report))
photo = report.photos.get()
dataset, errors = upload(agent, place, subventions_csv(VALID_ROW))
assert errors == [], errors
opendata.set_published(agent, dataset, True)
campaign, projects, letters = voting_campaign(place, agent)
print(json.dumps({
    "photo_url": reverse("reports:photo", kwargs={
        "slug": place.slug, "photo_id": photo.pk, "size": "full"}),
    "photo_sha256": hashlib.sha256(photo.image.open("rb").read()).hexdigest(),
    "dataset_url": reverse("opendata:download", kwargs={
        "slug": place.slug, "uid": dataset.uid, "fmt": "csv"}),
    "dataset_sha256": dataset.resources.get(format="csv").sha256,
    "vote_url": reverse("participation:vote", kwargs={
        "slug": place.slug, "campaign": campaign.slug}),
    "code": letter_codes(letters)[0],
}))
"""

# What a visitor of the restored instance gets: the photo, the file, a vote by code.
CHECK = """
import hashlib, json, sys
import django
django.setup()
from django.test import Client
from django.test.utils import setup_test_environment
setup_test_environment()
urls = json.loads(sys.argv[1])
client = Client()
photo = client.get(urls["photo_url"])
dataset = client.get(urls["dataset_url"])
vote = client.post(urls["vote_url"], {"method": "code", "code-code": urls["code"]})
print(json.dumps({
    "photo": [photo.status_code, hashlib.sha256(b"".join(photo.streaming_content)).hexdigest()
              if photo.status_code == 200 else ""],
    "dataset": [dataset.status_code, hashlib.sha256(dataset.content).hexdigest()],
    "vote": [vote.status_code, vote.get("Location", "")],
}))
"""


def instance_env(var_dir: Path, **extra: str) -> dict[str, str]:
    """A process of the instance living in var_dir: SQLite, secret key from var_dir."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE", "TASK_BACKEND", "SECRET_KEY"}
        and not key.endswith(("_ROOT", "_DIR", "_FILE_PATH"))
    }
    return env | {
        "TERRITORIA_VAR_DIR": str(var_dir),
        "DJANGO_SETTINGS_MODULE": "territoria.settings",
        **extra,
    }


def run(var_dir: Path, *args: str, **extra: str) -> subprocess.CompletedProcess:
    result = subprocess.run(  # noqa: S603
        [sys.executable, *args],
        cwd=ROOT,
        env=instance_env(var_dir, **extra),
        capture_output=True,
        text=True,
        check=False,
    )
    return result


@pytest.fixture(scope="module")
def filled(tmp_path_factory):
    """An instance filled through the real actions, and its encrypted backup."""
    origin = tmp_path_factory.mktemp("origine")
    filled = run(origin, "-c", FILL)
    assert filled.returncode == 0, filled.stderr
    urls = json.loads(filled.stdout.strip().splitlines()[-1])
    bundle = tmp_path_factory.mktemp("copie") / "sauvegarde.tar.gz.chiffre"
    saved = run(
        origin,
        "-m",
        "territoria.cli",
        "backup",
        "--encrypt",
        "--output",
        str(bundle),
        TERRITORIA_BACKUP_PASSPHRASE=PASSPHRASE,
    )
    assert saved.returncode == 0, saved.stderr
    assert saved.stdout == f"Sauvegarde écrite : {bundle}\n"
    return origin, urls, bundle


def test_restored_instance_serves_photos_files_and_accepts_printed_codes(filled, tmp_path):
    """Restored on an empty folder, with no SECRET_KEY in the environment, the instance
    shows the report photo and the open-data file and accepts a printed voting code."""
    origin, urls, bundle = filled
    target = tmp_path / "nouvelle-machine"

    restored = run(
        target,
        "-m",
        "territoria.cli",
        "restore",
        str(bundle),
        TERRITORIA_BACKUP_PASSPHRASE=PASSPHRASE,
    )

    assert restored.returncode == 0, restored.stderr
    assert restored.stdout.startswith("Restauration terminée : base de données, clé secrète (")
    assert (target / "secret_key").read_text() == (origin / "secret_key").read_text()
    # Static files are not collected in this folder: pages name them unhashed.
    checked = run(target, "-c", CHECK, json.dumps(urls), STATICFILES_STORAGE=PLAIN_STATIC)
    assert checked.returncode == 0, checked.stderr
    result = json.loads(checked.stdout.strip().splitlines()[-1])
    assert result == {
        "photo": [200, urls["photo_sha256"]],
        "dataset": [200, urls["dataset_sha256"]],
        "vote": [302, result["vote"][1]],
    }
    assert result["vote"][1].endswith("/bulletin/")


def test_restore_without_the_passphrase_is_refused_and_leaves_the_folder_empty(filled, tmp_path):
    """An encrypted backup restored without its passphrase: a French refusal, exit 1,
    and no database nor file written in the target folder."""
    _origin, _urls, bundle = filled
    target = tmp_path / "nouvelle-machine"

    refused = run(target, "-m", "territoria.cli", "restore", str(bundle))

    assert refused.returncode == 1
    assert refused.stderr == (
        "Restauration impossible : Cette sauvegarde est chiffrée : donnez sa phrase de passe "
        "(variable TERRITORIA_BACKUP_PASSPHRASE).\n"
    )
    assert sorted(p.name for p in target.rglob("*") if p.is_file()) == ["secret_key"]
