"""Names for demo customers and their contacts, built from parts with a seeded Random.

Every picker takes the generator's `random.Random` and the set of values used so far, so the
same seed gives the same names and no two customers share a name or an email address.
"""

from __future__ import annotations

import random

# (Chinese, pinyin): the pinyin names English-language customers located in China.
CITIES = (
    ("上海", "Shanghai"), ("深圳", "Shenzhen"), ("广州", "Guangzhou"), ("北京", "Beijing"),
    ("杭州", "Hangzhou"), ("苏州", "Suzhou"), ("宁波", "Ningbo"), ("南京", "Nanjing"),
    ("天津", "Tianjin"), ("成都", "Chengdu"), ("武汉", "Wuhan"), ("重庆", "Chongqing"),
    ("厦门", "Xiamen"), ("青岛", "Qingdao"), ("东莞", "Dongguan"), ("佛山", "Foshan"),
    ("无锡", "Wuxi"), ("合肥", "Hefei"), ("长沙", "Changsha"), ("西安", "Xi'an"),
)
TRADE_WORDS = (
    "恒通", "华盛", "鑫达", "宏远", "瑞丰", "金桥", "永泰", "博远", "正和", "嘉诚", "天成", "盛世",
    "联创", "万邦", "新锐", "信达", "德胜", "百川", "启航", "卓越", "安泰", "宝丰", "福源", "同创",
    "汇通", "明阳", "凯瑞", "东升", "龙腾", "海纳",
)
INDUSTRIES = (
    "电子", "物流", "机械", "化工", "纺织", "食品", "建材", "医疗器械", "包装", "汽车配件", "五金",
    "塑胶", "光电", "贸易", "家具", "环保科技", "供应链管理", "精密制造", "新材料", "电气",
)
# Mostly plain limited companies, now and then a joint-stock one.
CN_FORMS = ("有限公司",) * 8 + ("股份有限公司", "实业有限公司")

EN_PREFIXES = (
    "Northwind", "Pacific Rim", "Silverline", "Bluewater", "Evergreen", "Summit", "Harbor",
    "Redwood", "Lakeside", "Meridian", "Atlas", "Orion", "Keystone", "Crescent", "Sterling",
    "Brightstar", "Granite", "Westbrook", "Eastgate", "Highland", "Riverbend", "Polaris",
)
EN_CORES = (
    "Components", "Traders", "Logistics", "Industries", "Electronics", "Supply", "Materials",
    "Engineering", "Packaging", "Distribution", "Technologies", "Trading", "Precision", "Imports",
)
EN_FORMS = {
    "CN": ("Co., Ltd.",), "HK": ("Ltd", "Limited", "(HK) Ltd"), "SG": ("Pte Ltd",),
    "US": ("Inc.", "LLC", "Corp."), "DE": ("GmbH", "GmbH & Co. KG", "AG"),
}

# (Chinese, pinyin) surnames and given names; emails use the pinyin.
SURNAMES = (
    ("王", "wang"), ("李", "li"), ("张", "zhang"), ("刘", "liu"), ("陈", "chen"), ("杨", "yang"),
    ("黄", "huang"), ("赵", "zhao"), ("吴", "wu"), ("周", "zhou"), ("徐", "xu"), ("孙", "sun"),
    ("马", "ma"), ("朱", "zhu"), ("胡", "hu"), ("郭", "guo"), ("何", "he"), ("林", "lin"),
    ("高", "gao"), ("罗", "luo"),
)
GIVEN_NAMES = (
    ("伟", "wei"), ("芳", "fang"), ("娜", "na"), ("敏", "min"), ("静", "jing"), ("丽", "li"),
    ("强", "qiang"), ("磊", "lei"), ("洋", "yang"), ("艳", "yan"), ("勇", "yong"), ("军", "jun"),
    ("杰", "jie"), ("娟", "juan"), ("涛", "tao"), ("明", "ming"), ("超", "chao"), ("秀英", "xiuying"),
    ("霞", "xia"), ("建华", "jianhua"), ("晓东", "xiaodong"), ("海燕", "haiyan"), ("志强", "zhiqiang"),
    ("丽娟", "lijuan"),
)
EN_FIRST = {
    "DE": ("Anna", "Jonas", "Lukas", "Julia", "Felix", "Laura", "Stefan", "Katrin"),
    "US": ("Emily", "Michael", "Sarah", "David", "Jessica", "Daniel", "Ashley", "Ryan"),
    "HK": ("Ka Ming", "Wing Yan", "Siu Fung", "Hoi Ling", "Chi Keung", "Mei Ling"),
    "SG": ("Wei Ming", "Hui Min", "Jun Jie", "Siew Ling", "Kok Leong", "Priya"),
    "CN": ("Kevin", "Grace", "Vivian", "Eric", "Cindy", "Jason", "Linda", "Tony"),
}
EN_LAST = {
    "DE": ("Becker", "Weber", "Schneider", "Fischer", "Hoffmann", "Wagner", "Koch", "Richter"),
    "US": ("Smith", "Johnson", "Miller", "Davis", "Anderson", "Taylor", "Moore", "Clark"),
    "HK": ("Chan", "Wong", "Leung", "Cheung", "Lau", "Ho"),
    "SG": ("Tan", "Lim", "Ng", "Goh", "Lee", "Nair"),
    "CN": ("Wang", "Li", "Zhang", "Liu", "Chen", "Zhou", "Xu", "Sun"),
}
# The part of a Hong Kong or Singapore name written first is the family name.
FAMILY_FIRST = ("HK", "SG")


