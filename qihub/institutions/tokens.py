"""Search terms for Chinese text and standard numbers, the same for documents and queries.

- Chinese runs: every character ("c:计") and every pair of neighbours ("b:计量"); a one-character
  query looks up the character, a longer word needs all of its pairs.
- Standard numbers: "GB/T 19001-2016", "gb/t19001", "JJG 52" → "s:gbt19001" (and with the year
  "s:gbt19001-2016"), whatever the spacing, slash or case.
- Other ASCII words and numbers: "w:cma".
"""

import re
import unicodedata

CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
STANDARD = re.compile(
    # Bounded by non-ASCII-alphanumerics, not \b: Chinese characters count as word characters,
    # and "按GB/T 6111做" must still yield the number.
    r"(?<![a-z0-9])([a-z]{1,5})\s*/?\s*([tz])?\s*(\d{1,6}(?:\.\d+)*)(?:\s*[-—–]\s*(\d{4}))?(?![0-9])"
)
WORD = re.compile(r"[a-z0-9]+(?:[.\-][a-z0-9]+)*")


def normalise(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "").lower()


ISO_IEC = re.compile(r"iso\s*/\s*iec")
# National standards that adopt an international one identically (IDT): a line citing either
# is found by both numbers.
IDENTICAL = {
    "s:gbt19001": "s:iso9001",
    "s:gbt24001": "s:iso14001",
    "s:gbt45001": "s:iso45001",
    "s:gbt23331": "s:iso50001",
    "s:gbt22080": "s:iso27001",
    "s:gbt27025": "s:iso17025",
    "s:gbt19022": "s:iso10012",
    "s:gbt19011": "s:iso19011",
}
IDENTICAL |= {international: national for national, international in IDENTICAL.items()}


def _standard_terms(text: str, *, query: bool = False) -> tuple[set[str], str]:
    """A document's "GB/T 6111" is found by "GB/T 6111" and by a loosely typed "gb6111" (its
    term without the /T mark); a query's "GB/T 6111" wants the recommended standard only."""
    text = ISO_IEC.sub("iso", text)
    terms: set[str] = set()
    for prefix, kind, number, year in STANDARD.findall(text):
        base = f"s:{prefix}{kind}{number}"
        terms.add(base)
        if not query and len(prefix) > 1:
            terms.add(f"w:{prefix}")  # "ISO 认证" finds the ISO standards' lines
        if kind and not query:
            terms.add(f"s:{prefix}{number}")
        if base in IDENTICAL and not query:
            terms.add(IDENTICAL[base])
        if year:
            terms.add(f"{base}-{year}")
    return terms, STANDARD.sub(" ", text)


def document_terms(text: str) -> set[str]:
    text = normalise(text)
    terms, rest = _standard_terms(text)
    for run in CJK.findall(rest):
        terms.update(f"c:{ch}" for ch in run)
        terms.update(f"b:{run[i : i + 2]}" for i in range(len(run) - 1))
    terms.update(f"w:{word}" for word in WORD.findall(CJK.sub(" ", rest)))
    return {t for t in terms if len(t) <= 40}


def query_terms(text: str, *, covering: bool = False) -> set[str]:
    """The terms a document must all have to match the query. With `covering`, only enough
    pairs to cover every character of a word (挥发性有机化合物 → 挥发 性有 机化 合物): the index
    reads half the rows, and the full set is checked on the few lines shown."""
    text = normalise(text)
    terms, rest = _standard_terms(text, query=True)
    for run in CJK.findall(rest):
        if len(run) == 1:
            terms.add(f"c:{run}")
        else:
            starts = (
                set(range(0, len(run) - 1, 2)) | {len(run) - 2} if covering else range(len(run) - 1)
            )
            terms.update(f"b:{run[i : i + 2]}" for i in starts)
    terms.update(f"w:{word}" for word in WORD.findall(CJK.sub(" ", rest)))
    return {t for t in terms if len(t) <= 40}


# A standard number as a record key: the same whatever the spacing, slash, dash or case.
# Search's STANDARD pattern covers the "letters + digits" numbers of scope lines; a standards
# table also holds local (DB32/T), group (T/CAS) and enterprise (Q/…) numbers, so the key keeps
# every letter and digit of the number and splits off the year.
NUMBER_YEAR = re.compile(r"^(.*?\d(?:[\d.]*\d)?)(?:-(\d{4}|\d{2}))?$")
DASHES = re.compile(r"\s*[-—–－‐~～]+\s*")


def standard_key(text: str) -> tuple[str, str] | None:
    """("gbt19001", "2016") for "GB/T 19001-2016", "gbt19001—2016" or "GB／T19001-2016"; the
    year is "" when not written, and a two-digit year is a twentieth-century one (GB 1234-88).
    None when the text holds no number at all."""
    text = DASHES.sub("-", normalise(text).strip())
    text = re.sub(r"[\s/\\_]+", "", text)
    if not re.search(r"[a-z]", text) or not re.search(r"\d", text):
        return None
    match = NUMBER_YEAR.match(text)
    if match is None:
        return None
    base, year = match.group(1), match.group(2) or ""
    if len(year) == 2:
        year = "19" + year
    if not re.fullmatch(r"[a-z0-9.\-]+", base):
        return None
    return base, year
