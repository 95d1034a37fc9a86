"""Users, login checks, throttling in a time window, session revocation, login cookies."""

import datetime as dt
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import jwt
import pytest
from sqlalchemy import select

from lagesbild import auth, clock, db
from lagesbild.actor import SYSTEM, Actor
from lagesbild.errors import PermissionDenied, ValidationError
from lagesbild.models import AuditLog, LoginThrottle, Organisation, User
from tests.conftest import DEMO_NOW, SHIPPED_BCRYPT_ROUNDS

PASSWORD = "ett-bra-losenord"
T0 = dt.datetime(2026, 11, 21, 12, 0)


@pytest.fixture
def org_id(engine) -> int:
    with db.transaction(engine) as session:
        org = Organisation(name="Polisen", short_name="Polisen", kind="polis")
        session.add(org)
        session.flush()
        return org.id


@pytest.fixture
def user(engine, org_id) -> str:
    with db.transaction(engine) as session:
        auth.create_user(
            session,
            SYSTEM,
            username="Polis",
            display_name="Kommunpolis",
            organisation_id=org_id,
            role="medlem",
            password=PASSWORD,
        )
    return "polis"


def login(engine, username, password, now=T0, device=None):
    return auth.verify_login(engine, username, password, device=device, now=now)


def seconds(n: float) -> dt.timedelta:
    return dt.timedelta(seconds=n)


def test_password_is_stored_as_bcrypt(engine, user):
    with db.transaction(engine) as session:
        stored = auth.get_user(session, user).password_hash
    assert stored.startswith("$2") and PASSWORD not in stored


def test_new_passwords_get_the_shipped_work_factor():
    """The product hashes with bcrypt at 2^12 rounds or more; the tests lower the factor (see
    `_fast_bcrypt`) and hash_password follows the setting, not a fixed cost."""
    assert SHIPPED_BCRYPT_ROUNDS >= 12
    assert auth.hash_password("ett långt lösenord").startswith(
        f"$2b${auth.passwords.BCRYPT_ROUNDS:02d}$"
    )
    assert auth.passwords._DUMMY_HASH.startswith(f"$2b${SHIPPED_BCRYPT_ROUNDS:02d}$")


def test_right_password_logs_in_and_usernames_ignore_case(engine, user):
    result = login(engine, " POLIS ", PASSWORD)
    assert result.outcome is auth.LoginOutcome.OK and result.message == ""


def test_wrong_password_and_unknown_user_get_the_same_swedish_message(engine, user):
    wrong = login(engine, user, "fel-losenord!")
    unknown = login(engine, "finns-inte", PASSWORD)
    assert wrong.outcome is unknown.outcome is auth.LoginOutcome.WRONG
    assert wrong.message == unknown.message == "Fel användarnamn eller lösenord."


def test_disabled_user_is_refused_with_a_clear_message(engine, user):
    with db.transaction(engine) as session:
        auth.set_active(session, SYSTEM, user, False)
    result = login(engine, user, PASSWORD)
    assert result.outcome is auth.LoginOutcome.DISABLED
    assert "avstängt" in result.message
    # a wrong password does not reveal that the account is disabled
    assert login(engine, user, "fel-losenord!").outcome is auth.LoginOutcome.WRONG


def test_the_wait_after_failures_doubles_up_to_a_limit():
    assert [auth.delay_after(n) for n in range(auth.MAX_FAILED_LOGINS)] == [dt.timedelta(0)] * 5
    first = auth.delay_after(auth.MAX_FAILED_LOGINS)
    assert first == auth.FIRST_DELAY
    assert auth.delay_after(auth.MAX_FAILED_LOGINS + 2) == 4 * first
    assert auth.delay_after(1000) == auth.MAX_DELAY


