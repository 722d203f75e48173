"""`kitchenwatch` (the console) and `kitchenwatch probe URL`."""

from __future__ import annotations

import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] == "probe":
        from videowall.probe import main as probe_main

        return probe_main(args[1:])
    from console.app import run

    return run(args)


if __name__ == "__main__":
    raise SystemExit(main())
