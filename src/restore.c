/* restore.c: a whole AccountLedger written back as a new account. */
#include "config.h"

#include <assert.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "account.h"
#include "arena.h"
#include "audit.h"
#include "clock.h"
#include "db.h"
#include "import.h"
#include "kw.h"
#include "org.h"
#include "party.h"
#include "restore.h"
#include "xmlin.h"

enum restore_stmt {
	STMT_RS_DEFER_FK,
	STMT_RS_CONCERN_MAX,
	STMT_RS_ORG_INSERT,
	STMT_RS_IDENT_GET,
	STMT_RS_IDENT_INSERT,
	STMT_RS_USER_INSERT,
	STMT_RS_ACCOUNT_SAME,
	STMT_RS_ACCOUNT_INSERT,
	STMT_RS_CADENCE,
	STMT_RS_OWNER,
	STMT_RS_EXPECTATION,
	STMT_RS_ASSESSMENT,
	STMT_RS_UPDATE,
	STMT_RS_READ,
	STMT_RS_PROMISE,
	STMT_RS_DELIVERY,
	STMT_RS_CHANGE,
	STMT_RS_CONTACT,
	STMT_RS_FEEDBACK,
	STMT_RS_CONCERN,
	STMT_RS_REVIEW,
	STMT_RS_SCORE,
	STMT_RS_ACTION,
	STMT_RS_COMMENT,
	STMT_RS__MAX
};

/*
 * The record inserts bind ?1.. in the order of their struct rspec's
 * columns below (a test prepares each and compares the counts).
 */
static const char *const restore_sql[STMT_RS__MAX] = {
	/* A promise may name a concern the ledger lists after it: its id
	 * is reserved, and the reference checked at the commit. */
	[STMT_RS_DEFER_FK] = "PRAGMA defer_foreign_keys = ON",
	[STMT_RS_CONCERN_MAX] = "SELECT coalesce(max(id), 0) FROM concerns",
	[STMT_RS_ORG_INSERT] =
	    "INSERT INTO orgs (name, created_at) VALUES (?1, ?2)",
	[STMT_RS_IDENT_GET] =
	    "SELECT value FROM org_identifiers WHERE org_id = ?1 "
	    "AND scheme = ?2 AND removed_at IS NULL",
	[STMT_RS_IDENT_INSERT] =
	    "INSERT INTO org_identifiers (org_id, scheme, value, set_at) "
	    "VALUES (?1, ?2, ?3, ?4)",
	/* A person restored: a member who cannot sign in until an
	 * operator sets a password ('!' is no password hash). */
	[STMT_RS_USER_INSERT] =
	    "INSERT INTO users (org_id, email, name, password_hash, "
	    "created_at) VALUES (?1, ?2, ?3, '!', ?4)",
	[STMT_RS_ACCOUNT_SAME] =
	    "SELECT id FROM accounts WHERE buyer_org_id = ?1 "
	    "AND supplier_org_id = ?2 AND title = ?3 AND created_at = ?4",
	[STMT_RS_ACCOUNT_INSERT] =
	    "INSERT INTO accounts (title, buyer_org_id, supplier_org_id, "
	    "cadence, start_date, created_at, external_id) "
	    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
	[STMT_RS_CADENCE] =
	    "INSERT INTO account_cadences (account_id, cadence, from_date, "
	    "set_by, set_at, external_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
	[STMT_RS_OWNER] =
	    "INSERT INTO account_owners (account_id, side, user_id, since, "
	    "until, handover_note, set_by, external_id) "
	    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
	[STMT_RS_EXPECTATION] =
	    "INSERT INTO expectations (account_id, from_side, title, detail, "
	    "target, state, created_by, created_at, acknowledged_by, "
	    "acknowledged_at, retired_by, retired_at, retire_reason, "
	    "external_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, "
	    "?11, ?12, ?13, ?14)",
	[STMT_RS_ASSESSMENT] =
	    "INSERT INTO expectation_assessments (expectation_id, "
	    "period_start, period_end, rating, note, assessed_by, "
	    "assessed_at, external_id) "
	    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
	[STMT_RS_UPDATE] =
	    "INSERT INTO updates (account_id, side, kind, title, body, "
	    "created_by, created_at, withdrawn_at, external_id) "
	    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
	[STMT_RS_READ] =
	    "INSERT INTO update_reads (update_id, user_id, read_at) "
	    "VALUES (?1, ?2, ?3)",
	[STMT_RS_PROMISE] =
	    "INSERT INTO promises (account_id, promisor_side, title, detail, "
	    "due_date, original_due, state, expectation_id, concern_id, "
	    "created_by, created_at, kept_on, on_time, closed_at, "
	    "broken_reason, broken_by, external_id) VALUES (?1, ?2, ?3, ?4, "
	    "?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)",
	[STMT_RS_DELIVERY] =
	    "INSERT INTO promise_deliveries (promise_id, delivered_on, note, "
	    "delivered_by, delivered_at, outcome, reason, decided_by, "
	    "decided_at, external_id) "
	    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
	[STMT_RS_CHANGE] =
	    "INSERT INTO promise_due_changes (promise_id, old_due, new_due, "
	    "reason, proposed_by, proposed_at, outcome, decided_by, "
	    "decided_at, external_id) "
	    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
	[STMT_RS_CONTACT] =
	    "INSERT INTO contacts (account_id, side, contact_date, channel, "
	    "participants, summary, next_step, created_by, created_at, "
	    "withdrawn_at, external_id) "
	    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
	[STMT_RS_FEEDBACK] =
	    "INSERT INTO feedback (account_id, from_side, rating, aspect, "
	    "comment, created_by, created_at, withdrawn_at, external_id) "
	    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
	[STMT_RS_CONCERN] =
	    "INSERT INTO concerns (id, account_id, raised_by_side, title, "
	    "detail, state, resolution, proposed_by, proposed_at, "
	    "reject_reason, created_by, created_at, closed_by, closed_at, "
	    "external_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, "
	    "?11, ?12, ?13, ?14, ?15)",
	[STMT_RS_REVIEW] =
	    "INSERT INTO reviews (account_id, period_start, period_end, "
	    "state, opened_at, opened_by, buyer_signed_by, buyer_signed_at, "
	    "supplier_signed_by, supplier_signed_at, frozen_at, external_id) "
	    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
	[STMT_RS_SCORE] =
	    "INSERT INTO review_scores (review_id, side, fallen_due, "
	    "kept_on_time, kept_late, broken, delivered, still_overdue, "
	    "disputed, renegotiated, integrity, met, partly, not_met, "
	    "unassessed, updates_shared, updates_acknowledged, contacts, "
	    "last_contact, days_since_contact, ratings, rating_mean) "
	    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, "
	    "?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22)",
	[STMT_RS_ACTION] =
	    "INSERT INTO review_actions (review_id, promise_id, external_id) "
	    "VALUES (?1, ?2, ?3)",
	[STMT_RS_COMMENT] =
	    "INSERT INTO comments (account_id, entity, entity_id, side, body, "
	    "created_by, created_at, withdrawn_at, external_id) "
	    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
};

