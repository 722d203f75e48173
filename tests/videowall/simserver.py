"""Run the simulator's media server on a directory of test clips (used by conftest).

``python tests/videowall/simserver.py MEDIA_DIR`` prints ``KITCHENWATCH_SIM_URL=...`` once it
listens on a free loopback port, and serves until stdin closes or it is terminated.
"""

from __future__ import annotations

import asyncio
import socket
import sys
from pathlib import Path

from aiohttp import web

from simulator.media import MediaSet
from simulator.server import create_app


async def serve(root: Path) -> None:
    app = create_app(MediaSet(root))
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.SockSite(runner, sock).start()
    print(f"KITCHENWATCH_SIM_URL=http://127.0.0.1:{sock.getsockname()[1]}", flush=True)
    loop = asyncio.get_running_loop()
    await loop.run_in_executor(None, sys.stdin.read)  # parent gone or closed: stop
    await runner.cleanup()


if __name__ == "__main__":
    asyncio.run(serve(Path(sys.argv[1])))
