import calendar as month_calendar

from qihub.workcal.calendar import WorkCalendar


def year_grid(year: int, calendar: WorkCalendar) -> list[dict]:
    """Twelve months of weeks, each day tagged for the template (holiday, make-up, weekend)."""
    months = []
    for month in range(1, 13):
        weeks = []
        for week in month_calendar.Calendar().monthdatescalendar(year, month):
            days = []
            for day in week:
                working = calendar.is_working_day(day)
                weekend = day.weekday() >= 5
                listed = day in calendar.exceptions  # a day of the official schedule
                kind = (
                    "outside"
                    if day.month != month
                    else "makeup"
                    if working and weekend
                    else "holiday"
                    if not working and (listed or not weekend)
                    else "weekend"
                    if weekend
                    else "workday"
                )
                days.append({"day": day, "kind": kind, "name": calendar.day_name(day)})
            weeks.append(days)
        months.append({"month": month, "weeks": weeks})
    return months
