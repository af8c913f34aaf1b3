"""The address phones in the room are given: the one ``--lan`` chooses, a ``--public-url``
checked, and the warning while links point at the organiser's own computer."""

from __future__ import annotations

import ipaddress

import pytest

from server import reach


@pytest.mark.parametrize(
    ("sources", "chosen"),
    [
        (["192.168.1.23"], "192.168.1.23"),
        # A VPN's or mobile carrier's address comes first from the kernel, yet phones on the
        # wifi can't reach it: the wifi's private address is chosen.
        (["100.64.3.9", "10.4.0.17"], "10.4.0.17"),
        (["203.0.113.5", "172.20.10.2"], "172.20.10.2"),
        # A host with only a public address: still better than none.
        (["203.0.113.5", "203.0.113.5"], "203.0.113.5"),
        (["127.0.0.1", "169.254.7.7", "0.0.0.0"], None),
        ([], None),
    ],
)
def test_lan_url_prefers_a_private_address(
    monkeypatch: pytest.MonkeyPatch, sources: list[str], chosen: str | None
) -> None:
    monkeypatch.setattr(reach, "route_sources", lambda: sources)
    assert reach.lan_url(8000) == (chosen and f"http://{chosen}:8000")


def test_on_this_machine_the_address_is_ipv4_and_not_loopback_or_clearly_none() -> None:
    found = reach.lan_url(8123)
    if found is not None:
        host, _, port = found.removeprefix("http://").partition(":")
        address = ipaddress.ip_address(host)
        assert address.version == 4 and not address.is_loopback
        assert port == "8123"
    assert all(ipaddress.ip_address(a).version == 4 for a in reach.route_sources())


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("https://snug.example.org", "https://snug.example.org"),
        ("https://snug.example.org/", "https://snug.example.org"),
        (" HTTPS://Snug.Example.org:8443 ", "https://snug.example.org:8443"),
        ("http://192.168.1.23:8000", "http://192.168.1.23:8000"),
        ("http://[fd00::5]:8000/", "http://[fd00::5]:8000"),
    ],
)
def test_a_public_url_is_kept_without_its_trailing_slash(given: str, kept: str) -> None:
    assert reach.checked_public_url(given) == kept


@pytest.mark.parametrize(
    ("given", "said"),
    [
        ("snug.example.org", "should be a web address starting with https://"),
        ("ftp://snug.example.org", "should be a web address starting with https://"),
        ("https://", "names no host"),
        ("https://snug example.org", "names no host"),
        ("https://me:secret@snug.example.org", "holds a user name or password"),
        ("https://snug.example.org/camp", "has a path, query or fragment"),
        ("https://snug.example.org/?", "has a path, query or fragment"),
        ("https://snug.example.org#top", "has a path, query or fragment"),
        ("https://snug.example.org:99999", "not a number from 0 to 65535"),
        ("https://snug.example.org:http", "not a number from 0 to 65535"),
        ("https://" + "a" * 2048 + ".org", "should be a web address"),
    ],
)
def test_a_public_url_that_isnt_a_base_address_is_refused_in_words(given: str, said: str) -> None:
    with pytest.raises(ValueError, match=said):
        reach.checked_public_url(given)


@pytest.mark.parametrize(
    "url",
    ["http://127.0.0.1:8000", "http://127.8.0.1", "http://localhost:8000", "http://[::1]:8000"],
)
def test_a_loopback_join_link_is_warned_about_with_the_fix(url: str) -> None:
    warning = reach.loopback_warning(url)
    assert warning is not None
    assert url in warning and "phones can't join" in warning
    assert "snug serve --lan" in warning and "--public-url https://" in warning


@pytest.mark.parametrize(
    "url", ["http://192.168.1.23:8000", "https://snug.example.org", "http://localhostel.org"]
)
def test_an_address_phones_can_open_is_not_warned_about(url: str) -> None:
    assert reach.loopback_warning(url) is None
