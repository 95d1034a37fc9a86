"""Users, login checks, throttling in a time window, session revocation, login cookies."""

import datetime as dt

import jwt
import pytest

from lagesbild import auth, clock, db
from lagesbild.actor import SYSTEM, Actor
from lagesbild.errors import PermissionDenied, ValidationError
from lagesbild.models import AuditLog, Organisation, User
from tests.conftest import DEMO_NOW

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


def login(engine, username, password, now=T0):
    with db.transaction(engine) as session:
        return auth.verify_login(session, username, password, now=now)


def test_password_is_stored_as_bcrypt(engine, user):
    with db.transaction(engine) as session:
        stored = auth.get_user(session, user).password_hash
    assert stored.startswith("$2") and PASSWORD not in stored


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


def test_throttling_after_five_failures_within_the_window(engine, user):
    for i in range(auth.MAX_FAILED_LOGINS):
        assert login(engine, user, "fel", T0 + dt.timedelta(minutes=i)).outcome is (
            auth.LoginOutcome.WRONG
        )
    blocked = login(engine, user, PASSWORD, T0 + dt.timedelta(minutes=5))
    assert blocked.outcome is auth.LoginOutcome.THROTTLED
    assert blocked.message.startswith("För många misslyckade inloggningsförsök")
    assert "10 minuter" in blocked.message  # window opened at T0, 15 min long
    # no permanent lockout: once the window has passed, the right password works again
    later = login(engine, user, PASSWORD, T0 + auth.THROTTLE_WINDOW + dt.timedelta(seconds=1))
    assert later.outcome is auth.LoginOutcome.OK


def test_failures_spread_over_time_do_not_throttle(engine, user):
    for i in range(12):
        login(engine, user, "fel", T0 + dt.timedelta(minutes=16 * i))
    assert login(engine, user, PASSWORD, T0 + dt.timedelta(hours=4)).outcome is (
        auth.LoginOutcome.OK
    )


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
    now = clock.epoch()
    token = _token({"username": "Polis", "exp_date": now + 14 * 86400})
    username, issued = auth.login_token_issued_at(token, SECRET, 14, now)
    assert username == "polis" and abs(issued - now) < 1


@pytest.mark.parametrize(
    "token",
    [
        None,
        "",
        "inte-en-jwt",
        "a.b.c",
        _token({"username": "polis", "exp_date": DEMO_EPOCH + 1000}, secret="b" * 64),
        _token({"username": "polis", "exp_date": DEMO_EPOCH - 1}),
        _token({"username": "polis"}),
        _token({"exp_date": DEMO_EPOCH + 1000}),
        _token({"username": ["polis"], "exp_date": DEMO_EPOCH + 1000}),
        _token({"username": "polis", "exp_date": "i morgon"}),
        jwt.encode({"username": "polis", "exp_date": DEMO_EPOCH + 1000}, None, algorithm="none"),
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
        "alg-none",
    ],
)
def test_forged_malformed_or_expired_cookies_are_rejected(token):
    assert auth.login_token_issued_at(token, SECRET, 14, clock.epoch()) is None


def test_installation_secret_is_random_and_stable(engine):
    with db.transaction(engine) as session:
        first = auth.installation_cookie_secret(session)
    with db.transaction(engine) as session:
        assert auth.installation_cookie_secret(session) == first
    assert len(first) == 64


def test_users_keep_no_person_fields():
    columns = {c.name for c in User.__table__.columns}
    assert not columns & {"email", "phone", "personnummer", "address"}
