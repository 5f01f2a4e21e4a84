"""Issue 15's measuring instrument: crawl every page each role can reach, at 1280 and 375 px.

For the anonymous visitor and each demo role the crawl starts at the home page and the
workbench and follows same-origin GET links breadth-first. Paths that differ only in numbers
(ids, order numbers, years, credit codes) are one kind of page, visited at most twice. Each
page is checked for an error status, horizontal overflow at both widths, "建设中"
placeholders, Django's empty choice "---------", Latin words outside ALLOWED_LATIN and, on the
first page of each kind, accessibility violations of serious or critical impact found by
axe-core (injected by axe-playwright-python, which bundles it: nothing is downloaded).

The problems present today are listed in KNOWN (path pattern, kind): the test fails on any
problem not listed there (a regression, or a new page with a problem) and prints the listed
ones that no longer occur, so the list can shrink. The findings are also written to
test-artifacts/crawl-report.md.
"""

import re
import time
from collections import Counter, defaultdict, deque
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe

from qihub.core.demo import DEMO_ACCOUNTS
from tests.browser.conftest import log_in, screenshot

pytestmark = pytest.mark.browser

REPORT = Path(__file__).resolve().parents[2] / "test-artifacts" / "crawl-report.md"
WIDE, NARROW = 1280, 375
MAX_PAGES_PER_ROLE = 150
VISITS_PER_KIND = 2
PAGE_TIMEOUT_MS = 10_000

# Links the crawl does not follow: leaving the session, the Django admin and the JSON API,
# file downloads, other formats of the same page, and anything that changes state (those
# views are POST-only today; the list is a second line of defence).
SKIP_PATH = re.compile(
    r"^/(admin|api)/|^/accounts/logout/|^/documents/|^/healthz"
    r"|\.(xlsx|pdf|csv|svg|png|jpg|zip|json)$"
    r"|/(revoke|remove|delete|toggle|reveal|restore|read|official|test)/$"
)

# Latin words that are legitimately on the pages: qualification and standard marks, units,
# product and technical names, and the demo data's own identifiers. Compared case-sensitively
# against whole words of the visible text (scripts, styles and form values are not text).
ALLOWED_LATIN = {
    # qualification, accreditation, certification and standards marks; GMP (药品生产质量管理规范)
    # on the drug licence guide; AA/AAA credit grades on the quality award guide
    *"CMA CNAS CNCA GB GB/T JJG JJF ISO IEC HJ TSG 3C CCC GMP AA AAA".split(),
    # recognitions of a custom package (DEM-12): certification and market marks, the IECEE CB
    # scheme and European standards (EN 60335-1)
    *"CQC CE UL FCC CB IECEE EN".split(),
    # file formats and sizes named in upload hints ("PDF/JPG/PNG，不超过 10 MB"), channels,
    # 手机 App on the devices page
    *"PDF JPG PNG MB CSV XLSX xlsx csv JSON Excel SMS API QR URL ID No App".split(),
    # time of day, units and technical terms (also the search synonyms: PE、PVC 管、BOD)
    *"AM PM km kg mm MPa pH COD BOD VOC PE PVC".split(),
}

# Text that is shown on purpose and is not a word: links and domain names written out, e-mail
# addresses, credit codes (USCC), and numbers such as CNCA-R-2024-0001 or DD-2026-000001.
NOT_WORDS = re.compile(
    r"https?://\S+|[\w.+-]+@[\w-]+(\.[\w-]+)+|\b[\w-]+(\.[\w-]+)*\.(cn|com|org|net|gov)\b"
    r"|\b[0-9A-Z]{18}\b|\b[A-Z]{1,5}(-[A-Z0-9]+)*-\d[\d-]*\b"
    # standard numbers, also written without a space: DB1303/T 329, DB3202/T, JJG52
    r"|\b(GB|JJG|JJF|HJ|TSG|DB\d*)(/[TZ])?\s?\d+|\bDB\d+/[TZ]"
    # industry (JB/T 7041, QB/T 1952.1), group (T/CAS 115) and enterprise (Q/ABC 001) numbers
    r"|\b[A-Z]{1,4}/[TZ]\s?\d+|\b[TQ]/[A-Z0-9]+\s?\d+"
)
# A word: letters and digits, GB/T-style marks kept whole, A/B lists split into their words.
# Single letters (附录 B, A 类) are not words.
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z0-9]+(?:/T)?")

