"""Data in and mail out: file imports, the police feed and notifications."""

from __future__ import annotations

import signal
import sys
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError

from lagesbild import auth, clock, db, fmt
from lagesbild.actor import SYSTEM
from lagesbild.cli.common import (
    _duration,
    _engine,
    _interrupt,
    _log_to_stderr,
)
from lagesbild.config import load_settings


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
            for note in result.notes:
                if note not in result.message:
                    print(f"  {note}", flush=True)
        else:
            print(f"Fel: {result.message}", file=sys.stderr, flush=True)
        return result.ok

    if args.every is None:
        try:
            return 0 if once() else 1
        except SQLAlchemyError as exc:
            print(f"Databasfel: {exc.__class__.__name__}: {exc}", file=sys.stderr)
            return 2

    return _repeat(args.every, once, "Hämtar polisens händelser")


def cmd_notify(args) -> int:
    """Send the outbox: reminders, agendas, minutes, invitations (see services/notify.py)."""
    from lagesbild.services import notify

    _log_to_stderr()
    settings = load_settings()
    engine = _engine(args)
    if args.dry_run:
        lines = notify.dry_run(engine, settings.base_url)
        for line in lines:
            print(line, "-" * 72, sep="\n")
        print(f"{len(lines)} meddelanden skulle skickas nu.")
        return 0
    if settings.smtp is None:
        reason = settings.smtp_error or "LAGESBILD_SMTP_HOST är inte satt"
        print(f"Ingen e-post skickas: {reason}.", file=sys.stderr)
        return 1

    def once() -> None:
        outcome = notify.send_outbox(engine, settings.smtp, settings.base_url)
        print(f"E-post: {outcome.summary()}.", flush=True)

    if args.every is None:
        once()
        return 0

    return _repeat(args.every, once, "Skickar e-post")


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


def _repeat(every: float, once, doing: str) -> int:
    """Run `once` now and then every `every` seconds until Ctrl-C or SIGTERM (`systemctl
    stop`, handled as Ctrl-C); a database error is reported and the next round tried."""
    from lagesbild.services import feed

    def keep_going() -> None:
        try:
            once()
        except (db.DatabaseError, SQLAlchemyError) as exc:
            print(f"Databasfel: {exc} – försöker igen nästa gång.", file=sys.stderr, flush=True)

    print(f"{doing} var {_duration(every)}; avsluta med Ctrl-C.", flush=True)
    # Both stop the loop, even when the command was started with SIGINT ignored (as a shell's
    # background job is): the message above promises that Ctrl-C ends it.
    stops = (signal.SIGINT, signal.SIGTERM)
    previous = {stop: signal.signal(stop, _interrupt) for stop in stops}
    try:
        feed.run_every(every, keep_going)
    except KeyboardInterrupt:
        print("Avslutad.", flush=True)
    finally:
        for stop, handler in previous.items():
            signal.signal(stop, handler)
    return 0
