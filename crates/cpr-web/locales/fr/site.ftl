# Le texte de l'interface du site public, en français. Ce catalogue contient toutes
# les clés du catalogue de référence anglais (un test le vérifie).

site-name = Examen cyber par les pairs
skip-to-content = Aller au contenu
nav-label = Site
nav-home = Accueil
nav-recommendations = Recommandations
nav-search = Recherche
nav-open-data = Données ouvertes
language-switch-label = Langue
footer-about = L'Examen cyber par les pairs demande aux États de rendre compte de leurs opérations cyber, en six étapes chaque année, sur le modèle de l'Examen périodique universel.
footer-api = L'API et sa documentation
footer-openapi = Document OpenAPI
footer-feed = Publications (flux Atom)
footer-times-utc = Toutes les heures sont exprimées en temps universel coordonné (UTC).
back-home = Retour à la page d'accueil
as-json = Au format JSON
feed = Flux des publications
calendar-feed = Calendrier (iCalendar)
subscribe-link = Être averti par courriel

error-not-found-title = Page introuvable
error-not-found-body = Il n'y a rien de public à cette adresse. Elle n'existe peut-être pas, ou son contenu n'est pas encore publié.
error-bad-request-title = L'adresse n'est pas valide
error-bad-request-body = Une partie de l'adresse n'est pas sous une forme que ce site comprend.
error-field = La partie en cause : { $field }
error-unavailable-title = Temporairement indisponible
error-unavailable-body = Le site ne parvient pas à joindre sa base de données pour le moment. Veuillez réessayer dans quelques secondes.
error-internal-title = Une erreur s'est produite
error-internal-body = La page n'a pas pu être affichée. L'erreur a été enregistrée.

home-title = Les examens de cette année
home-intro = Chaque année, chaque État doté de capacités cyber offensives fait l'objet d'un examen : il présente un rapport, les parties prenantes soumettent des contributions, un groupe de travail de trois États formule des recommandations, l'État répond à chacune d'elles, et un organe de contrôle adopte le document final en séance publique.
current-cycle = Cycle en cours : { $name }
cycle-starts = Début le { $date }
reviews-count = { $count ->
    [one] { $count } examen
   *[other] { $count } examens
}
cycle-page-link = Le cycle et son rapport annuel
review-of = Examen de l'État : { $state }
stage-now = Étape actuelle : { $stage }
missed-count = { $count ->
    [one] { $count } délai manqué
   *[other] { $count } délais manqués
}
deadlines = Délais
no-reviews = Aucun examen pour l'instant.
no-cycle = Aucun cycle n'a encore commencé.
earlier-cycles = Cycles précédents
timeline-label = Les six étapes de l'examen de l'État : { $state }
entered-on = depuis le { $date }
deadlines-caption = Délais de l'examen de l'État : { $state }
deadline = Délai
due = Échéance
outcome = Résultat
hard-close = Clôture
extensions = Prolongations

stage-state_report = Rapport de l'État
stage-stakeholder_input = Contributions des parties prenantes
stage-compilation = Compilation
stage-working_group = Groupe de travail
stage-response = Réponse
stage-oversight = Contrôle
stage-concluded = Achevé
stage-withdrawn = Retiré
stage-status-done = terminée
stage-status-current = étape en cours
stage-status-ahead = à venir

deadline-state_report = Rapport de l'État
deadline-input_window = Contributions des parties prenantes
deadline-compilation = Compilation
deadline-advance_questions = Questions préalables
deadline-wg_report = Rapport du groupe de travail
deadline-response = Réponse
deadline-status-on_time = dans les délais
deadline-status-late = en retard
deadline-status-missed = manqué
deadline-status-pending = en attente
deadline-status-open = ouvert
deadline-status-closed = clos

yearly-report = Rapport annuel
as-of = Au { $date }
deadlines-per-cycle = Délais tenus, dépassés et manqués
recommendations-per-norm = Recommandations par norme et réponses apportées
norm = Norme
norms = Normes
inputs-total = { $count ->
    [one] { $count } contribution des parties prenantes
   *[other] { $count } contributions des parties prenantes
}
recommendations-total = { $count ->
    [one] { $count } recommandation
   *[other] { $count } recommandations
}
updates-total = { $count ->
    [one] { $count } point sur la mise en œuvre
   *[other] { $count } points sur la mise en œuvre
}
reviews = Examens
pool = États du vivier

