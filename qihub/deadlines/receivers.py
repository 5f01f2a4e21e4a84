from django.dispatch import receiver

from qihub.workcal.signals import calendar_changed


@receiver(calendar_changed)
def recompute_after_calendar_change(
    sender: object, years: set[int], by: object = None, note: str = "", **kwargs: object
) -> None:
    from qihub.deadlines.workflow import recompute_open_clocks

    recompute_open_clocks(years, by=by, note=note)
