/* The words of the demo city: its departments, what their projects are called, who
 * invests, and how follow-ups read. Plain data, see demo_data.h. */
#include "demo/demo_data.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* name, short name, login code, category, head title, deputy title, sections,
 * staff, projects, perf %, leader-participation %, name pool, decomposition flaw */
const DemoUnit demo_units[] = {
  {"市工业和信息化局", "工信局", "gxj", "industry", "局长", "副局长",
   {"投资与规划科", "产业发展科", "中小企业科", "技术改造科"}, 3, 42, 140, 45, POOL_INDUSTRY, FLAW_NONE},
  {"市发展和改革委员会", "发改委", "fgw", "industry", "主任", "副主任",
   {"固定资产投资科", "重大项目办公室", "产业协调科"}, 3, 28, 105, 40, POOL_INDUSTRY, FLAW_NONE},
  {"市商务局", "商务局", "swj", "industry", "局长", "副局长",
   {"外资科", "投资促进科", "对外贸易科", "商贸流通科"}, 3, 36, 150, 50, POOL_INDUSTRY, FLAW_NONE},
  {"市国有资产监督管理委员会", "国资委", "gzw", "industry", "主任", "副主任",
   {"企业改革科", "产权管理科", "规划发展科"}, 2, 14, 70, 30, POOL_RESTRUCTURE, FLAW_NONE},
  {"市科学技术局", "科技局", "kjj", "industry", "局长", "副局长",
   {"高新技术科", "成果转化科", "科技合作科"}, 2, 18, 90, 35, POOL_TECH, FLAW_SECTIONS},
  {"市农业农村局", "农业农村局", "nyj", "agriculture", "局长", "副局长",
   {"产业化办公室", "种植业科", "畜牧渔业科", "乡村产业科"}, 3, 28, 125, 40, POOL_AGRI, FLAW_NONE},
  {"市林业局", "林业局", "lyj", "agriculture", "局长", "副局长",
   {"林业产业科", "造林绿化科"}, 2, 12, 75, 25, POOL_FOREST, FLAW_PEOPLE},
  {"市水利局", "水利局", "slj", "agriculture", "局长", "副局长",
   {"规划计划科", "农村水利科", "水资源科"}, 2, 10, 100, 30, POOL_WATER, FLAW_NONE},
  {"市供销合作社联合社", "供销社", "gxs", "agriculture", "主任", "副主任",
   {"经济发展科", "合作指导科"}, 2, 9, 60, 20, POOL_COOP, FLAW_NONE},
  {"市文化广电和旅游局", "文广旅局", "wlj", "services", "局长", "副局长",
   {"旅游发展科", "产业发展科", "文化市场科", "资源开发科"}, 3, 26, 130, 45, POOL_TOURISM, FLAW_NONE},
  {"市城市管理局", "城管局", "cgj", "services", "局长", "副局长",
   {"市政设施科", "环境卫生科", "综合规划科"}, 2, 16, 85, 30, POOL_CITY, FLAW_NONE},
  {"市交通运输局", "交通运输局", "jtj", "services", "局长", "副局长",
   {"综合规划科", "运输管理科", "物流发展科"}, 2, 13, 100, 35, POOL_TRANSPORT, FLAW_SECTIONS},
  {"市卫生健康委员会", "卫健委", "wjw", "services", "主任", "副主任",
   {"规划发展科", "医政医管科", "老龄健康科"}, 2, 11, 80, 25, POOL_HEALTH, FLAW_NONE},
  {"市教育局", "教育局", "jyj", "services", "局长", "副局长",
   {"发展规划科", "职业教育科"}, 2, 7, 65, 20, POOL_EDUCATION, FLAW_NONE},
  {"市住房和城乡建设局", "住建局", "zjj", "services", "局长", "副局长",
   {"房地产市场科", "城市建设科", "建筑业科"}, 2, 18, 95, 35, POOL_HOUSING, FLAW_NONE},
  {"市体育局", "体育局", "tyj", "services", "局长", "副局长",
   {"群众体育科", "体育产业科"}, 2, 0, 0, 10, POOL_SPORTS, FLAW_NONE},
  {"市审计局", "审计局", "sjj", "policy_funds", "局长", "副局长",
   {"财政审计科", "固定资产投资审计科", "经济责任审计科"}, 2, 6, 90, 30, POOL_AUDIT, FLAW_NONE},
  {"市人民防空办公室", "人防办", "rfb", "policy_funds", "主任", "副主任",
   {"工程管理科", "指挥通信科"}, 2, 8, 120, 40, POOL_CIVIL_DEFENSE, FLAW_NONE},
  {"市财政局", "财政局", "czj", "policy_funds", "局长", "副局长",
   {"预算科", "经济建设科", "金融科", "农业农村科"}, 3, 9, 105, 30, POOL_FINANCE, FLAW_NONE},
  {"市人力资源和社会保障局", "人社局", "rsj", "policy_funds", "局长", "副局长",
   {"就业促进科", "职业能力建设科", "人才开发科"}, 2, 6, 70, 20, POOL_HR, FLAW_NONE},
  {"市民政局", "民政局", "mzj", "policy_funds", "局长", "副局长",
   {"养老服务科", "社会救助科"}, 2, 0, 0, 10, POOL_CIVIL_AFFAIRS, FLAW_NONE},
  {"市总工会", "总工会", "zgh", "mass_org", "主席", "副主席",
   {"经济技术部", "组织部", "办公室"}, 2, 8, 85, 35, POOL_MIXED, FLAW_NONE},
  {"团市委", "团市委", "tsw", "mass_org", "书记", "副书记",
   {"青年发展部", "组织部"}, 2, 5, 60, 20, POOL_MIXED, FLAW_NO_PEOPLE},
  {"市妇女联合会", "市妇联", "fl", "mass_org", "主席", "副主席",
   {"发展部", "权益部"}, 2, 0, 0, 10, POOL_MIXED, FLAW_NONE},
  {"市工商业联合会", "工商联", "gsl", "mass_org", "主席", "副主席",
   {"会员部", "经济服务部", "商会工作部"}, 3, 22, 140, 45, POOL_MIXED, FLAW_NONE},
  {"市归国华侨联合会", "侨联", "ql", "mass_org", "主席", "副主席",
   {"联络部", "经济科技部"}, 2, 9, 100, 40, POOL_MIXED, FLAW_NONE},
  {"市科学技术协会", "科协", "kx", "mass_org", "主席", "副主席",
   {"学会部", "科普部"}, 2, 5, 70, 25, POOL_TECH, FLAW_NONE},
  {"市自然资源和规划局", "自然资源局", "zrj", "other", "局长", "副局长",
   {"国土空间规划科", "矿产资源科", "土地利用科"}, 2, 10, 80, 30, POOL_LAND, FLAW_NONE},
  {"市生态环境局", "生态环境局", "sthj", "other", "局长", "副局长",
   {"环评科", "污染防治科"}, 2, 7, 65, 20, POOL_ENVIRONMENT, FLAW_NONE},
  {"市市场监督管理局", "市场监管局", "scj", "other", "局长", "副局长",
   {"登记注册科", "质量发展科", "知识产权科"}, 2, 9, 90, 30, POOL_MARKET, FLAW_NONE},
  {"市司法局", "司法局", "sfj", "other", "局长", "副局长",
   {"法治督察科", "公共法律服务科"}, 2, 0, 0, 10, POOL_MIXED, FLAW_NONE},
};
const size_t demo_nunits = COUNT(demo_units);

