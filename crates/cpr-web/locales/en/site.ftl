# The interface text of the public site, in English: the reference catalogue. Every
# other language has every key of this file (a test holds them to it).

site-name = Cyber Peer Review
skip-to-content = Skip to the content
nav-label = Site
nav-home = Home
nav-recommendations = Recommendations
nav-search = Search
nav-open-data = Open data
language-switch-label = Language
footer-about = The Cyber Peer Review holds states to account for their cyber operations, in six stages each year, on the model of the Universal Periodic Review.
footer-api = The API and its documentation
footer-openapi = OpenAPI document
footer-feed = Publications (Atom feed)
footer-times-utc = All times are in Coordinated Universal Time (UTC).
back-home = Back to the home page
as-json = As JSON
feed = Feed of publications
calendar-feed = Calendar (iCalendar)
subscribe-link = Be notified by email

error-not-found-title = Page not found
error-not-found-body = There is nothing public at this address. It may not exist, or it may not be published yet.
error-bad-request-title = The address is not valid
error-bad-request-body = A part of the address is not in a form this site understands.
error-field = The part in question: { $field }
error-unavailable-title = Temporarily unavailable
error-unavailable-body = The site cannot reach its database at the moment. Please try again in a few seconds.
error-internal-title = Something went wrong
error-internal-body = The page could not be shown. The error has been recorded.

home-title = The reviews of this year
home-intro = Each year, every state with offensive cyber capabilities is reviewed: it reports, stakeholders file inputs, a working group of three states writes recommendations, the state answers each of them, and an oversight body adopts the outcome in public.
current-cycle = Current cycle: { $name }
cycle-starts = Starts on { $date }
cycle-draws = Draws
cycle-seed-commitment = Seed commitment (SHA-256 of the secret seed, published at opening)
cycle-beacon = Public randomness beacon
cycle-beacon-value = Beacon value mixed into every draw
cycle-beacon-pending = not recorded yet: no draw until it is
cycle-no-beacon = This cycle names no beacon.
reviews-count = { $count ->
    [one] one review
   *[other] { $count } reviews
}
cycle-page-link = The cycle and its yearly report
review-of = Review of { $state }
stage-now = Stage now: { $stage }
missed-count = { $count ->
    [one] one deadline missed
   *[other] { $count } deadlines missed
}
deadlines = Deadlines
no-reviews = No reviews yet.
no-cycle = No cycle has started yet.
earlier-cycles = Earlier cycles
timeline-label = The six stages of the review of { $state }
entered-on = since { $date }
deadlines-caption = Deadlines of the review of { $state }
deadline = Deadline
due = Due
outcome = Outcome
hard-close = Closes
extensions = Extensions

stage-state_report = State report
stage-stakeholder_input = Stakeholder input
stage-compilation = Compilation
stage-working_group = Working group
stage-response = Response
stage-oversight = Oversight
stage-concluded = Concluded
stage-withdrawn = Withdrawn
stage-status-done = done
stage-status-current = current stage
stage-status-ahead = ahead

deadline-state_report = State report
deadline-input_window = Stakeholder inputs
deadline-compilation = Compilation
deadline-advance_questions = Advance questions
deadline-wg_report = Working-group report
deadline-response = Response
deadline-status-on_time = on time
deadline-status-late = late
deadline-status-missed = missed
deadline-status-pending = pending
deadline-status-open = open
deadline-status-closed = closed

yearly-report = Yearly report
as-of = As of { $date }
deadlines-per-cycle = Deadlines met, late and missed
recommendations-per-norm = Recommendations per norm and the answers to them
norm = Norm
norms = Norms
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
reviews = Reviews
pool = States in the pool

