"""The charts' geometry: bars to scale, segments end to end, numbers only where they fit,
keys that wrap, labels cut to the width."""

from __future__ import annotations

from server.report import charts
from server.report.charts import BAR, GAP, LABEL, WIDTH


def test_bars_are_to_scale_with_segments_end_to_end() -> None:
    chart = charts.stacked([("Votes", [30, 10, 0, 20]), ("Fewer", [15])], ["A", "B", "C", "D"])
    across = WIDTH - charts.AFTER
    votes, fewer = chart.bars
    assert votes.total == 60 and fewer.total == 15
    # A series with nothing in it draws no segment; the others follow on from each other.
    assert [s.series for s in votes.segments] == [0, 1, 3]
    assert [s.x for s in votes.segments] == [0.0, across / 2, round(across * 40 / 60, 2)]
    assert votes.end == across  # the longest bar fills the width left for bars
    assert fewer.end == across / 4
    assert all(s.numbered for s in votes.segments)


def test_a_scale_larger_than_every_row_leaves_room() -> None:
    chart = charts.stacked([("Served", [5])], ["Served"], scale=20)
    assert chart.bars[0].end == (WIDTH - charts.AFTER) / 4


def test_numbers_are_written_only_in_segments_wide_enough() -> None:
    (bar,) = charts.stacked([("Votes", [1000, 1])], ["A", "B"]).bars
    assert [s.numbered for s in bar.segments] == [True, False]


def test_rows_stack_below_the_key_each_with_its_label_above() -> None:
    chart = charts.stacked([("One", [1]), ("Two", [2])], ["Open", "Done"])
    top = charts.KEY_LINE + GAP  # one line of keys
    one, two = chart.bars
    assert one.y == top + LABEL and one.label_y < one.y
    assert two.y == one.y + BAR + GAP + LABEL
    assert chart.height == two.y + BAR
    assert one.y < one.text_y < one.y + BAR


def test_one_series_has_no_key_and_no_rows_no_height() -> None:
    chart = charts.stacked([("Joined", [4])], ["People"])
    assert chart.keys == () and chart.bars[0].y == LABEL
    assert charts.stacked([], ["Open", "Done"]).bars == ()


def test_keys_wrap_onto_a_new_line_when_they_would_not_fit() -> None:
    keys, height = charts.keys(["Served", "Lost to clashes", "Lost to seats"])
    assert [k.y for k in keys] == [0, 0, charts.KEY_LINE]
    assert keys[2].x == 0 and keys[1].x > keys[0].x
    assert height == 2 * charts.KEY_LINE + GAP
    assert all(k.x + charts.SWATCH + 8 + len(k.name) * charts.CHAR <= WIDTH for k in keys)


def test_long_labels_are_cut_to_fit_with_an_ellipsis() -> None:
    title = "A very long session title that would run off the edge of a phone's screen"
    (bar,) = charts.stacked([(title, [3])], ["Votes"]).bars
    assert bar.label.endswith("…") and len(bar.label) * charts.CHAR <= WIDTH
    assert title.startswith(bar.label[:-1])
    assert charts.fitted("Short", WIDTH) == "Short"
