# El texto de la interfaz del sitio público, en español. Este catálogo contiene todas
# las claves del catálogo de referencia en inglés (una prueba lo verifica).

site-name = Examen Cibernético entre Pares
skip-to-content = Ir al contenido
nav-label = Sitio
nav-home = Inicio
nav-recommendations = Recomendaciones
nav-search = Búsqueda
nav-open-data = Datos abiertos
language-switch-label = Idioma
footer-about = El Examen Cibernético entre Pares pide cuentas a los Estados por sus operaciones cibernéticas, en seis etapas cada año, siguiendo el modelo del Examen Periódico Universal.
footer-api = La API y su documentación
footer-openapi = Documento OpenAPI
footer-feed = Publicaciones (canal Atom)
footer-times-utc = Todas las horas se expresan en tiempo universal coordinado (UTC).
back-home = Volver a la página de inicio
as-json = En formato JSON
feed = Canal de publicaciones
calendar-feed = Calendario (iCalendar)
subscribe-link = Recibir avisos por correo electrónico

error-not-found-title = Página no encontrada
error-not-found-body = No hay nada público en esta dirección. Puede que no exista o que aún no se haya publicado.
error-bad-request-title = La dirección no es válida
error-bad-request-body = Una parte de la dirección no tiene un formato que este sitio entienda.
error-field = La parte en cuestión: { $field }
error-unavailable-title = No disponible temporalmente
error-unavailable-body = En este momento el sitio no puede acceder a su base de datos. Vuelva a intentarlo dentro de unos segundos.
error-internal-title = Se ha producido un error
error-internal-body = No se ha podido mostrar la página. El error ha quedado registrado.

home-title = Los exámenes de este año
home-intro = Cada año se examina a todos los Estados con capacidades cibernéticas ofensivas: el Estado presenta un informe, las partes interesadas envían sus contribuciones, un grupo de trabajo de tres Estados formula recomendaciones, el Estado responde a cada una de ellas y un órgano de supervisión aprueba el resultado en sesión pública.
current-cycle = Ciclo en curso: { $name }
cycle-starts = Comienza el { $date }
reviews-count = { $count ->
    [one] un examen
   *[other] { $count } exámenes
}
cycle-page-link = El ciclo y su informe anual
review-of = Examen de { $state }
stage-now = Etapa actual: { $stage }
missed-count = { $count ->
    [one] un plazo incumplido
   *[other] { $count } plazos incumplidos
}
deadlines = Plazos
no-reviews = Todavía no hay exámenes.
no-cycle = Todavía no ha comenzado ningún ciclo.
earlier-cycles = Ciclos anteriores
timeline-label = Las seis etapas del examen de { $state }
entered-on = desde el { $date }
deadlines-caption = Plazos del examen de { $state }
deadline = Plazo
due = Vencimiento
outcome = Resultado
hard-close = Cierre
extensions = Prórrogas

stage-state_report = Informe del Estado
stage-stakeholder_input = Contribuciones de las partes interesadas
stage-compilation = Recopilación
stage-working_group = Grupo de trabajo
stage-response = Respuesta
stage-oversight = Supervisión
stage-concluded = Concluido
stage-withdrawn = Retirado
stage-status-done = finalizada
stage-status-current = etapa actual
stage-status-ahead = pendiente

deadline-state_report = Informe del Estado
deadline-input_window = Contribuciones de las partes interesadas
deadline-compilation = Recopilación
deadline-advance_questions = Preguntas formuladas de antemano
deadline-wg_report = Informe del grupo de trabajo
deadline-response = Respuesta
deadline-status-on_time = en plazo
deadline-status-late = con retraso
deadline-status-missed = incumplido
deadline-status-pending = pendiente
deadline-status-open = abierto
deadline-status-closed = cerrado

yearly-report = Informe anual
as-of = A fecha de { $date }
deadlines-per-cycle = Plazos cumplidos, cumplidos con retraso e incumplidos
recommendations-per-norm = Recomendaciones por norma y respuestas a ellas
norm = Norma
norms = Normas
inputs-total = { $count ->
    [one] una contribución de las partes interesadas
   *[other] { $count } contribuciones de las partes interesadas
}
recommendations-total = { $count ->
    [one] una recomendación
   *[other] { $count } recomendaciones
}
updates-total = { $count ->
    [one] una actualización sobre la aplicación
   *[other] { $count } actualizaciones sobre la aplicación
}
reviews = Exámenes
pool = Estados del grupo de selección

