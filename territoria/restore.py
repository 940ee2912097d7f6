"""Restoring a backup bundle (see backup.py for what it holds).

`restore()` checks every part before it touches anything: passphrase, manifest,
checksums, engine, migrations, database readability, secret key. Then it replaces the
database in one transaction, swaps each folder's files by renames on the same disk and
writes the secret key.
"""

import contextlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import zlib
from pathlib import Path

from django.conf import settings
from django.db import connections
from django.db.migrations.loader import MigrationLoader
from django.utils.translation import gettext as _

from territoria import encryption
from territoria.backup import (
    DATABASE_PARTS,
    ENGINE_LABELS,
    FILES_PART,
    FORMAT,
    FORMAT_VERSION,
    MANIFEST,
    SECRET_KEY_PART,
    WORK_PREFIX,
    RestoreError,
    engine_of,
    fingerprint,
    run_postgresql_tool,
    skipped_inside,
    stored_folders,
)


def restore(path: Path, *, passphrase: str | None = None, using: str = "default") -> dict:
    """Replace the database, the stored files and the secret key with a bundle's.

    Returns the bundle's manifest, plus `pending_migrations` (the migrations of this
    code the backup predates: run `migrate` after the restore), `secret_key_path`
    and `secret_key_overridden` (SECRET_KEY set in the environment to another key,
    which would hide the restored one).
    Raises RestoreError, with nothing changed, when the bundle is not sound.
    """
    connection = connections[using]
    engine = engine_of(connection, error=RestoreError)
    path = Path(path)
    var_dir = Path(settings.VAR_DIR).resolve()
    var_dir.mkdir(parents=True, exist_ok=True)
    with (
        tempfile.TemporaryDirectory(prefix=f"{WORK_PREFIX}restore-", dir=var_dir) as tmp,
        contextlib.ExitStack() as staging,
    ):
        workdir = Path(tmp)
        manifest = _unpack(_decrypted(path, workdir, passphrase), workdir)
        _check_manifest(manifest, workdir, engine)
        pending = _check_migrations(manifest)
        database = workdir / DATABASE_PARTS[engine]
        if engine == "sqlite":
            _check_sqlite_file(database)
        else:
            _check_postgresql_dump(database)
        secret_key = _check_secret_key(workdir / SECRET_KEY_PART)
        folders = stored_folders()
        staged = {}
        for name in manifest["folders"]:
            if name in folders:
                # Staged inside the folder itself: the swap is then renames on one disk.
                folders[name].mkdir(parents=True, exist_ok=True)
                place = Path(
                    staging.enter_context(
                        tempfile.TemporaryDirectory(
                            prefix=f"{WORK_PREFIX}restore-", dir=folders[name]
                        )
                    )
                )
                staged[name] = (place, _unpack_folder(workdir / "files" / f"{name}.tar", place))

        if engine == "sqlite":
            _restore_sqlite(connection, database)
        else:
            _restore_postgresql(connection, database)
        for name, (place, new) in staged.items():
            root = folders[name]
            _swap_folder(new, root, skipped_inside(root, folders, connection), place / "previous")
        key_path = _write_secret_key(secret_key, var_dir)
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()
    env_key = os.environ.get("SECRET_KEY")
    return {
        **manifest,
        "pending_migrations": pending,
        "secret_key_path": key_path,
        "secret_key_overridden": bool(env_key) and env_key != secret_key,
        "folders_not_restored": sorted(set(manifest["folders"]) - set(staged)),
    }


# Checking a bundle: nothing below changes the database or the stored files.


def _decrypted(path: Path, workdir: Path, passphrase: str | None) -> Path:
    """The plain bundle: `path` itself, or its decryption checked whole into `workdir`."""
    if not path.is_file():
        raise RestoreError(
            "file_not_found",
            _("Le fichier de sauvegarde « %(path)s » est introuvable.") % {"path": path},
        )
    if not encryption.is_encrypted(path):
        return path
    if not passphrase:
        raise RestoreError(
            "passphrase_required",
            _(
                "Cette sauvegarde est chiffrée : donnez sa phrase de passe "
                "(variable TERRITORIA_BACKUP_PASSPHRASE)."
            ),
        )
    plain = workdir / "bundle.tar.gz"
    try:
        encryption.decrypt_file(path, plain, passphrase)
    except encryption.DecryptionError:
        raise RestoreError(
            "passphrase_wrong",
            _(
                "Impossible de déchiffrer la sauvegarde : la phrase de passe est fausse ou "
                "le fichier est endommagé."
            ),
        ) from None
    return plain


