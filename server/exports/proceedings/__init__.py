"""The proceedings: every session's write-up together, as a page, a standalone HTML file,
Markdown, PDF, JSON and link-preview cards.

`readmodel` loads the event into plain, frozen dataclasses (the only module here that touches
the database); `pages`, `text`, `data` and `cards` turn that into bytes, as pure functions,
and ``server.exports.pdf`` makes the PDF from the standalone page.
"""
