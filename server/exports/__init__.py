"""Schedule exports: the published grid as iCalendar feeds and frab XML and JSON.

`readmodel` loads the published schedule into plain dataclasses (the only module here that
touches the database); `calendar` and `frab` turn that into bytes, as pure functions.
"""
