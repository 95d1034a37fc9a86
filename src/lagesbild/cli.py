"""The `lagesbild` command: database set-up, the demo forum, user administration and `serve`,
which starts the web app of an installed package."""

from __future__ import annotations

import argparse
import os
import signal
import sys
import time
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError

import lagesbild
from lagesbild import auth, clock, db, fmt, labels, municipalities
from lagesbild.actor import SYSTEM
from lagesbild.config import load_settings
from lagesbild.errors import UserError
from lagesbild.models import Organisation, OrganisationKind, Role
from lagesbild.reference import seed_default_categories
from lagesbild.services import forum


def _engine(args):
    url = args.database_url or load_settings().database_url
    engine = db.make_engine(url)
    db.upgrade(engine)
    return engine


def _read_password(args) -> tuple[str, bool]:
    """The password from stdin if asked for, else a generated one. Returns (password, shown)."""
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\n"), False
    return auth.generate_password(), True


def cmd_upgrade(args) -> int:
    engine = _engine(args)
    print(
        f"Databasen {db.describe_url(str(engine.url))} har schemaversion "
        f"{db.current_revision(engine)}."
    )
    return 0


def cmd_init(args) -> int:
    found = municipalities.resolve(args.municipality)
    engine = _engine(args)
    with db.transaction(engine) as session:
        settings = forum.update(session, SYSTEM, name=args.forum, municipality=found.code)
        added = seed_default_categories(session)
        org = session.query(Organisation).filter_by(name=args.org).one_or_none()
        if org is None:
            org = Organisation(
                name=args.org, short_name=args.org[:40], kind=OrganisationKind.MUNICIPALITY.value
            )
            session.add(org)
            session.flush()
        password, shown = auth.generate_password(), True
        auth.create_user(
            session,
            SYSTEM,
            username=args.admin,
            display_name="Administratör",
            organisation_id=org.id,
            role=Role.ADMIN.value,
            password=password,
        )
    print(
        f"Forumet ”{settings.name}” är skapat ({added} kategorigrupper) för "
        f"{settings.municipality} (kommunkod {settings.code})."
    )
    if shown:
        print(f"Administratör: {args.admin}  lösenord: {password}  (byt det efter inloggning)")
    return 0


def cmd_forum_set(args) -> int:
    if args.forum is None and args.municipality is None:
        print("Fel: ange --municipality och/eller --forum.", file=sys.stderr)
        return 1
    if args.municipality is not None:
        municipalities.resolve(args.municipality)  # before opening the database
    engine = _engine(args)
    with db.transaction(engine) as session:
        settings = forum.update(session, SYSTEM, name=args.forum, municipality=args.municipality)
    print(
        f"Forumet heter ”{settings.name}” och gäller "
        + (
            f"{settings.municipality} (kommunkod {settings.code})."
            if settings.code
            else "ingen kommun."
        )
    )
    print("Appen visar ändringen inom en minut.")
    return 0


def cmd_forum_show(args) -> int:
    engine = _engine(args)
    with db.transaction(engine) as session:
        settings = forum.current(session)
    print(f"Forum: {settings.name or '–'}")
    print(
        f"Kommun: {settings.municipality or '–'}" + (f" ({settings.code})" if settings.code else "")
    )
    return 0


def cmd_demo(args) -> int:
    from lagesbild.demo import DEMO_PASSWORD, DemoExists, build_demo

    engine = db.make_engine(args.database_url or load_settings().database_url)
    now = clock.parse_moment(args.now) if args.now else clock.local_now()
    started = time.perf_counter()
    try:
        summary = build_demo(
            engine,
            seed=args.seed,
            now=now,
            incidents=args.incidents,
            reset=args.reset,
            progress=lambda m: print(m, flush=True),
        )
    except DemoExists:
        if args.if_empty:
            print("Databasen har redan data – demoforumet skapas inte om.")
            _print_logins(engine, DEMO_PASSWORD)
            return 0
        print(
            "Databasen innehåller redan data. Använd --reset för att ersätta den med demoforumet.",
            file=sys.stderr,
        )
        return 1
    took = time.perf_counter() - started
    print(
        f"Demoforumet är klart på {fmt.decimal(took)} s: {fmt.integer(summary.incidents)} "
        f"händelser, {summary.places} platser, {summary.observations} otrygga platser, "
        f"{summary.actions} åtgärder, {summary.meetings} möten, {summary.events} arrangemang."
    )
    _print_logins(engine, DEMO_PASSWORD)
    return 0