/* ---- project names: prefix, number range, suffix, category, investor industry, 万元 ---- */
static const DemoName industry_names[] = {
  {"年产", 3, 30, "万吨新型建材项目", "industrial", "新型建材", 20000, 120000},
  {"年产", 10, 80, "万套汽车零部件项目", "industrial", "汽车零部件", 30000, 200000},
  {"年产", 20, 150, "万台智能家电项目", "industrial", "智能家电", 50000, 300000},
  {"", 0, 0, "智能装备制造产业园", "industrial", "智能装备", 80000, 500000},
  {"", 0, 0, "新能源电池材料生产基地", "industrial", "新能源材料", 100000, 800000},
  {"", 0, 0, "高端数控机床生产线项目", "industrial", "精密机械", 20000, 80000},
  {"年产", 1, 5, "GW光伏组件项目", "industrial", "光伏", 150000, 600000},
  {"", 0, 0, "半导体封装测试项目", "industrial", "电子信息", 100000, 500000},
  {"", 0, 0, "生物医药产业园", "industrial", "生物医药", 60000, 300000},
  {"", 0, 0, "新型显示模组项目", "industrial", "电子信息", 50000, 250000},
  {"", 0, 0, "精密铸造生产线技改项目", "industrial", "机械制造", 5000, 30000},
  {"年产", 100, 500, "万平方米节能玻璃项目", "industrial", "节能建材", 15000, 60000},
  {"", 0, 0, "电子信息产业园标准化厂房项目", "industrial", "产业园区", 30000, 150000},
  {"", 0, 0, "氢能装备研发制造基地", "industrial", "氢能装备", 80000, 300000},
  {"年产", 5, 30, "万吨特种纸项目", "industrial", "造纸", 20000, 100000},
  {"", 0, 0, "纺织服装产业园", "industrial", "纺织服装", 20000, 100000},
  {"", 0, 0, "工业机器人减速器项目", "industrial", "智能装备", 30000, 120000},
  {"", 0, 0, "医疗器械生产项目", "industrial", "医疗器械", 10000, 60000},
  {"年产", 5, 20, "万吨铝型材精深加工项目", "industrial", "有色金属", 30000, 150000},
  {"", 0, 0, "风电装备制造基地", "industrial", "风电装备", 80000, 400000},
  {"", 0, 0, "智能网联汽车零部件产业园", "industrial", "汽车零部件", 100000, 500000},
  {"年产", 10, 50, "万吨再生资源综合利用项目", "industrial", "循环经济", 20000, 80000},
  {"", 0, 0, "食品级包装材料项目", "industrial", "包装材料", 8000, 40000},
  {"年产", 2, 10, "千吨电子化学品项目", "industrial", "化工新材料", 30000, 150000},
  {"", 0, 0, "锂电池隔膜生产项目", "industrial", "新能源材料", 50000, 200000},
  {"", 0, 0, "高性能复合材料项目", "industrial", "新材料", 20000, 90000},
};
static const DemoName restructure_names[] = {
  {"市化肥厂", 0, 0, "兼并重组项目", "restructuring", "化工", 20000, 80000},
  {"市第一机械厂", 0, 0, "混合所有制改革项目", "restructuring", "机械制造", 15000, 60000},
  {"市纺织厂", 0, 0, "闲置资产盘活项目", "restructuring", "纺织", 8000, 30000},
  {"市水泥厂", 0, 0, "战略重组项目", "restructuring", "建材", 30000, 100000},
  {"市酿酒厂", 0, 0, "引进战略投资者项目", "restructuring", "食品饮料", 20000, 60000},
  {"市造纸厂", 0, 0, "破产重整项目", "restructuring", "造纸", 10000, 50000},
  {"市国有粮库", 0, 0, "资产重组项目", "restructuring", "粮食仓储", 5000, 20000},
  {"市建筑设计院", 0, 0, "混改引资项目", "restructuring", "工程设计", 3000, 10000},
  {"市汽车运输公司", 0, 0, "改制重组项目", "restructuring", "交通运输", 5000, 20000},
  {"市陶瓷厂", 0, 0, "搬迁改造重组项目", "restructuring", "陶瓷", 10000, 40000},
  {"市印刷厂", 0, 0, "资产整合项目", "restructuring", "印刷包装", 3000, 12000},
  {"市农机厂", 0, 0, "兼并重组项目", "restructuring", "农机装备", 6000, 25000},
  {"市第二化工厂", 0, 0, "退城入园重组项目", "restructuring", "化工", 20000, 80000},
  {"市丝绸厂", 0, 0, "老厂区盘活项目", "restructuring", "文化创意", 5000, 20000},
  {"市电机厂", 0, 0, "股权转让引资项目", "restructuring", "电机", 8000, 30000},
  {"市制药厂", 0, 0, "战略重组项目", "restructuring", "生物医药", 20000, 70000},
};
static const DemoName tech_names[] = {
  {"", 0, 0, "科技企业孵化器项目", "industrial", "科技服务", 5000, 30000},
  {"", 0, 0, "新材料中试基地", "industrial", "新材料", 10000, 50000},
  {"", 0, 0, "工业互联网平台项目", "industrial", "软件信息", 5000, 20000},
  {"", 0, 0, "碳纤维复合材料项目", "industrial", "新材料", 30000, 120000},
  {"", 0, 0, "人工智能算力中心项目", "industrial", "数字经济", 50000, 200000},
  {"", 0, 0, "石墨烯导热膜项目", "industrial", "新材料", 20000, 80000},
  {"", 0, 0, "北斗导航终端研发生产项目", "industrial", "电子信息", 10000, 50000},
  {"", 0, 0, "动物疫苗研发生产项目", "industrial", "生物医药", 20000, 90000},
  {"", 0, 0, "激光装备产业化项目", "industrial", "光电", 15000, 60000},
  {"", 0, 0, "高校科技成果转化基地", "industrial", "科技服务", 5000, 20000},
  {"", 0, 0, "无人机研发制造项目", "industrial", "航空装备", 20000, 100000},
  {"", 0, 0, "传感器芯片设计项目", "industrial", "集成电路", 30000, 150000},
  {"", 0, 0, "数字孪生工厂示范项目", "industrial", "智能制造", 10000, 40000},
  {"", 0, 0, "新型储能电池研发中心", "industrial", "新能源", 20000, 100000},
  {"", 0, 0, "院士工作站产业化项目", "industrial", "新材料", 5000, 20000},
  {"", 0, 0, "生物降解材料项目", "industrial", "新材料", 15000, 60000},
};
static const DemoName agri_names[] = {
  {"", 1, 3, "万亩高标准蔬菜基地项目", "agri_industrialization", "现代农业", 3000, 15000},
  {"年出栏", 5, 30, "万头生猪养殖项目", "agri_industrialization", "畜牧养殖", 8000, 40000},
  {"", 50, 200, "万只蛋鸡养殖及深加工项目", "agri_industrialization", "畜禽养殖", 5000, 20000},
  {"", 0, 0, "中药材种植加工基地", "agri_industrialization", "中药材", 3000, 15000},
  {"", 0, 0, "粮食烘干仓储物流中心", "agri_industrialization", "粮食仓储", 3000, 12000},
  {"", 0, 0, "农产品冷链物流及交易中心", "agri_industrialization", "冷链物流", 10000, 50000},
  {"", 0, 0, "有机茶叶种植加工项目", "agri_industrialization", "茶叶", 2000, 10000},
  {"", 0, 0, "食用菌工厂化生产项目", "agri_industrialization", "食用菌", 3000, 15000},
  {"年加工", 5, 20, "万吨优质大米项目", "agri_industrialization", "粮油加工", 5000, 20000},
  {"", 0, 0, "稻虾共作综合种养项目", "agri_industrialization", "生态种养", 1000, 6000},
  {"", 0, 0, "水果精深加工项目", "agri_industrialization", "食品加工", 5000, 25000},
  {"", 0, 0, "农光互补现代农业大棚项目", "agri_industrialization", "设施农业", 8000, 30000},
  {"", 0, 0, "肉牛养殖及屠宰加工项目", "agri_industrialization", "畜牧养殖", 10000, 40000},
  {"", 0, 0, "田园综合体项目", "agri_industrialization", "休闲农业", 15000, 60000},
  {"", 0, 0, "预制菜加工产业园", "agri_industrialization", "食品加工", 10000, 50000},
  {"年产", 1, 10, "万吨有机肥项目", "agri_industrialization", "农资", 2000, 8000},
};
static const DemoName forest_names[] = {
  {"", 0, 0, "油茶精深加工项目", "agri_industrialization", "林产品加工", 5000, 20000},
  {"", 1, 5, "万亩林下经济示范园", "agri_industrialization", "林下经济", 2000, 10000},
  {"", 0, 0, "苗木花卉产业园", "agri_industrialization", "苗木花卉", 3000, 15000},
  {"", 0, 0, "森林康养基地项目", "agri_industrialization", "森林康养", 10000, 40000},
  {"", 0, 0, "竹木家居制造项目", "agri_industrialization", "竹木加工", 5000, 25000},
  {"", 0, 0, "国家储备林建设项目", "agri_industrialization", "林业", 20000, 80000},
  {"", 0, 0, "木本粮油种植基地", "agri_industrialization", "林业", 2000, 8000},
  {"", 0, 0, "林业生物质颗粒燃料项目", "agri_industrialization", "生物质能源", 3000, 12000},
  {"", 0, 0, "中药材林下种植项目", "agri_industrialization", "中药材", 1500, 6000},
  {"", 0, 0, "湿地公园生态旅游项目", "agri_industrialization", "生态旅游", 8000, 30000},
  {"", 0, 0, "板材精深加工项目", "agri_industrialization", "木材加工", 6000, 25000},
  {"", 0, 0, "红豆杉种植及深加工项目", "agri_industrialization", "林产品加工", 3000, 10000},
  {"", 0, 0, "林果采摘观光园", "agri_industrialization", "休闲农业", 1000, 5000},
};
static const DemoName water_names[] = {
  {"", 0, 0, "高效节水灌溉项目", "agri_industrialization", "水利", 3000, 12000},
  {"", 0, 0, "生态渔业养殖基地", "agri_industrialization", "水产养殖", 2000, 10000},
  {"", 0, 0, "农村供水一体化项目", "agri_industrialization", "供水", 10000, 40000},
  {"", 0, 0, "小水电站增效扩容改造项目", "agri_industrialization", "水电", 3000, 12000},
  {"", 0, 0, "水生态修复与综合治理项目", "agri_industrialization", "水环境", 15000, 60000},
  {"", 0, 0, "大水面生态渔业项目", "agri_industrialization", "水产养殖", 2000, 8000},
  {"", 0, 0, "矿泉水开发项目", "agri_industrialization", "饮用水", 5000, 20000},
  {"", 0, 0, "灌区现代化改造项目", "agri_industrialization", "水利", 8000, 30000},
  {"", 0, 0, "水库库区生态旅游项目", "agri_industrialization", "生态旅游", 6000, 25000},
  {"", 0, 0, "智慧水务平台项目", "agri_industrialization", "智慧水务", 2000, 8000},
  {"", 0, 0, "稻渔综合种养示范区", "agri_industrialization", "生态种养", 1500, 6000},
  {"", 0, 0, "河道砂石资源综合利用项目", "agri_industrialization", "砂石", 5000, 20000},
};
static const DemoName coop_names[] = {
  {"", 0, 0, "农资连锁配送中心", "agri_industrialization", "农资流通", 2000, 8000},
  {"", 0, 0, "县域电商公共服务中心", "agri_industrialization", "农村电商", 1000, 5000},
  {"", 0, 0, "农产品产地仓项目", "agri_industrialization", "仓储物流", 2000, 10000},
  {"", 0, 0, "再生资源回收利用网络项目", "agri_industrialization", "再生资源", 3000, 12000},
  {"", 0, 0, "棉花收储加工项目", "agri_industrialization", "棉花加工", 3000, 15000},
  {"", 0, 0, "为农服务综合中心", "agri_industrialization", "农村服务", 1000, 5000},
  {"", 0, 0, "土地托管服务中心", "agri_industrialization", "农业服务", 800, 3000},
  {"", 0, 0, "茶油收储加工项目", "agri_industrialization", "食用油", 2000, 8000},
  {"", 0, 0, "城乡冷链配送项目", "agri_industrialization", "冷链物流", 3000, 12000},
  {"", 0, 0, "特色农产品展销中心", "agri_industrialization", "商贸流通", 1000, 5000},
  {"", 0, 0, "农业社会化服务示范项目", "agri_industrialization", "农业服务", 500, 3000},
};
static const DemoName tourism_names[] = {
  {"", 0, 0, "文旅综合体项目", "services", "文化旅游", 30000, 150000},
  {"", 0, 0, "古镇保护性开发项目", "services", "文化旅游", 20000, 100000},
  {"", 0, 0, "温泉度假区项目", "services", "休闲度假", 30000, 120000},
  {"", 0, 0, "五星级酒店项目", "services", "酒店管理", 30000, 80000},
  {"", 0, 0, "影视拍摄基地项目", "services", "影视文化", 20000, 100000},
  {"", 0, 0, "研学旅行营地项目", "services", "研学旅游", 5000, 20000},
  {"", 0, 0, "夜间文旅消费街区项目", "services", "商业运营", 10000, 40000},
  {"", 0, 0, "民宿集群项目", "services", "乡村旅游", 3000, 12000},
  {"", 0, 0, "数字文创产业园", "services", "文化创意", 10000, 50000},
  {"", 0, 0, "非遗文化产业园", "services", "文化创意", 5000, 20000},
  {"", 0, 0, "红色旅游教育基地项目", "services", "文化旅游", 5000, 25000},
  {"", 0, 0, "主题乐园项目", "services", "主题娱乐", 50000, 200000},
  {"", 0, 0, "房车露营地项目", "services", "休闲旅游", 3000, 10000},
  {"", 0, 0, "大型实景演艺项目", "services", "演艺", 10000, 50000},
  {"", 0, 0, "景区提质改造项目", "services", "景区运营", 20000, 80000},
  {"", 0, 0, "剧本娱乐综合体项目", "services", "文化娱乐", 2000, 8000},
};
static const DemoName city_names[] = {
  {"", 0, 0, "智慧停车场建设运营项目", "services", "智慧停车", 5000, 30000},
  {"", 0, 0, "生活垃圾焚烧发电项目", "services", "环保能源", 40000, 120000},
  {"", 0, 0, "餐厨垃圾资源化利用项目", "services", "环保", 8000, 30000},
  {"", 0, 0, "环卫一体化市场化运营项目", "services", "环卫服务", 5000, 20000},
  {"", 0, 0, "城市户外广告特许经营项目", "services", "广告", 2000, 8000},
  {"", 0, 0, "建筑垃圾资源化利用项目", "services", "循环经济", 5000, 20000},
  {"", 0, 0, "地下综合管廊运营项目", "services", "市政运营", 30000, 100000},
  {"", 0, 0, "城市照明节能改造项目", "services", "节能服务", 3000, 12000},
  {"", 0, 0, "农贸市场升级改造项目", "services", "商贸", 2000, 10000},
  {"", 0, 0, "智慧城管平台项目", "services", "智慧城市", 1500, 6000},
  {"", 0, 0, "新能源汽车充电站网络项目", "services", "充电设施", 5000, 20000},
  {"", 0, 0, "城市公园配套商业项目", "services", "商业运营", 3000, 12000},
  {"", 0, 0, "再生水利用项目", "services", "水务", 5000, 20000},
  {"", 0, 0, "垃圾分类处理中心", "services", "环保", 3000, 15000},
  {"", 0, 0, "园林绿化养护市场化项目", "services", "园林绿化", 1000, 5000},
  {"", 0, 0, "城市更新片区运营项目", "services", "城市更新", 20000, 80000},
};
static const DemoName transport_names[] = {
  {"", 0, 0, "智慧物流分拨中心", "services", "物流", 10000, 50000},
  {"", 0, 0, "公铁联运物流园", "services", "物流", 30000, 150000},
  {"", 0, 0, "新能源公交车辆更新项目", "services", "公共交通", 5000, 20000},
  {"", 0, 0, "城乡客运一体化项目", "services", "交通运输", 3000, 10000},
  {"", 0, 0, "港口码头扩建项目", "services", "港口物流", 30000, 120000},
  {"", 0, 0, "冷链物流配送中心", "services", "冷链物流", 8000, 30000},
  {"", 0, 0, "快递电商产业园", "services", "快递物流", 10000, 40000},
  {"", 0, 0, "汽车客运站综合开发项目", "services", "交通运输", 10000, 40000},
  {"", 0, 0, "网络货运平台项目", "services", "数字物流", 1000, 5000},
  {"", 0, 0, "高速公路服务区提质项目", "services", "交通服务", 3000, 10000},
  {"", 0, 0, "通用机场建设项目", "services", "通用航空", 20000, 80000},
  {"", 0, 0, "危险品运输停车场项目", "services", "交通运输", 2000, 8000},
  {"", 0, 0, "城市配送共同仓项目", "services", "仓储物流", 3000, 12000},
  {"", 0, 0, "旅游公路驿站项目", "services", "交通服务", 1500, 6000},
};
static const DemoName health_names[] = {
  {"", 0, 0, "民营综合医院项目", "services", "医疗健康", 30000, 100000},
  {"", 0, 0, "康养中心项目", "services", "健康养老", 10000, 50000},
  {"", 0, 0, "医养结合养老院项目", "services", "健康养老", 8000, 30000},
  {"", 0, 0, "第三方医学检验中心", "services", "医学检验", 3000, 12000},
  {"", 0, 0, "互联网医院项目", "services", "互联网医疗", 2000, 8000},
  {"", 0, 0, "口腔专科医院项目", "services", "医疗健康", 3000, 10000},
  {"", 0, 0, "血液透析中心", "services", "医疗健康", 2000, 6000},
  {"", 0, 0, "妇产专科医院项目", "services", "医疗健康", 8000, 25000},
  {"", 0, 0, "中医药康复中心", "services", "中医药", 3000, 12000},
  {"", 0, 0, "医疗物资储备中心", "services", "医药物流", 3000, 10000},
  {"", 0, 0, "母婴健康中心项目", "services", "母婴健康", 1000, 5000},
  {"", 0, 0, "健康体检中心项目", "services", "健康管理", 1500, 6000},
};
static const DemoName education_names[] = {
  {"", 0, 0, "职业技能培训学校项目", "services", "职业教育", 5000, 20000},
  {"", 0, 0, "民办高中项目", "services", "教育", 10000, 40000},
  {"", 0, 0, "产教融合实训基地", "services", "职业教育", 5000, 25000},
  {"", 0, 0, "国际学校项目", "services", "教育", 20000, 60000},
  {"", 0, 0, "青少年科技教育中心", "services", "素质教育", 2000, 8000},
  {"", 0, 0, "普惠性幼儿园项目", "services", "学前教育", 1000, 4000},
  {"", 0, 0, "智慧教育云平台项目", "services", "教育信息化", 1000, 5000},
  {"", 0, 0, "高校分校区建设项目", "services", "高等教育", 50000, 150000},
  {"", 0, 0, "研学实践教育基地", "services", "研学教育", 3000, 10000},
  {"", 0, 0, "托育服务中心", "services", "托育", 800, 3000},
};
static const DemoName housing_names[] = {
  {"", 0, 0, "城市商业综合体项目", "services", "商业地产", 50000, 200000},
  {"", 0, 0, "装配式建筑产业基地", "services", "装配式建筑", 20000, 80000},
  {"", 0, 0, "老旧小区改造及运营项目", "services", "城市更新", 10000, 40000},
  {"", 0, 0, "保障性租赁住房项目", "services", "住房租赁", 15000, 50000},
  {"", 0, 0, "城中村改造项目", "services", "城市更新", 50000, 200000},
  {"", 0, 0, "绿色建材产业园", "services", "绿色建材", 20000, 60000},
  {"", 0, 0, "商贸物流城项目", "services", "商贸物流", 30000, 120000},
  {"", 0, 0, "总部经济大厦项目", "services", "商务楼宇", 20000, 80000},
  {"", 0, 0, "人才公寓项目", "services", "住房租赁", 10000, 30000},
  {"", 0, 0, "建筑工业化构件项目", "services", "建筑工业化", 10000, 30000},
  {"", 0, 0, "社区商业中心项目", "services", "商业运营", 5000, 20000},
  {"", 0, 0, "智慧社区建设运营项目", "services", "智慧社区", 3000, 10000},
  {"", 0, 0, "钢结构住宅示范项目", "services", "钢结构", 8000, 30000},
  {"", 0, 0, "建筑设计产业园", "services", "工程设计", 5000, 20000},
  {"", 0, 0, "家居建材市场项目", "services", "商贸流通", 10000, 40000},
  {"", 0, 0, "城市客厅综合开发项目", "services", "城市开发", 40000, 150000},
  {"", 0, 0, "物业服务中心项目", "services", "物业服务", 1000, 4000},
  {"", 0, 0, "城市综合体二期项目", "services", "商业地产", 30000, 100000},
};
static const DemoName audit_names[] = {
  {"", 0, 0, "省级审计信息化建设补助资金", "policy_funds", "", 300, 1500},
  {"", 0, 0, "农村饮水安全巩固提升中央补助资金", "policy_funds", "", 1000, 5000},
  {"", 0, 0, "中央财政衔接推进乡村振兴补助资金", "policy_funds", "", 2000, 8000},
  {"", 0, 0, "城镇老旧小区改造中央补助资金", "policy_funds", "", 3000, 12000},
  {"", 0, 0, "重点流域水环境综合治理中央预算内投资", "policy_funds", "", 3000, 10000},
  {"", 0, 0, "产业园区基础设施专项债券资金", "policy_funds", "", 10000, 50000},
  {"", 0, 0, "省级财源建设专项资金", "policy_funds", "", 500, 3000},
  {"", 0, 0, "高标准农田建设中央补助资金", "policy_funds", "", 2000, 8000},
  {"", 0, 0, "县域商业体系建设中央补助资金", "policy_funds", "", 500, 2000},
  {"", 0, 0, "义务教育薄弱环节改善补助资金", "policy_funds", "", 1000, 4000},
};
static const DemoName civil_defense_names[] = {
  {"", 0, 0, "人防工程建设中央补助资金", "policy_funds", "", 1000, 5000},
  {"", 0, 0, "人防指挥信息系统建设补助资金", "policy_funds", "", 300, 1500},
  {"", 0, 0, "人防疏散基地建设省级补助资金", "policy_funds", "", 500, 3000},
  {"", 0, 0, "平战结合地下停车场建设资金", "policy_funds", "", 2000, 10000},
  {"", 0, 0, "人防警报设施升级改造补助资金", "policy_funds", "", 200, 1000},
  {"", 0, 0, "早期人防工程加固改造中央补助资金", "policy_funds", "", 500, 2500},
  {"", 0, 0, "人防专业队伍装备建设补助资金", "policy_funds", "", 200, 800},
  {"", 0, 0, "地下空间综合利用专项资金", "policy_funds", "", 1000, 6000},
  {"", 0, 0, "人民防空宣传教育基地补助资金", "policy_funds", "", 100, 500},
  {"", 0, 0, "人防工程平战转换设施补助资金", "policy_funds", "", 300, 1200},
};
static const DemoName finance_names[] = {
  {"", 0, 0, "均衡性转移支付增量资金", "policy_funds", "", 5000, 20000},
  {"", 0, 0, "新增地方政府专项债券额度", "policy_funds", "", 20000, 100000},
  {"", 0, 0, "产业转型升级示范区专项资金", "policy_funds", "", 3000, 10000},
  {"", 0, 0, "中小企业发展专项资金", "policy_funds", "", 500, 3000},
  {"", 0, 0, "普惠金融发展专项资金", "policy_funds", "", 300, 1500},
  {"", 0, 0, "城市更新中央财政补助资金", "policy_funds", "", 5000, 20000},
  {"", 0, 0, "县级基本财力保障奖补资金", "policy_funds", "", 2000, 8000},
  {"", 0, 0, "政府和社会资本合作项目前期费补助", "policy_funds", "", 200, 800},
  {"", 0, 0, "省级产业引导基金子基金出资", "policy_funds", "", 10000, 50000},
  {"", 0, 0, "乡村振兴专项债券资金", "policy_funds", "", 5000, 30000},
  {"", 0, 0, "超长期特别国债项目资金", "policy_funds", "", 10000, 40000},
};
static const DemoName hr_names[] = {
  {"", 0, 0, "中央就业补助资金", "policy_funds", "", 1000, 5000},
  {"", 0, 0, "职业技能提升行动专项资金", "policy_funds", "", 500, 3000},
  {"", 0, 0, "高技能人才培训基地建设补助资金", "policy_funds", "", 300, 1500},
  {"", 0, 0, "返乡创业园建设补助资金", "policy_funds", "", 500, 2000},
  {"", 0, 0, "博士后科研工作站建设资助资金", "policy_funds", "", 50, 300},
  {"", 0, 0, "公共实训基地建设中央预算内投资", "policy_funds", "", 2000, 6000},
  {"", 0, 0, "创业担保贷款贴息资金", "policy_funds", "", 300, 1200},
  {"", 0, 0, "技能大师工作室建设补助资金", "policy_funds", "", 30, 150},
};
static const DemoName civil_affairs_names[] = {
  {"", 0, 0, "居家和社区养老服务提升中央补助资金", "policy_funds", "", 500, 2000},
  {"", 0, 0, "殡葬设施建设省级补助资金", "policy_funds", "", 300, 1500},
};
static const DemoName sports_names[] = {
  {"", 0, 0, "全民健身中心项目", "services", "体育产业", 5000, 20000},
  {"", 0, 0, "体育公园运营项目", "services", "体育产业", 3000, 12000},
};
static const DemoName environment_names[] = {
  {"", 0, 0, "危险废物集中处置中心", "other", "环保", 10000, 40000},
  {"", 0, 0, "工业园区污水处理厂提标改造项目", "other", "水处理", 8000, 30000},
  {"", 0, 0, "光伏发电储能一体化项目", "other", "新能源", 20000, 80000},
  {"", 0, 0, "土壤修复治理项目", "other", "环境修复", 3000, 12000},
  {"", 0, 0, "环境监测设备生产项目", "other", "环保装备", 5000, 20000},
  {"", 0, 0, "医疗废物处置中心", "other", "环保", 3000, 10000},
  {"", 0, 0, "碳排放监测服务平台", "other", "节能环保", 1000, 5000},
  {"", 0, 0, "分布式光伏整县推进项目", "other", "新能源", 30000, 100000},
  {"", 0, 0, "尾矿综合治理项目", "other", "环境治理", 5000, 20000},
  {"", 0, 0, "节能环保产业园", "other", "节能环保", 20000, 80000},
};
static const DemoName land_names[] = {
  {"", 0, 0, "矿产资源综合利用项目", "other", "矿业", 20000, 80000},
  {"", 0, 0, "土地综合整治项目", "other", "土地整治", 5000, 20000},
  {"", 0, 0, "废弃矿山生态修复项目", "other", "生态修复", 5000, 25000},
  {"", 0, 0, "砂石骨料绿色矿山项目", "other", "矿业", 15000, 50000},
  {"", 0, 0, "石材精深加工产业园", "industrial", "石材", 20000, 60000},
  {"", 0, 0, "地热能开发利用项目", "other", "新能源", 8000, 30000},
  {"", 0, 0, "测绘地理信息产业园", "other", "地理信息", 3000, 12000},
  {"", 0, 0, "萤石矿开发项目", "other", "矿业", 10000, 40000},
  {"", 0, 0, "增减挂钩土地复垦项目", "other", "土地整治", 3000, 10000},
  {"", 0, 0, "高岭土深加工项目", "industrial", "非金属矿", 10000, 40000},
  {"", 0, 0, "城市地下空间开发项目", "other", "城市开发", 20000, 80000},
};
static const DemoName market_names[] = {
  {"", 0, 0, "产品质量检验检测中心", "other", "检验检测", 5000, 20000},
  {"", 0, 0, "知识产权运营服务中心", "other", "知识产权", 1000, 5000},
  {"", 0, 0, "计量检定校准实验室", "other", "计量检测", 1000, 4000},
  {"", 0, 0, "食品安全快检中心", "other", "检验检测", 500, 2000},
  {"", 0, 0, "标准化研究院分院", "other", "标准化", 1000, 3000},
  {"", 0, 0, "特种设备检验检测基地", "other", "检验检测", 3000, 10000},
  {"", 0, 0, "商标品牌培育基地", "other", "品牌服务", 500, 2000},
  {"", 0, 0, "电商直播基地", "services", "电子商务", 2000, 10000},
  {"", 0, 0, "市场主体登记服务中心", "other", "商务服务", 300, 1500},
  {"", 0, 0, "企业总部经济园", "services", "商务服务", 10000, 40000},
};
static const DemoName mixed_names[] = {
  {"", 0, 0, "职工疗休养基地项目", "services", "健康休闲", 3000, 12000},
  {"", 0, 0, "青年创业孵化园", "services", "创业服务", 2000, 8000},
  {"", 0, 0, "巾帼创业示范基地", "agri_industrialization", "特色种养", 500, 3000},
  {"", 0, 0, "返乡创业农特产品加工项目", "agri_industrialization", "食品加工", 1000, 5000},
  {"", 0, 0, "商会企业回归投资项目", "industrial", "综合投资", 10000, 50000},
  {"", 0, 0, "电子元器件生产项目", "industrial", "电子信息", 20000, 80000},
  {"", 0, 0, "精密模具制造项目", "industrial", "模具", 10000, 40000},
  {"", 0, 0, "科技成果转化示范项目", "industrial", "科技服务", 3000, 10000},
  {"", 0, 0, "异地商会产业园", "industrial", "产业园区", 30000, 100000},
  {"", 0, 0, "工匠学院实训基地", "services", "职业教育", 2000, 6000},
  {"", 0, 0, "青年电商直播基地", "services", "电子商务", 1000, 4000},
  {"", 0, 0, "家政服务培训中心", "services", "家政服务", 500, 2000},
  {"", 0, 0, "民营企业总部大厦", "services", "商务楼宇", 20000, 60000},
  {"", 0, 0, "服装加工帮扶车间项目", "industrial", "服装加工", 500, 2000},
  {"", 0, 0, "手工艺品加工项目", "industrial", "工艺品", 300, 1500},
  {"", 0, 0, "休闲食品生产项目", "industrial", "食品加工", 3000, 12000},
  {"", 0, 0, "智能仓储物流中心", "services", "物流", 8000, 30000},
  {"", 0, 0, "跨境电商产业园", "services", "跨境电商", 10000, 40000},
};

