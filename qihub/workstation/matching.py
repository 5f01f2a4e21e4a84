"""The matching page's search (BIO-8): "which alliance members make X", "which hospitals do Y".
The question is understood by the institutions' query parser (ADR 0011: jieba words, scope
vocabulary, synonyms), so the directories and the institution search read a question alike."""

from dataclasses import dataclass

from qihub.institutions.query import parse
from qihub.institutions.tokens import normalise
from qihub.workstation.models import AllianceMember, Hospital, Talent


@dataclass
class Matches:
    words: list[str]
    members: list[AllianceMember]
    hospitals: list[Hospital]
    talents: list[Talent]

    @property
    def empty(self) -> bool:
        return not (self.members or self.hospitals or self.talents)


# Words that only say which directory the question is about, not what to find in it.
DIRECTORY_WORDS = {
    "医院",
    "联盟",
    "成员",
    "企业",
    "人才",
    "专家",
    "哪些",
    "哪家",
    "生产",
    "提供",
    "做",
}


def _hits(text: str, groups: list[tuple[str, ...]]) -> bool:
    """Every word of the question (any of its synonyms) appears in the text."""
    plain = normalise(text)
    return all(any(alt in plain for alt in group) for group in groups)


def match(question: str) -> Matches:
    parsed = parse(question)
    groups = [w.alternatives or (normalise(w.text),) for w in parsed.words]
    groups = [g for g in groups if not set(g) & DIRECTORY_WORDS]
    words = [w.text for w in parsed.words if not set(w.alternatives) & DIRECTORY_WORDS]
    if not groups:
        return Matches(words, [], [], [])
    return Matches(
        words,
        [m for m in AllianceMember.objects.all() if _hits(f"{m.organisation}\n{m.offers}", groups)],
        [h for h in Hospital.objects.all() if _hits(f"{h.name}\n{h.specialties}", groups)],
        [t for t in Talent.objects.all() if _hits(f"{t.field}\n{t.title}", groups)],
    )
