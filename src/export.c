/* export.c: an account's ledger as XML for partner systems, streamed. */
#include "config.h"

#include <assert.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/xmlwriter.h>
#include <sodium.h>
#include <sqlite3.h>

#include "account.h"
#include "arena.h"
#include "auth.h"
#include "buf.h"
#include "clock.h"
#include "db.h"
#include "entry.h"
#include "export.h"
#include "kw.h"
#include "org.h"

/* libxml2 strings are unsigned; this cast keeps const (BAD_CAST drops it). */
#define XC(s)		((const xmlChar *)(s))

/* Most nested lists one record has (the account: two parties'
 * identifiers, cadences, owners). */
#define KIDS_MAX	4

/*
 * The statements. Each one that reads records starts with two key
 * columns, the change sequence number and id of the top-level record
 * (for a nested record: of its parent), then one column per field of
 * its struct xrec below, in the order of the schema; ?1 is the account,
 * ?2 the change sequence number to read after, ?3 (where used) a review
 * (0 = all). Top-level records come in the order of their keys, each
 * kind from its (account_id, seq) index; nested ones in the same order
 * of their parents, from the parents' index: nothing is sorted.
 */
enum export_stmt {
	STMT_EXP_SEQ,
	STMT_EXP_ACCOUNT,
	STMT_EXP_BUYER_IDS,
	STMT_EXP_SELLER_IDS,
	STMT_EXP_CADENCES,
	STMT_EXP_OWNERS,
	STMT_EXP_EXPECTATIONS,
	STMT_EXP_ASSESSMENTS,
	STMT_EXP_EXPECTATION_COMMENTS,
	STMT_EXP_UPDATES,
	STMT_EXP_UPDATE_READS,
	STMT_EXP_UPDATE_COMMENTS,
	STMT_EXP_PROMISES,
	STMT_EXP_DELIVERIES,
	STMT_EXP_DUE_CHANGES,
	STMT_EXP_PROMISE_COMMENTS,
	STMT_EXP_CONTACTS,
	STMT_EXP_CONTACT_COMMENTS,
	STMT_EXP_FEEDBACK,
	STMT_EXP_FEEDBACK_COMMENTS,
	STMT_EXP_CONCERNS,
	STMT_EXP_CONCERN_COMMENTS,
	STMT_EXP_REVIEWS,
	STMT_EXP_SCORES,
	STMT_EXP_ACTIONS,
	STMT_EXP_REVIEW_COMMENTS,
	STMT_EXP__MAX
};

/* The identity of record x (ID, ExternalID, ChangeSequenceNumeric). */
#define IDENT(x)	#x ".id, " #x ".external_id, " #x ".seq"
/* The four columns of a person (XF_PERSON), user x. */
#define PERSON(x)	#x ".id, " #x ".name, " #x ".email, " #x ".org_id"
/* Records of kind x of the account in the window (after ?2). */
#define WINDOW(x)	#x ".account_id = ?1 AND " #x ".seq > ?2 "
/* Only the promises a review's actions are, when ?3 names a review. */
#define OF_REVIEW(p) \
	"AND (?3 = 0 OR " #p ".id IN (SELECT promise_id FROM review_actions " \
	"WHERE review_id = ?3)) "
/* The comments on the records x of table t, entity e, nested in them. */
#define COMMENTS(t, x, e, filter) \
	"SELECT " #x ".seq, " #x ".id, " IDENT(k) ", k.side, k.body, " \
	PERSON(u) ", k.created_at, k.withdrawn_at " \
	"FROM " t " " #x " JOIN comments k ON k.account_id = " #x \
	".account_id AND k.entity = '" e "' AND k.entity_id = " #x ".id " \
	"JOIN users u ON u.id = k.created_by " \
	"WHERE " WINDOW(x) filter "ORDER BY " #x ".seq, " #x ".id, k.id"
/* The account's own parts: after ?2 only if the account changed. */
#define OF_ACCOUNT	"FROM accounts a "
#define ACCOUNT_WINDOW	"WHERE a.id = ?1 AND a.seq > ?2 "

