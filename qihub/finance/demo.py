"""Demo finance products and one referral (OPS-5), added once."""

from qihub.accounts.models import User
from qihub.finance import workflow
from qihub.finance.models import FinanceProduct

PRODUCTS = [
    (
        "quality_loan",
        "质量信用贷",
        "某农村商业银行",
        "以企业质量信用、质量荣誉为依据发放的信用贷款，无需抵押。",
        "近三年无重大质量事故；通过质量管理体系认证或获得质量奖。",
        "最高 500 万元，期限 1 年",
    ),
    (
        "ip_pledge",
        "知识产权质押贷",
        "某银行科技支行",
        "以专利权、商标权出质获得贷款，评估费用可申请补贴。",
        "拥有有效发明专利或注册商标；权属清晰、无质押。",
        "最高 1000 万元，期限 1–3 年",
    ),
    (
        "insurance",
        "产品质量安全责任险",
        "某财产保险公司",
        "承保因产品缺陷造成第三者人身伤害或财产损失的赔偿责任。",
        "依法生产经营；产品有检验合格证明。",
        "保额 100–2000 万元",
    ),
]


def furnish() -> None:
    if FinanceProduct.objects.exists():
        return
    made = [
        FinanceProduct.objects.create(kind=k, name=n, provider=p, summary=s, conditions=c, terms=t)
        for k, n, p, s, c, t in PRODUCTS
    ]
    enterprise = User.objects.filter(username="demo_enterprise").first()
    if enterprise is not None:
        workflow.apply(
            made[0],
            by=enterprise,
            data={
                "amount": 200,
                "purpose": "购置检测设备、改造生产线",
                "contact_name": "张经理",
                "contact_phone": "0510-81234567",
            },
        )