calendar = Calendrier
wg-session = Session du groupe de travail
oversight-session = Session de contrôle
state-report = Rapport de l'État
submitted-late = Soumis après l'expiration du délai.
report-missed = L'État n'a pas soumis son rapport avant la date limite du { $date }.
not-yet-published = Pas encore publié.
foreign-activity = Activités cyber étrangères
versions-and-errata = { $count ->
    [one] { $count } version
   *[other] { $count } versions
}
version-line = Version { $revision } du { $date }, { $words } mots
erratum-reason = rectificatif
redactions = Passages caviardés
stakeholder-inputs = Contributions des parties prenantes
organisation = Organisation
stakeholder-kind = Catégorie
screening = Examen de recevabilité
screening-pending = en attente
screening-admitted = recevable
screening-not_admitted = irrecevable
no-inputs = Aucune contribution n'a été publiée.
compilation = Compilation
working-group = Groupe de travail
wg-members = Membres
wg-not-drawn = Pas encore tiré au sort.
session-format = Format
format-in_person = en présentiel
format-hybrid = hybride
format-virtual = virtuel
webcast = Retransmission en direct
recording = Enregistrement
session-held = Session tenue le { $date }
session-on = Session le { $date }
observers = Observateurs
wg-report = Rapport du groupe de travail
findings = Constatations
recommendations = Recommandations
recommendations-and-answers = Recommandations et réponses de l'État
no-recommendations-yet = Aucune recommandation pour l'instant.
response = La réponse de l'État
carried-over = Recommandations reportées des cycles précédents
oversight = Contrôle
statements = Déclarations
statement-by = Déclaration { $number }
adopted-by-consensus = Adopté par consensus.
adopted-without-consensus = Adopté sans consensus.
positions = Positions des États
position-kind-explanation_of_position = explication de position
position-kind-dissociation = dissociation
not-yet-adopted = Pas encore adopté.
withdrawn-on = Retiré le { $date }
number-short = N°
state = État
recommendation = Recommandation
recommended-by = Recommandée par
answer = Réponse
position-supported = Acceptée
position-noted = Prise en note
position-none = Pas encore de réponse
sectors = Secteurs
affected-groups = Groupes touchés
implementation-history = { $count ->
    [one] { $count } point sur la mise en œuvre
   *[other] { $count } points sur la mise en œuvre
}
found-implemented = Jugée mise en œuvre lors d'un
later-review = examen ultérieur
state-page-link = Tous les examens de l'État : { $state }

audit-trail = Piste d'audit
audit-intro = Chaque modification de cet examen est une entrée d'une chaîne de hachage : le hachage de chaque entrée couvre celui de l'entrée précédente, de sorte que chacun peut recalculer la chaîne à partir des entrées publiées et en comparer la tête.
chain-head = Tête de la chaîne
audit-json = La chaîne entière au format JSON
how-to-verify = Pour la vérifier, recalculez chaque hachage comme le décrit la section de la spécification consacrée à la vérifiabilité, en partant de la première entrée, et comparez le dernier à la tête affichée ici.
audit-more = Les entrées suivantes
when = Date
event = Événement
by = Auteur
hash = Hachage

regional-group = Groupe régional
group-african_states = Groupe des États d'Afrique
group-asia_pacific_states = Groupe des États d'Asie et du Pacifique
group-eastern_european_states = Groupe des États d'Europe orientale
group-latin_american_and_caribbean_states = Groupe des États d'Amérique latine et des Caraïbes
group-western_european_and_other_states = Groupe des États d'Europe occidentale et autres États
review-opened-on = Examen ouvert le { $date }
pledges = Engagements
no-pledges = Aucun engagement.
made-on = pris le { $date }
all-recommendations = Toutes les recommandations adressées à cet État

norm-13a = Coopérer pour accroître la stabilité et la sécurité et prévenir les pratiques informatiques dommageables
norm-13b = Examiner toutes les informations pertinentes en cas d'incident informatique
norm-13c = Ne pas permettre sciemment que son territoire soit utilisé pour commettre des faits internationalement illicites à l'aide des TIC
norm-13d = Coopérer à l'échange d'informations et aux poursuites contre l'utilisation des TIC à des fins criminelles et terroristes
norm-13e = Respecter les droits de l'homme en ligne, y compris le droit à la vie privée
norm-13f = Ne pas mener ni soutenir d'activité informatique qui endommage intentionnellement des infrastructures critiques
norm-13g = Protéger les infrastructures critiques contre les menaces informatiques
norm-13h = Répondre aux demandes d'assistance des États dont les infrastructures critiques sont attaquées
norm-13i = Garantir l'intégrité de la chaîne d'approvisionnement ; prévenir la prolifération d'outils informatiques malveillants et de fonctions cachées
norm-13j = Encourager le signalement responsable des failles informatiques et partager les solutions
norm-13k = Ne pas porter atteinte aux équipes d'intervention d'urgence (CERT/CSIRT) ni les utiliser à des fins malveillantes

kind-ngo = ONG
kind-academia = Milieux universitaires
kind-private_sector = Secteur privé
kind-technical_community = Communauté technique
kind-international_organisation = Organisation internationale

sector-healthcare = Santé
sector-energy = Énergie
sector-water_and_sanitation = Eau et assainissement
sector-finance = Finance
sector-transport = Transports
sector-telecommunications = Télécommunications
sector-elections_and_democratic_institutions = Élections et institutions démocratiques
sector-media_and_journalists = Médias et journalistes
sector-human_rights_defenders = Défenseurs des droits de l'homme
sector-humanitarian_organisations = Organisations humanitaires
sector-other = Autre

affected-group-gender = Questions de genre
affected-group-women_girls = Femmes et filles
affected-group-children = Enfants
affected-group-older_persons = Personnes âgées
affected-group-persons_with_disabilities = Personnes handicapées
affected-group-indigenous_peoples = Peuples autochtones
affected-group-lgbtiq = Personnes LGBTIQ+
affected-group-minorities = Minorités
affected-group-migrants_refugees = Migrants, réfugiés et personnes déplacées
affected-group-human_rights_defenders = Défenseurs des droits de l'homme
affected-group-journalists = Journalistes et professionnels des médias
affected-group-victims = Victimes d'opérations cyber

month-1 = janvier
month-2 = février
month-3 = mars
month-4 = avril
month-5 = mai
month-6 = juin
month-7 = juillet
month-8 = août
month-9 = septembre
month-10 = octobre
month-11 = novembre
month-12 = décembre

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
