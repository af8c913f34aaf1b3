"""Changes from several processes put back in seq order, and let go after a while when one
never comes."""

from __future__ import annotations

from typing import Any

import pytest

from server.live.in_order import GAP_WAIT, InOrder


def _change(seq: int) -> dict[str, Any]:
    return {"type": "change", "seq": seq, "kind": "votes", "data": {"votes": {"1": seq}}}


def _seqs(messages: list[dict[str, Any]]) -> list[int | None]:
    return [m.get("seq") for m in messages]


def test_a_change_ahead_of_a_gap_waits_for_the_changes_before_it() -> None:
    order = InOrder()
    order.start_after(10)
    assert order.take([_change(13), _change(14)], now=0.0) == []
    assert order.wait(now=0.2) == pytest.approx(GAP_WAIT - 0.2)
    assert _seqs(order.take([_change(11)], now=0.3)) == [11]
    assert _seqs(order.take([_change(12)], now=0.4)) == [12, 13, 14]
    assert order.wait(now=0.4) is None, "nothing is held"
    assert _seqs(order.take([_change(15)], now=0.5)) == [15]


def test_what_waited_too_long_for_its_gap_goes_out_in_order() -> None:
    order = InOrder()
    order.start_after(0)
    assert order.take([_change(3), _change(2)], now=0.0) == []
    assert order.take([], now=GAP_WAIT - 0.01) == []
    assert _seqs(order.take([], now=GAP_WAIT)) == [2, 3], "screens find seq 1 in the database"
    assert _seqs(order.take([_change(1), _change(4)], now=GAP_WAIT + 0.1)) == [1, 4]


def test_a_gap_that_moves_on_gets_its_own_wait() -> None:
    order = InOrder()
    order.start_after(0)
    order.take([_change(2), _change(4)], now=0.0)
    assert _seqs(order.take([_change(1)], now=0.9)) == [1, 2]
    assert order.wait(now=0.9) == pytest.approx(GAP_WAIT), "3 is awaited from when 2 went"
    assert order.take([], now=1.5) == [], "not from when 4 came"
    assert _seqs(order.take([], now=1.0 + GAP_WAIT)) == [4]


def test_without_a_start_the_first_change_heard_sets_it() -> None:
    order = InOrder()
    assert _seqs(order.take([_change(8), _change(7)], now=0.0)) == [7, 8]
    assert _seqs(order.take([_change(6)], now=0.1)) == [6], "older changes pass: screens skip them"
    assert order.take([_change(10)], now=0.1) == []


def test_a_resync_goes_at_once_after_everything_held() -> None:
    order = InOrder()
    order.start_after(0)
    order.take([_change(3)], now=0.0)
    assert _seqs(order.take([{"type": "resync"}], now=0.1)) == [3, None]
    assert order.wait(now=0.1) is None
    assert _seqs(order.take([_change(9)], now=0.2)) == [9], "what it missed is not awaited"
    assert order.take([_change(11)], now=0.2) == []


def test_each_gap_says_once_how_long_it_held_changes_back() -> None:
    order = InOrder()
    order.start_after(10)
    order.take([_change(11), _change(12)], now=0.0)
    assert order.waits() == [], "no gap, no wait"
    order.take([_change(14)], now=0.1)
    order.take([], now=0.2)
    assert order.waits() == [], "a gap still open has not finished waiting"
    order.take([_change(13), _change(16)], now=0.35)  # fills one gap, opens the next
    order.take([], now=0.35 + GAP_WAIT)
    order.take([_change(18)], now=2.0)
    order.take([{"type": "resync"}], now=2.5)
    assert order.waits() == [
        pytest.approx(0.25),  # filled after a quarter of a second
        pytest.approx(GAP_WAIT),  # given up on
        pytest.approx(0.5),  # ended by a resync
    ]
    assert order.waits() == [], "each wait is said once"


def test_a_gap_opened_as_a_late_one_fills_gets_its_own_wait() -> None:
    order = InOrder()
    order.start_after(0)
    assert order.take([_change(2)], now=0.0) == []
    # The room was busy: seq 1 arrives after GAP_WAIT, with seq 4, whose gap has just opened.
    assert _seqs(order.take([_change(1), _change(4)], now=GAP_WAIT + 0.5)) == [1, 2]
    assert order.wait(now=GAP_WAIT + 0.5) == pytest.approx(GAP_WAIT)
    assert _seqs(order.take([_change(3)], now=GAP_WAIT + 0.6)) == [3, 4]
