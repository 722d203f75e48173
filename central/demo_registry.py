"""A realistic demo city: districts, streets, businesses, cameras, sensors, plans and users.

Deterministic for a seed (dates are relative to ``today``). Business categories follow the
proportions one district reported for its first year (domain brief: 1 extra-large, 8 large,
72 medium, 328 small, 2 beverage, 34 school, 2 elderly-care, 2 hospital, 3 government
canteens), with about two kitchen cameras per business. Special rooms (凉菜专间) of larger
kitchens and canteens have a temperature/humidity sensor on the same room as their camera;
canteens and large restaurants have a disinfection-cabinet sensor in the washing room. Camera
URLs point at the simulator, which serves ``/live/<camera id>/{sub,main}.ts`` for any id.

Rows are built as plain dictionaries and bulk-inserted with their change-feed entries, so a
city of 10,000 businesses and 20,000 cameras is created in seconds.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from central import changes
from central.auth import hash_password
from db.models import Business, Camera, District, Grid, PatrolPlan, Sensor, User
from domain.registry import BusinessCategory, SensorKind
from domain.roles import Role

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


def build_city(n_businesses: int, seed: int, stream_base: str,
               today: date | None = None) -> dict[str, list[dict[str, Any]]]:
    """Column dictionaries of every registry row of the demo city (not yet persisted)."""
    rng = random.Random(seed)
    names = _Names(rng)
    base = stream_base.rstrip("/")
    today = today or date.today()
    rows: dict[str, list[dict[str, Any]]] = {k: [] for k in (
        "district", "grid", "business", "camera", "sensor")}
    grids: list[tuple[DemoDistrict, dict[str, Any]]] = []
    for d in DISTRICTS:
        rows["district"].append({"id": d.id, "name": d.name, "name_en": d.name_en, "version": 1})
        for i, street in enumerate(d.streets, 1):
            grid: dict[str, Any] = {"id": f"{d.id}-G{i:02d}", "district_id": d.id, "name": street,
                    "officer_name": names.person(), "officer_phone": _phone(rng), "version": 1}
            grids.append((d, grid))
            rows["grid"].append(grid)
    counters = dict.fromkeys((d.id for d in DISTRICTS), 0)
    for index, category in enumerate(category_plan(n_businesses, rng)):
        district, grid = grids[index % len(grids)] if index < len(grids) else rng.choice(grids)
        counters[district.id] += 1
        bid = f"{district.id}-B{counters[district.id]:05d}"
        roll = rng.random()
        if roll < 0.04:
            expiry = today - timedelta(days=rng.randint(1, 40))
        elif roll < 0.12:
            expiry = today + timedelta(days=rng.randint(0, 30))
        else:
            expiry = today + timedelta(days=rng.randint(31, 5 * 365))
        rows["business"].append({
            "id": bid, "district_id": district.id, "grid_id": grid["id"], "category": category,
            "name": names.business(category, district, grid["name"]),
            "address": f"{district.name}{grid['name']}{rng.choice(ROADS)}{rng.randint(1, 399)}号",
            "licence_no": f"JY1{rng.randrange(10**13):013d}", "licence_expiry": expiry,
            "official_name": grid["officer_name"], "official_phone": grid["officer_phone"],
            "contact_name": names.person(), "contact_phone": _phone(rng), "version": 1})
        for c, room in enumerate(rooms_for(category, rng), 1):
            cid = f"{bid}-C{c}"
            rows["camera"].append({
                "id": cid, "business_id": bid, "district_id": district.id, "name": room,
                "location": room, "main_url": f"{base}/live/{cid}/main.ts",
                "sub_url": f"{base}/live/{cid}/sub.ts", "online": True, "health": "unknown",
                "version": 1})
            rows["sensor"].extend(_sensors_for(category, room, cid, bid, district.id, rng))
    return rows


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
            users.append(user(f"{d.login}_field{k}", f"网格员 {grid['officer_name']}",
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


def populate(session: Session, n_businesses: int = 60, seed: int = 7,
             stream_base: str = "http://127.0.0.1:8751", today: date | None = None) -> bool:
    """Fill an empty registry; returns False and changes nothing if it already has data."""
    if n_businesses < 1:
        raise ValueError("the demo city needs at least one business")
    if session.scalar(select(func.count()).select_from(District)):
        return False
    rows = build_city(n_businesses, seed, stream_base, today)
    # One hash for all demo users: Argon2 costs ~50 ms each, and they share the password.
    rows["user"] = demo_users(rows, random.Random(seed + 1), hash_password(DEMO_PASSWORD))
    rows["patrol_plan"] = demo_plans()
    models = {"district": District, "grid": Grid, "business": Business, "camera": Camera,
              "sensor": Sensor, "user": User, "patrol_plan": PatrolPlan}
    for entity, model in models.items():
        values = rows[entity]
        for start in range(0, len(values), 5000):
            session.execute(insert(model), values[start:start + 5000])
        changes.record_bulk(session, entity, values)
    return True


def summary(session: Session) -> dict[str, int]:
    """Row counts of the registry (for the start-up log line)."""
    return {name: int(session.scalar(select(func.count()).select_from(model)) or 0)
            for name, model in (("districts", District), ("businesses", Business),
                                ("cameras", Camera), ("sensors", Sensor), ("users", User))}
