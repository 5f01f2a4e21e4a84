"""What a scope line offers and under which qualification (MATCH-1, MATCH-3).

Pure functions on plain values, so the importer, onboarding, the search index and the data
migration that tied existing lines to their qualifications all decide the same way."""

import functools
import re
from collections.abc import Sequence
from typing import Protocol

# The qualification types that authorise lines of a category, best first. Categories not listed
# (standardisation, IP, quality management consulting) need no licence: their lines stand alone.
AUTHORISING: dict[str, tuple[str, ...]] = {
    "metrology": ("LEGAL_METROLOGY", "CNAS", "OTHER"),
    "testing": ("CMA", "CNAS", "OTHER"),
    "special_equipment": ("SE_INSPECTION", "CMA", "OTHER"),
    "certification": ("CNCA", "OTHER"),
    "pharma": ("CMA", "CNAS", "OTHER"),
}

# Words in a line's own text name its verb; 检验 and 检测 are one service.
VERB_WORDS: dict[str, str] = {
    "检定": "verification",
    "校准": "calibration",
    "认证": "certification",
    "贯标": "certification",
    "检测": "testing",
    "检验": "testing",
    "测定": "testing",
    "试验": "testing",
}
_VERB_PATTERN = re.compile("|".join(VERB_WORDS))
_BY_STANDARD = {"jjg": "verification", "jjf": "calibration"}
_STANDARD_PREFIX = re.compile(r"(?<![a-z])(jjg|jjf)\s*\d", re.IGNORECASE)
_BY_QUALIFICATION = {
    "LEGAL_METROLOGY": "verification",
    "CNCA": "certification",
    "CMA": "testing",
    "SE_INSPECTION": "testing",
}
_BY_CATEGORY = {
    "metrology": "calibration",
    "testing": "testing",
    "special_equipment": "testing",
    "pharma": "testing",
    "certification": "certification",
}


def line_verbs(
    text: str,
    category: str,
    qualification_type: str = "",
    explicit: str = "",
    *,
    implied: bool = True,
) -> set[str]:
    """The services a line offers: as declared, else as its text or standard says, else as its
    qualification and category imply. A line 'JJG 52 检定/校准' offers both, and so does any
    verification line: who may verify an instrument against its regulation can calibrate it,
    while a calibration lab may not verify (MATCH-1)."""
    verbs = set(_line_verbs(text, category, qualification_type, explicit))
    if implied and "verification" in verbs:
        verbs.add("calibration")
    return verbs


@functools.lru_cache(maxsize=65536)  # lines are read again query after query
def _line_verbs(text: str, category: str, qualification_type: str, explicit: str) -> frozenset[str]:
    return frozenset(_verbs_of(text, category, qualification_type, explicit))


def _verbs_of(text: str, category: str, qualification_type: str, explicit: str) -> set[str]:
    if explicit:
        return {explicit}
    named = {VERB_WORDS[m] for m in _VERB_PATTERN.findall(text)}
    if named:
        return named
    standard = _STANDARD_PREFIX.search(text)
    if standard:
        return {_BY_STANDARD[standard.group(1).lower()]}
    if qualification_type == "CNAS":
        return {"calibration" if category == "metrology" else "testing"}
    if qualification_type in _BY_QUALIFICATION:
        return {_BY_QUALIFICATION[qualification_type]}
    return {_BY_CATEGORY.get(category, "other")}


class _Qualification(Protocol):
    pk: int
    type: str


def authorising(category: str, qualifications: Sequence[_Qualification]) -> _Qualification | None:
    """The qualification a line of this category stands under: the first of the best type; None
    when the category needs no licence or the institution holds none that fits."""
    for wanted in AUTHORISING.get(category, ()):
        for qualification in qualifications:
            if qualification.type == wanted:
                return qualification
    return None


def needs_qualification(category: str) -> bool:
    return category in AUTHORISING
