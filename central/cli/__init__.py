"""``kitchenwatch-central COMMAND ...``: the administration commands beside the server.

Each command is a module with ``main(argv) -> int`` (see ``COMMANDS`` in
:mod:`central.__main__`). They work on the database directly, so they run where central's
database is reachable, with or without a running central; a running central notices what they
change within a second (sessions live in the database, see :mod:`central.sessions`).
"""
