"""Central's API version, in /api/health and the OpenAPI document.

A module of its own so that the document's builder (:mod:`central.openapi`) and the application
that serves it (:mod:`central.app`) both read it without importing each other.
"""

VERSION = "1.0.0"