static const char *const export_sql[STMT_EXP__MAX] = {
	[STMT_EXP_SEQ] = "SELECT seq FROM change_seq WHERE id = 1",
	[STMT_EXP_ACCOUNT] =
	    "SELECT a.seq, a.id, " IDENT(a) ", a.title, a.cadence, "
	    "a.start_date, a.created_at, a.buyer_org_id, b.name, "
	    "a.supplier_org_id, s.name " OF_ACCOUNT
	    "JOIN orgs b ON b.id = a.buyer_org_id "
	    "JOIN orgs s ON s.id = a.supplier_org_id " ACCOUNT_WINDOW,
	[STMT_EXP_BUYER_IDS] =
	    "SELECT a.seq, a.id, i.scheme, i.value " OF_ACCOUNT
	    "JOIN org_identifiers i ON i.org_id = a.buyer_org_id "
	    "AND i.removed_at IS NULL " ACCOUNT_WINDOW "ORDER BY i.scheme",
	[STMT_EXP_SELLER_IDS] =
	    "SELECT a.seq, a.id, i.scheme, i.value " OF_ACCOUNT
	    "JOIN org_identifiers i ON i.org_id = a.supplier_org_id "
	    "AND i.removed_at IS NULL " ACCOUNT_WINDOW "ORDER BY i.scheme",
	[STMT_EXP_CADENCES] =
	    "SELECT a.seq, a.id, " IDENT(c) ", c.cadence, c.from_date, "
	    PERSON(u) ", c.set_at " OF_ACCOUNT
	    "JOIN account_cadences c ON c.account_id = a.id "
	    "LEFT JOIN users u ON u.id = c.set_by " ACCOUNT_WINDOW
	    "ORDER BY c.from_date, c.id",
	[STMT_EXP_OWNERS] =
	    "SELECT a.seq, a.id, " IDENT(o) ", o.side, " PERSON(u) ", "
	    "o.since, o.until, o.handover_note, " PERSON(sb) " " OF_ACCOUNT
	    "JOIN account_owners o ON o.account_id = a.id "
	    "JOIN users u ON u.id = o.user_id "
	    "LEFT JOIN users sb ON sb.id = o.set_by " ACCOUNT_WINDOW
	    "ORDER BY o.id",
	[STMT_EXP_EXPECTATIONS] =
	    "SELECT e.seq, e.id, " IDENT(e) ", e.from_side, e.title, "
	    "e.detail, e.target, e.state, " PERSON(cu) ", e.created_at, "
	    PERSON(ku) ", e.acknowledged_at, " PERSON(ru) ", e.retired_at, "
	    "e.retire_reason FROM expectations e "
	    "JOIN users cu ON cu.id = e.created_by "
	    "LEFT JOIN users ku ON ku.id = e.acknowledged_by "
	    "LEFT JOIN users ru ON ru.id = e.retired_by "
	    "WHERE " WINDOW(e) "ORDER BY e.seq, e.id",
	[STMT_EXP_ASSESSMENTS] =
	    "SELECT e.seq, e.id, " IDENT(x) ", x.period_start, x.period_end, "
	    "x.rating, x.note, " PERSON(u) ", x.assessed_at "
	    "FROM expectations e "
	    "JOIN expectation_assessments x ON x.expectation_id = e.id "
	    "JOIN users u ON u.id = x.assessed_by "
	    "WHERE " WINDOW(e) "ORDER BY e.seq, e.id, x.period_start",
	[STMT_EXP_EXPECTATION_COMMENTS] =
	    COMMENTS("expectations", e, "expectation", ""),
	[STMT_EXP_UPDATES] =
	    "SELECT d.seq, d.id, " IDENT(d) ", d.side, d.kind, d.title, "
	    "d.body, " PERSON(cu) ", d.created_at, d.withdrawn_at "
	    "FROM updates d JOIN users cu ON cu.id = d.created_by "
	    "WHERE " WINDOW(d) "ORDER BY d.seq, d.id",
	[STMT_EXP_UPDATE_READS] =
	    "SELECT d.seq, d.id, " PERSON(u) ", r.read_at FROM updates d "
	    "JOIN update_reads r ON r.update_id = d.id "
	    "JOIN users u ON u.id = r.user_id "
	    "WHERE " WINDOW(d) "ORDER BY d.seq, d.id, r.user_id",
	[STMT_EXP_UPDATE_COMMENTS] = COMMENTS("updates", d, "update", ""),
	[STMT_EXP_PROMISES] =
	    "SELECT p.seq, p.id, " IDENT(p) ", p.promisor_side, p.title, "
	    "p.detail, p.due_date, p.original_due, p.state, "
	    "p.expectation_id, p.expectation_id, ex.external_id, "
	    "p.concern_id, p.concern_id, cx.external_id, "
	    PERSON(cu) ", p.created_at, p.kept_on, "
	    "CASE p.on_time WHEN 1 THEN 'true' WHEN 0 THEN 'false' END, "
	    "p.closed_at, " PERSON(bu) ", p.broken_reason FROM promises p "
	    "JOIN users cu ON cu.id = p.created_by "
	    "LEFT JOIN expectations ex ON ex.id = p.expectation_id "
	    "LEFT JOIN concerns cx ON cx.id = p.concern_id "
	    "LEFT JOIN users bu ON bu.id = p.broken_by "
	    "WHERE " WINDOW(p) OF_REVIEW(p) "ORDER BY p.seq, p.id",
	[STMT_EXP_DELIVERIES] =
	    "SELECT p.seq, p.id, " IDENT(d) ", d.delivered_on, d.note, "
	    PERSON(du) ", d.delivered_at, d.outcome, " PERSON(xu) ", "
	    "d.decided_at, d.reason FROM promises p "
	    "JOIN promise_deliveries d ON d.promise_id = p.id "
	    "JOIN users du ON du.id = d.delivered_by "
	    "LEFT JOIN users xu ON xu.id = d.decided_by "
	    "WHERE " WINDOW(p) OF_REVIEW(p) "ORDER BY p.seq, p.id, d.id",
	[STMT_EXP_DUE_CHANGES] =
	    "SELECT p.seq, p.id, " IDENT(c) ", c.old_due, c.new_due, "
	    "c.reason, " PERSON(pu) ", c.proposed_at, c.outcome, "
	    PERSON(xu) ", c.decided_at FROM promises p "
	    "JOIN promise_due_changes c ON c.promise_id = p.id "
	    "JOIN users pu ON pu.id = c.proposed_by "
	    "LEFT JOIN users xu ON xu.id = c.decided_by "
	    "WHERE " WINDOW(p) OF_REVIEW(p) "ORDER BY p.seq, p.id, c.id",
	[STMT_EXP_PROMISE_COMMENTS] =
	    COMMENTS("promises", p, "promise", OF_REVIEW(p)),
	[STMT_EXP_CONTACTS] =
	    "SELECT t.seq, t.id, " IDENT(t) ", t.side, t.contact_date, "
	    "t.channel, t.participants, t.summary, t.next_step, " PERSON(cu)
	    ", t.created_at, t.withdrawn_at FROM contacts t "
	    "JOIN users cu ON cu.id = t.created_by "
	    "WHERE " WINDOW(t) "ORDER BY t.seq, t.id",
	[STMT_EXP_CONTACT_COMMENTS] = COMMENTS("contacts", t, "contact", ""),
	[STMT_EXP_FEEDBACK] =
	    "SELECT f.seq, f.id, " IDENT(f) ", f.from_side, f.rating, "
	    "f.aspect, f.comment, " PERSON(cu) ", f.created_at, "
	    "f.withdrawn_at FROM feedback f "
	    "JOIN users cu ON cu.id = f.created_by "
	    "WHERE " WINDOW(f) "ORDER BY f.seq, f.id",
	[STMT_EXP_FEEDBACK_COMMENTS] =
	    COMMENTS("feedback", f, "feedback", ""),
	[STMT_EXP_CONCERNS] =
	    "SELECT c.seq, c.id, " IDENT(c) ", c.raised_by_side, c.title, "
	    "c.detail, c.state, c.resolution, " PERSON(pu) ", c.proposed_at, "
	    "c.reject_reason, " PERSON(cu) ", c.created_at, " PERSON(xu) ", "
	    "c.closed_at FROM concerns c "
	    "JOIN users cu ON cu.id = c.created_by "
	    "LEFT JOIN users pu ON pu.id = c.proposed_by "
	    "LEFT JOIN users xu ON xu.id = c.closed_by "
	    "WHERE " WINDOW(c) "ORDER BY c.seq, c.id",
	[STMT_EXP_CONCERN_COMMENTS] = COMMENTS("concerns", c, "concern", ""),
	[STMT_EXP_REVIEWS] =
	    "SELECT r.seq, r.id, " IDENT(r) ", r.period_start, r.period_end, "
	    "r.state, " PERSON(ou) ", r.opened_at, r.buyer_signed_by, "
	    PERSON(bu) ", r.buyer_signed_at, r.supplier_signed_by, "
	    PERSON(su) ", r.supplier_signed_at, r.frozen_at FROM reviews r "
	    "LEFT JOIN users ou ON ou.id = r.opened_by "
	    "LEFT JOIN users bu ON bu.id = r.buyer_signed_by "
	    "LEFT JOIN users su ON su.id = r.supplier_signed_by "
	    "WHERE " WINDOW(r) "AND (?3 = 0 OR r.id = ?3) "
	    "ORDER BY r.seq, r.id",
	[STMT_EXP_SCORES] =
	    "SELECT r.seq, r.id, s.side, s.fallen_due, s.kept_on_time, "
	    "s.kept_late, s.broken, s.delivered, s.still_overdue, s.disputed, "
	    "s.renegotiated, "
	    "CASE WHEN s.integrity >= 0 THEN s.integrity END, "
	    "s.met, s.partly, s.not_met, s.unassessed, s.updates_shared, "
	    "s.updates_acknowledged, s.contacts, s.last_contact, "
	    "CASE WHEN s.days_since_contact >= 0 THEN s.days_since_contact "
	    "END, s.ratings, "
	    "CASE WHEN s.ratings > 0 THEN printf('%.4f', s.rating_mean) END "
	    "FROM reviews r JOIN review_scores s ON s.review_id = r.id "
	    "WHERE " WINDOW(r) "AND (?3 = 0 OR r.id = ?3) "
	    "ORDER BY r.seq, r.id, s.side",
	[STMT_EXP_ACTIONS] =
	    "SELECT r.seq, r.id, " IDENT(x) ", x.promise_id, p.external_id "
	    "FROM reviews r JOIN review_actions x ON x.review_id = r.id "
	    "JOIN promises p ON p.id = x.promise_id "
	    "WHERE " WINDOW(r) "AND (?3 = 0 OR r.id = ?3) "
	    "ORDER BY r.seq, r.id, x.id",
	[STMT_EXP_REVIEW_COMMENTS] =
	    COMMENTS("reviews", r, "review", "AND (?3 = 0 OR r.id = ?3) "),
};