def _unpack(path: Path, workdir: Path) -> dict:
    not_a_bundle = RestoreError(
        "not_a_backup",
        _("« %(path)s » n'est pas une sauvegarde Territoria lisible (archive .tar.gz attendue).")
        % {"path": path},
    )
    (workdir / "files").mkdir()
    try:
        with tarfile.open(path, "r:gz") as bundle:
            for member in bundle:
                known = member.name in {MANIFEST, SECRET_KEY_PART, *DATABASE_PARTS.values()}
                if not (known or FILES_PART.match(member.name)) or not member.isfile():
                    raise RestoreError(
                        "unexpected_content",
                        _(
                            "La sauvegarde contient un élément inattendu (« %(name)s ») : "
                            "restauration refusée."
                        )
                        % {"name": member.name},
                    )
                source = bundle.extractfile(member)
                with source, (workdir / member.name).open("wb") as target:
                    shutil.copyfileobj(source, target)
    except (tarfile.TarError, EOFError, zlib.error, OSError) as error:
        raise not_a_bundle from error
    try:
        manifest = json.loads((workdir / MANIFEST).read_text())
    except FileNotFoundError:
        raise RestoreError(
            "manifest_missing",
            _(
                "La sauvegarde n'a pas de manifeste (manifest.json) : ce n'est pas une "
                "sauvegarde Territoria."
            ),
        ) from None
    except (ValueError, UnicodeDecodeError):
        raise RestoreError(
            "manifest_invalid", _("Le manifeste de la sauvegarde est illisible.")
        ) from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise RestoreError("manifest_invalid", _("Le manifeste de la sauvegarde est illisible."))
    return manifest


def _check_manifest(manifest: dict, workdir: Path, engine: str) -> None:
    version = manifest.get("format_version")
    if not isinstance(version, int) or version > FORMAT_VERSION:
        raise RestoreError(
            "format_unsupported",
            _(
                "Cette sauvegarde a été faite par une version plus récente de Territoria : "
                "mettez Territoria à jour avant de la restaurer."
            ),
        )
    if version < FORMAT_VERSION:
        raise RestoreError(
            "format_too_old",
            _(
                "Cette sauvegarde vient d'une ancienne version de Territoria : elle ne "
                "contient ni les photos des signalements, ni les fichiers des données "
                "ouvertes, ni la clé secrète. Restauration refusée : faites une nouvelle "
                "sauvegarde avec cette version."
            ),
        )
    source = manifest.get("engine")
    if source != engine:
        raise RestoreError(
            "engine_mismatch",
            _(
                "Cette sauvegarde vient d'une base %(source)s, or la base configurée est "
                "%(target)s : restauration refusée."
            )
            % {
                "source": ENGINE_LABELS.get(source, str(source)),
                "target": ENGINE_LABELS[engine],
            },
        )
    files, folders = manifest.get("files"), manifest.get("folders")
    if not isinstance(files, dict) or not isinstance(folders, dict):
        raise RestoreError("manifest_invalid", _("Le manifeste de la sauvegarde est illisible."))
    expected = {DATABASE_PARTS[engine], SECRET_KEY_PART, *(f"files/{name}.tar" for name in folders)}
    present = {
        str(part.relative_to(workdir))
        for part in [*workdir.iterdir(), *(workdir / "files").iterdir()]
        if part.is_file() and part.name != MANIFEST and part.name != "bundle.tar.gz"
    }
    for name in sorted(expected | set(files) | present):
        part = workdir / name
        if name not in files or name not in expected:
            raise RestoreError(
                "unexpected_content",
                _(
                    "La sauvegarde contient un élément inattendu (« %(name)s ») : "
                    "restauration refusée."
                )
                % {"name": name},
            )
        if not part.is_file():
            raise RestoreError(
                "part_missing",
                _("La sauvegarde est incomplète : « %(name)s » manque.") % {"name": name},
            )
        if fingerprint(part) != files[name]:
            raise RestoreError(
                "checksum_mismatch",
                _(
                    "La sauvegarde est endommagée : la somme de contrôle de « %(name)s » ne "
                    "correspond pas."
                )
                % {"name": name},
            )


def _check_migrations(manifest: dict) -> list[str]:
    recorded = manifest.get("migrations")
    if not isinstance(recorded, list):
        raise RestoreError("manifest_invalid", _("Le manifeste de la sauvegarde est illisible."))
    known = {
        f"{app}.{name}"
        for app, name in MigrationLoader(None, ignore_no_migrations=True).disk_migrations
    }
    unknown = sorted(set(recorded) - known)
    if unknown:
        raise RestoreError(
            "unknown_migrations",
            _(
                "Cette sauvegarde a été faite par une version plus récente de Territoria "
                "(migrations inconnues : %(names)s) : mettez Territoria à jour avant de la "
                "restaurer."
            )
            % {"names": ", ".join(unknown[:5])},
        )
    return sorted(known - set(recorded))


def _check_sqlite_file(database: Path) -> None:
    try:
        check = sqlite3.connect(f"{database.as_uri()}?mode=ro", uri=True)
        try:
            result = check.execute("PRAGMA integrity_check").fetchall()
        finally:
            check.close()
    except sqlite3.DatabaseError:
        result = []
    if result != [("ok",)]:
        raise RestoreError(
            "integrity_check_failed",
            _("La base SQLite contenue dans la sauvegarde est corrompue : restauration refusée."),
        )


