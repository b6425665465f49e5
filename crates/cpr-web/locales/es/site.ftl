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
    [one] one review
   *[other] { $count } reviews
}
cycle-page-link = El ciclo y su informe anual
review-of = Examen de { $state }
stage-now = Etapa actual: { $stage }
missed-count = { $count ->
    [one] one deadline missed
   *[other] { $count } deadlines missed
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
    [one] One version
   *[other] { $count } versions
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
    [one] One implementation update
   *[other] { $count } implementation updates
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

document-state_report = Informe del Estado
document-stakeholder_input = Contribución de las partes interesadas
document-compilation = Recopilación
document-wg_report = Informe del grupo de trabajo
document-response = La respuesta del Estado
document-outcome = Resultado de la sesión de supervisión
document-text = Texto
read-document = Leerlo en su propia página
search-title = Buscar en todo lo publicado
search-words = Palabras que buscar
search-submit = Buscar
search-results = Resultados
search-nothing = No hay nada publicado que coincida con esta búsqueda.
search-kind = Qué buscar
search-kind-document = Documentos
search-kind-recommendation = Recomendaciones
recommendation-number = Recomendación { $number }
any = Cualquiera
sector = Sector
affected-group = Grupo afectado
state-code = Estado (código ISO)
next-page = Página siguiente
norm-title = Norma { $norm }
norm-in-database = Estas recomendaciones en la base de datos, para filtrarlas y descargarlas
published-documents = Documentos publicados
published-documents-on = Documentos publicados sobre la norma { $norm }
published-on = Publicación
document = Documento
no-documents = No hay documentos publicados.
more-in-api = El resto de la lista, en formato JSON
more-pledges = Hay más compromisos vinculados a esta norma de los que muestra esta página; la página de cada Estado enumera todos sus compromisos.
doc-kind-state_report = Informe del Estado
doc-kind-stakeholder_input = Contribución de las partes interesadas
doc-kind-compilation = Recopilación
doc-kind-wg_report = Informe del grupo de trabajo
doc-kind-response = La respuesta del Estado
doc-kind-advance_question = Pregunta formulada de antemano
doc-kind-reply = Respuesta a una pregunta formulada de antemano
doc-kind-oversight_statement = Declaración en la sesión de supervisión
doc-kind-oversight_outcome = Resultado del examen
sector-intro = Las recomendaciones y los documentos publicados sobre este sector, de todos los Estados y ciclos.
affected-group-intro = Las recomendaciones y los documentos publicados sobre este grupo afectado, de todos los Estados y ciclos.
tag-in-database = Estas recomendaciones en la base de datos, para filtrarlas y descargarlas
pages-label = Páginas
first-page = Primera página
country = País
website = Sitio web
ecosoc-status = Reconocimiento como entidad consultiva del ECOSOC
ecosoc-none = Ninguno
ecosoc-general = General
ecosoc-special = Especial
ecosoc-roster = Lista
accreditation = Acreditación
accreditation-status = Situación
accreditation-applied = solicitada
accreditation-proposed = propuesta, período de objeciones
accreditation-accredited = acreditada
accreditation-refused = denegada
accreditation-withdrawn = retirada
applied-on = solicitada el { $date }
objection-period = Período de objeciones del { $from } al { $to }
objections = Objeciones de los Estados
no-objections = Ningún Estado formuló objeciones.
organisation-answer = La respuesta de la organización
no-answer = No hay respuesta.
decision = Decisión
no-decision = Todavía no hay decisión.
admitted-inputs = Contribuciones de las partes interesadas admitidas que encabezó o firmó conjuntamente
database-title = La base de datos de recomendaciones
database-intro = Todas las recomendaciones publicadas de todos los ciclos, con el Estado al que se dirigieron, el Estado que las propuso, sus normas, sectores y grupos afectados, la respuesta y el historial de su aplicación.
filter-heading = Filtrar las recomendaciones
cycle = Ciclo
filter-any = Cualquiera
filter-apply = Mostrar
filter-clear = Borrar los filtros
response-filter-supported = Apoyada
response-filter-noted = Se tomó nota
response-filter-unanswered = Todavía sin respuesta
download = Descargar estas recomendaciones
download-csv = CSV
download-json = JSON
results = Resultados
no-matching-recommendations = Ninguna recomendación coincide con estos filtros.
subscribe-title = Recibir avisos por correo electrónico
subscribe-intro = Elija un Estado e indique su dirección de correo electrónico: le enviaremos un enlace de confirmación y, después, un mensaje en cada etapa de los exámenes de ese Estado. Todos los mensajes incluyen un enlace para cancelar la suscripción.
choose-state = Elija un Estado
email-address = Dirección de correo electrónico
subscribe-button = Suscribirse
subscribe-privacy = Su dirección solo se utiliza para estos mensajes, nunca se publica y se elimina cuando cancela la suscripción.
subscribe-error-state = Elija un Estado de la lista.
subscribe-error-email = Esta dirección de correo electrónico no es válida.
subscribe-sent-title = Revise su correo
subscribe-sent-body = Si la dirección puede recibir correo, le llegará un mensaje con un enlace para confirmar la suscripción a los exámenes de { $state }. El enlace es válido durante 48 horas.
confirm-title = Confirmar la suscripción
confirm-body = Confirme que desea recibir un mensaje en cada etapa de los exámenes del Estado que ha elegido.
confirm-button = Confirmar
confirmed-title = Suscripción confirmada
confirmed-body = Recibirá un mensaje en cada etapa de los exámenes de { $state }.
confirm-expired-title = Este enlace ha caducado
confirm-expired-body = El enlace de confirmación era válido durante 48 horas. Vuelva a suscribirse para recibir uno nuevo.
unsubscribe-title = Cancelar la suscripción
unsubscribe-body = Dejar de recibir mensajes sobre los exámenes de este Estado y eliminar su dirección.
unsubscribe-button = Cancelar la suscripción
unsubscribed-title = Suscripción cancelada
unsubscribed-body = Su dirección se ha eliminado; no se le enviarán más mensajes.
feed-publications-title = Examen Cibernético entre Pares: publicaciones
feed-state-title = Publicaciones de los exámenes de { $state }
feed-norm-title = Publicaciones sobre la norma { $norm }: { $name }
feed-entry-published = Publicación: { $document } del examen de { $state }
feed-entry-erratum = { $document } del examen de { $state }: corrección, versión { $version }
feed-entry-summary = Versión { $version } del { $date }, { $words } palabras.
feed-entry-reason = Motivo de la corrección: { $reason }
feed-entry-recommendations = Recomendaciones aprobadas dirigidas a { $state }: { $count }
feed-entry-recommendations-summary = { $count ->
    [one] One recommendation of the working group, on the norms { $norms }.
   *[other] { $count } recommendations of the working group, on the norms { $norms }.
}
document-kind-state_report = Informe del Estado
document-kind-stakeholder_input = Contribución de las partes interesadas
document-kind-compilation = Recopilación
document-kind-wg_report = Informe del grupo de trabajo
document-kind-response = Respuesta del Estado
document-kind-advance_question = Pregunta formulada de antemano
document-kind-reply = Respuesta a una contribución de las partes interesadas
document-kind-oversight_statement = Declaración en la sesión de supervisión
document-kind-oversight_outcome = Resultado
calendar-deadline-summary = Examen de { $state }: vence el plazo de «{ $deadline }»
calendar-session-summary = Examen de { $state }: { $session }
calendar-description = La página del examen: { $page }
charts = Gráficos
chart-stage = Etapa
chart-sector = Sector
chart-affected-group = Grupo afectado
chart-empty = Todavía no hay nada que mostrar.
chart-stages-title = Exámenes en cada etapa
chart-inputs-sectors-title = Contribuciones de las partes interesadas por sector
chart-inputs-groups-title = Contribuciones de las partes interesadas por grupo afectado
chart-recommendations = Recomendaciones por norma
chart-stages = Exámenes en cada etapa
chart-inputs-sectors = Contribuciones por sector
chart-inputs-groups = Contribuciones por grupo afectado
chart-deadlines = Plazos cumplidos, cumplidos con retraso e incumplidos
open-data-title = Datos abiertos
open-data-intro = Todo lo que se publica aquí puede obtenerse íntegramente, en formatos legibles por máquina y sin necesidad de una cuenta: todo el registro en un único archivo, las recomendaciones en forma de tablas, canales de publicaciones y calendarios de plazos.
open-data-archive = Todo el registro público
open-data-archive-format = un archivo tar con un manifiesto SHA-256
open-data-archive-body = Todas las versiones publicadas de todos los documentos, todas las recomendaciones, todas las actas de sorteo de los grupos de trabajo y todas las cadenas de auditoría, tal como el público las lee hoy. Para comprobar que no se ha alterado nada:
open-data-exports = Exportaciones y la API
open-data-recommendations-csv = Todas las recomendaciones en formato CSV
open-data-recommendations-json = Todas las recomendaciones en formato JSON
open-data-feeds = Canales y calendarios
open-data-per-state = Por Estado examinado
open-data-per-norm = Por norma
open-data-per-cycle = Por ciclo
open-data-atom = Canal Atom
glance-caption = Las seis etapas de cada examen de un vistazo
deadlines-missed-or-late = Plazos incumplidos o cumplidos con retraso