const struct db_stmt_table export_stmts = {
	"export", export_sql, STMT_EXP__MAX
};

/* What a field of a record is made of, and the columns it reads. */
enum xf_kind {
	XF_END,
	XF_INT,		/* 1 column, an integer: left out when NULL */
	XF_TEXT,	/* 1 column: left out when NULL or empty */
	XF_STAMP,	/* 1 column, a UTC ISO-8601 time: elements name
			   (its date) and name2 (its time of day) */
	XF_PERSON,	/* 4 columns (PERSON()): aggregate name, left out
			   when the id is NULL */
	XF_SCHEMED,	/* 2 columns, scheme and value: <name schemeID=...> */
	XF_GROUP,	/* no column: start aggregate name */
	XF_GROUP_IF,	/* 1 column: the same, when it is not NULL; else the
			   fields up to the matching XF_CLOSE are left out */
	XF_CLOSE,	/* end the aggregate */
	XF_CHILD	/* no column: the rows of child nested in this one */
};

struct xrec;

struct xfield {
	enum xf_kind		 kind;
	const char		*name;
	const char		*name2;
	const struct xrec	*child;
};

/* A kind of record: its element, its statement and its fields. */
struct xrec {
	const char		*name;
	int			 sid;
	const struct xfield	*f;	/* ended by XF_END */
};

#define F_INT(n)	{ XF_INT, n, NULL, NULL }
#define F_TEXT(n)	{ XF_TEXT, n, NULL, NULL }
#define F_STAMP(p)	{ XF_STAMP, p "Date", p "Time", NULL }
#define F_PERSON(n)	{ XF_PERSON, n, NULL, NULL }
#define F_GROUP(n)	{ XF_GROUP, n, NULL, NULL }
#define F_GROUP_IF(n)	{ XF_GROUP_IF, n, NULL, NULL }
#define F_CLOSE		{ XF_CLOSE, NULL, NULL, NULL }
#define F_CHILD(r)	{ XF_CHILD, NULL, NULL, &(r) }
#define F_END		{ XF_END, NULL, NULL, NULL }
#define F_IDENT \
	F_INT("ID"), F_TEXT("ExternalID"), F_INT("ChangeSequenceNumeric")
#define F_REF(n) \
	F_GROUP_IF(n), F_INT("ID"), F_TEXT("ExternalID"), F_CLOSE
#define F_PERIOD(n) \
	F_GROUP(n), F_TEXT("StartDate"), F_TEXT("EndDate"), F_CLOSE

static const struct xfield comment_f[] = {
	F_IDENT, F_TEXT("AuthorSideCode"), F_TEXT("BodyText"),
	F_PERSON("CreatedByPerson"), F_STAMP("Creation"),
	F_STAMP("Withdrawal"), F_END
};
#define COMMENT_REC(sid)	{ "Comment", sid, comment_f }