def test_guesses_after_five_failures_wait_a_growing_delay(engine, user):
    for i in range(auth.MAX_FAILED_LOGINS):
        assert login(engine, user, "fel", T0 + seconds(i)).outcome is auth.LoginOutcome.WRONG
    last = T0 + seconds(auth.MAX_FAILED_LOGINS - 1)
    blocked = login(engine, user, PASSWORD, last + seconds(10))  # not even checked
    assert blocked.outcome is auth.LoginOutcome.THROTTLED
    assert blocked.message == ("För många misslyckade inloggningsförsök. Försök igen om 1 minut.")
    # once the wait is over one more guess is checked, and the next wait is twice as long
    assert login(engine, user, "fel", last + auth.FIRST_DELAY).outcome is auth.LoginOutcome.WRONG
    last += auth.FIRST_DELAY
    blocked = login(engine, user, PASSWORD, last + seconds(30))
    assert blocked.outcome is auth.LoginOutcome.THROTTLED
    assert blocked.retry_after == 2 * auth.FIRST_DELAY - seconds(30)
    assert "Försök igen om 2 minuter" in blocked.message
    # no permanent lockout: after the wait the right password works and the count starts over
    assert login(engine, user, PASSWORD, last + 2 * auth.FIRST_DELAY).outcome is (
        auth.LoginOutcome.OK
    )
    later = last + 3 * auth.FIRST_DELAY
    outcomes = [login(engine, user, "fel", later + seconds(i)).outcome for i in range(6)]
    assert outcomes == [auth.LoginOutcome.WRONG] * 5 + [auth.LoginOutcome.THROTTLED]


def test_a_clock_set_back_does_not_stretch_the_wait(engine, user):
    for i in range(auth.MAX_FAILED_LOGINS):
        login(engine, user, "fel", T0 + seconds(i))
    earlier = login(engine, user, PASSWORD, T0 - dt.timedelta(hours=3))
    assert earlier.outcome is auth.LoginOutcome.THROTTLED
    assert earlier.retry_after == auth.FIRST_DELAY


def test_failures_are_forgotten_a_day_after_the_last(engine, user):
    for i in range(auth.MAX_FAILED_LOGINS + 1):
        login(engine, user, "fel", T0 + seconds(i))
    login(engine, "finns-inte", "fel", T0)
    later = T0 + auth.FORGET_AFTER + seconds(10)
    outcomes = [login(engine, user, "fel", later + seconds(i)).outcome for i in range(6)]
    assert outcomes == [auth.LoginOutcome.WRONG] * 5 + [auth.LoginOutcome.THROTTLED]
    with db.transaction(engine) as session:  # the old rows are gone
        assert session.scalars(select(LoginThrottle.username)).all() == [user]


def test_success_resets_the_failure_count(engine, user):
    for i in range(auth.MAX_FAILED_LOGINS - 1):
        login(engine, user, "fel", T0 + dt.timedelta(seconds=i))
    assert login(engine, user, PASSWORD, T0 + dt.timedelta(seconds=10)).outcome is (
        auth.LoginOutcome.OK
    )
    login(engine, user, "fel", T0 + dt.timedelta(seconds=20))
    assert login(engine, user, PASSWORD, T0 + dt.timedelta(seconds=30)).outcome is (
        auth.LoginOutcome.OK
    )


def test_a_known_browser_gets_in_while_unknown_clients_are_throttled(engine, user):
    """Guesses cannot shut the owner out: they slow the clients they come from."""
    owners_browser = auth.new_device_id()
    assert login(engine, user, PASSWORD, T0, device=owners_browser).outcome is (
        auth.LoginOutcome.OK
    )
    guesses = [login(engine, user, "fel", T0 + seconds(i)).outcome for i in range(1, 12)]
    assert guesses.count(auth.LoginOutcome.THROTTLED) == 11 - auth.MAX_FAILED_LOGINS
    # the owner's browser is still let in, at once, and again after a mistyped password
    at = T0 + seconds(20)
    assert login(engine, user, "fel", at, device=owners_browser).outcome is (
        auth.LoginOutcome.WRONG
    )
    assert login(engine, user, PASSWORD, at, device=owners_browser).outcome is (
        auth.LoginOutcome.OK
    )
    # an unknown client (or another browser) still waits, even with the right password
    assert login(engine, user, PASSWORD, at).outcome is auth.LoginOutcome.THROTTLED
    # a guesser's own browser gets its own count, not the owner's
    guessers_browser = auth.new_device_id()
    outcomes = [
        login(engine, user, "fel", at + seconds(i), device=guessers_browser).outcome
        for i in range(6)
    ]
    assert outcomes == [auth.LoginOutcome.WRONG] * 5 + [auth.LoginOutcome.THROTTLED]
    assert login(engine, user, PASSWORD, at + seconds(9), device=owners_browser).outcome is (
        auth.LoginOutcome.OK
    )


