from django.dispatch import Signal

# Sent inside the transaction that changed the calendar; kwargs: years (set[int]), by (user|None).
calendar_changed = Signal()
