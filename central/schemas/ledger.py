"""``POST /api/registry/import``: its query and its answer (the command line prints the same)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from central.schemas.common import Reply
from central.schemas.reads import Query

Flag = Literal["0", "1", "true", "false", ""]


class ImportQuery(Query):
    dry_run: Annotated[Flag, Field(description="1: check and count, write nothing")] = "0"
    skip_invalid: Annotated[Flag, Field(description="1: import the valid rows even when "
                                                    "others have errors")] = "0"
    name: Annotated[str, Field(max_length=255, description="the file's name as the user "
                                                           "chose it (shown in problems)")] = ""


class Counts(Reply):
    added: int
    updated: int
    unchanged: int


class ImportProblem(Reply):
    file: str
    sheet: str
    row: int | None = Field(description="the row number Excel shows")
    column: str = Field(description="column letter and header, e.g. 'C 统一社会信用代码'")
    reason: str = Field(description="English words")
    code: str = Field(description="stable reason code (the console translates it)")
    params: dict[str, str | int | float] = Field(
        default_factory=dict, description="the values the reason's words name")


class RowCounts(Reply):
    read: dict[str, int]
    valid: dict[str, int]


class ImportReply(Reply):
    businesses: Counts
    cameras: Counts
    sensors: Counts
    streets: Counts
    grids: Counts
    rows: RowCounts
    error_count: int
    warning_count: int
    errors: list[ImportProblem]
    warnings: list[ImportProblem]
    applied: bool
    dry_run: bool
