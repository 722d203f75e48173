"""Kitchen Watch central server (aiohttp + SQLAlchemy; no Qt).

Entry points: :func:`central.app.create_app` (the application), ``kitchenwatch-central``
(:mod:`central.__main__`), :func:`central.demo_registry.populate` (the demo city). The contract
with consoles, simulators and gateways is docs/protocol.md.
"""
