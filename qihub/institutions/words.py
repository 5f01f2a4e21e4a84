"""The word lists query reading uses: the verbs a user names, what negates them, who the
enterprise says it is, the stop-words of demand prose, generic words that are no need, and what
trails a product's name. Kept apart from the reading itself (`query.py`) so they can grow."""

import re

from qihub.catalog.models import Category

# Verbs as a user names them; 检验 and 检测 are one service (检验检测). 贯标 stays a word: it is
# the synonym of 知识产权管理体系, which certification lines carry.
QUERY_VERBS = {
    "检定": "verification",
    "强检": "verification",
    "强制检定": "verification",
    "校准": "calibration",
    "检测": "testing",
    "检验": "testing",
    "检验检测": "testing",
    "抽检": "testing",
    "认证": "certification",
    "试验": "testing",
    "测试": "testing",
    "测定": "testing",
    "评定": "certification",
}
# "校准而不是检定", "不用检定": a verb after these is what the enterprise does not want.
NEGATIONS = {"不是", "不用", "不要", "而非", "无需", "不需要", "不必", "非"}
# A word before these describes the enterprise (建筑公司, 软件企业), not what it needs; a word
# before 厂 names what the factory makes (电缆厂), which usually is what it needs.
SELF_DESCRIBED_BY = {"公司", "企业", "单位", "工地", "医院", "养殖场", "门店", "集团", "院"}
VERB_CATEGORY = {
    "verification": Category.METROLOGY,
    "calibration": Category.METROLOGY,
    "certification": Category.CERTIFICATION,
}

# Words of demand prose that say who asks, how much or when, never what is needed.
STOP_WORDS = set(
    """
    我 我们 我司 我公司 本公司 我厂 本厂 我单位 本单位 公司 企业 单位 工厂 厂里 车间 医院 药店 学校
    小区 门店 商场 超市 实验室 机构 平台 贵 贵单位 你们 有 没有 是 的 了 在 和 与 及 或 等 对 给 把 被
    从 向 按 按照 依据 根据 用 使用 要 需 需要 需求 想 想要 希望 请 请问 麻烦 帮 帮忙 帮助 找 寻找 一下
    一批 一台 一些 这批 这些 那些 新 新买 买 购买 采购 刚 刚买 先 才 才能 能 可以 可 能否 是否 哪里
    哪家 哪个 什么 怎么 如何 多少 本地 当地 附近 就近 周边 所在 地区 做 进行 开展 办理 申请 提供 出具
    报告 证书 证明 资质 服务 业务 项目 产品 年度 每年 定期 到期 过期 马上 尽快 急 加急 共 共计 合计
    总共 台 块 个 件 批 套 只 支 把 次 家 份 月 年 天 日 还 也 都 又 再 就 但 但是 因为 所以 如果 已经
    之前 以后 之后 后 前 时 时候 中 里 内 上 下 我们的 他们 对方 客户 合作 一家 第三方 相关 以及 并
    并且 同时 及时 cma cnas cnca 报价 价格 费用 收费 多久 周期 时间 联系 电话 问 问题 吗 呢 吧 啊
    """.split()
)

STOP_WORDS |= set(
    """
    厂 最好 法定计量 计量机构 法定计量机构 检测机构 认证机构 校准机构 检验机构 几台 几块 几个 主要 质检 质检部
    不用 就行 一次 每年 每次 上门 现场 厂家 生产厂家 诊所 社区 卫生 服务中心 园区 市区 市内 区内 县里 不限
    """.split()
)

PUNCTUATION = re.compile(
    r"[\s，。、；：！？,.;:!?（）()《》<>\"'“”‘’【】\[\]{}|/\\~～…—\-+*#@&=_]+"
)
# "二十台", "几块", "3 台": how many, never what.
COUNTED = re.compile(
    r"^[0-9.一二三四五六七八九十百千万几两数多]+[台块个件批套只支次家份辆具根张]?$"
)
# Words that name the kind of help or a property every product has: a search may use them, but
# in a demand they are not needs a scope line must meet (法定计量机构, 产品质量, 性能要求).
GENERIC = set(
    """
    计量 检验检测 认证认可 标准化 质量 控制 安全 要求 性能 检查 项目 管理 技术 内部 设备 仪器 器具 仪表
    含量 智能 用电 纠纷 指标 参数 数据 结果 咨询 辅导
    法定 机构 合格 符合 标准 规范 方法 出口 进口 国家 行业 型式 注册 上市 销售 生产 新产品 第三方
    """.split()
)

# A product's factory, a quantity of it: the product is what is needed (家具厂 → 家具,
# 甲醛含量 → 甲醛 when the vocabulary has no 甲醛含量).
TRAILING = ("加工厂", "生产厂", "厂家", "厂", "含量", "浓度")
