# 公共网站的界面文本（简体中文）。本目录包含英文参考目录的全部键
# （由一项测试加以检查）。

site-name = 网络同行审议
skip-to-content = 跳至正文
nav-label = 网站
nav-home = 首页
nav-recommendations = 建议
nav-search = 搜索
nav-open-data = 开放数据
language-switch-label = 语言
footer-about = 网络同行审议仿照普遍定期审议的模式，每年分六个阶段，就各国的网络行动追究其责任。
footer-api = API 及其文档
footer-openapi = OpenAPI 文档
footer-feed = 出版物（Atom 订阅源）
footer-times-utc = 所有时间均为协调世界时（UTC）。
back-home = 返回首页
as-json = JSON 格式
feed = 出版物订阅源
calendar-feed = 日历（iCalendar）
subscribe-link = 通过电子邮件接收通知

error-not-found-title = 未找到页面
error-not-found-body = 此地址下没有公开内容。该内容可能不存在，或尚未发布。
error-bad-request-title = 地址无效
error-bad-request-body = 地址的某一部分不是本网站能够识别的格式。
error-field = 有问题的部分：{ $field }
error-unavailable-title = 暂时无法访问
error-unavailable-body = 本网站目前无法连接其数据库。请过几秒钟再试。
error-internal-title = 出现错误
error-internal-body = 无法显示该页面。错误已被记录。

home-title = 本年度的审议
home-intro = 每年，每个拥有进攻性网络能力的国家都要接受审议：该国提交报告，利益攸关方提交材料，由三个国家组成的工作组提出建议，该国逐一答复这些建议，最后由监督机构公开通过审议结果。
current-cycle = 本轮周期：{ $name }
cycle-starts = 开始日期：{ $date }
reviews-count = { $count ->
   *[other] { $count } 项审议
}
cycle-page-link = 本周期及其年度报告
review-of = 对{ $state }的审议
stage-now = 当前阶段：{ $stage }
missed-count = { $count ->
   *[other] 错过 { $count } 个截止期限
}
deadlines = 截止期限
no-reviews = 尚无审议。
no-cycle = 尚未开始任何周期。
earlier-cycles = 以往周期
timeline-label = 对{ $state }审议的六个阶段
entered-on = 自{ $date }起
deadlines-caption = 对{ $state }审议的截止期限
deadline = 截止期限
due = 到期日
outcome = 结果
hard-close = 最终截止
extensions = 延期

stage-state_report = 国家报告
stage-stakeholder_input = 利益攸关方材料
stage-compilation = 汇编
stage-working_group = 工作组
stage-response = 答复
stage-oversight = 监督
stage-concluded = 已结束
stage-withdrawn = 已撤回
stage-status-done = 已完成
stage-status-current = 当前阶段
stage-status-ahead = 待进行

deadline-state_report = 国家报告
deadline-input_window = 利益攸关方材料
deadline-compilation = 汇编
deadline-advance_questions = 预先提出的问题
deadline-wg_report = 工作组报告
deadline-response = 答复
deadline-status-on_time = 按时
deadline-status-late = 逾期
deadline-status-missed = 错过
deadline-status-pending = 待定
deadline-status-open = 开放
deadline-status-closed = 已关闭

yearly-report = 年度报告
as-of = 截至{ $date }
deadlines-per-cycle = 按时、逾期和错过的截止期限
recommendations-per-norm = 按规范分列的建议及其答复
norm = 规范
norms = 规范
inputs-total = { $count ->
   *[other] { $count } 份利益攸关方材料
}
recommendations-total = { $count ->
   *[other] { $count } 项建议
}
updates-total = { $count ->
   *[other] { $count } 份执行情况更新
}
reviews = 审议
pool = 备选国家库

calendar = 日历
wg-session = 工作组会议
oversight-session = 监督会议
state-report = 国家报告
submitted-late = 在截止期限后提交。
report-missed = 该国未在截止期限（{ $date }）前提交报告。
not-yet-published = 尚未发布。
foreign-activity = 外国网络活动
versions-and-errata = { $count ->
   *[other] { $count } 个版本
}
version-line = 第 { $revision } 版，{ $date }，{ $words } 字
erratum-reason = 更正
redactions = 删节内容
stakeholder-inputs = 利益攸关方材料
organisation = 组织
stakeholder-kind = 类别
screening = 受理审查
screening-pending = 待定
screening-admitted = 已受理
screening-not_admitted = 不予受理
no-inputs = 尚未发布任何材料。
compilation = 汇编
working-group = 工作组
wg-members = 成员
wg-not-drawn = 尚未抽签。
session-format = 形式
format-in_person = 现场
format-hybrid = 混合
format-virtual = 线上
webcast = 网络直播
recording = 录像
session-held = 会议于{ $date }举行
session-on = 会议日期：{ $date }
observers = 观察员
wg-report = 工作组报告
findings = 调查结果
recommendations = 建议
recommendations-and-answers = 建议及该国的答复
no-recommendations-yet = 尚无建议。
response = 该国的答复
carried-over = 从以往周期延续的建议
oversight = 监督
statements = 发言
statement-by = 发言 { $number }
adopted-by-consensus = 以协商一致方式通过。
adopted-without-consensus = 未经协商一致通过。
positions = 各国立场
position-kind-explanation_of_position = 解释立场
position-kind-dissociation = 不参与
not-yet-adopted = 尚未通过。
withdrawn-on = 于{ $date }撤回
number-short = 编号
state = 国家
recommendation = 建议
recommended-by = 建议方
answer = 答复
position-supported = 支持
position-noted = 注意到
position-none = 尚未答复
sectors = 部门
affected-groups = 受影响群体
implementation-history = { $count ->
   *[other] { $count } 份执行情况更新
}
found-implemented = 已认定执行，见
later-review = 后续审议
state-page-link = 对{ $state }的全部审议

