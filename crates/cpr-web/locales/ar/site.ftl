# نص واجهة الموقع العام باللغة العربية. يتضمن هذا الفهرس كل مفاتيح الفهرس المرجعي
# الإنكليزي (ويتحقق اختبارٌ من ذلك).

site-name = استعراض الأقران السيبراني
skip-to-content = الانتقال إلى المحتوى
nav-label = الموقع
nav-home = الصفحة الرئيسية
nav-recommendations = التوصيات
nav-search = البحث
nav-open-data = البيانات المفتوحة
language-switch-label = اللغة
footer-about = يُخضع استعراض الأقران السيبراني الدول للمساءلة عن عملياتها السيبرانية، على ست مراحل كل عام، على غرار الاستعراض الدوري الشامل.
footer-api = واجهة برمجة التطبيقات (API) ووثائقها
footer-openapi = وثيقة OpenAPI
footer-feed = المنشورات (موجز Atom)
footer-times-utc = جميع الأوقات مبيّنة بالتوقيت العالمي المنسق (UTC).
back-home = العودة إلى الصفحة الرئيسية
as-json = بصيغة JSON
feed = موجز المنشورات
calendar-feed = التقويم (iCalendar)
subscribe-link = تلقي الإشعارات بالبريد الإلكتروني

error-not-found-title = الصفحة غير موجودة
error-not-found-body = لا يوجد أي محتوى عام في هذا العنوان. فقد لا يكون موجودًا، أو قد لا يكون قد نُشر بعد.
error-bad-request-title = العنوان غير صالح
error-bad-request-body = جزء من العنوان ليس بصيغة يفهمها هذا الموقع.
error-field = الجزء المعني: { $field }
error-unavailable-title = غير متاح مؤقتًا
error-unavailable-body = يتعذر على الموقع الوصول إلى قاعدة بياناته في الوقت الحالي. يُرجى المحاولة مرة أخرى بعد بضع ثوانٍ.
error-internal-title = حدث خطأ ما
error-internal-body = تعذّر عرض الصفحة. وقد سُجّل الخطأ.

home-title = استعراضات هذا العام
home-intro = في كل عام، تخضع كل دولة تمتلك قدرات سيبرانية هجومية للاستعراض: فتقدم الدولة تقريرها، ويقدم أصحاب المصلحة مساهماتهم، ويضع فريق عامل مؤلف من ثلاث دول توصيات، وترد الدولة على كل توصية منها، ثم تعتمد هيئة رقابية النتائج في جلسة علنية.
current-cycle = الدورة الحالية: { $name }
cycle-starts = تبدأ في { $date }
reviews-count = { $count ->
    [zero] لا توجد استعراضات
    [one] استعراض واحد
    [two] استعراضان
    [few] { $count } استعراضات
    [many] { $count } استعراضًا
   *[other] { $count } استعراض
}
cycle-page-link = الدورة وتقريرها السنوي
review-of = استعراض { $state }
stage-now = المرحلة الحالية: { $stage }
missed-count = { $count ->
    [zero] لم يُفوَّت أي موعد نهائي
    [one] فُوِّت موعد نهائي واحد
    [two] فُوِّت موعدان نهائيان
    [few] فُوِّتت { $count } مواعيد نهائية
    [many] فُوِّت { $count } موعدًا نهائيًا
   *[other] فُوِّت { $count } موعد نهائي
}
deadlines = المواعيد النهائية
no-reviews = لا توجد استعراضات حتى الآن.
no-cycle = لم تبدأ أي دورة بعد.
earlier-cycles = الدورات السابقة
timeline-label = المراحل الست لاستعراض { $state }
entered-on = منذ { $date }
deadlines-caption = المواعيد النهائية لاستعراض { $state }
deadline = الموعد النهائي
due = تاريخ الاستحقاق
outcome = النتيجة
hard-close = الإغلاق
extensions = التمديدات

stage-state_report = تقرير الدولة
stage-stakeholder_input = مساهمات أصحاب المصلحة
stage-compilation = تجميع المعلومات
stage-working_group = الفريق العامل
stage-response = الرد
stage-oversight = الرقابة
stage-concluded = اختُتم
stage-withdrawn = سُحب
stage-status-done = منجزة
stage-status-current = المرحلة الحالية
stage-status-ahead = مقبلة