#define POOL(a, up) {a, COUNT(a), up}
const DemoNamePool demo_pools[POOL_COUNT] = {
  [POOL_INDUSTRY] = POOL(industry_names, NULL),
  [POOL_RESTRUCTURE] = POOL(restructure_names, NULL),
  [POOL_TECH] = POOL(tech_names, NULL),
  [POOL_AGRI] = POOL(agri_names, NULL),
  [POOL_FOREST] = POOL(forest_names, NULL),
  [POOL_WATER] = POOL(water_names, NULL),
  [POOL_COOP] = POOL(coop_names, NULL),
  [POOL_TOURISM] = POOL(tourism_names, NULL),
  [POOL_CITY] = POOL(city_names, NULL),
  [POOL_TRANSPORT] = POOL(transport_names, NULL),
  [POOL_HEALTH] = POOL(health_names, NULL),
  [POOL_EDUCATION] = POOL(education_names, NULL),
  [POOL_HOUSING] = POOL(housing_names, NULL),
  [POOL_AUDIT] = POOL(audit_names, "省审计厅、省财政厅"),
  [POOL_CIVIL_DEFENSE] = POOL(civil_defense_names, "省人防办"),
  [POOL_FINANCE] = POOL(finance_names, "省财政厅"),
  [POOL_HR] = POOL(hr_names, "省人力资源社会保障厅"),
  [POOL_CIVIL_AFFAIRS] = POOL(civil_affairs_names, "省民政厅"),
  [POOL_SPORTS] = POOL(sports_names, NULL),
  [POOL_ENVIRONMENT] = POOL(environment_names, NULL),
  [POOL_LAND] = POOL(land_names, NULL),
  [POOL_MARKET] = POOL(market_names, NULL),
  [POOL_MIXED] = POOL(mixed_names, NULL),
};

