import re


def pytest_assertrepr_compare(op, left, right):
    if isinstance(right, str) and len(right) > 200:
        return [f"{left!r} not found in:", re.sub(r"<[^>]+>", " ", right)[:1500]]
