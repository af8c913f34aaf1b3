"""The organiser's report: what the day came to, drawn after it (or during it) for the organiser
alone. How many joined, pitched and voted; how many votes the published grid serves; each
session's seats, feedback, notes and actions; first-timers; and how the actions have moved
since (figures.py, sessions.py, actions.py). Chart geometry is worked out here as pure
functions (charts.py); the page, the CSV and the PDF draw from the same figures.

Plain Python over the models: no Starlette, no templates.
"""