def test_unknown_usernames_get_exactly_the_answers_known_ones_get(engine, user):
    def answers(username):
        results = [login(engine, username, "fel", T0 + seconds(i)) for i in range(7)]
        return [(r.outcome, r.message, r.user_id, r.retry_after) for r in results]

    known, unknown = answers(user), answers("finns-inte")
    assert known == unknown
    assert known[-1][0] is auth.LoginOutcome.THROTTLED


def test_a_new_password_ends_the_throttling(engine, user):
    for i in range(auth.MAX_FAILED_LOGINS + 1):
        login(engine, user, "fel", T0 + seconds(i))
    with db.transaction(engine) as session:
        auth.reset_password(session, SYSTEM, user, "ett-nytt-losenord")
    assert login(engine, user, "ett-nytt-losenord", T0 + seconds(10)).outcome is (
        auth.LoginOutcome.OK
    )


GUESSES = 30


def test_parallel_guesses_cannot_pass_the_count(engine, user, monkeypatch):
    """Simultaneous wrong guesses from one client: only MAX_FAILED_LOGINS are checked."""
    checked = []
    lock = threading.Lock()
    original = auth.check_password

    def counting_check(password, password_hash):
        with lock:
            checked.append(password)
        time.sleep(0.05)  # as long as a real bcrypt check: the time a lost count would need
        return original(password, password_hash)

    monkeypatch.setattr(auth.passwords, "check_password", counting_check)
    start = threading.Barrier(GUESSES)

    def guess(i):
        start.wait()
        return auth.verify_login(engine, user, f"fel-gissning-{i}").outcome

    with ThreadPoolExecutor(GUESSES) as pool:
        outcomes = list(pool.map(guess, range(GUESSES)))
    assert len(checked) == auth.MAX_FAILED_LOGINS
    assert outcomes.count(auth.LoginOutcome.WRONG) == auth.MAX_FAILED_LOGINS
    assert outcomes.count(auth.LoginOutcome.THROTTLED) == GUESSES - auth.MAX_FAILED_LOGINS


def test_logins_are_audited_without_the_password(engine, user):
    mistyped = "mitt-hemliga-losenord"  # typed into the username field
    login(engine, user, PASSWORD, T0)
    login(engine, user, "fel-losenord-1", T0 + seconds(1))
    for i in range(auth.MAX_FAILED_LOGINS):
        login(engine, mistyped, PASSWORD, T0 + seconds(2 + i))
    login(engine, mistyped, PASSWORD, T0 + seconds(10))
    with db.transaction(engine) as session:
        user_id = auth.get_user(session, user).id
        rows = session.scalars(
            select(AuditLog).where(AuditLog.verb.like("login%")).order_by(AuditLog.id)
        ).all()
    assert [(r.verb, r.username, r.entity, r.entity_id) for r in rows[:3]] == [
        ("login", user, "user", str(user_id)),
        ("login_failed", user, "user", str(user_id)),
        ("login_failed", "", "user", None),
    ]
    assert rows[-1].verb == "login_throttled" and rows[-1].username == ""
    assert "okänt användarnamn" in rows[-1].detail and "okänd webbläsare" in rows[-1].detail
    assert len(rows) == 3 + auth.MAX_FAILED_LOGINS
    for row in rows:
        stored = " ".join(str(v) for v in (row.username, row.detail, row.before, row.after))
        assert PASSWORD not in stored and "fel-losenord" not in stored
        assert mistyped not in stored


