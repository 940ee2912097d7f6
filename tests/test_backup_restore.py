"""Backups and restores, on the configured database (SQLite, or PostgreSQL with DATABASE_URL)."""

import io
import json
import stat
import tarfile

from django.db import connection

import pytest

from territoria.accounts.enums import Role
from territoria.accounts.models import Membership, User
from territoria.backup import RestoreError, backup, restore
from territoria.territories.models import Collectivite
from tests.factories import make_member, make_user

pytestmark = pytest.mark.django_db(transaction=True)
ENGINE = "SQLite" if connection.vendor == "sqlite" else "PostgreSQL"
OTHER_ENGINE = "postgresql" if connection.vendor == "sqlite" else "sqlite"
DATABASE_PART = "database.sqlite3" if connection.vendor == "sqlite" else "database.dump"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    (settings.MEDIA_ROOT / "logos").mkdir(parents=True)
    (settings.MEDIA_ROOT / "logos" / "saint-amand.png").write_bytes(b"logo d'origine")
    return settings.MEDIA_ROOT


def snapshot(media_root):
    return {
        "users": sorted(User.objects.values_list("email", "full_name")),
        "memberships": sorted(
            Membership.objects.values_list("user__email", "collectivite__slug", "role")
        ),
        "collectivites": sorted(Collectivite.objects.values_list("slug", "name")),
        "media": sorted(
            (str(path.relative_to(media_root)), path.read_bytes())
            for path in media_root.rglob("*")
            if path.is_file()
        ),
    }


def change_everything(world, media_root):
    """Writes of every kind after the backup: rows created, updated, deleted; media too."""
    world.elu_niort.delete()
    world.agent_saint_amand.full_name = "Nom changé"
    world.agent_saint_amand.save()
    make_member(world.orval, Role.ADMIN, "nouvelle@orval.fr")
    world.niort.delete()
    (media_root / "logos" / "saint-amand.png").write_bytes(b"logo remplace")
    (media_root / "logos" / "orval.png").write_bytes(b"nouveau logo")


def rewrite_bundle(source, target, *, drop=(), parts=None, manifest=None, refresh=False):
    """Copy a bundle, dropping or replacing parts; `refresh` recomputes the checksums."""
    import hashlib

    with tarfile.open(source, "r:gz") as bundle:
        contents = {m.name: bundle.extractfile(m).read() for m in bundle.getmembers()}
    contents.update(parts or {})
    data = json.loads(contents["manifest.json"])
    if manifest:
        manifest(data)
    if refresh:
        for name in data["files"]:
            data["files"][name] = {
                "sha256": hashlib.sha256(contents[name]).hexdigest(),
                "size": len(contents[name]),
            }
    contents["manifest.json"] = json.dumps(data).encode()
    with tarfile.open(target, "w:gz") as bundle:
        for name, content in contents.items():
            if name in drop:
                continue
            info = tarfile.TarInfo(name)
            info.size = len(content)
            bundle.addfile(info, io.BytesIO(content))
    return target


def test_restore_brings_back_the_data_and_media_of_the_backup(world, media, tmp_path):
    """A restore puts back exactly the rows and media files saved, undoing later writes."""
    before = snapshot(media)
    bundle = backup(tmp_path / "sauvegarde.tar.gz")
    change_everything(world, media)
    assert snapshot(media) != before

    info = restore(bundle)

    assert snapshot(media) == before
    assert info["engine"] == connection.vendor
    assert info["pending_migrations"] == []
    assert User.objects.get(email="agent@saint-amand.fr").check_password("motdepasse-de-test-42")


def test_backup_bundle_lists_its_parts_with_checksums(world, media, tmp_path):
    """The bundle holds a manifest, the database and the media, each part with its sha256."""
    bundle = backup(tmp_path / "sauvegarde.tar.gz")

    with tarfile.open(bundle, "r:gz") as archive:
        names = archive.getnames()
        manifest = json.loads(archive.extractfile("manifest.json").read())
    assert names == ["manifest.json", DATABASE_PART, "media.tar"]
    assert manifest["format"] == "territoria-backup"
    assert manifest["format_version"] == 1
    assert manifest["engine"] == connection.vendor
    assert manifest["media_files"] == 1
    assert sorted(manifest["files"]) == [DATABASE_PART, "media.tar"]
    assert all(len(part["sha256"]) == 64 for part in manifest["files"].values())
    assert "accounts.0001_initial" in manifest["migrations"]


def test_backup_goes_to_var_backups_readable_by_owner_only(world, media, settings, tmp_path):
    """Without a path, the backup is a dated file under var/backups/, private to its owner."""
    settings.VAR_DIR = tmp_path / "var"

    bundle = backup()

    assert bundle.parent == tmp_path / "var" / "backups"
    assert bundle.name.startswith("territoria-")
    assert bundle.name.endswith(".tar.gz")
    assert len(bundle.name) == len("territoria-20250101-120000.tar.gz")
    assert stat.S_IMODE(bundle.stat().st_mode) == 0o600
    assert [p.name for p in bundle.parent.iterdir()] == [bundle.name]


