"""Demo data of the clinic: three experts and a few questions, one published to the library."""

from django.utils import timezone

from qihub.accounts.models import Role, User

EXPERTS = [
    ("demo_expert", "李工", "正高级工程师", ["metrology", "testing"], "电能表 压力表 检定 校准"),
    ("demo_expert2", "王工", "高级工程师", ["testing", "certification"], "甲醛 家具 CCC 认证"),
    (
        "demo_expert3",
        "陈老师",
        "研究员",
        ["standardization", "ip", "quality_management"],
        "标准 专利 商标",
    ),
]


def furnish() -> None:
    """Once: the pool and the questions (nothing is added when the pool is not empty)."""
    from qihub.clinic import workflow
    from qihub.clinic.models import Expert

    if Expert.objects.exists():
        return
    operator = User.objects.filter(username="demo_operator").first()
    asker = User.objects.filter(username="demo_enterprise").first()
    if operator is None or asker is None:
        return
    experts = {}
    for username, name, title, fields, keywords in EXPERTS:
        user = User.objects.filter(username=username).first() or User.objects.create_user(
            username=username,
            password=None,
            role=Role.EXPERT,
            display_name=f"【演示】{name}",
            email=f"{username}@demo.invalid",
            is_demo=True,
            verified_at=timezone.now(),
        )
        experts[username] = Expert.objects.create(
            user=user,
            name=name,
            title=title,
            fields=fields,
            keywords=keywords,
            region="320200",
            enrolled_by=operator,
        )
    answered = workflow.ask(
        by=asker,
        field="metrology",
        title="贸易结算用电能表是否必须检定",
        question="我公司新购一批电能表用于向租户收取电费，是否必须强制检定？",
        region="320211",
    )
    answered = workflow.answer(
        answered,
        by=answered.expert.user,
        version=answered.version,
        text="用于贸易结算的电能表属于强制检定的工作计量器具，须向法定计量检定机构申请首次检定后使用。",
        needs_test=True,
    )
    answered = workflow.rate(answered, by=asker, version=answered.version, rating=5, note="清楚")
    workflow.publish(answered, by=operator, version=answered.version)
    waiting = workflow.ask(
        by=asker,
        field="testing",
        title="办公家具甲醛检测依据哪个标准",
        question="新采购的办公家具需要做甲醛释放量检测，应依据什么标准？",
        region="320211",
    )
    workflow.ask_back(
        waiting, by=waiting.expert.user, version=waiting.version, text="家具是人造板材质还是实木？"
    )
    workflow.ask(
        by=asker,
        field="standardization",
        title="企业标准如何自我声明",
        question="我们想发布企业标准，自我声明公开需要哪些步骤？",
        region="320211",
    )