const struct db_stmt_table restore_stmts = {
	"restore", restore_sql, STMT_RS__MAX
};

/* The organisation people of neither party are restored in, unless they
 * are users here already (the demo's operators' organisation). */
#define RESTORE_OPERATORS	"Keepword Operations"

/* ---- what each record's columns are made of ----------------------------- */

/*
 * How the value of one column is read from a record's element. A name
 * "A/B" is the child B of the child A.
 */
enum rk {
	RK_END = 0,
	RK_ACCOUNT,	/* the new account's id */
	RK_PARENT,	/* the id of the record this one is nested in */
	RK_OWN_ID,	/* the id reserved for this record (a concern) */
	RK_ENTITY,	/* the entity name of the parent (for comments) */
	RK_SIDE,	/* the record's side */
	RK_TEXT,	/* text; NULL if absent */
	RK_TEXT0,	/* text; "" if absent */
	RK_TOKEN,	/* collapsed text (codes, dates, ids); NULL if absent */
	RK_TOKEN0,	/* the same, "" if absent */
	RK_STAMP,	/* the moment <name>Date, <name>Time; NULL if absent */
	RK_NOW,		/* the same; the time of the restore if absent */
	RK_PERSON,	/* the user a Person names; NULL if absent */
	RK_PERSON_REQ,	/* the same, required */
	RK_INT,		/* an integer; NULL if absent */
	RK_INTM1,	/* an integer; -1 if absent */
	RK_REAL0,	/* a decimal; 0 if absent */
	RK_BOOL,	/* true or false as 1 or 0; NULL if absent */
	RK_EXPECTATION,	/* an ExpectationReference; NULL if absent */
	RK_CONCERN,	/* a ConcernReference; NULL if absent */
	RK_PROMISE	/* a PromiseReference, required */
};

/* The side a person must be on. */
enum who {
	W_ANY = 0,	/* any: a party's user, or a user of this database */
	W_SELF,		/* the record's side */
	W_OTHER,	/* the other side */
	W_BUYER,
	W_SUPPLIER
};

struct rcol {
	enum rk		 kind;
	const char	*name;
	enum who	 who;
};

/* Which map a record's ID goes into, for references to it. */
enum rmap {
	MAP_NONE = 0,
	MAP_EXPECTATION,
	MAP_PROMISE,
	MAP_CONCERN
};

struct rs;

/* How one kind of record is restored. */
struct rspec {
	const char		*element;
	int			 sid;		/* its insert */
	const char		*side_code;	/* names its side; NULL: the
						   parent's */
	const struct rcol	*cols;		/* ?1.. in order */
	const char		*entity;	/* of its comments; NULL:
						   none */
	const struct rspec *const *kids;	/* nested parts, NULL-ended */
	enum rmap		 map;
	enum kw_status		(*check)(struct rs *, xmlNodePtr);
};

#define C(k, n)		{ RK_##k, n, W_ANY }
#define P(k, n, w)	{ RK_##k, n, W_##w }
#define END		{ RK_END, NULL, W_ANY }

static enum kw_status check_promise(struct rs *, xmlNodePtr);

static const struct rspec comment_s = {
	"Comment", STMT_RS_COMMENT, "AuthorSideCode", (const struct rcol[]){
	C(ACCOUNT, NULL), C(ENTITY, NULL), C(PARENT, NULL), C(SIDE, NULL),
	C(TEXT0, "BodyText"), P(PERSON_REQ, "CreatedByPerson", SELF),
	C(NOW, "Creation"), C(STAMP, "Withdrawal"), C(TOKEN, "ExternalID"),
	END }, NULL, NULL, MAP_NONE, NULL
};

static const struct rspec cadence_s = {
	"AccountCadence", STMT_RS_CADENCE, NULL, (const struct rcol[]){
	C(ACCOUNT, NULL), C(TOKEN, "ReviewCadenceCode"),
	C(TOKEN, "EffectiveDate"), P(PERSON, "CreatedByPerson", ANY),
	C(NOW, "Creation"), C(TOKEN, "ExternalID"), END },
	NULL, NULL, MAP_NONE, NULL
};

static const struct rspec owner_s = {
	"AccountOwner", STMT_RS_OWNER, "SideCode", (const struct rcol[]){
	C(ACCOUNT, NULL), C(SIDE, NULL), P(PERSON_REQ, "OwnerPerson", SELF),
	C(NOW, "Start"), C(STAMP, "End"), C(TEXT, "HandoverNoteText"),
	P(PERSON, "AssignedByPerson", ANY), C(TOKEN, "ExternalID"), END },
	NULL, NULL, MAP_NONE, NULL
};

static const struct rspec assessment_s = {
	"ExpectationAssessment", STMT_RS_ASSESSMENT, NULL,
	(const struct rcol[]){
	C(PARENT, NULL), C(TOKEN, "AssessmentPeriod/StartDate"),
	C(TOKEN, "AssessmentPeriod/EndDate"), C(TOKEN, "RatingCode"),
	C(TEXT0, "NoteText"), P(PERSON_REQ, "AssessedByPerson", SELF),
	C(NOW, "Assessment"), C(TOKEN, "ExternalID"), END },
	NULL, NULL, MAP_NONE, NULL
};