@pytest.mark.parametrize(
    ("password", "field_text"),
    [
        ("kort", "minst 10 tecken"),
        (" mellanslag-fore", "mellanslag"),
        ("x" * 80, "72 byte"),
        ("nyanvandare-123", "användarnamnet"),
    ],
)
def test_password_policy(engine, org_id, password, field_text):
    with pytest.raises(ValidationError) as err, db.transaction(engine) as session:
        auth.create_user(
            session,
            SYSTEM,
            username="nyanvandare",
            display_name="Ny",
            organisation_id=org_id,
            role="medlem",
            password=password,
        )
    assert field_text in err.value.problems["password"]


def test_create_user_validates_every_field(engine, user, org_id):
    with pytest.raises(ValidationError) as err, db.transaction(engine) as session:
        auth.create_user(
            session,
            SYSTEM,
            username="polis",
            display_name=" ",
            organisation_id=org_id + 100,
            role="chef",
            password=PASSWORD,
        )
    assert set(err.value.problems) == {"username", "display_name", "role", "organisation_id"}
    assert "upptaget" in err.value.problems["username"]


def test_only_admins_manage_users(engine, user, org_id):
    member = Actor(
        user_id=1, username="polis", display_name="x", organisation_id=org_id, role="medlem"
    )
    with pytest.raises(PermissionDenied), db.transaction(engine) as session:
        auth.set_active(session, member, user, False)


def test_user_changes_are_audited_without_secrets(engine, user):
    with db.transaction(engine) as session:
        auth.set_active(session, SYSTEM, user, False)
        auth.reset_password(session, SYSTEM, user, "ett-nytt-losenord")
        entries = session.query(AuditLog).filter_by(entity="user").order_by(AuditLog.id).all()
    assert [e.verb for e in entries] == ["create", "update", "update"]
    assert entries[1].before["active"] is True and entries[1].after["active"] is False
    assert all(PASSWORD not in str(e.after) for e in entries)
    assert all("password_hash" not in (e.after or {}) for e in entries)


def test_logout_revokes_every_earlier_session(engine, user):
    issued = clock.epoch() - 60
    with db.transaction(engine) as session:
        u = auth.get_user(session, user)
        assert auth.session_is_valid(u, issued)
        auth.revoke_sessions(session, u)
    with db.transaction(engine) as session:
        u = auth.get_user(session, user)
        assert not auth.session_is_valid(u, issued)
        assert auth.session_is_valid(u, clock.epoch() + 1)  # a new login after it holds


def test_password_change_revokes_earlier_sessions(engine, user):
    issued = clock.epoch() - 5
    with db.transaction(engine) as session:
        actor = auth.actor_for(auth.get_user(session, user))
    with pytest.raises(ValidationError) as err, db.transaction(engine) as session:
        auth.change_password(session, actor, "fel-nuvarande", "nytt-losenord-1", "nytt-losenord-1")
    assert "current" in err.value.problems
    with pytest.raises(ValidationError) as err, db.transaction(engine) as session:
        auth.change_password(session, actor, PASSWORD, "nytt-losenord-1", "nytt-losenord-2")
    assert "repeat" in err.value.problems
    with db.transaction(engine) as session:
        auth.change_password(session, actor, PASSWORD, "nytt-losenord-1", "nytt-losenord-1")
    with db.transaction(engine) as session:
        assert not auth.session_is_valid(auth.get_user(session, user), issued)
    assert login(engine, user, "nytt-losenord-1").outcome is auth.LoginOutcome.OK
    assert login(engine, user, PASSWORD).outcome is auth.LoginOutcome.WRONG


def test_disabled_user_sessions_end(engine, user):
    with db.transaction(engine) as session:
        auth.set_active(session, SYSTEM, user, False)
        assert not auth.session_is_valid(auth.get_user(session, user), clock.epoch() + 10)


SECRET = "a" * 64
# The pinned clock's moment, for tokens made when the module is read.
DEMO_EPOCH = clock.local_to_utc(DEMO_NOW).replace(tzinfo=dt.UTC).timestamp()


def _token(payload, secret=SECRET, algorithm="HS256"):
    return jwt.encode(payload, secret, algorithm=algorithm)


