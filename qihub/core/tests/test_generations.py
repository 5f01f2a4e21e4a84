"""A generation counter is bumped once per transaction, however many rows it saves, and a
bump rolled back with its savepoint is made again by the next save (issue 22/23)."""

import pytest
from django.core.cache import cache
from django.db import transaction

from qihub.core.generations import Generation


@pytest.fixture
def generation() -> Generation:
    gen = Generation("test:generation")
    gen.current()
    return gen


@pytest.mark.django_db
def test_many_saves_in_one_transaction_bump_once_at_once_and_once_after_commit(
    generation, django_capture_on_commit_callbacks
):
    start = generation.current()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with transaction.atomic():
            for _ in range(5):
                generation.bump()
            inside = generation.current()

    assert inside == start + 1  # the writer's next read already sees a new generation
    assert len(callbacks) == 1
    assert generation.current() == start + 2


@pytest.mark.django_db
def test_two_transactions_bump_twice(generation, django_capture_on_commit_callbacks):
    start = generation.current()
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            generation.bump()
        with transaction.atomic():
            generation.bump()

    assert generation.current() == start + 4


@pytest.mark.django_db
def test_a_bump_rolled_back_with_its_savepoint_is_made_again(
    generation, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with transaction.atomic():
            try:
                with transaction.atomic():
                    generation.bump()
                    raise RuntimeError("refused")
            except RuntimeError:
                pass
            generation.bump()

    assert len(callbacks) == 1  # the rolled-back one was dropped, the second one waits


@pytest.mark.django_db
def test_outside_a_transaction_a_bump_counts_once(generation):
    start = generation.current()
    generation.bump()
    assert cache.get("test:generation") == start + 1
