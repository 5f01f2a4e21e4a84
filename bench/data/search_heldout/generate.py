"""Held-out search / recommendation set B for bench/search_quality.py.

    python bench/data/search_heldout/generate.py          # rewrites the three .jsonl files

Written without reading the search engine, the recommender or the seeded synonym list: the
vocabulary, the everyday words and the labels are this script's own judgement. Seeded and
deterministic; no qihub / Django imports. Labels are computed by rule from the structured data
below (see README.md beside this file), never by running qihub.
"""

import json
import random
import re
from pathlib import Path

HERE = Path(__file__).resolve().parent
SEED = 4207
TODAY = "2026-12-01"

# --------------------------------------------------------------------------- regions (GB/T 2260)
PLACES = {
    "320000": "江苏省",
    "320300": "徐州市",
    "320302": "鼓楼区",
    "320311": "泉山区",
    "320312": "铜山区",
    "320381": "新沂市",
    "320382": "邳州市",
    "320321": "丰县",
    "320600": "南通市",
    "320612": "通州区",
    "320613": "崇川区",
    "320614": "海门区",
    "320623": "如东县",
    "320681": "启东市",
    "320682": "如皋市",
    "320685": "海安市",
    "320900": "盐城市",
    "320902": "亭湖区",
    "320903": "盐都区",
    "320904": "大丰区",
    "320925": "建湖县",
    "320981": "东台市",
    "321000": "扬州市",
    "321002": "广陵区",
    "321003": "邗江区",
    "321012": "江都区",
    "321023": "宝应县",
    "321081": "仪征市",
    "321084": "高邮市",
    "330000": "浙江省",
    "330100": "杭州市",
    "330105": "拱墅区",
    "330106": "西湖区",
    "330108": "滨江区",
    "330109": "萧山区",
    "330110": "余杭区",
    "330111": "富阳区",
    "330182": "建德市",
    "330200": "宁波市",
    "330203": "海曙区",
    "330206": "北仑区",
    "330212": "鄞州区",
    "330281": "余姚市",
    "330282": "慈溪市",
    "340000": "安徽省",
    "340100": "合肥市",
    "340102": "瑶海区",
    "340104": "蜀山区",
    "340111": "包河区",
    "340121": "长丰县",
    "340123": "肥西县",
    "340181": "巢湖市",
}
CITY = {
    "3203": "徐州",
    "3206": "南通",
    "3209": "盐城",
    "3210": "扬州",
    "3301": "杭州",
    "3302": "宁波",
    "3401": "合肥",
}
COUNTIES = {
    c: [k for k in PLACES if k[:4] == c and not k.endswith("00")] for c in CITY
}  # every county of the seven cities used here

# --------------------------------------------------------------------------- vocabulary
# Object concepts: a line's object must END with one of the words (the head noun is last).
OBJ = {
    "出租车计价器": ["出租汽车计价器", "出租车计价器", "计价器"],
    "加油机": ["加油机"],
    "电子秤": ["电子秤", "电子计价秤", "电子台秤", "数字指示秤"],
    "地磅": ["电子汽车衡", "汽车衡", "地磅"],
    "水表": ["水表"],
    "燃气表": ["燃气表", "煤气表"],
    "血压计": ["血压计", "血压表"],
    "心电图机": ["心电图机", "心电图仪"],
    "注射泵": ["注射泵"],
    "压力表": ["压力表"],
    "电能表": ["电能表", "电表", "电度表"],
    "酒精检测仪": ["酒精含量检测仪", "酒精检测仪", "酒精测试仪"],
    "测速仪": ["测速仪"],
    "声级计": ["声级计"],
    "砝码": ["砝码"],
    "天平": ["天平"],
    "万用表": ["万用表", "多用表"],
    "示波器": ["示波器"],
    "温度计": ["温度计"],
    "热电偶": ["热电偶"],
    "温湿度计": ["温湿度计"],
    "压力传感器": ["压力传感器"],
    "压力变送器": ["压力变送器"],
    "扭矩扳子": ["扭矩扳子", "扭矩扳手", "扭力扳手", "力矩扳手"],
    "卡尺": ["卡尺"],
    "千分尺": ["千分尺"],
    "兆欧表": ["绝缘电阻表", "兆欧表", "摇表"],
    "接地电阻表": ["接地电阻表", "接地电阻测试仪"],
    "纺织品": ["纺织品", "纺织产品", "服装", "内衣", "面料", "布料"],
    "服装": ["服装", "内衣", "衣服"],
    "羽绒服": ["羽绒服装", "羽绒服"],
    "童装": ["婴幼儿纺织产品", "婴幼儿服装", "童装"],
    "玩具": ["玩具"],
    "儿童自行车": ["儿童自行车"],
    "制动软管": ["制动软管", "刹车管", "刹车软管"],
    "刹车片": ["制动器衬片", "制动衬片", "刹车片"],
    "安全带": ["安全带"],
    "内饰材料": ["内饰材料"],
    "前照灯": ["前照灯", "大灯"],
    "汽车座椅": ["汽车座椅"],
    "车内空气": ["车内空气"],
    "口罩": ["口罩"],
    "注射器": ["注射器"],
    "防护服": ["防护服"],
    "医用电气设备": ["医用电气设备"],
    "手套": ["手套"],
    "地表水": ["地表水"],
    "地下水": ["地下水"],
    "废水": ["废水", "污水"],
    "水质": ["水", "水质"],
    "饮用水": ["饮用水", "自来水"],
    "环境空气": ["环境空气"],
    "室内空气": ["室内空气"],
    "废气": ["废气"],
    "厂界噪声": ["厂界环境噪声", "厂界噪声"],
    "噪声": ["噪声", "噪音"],
    "土壤": ["土壤"],
    "油烟": ["油烟"],
    "蔬菜": ["蔬菜", "青菜"],
    "水果": ["水果"],
    "茶叶": ["茶叶"],
    "大米": ["大米", "稻谷"],
    "粮食": ["粮食", "大米", "稻谷", "小麦", "玉米"],
    "肉": ["畜禽肉", "猪肉", "禽肉"],
    "农产品": ["农产品", "蔬菜", "水果", "茶叶", "大米", "粮食", "畜禽肉"],
    "空调": ["空调器", "空调"],
    "冰箱": ["电冰箱", "冰箱"],
    "洗衣机": ["洗衣机"],
    "热水器": ["热水器"],
    "电饭锅": ["电饭锅", "电饭煲"],
    "家用电器": [
        "家用电器",
        "家电",
        "空调器",
        "电冰箱",
        "洗衣机",
        "热水器",
        "电饭锅",
        "电磁灶",
        "吸尘器",
    ],
    "水泥": ["水泥"],
    "混凝土": ["混凝土", "砼"],
    "钢筋": ["钢筋", "螺纹钢"],
    "防水卷材": ["防水卷材"],
    "人造板": ["人造板", "胶合板", "刨花板", "纤维板", "板材"],
    "涂料": ["涂料", "油漆"],
    "瓷砖": ["陶瓷砖", "瓷砖"],
    "保温材料": ["保温材料", "保温板"],
    "砂浆": ["砂浆"],
    "化妆品": ["化妆品", "护肤品", "乳液", "洗发液"],
    "纸箱": ["纸箱"],
    "食品接触材料": ["材料及制品", "食品接触材料", "食品包装材料"],
    "包装材料": ["包装材料", "纸箱", "复合膜", "编织袋", "材料及制品"],
    "编织袋": ["编织袋"],
    "电梯": ["电梯", "自动扶梯", "自动人行道"],
    "扶梯": ["扶梯"],
    "锅炉": ["锅炉"],
    "压力容器": ["压力容器"],
    "起重机": ["起重机", "起重机械", "行车", "天车", "龙门吊"],
    "叉车": ["场（厂）内专用机动车辆", "叉车"],
    "安全阀": ["安全阀"],
    "压力管道": ["压力管道"],
    "气瓶": ["气瓶"],
    "质量管理体系": ["质量管理体系", "质量体系"],
    "环境管理体系": ["环境管理体系"],
    "职业健康安全管理体系": ["职业健康安全管理体系"],
    "能源管理体系": ["能源管理体系"],
    "信息安全管理体系": ["信息安全管理体系"],
    "知识产权管理体系": ["知识产权管理体系"],
    "两化融合管理体系": ["两化融合管理体系"],
    "有机产品": ["有机产品"],
    "绿色产品": ["绿色产品"],
    "标准": ["企业标准", "团体标准"],
    "核磁共振仪": ["核磁共振仪"],
    "船舶": ["船舶"],
}
# Parameter concepts: the line's parameter (certification lines without one: the object) must
# CONTAIN one of the words.
PAR = {
    "甲醛": ["甲醛"],
    "pH": ["pH"],
    "色牢度": ["色牢度"],
    "芳香胺": ["芳香胺"],
    "纤维含量": ["纤维含量"],
    "起球": ["起毛起球", "起球"],
    "绒子含量": ["绒子含量", "含绒量"],
    "邻苯": ["邻苯二甲酸酯", "塑化剂"],
    "重金属": ["重金属", "铅", "镉", "汞", "砷", "铬", "可迁移元素"],
    "铅": ["铅"],
    "镉": ["镉"],
    "汞": ["汞"],
    "燃烧": ["燃烧"],
    "细菌过滤效率": ["细菌过滤效率"],
    "无菌": ["无菌"],
    "电气安全": ["电气安全"],
    "化学需氧量": ["化学需氧量", "COD"],
    "氨氮": ["氨氮"],
    "总磷": ["总磷"],
    "PM2.5": ["PM2.5"],
    "二氧化硫": ["二氧化硫"],
    "氮氧化物": ["氮氧化物"],
    "非甲烷总烃": ["非甲烷总烃"],
    "挥发性有机物": ["挥发性有机物", "挥发性有机化合物", "VOC"],
    "农药残留": ["农药残留", "农药多残留", "农残"],
    "黄曲霉毒素": ["黄曲霉毒素"],
    "瘦肉精": ["瘦肉精", "克伦特罗"],
    "能效": ["能效", "能源效率"],
    "电磁兼容": ["电磁兼容"],
    "噪声": ["噪声", "噪音"],
    "抗压强度": ["抗压强度"],
    "拉伸": ["拉伸", "屈服强度", "抗拉强度"],
    "菌落总数": ["菌落总数"],
    "防晒": ["防晒"],
    "激素": ["糖皮质激素", "激素"],
    "总迁移量": ["总迁移量"],
    "边压强度": ["边压强度"],
    "强制性产品认证": ["强制性产品认证", "CCC", "3C"],
    "定期检验": ["定期检验"],
    "监督检验": ["监督检验"],
    "吸水率": ["吸水率"],
    "石油烃": ["石油烃"],
    "配光": ["配光"],
    "爆破压力": ["爆破压力"],
    "耐破": ["耐破"],
    "安定性": ["安定性"],
}
# Verb words of a line's own text (labelling rule 2).
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
    "CMA": "testing",
    "CNCA": "certification",
    "SE_INSPECTION": "testing",
}
BY_CATEGORY = {
    "metrology": "calibration",
    "testing": "testing",
    "special_equipment": "testing",
    "pharma": "testing",
    "certification": "certification",
}

