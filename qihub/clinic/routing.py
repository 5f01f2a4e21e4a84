"""Which expert a question goes to (DEM-10, DEM-15; the rule is documented in docs/clinic.md).

1. Candidates: enrolled experts marked 可接单, active accounts, whose fields include the
   question's field and whose open consultations are below their own maximum.
2. Never an expert with a conflict of interest: one whose organisation is the institution the
   question is about, or who declared that institution as a conflict.
3. Among the rest, in order: the most words of the question (understood by the search's parser,
   `qihub.institutions.query.parse`, with its synonyms) found in the expert's specialities;
   then an expert serving the asker's region; then the fewest open consultations (load
   balance); then the longest enrolled.
"""

from dataclasses import dataclass

from django.db.models import Count, Q

from qihub.clinic.models import OPEN_STATUSES, Consultation, Expert
from qihub.demands.models import region_prefix
from qihub.institutions.query import parse
from qihub.institutions.tokens import normalise


@dataclass(frozen=True)
class Candidate:
    expert: Expert
    matched: int
    same_region: bool
    open_count: int

    @property
    def key(self) -> tuple[int, int, int, int]:
        return (-self.matched, 0 if self.same_region else 1, self.open_count, self.expert.pk)


def serves(expert: Expert, region: str) -> bool:
    """The expert's region covers the asker's (320000 covers 320214)."""
    return bool(region) and region.startswith(region_prefix(expert.region))


def candidates(consultation: Consultation, *, exclude: Expert | None = None) -> list[Candidate]:
    """Every expert the question may go to, best first."""
    experts = (
        Expert.objects.filter(available=True, user__is_active=True)
        .select_related("organisation")
        .prefetch_related("conflicts")
        .annotate(
            open_count=Count("consultations", filter=Q(consultations__status__in=OPEN_STATUSES))
        )
    )
    words = parse(f"{consultation.title} {consultation.question}").words
    found = []
    for expert in experts:
        if consultation.field not in expert.fields or expert.open_count >= expert.max_open:
            continue
        if exclude is not None and expert.pk == exclude.pk:
            continue
        institution = consultation.institution
        if institution is not None and (
            expert.organisation_id == institution.pk
            or any(c.pk == institution.pk for c in expert.conflicts.all())
        ):
            continue
        profile = normalise(f"{expert.keywords} {expert.field_labels}")
        matched = sum(1 for w in words if any(alt and alt in profile for alt in w.alternatives))
        found.append(
            Candidate(expert, matched, serves(expert, consultation.region), expert.open_count)
        )
    return sorted(found, key=lambda c: c.key)


def choose(consultation: Consultation) -> Expert | None:
    best = candidates(consultation)
    return best[0].expert if best else None
