"""Generate the labelled search / recommendation evaluation set (deterministic, seeded).

    python bench/data/search_eval/generate.py

Writes `institutions.jsonl`, `queries.jsonl` and `demands.jsonl` beside this file. The
vocabulary (objects, parameters, real standard numbers, institution kinds, regions) is written
here by hand; which institution offers which lines is drawn with a fixed seed. Every label is
computed BY RULE from the structured data (see README.md here), never by running qihub's search.
Nothing here imports qihub or Django.
"""

import datetime as dt
import json
import random
import re
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
EVAL_DATE = dt.date(2026, 12, 1)
SEED = 20261201

# --------------------------------------------------------------------------------------------
# Regions (GB/T 2260)

CITIES = {
    "3204": "常州",
    "3202": "无锡",
    "3201": "南京",
    "3205": "苏州",
    "3301": "杭州",
    "3302": "宁波",
    "3101": "上海",
}
COUNTIES = {
    "320402": "天宁",
    "320404": "钟楼",
    "320411": "新北",
    "320412": "武进",
    "320413": "金坛",
    "320481": "溧阳",
    "320205": "锡山",
    "320206": "惠山",
    "320211": "滨湖",
    "320213": "梁溪",
    "320214": "新吴",
    "320281": "江阴",
    "320282": "宜兴",
    "320102": "玄武",
    "320104": "秦淮",
    "320105": "建邺",
    "320106": "鼓楼",
    "320113": "栖霞",
    "320115": "江宁",
    "320505": "虎丘",
    "320506": "吴中",
    "320507": "相城",
    "320508": "姑苏",
    "320581": "常熟",
    "320582": "张家港",
    "320583": "昆山",
    "330102": "上城",
    "330106": "西湖",
    "330212": "鄞州",
    "310104": "徐汇",
    "310112": "闵行",
    "310115": "浦东",
}
# Districts where most private labs sit (county-level cities get few): weights per city.
CITY_WEIGHTS = {"3204": 30, "3202": 30, "3201": 14, "3205": 14, "3301": 4, "3302": 3, "3101": 5}
PRIVATE_COUNTY_WEIGHTS = {
    "320402": 3,
    "320404": 3,
    "320411": 5,
    "320412": 5,
    "320413": 1,
    "320481": 1,
    "320205": 3,
    "320206": 4,
    "320211": 4,
    "320213": 3,
    "320214": 5,
    "320281": 2,
    "320282": 1,
}

# --------------------------------------------------------------------------------------------
# Scope vocabulary: (object, parameter, standard, explicit verb or "")

LEGAL = {  # legal metrology verification (JJG regulations), by group
    "medical": [
        ("玻璃体温计", "示值误差", "JJG 111-2019", ""),
        ("医用电子体温计", "示值误差", "JJG 1162-2019", ""),
        ("血压计", "示值误差", "JJG 270-2008", ""),
        ("血压计", "气密性", "JJG 270-2008", ""),
        ("电子血压计", "静态压力示值误差", "JJG 692-2010", "verification"),
        ("心电图机", "电压测量误差", "JJG 1041-2008", ""),
        ("焦度计", "顶焦度示值误差", "JJG 580-2005", ""),
    ],
    "trade": [
        ("电子计价秤", "称量", "JJG 539-2016", ""),
        ("电子汽车衡", "称量", "JJG 539-2016", ""),
        ("电子汽车衡", "偏载", "JJG 539-2016", "verification"),
        ("燃油加油机", "示值误差", "JJG 443-2023", ""),
        ("出租汽车计价器", "计程误差", "JJG 517-2016", ""),
        ("出租汽车计价器", "计时误差", "JJG 517-2016", ""),
        ("冷水水表", "示值误差", "JJG 162-2019", ""),
        ("膜式燃气表", "示值误差", "JJG 577-2012", ""),
        ("液化石油气加气机", "示值误差", "JJG 997-2015", ""),
        ("电动汽车交流充电桩", "电能示值误差", "JJG 1148-2022", ""),
    ],
    "safety": [
        ("一般压力表", "示值误差", "JJG 52-2013", ""),
        ("一般压力表", "回程误差", "JJG 52-2013", "verification"),
        ("轮胎压力表", "示值误差", "JJG 927-2013", ""),
        ("声级计", "频率计权", "JJG 188-2017", ""),
        ("呼出气体酒精含量检测仪", "示值误差", "JJG 657-2019", "verification"),
        ("机动车雷达测速仪", "测速误差", "JJG 528-2015", ""),
    ],
    "energy": [
        ("电子式交流电能表", "基本误差", "JJG 596-2012", ""),
        ("电子式交流电能表", "潜动", "JJG 596-2012", ""),
        ("电流互感器", "误差", "JJG 313-2010", ""),
    ],
    "lab": [
        ("电子天平", "称量误差", "JJG 1036-2022", ""),
        ("砝码", "质量", "JJG 99-2022", ""),
        ("酸度计", "示值误差", "JJG 119-2018", ""),
        ("拉力、压力和万能试验机", "示值误差", "JJG 139-2014", "verification"),
    ],
}
CAL = [  # CNAS calibration: JJF specifications, and JJG regulations cited for a calibration
    ("数字多用表", "直流电压", "JJF 1587-2016", ""),
    ("数字多用表", "电阻", "JJF 1587-2016", ""),
    ("廉金属热电偶", "热电动势", "JJF 1637-2017", ""),
    ("数字式温湿度计", "温度、湿度", "JJF 1076-2020", ""),
    ("环境试验设备", "温度偏差", "JJF 1101-2019", "calibration"),
    ("温度变送器", "示值误差", "JJF 1183-2007", ""),
    ("电子天平", "重复性", "JJF 1847-2020", ""),
    ("恒温槽", "温度波动度", "JJF 1030-2023", ""),
    ("温度数据采集仪", "示值误差", "JJF 1366-2012", ""),
    ("一般压力表", "示值误差", "JJG 52-2013", "calibration"),
    ("压力变送器", "示值误差", "JJG 882-2019", "calibration"),
    ("通用卡尺", "示值误差", "JJG 30-2012", "calibration"),
    ("外径千分尺", "示值误差", "JJG 21-2008", "calibration"),
    ("扭矩扳子", "示值误差", "JJG 707-2014", "calibration"),
    ("拉力、压力和万能试验机", "力值", "JJG 139-2014", "calibration"),
    ("电子天平", "称量误差", "JJG 1036-2022", "calibration"),
    ("声级计", "频率计权", "JJG 188-2017", "calibration"),
    ("酸度计", "示值误差", "JJG 119-2018", "calibration"),
]
TEST = {  # CMA testing families (category testing unless noted)
    "food": [
        ("大米", "铅", "GB 5009.12-2023", ""),
        ("大米", "镉", "GB 5009.15-2023", ""),
        ("蔬菜", "农药残留", "GB 23200.113-2018", ""),
        ("蔬菜", "铅", "GB 5009.12-2023", ""),
        ("茶叶", "农药残留", "GB 23200.113-2018", ""),
        ("食用植物油", "酸价", "GB 5009.229-2016", ""),
        ("食用植物油", "过氧化值", "GB 5009.227-2023", ""),
        ("糕点", "菌落总数", "GB 4789.2-2022", ""),
        ("糕点", "大肠菌群", "GB 4789.3-2016", ""),
        ("水产品", "汞", "GB 5009.17-2021", ""),
        ("水产品", "无机砷", "GB 5009.11-2024", ""),
        ("肉制品", "亚硝酸盐", "GB 5009.33-2016", ""),
        ("乳制品", "蛋白质", "GB 5009.5-2016", ""),
    ],
    "beverage": [
        ("碳酸饮料", "菌落总数", "GB 4789.2-2022", ""),
        ("果蔬汁饮料", "菌落总数", "GB 4789.2-2022", ""),
        ("茶饮料", "大肠菌群", "GB 4789.3-2016", ""),
        ("包装饮用水", "菌落总数", "GB 4789.2-2022", ""),
        ("饮料", "甜蜜素", "GB 5009.97-2023", ""),
        ("饮料", "苯甲酸", "GB 5009.28-2016", ""),
    ],
    "environment": [
        ("生活饮用水", "菌落总数", "GB/T 5750.12-2023", ""),
        ("生活饮用水", "浑浊度", "GB/T 5750.4-2023", ""),
        ("地表水", "化学需氧量", "HJ 828-2017", ""),
        ("废水", "氨氮", "HJ 535-2009", ""),
        ("环境空气", "二氧化硫", "HJ 482-2009", ""),
        ("土壤", "铅、镉", "GB/T 17141-1997", ""),
        ("工业企业厂界", "环境噪声", "GB 12348-2008", ""),
        ("固定污染源废气", "颗粒物", "GB/T 16157-1996", ""),
        ("室内空气", "甲醛", "GB/T 18883-2022", ""),
    ],
    "furniture": [
        ("木家具", "甲醛释放量", "GB 18584-2001", ""),
        ("木家具", "力学性能", "GB/T 10357.1-2013", ""),
        ("木家具", "漆膜附着力", "GB/T 4893.4-2013", ""),
        ("儿童家具", "结构安全", "GB 28007-2011", ""),
        ("软体家具", "甲醛释放量", "GB/T 17657-2022", ""),
        ("人造板", "甲醛释放量", "GB/T 17657-2022", ""),
        ("人造板", "含水率", "GB/T 17657-2022", ""),
    ],
    "building": [
        ("通用硅酸盐水泥", "抗压强度", "GB/T 17671-2021", ""),
        ("通用硅酸盐水泥", "凝结时间", "GB/T 1346-2011", ""),
        ("钢筋混凝土用热轧带肋钢筋", "屈服强度", "GB/T 228.1-2021", ""),
        ("钢筋混凝土用热轧带肋钢筋", "抗拉强度", "GB/T 228.1-2021", ""),
        ("混凝土", "抗压强度", "GB/T 50081-2019", ""),
        ("陶瓷砖", "吸水率", "GB/T 3810.3-2016", ""),
        ("给水用聚乙烯管材", "静液压强度", "GB/T 6111-2018", ""),
        ("给水用聚乙烯管材", "纵向回缩率", "GB/T 6671-2001", ""),
        ("建筑用硬聚氯乙烯管材", "静液压强度", "GB/T 6111-2018", ""),
        ("内墙涂料", "挥发性有机化合物", "GB 18582-2020", ""),
        ("防水卷材", "拉力", "GB/T 328.8-2007", ""),
    ],
    "textile": [
        ("纺织品", "甲醛含量", "GB/T 2912.1-2009", ""),
        ("纺织品", "pH值", "GB/T 7573-2009", ""),
        ("纺织品", "耐水色牢度", "GB/T 5713-2013", ""),
        ("服装", "纤维含量", "GB/T 2910.1-2009", ""),
        ("婴幼儿纺织产品", "安全技术要求", "GB 31701-2015", ""),
        ("床上用品", "甲醛含量", "GB/T 2912.1-2009", ""),
    ],
    "electrical": [
        ("家用电器", "泄漏电流", "GB 4706.1-2005", ""),
        ("家用电器", "电气强度", "GB 4706.1-2005", ""),
        ("电线电缆", "导体电阻", "GB/T 3048.4-2007", ""),
        ("插头插座", "温升", "GB/T 2099.1-2021", ""),
        ("灯具", "防触电保护", "GB 7000.1-2015", ""),
        ("锂离子电池", "过充电", "GB 31241-2022", ""),
        ("电动自行车", "最高车速", "GB 17761-2024", ""),
        ("智能电能表", "外观及结构", "GB/T 17215.321-2021", ""),  # type testing, not verification
        ("电能表箱", "防护等级", "GB/T 4208-2017", ""),  # the object merely contains 电能表
    ],
    "toy": [
        ("儿童玩具", "小零件", "GB 6675.2-2014", ""),
        ("儿童玩具", "可迁移元素", "GB 6675.4-2014", ""),
        ("儿童玩具", "燃烧性能", "GB 6675.3-2014", ""),
        ("童车", "稳定性", "GB 14748-2006", ""),
    ],
    "ppe": [
        ("安全帽", "冲击吸收性能", "GB/T 2812-2006", ""),
        ("安全帽", "耐穿刺性能", "GB/T 2812-2006", ""),
        ("坠落防护安全带", "整体静态负荷", "GB 6095-2021", ""),
        ("防护手套", "耐切割性能", "GB 24541-2022", ""),
        ("自吸过滤式防颗粒物呼吸器", "过滤效率", "GB 2626-2019", ""),
        ("医用外科口罩", "细菌过滤效率", "YY 0469-2011", ""),
    ],
    "medical_device": [  # device type testing: 体温计 here is tested, not verified
        ("医用电子体温计", "性能试验", "GB/T 21416-2008", ""),
        ("电子血压计", "性能要求", "YY 0670-2008", ""),
        ("医用电气设备", "电气安全", "GB 9706.1-2020", ""),
        ("一次性使用无菌注射器", "无菌", "GB 15810-2019", ""),
    ],
}
MGMT = [  # CNCA management-system certification
    ("质量管理体系", "", "GB/T 19001-2016/ISO 9001:2015", ""),
    ("环境管理体系", "", "GB/T 24001-2016/ISO 14001:2015", ""),
    ("职业健康安全管理体系", "", "GB/T 45001-2020/ISO 45001:2018", ""),
    ("能源管理体系", "", "GB/T 23331-2020/ISO 50001:2018", ""),
    ("信息安全管理体系", "", "GB/T 22080-2016/ISO/IEC 27001:2013", ""),
    ("食品安全管理体系", "", "GB/T 22000-2006/ISO 22000:2005", ""),
    ("危害分析与关键控制点（HACCP）体系", "", "GB/T 27341-2009", ""),
    ("知识产权管理体系", "认证", "GB/T 29490-2023", ""),
    ("两化融合管理体系", "评定", "GB/T 23001-2017", "certification"),
    ("测量管理体系", "", "GB/T 19022-2003/ISO 10012:2003", ""),
]
PRODUCT_CERT = [
    ("电线电缆", "强制性产品认证", "CNCA-C01-01:2014", ""),
    ("家用电器", "强制性产品认证", "CNCA-C07-01:2017", ""),
    ("儿童玩具", "强制性产品认证", "CNCA-C13-01:2014", ""),
    ("有机产品", "有机产品认证", "GB/T 19630-2019", ""),
    ("人造板", "绿色产品认证", "GB/T 35601-2017", ""),
]
SE = {  # special equipment inspection (TSG rules)
    "lift": [
        ("曳引式电梯", "定期检验", "TSG T7001-2023", ""),
        ("曳引式电梯", "监督检验", "TSG T7001-2023", ""),
        ("自动扶梯", "定期检验", "TSG T7005-2012", ""),
    ],
    "crane": [
        ("桥式起重机", "定期检验", "TSG Q7015-2016", ""),
        ("门式起重机", "定期检验", "TSG Q7015-2016", ""),
    ],
    "boiler": [
        ("承压蒸汽锅炉", "定期检验", "TSG 11-2020", ""),
        ("固定式压力容器", "定期检验", "TSG 21-2016", ""),
        ("压力管道", "定期检验", "TSG D7005-2018", ""),
        ("安全阀", "校验", "TSG ZF001-2006", ""),
    ],
    "vehicle": [
        ("场（厂）内专用机动车辆", "定期检验", "TSG 81-2022", ""),
        ("气瓶", "定期检验", "GB/T 13004-2016", ""),
    ],
}
CONSULT = {  # no licence needed (categories ip / standardization / quality_management)
    "ip": [
        ("知识产权管理体系", "贯标咨询", "GB/T 29490-2023", "other"),
        ("专利", "申请代理", "", "other"),
        ("商标", "注册代理", "", "other"),
        ("专利", "导航分析", "", "other"),
    ],
    "standardization": [
        ("企业标准", "编制咨询", "GB/T 1.1-2020", "other"),
        ("团体标准", "编制咨询", "GB/T 20004.1-2016", "other"),
        ("标准文本", "有效性核对", "", "other"),
    ],
    "quality_management": [
        ("两化融合管理体系", "贯标咨询", "GB/T 23001-2017", "other"),
        ("质量管理体系", "贯标咨询", "GB/T 19001-2016", "other"),
        ("卓越绩效", "自评咨询", "GB/T 19580-2012", "other"),
        ("测量不确定度评定", "培训", "JJF 1059.1-2012", "other"),
    ],
}
LIMITS = {  # a few lines carry a range
    "一般压力表": "(-0.1~60)MPa",
    "电子汽车衡": "Max≤150t",
    "电子天平": "Max≤5kg",
    "数字多用表": "直流电压 0~1000V",
    "通用卡尺": "(0~1000)mm",
}
SE_CATEGORY = "special_equipment"
FOODS = ["大米", "蔬菜", "茶叶", "食用植物油", "糕点", "水产品", "肉制品", "乳制品"]

