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
cycle-draws = Жеребьёвки
cycle-seed-commitment = Обязательство по зерну (SHA-256 секретного зерна, опубликовано при открытии)
cycle-beacon = Публичный маяк случайности
cycle-beacon-value = Значение маяка, входящее в каждую жеребьёвку
cycle-beacon-pending = ещё не записано: до этого жеребьёвки нет
cycle-no-beacon = В этом цикле маяк не назван.
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

document-state_report = Доклад государства
document-stakeholder_input = Материал заинтересованных сторон
document-compilation = Подборка информации
document-wg_report = Доклад рабочей группы
document-response = Ответ государства
document-outcome = Итоговый документ сессии надзорного органа
document-text = Текст
reply-of-state = Ответ государства: { $state }
read-document = Открыть на отдельной странице
search-title = Поиск по опубликованным материалам
search-words = Искомые слова
search-submit = Найти
search-results = Результаты
search-nothing = По этому запросу ничего не опубликовано.
search-kind = Где искать
search-kind-document = Документы
search-kind-recommendation = Рекомендации
recommendation-number = Рекомендация { $number }
any = Все
sector = Сектор
affected-group = Затрагиваемая группа
state-code = Государство (код ISO)
next-page = Следующая страница
norm-title = Норма { $norm }
norm-in-database = Эти рекомендации в базе данных — для фильтрации и загрузки
published-documents = Опубликованные документы
published-documents-on = Опубликованные документы по норме { $norm }
published-on = Дата публикации
document = Документ
no-documents = Опубликованных документов нет.
more-in-api = Остальная часть списка в формате JSON
more-pledges = С этой нормой связано больше обязательств, чем показано на этой странице; на странице каждого государства перечислены все его обязательства.
doc-kind-state_report = Доклад государства
doc-kind-stakeholder_input = Материал заинтересованных сторон
doc-kind-compilation = Подборка информации
doc-kind-wg_report = Доклад рабочей группы
doc-kind-response = Ответ государства
doc-kind-advance_question = Заблаговременно подготовленный вопрос
doc-kind-reply = Ответ на заблаговременно подготовленный вопрос
doc-kind-oversight_statement = Заявление на сессии надзорного органа
doc-kind-oversight_outcome = Итоговый документ обзора
sector-intro = Рекомендации и опубликованные документы, касающиеся этого сектора, по всем государствам и циклам.
affected-group-intro = Рекомендации и опубликованные документы, касающиеся этой затрагиваемой группы, по всем государствам и циклам.
tag-in-database = Эти рекомендации в базе данных — для фильтрации и загрузки
pages-label = Страницы
first-page = Первая страница
country = Страна
website = Веб-сайт
ecosoc-status = Консультативный статус при ЭКОСОС
ecosoc-none = Нет
ecosoc-general = Общий
ecosoc-special = Специальный
ecosoc-roster = Реестр
accreditation = Аккредитация
accreditation-status = Статус
accreditation-applied = заявка подана
accreditation-proposed = предложена, период возражений
accreditation-accredited = аккредитована
accreditation-refused = отказано
accreditation-withdrawn = отозвана
applied-on = заявка подана { $date }
objection-period = Период возражений: с { $from } по { $to }
objections = Возражения государств
no-objections = Ни одно государство не выдвинуло возражений.
organisation-answer = Ответ организации
no-answer = Ответа нет.
decision = Решение
no-decision = Решение ещё не принято.
admitted-inputs = Допущенные материалы заинтересованных сторон, которые организация подготовила в качестве ведущей или подписала совместно с другими
database-title = База данных рекомендаций
database-intro = Все опубликованные рекомендации всех циклов с указанием государства, которому они адресованы, государства, которое их предложило, их норм, секторов и затрагиваемых групп, ответа и истории осуществления.
filter-heading = Фильтр рекомендаций
cycle = Цикл
filter-any = Все
filter-apply = Показать
filter-clear = Сбросить фильтры
response-filter-supported = Поддержана
response-filter-noted = Принята к сведению
response-filter-unanswered = Ответа пока нет
download = Загрузить эти рекомендации
download-csv = CSV
download-json = JSON
results = Результаты
no-matching-recommendations = Ни одна рекомендация не соответствует этим фильтрам.
subscribe-title = Получать уведомления по электронной почте
subscribe-intro = Выберите государство и укажите адрес электронной почты: мы отправим вам ссылку для подтверждения, а затем будем присылать письмо на каждом этапе обзоров этого государства. В каждом письме есть ссылка для отказа от подписки.
choose-state = Выберите государство
email-address = Адрес электронной почты
subscribe-button = Подписаться
subscribe-privacy = Ваш адрес используется только для этих писем, никогда не публикуется и удаляется, когда вы отказываетесь от подписки.
subscribe-error-state = Выберите государство из списка.
subscribe-error-email = Это недействительный адрес электронной почты.
subscribe-sent-title = Проверьте почту
subscribe-sent-body = Если на этот адрес можно доставить почту, на него отправлено письмо со ссылкой для подтверждения подписки на обзоры ({ $state }). Ссылка действительна 48 часов.
confirm-title = Подтверждение подписки
confirm-body = Подтвердите, что хотите получать письмо на каждом этапе обзоров выбранного вами государства.
confirm-button = Подтвердить
confirmed-title = Подписка подтверждена
confirmed-body = Вы будете получать письмо на каждом этапе обзоров ({ $state }).
confirm-expired-title = Срок действия ссылки истёк
confirm-expired-body = Ссылка для подтверждения действовала 48 часов. Подпишитесь снова, чтобы получить новую.
unsubscribe-title = Отказ от подписки
unsubscribe-body = Прекратить рассылку писем об обзорах этого государства и удалить ваш адрес.
unsubscribe-button = Отписаться
unsubscribed-title = Подписка отменена
unsubscribed-body = Ваш адрес удалён; письма на него больше не будут отправляться.
feed-publications-title = Коллегиальный обзор в киберсфере: публикации
feed-state-title = Публикации по обзорам: { $state }
feed-norm-title = Публикации по норме { $norm }: { $name }
feed-entry-published = Опубликовано: { $document } (обзор: { $state })
feed-entry-erratum = { $document } (обзор: { $state }): исправление, версия { $version }
feed-entry-summary = Версия { $version } от { $date }, слов: { $words }.
feed-entry-reason = Причина исправления: { $reason }
feed-entry-recommendations = Принятые рекомендации (обзор: { $state }): { $count }
feed-entry-recommendations-summary = { $count ->
    [one] { $count } рекомендация рабочей группы по нормам { $norms }.
    [few] { $count } рекомендации рабочей группы по нормам { $norms }.
    [many] { $count } рекомендаций рабочей группы по нормам { $norms }.
   *[other] { $count } рекомендации рабочей группы по нормам { $norms }.
}
document-kind-state_report = Доклад государства
document-kind-stakeholder_input = Материал заинтересованных сторон
document-kind-compilation = Подборка информации
document-kind-wg_report = Доклад рабочей группы
document-kind-response = Ответ государства
document-kind-advance_question = Заблаговременно подготовленный вопрос
document-kind-reply = Ответ на материал заинтересованных сторон
document-kind-oversight_statement = Заявление на сессии надзорного органа
document-kind-oversight_outcome = Итоговый документ
calendar-deadline-summary = Обзор: { $state } — срок: { $deadline }
calendar-session-summary = Обзор: { $state } — { $session }
calendar-description = Страница обзора: { $page }
charts = Диаграммы
chart-stage = Этап
chart-sector = Сектор
chart-affected-group = Затрагиваемая группа
chart-empty = Пока нечего показать.
chart-stages-title = Обзоры на каждом этапе
chart-inputs-sectors-title = Материалы заинтересованных сторон по секторам
chart-inputs-groups-title = Материалы заинтересованных сторон по затрагиваемым группам
chart-recommendations = Рекомендации по нормам
chart-stages = Обзоры на каждом этапе
chart-inputs-sectors = Материалы по секторам
chart-inputs-groups = Материалы по затрагиваемым группам
chart-deadlines = Сроки: соблюдены, соблюдены с опозданием, пропущены
open-data-title = Открытые данные
open-data-intro = Всё опубликованное здесь можно получить целиком, в машиночитаемых форматах и без учётной записи: все материалы одним архивом, рекомендации в виде таблиц, ленты публикаций и календари сроков.
open-data-archive = Все общедоступные материалы
open-data-archive-format = архив tar с манифестом SHA-256
open-data-archive-body = Каждая опубликованная версия каждого документа, каждая рекомендация, каждая запись о жеребьёвке рабочей группы и каждая цепочка аудита — в том виде, в каком их сегодня видит общественность. Чтобы проверить, что ничего не изменено:
open-data-exports = Выгрузки и API
open-data-recommendations-csv = Все рекомендации в формате CSV
open-data-recommendations-json = Все рекомендации в формате JSON
open-data-feeds = Ленты и календари
open-data-per-state = По государствам, проходящим обзор
open-data-per-norm = По нормам
open-data-per-cycle = По циклам
open-data-atom = Лента Atom
glance-caption = Шесть этапов каждого обзора вкратце
deadlines-missed-or-late = Пропущенные или соблюдённые с опозданием сроки