calendar = Calendar
wg-session = Working-group session
oversight-session = Oversight session
state-report = State report
submitted-late = Submitted after the deadline.
report-missed = The state did not submit its report by the deadline of { $date }.
not-yet-published = Not published yet.
foreign-activity = Foreign cyber activity
versions-and-errata = { $count ->
    [one] One version
   *[other] { $count } versions
}
version-line = Version { $revision } of { $date }, { $words } words
erratum-reason = erratum
redactions = Redactions
stakeholder-inputs = Stakeholder inputs
organisation = Organisation
stakeholder-kind = Kind
screening = Screening
screening-pending = pending
screening-admitted = admitted
screening-not_admitted = not admitted
no-inputs = No inputs have been published.
compilation = Compilation
working-group = Working group
wg-members = Members
wg-not-drawn = Not drawn yet.
session-format = Format
format-in_person = in person
format-hybrid = hybrid
format-virtual = virtual
webcast = Webcast
recording = Recording
session-held = Session held on { $date }
session-on = Session on { $date }
observers = Observers
wg-report = Working-group report
findings = Findings
recommendations = Recommendations
recommendations-and-answers = Recommendations and the state's answers
no-recommendations-yet = No recommendations yet.
response = The state's response
carried-over = Recommendations carried over from earlier cycles
oversight = Oversight
statements = Statements
statement-by = Statement { $number }
adopted-by-consensus = Adopted by consensus.
adopted-without-consensus = Adopted without consensus.
positions = Positions of states
position-kind-explanation_of_position = explanation of position
position-kind-dissociation = dissociation
not-yet-adopted = Not adopted yet.
withdrawn-on = Withdrawn on { $date }
number-short = No.
state = State
recommendation = Recommendation
recommended-by = Recommended by
answer = Answer
position-supported = Supported
position-noted = Noted
position-none = Not answered yet
sectors = Sectors
affected-groups = Affected groups
implementation-history = { $count ->
    [one] One implementation update
   *[other] { $count } implementation updates
}
found-implemented = Found implemented in a
later-review = later review
state-page-link = All reviews of { $state }

audit-trail = Audit trail
audit-intro = Every change to this review is an entry of a hash chain: each entry's hash covers the one before it, so that anyone can recompute the chain from the published entries and compare its head.
chain-head = Head of the chain
audit-json = The whole chain as JSON
how-to-verify = To check it, recompute each hash as the specification's section on verifiability describes, starting from the first entry, and compare the last with the head shown here.
audit-more = The entries after these
when = When
event = Event
by = By
hash = Hash

regional-group = Regional group
group-african_states = African States
group-asia_pacific_states = Asia-Pacific States
group-eastern_european_states = Eastern European States
group-latin_american_and_caribbean_states = Latin American and Caribbean States
group-western_european_and_other_states = Western European and Other States
review-opened-on = Review opened on { $date }
pledges = Pledges
no-pledges = No pledges.
made-on = made on { $date }
all-recommendations = All recommendations to this state

norm-13a = Cooperate to increase stability and security and prevent harmful ICT practices
norm-13b = Consider all relevant information in case of ICT incidents
norm-13c = Do not knowingly allow territory to be used for internationally wrongful acts using ICTs
norm-13d = Cooperate on information exchange and prosecution of criminal and terrorist use of ICTs
norm-13e = Respect human rights online, including the right to privacy
norm-13f = Do not conduct or support ICT activity that intentionally damages critical infrastructure
norm-13g = Protect critical infrastructure from ICT threats
norm-13h = Respond to requests for assistance from states whose critical infrastructure is attacked
norm-13i = Ensure supply-chain integrity; prevent proliferation of malicious ICT tools and hidden functions
norm-13j = Encourage responsible reporting of ICT vulnerabilities and share remedies
norm-13k = Do not harm emergency response teams (CERTs/CSIRTs) or use them for malicious activity

kind-ngo = NGO
kind-academia = Academia
kind-private_sector = Private sector
kind-technical_community = Technical community
kind-international_organisation = International organisation

sector-healthcare = Healthcare
sector-energy = Energy
sector-water_and_sanitation = Water and sanitation
sector-finance = Finance
sector-transport = Transport
sector-telecommunications = Telecommunications
sector-elections_and_democratic_institutions = Elections and democratic institutions
sector-media_and_journalists = Media and journalists
sector-human_rights_defenders = Human-rights defenders
sector-humanitarian_organisations = Humanitarian organisations
sector-other = Other

