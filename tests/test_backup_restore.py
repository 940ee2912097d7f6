"""Backups and restores, on the configured database (SQLite, or PostgreSQL with DATABASE_URL)."""

import hashlib
import io
import json
import shutil
import stat
import tarfile
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.db.models import FileField

import pytest

from territoria.accounts.enums import Role
from territoria.accounts.models import Membership, User
from territoria.backup import RestoreError, backup, stored_folders
from territoria.restore import restore
from territoria.territories.models import Collectivite
from tests.factories import make_member, make_user

pytestmark = pytest.mark.django_db(transaction=True)
ENGINE = "SQLite" if connection.vendor == "sqlite" else "PostgreSQL"
OTHER_ENGINE = "postgresql" if connection.vendor == "sqlite" else "sqlite"
DATABASE_PART = "database.sqlite3" if connection.vendor == "sqlite" else "database.dump"


# The folders the `media` fixture puts one file in.
FILLED = ("EMAIL_FILE_PATH", "MEDIA_ROOT", "OPENDATA_DIR", "REPORTS_PHOTO_ROOT", "VAR_DIR")


@pytest.fixture
def media(settings, tmp_path):
    """A throwaway instance folder: every stored folder holds a file, as after real use."""
    var = tmp_path / "var"
    current = Path(settings.VAR_DIR).resolve()
    for name, path in stored_folders().items():
        # Every folder of the test settings moves into the throwaway one.
        if path.is_relative_to(current):
            setattr(settings, name, var / path.relative_to(current))
    settings.STATIC_ROOT = var / "static"
    files = {
        "media/logos/saint-amand.png": b"logo d'origine",
        "private/reports/photos/1-0.jpg": b"photo d'un lampadaire",
        "opendata/saint-amand/subventions.csv": b"nomAttribuant\nVille\n",
        "mail/message-1.eml": b"Subject: Bienvenue\n",
        "participation/courriers-bp.csv": b"nom;code\nMartin;ABCD-EFGH-JKMN\n",
        "static/territoria/site.css": b"body {}",
        ".cache/uv/paquet.whl": b"cache de bin/bootstrap",
        "secret_key": settings.SECRET_KEY.encode(),
    }
    for name, content in files.items():
        (var / name).parent.mkdir(parents=True, exist_ok=True)
        (var / name).write_bytes(content)
    return var


def snapshot(var):
    return {
        "users": sorted(User.objects.values_list("email", "full_name")),
        "memberships": sorted(
            Membership.objects.values_list("user__email", "collectivite__slug", "role")
        ),
        "collectivites": sorted(Collectivite.objects.values_list("slug", "name")),
        "files": sorted(
            (str(path.relative_to(var)), path.read_bytes())
            for path in var.rglob("*")
            if path.is_file()
        ),
    }


def change_everything(world, var):
    """Writes of every kind after the backup: rows created, updated, deleted; files too."""
    world.elu_niort.delete()
    world.agent_saint_amand.full_name = "Nom changé"
    world.agent_saint_amand.save()
    make_member(world.orval, Role.ADMIN, "nouvelle@orval.fr")
    world.niort.delete()
    (var / "media" / "logos" / "saint-amand.png").write_bytes(b"logo remplace")
    (var / "media" / "logos" / "orval.png").write_bytes(b"nouveau logo")
    (var / "private" / "reports" / "photos" / "1-0.jpg").unlink()
    (var / "private" / "reports" / "photos" / "2-0.jpg").write_bytes(b"autre photo")
    shutil.rmtree(var / "opendata")
    (var / "participation" / "courriers-bp.csv").write_bytes(b"remplace")
    (var / "secret_key").write_text("une-autre-cle-" * 4)


def rewrite_bundle(source, target, *, drop=(), parts=None, manifest=None, refresh=False):
    """Copy a bundle, dropping or replacing parts; `refresh` recomputes the checksums."""
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


def test_restore_brings_back_the_data_files_and_secret_key_of_the_backup(
    world, media, tmp_path, settings
):
    """A restore puts back exactly the rows, stored files and secret key saved, undoing
    later writes; static files (collected again at install) are left alone."""
    before = snapshot(media)
    bundle = backup(tmp_path / "sauvegarde.tar.gz")
    change_everything(world, media)
    (media / "static" / "territoria" / "site.css").write_bytes(b"body { color: red }")
    assert snapshot(media) != before

    info = restore(bundle)

    after = snapshot(media)
    static = "static/territoria/site.css"
    assert dict(after["files"])[static] == b"body { color: red }"
    after["files"] = [(name, data) for name, data in after["files"] if name != static]
    before["files"] = [(name, data) for name, data in before["files"] if name != static]
    assert after == before
    assert info["engine"] == connection.vendor
    assert info["pending_migrations"] == []
    assert info["secret_key_path"] == media / "secret_key"
    assert stat.S_IMODE((media / "secret_key").stat().st_mode) == 0o600
    assert list(media.rglob(".territoria-*")) == []
    assert User.objects.get(email="agent@saint-amand.fr").check_password("motdepasse-de-test-42")


