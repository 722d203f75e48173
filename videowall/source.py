"""What a tile plays, and how its URL may be shown."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

# ``rtsp://admin:12345@10.1.2.3/x`` → ``rtsp://***@10.1.2.3/x`` for logs and the UI; the one
# implementation, shared with the console and central, is in common.masking.
from common.masking import mask_url

__all__ = ["TileSource", "mask_url"]


@dataclass(frozen=True)
class TileSource:
    camera_id: str
    title: str
    sub_url: str
    main_url: str = ""
    business_id: str = ""

    def url(self, main: bool) -> str:
        return (self.main_url or self.sub_url) if main else (self.sub_url or self.main_url)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TileSource:
        return cls(camera_id=str(data["camera_id"]), title=str(data.get("title", "")),
                   sub_url=str(data.get("sub_url", "")), main_url=str(data.get("main_url", "")),
                   business_id=str(data.get("business_id", "")))
