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
cycle-draws = عمليات السحب
cycle-seed-commitment = الالتزام بالبذرة (SHA-256 للبذرة السرية، يُنشر عند الافتتاح)
cycle-beacon = منارة عشوائية عامة
cycle-beacon-value = قيمة المنارة المدمجة في كل سحب
cycle-beacon-pending = لم تُسجَّل بعد: لا سحب قبل تسجيلها
cycle-no-beacon = لا تحدد هذه الدورة أي منارة.
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

document-state_report = تقرير الدولة
document-stakeholder_input = مساهمة أصحاب المصلحة
document-compilation = تجميع المعلومات
document-wg_report = تقرير الفريق العامل
document-response = رد الدولة
document-outcome = نتائج دورة الهيئة الرقابية
document-text = النص
reply-of-state = رد { $state }
read-document = الاطلاع عليه في صفحته المستقلة
search-title = البحث في السجل المنشور
search-words = الكلمات المراد البحث عنها
search-submit = بحث
search-results = النتائج
search-nothing = لا يوجد أي منشور يطابق هذا البحث.
search-kind = مجال البحث
search-kind-document = الوثائق
search-kind-recommendation = التوصيات
recommendation-number = التوصية { $number }
any = الكل
sector = القطاع
affected-group = الفئة المتضررة
state-code = الدولة (رمز ISO)
next-page = الصفحة التالية
norm-title = القاعدة { $norm }
norm-in-database = هذه التوصيات في قاعدة البيانات، لتصفيتها وتنزيلها
published-documents = الوثائق المنشورة
published-documents-on = الوثائق المنشورة بشأن القاعدة { $norm }
published-on = تاريخ النشر
document = الوثيقة
no-documents = لا توجد وثائق منشورة.
more-in-api = بقية القائمة بصيغة JSON
more-pledges = ترتبط بهذه القاعدة تعهدات أكثر مما تعرضه هذه الصفحة؛ وتعرض صفحة كل دولة جميع تعهداتها.
doc-kind-state_report = تقرير الدولة
doc-kind-stakeholder_input = مساهمة أصحاب المصلحة
doc-kind-compilation = تجميع المعلومات
doc-kind-wg_report = تقرير الفريق العامل
doc-kind-response = رد الدولة
doc-kind-advance_question = سؤال معد مسبقًا
doc-kind-reply = رد على سؤال معد مسبقًا
doc-kind-oversight_statement = بيان في دورة الهيئة الرقابية
doc-kind-oversight_outcome = نتائج الاستعراض
sector-intro = التوصيات والوثائق المنشورة المتعلقة بهذا القطاع، في جميع الدول والدورات.
affected-group-intro = التوصيات والوثائق المنشورة المتعلقة بهذه الفئة المتضررة، في جميع الدول والدورات.
tag-in-database = هذه التوصيات في قاعدة البيانات، لتصفيتها وتنزيلها
pages-label = الصفحات
first-page = الصفحة الأولى
country = البلد
website = الموقع الإلكتروني
ecosoc-status = المركز الاستشاري لدى المجلس الاقتصادي والاجتماعي
ecosoc-none = لا يوجد
ecosoc-general = عام
ecosoc-special = خاص
ecosoc-roster = القائمة
accreditation = الاعتماد
accreditation-status = الحالة
accreditation-applied = قُدّم الطلب
accreditation-proposed = مقترحة، فترة الاعتراض جارية
accreditation-accredited = معتمدة
accreditation-refused = رُفض الطلب
accreditation-withdrawn = سُحب الاعتماد
applied-on = قُدّم الطلب في { $date }
objection-period = فترة الاعتراض من { $from } إلى { $to }
objections = اعتراضات الدول
no-objections = لم تعترض أي دولة.
organisation-answer = رد المنظمة
no-answer = لا يوجد رد.
decision = القرار
no-decision = لم يُتخذ قرار بعد.
admitted-inputs = مساهمات أصحاب المصلحة المقبولة التي قادتها المنظمة أو شاركت في توقيعها
database-title = قاعدة بيانات التوصيات
database-intro = كل توصية منشورة في كل دورة، مع الدولة الموجهة إليها والدولة التي اقترحتها، وقواعدها وقطاعاتها والفئات المتضررة المعنية بها، والرد عليها وتاريخ تنفيذها.
filter-heading = تصفية التوصيات
cycle = الدورة
filter-any = الكل
filter-apply = عرض
filter-clear = مسح عوامل التصفية
response-filter-supported = حظيت بالتأييد
response-filter-noted = أُحيط علمًا بها
response-filter-unanswered = لم يُرد عليها بعد
download = تنزيل هذه التوصيات
download-csv = CSV
download-json = JSON
results = النتائج
no-matching-recommendations = لا توجد توصية تطابق عوامل التصفية هذه.
subscribe-title = تلقي الإشعارات بالبريد الإلكتروني
subscribe-intro = اختر دولة وأدخل عنوان بريدك الإلكتروني: سنرسل إليك رابطًا للتأكيد، ثم رسالة في كل مرحلة من مراحل استعراضات تلك الدولة. وتتضمن كل رسالة رابطًا لإلغاء الاشتراك.
choose-state = اختر دولة
email-address = عنوان البريد الإلكتروني
subscribe-button = اشتراك
subscribe-privacy = لا يُستخدم عنوانك إلا لهذه الرسائل، ولا يُنشر أبدًا، ويُحذف عند إلغاء اشتراكك.
subscribe-error-state = اختر دولة من القائمة.
subscribe-error-email = هذا العنوان ليس عنوان بريد إلكتروني صالحًا.
subscribe-sent-title = تحقق من بريدك
subscribe-sent-body = إذا كان العنوان قادرًا على تلقي البريد، فستصلك رسالة تتضمن رابطًا لتأكيد الاشتراك في استعراضات { $state }. والرابط صالح لمدة 48 ساعة.
confirm-title = تأكيد الاشتراك
confirm-body = أكّد رغبتك في تلقي رسالة في كل مرحلة من مراحل استعراضات الدولة التي اخترتها.
confirm-button = تأكيد
confirmed-title = تم تأكيد الاشتراك
confirmed-body = ستتلقى رسالة في كل مرحلة من مراحل استعراضات { $state }.
confirm-expired-title = انتهت صلاحية هذا الرابط
confirm-expired-body = كان رابط التأكيد صالحًا لمدة 48 ساعة. اشترك مرة أخرى لتلقي رابط جديد.
unsubscribe-title = إلغاء الاشتراك
unsubscribe-body = إيقاف الرسائل المتعلقة باستعراضات هذه الدولة وحذف عنوانك.
unsubscribe-button = إلغاء الاشتراك
unsubscribed-title = تم إلغاء الاشتراك
unsubscribed-body = حُذف عنوانك؛ ولن تُرسل إليه أي رسائل بعد الآن.
feed-publications-title = استعراض الأقران السيبراني: المنشورات
feed-state-title = منشورات استعراضات { $state }
feed-norm-title = المنشورات المتعلقة بالقاعدة { $norm }: { $name }
feed-entry-published = تم نشر { $document } في إطار استعراض { $state }
feed-entry-erratum = { $document } في إطار استعراض { $state }: تصويب، النسخة { $version }
feed-entry-summary = النسخة { $version } المؤرخة { $date }، عدد الكلمات: { $words }.
feed-entry-reason = سبب التصويب: { $reason }
feed-entry-recommendations = التوصيات المعتمدة الموجهة إلى { $state }: { $count }
feed-entry-recommendations-summary = { $count ->
    [zero] لا توجد توصيات من الفريق العامل بشأن القواعد { $norms }.
    [one] توصية واحدة من الفريق العامل، بشأن القواعد { $norms }.
    [two] توصيتان من الفريق العامل، بشأن القواعد { $norms }.
    [few] { $count } توصيات من الفريق العامل، بشأن القواعد { $norms }.
    [many] { $count } توصيةً من الفريق العامل، بشأن القواعد { $norms }.
   *[other] { $count } توصية من الفريق العامل، بشأن القواعد { $norms }.
}
document-kind-state_report = تقرير الدولة
document-kind-stakeholder_input = مساهمة أصحاب المصلحة
document-kind-compilation = تجميع المعلومات
document-kind-wg_report = تقرير الفريق العامل
document-kind-response = رد الدولة
document-kind-advance_question = سؤال معد مسبقًا
document-kind-reply = رد على مساهمة أصحاب المصلحة
document-kind-oversight_statement = بيان في دورة الهيئة الرقابية
document-kind-oversight_outcome = النتائج
calendar-deadline-summary = استعراض { $state }: الموعد النهائي لـ«{ $deadline }»
calendar-session-summary = استعراض { $state }: { $session }
calendar-description = صفحة الاستعراض: { $page }
charts = الرسوم البيانية
chart-stage = المرحلة
chart-sector = القطاع
chart-affected-group = الفئة المتضررة
chart-empty = لا يوجد ما يُعرض حتى الآن.
chart-stages-title = الاستعراضات في كل مرحلة
chart-inputs-sectors-title = مساهمات أصحاب المصلحة حسب القطاع
chart-inputs-groups-title = مساهمات أصحاب المصلحة حسب الفئة المتضررة
chart-recommendations = التوصيات حسب القاعدة
chart-stages = الاستعراضات في كل مرحلة
chart-inputs-sectors = المساهمات حسب القطاع
chart-inputs-groups = المساهمات حسب الفئة المتضررة
chart-deadlines = المواعيد النهائية المحترمة والمتأخرة والفائتة
open-data-title = البيانات المفتوحة
open-data-intro = يمكن الحصول على كل ما يُنشر هنا كاملًا، بصيغ تقرؤها الآلات، ودون الحاجة إلى حساب: السجل كله في أرشيف واحد، والتوصيات في شكل جداول، وموجزات المنشورات، وتقاويم المواعيد النهائية.
open-data-archive = السجل العام كاملًا
open-data-archive-format = أرشيف tar مرفق به بيان SHA-256
open-data-archive-body = كل نسخة منشورة من كل وثيقة، وكل توصية، وكل سجل لقرعة فريق عامل، وكل سلسلة مراجعة، على النحو الذي يطّلع عليه الجمهور اليوم. للتحقق من عدم تغيير أي شيء:
open-data-exports = ملفات التصدير وواجهة برمجة التطبيقات
open-data-recommendations-csv = جميع التوصيات بصيغة CSV
open-data-recommendations-json = جميع التوصيات بصيغة JSON
open-data-feeds = الموجزات والتقاويم
open-data-per-state = حسب الدولة موضوع الاستعراض
open-data-per-norm = حسب القاعدة
open-data-per-cycle = حسب الدورة
open-data-atom = موجز Atom
glance-caption = المراحل الست لكل استعراض في لمحة
deadlines-missed-or-late = المواعيد النهائية الفائتة أو المستوفاة متأخرًا
