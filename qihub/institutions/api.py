from django.http import HttpRequest
from ninja import Router

from qihub.institutions.workflow import listed_institutions

router = Router(tags=["技术机构"])


@router.get("/institutions", response=list[dict], summary="可检索的技术机构（资质有效、未注销）")
def institutions(request: HttpRequest) -> list[dict]:
    rows = listed_institutions().prefetch_related("qualifications").order_by("name")
    return [
        {
            "uscc": org.uscc,
            "name": org.name,
            "region": org.region,
            "qualifications": [
                {"type": q.type, "number": q.number, "valid_until": q.valid_until.isoformat()}
                for q in org.qualifications.all()
            ],
        }
        for org in rows
    ]
