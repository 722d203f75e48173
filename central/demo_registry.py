"""A realistic demo city: districts, streets, businesses, cameras, sensors, plans and users.

Deterministic for a seed (dates are relative to ``today``). Business categories follow the
proportions one district reported for its first year (domain brief: 1 extra-large, 8 large,
72 medium, 328 small, 2 beverage, 34 school, 2 elderly-care, 2 hospital, 3 government
canteens), with about two kitchen cameras per business. Special rooms (凉菜专间) of larger
kitchens and canteens have a temperature/humidity sensor on the same room as their camera;
canteens and large restaurants have a disinfection-cabinet sensor in the washing room. Camera
URLs point at the simulator, which serves ``/live/<camera id>/{sub,main}.ts`` for any id.

The registry goes in the way a bureau's does: :func:`populate` writes the city as a ledger
workbook (ledger/template.py) and imports it through the same reader, checker and writer as
``kitchenwatch-central import`` (ledger/, central/registry_write.py), so every demo start
exercises the import. Districts, accounts and patrol plans, which ledgers do not hold, are
inserted directly; so are the communities' grid officers.
"""

from __future__ import annotations

import functools
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from central import bulk, changes, registry_write
from central.auth import hash_password
from db.models import Business, Camera, District, Grid, PatrolPlan, Sensor, User
from domain.geo import DEMO_BOUNDARIES, Region, load_boundaries
from domain.registry import BusinessCategory, SensorKind
from domain.roles import Role
from ledger.fields import CATEGORY_NAMES, SENSOR_KIND_NAMES, credit_check_char

DEMO_PASSWORD = "kw-demo-2026"
C = BusinessCategory
CATEGORY_WEIGHTS: dict[str, int] = {
    C.EXTRA_LARGE: 1, C.LARGE: 8, C.MEDIUM: 72, C.SMALL: 328, C.BEVERAGE: 2,
    C.SCHOOL_CANTEEN: 34, C.ELDERLY_CANTEEN: 2, C.HOSPITAL_CANTEEN: 2, C.GOVERNMENT_CANTEEN: 3,
}


@dataclass(frozen=True)
class DemoDistrict:
    id: str
    name: str
    name_en: str
    login: str
    streets: tuple[str, ...]


DISTRICTS = (
    DemoDistrict("D01", "康巴什区", "Kangbashi District", "kbs",
                 ("青春山街道", "哈巴格希街道", "滨河街道", "康新街道")),
    DemoDistrict("D02", "东胜区", "Dongsheng District", "ds",
                 ("交通街道", "林荫街道", "建设街道", "富兴街道", "天骄街道")),
    DemoDistrict("D03", "伊金霍洛旗", "Ejin Horo Banner", "yjhl",
                 ("阿勒腾席热镇", "乌兰木伦镇", "纳林陶亥镇")),
    DemoDistrict("D04", "达拉特旗", "Dalad Banner", "dlt", ("树林召镇", "王爱召镇", "白泥井镇")),
    DemoDistrict("D05", "准格尔旗", "Jungar Banner", "zge", ("薛家湾镇", "沙圪堵镇", "大路镇")),
)
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾萧田董潘袁蔡蒋余杜"
GIVEN = ("建国", "秀英", "志强", "丽娟", "海军", "桂兰", "文博", "雪梅", "俊杰", "晓燕", "国庆",
         "春花", "立新", "红梅", "永刚", "淑珍", "宝音", "其其格", "巴特尔", "乌兰", "浩", "敏",
         "磊", "静", "鹏飞", "婷婷")
SMALL_STYLES = ("家常菜馆", "牛肉面", "手把肉", "川菜馆", "拉面馆", "饺子馆", "烧烤", "羊杂碎",
                "麻辣烫", "黄焖鸡米饭", "砂锅粥", "莜面馆", "包子铺", "炖菜馆", "烩面馆",
                "米线", "焖面馆", "涮羊肉", "小炒", "快餐")
PLACE_WORDS = ("草原", "鄂尔多斯", "蒙古包", "康城", "塞外", "河套", "黄河", "阿尔寨", "响沙湾",
               "乌兰", "那达慕", "敖包")
BIG_WORDS = ("鄂尔多斯", "草原", "蒙古大营", "金帐", "康城", "银河", "盛世", "福满楼", "天骄",
             "成吉思汗", "伊泰", "东方")
