"""Issue 14: search and recommendation read Chinese as enterprises type it — compound words
without spaces, demand prose with a place in it, the verb (检定 ≠ 校准 ≠ 检测 ≠ 认证), validity
per scope line, synonyms, typos and pinyin. Every example is driven through the page, the API
and the command, on both engines (make test runs this file on SQLite and PostgreSQL)."""

import datetime as dt
import io
import json
import re

import pytest
from django.core.management import call_command
from django.utils import timezone

from qihub.accounts.models import MemberKind, Organisation, Role
from qihub.core.testing import VerifiedUserFactory, uscc
from qihub.institutions.index import reindex
from qihub.institutions.models import Qualification, ScopeLine

LAPSED = dt.date(2020, 1, 1)
VALID = dt.date(2031, 12, 31)

# name, region, [(qualification type, valid until, [(category, object, parameter, standard)])]
INSTITUTIONS = [
    (
        "常州市计量测试技术研究院",
        "320402",
        [
            (
                "LEGAL_METROLOGY",
                VALID,
                [
                    ("metrology", "体温计", "示值误差", "JJG 111-2019"),
                    ("metrology", "电能表", "基本误差", "JJG 596-2012"),
                    ("metrology", "出租汽车计价器", "计程误差", "JJG 517-2016"),
                    ("metrology", "电子汽车衡", "称量误差", "JJG 539-2016"),
                ],
            )
        ],
    ),
    (
        "无锡市计量测试院",
        "320211",
        [
            (
                "LEGAL_METROLOGY",
                VALID,
                [
                    ("metrology", "体温计", "示值误差", "JJG 111-2019"),
                    ("metrology", "电能表", "基本误差", "JJG 596-2012"),
                ],
            )
        ],
    ),
    (
        "常州精测仪器校准有限公司",  # calibrates thermometers, never verifies them
        "320402",
        [("CNAS", VALID, [("metrology", "体温计", "示值误差", "JJF 1908-2021")])],
    ),
    (
        "常州医疗器械检测所",  # tests electronic thermometers' performance
        "320411",
        [("CMA", VALID, [("testing", "医用电子体温计", "性能要求", "GB/T 21416-2008")])],
    ),
    (
        "宜兴家具质量检验所",
        "320282",
        [
            (
                "CMA",
                VALID,
                [
                    ("testing", "家具", "甲醛释放量", "GB 18580-2017"),
                    ("testing", "饮料", "菌落总数", "GB 4789.2-2022"),
                    ("testing", "安全帽", "冲击吸收性能", "GB/T 2812-2006"),
                    ("testing", "大米", "铅", "GB 5009.12-2023"),
                    ("testing", "大米", "镉", "GB 5009.15-2023"),
                ],
            )
        ],
    ),
    (
        "常州电能表厂质量检测中心",  # its name says 电能表, its scope is textiles
        "320402",
        [("CMA", VALID, [("testing", "纺织品", "甲醛含量", "GB/T 2912.1-2009")])],
    ),
    (
        "江苏华信认证有限公司",  # CNCA valid; its testing lab's CMA lapsed
        "320102",
        [
            (
                "CNCA",
                VALID,
                [
                    ("certification", "环境管理体系", "认证", "GB/T 24001-2016/ISO 14001:2015"),
                    ("certification", "知识产权管理体系", "认证", "GB/T 29490-2023"),
                    ("certification", "两化融合管理体系", "评定", "GB/T 23001-2017"),
                    ("certification", "大米", "产品认证", ""),
                ],
            ),
            ("CMA", LAPSED, [("testing", "大米", "铅", "GB 5009.12-2023")]),
        ],
    ),
    (
        "江苏省特种设备安全监督检验研究院常州分院",
        "320402",
        [("SE_INSPECTION", VALID, [("special_equipment", "桥式起重机", "定期检验", "TSG Q7015")])],
    ),
]


@pytest.fixture
def labs(db):
    made = {}
    for name, region, qualifications in INSTITUTIONS:
        account = VerifiedUserFactory(role=Role.INSTITUTION, display_name=name)
        organisation = Organisation.objects.create(
            account=account,
            kind=MemberKind.INSTITUTION,
            name=name,
            uscc=uscc(prefix="12320211MB"),
            region=region,
            address="江苏",
            legal_representative="甲",
            contact_name="乙",
            categories=["metrology", "testing"],
        )
        for number, (kind, until, lines) in enumerate(qualifications):
            qualification = Qualification.objects.create(
                organisation=organisation,
                type=kind,
                number=f"{kind}-{organisation.pk}-{number}",
                valid_until=until,
            )
            for category, obj, parameter, standard in lines:
                ScopeLine.objects.create(
                    organisation=organisation,
                    qualification=qualification,
                    category=category,
                    object=obj,
                    parameter=parameter,
                    standard=standard,
                )
        reindex(organisation)
        made[name] = organisation
    return made


def by_page(client, q: str, **filters: str) -> list[str]:
    page = client.get("/search/", {"q": q, **filters}).content.decode()
    return re.findall(r'data-testid="hit-name">([^<]+)</a>', page)