/* ---- the account ---------------------------------------------------------- */

static const struct xfield party_id_f[] = {
	{ XF_SCHEMED, "ID", NULL, NULL }, F_END
};
static const struct xrec buyer_ids = {
	"PartyIdentification", STMT_EXP_BUYER_IDS, party_id_f
};
static const struct xrec seller_ids = {
	"PartyIdentification", STMT_EXP_SELLER_IDS, party_id_f
};
static const struct xrec cadence_r = { "AccountCadence", STMT_EXP_CADENCES,
	(const struct xfield[]){
	F_IDENT, F_TEXT("ReviewCadenceCode"), F_TEXT("EffectiveDate"),
	F_PERSON("CreatedByPerson"), F_STAMP("Creation"), F_END }
};
static const struct xrec owner_r = { "AccountOwner", STMT_EXP_OWNERS,
	(const struct xfield[]){
	F_IDENT, F_TEXT("SideCode"), F_PERSON("OwnerPerson"),
	F_STAMP("Start"), F_STAMP("End"), F_TEXT("HandoverNoteText"),
	F_PERSON("AssignedByPerson"), F_END }
};
#define F_PARTY(role, ids) \
	F_GROUP(role), F_GROUP("Party"), F_INT("ID"), F_CHILD(ids), \
	F_GROUP("PartyName"), F_TEXT("Name"), F_CLOSE, F_CLOSE, F_CLOSE
static const struct xrec account_r = { "Account", STMT_EXP_ACCOUNT,
	(const struct xfield[]){
	F_IDENT, F_TEXT("TitleText"), F_TEXT("ReviewCadenceCode"),
	F_TEXT("StartDate"), F_STAMP("Creation"),
	F_PARTY("BuyerCustomerParty", buyer_ids),
	F_PARTY("SellerSupplierParty", seller_ids),
	F_CHILD(cadence_r), F_CHILD(owner_r), F_END }
};

/* ---- the ledger's entries ------------------------------------------------------ */

static const struct xrec assessment_r = {
	"ExpectationAssessment", STMT_EXP_ASSESSMENTS, (const struct xfield[]){
	F_IDENT, F_PERIOD("AssessmentPeriod"), F_TEXT("RatingCode"),
	F_TEXT("NoteText"), F_PERSON("AssessedByPerson"),
	F_STAMP("Assessment"), F_END }
};
static const struct xrec expectation_comment_r =
    COMMENT_REC(STMT_EXP_EXPECTATION_COMMENTS);
static const struct xrec expectation_r = {
	"Expectation", STMT_EXP_EXPECTATIONS, (const struct xfield[]){
	F_IDENT, F_TEXT("ExpectingSideCode"), F_TEXT("TitleText"),
	F_TEXT("DetailText"), F_TEXT("TargetText"), F_TEXT("StatusCode"),
	F_PERSON("CreatedByPerson"), F_STAMP("Creation"),
	F_PERSON("AcknowledgedByPerson"), F_STAMP("Acknowledgement"),
	F_PERSON("RetiredByPerson"), F_STAMP("Retirement"),
	F_TEXT("RetirementReasonText"), F_CHILD(assessment_r),
	F_CHILD(expectation_comment_r), F_END }
};

static const struct xrec update_read_r = {
	"UpdateAcknowledgement", STMT_EXP_UPDATE_READS, (const struct xfield[]){
	F_PERSON("AcknowledgedByPerson"), F_STAMP("Acknowledgement"), F_END }
};
static const struct xrec update_comment_r =
    COMMENT_REC(STMT_EXP_UPDATE_COMMENTS);
static const struct xrec update_r = { "Update", STMT_EXP_UPDATES,
	(const struct xfield[]){
	F_IDENT, F_TEXT("AuthorSideCode"), F_TEXT("UpdateTypeCode"),
	F_TEXT("TitleText"), F_TEXT("BodyText"), F_PERSON("CreatedByPerson"),
	F_STAMP("Creation"), F_STAMP("Withdrawal"), F_CHILD(update_read_r),
	F_CHILD(update_comment_r), F_END }
};

static const struct xrec delivery_r = {
	"PromiseDelivery", STMT_EXP_DELIVERIES, (const struct xfield[]){
	F_IDENT, F_TEXT("DeliveryDate"), F_TEXT("NoteText"),
	F_PERSON("DeliveredByPerson"), F_STAMP("Report"),
	F_TEXT("OutcomeCode"), F_PERSON("DecidedByPerson"),
	F_STAMP("Decision"), F_TEXT("DisputeReasonText"), F_END }
};
static const struct xrec due_change_r = {
	"PromiseDueDateChange", STMT_EXP_DUE_CHANGES, (const struct xfield[]){
	F_IDENT, F_TEXT("PreviousDueDate"), F_TEXT("ProposedDueDate"),
	F_TEXT("ReasonText"), F_PERSON("ProposedByPerson"),
	F_STAMP("Proposal"), F_TEXT("OutcomeCode"),
	F_PERSON("DecidedByPerson"), F_STAMP("Decision"), F_END }
};
static const struct xrec promise_comment_r =
    COMMENT_REC(STMT_EXP_PROMISE_COMMENTS);
static const struct xrec promise_r = { "Promise", STMT_EXP_PROMISES,
	(const struct xfield[]){
	F_IDENT, F_TEXT("PromisorSideCode"), F_TEXT("TitleText"),
	F_TEXT("DetailText"), F_TEXT("DueDate"), F_TEXT("OriginalDueDate"),
	F_TEXT("StatusCode"), F_REF("ExpectationReference"),
	F_REF("ConcernReference"), F_PERSON("CreatedByPerson"),
	F_STAMP("Creation"), F_TEXT("KeptDate"), F_TEXT("OnTimeIndicator"),
	F_STAMP("Closure"), F_PERSON("BrokenByPerson"),
	F_TEXT("BrokenReasonText"), F_CHILD(delivery_r),
	F_CHILD(due_change_r), F_CHILD(promise_comment_r), F_END }
};