# --------------------------------------------------------------------------- scope line pools
# (object, parameter, standard, verb, draw probability); category per pool.
JJG = [
    ("出租汽车计价器", "计程计时误差", "JJG 517-2016", "", 0.0),  # city institutes only
    ("燃油加油机", "示值误差", "JJG 443-2015", "", 1.0),
    ("电子计价秤", "称量示值误差", "JJG 539-2016", "", 1.0),
    ("数字指示秤", "称量示值误差", "JJG 539-2016", "", 0.8),
    ("电子汽车衡", "称量示值误差", "JJG 539-2016", "", 0.6),
    ("冷水水表", "示值误差", "JJG 162-2019", "", 0.8),
    ("膜式燃气表", "示值误差", "JJG 577-2012", "", 0.6),
    ("血压计和血压表", "示值误差", "JJG 270-2008", "", 0.8),
    ("无创自动测量血压计", "静态压力示值误差", "JJG 692-2010", "", 0.6),
    ("心电图机", "电压测量误差", "JJG 543-2008", "", 0.5),
    ("弹簧管式一般压力表", "示值误差", "JJG 52-2013", "", 1.0),
    ("呼出气体酒精含量检测仪", "示值误差", "JJG 657-2019", "verification", 0.4),
    ("机动车雷达测速仪", "测速误差", "JJG 528-2015", "", 0.3),
    ("声级计", "示值误差", "JJG 188-2017", "", 0.4),
    ("砝码", "质量", "JJG 99-2022", "", 0.7),
    ("电子天平", "示值误差", "JJG 1036-2008", "", 0.6),
    ("扭矩扳子", "示值误差", "JJG 707-2014", "", 0.25),
    ("焦度计", "顶焦度示值误差", "JJG 580-2005", "", 0.4),
]
CAL = [  # calibration (CNAS): JJF, or a JJG regulation cited for a calibration
    ("数字多用表", "直流电压", "JJF 1587-2016", "", 0.8),
    ("数字多用表", "交流电流", "JJF 1587-2016", "", 0.6),
    ("数字存储示波器", "带宽", "JJF 1057-1998", "", 0.5),
    ("医用注射泵", "流量示值误差", "JJF 1259-2018", "", 0.35),
    ("扭矩扳子", "示值相对误差", "JJG 707-2014", "calibration", 0.5),
    ("压力传感器", "静态性能", "JJG 860-2015", "calibration", 0.5),
    ("压力变送器", "示值误差", "JJG 882-2019", "calibration", 0.5),
    ("工作用玻璃液体温度计", "示值误差", "JJG 130-2011", "calibration", 0.6),
    ("双金属温度计", "示值误差", "JJG 226-2001", "calibration", 0.5),
    ("廉金属热电偶", "热电动势", "JJF 1637-2017", "", 0.5),
    ("数字温湿度计", "温度示值误差", "JJF 1076-2020", "", 0.6),
    ("游标卡尺", "示值误差", "JJG 30-2012", "calibration", 0.7),
    ("外径千分尺", "示值误差", "JJG 21-2008", "calibration", 0.5),
    ("绝缘电阻表", "示值误差", "JJG 622-1997", "calibration", 0.5),
    ("接地电阻表", "示值误差", "JJG 366-2004", "calibration", 0.4),
    ("弹簧管式一般压力表", "示值误差", "JJG 52-2013", "calibration", 0.5),
    ("电子天平", "示值误差", "JJG 1036-2008", "calibration", 0.4),
]
SPECIALTIES = {
    "textile": (
        "testing",
        "纺织品检测",
        [
            ("纺织品", "甲醛含量", "GB/T 2912.1-2009", 0.9),
            ("纺织品", "pH值", "GB/T 7573-2009", 0.8),
            ("纺织品", "可分解致癌芳香胺染料", "GB/T 17592-2011", 0.6),
            ("纺织品", "耐水色牢度", "GB/T 5713-2013", 0.7),
            ("纺织品", "耐摩擦色牢度", "GB/T 3920-2008", 0.7),
            ("纺织品", "纤维含量", "GB/T 2910.1-2009", 0.6),
            ("纺织产品", "基本安全技术要求", "GB 18401-2010", 0.7),
            ("服装", "起毛起球", "GB/T 4802.1-2008", 0.5),
            ("服装", "断裂强力", "GB/T 3923.1-2013", 0.5),
            ("婴幼儿纺织产品", "安全技术要求", "GB 31701-2015", 0.4),
            ("针织内衣", "纤维含量", "GB/T 8878-2014", 0.3),
            ("家用纺织品", "耐光色牢度", "GB/T 8427-2019", 0.3),
            ("羽绒服装", "绒子含量", "GB/T 14272-2021", 0.15),
        ],
    ),
    "toy": (
        "testing",
        "玩具检测",
        [
            ("玩具", "机械和物理性能", "GB 6675.2-2014", 0.9),
            ("玩具", "燃烧性能", "GB 6675.3-2014", 0.7),
            ("玩具", "可迁移元素", "GB 6675.4-2014", 0.8),
            ("玩具", "邻苯二甲酸酯增塑剂", "GB/T 22048-2015", 0.6),
            ("电玩具", "电气安全", "GB 19865-2005", 0.5),
            ("塑料玩具", "可迁移元素", "GB 6675.4-2014", 0.3),
            ("儿童自行车", "安全要求", "GB 14746-2006", 0.3),
        ],
    ),
    "auto": (
        "testing",
        "汽车零部件检测",
        [
            ("汽车制动软管", "爆破压力", "GB 16897-2010", 0.6),
            ("汽车用制动器衬片", "摩擦性能", "GB 5763-2018", 0.6),
            ("汽车安全带", "动态性能", "GB 14166-2013", 0.0),  # placed by hand (validity)
            ("汽车内饰材料", "燃烧特性", "GB 8410-2006", 0.8),
            ("汽车前照灯", "配光性能", "GB 4599-2007", 0.4),
            ("汽车座椅", "强度", "GB 15083-2019", 0.2),
            ("车内空气", "挥发性有机物", "HJ/T 400-2007", 0.5),
        ],
    ),
    "medical": (
        "pharma",
        "医疗器械检验",
        [
            ("医用外科口罩", "细菌过滤效率", "YY 0469-2011", 0.8),
            ("一次性使用医用口罩", "细菌过滤效率", "YY/T 0969-2013", 0.6),
            ("一次性使用无菌注射器", "无菌", "GB 15810-2019", 0.5),
            ("医用一次性防护服", "过滤效率", "GB 19082-2009", 0.5),
            ("医用电气设备", "电气安全", "GB 9706.1-2020", 0.6),
            ("一次性使用医用橡胶检查手套", "不透水性", "GB 10213-2006", 0.4),
            ("医疗器械", "细胞毒性", "GB/T 16886.5-2017", 0.4),
        ],
    ),
    "environment": (
        "testing",
        "环境监测",
        [
            ("地表水", "化学需氧量", "HJ 828-2017", 0.8),
            ("地表水", "氨氮", "HJ 535-2009", 0.8),
            ("地表水", "总磷", "GB/T 11893-1989", 0.7),
            ("地下水", "pH值", "HJ 1147-2020", 0.5),
            ("工业废水", "化学需氧量", "HJ 828-2017", 0.8),
            ("工业废水", "氨氮", "HJ 535-2009", 0.7),
            ("生活污水", "石油类", "HJ 637-2018", 0.4),
            ("生活饮用水", "菌落总数", "GB/T 5750.12-2023", 0.4),
            ("环境空气", "PM10和PM2.5", "HJ 618-2011", 0.6),
            ("环境空气", "挥发性有机物", "HJ 644-2013", 0.4),
            ("固定污染源废气", "二氧化硫", "HJ 57-2017", 0.7),
            ("固定污染源废气", "氮氧化物", "HJ 693-2014", 0.7),
            ("固定污染源废气", "非甲烷总烃", "HJ 38-2017", 0.6),
            ("饮食业油烟", "油烟浓度", "HJ 1077-2019", 0.4),
            ("工业企业厂界环境噪声", "等效连续A声级", "GB 12348-2008", 0.8),
            ("社会生活环境噪声", "等效连续A声级", "GB 22337-2008", 0.5),
            ("区域环境噪声", "等效连续A声级", "GB 3096-2008", 0.4),
            ("土壤", "铅、镉", "GB/T 17141-1997", 0.6),
            ("土壤", "汞、砷", "HJ 680-2013", 0.5),
            ("土壤", "石油烃（C10-C40）", "HJ 1021-2019", 0.4),
            ("室内空气", "甲醛", "GB 50325-2020", 0.5),
        ],
    ),
    "agri": (
        "testing",
        "农产品质量检测",
        [
            ("蔬菜", "有机磷类农药残留", "NY/T 761-2008", 0.8),
            ("蔬菜", "农药多残留", "GB 23200.113-2018", 0.7),
            ("水果", "农药多残留", "GB 23200.113-2018", 0.6),
            ("茶叶", "农药残留", "GB 23200.113-2018", 0.4),
            ("大米", "镉", "GB 5009.15-2014", 0.6),
            ("大米", "铅", "GB 5009.12-2017", 0.6),
            ("粮食", "黄曲霉毒素B1", "GB 5009.22-2016", 0.5),
            ("畜禽肉", "瘦肉精（克伦特罗）", "GB/T 22286-2008", 0.3),
            ("食用农产品", "铅、镉、汞、砷", "GB 2762-2022", 0.4),
        ],
    ),
    "appliance": (
        "testing",
        "电器检测",
        [
            ("家用电器", "电气安全", "GB 4706.1-2005", 0.9),
            ("家用电器", "电磁兼容", "GB 4343.1-2018", 0.6),
            ("空调器", "能源效率", "GB 21455-2019", 0.5),
            ("电冰箱", "能源效率", "GB 12021.2-2015", 0.5),
            ("洗衣机", "能源效率", "GB 12021.4-2013", 0.4),
            ("储水式电热水器", "能源效率", "GB 21519-2008", 0.4),
            ("电饭锅", "电气安全", "GB 4706.19-2008", 0.4),
            ("空调器", "噪声", "GB/T 4214.1-2017", 0.3),
            ("吸尘器", "噪声", "GB/T 4214.1-2017", 0.3),
            ("家用电磁灶", "电气安全", "GB 4706.29-2008", 0.3),
        ],
    ),
    "building": (
        "testing",
        "建设工程质量检测",
        [
            ("通用硅酸盐水泥", "胶砂强度", "GB/T 17671-2021", 0.8),
            ("通用硅酸盐水泥", "安定性", "GB/T 1346-2011", 0.6),
            ("混凝土", "抗压强度", "GB/T 50081-2019", 0.8),
            ("热轧带肋钢筋", "屈服强度、抗拉强度", "GB/T 228.1-2021", 0.7),
            ("弹性体改性沥青防水卷材", "不透水性", "GB 18242-2008", 0.5),
            ("人造板", "甲醛释放量", "GB/T 17657-2022", 0.5),
            ("内墙涂料", "挥发性有机化合物", "GB 18582-2020", 0.5),
            ("陶瓷砖", "吸水率", "GB/T 3810.3-2016", 0.5),
            ("建筑保温材料", "燃烧性能", "GB 8624-2012", 0.4),
            ("预拌砂浆", "抗压强度", "JGJ/T 70-2009", 0.4),
        ],
    ),
    "cosmetics": (
        "testing",
        "化妆品检测",
        [
            ("化妆品", "菌落总数", "《化妆品安全技术规范》（2015年版）", 0.9),
            ("化妆品", "汞", "《化妆品安全技术规范》（2015年版）", 0.7),
            ("化妆品", "铅", "《化妆品安全技术规范》（2015年版）", 0.6),
            ("化妆品", "糖皮质激素", "《化妆品安全技术规范》（2015年版）", 0.4),
            ("化妆品", "甲醇", "《化妆品安全技术规范》（2015年版）", 0.3),
            ("护肤乳液", "pH值", "GB/T 29665-2013", 0.4),
            ("洗发液", "有效物", "GB/T 29679-2013", 0.3),
        ],
    ),
    "packaging": (
        "testing",
        "包装材料检测",
        [
            ("食品接触用塑料材料及制品", "总迁移量", "GB 31604.8-2021", 0.8),
            ("食品接触用塑料材料及制品", "高锰酸钾消耗量", "GB 31604.2-2016", 0.6),
            ("食品接触用纸和纸板材料及制品", "重金属（以铅计）", "GB 31604.9-2016", 0.4),
            ("瓦楞纸箱", "边压强度", "GB/T 6546-2021", 0.6),
            ("瓦楞纸箱", "耐破强度", "GB/T 6545-1998", 0.5),
            ("包装用塑料复合膜", "拉断力", "GB/T 10004-2008", 0.4),
            ("塑料编织袋", "拉伸负荷", "GB/T 8946-2013", 0.3),
        ],
    ),
}
SE = [
    ("曳引驱动乘客电梯", "定期检验", "TSG T7001-2023", 1.0),
    ("曳引驱动乘客电梯", "监督检验", "TSG T7001-2023", 0.7),
    ("自动扶梯", "定期检验", "TSG T7001-2023", 0.7),
    ("杂物电梯", "定期检验", "TSG T7001-2023", 0.4),
    ("承压蒸汽锅炉", "定期检验", "TSG 11-2020", 0.6),
    ("燃气锅炉", "监督检验", "TSG 11-2020", 0.4),
    ("工业锅炉", "能效测试", "GB/T 10180-2017", 0.3),
    ("固定式压力容器", "定期检验", "TSG 21-2016", 0.6),
    ("桥式起重机", "定期检验", "TSG Q7015-2016", 0.6),
    ("门式起重机", "定期检验", "TSG Q7015-2016", 0.4),
    ("场（厂）内专用机动车辆", "定期检验", "TSG 81-2022", 0.5),
    ("安全阀", "校验", "TSG ZF001-2006", 0.4),
    ("工业压力管道", "定期检验", "TSG D7005-2018", 0.3),
    ("钢质无缝气瓶", "定期检验", "GB/T 13004-2016", 0.3),
]
CERT = [  # (object, parameter, standard, probability)
    ("质量管理体系", "", "GB/T 19001-2016/ISO 9001:2015", 0.95),
    ("环境管理体系", "", "GB/T 24001-2016/ISO 14001:2015", 0.8),
    ("职业健康安全管理体系", "", "GB/T 45001-2020/ISO 45001:2018", 0.75),
    ("能源管理体系", "", "GB/T 23331-2020/ISO 50001:2018", 0.35),
    ("信息安全管理体系", "", "ISO/IEC 27001:2022", 0.3),
    ("知识产权管理体系", "", "GB/T 29490-2023", 0.35),
    ("两化融合管理体系", "评定", "GB/T 23001-2017", 0.25),
    ("有机产品", "", "GB/T 19630-2019", 0.25),
    ("绿色产品", "", "GB/T 33761-2017", 0.2),
]
CCC = [
    ("空调器", "强制性产品认证", "CNCA-C07-01:2017"),
    ("电冰箱", "强制性产品认证", "CNCA-C07-01:2017"),
    ("洗衣机", "强制性产品认证", "CNCA-C07-01:2017"),
    ("玩具", "强制性产品认证", "CNCA-C13-01:2014"),
]
CONSULT = [  # no licence needed; declared verb "other"
    ("ip", "知识产权管理体系", "贯标咨询", "GB/T 29490-2023"),
    ("quality_management", "质量管理体系", "体系建立咨询", "GB/T 19001-2016"),
    ("quality_management", "两化融合管理体系", "贯标咨询", "GB/T 23001-2017"),
    ("standardization", "企业标准", "制修订咨询", ""),
    ("standardization", "团体标准", "制修订咨询", ""),
    ("ip", "专利", "申请代理", ""),
]