# --------------------------------------------------------------------------------------------
# Concepts a query names: words (the concept and what users type for it). An object concept
# matches a line whose object ENDS with one of its words (the head of a Chinese compound is
# last: 医用电子体温计 is a 体温计, 电能表箱 is not an 电能表); a parameter concept matches a line
# whose parameter (or, for certification lines, object) CONTAINS one of its words.

OBJ = {
    "体温计": ["体温计", "体温表"],
    "电子体温计": ["电子体温计"],
    "血压计": ["血压计", "血压表"],
    "电能表": ["电能表", "电表"],
    "出租汽车计价器": ["出租汽车计价器", "计价器"],
    "电子汽车衡": ["电子汽车衡", "汽车衡", "地磅"],
    "电子计价秤": ["电子计价秤", "计价秤", "电子秤"],
    "压力表": ["压力表"],
    "水表": ["水表"],
    "燃气表": ["燃气表"],
    "加油机": ["加油机"],
    "加气机": ["加气机"],
    "充电桩": ["充电桩"],
    "声级计": ["声级计"],
    "酒精检测仪": ["酒精含量检测仪", "酒精检测仪"],
    "测速仪": ["测速仪"],
    "心电图机": ["心电图机"],
    "焦度计": ["焦度计"],
    "电流互感器": ["电流互感器", "互感器"],
    "电子天平": ["电子天平", "天平"],
    "砝码": ["砝码"],
    "酸度计": ["酸度计", "pH计"],
    "万能试验机": ["万能试验机", "拉力试验机"],
    "万用表": ["多用表", "万用表"],
    "热电偶": ["热电偶"],
    "温湿度计": ["温湿度计"],
    "环境试验设备": ["环境试验设备", "高低温试验箱"],
    "温度变送器": ["温度变送器"],
    "压力变送器": ["压力变送器"],
    "恒温槽": ["恒温槽"],
    "卡尺": ["卡尺", "游标卡尺"],
    "千分尺": ["千分尺"],
    "扭矩扳子": ["扭矩扳子", "扭力扳手"],
    "大米": ["大米"],
    "蔬菜": ["蔬菜"],
    "茶叶": ["茶叶"],
    "食用植物油": ["食用植物油", "食用油"],
    "糕点": ["糕点"],
    "水产品": ["水产品"],
    "肉制品": ["肉制品"],
    "乳制品": ["乳制品"],
    "饮料": ["饮料", "饮用水"],
    "生活饮用水": ["生活饮用水"],
    "废水": ["废水"],
    "地表水": ["地表水"],
    "环境空气": ["环境空气"],
    "土壤": ["土壤"],
    "室内空气": ["室内空气"],
    "家具": ["家具"],
    "人造板": ["人造板"],
    "水泥": ["水泥"],
    "钢筋": ["钢筋"],
    "混凝土": ["混凝土"],
    "陶瓷砖": ["陶瓷砖", "瓷砖"],
    "塑料管材": ["塑料管材", "聚乙烯管材", "聚氯乙烯管材", "PE管", "PVC管"],
    "涂料": ["涂料", "乳胶漆"],
    "防水卷材": ["防水卷材"],
    "纺织品": ["纺织品", "纺织产品"],
    "服装": ["服装"],
    "家用电器": ["家用电器", "家电"],
    "电线电缆": ["电线电缆", "电缆"],
    "插头插座": ["插头插座", "插座"],
    "灯具": ["灯具"],
    "锂离子电池": ["锂离子电池", "锂电池"],
    "电动自行车": ["电动自行车", "电瓶车"],
    "儿童玩具": ["玩具"],
    "童车": ["童车"],
    "安全帽": ["安全帽"],
    "安全带": ["安全带"],
    "防护手套": ["防护手套"],
    "口罩": ["口罩", "呼吸器"],
    "医用电气设备": ["医用电气设备"],
    "注射器": ["注射器"],
    "电梯": ["电梯", "扶梯"],
    "桥式起重机": ["桥式起重机", "行车", "天车"],
    "起重机": ["起重机", "起重机械"],
    "锅炉": ["锅炉"],
    "压力容器": ["压力容器"],
    "压力管道": ["压力管道"],
    "安全阀": ["安全阀"],
    "叉车": ["场（厂）内专用机动车辆", "叉车"],
    "气瓶": ["气瓶"],
    "质量管理体系": ["质量管理体系", "ISO 9001", "ISO9001"],
    "环境管理体系": ["环境管理体系", "ISO 14001", "ISO14001"],
    "职业健康安全管理体系": ["职业健康安全管理体系", "ISO 45001", "ISO45001"],
    "能源管理体系": ["能源管理体系", "ISO 50001"],
    "信息安全管理体系": ["信息安全管理体系", "ISO 27001"],
    "食品安全管理体系": ["食品安全管理体系", "ISO 22000"],
    "HACCP": ["HACCP）体系", "HACCP"],
    "知识产权管理体系": ["知识产权管理体系", "贯标"],
    "两化融合管理体系": ["两化融合管理体系", "两化融合"],
    "测量管理体系": ["测量管理体系"],
    "管理体系": ["管理体系", "体系"],
    "有机产品": ["有机产品"],
    "专利": ["专利"],
    "商标": ["商标"],
    "企业标准": ["企业标准"],
    "团体标准": ["团体标准"],
    "卓越绩效": ["卓越绩效"],
    "测量不确定度评定": ["测量不确定度评定", "不确定度评定"],
}
PAR = {
    "甲醛": ["甲醛"],
    "菌落总数": ["菌落总数"],
    "大肠菌群": ["大肠菌群"],
    "冲击吸收": ["冲击吸收"],
    "耐穿刺": ["耐穿刺"],
    "重金属": ["重金属", "铅", "镉", "汞", "砷"],
    "铅": ["铅"],
    "汞": ["汞"],
    "镉": ["镉"],
    "农药残留": ["农药残留"],
    "抗压强度": ["抗压强度"],
    "屈服强度": ["屈服强度"],
    "静液压": ["静液压"],
    "吸水率": ["吸水率"],
    "VOC": ["挥发性有机化合物", "VOC"],
    "色牢度": ["色牢度"],
    "纤维含量": ["纤维含量"],
    "pH值": ["pH值"],
    "小零件": ["小零件"],
    "可迁移元素": ["可迁移元素"],
    "泄漏电流": ["泄漏电流"],
    "导体电阻": ["导体电阻"],
    "温升": ["温升"],
    "过充电": ["过充电", "过充"],
    "过滤效率": ["过滤效率"],
    "酸价": ["酸价"],
    "亚硝酸盐": ["亚硝酸盐"],
    "化学需氧量": ["化学需氧量", "COD"],
    "氨氮": ["氨氮"],
    "噪声": ["噪声"],
    "基本误差": ["基本误差"],
    "示值误差": ["示值误差"],
    "定期检验": ["定期检验"],
    "监督检验": ["监督检验"],
    "强制性产品认证": ["强制性产品认证", "3C", "CCC"],
    "绿色产品认证": ["绿色产品认证"],
    "贯标咨询": ["贯标咨询", "贯标"],
    "申请代理": ["申请代理"],
    "编制咨询": ["编制咨询"],
    "有效性核对": ["有效性核对"],
}
VERB_LABELS = {
    "verification": "检定",
    "calibration": "校准",
    "testing": "检验检测",
    "certification": "认证",
    "other": "其他",
}
# Verbs a query names (贯标 asks for a certification body or a 贯标 consultancy).
QUERY_VERBS = {
    "检定": ["verification"],
    "强检": ["verification"],
    "校准": ["calibration"],
    "检测": ["testing"],
    "检验": ["testing"],
    "测试": ["testing"],
    "认证": ["certification"],
    "评定": ["certification"],
    "贯标": ["certification", "other"],
}