/* ---- people ---- */
const char *const demo_surnames[] = {"王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "胡", "朱",
                                     "高", "林", "何", "郭", "马", "罗", "梁", "宋", "郑", "谢", "韩", "唐", "冯", "于",
                                     "董", "萧", "程", "曹", "袁", "邓", "许", "傅", "沈", "曾", "彭", "吕", "苏", "卢",
                                     "蒋", "蔡", "贾", "丁", "魏", "薛", "叶", "阎"};
const size_t demo_nsurnames = COUNT(demo_surnames);
const char *const demo_given[] = {
  "建国", "志强", "海燕", "丽华", "文杰", "晓东", "秀英", "国庆", "明辉", "春梅", "卫东", "红霞", "建军", "玉兰",
  "振华", "小军", "俊峰", "丽娟", "永刚", "淑珍", "立新", "桂兰", "亚军", "晓燕", "宏伟", "雪梅", "大伟", "思远",
  "子涵", "浩然", "欣怡", "雨桐", "博文", "一鸣", "佳琪", "宇航", "晨阳", "嘉怡", "文博", "德明", "少华", "向东",
  "金龙", "瑞芳", "新民", "家豪", "梦瑶", "天宇", "慧敏", "志远", "学军", "国平", "春生", "凤英", "伟民", "建华",
  "秋菊", "海波", "长江", "立群", "云飞", "婷婷", "静怡", "俊杰"};
