"""The closed vocabularies central's payload models write out as ``Literal`` types (so that the
type checker reads them) are exactly the sets they copy, in the same order (the OpenAPI
description lists them in that order)."""

from __future__ import annotations

from typing import Any, get_args

import pytest

from central.evaluator import CAMERA_HEALTH
from central.schemas import actions, ingest, reads
from central.schemas.common import CameraHealthWord
from central.tasks import ACTIONS
from db.models import SYNCED_ENTITIES, AiViolation, BusinessCategory, PatrolVerdict, Role

CASES: list[tuple[str, Any, tuple[str, ...]]] = [
    ("CameraHealthWord", CameraHealthWord, tuple(sorted(CAMERA_HEALTH))),
    ("reads.RoleName", reads.RoleName, tuple(r.value for r in Role)),
    ("reads.Entity", reads.Entity, tuple(SYNCED_ENTITIES)),
    ("ingest.AiViolationWord", ingest.AiViolationWord, tuple(v.value for v in AiViolation)),
    ("actions.TaskAction", actions.TaskAction, tuple(ACTIONS)),
    ("actions.Category", actions.Category, tuple(c.value for c in BusinessCategory)),
    ("PatrolRecord.verdict", actions.PatrolRecord.model_fields["verdict"].annotation,
     tuple(v.value for v in PatrolVerdict)),
]


@pytest.mark.parametrize(("name", "literal", "source"), CASES, ids=[c[0] for c in CASES])
def test_each_written_out_vocabulary_is_its_source(name: str, literal: Any,
                                                   source: tuple[str, ...]) -> None:
    assert get_args(literal) == source, (
        f"{name} no longer matches the values it copies: write it as Literal{list(source)}")