static const struct rspec expectation_s = {
	"Expectation", STMT_RS_EXPECTATION, "ExpectingSideCode",
	(const struct rcol[]){
	C(ACCOUNT, NULL), C(SIDE, NULL), C(TEXT0, "TitleText"),
	C(TEXT0, "DetailText"), C(TEXT0, "TargetText"),
	C(TOKEN, "StatusCode"), P(PERSON_REQ, "CreatedByPerson", SELF),
	C(NOW, "Creation"), P(PERSON, "AcknowledgedByPerson", OTHER),
	C(STAMP, "Acknowledgement"), P(PERSON, "RetiredByPerson", SELF),
	C(STAMP, "Retirement"), C(TEXT, "RetirementReasonText"),
	C(TOKEN, "ExternalID"), END },
	"expectation", (const struct rspec *const[]){ &assessment_s, NULL },
	MAP_EXPECTATION, NULL
};

static const struct rspec read_s = {
	"UpdateAcknowledgement", STMT_RS_READ, NULL, (const struct rcol[]){
	C(PARENT, NULL), P(PERSON_REQ, "AcknowledgedByPerson", OTHER),
	C(NOW, "Acknowledgement"), END }, NULL, NULL, MAP_NONE, NULL
};

static const struct rspec update_s = {
	"Update", STMT_RS_UPDATE, "AuthorSideCode", (const struct rcol[]){
	C(ACCOUNT, NULL), C(SIDE, NULL), C(TOKEN, "UpdateTypeCode"),
	C(TEXT0, "TitleText"), C(TEXT0, "BodyText"),
	P(PERSON_REQ, "CreatedByPerson", SELF), C(NOW, "Creation"),
	C(STAMP, "Withdrawal"), C(TOKEN, "ExternalID"), END },
	"update", (const struct rspec *const[]){ &read_s, NULL },
	MAP_NONE, NULL
};

static const struct rspec delivery_s = {
	"PromiseDelivery", STMT_RS_DELIVERY, NULL, (const struct rcol[]){
	C(PARENT, NULL), C(TOKEN, "DeliveryDate"), C(TEXT0, "NoteText"),
	P(PERSON_REQ, "DeliveredByPerson", SELF), C(NOW, "Report"),
	C(TOKEN, "OutcomeCode"), C(TEXT, "DisputeReasonText"),
	P(PERSON, "DecidedByPerson", OTHER), C(STAMP, "Decision"),
	C(TOKEN, "ExternalID"), END }, NULL, NULL, MAP_NONE, NULL
};

static const struct rspec change_s = {
	"PromiseDueDateChange", STMT_RS_CHANGE, NULL, (const struct rcol[]){
	C(PARENT, NULL), C(TOKEN, "PreviousDueDate"),
	C(TOKEN, "ProposedDueDate"), C(TEXT0, "ReasonText"),
	P(PERSON_REQ, "ProposedByPerson", SELF), C(NOW, "Proposal"),
	C(TOKEN, "OutcomeCode"), P(PERSON, "DecidedByPerson", OTHER),
	C(STAMP, "Decision"), C(TOKEN, "ExternalID"), END },
	NULL, NULL, MAP_NONE, NULL
};

static const struct rspec promise_s = {
	"Promise", STMT_RS_PROMISE, "PromisorSideCode", (const struct rcol[]){
	C(ACCOUNT, NULL), C(SIDE, NULL), C(TEXT0, "TitleText"),
	C(TEXT0, "DetailText"), C(TOKEN, "DueDate"),
	C(TOKEN, "OriginalDueDate"), C(TOKEN, "StatusCode"),
	C(EXPECTATION, "ExpectationReference"),
	C(CONCERN, "ConcernReference"), P(PERSON_REQ, "CreatedByPerson", SELF),
	C(NOW, "Creation"), C(TOKEN, "KeptDate"), C(BOOL, "OnTimeIndicator"),
	C(STAMP, "Closure"), C(TEXT, "BrokenReasonText"),
	P(PERSON, "BrokenByPerson", SELF), C(TOKEN, "ExternalID"), END },
	"promise", (const struct rspec *const[]){ &delivery_s, &change_s,
	NULL }, MAP_PROMISE, check_promise
};

static const struct rspec contact_s = {
	"Contact", STMT_RS_CONTACT, "AuthorSideCode", (const struct rcol[]){
	C(ACCOUNT, NULL), C(SIDE, NULL), C(TOKEN, "ContactDate"),
	C(TOKEN, "ChannelCode"), C(TEXT0, "ParticipantsText"),
	C(TEXT0, "SummaryText"), C(TEXT0, "NextStepText"),
	P(PERSON_REQ, "CreatedByPerson", SELF), C(NOW, "Creation"),
	C(STAMP, "Withdrawal"), C(TOKEN, "ExternalID"), END },
	"contact", NULL, MAP_NONE, NULL
};

static const struct rspec feedback_s = {
	"Feedback", STMT_RS_FEEDBACK, "AuthorSideCode", (const struct rcol[]){
	C(ACCOUNT, NULL), C(SIDE, NULL), C(INT, "RatingNumeric"),
	C(TOKEN, "AspectCode"), C(TEXT0, "NoteText"),
	P(PERSON_REQ, "CreatedByPerson", SELF), C(NOW, "Creation"),
	C(STAMP, "Withdrawal"), C(TOKEN, "ExternalID"), END },
	"feedback", NULL, MAP_NONE, NULL
};

static const struct rspec concern_s = {
	"Concern", STMT_RS_CONCERN, "RaisingSideCode", (const struct rcol[]){
	C(OWN_ID, NULL), C(ACCOUNT, NULL), C(SIDE, NULL),
	C(TEXT0, "TitleText"), C(TEXT0, "DetailText"),
	C(TOKEN, "StatusCode"), C(TEXT, "ResolutionText"),
	P(PERSON, "ProposedByPerson", OTHER), C(STAMP, "Proposal"),
	C(TEXT, "RejectionReasonText"), P(PERSON_REQ, "CreatedByPerson", SELF),
	C(NOW, "Creation"), P(PERSON, "ClosedByPerson", SELF),
	C(STAMP, "Closure"), C(TOKEN, "ExternalID"), END },
	"concern", NULL, MAP_CONCERN, NULL
};