deadline-state_report = تقرير الدولة
deadline-input_window = مساهمات أصحاب المصلحة
deadline-compilation = تجميع المعلومات
deadline-advance_questions = الأسئلة المعدة مسبقًا
deadline-wg_report = تقرير الفريق العامل
deadline-response = الرد
deadline-status-on_time = في الموعد
deadline-status-late = متأخر
deadline-status-missed = فائت
deadline-status-pending = قيد الانتظار
deadline-status-open = مفتوح
deadline-status-closed = مغلق

yearly-report = التقرير السنوي
as-of = في { $date }
deadlines-per-cycle = المواعيد النهائية المحترمة والمتأخرة والفائتة
recommendations-per-norm = التوصيات حسب القاعدة والردود عليها
norm = القاعدة
norms = القواعد
inputs-total = { $count ->
    [zero] لا توجد مساهمات من أصحاب المصلحة
    [one] مساهمة واحدة من أصحاب المصلحة
    [two] مساهمتان من أصحاب المصلحة
    [few] { $count } مساهمات من أصحاب المصلحة
    [many] { $count } مساهمةً من أصحاب المصلحة
   *[other] { $count } مساهمة من أصحاب المصلحة
}
recommendations-total = { $count ->
    [zero] لا توجد توصيات
    [one] توصية واحدة
    [two] توصيتان
    [few] { $count } توصيات
    [many] { $count } توصيةً
   *[other] { $count } توصية
}
updates-total = { $count ->
    [zero] لا توجد تحديثات بشأن التنفيذ
    [one] تحديث واحد بشأن التنفيذ
    [two] تحديثان بشأن التنفيذ
    [few] { $count } تحديثات بشأن التنفيذ
    [many] { $count } تحديثًا بشأن التنفيذ
   *[other] { $count } تحديث بشأن التنفيذ
}
reviews = الاستعراضات
pool = الدول المدرجة في قائمة الاختيار

calendar = التقويم
wg-session = دورة الفريق العامل
oversight-session = دورة الهيئة الرقابية
state-report = تقرير الدولة
submitted-late = قُدّم بعد الموعد النهائي.
report-missed = لم تقدم الدولة تقريرها في الموعد النهائي المحدد في { $date }.
not-yet-published = لم يُنشر بعد.
foreign-activity = النشاط السيبراني الأجنبي
versions-and-errata = { $count ->
    [zero] لا توجد نسخ
    [one] نسخة واحدة
    [two] نسختان
    [few] { $count } نسخ
    [many] { $count } نسخةً
   *[other] { $count } نسخة
}
version-line = النسخة { $revision } المؤرخة { $date }، عدد الكلمات: { $words }
erratum-reason = تصويب
redactions = المقاطع المحجوبة
stakeholder-inputs = مساهمات أصحاب المصلحة
organisation = المنظمة
stakeholder-kind = الفئة
screening = الفرز
screening-pending = قيد الانتظار
screening-admitted = مقبولة
screening-not_admitted = غير مقبولة
no-inputs = لم تُنشر أي مساهمات.
compilation = تجميع المعلومات
working-group = الفريق العامل
wg-members = الأعضاء
wg-not-drawn = لم تُجرَ القرعة بعد.
session-format = الشكل
format-in_person = حضوري
format-hybrid = مختلط
format-virtual = افتراضي
webcast = البث الشبكي
recording = التسجيل
session-held = عُقدت الدورة في { $date }
session-on = الدورة في { $date }
observers = المراقبون
wg-report = تقرير الفريق العامل
findings = الاستنتاجات
recommendations = التوصيات
recommendations-and-answers = التوصيات وردود الدولة عليها
no-recommendations-yet = لا توجد توصيات حتى الآن.
response = رد الدولة
carried-over = توصيات مرحّلة من الدورات السابقة
oversight = الرقابة
statements = البيانات
statement-by = البيان { $number }
adopted-by-consensus = اعتُمد بتوافق الآراء.
adopted-without-consensus = اعتُمد دون توافق في الآراء.
positions = مواقف الدول
position-kind-explanation_of_position = تعليل الموقف
position-kind-dissociation = النأي بالنفس
not-yet-adopted = لم يُعتمد بعد.
withdrawn-on = سُحب في { $date }
number-short = الرقم
state = الدولة
recommendation = التوصية
recommended-by = الجهة الموصية
answer = الرد
position-supported = حظيت بالتأييد
position-noted = أُحيط علمًا بها
position-none = لم يُرد عليها بعد
sectors = القطاعات
affected-groups = الفئات المتضررة
implementation-history = { $count ->
    [zero] لا توجد تحديثات بشأن التنفيذ
    [one] تحديث واحد بشأن التنفيذ
    [two] تحديثان بشأن التنفيذ
    [few] { $count } تحديثات بشأن التنفيذ
    [many] { $count } تحديثًا بشأن التنفيذ
   *[other] { $count } تحديث بشأن التنفيذ
}
found-implemented = ثبت تنفيذها في
later-review = استعراض لاحق
state-page-link = جميع استعراضات { $state }

