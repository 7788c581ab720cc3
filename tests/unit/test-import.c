/* test-import.c: unit tests of the XML import: submissions by each side,
 * safe parsing, the report, and a ledger restored in another database. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <libxml/parser.h>
#include <libxml/xmlschemas.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>

#include "account.h"
#include "arena.h"
#include "buf.h"
#include "clock.h"
#include "comment.h"
#include "concern.h"
#include "contact.h"
#include "db.h"
#include "expectation.h"
#include "export.h"
#include "feedback.h"
#include "import.h"
#include "kw.h"
#include "org.h"
#include "party.h"
#include "promise.h"
#include "review.h"
#include "update.h"
#include "xmlin.h"
#include "dbutil.h"

/* The compiled schema (fx_schema()), to validate reports. */
static xmlSchemaPtr schema;

/* A submission to account acct with records (one text), from HEAD to
 * TAIL; the records start on line 8. */
#define HEAD \
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" \
	"<AccountLedgerSubmission xmlns=\"urn:keepword:exchange:1\">\n" \
	"<ID>erp-1</ID>\n" \
	"<UUID>6b1d3a4e-2f7c-4d7a-9a51-0c7f3e2b8d11</UUID>\n" \
	"<IssueDate>2026-03-02</IssueDate><IssueTime>08:00:00Z</IssueTime>\n" \
	"<VersionID>1.0</VersionID><ProfileExecutionID>%lld" \
	"</ProfileExecutionID>\n" \
	"<SinceChangeSequenceNumeric>0</SinceChangeSequenceNumeric>" \
	"<LastChangeSequenceNumeric>0</LastChangeSequenceNumeric>\n"
#define TAIL	"</AccountLedgerSubmission>\n"

static const char *
sub(struct fx *f, const char *records)
{
	return arena_xprintf(f->a, HEAD "%s" TAIL, f->acct, records);
}

/* Import xml (len bytes) into account acct of db as actor. */
static enum kw_status
imp(struct fx *f, struct db *db, const struct user *actor, long long acct,
    const char *xml, size_t len, struct import_report *rep)
{
	return import_document(db, f->a, actor, acct, xml, len, rep);
}

/* Import xml into account acct as actor. */
static enum kw_status
run(struct fx *f, const struct user *actor, long long acct, const char *xml,
    struct import_report *rep)
{
	return imp(f, f->db, actor, acct, xml, strlen(xml), rep);
}

/* Everything a write changes, as one string. */
static const char *
fp(struct fx *f)
{
	return raw_text(f->db, f->a, "SELECT (SELECT seq FROM change_seq) "
	    "|| '/' || (SELECT count(*) FROM audit_events) || '/' || "
	    "(SELECT count(*) FROM notifications) || '/' || "
	    "(SELECT count(*) FROM users) || '/' || "
	    "(SELECT count(*) FROM orgs) || '/' || "
	    "(SELECT count(*) FROM accounts)");
}

/* Whether any error of rep says msg. */
static int
says(const struct import_report *rep, const char *msg)
{
	size_t i;

	for (i = 0; i < rep->nerrors; i++)
		if (strstr(rep->errors[i].msg, msg) != NULL)
			return 1;
	return 0;
}

/* The line of xml the first needle is on. */
static long
line_of(const char *xml, const char *needle)
{
	const char *end = strstr(xml, needle);
	long line = 1;

	assert_non_null(end);
	for (; xml < end; xml++)
		line += *xml == '\n';
	return line;
}

/* Pieces of submissions. ext: an ExternalID element or "". */
#define EXT(id)	"<ExternalID>" id "</ExternalID>"

/* A proposed expectation of side. */
#define EXPECTATION(ext, side, title) \
	"<Expectation>" ext "\n<ExpectingSideCode>" side \
	"</ExpectingSideCode>\n<TitleText>" title "</TitleText>" \
	"<StatusCode>proposed</StatusCode>\n</Expectation>\n"

/* The supplier's promise P1 titled title, due 2026-03-20, in state, with
 * more (references, its history) in it. */
#define P1(title, state, more)	PROMISE_AS(EXT("P1"), title, state, more)
#define PROMISE_AS(ident, title, state, more) \
	"<Promise>" ident "\n<PromisorSideCode>supplier" \
	"</PromisorSideCode>\n<TitleText>" title "</TitleText>\n" \
	"<DueDate>2026-03-20</DueDate><OriginalDueDate>2026-03-20" \
	"</OriginalDueDate>\n<StatusCode>" state "</StatusCode>\n" more \
	"</Promise>\n"

/* A delivery on 2026-03-02 awaiting the promisee, or answered outcome. */
#define DELIVERY(outcome) \
	"<PromiseDelivery><DeliveryDate>2026-03-02</DeliveryDate>\n" \
	"<NoteText>Sent</NoteText><OutcomeCode>" outcome "</OutcomeCode>\n" \
	"</PromiseDelivery>\n"

/* P1 delivered, the delivery's outcome outcome, in state. */
#define PROMISE(outcome, state)	P1("Ship samples", state, DELIVERY(outcome))

/* A contact the supplier logged on channel, with more in it. */
#define CONTACT(ext, channel, more) \
	"<Contact>" ext "\n<AuthorSideCode>supplier</AuthorSideCode>\n" \
	"<ContactDate>2026-03-01</ContactDate><ChannelCode>" channel \
	"</ChannelCode>\n<ParticipantsText>Sam</ParticipantsText>\n" \
	"<SummaryText>Call</SummaryText>" more "</Contact>\n"

/* The records of a supplier's first submission. */
#define FOUR \
	EXPECTATION(EXT("E1"), "supplier", "Forecasts") \
	"<Update>" EXT("U1") "\n<AuthorSideCode>supplier</AuthorSideCode>\n" \
	"<UpdateTypeCode>development</UpdateTypeCode>\n" \
	"<TitleText>New line</TitleText><BodyText>More trays</BodyText>\n" \
	"</Update>\n" \
	P1("Ship samples", "delivered", "<ExpectationReference>" EXT("E1") \
	    "</ExpectationReference>\n" DELIVERY("pending")) \
	CONTACT(EXT("C1"), "call", "<Comment>" EXT("K1") \
	    "<AuthorSideCode>supplier</AuthorSideCode>" \
	    "<BodyText>Minutes follow</BodyText></Comment>\n")

/* Import P1 delivered as the supplier; what the database is then. */
static const char *
delivered_p1(struct fx *f)
{
	struct import_report rep;

	assert_int_equal(run(f, &f->s_admin, f->acct,
	    sub(f, PROMISE("pending", "delivered")), &rep), KW_OK);
	return fp(f);
}

static int
group_setup(void **state)
{
	if ((schema = fx_schema()) == NULL || xmlin_init() != 0)
		return -1;
	return fx_group_setup(state);
}

static int
group_teardown(void **state)
{
	xmlSchemaFree(schema);
	xmlin_fini();
	return fx_group_teardown(state);
}

