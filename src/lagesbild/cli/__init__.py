"""The `lagesbild` command: database set-up, the demo forum, user administration, imports,
the police feed, notifications and `serve`, which starts the web app of an installed package.

The parser is here; the commands are in `setup` and `feeds`, what they share in `common`."""

from __future__ import annotations

import argparse
import sys

from lagesbild import db
from lagesbild.cli.common import (
    _count,
    _interval,
    _positive,
    _seconds,
    close_engines,
    speak_swedish,
)
from lagesbild.cli.feeds import cmd_import, cmd_notify, cmd_polisen_status, cmd_polisen_sync
from lagesbild.cli.setup import (
    app_script,
    cmd_demo,
    cmd_forum_set,
    cmd_forum_show,
    cmd_init,
    cmd_org_add,
    cmd_org_list,
    cmd_serve,
    cmd_upgrade,
    cmd_user_active,
    cmd_user_add,
    cmd_user_list,
    cmd_user_reset,
)
from lagesbild.errors import UserError
from lagesbild.models import OrganisationKind, Role

__all__ = ["app_script", "build_parser", "main"]


def build_parser() -> argparse.ArgumentParser:
    speak_swedish()
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

    p = sub.add_parser("notify", help="skicka e-post: påminnelser, dagordningar, protokoll")
    p.add_argument("--every", type=_interval, help="fortsätt med detta intervall, t.ex. 10m")
    p.add_argument(
        "--dry-run", action="store_true", help="visa vad som skulle skickas, skicka inget"
    )
    p.set_defaults(func=cmd_notify)
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
    finally:
        close_engines()