const size_t demo_ngiven = COUNT(demo_given);

/* ---- investors ---- */
const char *const demo_brands[] = {
  "鼎盛", "华泰", "宏远", "恒通", "瑞丰", "金鹏", "天瑞", "中科", "海川", "新锐", "东方", "博远", "德润", "正和",
  "嘉禾", "盛世", "泰和", "永信", "安达", "远航", "华信", "长丰", "祥云", "明德", "启航", "卓越", "汇通", "锦程",
  "润泽", "鸿运", "金石", "华宇", "腾达", "昌盛", "宏图", "凯旋", "联创", "融通", "星河", "晟通", "振邦", "恒信",
  "天成", "万邦", "中联", "和信", "鑫源", "丰泽", "泰丰", "浩宇", "天禾", "金穗", "绿源", "青松", "蓝天", "银杉",
  "华晨", "瑞华", "冠达", "合力", "众诚", "隆盛", "富华", "国邦", "亿通", "中泰", "安泰", "昊天", "龙腾", "九州",
  "晶瑞", "科瑞", "蓝海", "北辰", "南山", "华屹", "嘉润", "德源", "正源", "宝鼎", "盈科", "恒丰", "新宇", "博瑞",
  "金诺", "汉邦", "合众", "世纪", "永泰", "鲁邦", "骏达", "弘毅", "同创", "澜海", "睿达", "凯盛"};
