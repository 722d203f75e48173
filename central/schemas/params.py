"""Payload pieces that several action modules share: versions, business categories and the
rule parameters of a sensor (with each parameter's widest bounds and unit)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import Field, create_model

from central.schemas.common import PATTERN_WORDS, Model
from domain.rules import MAX_MEAL_SERVICES, PARAM_RANGES

Version = Annotated[int, Field(ge=1, le=2**31 - 1)]

# db.models.BusinessCategory's values, in its order (see TaskAction).
Category = Literal["extra_large", "large", "medium", "small", "beverage", "school_canteen",
                   "elderly_canteen", "hospital_canteen", "government_canteen"]



def _param_field(name: str) -> tuple[Any, Any]:
    kinds = [(kind, ranges[name]) for kind, ranges in PARAM_RANGES.items() if name in ranges]
    lo = min(r.lo for _, r in kinds)
    hi = max(r.hi for _, r in kinds)
    words = "; ".join(f"{kind}: {r.lo:g}..{r.hi:g} {r.unit}" for kind, r in kinds)
    return (Annotated[float, Field(ge=lo, le=hi, json_schema_extra={"x-unit": kinds[0][1].unit})]
            | None,
            Field(None, description=f"{kinds[0][1].meaning} ({words}); null: the default"))


_PARAM_NAMES = sorted({name for ranges in PARAM_RANGES.values() for name in ranges})
HHMM_PATTERN = r"^([01][0-9]|2[0-3]):[0-5][0-9]$"
PATTERN_WORDS[HHMM_PATTERN] = 'a "HH:MM" time'
HHMM = Annotated[str, Field(pattern=HHMM_PATTERN)]


def _rule_params_model() -> type[Model]:
    """One optional field per rule parameter, with the widest range any sensor kind allows."""
    fields: dict[str, Any] = {"meal_services": (
        Annotated[list[HHMM], Field(max_length=MAX_MEAL_SERVICES)] | None,
        Field(None, description="disinfection_cabinet: meal services, local \"HH:MM\""))}
    fields.update((name, _param_field(name)) for name in _PARAM_NAMES)
    return create_model(
        "RuleParams", __base__=Model,
        __doc__="Rule parameters (only those of the sensor's kind apply; ranges per kind).",
        **fields)


if TYPE_CHECKING:
    RuleParams = Model  # its fields come from PARAM_RANGES at import: a Model to the checker
else:
    RuleParams = _rule_params_model()