# --------------------------------------------------------------------------------------------
# The labelling rules (README.md), written once and used for every query and demand.

LINE_VERB_WORDS = {
    "检定": "verification",
    "校准": "calibration",
    "认证": "certification",
    "贯标": "certification",
    "检测": "testing",
    "检验": "testing",
    "测定": "testing",
    "试验": "testing",
}
BY_QUALIFICATION = {
    "LEGAL_METROLOGY": "verification",
    "CNCA": "certification",
    "CMA": "testing",
    "SE_INSPECTION": "testing",
}
BY_CATEGORY = {
    "metrology": "calibration",
    "testing": "testing",
    "special_equipment": "testing",
    "certification": "certification",
}


def line_verbs(line: dict, qualification_type: str) -> set[str]:
    """Explicit verb; else verb words in the line; else JJG→检定, JJF→校准; else the
    qualification (CNAS: 校准 for metrology, else 检测); else the category."""
    if line["verb"]:
        return {line["verb"]}
    text = " ".join([line["object"], line["parameter"], line["standard"], line["limits"]])
    named = {verb for word, verb in LINE_VERB_WORDS.items() if word in text}
    if named:
        return named
    standard = line["standard"].upper()
    if standard.startswith("JJG"):
        return {"verification"}
    if standard.startswith("JJF"):
        return {"calibration"}
    if qualification_type == "CNAS":
        return {"calibration" if line["category"] == "metrology" else "testing"}
    if qualification_type in BY_QUALIFICATION:
        return {BY_QUALIFICATION[qualification_type]}
    return {BY_CATEGORY.get(line["category"], "other")}


FAMILIES = {"gb", "jjg", "jjf", "hj", "yy", "tsg", "iso", "cnca", "fz", "qb"}
STANDARD_TOKEN = re.compile(
    r"([a-z]+(?:/(?:t|z|iec))?)\s*([a-z]{0,2}\d+(?:\.\d+)*)(?:\s*[-:]\s*(\d{4}))?"
)


def standard_keys(text: str) -> list[tuple[str, str]]:
    """(family+number, year) of every standard in the text: 'GB/T 6111-2018' → ('gb6111',
    '2018'); the /T (/Z, /IEC) mark, spaces, case and the year's dash are ignored."""
    keys = []
    for family, number, year in STANDARD_TOKEN.findall(text.lower()):
        family = family.split("/")[0]
        if family not in FAMILIES and family[:-1] in FAMILIES and family[-1] in "tz":
            family = family[:-1]  # gbt6111 is GB/T 6111
        keys.append((family + number, year))
    return keys


def standard_matches(query: str, line_standard: str) -> bool:
    wanted = standard_keys(query)
    have = standard_keys(line_standard)
    return bool(wanted) and all(
        any(key == k and (not year or year == y) for k, y in have) for key, year in wanted
    )


def line_matches(line: dict, qualification_type: str, spec: dict) -> bool:
    if spec.get("nothing"):
        return False
    if spec.get("obj") and not any(line["object"].endswith(w) for w in OBJ[spec["obj"]]):
        return False
    if spec.get("any_obj") and not any(
        line["object"].endswith(w) for obj in spec["any_obj"] for w in OBJ[obj]
    ):
        return False
    if spec.get("obj_exact") and line["object"] != spec["obj_exact"]:
        return False
    if spec.get("par_exact") and line["parameter"] != spec["par_exact"]:
        return False
    if spec.get("par"):
        where = line["parameter"] or line["object"]
        if not any(w in where for w in PAR[spec["par"]]):
            return False
    if spec.get("std") and not standard_matches(spec["std"], line["standard"]):
        return False
    if spec.get("verbs") and not line_verbs(line, qualification_type) & set(spec["verbs"]):
        return False
    return not spec.get("category") or line["category"] == spec["category"]


def valid(qualification: dict) -> bool:
    return not qualification["withdrawn"] and qualification["valid_until"] >= EVAL_DATE.isoformat()


def offered_lines(institution: dict):
    """(line, qualification type) of the lines offered on EVAL_DATE."""
    if not any(valid(q) for q in institution["qualifications"]):
        return  # not listed at all
    for qualification in institution["qualifications"]:
        if valid(qualification):
            for line in qualification["lines"]:
                yield line, qualification["type"]
    for line in institution["lines"]:
        yield line, ""


def relevant(institutions: list[dict], spec: dict) -> tuple[list[str], str]:
    """Keys of the institutions that fit, and the region the answer came from (after widening
    a county with nobody to its city, then its province)."""
    fitting = [
        i
        for i in institutions
        if any(line_matches(line, qt, spec) for line, qt in offered_lines(i))
    ]
    region = spec.get("region") or ""
    if not region:
        return sorted(i["key"] for i in fitting), ""
    tried = [region]
    if len(region) == 6:
        tried += [region[:4], region[:2]]
    elif len(region) == 4:
        tried += [region[:2]]
    for prefix in tried:
        found = [i["key"] for i in fitting if i["region"].startswith(prefix)]
        if found:
            return sorted(found), prefix
    return [], region


# --------------------------------------------------------------------------------------------
# Institutions


def county_name(region: str) -> str:
    short = COUNTIES[region]
    return short + ("新区" if short == "浦东" else "市" if region[4:] >= "81" else "区")


@dataclass
class Builder:
    rng: random.Random
    institutions: list = field(default_factory=list)
    names: set = field(default_factory=set)

    def add(self, name: str, region: str, kind: str, qualifications: list, lines=()) -> dict:
        assert name not in self.names, name
        assert region in COUNTIES, region
        self.names.add(name)
        categories = sorted(
            {line["category"] for q in qualifications for line in q["lines"]}
            | {line["category"] for line in lines}
        )
        record = {
            "key": f"E{len(self.institutions) + 1:04d}",
            "name": name,
            "region": region,
            "kind": kind,
            "address": f"{CITIES[region[:4]]}市{county_name(region)}示例路{len(self.institutions) % 300 + 1}号",
            "categories": categories,
            "qualifications": qualifications,
            "lines": list(lines),
        }
        self.institutions.append(record)
        return record

    def validity(self, lapsed: float = 0.0, withdrawn: float = 0.0, force: str = "") -> tuple:
        """(valid_until, withdrawn): mostly valid for years; some lapsed before EVAL_DATE."""
        roll = self.rng.random()
        if force == "lapsed" or (not force and roll < lapsed):
            return (EVAL_DATE - dt.timedelta(days=self.rng.randint(20, 400))).isoformat(), False
        valid_until = (EVAL_DATE + dt.timedelta(days=self.rng.randint(90, 1800))).isoformat()
        if force == "withdrawn" or (not force and roll < lapsed + withdrawn):
            return valid_until, True
        return valid_until, False

    def qualification(self, type_: str, number: str, lines: list, state: tuple) -> dict:
        return {
            "type": type_,
            "number": number,
            "valid_until": state[0],
            "withdrawn": state[1],
            "lines": lines,
        }

    def county(self, city: str = "") -> str:
        if not city:
            cities = list(CITY_WEIGHTS)
            city = self.rng.choices(cities, weights=[CITY_WEIGHTS[c] for c in cities])[0]
        options = [c for c in COUNTIES if c.startswith(city)]
        weights = [PRIVATE_COUNTY_WEIGHTS.get(c, 2) for c in options]
        return self.rng.choices(options, weights=weights)[0]


def line(category: str, entry: tuple, limits: bool = False) -> dict:
    object_, parameter, standard, verb = entry
    return {
        "category": category,
        "object": object_,
        "parameter": parameter,
        "standard": standard,
        "limits": LIMITS.get(object_, "") if limits else "",
        "verb": verb,
    }


def sample(rng: random.Random, entries: list, low: float, high: float = 1.0) -> list:
    count = max(1, round(len(entries) * rng.uniform(low, high)))
    return sorted(rng.sample(entries, count), key=entries.index)


BRANDS = (
    "华测 中科 信达 金标 正信 天衡 国检 鑫源 恒信 安正 通标 建研 精工 广电 赛宝 谱尼 "
    "方圆 众信 恒量 九州 博瑞 启明 汇通 德衡 诚达 新锐 中测 苏标 锡标 龙城 太湖 长江 "
    "东方 清源 益民 嘉盛 宏达 普华 睿智 百川 同创 卓越 铭鼎 科正 瑞源 辰星 和信 佳泰"
).split()


