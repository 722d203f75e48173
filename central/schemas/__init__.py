"""Central's declared payload models (pydantic v2): what each route accepts and answers.

Modules: :mod:`~central.schemas.common` (base model, field types, error words, the media-link
rule), :mod:`~central.schemas.actions`, :mod:`~central.schemas.ingest`,
:mod:`~central.schemas.auth` and :mod:`~central.schemas.reads`. ``/api/openapi.json`` is
generated from these same models (:mod:`central.openapi`).
"""
