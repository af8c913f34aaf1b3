"""Settings from the environment: numbers that aren't stop the server with a sentence."""

import pytest

from server.config import Settings, mail_from_environ


@pytest.fixture(autouse=True)
def _secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SECRET_KEY", "a secret long enough for the tests' settings")


def test_numbers_are_read_in_their_kinds(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TALLY_FRAMES", " 2000 ")
    monkeypatch.setenv("HEADER_TIMEOUT", "2.5")
    monkeypatch.setenv("RATE_LIMIT_SCALE", "0")
    settings = Settings.from_environ()
    assert (settings.tally_frames, settings.header_timeout) == (2000, 2.5)
    assert settings.rate_limit_scale == 0


def test_an_unset_or_empty_number_keeps_its_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TALLY_FRAMES", raising=False)
    monkeypatch.setenv("REMINDER_DAYS", "")
    settings = Settings.from_environ()
    assert settings.tally_frames == Settings.tally_frames
    assert settings.reminder_days == Settings.reminder_days


@pytest.mark.parametrize(
    ("name", "value", "said"),
    [
        ("TALLY_FRAMES", "lots", "TALLY_FRAMES must be a whole number, 0 or more"),
        ("ARCHIVE_MAX_MB", "1.5", "ARCHIVE_MAX_MB must be a whole number, 0 or more"),
        ("PORT", "-1", "PORT must be a whole number, 0 or more"),
        ("WEBHOOK_BACKOFF", "nan", "WEBHOOK_BACKOFF must be a number, 0 or more"),
        ("HEADER_TIMEOUT", "inf", "HEADER_TIMEOUT must be a number, 0 or more"),
    ],
)
def test_a_number_that_isnt_stops_the_server_in_words(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str, said: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(SystemExit) as stopped:
        Settings.from_environ()
    assert str(stopped.value) == f"{said} (see README, Configuration). {value!r}"


@pytest.mark.parametrize(
    ("environ", "port", "starttls", "tls"),
    [
        ({"SMTP_URL": "smtp://relay.example.org"}, 25, None, False),  # upgraded when offered
        ({"SMTP_URL": "smtp://ann:pw@relay.example.org"}, 587, True, False),  # a password
        ({"SMTP_URL": "smtp://ann:pw@relay.example.org:25?starttls=0"}, 25, False, False),
        ({"SMTP_URL": "smtp://relay.example.org?starttls=1"}, 587, True, False),
        ({"SMTP_URL": "smtps://ann:pw@relay.example.org"}, 465, False, True),
        ({"SMTP_HOST": "relay.example.org"}, 25, None, False),
        ({"SMTP_HOST": "relay.example.org", "SMTP_PASSWORD": "pw"}, 587, True, False),
        ({"SMTP_HOST": "relay.example.org", "SMTP_STARTTLS": "0"}, 25, False, False),
    ],
)
def test_a_password_is_never_sent_over_a_connection_left_plain(
    monkeypatch: pytest.MonkeyPatch,
    environ: dict[str, str],
    port: int,
    starttls: bool | None,
    tls: bool,
) -> None:
    for name in ("SMTP_URL", "SMTP_HOST", "SMTP_PORT", "SMTP_USER", "SMTP_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv("SMTP_STARTTLS", raising=False)
    monkeypatch.setenv("SNUG_MAIL_FROM", "snug@example.org")
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    mail = mail_from_environ()
    assert mail is not None
    assert (mail.port, mail.starttls, mail.tls) == (port, starttls, tls)
    assert "pw" not in repr(mail)