/* ---- submissions -------------------------------------------------------- */

static void
test_submission_creates_records_of_the_submitters_side(void **state)
{
	struct fx *f = *state;
	struct import_report rep;
	long long e, p;

	assert_int_equal(run(f, &f->s_admin, f->acct, sub(f, FOUR), &rep),
	    KW_OK);
	assert_int_equal(rep.status, KW_OK);
	assert_int_equal(rep.created, 4);
	assert_int_equal(rep.changed + rep.unchanged + rep.nerrors, 0);
	assert_int_equal(rep.account_id, f->acct);
	assert_string_equal(rep.doc_id, "erp-1");
	e = raw_int(f->db, "SELECT id FROM expectations WHERE external_id = "
	    "'E1' AND from_side = 'supplier' AND state = 'proposed'");
	assert_true(e > 0);
	p = raw_int(f->db, "SELECT id FROM promises WHERE external_id = 'P1' "
	    "AND state = 'delivered' AND promisor_side = 'supplier'");
	assert_true(p > 0);
	assert_int_equal(raw_int(f->db, "SELECT expectation_id FROM promises "
	    "WHERE external_id = 'P1'"), e);
	assert_int_equal(raw_int(f->db, "SELECT created_by FROM promises "
	    "WHERE external_id = 'P1'"), f->s_admin.id);
	assert_int_equal(raw_int(f->db, "SELECT count(*) FROM "
	    "promise_deliveries WHERE outcome = 'pending'"), 1);
	assert_int_equal(raw_int(f->db, "SELECT count(*) FROM updates WHERE "
	    "external_id = 'U1' AND side = 'supplier'"), 1);
	assert_int_equal(raw_int(f->db, "SELECT count(*) FROM contacts WHERE "
	    "external_id = 'C1'"), 1);
	assert_int_equal(raw_int(f->db, "SELECT count(*) FROM comments WHERE "
	    "external_id = 'K1' AND entity = 'contact'"), 1);
	/* as in the portal: audited, and the buyer is told */
	assert_true(raw_int(f->db, "SELECT count(*) FROM audit_events WHERE "
	    "entity = 'promise' AND action = 'deliver'") == 1);
	assert_true(raw_int(f->db, "SELECT count(*) FROM notifications n "
	    "JOIN users u ON u.id = n.user_id WHERE u.org_id = 1") > 0);
}

static void
test_submission_twice_changes_nothing(void **state)
{
	struct fx *f = *state;
	struct import_report rep;
	const char *before;

	assert_int_equal(run(f, &f->s_admin, f->acct, sub(f, FOUR), &rep),
	    KW_OK);
	before = fp(f);
	assert_int_equal(run(f, &f->s_admin, f->acct, sub(f, FOUR), &rep),
	    KW_OK);
	assert_int_equal(rep.created + rep.changed, 0);
	assert_int_equal(rep.unchanged, 4);
	assert_string_equal(fp(f), before);
	/* the organisation, or the system, sending it again: the same */
	assert_int_equal(run(f, NULL, f->acct, sub(f, FOUR), &rep), KW_OK);
	assert_int_equal(rep.unchanged, 4);
	assert_string_equal(fp(f), before);
}

static void
test_supplier_cannot_confirm_its_own_promise(void **state)
{
	struct fx *f = *state;
	struct import_report rep;
	const char *before = delivered_p1(f);
	const char *xml = sub(f, EXPECTATION(EXT("E2"), "supplier",
	    "Forecasts") PROMISE("confirmed", "kept"));

	assert_int_equal(run(f, &f->s_admin, f->acct, xml, &rep),
	    KW_FORBIDDEN);
	assert_int_equal(rep.status, KW_FORBIDDEN);
	assert_int_equal(rep.nerrors, 1);
	assert_int_equal(rep.errors[0].status, KW_FORBIDDEN);
	assert_int_equal(rep.errors[0].line, line_of(xml, "<PromiseDelivery>"));
	assert_true(says(&rep, "buyer"));
	/* all or nothing: the expectation before it is not written either */
	assert_int_equal(rep.created + rep.changed + rep.unchanged, 0);
	assert_string_equal(fp(f), before);
	assert_int_equal(raw_int(f->db, "SELECT count(*) FROM expectations"),
	    0);
	assert_string_equal(raw_text(f->db, f->a, "SELECT state FROM promises"),
	    "delivered");
	/* the buyer may */
	assert_int_equal(run(f, &f->b_member, f->acct,
	    sub(f, PROMISE("confirmed", "kept")), &rep), KW_OK);
	assert_int_equal(rep.changed, 1);
	assert_string_equal(raw_text(f->db, f->a, "SELECT state || on_time "
	    "FROM promises"), "kept1");
	assert_int_equal(raw_int(f->db, "SELECT decided_by FROM "
	    "promise_deliveries"), f->b_member.id);
}

static void
test_other_sides_record_is_forbidden(void **state)
{
	struct fx *f = *state;
	struct import_report rep;
	const char *before = fp(f);

	assert_int_equal(run(f, &f->s_admin, f->acct, sub(f,
	    EXPECTATION("", "buyer", "Pay on time")), &rep), KW_FORBIDDEN);
	assert_int_equal(rep.errors[0].line, 8);
	assert_true(says(&rep, "only be written by the buyer"));
	assert_string_equal(fp(f), before);
}

static void
test_every_record_error_is_reported(void **state)
{
	struct fx *f = *state;
	struct import_report rep;
	const char *xml = sub(f, EXPECTATION("", "buyer", "Pay")
	    EXPECTATION("", "supplier", "Forecasts")
	    "<Update><ID>999</ID><AuthorSideCode>supplier</AuthorSideCode>\n"
	    "<UpdateTypeCode>need</UpdateTypeCode><TitleText>T</TitleText>"
	    "</Update>\n");

	/* two bad records, a good one between: two errors, nothing written */
	assert_int_equal(run(f, &f->s_admin, f->acct, xml, &rep),
	    KW_FORBIDDEN);
	assert_int_equal(rep.nerrors, 2);
	assert_int_equal(rep.errors[0].line, 8);
	assert_int_equal(rep.errors[1].status, KW_NOTFOUND);
	assert_int_equal(rep.errors[1].line, line_of(xml, "<Update>"));
	assert_int_equal(raw_int(f->db, "SELECT count(*) FROM expectations"),
	    0);
}

static void
test_recorded_text_does_not_change(void **state)
{
	struct fx *f = *state;
	struct import_report rep;
	const char *before = delivered_p1(f);

	assert_int_equal(run(f, &f->s_admin, f->acct, sub(f,
	    P1("Ship more samples", "delivered", DELIVERY("pending"))), &rep),
	    KW_CONFLICT);
	assert_true(says(&rep, "TitleText differs"));
	assert_int_equal(rep.errors[0].line, 8);
	/* nor does the history: a delivery left out */
	assert_int_equal(run(f, &f->s_admin, f->acct, sub(f,
	    P1("Ship samples", "open", "")), &rep), KW_CONFLICT);
	assert_true(says(&rep, "Send the whole record"));
	assert_string_equal(fp(f), before);
}