def by_api(client, q: str, **filters: str) -> list[str]:
    response = client.get("/api/v1/institutions", {"q": q, **filters})
    assert response.status_code == 200, response.content
    return [row["name"] for row in response.json()]


def by_command(client, q: str, **filters: str) -> list[str]:
    out = io.StringIO()
    flags = [f"--{k}={v}" for k, v in filters.items()]
    call_command("search", q, "--json", *flags, stdout=out)
    return [row["name"] for row in json.loads(out.getvalue())]


INTERFACES = pytest.mark.parametrize(
    "found", [by_page, by_api, by_command], ids=lambda f: f.__name__
)


@pytest.mark.req("MATCH-1")
@INTERFACES
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("电能表检定", ["常州市计量测试技术研究院", "无锡市计量测试院"]),
        ("家具甲醛", ["宜兴家具质量检验所"]),
        ("饮料菌落总数", ["宜兴家具质量检验所"]),
        ("安全帽冲击吸收", ["宜兴家具质量检验所"]),
        ("甲醛家具", ["宜兴家具质量检验所"]),  # the words in any order
        ("家具 甲醛", ["宜兴家具质量检验所"]),  # spaced, as before
    ],
)
def test_compound_queries_typed_without_spaces_find_the_institutions(
    client, labs, found, query, expected
):
    assert sorted(found(client, query)) == sorted(expected)


@pytest.mark.req("MATCH-1")
@INTERFACES
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # 检定 is legal verification: not the calibration lab, not the device-testing lab.
        ("体温计检定", ["常州市计量测试技术研究院", "无锡市计量测试院"]),
        ("体温计 检测", ["常州医疗器械检测所"]),
        ("大米认证", ["江苏华信认证有限公司"]),
        ("大米 铅 检测", ["宜兴家具质量检验所"]),  # the lapsed CMA line is not offered
    ],
)
def test_the_verb_and_the_validity_of_each_line_decide(client, labs, found, query, expected):
    assert sorted(found(client, query)) == sorted(expected)


@pytest.mark.req("MATCH-1")
@INTERFACES
def test_calibration_finds_calibration_labs_first_then_who_may_verify(client, labs, found):
    # A verification body may calibrate; a calibration lab may not verify.
    assert found(client, "体温计校准") == [
        "常州精测仪器校准有限公司",
        "常州市计量测试技术研究院",
        "无锡市计量测试院",
    ]


@pytest.mark.req("MATCH-1")
@INTERFACES
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("ISO 14001", ["江苏华信认证有限公司"]),
        ("知识产权管理体系贯标", ["江苏华信认证有限公司"]),
        ("贯标", ["江苏华信认证有限公司"]),  # synonym of 知识产权管理体系
        ("两化融合", ["江苏华信认证有限公司"]),
        ("地磅检定", ["常州市计量测试技术研究院"]),  # 地磅 = 电子汽车衡
        ("计价器", ["常州市计量测试技术研究院"]),  # = 出租汽车计价器
        ("行车 定期检验", ["江苏省特种设备安全监督检验研究院常州分院"]),  # = 桥式起重机
        ("JJG596", ["常州市计量测试技术研究院", "无锡市计量测试院"]),
    ],
)
def test_management_systems_synonyms_and_loose_standard_numbers_are_found(
    client, labs, found, query, expected
):
    assert sorted(found(client, query)) == sorted(expected)


@pytest.mark.req("MATCH-1")
@INTERFACES
def test_a_place_named_in_the_query_filters_like_the_region_filter(client, labs, found):
    assert found(client, "常州 体温计检定") == ["常州市计量测试技术研究院"]
    assert found(client, "在宜兴 家具甲醛") == ["宜兴家具质量检验所"]
    assert found(client, "体温计检定", region="320281") == ["无锡市计量测试院"]  # 江阴 → 无锡市


@pytest.mark.req("MATCH-1")
def test_a_division_code_typed_into_the_box_is_a_region_and_widening_is_said(client, labs):
    page = client.get("/search/", {"q": "电能表检定", "region": "320281"}).content.decode()

    assert "江苏省无锡市江阴市暂无符合条件的机构，已扩大到江苏省无锡市" in page
    assert by_page(client, "320282") == ["宜兴家具质量检验所"]


@pytest.mark.req("MATCH-1")
@INTERFACES
def test_a_name_that_contains_the_word_ranks_after_real_capability(client, labs, found):
    names = found(client, "电能表")

    assert names[-1] == "常州电能表厂质量检测中心"
    assert set(names[:2]) == {"常州市计量测试技术研究院", "无锡市计量测试院"}
    assert "常州电能表厂质量检测中心" not in found(client, "电能表检定")