audit-trail = سجل المراجعة
audit-intro = كل تغيير يطرأ على هذا الاستعراض هو قيد في سلسلة تجزئة: إذ تشمل تجزئة كل قيد تجزئة القيد السابق له، بحيث يمكن لأي شخص أن يعيد حساب السلسلة انطلاقًا من القيود المنشورة وأن يقارن رأسها.
chain-head = رأس السلسلة
audit-json = السلسلة كاملة بصيغة JSON
how-to-verify = للتحقق منها، أعد حساب كل تجزئة على النحو المبين في قسم المواصفات المتعلق بقابلية التحقق، بدءًا من القيد الأول، ثم قارن التجزئة الأخيرة بالرأس المعروض هنا.
audit-more = القيود التالية
when = التاريخ
event = الحدث
by = بواسطة
hash = التجزئة

regional-group = المجموعة الإقليمية
group-african_states = مجموعة الدول الأفريقية
group-asia_pacific_states = مجموعة دول آسيا والمحيط الهادئ
group-eastern_european_states = مجموعة دول أوروبا الشرقية
group-latin_american_and_caribbean_states = مجموعة دول أمريكا اللاتينية ومنطقة البحر الكاريبي
group-western_european_and_other_states = مجموعة دول أوروبا الغربية ودول أخرى
review-opened-on = بدأ الاستعراض في { $date }
pledges = التعهدات
no-pledges = لا توجد تعهدات.
made-on = قُطع في { $date }
all-recommendations = جميع التوصيات الموجهة إلى هذه الدولة

norm-13a = التعاون على زيادة الاستقرار والأمن ومنع الممارسات الضارة في مجال تكنولوجيا المعلومات والاتصالات
norm-13b = النظر في جميع المعلومات ذات الصلة في حال وقوع حوادث تتعلق بتكنولوجيا المعلومات والاتصالات
norm-13c = عدم السماح عن علم باستخدام إقليمها لارتكاب أفعال غير مشروعة دوليًا باستخدام تكنولوجيا المعلومات والاتصالات
norm-13d = التعاون في تبادل المعلومات وفي الملاحقة القضائية على استخدام تكنولوجيا المعلومات والاتصالات لأغراض إجرامية وإرهابية
norm-13e = احترام حقوق الإنسان على الإنترنت، بما في ذلك الحق في الخصوصية
norm-13f = عدم القيام بأي نشاط في مجال تكنولوجيا المعلومات والاتصالات أو دعمه إذا كان يلحق الضرر عمدًا بالهياكل الأساسية الحيوية
norm-13g = حماية الهياكل الأساسية الحيوية من التهديدات المتصلة بتكنولوجيا المعلومات والاتصالات
norm-13h = الاستجابة لطلبات المساعدة المقدمة من الدول التي تتعرض هياكلها الأساسية الحيوية لهجمات
norm-13i = ضمان سلامة سلسلة الإمداد؛ ومنع انتشار أدوات تكنولوجيا المعلومات والاتصالات الخبيثة والوظائف الخفية
norm-13j = تشجيع الإبلاغ المسؤول عن مواطن الضعف في تكنولوجيا المعلومات والاتصالات وتبادل سبل معالجتها
norm-13k = عدم الإضرار بأفرقة التصدي لحالات الطوارئ (CERT/CSIRT) أو استخدامها في أنشطة خبيثة

kind-ngo = منظمة غير حكومية
kind-academia = الأوساط الأكاديمية
kind-private_sector = القطاع الخاص
kind-technical_community = الأوساط التقنية
kind-international_organisation = منظمة دولية

sector-healthcare = الرعاية الصحية
sector-energy = الطاقة
sector-water_and_sanitation = المياه والصرف الصحي
sector-finance = المالية
sector-transport = النقل
sector-telecommunications = الاتصالات السلكية واللاسلكية
sector-elections_and_democratic_institutions = الانتخابات والمؤسسات الديمقراطية
sector-media_and_journalists = وسائط الإعلام والصحفيون
sector-human_rights_defenders = المدافعون عن حقوق الإنسان
sector-humanitarian_organisations = المنظمات الإنسانية
sector-other = غير ذلك