static const struct rspec score_s = {
	"Scorecard", STMT_RS_SCORE, NULL, (const struct rcol[]){
	C(PARENT, NULL), C(TOKEN, "SideCode"), C(INT, "FallenDueQuantity"),
	C(INT, "KeptOnTimeQuantity"), C(INT, "KeptLateQuantity"),
	C(INT, "BrokenQuantity"), C(INT, "DeliveredQuantity"),
	C(INT, "StillOverdueQuantity"), C(INT, "DisputedQuantity"),
	C(INT, "RenegotiatedQuantity"), C(INTM1, "IntegrityPercent"),
	C(INT, "MetQuantity"), C(INT, "PartlyMetQuantity"),
	C(INT, "NotMetQuantity"), C(INT, "UnassessedQuantity"),
	C(INT, "SharedUpdateQuantity"), C(INT, "AcknowledgedUpdateQuantity"),
	C(INT, "ContactQuantity"), C(TOKEN0, "LastContactDate"),
	C(INTM1, "DaysSinceContactQuantity"), C(INT, "RatingQuantity"),
	C(REAL0, "RatingMeanNumeric"), END }, NULL, NULL, MAP_NONE, NULL
};

static const struct rspec action_s = {
	"ReviewAction", STMT_RS_ACTION, NULL, (const struct rcol[]){
	C(PARENT, NULL), C(PROMISE, "PromiseReference"),
	C(TOKEN, "ExternalID"), END }, NULL, NULL, MAP_NONE, NULL
};

static const struct rspec review_s = {
	"Review", STMT_RS_REVIEW, NULL, (const struct rcol[]){
	C(ACCOUNT, NULL), C(TOKEN, "ReviewPeriod/StartDate"),
	C(TOKEN, "ReviewPeriod/EndDate"), C(TOKEN, "StatusCode"),
	C(NOW, "Opening"), P(PERSON, "OpenedByPerson", ANY),
	P(PERSON, "BuyerSignature/SignedByPerson", BUYER),
	C(STAMP, "BuyerSignature/Signature"),
	P(PERSON, "SellerSignature/SignedByPerson", SUPPLIER),
	C(STAMP, "SellerSignature/Signature"), C(STAMP, "Freeze"),
	C(TOKEN, "ExternalID"), END },
	"review", (const struct rspec *const[]){ &score_s, &action_s, NULL },
	MAP_NONE, NULL
};

/* The records of a ledger after its Account, in the schema's order. */
static const struct rspec *const records[] = {
	&expectation_s, &update_s, &promise_s, &contact_s, &feedback_s,
	&concern_s, &review_s, NULL
};

/* ---- maps of the ledger's ids to this database's ------------------------ */

/* An open-addressing hash map of positive ids to values (0 = none). */
struct idmap {
	long long	*k, *v;
	size_t		 cap, n;
};

static size_t
slot(const struct idmap *m, long long k)
{
	uint64_t h = (uint64_t)k * 0x9e3779b97f4a7c15ULL;
	size_t i = (size_t)(h >> 17) & (m->cap - 1);

	while (m->k[i] != 0 && m->k[i] != k)
		i = (i + 1) & (m->cap - 1);
	return i;
}

/* The value of k; 0 if none. */
static long long
map_get(const struct idmap *m, long long k)
{
	return m->cap == 0 ? 0 : m->v[slot(m, k)];
}

/* Set k (> 0) to v, growing the map. */
static void
map_put(struct idmap *m, long long k, long long v)
{
	struct idmap old = *m;
	size_t i;

	assert(k > 0);
	if (2 * (m->n + 1) > m->cap) {
		m->cap = m->cap == 0 ? 64 : 2 * m->cap;
		m->k = xcalloc(m->cap, sizeof(*m->k));
		m->v = xcalloc(m->cap, sizeof(*m->v));
		m->n = 0;
		for (i = 0; i < old.cap; i++)
			if (old.k[i] != 0)
				map_put(m, old.k[i], old.v[i]);
		free(old.k);
		free(old.v);
	}
	i = slot(m, k);
	if (m->k[i] == 0) {
		m->k[i] = k;
		m->n++;
	}
	m->v[i] = v;
}

static void
map_free(struct idmap *m)
{
	free(m->k);
	free(m->v);
}

/* ---- a restore under way ------------------------------------------------ */

struct rs {
	struct db		*db;
	struct arena		*a;	/* the report's */
	struct arena		*tmp;	/* one record's */
	struct import_report	*rep;
	char			 now[32];
	long long		 account;	/* the new one; 0 until read */
	long long		 org[SIDE__MAX];	/* the parties' orgs, */
	struct account		 acct;		/*   as account_org_side()
						   reads them */
	long long		 next_concern;	/* the next id to reserve */
	long long		 operators;	/* RESTORE_OPERATORS' id */
	struct idmap		 people;	/* the ledger's person ids */
	struct idmap		 people_org;	/*   and their orgs here */
	struct idmap		 ids[MAP_CONCERN + 1];	/* by enum rmap */
	struct idmap		 concern_done;	/* concerns written */
	struct idmap		 concern_line;	/* first referred to on */
};


/* An error about a node of the document (import.h). */
#define FAIL	IMPORT_FAIL

/* The error of a database status ret while restoring node. */
static enum kw_status
db_failed(struct rs *x, xmlNodePtr node, enum kw_status ret)
{
	if (ret == KW_CONFLICT)
		return FAIL(x, node, ret, "it cannot be restored: it "
		    "conflicts with what this database holds (the same "
		    "ExternalID, period or person twice, or an impossible "
		    "value).");
	if (ret == KW_BUSY)
		return FAIL(x, node, ret, "the database is busy; try again.");
	return FAIL(x, node, ret, "the database failed (%s).",
	    kw_status_str(ret));
}

struct restore *
restore_new(struct db *db, struct arena *a, struct import_report *rep)
{
	struct rs *x;

	if ((x = calloc(1, sizeof(*x))) == NULL)
		return NULL;
	if ((x->tmp = arena_new(16 * 1024, 0)) == NULL) {
		free(x);
		return NULL;
	}
	x->db = db;
	x->a = a;
	x->rep = rep;
	clock_iso(clock_now(), x->now, sizeof(x->now));
	return (struct restore *)x;
}

void
restore_free(struct restore *r)
{
	struct rs *x = (struct rs *)r;
	size_t i;

	if (x == NULL)
		return;
	map_free(&x->people);
	map_free(&x->people_org);
	for (i = 0; i <= MAP_CONCERN; i++)
		map_free(&x->ids[i]);
	map_free(&x->concern_done);
	map_free(&x->concern_line);
	arena_free(x->tmp);
	free(x);
}