# The problems present today, by (path pattern, kind). Each one is issue 15's to fix; when a
# fix lands the test prints the entry as gone, and it should be removed here.
KNOWN: set[tuple[str, str]] = set()

# A role whose crawl ends this early has lost its session or its links: that is a failure too.
MIN_PAGES_PER_ROLE = 30
SERIOUS = {"serious", "critical"}
AXE = Axe()

PAGE_JS = """() => ({
    wide: document.documentElement.scrollWidth,
    text: document.body ? document.body.innerText : "",
    options: Array.from(document.querySelectorAll("option")).map(o => o.textContent),
    links: Array.from(document.querySelectorAll("a[href]")).map(a => a.href),
})"""


def pattern_of(path: str, query: str = "") -> str:
    """The kind of page: any path segment with a digit in it becomes <n>; query values drop."""
    segments = ["<n>" if re.search(r"\d", segment) else segment for segment in path.split("/")]
    kind = "/".join(segments)
    keys = sorted({key for key, _ in parse_qsl(query, keep_blank_values=True)})
    return kind + ("?" + "&".join(keys) if keys else "")


def followable(url: str, origin: str) -> str | None:
    """The same-origin path (with query) to visit, or None for links the crawl leaves alone."""
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or f"{parts.scheme}://{parts.netloc}" != origin:
        return None
    keys = {key for key, _ in parse_qsl(parts.query, keep_blank_values=True)}
    if SKIP_PATH.search(parts.path) or keys & {"format", "export", "download"}:
        return None
    return parts.path + ("?" + parts.query if parts.query else "")


def latin_words(text: str) -> set[str]:
    text = NOT_WORDS.sub(" ", text)
    return {word for word in LATIN_WORD.findall(text) if word not in ALLOWED_LATIN}


def crawl(page, origin: str, role: str, problems: list, visited: dict) -> None:
    queue = deque(["/", "/accounts/workbench/"])
    seen: set[str] = set(queue)
    per_kind: Counter = Counter()
    while queue and len(visited[role]) < MAX_PAGES_PER_ROLE:
        target = queue.popleft()
        kind = pattern_of(*(target.split("?", 1) + [""])[:2])
        if per_kind[kind] >= VISITS_PER_KIND:
            continue
        page.set_viewport_size({"width": WIDE, "height": 900})
        response, last_error = None, "no response"
        for _attempt in range(2):
            try:
                response = page.goto(
                    origin + target, wait_until="domcontentloaded", timeout=PAGE_TIMEOUT_MS
                )
                break
            except Exception as error:  # noqa: BLE001 - a download or a timeout: retry once
                last_error = str(error).splitlines()[0]
                if "Download is starting" in last_error:
                    break  # a file, not a page
        if response is None and "Download is starting" in last_error:
            continue
        if response is None:
            problems.append((role, WIDE, kind, "error", last_error))
            continue
        final = urlsplit(page.url)
        if final.path == "/accounts/login/" and target.split("?")[0] != "/accounts/login/":
            continue  # not this role's page: the log-in wall
        if "text/html" not in (response.headers.get("content-type") or ""):
            continue
        per_kind[kind] += 1
        visited[role].append(target)
        if response.status >= 400:
            problems.append((role, WIDE, kind, "status", str(response.status)))
        facts = page.evaluate(PAGE_JS)
        if facts["wide"] > WIDE + 1:
            problems.append((role, WIDE, kind, f"overflow-{WIDE}", f"{facts['wide']}px"))
        if "建设中" in facts["text"]:
            problems.append((role, WIDE, kind, "建设中", ""))
        if any("---------" in text for text in [facts["text"], *facts["options"]]):
            problems.append((role, WIDE, kind, "---------", ""))
        for word in sorted(latin_words(facts["text"])):
            problems.append((role, WIDE, kind, f"latin:{word}", ""))
        if per_kind[kind] == 1:
            for violation in AXE.run(page).response["violations"]:
                if violation["impact"] in SERIOUS:
                    targets = [node["target"] for node in violation["nodes"]][:3]
                    problems.append((role, WIDE, kind, f"axe:{violation['id']}", str(targets)))
        page.set_viewport_size({"width": NARROW, "height": 740})
        narrow = page.evaluate("document.documentElement.scrollWidth")
        if narrow > NARROW + 1:
            problems.append((role, NARROW, kind, f"overflow-{NARROW}", f"{narrow}px"))
        for link in facts["links"]:
            path = followable(link, origin)
            if path and path not in seen:
                seen.add(path)
                queue.append(path)