affected-group-gender = Gender perspectives
affected-group-women_girls = Women and girls
affected-group-children = Children
affected-group-older_persons = Older persons
affected-group-persons_with_disabilities = Persons with disabilities
affected-group-indigenous_peoples = Indigenous peoples
affected-group-lgbtiq = LGBTIQ+ persons
affected-group-minorities = Minorities
affected-group-migrants_refugees = Migrants, refugees and displaced persons
affected-group-human_rights_defenders = Human-rights defenders
affected-group-journalists = Journalists and media workers
affected-group-victims = Victims of cyber operations

month-1 = January
month-2 = February
month-3 = March
month-4 = April
month-5 = May
month-6 = June
month-7 = July
month-8 = August
month-9 = September
month-10 = October
month-11 = November
month-12 = December

document-state_report = State report
document-stakeholder_input = Stakeholder input
document-compilation = Compilation
document-wg_report = Working-group report
document-response = The state's response
document-outcome = Outcome of the oversight session
document-text = Text
reply-of-state = Reply of { $state }
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
# Norm, sector, affected-group and organisation pages; the recommendations database;
# subscriptions.
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
# Feeds, calendars, charts and open data.
feed-publications-title = Cyber Peer Review: publications
feed-state-title = Publications of the reviews of { $state }
feed-norm-title = Publications on norm { $norm }: { $name }
feed-entry-published = { $document } of the review of { $state } published
feed-entry-erratum = { $document } of the review of { $state }: erratum, version { $version }
feed-entry-summary = Version { $version } of { $date }, { $words } words.
feed-entry-reason = Reason for the erratum: { $reason }
feed-entry-recommendations = Recommendations to { $state } adopted: { $count }
feed-entry-recommendations-summary = { $count ->
    [one] One recommendation of the working group, on the norms { $norms }.
   *[other] { $count } recommendations of the working group, on the norms { $norms }.
}
document-kind-state_report = State report
document-kind-stakeholder_input = Stakeholder input
document-kind-compilation = Compilation
document-kind-wg_report = Working-group report
document-kind-response = Response of the state
document-kind-advance_question = Advance question
document-kind-reply = Reply to a stakeholder input
document-kind-oversight_statement = Statement at the oversight session
document-kind-oversight_outcome = Outcome
calendar-deadline-summary = Review of { $state }: { $deadline } due
calendar-session-summary = Review of { $state }: { $session }
calendar-description = The review's page: { $page }
charts = Charts
chart-stage = Stage
chart-sector = Sector
chart-affected-group = Affected group
chart-empty = Nothing to show yet.
chart-stages-title = Reviews in each stage
chart-inputs-sectors-title = Stakeholder inputs per sector
chart-inputs-groups-title = Stakeholder inputs per affected group
chart-recommendations = Recommendations per norm
chart-stages = Reviews in each stage
chart-inputs-sectors = Inputs per sector
chart-inputs-groups = Inputs per affected group
chart-deadlines = Deadlines met, late and missed
open-data-title = Open data
open-data-intro = Everything published here can be had whole, in formats machines read, without an account: the whole record as one archive, the recommendations as tables, feeds of publications and calendars of deadlines.
open-data-archive = The whole public record
open-data-archive-format = a tar archive with a SHA-256 manifest
open-data-archive-body = Every published version of every document, every recommendation, every record of a working-group draw and every audit chain, as the public reads them today. To check that nothing was altered:
open-data-exports = Exports and the API
open-data-recommendations-csv = Every recommendation as CSV
open-data-recommendations-json = Every recommendation as JSON
open-data-feeds = Feeds and calendars
open-data-per-state = Per state under review
open-data-per-norm = Per norm
open-data-per-cycle = Per cycle
open-data-atom = Atom feed
glance-caption = Each review's six stages at a glance
deadlines-missed-or-late = Deadlines missed or met late