def unique(rng: random.Random, used: set[str], make) -> str:
    """Call make(rng) until it gives a value not used yet; remember and return it."""
    for _ in range(1000):
        value = make(rng)
        if value not in used:
            used.add(value)
            return value
    raise ValueError("ran out of distinct names: add name parts")


def chinese_company(rng: random.Random, word: str | None = None) -> str:
    """上海恒通电子有限公司: city + trade word + industry + legal form."""
    city = rng.choice(CITIES)[0]
    return f"{city}{word or rng.choice(TRADE_WORDS)}{rng.choice(INDUSTRIES)}{rng.choice(CN_FORMS)}"


def english_company(rng: random.Random, country: str, prefix: str | None = None) -> str:
    """Northwind Components GmbH; a company located in China carries its city's name first."""
    name = f"{prefix or rng.choice(EN_PREFIXES)} {rng.choice(EN_CORES)} {rng.choice(EN_FORMS[country])}"
    return f"{rng.choice(CITIES)[1]} {name}" if country == "CN" else name


def chinese_contact(rng: random.Random) -> tuple[str, str]:
    """(name, email local part): 王伟, wang.wei."""
    surname, given = rng.choice(SURNAMES), rng.choice(GIVEN_NAMES)
    return surname[0] + given[0], f"{surname[1]}.{given[1]}"


def english_contact(rng: random.Random, country: str) -> tuple[str, str]:
    """(name, email local part): Anna Becker, anna.becker; Chan Ka Ming, kaming.chan."""
    first, last = rng.choice(EN_FIRST[country]), rng.choice(EN_LAST[country])
    local = f"{first.replace(' ', '').lower()}.{last.lower()}"
    return (f"{last} {first}" if country in FAMILY_FIRST else f"{first} {last}"), local


def contact_email(local: str, language: str, used: set[str]) -> str:
    """local@example.cn (Chinese customers) or @example.com; a digit is added when taken."""
    domain = "example.cn" if language == "zh" else "example.com"
    for n in range(1, 1000):
        email = f"{local}{'' if n == 1 else n}@{domain}"
        if email not in used:
            used.add(email)
            return email
    raise ValueError(f"no free email address for {local}")


def phone(rng: random.Random, country: str) -> str:
    """A phone number in the country's usual shape (fictional ranges where they exist)."""
    digits = lambda n: "".join(str(rng.randint(0, 9)) for _ in range(n))  # noqa: E731
    if country == "CN":
        return f"+86 1{rng.choice('35789')}{rng.randint(0, 9)} {digits(4)} {digits(4)}"
    if country == "HK":
        return f"+852 {rng.choice('5692')}{digits(3)} {digits(4)}"
    if country == "SG":
        return f"+65 {rng.choice('89')}{digits(3)} {digits(4)}"
    if country == "US":
        return f"+1 {rng.choice(('212', '415', '312', '206'))} 555 01{digits(2)}"
    return f"+49 {rng.choice(('30', '40', '89', '69'))} {digits(7)}"