def _print_logins(engine, password: str) -> None:
    with db.transaction(engine) as session:
        users = auth.list_users(session)
        if not users:
            return
        print(f"\nDemoinloggningar (samma lösenord för alla: {password}):")
        for u in users:
            print(f"  {u.username:<12} {labels.ROLE[Role(u.role)]:<15} {u.organisation.short_name}")


def cmd_user_add(args) -> int:
    engine = _engine(args)
    password, shown = _read_password(args)
    with db.transaction(engine) as session:
        org = auth.find_organisation(session, args.org)
        auth.create_user(
            session,
            SYSTEM,
            username=args.username,
            display_name=args.name,
            organisation_id=org.id,
            role=args.role,
            password=password,
        )
    print(f"Användaren {auth.normalise_username(args.username)} är skapad.")
    if shown:
        print(f"Lösenord: {password}  (lämna det säkert till användaren)")
    return 0


def cmd_user_list(args) -> int:
    engine = _engine(args)
    with db.transaction(engine) as session:
        users = auth.list_users(session)
        print(f"{'användare':<16}{'roll':<13}{'status':<10}{'organisation'}")
        for u in users:
            status = "aktiv" if u.active else "avstängd"
            print(f"{u.username:<16}{u.role:<13}{status:<10}{u.organisation.name}")
    return 0


def cmd_user_active(args, active: bool) -> int:
    engine = _engine(args)
    with db.transaction(engine) as session:
        auth.set_active(session, SYSTEM, args.username, active)
    print(f"Användaren {args.username} är {'aktiverad' if active else 'avstängd'}.")
    return 0


def cmd_user_reset(args) -> int:
    engine = _engine(args)
    password, shown = _read_password(args)
    with db.transaction(engine) as session:
        auth.reset_password(session, SYSTEM, args.username, password)
    print(f"Nytt lösenord satt för {args.username}; tidigare inloggningar är utloggade.")
    if shown:
        print(f"Lösenord: {password}")
    return 0


def cmd_import(args) -> int:
    from lagesbild.importers.reading import ImportFileError
    from lagesbild.services import imports

    engine = _engine(args)
    path = Path(args.file)
    try:
        stream = path.open("rb")
    except OSError as exc:
        print(f"Fel: filen {path} går inte att läsa ({exc.strerror}).", file=sys.stderr)
        return 1
    with stream, db.transaction(engine) as session:
        org = auth.find_organisation(session, args.org)
        try:
            table, mapping, skipped = imports.read_file(session, stream, path.name, args.source)
        except ImportFileError as exc:
            print(f"Fel: {exc}", file=sys.stderr)
            return 1
        if mapping is None:
            print(
                f"Fel: källan ”{args.source}” har ingen sparad kolumnmappning. Importera "
                "en fil från den en gång på sidan Import, eller använd "
                f"{' eller '.join(imports.BUILT_IN)}.",
                file=sys.stderr,
            )
            return 1
        report = imports.run_import(
            session,
            SYSTEM,
            source=args.source,
            filename=path.name,
            table=table,
            mapping=mapping,
            organisation_id=org.id,
            pre_skipped=skipped,
            store=not args.dry_run,
            skip_invalid=args.skip_invalid,
        )
    print(report.summary())
    for note in report.notes:
        print(f"  {note}")
    for error in report.errors[:50]:
        print(f"  {error}")
    if len(report.errors) > 50:
        print(f"  … och {len(report.errors) - 50} fel till.")
    for row, kinds in report.masked[:50]:
        print(f"  maskerade personuppgifter på rad/post {row}: {kinds}")
    if args.verbose:
        for row, reason in report.skipped:
            print(f"  hoppade över rad {row}: {reason}")
    if args.skip_invalid and report.rejected_file:
        rejected = (
            Path(args.rejected)
            if args.rejected
            else path.with_name(imports.rejected_name(path.name))
        )
        try:
            rejected.write_bytes(report.rejected_file)
        except OSError as exc:
            print(
                f"Fel: raderna med fel går inte att spara i {rejected} ({exc.strerror}).",
                file=sys.stderr,
            )
            return 1
        print(
            f"De {report.rejected_rows} raderna med fel är sparade i {rejected} med en kolumn "
            "”fel”: rätta dem och importera den filen."
        )
    if report.stores_nothing:
        print(f"Fel: {report.nothing_reason}", file=sys.stderr)
        return 1
    return 1 if report.blocked else 0