affected-group-gender = المنظور الجنساني
affected-group-women_girls = النساء والفتيات
affected-group-children = الأطفال
affected-group-older_persons = كبار السن
affected-group-persons_with_disabilities = الأشخاص ذوو الإعاقة
affected-group-indigenous_peoples = الشعوب الأصلية
affected-group-lgbtiq = أفراد مجتمع الميم (LGBTIQ+)
affected-group-minorities = الأقليات
affected-group-migrants_refugees = المهاجرون واللاجئون والمشردون
affected-group-human_rights_defenders = المدافعون عن حقوق الإنسان
affected-group-journalists = الصحفيون والعاملون في وسائط الإعلام
affected-group-victims = ضحايا العمليات السيبرانية

month-1 = يناير
month-2 = فبراير
month-3 = مارس
month-4 = أبريل
month-5 = مايو
month-6 = يونيه
month-7 = يوليه
month-8 = أغسطس
month-9 = سبتمبر
month-10 = أكتوبر
month-11 = نوفمبر
month-12 = ديسمبر

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
norm-title = Norm { $norm }
norm-in-database = These recommendations in the database, to filter and download
published-documents = Published documents
published-documents-on = Published documents on norm { $norm }
published-on = Published
document = Document
no-documents = No published documents.
more-in-api = The rest of the list, as JSON
more-pledges = More pledges are tied to this norm than this page shows; each state's page lists all of its pledges.
doc-kind-state_report = State report
doc-kind-stakeholder_input = Stakeholder input
doc-kind-compilation = Compilation
doc-kind-wg_report = Working-group report
doc-kind-response = The state's response
doc-kind-advance_question = Advance question
doc-kind-reply = Reply to an advance question
doc-kind-oversight_statement = Statement at the oversight session
doc-kind-oversight_outcome = Outcome of the review
sector-intro = The recommendations and published documents about this sector, across states and cycles.
affected-group-intro = The recommendations and published documents about this affected group, across states and cycles.
tag-in-database = These recommendations in the database, to filter and download
pages-label = Pages
first-page = First page
country = Country
website = Website
ecosoc-status = Consultative status with ECOSOC
ecosoc-none = None
ecosoc-general = General
ecosoc-special = Special
ecosoc-roster = Roster
accreditation = Accreditation
accreditation-status = Status
accreditation-applied = applied
accreditation-proposed = proposed, objection period
accreditation-accredited = accredited
accreditation-refused = refused
accreditation-withdrawn = withdrawn
applied-on = applied on { $date }
objection-period = Objection period from { $from } to { $to }
objections = Objections of states
no-objections = No state objected.
organisation-answer = The organisation's answer
no-answer = No answer.
decision = Decision
no-decision = No decision yet.
admitted-inputs = Admitted stakeholder inputs it led or co-signed
database-title = The recommendations database
database-intro = Every published recommendation of every cycle, with the state it was made to, the state that proposed it, its norms, sectors and affected groups, the answer and the implementation history.
filter-heading = Filter the recommendations
cycle = Cycle
filter-any = Any
filter-apply = Show
filter-clear = Clear the filters
response-filter-supported = Supported
response-filter-noted = Noted
response-filter-unanswered = Not answered yet
download = Download these recommendations
download-csv = CSV
download-json = JSON
results = Results
no-matching-recommendations = No recommendation matches these filters.
subscribe-title = Be notified by email
subscribe-intro = Choose a state and give your email address: we send you a link to confirm, and then a mail at each stage of the state's reviews. Every mail has a link to unsubscribe.
choose-state = Choose a state
email-address = Email address
subscribe-button = Subscribe
subscribe-privacy = Your address is used for these mails only, is never published, and is deleted when you unsubscribe.
subscribe-error-state = Choose a state from the list.
subscribe-error-email = This is not a valid email address.
subscribe-sent-title = Check your mail
subscribe-sent-body = If the address can receive mail, a message with a link to confirm the subscription to the reviews of { $state } is on its way. The link is valid for 48 hours.
confirm-title = Confirm the subscription
confirm-body = Confirm that you want to receive a mail at each stage of the reviews of the state you chose.
confirm-button = Confirm
confirmed-title = Subscription confirmed
confirmed-body = You will receive a mail at each stage of the reviews of { $state }.
confirm-expired-title = This link has expired
confirm-expired-body = The link to confirm was valid for 48 hours. Subscribe again to receive a new one.
unsubscribe-title = Unsubscribe
unsubscribe-body = Stop the mails about the reviews of this state and delete your address.
unsubscribe-button = Unsubscribe
unsubscribed-title = Unsubscribed
unsubscribed-body = Your address is deleted; no more mails will be sent to it.