def build_institutions(rng: random.Random) -> list[dict]:
    b = Builder(rng)
    city_of = {code: name for code, name in CITIES.items()}
    all_legal = [e for group in LEGAL.values() for e in group]
    no_medical = [e for g, group in LEGAL.items() if g != "medical" for e in group]

    def legal_lines(entries: list) -> list:
        return [line("metrology", e, limits=rng.random() < 0.5) for e in entries]

    # Legal metrology institutes: province, cities, county-level cities (宜兴: no medical).
    legal = [
        ("江苏省计量科学研究院", "320106", all_legal, True, ""),
        ("常州市计量测试技术研究院", "320411", all_legal, True, ""),
        ("无锡市计量测试院", "320214", all_legal, True, ""),
        ("南京市计量监督检测院", "320104", all_legal, True, ""),
        ("苏州市计量测试院", "320505", all_legal, True, ""),
        ("江阴市计量测试所", "320281", None, False, ""),
        ("宜兴市计量测试所", "320282", no_medical, False, ""),
        ("溧阳市计量测试所", "320481", no_medical, False, ""),
        ("常州市金坛区计量测试所", "320413", None, True, "lapsed"),  # only CNAS still valid
        ("常州市武进区计量测试所", "320412", None, False, ""),
        ("南京市江宁区计量所", "320115", None, False, ""),
        ("昆山市计量测试所", "320583", None, False, ""),
        ("常熟市计量检定测试中心", "320581", None, False, ""),
        ("张家港市计量测试所", "320582", None, False, "withdrawn"),
        ("浙江省计量科学研究院", "330106", all_legal, True, ""),
        ("宁波市计量测试研究院", "330212", None, True, ""),
        ("上海市计量测试技术研究院", "310104", all_legal, True, ""),
        ("上海市闵行区计量测试所", "310112", None, False, ""),
    ]
    for n, (name, region, entries, cnas, force) in enumerate(legal):
        if entries is None:
            entries = sample(rng, all_legal, 0.35, 0.7)
        elif entries is not all_legal:
            entries = sample(rng, entries, 0.5, 0.8)
        quals = [
            b.qualification(
                "LEGAL_METROLOGY",
                f"（苏）法计（2023）{region[:4]}{n:03d}号",
                legal_lines(entries),
                b.validity(force=force) if force else b.validity(),
            )
        ]
        if cnas:
            quals.append(
                b.qualification(
                    "CNAS",
                    f"CNAS L{1000 + n * 37:05d}",
                    legal_lines(sample(rng, CAL, 0.4, 0.8)),
                    b.validity(),
                )
            )
        b.add(name, region, "legal_metrology", quals)
    # The grid company's metering centre: legal-metrology authorised for 电能表 only.
    b.add(
        "国网江苏省电力有限公司营销服务中心",
        "320104",
        "legal_metrology",
        [
            b.qualification(
                "LEGAL_METROLOGY",
                "（苏）法计（2022）01001号",
                legal_lines(LEGAL["energy"]),
                b.validity(),
            )
        ],
    )

    # CNAS calibration laboratories.
    cal_suffixes = [
        "计量校准有限公司",
        "计量检测技术有限公司",
        "仪器校准中心有限公司",
        "计量检定技术服务有限公司",  # says 检定, only calibrates
        "精密仪器计量有限公司",
    ]
    for n in range(50):
        region = b.county()
        name = unique_name(b, rng, region, cal_suffixes)
        entries = sample(rng, CAL, 0.3, 0.8)
        state = b.validity(lapsed=0.07, withdrawn=0.04)
        quals = [b.qualification("CNAS", f"CNAS L{2000 + n * 53:05d}", legal_lines(entries), state)]
        b.add(name, region, "calibration_lab", quals)

    # Testing laboratories (CMA, some also CNAS).
    specialties = {
        "food": ["食品检测技术有限公司", "食品安全检测中心有限公司"],
        "beverage": ["食品检测技术有限公司", "饮品质量检测有限公司"],
        "environment": ["环境检测有限公司", "环境监测技术有限公司"],
        "furniture": ["家具质量检验有限公司", "建材家具检测有限公司"],
        "building": ["建设工程质量检测有限公司", "建材检测中心有限公司"],
        "textile": ["纺织品检测有限公司", "纤维检验有限公司"],
        "electrical": ["电器检测技术有限公司", "电子电器检测有限公司"],
        "toy": ["玩具检测有限公司", "儿童用品检测有限公司"],
        "ppe": ["劳动防护用品检测有限公司", "安全防护检测有限公司"],
        "medical_device": ["医疗器械检验有限公司", "医疗器械检测技术有限公司"],
    }
    pairs = {
        "food": ["beverage", "environment"],
        "beverage": ["food"],
        "furniture": ["building", "textile"],
        "building": ["furniture"],
        "textile": ["toy", "furniture"],
        "electrical": ["toy", "medical_device"],
        "toy": ["textile", "electrical"],
        "ppe": ["textile"],
        "medical_device": ["electrical"],
        "environment": ["food"],
    }
    weights = {
        "food": 22,
        "beverage": 10,
        "environment": 20,
        "furniture": 14,
        "building": 26,
        "textile": 16,
        "electrical": 18,
        "toy": 10,
        "ppe": 12,
        "medical_device": 10,
    }
    for n in range(190):
        region = b.county()
        main = rng.choices(list(weights), weights=list(weights.values()))[0]
        families = [main] + ([rng.choice(pairs[main])] if rng.random() < 0.35 else [])
        name = unique_name(b, rng, region, specialties[main] + ["检验检测有限公司"])
        lines = [line("testing", e) for f in families for e in sample(rng, TEST[f], 0.4, 1.0)]
        state = b.validity(lapsed=0.08, withdrawn=0.03)
        quals = [b.qualification("CMA", f"{231000000000 + n * 7919}", lines, state)]
        if rng.random() < 0.45:  # CNAS held too, still valid: listed, but CMA lines not offered
            quals.append(b.qualification("CNAS", f"CNAS L{6000 + n * 31:05d}", [], b.validity()))
        b.add(name, region, "testing_lab", quals)
    # Government product-quality institutes per city: broad testing scope.
    for region, name in [
        ("320411", "常州市产品质量监督检验中心"),
        ("320214", "无锡市产品质量监督检验院"),
        ("320105", "南京市产品质量监督检验院"),
        ("320506", "苏州市产品质量监督检验院"),
        ("320282", "宜兴市产品质量监督检验所"),
        ("320281", "江阴市产品质量监督检验所"),
        ("330106", "杭州市质量技术监督检测院"),
    ]:
        families = rng.sample(sorted(TEST), 5)
        lines = [line("testing", e) for f in families for e in sample(rng, TEST[f], 0.5, 1.0)]
        quals = [
            b.qualification("CMA", f"2410{region}{len(b.institutions):04d}", lines, b.validity()),
            b.qualification("CNAS", f"CNAS L{len(b.institutions) * 11:05d}", [], b.validity()),
        ]
        b.add(name, region, "testing_lab", quals)

    # Certification bodies (CNCA), some with a testing laboratory (its CMA sometimes lapsed).
    for n in range(52):
        region = b.county()
        name = unique_name(b, rng, region, ["认证有限公司", "认证中心有限公司", "质量认证有限公司"])
        mgmt = sample(rng, MGMT, 0.25, 0.9)
        lines = [line("certification", e) for e in mgmt]
        if rng.random() < 0.3:
            lines += [line("certification", e) for e in sample(rng, PRODUCT_CERT, 0.3, 0.8)]
        quals = [
            b.qualification(
                "CNCA",
                f"CNCA-R-{2002 + n % 20}-{100 + n * 7}",
                lines,
                b.validity(lapsed=0.05, withdrawn=0.03),
            )
        ]
        if rng.random() < 0.3:
            family = rng.choice(["food", "electrical", "building", "textile"])
            quals.append(
                b.qualification(
                    "CMA",
                    f"{221000000000 + n * 6007}",
                    [line("testing", e) for e in sample(rng, TEST[family], 0.4, 0.9)],
                    b.validity(lapsed=0.5, withdrawn=0.15),
                )
            )
        b.add(name, region, "certification_body", quals)

    # Special-equipment inspection: the provincial institute's city branches, private firms.
    all_se = [e for group in SE.values() for e in group]
    for region, name in [
        ("320411", "江苏省特种设备安全监督检验研究院常州分院"),
        ("320214", "江苏省特种设备安全监督检验研究院无锡分院"),
        ("320106", "江苏省特种设备安全监督检验研究院"),
        ("320505", "江苏省特种设备安全监督检验研究院苏州分院"),
        ("320282", "江苏省特种设备安全监督检验研究院无锡分院宜兴检验站"),
        ("330106", "浙江省特种设备科学研究院"),
        ("310104", "上海市特种设备监督检验技术研究院"),
    ]:
        entries = all_se if "检验站" not in name else SE["boiler"] + SE["vehicle"]
        quals = [
            b.qualification(
                "SE_INSPECTION",
                f"TS7110{len(b.institutions):03d}-2027",
                [line(SE_CATEGORY, e) for e in entries],
                b.validity(),
            )
        ]
        b.add(name, region, "se_inspection", quals)
    se_suffixes = {
        "lift": ["电梯检测技术有限公司"],
        "crane": ["起重机械检测有限公司"],
        "boiler": ["锅炉压力容器检验有限公司"],
        "vehicle": ["特种设备检测有限公司"],
    }
    for n in range(20):
        region = b.county()
        group = rng.choice(sorted(SE))
        groups = [group] + ([rng.choice(sorted(SE))] if rng.random() < 0.3 else [])
        name = unique_name(b, rng, region, se_suffixes[group])
        entries = [e for g in dict.fromkeys(groups) for e in SE[g]]
        quals = [
            b.qualification(
                "SE_INSPECTION",
                f"TS7310{n:03d}-2028",
                [line(SE_CATEGORY, e) for e in entries],
                b.validity(lapsed=0.1, withdrawn=0.05),
            )
        ]
        b.add(name, region, "se_inspection", quals)

    # IP / standardisation / quality consultancies: an OTHER licence, lines need none.
    consult_suffixes = {
        "ip": ["知识产权代理有限公司", "知识产权服务有限公司"],
        "standardization": ["标准化技术服务有限公司", "标准技术咨询有限公司"],
        "quality_management": ["企业管理咨询有限公司", "质量管理咨询有限公司"],
    }
    for n in range(42):
        region = b.county()
        kind = rng.choice(sorted(CONSULT))
        kinds = [kind] + ([rng.choice(sorted(CONSULT))] if rng.random() < 0.3 else [])
        name = unique_name(b, rng, region, consult_suffixes[kind])
        lines = [line(k, e) for k in dict.fromkeys(kinds) for e in sample(rng, CONSULT[k], 0.5)]
        quals = [b.qualification("OTHER", f"ZX-{region}-{n:04d}", [], b.validity())]
        b.add(name, region, "consultancy", quals, lines)

    # Near-miss names: the word is in the name, not in the scope (or only in a longer object).
    near = [
        ("常州电能表厂质量检测中心", "320411", "CMA", "textile"),
        ("无锡体温计厂检验室", "320213", "CMA", "building"),
        ("江阴安全帽厂质量检验中心", "320281", "CMA", "textile"),
        ("南京血压计研究所检测部", "320106", "CMA", "medical_only_safety"),
        ("常州起重机械厂检测中心", "320412", "CMA", "steel"),
        ("无锡饮料检测技术有限公司", "320214", "CMA", "bottle"),
        ("苏州电梯配件检测有限公司", "320507", "CMA", "rope"),
        ("宜兴除甲醛环保检测有限公司", "320282", "CMA", "indoor_air"),
        ("常州计量器具检定服务部", "320404", "OTHER", "repair"),
        ("无锡ISO认证咨询服务有限公司", "320211", "OTHER", "standards"),
        ("常州锅炉厂理化检验室", "320402", "CMA", "steel"),
        ("南京食品机械检测有限公司", "320113", "CMA", "machinery"),
    ]
    special = {
        "medical_only_safety": [("医用电气设备", "电气安全", "GB 9706.1-2020", "")],
        "steel": [
            ("钢材", "拉伸试验", "GB/T 228.1-2021", ""),
            ("金属材料", "夏比摆锤冲击试验", "GB/T 229-2020", ""),
        ],
        "bottle": [("聚酯饮料瓶", "密封性能", "GB/T 17876-2010", "")],
        "rope": [("电梯用钢丝绳", "破断拉力", "GB/T 8903-2018", "")],
        "indoor_air": [("室内空气", "甲醛", "GB/T 18883-2022", "")],
        "machinery": [("食品机械", "卫生要求", "GB 16798-2023", "")],
    }
    for name, region, type_, scope in near:
        if type_ == "OTHER":
            lines = (
                [line("other", ("计量器具", "维修", "", "other"))]
                if scope == "repair"
                else [line("standardization", e) for e in CONSULT["standardization"]]
            )
            quals = [
                b.qualification("OTHER", f"ZX-{region}-N{len(b.institutions)}", [], b.validity())
            ]
            b.add(name, region, "near_miss_name", quals, lines)
            continue
        entries = special.get(scope) or TEST[scope]
        lines = [line("testing", e) for e in entries]
        quals = [
            b.qualification("CMA", f"2510{region}{len(b.institutions):04d}", lines, b.validity())
        ]
        b.add(name, region, "near_miss_name", quals)
    del city_of
    return b.institutions


