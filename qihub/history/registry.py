"""Which model keeps its past how (ARC-2, ADR 0014).

Every model of the project is in exactly one of these places; `tests/test_every_model.py`
walks `apps.get_models()` and fails on a model that is in none of them:

- `TRACKED`: master data edited in place; django-simple-history keeps each old version with who
  and when (the history tables live in this app, so one migration holds them all).
- a workflow record (`core.workflow.Workflow.model`) or an `core.models.Event` subclass: every
  change goes through a step that appends one event with its before/after values.
- `APPEND_ONLY`: rows that are written once and never edited (logs, readings, answers).
- `NOT_HISTORY`: neither master data nor a case: machinery, with the reason.
"""

TRACKED: tuple[str, ...] = (
    # the platform and its catalogue
    "catalog.PlatformInfo",
    "catalog.ServiceItem",
    # organisations, institutions and what they publish
    "accounts.Station",
    "accounts.Organisation",
    "accounts.User",
    "institutions.Qualification",
    "institutions.ScopeLine",
    "institutions.InstitutionService",
    "institutions.Synonym",
    # experts, stations and their parts
    "clinic.Expert",
    "stations.Profile",
    "stations.Period",
    "stations.Membership",
    "stations.Area",
    "stations.UpkeepItem",
    "complaints.ComplaintType",
    "bookings.Resource",
    "bookings.WeeklyHour",
    "flows.FlowTemplate",
    "flows.FlowStep",
    "standards.Standard",
    "standards.Watch",
    "equipment.Item",
    "equipment.Schedule",
    "equipment.Certificate",
    "instruments.Instrument",
    "instruments.InstrumentPermit",
    "opening.Laboratory",
    "opening.OpenResult",
    "guidance.EnterpriseStandard",
    "guidance.DeclarationWindow",
    "workstation.Town",
    "workstation.IndustryFigure",
    "workstation.Hospital",
    "workstation.Talent",
    "workstation.AllianceMember",
    "workcal.CalendarYear",
    "workcal.CalendarException",
    "training.TrainingRecord",
    "packages.Recognition",
    "bulletins.Policy",
    "bulletins.Alert",
    "bulletins.AlertSubscription",
    "finance.FinanceProduct",
    "pooling.BatchMember",
    "packages.PackageLine",
    "training.TrainingEvent",
    "training.Qualification",
    "evaluations.Campaign",
    "filing.RetentionRule",
)

# Written once, never edited: the row is its own history.
APPEND_ONLY: dict[str, str] = {
    "archive.ArchiveRead": "档案访问记录，只追加",
    "bulletins.DefectEvidence": "报告人上传的证据，不改",
    "support.SupportScreenshot": "提交人上传的问题截图，不改",
    "packages.PackageEvaluation": "整体评价提交后不再修改",
    "training.PledgeVersion": "保密承诺书每一版是新的一行，旧版不改",
    "training.PledgeSignature": "签署记录，只追加",
    "core.AuditEvent": "审计日志，只追加",
    "deadlines.ClockEvent": "时限的事件记录，只追加",
    "deadlines.ClockPause": "暂停记录，随时限事件记录",
    "catalog.GuideVersion": "办事指南每次修订发布新版本，旧版本不改",
    "workstation.ManualVersion": "手册每次修订发布新版本，旧版本不改",
    "demands.ContactLog": "联系记录，只追加",
    "demands.ServiceChange": "服务变更记录，只追加",
    "demands.Recommendation": "每次推荐一条新记录",
    "demands.RecommendedInstitution": "推荐结果的明细，随推荐生成",
    "demands.OutsideReferral": "转外部机构的记录，只追加",
    "demands.Visit": "走访记录，只追加",
    "stations.UpkeepLog": "维护记录，只追加",
    "stations.Assessment": "年度考核结果，按年一条",
    "orders.ReportLine": "报告的检测结果，随报告签发，不改",
    "orders.Report": "已签发的报告带签名，不改",
    "orders.ReportCollection": "报告领取记录，只追加",
    "samples.Handover": "样品交接记录，只追加",
    "evaluations.CampaignResponse": "问卷答复，只追加",
    "evaluations.WindowCheck": "窗口检查结果，只追加",
    "biomed.ServiceRecord": "产品服务记录，只追加",
    "biomed.FollowUp": "跟踪回访记录，只追加",
    "biomed.DossierDocument": "申报资料每次上传一个新文件",
    "biomed.InspectionFinding": "模拟检查发现，只追加",
    "equipment.Warning": "预警记录，只追加",
    "equipment.SelfCheck": "自查记录，只追加",
    "equipment.Finding": "检查发现，只追加",
    "instruments.UseRecord": "仪器使用记录，只追加",
    "instruments.FeeSlip": "收费单，只追加",
    "diagnosis.Visit": "诊断走访记录，只追加",
    "diagnosis.Risk": "风险记录，只追加",
    "workstation.CoachingSession": "帮扶记录，只追加",
    "accounts.Document": "上传的文件不改，换文件是新记录",
    "accounts.Consent": "同意记录，只追加",
    "accounts.PersonIdentity": "实名核验结果，只追加",
    "notifications.DeliveredMessage": "已发出的消息，只追加",
    "institutions.SearchMiss": "未搜到的检索词，只计数",
    "ops.ServerError": "系统错误记录，只追加",
}

# Neither master data nor a case: kept out of history on purpose.
NOT_HISTORY: dict[str, str] = {
    "core.Counter": "编号计数器，只增",
    "institutions.SearchTerm": "检索索引，由机构资料重建",
    "institutions.SearchWord": "检索词表，由机构的能力范围重建",
    "institutions.ImportJob": "后台导入任务的进度",
    "standards.LoadJob": "后台导入任务的进度",
    "accounts.AppDevice": "登录设备的令牌",
    "accounts.HeldUpload": "表单出错时暂存的上传文件",
    "accounts.Caller": "无账户提出人的联系方式，随需求的事件记录",
    "onboarding.MobileChallenge": "短信验证码",
    "notifications.Notification": "站内消息，只改已读状态",
    "kiosk.QueueTicket": "取号排队，当日有效",
    "deadlines.Clock": "时限的每次开始、暂停、恢复和停止记入时限事件",
    "agency.AgencyStep": "代办步骤，只追加",
    "agency.EntrustedItem": "委托事项随委托书的流程办结，记入委托事件",
    "flows.RunStep": "流程步骤的勾选记入流程事件",
    "ops.Heartbeat": "定时任务最近运行时间，只覆盖",
}

# Third-party apps: framework tables, sessions and logs of their own.
NOT_HISTORY_APPS: dict[str, str] = {
    "admin": "后台操作日志，只追加",
    "auth": "权限由角色在代码中决定",
    "contenttypes": "框架的模型目录",
    "sessions": "会话",
    "axes": "登录尝试记录，只追加",
    "otp_totp": "第二因素设备密钥",
    "token_blacklist": "访问令牌记录",
    "huey": "后台任务队列",
    "djhuey": "后台任务队列",
    "history": "版本记录本身",
}
