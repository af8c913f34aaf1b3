"""An event's series: the next event made from this one ("run it again"), and the events run
one from another, listed together by date."""