static void
test_record_named_by_id_gets_its_external_id(void **state)
{
	struct fx *f = *state;
	struct promise_new in = { "Ship samples", NULL, "2026-03-20", 0, 0 };
	struct import_report rep;
	long long pid;
	char *xml;

	assert_int_equal(promise_create(f->db, f->a, &f->s_admin, f->acct,
	    &in, &pid, NULL), KW_OK);
	xml = arena_xprintf(f->a, HEAD PROMISE_AS("<ID>%lld</ID>" EXT("ERP-9"),
	    "Ship samples", "open", "") TAIL, f->acct, pid);
	assert_int_equal(run(f, &f->s_admin, f->acct, xml, &rep), KW_OK);
	assert_int_equal(rep.changed, 1);
	assert_string_equal(raw_text(f->db, f->a, "SELECT external_id FROM "
	    "promises"), "ERP-9");
	assert_int_equal(run(f, &f->s_admin, f->acct, xml, &rep), KW_OK);
	assert_int_equal(rep.unchanged, 1);
	/* an ID that is not this account's */
	xml = arena_xprintf(f->a, HEAD PROMISE_AS("<ID>%lld</ID>",
	    "Ship samples", "open", "") TAIL, f->acct, pid + 100);
	assert_int_equal(run(f, &f->s_admin, f->acct, xml, &rep),
	    KW_NOTFOUND);
	assert_int_equal(rep.errors[0].line, 8);
}

static void
test_named_person_acts_only_for_the_submitters_org(void **state)
{
	struct fx *f = *state;
	struct import_report rep;

	assert_int_equal(run(f, &f->s_admin, f->acct, sub(f,
	    CONTACT(EXT("C1"), "call", "<CreatedByPerson><ID>1</ID>"
	    "<Name>Sue</Name><ElectronicMailText>SUE@supplier.example"
	    "</ElectronicMailText></CreatedByPerson>")
	    CONTACT(EXT("C2"), "call", "<CreatedByPerson><ID>1</ID>"
	    "<Name>Bea</Name><ElectronicMailText>bea@buyer.example"
	    "</ElectronicMailText></CreatedByPerson>")), &rep), KW_OK);
	assert_int_equal(raw_int(f->db, "SELECT created_by FROM contacts "
	    "WHERE external_id = 'C1'"), f->s_member.id);
	/* a person of the other org cannot be made to act: the submitter
	 * did */
	assert_int_equal(raw_int(f->db, "SELECT created_by FROM contacts "
	    "WHERE external_id = 'C2'"), f->s_admin.id);
}

static void
test_organisation_acts_through_its_owner(void **state)
{
	struct fx *f = *state;
	struct import_report rep;
	struct user org;

	memset(&org, 0, sizeof(org));
	org.org_id = f->s;
	assert_int_equal(run(f, &org, f->acct,
	    sub(f, PROMISE("pending", "delivered")), &rep), KW_OK);
	assert_int_equal(raw_int(f->db, "SELECT created_by FROM promises"),
	    f->s_admin.id);
	/* and may not take the buyer's steps either */
	assert_int_equal(run(f, &org, f->acct,
	    sub(f, PROMISE("confirmed", "kept")), &rep), KW_FORBIDDEN);
}

static void
test_system_takes_each_step_for_its_side(void **state)
{
	struct fx *f = *state;
	struct import_report rep;
	static const char history[] =
	    "<Promise><ExternalID>P9</ExternalID>\n"
	    "<PromisorSideCode>supplier</PromisorSideCode>\n"
	    "<TitleText>Fix the labels</TitleText>\n"
	    "<DueDate>2026-03-25</DueDate>"
	    "<OriginalDueDate>2026-03-20</OriginalDueDate>\n"
	    "<StatusCode>kept</StatusCode>\n"
	    "<PromiseDelivery><DeliveryDate>2026-03-01</DeliveryDate>"
	    "<NoteText>Relabelled</NoteText><OutcomeCode>disputed"
	    "</OutcomeCode><DisputeReasonText>Half of them</DisputeReasonText>"
	    "</PromiseDelivery>\n"
	    "<PromiseDelivery><DeliveryDate>2026-03-02</DeliveryDate>"
	    "<NoteText>All of them</NoteText><OutcomeCode>confirmed"
	    "</OutcomeCode></PromiseDelivery>\n"
	    "<PromiseDueDateChange><PreviousDueDate>2026-03-20"
	    "</PreviousDueDate><ProposedDueDate>2026-03-25</ProposedDueDate>"
	    "<ReasonText>Labels late</ReasonText><OutcomeCode>accepted"
	    "</OutcomeCode></PromiseDueDateChange>\n"
	    "</Promise>\n";

	assert_int_equal(run(f, NULL, f->acct, sub(f, history), &rep), KW_OK);
	assert_string_equal(raw_text(f->db, f->a, "SELECT state || ' ' || "
	    "due_date || ' ' || kept_on FROM promises"),
	    "kept 2026-03-25 2026-03-02");
	/* by the owners: the supplier's delivers, the buyer's decides */
	assert_int_equal(raw_int(f->db, "SELECT count(*) FROM "
	    "promise_deliveries WHERE delivered_by = 3 AND decided_by = 1"),
	    2);
	assert_int_equal(raw_int(f->db, "SELECT decided_by FROM "
	    "promise_due_changes WHERE outcome = 'accepted'"), f->b_admin.id);
	assert_int_equal(run(f, NULL, f->acct, sub(f, history), &rep), KW_OK);
	assert_int_equal(rep.unchanged, 1);
}

static void
test_history_steps_interleave_as_the_states_allow(void **state)
{
	struct fx *f = *state;
	struct import_report rep;

	assert_int_equal(run(f, NULL, f->acct,
	    sub(f, PROMISE("pending", "delivered")), &rep), KW_OK);
	/* the dispute must come before the new due date is proposed */
	assert_int_equal(run(f, NULL, f->acct, sub(f,
	    "<Promise><ExternalID>P1</ExternalID>\n"
	    "<PromisorSideCode>supplier</PromisorSideCode>\n"
	    "<TitleText>Ship samples</TitleText>\n"
	    "<DueDate>2026-03-20</DueDate>"
	    "<OriginalDueDate>2026-03-20</OriginalDueDate>\n"
	    "<StatusCode>disputed</StatusCode>\n"
	    "<PromiseDelivery><DeliveryDate>2026-03-02</DeliveryDate>\n"
	    "<NoteText>Sent</NoteText><OutcomeCode>disputed</OutcomeCode>\n"
	    "<DisputeReasonText>Wrong size</DisputeReasonText>"
	    "</PromiseDelivery>\n"
	    "<PromiseDueDateChange><ExternalID>DC1</ExternalID>"
	    "<PreviousDueDate>2026-03-20</PreviousDueDate><ProposedDueDate>"
	    "2026-03-31</ProposedDueDate><ReasonText>Remake</ReasonText>"
	    "<OutcomeCode>pending</OutcomeCode></PromiseDueDateChange>\n"
	    "</Promise>\n"), &rep), KW_OK);
	assert_int_equal(rep.changed, 1);
	assert_string_equal(raw_text(f->db, f->a, "SELECT external_id || ' ' "
	    "|| outcome FROM promise_due_changes"), "DC1 pending");
}

