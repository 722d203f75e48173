"""Sync with central. Qt-free except :mod:`console.sync.coordinator`, which adapts the rest to
Qt signals: ``client`` (HTTP/WebSocket, typed errors), ``puller`` (snapshot and incremental
pull), ``live`` (WebSocket stream and the reconnecting loop), ``pusher`` (outbox delivery),
``state`` (connection state machine); the retry schedule is :mod:`common.backoff`."""