def test_every_folder_named_in_the_settings_is_in_the_bundle(world, media, tmp_path, settings):
    """A folder setting added later (…_ROOT, …_DIR, …_FILE_PATH) is saved without listing it."""
    settings.SIGNATURES_DIR = tmp_path / "signatures"
    (settings.SIGNATURES_DIR / "maire.png").parent.mkdir()
    (settings.SIGNATURES_DIR / "maire.png").write_bytes(b"signature")

    bundle = backup(tmp_path / "sauvegarde.tar.gz")

    with tarfile.open(bundle, "r:gz") as archive:
        manifest = json.loads(archive.extractfile("manifest.json").read())
        saved = tarfile.open(fileobj=archive.extractfile("files/SIGNATURES_DIR.tar"))
        assert saved.extractfile("files/maire.png").read() == b"signature"
    assert manifest["folders"]["SIGNATURES_DIR"] == 1


def test_every_file_field_stores_inside_a_saved_folder(media):
    """Each model's file storage writes into one of the folders a backup saves."""
    from django.apps import apps

    folders = stored_folders().values()
    locations = {
        f"{model.__name__}.{field.name}": Path(field.storage.location).resolve()
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, FileField)
    }
    assert locations, "no file field found"
    unsaved = {
        name: path
        for name, path in locations.items()
        if not any(path.is_relative_to(folder) for folder in folders)
    }
    assert unsaved == {}


def test_backup_bundle_lists_its_parts_with_checksums(world, media, tmp_path):
    """The bundle holds a manifest, the database, the secret key and one archive per
    stored folder, each part with its sha256; static files, backups and hidden entries of
    VAR_DIR are left out."""
    (media / "backups").mkdir()
    (media / "backups" / "ancienne.tar.gz").write_bytes(b"ancienne sauvegarde")
    # In production VAR_DIR is the system user's home: its SSH keys and caches stay out.
    (media / ".ssh").mkdir()
    (media / ".ssh" / "copie").write_bytes(b"cle privee")
    bundle = backup(tmp_path / "sauvegarde.tar.gz")

    with tarfile.open(bundle, "r:gz") as archive:
        names = archive.getnames()
        manifest = json.loads(archive.extractfile("manifest.json").read())
        var = tarfile.open(fileobj=archive.extractfile("files/VAR_DIR.tar"))
        var_names = var.getnames()
        secret = archive.extractfile("secret_key").read().decode()
    folders = sorted(stored_folders())
    parts = [DATABASE_PART, "secret_key", *(f"files/{name}.tar" for name in folders)]
    assert names == ["manifest.json", *parts]
    assert set(FILLED) <= set(folders)
    assert manifest["format"] == "territoria-backup"
    assert manifest["format_version"] == 2
    assert manifest["engine"] == connection.vendor
    assert manifest["folders"] == {name: int(name in FILLED) for name in folders}
    assert sorted(manifest["files"]) == sorted(parts)
    assert all(len(part["sha256"]) == 64 for part in manifest["files"].values())
    assert "accounts.0001_initial" in manifest["migrations"]
    # var/private/ only holds other folders: its files are in their own parts.
    assert var_names == [
        "files/participation",
        "files/participation/courriers-bp.csv",
        "files/private",
    ]
    assert secret == settings.SECRET_KEY


def test_encrypted_backup_restores_only_with_its_passphrase(world, media, tmp_path):
    """With a passphrase the archive is unreadable without it; the right one restores it,
    a wrong or missing one changes nothing."""
    before = snapshot(media)
    bundle = backup(tmp_path, passphrase="cheval agrafe pile correct")
    change_everything(world, media)
    changed = snapshot(media)

    assert bundle.name.endswith(".tar.gz.chiffre")
    content = bundle.read_bytes()
    assert settings.SECRET_KEY.encode() not in content
    with pytest.raises(tarfile.TarError):
        tarfile.open(bundle, "r:*")
    for passphrase, code in [(None, "passphrase_required"), ("autre", "passphrase_wrong")]:
        with pytest.raises(RestoreError) as refused:
            restore(bundle, passphrase=passphrase)
        assert refused.value.code == code
        assert snapshot(media) == changed
    cut = tmp_path / "coupee.tar.gz.chiffre"
    cut.write_bytes(content[: len(content) - 100])
    with pytest.raises(RestoreError) as refused:
        restore(cut, passphrase="cheval agrafe pile correct")
    assert refused.value.code == "passphrase_wrong"

    restore(bundle, passphrase="cheval agrafe pile correct")

    assert snapshot(media) == before


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


def _no_photos(bundle, target):
    return rewrite_bundle(bundle, target, drop={"files/REPORTS_PHOTO_ROOT.tar"})


def _no_secret_key(bundle, target):
    return rewrite_bundle(bundle, target, drop={"secret_key"})


def _old_format(bundle, target):
    return rewrite_bundle(bundle, target, manifest=lambda m: m.update(format_version=1))


DAMAGES = {
    "photos_missing_case": (
        _no_photos,
        "part_missing",
        "La sauvegarde est incomplète : « files/REPORTS_PHOTO_ROOT.tar » manque.",
    ),
    "secret_key_missing_case": (
        _no_secret_key,
        "part_missing",
        "La sauvegarde est incomplète : « secret_key » manque.",
    ),
    "old_format_case": (
        _old_format,
        "format_too_old",
        "Cette sauvegarde vient d'une ancienne version de Territoria : elle ne contient ni "
        "les photos des signalements, ni les fichiers des données ouvertes, ni la clé "
        "secrète. Restauration refusée : faites une nouvelle sauvegarde avec cette version.",
    ),
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
        ["var", "sauvegarde.tar.gz", "abimee.tar.gz"]
    )
    assert list(media.rglob(".territoria-*")) == []


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