def write_report(visited: dict, problems: list, new: set, gone: set, seconds: float) -> None:
    lines = [
        "# Crawl report (issue 15)",
        "",
        f"Every page each role reaches from the home page and its workbench, at {WIDE} and "
        f"{NARROW} px; at most {VISITS_PER_KIND} pages of a kind, {MAX_PAGES_PER_ROLE} per "
        f"role. {sum(map(len, visited.values()))} pages in {seconds:.0f} s; axe-core (serious "
        "and critical impact) on the first page of each kind.",
        "",
        "## Pages crawled per role",
        "",
        "| role | pages |",
        "|---|---|",
        *(f"| {role} | {len(paths)} |" for role, paths in visited.items()),
        "",
        "## Problems per kind",
        "",
    ]
    by_kind: dict[str, dict[str, set]] = defaultdict(lambda: defaultdict(set))
    for role, width, pattern, kind, detail in problems:
        by_kind[kind.split(":")[0]][pattern].add((role, width, kind, detail))
    for kind in sorted(by_kind):
        lines += [f"### {kind} ({len(by_kind[kind])} page kinds)", ""]
        for pattern in sorted(by_kind[kind]):
            rows = sorted(by_kind[kind][pattern])
            roles = ", ".join(sorted({row[0] for row in rows}))
            details = ", ".join(sorted({f"{row[2]} {row[3]}".strip() for row in rows}))
            lines.append(f"- `{pattern}`: {details} ({roles})")
        lines.append("")
    lines += ["## Not in KNOWN (test fails)", ""]
    lines += [f"- `{pattern}` {kind}" for pattern, kind in sorted(new)] or ["none", ""]
    lines += ["", "## In KNOWN but no longer seen (shrink the list)", ""]
    lines += [f"- `{pattern}` {kind}" for pattern, kind in sorted(gone)] or ["none"]
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.mark.req("OPS-4")
def test_crawl_every_page_each_role_reaches(live_server, page, demo_data):
    start = time.monotonic()
    origin = live_server.url
    problems: list[tuple[str, int, str, str, str]] = []
    visited: dict[str, list[str]] = {}
    for role, username in [("anonymous", None)] + [(a.role, a.username) for a in DEMO_ACCOUNTS]:
        name = username or role
        page.context.clear_cookies()
        if username:
            log_in(page, origin, username)
        visited[name] = []
        crawl(page, origin, name, problems, visited)
        if username:
            page.goto(origin + "/accounts/workbench/", wait_until="domcontentloaded")
            for width in (WIDE, NARROW):
                page.set_viewport_size({"width": width, "height": 900})
                screenshot(page, f"crawl-workbench-{name}-{width}px")

    found = {(pattern, kind) for _role, _width, pattern, kind, _detail in problems}
    new, gone = found - KNOWN, KNOWN - found
    write_report(visited, problems, new, gone, time.monotonic() - start)
    for pattern, kind in sorted(gone):
        print(f"crawl: KNOWN problem no longer seen, remove it: {pattern!r} {kind!r}")
    assert not new, "new problems (see test-artifacts/crawl-report.md):\n" + "\n".join(
        f"  {role} {width}px {pattern} {kind} {detail}"
        for role, width, pattern, kind, detail in sorted(problems)
        if (pattern, kind) in new
    )
    short = {role: len(paths) for role, paths in visited.items() if len(paths) < MIN_PAGES_PER_ROLE}
    assert not short, f"roles that reached too few pages: {short}"
    assert page.csp_violations == []
