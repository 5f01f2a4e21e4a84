"""A booking as an iCalendar event (RFC 5545), for the booker's own calendar app."""

from icalendar import Calendar
from icalendar import Event as VEvent  # a calendar entry, not a history event

from qihub.bookings.models import Booking


def render(booking: Booking) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//qihub//bookings//ZH")
    calendar.add("version", "2.0")
    event = VEvent()
    event.add("uid", f"{booking.number}@qihub")
    event.add("dtstamp", booking.created_at)
    event.add("dtstart", booking.start)
    event.add("dtend", booking.end)
    event.add("summary", f"{booking.resource.name}预约（{booking.get_purpose_display()}）")
    event.add("description", f"预约编号：{booking.number}，状态：{booking.get_status_display()}")
    if booking.status in ("cancelled", "no_show"):
        event.add("status", "CANCELLED")
    calendar.add_component(event)
    return calendar.to_ical()