static void
test_expectation_steps_belong_to_their_sides(void **state)
{
	struct fx *f = *state;
	struct import_report rep;
	long long e;
	char *ack, *assess;

	assert_int_equal(expectation_create(f->db, f->a, &f->b_admin,
	    f->acct, "Forecasts", NULL, NULL, &e), KW_OK);
	ack = arena_xprintf(f->a, HEAD "<Expectation><ID>%lld</ID>\n"
	    "<ExpectingSideCode>buyer</ExpectingSideCode>\n"
	    "<TitleText>Forecasts</TitleText>"
	    "<StatusCode>acknowledged</StatusCode>%s</Expectation>\n" TAIL,
	    f->acct, e, "");
	assert_int_equal(run(f, &f->b_admin, f->acct, ack, &rep),
	    KW_FORBIDDEN);
	assert_true(says(&rep, "Acknowledging an expectation is for the "
	    "supplier"));
	assert_int_equal(run(f, &f->s_member, f->acct, ack, &rep), KW_OK);
	assert_int_equal(raw_int(f->db, "SELECT acknowledged_by FROM "
	    "expectations"), f->s_member.id);
	assess = arena_xprintf(f->a, HEAD "<Expectation><ID>%lld</ID>\n"
	    "<ExpectingSideCode>buyer</ExpectingSideCode>\n"
	    "<TitleText>Forecasts</TitleText>"
	    "<StatusCode>acknowledged</StatusCode>\n"
	    "<ExpectationAssessment><AssessmentPeriod><StartDate>2026-01-01"
	    "</StartDate><EndDate>2026-03-31</EndDate></AssessmentPeriod>"
	    "<RatingCode>partly</RatingCode></ExpectationAssessment>\n"
	    "</Expectation>\n" TAIL, f->acct, e);
	assert_int_equal(run(f, &f->s_member, f->acct, assess, &rep),
	    KW_FORBIDDEN);
	assert_int_equal(run(f, &f->b_member, f->acct, assess, &rep), KW_OK);
	assert_string_equal(raw_text(f->db, f->a, "SELECT rating FROM "
	    "expectation_assessments"), "partly");
	assert_int_equal(run(f, &f->b_member, f->acct, assess, &rep), KW_OK);
	assert_int_equal(rep.unchanged, 1);
}

static void
test_update_acknowledged_by_the_other_side(void **state)
{
	struct fx *f = *state;
	struct import_report rep;
	long long u;
	char *xml;

	assert_int_equal(update_create(f->db, f->a, &f->s_admin, f->acct,
	    UPDATE_NEED, "Forecasts", "Weekly", &u), KW_OK);
	xml = arena_xprintf(f->a, HEAD "<Update><ID>%lld</ID>\n"
	    "<AuthorSideCode>supplier</AuthorSideCode>\n"
	    "<UpdateTypeCode>need</UpdateTypeCode><TitleText>Forecasts"
	    "</TitleText><BodyText>Weekly</BodyText>\n"
	    "<UpdateAcknowledgement><AcknowledgedByPerson><ID>2</ID>"
	    "<Name>Bob</Name><ElectronicMailText>bob@buyer.example"
	    "</ElectronicMailText></AcknowledgedByPerson>"
	    "<AcknowledgementDate>2026-03-02</AcknowledgementDate>"
	    "<AcknowledgementTime>08:00:00Z</AcknowledgementTime>"
	    "</UpdateAcknowledgement>\n</Update>\n" TAIL, f->acct, u);
	assert_int_equal(run(f, &f->b_admin, f->acct, xml, &rep), KW_OK);
	assert_int_equal(raw_int(f->db, "SELECT user_id FROM update_reads"),
	    f->b_member.id);
	assert_int_equal(run(f, &f->s_admin, f->acct, xml, &rep), KW_OK);
	assert_int_equal(rep.unchanged, 1);
}

static void
test_withdrawal_by_the_writing_side(void **state)
{
	struct fx *f = *state;
	struct import_report rep;
	static const char contact[] = CONTACT(EXT("C1"), "call", "%s");
	const char *withdrawn = arena_xprintf(f->a, contact,
	    "<WithdrawalDate>2026-03-02</WithdrawalDate>");

	assert_int_equal(run(f, &f->s_admin, f->acct,
	    sub(f, arena_xprintf(f->a, contact, "")), &rep), KW_OK);
	assert_int_equal(run(f, &f->b_admin, f->acct, sub(f, withdrawn),
	    &rep), KW_FORBIDDEN);
	assert_int_equal(run(f, &f->s_member, f->acct, sub(f, withdrawn),
	    &rep), KW_OK);
	assert_int_equal(rep.changed, 1);
	assert_int_equal(raw_int(f->db, "SELECT count(*) FROM contacts WHERE "
	    "withdrawn_at IS NOT NULL"), 1);
	assert_int_equal(run(f, &f->s_member, f->acct,
	    sub(f, arena_xprintf(f->a, contact, "")), &rep), KW_CONFLICT);
}

static void
test_account_of_another_org_is_not_found(void **state)
{
	struct fx *f = *state;
	struct import_report rep;
	const char *before = fp(f);

	assert_int_equal(run(f, &f->x_admin, f->acct, sub(f, FOUR), &rep),
	    KW_NOTFOUND);
	assert_int_equal(rep.errors[0].line, 0);
	assert_int_equal(run(f, NULL, f->acct + 1, sub(f, FOUR), &rep),
	    KW_NOTFOUND);
	assert_string_equal(fp(f), before);
}

static void
test_document_about_another_account_is_refused(void **state)
{
	struct fx *f = *state;
	struct import_report rep;

	assert_int_equal(run(f, &f->s_admin, f->acct, arena_xprintf(f->a,
	    HEAD FOUR TAIL, f->acct + 7), &rep), KW_BADREQ);
	assert_int_equal(rep.errors[0].line, 6);
	assert_int_equal(raw_int(f->db, "SELECT count(*) FROM promises"), 0);
	/* a submission needs an account, a review snapshot is not one */
	assert_int_equal(run(f, NULL, 0, sub(f, FOUR), &rep), KW_BADREQ);
	assert_int_equal(run(f, NULL, f->acct, "<ReviewSnapshot xmlns=\""
	    EXPORT_NS "\"/>", &rep), KW_BADREQ);
	assert_true(says(&rep, "cannot be imported"));
}

/* ---- safe parsing ------------------------------------------------------- */

