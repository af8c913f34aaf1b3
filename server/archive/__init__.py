"""An event's archive: the whole event as one JSON document, to keep or to move to another server.

The archive holds every row that belongs to the event with the ids it had, so it reads as the
database did; importing it gives every row a new id and rewrites every reference to match.
"""
