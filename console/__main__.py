"""``kitchenwatch`` (the console) and ``kitchenwatch probe URL``."""

from __future__ import annotations

from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    from console.shell.app import run

    return run(argv)


if __name__ == "__main__":
    raise SystemExit(main())