static void
test_not_well_formed_is_refused_with_its_line(void **state)
{
	struct fx *f = *state;
	struct import_report rep;
	const char *before = fp(f);

	assert_int_equal(run(f, &f->s_admin, f->acct, sub(f,
	    "<Update><ExternalID>U1</ExternalID>\n"
	    "<AuthorSideCode>supplier</AuthorSideCode>\n"
	    "<TitleText>New</Title>\n</Update>\n"), &rep), KW_BADREQ);
	assert_true(says(&rep, "tag mismatch"));
	assert_int_equal(rep.errors[rep.nerrors - 1].line, 10);
	assert_string_equal(fp(f), before);
	assert_int_equal(run(f, &f->s_admin, f->acct, "", &rep), KW_BADREQ);
	assert_int_equal(run(f, &f->s_admin, f->acct, "\xff\xfe<", &rep),
	    KW_BADREQ);
}

static void
test_schema_violation_is_refused_with_its_line(void **state)
{
	struct fx *f = *state;
	struct import_report rep;
	const char *before = fp(f);
	const char *xml = sub(f, CONTACT(EXT("C1"), "pigeon", ""));

	assert_int_equal(run(f, &f->s_admin, f->acct, xml, &rep), KW_BADREQ);
	assert_int_equal(rep.errors[0].line, line_of(xml, "pigeon"));
	assert_true(says(&rep, "'pigeon'"));
	/* the namespace every name carries is left out of messages */
	assert_false(says(&rep, "urn:keepword"));
	assert_string_equal(fp(f), before);
}

static void
test_schema_error_outranks_record_errors(void **state)
{
	struct fx *f = *state;
	struct import_report rep;
	char pad[4097];

	/* a record the supplier may not write, a long one, then (beyond
	 * what the parser reads ahead of the first) one that is not valid */
	memset(pad, 'x', sizeof(pad) - 1);
	pad[sizeof(pad) - 1] = '\0';
	assert_int_equal(run(f, &f->s_admin, f->acct, arena_xprintf(f->a,
	    HEAD "<Expectation><ExpectingSideCode>buyer</ExpectingSideCode>\n"
	    "<TitleText>Pay</TitleText><StatusCode>proposed</StatusCode>"
	    "</Expectation>\n"
	    "<Expectation><ExpectingSideCode>supplier</ExpectingSideCode>\n"
	    "<TitleText>Forecasts</TitleText><DetailText>%s</DetailText>\n"
	    "<StatusCode>proposed</StatusCode></Expectation>\n"
	    "<Expectation><ExpectingSideCode>buyer</ExpectingSideCode>\n"
	    "<StatusCode>proposed</StatusCode></Expectation>\n" TAIL,
	    f->acct, pad), &rep), KW_BADREQ);
	assert_int_equal(rep.nerrors, 2);
	assert_int_equal(rep.errors[0].status, KW_FORBIDDEN);
	assert_int_equal(rep.errors[1].status, KW_BADREQ);
	assert_int_equal(rep.errors[1].line, 14);
	assert_int_equal(raw_int(f->db, "SELECT count(*) FROM expectations"),
	    0);
}

static void
test_doctype_is_refused_and_nothing_is_loaded(void **state)
{
	struct fx *f = *state;
	struct import_report rep;
	static const char xxe[] =
	    "<?xml version=\"1.0\"?>\n"
	    "<!-- a comment first -->\n"
	    "<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>\n"
	    "<AccountLedgerSubmission xmlns=\"urn:keepword:exchange:1\">"
	    "<ID>&e;</ID></AccountLedgerSubmission>\n";
	static const char dtd[] =
	    "<!DOCTYPE AccountLedgerSubmission SYSTEM "
	    "\"http://127.0.0.1:9/x.dtd\">\n"
	    "<AccountLedgerSubmission xmlns=\"urn:keepword:exchange:1\"/>\n";
	const char *before = fp(f);
	size_t loads = xmlin_entity_loads(), i;
	char utf16[512];

	assert_int_equal(run(f, NULL, f->acct, xxe, &rep), KW_BADREQ);
	assert_int_equal(rep.nerrors, 1);
	assert_int_equal(rep.errors[0].line, 3);
	assert_true(says(&rep, "DOCTYPE is not allowed"));
	assert_int_equal(run(f, NULL, f->acct, dtd, &rep), KW_BADREQ);
	assert_int_equal(rep.errors[0].line, 1);
	assert_int_equal(xmlin_entity_loads(), loads);
	/* in UTF-16 the reader refuses it as it meets it */
	utf16[0] = '\xff';
	utf16[1] = '\xfe';
	for (i = 0; xxe[i] != '\0' && 2 * i + 3 < sizeof(utf16); i++) {
		utf16[2 + 2 * i] = xxe[i];
		utf16[3 + 2 * i] = '\0';
	}
	assert_int_equal(import_document(f->db, f->a, NULL, f->acct, utf16,
	    2 + 2 * i, &rep), KW_BADREQ);
	assert_true(says(&rep, "DOCTYPE is not allowed"));
	assert_false(says(&rep, "root:"));
	assert_int_equal(xmlin_entity_loads(), loads);
	assert_string_equal(fp(f), before);
}

static void
test_billion_laughs_is_refused_quickly(void **state)
{
	struct fx *f = *state;
	struct import_report rep;
	struct buf b;
	clock_t t0;
	int i, j;

	buf_init(&b, 0, 0);
	buf_puts(&b, "<?xml version=\"1.0\"?>\n<!DOCTYPE l [\n"
	    "<!ENTITY l0 \"lol\">\n");
	for (i = 1; i < 10; i++) {
		buf_printf(&b, "<!ENTITY l%d \"", i);
		for (j = 0; j < 10; j++)
			buf_printf(&b, "&l%d;", i - 1);
		buf_puts(&b, "\">\n");
	}
	buf_puts(&b, "]>\n<AccountLedgerSubmission xmlns=\""
	    "urn:keepword:exchange:1\"><ID>&l9;</ID>"
	    "</AccountLedgerSubmission>\n");
	t0 = clock();
	assert_int_equal(import_document(f->db, f->a, NULL, f->acct,
	    buf_str(&b), b.len, &rep), KW_BADREQ);
	assert_true(clock() - t0 < CLOCKS_PER_SEC);
	assert_true(says(&rep, "DOCTYPE"));
	buf_free(&b);
}

static void
test_oversize_is_refused_before_parsing(void **state)
{
	struct fx *f = *state;
	struct import_report rep;
	char *big = xmalloc(XMLIN_MAX + 1);
	clock_t t0;

	memset(big, '<', XMLIN_MAX + 1);
	t0 = clock();
	assert_int_equal(import_document(f->db, f->a, NULL, f->acct, big,
	    XMLIN_MAX + 1, &rep), KW_TOOBIG);
	assert_true(clock() - t0 < CLOCKS_PER_SEC / 10);
	assert_int_equal(rep.nerrors, 1);
	assert_true(says(&rep, "32 MiB"));
	free(big);
}