const size_t demo_nbrands = COUNT(demo_brands);
const char *const demo_out_of_province[] = {"深圳", "上海", "杭州", "苏州", "广州", "北京", "宁波", "厦门",
                                            "温州", "南京", "成都", "武汉", "东莞", "佛山", "天津", "青岛"};
const size_t demo_nout_of_province = COUNT(demo_out_of_province);
/* In-province investors: the province is not named, so their places are generic. */
const char *const demo_in_province[] = {"省城", "省城", "邻市"};
const size_t demo_nin_province = COUNT(demo_in_province);
const char *const demo_overseas[] = {"香港", "澳门", "台湾", "新加坡", "日本", "韩国", "德国"};
const size_t demo_noverseas = COUNT(demo_overseas);
const char *const demo_corp_suffixes[] = {"有限公司", "科技有限公司", "股份有限公司", "集团有限公司", "实业有限公司",
                                          "发展有限公司"};
const size_t demo_ncorp_suffixes = COUNT(demo_corp_suffixes);
const char *const demo_contact_titles[] = {"董事长", "总经理", "副总经理", "投资总监", "项目经理", "董事会秘书"};
const size_t demo_ncontact_titles = COUNT(demo_contact_titles);
const char *const demo_towns[] = {"青龙镇", "白马镇", "柳河乡", "桃源镇", "石门镇", "凤山乡", "清水镇", "东湖镇",
                                  "双河镇", "龙泉镇", "杨柳镇", "金沙乡", "三江镇", "红星乡", "永安镇", "太平镇"};
