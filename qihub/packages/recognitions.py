"""The default recognitions (认可用途) the platform starts with; operators keep the list afterwards
in the back office. Loaded by the app's data migration."""

DEFAULTS: list[tuple[str, str, str]] = [
    (
        "强制性产品认证（CCC）",
        "强制性认证",
        "按 CCC 实施规则的型式试验，由指定实验室依据相应国家标准（如 GB 4943.1、GB 4706.1、"
        "GB/T 17625.1、GB/T 9254）出具的检测报告",
    ),
    (
        "CQC 自愿性产品认证",
        "自愿性认证",
        "CQC 认证规则规定的型式试验：安全、电磁兼容、节能等项目，接受与 CCC 型式试验同一标准的检测结果",
    ),
    (
        "节能产品认证",
        "自愿性认证",
        "依据相应能效国家标准（如 GB 21456、GB 12021 系列）的能效检测报告",
    ),
    (
        "出口欧盟（CE）",
        "出口市场",
        "依据欧盟协调标准（如 EN 62368-1、EN 60335-1、EN 55032、EN 61000-3-2）的检测报告；"
        "与对应国家标准等同采用国际标准的项目可一次检测、两地使用",
    ),
    (
        "出口北美（UL/FCC）",
        "出口市场",
        "依据 UL 62368-1、FCC 第 15 部分等的检测报告，接受 CB 体系下的检测结果",
    ),
    (
        "IECEE CB 体系",
        "国际互认",
        "依据 IEC 国际标准（如 IEC 62368-1、IEC 60335-1）由 CB 实验室出具的 CB 测试报告",
    ),
    (
        "政府采购与招投标",
        "市场准入",
        "具备 CMA 资质的检验检测机构依据产品标准出具的检验报告",
    ),
]