static const struct xrec contact_comment_r =
    COMMENT_REC(STMT_EXP_CONTACT_COMMENTS);
static const struct xrec contact_r = { "Contact", STMT_EXP_CONTACTS,
	(const struct xfield[]){
	F_IDENT, F_TEXT("AuthorSideCode"), F_TEXT("ContactDate"),
	F_TEXT("ChannelCode"), F_TEXT("ParticipantsText"),
	F_TEXT("SummaryText"), F_TEXT("NextStepText"),
	F_PERSON("CreatedByPerson"), F_STAMP("Creation"),
	F_STAMP("Withdrawal"), F_CHILD(contact_comment_r), F_END }
};

static const struct xrec feedback_comment_r =
    COMMENT_REC(STMT_EXP_FEEDBACK_COMMENTS);
static const struct xrec feedback_r = { "Feedback", STMT_EXP_FEEDBACK,
	(const struct xfield[]){
	F_IDENT, F_TEXT("AuthorSideCode"), F_INT("RatingNumeric"),
	F_TEXT("AspectCode"), F_TEXT("NoteText"), F_PERSON("CreatedByPerson"),
	F_STAMP("Creation"), F_STAMP("Withdrawal"),
	F_CHILD(feedback_comment_r), F_END }
};

static const struct xrec concern_comment_r =
    COMMENT_REC(STMT_EXP_CONCERN_COMMENTS);
static const struct xrec concern_r = { "Concern", STMT_EXP_CONCERNS,
	(const struct xfield[]){
	F_IDENT, F_TEXT("RaisingSideCode"), F_TEXT("TitleText"),
	F_TEXT("DetailText"), F_TEXT("StatusCode"), F_TEXT("ResolutionText"),
	F_PERSON("ProposedByPerson"), F_STAMP("Proposal"),
	F_TEXT("RejectionReasonText"), F_PERSON("CreatedByPerson"),
	F_STAMP("Creation"), F_PERSON("ClosedByPerson"), F_STAMP("Closure"),
	F_CHILD(concern_comment_r), F_END }
};

/* ---- reviews ---------------------------------------------------------------- */

static const struct xrec score_r = { "Scorecard", STMT_EXP_SCORES,
	(const struct xfield[]){
	F_TEXT("SideCode"), F_INT("FallenDueQuantity"),
	F_INT("KeptOnTimeQuantity"), F_INT("KeptLateQuantity"),
	F_INT("BrokenQuantity"), F_INT("DeliveredQuantity"),
	F_INT("StillOverdueQuantity"), F_INT("DisputedQuantity"),
	F_INT("RenegotiatedQuantity"), F_INT("IntegrityPercent"),
	F_INT("MetQuantity"), F_INT("PartlyMetQuantity"),
	F_INT("NotMetQuantity"), F_INT("UnassessedQuantity"),
	F_INT("SharedUpdateQuantity"), F_INT("AcknowledgedUpdateQuantity"),
	F_INT("ContactQuantity"), F_TEXT("LastContactDate"),
	F_INT("DaysSinceContactQuantity"), F_INT("RatingQuantity"),
	F_TEXT("RatingMeanNumeric"), F_END }
};
static const struct xrec action_r = { "ReviewAction", STMT_EXP_ACTIONS,
	(const struct xfield[]){
	F_IDENT, F_GROUP("PromiseReference"), F_INT("ID"),
	F_TEXT("ExternalID"), F_CLOSE, F_END }
};
static const struct xrec review_comment_r =
    COMMENT_REC(STMT_EXP_REVIEW_COMMENTS);
#define F_SIGNATURE(n) \
	F_GROUP_IF(n), F_PERSON("SignedByPerson"), F_STAMP("Signature"), \
	F_CLOSE
static const struct xrec review_r = { "Review", STMT_EXP_REVIEWS,
	(const struct xfield[]){
	F_IDENT, F_PERIOD("ReviewPeriod"), F_TEXT("StatusCode"),
	F_PERSON("OpenedByPerson"), F_STAMP("Opening"),
	F_SIGNATURE("BuyerSignature"), F_SIGNATURE("SellerSignature"),
	F_STAMP("Freeze"), F_CHILD(score_r), F_CHILD(action_r),
	F_CHILD(review_comment_r), F_END }
};

/* The AccountLedger's kinds of records, in the schema's order. */
static const struct xrec *const ledger_recs[] = {
	&account_r, &expectation_r, &update_r, &promise_r, &contact_r,
	&feedback_r, &concern_r, &review_r,
};

/* ---- writing -------------------------------------------------------------- */

/* One export under way. */
struct ex {
	struct db		*db;
	xmlTextWriterPtr	 w;
	const struct export_sink *out;
	long long		 account_id;
	long long		 since;
	long long		 review_id;	/* 0 = every review */
	long long		 org[SIDE__MAX];  /* the parties' org ids */
	long long		 viewer_org;	/* 0 = the system */
	long long		 last;		/* the high-water mark */
	struct buf		 clean;		/* text made fit for XML */
	int			 failed;	/* the writer failed */
	enum kw_status		 dberr;		/* the first database error */
	size_t			 records;
};

/* xmlOutputWriteCallback: hand len bytes to the sink (a copy, ctx). */
static int
sink_write(void *ctx, const char *data, int len)
{
	struct export_sink *out = ctx;

	if (len <= 0)
		return 0;
	if (out->write(out->ctx, data, (size_t)len) != 0)
		return -1;
	return len;
}

/* xmlOutputCloseCallback: free the copy of the sink (the sink itself is
 * the caller's). */
static int
sink_close(void *ctx)
{
	free(ctx);
	return 0;
}

