"""Open demands grouped by similarity across enterprises (DEM-13).

The same search understanding as the similar-demand check (`demands.queries.similar_open_demand`,
`institutions.tokens.document_terms`, ADR 0011): each demand's wording (title, product and
standard; not the free description, which drowns the subject in general words) becomes its
two-character pairs, words and standard numbers. Two demands of the same service category are
similar when they share a standard number or enough of their wording (`similar`); groups are their connected
sets (single linkage), kept when they hold demands of at least two enterprises.
"""

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import QuerySet

from qihub.accounts.models import User
from qihub.demands.models import Demand, region_prefix
from qihub.demands.workflow import POOLABLE
from qihub.institutions.tokens import document_terms
from qihub.pooling.workflow import in_active_batch

# Two enterprises word the same test differently ("电线电缆 导体电阻检测", "电缆导体电阻检测"):
# the shorter wording must share at least half of its terms, and at least three terms, with
# the other (the one-client duplicate check asks 0.6 of the union, too strict across clients).
SIMILARITY = 0.5
MIN_SHARED = 3
# Pairs that say "a service is wanted" and nothing about which: they must not link demands.
GENERIC = frozenset(
    "b:" + pair for pair in ("检测", "检定", "测试", "校准", "认证", "服务", "需求", "检验", "申请")
)


@dataclass
class Group:
    demands: list[Demand] = field(default_factory=list)
    terms: Counter = field(default_factory=Counter)

    @property
    def enterprises(self) -> int:
        return len({d.client_id for d in self.demands})

    @property
    def label(self) -> str:
        """The title shared most: the group's name on the page and the batch's default name."""
        titles = Counter(d.title for d in self.demands)
        return titles.most_common(1)[0][0]

    @property
    def category_label(self) -> str:
        return self.demands[0].get_category_display()

    @property
    def key(self) -> str:
        return "-".join(d.number for d in self.demands)


def wording(demand: Demand) -> frozenset[str]:
    text = " ".join(filter(None, [demand.title, demand.product, demand.standard]))
    return frozenset(t for t in document_terms(text) if not t.startswith("c:") and t not in GENERIC)


def similar(a: frozenset[str], b: frozenset[str]) -> bool:
    if any(t.startswith("s:") for t in a & b):
        return True
    shared = len(a & b)
    return shared >= MIN_SHARED and shared / max(min(len(a), len(b)), 1) >= SIMILARITY


def poolable(user: User, *, category: str = "", region: str = "", words: str = "") -> QuerySet:
    """The open demands the user may pool: visible to them, not in service, not in a batch."""
    rows = (
        Demand.objects.visible_to(user)
        .filter(status__in=POOLABLE, client__isnull=False)
        .exclude(pk__in=Demand.objects.filter(in_active_batch()).values("pk"))
        .select_related("client", "client_organisation")
    )
    if category:
        rows = rows.filter(category=category)
    if region:
        rows = rows.filter(region__startswith=region_prefix(region))
    if words.strip():
        # The industry or product as the operator words it: a demand fits when it shares a
        # pair or a word of it (the enterprises carry no industry field of their own).
        wanted = {t for t in document_terms(words) if not t.startswith("c:")} - GENERIC
        keep = [d.pk for d in rows if wanted & wording(d)] if wanted else []
        rows = rows.filter(pk__in=keep)
    return rows


def groups(user: User, *, category: str = "", region: str = "", words: str = "") -> list[Group]:
    demands = list(poolable(user, category=category, region=region, words=words).order_by("pk"))
    terms = {d.pk: wording(d) for d in demands}
    parent = {d.pk: d.pk for d in demands}

    def root(pk: int) -> int:
        while parent[pk] != pk:
            parent[pk] = parent[parent[pk]]
            pk = parent[pk]
        return pk

    for i, a in enumerate(demands):
        for b in demands[i + 1 :]:
            if a.category == b.category and similar(terms[a.pk], terms[b.pk]):
                parent[root(b.pk)] = root(a.pk)
    found: dict[int, Group] = {}
    for demand in demands:
        group = found.setdefault(root(demand.pk), Group())
        group.demands.append(demand)
        group.terms.update(terms[demand.pk])
    kept = [g for g in found.values() if g.enterprises >= 2]
    return sorted(kept, key=lambda g: (-g.enterprises, g.label))
