"""PyInstaller runtime hook: find libVLC before python-vlc looks for it.

Linux bundles do not carry libVLC: its ~300 plugins link against the distribution's own codec
libraries, so the bundle uses the system's VLC (Debian/Ubuntu: ``libvlc5 vlc-plugin-base``) and
points python-vlc at it explicitly (``PYTHON_VLC_LIB_PATH``) with its plugin directory
(``VLC_PLUGIN_PATH``): ``ctypes.util.find_library`` is unreliable inside a bundle. Windows
bundles carry ``libvlc.dll``, ``libvlccore.dll`` and ``plugins/`` in a ``vlc`` folder (see
installer/README.md). Variables the user already set win, so another VLC can be chosen.
"""

import os
import sys
from pathlib import Path

LINUX_LIBVLC = ("/usr/lib/x86_64-linux-gnu/libvlc.so.5", "/usr/lib/aarch64-linux-gnu/libvlc.so.5",
                "/usr/lib64/libvlc.so.5", "/usr/lib/libvlc.so.5", "/usr/local/lib/libvlc.so.5")


def _locate_libvlc() -> None:
    if os.environ.get("PYTHON_VLC_LIB_PATH"):
        return
    if sys.platform == "win32":
        vlc_dir = Path(getattr(sys, "_MEIPASS", ".")) / "vlc"
        if (vlc_dir / "libvlc.dll").exists():
            os.add_dll_directory(str(vlc_dir))
            os.environ["PYTHON_VLC_LIB_PATH"] = str(vlc_dir / "libvlc.dll")
            os.environ.setdefault("PYTHON_VLC_MODULE_PATH", str(vlc_dir))
            os.environ.setdefault("VLC_PLUGIN_PATH", str(vlc_dir / "plugins"))
        return
    for candidate in LINUX_LIBVLC:
        lib = Path(candidate)
        if lib.exists():
            os.environ["PYTHON_VLC_LIB_PATH"] = str(lib)
            plugins = lib.parent / "vlc" / "plugins"
            if plugins.is_dir():
                os.environ.setdefault("VLC_PLUGIN_PATH", str(plugins))
            return


_locate_libvlc()
