# Текст интерфейса общедоступного сайта на русском языке. Этот каталог содержит все
# ключи эталонного английского каталога (это проверяется тестом).

site-name = Коллегиальный обзор в киберсфере
skip-to-content = Перейти к содержанию
nav-label = Сайт
nav-home = Главная
nav-recommendations = Рекомендации
nav-search = Поиск
nav-open-data = Открытые данные
language-switch-label = Язык
footer-about = Коллегиальный обзор в киберсфере ежегодно, в шесть этапов, требует от государств отчёта об их кибероперациях по образцу универсального периодического обзора.
footer-api = API и документация к нему
footer-openapi = Документ OpenAPI
footer-feed = Публикации (лента Atom)
footer-times-utc = Всё время указано по всемирному координированному времени (UTC).
back-home = Вернуться на главную страницу
as-json = В формате JSON
feed = Лента публикаций
calendar-feed = Календарь (iCalendar)
subscribe-link = Получать уведомления по электронной почте

error-not-found-title = Страница не найдена
error-not-found-body = По этому адресу нет общедоступных материалов. Возможно, их не существует или они ещё не опубликованы.
error-bad-request-title = Недопустимый адрес
error-bad-request-body = Часть адреса имеет форму, которую этот сайт не понимает.
error-field = Соответствующая часть: { $field }
error-unavailable-title = Временно недоступно
error-unavailable-body = В данный момент сайт не может подключиться к своей базе данных. Повторите попытку через несколько секунд.
error-internal-title = Произошла ошибка
error-internal-body = Не удалось отобразить страницу. Сведения об ошибке записаны.

home-title = Обзоры этого года
home-intro = Ежегодно каждое государство, обладающее наступательным киберпотенциалом, проходит обзор: оно представляет доклад, заинтересованные стороны направляют свои материалы, рабочая группа из трёх государств готовит рекомендации, государство отвечает на каждую из них, а надзорный орган открыто утверждает итоговый документ.
current-cycle = Текущий цикл: { $name }
cycle-starts = Начало: { $date }
reviews-count = { $count ->
    [one] { $count } обзор
    [few] { $count } обзора
    [many] { $count } обзоров
   *[other] { $count } обзора
}
cycle-page-link = Цикл и его ежегодный доклад
review-of = Обзор: { $state }
stage-now = Текущий этап: { $stage }
missed-count = { $count ->
    [one] { $count } пропущенный срок
    [few] { $count } пропущенных срока
    [many] { $count } пропущенных сроков
   *[other] { $count } пропущенного срока
}
deadlines = Сроки
no-reviews = Обзоров пока нет.
no-cycle = Ни один цикл ещё не начался.
earlier-cycles = Предыдущие циклы
timeline-label = Шесть этапов обзора: { $state }
entered-on = с { $date }
deadlines-caption = Сроки обзора: { $state }
deadline = Срок
due = Дата
outcome = Результат
hard-close = Окончательное закрытие
extensions = Продления

stage-state_report = Доклад государства
stage-stakeholder_input = Материалы заинтересованных сторон
stage-compilation = Подборка информации
stage-working_group = Рабочая группа
stage-response = Ответ
stage-oversight = Надзор
stage-concluded = Завершено
stage-withdrawn = Отозвано
stage-status-done = пройден
stage-status-current = текущий этап
stage-status-ahead = предстоит

deadline-state_report = Доклад государства
deadline-input_window = Материалы заинтересованных сторон
deadline-compilation = Подборка информации
deadline-advance_questions = Заблаговременно подготовленные вопросы
deadline-wg_report = Доклад рабочей группы
deadline-response = Ответ
deadline-status-on_time = в срок
deadline-status-late = с опозданием
deadline-status-missed = пропущен
deadline-status-pending = ожидается
deadline-status-open = открыт
deadline-status-closed = закрыт

yearly-report = Ежегодный доклад
as-of = По состоянию на { $date }
deadlines-per-cycle = Сроки: соблюдены, соблюдены с опозданием, пропущены
recommendations-per-norm = Рекомендации по нормам и ответы на них
norm = Норма
norms = Нормы
inputs-total = { $count ->
    [one] { $count } материал заинтересованных сторон
    [few] { $count } материала заинтересованных сторон
    [many] { $count } материалов заинтересованных сторон
   *[other] { $count } материала заинтересованных сторон
}
recommendations-total = { $count ->
    [one] { $count } рекомендация
    [few] { $count } рекомендации
    [many] { $count } рекомендаций
   *[other] { $count } рекомендации
}
updates-total = { $count ->
    [one] { $count } обновление сведений об осуществлении
    [few] { $count } обновления сведений об осуществлении
    [many] { $count } обновлений сведений об осуществлении
   *[other] { $count } обновления сведений об осуществлении
}
reviews = Обзоры
pool = Государства в пуле