xmlTextWriterPtr
export_writer(const struct export_sink *out)
{
	struct export_sink *copy = xmalloc(sizeof(*copy));
	xmlOutputBufferPtr ob;
	xmlTextWriterPtr w;

	*copy = *out;
	if ((ob = xmlOutputBufferCreateIO(sink_write, sink_close, copy,
	    NULL)) == NULL) {
		free(copy);
		return NULL;
	}
	if ((w = xmlNewTextWriter(ob)) == NULL)
		xmlOutputBufferClose(ob);
	return w;
}

/* Note the result rc of a writer call: < 0 is a failure. */
static void
wrote(struct ex *x, int rc)
{
	if (rc < 0)
		x->failed = 1;
}

/*
 * The length of the character at s (n > 0 bytes left) if it is well-formed
 * UTF-8 and a character XML 1.0 allows; else 0.
 */
static size_t
xml_char(const unsigned char *s, size_t n)
{
	unsigned int c;
	size_t len, i;

	if (s[0] < 0x80)
		return s[0] >= 0x20 || s[0] == '\t' || s[0] == '\n' ||
		    s[0] == '\r';
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		len = 2;
		c = s[0] & 0x1f;
	} else if ((s[0] & 0xf0) == 0xe0) {
		len = 3;
		c = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4;
		c = s[0] & 0x07;
	} else
		return 0;
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3f);
	}
	if ((len == 3 && c < 0x800) || (len == 4 && (c < 0x10000 ||
	    c > 0x10ffff)) || (c >= 0xd800 && c <= 0xdfff) || c == 0xfffe ||
	    c == 0xffff)
		return 0;
	return len;
}

const char *
export_xml_text(struct buf *clean, const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i, len;

	/* Printable ASCII, nearly all of it, is checked here. */
	for (i = 0; i < n; i += len) {
		len = 1;
		if (u[i] >= 0x20 && u[i] < 0x80)
			continue;
		if ((len = xml_char(u + i, n - i)) == 0)
			break;
	}
	if (i == n)
		return s;
	buf_clear(clean);
	buf_append(clean, s, i);
	while (i < n) {
		if ((len = xml_char(u + i, n - i)) == 0) {
			buf_puts(clean, "\xef\xbf\xbd");
			len = 1;
		} else
			buf_append(clean, s + i, len);
		i += len;
	}
	return clean->status == BUF_OK ? buf_str(clean) : NULL;
}

/* s (n bytes) as text XML can carry (export_xml_text()); "" after a
 * failure, which fails the export. */
static const char *
xml_text(struct ex *x, const char *s, size_t n)
{
	const char *t = export_xml_text(&x->clean, s, n);

	if (t == NULL) {
		x->failed = 1;
		return "";
	}
	return t;
}

static void
open_el(struct ex *x, const char *name)
{
	wrote(x, xmlTextWriterStartElement(x->w, XC(name)));
}

static void
close_el(struct ex *x)
{
	wrote(x, xmlTextWriterEndElement(x->w));
}

/* <name>text</name> (n bytes, NUL-terminated), escaped. */
static void
put_n(struct ex *x, const char *name, const char *text, size_t n)
{
	wrote(x, xmlTextWriterWriteElement(x->w, XC(name),
	    XC(xml_text(x, text, n))));
}

static void
put(struct ex *x, const char *name, const char *text)
{
	put_n(x, name, text, strlen(text));
}

static void
put_int(struct ex *x, const char *name, long long v)
{
	char n[KW_ITOA_SIZE];

	put(x, name, kw_itoa(n, v));
}

/* Column col of st as text; NULL for SQL NULL or an empty value. */
static const char *
col_text(sqlite3_stmt *st, int col)
{
	const char *s = (const char *)sqlite3_column_text(st, col);

	return s != NULL && *s != '\0' ? s : NULL;
}

static int
col_null(sqlite3_stmt *st, int col)
{
	return sqlite3_column_type(st, col) == SQLITE_NULL;
}

/* A UTC ISO-8601 time "YYYY-MM-DDTHH:MM:SSZ" as the elements dname (its
 * date) and tname (its time of day); nothing for NULL. */
static void
put_stamp(struct ex *x, const char *dname, const char *tname, const char *s)
{
	char day[11];

	if (s == NULL || strlen(s) < 12 || s[10] != 'T')
		return;
	memcpy(day, s, 10);
	day[10] = '\0';
	put(x, dname, day);
	put(x, tname, s + 11);
}

/* The person in columns col.. of st (PERSON()) as aggregate name. */
static void
put_person(struct ex *x, const char *name, sqlite3_stmt *st, int col)
{
	long long org;
	int side;

	if (col_null(st, col))
		return;
	open_el(x, name);
	put_int(x, "ID", sqlite3_column_int64(st, col));
	put(x, "Name", (const char *)sqlite3_column_text(st, col + 1));
	org = sqlite3_column_int64(st, col + 3);
	if ((x->viewer_org == 0 || org == x->viewer_org) &&
	    col_text(st, col + 2) != NULL)
		put(x, "ElectronicMailText", col_text(st, col + 2));
	for (side = 0; side < SIDE__MAX; side++)
		if (org == x->org[side])
			put(x, "SideCode", account_side_names[side]);
	close_el(x);
}

/* <name schemeID="scheme">value</name> from columns col, col + 1. */
static void
put_schemed(struct ex *x, const char *name, sqlite3_stmt *st, int col)
{
	const char *scheme = (const char *)sqlite3_column_text(st, col);
	const char *v = (const char *)sqlite3_column_text(st, col + 1);

	if (scheme == NULL || v == NULL)
		return;
	open_el(x, name);
	wrote(x, xmlTextWriterWriteAttribute(x->w, XC("schemeID"),
	    XC(xml_text(x, scheme, strlen(scheme)))));
	wrote(x, xmlTextWriterWriteString(x->w, XC(xml_text(x, v,
	    strlen(v)))));
	close_el(x);
}

/* The number of columns field f reads. */
static int
field_cols(const struct xfield *f)
{
	switch (f->kind) {
	case XF_INT:
	case XF_TEXT:
	case XF_STAMP:
	case XF_GROUP_IF:
		return 1;
	case XF_PERSON:
		return 4;
	case XF_SCHEMED:
		return 2;
	default:
		return 0;
	}
}