def _check_postgresql_dump(database: Path) -> None:
    try:
        result = subprocess.run(  # noqa: S603
            ["pg_restore", "--list", str(database)],  # noqa: S607
            capture_output=True,
            check=False,
        )
    except FileNotFoundError:
        raise RestoreError(
            "postgresql_client_missing",
            _("La commande pg_restore est introuvable : installez le paquet postgresql-client."),
        ) from None
    if result.returncode != 0:
        raise RestoreError(
            "dump_unreadable",
            _(
                "Le fichier pg_dump contenu dans la sauvegarde est illisible : restauration "
                "refusée."
            ),
        )


def _check_secret_key(path: Path) -> str:
    try:
        key = path.read_text().strip()
    except (OSError, UnicodeDecodeError):
        key = ""
    if len(key) < 32:
        raise RestoreError(
            "secret_key_invalid",
            _("La clé secrète contenue dans la sauvegarde est illisible : restauration refusée."),
        )
    return key


def _unpack_folder(archive_path: Path, staging: Path) -> Path:
    """Extract one folder's archive into `staging/files` after checking every member."""
    target = staging / "files"
    try:
        with tarfile.open(archive_path, "r:") as archive:
            members = archive.getmembers()
            for member in members:
                parts = Path(member.name).parts
                if (
                    not parts
                    or parts[0] != "files"
                    or ".." in parts
                    or Path(member.name).is_absolute()
                ):
                    raise tarfile.TarError(member.name)
                if not (member.isfile() or member.isdir()):
                    raise tarfile.TarError(member.name)
            # The "data" filter (Python >= 3.11.4) adds the standard library's own checks.
            safety = {"filter": "data"} if hasattr(tarfile, "data_filter") else {}
            archive.extractall(staging, members=members, **safety)  # noqa: S202 (checked above)
    except (tarfile.TarError, OSError) as error:
        raise RestoreError(
            "files_invalid",
            _("Les fichiers « %(name)s » de la sauvegarde sont illisibles : restauration refusée.")
            % {"name": archive_path.stem},
        ) from error
    target.mkdir(parents=True, exist_ok=True)
    return target


# Applying a checked bundle.


def _restore_sqlite(connection, database: Path) -> None:
    if connection.in_atomic_block:
        raise RestoreError(
            "in_transaction",
            _("Une restauration ne peut pas se faire au milieu d'une transaction."),
        )
    connection.ensure_connection()
    source = sqlite3.connect(f"{database.as_uri()}?mode=ro", uri=True)
    try:
        # One step into the live connection: all pages are replaced in one
        # transaction, and other processes see either the old or the new base.
        source.backup(connection.connection)
    except sqlite3.Error as error:
        raise RestoreError(
            "restore_failed",
            _(
                "La restauration de la base SQLite a échoué (%(detail)s) ; la base actuelle "
                "est inchangée."
            )
            % {"detail": error},
        ) from error
    finally:
        source.close()


def _restore_postgresql(connection, database: Path) -> None:
    if connection.in_atomic_block:
        raise RestoreError(
            "in_transaction",
            _("Une restauration ne peut pas se faire au milieu d'une transaction."),
        )
    # Our own idle connection must not hold locks on the tables pg_restore drops.
    connection.close()
    run_postgresql_tool(
        [
            "pg_restore",
            "--clean",
            "--if-exists",
            "--single-transaction",
            "--exit-on-error",
            "--no-owner",
            "--no-privileges",
            f"--dbname={connection.settings_dict['NAME']}",
            str(database),
        ],
        connection,
        RestoreError,
        "restore_failed",
        _("pg_restore a échoué ; la base actuelle est inchangée"),
    )


def _swap_folder(new: Path, root: Path, skipped: set[Path], previous: Path) -> None:
    """Make `root` hold exactly `new`'s files, by renames, leaving `skipped` in place."""
    root.mkdir(parents=True, exist_ok=True)
    previous.mkdir(parents=True, exist_ok=True)
    _move_out(root, skipped, previous)
    _move_in(new, root)


def _move_out(folder: Path, skipped: set[Path], previous: Path) -> None:
    for item in list(folder.iterdir()):
        if item in skipped or item.name.startswith(WORK_PREFIX):
            continue
        if any(path.is_relative_to(item) for path in skipped):
            # A folder holding something kept (var/private holds the report photos).
            (previous / item.name).mkdir(exist_ok=True)
            _move_out(item, skipped, previous / item.name)
        else:
            os.replace(item, previous / item.name)


def _move_in(new: Path, folder: Path) -> None:
    for item in list(new.iterdir()):
        destination = folder / item.name
        if destination.is_dir() and item.is_dir():
            _move_in(item, destination)
        else:
            os.replace(item, destination)


def _write_secret_key(key: str, var_dir: Path) -> Path:
    """The restored key where settings read it when SECRET_KEY is not in the environment."""
    path = var_dir / "secret_key"
    partial = var_dir / f"{WORK_PREFIX}secret_key"
    partial.write_text(key)
    partial.chmod(0o600)
    os.replace(partial, path)
    return path
