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
    [one] one review
   *[other] { $count } reviews
}
cycle-page-link = Le cycle et son rapport annuel
review-of = Examen de l'État : { $state }
stage-now = Étape actuelle : { $stage }
missed-count = { $count ->
    [one] one deadline missed
   *[other] { $count } deadlines missed
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
    [one] One version
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
    [one] One implementation update
   *[other] { $count } implementation updates
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

document-state_report = Rapport de l'État
document-stakeholder_input = Contribution des parties prenantes
document-compilation = Compilation
document-wg_report = Rapport du groupe de travail
document-response = La réponse de l'État
document-outcome = Document final de la session de contrôle
document-text = Texte
read-document = Le lire sur sa propre page
search-title = Rechercher dans l'ensemble des publications
search-words = Mots à rechercher
search-submit = Rechercher
search-results = Résultats
search-nothing = Aucune publication ne correspond à cette recherche.
search-kind = Type de recherche
search-kind-document = Documents
search-kind-recommendation = Recommandations
recommendation-number = Recommandation { $number }
any = Tous
sector = Secteur
affected-group = Groupe touché
state-code = État (code ISO)
next-page = Page suivante
norm-title = Norme { $norm }
norm-in-database = Ces recommandations dans la base de données, pour les filtrer et les télécharger
published-documents = Documents publiés
published-documents-on = Documents publiés sur la norme { $norm }
published-on = Publication
document = Document
no-documents = Aucun document publié.
more-in-api = La suite de la liste, au format JSON
more-pledges = Cette norme fait l'objet de plus d'engagements que cette page n'en affiche ; la page de chaque État énumère tous ses engagements.
doc-kind-state_report = Rapport de l'État
doc-kind-stakeholder_input = Contribution des parties prenantes
doc-kind-compilation = Compilation
doc-kind-wg_report = Rapport du groupe de travail
doc-kind-response = La réponse de l'État
doc-kind-advance_question = Question préalable
doc-kind-reply = Réponse à une question préalable
doc-kind-oversight_statement = Déclaration à la session de contrôle
doc-kind-oversight_outcome = Document final de l'examen
sector-intro = Les recommandations et les documents publiés concernant ce secteur, tous États et cycles confondus.
affected-group-intro = Les recommandations et les documents publiés concernant ce groupe touché, tous États et cycles confondus.
tag-in-database = Ces recommandations dans la base de données, pour les filtrer et les télécharger
pages-label = Pages
first-page = Première page
country = Pays
website = Site web
ecosoc-status = Statut consultatif auprès de l'ECOSOC
ecosoc-none = Aucun
ecosoc-general = Général
ecosoc-special = Spécial
ecosoc-roster = Liste
accreditation = Accréditation
accreditation-status = Statut
accreditation-applied = demande déposée
accreditation-proposed = proposée, période d'objection
accreditation-accredited = accréditée
accreditation-refused = refusée
accreditation-withdrawn = retirée
applied-on = demande déposée le { $date }
objection-period = Période d'objection du { $from } au { $to }
objections = Objections des États
no-objections = Aucun État n'a formulé d'objection.
organisation-answer = La réponse de l'organisation
no-answer = Aucune réponse.
decision = Décision
no-decision = Pas encore de décision.
admitted-inputs = Contributions recevables des parties prenantes qu'elle a dirigées ou cosignées
database-title = La base de données des recommandations
database-intro = Toutes les recommandations publiées de tous les cycles, avec l'État auquel elles ont été adressées, l'État qui les a proposées, leurs normes, secteurs et groupes touchés, la réponse apportée et l'historique de leur mise en œuvre.
filter-heading = Filtrer les recommandations
cycle = Cycle
filter-any = Tous
filter-apply = Afficher
filter-clear = Effacer les filtres
response-filter-supported = Acceptée
response-filter-noted = Prise en note
response-filter-unanswered = Pas encore de réponse
download = Télécharger ces recommandations
download-csv = CSV
download-json = JSON
results = Résultats
no-matching-recommendations = Aucune recommandation ne correspond à ces filtres.
subscribe-title = Être averti par courriel
subscribe-intro = Choisissez un État et indiquez votre adresse électronique : nous vous envoyons un lien de confirmation, puis un courriel à chaque étape des examens de cet État. Chaque courriel contient un lien de désabonnement.
choose-state = Choisir un État
email-address = Adresse électronique
subscribe-button = S'abonner
subscribe-privacy = Votre adresse ne sert qu'à ces courriels, n'est jamais publiée et est supprimée lorsque vous vous désabonnez.
subscribe-error-state = Choisissez un État dans la liste.
subscribe-error-email = Cette adresse électronique n'est pas valide.
subscribe-sent-title = Consultez votre messagerie
subscribe-sent-body = Si l'adresse peut recevoir des courriels, un message vous a été envoyé ; il contient un lien pour confirmer l'abonnement aux examens de l'État concerné ({ $state }). Le lien est valable 48 heures.
confirm-title = Confirmer l'abonnement
confirm-body = Confirmez que vous souhaitez recevoir un courriel à chaque étape des examens de l'État que vous avez choisi.
confirm-button = Confirmer
confirmed-title = Abonnement confirmé
confirmed-body = Vous recevrez un courriel à chaque étape des examens de l'État concerné ({ $state }).
confirm-expired-title = Ce lien a expiré
confirm-expired-body = Le lien de confirmation était valable 48 heures. Abonnez-vous de nouveau pour en recevoir un nouveau.
unsubscribe-title = Se désabonner
unsubscribe-body = Ne plus recevoir de courriels sur les examens de cet État et supprimer votre adresse.
unsubscribe-button = Se désabonner
unsubscribed-title = Désabonnement effectué
unsubscribed-body = Votre adresse a été supprimée ; plus aucun courriel n'y sera envoyé.
feed-publications-title = Examen cyber par les pairs : publications
feed-state-title = Publications des examens de l'État : { $state }
feed-norm-title = Publications sur la norme { $norm } : { $name }
feed-entry-published = Publication : { $document } (examen de l'État : { $state })
feed-entry-erratum = { $document } (examen de l'État : { $state }) : rectificatif, version { $version }
feed-entry-summary = Version { $version } du { $date }, { $words } mots.
feed-entry-reason = Motif du rectificatif : { $reason }
feed-entry-recommendations = Recommandations adoptées (examen de l'État : { $state }) : { $count }
feed-entry-recommendations-summary = { $count ->
    [one] One recommendation of the working group, on the norms { $norms }.
   *[other] { $count } recommendations of the working group, on the norms { $norms }.
}
document-kind-state_report = Rapport de l'État
document-kind-stakeholder_input = Contribution des parties prenantes
document-kind-compilation = Compilation
document-kind-wg_report = Rapport du groupe de travail
document-kind-response = Réponse de l'État
document-kind-advance_question = Question préalable
document-kind-reply = Réponse à une contribution des parties prenantes
document-kind-oversight_statement = Déclaration à la session de contrôle
document-kind-oversight_outcome = Document final
calendar-deadline-summary = Examen de l'État : { $state } — échéance : { $deadline }
calendar-session-summary = Examen de l'État : { $state } — { $session }
calendar-description = La page de l'examen : { $page }
charts = Graphiques
chart-stage = Étape
chart-sector = Secteur
chart-affected-group = Groupe touché
chart-empty = Rien à afficher pour l'instant.
chart-stages-title = Examens à chaque étape
chart-inputs-sectors-title = Contributions des parties prenantes par secteur
chart-inputs-groups-title = Contributions des parties prenantes par groupe touché
chart-recommendations = Recommandations par norme
chart-stages = Examens à chaque étape
chart-inputs-sectors = Contributions par secteur
chart-inputs-groups = Contributions par groupe touché
chart-deadlines = Délais tenus, dépassés et manqués
open-data-title = Données ouvertes
open-data-intro = Tout ce qui est publié ici peut être obtenu dans son intégralité, dans des formats lisibles par machine, sans compte : l'ensemble des publications en une seule archive, les recommandations sous forme de tableaux, des flux de publications et des calendriers des délais.
open-data-archive = L'ensemble des publications
open-data-archive-format = une archive tar accompagnée d'un manifeste SHA-256
open-data-archive-body = Chaque version publiée de chaque document, chaque recommandation, chaque procès-verbal de tirage au sort d'un groupe de travail et chaque chaîne d'audit, tels que le public les lit aujourd'hui. Pour vérifier que rien n'a été modifié :
open-data-exports = Exportations et API
open-data-recommendations-csv = Toutes les recommandations au format CSV
open-data-recommendations-json = Toutes les recommandations au format JSON
open-data-feeds = Flux et calendriers
open-data-per-state = Par État examiné
open-data-per-norm = Par norme
open-data-per-cycle = Par cycle
open-data-atom = Flux Atom
glance-caption = Les six étapes de chaque examen en un coup d'œil
deadlines-missed-or-late = Échéances manquées ou respectées en retard