def unique_name(b: Builder, rng: random.Random, region: str, suffixes: list[str]) -> str:
    city = CITIES[region[:4]]
    county_level = region[4:] >= "81"  # county-level cities (江阴, 宜兴, 昆山 …) name themselves
    prefix = COUNTIES[region] if county_level and rng.random() < 0.8 else city
    for _ in range(200):
        name = f"{prefix}{rng.choice(BRANDS)}{rng.choice(suffixes)}"
        if name not in b.names:
            return name
    raise RuntimeError("names exhausted")


# --------------------------------------------------------------------------------------------
# Queries and demands: (class, text, spec, filters). Filters are what the search form / the
# demand form carries; spec is what the text asks for, in the concepts above.

PLACE_WORDS = {  # how people name a place in text
    "3204": ["常州本地", "常州市内", "在常州"],
    "3202": ["无锡本地", "无锡市区", "在无锡"],
    "3201": ["南京本地", "在南京"],
    "3205": ["苏州本地", "在苏州"],
    "320282": ["在宜兴", "宜兴本地", "宜兴的"],
    "320281": ["江阴的", "在江阴", "江阴本地"],
    "320481": ["溧阳的", "在溧阳"],
    "320413": ["金坛的", "在金坛"],
    "320412": ["武进的", "在武进"],
    "320583": ["昆山的", "在昆山"],
    "320581": ["常熟的", "在常熟"],
    "320582": ["张家港的", "在张家港"],
    "320115": ["江宁的", "在江宁"],
    "3301": ["杭州本地", "在杭州"],
    "3101": ["上海本地", "在上海"],
}


@dataclass
class Item:
    cls: str
    text: str
    spec: dict
    region: str = ""  # the filter
    category: str = ""
    suggest: list = field(default_factory=list)
    empty: bool = False  # nothing fits, by design


def spec(obj: str = "", par: str = "", std: str = "", verb: str = "", place: str = "") -> dict:
    out = {}
    if obj:
        assert obj in OBJ, obj
        out["obj"] = obj
    if par:
        assert par in PAR, par
        out["par"] = par
    if std:
        out["std"] = std
    if verb:
        out["verbs"] = sorted(QUERY_VERBS[verb])
    if place:
        out["region"] = place
    return out