/* The columns a statement of record r has: the key and every field's. */
static int
record_cols(const struct xrec *r)
{
	const struct xfield *f;
	int n = 2;

	for (f = r->f; f->kind != XF_END; f++)
		n += field_cols(f);
	return n;
}

/* A statement reading records, on its first row. */
struct cursor {
	sqlite3_stmt	*st;
	int		 rc;	/* of the last step: SQLITE_ROW on a row */
};

/* Step cursor c, noting a database error. */
static void
advance(struct ex *x, struct cursor *c)
{
	c->rc = db_step(x->db, c->st);
	if (c->rc != SQLITE_ROW && c->rc != SQLITE_DONE &&
	    x->dberr == KW_OK)
		x->dberr = db_status(c->rc);
}

/* Statement sid for record r with the export's window bound; NULL if it
 * did not prepare. */
static sqlite3_stmt *
record_stmt(struct ex *x, const struct xrec *r)
{
	sqlite3_stmt *st;

	if ((st = db_stmt(x->db, &export_stmts, r->sid)) == NULL)
		return NULL;
	/* The fields must match the statement's columns: a bug if not. */
	assert(sqlite3_column_count(st) == record_cols(r));
	db_bind_int(st, 1, x->account_id);
	db_bind_int(st, 2, x->since);
	if (sqlite3_bind_parameter_count(st) >= 3)
		db_bind_int(st, 3, x->review_id);
	return st;
}

static void write_row(struct ex *, const struct xrec *, sqlite3_stmt *,
    struct cursor *);

/*
 * The rows of nested record r from cursor c that belong to the current
 * row of parent: both are in the order of the parent's key (columns 0
 * and 1), so c moves on until it passes it.
 */
static void
write_children(struct ex *x, const struct xrec *r, struct cursor *c,
    sqlite3_stmt *parent)
{
	long long seq = sqlite3_column_int64(parent, 0);
	long long id = sqlite3_column_int64(parent, 1);
	long long cs, cid;

	while (c->rc == SQLITE_ROW && !x->failed) {
		cs = sqlite3_column_int64(c->st, 0);
		cid = sqlite3_column_int64(c->st, 1);
		if (cs > seq || (cs == seq && cid > id))
			break;		/* a later parent's */
		if (cs == seq && cid == id)
			write_row(x, r, c->st, NULL);
		advance(x, c);
	}
}

/*
 * The element of record r from the current row of st: its fields from
 * column 2 on; its nested records from kids, one cursor per XF_CHILD in
 * order (NULL for a nested record, which has none).
 */
static void
write_row(struct ex *x, const struct xrec *r, sqlite3_stmt *st,
    struct cursor *kids)
{
	const struct xfield *f;
	int col = 2, skip = 0, k = 0;

	open_el(x, r->name);
	for (f = r->f; f->kind != XF_END; col += field_cols(f), f++) {
		if (skip > 0) {
			if (f->kind == XF_GROUP || f->kind == XF_GROUP_IF)
				skip++;
			else if (f->kind == XF_CLOSE)
				skip--;
			assert(f->kind != XF_CHILD);
			continue;
		}
		switch (f->kind) {
		case XF_INT:
			if (!col_null(st, col))
				put_int(x, f->name,
				    sqlite3_column_int64(st, col));
			break;
		case XF_TEXT:
			if (col_text(st, col) != NULL)
				put_n(x, f->name, col_text(st, col),
				    (size_t)sqlite3_column_bytes(st, col));
			break;
		case XF_STAMP:
			put_stamp(x, f->name, f->name2, col_text(st, col));
			break;
		case XF_PERSON:
			put_person(x, f->name, st, col);
			break;
		case XF_SCHEMED:
			put_schemed(x, f->name, st, col);
			break;
		case XF_GROUP_IF:
			if (col_null(st, col)) {
				skip = 1;
				break;
			}
			/* FALLTHROUGH */
		case XF_GROUP:
			open_el(x, f->name);
			break;
		case XF_CLOSE:
			close_el(x);
			break;
		case XF_CHILD:
			assert(kids != NULL && k < KIDS_MAX);
			write_children(x, f->child, &kids[k++], st);
			break;
		case XF_END:
			break;
		}
	}
	close_el(x);
}

/* Every record of kind r in the export's window, with its nested ones. */
static void
write_records(struct ex *x, const struct xrec *r)
{
	struct cursor kids[KIDS_MAX];
	const struct xfield *f;
	sqlite3_stmt *st;
	int i, n = 0, rc = SQLITE_DONE;

	if ((st = record_stmt(x, r)) == NULL) {
		x->dberr = KW_INTERNAL;
		return;
	}
	for (f = r->f; f->kind != XF_END; f++) {
		if (f->kind != XF_CHILD)
			continue;
		assert(n < KIDS_MAX);
		if ((kids[n].st = record_stmt(x, f->child)) == NULL) {
			x->dberr = KW_INTERNAL;
			goto out;
		}
		advance(x, &kids[n++]);
	}
	while (x->dberr == KW_OK && !x->failed &&
	    (rc = db_step(x->db, st)) == SQLITE_ROW) {
		write_row(x, r, st, kids);
		x->records++;
	}
	if (x->dberr == KW_OK && !x->failed && rc != SQLITE_DONE)
		x->dberr = db_status(rc);
out:
	for (i = 0; i < n; i++)
		db_stmt_done(kids[i].st);
	db_stmt_done(st);
}

void
export_uuid(char dst[37])
{
	unsigned char b[16];
	size_t i, o = 0;

	randombytes_buf(b, sizeof(b));
	b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
	b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
	for (i = 0; i < sizeof(b); i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			dst[o++] = '-';
		snprintf(dst + o, 3, "%02x", b[i]);
		o += 2;
	}
	dst[o] = '\0';
}

