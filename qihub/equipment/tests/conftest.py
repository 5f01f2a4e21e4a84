import datetime as dt
import io

import pytest
from openpyxl import Workbook

from qihub.accounts.models import Role
from qihub.core.testing import OrganisationFactory, VerifiedUserFactory
from qihub.equipment.import_excel import HEADERS


@pytest.fixture
def company(db):
    """A verified enterprise in Wuxi's Binhu district (320211) with its organisation."""
    account = VerifiedUserFactory(role=Role.ENTERPRISE, username="ledger_company")
    OrganisationFactory(account=account, name="无锡台账示例有限公司", region="320211")
    return account


def workbook(rows: list[list], headers: list[str] = HEADERS) -> io.BytesIO:
    book = Workbook()
    sheet = book.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    out.name = "台账.xlsx"
    return out


def row(
    name: str = "压力表",
    serial: str = "YB001",
    kind: str = "检定",
    cycle: int | str = 6,
    last: object = dt.date(2026, 1, 15),
    due: object = "",
    compulsory: str = "是",
) -> list:
    return [
        name,
        "Y-100",
        serial,
        "0～1.6 MPa",
        "1.6级",
        "锅炉房",
        "张三",
        compulsory,
        kind,
        cycle,
        last,
        due,
    ]