def make_queries(rng: random.Random) -> list[Item]:
    q: list[Item] = []

    def add(cls: str, text: str, sp: dict, **kw) -> None:
        q.append(Item(cls, text, sp, **kw))

    # compound: two words (or a word and a verb) typed without a space.
    compound = [
        ("家具甲醛", "家具", "甲醛", ""),
        ("饮料菌落总数", "饮料", "菌落总数", ""),
        ("安全帽冲击吸收", "安全帽", "冲击吸收", ""),
        ("安全帽耐穿刺", "安全帽", "耐穿刺", ""),
        ("水泥抗压强度", "水泥", "抗压强度", ""),
        ("钢筋屈服强度", "钢筋", "屈服强度", ""),
        ("纺织品甲醛", "纺织品", "甲醛", ""),
        ("纺织品色牢度", "纺织品", "色牢度", ""),
        ("玩具小零件", "儿童玩具", "小零件", ""),
        ("玩具可迁移元素", "儿童玩具", "可迁移元素", ""),
        ("瓷砖吸水率", "陶瓷砖", "吸水率", ""),
        ("大米镉", "大米", "镉", ""),
        ("大米重金属", "大米", "重金属", ""),
        ("蔬菜农药残留", "蔬菜", "农药残留", ""),
        ("茶叶农残", "茶叶", "农药残留", ""),
        ("电线电缆导体电阻", "电线电缆", "导体电阻", ""),
        ("插座温升", "插头插座", "温升", ""),
        ("口罩过滤效率", "口罩", "过滤效率", ""),
        ("人造板甲醛", "人造板", "甲醛", ""),
        ("管材静液压", "塑料管材", "静液压", ""),
        ("涂料VOC", "涂料", "VOC", ""),
        ("锂电池过充", "锂离子电池", "过充电", ""),
        ("家电泄漏电流", "家用电器", "泄漏电流", ""),
        ("糕点大肠菌群", "糕点", "大肠菌群", ""),
        ("食用油酸价", "食用植物油", "酸价", ""),
        ("肉制品亚硝酸盐", "肉制品", "亚硝酸盐", ""),
        ("废水氨氮", "废水", "氨氮", ""),
        ("饮用水菌落总数", "生活饮用水", "菌落总数", ""),
        ("电能表检定", "电能表", "", "检定"),
        ("压力表检定", "压力表", "", "检定"),
        ("血压计检定", "血压计", "", "检定"),
        ("体温计检定", "体温计", "", "检定"),
        ("加油机检定", "加油机", "", "检定"),
        ("水表检定", "水表", "", "检定"),
        ("万用表校准", "万用表", "", "校准"),
        ("热电偶校准", "热电偶", "", "校准"),
        ("温湿度计校准", "温湿度计", "", "校准"),
        ("天平校准", "电子天平", "", "校准"),
        ("电梯检验", "电梯", "", "检验"),
        ("锅炉检验", "锅炉", "", "检验"),
        ("压力容器检验", "压力容器", "", "检验"),
        ("安全帽检测", "安全帽", "", "检测"),
        ("水泥检测", "水泥", "", "检测"),
        ("玩具检测", "儿童玩具", "", "检测"),
        ("电线电缆检测", "电线电缆", "", "检测"),
        ("瓷砖检测", "陶瓷砖", "", "检测"),
    ]
    for text, obj, par, verb in compound:
        add("compound", text, spec(obj, par, verb=verb))

    # prose typed into the search box, region in the text.
    prose = [
        ("我想找个地方检测家具甲醛", "家具", "甲醛", "检测", ""),
        ("医院体温计要检定，常州本地", "体温计", "", "检定", "3204"),
        ("哪里可以做安全帽冲击吸收测试", "安全帽", "冲击吸收", "测试", ""),
        ("无锡本地哪家能检定血压计", "血压计", "", "检定", "3202"),
        ("大米重金属超标了吗，想送检", "大米", "重金属", "", ""),
        ("新房装修完想测一下室内空气甲醛", "室内空气", "甲醛", "", ""),
        ("出租车计价器年检在哪里做 南京", "出租汽车计价器", "", "", "3201"),
        ("厂里的地磅要检定 江阴的", "电子汽车衡", "", "检定", "320281"),
        ("饮料里菌落总数怎么检测", "饮料", "菌落总数", "检测", ""),
        ("公司要做ISO14001认证 常州本地", "环境管理体系", "", "认证", "3204"),
        ("宝宝衣服甲醛含量检测", "纺织品", "甲醛", "检测", ""),
        ("加油站加油机检定 在宜兴", "加油机", "", "检定", "320282"),
        ("实验室温湿度计校准，出CNAS证书", "温湿度计", "", "校准", ""),
        ("车间行车定期检验 常州", "桥式起重机", "定期检验", "", "3204"),
        ("电梯年检 无锡本地", "电梯", "定期检验", "", "3202"),
        ("想给PE管做静液压试验", "塑料管材", "静液压", "", ""),
        ("在苏州做电线电缆导体电阻检测", "电线电缆", "导体电阻", "检测", "3205"),
        ("蔬菜农药残留快检机构，南京本地", "蔬菜", "农药残留", "", "3201"),
        ("玩具出口前要测小零件", "儿童玩具", "小零件", "", ""),
        ("压力容器定期检验 在昆山", "压力容器", "定期检验", "", "320583"),
        ("宜兴本地 茶叶农药残留检测", "茶叶", "农药残留", "检测", "320282"),
        ("锅炉定期检验 在溧阳", "锅炉", "定期检验", "", "320481"),
    ]
    for text, obj, par, verb, place in prose:
        add("prose", text, spec(obj, par, verb=verb, place=place))

    # management systems.
    mgmt = [
        ("ISO 14001", "环境管理体系", ""),
        ("ISO14001认证", "环境管理体系", "认证"),
        ("iso 9001", "质量管理体系", ""),
        ("ISO9001认证", "质量管理体系", "认证"),
        ("质量管理体系认证", "质量管理体系", "认证"),
        ("ISO 45001", "职业健康安全管理体系", ""),
        ("职业健康安全管理体系认证", "职业健康安全管理体系", "认证"),
        ("能源管理体系", "能源管理体系", ""),
        ("能源管理体系认证", "能源管理体系", "认证"),
        ("ISO 50001", "能源管理体系", ""),
        ("知识产权管理体系贯标", "知识产权管理体系", "贯标"),
        ("知识产权贯标", "知识产权管理体系", "贯标"),
        ("知识产权管理体系认证", "知识产权管理体系", "认证"),
        ("两化融合", "两化融合管理体系", ""),
        ("两化融合管理体系评定", "两化融合管理体系", "评定"),
        ("两化融合贯标", "两化融合管理体系", "贯标"),
        ("信息安全管理体系认证", "信息安全管理体系", "认证"),
        ("ISO 27001", "信息安全管理体系", ""),
        ("食品安全管理体系认证", "食品安全管理体系", "认证"),
        ("ISO 22000", "食品安全管理体系", ""),
        ("HACCP认证", "HACCP", "认证"),
        ("测量管理体系认证", "测量管理体系", "认证"),
        ("环境管理体系", "环境管理体系", ""),
        ("三体系认证", "管理体系", "认证"),
        ("管理体系认证", "管理体系", "认证"),
        ("质量管理体系贯标", "质量管理体系", "贯标"),
    ]
    for text, obj, verb in mgmt:
        add("mgmt_system", text, spec(obj, verb=verb))
    for text, obj, verb, region in [
        ("ISO 9001认证", "质量管理体系", "认证", "3204"),
        ("ISO 14001", "环境管理体系", "", "3202"),
        ("知识产权贯标", "知识产权管理体系", "贯标", "320282"),
        ("两化融合评定", "两化融合管理体系", "评定", "3205"),
        ("能源管理体系认证", "能源管理体系", "认证", "320281"),
    ]:
        add("mgmt_system", text, spec(obj, verb=verb, place=region), region=region)

    # verbs: the same object asked for verification, calibration, testing, certification.
    verb_cases = [
        ("压力表 检定", "压力表", "检定"),
        ("压力表 校准", "压力表", "校准"),
        ("一般压力表校准", "压力表", "校准"),
        ("电子天平 检定", "电子天平", "检定"),
        ("电子天平 校准", "电子天平", "校准"),
        ("血压计 检定", "血压计", "检定"),
        ("血压计 检测", "血压计", "检测"),
        ("体温计 检定", "体温计", "检定"),
        ("电子体温计 检测", "电子体温计", "检测"),
        ("电能表 检定", "电能表", "检定"),
        ("电能表 检测", "电能表", "检测"),
        ("声级计 检定", "声级计", "检定"),
        ("声级计 校准", "声级计", "校准"),
        ("酸度计 检定", "酸度计", "检定"),
        ("酸度计 校准", "酸度计", "校准"),
        ("万能试验机 检定", "万能试验机", "检定"),
        ("万能试验机 校准", "万能试验机", "校准"),
        ("卡尺 校准", "卡尺", "校准"),
        ("千分尺 校准", "千分尺", "校准"),
        ("扭矩扳子 校准", "扭矩扳子", "校准"),
        ("压力变送器 校准", "压力变送器", "校准"),
        ("砝码 检定", "砝码", "检定"),
        ("家用电器 检测", "家用电器", "检测"),
        ("家用电器 认证", "家用电器", "认证"),
        ("电线电缆 认证", "电线电缆", "认证"),
        ("儿童玩具 认证", "儿童玩具", "认证"),
        ("人造板 认证", "人造板", "认证"),
        ("人造板 检测", "人造板", "检测"),
        ("电流互感器 检定", "电流互感器", "检定"),
        ("心电图机 检定", "心电图机", "检定"),
    ]
    for text, obj, verb in verb_cases:
        add("verb", text, spec(obj, verb=verb))
    for text, obj, verb, region in [
        ("压力表检定", "压力表", "检定", "3204"),
        ("压力表校准", "压力表", "校准", "3204"),
        ("电子天平检定", "电子天平", "检定", "3202"),
        ("电子天平校准", "电子天平", "校准", "3202"),
        ("血压计检定", "血压计", "检定", "3201"),
    ]:
        add("verb", text, spec(obj, verb=verb, place=region), region=region)
    for text, obj, verb in [  # nothing offers these: the honest answer is empty
        ("体温计 校准", "体温计", "校准"),
        ("出租汽车计价器 校准", "出租汽车计价器", "校准"),
        ("电梯 认证", "电梯", "认证"),
        ("砝码 认证", "砝码", "认证"),
        ("锅炉 检定", "锅炉", "检定"),
    ]:
        add("verb", text, spec(obj, verb=verb), empty=True)

    # synonyms: the word a user types is not the word in the scope.
    synonyms = [
        ("行车 定期检验", "桥式起重机", "定期检验", ""),
        ("行车检验", "桥式起重机", "", "检验"),
        ("天车 检验", "桥式起重机", "", "检验"),
        ("地磅 检定", "电子汽车衡", "", "检定"),
        ("地磅", "电子汽车衡", "", ""),
        ("汽车衡检定", "电子汽车衡", "", "检定"),
        ("计价器 检定", "出租汽车计价器", "", "检定"),
        ("计价器", "出租汽车计价器", "", ""),
        ("贯标", "知识产权管理体系", "", "贯标"),
        ("3C认证", "", "强制性产品认证", "认证"),
        ("CCC认证", "", "强制性产品认证", "认证"),
        ("家电3C认证", "家用电器", "强制性产品认证", "认证"),
        ("电表 检定", "电能表", "", "检定"),
        ("电表检定", "电能表", "", "检定"),
        ("体温表 检定", "体温计", "", "检定"),
        ("血压表 检定", "血压计", "", "检定"),
        ("加油机", "加油机", "", ""),
        ("燃气表 检定", "燃气表", "", "检定"),
        ("叉车 检验", "叉车", "", "检验"),
        ("叉车定期检验", "叉车", "定期检验", ""),
        ("涂料 VOC", "涂料", "VOC", ""),
        ("锂电池 过充", "锂离子电池", "过充电", ""),
        ("PE管 静液压", "塑料管材", "静液压", ""),
        ("乳胶漆 检测", "涂料", "", "检测"),
        ("扭力扳手 校准", "扭矩扳子", "", "校准"),
        ("游标卡尺 校准", "卡尺", "", "校准"),
        ("高低温试验箱 校准", "环境试验设备", "", "校准"),
        ("pH计 校准", "酸度计", "", "校准"),
        ("地表水 COD", "地表水", "化学需氧量", ""),
        ("电瓶车 检测", "电动自行车", "", "检测"),
        ("家电 检测", "家用电器", "", "检测"),
        ("酒精检测仪 检定", "酒精检测仪", "", "检定"),
        ("两化融合 评定", "两化融合管理体系", "", "评定"),
    ]
    for text, obj, par, verb in synonyms:
        add("synonym", text, spec(obj, par, verb=verb))

    # regions: named in text, or as the filter code; counties with nobody widen.
    region_cases = [
        ("常州 压力表检定", "压力表", "", "检定", "3204", ""),
        ("宜兴 血压计检定", "血压计", "", "检定", "320282", ""),
        ("宜兴 体温计检定", "体温计", "", "检定", "320282", ""),
        ("江阴的 电梯定期检验", "电梯", "定期检验", "", "320281", ""),
        ("在宜兴 电梯检验", "电梯", "", "检验", "320282", ""),
        ("溧阳 电能表检定", "电能表", "", "检定", "320481", ""),
        ("金坛 压力表检定", "压力表", "", "检定", "320413", ""),
        ("张家港 加油机检定", "加油机", "", "检定", "320582", ""),
        ("无锡 水泥检测", "水泥", "", "检测", "3202", ""),
        ("南京 纺织品甲醛", "纺织品", "甲醛", "", "3201", ""),
        ("苏州 食品检测", "", "", "检测", "3205", ""),
        ("上海 质量管理体系认证", "质量管理体系", "", "认证", "3101", ""),
        ("杭州 起重机定期检验", "起重机", "定期检验", "", "3301", ""),
    ]
    for text, obj, par, verb, place, _ in region_cases:
        if not obj and not par:  # 食品 in general: any food object
            add("region", text, {"any_obj": FOODS, **spec(verb=verb, place=place)})
            continue
        add("region", text, spec(obj, par, verb=verb, place=place))
    filtered = [
        ("体温计 检定", "体温计", "", "检定", "320282"),
        ("血压计 检定", "血压计", "", "检定", "320282"),
        ("压力表 检定", "压力表", "", "检定", "320282"),
        ("电子汽车衡 检定", "电子汽车衡", "", "检定", "320281"),
        ("电梯 定期检验", "电梯", "定期检验", "", "320281"),
        ("锅炉 定期检验", "锅炉", "定期检验", "", "320282"),
        ("水泥 抗压强度", "水泥", "抗压强度", "", "3204"),
        ("家具 甲醛", "家具", "甲醛", "", "3204"),
        ("安全帽 冲击吸收", "安全帽", "冲击吸收", "", "3202"),
        ("电能表 检定", "电能表", "", "检定", "320412"),
        ("出租汽车计价器", "出租汽车计价器", "", "", "320583"),
        ("质量管理体系", "质量管理体系", "", "", "320281"),
        ("电线电缆 导体电阻", "电线电缆", "导体电阻", "", "32"),
        ("压力表 校准", "压力表", "", "校准", "320282"),
        ("钢筋 屈服强度", "钢筋", "屈服强度", "", "320411"),
        ("食用植物油 酸价", "食用植物油", "酸价", "", "3202"),
        ("儿童玩具 小零件", "儿童玩具", "小零件", "", "32"),
        ("桥式起重机 定期检验", "桥式起重机", "定期检验", "", "3205"),
    ]
    for text, obj, par, verb, region in filtered:
        add("region", text, spec(obj, par, verb=verb, place=region), region=region)

    # standard numbers typed loosely.
    standards = [
        "GB/T 6111",
        "gb6111",
        "gbt6111-2018",
        "GB/T6111-2018",
        "JJG52",
        "jjg 52-2013",
        "JJG 52",
        "JJF 1059.1",
        "jjf1059.1-2012",
        "JJF1587",
        "jjf 1076",
        "GB 4789.2",
        "gb4789.2-2022",
        "GB/T 17671",
        "HJ 828",
        "hj535",
        "TSG 21",
        "tsg t7001",
        "GB 2811",
        "GB/T 2812",
        "gb6675.2",
        "GB 18584",
        "GB/T 29490",
        "GB/T 228.1",
        "GB 31241",
        "YY 0469",
        "JJG 1162",
        "GB/T 21416",
        "jjg596",
        "JJG 517-2016",
        "GB 5009.12",
        "gb/t 19001",
        "GB 4706.1",
        "JJG 539",
        "GB/T 18883",
        "JJG 882",
        "TSG Q7015",
    ]
    for text in standards:
        add("standard", text, {"std": text}, empty=text in ("GB 2811",))
    for text, std, region in [("JJG 52", "JJG 52", "3204"), ("GB/T 6111", "GB/T 6111", "3202")]:
        add("standard", text, {"std": std, "region": region}, region=region)
    add("standard", "JJG 52 检定", {"std": "JJG 52", "verbs": ["verification"]})
    add("standard", "JJG 52 校准", {"std": "JJG 52", "verbs": ["calibration"]})

    # typos and pinyin: the expected outcome is a suggestion ("您是不是要找").
    typos = [
        ("计最", ["计量"]),
        ("jiliang", ["计量"]),
        ("dianbiao", ["电表", "电能表"]),
        ("血压汁", ["血压计"]),
        ("体温记", ["体温计"]),
        ("甲荃", ["甲醛"]),
        ("混泥土", ["混凝土"]),
        ("安全冒", ["安全帽"]),
        ("菌洛总数", ["菌落总数"]),
        ("起重机戒", ["起重机械", "起重机"]),
        ("压力彪", ["压力表"]),
        ("电能彪", ["电能表"]),
        ("钢筯", ["钢筋"]),
        ("陶磁砖", ["陶瓷砖"]),
        ("xueyaji", ["血压计"]),
        ("tiwenji", ["体温计"]),
        ("jiaquan", ["甲醛"]),
        ("dianti", ["电梯"]),
        ("guolu", ["锅炉"]),
        ("shuibiao", ["水表"]),
        ("anquanmao", ["安全帽"]),
        ("shuini", ["水泥"]),
        ("gangjin", ["钢筋"]),
        ("wanju", ["玩具", "儿童玩具"]),
        ("tianping", ["天平", "电子天平"]),
        ("jiayouji", ["加油机", "燃油加油机"]),
        ("yalibiao", ["压力表", "一般压力表"]),
        ("家俱甲醛", ["家具"]),
        ("电线电揽", ["电线电缆"]),
        ("锂电他", ["锂电池", "锂离子电池"]),
    ]
    for text, words in typos:
        add("typo", text, {}, suggest=words)

    # near misses: the word in a name, or inside a longer object.
    near = [
        ("电能表", "电能表", "", ""),
        ("体温计", "体温计", "", ""),
        ("安全帽", "安全帽", "", ""),
        ("血压计", "血压计", "", ""),
        ("起重机", "起重机", "", ""),
        ("饮料", "饮料", "", ""),
        ("电梯", "电梯", "", ""),
        ("锅炉", "锅炉", "", ""),
        ("常州 电能表", "电能表", "", "3204"),
        ("无锡 体温计", "体温计", "", "3202"),
        ("江阴 安全帽", "安全帽", "", "320281"),
        ("南京 血压计", "血压计", "", "3201"),
        ("苏州 电梯", "电梯", "", "3205"),
        ("宜兴 甲醛", "", "甲醛", "320282"),
        ("常州 起重机", "起重机", "", "3204"),
        ("无锡 饮料", "饮料", "", "3202"),
        ("常州 锅炉", "锅炉", "", "3204"),
        ("计量器具 检定", "", "", ""),
        ("ISO 认证", "管理体系", "", ""),
        ("电能表 基本误差", "电能表", "基本误差", ""),
        ("体温计 示值误差", "体温计", "示值误差", ""),
        ("饮料 菌落总数", "饮料", "菌落总数", ""),
        ("电梯 定期检验", "电梯", "定期检验", ""),
    ]
    for text, obj, par, place in near:
        if text == "计量器具 检定":  # every verification line is one
            add("near_miss", text, {"verbs": ["verification"]})
            continue
        verb = "认证" if text == "ISO 认证" else ""
        add("near_miss", text, spec(obj, par, verb=verb, place=place))
    add("near_miss", "电能表箱", {"obj_exact": "电能表箱"})
    add("near_miss", "食品机械 卫生", {"obj_exact": "食品机械"})
    for text in ("核磁共振仪 检定", "船舶 检验", "航空器 适航认证"):  # nobody, anywhere
        add("near_miss", text, {"nothing": True}, empty=True)
    del rng
    return q