/*
 * Start document root (its header, named doc_id) and the change window:
 * SinceChangeSequenceNumeric when since_too, then the high-water mark.
 */
static void
write_head(struct ex *x, const char *root, const char *doc_id,
    int since_too)
{
	char uuid[37], now[32];

	export_uuid(uuid);
	clock_iso(clock_now(), now, sizeof(now));
	wrote(x, xmlTextWriterSetIndent(x->w, 1));
	wrote(x, xmlTextWriterSetIndentString(x->w, XC(" ")));
	wrote(x, xmlTextWriterStartDocument(x->w, "1.0", "UTF-8", NULL));
	wrote(x, xmlTextWriterStartElementNS(x->w, NULL, XC(root),
	    XC(EXPORT_NS)));
	put(x, "ID", doc_id);
	put(x, "UUID", uuid);
	put_stamp(x, "IssueDate", "IssueTime", now);
	put(x, "VersionID", EXPORT_VERSION);
	put_int(x, "ProfileExecutionID", x->account_id);
	if (since_too)
		put_int(x, "SinceChangeSequenceNumeric", x->since);
	put_int(x, "LastChangeSequenceNumeric", x->last);
}

/*
 * Set up export x of account_id for actor inside a read transaction (the
 * caller's): the access check, the parties and the high-water mark.
 * Nothing is written.
 */
static enum kw_status
ex_start(struct ex *x, struct db *db, struct arena *a,
    const struct user *actor, long long account_id)
{
	struct account acct;
	sqlite3_stmt *st;
	enum kw_status ret;

	x->db = db;
	x->account_id = account_id;
	if (actor != NULL) {
		ret = account_get(db, a, actor->org_id, account_id, &acct);
		x->viewer_org = actor->org_id;
	} else
		ret = account_get_any(db, a, account_id, &acct);
	if (ret != KW_OK)
		return ret;
	x->org[SIDE_BUYER] = acct.buyer_org_id;
	x->org[SIDE_SUPPLIER] = acct.supplier_org_id;
	if ((st = db_stmt(db, &export_stmts, STMT_EXP_SEQ)) == NULL)
		return KW_INTERNAL;
	return db_ints(db, st, &x->last, 1);
}

/*
 * Run export x with the writer to x->out: body() writes the document,
 * then it is finished. Returns the export's status.
 */
static enum kw_status
ex_run(struct ex *x, void (*body)(struct ex *))
{
	if (auth_init() != 0)
		return KW_INTERNAL;	/* no random source for the UUID */
	if ((x->w = export_writer(x->out)) == NULL)
		return KW_INTERNAL;
	body(x);
	if (x->dberr == KW_OK && !x->failed) {
		wrote(x, xmlTextWriterEndDocument(x->w));
		wrote(x, xmlTextWriterFlush(x->w));
	}
	xmlFreeTextWriter(x->w);
	x->w = NULL;
	if (x->dberr != KW_OK || x->failed) {
		kw_logx("export: account %lld: %s", x->account_id,
		    x->dberr != KW_OK ? "database error" :
		    "the output was refused");
		return KW_INTERNAL;
	}
	return KW_OK;
}

/* The body of an AccountLedger. */
static void
write_ledger(struct ex *x)
{
	char id[96];
	size_t i;

	snprintf(id, sizeof(id), "account-%lld-since-%lld-to-%lld",
	    x->account_id, x->since, x->last);
	write_head(x, "AccountLedger", id, 1);
	for (i = 0; i < sizeof(ledger_recs) / sizeof(ledger_recs[0]); i++)
		write_records(x, ledger_recs[i]);
}

/* The body of a ReviewSnapshot. */
static void
write_snapshot(struct ex *x)
{
	char id[96];

	snprintf(id, sizeof(id), "account-%lld-review-%lld-at-%lld",
	    x->account_id, x->review_id, x->last);
	write_head(x, "ReviewSnapshot", id, 0);
	write_records(x, &account_r);
	write_records(x, &review_r);
	write_records(x, &promise_r);
}

/*
 * The shared course of both exports: a read transaction, the checks,
 * then the document; review_id 0 for the ledger.
 */
static enum kw_status
export_run(struct db *db, struct arena *a, const struct user *actor,
    long long account_id, long long since, long long review_id,
    const struct export_sink *out, struct export_info *info)
{
	struct ex x;
	enum kw_status ret;

	memset(&x, 0, sizeof(x));
	if (info != NULL)
		memset(info, 0, sizeof(*info));
	if (account_id <= 0 || review_id < 0)
		return KW_NOTFOUND;
	if (since < 0)
		return KW_BADREQ;
	x.out = out;
	x.since = since;
	x.review_id = review_id;
	buf_init(&x.clean, 0, 0);
	if ((ret = db_snapshot_begin(db)) != KW_OK)
		goto out;
	if ((ret = ex_start(&x, db, a, actor, account_id)) != KW_OK)
		goto done;
	if (since > x.last) {
		ret = KW_BADREQ;
		goto done;
	}
	if (review_id != 0 && (ret = entry_exists(db, ENTRY_REVIEW,
	    account_id, review_id)) != KW_OK)
		goto done;
	ret = ex_run(&x, review_id != 0 ? write_snapshot : write_ledger);
	if (info != NULL) {
		info->last_seq = x.last;
		info->records = x.records;
	}
done:
	db_snapshot_end(db);
out:
	buf_free(&x.clean);
	return ret;
}

enum kw_status
export_ledger(struct db *db, struct arena *a, const struct user *actor,
    long long account_id, long long since, const struct export_sink *out,
    struct export_info *info)
{
	return export_run(db, a, actor, account_id, since, 0, out, info);
}

enum kw_status
export_review(struct db *db, struct arena *a, const struct user *actor,
    long long account_id, long long review_id,
    const struct export_sink *out, struct export_info *info)
{
	if (review_id <= 0)
		return KW_NOTFOUND;
	return export_run(db, a, actor, account_id, 0, review_id, out, info);
}