const size_t demo_ntowns = COUNT(demo_towns);
const char *const demo_parks[] = {"经济技术开发区", "高新技术产业开发区", "临港产业园", "城东工业园",
                                  "循环经济产业园"};
const size_t demo_nparks = COUNT(demo_parks);
const char *const demo_city_areas[] = {"中心城区", "城东新区", "高铁新区", "文化旅游度假区", "城南物流园区",
                                       "滨江新区"};
const size_t demo_ncity_areas = COUNT(demo_city_areas);

/* ---- follow-ups ---- */
#define TEXTS(a) {a, COUNT(a)}
static const char *const pre_outbound[] = {
  "赴{C}拜访{I}，与{N}就{P}的投资规模、用地需求和建设周期深入洽谈，对方投资意向明确。",
  "带队赴{C}开展小分队招商，走访{I}总部，推介我市产业基础和营商环境，对方表示将尽快来我市考察。",
  "赴{C}回访{I}，进一步对接{P}的产业配套和政策诉求，双方就合作框架基本达成共识。",
  "赴{C}参加{I}项目投资论证会，介绍我市能源、物流和用工条件，争取{P}落户我市。"};
static const char *const pre_visit[] = {
  "{I}{N}一行来我市实地考察{P}选址，查看了园区道路、水电气等配套条件。",
  "{N}带队来我市考察，参观了相关园区和同类企业，对我市投资环境评价较高。",
  "{I}技术团队来我市开展尽职调查，就用地、环评、能耗指标等进行了详细了解。"};
static const char *const pre_call[] = {
  "与{N}电话沟通{P}进展，对方已完成内部立项，预计近期提交投资计划书。",
  "电话联系{I}，对方董事会将于本月研究投资事项，已约定近期再次对接。",
  "与{N}视频连线，答复了对方关于税收优惠和厂房代建政策的疑问。",
  "电话跟进{P}，对方仍在比较周边地市条件，需进一步做好服务和政策对接。"};
static const char *const pre_meeting[] = {
  "召开{P}专题推进会，研究用地规划、基础配套和优惠政策，明确各责任科室时间节点。",
  "与{I}举行第二轮商务谈判，就投资协议主要条款逐条磋商，分歧已基本消除。",
  "组织自然资源、生态环境等部门会商{P}前期手续，梳理出需协调解决的问题。"};
static const char *const pre_fair[] = {
  "在{E}上与{I}接洽，交换了{P}的投资意向，对方留下了详细项目资料。",
  "参加{E}，与{N}现场对接{P}，约定会后来我市实地考察。"};