calendar = Calendario
wg-session = Sesión del grupo de trabajo
oversight-session = Sesión de supervisión
state-report = Informe del Estado
submitted-late = Presentado después del plazo.
report-missed = El Estado no presentó su informe dentro del plazo, que vencía el { $date }.
not-yet-published = Todavía no se ha publicado.
foreign-activity = Actividad cibernética extranjera
versions-and-errata = { $count ->
    [one] Una versión
   *[other] { $count } versiones
}
version-line = Versión { $revision } del { $date }, { $words } palabras
erratum-reason = corrección
redactions = Pasajes suprimidos
stakeholder-inputs = Contribuciones de las partes interesadas
organisation = Organización
stakeholder-kind = Tipo
screening = Verificación de admisibilidad
screening-pending = pendiente
screening-admitted = admitida
screening-not_admitted = no admitida
no-inputs = No se ha publicado ninguna contribución.
compilation = Recopilación
working-group = Grupo de trabajo
wg-members = Miembros
wg-not-drawn = Todavía no se ha sorteado.
session-format = Formato
format-in_person = presencial
format-hybrid = híbrido
format-virtual = virtual
webcast = Transmisión web
recording = Grabación
session-held = Sesión celebrada el { $date }
session-on = Sesión el { $date }
observers = Observadores
wg-report = Informe del grupo de trabajo
findings = Conclusiones
recommendations = Recomendaciones
recommendations-and-answers = Recomendaciones y respuestas del Estado
no-recommendations-yet = Todavía no hay recomendaciones.
response = La respuesta del Estado
carried-over = Recomendaciones trasladadas de ciclos anteriores
oversight = Supervisión
statements = Declaraciones
statement-by = Declaración { $number }
adopted-by-consensus = Aprobado por consenso.
adopted-without-consensus = Aprobado sin consenso.
positions = Posiciones de los Estados
position-kind-explanation_of_position = explicación de posición
position-kind-dissociation = desvinculación
not-yet-adopted = Todavía no se ha aprobado.
withdrawn-on = Retirado el { $date }
number-short = N.º
state = Estado
recommendation = Recomendación
recommended-by = Recomendada por
answer = Respuesta
position-supported = Apoyada
position-noted = Se tomó nota
position-none = Todavía sin respuesta
sectors = Sectores
affected-groups = Grupos afectados
implementation-history = { $count ->
    [one] Una actualización sobre la aplicación
   *[other] { $count } actualizaciones sobre la aplicación
}
found-implemented = Se constató su aplicación en un
later-review = examen posterior
state-page-link = Todos los exámenes de { $state }

audit-trail = Registro de auditoría
audit-intro = Cada cambio en este examen es una entrada de una cadena de hashes: el hash de cada entrada abarca el de la anterior, de modo que cualquiera puede recalcular la cadena a partir de las entradas publicadas y comparar su cabeza.
chain-head = Cabeza de la cadena
audit-json = La cadena completa en formato JSON
how-to-verify = Para verificarla, recalcule cada hash como se describe en la sección de la especificación dedicada a la verificabilidad, empezando por la primera entrada, y compare el último con la cabeza que se muestra aquí.
audit-more = Las entradas siguientes
when = Fecha
event = Evento
by = Autor
hash = Hash

regional-group = Grupo regional
group-african_states = Grupo de los Estados de África
group-asia_pacific_states = Grupo de los Estados de Asia y el Pacífico
group-eastern_european_states = Grupo de los Estados de Europa Oriental
group-latin_american_and_caribbean_states = Grupo de los Estados de América Latina y el Caribe
group-western_european_and_other_states = Grupo de los Estados de Europa Occidental y otros Estados
review-opened-on = Examen abierto el { $date }
pledges = Compromisos
no-pledges = No hay compromisos.
made-on = contraído el { $date }
all-recommendations = Todas las recomendaciones dirigidas a este Estado

norm-13a = Cooperar para aumentar la estabilidad y la seguridad y prevenir las prácticas nocivas en la esfera de las TIC
norm-13b = Examinar toda la información pertinente en caso de incidentes relacionados con las TIC
norm-13c = No permitir a sabiendas que su territorio se utilice para cometer hechos internacionalmente ilícitos mediante las TIC
norm-13d = Cooperar en el intercambio de información y el enjuiciamiento del uso de las TIC con fines delictivos y terroristas
norm-13e = Respetar los derechos humanos en línea, incluido el derecho a la privacidad
norm-13f = No realizar ni apoyar actividades en la esfera de las TIC que dañen intencionadamente infraestructuras críticas
norm-13g = Proteger las infraestructuras críticas frente a las amenazas relacionadas con las TIC
norm-13h = Atender las solicitudes de asistencia de los Estados cuyas infraestructuras críticas sean objeto de ataques
norm-13i = Garantizar la integridad de la cadena de suministro; impedir la proliferación de instrumentos y técnicas maliciosos de TIC y de funciones ocultas
norm-13j = Alentar la comunicación responsable de las vulnerabilidades de las TIC y compartir las soluciones
norm-13k = No dañar a los equipos de respuesta a emergencias (CERT/CSIRT) ni utilizarlos para actividades malintencionadas

kind-ngo = ONG
kind-academia = Círculos académicos
kind-private_sector = Sector privado
kind-technical_community = Comunidad técnica
kind-international_organisation = Organización internacional

sector-healthcare = Atención de la salud
sector-energy = Energía
sector-water_and_sanitation = Agua y saneamiento
sector-finance = Finanzas
sector-transport = Transporte
sector-telecommunications = Telecomunicaciones
sector-elections_and_democratic_institutions = Elecciones e instituciones democráticas
sector-media_and_journalists = Medios de comunicación y periodistas
sector-human_rights_defenders = Defensores de los derechos humanos
sector-humanitarian_organisations = Organizaciones humanitarias
sector-other = Otros

affected-group-gender = Perspectiva de género
affected-group-women_girls = Mujeres y niñas
affected-group-children = Niños
affected-group-older_persons = Personas de edad
affected-group-persons_with_disabilities = Personas con discapacidad
affected-group-indigenous_peoples = Pueblos indígenas
affected-group-lgbtiq = Personas LGBTIQ+
affected-group-minorities = Minorías
affected-group-migrants_refugees = Migrantes, refugiados y desplazados
affected-group-human_rights_defenders = Defensores de los derechos humanos
affected-group-journalists = Periodistas y trabajadores de los medios de comunicación
affected-group-victims = Víctimas de operaciones cibernéticas

month-1 = enero
month-2 = febrero
month-3 = marzo
month-4 = abril
month-5 = mayo
month-6 = junio
month-7 = julio
month-8 = agosto
month-9 = septiembre
month-10 = octubre
month-11 = noviembre
month-12 = diciembre

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
