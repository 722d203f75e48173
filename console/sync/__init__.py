"""Sync with central, Qt-free (``tests/test_layering.py`` keeps Qt out of here;
:mod:`console.shell.sync_coordinator` adapts it to Qt signals for the window): ``client``
(HTTP/WebSocket, typed errors), ``puller`` (snapshot and incremental pull), ``live`` (WebSocket
stream and the reconnecting loop), ``pusher`` (outbox delivery), ``state`` (connection state
machine), ``store`` (the local cache and outbox); the retry schedule is :mod:`common.backoff`."""