static void
test_errors_are_capped(void **state)
{
	struct fx *f = *state;
	struct import_report rep;
	struct buf b;
	int i;

	buf_init(&b, 0, 0);
	buf_printf(&b, HEAD, f->acct);
	for (i = 0; i < 150; i++)
		buf_puts(&b, CONTACT("", "fax", ""));
	buf_puts(&b, TAIL);
	assert_int_equal(import_document(f->db, f->a, NULL, f->acct,
	    buf_str(&b), b.len, &rep), KW_BADREQ);
	assert_int_equal(rep.nerrors, IMPORT_ERRORS_MAX);
	assert_true(rep.dropped > 0);
	buf_free(&b);
}

/* ---- the report --------------------------------------------------------- */

static int
to_buf(void *ctx, const char *data, size_t len)
{
	buf_append(ctx, data, len);
	return 0;
}

/* rep written, parsed and validated against the schema. */
static xmlDocPtr
report_doc(const struct import_report *rep)
{
	struct buf b;
	struct export_sink out = { to_buf, &b };
	xmlSchemaValidCtxtPtr v;
	xmlDocPtr doc;

	buf_init(&b, 0, 0);
	assert_int_equal(import_report_write(rep, &out), KW_OK);
	assert_non_null(doc = xmlReadMemory(buf_str(&b), (int)b.len,
	    "report.xml", NULL, XML_PARSE_NONET));
	assert_non_null(v = xmlSchemaNewValidCtxt(schema));
	assert_int_equal(xmlSchemaValidateDoc(v, doc), 0);
	xmlSchemaFreeValidCtxt(v);
	buf_free(&b);
	return doc;
}

/* The XPath expr (prefix k) of doc as a string in a. */
static const char *
xp(struct fx *f, xmlDocPtr doc, const char *expr)
{
	xmlXPathObjectPtr o = xpath_eval(doc, "k", EXPORT_NS, expr);
	xmlChar *s = xmlXPathCastToString(o);
	const char *out = arena_xstrdup(f->a, (const char *)s);

	xmlFree(s);
	xmlXPathFreeObject(o);
	return out;
}

static void
test_report_follows_the_schema(void **state)
{
	struct fx *f = *state;
	struct import_report rep;
	xmlDocPtr doc;

	assert_int_equal(run(f, &f->s_admin, f->acct, sub(f, FOUR), &rep),
	    KW_OK);
	doc = report_doc(&rep);
	assert_string_equal(xp(f, doc, "/k:ImportReport/k:StatusCode"),
	    "accepted");
	assert_string_equal(xp(f, doc, "/k:ImportReport/k:CreatedQuantity"),
	    "4");
	assert_string_equal(xp(f, doc, "//k:DocumentReference/k:ID"),
	    "erp-1");
	assert_string_equal(xp(f, doc, "count(//k:Error)"), "0");
	xmlFreeDoc(doc);
	assert_int_equal(run(f, &f->s_admin, f->acct, sub(f,
	    "<Contact>\n<Bogus/></Contact>\n"), &rep), KW_BADREQ);
	doc = report_doc(&rep);
	assert_string_equal(xp(f, doc, "/k:ImportReport/k:StatusCode"),
	    "rejected");
	assert_string_equal(xp(f, doc, "//k:Error[1]/k:ReasonCode"),
	    "invalid");
	assert_string_equal(xp(f, doc, "//k:Error[1]/k:LineNumeric"), "9");
	xmlFreeDoc(doc);
	/* an error of the whole document has no line */
	memset(&rep, 0, sizeof(rep));
	import_report_add(&rep, f->a, 0, KW_TOOBIG, "Too big \x01 \xff.");
	doc = report_doc(&rep);
	assert_string_equal(xp(f, doc, "count(//k:LineNumeric)"), "0");
	assert_string_equal(xp(f, doc, "//k:ReasonCode"), "too-large");
	xmlFreeDoc(doc);
}

/* ---- restoring a ledger ------------------------------------------------- */

/* Everything a ledger holds, in the fixture account: each kind of record
 * and part, an owner handed over, a cadence changed, an identifier, a
 * frozen review, and a promise whose concern changed after it. */
static void
rich_ledger(struct fx *f)
{
	struct promise_new pn = { "Ship samples", "Ten", "2026-03-20", 0, 0 };
	struct promise_input in = { "2026-03-02", "Sent" };
	struct contact c;
	struct feedback fb;
	struct import_report rep;
	long long e, p, q, k, u, id;
	char from[11];

	assert_int_equal(run(f, &f->s_admin, f->acct, sub(f, FOUR), &rep),
	    KW_OK);
	assert_int_equal(expectation_create(f->db, f->a, &f->b_admin,
	    f->acct, "Forecasts", "Weekly", "4 weeks", &e), KW_OK);
	assert_int_equal(expectation_acknowledge(f->db, f->a, &f->s_admin,
	    f->acct, e), KW_OK);
	assert_int_equal(expectation_assess(f->db, f->a, &f->b_admin, f->acct,
	    e, "2026-02-01", EXPECTATION_MET, "Good", NULL, NULL), KW_OK);
	assert_int_equal(concern_raise(f->db, &f->b_admin, f->acct,
	    "Broken pallets", "Ten of them", &k), KW_OK);
	pn.expectation_id = e;
	pn.concern_id = k;
	assert_int_equal(promise_create(f->db, f->a, &f->s_admin, f->acct,
	    &pn, &p, NULL), KW_OK);
	in.text = "Replaced";
	assert_int_equal(promise_act(f->db, f->a, &f->s_admin, f->acct, p,
	    PROMISE_DELIVER, &in, NULL), KW_OK);
	in.text = "Not all";
	assert_int_equal(promise_act(f->db, f->a, &f->b_admin, f->acct, p,
	    PROMISE_DISPUTE, &in, NULL), KW_OK);
	in.date = "2026-03-25";
	in.text = "More wood needed";
	assert_int_equal(promise_act(f->db, f->a, &f->s_admin, f->acct, p,
	    PROMISE_RENEGOTIATE, &in, NULL), KW_OK);
	assert_int_equal(promise_act(f->db, f->a, &f->b_admin, f->acct, p,
	    PROMISE_ACCEPT_DUE, NULL, NULL), KW_OK);
	in.date = "2026-03-02";
	in.text = "All replaced";
	assert_int_equal(promise_act(f->db, f->a, &f->s_admin, f->acct, p,
	    PROMISE_DELIVER, &in, NULL), KW_OK);
	assert_int_equal(promise_act(f->db, f->a, &f->b_admin, f->acct, p,
	    PROMISE_CONFIRM, NULL, NULL), KW_OK);
	pn.title = "Give up";
	pn.expectation_id = pn.concern_id = 0;
	assert_int_equal(promise_create(f->db, f->a, &f->b_admin, f->acct,
	    &pn, &q, NULL), KW_OK);
	in.text = "No longer needed";
	assert_int_equal(promise_act(f->db, f->a, &f->b_admin, f->acct, q,
	    PROMISE_BREAK, &in, NULL), KW_OK);
	/* the concern changes after the promise that names it */
	assert_int_equal(concern_act(f->db, &f->s_admin, f->acct, k,
	    CONCERN_PROPOSE, "All replaced"), KW_OK);
	assert_int_equal(concern_act(f->db, &f->b_admin, f->acct, k,
	    CONCERN_ACCEPT, NULL), KW_OK);
	assert_int_equal(update_create(f->db, f->a, &f->b_admin, f->acct,
	    UPDATE_DIRECTION, "Growth", "Two new shops", &u), KW_OK);
	assert_int_equal(update_mark_read(f->db, f->a, &f->s_member, f->acct,
	    u), KW_OK);
	assert_int_equal(comment_add(f->db, f->a, &f->s_member, f->acct,
	    "update", u, "Tom & \"Jerry\" <b> — Grüße", &id), KW_OK);
	assert_int_equal(comment_withdraw(f->db, f->a, &f->s_member, f->acct,
	    id, NULL), KW_OK);
	memset(&c, 0, sizeof(c));
	c.date = "2026-02-27";
	c.channel = CONTACT_VISIT;
	c.participants = "Bea, Sam";
	c.summary = "Line 1\nLine 2\twith a tab";
	assert_int_equal(contact_log(f->db, &f->b_admin, f->acct, &c, &id),
	    KW_OK);
	assert_int_equal(contact_withdraw(f->db, &f->b_admin, f->acct, id),
	    KW_OK);
	memset(&fb, 0, sizeof(fb));
	fb.rating = 4;
	fb.aspect = FEEDBACK_DELIVERY;
	fb.comment = "Quick";
	assert_int_equal(feedback_give(f->db, &f->b_member, f->acct, &fb,
	    NULL), KW_OK);
	assert_int_equal(party_id_set(f->db, NULL, f->s, PARTY_DUNS,
	    "150483782"), KW_OK);
	assert_int_equal(account_set_owner(f->db, &f->s_admin, f->acct,
	    SIDE_SUPPLIER, f->s_member.id, "Over to you"), KW_OK);
	assert_int_equal(account_set_cadence(f->db, &f->b_admin, f->acct,
	    CADENCE_MONTHLY, from), KW_OK);
	/* the first quarter reviewed, with an action, and signed */
	fx_frozen_review(f, &f->s_member, NULL);
	assert_string_equal(raw_text(f->db, f->a, "SELECT state FROM reviews"),
	    "frozen");
}

