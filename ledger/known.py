"""What the registry already holds, as far as a ledger check needs it: plain dictionaries.

Central fills it from its database (central/registry_write.py ``load_known``), the console
from its synced store, so the same dry run runs on either side without a database driver.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Known:
    #: district id → name; names (Chinese and English) and ids both find a district.
    districts: dict[str, str] = field(default_factory=dict)
    district_names: dict[str, str] = field(default_factory=dict)  # name / name_en / id → id
    streets: dict[tuple[str, str], str] = field(default_factory=dict)  # (district, name) → id
    grids: dict[tuple[str, str], str] = field(default_factory=dict)  # (district, name) → id
    #: business natural keys → (business id, district id)
    credit_codes: dict[str, tuple[str, str]] = field(default_factory=dict)
    licences: dict[str, tuple[str, str]] = field(default_factory=dict)
    #: camera GB/T 28181 code → (camera id, business id)
    gb_codes: dict[str, tuple[str, str]] = field(default_factory=dict)
    #: (business id, camera name) → camera id
    camera_names: dict[tuple[str, str], str] = field(default_factory=dict)

    def add_district(self, district_id: str, name: str, name_en: str = "") -> None:
        self.districts[district_id] = name
        for key in (district_id, name, name_en):
            if key:
                self.district_names[key] = district_id
                self.district_names[key.lower()] = district_id

    def district_id(self, value: str) -> str | None:
        """The district a ledger names: by id, Chinese or English name, with or without its
        suffix (康巴什 for 康巴什区)."""
        if not value:
            return None
        found = self.district_names.get(value) or self.district_names.get(value.lower())
        if found:
            return found
        for name, district_id in self.district_names.items():
            if name.startswith(value) and len(value) >= 2 and len(name) - len(value) <= 1:
                return district_id
        return None

    def business(self, credit_code: str, licence_no: str) -> tuple[str, str] | None:
        """The existing business a ledger row means: credit code first, then licence."""
        if credit_code and credit_code in self.credit_codes:
            return self.credit_codes[credit_code]
        if licence_no and licence_no in self.licences:
            return self.licences[licence_no]
        return None