def _log_to_stderr() -> None:
    """Progress and retries of long-running commands, with time stamps, on stderr."""
    import logging

    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s", stream=sys.stderr
    )


def cmd_polisen_sync(args) -> int:
    from lagesbild.importers.polisen_api import Policy
    from lagesbild.services import feed

    _log_to_stderr()
    engine = _engine(args)
    base_url = args.url or load_settings().polisen_url
    policy = Policy(timeout=args.timeout, attempts=args.attempts, backoff=args.backoff)

    def once() -> bool:
        result = feed.sync_police(engine, base_url=base_url, organisation=args.org, policy=policy)
        if result.ok:
            print(f"Polisens händelser: {result.message}", flush=True)
        else:
            print(f"Fel: {result.message}", file=sys.stderr, flush=True)
        return result.ok

    if args.every is None:
        try:
            return 0 if once() else 1
        except SQLAlchemyError as exc:
            print(f"Databasfel: {exc.__class__.__name__}: {exc}", file=sys.stderr)
            return 2

    def keep_going() -> None:
        try:
            once()
        except (db.DatabaseError, SQLAlchemyError) as exc:
            print(f"Databasfel: {exc} – försöker igen nästa gång.", file=sys.stderr, flush=True)

    print(f"Hämtar polisens händelser var {_duration(args.every)}; avsluta med Ctrl-C.", flush=True)
    previous = signal.signal(signal.SIGTERM, _interrupt)  # `systemctl stop` ends it as Ctrl-C
    try:
        feed.run_every(args.every, keep_going)
    except KeyboardInterrupt:
        print("Avslutad.", flush=True)
    finally:
        signal.signal(signal.SIGTERM, previous)
    return 0


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


def _duration(seconds: float) -> str:
    for unit, size in (("h", 3600), ("min", 60)):
        if seconds >= size and seconds % size == 0:
            return f"{seconds / size:g} {unit}"
    return f"{seconds:g} s"


def cmd_polisen_status(args) -> int:
    from lagesbild.queries import feeds
    from lagesbild.services.feed import FEED

    engine = _engine(args)
    with engine.connect() as conn:
        runs = feeds.runs(conn, FEED, limit=args.limit)
    if runs.empty:
        print("Polisens händelser har inte hämtats än.")
        return 0
    for run in runs.itertuples():
        result = "lyckades" if run.ok else "misslyckades"
        print(
            f"{fmt.datetime(clock.utc_to_local(run.started_at))}  {result:<13}"
            f"{run.fetched:>5} hämtade {run.added:>5} nya {run.already:>5} fanns "
            f"{run.skipped:>5} överhoppade  {run.message}"
        )
    return 0


def _number(text: str, kind: type, lowest: float, what: str) -> float:
    try:
        value = kind(text.replace(",", "."))
    except ValueError:
        value = None
    if value is None or not value >= lowest:
        raise argparse.ArgumentTypeError(f"”{text}” är inte {what}.")
    return value


def _positive(text: str) -> float:
    return _number(text, float, 0.001, "ett antal sekunder större än noll")


def _seconds(text: str) -> float:
    return _number(text, float, 0, "ett antal sekunder")