/* The element at path ("A" or "A/B") under node, into *leaf the last
 * name and the return value its parent; NULL when a step is absent. */
static xmlNodePtr
at(struct rs *x, xmlNodePtr node, const char *path, const char **leaf)
{
	const char *slash = strchr(path, '/');

	if (slash == NULL) {
		*leaf = path;
		return node;
	}
	*leaf = slash + 1;
	return xmlin_child(node, arena_xstrndup(x->tmp, path,
	    (size_t)(slash - path)));
}

/* The org called name, into *id: found (org_by_name()), or created;
 * an error is reported about p. */
static enum kw_status
org_named(struct rs *x, xmlNodePtr p, const char *name, long long *id)
{
	struct org o;
	sqlite3_stmt *st;
	enum kw_status ret;

	if ((ret = org_by_name(x->db, x->tmp, name, &o)) == KW_OK) {
		*id = o.id;
		return KW_OK;
	}
	if (ret != KW_NOTFOUND)
		return db_failed(x, p, ret);
	if ((st = db_stmt(x->db, &restore_stmts, STMT_RS_ORG_INSERT)) !=
	    NULL) {
		db_bind_text(st, 1, name);
		db_bind_text(st, 2, x->now);
	}
	if ((ret = st == NULL ? KW_INTERNAL : db_exec(x->db, st)) != KW_OK)
		return db_failed(x, p, ret);
	*id = db_last_id(x->db);
	return KW_OK;
}

/*
 * The organisation of the people a ledger names who are of neither party
 * and not users here: someone who set an account's cadence or owner
 * without being of a party can only be an operator. Found by its name
 * RESTORE_OPERATORS, or created; 0 after an error (reported) about p.
 */
static long long
operators(struct rs *x, xmlNodePtr p)
{
	if (x->operators == 0 &&
	    org_named(x, p, RESTORE_OPERATORS, &x->operators) != KW_OK)
		return 0;
	return x->operators;
}

/*
 * The user Person p names, into v[0] and their org into v[1]: the one
 * with its email here, else a new user of the party its SideCode names
 * (of RESTORE_OPERATORS for a person of neither party).
 */
static enum kw_status
find_person(struct rs *x, xmlNodePtr p, long long v[2])
{
	sqlite3_stmt *st;
	const char *email = xmlin_token(x->tmp, p, "ElectronicMailText");
	const char *name = xmlin_text(x->tmp, p, "Name");
	enum account_side ps = (enum account_side)xmlin_code(x->tmp, p,
	    "SideCode", account_side_names, SIDE__MAX);
	struct user u;
	enum kw_status ret;
	const char *lc;

	if (email == NULL)
		return FAIL(x, p, KW_BADREQ, "%s has no email: only a ledger "
		    "exported with kwctl export, which names everyone's "
		    "email, can be restored.", name);
	if ((lc = user_email_norm(x->tmp, email)) == NULL)
		return FAIL(x, p, KW_BADREQ, "%s is not an email address "
		    "Keepword accepts.", email);
	if ((ret = user_by_email(x->db, x->tmp, lc, &u)) == KW_OK) {
		v[0] = u.id;
		v[1] = u.org_id;
	} else if (ret != KW_NOTFOUND)
		return db_failed(x, p, ret);
	if (v[0] > 0 && ps != SIDE__MAX && v[1] != x->org[ps])
		return FAIL(x, p, KW_CONFLICT, "%s is a user of another "
		    "organisation in this database.", lc);
	if (v[0] > 0)
		return KW_OK;
	if ((v[1] = ps != SIDE__MAX ? x->org[ps] : operators(x, p)) == 0)
		return x->rep->status;
	if ((st = db_stmt(x->db, &restore_stmts, STMT_RS_USER_INSERT)) !=
	    NULL) {
		db_bind_int(st, 1, v[1]);
		db_bind_text(st, 2, lc);
		db_bind_text(st, 3, name);
		db_bind_text(st, 4, x->now);
	}
	if ((ret = st == NULL ? KW_INTERNAL : db_exec(x->db, st)) ==
	    KW_CONFLICT)
		return FAIL(x, p, KW_BADREQ, "%s is not an email address "
		    "Keepword accepts.", lc);
	if (ret != KW_OK)
		return db_failed(x, p, ret);
	v[0] = db_last_id(x->db);
	return KW_OK;
}

/*
 * The user Person p names, into *uid (find_person(), once per person of
 * the ledger), who must be on the side who says, side being the
 * record's.
 */
static enum kw_status
person(struct rs *x, xmlNodePtr p, enum who who, enum account_side side,
    long long *uid)
{
	static const char *const whose[] = {
		[W_ANY] = NULL, [W_SELF] = "its own side's",
		[W_OTHER] = "the other side's", [W_BUYER] = "the buyer's",
		[W_SUPPLIER] = "the supplier's",
	};
	enum account_side ps, want = SIDE__MAX;
	long long src = 0, v[2] = { 0, 0 };
	enum kw_status ret;

	if (xmlin_int(p, "ID", 1, INT64_MAX, &src) != 0)
		src = 0;
	if (src > 0 && (v[0] = map_get(&x->people, src)) > 0)
		v[1] = map_get(&x->people_org, src);
	else if ((ret = find_person(x, p, v)) != KW_OK)
		return ret;
	else if (src > 0) {
		map_put(&x->people, src, v[0]);
		map_put(&x->people_org, src, v[1]);
	}
	ps = account_org_side(&x->acct, v[1]);
	if (who == W_SELF)
		want = side;
	else if (who == W_OTHER)
		want = account_other_side(side);
	else if (who != W_ANY)
		want = who == W_BUYER ? SIDE_BUYER : SIDE_SUPPLIER;
	if (who != W_ANY && ps != want)
		return FAIL(x, p, KW_BADREQ, "this step is %s (%s), but %s is "
		    "of %s.", whose[who], account_side_name(want),
		    xmlin_text(x->tmp, p, "Name"), ps == SIDE__MAX ?
		    "neither party" : account_side_name(ps));
	*uid = v[0];
	return KW_OK;
}

/* The id this database gives the ledger's concern src: the one it was
 * written with, or reserved when first referred to (on line). */