static const char *const post_outbound[] = {
  "赴{C}走访{I}，督促{P}设备采购和资金调度，对方承诺按协议进度落实。",
  "赴{C}对接{I}总部，协调{P}后续资金拨付计划。"};
static const char *const post_visit[] = {
  "{N}来我市现场办公，协调解决{P}施工许可和水电接入问题。",
  "{I}高管来我市检查{P}建设进度，对前期服务表示满意。"};
static const char *const post_call[] = {
  "电话了解{P}施工进展，主体工程按计划推进，下一笔资金将于近期到账。",
  "与{N}电话沟通，{P}环评批复已下达，正在办理施工许可。"};
static const char *const post_meeting[] = {
  "召开{P}建设现场调度会，协调解决施工用电、道路和用工问题。",
  "组织{P}“一企一策”帮办代办会议，帮助企业办理规划、施工许可等手续。",
  "参加{P}开工准备协调会，明确开工时间和各方责任。"};
static const char *const post_fair[] = {"在{E}上与{I}再次对接{P}后续投资计划。"};
static const char *const after_outbound[] = {"赴{C}回访{I}，了解{P}投产后经营情况，洽谈增资扩产事宜。"};
static const char *const after_visit[] = {"{N}来我市考察，拟在{P}基础上追加投资建设二期项目。"};
static const char *const after_call[] = {"电话回访{I}，{P}已正式投产，企业反映用工和物流需求，已转相关部门协调。"};
static const char *const after_meeting[] = {"召开{P}投产后服务座谈会，协调解决企业融资和产品本地配套问题。",
                                            "组织银企对接会，帮助{I}解决流动资金需求。"};
static const char *const after_fair[] = {"在{E}上陪同{I}推介企业产品，拓展本地市场。"};
static const char *const policy_pre_outbound[] = {
  "赴省城对接{C}，汇报{P}申报情况，争取纳入年度资金安排。",
  "带队赴{C}汇报我市项目储备情况，就{P}申报条件和评审要点进行沟通。"};
static const char *const policy_pre_visit[] = {"{C}来我市开展{P}申报项目现场核查，查看了项目前期准备情况。"};
static const char *const policy_pre_call[] = {"与{C}电话沟通{P}评审进展，按要求补充了项目可研和资金筹措材料。",
                                              "电话了解{P}申报指南变化，及时调整申报材料。"};
static const char *const policy_pre_meeting[] = {
  "召开{P}申报材料审核会，逐项对照申报指南完善材料。",
  "组织相关部门研究{P}配套资金和项目储备，明确申报分工。"};
static const char *const policy_post_outbound[] = {"赴{C}对接{P}资金下达进度，争取尽快拨付到位。"};
static const char *const policy_post_visit[] = {"{C}来我市督导{P}资金使用和项目建设情况。"};
static const char *const policy_post_call[] = {"与{C}电话确认{P}资金下达文件，督促财政部门及时拨付。"};
static const char *const policy_post_meeting[] = {"召开{P}资金使用调度会，明确项目建设和资金支付进度。"};

const DemoTexts demo_fu_summaries[FU_PHASES][5] = {
  [FU_PRE] = {TEXTS(pre_outbound), TEXTS(pre_visit), TEXTS(pre_call), TEXTS(pre_meeting), TEXTS(pre_fair)},
  [FU_POST] = {TEXTS(post_outbound), TEXTS(post_visit), TEXTS(post_call), TEXTS(post_meeting), TEXTS(post_fair)},
  [FU_AFTERCARE] = {TEXTS(after_outbound), TEXTS(after_visit), TEXTS(after_call), TEXTS(after_meeting),
                    TEXTS(after_fair)},
  [FU_POLICY_PRE] = {TEXTS(policy_pre_outbound), TEXTS(policy_pre_visit), TEXTS(policy_pre_call),
                     TEXTS(policy_pre_meeting), TEXTS(policy_pre_meeting)},
  [FU_POLICY_POST] = {TEXTS(policy_post_outbound), TEXTS(policy_post_visit), TEXTS(policy_post_call),
                      TEXTS(policy_post_meeting), TEXTS(policy_post_meeting)},
};

static const char *const next_pre[] = {"安排客商实地考察选址", "报送项目可研报告和投资计划书", "协调落实项目用地指标",
                                       "起草投资合作协议文本", "提请市领导会见客商", "准备集中签约相关材料"};
static const char *const next_post[] = {"督促企业办理施工许可", "协调供电部门落实施工用电", "跟进下一笔资金到账",
                                        "筹备项目开工仪式", "协调解决施工用工问题", "推进设备进场安装"};
static const char *const next_after[] = {"跟进二期项目投资意向", "协调解决企业融资需求", "帮助企业申报高新技术企业",
                                         "组织本地配套企业对接", "协助企业招聘技术工人", "定期回访企业经营情况"};
static const char *const next_policy_pre[] = {"补充完善申报材料", "跟进专家评审结果", "落实地方配套资金"};
static const char *const next_policy_post[] = {"跟进资金拨付进度", "督促项目单位加快资金支出", "准备绩效评价材料"};
const DemoTexts demo_fu_next_steps[FU_PHASES] = {
  [FU_PRE] = TEXTS(next_pre),
  [FU_POST] = TEXTS(next_post),
  [FU_AFTERCARE] = TEXTS(next_after),
  [FU_POLICY_PRE] = TEXTS(next_policy_pre),
  [FU_POLICY_POST] = TEXTS(next_policy_post),
};

const char *const demo_drop_reasons[] = {"客商资金链紧张，暂缓对外投资", "客商最终选择在外省落户",
                                         "项目不符合产业政策和环保要求", "用地指标无法落实，客商放弃",
                                         "客商调整投资方向", "项目能耗指标不满足要求",
                                         "双方在优惠政策上未能达成一致"};
const size_t demo_ndrop_reasons = COUNT(demo_drop_reasons);
const char *const demo_fund_reject_reasons[] = {
  "到账凭证为本市企业自有资金划转，不属于市外到位资金", "银行回单与项目投资主体不一致，请补充说明",
  "凭证号与银行记录不符，请核实后重新报送", "该笔资金为借款性质，不计入实际到位资金"};
const size_t demo_nfund_reject_reasons = COUNT(demo_fund_reject_reasons);
const char *const demo_stage_reject_reasons[3][2] = {
  {"合同未加盖双方公章，请补充完整合同文本", "签约合同金额与协议文本不一致，请核实"},
  {"开工佐证材料不足，请补充施工许可证和现场照片", "现场核查尚未实质性开工，暂不认定"},
  {"竣工验收材料不全，请补充竣工验收备案表", "项目尚未投产，竣工认定条件不成熟"},
};