calendar = Календарь
wg-session = Сессия рабочей группы
oversight-session = Сессия надзорного органа
state-report = Доклад государства
submitted-late = Представлен после истечения срока.
report-missed = Государство не представило доклад в установленный срок ({ $date }).
not-yet-published = Ещё не опубликовано.
foreign-activity = Иностранная киберактивность
versions-and-errata = { $count ->
    [one] { $count } версия
    [few] { $count } версии
    [many] { $count } версий
   *[other] { $count } версии
}
version-line = Версия { $revision } от { $date }, слов: { $words }
erratum-reason = исправление
redactions = Изъятые фрагменты
stakeholder-inputs = Материалы заинтересованных сторон
organisation = Организация
stakeholder-kind = Категория
screening = Проверка допустимости
screening-pending = ожидается
screening-admitted = допущен
screening-not_admitted = не допущен
no-inputs = Материалы не опубликованы.
compilation = Подборка информации
working-group = Рабочая группа
wg-members = Члены
wg-not-drawn = Жеребьёвка ещё не проводилась.
session-format = Формат
format-in_person = очный
format-hybrid = гибридный
format-virtual = виртуальный
webcast = Веб-трансляция
recording = Запись
session-held = Сессия состоялась { $date }
session-on = Сессия: { $date }
observers = Наблюдатели
wg-report = Доклад рабочей группы
findings = Выводы
recommendations = Рекомендации
recommendations-and-answers = Рекомендации и ответы государства
no-recommendations-yet = Рекомендаций пока нет.
response = Ответ государства
carried-over = Рекомендации, перенесённые из предыдущих циклов
oversight = Надзор
statements = Заявления
statement-by = Заявление { $number }
adopted-by-consensus = Принято консенсусом.
adopted-without-consensus = Принято без консенсуса.
positions = Позиции государств
position-kind-explanation_of_position = разъяснение позиции
position-kind-dissociation = неприсоединение
not-yet-adopted = Ещё не принято.
withdrawn-on = Отозвано { $date }
number-short = №
state = Государство
recommendation = Рекомендация
recommended-by = Кем рекомендовано
answer = Ответ
position-supported = Поддержана
position-noted = Принята к сведению
position-none = Ответа пока нет
sectors = Секторы
affected-groups = Затрагиваемые группы
implementation-history = { $count ->
    [one] { $count } обновление сведений об осуществлении
    [few] { $count } обновления сведений об осуществлении
    [many] { $count } обновлений сведений об осуществлении
   *[other] { $count } обновления сведений об осуществлении
}
found-implemented = Признана выполненной в ходе
later-review = последующего обзора
state-page-link = Все обзоры: { $state }

audit-trail = Журнал аудита
audit-intro = Каждое изменение в этом обзоре — запись в хеш-цепочке: хеш каждой записи охватывает предыдущую запись, поэтому любой может пересчитать цепочку по опубликованным записям и сравнить её вершину.
chain-head = Вершина цепочки
audit-json = Вся цепочка в формате JSON
how-to-verify = Чтобы проверить её, пересчитайте каждый хеш так, как описано в разделе спецификации о проверяемости, начиная с первой записи, и сравните последний хеш с показанной здесь вершиной.
audit-more = Следующие записи
when = Когда
event = Событие
by = Кем
hash = Хеш

regional-group = Региональная группа
group-african_states = Группа африканских государств
group-asia_pacific_states = Группа азиатско-тихоокеанских государств
group-eastern_european_states = Группа восточноевропейских государств
group-latin_american_and_caribbean_states = Группа государств Латинской Америки и Карибского бассейна
group-western_european_and_other_states = Группа западноевропейских и других государств
review-opened-on = Обзор начат { $date }
pledges = Обязательства
no-pledges = Обязательств нет.
made-on = принято { $date }
all-recommendations = Все рекомендации этому государству

norm-13a = Сотрудничать в целях повышения стабильности и безопасности и предотвращения вредной практики в сфере ИКТ
norm-13b = Учитывать всю соответствующую информацию в случае инцидентов в сфере ИКТ
norm-13c = Не допускать сознательного использования своей территории для совершения международно-противоправных деяний с использованием ИКТ
norm-13d = Сотрудничать в обмене информацией и уголовном преследовании за использование ИКТ в преступных и террористических целях
norm-13e = Соблюдать права человека в интернете, включая право на неприкосновенность частной жизни
norm-13f = Не осуществлять и не поддерживать деятельность в сфере ИКТ, преднамеренно наносящую ущерб критически важной инфраструктуре
norm-13g = Защищать критически важную инфраструктуру от угроз в сфере ИКТ
norm-13h = Откликаться на просьбы о помощи государств, критически важная инфраструктура которых подвергается атакам
norm-13i = Обеспечивать целостность цепочки поставок; предотвращать распространение вредоносных средств ИКТ и скрытых функций
norm-13j = Поощрять ответственное информирование об уязвимостях в сфере ИКТ и обмен средствами их устранения
norm-13k = Не причинять вреда группам экстренного реагирования (CERT/CSIRT) и не использовать их для злонамеренной деятельности

kind-ngo = НПО
kind-academia = Научные круги
kind-private_sector = Частный сектор
kind-technical_community = Техническое сообщество
kind-international_organisation = Международная организация

sector-healthcare = Здравоохранение
sector-energy = Энергетика
sector-water_and_sanitation = Водоснабжение и санитария
sector-finance = Финансы
sector-transport = Транспорт
sector-telecommunications = Электросвязь
sector-elections_and_democratic_institutions = Выборы и демократические институты
sector-media_and_journalists = СМИ и журналисты
sector-human_rights_defenders = Правозащитники
sector-humanitarian_organisations = Гуманитарные организации
sector-other = Другое

affected-group-gender = Гендерные аспекты
affected-group-women_girls = Женщины и девочки
affected-group-children = Дети
affected-group-older_persons = Пожилые люди
affected-group-persons_with_disabilities = Инвалиды
affected-group-indigenous_peoples = Коренные народы
affected-group-lgbtiq = ЛГБТИК+ лица
affected-group-minorities = Меньшинства
affected-group-migrants_refugees = Мигранты, беженцы и перемещённые лица
affected-group-human_rights_defenders = Правозащитники
affected-group-journalists = Журналисты и работники СМИ
affected-group-victims = Жертвы киберопераций

month-1 = января
month-2 = февраля
month-3 = марта
month-4 = апреля
month-5 = мая
month-6 = июня
month-7 = июля
month-8 = августа
month-9 = сентября
month-10 = октября
month-11 = ноября
month-12 = декабря

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