audit-trail = 审计记录
audit-intro = 对本审议的每项更改都是哈希链中的一个条目：每个条目的哈希值涵盖前一个条目，因此任何人都可以根据已公布的条目重新计算该链，并比对链头。
chain-head = 链头
audit-json = 整条链的 JSON 格式
how-to-verify = 如需核查，请按照规范中关于可验证性的章节所述，从第一个条目开始重新计算每个哈希值，并将最后一个哈希值与此处显示的链头进行比对。
audit-more = 后续条目
when = 时间
event = 事件
by = 操作者
hash = 哈希值

regional-group = 区域组
group-african_states = 非洲国家组
group-asia_pacific_states = 亚洲-太平洋国家组
group-eastern_european_states = 东欧国家组
group-latin_american_and_caribbean_states = 拉丁美洲和加勒比国家组
group-western_european_and_other_states = 西欧和其他国家组
review-opened-on = 审议于{ $date }启动
pledges = 承诺
no-pledges = 无承诺。
made-on = 作出日期：{ $date }
all-recommendations = 向该国提出的全部建议

norm-13a = 开展合作，加强稳定与安全，防止有害的信通技术做法
norm-13b = 发生信通技术事件时考虑所有相关信息
norm-13c = 不蓄意允许本国领土被用于利用信通技术实施国际不法行为
norm-13d = 在信息交流以及起诉利用信通技术从事犯罪和恐怖活动方面开展合作
norm-13e = 尊重网上人权，包括隐私权
norm-13f = 不开展或支持蓄意损害关键基础设施的信通技术活动
norm-13g = 保护关键基础设施免受信通技术威胁
norm-13h = 回应关键基础设施遭受攻击的国家提出的援助请求
norm-13i = 确保供应链的完整性；防止恶意信通技术工具和隐藏功能的扩散
norm-13j = 鼓励负责任地报告信通技术漏洞并分享补救办法
norm-13k = 不损害应急小组（CERT/CSIRT），也不利用其从事恶意活动

kind-ngo = 非政府组织
kind-academia = 学术界
kind-private_sector = 私营部门
kind-technical_community = 技术界
kind-international_organisation = 国际组织

sector-healthcare = 医疗保健
sector-energy = 能源
sector-water_and_sanitation = 水和卫生设施
sector-finance = 金融
sector-transport = 交通运输
sector-telecommunications = 电信
sector-elections_and_democratic_institutions = 选举和民主机构
sector-media_and_journalists = 媒体和记者
sector-human_rights_defenders = 人权维护者
sector-humanitarian_organisations = 人道主义组织
sector-other = 其他

affected-group-gender = 性别视角
affected-group-women_girls = 妇女和女童
affected-group-children = 儿童
affected-group-older_persons = 老年人
affected-group-persons_with_disabilities = 残疾人
affected-group-indigenous_peoples = 土著人民
affected-group-lgbtiq = LGBTIQ+ 群体
affected-group-minorities = 少数群体
affected-group-migrants_refugees = 移民、难民和流离失所者
affected-group-human_rights_defenders = 人权维护者
affected-group-journalists = 记者和媒体工作者
affected-group-victims = 网络行动受害者

month-1 = 一月
month-2 = 二月
month-3 = 三月
month-4 = 四月
month-5 = 五月
month-6 = 六月
month-7 = 七月
month-8 = 八月
month-9 = 九月
month-10 = 十月
month-11 = 十一月
month-12 = 十二月

document-state_report = State report
document-stakeholder_input = Stakeholder input
document-compilation = Compilation
document-wg_report = Working-group report
document-response = The state's response
document-outcome = Outcome of the oversight session
document-text = Text
read-document = Read it on its own page
search-title = Search the published record
search-words = Words to find
search-submit = Search
search-results = Results
search-nothing = Nothing published matches this search.
search-kind = What to search
search-kind-document = Documents
search-kind-recommendation = Recommendations
recommendation-number = Recommendation { $number }
any = Any
sector = Sector
affected-group = Affected group
state-code = State (ISO code)
next-page = Next page