/* The system's export of account acct of db, as a string. */
static const char *
export_of(struct fx *f, struct db *db, const struct user *actor,
    long long acct)
{
	struct buf b;
	struct export_sink out = { to_buf, &b };
	const char *s;

	buf_init(&b, 0, 0);
	assert_int_equal(export_ledger(db, f->a, actor, acct, 0, &out, NULL),
	    KW_OK);
	s = arena_xstrndup(f->a, buf_str(&b), b.len);
	buf_free(&b);
	return s;
}

/* Document xml with every LOCAL value left out (the schema's LocalIDType
 * and ChangeSequenceNumericType elements, the header's ID, UUID and
 * issue time), serialised. */
static const char *
without_local(struct fx *f, const char *xml)
{
	xmlDocPtr doc = xmlReadMemory(xml, (int)strlen(xml), "l.xml", NULL,
	    XML_PARSE_NONET | XML_PARSE_NOBLANKS);
	xmlXPathObjectPtr o;
	xmlChar *out;
	const char *s;
	int i, n;

	assert_non_null(doc);
	o = xpath_eval(doc, "k", EXPORT_NS,
	    "//k:ID[not(@schemeID)] | //k:ChangeSequenceNumeric | "
	    "/*/k:UUID | /*/k:IssueDate | /*/k:IssueTime | "
	    "/*/k:ProfileExecutionID | /*/k:SinceChangeSequenceNumeric | "
	    "/*/k:LastChangeSequenceNumeric");
	n = o->nodesetval != NULL ? o->nodesetval->nodeNr : 0;
	assert_true(n > 50);
	for (i = 0; i < n; i++) {
		xmlUnlinkNode(o->nodesetval->nodeTab[i]);
		xmlFreeNode(o->nodesetval->nodeTab[i]);
	}
	xmlXPathFreeObject(o);
	xmlDocDumpFormatMemory(doc, &out, &n, 1);
	s = arena_xstrdup(f->a, (const char *)out);
	xmlFree(out);
	xmlFreeDoc(doc);
	return s;
}

/* A second, empty database for a restore (in g's directory). */
static struct db *
empty_db(struct fx *g)
{
	fx_fresh(g);
	return g->db;
}

static void
drop_db(struct fx *g)
{
	db_close(g->db);
	arena_free(g->a);
	rm_db(g->path);
	rmdir(g->dir);
}

static void
test_restore_reproduces_the_export(void **state)
{
	struct fx *f = *state, g;
	struct import_report rep;
	const char *ledger, *again;
	struct db *db;

	rich_ledger(f);
	ledger = export_of(f, f->db, NULL, f->acct);
	db = empty_db(&g);
	assert_int_equal(imp(f, db, NULL, 0, ledger, strlen(ledger), &rep),
	    KW_OK);
	assert_int_equal(rep.nerrors, 0);
	assert_true(rep.account_id > 0);
	assert_int_equal(rep.created, 1 + raw_int(f->db, "SELECT "
	    "(SELECT count(*) FROM expectations) + "
	    "(SELECT count(*) FROM updates) + (SELECT count(*) FROM promises) "
	    "+ (SELECT count(*) FROM contacts) + "
	    "(SELECT count(*) FROM feedback) + (SELECT count(*) FROM concerns)"
	    " + (SELECT count(*) FROM reviews)"));
	again = export_of(f, db, NULL, rep.account_id);
	assert_string_equal(without_local(f, again), without_local(f, ledger));
	/* its people came with it, and cannot sign in until given a
	 * password */
	assert_int_equal(raw_int(db, "SELECT count(*) FROM users WHERE "
	    "password_hash = '!'"), 5);
	assert_int_equal(raw_int(db, "SELECT count(*) FROM audit_events WHERE "
	    "action = 'import'"), 1);
	drop_db(&g);
}

static void
test_restore_twice_is_refused(void **state)
{
	struct fx *f = *state, g;
	struct import_report rep;
	const char *ledger, *before;
	struct db *db;

	ledger = export_of(f, f->db, NULL, f->acct);
	db = empty_db(&g);
	assert_int_equal(imp(f, db, NULL, 0, ledger, strlen(ledger), &rep),
	    KW_OK);
	before = raw_text(db, f->a, "SELECT (SELECT seq FROM change_seq) || "
	    "'/' || (SELECT count(*) FROM audit_events)");
	assert_int_equal(import_document(db, f->a, NULL, 0, ledger,
	    strlen(ledger), &rep), KW_CONFLICT);
	assert_true(says(&rep, "restored already"));
	assert_int_equal(rep.account_id, 0);
	assert_string_equal(raw_text(db, f->a, "SELECT (SELECT seq FROM "
	    "change_seq) || '/' || (SELECT count(*) FROM audit_events)"),
	    before);
	drop_db(&g);
}