static long long
concern_id(struct rs *x, long long src, long line)
{
	long long id = map_get(&x->ids[MAP_CONCERN], src);

	if (id == 0) {
		id = x->next_concern++;
		map_put(&x->ids[MAP_CONCERN], src, id);
		map_put(&x->concern_line, src, line > 0 ? line : 1);
	}
	return id;
}

/*
 * The record a reference ref names, among those of map m written so
 * far (a concern may come later: its id is reserved), into *id; 0 when
 * ref is absent.
 */
static enum kw_status
reference(struct rs *x, xmlNodePtr ref, enum rmap m, long long *id)
{
	long long src;

	*id = 0;
	if (ref == NULL)
		return KW_OK;
	if (xmlin_int(ref, "ID", 1, INT64_MAX, &src) != 0)
		return FAIL(x, ref, KW_BADREQ, "a restored ledger names each "
		    "record by its ID.");
	if (m == MAP_CONCERN)
		*id = concern_id(x, src, xmlin_line(ref));
	else
		*id = map_get(&x->ids[m], src);
	if (*id == 0)
		return FAIL(x, ref, KW_NOTFOUND, "it names record %lld, which "
		    "is not before it in the ledger.", src);
	return KW_OK;
}

/* Bind the value of column c (?i) of the record node to st. */
static enum kw_status
bind_col(struct rs *x, sqlite3_stmt *st, int i, const struct rcol *c,
    xmlNodePtr node, long long parent, const char *entity,
    enum account_side side, long long own)
{
	xmlNodePtr el;
	const char *leaf = NULL, *s;
	long long v = 0;
	enum kw_status ret;
	int rc;

	el = c->name != NULL ? at(x, node, c->name, &leaf) : node;
	switch (c->kind) {
	case RK_ACCOUNT:
		db_bind_int(st, i, x->account);
		break;
	case RK_PARENT:
		db_bind_int(st, i, parent);
		break;
	case RK_OWN_ID:
		db_bind_int(st, i, own);
		break;
	case RK_ENTITY:
		db_bind_text(st, i, entity);
		break;
	case RK_SIDE:
		db_bind_text(st, i, account_side_name(side));
		break;
	case RK_TEXT:
	case RK_TEXT0:
		s = el != NULL ? xmlin_text(x->tmp, el, leaf) : NULL;
		db_bind_text(st, i, s == NULL && c->kind == RK_TEXT0 ? "" : s);
		break;
	case RK_TOKEN:
	case RK_TOKEN0:
		s = el != NULL ? xmlin_token(x->tmp, el, leaf) : NULL;
		db_bind_text(st, i, s == NULL && c->kind == RK_TOKEN0 ? "" :
		    s);
		break;
	case RK_STAMP:
	case RK_NOW:
		s = el != NULL ? xmlin_stamp(x->tmp, el, leaf) : NULL;
		db_bind_text(st, i, s == NULL && c->kind == RK_NOW ? x->now :
		    s);
		break;
	case RK_PERSON:
	case RK_PERSON_REQ:
		if ((el = xmlin_child(el, leaf)) == NULL) {
			if (c->kind == RK_PERSON_REQ)
				return FAIL(x, node, KW_BADREQ, "%s is needed "
				    "to restore it.", c->name);
			sqlite3_bind_null(st, i);
			break;
		}
		if ((ret = person(x, el, c->who, side, &v)) != KW_OK)
			return ret;
		db_bind_int(st, i, v);
		break;
	case RK_INT:
	case RK_INTM1:
		rc = xmlin_int(el, leaf, INT64_MIN + 1, INT64_MAX, &v);
		if (rc < 0)
			return FAIL(x, node, KW_BADREQ, "%s is out of range.",
			    c->name);
		if (rc == 0 || c->kind == RK_INTM1)
			db_bind_int(st, i, rc == 0 ? v : -1);
		break;
	case RK_REAL0:
		s = el != NULL ? xmlin_token(x->tmp, el, leaf) : NULL;
		sqlite3_bind_double(st, i, s != NULL ? strtod(s, NULL) : 0.0);
		break;
	case RK_BOOL:
		if ((s = el != NULL ? xmlin_token(x->tmp, el, leaf) : NULL) !=
		    NULL)
			db_bind_int(st, i, strcmp(s, "true") == 0 ||
			    strcmp(s, "1") == 0);
		break;
	case RK_EXPECTATION:
	case RK_CONCERN:
	case RK_PROMISE:
		if ((ret = reference(x, xmlin_child(el, leaf),
		    c->kind == RK_EXPECTATION ? MAP_EXPECTATION :
		    c->kind == RK_CONCERN ? MAP_CONCERN : MAP_PROMISE, &v)) !=
		    KW_OK)
			return ret;
		db_bind_id(st, i, v);
		break;
	case RK_END:
		break;
	}
	return KW_OK;
}

/*
 * Write record node of kind s, nested in parent (its id, side and entity
 * name), then everything nested in it; *id (may be NULL) gets its id.
 */
static enum kw_status
write_rec(struct rs *x, xmlNodePtr node, const struct rspec *s,
    long long parent, enum account_side pside, const char *pentity,
    long long *id)
{
	const struct rspec *const *k;
	const struct rcol *c;
	sqlite3_stmt *st;
	xmlNodePtr kid;
	enum account_side side = pside;
	long long src = 0, own = 0, nid;
	enum kw_status ret;
	int i;

	if (s->side_code != NULL && (side = (enum account_side)xmlin_code(
	    x->tmp, node, s->side_code, account_side_names, SIDE__MAX)) ==
	    SIDE__MAX)
		return FAIL(x, node, KW_BADREQ, "%s names no side.",
		    s->side_code);
	if (s->check != NULL && (ret = s->check(x, node)) != KW_OK)
		return ret;
	if (s->map != MAP_NONE &&
	    xmlin_int(node, "ID", 1, INT64_MAX, &src) != 0)
		return FAIL(x, node, KW_BADREQ, "a restored ledger names each "
		    "record by its ID.");
	if (s->map == MAP_CONCERN)
		own = concern_id(x, src, 0);
	if ((st = db_stmt(x->db, &restore_stmts, s->sid)) == NULL)
		return db_failed(x, node, KW_INTERNAL);
	for (i = 1, c = s->cols; c->kind != RK_END; c++, i++)
		if ((ret = bind_col(x, st, i, c, node, parent, pentity, side,
		    own)) != KW_OK) {
			db_stmt_done(st);
			return ret;
		}
	/* The columns must match the statement: a bug if not. */
	assert(sqlite3_bind_parameter_count(st) == i - 1);
	if ((ret = db_exec(x->db, st)) != KW_OK)
		return db_failed(x, node, ret);
	nid = own != 0 ? own : db_last_id(x->db);
	if (s->map == MAP_CONCERN)
		map_put(&x->concern_done, src, 1);
	else if (s->map != MAP_NONE)
		map_put(&x->ids[s->map], src, nid);
	for (k = s->kids; k != NULL && *k != NULL; k++)
		for (kid = xmlin_child(node, (*k)->element); kid != NULL;
		    kid = xmlin_next(kid, (*k)->element))
			if ((ret = write_rec(x, kid, *k, nid, side, s->entity,
			    NULL)) != KW_OK)
				return ret;
	if (s->entity != NULL)
		for (kid = xmlin_child(node, "Comment"); kid != NULL;
		    kid = xmlin_next(kid, "Comment"))
			if ((ret = write_rec(x, kid, &comment_s, nid, side,
			    s->entity, NULL)) != KW_OK)
				return ret;
	if (id != NULL)
		*id = nid;
	return KW_OK;
}