def _count(text: str) -> int:
    return _number(text, int, 1, "ett heltal från 1")


def _interval(text: str) -> float:
    from lagesbild.services.feed import parse_interval

    try:
        return parse_interval(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc


def cmd_org_add(args) -> int:
    engine = _engine(args)
    with db.transaction(engine) as session:
        session.add(
            Organisation(name=args.name, short_name=args.short or args.name[:40], kind=args.kind)
        )
    print(f"Organisationen ”{args.name}” är skapad.")
    return 0


def cmd_org_list(args) -> int:
    engine = _engine(args)
    with db.transaction(engine) as session:
        for org in session.query(Organisation).order_by(Organisation.name):
            print(f"{org.short_name:<20}{org.kind:<17}{org.name}")
    return 0


def app_script() -> Path:
    """The web app's main script: inside an installed wheel (`lagesbild/webapp/app.py`), or
    `app.py` at the top of the source tree for an editable install."""
    package = Path(lagesbild.__file__).resolve().parent
    installed = package / "webapp" / "app.py"
    return installed if installed.is_file() else package.parents[1] / "app.py"


def cmd_serve(args) -> int:
    """Start the web app (`streamlit run` on the shipped app); extra arguments go to Streamlit,
    e.g. `lagesbild serve --server.port 8080`."""
    script = app_script()
    if not script.is_file():
        print(f"Fel: appen finns inte i installationen ({script}).", file=sys.stderr)
        return 1
    command = [sys.executable, "-m", "streamlit", "run", str(script), *args.streamlit_args]
    os.execv(sys.executable, command)
    return 0  # not reached


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="lagesbild", description="Lägesbild – administration")
    parser.add_argument(
        "--database-url",
        help="SQLAlchemy-adress (annars LAGESBILD_DATABASE_URL eller SQLite i data/)",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("upgrade", help="uppgradera databasens schema")
    p.set_defaults(func=cmd_upgrade)

    p = sub.add_parser("init", help="skapa ett nytt forum med standardkategorier och en admin")
    p.add_argument("--forum", required=True, help="forumets namn")
    p.add_argument(
        "--municipality", required=True, help="kommunens namn eller kommunkod (t.ex. 1233)"
    )
    p.add_argument("--org", required=True, help="administratörens organisation")
    p.add_argument("--admin", default="admin", help="administratörens användarnamn")
    p.set_defaults(func=cmd_init)

    forum_cmd = sub.add_parser("forum", help="forumets namn och kommun").add_subparsers(
        dest="forum_cmd", required=True
    )
    p = forum_cmd.add_parser("set", help="byt forumets kommun och/eller namn")
    p.add_argument("--municipality", help="kommunens namn eller kommunkod (t.ex. 1233)")
    p.add_argument("--forum", help="forumets namn")
    p.set_defaults(func=cmd_forum_set)
    p = forum_cmd.add_parser("show", help="visa forumets namn och kommun")
    p.set_defaults(func=cmd_forum_show)

    p = sub.add_parser(
        "serve",
        help="starta webbappen; övriga argument går till Streamlit, t.ex. --server.port 8080",
    )
    p.set_defaults(func=cmd_serve, streamlit_args=[])

    p = sub.add_parser("demo", help="fyll databasen med demoforumet")
    p.add_argument("--incidents", type=int, default=15_000, help="antal händelser (ungefär)")
    p.add_argument("--seed", type=int, default=2026)
    p.add_argument("--now", help="referenstid YYYY-MM-DDTHH:MM (standard: nu, eller LAGESBILD_NOW)")
    p.add_argument("--reset", action="store_true", help="ersätt befintliga data")
    p.add_argument("--if-empty", action="store_true", help="gör inget om data redan finns")
    p.set_defaults(func=cmd_demo)

    user = sub.add_parser("user", help="hantera användare").add_subparsers(
        dest="user_cmd", required=True
    )
    p = user.add_parser("add", help="lägg till användare")
    p.add_argument("username")
    p.add_argument("--name", required=True, help="visningsnamn (t.ex. en rolltitel)")
    p.add_argument("--org", required=True, help="organisationens namn eller kortnamn")
    p.add_argument("--role", required=True, choices=[r.value for r in Role])
    p.add_argument("--password-stdin", action="store_true", help="läs lösenordet från stdin")
    p.set_defaults(func=cmd_user_add)
    p = user.add_parser("list", help="lista användare")
    p.set_defaults(func=cmd_user_list)
    p = user.add_parser("disable", help="stäng av användare (loggar ut överallt)")
    p.add_argument("username")
    p.set_defaults(func=lambda a: cmd_user_active(a, False))
    p = user.add_parser("enable", help="aktivera användare")
    p.add_argument("username")
    p.set_defaults(func=lambda a: cmd_user_active(a, True))
    p = user.add_parser("reset-password", help="sätt nytt lösenord (loggar ut överallt)")
    p.add_argument("username")
    p.add_argument("--password-stdin", action="store_true", help="läs lösenordet från stdin")
    p.set_defaults(func=cmd_user_reset)

    p = sub.add_parser("import", help="importera händelser från en fil")
    p.add_argument("file", help="CSV-, TSV-, Excel- eller JSON-fil (CSV och JSON får vara .gz)")
    p.add_argument(
        "--source",
        required=True,
        help="källa: polisen, police.uk eller en källa sparad på sidan Import",
    )
    p.add_argument("--org", required=True, help="organisationen som rapporterar händelserna")
    p.add_argument("--dry-run", action="store_true", help="kontrollera utan att spara")
    p.add_argument(
        "--skip-invalid",
        action="store_true",
        help="importera giltiga rader och spara raderna med fel i en egen fil (annars: allt "
        "eller inget)",
    )
    p.add_argument(
        "--rejected", help="filen för raderna med fel (standard: <filnamn>-fel.csv bredvid filen)"
    )
    p.add_argument("--verbose", action="store_true", help="lista överhoppade rader")
    p.set_defaults(func=cmd_import)

    org = sub.add_parser("org", help="hantera organisationer").add_subparsers(
        dest="org_cmd", required=True
    )
    p = org.add_parser("add", help="lägg till organisation")
    p.add_argument("name")
    p.add_argument("--short", help="kortnamn")
    p.add_argument("--kind", default="annan", choices=[k.value for k in OrganisationKind])
    p.set_defaults(func=cmd_org_add)
    p = org.add_parser("list", help="lista organisationer")
    p.set_defaults(func=cmd_org_list)

    police = sub.add_parser("polisen", help="polisens händelser från deras öppna API")
    police = police.add_subparsers(dest="polisen_cmd", required=True)
    p = police.add_parser("sync", help="hämta och importera forumkommunens händelser")
    p.add_argument(
        "--org", default="Polisen", help="organisationen som rapporterar händelserna (Polisen)"
    )
    p.add_argument("--url", help="API:ets adress (annars LAGESBILD_POLISEN_URL eller polisen.se)")
    p.add_argument(
        "--every", type=_interval, help="fortsätt hämta med detta intervall, t.ex. 15m eller 1h"
    )
    p.add_argument("--timeout", type=_positive, default=30.0, help="sekunder per anrop (30)")
    p.add_argument("--attempts", type=_count, default=4, help="försök per hämtning (4)")
    p.add_argument(
        "--backoff", type=_seconds, default=5.0, help="sekunder före andra försöket, sedan dubbelt"
    )
    p.set_defaults(func=cmd_polisen_sync)
    p = police.add_parser("status", help="visa de senaste hämtningarna")
    p.add_argument("--limit", type=int, default=10, help="antal hämtningar (10)")
    p.set_defaults(func=cmd_polisen_status)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    if extra and args.command != "serve":
        parser.error(f"okända argument: {' '.join(extra)}")
    if args.command == "serve":
        args.streamlit_args = extra
    try:
        return args.func(args)
    except UserError as exc:
        print(f"Fel: {exc}", file=sys.stderr)
        return 1
    except db.DatabaseError as exc:
        print(f"Databasfel: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