@pytest.mark.req("MATCH-1")
@pytest.mark.parametrize(
    ("typed", "meant"),
    [("计最", "计量"), ("jiliang", "计量"), ("dianbiao", "电表"), ("体温记", "体温计")],
)
def test_a_typo_or_pinyin_gets_a_did_you_mean(client, labs, typed, meant):
    page = client.get("/search/", {"q": typed}).content.decode()

    assert "您是不是要找" in page
    suggested = re.search(r'data-testid="did-you-mean">(.*?)</p>', page, re.S).group(1)
    assert f">{meant}</a>" in suggested


@pytest.mark.req("MATCH-1")
def test_prose_typed_into_the_box_finds_what_it_is_about_and_says_what_it_ignored(client, labs):
    page = client.get(
        "/search/", {"q": "我们医院新买了一批体温计，要先检定才能用，常州本地"}
    ).content.decode()

    assert by_page(client, "我们医院新买了一批体温计，要先检定才能用，常州本地") == [
        "常州市计量测试技术研究院"
    ]
    assert "已按地区“江苏省常州市”查找" in page


def recommended(text: str, **options: str) -> list[str]:
    out = io.StringIO()
    flags = [f"--{k}={v}" for k, v in options.items()]
    call_command("recommend", "--text", text, "--json", *flags, stdout=out)
    return [row["name"] for row in json.loads(out.getvalue())]


@pytest.mark.req("DEM-4")
@pytest.mark.req("DEM-5")
def test_a_prose_demand_is_read_as_needs_with_its_place(labs):
    names = recommended("我们医院新买了一批体温计，要先检定才能用，常州本地")

    # Legal verification in 常州 only: not the calibration lab, not the device-testing lab,
    # not the Wuxi institute while 常州 has one.
    assert names == ["常州市计量测试技术研究院"]


@pytest.mark.req("DEM-4")
def test_food_heavy_metals_prose_brings_food_testing_not_certification(labs):
    names = recommended("我们是一家大米加工厂，想检测大米里的重金属（铅、镉）含量")

    assert names == ["宜兴家具质量检验所"]


@pytest.mark.req("DEM-4")
def test_a_management_system_demand_finds_the_certification_body(labs):
    assert recommended("客户要求我们通过ISO 14001环境管理体系认证") == ["江苏华信认证有限公司"]
    assert recommended("企业想做知识产权管理体系贯标") == ["江苏华信认证有限公司"]
    assert recommended("申报智能制造需要两化融合管理体系评定") == ["江苏华信认证有限公司"]


@pytest.mark.req("DEM-4")
def test_a_calibration_only_lab_never_answers_a_verification_demand(labs):
    verify = recommended("体温计需要强制检定")
    calibrate = recommended("体温计只要校准，不用检定")

    assert "常州精测仪器校准有限公司" not in verify and "常州医疗器械检测所" not in verify
    assert calibrate[0] == "常州精测仪器校准有限公司" and "常州医疗器械检测所" not in calibrate


@pytest.mark.req("DEM-5")
def test_the_reasons_say_which_line_meets_which_need(labs):
    out = io.StringIO()
    call_command("recommend", "--text", "常州的出租车计价器要年度检定", "--json", stdout=out)
    row = json.loads(out.getvalue())[0]

    assert row["name"] == "常州市计量测试技术研究院"
    assert any(
        r.startswith("计价器（检定）：能力范围 出租汽车计价器 ｜ 计程误差") for r in row["reasons"]
    ), row["reasons"]


@pytest.mark.req("DEM-6")
def test_nobody_fits_is_said_plainly_and_staff_are_offered_the_referral(client_as, labs, operator):
    client = VerifiedUserFactory(role=Role.ENTERPRISE, display_name="某企业")
    Organisation.objects.create(
        account=client,
        kind=MemberKind.ENTERPRISE,
        name="无锡某机械有限公司",
        uscc=uscc(prefix="91320211MA"),
        address="无锡",
        legal_representative="甲",
        contact_name="乙",
        region="320211",
    )
    response = client_as(client).post(
        "/demands/new/",
        {
            "category": "metrology",
            "title": "体温计校准",
            "description": "医院的体温计需要检定，只要无锡的机构",
            "product": "体温计",
            "standard": "",
            "region": "320211",
        },
    )
    assert response.status_code == 302
    number = response["Location"].strip("/").split("/")[-1]
    page = client_as(operator).get(f"/demands/{number}/").content.decode()
    assert "对象/产品：体温计" in page and "服务方式：检定" in page
    assert "无锡市计量测试院" in page  # 无锡 has a legal-metrology institute

    nobody = client_as(client).post(
        "/demands/new/",
        {
            "category": "testing",
            "title": "锂电池过充检测",
            "description": "锂电池需要做过充电检测",
            "product": "锂电池",
            "standard": "",
            "region": "320211",
            "wished_by": (timezone.localdate() + dt.timedelta(days=30)).isoformat(),
        },
    )
    number = nobody["Location"].strip("/").split("/")[-1]
    page = client_as(operator).get(f"/demands/{number}/").content.decode()
    assert 'data-testid="nobody-fits"' in page and "平台外转介" in page
    assert 'data-testid="recommended"' not in page