def _truncated(bundle, target):
    target.write_bytes(bundle.read_bytes()[: bundle.stat().st_size // 2])
    return target


def _not_an_archive(bundle, target):
    target.write_text("Ceci n'est pas une sauvegarde.\n")
    return target


def _bad_checksum(bundle, target):
    with tarfile.open(bundle, "r:gz") as archive:
        database = archive.extractfile(DATABASE_PART).read()
    return rewrite_bundle(
        bundle, target, parts={DATABASE_PART: database[:-1] + bytes([database[-1] ^ 0xFF])}
    )


def _wrong_engine(bundle, target):
    return rewrite_bundle(bundle, target, manifest=lambda m: m.update(engine=OTHER_ENGINE))


def _no_manifest(bundle, target):
    return rewrite_bundle(bundle, target, drop={"manifest.json"})


def _corrupt_database(bundle, target):
    garbage = b"\x00\xff" * 4096
    return rewrite_bundle(bundle, target, parts={DATABASE_PART: garbage}, refresh=True)


def _future_migration(bundle, target):
    def add(manifest):
        manifest["migrations"].append("accounts.9999_from_the_future")

    return rewrite_bundle(bundle, target, manifest=add)


DAMAGES = {
    "truncated_case": (_truncated, "not_a_backup", None),
    "not_an_archive_case": (_not_an_archive, "not_a_backup", None),
    "bad_checksum_case": (
        _bad_checksum,
        "checksum_mismatch",
        "La sauvegarde est endommagée : la somme de contrôle de « "
        f"{DATABASE_PART} » ne correspond pas.",
    ),
    "wrong_engine_case": (
        _wrong_engine,
        "engine_mismatch",
        f"Cette sauvegarde vient d'une base {'PostgreSQL' if ENGINE == 'SQLite' else 'SQLite'}, "
        f"or la base configurée est {ENGINE} : restauration refusée.",
    ),
    "no_manifest_case": (
        _no_manifest,
        "manifest_missing",
        "La sauvegarde n'a pas de manifeste (manifest.json) : "
        "ce n'est pas une sauvegarde Territoria.",
    ),
    "corrupt_database_case": (
        _corrupt_database,
        "integrity_check_failed" if ENGINE == "SQLite" else "dump_unreadable",
        "La base SQLite contenue dans la sauvegarde est corrompue : restauration refusée."
        if ENGINE == "SQLite"
        else "Le fichier pg_dump contenu dans la sauvegarde est illisible : restauration refusée.",
    ),
    "future_migration_case": (
        _future_migration,
        "unknown_migrations",
        "Cette sauvegarde a été faite par une version plus récente de Territoria "
        "(migrations inconnues : accounts.9999_from_the_future) : "
        "mettez Territoria à jour avant de la restaurer.",
    ),
}


@pytest.mark.parametrize(("damage", "code", "message"), DAMAGES.values(), ids=DAMAGES.keys())
def test_damaged_backup_is_refused_and_changes_nothing(
    world, media, tmp_path, damage, code, message
):
    """A damaged or foreign bundle raises a French RestoreError and leaves data and media as is."""
    bundle = backup(tmp_path / "sauvegarde.tar.gz")
    change_everything(world, media)
    current = snapshot(media)
    damaged = damage(bundle, tmp_path / "abimee.tar.gz")

    with pytest.raises(RestoreError) as refused:
        restore(damaged)

    assert refused.value.code == code
    if message is None:
        message = (
            f"« {damaged} » n'est pas une sauvegarde Territoria lisible (archive .tar.gz attendue)."
        )
    assert refused.value.message == message
    assert refused.value.as_dict() == {"code": code, "message": message}
    assert snapshot(media) == current
    assert sorted(p.name for p in media.parent.iterdir()) == sorted(
        ["media", "sauvegarde.tar.gz", "abimee.tar.gz"]
    )


def test_missing_backup_file_is_refused(world, media, tmp_path):
    """Restoring from a path that does not exist says so in French."""
    missing = tmp_path / "absente.tar.gz"

    with pytest.raises(RestoreError) as refused:
        restore(missing)

    assert refused.value.code == "file_not_found"
    assert refused.value.message == f"Le fichier de sauvegarde « {missing} » est introuvable."


def test_backup_made_before_new_data_restores_users_who_can_log_in(world, media, tmp_path):
    """People created after the backup are gone after the restore; earlier ones remain."""
    bundle = backup(tmp_path / "sauvegarde.tar.gz")
    make_user("arrivee-apres@exemple.fr")

    restore(bundle)

    assert not User.objects.filter(email="arrivee-apres@exemple.fr").exists()
    assert User.objects.filter(email="elu@niort.fr").exists()
