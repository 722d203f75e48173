"""``kitchenwatch`` (the console) and ``kitchenwatch probe URL``."""

from __future__ import annotations

from collections.abc import Sequence

from console.shell.app import run


def main(argv: Sequence[str] | None = None) -> int:
    return run(argv)


if __name__ == "__main__":
    raise SystemExit(main())