# Demands: prose templates by verb, filled from the vocabulary.
WHO = ["我们医院", "我们诊所", "社区卫生服务中心", "我们药店", "我们厂", "我司", "公司", "我们单位"]


def make_demands(rng: random.Random) -> list[Item]:
    d: list[Item] = []

    def add(cls: str, text: str, sp: dict, **kw) -> None:
        d.append(Item(cls, text.replace("的的", "的"), sp, **kw))

    def place(code: str) -> str:
        return rng.choice(PLACE_WORDS[code]) if code else ""

    # prose: verification of medical / trade instruments, with the region in the text.
    verify_items = [
        ("体温计", "一批体温计", "体温计"),
        ("血压计", "几台血压计", "血压计"),
        ("电子计价秤", "二十台电子秤", "电子秤"),
        ("加油机", "四台加油机", "加油机"),
        ("电子汽车衡", "一台地磅", "地磅"),
        ("压力表", "三十块压力表", "压力表"),
        ("水表", "一批水表", "水表"),
        ("心电图机", "两台心电图机", "心电图机"),
        ("出租汽车计价器", "车队的计价器", "计价器"),
        ("电能表", "园区的电表", "电表"),
        ("声级计", "一台声级计", "声级计"),
        ("酒精检测仪", "几台酒精检测仪", "酒精检测仪"),
    ]
    regions = ["3204", "3202", "320282", "320281", "3201", "3205", "320481", "320412", "320583", ""]
    templates = [
        "{who}新买了{what}，要先检定才能用，{place}",
        "{who}{what}到期了，需要做强制检定，出具检定证书。{place}",
        "{place}，{what}每年要强检，哪家机构能上门检定？",
        "{who}有{what}需要检定，最好{place}的法定计量机构",
    ]
    for n, (obj, what, _) in enumerate(verify_items):
        for k in range(3):
            region = regions[(n * 3 + k) % len(regions)]
            who = rng.choice(WHO)
            text = templates[(n + k) % len(templates)].format(
                who=who, what=what, place=place(region) or "不限地区"
            )
            add("prose", text, spec(obj, verb="检定", place=region))
    # prose: testing, region in text; food heavy metals must bring food labs.
    test_items = [
        ("大米", "重金属", "我们是{place}的一家大米加工厂，想检测大米里的重金属（铅、镉）含量"),
        ("蔬菜", "农药残留", "合作社种的蔬菜要上超市，需要一份农药残留检测报告，{place}"),
        ("水产品", "汞", "{place}的水产养殖场，想测一下鱼虾的汞含量"),
        ("家具", "甲醛", "我们是{place}的家具厂，出口的木家具要测甲醛释放量"),
        ("纺织品", "甲醛", "{place}服装厂，童装面料需要检测甲醛含量和pH值"),
        ("安全帽", "冲击吸收", "工地采购了一批安全帽，想抽检冲击吸收性能，{place}"),
        ("水泥", "抗压强度", "{place}搅拌站，水泥进场要复检抗压强度"),
        ("钢筋", "屈服强度", "{place}建筑工地，热轧带肋钢筋进场见证取样，测屈服强度和抗拉强度"),
        ("饮料", "菌落总数", "我们是{place}的饮料厂，新品果汁要做菌落总数检测"),
        ("儿童玩具", "小零件", "{place}玩具厂，出口前要做小零件和可迁移元素测试"),
        ("塑料管材", "静液压", "我司生产PE给水管，需要做静液压强度检测，{place}"),
        ("生活饮用水", "菌落总数", "{place}的小区二次供水，想检测生活饮用水菌落总数"),
        ("室内空气", "甲醛", "新办公室装修好了，{place}，想做室内空气甲醛检测"),
        ("家用电器", "泄漏电流", "{place}小家电企业，电热水壶要测泄漏电流和电气强度"),
        ("锂离子电池", "过充电", "充电宝要做过充电和短路测试，{place}"),
        ("陶瓷砖", "吸水率", "{place}的瓷砖经销商，要给陶瓷砖做吸水率检测"),
        ("口罩", "过滤效率", "{place}口罩厂，医用外科口罩细菌过滤效率送检"),
        ("废水", "氨氮", "{place}工厂排污许可需要废水氨氮监测"),
        ("食用植物油", "酸价", "{place}的粮油店，散装食用油想测酸价和过氧化值"),
        ("电线电缆", "导体电阻", "{place}电缆厂，成品电线电缆导体电阻抽检"),
    ]
    test_regions = ["3204", "3202", "320282", "3201", "3205", "320281", "", "3204", "3202", ""]
    for n, (obj, par, template) in enumerate(test_items):
        region = test_regions[n % len(test_regions)]
        text = template.format(place=place(region) or "外地也可以")
        add("prose", text, spec(obj, par, place=region))
    # verbs in prose.
    verb_demands = [
        ("压力表", "检定", "锅炉房的一般压力表需要强制检定，要法定计量机构的检定证书"),
        ("压力表", "校准", "公司实验室的压力表需要校准，要CNAS校准证书就行，不用检定"),
        ("电子天平", "校准", "质检部的电子天平做内部质量控制，需要校准证书"),
        ("电子天平", "检定", "药店称中药的电子天平属于强检，需要检定"),
        ("血压计", "检定", "社区医院的血压计需要周期检定"),
        ("血压计", "检测", "我们是血压计生产厂家，新产品要做注册检验，测性能要求"),
        ("体温计", "检测", "我们生产医用电子体温计，需要型式检验报告"),
        ("电能表", "检测", "我们是智能电能表厂家，需要第三方做外观及结构等型式试验"),
        ("电能表", "检定", "园区分表计费用的电能表要检定，保证计量准确"),
        ("万用表", "校准", "车间十几块数字多用表要送校准"),
        ("热电偶", "校准", "热处理炉用的热电偶每年要校准一次"),
        ("温湿度计", "校准", "仓库GSP认证要求温湿度计有校准证书"),
        ("卡尺", "校准", "来料检验用的游标卡尺和千分尺要做校准"),
        ("万能试验机", "检定", "实验室的万能试验机要检定，出检定证书"),
        ("家用电器", "认证", "我们的电饭煲要上市销售，需要办3C认证"),
        ("家用电器", "检测", "电饭煲出口前做安全检测，主要是泄漏电流"),
        ("电线电缆", "认证", "电缆厂新产品要做CCC认证"),
        ("儿童玩具", "认证", "玩具要在国内销售，需要做3C认证"),
        ("人造板", "认证", "我们的人造板想申请绿色产品认证"),
        ("砝码", "检定", "质检站的标准砝码到期，需要检定"),
        ("体温计", "校准", "医院想给体温计做校准而不是检定"),
    ]
    for obj, verb, text in verb_demands:
        add("verb", text, spec(obj, verb=verb), empty=(obj, verb) == ("体温计", "校准"))
    # validity: items offered only by some labs whose qualification lapsed or was withdrawn are
    # chosen after the institutions are built (see label_validity); here the fixed ones.
    validity_demands = [
        ("压力表", "检定", "320413", "金坛的企业，压力表需要检定，最好就近"),
        ("压力表", "校准", "320413", "金坛的企业，压力表只要校准证书"),
        ("加油机", "检定", "320582", "张家港的加油站，加油机年度检定"),
        ("电子汽车衡", "检定", "320582", "张家港的物流园地磅要检定"),
    ]
    for obj, verb, region, text in validity_demands:
        add("validity", text, spec(obj, verb=verb, place=region))
    # mgmt systems in prose.
    mgmt_demands = [
        (
            "环境管理体系",
            "认证",
            "3204",
            "公司准备做ISO 14001环境管理体系认证，{place}有没有认证机构",
        ),
        ("质量管理体系", "认证", "3202", "我们是{place}的机械加工企业，客户要求通过ISO 9001认证"),
        ("知识产权管理体系", "贯标", "320282", "我们是{place}的高新技术企业，想做知识产权贯标"),
        ("两化融合管理体系", "评定", "3205", "{place}企业申报智能制造，需要两化融合管理体系评定"),
        ("职业健康安全管理体系", "认证", "3201", "投标需要ISO 45001证书，{place}"),
        ("能源管理体系", "认证", "3204", "重点用能单位要建立能源管理体系并认证，{place}"),
        ("信息安全管理体系", "认证", "3201", "软件公司要做ISO 27001信息安全管理体系认证，{place}"),
        ("食品安全管理体系", "认证", "3202", "{place}的食品厂要做ISO 22000食品安全管理体系认证"),
        ("HACCP", "认证", "", "出口食品企业需要HACCP体系认证"),
        ("测量管理体系", "认证", "3204", "{place}企业想申请测量管理体系认证"),
        ("质量管理体系", "贯标", "320281", "{place}小企业想请人辅导质量管理体系贯标"),
        ("知识产权管理体系", "认证", "", "贯标辅导做完了，现在要找认证机构做知识产权管理体系认证"),
    ]
    for obj, verb, region, template in mgmt_demands:
        add("mgmt_system", template.format(place=place(region)), spec(obj, verb=verb, place=region))
    # synonyms in prose.
    synonym_demands = [
        ("桥式起重机", "定期检验", "3204", "车间有三台行车，到了定期检验的时间，{place}"),
        ("桥式起重机", "定期检验", "3202", "{place}的厂房天车要年检"),
        ("电子汽车衡", "", "3204", "{place}废品回收站的地磅要检定"),
        ("叉车", "定期检验", "3202", "仓库叉车要做定期检验，{place}"),
        ("出租汽车计价器", "", "3201", "{place}出租车公司，计价器年检"),
        ("电能表", "", "320281", "{place}的厂里电表要检定"),
        ("加油机", "", "320282", "{place}加油站的加油机检定"),
        ("涂料", "VOC", "", "乳胶漆出厂要测VOC"),
        ("锂离子电池", "过充电", "3205", "{place}电池厂，锂电池过充测试"),
        ("体温计", "", "3204", "{place}学校的体温表要检定"),
        ("酸度计", "", "", "化验室的pH计要校准"),
        ("扭矩扳子", "", "3204", "装配线上的扭力扳手要校准，{place}"),
    ]
    syn_verbs = {
        0: "",
        1: "",
        2: "检定",
        3: "",
        4: "检定",
        5: "检定",
        6: "检定",
        9: "检定",
        10: "校准",
        11: "校准",
    }
    for n, (obj, par, region, template) in enumerate(synonym_demands):
        add(
            "synonym",
            template.format(place=place(region)),
            spec(obj, par, verb=syn_verbs.get(n, ""), place=region),
        )
    # regions: county named, widening to the city when nobody is there.
    region_demands = [
        ("血压计", "", "检定", "320282", "{place}卫生院血压计需要检定"),
        ("体温计", "", "检定", "320282", "{place}几家诊所的体温计要检定"),
        ("电梯", "定期检验", "", "320281", "{place}小区电梯定期检验"),
        ("电能表", "", "检定", "320481", "{place}工业园电能表检定"),
        ("压力表", "", "检定", "320412", "{place}的工厂压力表检定"),
        ("水泥", "抗压强度", "", "320282", "{place}的搅拌站水泥抗压强度检测"),
        ("安全帽", "冲击吸收", "", "320281", "{place}建筑公司安全帽抽检"),
        ("家具", "甲醛", "", "320413", "{place}家具厂甲醛释放量检测"),
        ("电梯", "定期检验", "", "320282", "{place}商场扶梯和电梯的定期检验"),
        ("锅炉", "定期检验", "", "320481", "{place}印染厂锅炉定期检验"),
        ("质量管理体系", "", "认证", "320282", "{place}企业ISO9001认证"),
        ("出租汽车计价器", "", "检定", "320583", "{place}出租车计价器检定"),
        ("燃气表", "", "检定", "320115", "{place}燃气公司的膜式燃气表检定"),
        ("纺织品", "色牢度", "", "320581", "{place}面料厂色牢度检测"),
        ("电子汽车衡", "", "检定", "320413", "{place}的粮库地磅检定"),
    ]
    for n, (obj, par, verb, region, template) in enumerate(region_demands):
        filter_region = region if n % 2 else ""
        add(
            "region",
            template.format(place=place(region)),
            spec(obj, par, verb=verb, place=region),
            region=filter_region,
        )
    # standards in prose.
    standard_demands = [
        ("GB/T 6111", "我司生产PE给水管，需要按GB/T 6111-2018做静液压强度检测，出具CMA报告"),
        ("JJG 52", "车间有20块一般压力表到期，需要检定，JJG 52"),
        ("GB 4789.2", "按GB 4789.2测饮料菌落总数"),
        ("GB/T 17671", "水泥胶砂强度按GB/T 17671检验"),
        ("JJF 1587", "数字多用表按JJF1587校准"),
        ("GB/T 2812", "安全帽按GB/T 2812做冲击吸收和耐穿刺"),
        ("GB 18584", "木家具按GB 18584检测有害物质"),
        ("TSG 21", "固定式压力容器按TSG 21做定期检验"),
        ("GB 6675.2", "玩具按gb6675.2测小零件"),
        ("GB/T 29490", "按GB/T 29490建立知识产权管理体系"),
        ("JJG 1162", "医用电子体温计按JJG 1162检定"),
        ("HJ 828", "地表水化学需氧量按HJ 828测定"),
        ("GB 31241", "移动电源按GB 31241做安全测试"),
        ("JJG 539", "电子汽车衡按JJG 539检定"),
        ("GB/T 228.1", "钢材拉伸试验按GB/T 228.1"),
    ]
    for std, text in standard_demands:
        add("standard", text, {"std": std})
    # near misses in prose.
    near_demands = [
        ("电能表", "检定", "3204", "{place}，用电计量纠纷，需要对电能表进行检定"),
        ("体温计", "检定", "3202", "{place}，幼儿园的体温计要检定"),
        ("安全帽", "检测", "320281", "{place}安全帽质量检测"),
        ("饮料", "检测", "3202", "{place}饮料厂，饮料甜蜜素检测"),
        ("电梯", "检验", "3205", "{place}电梯检验"),
        ("起重机", "检验", "3204", "{place}起重机械检验"),
        ("锅炉", "检验", "3204", "{place}燃气锅炉检验"),
        ("血压计", "检定", "3201", "{place}血压计检定"),
    ]
    for obj, verb, region, template in near_demands:
        add("near_miss", template.format(place=place(region)), spec(obj, verb=verb, place=region))
    # compound words inside prose.
    compound_demands = [
        ("家具", "甲醛", "想做家具甲醛检测，出报告"),
        ("饮料", "菌落总数", "饮料菌落总数超标复检"),
        ("安全帽", "冲击吸收", "安全帽冲击吸收性能不合格，想复测"),
        ("纺织品", "色牢度", "纺织品色牢度检测多少钱"),
        ("大米", "镉", "大米镉超标怎么办，先送检"),
    ]
    for obj, par, text in compound_demands:
        add("compound", text, spec(obj, par))
    add("prose", "想给游艇做船级社检验", {"nothing": True}, empty=True)
    add("prose", "核电站设备的核安全检验", {"nothing": True}, empty=True)
    return d


