"""A loopback RTSP server for tests and benchmarks: libVLC's VLM broadcasting a clip in a loop.

``python bench/rtspserver.py CLIP`` prints ``RTSP_URL=rtsp://127.0.0.1:PORT/cam`` and
serves until stdin closes. libVLC's RTSP server sends RTP over UDP only (it answers TCP
requests with 461), which also exercises the client's TCP-to-UDP fallback. ffmpeg 5.1 cannot
serve RTSP to players itself (its ``-rtsp_flags listen`` waits for a publisher).
"""

from __future__ import annotations

import socket
import sys

import vlc


def main() -> None:
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    instance = vlc.Instance(["--quiet", "--no-audio", "--rtsp-host=127.0.0.1"])
    # input-repeat keeps one RTP session across loops of the clip (a new one would end it).
    if instance.vlm_add_broadcast("cam", sys.argv[1], f"#rtp{{sdp=rtsp://127.0.0.1:{port}/cam}}",
                                  1, [b":input-repeat=65535"], True, True) != 0:
        raise SystemExit("libVLC refused the RTSP broadcast")
    instance.vlm_play_media("cam")
    print(f"RTSP_URL=rtsp://127.0.0.1:{port}/cam", flush=True)
    sys.stdin.read()
    instance.vlm_release()


if __name__ == "__main__":
    main()