/*
 * A promise's StatusCode must agree with its last delivery (kept with a
 * confirmed one, delivered with one awaiting an answer...): the state
 * machine's outcome, as the ledger that issued it kept it.
 */
static enum kw_status
check_promise(struct rs *x, xmlNodePtr node)
{
	static const char *const agree[][2] = {
		{ "open", "" }, { "delivered", "pending" },
		{ "disputed", "disputed" }, { "kept", "confirmed" },
		{ "broken", "" }, { "broken", "disputed" },
	};
	xmlNodePtr d, last = NULL;
	const char *state = xmlin_token(x->tmp, node, "StatusCode");
	const char *outcome = "";
	size_t i;

	for (d = xmlin_child(node, "PromiseDelivery"); d != NULL;
	    d = xmlin_next(d, "PromiseDelivery"))
		last = d;
	if (last != NULL)
		outcome = xmlin_token(x->tmp, last, "OutcomeCode");
	for (i = 0; i < sizeof(agree) / sizeof(agree[0]); i++)
		if (strcmp(agree[i][0], state) == 0 &&
		    strcmp(agree[i][1], outcome) == 0)
			return KW_OK;
	return FAIL(x, node, KW_BADREQ, "StatusCode %s does not agree with "
	    "its last delivery (%s).", state, *outcome != '\0' ? outcome :
	    "none");
}

/* ---- the account -------------------------------------------------------- */

/*
 * The organisation of party p (a BuyerCustomerParty's or
 * SellerSupplierParty's Party): by its name, or created; each of its
 * identifiers, in the form the portal keeps (party_id_normalise()),
 * recorded unless it has that one (another value for the scheme is a
 * conflict, one the portal would refuse is bad).
 */
static enum kw_status
party(struct rs *x, xmlNodePtr p, long long *org)
{
	sqlite3_stmt *st;
	xmlNodePtr pi, idn;
	const char *name, *scheme, *value, *rec;
	char v[PARTY_VALUE_MAX + 1];
	enum kw_status ret;
	int rc, sch;

	name = xmlin_text(x->tmp, xmlin_child(p, "PartyName"), "Name");
	if ((ret = org_named(x, p, name, org)) != KW_OK)
		return ret;
	for (pi = xmlin_child(p, "PartyIdentification"); pi != NULL;
	    pi = xmlin_next(pi, "PartyIdentification")) {
		idn = xmlin_child(pi, "ID");
		scheme = xmlin_attr(x->tmp, idn, "schemeID");
		value = xmlin_token(x->tmp, pi, "ID");
		if ((sch = kw_name_index(party_scheme_names, scheme)) < 0 ||
		    party_id_normalise((enum party_scheme)sch, value, v) !=
		    KW_OK)
			return FAIL(x, pi, KW_BADREQ, "%s is not a valid %s.",
			    value != NULL ? value : "", scheme != NULL ?
			    scheme : "identifier");
		value = v;
		if ((st = db_stmt(x->db, &restore_stmts,
		    STMT_RS_IDENT_GET)) == NULL)
			return db_failed(x, pi, KW_INTERNAL);
		db_bind_int(st, 1, *org);
		db_bind_text(st, 2, scheme);
		rec = NULL;
		if ((rc = db_step(x->db, st)) == SQLITE_ROW)
			rec = db_col_text(x->tmp, st, 0);
		db_stmt_done(st);
		if (rc != SQLITE_ROW && rc != SQLITE_DONE)
			return db_failed(x, pi, db_status(rc));
		if (rec != NULL && strcmp(rec, value) == 0)
			continue;
		if (rec != NULL)
			return FAIL(x, pi, KW_CONFLICT, "%s is known here with "
			    "%s %s, not %s.", name, scheme, rec, value);
		if ((st = db_stmt(x->db, &restore_stmts,
		    STMT_RS_IDENT_INSERT)) != NULL) {
			db_bind_int(st, 1, *org);
			db_bind_text(st, 2, scheme);
			db_bind_text(st, 3, value);
			db_bind_text(st, 4, x->now);
		}
		if ((ret = st == NULL ? KW_INTERNAL : db_exec(x->db, st)) !=
		    KW_OK)
			return db_failed(x, pi, ret);
	}
	return KW_OK;
}

/*
 * The Account: its parties, the account itself (unless this database
 * has it already: the same parties, title and creation), its cadences
 * and owners.
 */