def label(items: list[Item], institutions: list[dict], prefix: str) -> list[dict]:
    """Label by rule, check the designed-empty ones are empty (and no other is), dedupe on
    (text, filters), number in order."""
    by_key = {i["key"]: i for i in institutions}
    out, seen, problems = [], set(), []
    for item in items:
        marker = (item.text, item.region, item.category)
        if marker in seen:
            continue
        seen.add(marker)
        sp = dict(item.spec)
        keys, came_from = ([], "") if item.cls == "typo" else relevant(institutions, sp)
        if item.empty and keys:
            problems.append(f"{item.text}: meant to be empty, found {keys[:5]}")
        if not item.empty and item.cls != "typo" and not keys:
            problems.append(f"{item.text}: nothing fits {sp}")
        record = {
            "id": f"{prefix}{len(out) + 1:03d}",
            "class": item.cls,
            "text": item.text,
            "region": item.region,
            "category": item.category,
            "relevant": keys,
            "spec": sp,
        }
        if came_from and came_from != sp.get("region"):
            record["widened_to"] = came_from
        if item.suggest:
            record["suggest"] = item.suggest
        record["relevant_names"] = [by_key[k]["name"] for k in keys[:8]]
        out.append(record)
    if problems:
        raise AssertionError("\n".join(problems))
    return out


def validity_queries(institutions: list[dict]) -> list[Item]:
    """For institutions holding a lapsed or withdrawn qualification with lines: query one of
    those lines (object and parameter, spaced), so that the trap is the only difficulty."""
    items = []
    seen = set()
    for institution in institutions:
        for qualification in institution["qualifications"]:
            if valid(qualification) or not qualification["lines"]:
                continue
            for entry in qualification["lines"][:2]:
                text = f"{entry['object']} {entry['parameter']}".strip()
                if text in seen:
                    continue
                seen.add(text)
                sp = {"obj_exact": entry["object"]}
                if entry["parameter"]:
                    sp["par_exact"] = entry["parameter"]
                items.append(Item("validity", text, sp))
    return items


def main() -> None:
    rng = random.Random(SEED)  # noqa: S311 - synthetic data, reproducible
    institutions = build_institutions(rng)
    queries = make_queries(rng)
    extra = validity_queries(institutions)
    rng.shuffle(extra)
    queries += extra[:40]
    # Validity across services: an institution whose CMA lapsed but whose CNCA is valid.
    for institution in institutions:
        types = {q["type"]: q for q in institution["qualifications"]}
        if "CNCA" in types and "CMA" in types and valid(types["CNCA"]) and not valid(types["CMA"]):
            cert = types["CNCA"]["lines"][0]
            testing = types["CMA"]["lines"][0]
            queries.append(
                Item("validity", f"{cert['object']} 认证", {"obj_exact": cert["object"]})
            )
            queries.append(
                Item(
                    "validity",
                    f"{testing['object']} {testing['parameter']} 检测",
                    {
                        "obj_exact": testing["object"],
                        "par_exact": testing["parameter"],
                        "verbs": ["testing"],
                    },
                )
            )
    demands = make_demands(rng)
    # Validity in prose: the trapped lines not used for queries, as a client would write them.
    tested = {e[0] for family in TEST.values() for e in family}
    for item in [it for it in extra[40:] if it.spec["obj_exact"] in tested][:20]:
        sp = item.spec
        text = rng.choice(
            [
                "我们需要做{o}的{p}检测，出具CMA报告",
                "{o}送检，检测项目：{p}",
                "请推荐能做{o}{p}的检验检测机构",
            ]
        ).format(o=sp["obj_exact"], p=sp.get("par_exact", ""))
        demands.append(Item("validity", text, {**sp, "verbs": ["testing"]}))
    query_rows = label(queries, institutions, "q")
    demand_rows = label(demands, institutions, "d")
    write(HERE / "institutions.jsonl", institutions)
    write(HERE / "queries.jsonl", query_rows)
    write(HERE / "demands.jsonl", demand_rows)
    counts: dict[str, list[int]] = {}
    for row in query_rows:
        counts.setdefault(row["class"], [0, 0])[0] += 1
    for row in demand_rows:
        counts.setdefault(row["class"], [0, 0])[1] += 1
    print(
        f"institutions: {len(institutions)}; queries: {len(query_rows)}; demands: {len(demand_rows)}"
    )
    for cls, (nq, nd) in sorted(counts.items()):
        print(f"  {cls:<12} queries {nq:>3}  demands {nd:>3}")


def write(path: Path, rows: list[dict]) -> None:
    path.write_text(
        "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), encoding="utf-8"
    )


if __name__ == "__main__":
    main()
