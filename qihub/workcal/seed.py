"""Official schedules 2004–2026 as shipped in `chinese-calendar`, with Chinese holiday names."""

CHINESE_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "Mid-autumn Festival": "中秋节",
    "National Day": "国庆节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}
# As shown on the calendar page: the notices themselves, not the package that collected them.
SOURCE_DOCUMENT = "国务院办公厅公布的历年节假日安排"
# What migration 0002 stored before issue 15 (migration 0003 replaces it).
OLD_SOURCE_DOCUMENT = "国务院办公厅关于部分节假日安排的通知（经 chinese-calendar 1.11.0 整理）"


def seed_rows() -> tuple[list[tuple], list[int]]:
    """(date, is_working, Chinese name) for every exception, and the years they cover."""
    from chinese_calendar.constants import holidays, workdays

    rows = [(day, False, CHINESE_NAMES.get(name, name)) for day, name in holidays.items()]
    rows += [(day, True, CHINESE_NAMES.get(name, name) + "调休") for day, name in workdays.items()]
    years = sorted({day.year for day, _, _ in rows})
    return sorted(rows), years
