"""Setting up a forum: the schema, the forum and its municipality, the demo, users and
organisations, and `serve`, which starts the web app of an installed package."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import lagesbild
from lagesbild import auth, clock, db, fmt, labels, municipalities
from lagesbild.actor import SYSTEM
from lagesbild.cli.common import (
    _engine,
    _read_password,
)
from lagesbild.config import load_settings
from lagesbild.models import Organisation, OrganisationKind, Role
from lagesbild.reference import seed_default_categories
from lagesbild.services import forum


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
