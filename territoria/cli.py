"""The `territoria` command: demo, serve, import-territories, backup, restore, manage."""

import argparse
import os
import signal
import subprocess
import sys
from pathlib import Path


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "territoria.settings")
    import django

    django.setup()


def _manage(*args: str) -> None:
    from django.core.management import call_command

    call_command(*args)


def _prepare_database() -> None:
    """Migrate, then load the territories if this database has none yet."""
    from territoria.territories.models import Commune

    _manage("migrate", "--no-input", "--verbosity", "0")
    if not Commune.objects.exists():
        print("Import des territoires (Code officiel géographique)…", flush=True)
        _manage("import_territories")


def _start_background() -> list[subprocess.Popen]:
    """The task worker and the scheduler of recurring jobs, each in its own process,
    stopped with the demo."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "territoria.settings"}
    return [
        subprocess.Popen([sys.executable, "-m", "django", command], env=env)  # noqa: S603
        for command in ("db_worker", "run_scheduler")
    ]


def demo(args) -> int:
    _setup()
    from django.conf import settings

    from territoria import demo as demo_content
    from territoria.server import refused_port

    # Before minutes of loading, not after.
    if not args.no_serve and refused_port(args.host, args.port):
        return 1
    _prepare_database()
    logins = demo_content.load()
    from territoria.accounts.demo import DEMO_PASSWORD

    url = f"http://{args.host}:{args.port}/"
    width = max(len(email) for email, _ in logins)
    lines = [
        "",
        f"Démonstration de Territoria : {url}",
        f"Connexion : {url}compte/connexion/  — mot de passe de tous les comptes : {DEMO_PASSWORD}",
        *(f"  {email.ljust(width)}  {label}" for email, label in logins),
        f"Courriels envoyés : {settings.EMAIL_FILE_PATH if not settings.EMAIL_HOST else 'SMTP'}",
        "Arrêt : Ctrl-C",
    ]

    def welcome():
        print("\n".join(lines), flush=True)

    if args.no_serve:
        welcome()
        return 0
    background = _start_background()
    try:
        from territoria.server import serve

        # Where to log in, once the server answers: the last lines a newcomer reads.
        return serve(
            host=args.host,
            port=args.port,
            workers=args.workers,
            threads=args.threads,
            on_ready=welcome,
        )
    finally:
        for process in background:
            process.send_signal(signal.SIGTERM)
        for process in background:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


def serve_command(args) -> int:
    _setup()
    from territoria.server import serve

    return serve(host=args.host, port=args.port, workers=args.workers, threads=args.threads)


def collectstatic_command(args) -> int:
    _setup()
    from django.conf import settings

    from territoria.server import collect_static, static_is_current

    if static_is_current() and not args.force:
        print(f"Fichiers statiques à jour ({settings.STATIC_ROOT}).")
        return 0
    print(
        f"Rassemblement des fichiers statiques dans {settings.STATIC_ROOT} (une minute environ)…",
        flush=True,
    )
    collect_static()
    print("Fichiers statiques rassemblés.")
    return 0


def _command(*options: str) -> int:
    """A management command whose refusals (CommandError, in French) end in exit 1."""
    _setup()
    from django.core.management import CommandError

    try:
        _manage(*options)
    except CommandError as error:
        print(error, file=sys.stderr)
        return 1
    return 0


def import_territories(args) -> int:
    return _command("import_territories", *(["--file", args.file] if args.file else []))


def catalogue_command(args) -> int:
    return _command("catalogue", *args.rest)


def sensors_command(args) -> int:
    return _command("sensors", *args.rest)


PASSPHRASE_VARIABLE = "TERRITORIA_BACKUP_PASSPHRASE"  # noqa: S105 (a variable name)


def _passphrase(*, confirm: bool) -> str | None:
    """The backup passphrase: TERRITORIA_BACKUP_PASSPHRASE, else asked on a terminal."""
    if value := os.environ.get(PASSPHRASE_VARIABLE):
        return value
    if not sys.stdin.isatty():
        return None
    import getpass

    value = getpass.getpass("Phrase de passe de la sauvegarde : ")
    if confirm and value != getpass.getpass("Confirmez la phrase de passe : "):
        print("Les deux phrases de passe diffèrent.", file=sys.stderr)
        return None
    return value or None


def backup_command(args) -> int:
    _setup()
    from territoria.backup import BackupError, backup

    passphrase = None
    if args.encrypt:
        passphrase = _passphrase(confirm=True)
        if not passphrase:
            print(
                "Sauvegarde impossible : --encrypt demande une phrase de passe "
                f"(variable {PASSPHRASE_VARIABLE}, ou saisie au terminal).",
                file=sys.stderr,
            )
            return 1
    try:
        path = backup(Path(args.output) if args.output else None, passphrase=passphrase)
    except BackupError as error:
        print(f"Sauvegarde impossible : {error.message}", file=sys.stderr)
        return 1
    print(f"Sauvegarde écrite : {path}")
    if not passphrase:
        print(
            "Elle contient la clé secrète et des données personnelles : gardez-la en lieu "
            "sûr, ou chiffrez-la avec --encrypt."
        )
    return 0


def restore_command(args) -> int:
    _setup()
    from territoria import encryption
    from territoria.restore import RestoreError, restore

    path = Path(args.path)
    passphrase = None
    if path.is_file() and encryption.is_encrypted(path):
        passphrase = _passphrase(confirm=False)
    try:
        restored = restore(path, passphrase=passphrase)
    except RestoreError as error:
        print(f"Restauration impossible : {error.message}", file=sys.stderr)
        return 1
    counts = restored["folders"]
    detail = ", ".join(f"{name} : {count}" for name, count in counts.items())
    print(
        f"Restauration terminée : base de données, clé secrète ({restored['secret_key_path']}) "
        f"et {sum(counts.values())} fichiers ({detail})."
    )
    if restored["folders_not_restored"]:
        print(
            "Dossiers de la sauvegarde absents de cette configuration, non restaurés : "
            + ", ".join(restored["folders_not_restored"])
        )
    if restored["secret_key_overridden"]:
        print(
            "Attention : la variable d'environnement SECRET_KEY diffère de la clé restaurée. "
            f"Retirez-la, ou donnez-lui le contenu de {restored['secret_key_path']} : sinon "
            "les codes de vote imprimés et les liens envoyés par courriel seront refusés.",
            file=sys.stderr,
        )
    if restored["pending_migrations"]:
        print(
            "La sauvegarde précède cette version de Territoria : lancez "
            "`territoria manage migrate` pour mettre la base à jour."
        )
    return 0


def manage_command(args) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "territoria.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["territoria manage", *args.rest])
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="territoria", description="Territoria : plateforme des territoires intelligents."
    )
    sub = parser.add_subparsers(dest="command", required=True)

    def server_options(p):
        p.add_argument("--host", default=os.environ.get("WEB_HOST", "127.0.0.1"))
        p.add_argument("--port", type=int, default=int(os.environ.get("WEB_PORT", "8000")))
        p.add_argument(
            "--workers", type=int, default=None, help="processus web (défaut : WEB_WORKERS)"
        )
        p.add_argument(
            "--threads", type=int, default=None, help="fils par processus (défaut : WEB_THREADS)"
        )

    p = sub.add_parser("demo", help="prépare la démonstration complète et la sert")
    server_options(p)
    p.add_argument("--no-serve", action="store_true", help="prépare sans lancer le serveur")
    p.set_defaults(func=demo)

    p = sub.add_parser("serve", help="sert la plateforme avec le serveur de production")
    server_options(p)
    p.set_defaults(func=serve_command)

    p = sub.add_parser(
        "collectstatic",
        help="rassemble les fichiers statiques, seulement si leurs sources ont changé",
    )
    p.add_argument("--force", action="store_true", help="rassemble même s'ils sont à jour")
    p.set_defaults(func=collectstatic_command)

    p = sub.add_parser(
        "import-territories", help="importe ou met à jour communes, EPCI, départements, régions"
    )
    p.add_argument("--file", help="fichier d'extrait du COG (défaut : celui livré avec Territoria)")
    p.set_defaults(func=import_territories)

    p = sub.add_parser(
        "catalogue", help="exporte ou importe le catalogue : catalogue export|import …"
    )
    p.add_argument("rest", nargs=argparse.REMAINDER)
    p.set_defaults(func=catalogue_command)

    p = sub.add_parser(
        "sensors", help="capteurs : sensors simulate|detect|purge … (données simulées, détection)"
    )
    p.add_argument("rest", nargs=argparse.REMAINDER)
    p.set_defaults(func=sensors_command)

    p = sub.add_parser(
        "backup", help="sauvegarde la base, tous les fichiers conservés et la clé secrète"
    )
    p.add_argument("--output", help="chemin du fichier de sauvegarde")
    p.add_argument(
        "--encrypt",
        action="store_true",
        help=f"chiffre l'archive avec une phrase de passe (variable {PASSPHRASE_VARIABLE})",
    )
    p.set_defaults(func=backup_command)

    p = sub.add_parser(
        "restore", help="restaure une sauvegarde (vérifiée avant toute modification)"
    )
    p.add_argument("path")
    p.set_defaults(func=restore_command)

    p = sub.add_parser(
        "manage", help="commandes d'administration Django (migrate, createsuperuser…)"
    )
    p.add_argument("rest", nargs=argparse.REMAINDER)
    p.set_defaults(func=manage_command)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
