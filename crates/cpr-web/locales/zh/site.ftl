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
    [one] one review
   *[other] { $count } reviews
}
cycle-page-link = 本周期及其年度报告
review-of = 对{ $state }的审议
stage-now = 当前阶段：{ $stage }
missed-count = { $count ->
    [one] one deadline missed
   *[other] { $count } deadlines missed
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
    [one] one stakeholder input
   *[other] { $count } stakeholder inputs
}
recommendations-total = { $count ->
    [one] one recommendation
   *[other] { $count } recommendations
}
updates-total = { $count ->
    [one] one implementation update
   *[other] { $count } implementation updates
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
    [one] One version
   *[other] { $count } versions
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
    [one] One implementation update
   *[other] { $count } implementation updates
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

document-state_report = 国家报告
document-stakeholder_input = 利益攸关方材料
document-compilation = 汇编
document-wg_report = 工作组报告
document-response = 该国的答复
document-outcome = 监督会议的结果
document-text = 正文
read-document = 在单独页面上阅读
search-title = 检索已发布的记录
search-words = 检索词
search-submit = 搜索
search-results = 结果
search-nothing = 没有与此次搜索匹配的已发布内容。
search-kind = 搜索范围
search-kind-document = 文件
search-kind-recommendation = 建议
recommendation-number = 建议 { $number }
any = 不限
sector = 部门
affected-group = 受影响群体
state-code = 国家（ISO 代码）
next-page = 下一页
norm-title = 规范 { $norm }
norm-in-database = 在数据库中查看这些建议，以便筛选和下载
published-documents = 已发布的文件
published-documents-on = 关于规范 { $norm } 的已发布文件
published-on = 发布日期
document = 文件
no-documents = 没有已发布的文件。
more-in-api = 列表其余部分（JSON 格式）
more-pledges = 与本规范相关的承诺多于本页所显示的数量；各国的页面列出了该国的全部承诺。
doc-kind-state_report = 国家报告
doc-kind-stakeholder_input = 利益攸关方材料
doc-kind-compilation = 汇编
doc-kind-wg_report = 工作组报告
doc-kind-response = 该国的答复
doc-kind-advance_question = 预先提出的问题
doc-kind-reply = 对预先提出的问题的答复
doc-kind-oversight_statement = 监督会议上的发言
doc-kind-oversight_outcome = 审议结果
sector-intro = 各国、各周期中与本部门有关的建议和已发布文件。
affected-group-intro = 各国、各周期中与本受影响群体有关的建议和已发布文件。
tag-in-database = 在数据库中查看这些建议，以便筛选和下载
pages-label = 页码
first-page = 第一页
country = 国家
website = 网站
ecosoc-status = 经社理事会咨商地位
ecosoc-none = 无
ecosoc-general = 全面
ecosoc-special = 专门
ecosoc-roster = 名册
accreditation = 认可
accreditation-status = 状态
accreditation-applied = 已申请
accreditation-proposed = 已提议，处于异议期
accreditation-accredited = 已获认可
accreditation-refused = 已拒绝
accreditation-withdrawn = 已撤回
applied-on = 申请日期：{ $date }
objection-period = 异议期：{ $from }至{ $to }
objections = 各国的异议
no-objections = 没有国家提出异议。
organisation-answer = 该组织的答复
no-answer = 无答复。
decision = 决定
no-decision = 尚未作出决定。
admitted-inputs = 该组织牵头或联署的已受理利益攸关方材料
database-title = 建议数据库
database-intro = 每个周期发布的每一项建议，包括建议所针对的国家、提出建议的国家、所涉规范、部门和受影响群体、答复以及执行情况历史。
filter-heading = 筛选建议
cycle = 周期
filter-any = 不限
filter-apply = 显示
filter-clear = 清除筛选条件
response-filter-supported = 支持
response-filter-noted = 注意到
response-filter-unanswered = 尚未答复
download = 下载这些建议
download-csv = CSV
download-json = JSON
results = 结果
no-matching-recommendations = 没有符合这些筛选条件的建议。
subscribe-title = 通过电子邮件接收通知
subscribe-intro = 选择一个国家并填写您的电子邮件地址：我们将向您发送一个确认链接，之后在该国审议的每个阶段向您发送一封邮件。每封邮件都附有退订链接。
choose-state = 选择国家
email-address = 电子邮件地址
subscribe-button = 订阅
subscribe-privacy = 您的地址仅用于发送这些邮件，绝不公开，并将在您退订时删除。
subscribe-error-state = 请从列表中选择一个国家。
subscribe-error-email = 这不是有效的电子邮件地址。
subscribe-sent-title = 请查收邮件
subscribe-sent-body = 如果该地址可以接收邮件，一封附有确认订阅对{ $state }审议的链接的邮件正在发送中。该链接在 48 小时内有效。
confirm-title = 确认订阅
confirm-body = 请确认您希望在所选国家审议的每个阶段接收一封邮件。
confirm-button = 确认
confirmed-title = 订阅已确认
confirmed-body = 您将在对{ $state }审议的每个阶段收到一封邮件。
confirm-expired-title = 此链接已过期
confirm-expired-body = 确认链接的有效期为 48 小时。请重新订阅以获取新的链接。
unsubscribe-title = 退订
unsubscribe-body = 停止接收有关该国审议的邮件，并删除您的地址。
unsubscribe-button = 退订
unsubscribed-title = 已退订
unsubscribed-body = 您的地址已被删除；今后不会再向其发送任何邮件。
feed-publications-title = 网络同行审议：出版物
feed-state-title = 对{ $state }审议的出版物
feed-norm-title = 关于规范 { $norm } 的出版物：{ $name }
feed-entry-published = 对{ $state }审议的{ $document }已发布
feed-entry-erratum = 对{ $state }审议的{ $document }：更正，第 { $version } 版
feed-entry-summary = 第 { $version } 版，{ $date }，{ $words } 字。
feed-entry-reason = 更正原因：{ $reason }
feed-entry-recommendations = 已通过的向{ $state }提出的建议：{ $count } 项
feed-entry-recommendations-summary = { $count ->
    [one] One recommendation of the working group, on the norms { $norms }.
   *[other] { $count } recommendations of the working group, on the norms { $norms }.
}
document-kind-state_report = 国家报告
document-kind-stakeholder_input = 利益攸关方材料
document-kind-compilation = 汇编
document-kind-wg_report = 工作组报告
document-kind-response = 该国的答复
document-kind-advance_question = 预先提出的问题
document-kind-reply = 对利益攸关方材料的答复
document-kind-oversight_statement = 监督会议上的发言
document-kind-oversight_outcome = 结果
calendar-deadline-summary = 对{ $state }的审议：{ $deadline }截止
calendar-session-summary = 对{ $state }的审议：{ $session }
calendar-description = 审议页面：{ $page }
charts = 图表
chart-stage = 阶段
chart-sector = 部门
chart-affected-group = 受影响群体
chart-empty = 暂无可显示的内容。
chart-stages-title = 各阶段的审议
chart-inputs-sectors-title = 按部门分列的利益攸关方材料
chart-inputs-groups-title = 按受影响群体分列的利益攸关方材料
chart-recommendations = 按规范分列的建议
chart-stages = 各阶段的审议
chart-inputs-sectors = 按部门分列的材料
chart-inputs-groups = 按受影响群体分列的材料
chart-deadlines = 按时、逾期和错过的截止期限
open-data-title = 开放数据
open-data-intro = 此处发布的所有内容均可完整获取，采用机器可读格式，无需注册账户：整个记录打包为一个归档文件，建议以表格形式提供，另有出版物订阅源和截止期限日历。
open-data-archive = 完整的公开记录
open-data-archive-format = 附有 SHA-256 清单的 tar 归档文件
open-data-archive-body = 每份文件的每个已发布版本、每项建议、每次工作组抽签的每份记录以及每条审计链，与公众今天所看到的完全一致。如需核查内容未被篡改：
open-data-exports = 导出文件和 API
open-data-recommendations-csv = 全部建议（CSV 格式）
open-data-recommendations-json = 全部建议（JSON 格式）
open-data-feeds = 订阅源和日历
open-data-per-state = 按受审议国家
open-data-per-norm = 按规范
open-data-per-cycle = 按周期
open-data-atom = Atom 订阅源
glance-caption = 各项审议六个阶段一览
deadlines-missed-or-late = 错过或逾期完成的截止日期
