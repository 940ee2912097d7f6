"""Backups of the database and the media files, and their restoration.

A backup is one `.tar.gz` bundle holding:

- `manifest.json`: format version, database engine, applied Django migrations,
  sha256 and size of every other part, creation date;
- `database.sqlite3` (a copy made with SQLite's online backup API) or
  `database.dump` (`pg_dump --format=custom`);
- `media.tar`: the MEDIA_ROOT folder.

`restore()` checks the whole bundle before it touches anything, then replaces
the database in one transaction and swaps the media folder by renames.
"""

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import zlib
from datetime import datetime
from pathlib import Path

import django
from django.conf import settings
from django.db import connections
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.translation import gettext as _

FORMAT = "territoria-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
MEDIA_PART = "media.tar"
DATABASE_PARTS = {"sqlite": "database.sqlite3", "postgresql": "database.dump"}
ENGINE_LABELS = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
KNOWN_PARTS = {MANIFEST, MEDIA_PART, *DATABASE_PARTS.values()}


class BackupError(Exception):
    """A backup or restore that could not be done; `message` is for people, `code` for machines."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message

    def as_dict(self) -> dict[str, str]:
        return {"code": self.code, "message": self.message}


class RestoreError(BackupError):
    """A restore refused or failed; the current database and media are left as they were."""


def backup(path: Path | None = None, *, using: str = "default") -> Path:
    """Write a backup bundle and return its path.

    `path` may be a file name or an existing folder; by default the bundle goes
    to `VAR_DIR/backups/territoria-YYYYmmdd-HHMMSS.tar.gz`.
    """
    connection = connections[using]
    engine = _engine(connection)
    target = _target_path(Path(path) if path else None)
    target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".territoria-backup-", dir=target.parent) as tmp:
        workdir = Path(tmp)
        database = workdir / DATABASE_PARTS[engine]
        if engine == "sqlite":
            _dump_sqlite(connection, database)
        else:
            _dump_postgresql(connection, database)
        media = workdir / MEDIA_PART
        media_files = _pack_media(Path(settings.MEDIA_ROOT), media)
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "engine": engine,
            "created_at": timezone.now().isoformat(),
            "django_version": django.get_version(),
            "migrations": _applied_migrations(connection),
            "media_files": media_files,
            "files": {part.name: _fingerprint(part) for part in (database, media)},
        }
        (workdir / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False))
        partial = workdir / "bundle.tar.gz"
        with tarfile.open(partial, "w:gz", compresslevel=6) as bundle:
            for name in (MANIFEST, database.name, media.name):
                bundle.add(workdir / name, arcname=name, recursive=False)
        partial.chmod(0o600)
        os.replace(partial, target)
    return target


def restore(path: Path, *, using: str = "default") -> dict:
    """Replace the database and the media files with those of a backup bundle.

    Returns the bundle's manifest, plus `pending_migrations`: the migrations of
    this code the backup predates (run `migrate` after the restore).
    Raises RestoreError, with nothing changed, when the bundle is not sound.
    """
    connection = connections[using]
    engine = _engine(connection, error=RestoreError)
    path = Path(path)
    media_root = Path(settings.MEDIA_ROOT)
    media_root.parent.mkdir(parents=True, exist_ok=True)
    with (
        tempfile.TemporaryDirectory(prefix=".territoria-restore-", dir=settings.VAR_DIR) as tmp,
        tempfile.TemporaryDirectory(
            prefix=f".{media_root.name}-restore-", dir=media_root.parent
        ) as staging,
    ):
        workdir = Path(tmp)
        manifest = _unpack(path, workdir)
        _check_manifest(manifest, workdir, engine)
        pending = _check_migrations(manifest)
        database = workdir / DATABASE_PARTS[engine]
        if engine == "sqlite":
            _check_sqlite_file(database)
        else:
            _check_postgresql_dump(database)
        new_media = _unpack_media(workdir / MEDIA_PART, Path(staging))

        if engine == "sqlite":
            _restore_sqlite(connection, database)
        else:
            _restore_postgresql(connection, database)
        _swap_media(new_media, media_root, Path(staging))
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()
    return {**manifest, "pending_migrations": pending}


# Writing a bundle.


def _engine(connection, error: type[BackupError] = BackupError) -> str:
    if connection.vendor not in DATABASE_PARTS:
        raise error(
            "unsupported_engine",
            _(
                "Les sauvegardes ne prennent en charge que SQLite et PostgreSQL (base "
                "configurée : %(vendor)s)."
            )
            % {"vendor": connection.vendor},
        )
    return connection.vendor


def _target_path(path: Path | None) -> Path:
    name = f"territoria-{timezone.localtime():%Y%m%d-%H%M%S}.tar.gz"
    if path is None:
        path = Path(settings.VAR_DIR) / "backups" / name
    elif path.is_dir():
        path = path / name
    if path.name == name and path.exists():
        # Two backups within the same second: keep both.
        path = path.with_name(f"territoria-{datetime.now():%Y%m%d-%H%M%S-%f}.tar.gz")
    return path


def _dump_sqlite(connection, destination: Path) -> None:
    connection.ensure_connection()
    copy = sqlite3.connect(destination)
    try:
        # The online backup API copies a consistent snapshot while others keep writing.
        connection.connection.backup(copy)
        copy.execute("PRAGMA journal_mode=DELETE")
        result = copy.execute("PRAGMA integrity_check").fetchall()
    finally:
        copy.close()
    if result != [("ok",)]:
        raise BackupError(
            "integrity_check_failed",
            _("La copie de la base SQLite est corrompue (%(detail)s) : sauvegarde abandonnée.")
            % {"detail": "; ".join(row[0] for row in result[:3])},
        )


def _postgresql_env(connection) -> dict[str, str]:
    """libpq variables for the connection: the password never appears on a command line."""
    params = connection.settings_dict
    options = params.get("OPTIONS") or {}
    values = {
        "PGHOST": params.get("HOST"),
        "PGPORT": params.get("PORT"),
        "PGUSER": params.get("USER"),
        "PGPASSWORD": params.get("PASSWORD"),
        "PGDATABASE": params.get("NAME"),
        "PGSERVICE": options.get("service"),
        "PGPASSFILE": options.get("passfile"),
        "PGSSLMODE": options.get("sslmode"),
        "PGSSLROOTCERT": options.get("sslrootcert"),
        "PGSSLCERT": options.get("sslcert"),
        "PGSSLKEY": options.get("sslkey"),
    }
    return {**os.environ, **{key: str(value) for key, value in values.items() if value}}


def _run_postgresql_tool(
    args: list[str], connection, error: type[BackupError], code: str, message: str
):
    try:
        result = subprocess.run(  # noqa: S603
            args, env=_postgresql_env(connection), capture_output=True, text=True, check=False
        )
    except FileNotFoundError:
        raise error(
            "postgresql_client_missing",
            _("La commande %(command)s est introuvable : installez le paquet postgresql-client.")
            % {"command": args[0]},
        ) from None
    if result.returncode != 0:
        detail = result.stderr.strip().splitlines()[-1:] or [str(result.returncode)]
        raise error(code, f"{message} ({detail[0]})")
    return result


def _dump_postgresql(connection, destination: Path) -> None:
    _run_postgresql_tool(
        ["pg_dump", "--format=custom", f"--file={destination}"],
        connection,
        BackupError,
        "pg_dump_failed",
        _("pg_dump n'a pas pu sauvegarder la base PostgreSQL"),
    )


def _pack_media(media_root: Path, destination: Path) -> int:
    count = 0
    with tarfile.open(destination, "w") as archive:
        if media_root.is_dir():
            for item in sorted(media_root.rglob("*")):
                archive.add(item, arcname=f"media/{item.relative_to(media_root)}", recursive=False)
                count += item.is_file()
    return count


def _applied_migrations(connection) -> list[str]:
    recorder = MigrationRecorder(connection)
    if not recorder.has_table():
        return []
    return sorted(f"{app}.{name}" for app, name in recorder.applied_migrations())


def _fingerprint(path: Path) -> dict:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return {"sha256": digest.hexdigest(), "size": path.stat().st_size}


# Checking a bundle: nothing below changes the database or the media folder.


def _unpack(path: Path, workdir: Path) -> dict:
    if not path.is_file():
        raise RestoreError(
            "file_not_found",
            _("Le fichier de sauvegarde « %(path)s » est introuvable.") % {"path": path},
        )
    not_a_bundle = RestoreError(
        "not_a_backup",
        _("« %(path)s » n'est pas une sauvegarde Territoria lisible (archive .tar.gz attendue).")
        % {"path": path},
    )
    try:
        with tarfile.open(path, "r:gz") as bundle:
            for member in bundle:
                if member.name not in KNOWN_PARTS or not member.isfile():
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
    files = manifest.get("files")
    expected = {DATABASE_PARTS[engine], MEDIA_PART}
    if not isinstance(files, dict) or set(files) != expected:
        raise RestoreError("manifest_invalid", _("Le manifeste de la sauvegarde est illisible."))
    for name, fingerprint in files.items():
        part = workdir / name
        if not part.is_file():
            raise RestoreError(
                "part_missing",
                _("La sauvegarde est incomplète : « %(name)s » manque.") % {"name": name},
            )
        if _fingerprint(part) != fingerprint:
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


def _unpack_media(archive_path: Path, staging: Path) -> Path:
    target = staging / "media"
    try:
        with tarfile.open(archive_path, "r:") as archive:
            members = archive.getmembers()
            for member in members:
                parts = Path(member.name).parts
                if (
                    not parts
                    or parts[0] != "media"
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
            "media_invalid",
            _("Les fichiers joints de la sauvegarde sont illisibles : restauration refusée."),
        ) from error
    target.mkdir(exist_ok=True)
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
    _run_postgresql_tool(
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


def _swap_media(new_media: Path, media_root: Path, staging: Path) -> None:
    previous = staging / "previous"
    if media_root.exists():
        os.replace(media_root, previous)
    os.replace(new_media, media_root)