def test_a_valid_cookie_gives_username_and_issue_time():
    issued = clock.epoch() - 3600
    token = auth.login_token("Polis", SECRET, 14, issued)
    assert auth.login_token_issued_at(token, SECRET, 14, clock.epoch()) == ("polis", issued)


@pytest.mark.parametrize(
    "token",
    [
        None,
        "",
        "inte-en-jwt",
        "a.b.c",
        _token({"username": "polis", "exp_date": DEMO_EPOCH + 1000, "iat": DEMO_EPOCH}, "b" * 64),
        _token({"username": "polis", "exp_date": DEMO_EPOCH - 1, "iat": DEMO_EPOCH - 99}),
        _token({"username": "polis", "iat": DEMO_EPOCH}),
        _token({"exp_date": DEMO_EPOCH + 1000, "iat": DEMO_EPOCH}),
        _token({"username": ["polis"], "exp_date": DEMO_EPOCH + 1000, "iat": DEMO_EPOCH}),
        _token({"username": "polis", "exp_date": "i morgon", "iat": DEMO_EPOCH}),
        _token({"username": "polis", "exp_date": DEMO_EPOCH + 1000}),
        _token({"username": "polis", "exp_date": DEMO_EPOCH + 1000, "iat": "nyss"}),
        _token({"username": "polis", "exp_date": DEMO_EPOCH + 1000, "iat": True}),
        auth.device_token("polis", SECRET, "0" * 32, DEMO_EPOCH),
        jwt.encode(
            {"username": "polis", "exp_date": DEMO_EPOCH + 1000, "iat": DEMO_EPOCH},
            None,
            algorithm="none",
        ),
    ],
    ids=[
        "none",
        "empty",
        "garbage",
        "three-dots",
        "forged",
        "expired",
        "no-expiry",
        "no-user",
        "user-list",
        "expiry-text",
        "no-issue-time",
        "issue-time-text",
        "issue-time-bool",
        "device-token",
        "alg-none",
    ],
)
def test_forged_malformed_or_expired_cookies_are_rejected(token):
    assert auth.login_token_issued_at(token, SECRET, 14, clock.epoch()) is None


def test_a_shorter_expiry_cannot_bring_back_a_revoked_cookie(engine, user):
    """The issue time comes from the token, not from its expiry minus today's setting."""
    now = clock.epoch()
    token = auth.login_token(user, SECRET, 14, now - 3 * 86400)
    with db.transaction(engine) as session:
        auth.revoke_sessions(session, auth.get_user(session, user))  # logged out since
    for expiry_days in (14, 7, 4):  # the server restarted with a shorter expiry
        username, issued = auth.login_token_issued_at(token, SECRET, expiry_days, now)
        with db.transaction(engine) as session:
            assert not auth.session_is_valid(auth.get_user(session, username), issued)
    # and a shorter expiry shortens the cookies already out
    assert auth.login_token_issued_at(token, SECRET, 2, now) is None


def test_a_device_token_names_its_browser_for_its_user_only():
    device = auth.new_device_id()
    token = auth.device_token("Polis", SECRET, device, clock.epoch())
    assert auth.device_from_token(token, SECRET, " POLIS") == device
    assert auth.device_from_token(token, SECRET, "samordnare") is None
    assert auth.device_from_token(token, "b" * 64, "polis") is None
    assert auth.device_from_token(None, SECRET, "polis") is None
    login_cookie = auth.login_token("polis", SECRET, 14, clock.epoch())
    assert auth.device_from_token(login_cookie, SECRET, "polis") is None
    odd = _token({"device": "../../etc", "username": "polis", "iat": DEMO_EPOCH})
    assert auth.device_from_token(odd, SECRET, "polis") is None


def test_installation_secret_is_random_and_stable(engine):
    with db.transaction(engine) as session:
        first = auth.installation_cookie_secret(session)
    with db.transaction(engine) as session:
        assert auth.installation_cookie_secret(session) == first
    assert len(first) == 64


def test_users_keep_no_person_fields():
    """Only the work e-mail address that notifications go to; nothing else about a person."""
    columns = {c.name for c in User.__table__.columns}
    assert "email" in columns
    assert not columns & {"phone", "personnummer", "address", "home_address"}
