"""No double booking under concurrency (ORD-3, ADR 0013): 50 clients fire at one slot at once
through the booking API, each from its own thread with its own database connection; exactly one
wins, the 49 others are told the slot is taken, and nothing is half-saved.

The suite runs on SQLite and on PostgreSQL (`make test`), so this proves both engines' paths."""

import threading

import pytest
from django.db import connection
from django.test import Client

from conftest import UserFactory
from qihub.accounts.models import Role
from qihub.bookings.models import Booking, BookingEvent
from qihub.bookings.slots import grid
from qihub.bookings.workflow import TAKEN

RUSH = 50


@pytest.mark.req("ORD-3")
@pytest.mark.django_db(transaction=True)
def test_fifty_simultaneous_attempts_at_one_slot_exactly_one_wins(window):
    # A slot on a later working day, neither today's (it could start while the rush runs on a
    # loaded machine) nor the horizon's last (it could fall out of the horizon at midnight).
    days = [row for _, row in grid(window) if any(s.free for s in row)]
    slot = next(s for s in days[len(days) // 2] if s.free)
    clients = []
    for i in range(RUSH):
        client = Client()
        client.force_login(UserFactory(username=f"rush{i}", role=Role.ENTERPRISE))
        clients.append(client)
    barrier = threading.Barrier(RUSH)
    answers: list[tuple[int, dict]] = []
    lock = threading.Lock()

    def attempt(client: Client) -> None:
        try:
            barrier.wait()
            response = client.post(
                f"/api/v1/resources/{window.pk}/book",
                {"start": slot.key, "purpose": "consult", "slots": 1},
            )
            with lock:
                answers.append((response.status_code, response.json()))
        finally:
            connection.close()  # each thread's own connection

    threads = [threading.Thread(target=attempt, args=(c,)) for c in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    codes = sorted(code for code, _ in answers)
    assert codes == [201] + [409] * (RUSH - 1)
    assert {body["detail"] for code, body in answers if code == 409} == {TAKEN}
    assert TAKEN == "该时段已被预约，请选择其他时段"
    # Nothing half-saved: one booking, one event, no orphan.
    assert Booking.objects.count() == 1
    assert BookingEvent.objects.count() == 1
    winner = next(body for code, body in answers if code == 201)
    assert Booking.objects.get().number == winner["number"]
