"""A realistic demo city: districts, streets, businesses, cameras, sensors and users.

Deterministic for a seed. Business categories follow the proportions one district reported for
its first year (domain brief: 1 extra-large, 8 large, 72 medium, 328 small, 2 beverage, 34 school,
2 elderly-care, 2 hospital, 3 government canteens). Camera URLs point at the simulator, which
serves ``/live/<camera id>/{sub,main}.ts`` for any camera id.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from central.auth import hash_password
from db.models import (
    Business,
    BusinessCategory,
    Camera,
    ChangeLog,
    District,
    Grid,
    Role,
    Sensor,
    SensorKind,
    User,
    utcnow,
)

DEMO_PASSWORD = "kw-demo-2026"
C = BusinessCategory
CATEGORY_WEIGHTS: dict[str, int] = {
    C.EXTRA_LARGE: 1, C.LARGE: 8, C.MEDIUM: 72, C.SMALL: 328, C.BEVERAGE: 2,
    C.SCHOOL_CANTEEN: 34, C.ELDERLY_CANTEEN: 2, C.HOSPITAL_CANTEEN: 2, C.GOVERNMENT_CANTEEN: 3,
}
DISTRICTS = [
    ("D01", "康巴什区", "Kangbashi", "kbs", ["青春山街道", "哈巴格希街道", "滨河街道", "康新街道"]),
    ("D02", "东胜区", "Dongsheng", "ds", ["交通街道", "林荫街道", "建设街道", "富兴街道"]),
    ("D03", "伊金霍洛旗", "Ejin Horo", "yjhl", ["阿勒腾席热镇", "乌兰木伦镇", "纳林陶亥镇"]),
    ("D04", "达拉特旗", "Dalad", "dlt", ["树林召镇", "王爱召镇", "白泥井镇"]),
]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾萧田董潘袁"
GIVEN = ["建国", "秀英", "志强", "丽娟", "海军", "桂兰", "文博", "雪梅", "俊杰", "晓燕", "国庆",
         "春花", "立新", "红梅", "永刚", "淑珍"]
SMALL_STYLES = ["家常菜", "牛肉面", "手把肉", "川菜馆", "拉面馆", "饺子馆", "烧烤", "羊杂碎",
                "麻辣烫", "黄焖鸡米饭", "砂锅粥", "莜面馆", "包子铺", "炖菜馆"]
BIG_WORDS = ["鄂尔多斯", "草原", "蒙古大营", "金帐", "康城", "银河", "盛世", "福满楼", "天骄"]
SCHOOLS = ["第一中学", "实验小学", "第二小学", "东方红幼儿园", "蓝天幼儿园", "第三中学",
           "育才学校", "职业技术学院", "第五小学", "阳光幼儿园"]
CAMERAS_BY_CATEGORY: dict[str, list[str]] = {
    C.EXTRA_LARGE: ["后厨热菜区", "凉菜专间", "洗消间", "面点间"],
    C.LARGE: ["后厨热菜区", "凉菜专间", "洗消间"],
    C.MEDIUM: ["后厨操作间", "凉菜专间"],
    C.SMALL: ["后厨操作间", "洗消间"],
    C.BEVERAGE: ["操作台", "原料仓库"],
    C.SCHOOL_CANTEEN: ["后厨操作间", "凉菜专间", "洗消间"],
    C.ELDERLY_CANTEEN: ["后厨操作间", "洗消间"],
    C.HOSPITAL_CANTEEN: ["后厨操作间", "凉菜专间", "洗消间"],
    C.GOVERNMENT_CANTEEN: ["后厨操作间", "洗消间"],
}
CABINET_CATEGORIES = {C.EXTRA_LARGE, C.LARGE, C.SCHOOL_CANTEEN, C.ELDERLY_CANTEEN,
                      C.HOSPITAL_CANTEEN, C.GOVERNMENT_CANTEEN}


def category_plan(n: int, rng: random.Random) -> list[str]:
    """``n`` categories in the reported proportions (largest remainder), shuffled."""
    total = sum(CATEGORY_WEIGHTS.values())
    exact = {c: n * w / total for c, w in CATEGORY_WEIGHTS.items()}
    counts = {c: int(v) for c, v in exact.items()}
    if n >= 30:  # a demo city should show every kind of canteen at least once
        for c in (C.SCHOOL_CANTEEN, C.ELDERLY_CANTEEN, C.HOSPITAL_CANTEEN, C.GOVERNMENT_CANTEEN,
                  C.LARGE, C.EXTRA_LARGE, C.BEVERAGE):
            counts[c] = max(counts[c], 1)
    while sum(counts.values()) < n:
        c = max(exact, key=lambda k: exact[k] - counts[k])
        counts[c] += 1
    while sum(counts.values()) > n:
        counts[C.SMALL] -= 1
    plan = [c for c, k in counts.items() for _ in range(k)]
    rng.shuffle(plan)
    return plan


def _person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


def _phone(rng: random.Random) -> str:
    return f"1{rng.choice('3578')}{rng.randrange(10**9):09d}"


def _business_name(category: str, district: str, rng: random.Random, used: set[str]) -> str:
    for attempt in range(1000):
        if category == C.SMALL:
            name = f"{rng.choice(SURNAMES)}记{rng.choice(SMALL_STYLES)}"
        elif category == C.BEVERAGE:
            name = rng.choice(["蜜雪冰城", "古茗", "茶百道", "书亦烧仙草"]) + "（" + \
                rng.choice(["万达店", "步行街店", "大学城店", "火车站店"]) + "）"
        elif category == C.SCHOOL_CANTEEN:
            name = f"{district.rstrip('区旗')}{rng.choice(SCHOOLS)}食堂"
        elif category == C.ELDERLY_CANTEEN:
            name = f"{rng.choice(['康宁', '福寿', '夕阳红', '颐和'])}养老院食堂"
        elif category == C.HOSPITAL_CANTEEN:
            hospital = rng.choice(["人民医院", "中医院", "妇幼保健院"])
            name = f"{district.rstrip('区旗')}{hospital}职工食堂"
        elif category == C.GOVERNMENT_CANTEEN:
            name = f"{district}{rng.choice(['政务服务中心', '机关事务局', '市场监管局'])}食堂"
        elif category in (C.LARGE, C.EXTRA_LARGE):
            name = f"{rng.choice(BIG_WORDS)}{rng.choice(['大酒店', '宴会中心', '国际饭店'])}"
        else:
            name = f"{rng.choice(BIG_WORDS)}{rng.choice(['酒楼', '火锅城', '海鲜楼', '美食城'])}"
        if attempt > 3:
            name += f"（{attempt}号店）"
        if name not in used:
            used.add(name)
            return name
    raise RuntimeError("could not invent a unique business name")


def build_city(n_businesses: int, seed: int, stream_base: str) -> dict[str, list[Any]]:
    """All registry rows of the demo city, not yet persisted."""
    rng = random.Random(seed)
    base = stream_base.rstrip("/")
    today = date.today()
    rows: dict[str, list[Any]] = {k: [] for k in ("district", "grid", "business", "camera",
                                                  "sensor")}
    grids: list[Grid] = []
    for did, name, name_en, _login, streets in DISTRICTS:
        rows["district"].append(District(id=did, name=name, name_en=name_en))
        for i, street in enumerate(streets, 1):
            grid = Grid(id=f"{did}-G{i:02d}", district_id=did, name=street,
                        officer_name=_person(rng), officer_phone=_phone(rng))
            grids.append(grid)
            rows["grid"].append(grid)
    names: set[str] = set()
    district_names = {d[0]: d[1] for d in DISTRICTS}
    for index, category in enumerate(category_plan(n_businesses, rng), 1):
        grid = grids[(index - 1) % len(grids)] if n_businesses < len(grids) else rng.choice(grids)
        did = grid.district_id
        bid = f"{did}-B{index:05d}"
        expiry = today + timedelta(days=rng.randint(-20, 5 * 365))
        biz = Business(
            id=bid, district_id=did, grid_id=grid.id, category=category,
            name=_business_name(category, district_names[did], rng, names),
            address=f"{district_names[did]}{grid.name}{rng.randint(1, 300)}号",
            licence_no=f"JY1{rng.randrange(10**13):013d}", licence_expiry=expiry,
            official_name=grid.officer_name, official_phone=grid.officer_phone,
            contact_name=_person(rng), contact_phone=_phone(rng))
        rows["business"].append(biz)
        for c, place in enumerate(CAMERAS_BY_CATEGORY[category], 1):
            cid = f"{bid}-C{c}"
            rows["camera"].append(Camera(
                id=cid, business_id=bid, district_id=did, name=place, location=place,
                main_url=f"{base}/live/{cid}/main.ts", sub_url=f"{base}/live/{cid}/sub.ts"))
            if place == "凉菜专间" and rng.random() < 0.6:
                rows["sensor"].append(Sensor(
                    id=f"{cid}-TH", business_id=bid, district_id=did, camera_id=cid,
                    kind=SensorKind.SPECIAL_ROOM, location=place, interval_s=30,
                    params={"max_temp": 25.0, "max_humidity": 80.0}))
            if place == "洗消间" and category in CABINET_CATEGORIES:
                rows["sensor"].append(Sensor(
                    id=f"{cid}-DC", business_id=bid, district_id=did, camera_id=cid,
                    kind=SensorKind.DISINFECTION_CABINET, location="消毒柜", interval_s=30,
                    params={"target_temp": 120.0, "hold_min": 15}))
    return rows


def demo_users(rng: random.Random) -> list[User]:
    users = [
        User(username="admin", display_name="系统管理员", role=Role.ADMIN),
        User(username="operator", display_name="值班员 张敏", role=Role.OPERATOR),
        User(username="viewer", display_name="演示大屏", role=Role.VIEWER),
        User(username="gateway", display_name="明厨亮灶接入网关", role=Role.DEVICE),
    ]
    for did, name, _en, login, _streets in DISTRICTS:
        users.append(User(username=login, display_name=f"{name}市场监管局",
                          role=Role.DISTRICT, district_id=did))
        for k in (1, 2):
            users.append(User(username=f"{login}_field{k}", display_name=f"网格员 {_person(rng)}",
                              role=Role.FIELD, district_id=did, phone=_phone(rng)))
    digest = hash_password(DEMO_PASSWORD)  # one hash: Argon2 salts it; all demo users share it
    for user in users:
        user.password_hash = digest
    return users


def populate(session: Session, n_businesses: int = 60, seed: int = 7,
             stream_base: str = "http://127.0.0.1:8751") -> bool:
    """Fill an empty registry (returns False and changes nothing if it has data)."""
    if session.scalar(select(func.count()).select_from(District)):
        return False
    rows = build_city(n_businesses, seed, stream_base)
    rows["user"] = demo_users(random.Random(seed + 1))
    now = utcnow()
    feed: list[dict[str, Any]] = []
    for entity in ("district", "grid", "business", "camera", "sensor", "user"):
        objs = rows[entity]
        model = type(objs[0])
        values = _columns(model, objs)
        session.execute(insert(model), values)
        for row in values:
            payload = {k: (v.isoformat() if isinstance(v, date) else v)
                       for k, v in row.items() if k != "password_hash"}
            district = payload["id"] if entity == "district" else payload.get("district_id")
            feed.append({"entity": entity, "entity_id": payload["id"], "district_id": district,
                         "deleted": False, "payload": payload, "ts": now})
    session.execute(insert(ChangeLog), feed)
    return True


def _columns(model: type, objs: list[Any]) -> list[dict[str, Any]]:
    cols = [c.key for c in model.__table__.columns]
    out = []
    for obj in objs:
        values = {}
        for key in cols:
            value = getattr(obj, key)
            if value is None:
                default = model.__table__.columns[key].default
                if default is not None and not callable(default.arg):
                    value = default.arg
                elif default is not None:
                    value = default.arg(None)
            values[key] = value
        out.append(values)
    return out