FOLKS = ("大姐", "师傅", "二哥")
MEDIUM_SUFFIXES = ("酒楼", "火锅城", "海鲜楼", "美食城", "饭店", "涮肉馆")
LARGE_SUFFIXES = ("大酒店", "宴会中心", "国际饭店", "宾馆")
CHAIN_TEAS = ("蜜雪冰城", "古茗", "茶百道", "书亦烧仙草", "沪上阿姨", "益禾堂")
SCHOOLS = ("第一中学", "第二中学", "第三中学", "实验小学", "第一小学", "第二小学", "第五小学",
           "东方红幼儿园", "蓝天幼儿园", "阳光幼儿园", "育才学校", "职业技术学院", "民族中学",
           "实验幼儿园", "第八小学")
ELDERLY = ("康宁", "福寿", "夕阳红", "颐和", "松鹤", "安康")
HOSPITALS = ("人民医院", "中医院", "妇幼保健院", "中心医院", "蒙医医院")
GOVERNMENT = ("政务服务中心", "机关事务局", "市场监管局", "税务局", "公安分局")
ROADS = ("鄂尔多斯大街", "康和路", "伊金霍洛西街", "团结路", "民族街", "天骄北路", "铁西路",
         "达拉特南路", "纬三路", "永昌路", "恩和路", "准格尔路")
EXTRA_ROOMS: dict[str, list[str]] = {C.EXTRA_LARGE: ["后厨热菜区", "凉菜专间", "洗消间", "面点间"],
               C.LARGE: ["后厨热菜区", "凉菜专间", "洗消间"],
               C.SCHOOL_CANTEEN: ["后厨操作间", "凉菜专间", "洗消间"],
               C.ELDERLY_CANTEEN: ["后厨操作间", "洗消间"],
               C.HOSPITAL_CANTEEN: ["后厨操作间", "凉菜专间", "洗消间"],
               C.GOVERNMENT_CANTEEN: ["后厨操作间", "洗消间"]}
CABINET_CATEGORIES = frozenset({C.EXTRA_LARGE, C.LARGE, C.SCHOOL_CANTEEN, C.ELDERLY_CANTEEN,
                                C.HOSPITAL_CANTEEN, C.GOVERNMENT_CANTEEN})
SPECIAL_ROOM_SENSOR_SHARE: dict[str, float] = {C.MEDIUM: 0.3}  # others with a 专间: always
COMMUNITY_WORDS = ("康城", "阳光", "和谐", "幸福", "文苑", "锦绣", "泰和", "新华", "丽苑",
                   "朝阳", "安居", "东苑")
COMMUNITIES_PER_STREET = 2
# Where each district's kitchens are (WGS-84), for coordinates around its centre.
CENTRES = {"D01": (39.608, 109.781), "D02": (39.817, 109.977), "D03": (39.574, 109.739),
           "D04": (40.402, 110.040), "D05": (39.865, 111.240)}
DEMO_LEDGER = "demo-city.xlsx"
WORKBOOK_MAX_BUSINESSES = 2000
SPECIAL_ROOM = "凉菜专间"
WASHING_ROOM = "洗消间"


def category_plan(n: int, rng: random.Random) -> list[str]:
    """``n`` categories in the reported proportions (largest remainder), shuffled."""
    total = sum(CATEGORY_WEIGHTS.values())
    exact = {c: n * w / total for c, w in CATEGORY_WEIGHTS.items()}
    counts = {c: int(v) for c, v in exact.items()}
    if n >= 30:  # a demo city should show every kind of canteen at least once
        for c in CATEGORY_WEIGHTS:
            counts[c] = max(counts[c], 1)
    while sum(counts.values()) < n:
        c = max(exact, key=lambda k: exact[k] - counts[k])
        counts[c] += 1
    while sum(counts.values()) > n:
        counts[max(counts, key=counts.__getitem__)] -= 1
    plan = [c for c, k in counts.items() for _ in range(k)]
    rng.shuffle(plan)
    # School canteens are every programme's first priority, and the demo wall opens on the
    # first kitchens of the tree: one leads, so its special room and disinfection cabinet
    # (with their gauges) are on screen from the first second.
    if C.SCHOOL_CANTEEN in plan:
        first = plan.index(C.SCHOOL_CANTEEN)
        plan[0], plan[first] = plan[first], plan[0]
    return plan


