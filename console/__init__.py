"""Kitchen Watch console: the desktop supervision application (local cache, sync with central,
main window). Start it with ``kitchenwatch`` (``console.__main__:main``)."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("kitchenwatch")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+source"