static void
test_restore_needs_everyones_email(void **state)
{
	struct fx *f = *state, g;
	struct import_report rep;
	const char *ledger;
	struct db *db;

	assert_int_equal(run(f, &f->s_admin, f->acct, sub(f, FOUR), &rep),
	    KW_OK);
	/* a user's export shows the emails of their own org only */
	ledger = export_of(f, f->db, &f->b_admin, f->acct);
	db = empty_db(&g);
	assert_int_equal(import_document(db, f->a, NULL, 0, ledger,
	    strlen(ledger), &rep), KW_BADREQ);
	assert_true(says(&rep, "has no email"));
	assert_int_equal(raw_int(db, "SELECT count(*) FROM orgs"), 0);
	assert_int_equal(raw_int(db, "SELECT count(*) FROM users"), 0);
	drop_db(&g);
}

static void
test_restore_only_by_the_system_as_a_new_account(void **state)
{
	struct fx *f = *state;
	struct import_report rep;
	const char *ledger = export_of(f, f->db, NULL, f->acct);

	assert_int_equal(import_document(f->db, f->a, &f->s_admin, f->acct,
	    ledger, strlen(ledger), &rep), KW_BADREQ);
	assert_true(says(&rep, "partner system sends"));
	assert_int_equal(import_document(f->db, f->a, NULL, f->acct, ledger,
	    strlen(ledger), &rep), KW_BADREQ);
	assert_true(says(&rep, "new account"));
	assert_int_equal(raw_int(f->db, "SELECT count(*) FROM accounts"), 1);
}

static void
test_restore_of_a_bad_ledger_writes_nothing(void **state)
{
	struct fx *f = *state, g;
	struct import_report rep;
	const char *ledger;
	char *bad, *p;
	struct db *db;

	rich_ledger(f);
	ledger = export_of(f, f->db, NULL, f->acct);
	/* the kept promise said to be open: its history disagrees */
	bad = arena_xstrdup(f->a, ledger);
	assert_non_null(p = strstr(bad, "<StatusCode>kept</StatusCode>"));
	memcpy(p, "<StatusCode>open</StatusCode>", strlen("<StatusCode>open"
	    "</StatusCode>"));
	memmove(p + strlen("<StatusCode>open</StatusCode>"),
	    p + strlen("<StatusCode>kept</StatusCode>"),
	    strlen(p + strlen("<StatusCode>kept</StatusCode>")) + 1);
	db = empty_db(&g);
	assert_int_equal(import_document(db, f->a, NULL, 0, bad, strlen(bad),
	    &rep), KW_BADREQ);
	assert_true(says(&rep, "does not agree with its last delivery"));
	assert_true(rep.errors[0].line > 1);
	assert_int_equal(raw_int(db, "SELECT count(*) FROM orgs"), 0);
	assert_int_equal(raw_int(db, "SELECT count(*) FROM accounts"), 0);
	assert_int_equal(raw_int(db, "SELECT seq FROM change_seq"), 1);
	drop_db(&g);
}

/* ledger with the GLN 4012345000009 written as gln (as typed by hand in
 * a partner's system). */
static const char *
with_gln(struct fx *f, const char *ledger, const char *gln)
{
	const char *p;

	assert_non_null(p = strstr(ledger, ">4012345000009<"));
	return arena_xprintf(f->a, "%.*s>%s<%s", (int)(p - ledger), ledger,
	    gln, p + strlen(">4012345000009<"));
}

/* A restored identifier is kept as the portal keeps it; one the portal
 * would refuse is refused, and nothing is written. */
static void
test_restore_keeps_identifiers_as_the_portal_does(void **state)
{
	struct fx *f = *state, g;
	struct import_report rep;
	const char *ledger, *spaced, *bad;
	struct db *db;

	assert_int_equal(party_id_set(f->db, &f->b_admin, f->b, PARTY_GLN,
	    "4012345000009"), KW_OK);
	ledger = export_of(f, f->db, NULL, f->acct);
	spaced = with_gln(f, ledger, "4012 3450 00009");
	bad = with_gln(f, ledger, "4012345000008");
	db = empty_db(&g);
	assert_int_equal(import_document(db, f->a, NULL, 0, bad, strlen(bad),
	    &rep), KW_BADREQ);
	assert_true(says(&rep, "4012345000008 is not a valid GLN"));
	assert_int_equal(raw_int(db, "SELECT count(*) FROM orgs"), 0);
	assert_int_equal(import_document(db, f->a, NULL, 0, spaced,
	    strlen(spaced), &rep), KW_OK);
	assert_string_equal(raw_text(db, f->a, "SELECT value FROM "
	    "org_identifiers WHERE scheme = 'GLN'"), "4012345000009");
	drop_db(&g);
}

int
main(void)
{
#define T(name)	cmocka_unit_test_setup_teardown(name, fx_setup, fx_teardown)
	const struct CMUnitTest tests[] = {
		T(test_submission_creates_records_of_the_submitters_side),
		T(test_submission_twice_changes_nothing),
		T(test_supplier_cannot_confirm_its_own_promise),
		T(test_other_sides_record_is_forbidden),
		T(test_every_record_error_is_reported),
		T(test_recorded_text_does_not_change),
		T(test_record_named_by_id_gets_its_external_id),
		T(test_named_person_acts_only_for_the_submitters_org),
		T(test_organisation_acts_through_its_owner),
		T(test_system_takes_each_step_for_its_side),
		T(test_history_steps_interleave_as_the_states_allow),
		T(test_expectation_steps_belong_to_their_sides),
		T(test_update_acknowledged_by_the_other_side),
		T(test_withdrawal_by_the_writing_side),
		T(test_account_of_another_org_is_not_found),
		T(test_document_about_another_account_is_refused),
		T(test_not_well_formed_is_refused_with_its_line),
		T(test_schema_violation_is_refused_with_its_line),
		T(test_schema_error_outranks_record_errors),
		T(test_doctype_is_refused_and_nothing_is_loaded),
		T(test_billion_laughs_is_refused_quickly),
		T(test_oversize_is_refused_before_parsing),
		T(test_errors_are_capped),
		T(test_report_follows_the_schema),
		T(test_restore_reproduces_the_export),
		T(test_restore_twice_is_refused),
		T(test_restore_needs_everyones_email),
		T(test_restore_only_by_the_system_as_a_new_account),
		T(test_restore_of_a_bad_ledger_writes_nothing),
		T(test_restore_keeps_identifiers_as_the_portal_does),
	};
#undef T

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
