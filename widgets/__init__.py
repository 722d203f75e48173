"""Reusable Qt widgets of the Kitchen Watch console.

Widgets know nothing of sync or the server: they take plain data (the row classes of
:mod:`widgets.models.rows`, built from ``db.serialize.to_payload`` dictionaries) and emit
past-tense signals for what the user asked for. The console wires them to its sync layer.

:mod:`widgets.models` is the Qt-free part (state machines, queues, filtering and sorting) and is
tested without a display.
"""