static enum kw_status
restore_account(struct rs *x, xmlNodePtr node)
{
	static const char *const party_el[SIDE__MAX] = {
		[SIDE_BUYER] = "BuyerCustomerParty",
		[SIDE_SUPPLIER] = "SellerSupplierParty",
	};
	sqlite3_stmt *st;
	xmlNodePtr kid;
	const char *title = xmlin_text(x->tmp, node, "TitleText");
	const char *created = xmlin_stamp(x->tmp, node, "Creation");
	const char *cadence = xmlin_token(x->tmp, node, "ReviewCadenceCode");
	const char *start = xmlin_token(x->tmp, node, "StartDate");
	long long same = 0;
	enum kw_status ret;
	int side;

	if (x->account != 0)
		return FAIL(x, node, KW_BADREQ, "a ledger has one Account.");
	if (created == NULL)
		created = x->now;
	for (side = 0; side < SIDE__MAX; side++)
		if ((ret = party(x, xmlin_child(xmlin_child(node,
		    party_el[side]), "Party"), &x->org[side])) != KW_OK)
			return ret;
	x->acct.buyer_org_id = x->org[SIDE_BUYER];
	x->acct.supplier_org_id = x->org[SIDE_SUPPLIER];
	if (x->org[SIDE_BUYER] == x->org[SIDE_SUPPLIER])
		return FAIL(x, node, KW_BADREQ, "the buyer and the supplier "
		    "are the same organisation.");
	if ((st = db_stmt(x->db, &restore_stmts, STMT_RS_ACCOUNT_SAME)) !=
	    NULL) {
		db_bind_int(st, 1, x->org[SIDE_BUYER]);
		db_bind_int(st, 2, x->org[SIDE_SUPPLIER]);
		db_bind_text(st, 3, title);
		db_bind_text(st, 4, created);
	}
	if ((ret = db_ints(x->db, st, &same, 1)) != KW_OK)
		return db_failed(x, node, ret);
	if (same != 0)
		return FAIL(x, node, KW_CONFLICT, "this account was restored "
		    "already, as account %lld: nothing was changed.", same);
	if ((st = db_stmt(x->db, &restore_stmts, STMT_RS_ACCOUNT_INSERT)) !=
	    NULL) {
		db_bind_text(st, 1, title);
		db_bind_int(st, 2, x->org[SIDE_BUYER]);
		db_bind_int(st, 3, x->org[SIDE_SUPPLIER]);
		db_bind_text(st, 4, cadence);
		db_bind_text(st, 5, start);
		db_bind_text(st, 6, created);
		db_bind_text(st, 7, xmlin_token(x->tmp, node, "ExternalID"));
	}
	if ((ret = st == NULL ? KW_INTERNAL : db_exec(x->db, st)) != KW_OK)
		return db_failed(x, node, ret);
	x->account = db_last_id(x->db);
	x->rep->account_id = x->account;

	/* The cadence history: as the ledger has it, or the one the
	 * account opened with. */
	if ((kid = xmlin_child(node, "AccountCadence")) == NULL) {
		if ((st = db_stmt(x->db, &restore_stmts, STMT_RS_CADENCE)) !=
		    NULL) {
			db_bind_int(st, 1, x->account);
			db_bind_text(st, 2, cadence);
			db_bind_text(st, 3, start);
			db_bind_text(st, 5, created);
		}
		if ((ret = st == NULL ? KW_INTERNAL : db_exec(x->db, st)) !=
		    KW_OK)
			return db_failed(x, node, ret);
	}
	for (; kid != NULL; kid = xmlin_next(kid, "AccountCadence"))
		if ((ret = write_rec(x, kid, &cadence_s, 0, SIDE__MAX, NULL,
		    NULL)) != KW_OK)
			return ret;
	for (kid = xmlin_child(node, "AccountOwner"); kid != NULL;
	    kid = xmlin_next(kid, "AccountOwner"))
		if ((ret = write_rec(x, kid, &owner_s, 0, SIDE__MAX, NULL,
		    NULL)) != KW_OK)
			return ret;
	return KW_OK;
}

enum kw_status
restore_element(struct restore *r, xmlNodePtr node)
{
	struct rs *x = (struct rs *)r;
	const char *name = xmlin_name(node);
	long long since = 0;
	enum kw_status ret = KW_OK;
	size_t i;

	if (strcmp(name, "SinceChangeSequenceNumeric") == 0) {
		if (xmlin_int(node, NULL, 0, INT64_MAX, &since) != 0 ||
		    since != 0)
			ret = FAIL(x, node, KW_BADREQ, "only a whole ledger "
			    "(SinceChangeSequenceNumeric 0) can be restored.");
	} else if (strcmp(name, "Account") == 0) {
		if ((ret = db_exec(x->db, db_stmt(x->db, &restore_stmts,
		    STMT_RS_DEFER_FK))) != KW_OK ||
		    (ret = db_ints(x->db, db_stmt(x->db, &restore_stmts,
		    STMT_RS_CONCERN_MAX), &x->next_concern, 1)) != KW_OK)
			ret = db_failed(x, node, ret);
		else {
			x->next_concern++;
			if ((ret = restore_account(x, node)) == KW_OK)
				x->rep->created++;
		}
	} else
		for (i = 0; records[i] != NULL; i++) {
			if (strcmp(name, records[i]->element) != 0)
				continue;
			if (x->account == 0)
				ret = FAIL(x, node, KW_BADREQ, "the ledger "
				    "has no Account before its records: only "
				    "a whole ledger can be restored.");
			else if ((ret = write_rec(x, node, records[i], 0,
			    SIDE__MAX, NULL, NULL)) == KW_OK)
				x->rep->created++;
			break;
		}
	arena_reset(x->tmp);
	return ret;
}

enum kw_status
restore_finish(struct restore *r)
{
	struct rs *x = (struct rs *)r;
	const struct idmap *m = &x->ids[MAP_CONCERN];
	enum kw_status ret = KW_OK;
	size_t i;

	if (x->account == 0) {
		import_report_add(x->rep, x->a, 0, KW_BADREQ, "The ledger has "
		    "no Account: only a whole ledger can be restored.");
		return KW_BADREQ;
	}
	for (i = 0; i < m->cap; i++)
		if (m->k[i] != 0 && map_get(&x->concern_done, m->k[i]) == 0) {
			import_report_add(x->rep, x->a,
			    map_get(&x->concern_line, m->k[i]), KW_NOTFOUND,
			    "ConcernReference: concern %lld is not in the "
			    "ledger.", m->k[i]);
			ret = KW_NOTFOUND;
		}
	if (ret != KW_OK)
		return ret;
	if ((ret = audit_log(x->db, NULL, x->account, "account", x->account,
	    "import", x->rep->doc_id != NULL ? arena_xprintf(x->tmp,
	    "restored from %s", x->rep->doc_id) : "restored")) != KW_OK)
		import_report_add(x->rep, x->a, 0, ret, "The database failed "
		    "(%s).", kw_status_str(ret));
	arena_reset(x->tmp);
	return ret;
}