BRANDS = [
    "中正",
    "华衡",
    "恒信",
    "诚检",
    "天衡",
    "精准",
    "瑞测",
    "鼎信",
    "通衡",
    "博测",
    "安泰",
    "明鉴",
    "九洲",
    "汇标",
    "正源",
    "科达",
    "宏准",
    "信德",
    "金检",
    "长风",
    "青源",
    "方圆",
    "守正",
    "启明",
    "东诚",
    "和信",
    "广测",
    "新锐",
    "立衡",
    "众合",
    "远航",
    "卓测",
    "泰和",
    "海正",
    "同信",
    "华准",
    "佳标",
    "康检",
    "润泽",
    "中博",
]

# --------------------------------------------------------------------------- building the set
V, C, TS, CE, OT = "verification", "calibration", "testing", "certification", "other"
rng = random.Random(SEED)  # noqa: S311 - a reproducible data set, not a secret
institutions: list[dict] = []
used_names: set[str] = set()


def line(category, obj, par, std, verb=""):
    return {
        "category": category,
        "object": obj,
        "parameter": par,
        "standard": std,
        "limits": "",
        "verb": verb,
    }


def qualification(qtype, region, lines, valid_until=None, withdrawn=False):
    year = rng.choice([2022, 2023, 2024, 2025])
    if valid_until is None:
        roll = rng.random()
        if roll < 0.07:  # lapsed before the evaluation date
            valid_until = f"2026-{rng.randint(1, 11):02d}-{rng.randint(1, 28):02d}"
        else:
            valid_until = (
                f"{rng.randint(2027, 2031)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            )
        withdrawn = withdrawn or (roll > 0.975)
    number = {
        "CMA": f"{rng.randint(10, 25)}{region[:2]}{rng.randint(10, 99)}{rng.randint(100000, 999999)}",
        "CNAS": f"CNAS L{rng.randint(1000, 19999)}",
        "CNCA": f"CNCA-R-{year}-{rng.randint(100, 999)}",
        "LEGAL_METROLOGY": f"（{'苏' if region[:2] == '32' else '浙' if region[:2] == '33' else '皖'}）"
        f"法计（{year}）{region}{rng.randint(10, 99)}号",
        "SE_INSPECTION": f"TS7{region[:2]}{rng.randint(1000, 9999)}-{year + 4}",
        "OTHER": f"备{region[:4]}-{rng.randint(1000, 9999)}",
    }[qtype]
    return {
        "type": qtype,
        "number": number,
        "valid_until": valid_until,
        "withdrawn": withdrawn,
        "lines": lines,
    }


def add(name, region, kind, categories, quals, lines=()):
    assert name not in used_names, name
    used_names.add(name)
    city = PLACES[region[:4] + "00"]
    county = PLACES[region] if region in PLACES else ""
    institutions.append(
        {
            "key": f"H{len(institutions) + 1:04d}",
            "name": name,
            "region": region,
            "kind": kind,
            "address": f"{city}{county}示例路{rng.randint(1, 399)}号",
            "categories": categories,
            "qualifications": quals,
            "lines": list(lines),
        }
    )
    return institutions[-1]


def draw(pool, category, scale=1.0, at_least=3):
    picked = [p for p in pool if rng.random() < p[-1] * scale]
    if len(picked) < at_least:
        rest = [p for p in pool if p not in picked and p[-1] > 0]
        picked += rng.sample(rest, min(at_least - len(picked), len(rest)))
    picked.sort(key=pool.index)
    out = []
    for p in picked:
        if len(p) == 5:
            out.append(line(category, p[0], p[1], p[2], p[3]))
        else:
            out.append(line(category, p[0], p[1], p[2]))
    return out


def brand_name(city, suffix):
    for _ in range(200):
        name = f"{city}{rng.choice(BRANDS)}{suffix}"
        if name not in used_names:
            return name
    raise RuntimeError(suffix)


# Legal metrology institutes: (name, region, big, lapse, withdrawn)
METRO = [
    ("浙江省计量科学研究院", "330106", True, None, False),
    ("安徽省计量科学研究院", "340104", True, None, False),
    ("南通市计量检定测试所", "320613", True, None, False),
    ("扬州市计量测试研究所", "321003", True, None, False),
    ("徐州市计量检定测试中心", "320311", True, None, False),
    ("盐城市计量测试研究院", "320902", True, None, False),
    ("杭州市计量检定测试院", "330105", True, None, False),
    ("宁波市计量测试研究院", "330212", True, None, False),
    ("合肥市计量测试研究院", "340111", True, None, False),
    ("如皋市计量检定测试所", "320682", False, None, False),
    ("启东市计量测试所", "320681", False, "2026-03-31", False),
    ("海安市计量测试所", "320685", False, None, False),
    ("高邮市计量测试所", "321084", False, None, False),
    ("仪征市计量检定所", "321081", False, None, False),
    ("邳州市计量测试所", "320382", False, None, True),
    ("新沂市计量检定所", "320381", False, None, False),
    ("东台市计量测试所", "320981", False, None, False),
    ("慈溪市计量测试所", "330282", False, None, False),
    ("余姚市计量检定所", "330281", False, None, False),
    ("巢湖市计量测试所", "340181", False, None, False),
]
for name, region, big, lapse, withdrawn in METRO:
    pool = JJG if big else [p for p in JJG if p[0] not in ("扭矩扳子", "机动车雷达测速仪")]
    lines = draw(pool, "metrology", 1.0 if big else 0.7, at_least=6)
    if big and region not in (
        "330106",
        "340104",
    ):  # province institutes leave taxi meters to cities
        lines.insert(0, line("metrology", "出租汽车计价器", "计程计时误差", "JJG 517-2016"))
    valid = lapse or "2030-06-30"
    quals = [qualification("LEGAL_METROLOGY", region, lines, valid, withdrawn)]
    if big:
        quals.append(qualification("CNAS", region, draw(CAL, "metrology", 1.0, 6), "2029-12-31"))
    elif region == "320681":  # 启东: authorisation lapsed, CNAS valid (calibration only)
        quals.append(qualification("CNAS", region, draw(CAL, "metrology", 0.6, 3), "2028-05-31"))
    add(name, region, "legal_metrology", ["metrology"], quals)

for name, region in [
    ("国网南通供电公司电能计量中心", "320613"),
    ("国网浙江省电力有限公司计量中心", "330110"),
]:
    lines = [
        line("metrology", "电子式交流电能表", "基本误差", "JJG 596-2012"),
        line("metrology", "电能计量箱", "外观及结构", "GB/T 16934-2013", "testing"),
        line("metrology", "互感器", "误差", "JJG 1021-2007"),
    ]
    add(
        name,
        region,
        "metering",
        ["metrology"],
        [qualification("LEGAL_METROLOGY", region, lines, "2029-09-30")],
    )

# Calibration laboratories (CNAS)
CAL_REGIONS = [
    "320612",
    "320613",
    "320614",
    "321002",
    "321012",
    "320311",
    "320312",
    "320903",
    "330108",
    "330109",
    "330111",
    "330203",
    "330206",
    "340104",
    "340123",
    "320685",
]
for region in CAL_REGIONS:
    name = brand_name(
        CITY[region[:4]],
        rng.choice(
            ["计量校准有限公司", "计量技术有限公司", "仪器校准服务有限公司", "计量检测有限公司"]
        ),
    )
    add(
        name,
        region,
        "calibration",
        ["metrology"],
        [qualification("CNAS", region, draw(CAL, "metrology", 0.8, 5))],
    )

# Testing laboratories (CMA, some also CNAS over a copy of part of their lines)
LAB_PLAN = {
    "textile": [
        "320612",
        "320613",
        "320614",
        "320682",
        "320685",
        "330109",
        "330110",
        "330282",
        "330203",
        "321002",
        "320902",
    ],
    "toy": ["330212", "330282", "321012", "320613", "340104", "330206"],
    "auto": ["330206", "330212", "340111", "340123", "320312", "321003", "330109"],
    "medical": ["321084", "321002", "330108", "340104", "320311", "320612"],
    "environment": [
        "320613",
        "320612",
        "320681",
        "321003",
        "321012",
        "320302",
        "320312",
        "320902",
        "320904",
        "330106",
        "330110",
        "330212",
        "340102",
        "340111",
        "340181",
        "321023",
    ],
    "agri": [
        "320902",
        "320981",
        "320925",
        "321084",
        "321023",
        "320321",
        "340121",
        "330182",
        "330212",
        "320623",
    ],
    "appliance": ["330281", "330282", "340111", "340104", "320613", "330110", "321003"],
    "building": [
        "320614",
        "320682",
        "321003",
        "321081",
        "320311",
        "320381",
        "320903",
        "330109",
        "340102",
        "330203",
    ],
    "cosmetics": ["330110", "320612", "340104", "321002"],
    "packaging": ["320685", "330206", "340123", "321012", "320302"],
}
SUFFIX = {
    "textile": [
        "纺织品检测有限公司",
        "纤维检验有限公司",
        "服装质量检测有限公司",
        "检验检测有限公司",
    ],
    "toy": ["儿童用品检测有限公司", "玩具检测技术有限公司", "检测技术有限公司"],
    "auto": ["汽车零部件检测有限公司", "机动车部件检测有限公司", "检验检测有限公司"],
    "medical": ["医疗器械检验有限公司", "医用材料检测有限公司", "检测技术有限公司"],
    "environment": [
        "环境监测有限公司",
        "环境检测技术有限公司",
        "环保检测有限公司",
        "生态环境检测有限公司",
    ],
    "agri": ["农产品质量检测有限公司", "食品农产品检测有限公司", "检测技术有限公司"],
    "appliance": ["电器检测有限公司", "家电检测技术有限公司", "电子电器检测有限公司"],
    "building": ["建设工程质量检测有限公司", "建材检测有限公司", "建筑工程检测有限公司"],
    "cosmetics": ["化妆品检测有限公司", "日化检测有限公司", "检测技术有限公司"],
    "packaging": ["包装检测有限公司", "包装材料检测有限公司", "检测技术有限公司"],
}
SECOND = {
    "environment": "agri",
    "agri": "environment",
    "toy": "textile",
    "textile": "toy",
    "cosmetics": "packaging",
    "packaging": "cosmetics",
    "appliance": "toy",
}
for specialty, regions in LAB_PLAN.items():
    for region in regions:
        category, _, pool = SPECIALTIES[specialty]
        lines = draw([(o, p, s, "", w) for o, p, s, w in pool], category, 1.0, 4)
        categories = [category]
        if specialty in SECOND and rng.random() < 0.3:
            other = SECOND[specialty]
            cat2, _, pool2 = SPECIALTIES[other]
            lines += draw([(o, p, s, "", w) for o, p, s, w in pool2], cat2, 0.5, 2)
            categories = list(dict.fromkeys([category, cat2]))
        name = brand_name(CITY[region[:4]], rng.choice(SUFFIX[specialty]))
        quals = [qualification("CMA", region, lines)]
        if rng.random() < 0.25:
            quals.append(qualification("CNAS", region, [dict(x) for x in lines[:3]]))
        add(name, region, f"testing_{specialty}", categories, quals)

# Special-equipment inspection
SE_PLAN = [
    ("南通市特种设备检验检测中心", "320613"),
    ("扬州市特种设备安全监督检验中心", "321002"),
    ("徐州市特种设备监督检验中心", "320302"),
    ("盐城市特种设备检验所", "320902"),
    ("杭州市特种设备检测研究院", "330106"),
    ("宁波市特种设备检验研究院", "330212"),
    ("合肥市特种设备检验中心", "340104"),
    ("如皋市特种设备检验站", "320682"),
    ("慈溪市特种设备检验所", "330282"),
    ("高邮市特种设备检验站", "321084"),
]
for name, region in SE_PLAN:
    lines = draw([(o, p, s, "", w) for o, p, s, w in SE], "special_equipment", 1.0, 5)
    add(
        name,
        region,
        "special_equipment",
        ["special_equipment"],
        [qualification("SE_INSPECTION", region, lines)],
    )
for region in ["330110", "340111", "320612"]:  # private lift inspection firms
    lines = [line("special_equipment", o, p, s) for o, p, s, _ in SE[:4]]
    name = brand_name(CITY[region[:4]], "电梯检测技术有限公司")
    add(
        name,
        region,
        "special_equipment",
        ["special_equipment"],
        [qualification("SE_INSPECTION", region, lines)],
    )

# Certification bodies
CERT_REGIONS = [
    "330106",
    "330108",
    "330212",
    "340104",
    "340111",
    "320613",
    "321002",
    "320311",
    "320902",
    "330110",
    "330203",
    "320612",
]
for n, region in enumerate(CERT_REGIONS):
    lines = draw([(o, p, s, "", w) for o, p, s, w in CERT], "certification", 1.0, 3)
    if n % 3 == 0:
        lines += [line("certification", *c) for c in CCC if rng.random() < 0.7]
    name = brand_name(
        CITY[region[:4]], rng.choice(["认证有限公司", "质量认证中心有限公司", "认证服务有限公司"])
    )
    add(name, region, "certification", ["certification"], [qualification("CNCA", region, lines)])

# Consultancies: an OTHER registration, lines that need no licence
CONS_REGIONS = ["320613", "321002", "320311", "320902", "330106", "330212", "340104", "330281"]
for region in CONS_REGIONS:
    picked = [c for c in CONSULT if rng.random() < 0.55] or [CONSULT[0]]
    cats = list(dict.fromkeys(c[0] for c in picked))
    lines = [line(c[0], c[1], c[2], c[3], "other") for c in picked]
    name = brand_name(
        CITY[region[:4]],
        rng.choice(["知识产权咨询有限公司", "标准化服务有限公司", "企业管理咨询有限公司"]),
    )
    add(name, region, "consulting", cats, [qualification("OTHER", region, [], "2028-12-31")], lines)

# --- hand-placed traps (validity) and near misses (names) -------------------------------------
T = "testing"
# 防晒指数: only two labs, one lapsed, one withdrawn
add(
    "杭州明肤化妆品功效评价有限公司",
    "330108",
    "testing_cosmetics",
    [T],
    [
        qualification(
            "CMA",
            "330108",
            [
                line(T, "防晒化妆品", "防晒指数SPF", "《化妆品安全技术规范》（2015年版）"),
                line(T, "化妆品", "菌落总数", "《化妆品安全技术规范》（2015年版）"),
            ],
            "2026-08-15",
        )
    ],
)
add(
    "合肥肤研化妆品检测有限公司",
    "340104",
    "testing_cosmetics",
    [T],
    [
        qualification(
            "CMA",
            "340104",
            [
                line(T, "防晒化妆品", "防晒指数SPF", "《化妆品安全技术规范》（2015年版）"),
                line(T, "化妆品", "汞", "《化妆品安全技术规范》（2015年版）"),
            ],
            "2029-03-31",
            True,
        )
    ],
)
# 汽车安全带: withdrawn CMA but the same line under a valid CNAS; a lapsed one; a valid one
belt = line(T, "汽车安全带", "动态性能", "GB 14166-2013")
add(
    "宁波安驰汽车安全件检测有限公司",
    "330206",
    "testing_auto",
    [T],
    [
        qualification(
            "CMA",
            "330206",
            [dict(belt), line(T, "汽车座椅", "强度", "GB 15083-2019")],
            "2029-01-31",
            True,
        ),
        qualification("CNAS", "330206", [dict(belt)], "2028-10-31"),
    ],
)
add(
    "合肥安途汽车部件检测有限公司",
    "340111",
    "testing_auto",
    [T],
    [
        qualification(
            "CMA",
            "340111",
            [dict(belt), line(T, "汽车内饰材料", "燃烧特性", "GB 8410-2006")],
            "2026-10-31",
        )
    ],
)
add(
    "徐州护驾汽车安全系统检测有限公司",
    "320312",
    "testing_auto",
    [T],
    [
        qualification(
            "CMA",
            "320312",
            [dict(belt), line(T, "汽车制动软管", "爆破压力", "GB 16897-2010")],
            "2030-04-30",
        )
    ],
)
# A certification body whose testing laboratory's CMA lapsed (CNCA valid)
add(
    "盐城绿野有机认证有限公司",
    "320903",
    "certification",
    ["certification", T],
    [
        qualification(
            "CNCA",
            "320903",
            [
                line("certification", "有机产品", "", "GB/T 19630-2019"),
                line("certification", "绿色产品", "", "GB/T 33761-2017"),
            ],
            "2029-05-31",
        ),
        qualification(
            "CMA",
            "320903",
            [
                line(T, "茶叶", "农药残留", "GB 23200.113-2018"),
                line(T, "大米", "镉", "GB 5009.15-2014"),
            ],
            "2026-06-30",
        ),
    ],
)
# A consultancy whose registration lapsed: its 贯标 lines are not offered
add(
    "南通知远知识产权服务有限公司",
    "320612",
    "consulting",
    ["ip"],
    [qualification("OTHER", "320612", [], "2026-02-28")],
    [line("ip", "知识产权管理体系", "贯标咨询", "GB/T 29490-2023", "other")],
)
# A lift inspection firm withdrawn, in 海门 (nobody else does lifts there)
add(
    "海门市安梯电梯检验有限公司",
    "320614",
    "special_equipment",
    ["special_equipment"],
    [
        qualification(
            "SE_INSPECTION",
            "320614",
            [line("special_equipment", "曳引驱动乘客电梯", "定期检验", "TSG T7001-2023")],
            "2029-01-31",
            True,
        )
    ],
)
# A water-meter calibration bench whose CNAS lapsed (hand-placed in 东台)
add(
    "东台市恒流计量技术有限公司",
    "320981",
    "calibration",
    ["metrology"],
    [
        qualification(
            "CNAS",
            "320981",
            [
                line("metrology", "冷水水表", "示值误差", "JJG 162-2019", "calibration"),
                line("metrology", "数字多用表", "直流电压", "JJF 1587-2016"),
            ],
            "2026-09-30",
        )
    ],
)
# Near misses: a word in the name the scope lacks, or an object that merely contains the word
add(
    "扬州电梯配件检测有限公司",
    "321003",
    "testing_auto",
    [T],
    [
        qualification(
            "CMA",
            "321003",
            [
                line(T, "电梯导轨", "尺寸偏差", "GB/T 22562-2008"),
                line(T, "汽车制动软管", "爆破压力", "GB 16897-2010"),
                line(T, "汽车内饰材料", "燃烧特性", "GB 8410-2006"),
            ],
        )
    ],
)
add(
    "盐城水表厂质量检验站",
    "320902",
    "testing_building",
    [T],
    [
        qualification(
            "CMA",
            "320902",
            [
                line(T, "混凝土", "抗压强度", "GB/T 50081-2019"),
                line(T, "通用硅酸盐水泥", "胶砂强度", "GB/T 17671-2021"),
                line(T, "冷水水表用表壳", "耐压强度", "GB/T 778.3-2018"),
            ],
        )
    ],
)
add(
    "如皋化妆品包装检测中心",
    "320682",
    "testing_packaging",
    [T],
    [
        qualification(
            "CMA",
            "320682",
            [
                line(T, "化妆品包装容器", "密封性", ""),
                line(T, "瓦楞纸箱", "边压强度", "GB/T 6546-2021"),
                line(T, "食品接触用塑料材料及制品", "总迁移量", "GB 31604.8-2021"),
            ],
        )
    ],
)
add(
    "宁波玩具电器检测有限公司",
    "330212",
    "testing_appliance",
    [T],
    [
        qualification(
            "CMA",
            "330212",
            [
                line(T, "家用电器", "电气安全", "GB 4706.1-2005"),
                line(T, "电冰箱", "能源效率", "GB 12021.2-2015"),
                line(T, "玩具包装袋", "厚度", "GB 6675.2-2014"),
            ],
        )
    ],
)
add(
    "徐州锅炉水处理检测站",
    "320311",
    "testing_environment",
    [T],
    [
        qualification(
            "CMA",
            "320311",
            [
                line(T, "工业锅炉水质", "硬度", "GB/T 1576-2018"),
                line(T, "工业锅炉水质", "pH值", "GB/T 1576-2018"),
                line(T, "工业废水", "化学需氧量", "HJ 828-2017"),
            ],
        )
    ],
)
add(
    "杭州加油机厂计量检测站",
    "330110",
    "calibration",
    ["metrology"],
    [
        qualification(
            "CNAS",
            "330110",
            [
                line("metrology", "弹簧管式一般压力表", "示值误差", "JJG 52-2013", "calibration"),
                line("metrology", "压力传感器", "静态性能", "JJG 860-2015", "calibration"),
                line("metrology", "加油机油枪", "密封性", "", "testing"),
            ],
        )
    ],
)
add(
    "合肥有机农产品检测中心",
    "340102",
    "testing_agri",
    [T],
    [
        qualification(
            "CMA",
            "340102",
            [
                line(T, "蔬菜", "农药多残留", "GB 23200.113-2018"),
                line(T, "水果", "农药多残留", "GB 23200.113-2018"),
                line(T, "大米", "镉", "GB 5009.15-2014"),
            ],
        )
    ],
)
add(
    "南通口罩质量检测中心",
    "320613",
    "testing_textile",
    [T],
    [
        qualification(
            "CMA",
            "320613",
            [
                line(T, "纺织品", "甲醛含量", "GB/T 2912.1-2009"),
                line(T, "纺织品", "pH值", "GB/T 7573-2009"),
                line(T, "口罩带", "断裂强力", "GB/T 3923.1-2013"),
            ],
        )
    ],
)
add(
    "杭州体温计厂检验室",
    "330109",
    "calibration",
    ["metrology"],
    [
        qualification(
            "CNAS",
            "330109",
            [
                line("metrology", "工作用玻璃液体温度计", "示值误差", "JJG 130-2011", C),
                line("metrology", "医用电子体温计", "示值误差", "JJG 1162-2019", C),
            ],
        )
    ],
)

# --------------------------------------------------------------------------- labelling rules
STD_RE = re.compile(
    r"(GB|JJG|JJF|HJ|YY|NY|TSG|ISO|JGJ|FZ|BB)\s*(?:/\s*[TZ])?(?:\s*/\s*IEC)?\s*"
    r"([A-Z]{0,2}\s*\d+(?:\.\d+)*)(?:\s*[-—–:：]\s*(\d{4}))?",
    re.IGNORECASE,
)


def standards(text: str) -> list[tuple[str, str, str]]:
    """(family, number, year) of every standard named: GB/T 6111-2018 → (GB, 6111, 2018)."""
    return [
        (fam.upper(), re.sub(r"\s+", "", num).upper(), year or "")
        for fam, num, year in STD_RE.findall(text)
    ]


def valid(q: dict) -> bool:
    return q["valid_until"] >= TODAY and not q["withdrawn"]


def offered(inst: dict):
    """(line, qualification type) of every line offered on the evaluation date (rule 1)."""
    for q in inst["qualifications"]:
        if valid(q):
            for ln in q["lines"]:
                yield ln, q["type"]
    if any(valid(q) for q in inst["qualifications"]):
        for ln in inst["lines"]:
            yield ln, ""


def line_verbs(ln: dict, qtype: str) -> set[str]:
    """Rule 2: declared; else verb words of the text; else JJG/JJF; else qualification; else category."""
    if ln["verb"]:
        return {ln["verb"]}
    text = ln["object"] + ln["parameter"] + ln["standard"] + ln["limits"]
    named = {v for w, v in LINE_VERB_WORDS.items() if w in text}
    if named:
        return named
    std = re.search(r"(?<![A-Za-z])(JJG|JJF)\s*\d", ln["standard"], re.IGNORECASE)
    if std:
        return {"verification" if std.group(1).upper() == "JJG" else "calibration"}
    if qtype == "CNAS":
        return {"calibration" if ln["category"] == "metrology" else "testing"}
    if qtype in BY_QUALIFICATION:
        return {BY_QUALIFICATION[qtype]}
    return {BY_CATEGORY.get(ln["category"], "other")}


def line_fits(ln: dict, qtype: str, need: dict) -> bool:
    if "obj" in need and not any(ln["object"].endswith(w) for w in OBJ[need["obj"]]):
        return False
    if "par" in need:
        text = ln["parameter"] or (ln["object"] if ln["category"] == "certification" else "")
        if not any(w.lower() in text.lower() for w in PAR[need["par"]]):
            return False
    if "std" in need:
        ((fam, num, year),) = standards(need["std"])
        if not any(
            f == fam and n == num and (not year or y == year)
            for f, n, y in standards(ln["standard"])
        ):
            return False
    if "verbs" in need and not (line_verbs(ln, qtype) & set(need["verbs"])):
        return False
    if "exact_obj" in need and ln["object"] != need["exact_obj"]:
        return False
    if "exact_par" in need and ln["parameter"] != need["exact_par"]:
        return False
    return not ("category" in need and ln["category"] != need["category"])


def fits(inst: dict, spec: dict) -> bool:
    needs = spec.get("all") or [spec]
    shared = {k: v for k, v in spec.items() if k in ("verbs", "category") and "all" in spec}
    return all(
        any(line_fits(ln, qtype, {**shared, **need}) for ln, qtype in offered(inst))
        for need in needs
    )


def label(spec: dict, region: str) -> tuple[list[str], str]:
    """Relevant keys, narrowest region first, widening county → city → province (rule 8)."""
    everyone = [i for i in institutions if fits(i, spec)]
    if not region:
        return [i["key"] for i in everyone], ""
    for n, prefix in enumerate(region[:k] for k in (6, 4, 2) if k <= len(region)):
        here = [i["key"] for i in everyone if i["region"].startswith(prefix)]
        if here or len(prefix) == 2:
            return here, prefix if n else ""
    return [], ""


# --------------------------------------------------------------------------- queries and demands
# (class, text, region filter, category filter, spec); spec "empty": True marks an honest-empty row.
QUERIES = [
    ("compound", "衣服甲醛", "", "", {"obj": "纺织品", "par": "甲醛"}),
    ("compound", "玩具塑化剂", "", "", {"obj": "玩具", "par": "邻苯"}),
    ("compound", "土壤重金属", "", "", {"obj": "土壤", "par": "重金属"}),
    ("compound", "大米镉超标", "", "", {"obj": "大米", "par": "镉"}),
    ("compound", "蔬菜农残", "", "", {"obj": "蔬菜", "par": "农药残留"}),
    ("compound", "废水COD", "", "", {"obj": "废水", "par": "化学需氧量"}),
    ("compound", "空调能效", "", "", {"obj": "空调", "par": "能效"}),
    ("compound", "口罩细菌过滤效率", "", "", {"obj": "口罩", "par": "细菌过滤效率"}),
    ("compound", "化妆品菌落总数", "", "", {"obj": "化妆品", "par": "菌落总数"}),
    ("compound", "纸箱边压强度", "", "", {"obj": "纸箱", "par": "边压强度"}),
    ("compound", "加油机检定", "", "", {"obj": "加油机", "verbs": [V]}),
    (
        "prose",
        "想给出口的童装做个甲醛检测",
        "",
        "",
        {"obj": "纺织品", "par": "甲醛", "verbs": [TS]},
    ),
    (
        "prose",
        "哪里可以检测土壤里的重金属",
        "",
        "",
        {"obj": "土壤", "par": "重金属", "verbs": [TS]},
    ),
    ("prose", "工地上的钢筋要送检拉伸", "", "", {"obj": "钢筋", "par": "拉伸"}),
    ("prose", "新装的加油机去哪里检定", "", "", {"obj": "加油机", "verbs": [V]}),
    ("prose", "医院的心电图机需要做周期检定", "", "", {"obj": "心电图机", "verbs": [V]}),
    ("mgmt_system", "ISO9001认证", "", "", {"obj": "质量管理体系", "verbs": [CE]}),
    ("mgmt_system", "iso14001", "", "", {"obj": "环境管理体系"}),
    ("mgmt_system", "45001体系认证", "", "", {"obj": "职业健康安全管理体系", "verbs": [CE]}),
    ("mgmt_system", "能源管理体系认证", "", "", {"obj": "能源管理体系", "verbs": [CE]}),
    ("mgmt_system", "27001信息安全管理体系", "", "", {"obj": "信息安全管理体系"}),
    ("mgmt_system", "知识产权贯标", "", "", {"obj": "知识产权管理体系", "verbs": [CE, OT]}),
    ("mgmt_system", "两化融合评定", "", "", {"obj": "两化融合管理体系", "verbs": [CE]}),
    ("mgmt_system", "有机产品认证", "", "", {"obj": "有机产品", "verbs": [CE]}),
    ("mgmt_system", "绿色产品认证", "", "", {"obj": "绿色产品", "verbs": [CE]}),
    ("mgmt_system", "质量体系认证", "3206", "", {"obj": "质量管理体系", "verbs": [CE]}),
    ("mgmt_system", "ISO 9001 咨询", "", "", {"obj": "质量管理体系", "verbs": [OT]}),
    ("verb", "扭矩扳子检定", "", "", {"obj": "扭矩扳子", "verbs": [V]}),
    ("verb", "压力表检定", "", "", {"obj": "压力表", "verbs": [V]}),
    ("verb", "压力表校准", "", "", {"obj": "压力表", "verbs": [C]}),
    ("verb", "压力表只要校准不用检定", "", "", {"obj": "压力表", "verbs": [C]}),
    ("verb", "注射泵检定", "", "", {"obj": "注射泵", "verbs": [V], "empty": True}),
    ("verb", "注射泵校准", "", "", {"obj": "注射泵", "verbs": [C]}),
    ("verb", "温度计校准", "", "", {"obj": "温度计", "verbs": [C]}),
    ("verb", "玩具认证", "", "", {"obj": "玩具", "verbs": [CE]}),
    ("verb", "空调检测", "", "", {"obj": "空调", "verbs": [TS]}),
    ("verb", "压力容器校准", "", "", {"obj": "压力容器", "verbs": [C], "empty": True}),
    ("verb", "电子秤认证", "", "", {"obj": "电子秤", "verbs": [CE], "empty": True}),
    ("validity", "防晒指数检测", "", "", {"par": "防晒", "empty": True}),
    ("validity", "汽车安全带检测", "", "", {"obj": "安全带", "verbs": [TS]}),
    ("validity", "汽车安全带", "3401", "", {"obj": "安全带", "empty": True}),
    ("validity", "加油机检定", "320681", "", {"obj": "加油机", "verbs": [V]}),
    ("validity", "加油机检定", "320382", "", {"obj": "加油机", "verbs": [V]}),
    ("validity", "电梯定期检验", "320614", "", {"obj": "电梯", "par": "定期检验"}),
    ("validity", "有机产品认证", "3209", "", {"obj": "有机产品", "verbs": [CE]}),
    ("validity", "茶叶农药残留", "3209", "", {"obj": "茶叶", "par": "农药残留"}),
    ("validity", "知识产权贯标", "320612", "", {"obj": "知识产权管理体系", "verbs": [CE, OT]}),
    ("validity", "水表校准", "", "", {"obj": "水表", "verbs": [C], "empty": True}),
    ("synonym", "刹车片检测", "", "", {"obj": "刹车片", "verbs": [TS]}),
    ("synonym", "计价器检定", "", "", {"obj": "出租车计价器", "verbs": [V]}),
    ("synonym", "地磅检定", "", "", {"obj": "地磅", "verbs": [V]}),
    ("synonym", "摇表校准", "", "", {"obj": "兆欧表", "verbs": [C]}),
    ("synonym", "扭力扳手校准", "", "", {"obj": "扭矩扳子", "verbs": [C]}),
    ("synonym", "煤气表检定", "", "", {"obj": "燃气表", "verbs": [V]}),
    ("synonym", "电饭煲安全检测", "", "", {"obj": "电饭锅", "par": "电气安全"}),
    ("synonym", "砼抗压强度", "", "", {"obj": "混凝土", "par": "抗压强度"}),
    ("synonym", "油漆VOC", "", "", {"obj": "涂料", "par": "挥发性有机物"}),
    ("synonym", "行车定期检验", "", "", {"obj": "起重机", "par": "定期检验"}),
    ("synonym", "叉车年检", "", "", {"obj": "叉车"}),
    ("synonym", "3C认证", "", "", {"par": "强制性产品认证"}),
    ("synonym", "护肤品重金属", "", "", {"obj": "化妆品", "par": "重金属"}),
    ("synonym", "家电能效", "", "", {"obj": "家用电器", "par": "能效"}),
    ("region", "电子秤检定", "320685", "", {"obj": "电子秤", "verbs": [V]}),
    ("region", "纺织品甲醛", "330212", "", {"obj": "纺织品", "par": "甲醛"}),
    ("region", "混凝土抗压强度", "320381", "", {"obj": "混凝土", "par": "抗压强度"}),
    ("region", "电梯检验", "321084", "", {"obj": "电梯", "verbs": [TS]}),
    ("region", "口罩检测", "3210", "", {"obj": "口罩"}),
    ("region", "地表水氨氮", "340181", "", {"obj": "地表水", "par": "氨氮"}),
    ("region", "ISO 14001", "3302", "", {"obj": "环境管理体系"}),
    ("region", "万用表校准", "3209", "", {"obj": "万用表", "verbs": [C]}),
    ("region", "废气检测", "320623", "testing", {"obj": "废气"}),
    ("standard", "gb18401", "", "", {"std": "GB 18401"}),
    ("standard", "jjg517", "", "", {"std": "JJG 517"}),
    ("standard", "JJG 539-2016", "", "", {"std": "JJG 539-2016"}),
    ("standard", "hj828", "", "", {"std": "HJ 828"}),
    ("standard", "TSG T7001", "", "", {"std": "TSG T7001"}),
    ("standard", "yy0469", "", "", {"std": "YY 0469"}),
    ("standard", "GB 6675.4-2014", "", "", {"std": "GB 6675.4-2014"}),
    ("standard", "JJG 162-2009", "", "", {"std": "JJG 162-2009", "empty": True}),
    ("standard", "jjf 1587", "", "", {"std": "JJF 1587"}),
    ("standard", "JJG 707 校准", "", "", {"std": "JJG 707", "verbs": [C]}),
    ("standard", "gb/t 29490", "", "", {"std": "GB/T 29490"}),
    ("near_miss", "电梯检验", "3210", "", {"obj": "电梯", "verbs": [TS]}),
    ("near_miss", "水表检定", "3209", "", {"obj": "水表", "verbs": [V]}),
    ("near_miss", "化妆品检测", "320682", "", {"obj": "化妆品", "verbs": [TS]}),
    ("near_miss", "玩具检测", "330212", "", {"obj": "玩具", "verbs": [TS]}),
    ("near_miss", "锅炉检验", "3203", "", {"obj": "锅炉", "verbs": [TS]}),
    ("near_miss", "加油机检定", "3301", "", {"obj": "加油机", "verbs": [V]}),
    ("near_miss", "体温计检定", "", "", {"obj": "体温计", "verbs": [V], "empty": True}),
    ("near_miss", "计价器", "", "", {"obj": "出租车计价器"}),
]
TYPOS = [  # (text, words any of which the suggestions should contain)
    ("加由机", ["加油机", "燃油加油机"]),
    ("jiayouji", ["加油机", "燃油加油机"]),
    ("示波气", ["示波器", "数字存储示波器"]),
    ("农药残流", ["农药残留", "农药多残留"]),
    ("huazhuangpin", ["化妆品"]),
    ("防水卷才", ["防水卷材"]),
    ("dianti", ["电梯"]),
    ("扭距扳手", ["扭矩扳手", "扭矩扳子", "扭力扳手"]),
    ("燃汽表", ["燃气表", "膜式燃气表"]),
    ("xindiantuji", ["心电图机"]),
]
DEMANDS = [
    (
        "prose",
        "我们是如皋的一家出租车公司，新换了二十台计价器，麻烦帮忙找个能做首次检定的单位。",
        {"obj": "出租车计价器", "verbs": [V], "region": "320682"},
    ),
    (
        "prose",
        "厂里有一批数字万用表和示波器到了校准周期，最好找扬州本地的机构。",
        {"all": [{"obj": "万用表"}, {"obj": "示波器"}], "verbs": [C], "region": "3210"},
    ),
    (
        "prose",
        "我司在宁波鄞州做婴幼儿服装出口，客户要求提供甲醛和pH值的检测报告",
        {
            "all": [{"obj": "纺织品", "par": "甲醛"}, {"obj": "纺织品", "par": "pH"}],
            "region": "330212",
        },
    ),
    (
        "prose",
        "化工企业，厂址盐城大丰，需要做季度废气监测，主要是二氧化硫、氮氧化物。",
        {
            "all": [{"obj": "废气", "par": "二氧化硫"}, {"obj": "废气", "par": "氮氧化物"}],
            "region": "320904",
        },
    ),
    (
        "prose",
        "合作社在宝应，种了两百亩青菜，超市要求每批出农残报告，谁能做？",
        {"obj": "蔬菜", "par": "农药残留", "region": "321023"},
    ),
    (
        "prose",
        "徐州铜山这边新建的住宅楼交房前要做室内空气甲醛检测",
        {"obj": "室内空气", "par": "甲醛", "region": "320312"},
    ),
    (
        "prose",
        "我们是合肥蜀山的小家电厂，电饭煲准备出口，先要做电气安全测试",
        {"obj": "电饭锅", "par": "电气安全", "region": "340104"},
    ),
    (
        "prose",
        "杭州萧山的汽车配件厂，刹车软管需要做爆破压力试验，有CMA资质的优先",
        {"obj": "制动软管", "par": "爆破压力", "region": "330109"},
    ),
    (
        "prose",
        "医院在高邮，设备科有十几台心电图机要做周期检定，请推荐单位",
        {"obj": "心电图机", "verbs": [V], "region": "321084"},
    ),
    (
        "prose",
        "杭州余杭的化妆品代工厂，想送样检测菌落总数和汞含量",
        {
            "all": [{"obj": "化妆品", "par": "菌落总数"}, {"obj": "化妆品", "par": "汞"}],
            "region": "330110",
        },
    ),
    (
        "prose",
        "东台这边有个食品包装厂，塑料包装要做总迁移量测试，附近有没有实验室？",
        {"obj": "食品接触材料", "par": "总迁移量", "region": "320981"},
    ),
    (
        "prose",
        "海安工地上的混凝土试块要送检，测28天抗压强度",
        {"obj": "混凝土", "par": "抗压强度", "region": "320685"},
    ),
    (
        "prose",
        "宁波北仑的玩具厂，出口欧洲的毛绒玩具要测邻苯二甲酸酯",
        {"obj": "玩具", "par": "邻苯", "region": "330206"},
    ),
    (
        "prose",
        "小区电梯用了十年了，物业想找南通崇川的检验机构做定期检验",
        {"obj": "电梯", "par": "定期检验", "region": "320613"},
    ),
    (
        "prose",
        "学校在合肥包河区，准备对校园周边的环境噪声做一次监测",
        {"obj": "噪声", "region": "340111"},
    ),
    (
        "prose",
        "启东一家水产养殖场，排放的尾水要测化学需氧量和氨氮",
        {
            "all": [{"obj": "废水", "par": "化学需氧量"}, {"obj": "废水", "par": "氨氮"}],
            "region": "320681",
        },
    ),
    (
        "prose",
        "邗江区的一家餐馆，环保局让我们测一下油烟排放浓度",
        {"obj": "油烟", "region": "321003"},
    ),
    (
        "prose",
        "建湖县的粮食收储企业，入库前想检测黄曲霉毒素",
        {"obj": "粮食", "par": "黄曲霉毒素", "region": "320925"},
    ),
    (
        "prose",
        "诊所在巢湖，几台血压计需要年检，就是强制检定那种，请问哪家可以？",
        {"obj": "血压计", "verbs": [V], "region": "340181"},
    ),
    (
        "prose",
        "仪征的钢结构公司，进场的螺纹钢要做拉伸试验",
        {"obj": "钢筋", "par": "拉伸", "region": "321081"},
    ),
    (
        "prose",
        "余姚的电热水器生产企业，产品能效等级需要第三方检测",
        {"obj": "热水器", "par": "能效", "region": "330281"},
    ),
    (
        "prose",
        "仪征的包装厂，瓦楞纸箱的边压和耐破强度都要测",
        {
            "all": [{"obj": "纸箱", "par": "边压强度"}, {"obj": "纸箱", "par": "耐破"}],
            "region": "321081",
        },
    ),
    (
        "mgmt_system",
        "公司在扬州广陵做软件开发，客户要求我们通过ISO 27001信息安全管理体系认证",
        {"obj": "信息安全管理体系", "verbs": [CE], "region": "321002"},
    ),
    (
        "mgmt_system",
        "扬州的一家机械厂，想同时办质量、环境、职业健康安全三体系认证",
        {
            "all": [
                {"obj": "质量管理体系"},
                {"obj": "环境管理体系"},
                {"obj": "职业健康安全管理体系"},
            ],
            "verbs": [CE],
            "region": "3210",
        },
    ),
    (
        "mgmt_system",
        "南通的高新技术企业，申报要做知识产权贯标，想找一家辅导机构",
        {"obj": "知识产权管理体系", "verbs": [OT], "region": "3206"},
    ),
    (
        "mgmt_system",
        "合肥一家钢铁企业，属于重点用能单位，要做能源管理体系认证",
        {"obj": "能源管理体系", "verbs": [CE], "region": "3401"},
    ),
    (
        "mgmt_system",
        "徐州的制造企业打算申报两化融合管理体系评定",
        {"obj": "两化融合管理体系", "verbs": [CE], "region": "3203"},
    ),
    (
        "mgmt_system",
        "茶园在高邮，想申请有机产品认证",
        {"obj": "有机产品", "verbs": [CE], "region": "321084"},
    ),
    (
        "verb",
        "车间的扭力扳手只要校准不用检定，出校准证书就行，地点宁波",
        {"obj": "扭矩扳子", "verbs": [C], "region": "3302"},
    ),
    (
        "verb",
        "我们是杭州的汽修厂，扭矩扳子需要做检定",
        {"obj": "扭矩扳子", "verbs": [V], "region": "3301"},
    ),
    (
        "verb",
        "徐州的医院输液科，注射泵需要校准，不做检定",
        {"obj": "注射泵", "verbs": [C], "region": "3203"},
    ),
    (
        "verb",
        "南通通州的工厂，压力表要送法定检定",
        {"obj": "压力表", "verbs": [V], "region": "320612"},
    ),
    (
        "verb",
        "压力传感器需要校准，我们在合肥",
        {"obj": "压力传感器", "verbs": [C], "region": "3401"},
    ),
    (
        "verb",
        "盐城亭湖的超市，电子秤是贸易结算用的，要强制检定",
        {"obj": "电子秤", "verbs": [V], "region": "320902"},
    ),
    (
        "verb",
        "实验室的温度计想做个校准，不需要检定证书，我们在杭州",
        {"obj": "温度计", "verbs": [C], "region": "3301"},
    ),
    (
        "validity",
        "邳州一个加油站，新装了四台加油机，需要检定后才能用",
        {"obj": "加油机", "verbs": [V], "region": "320382"},
    ),
    (
        "validity",
        "启东的加油站，加油机年底到期要强检",
        {"obj": "加油机", "verbs": [V], "region": "320681"},
    ),
    (
        "validity",
        "海门的写字楼，电梯年检快到期了，找个检验单位",
        {"obj": "电梯", "par": "定期检验", "region": "320614"},
    ),
    (
        "validity",
        "合肥的汽车安全带生产商，要做安全带动态性能检测",
        {"obj": "安全带", "region": "3401", "empty": True},
    ),
    (
        "validity",
        "我们的防晒霜要测SPF值，杭州或者附近都行",
        {"par": "防晒", "region": "3301", "empty": True},
    ),
    (
        "synonym",
        "码头上几台龙门吊到期了，要做定期检验，我们在南通通州",
        {"obj": "起重机", "par": "定期检验", "region": "320612"},
    ),
    ("synonym", "仓库在合肥长丰，叉车要年检", {"obj": "叉车", "region": "340121"}),
    ("synonym", "盐城的钢材贸易公司，地磅要检定", {"obj": "地磅", "verbs": [V], "region": "3209"}),
    (
        "synonym",
        "家里煤气表走字不准，想找扬州的计量所检定一下",
        {"obj": "燃气表", "verbs": [V], "region": "3210"},
    ),
    (
        "synonym",
        "装修完了想测一下油漆的VOC，杭州萧山",
        {"obj": "涂料", "par": "挥发性有机物", "region": "330109"},
    ),
    (
        "synonym",
        "公司要给出口空调办3C认证，在宁波",
        {"obj": "空调", "par": "强制性产品认证", "region": "3302"},
    ),
    (
        "region",
        "新沂市的建筑公司，水泥要做安定性检测",
        {"obj": "水泥", "par": "安定性", "region": "320381"},
    ),
    ("region", "丰县收了一批小麦，想测一下镉", {"obj": "粮食", "par": "镉", "region": "320321"}),
    (
        "region",
        "肥西县的医疗器械公司，医用外科口罩要检验细菌过滤效率",
        {"obj": "口罩", "par": "细菌过滤效率", "region": "340123"},
    ),
    (
        "region",
        "江都区的一家印染厂，要做耐摩擦色牢度检测",
        {"obj": "纺织品", "par": "色牢度", "region": "321012"},
    ),
    (
        "region",
        "我们在盐城亭湖，需要对厂区地下水做pH检测",
        {"obj": "地下水", "par": "pH", "region": "320902"},
    ),
    (
        "region",
        "建德的一个水库，需要检测地表水总磷",
        {"obj": "地表水", "par": "总磷", "region": "330182"},
    ),
    (
        "standard",
        "请按GB 4706.1-2005做家用电器安全检测，我们在慈溪",
        {"std": "GB 4706.1-2005", "region": "330282"},
    ),
    (
        "standard",
        "需要依据HJ 1077-2019测饮食业油烟，地点徐州",
        {"std": "HJ 1077-2019", "region": "3203"},
    ),
    (
        "standard",
        "按照JJG 52检定一批压力表，扬州江都",
        {"std": "JJG 52", "verbs": [V], "region": "321012"},
    ),
    (
        "standard",
        "ISO 45001认证，合肥的企业",
        {"std": "ISO 45001", "verbs": [CE], "region": "3401"},
    ),
    ("near_miss", "扬州的小区电梯要年检", {"obj": "电梯", "par": "定期检验", "region": "3210"}),
    ("near_miss", "盐城的小区要对水表做检定", {"obj": "水表", "verbs": [V], "region": "3209"}),
    (
        "near_miss",
        "合肥的农场申请有机产品认证",
        {"obj": "有机产品", "verbs": [CE], "region": "3401"},
    ),
    (
        "near_miss",
        "如皋这里有没有能做化妆品检测的？我们是做面霜的",
        {"obj": "化妆品", "verbs": [TS], "region": "320682"},
    ),
]
OBJ["体温计"] = ["体温计"]


def row(rid, cls, text, region, category, spec, from_text=False):
    where = spec.get("region", "") if from_text else region
    cond = {k: v for k, v in spec.items() if k not in ("region", "empty")}
    if category:
        cond["category"] = category
    relevant, widened = label(cond, where)
    if bool(spec.get("empty")) != (not relevant):
        raise SystemExit(f"{rid} «{text}»: {len(relevant)} relevant, empty={spec.get('empty')}")
    names = {i["key"]: i["name"] for i in institutions}
    out = {
        "id": rid,
        "class": cls,
        "text": text,
        "region": region,
        "category": category,
        "relevant": sorted(relevant),
        "spec": spec,
        "relevant_names": [names[k] for k in sorted(relevant)[:8]],
    }
    if widened:
        out["widened_to"] = widened
    return out


def main() -> None:
    queries = [row(f"q{n:03d}", c, t, r, cat, s) for n, (c, t, r, cat, s) in enumerate(QUERIES, 1)]
    for text, words in TYPOS:
        queries.append(
            {
                "id": f"q{len(queries) + 1:03d}",
                "class": "typo",
                "text": text,
                "region": "",
                "category": "",
                "relevant": [],
                "spec": {},
                "relevant_names": [],
                "suggest": words,
            }
        )
    demands = [row(f"d{n:03d}", c, t, "", "", s, True) for n, (c, t, s) in enumerate(DEMANDS, 1)]
    for name, rows in (("institutions", institutions), ("queries", queries), ("demands", demands)):
        with open(HERE / f"{name}.jsonl", "w", encoding="utf-8") as f:
            for r in rows:
                f.write(json.dumps(r, ensure_ascii=False) + "\n")
    print(f"{len(institutions)} institutions, {len(queries)} queries, {len(demands)} demands")


if __name__ == "__main__":
    main()