SPECIAL_ROOM_CATEGORIES = frozenset(c for c, rooms in EXTRA_ROOMS.items() if SPECIAL_ROOM in rooms)


def _every_district_leads_with_a_special_room(plan: list[str],
                                              street_districts: list[str]) -> list[str]:
    """The first kitchen of every district is one with a 专间 (and so a gauge), as far as the
    plan has such kitchens: the first businesses go one to each street in order, so a
    district's first street's first business is the one its staff see first. Without this a
    draw could leave a whole district (Dongsheng, in one seed) without a single sensor."""
    plan = list(plan)
    firsts = [i for i, district in enumerate(street_districts)
              if i < len(plan) and (i == 0 or street_districts[i - 1] != district)]
    spare = [i for i in range(len(street_districts), len(plan))
             if plan[i] in SPECIAL_ROOM_CATEGORIES]
    for at in firsts:
        if plan[at] in SPECIAL_ROOM_CATEGORIES or not spare:
            continue
        swap = spare.pop(0)
        plan[at], plan[swap] = plan[swap], plan[at]
    return plan


def rooms_for(category: str, rng: random.Random) -> list[str]:
    """Camera rooms of one kitchen: about two on average across the city."""
    if category in EXTRA_ROOMS:
        return list(EXTRA_ROOMS[category])
    if category == C.MEDIUM:
        return ["后厨操作间", rng.choice([SPECIAL_ROOM, WASHING_ROOM])]
    if category == C.BEVERAGE:
        return ["操作台"] + (["原料仓库"] if rng.random() < 0.5 else [])
    if rng.random() < 0.12:
        return ["后厨操作间"]
    return ["后厨操作间", WASHING_ROOM if rng.random() < 0.6 else "仓库"]


