"""The page↔API parity walk's tally: each case records its decision (`record_property`), which
reaches the controller under pytest-xdist too; the summary prints decisions per table."""

from collections import Counter, defaultdict


def pytest_terminal_summary(terminalreporter) -> None:  # noqa: ANN001 - pytest's hook signature
    tally: dict[str, Counter] = defaultdict(Counter)
    done_by: dict[str, set] = defaultdict(set)
    for reports in terminalreporter.stats.values():
        for report in reports:
            for name, value in getattr(report, "user_properties", ()):
                if name != "parity" or getattr(report, "when", "call") != "call":
                    continue
                table, action, persona, ownership, decision = value
                tally[table][decision] += 1
                if decision == "done":
                    done_by[f"{table}.{action}"].add(f"{persona}/{ownership}")
    if not tally:
        return
    terminalreporter.section("page/API parity: decisions per table (each case on both layers)")
    for table, counts in sorted(tally.items()):
        line = ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
        terminalreporter.write_line(f"{table}: {sum(counts.values())} cases — {line}")
    for action, who in sorted(done_by.items()):
        terminalreporter.write_line(f"  {action} done by {', '.join(sorted(who))}")
