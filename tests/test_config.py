"""Settings from the environment: numbers that aren't stop the server with a sentence."""

import pytest

from server.config import Settings


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