class _Names:
    """Plausible, unique business names from parts (branches get a street suffix)."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used: set[str] = set()

    def person(self) -> str:
        return self.rng.choice(SURNAMES) + self.rng.choice(GIVEN)

    def _base(self, category: str, district: DemoDistrict) -> str:
        r = self.rng
        short = district.name.removesuffix("区").removesuffix("旗")
        if category == C.SMALL:
            pattern = r.random()
            if pattern < 0.45:
                return f"{r.choice(['老', '小', ''])}{r.choice(SURNAMES)}" \
                       f"{r.choice(['家', '记'])}{r.choice(SMALL_STYLES)}"
            if pattern < 0.8:
                return f"{r.choice(PLACE_WORDS)}{r.choice(SMALL_STYLES)}"
            return f"{r.choice(SURNAMES)}{r.choice(FOLKS)}{r.choice(SMALL_STYLES)}"
        if category == C.MEDIUM:
            return f"{r.choice(BIG_WORDS)}{r.choice(MEDIUM_SUFFIXES)}"
        if category in (C.LARGE, C.EXTRA_LARGE):
            return f"{r.choice(BIG_WORDS)}{r.choice(LARGE_SUFFIXES)}"
        if category == C.BEVERAGE:
            return r.choice(CHAIN_TEAS)
        if category == C.SCHOOL_CANTEEN:
            if r.random() < 0.5:
                return f"{short}{r.choice(SCHOOLS)}食堂"
            kind = r.choice(["小学", "中学", "幼儿园"])
            return f"{short}第{_chinese_number(r.randint(1, 60))}{kind}食堂"
        if category == C.ELDERLY_CANTEEN:
            return f"{r.choice(ELDERLY)}养老院食堂"
        if category == C.HOSPITAL_CANTEEN:
            return f"{short}{r.choice(HOSPITALS)}职工食堂"
        return f"{district.name}{r.choice(GOVERNMENT)}食堂"

    def business(self, category: str, district: DemoDistrict, street: str) -> str:
        for _ in range(20):  # a fresh name first; branch suffixes only when the parts run out
            base = self._base(category, district)
            if base not in self.used:
                self.used.add(base)
                return base
        for candidate in (base, f"{base}（{street.removesuffix('街道').removesuffix('镇')}店）"):
            if candidate not in self.used:
                self.used.add(candidate)
                return candidate
        n = 2
        while f"{base}（{n}分店）" in self.used:
            n += 1
        self.used.add(f"{base}（{n}分店）")
        return f"{base}（{n}分店）"


def _chinese_number(n: int) -> str:
    """1..99 in Chinese numerals (十二, 三十五), for numbered schools."""
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    tens, ones = divmod(n, 10)
    return f"{'' if tens == 1 else digits[tens]}十{digits[ones] if ones else ''}"


def _phone(rng: random.Random) -> str:
    return f"1{rng.choice('35789')}{rng.randrange(10**9):09d}"


def _credit_code(rng: random.Random, category: str) -> str:
    """A valid 统一社会信用代码: 12 for public institutions' canteens, 92 for small
    individually owned restaurants, 91 for companies; check character per GB 32100."""
    kind = "12" if category.endswith("canteen") else ("92" if category == C.SMALL else "91")
    chars = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    body = f"{kind}150602" + "".join(rng.choice(chars) for _ in range(9))
    return body + credit_check_char(body)


def build_city(n_businesses: int, seed: int, stream_base: str,
               today: date | None = None) -> dict[str, list[dict[str, Any]]]:
    """Column dictionaries of every registry row of the demo city (not yet persisted).

    Streets, communities (grids), businesses, cameras and sensors carry the ids the import
    gives them when the city is imported into an empty registry (checked by populate)."""
    rng = random.Random(seed)
    extra = random.Random(seed + 2)  # what older demo cities lacked: same names as before
    names = _Names(rng)
    base = stream_base.rstrip("/")
    today = today or date.today()
    rows: dict[str, list[dict[str, Any]]] = {k: [] for k in (
        "district", "street", "grid", "business", "camera", "sensor")}
    streets: list[tuple[DemoDistrict, dict[str, Any]]] = []
    communities: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for d in DISTRICTS:
        rows["district"].append({"id": d.id, "name": d.name, "name_en": d.name_en, "version": 1})
        words = extra.sample(COMMUNITY_WORDS, COMMUNITIES_PER_STREET * len(d.streets))
        for i, street in enumerate(d.streets):
            place: dict[str, Any] = {"district_id": d.id, "name": street,
                                     "officer_name": names.person(),
                                     "officer_phone": _phone(rng)}
            streets.append((d, place))
            communities[(d.id, street)] = [
                {"district_id": d.id, "street": street, "name": f"{word}社区",
                 "officer_name": names.person() if k == 0 else place["officer_name"],
                 "officer_phone": place["officer_phone"]}
                for k, word in enumerate(words[i * COMMUNITIES_PER_STREET:
                                               (i + 1) * COMMUNITIES_PER_STREET])]
    street_ids: dict[tuple[str, str], str] = {}
    grid_ids: dict[tuple[str, str], str] = {}
    counters = dict.fromkeys((d.id for d in DISTRICTS), 0)
    gb_serial = 0
    plan = _every_district_leads_with_a_special_room(category_plan(n_businesses, rng),
                                                     [d.id for d, _place in streets])
    for index, category in enumerate(plan):
        district, place = streets[index % len(streets)] if index < len(streets) \
            else rng.choice(streets)
        community = extra.choice(communities[(district.id, place["name"])])
        # Ids in order of first appearance, as the import creates them.
        skey, gkey = (district.id, place["name"]), (district.id, community["name"])
        if skey not in street_ids:
            n = sum(k[0] == district.id for k in street_ids) + 1
            street_ids[skey] = f"{district.id}-S{n:02d}"
            rows["street"].append({"id": street_ids[skey], "district_id": district.id,
                                   "name": place["name"], "version": 1})
        if gkey not in grid_ids:
            n = sum(k[0] == district.id for k in grid_ids) + 1
            grid_ids[gkey] = f"{district.id}-G{n:02d}"
            rows["grid"].append({"id": grid_ids[gkey], "district_id": district.id,
                                 "street_id": street_ids[skey], "name": community["name"],
                                 "officer_name": community["officer_name"],
                                 "officer_phone": community["officer_phone"], "version": 1})
        counters[district.id] += 1
        bid = f"{district.id}-B{counters[district.id]:05d}"
        roll = rng.random()
        if roll < 0.04:
            expiry = today - timedelta(days=rng.randint(1, 40))
        elif roll < 0.12:
            expiry = today + timedelta(days=rng.randint(0, 30))
        else:
            expiry = today + timedelta(days=rng.randint(31, 5 * 365))
        lat, lon = kitchen_position(district, extra.uniform(-0.03, 0.03),
                                    extra.uniform(-0.04, 0.04), f"{seed}-{bid}")
        rows["business"].append({
            "id": bid, "district_id": district.id, "grid_id": grid_ids[gkey],
            "street_id": street_ids[skey], "category": category,
            "name": names.business(category, district, place["name"]),
            "address": f"{district.name}{place['name']}{rng.choice(ROADS)}{rng.randint(1, 399)}号",
            "licence_no": f"JY1{rng.randrange(10**13):013d}", "licence_expiry": expiry,
            # the 包保 official is the community's grid officer, who has an account (demo_users):
            # the import links the two by name and phone
            "official_name": community["officer_name"],
            "official_phone": community["officer_phone"],
            "contact_name": names.person(), "contact_phone": _phone(rng),
            "credit_code": _credit_code(extra, category),
            "latitude": lat, "longitude": lon,
            "director_name": names.person() if extra.random() < 0.6 else "",
            "director_phone": "", "version": 1})
        business = rows["business"][-1]
        if business["director_name"]:
            business["director_phone"] = _phone(extra)
        for c, room in enumerate(rooms_for(category, rng), 1):
            cid = f"{bid}-C{c}"
            gb_serial += 1
            rows["camera"].append({
                "id": cid, "business_id": bid, "district_id": district.id, "name": room,
                "location": room, "main_url": f"{base}/live/{cid}/main.ts",
                "sub_url": f"{base}/live/{cid}/sub.ts", "online": True, "health": "unknown",
                "gb_code": f"1506020000132{gb_serial:07d}", "version": 1})
            rows["sensor"].extend(_sensors_for(category, room, cid, bid, district.id, rng))
    return rows


@functools.cache
def _district_regions() -> dict[str, Region]:
    return {r.name: r for r in load_boundaries(DEMO_BOUNDARIES)}


def kitchen_position(district: DemoDistrict, dlat: float, dlon: float,
                     key: str) -> tuple[float, float]:
    """(lat, lon) of a kitchen near its district's centre and inside the district's real
    boundary (resources/map/ordos.json), so the map shows every kitchen in its own district.

    The first try is the offset drawn from the city's generator as before (so every later
    draw, and every name, stays what it was); a point that falls outside — Kangbashi is
    small, its neighbours close — is redrawn from a generator of its own, nearer the centre
    each time."""
    lat0, lon0 = CENTRES[district.id]
    region = _district_regions().get(district.name)
    lat, lon = lat0 + dlat, lon0 + dlon
    if region is not None and not region.contains(lon, lat):
        rng = random.Random(key)
        for attempt in range(1, 200):
            shrink = max(0.05, 1.0 - attempt / 50)
            lat = lat0 + rng.uniform(-0.03, 0.03) * shrink
            lon = lon0 + rng.uniform(-0.04, 0.04) * shrink
            if region.contains(lon, lat):
                break
        else:
            lat, lon = lat0, lon0
    return round(lat, 6), round(lon, 6)


def _sensors_for(category: str, room: str, cid: str, bid: str, did: str,
                 rng: random.Random) -> Iterator[dict[str, Any]]:
    common = {"business_id": bid, "district_id": did, "camera_id": cid, "online": True,
              "last_value": None, "last_humidity": None, "last_ts": None,
              "rule_state": "normal", "version": 1}
    if room == SPECIAL_ROOM and rng.random() < SPECIAL_ROOM_SENSOR_SHARE.get(category, 1.0):
        yield {**common, "id": f"{cid}-TH", "kind": SensorKind.SPECIAL_ROOM.value,
               "location": room, "interval_s": 30,
               "params": {"max_temp": 25.0, "max_humidity": 80.0}}
    if room == WASHING_ROOM and category in CABINET_CATEGORIES:
        # Bureaus differ: most ask 15 min at 120 °C, some accept the national minimum of 10.
        yield {**common, "id": f"{cid}-DC", "kind": SensorKind.DISINFECTION_CABINET.value,
               "location": "消毒柜", "interval_s": 30,
               "params": {"target_temp": 120.0, "hold_min": 10.0 if rng.random() < 0.3 else 15.0}}


def demo_users(rows: dict[str, list[dict[str, Any]]], rng: random.Random,
               password_hash: str) -> list[dict[str, Any]]:
    """Demo accounts: admin, operator, viewer, gateway, recorder (both devices), one district
    user per district and one field user (grid officer) per street, all with
    ``DEMO_PASSWORD``."""
    def user(username: str, display: str, role: str, district: str | None = None,
             phone: str = "") -> dict[str, Any]:
        return {"id": f"u-{username}", "username": username, "display_name": display,
                "role": role, "district_id": district, "phone": phone,
                "password_hash": password_hash, "active": True, "version": 1}

    users = [user("admin", "系统管理员", Role.ADMIN),
             user("operator", "值班员 张敏", Role.OPERATOR, phone=_phone(rng)),
             user("viewer", "演示大屏", Role.VIEWER),
             user("gateway", "明厨亮灶接入网关", Role.DEVICE),
             user("recorder", "录像服务", Role.DEVICE)]
    grids_by_district: dict[str, list[dict[str, Any]]] = {}
    for grid in rows["grid"]:
        grids_by_district.setdefault(grid["district_id"], []).append(grid)
    for d in DISTRICTS:
        users.append(user(d.login, f"{d.name}市场监督管理局", Role.DISTRICT, d.id,
                          _phone(rng)))
        for k, grid in enumerate(grids_by_district.get(d.id, []), 1):
            users.append(user(f"{d.login}_field{k}", grid["officer_name"],
                              Role.FIELD, d.id, grid["officer_phone"]))
    return users


def demo_plans() -> list[dict[str, Any]]:
    plans = [{"id": "plan-city-key", "name": "全市重点单位月度网络巡查", "district_id": None,
              "selection": {"categories": [C.EXTRA_LARGE, C.LARGE, C.HOSPITAL_CANTEEN,
                                           C.ELDERLY_CANTEEN]},
              "times_per_period": 2, "period_days": 30, "version": 1}]
    for d in DISTRICTS:
        plans.append({"id": f"plan-{d.id}-school", "name": f"{d.name}学校食堂月度网络巡查",
                      "district_id": d.id, "selection": {"categories": [C.SCHOOL_CANTEEN]},
                      "times_per_period": 4, "period_days": 30, "version": 1})
        plans.append({"id": f"plan-{d.id}-all", "name": f"{d.name}餐饮单位季度网络巡查",
                      "district_id": d.id, "selection": {}, "times_per_period": 1,
                      "period_days": 90, "version": 1})
    return plans


def city_ledger(rows: dict[str, list[dict[str, Any]]]) -> dict[str, list[dict[str, Any]]]:
    """The demo city as ledger rows (ledger/template.py's columns), as a bureau would keep it."""
    district = {d["id"]: d["name"] for d in rows["district"]}
    street = {s["id"]: s["name"] for s in rows["street"]}
    grid = {g["id"]: g["name"] for g in rows["grid"]}
    credit = {b["id"]: b["credit_code"] for b in rows["business"]}
    gb = {c["id"]: c["gb_code"] for c in rows["camera"]}
    return {
        "businesses": [{
            **{k: b[k] for k in ("name", "credit_code", "licence_no", "licence_expiry",
                                 "address", "latitude", "longitude", "official_name",
                                 "official_phone", "director_name", "director_phone",
                                 "contact_name", "contact_phone")},
            "district": district[b["district_id"]], "street": street[b["street_id"]],
            "grid": grid[b["grid_id"]], "category": CATEGORY_NAMES[b["category"]]}
            for b in rows["business"]],
        "cameras": [{"business_credit_code": credit[c["business_id"]], "gb_code": c["gb_code"],
                     "name": c["name"], "location": c["location"], "main_url": c["main_url"],
                     "sub_url": c["sub_url"], "public": "否"} for c in rows["camera"]],
        "sensors": [{"business_credit_code": credit[s["business_id"]],
                     "kind": SENSOR_KIND_NAMES[s["kind"]], "location": s["location"],
                     "camera_gb_code": gb[s["camera_id"]], "interval_s": s["interval_s"],
                     **s["params"]} for s in rows["sensor"]],
    }


def city_workbook(rows: dict[str, list[dict[str, Any]]]) -> bytes:
    """The demo city's ledger as an .xlsx workbook (the template's layout)."""
    import io

    from ledger.template import Places, write_workbook

    stream = io.BytesIO()
    write_workbook(stream, dict(city_ledger(rows)),
                   Places(districts=[d["name"] for d in rows["district"]],
                          streets=[s["name"] for s in rows["street"]]), blank_text_rows=0)
    return stream.getvalue()


def city_csv(rows: dict[str, list[dict[str, Any]]]) -> list[tuple[str, bytes]]:
    """The demo city's ledger as three CSV files (UTF-8 with a BOM, as Excel saves them)."""
    import csv
    import io

    from ledger.template import COLUMNS, SHEET_TITLES, header_text

    files = []
    for kind, ledger_rows in city_ledger(rows).items():
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow([header_text(kind, name) for name in COLUMNS[kind]])
        for row in ledger_rows:
            writer.writerow(["" if row.get(name) is None else row[name]
                             for name in COLUMNS[kind]])
        files.append((f"{SHEET_TITLES[kind]}.csv", ("\ufeff" + out.getvalue()).encode()))
    return files


def import_city(session: Session, rows: dict[str, list[dict[str, Any]]],
                today: date | None = None) -> registry_write.WriteResult:
    """Write the city's ledger and import it like any ledger; the ids must come out as
    :func:`build_city` planned them (the stream URLs name the camera ids).

    A workbook up to :data:`WORKBOOK_MAX_BUSINESSES` (every demo start, every test city); a
    bigger city as CSV files, read by the same import: openpyxl writes and parses a 30,000-row
    workbook in pure Python for 10-25 s, which a city made for a scale test need not pay."""
    from ledger.check import check_sheets
    from ledger.read import read_file

    if len(rows["business"]) <= WORKBOOK_MAX_BUSINESSES:
        sheets = read_file(DEMO_LEDGER, city_workbook(rows))
    else:
        sheets = [sheet for name, data in city_csv(rows) for sheet in read_file(name, data)]
    checked = check_sheets(sheets, registry_write.load_known(session), today=today)
    if checked.errors:
        raise RuntimeError(f"the demo ledger does not import: {checked.errors[:3]}")
    rows_of = checked.write_args()
    written = registry_write.write(session, businesses=rows_of["businesses"],
                                   cameras=rows_of["cameras"], sensors=rows_of["sensors"],
                                   actor="demo", note=DEMO_LEDGER)
    for entity, got in (("business", written.business_ids), ("camera", written.camera_ids),
                        ("sensor", written.sensor_ids)):
        if got != [r["id"] for r in rows[entity]]:
            raise RuntimeError(f"the demo ledger's {entity} ids came out differently")
    return written


def populate(session: Session, n_businesses: int = 60, seed: int = 7,
             stream_base: str = "http://127.0.0.1:8751", today: date | None = None) -> bool:
    """Fill an empty registry; returns False and changes nothing if it already has data."""
    if n_businesses < 1:
        raise ValueError("the demo city needs at least one business")
    if session.scalar(select(func.count()).select_from(District)):
        return False
    rows = build_city(n_businesses, seed, stream_base, today)
    session.execute(insert(District), rows["district"])
    changes.record_bulk(session, "district", rows["district"])
    # The accounts first, as a bureau creates its staff before it imports its ledger: the
    # import then links each kitchen's 包保 official to the grid officer's account.
    # One hash for all demo users: Argon2 costs ~50 ms each, and they share the password.
    users = demo_users(rows, random.Random(seed + 1), hash_password(DEMO_PASSWORD))
    for entity, model, values in (("user", User, users), ("patrol_plan", PatrolPlan,
                                                          demo_plans())):
        for start in range(0, len(values), 5000):
            session.execute(insert(model), values[start:start + 5000])
        changes.record_bulk(session, entity, values)
    import_city(session, rows, today)
    # Grid officers are not in a bureau's kitchen ledger: set on the imported communities.
    bulk.update_rows(session, Grid.__table__, "id", [
        {"id": g["id"], "officer_name": g["officer_name"], "officer_phone": g["officer_phone"]}
        for g in rows["grid"]])
    for grid in rows["grid"]:
        changes.record_payload(session, "grid", grid)
    return True


def summary(session: Session) -> dict[str, int]:
    """Row counts of the registry (for the start-up log line)."""
    return {name: int(session.scalar(select(func.count()).select_from(model)) or 0)
            for name, model in (("districts", District), ("businesses", Business),
                                ("cameras", Camera), ("sensors", Sensor), ("users", User))}
