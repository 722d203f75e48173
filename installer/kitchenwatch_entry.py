"""Entry point of the bundled console (PyInstaller freezes this file, not ``console/__main__``).

A frozen program has no interpreter to run ``python -m videowall.worker``; the wall's worker
pool starts ``sys.executable -m videowall.worker`` all the same, so this entry recognises that
command line and runs the decode worker in the same executable. Everything else is the console.
"""

from __future__ import annotations

import sys


def main() -> int:
    if sys.argv[1:3] == ["-m", "videowall.worker"]:
        from videowall.worker import main as worker_main

        sys.argv = [sys.argv[0], *sys.argv[3:]]
        return worker_main()
    from console.__main__ import main as console_main

    return console_main()


if __name__ == "__main__":
    raise SystemExit(main())
