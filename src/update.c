/* update.c: strategic updates that keep the other side of an account in the loop. */
#include "config.h"

#include <stddef.h>
#include <string.h>

#include <sqlite3.h>

#include "account.h"
#include "arena.h"
#include "audit.h"
#include "clock.h"
#include "db.h"
#include "entry.h"
#include "kw.h"
#include "notify.h"
#include "org.h"
#include "update.h"
#include "valid.h"

#define READERS_MAX	"10000"

const char *const update_kind_names[UPDATE_KIND__MAX + 1] = {
	[UPDATE_DIRECTION] = "direction",
	[UPDATE_NEED] = "need",
	[UPDATE_DEVELOPMENT] = "development",
	[UPDATE_ORGANISATION] = "organisation",
	[UPDATE_KIND__MAX] = NULL,
};

const char *const update_action_names[UPDATE_ACTION__MAX + 1] = {
	[UPDATE_READ] = "read",
	[UPDATE_WITHDRAW] = "withdraw",
	[UPDATE_ACTION__MAX] = NULL,
};

const char *const update_seen_names[UPDATE_SEEN__MAX + 1] = {
	[UPDATE_SEEN] = "yes",
	[UPDATE_UNSEEN] = "no",
	[UPDATE_SEEN__MAX] = NULL,
};

enum update_stmt {
	STMT_UPD_INSERT,
	STMT_UPD_GET,
	STMT_UPD_LIST,
	STMT_UPD_COUNT,
	STMT_UPD_UNREAD,
	STMT_UPD_READ,
	STMT_UPD_NOTICES_READ,
	STMT_UPD_WITHDRAW,
	STMT_UPD_READERS,
	STMT_UPD_AUDIENCE,
	STMT_UPD_FIGURES,
	STMT_UPD__MAX
};

/*
 * An update as the viewer (?8 their side, ?9 their user id) sees it:
 * unread when it comes from the other side and they have not read it.
 */
#define UPD_COLS \
	"SELECT u.id, u.account_id, u.side, u.kind, u.title, u.body, " \
	"u.created_by, cu.name, u.created_at, " \
	"coalesce(u.withdrawn_at, ''), " UPD_UNREAD " AS unread, " \
	"(SELECT count(*) FROM update_reads r WHERE r.update_id = u.id) " \
	"FROM updates u JOIN users cu ON cu.id = u.created_by "
#define UPD_UNREAD \
	"(u.side <> ?8 AND NOT EXISTS (SELECT 1 FROM update_reads r " \
	"WHERE r.update_id = u.id AND r.user_id = ?9))"

/*
 * How a review period's scorecard counts update u, shared by its
 * statement and the list's filter so that the two cannot drift apart:
 * shared on the days lo..hi (SQL expressions; created_at is ISO-8601
 * text, so the times from lo up to the day after hi, a range an index
 * can take) and standing; read by someone of the org on the other side
 * than its author's.
 */
#define UPD_SHARED_IN(lo, hi) \
	"u.created_at >= " lo " AND u.created_at < date(" hi ", '+1 day') " \
	"AND u.withdrawn_at IS NULL "
#define UPD_SEEN \
	"EXISTS (SELECT 1 FROM update_reads r " \
	"JOIN users ru ON ru.id = r.user_id " \
	"JOIN accounts a ON a.id = u.account_id WHERE r.update_id = u.id " \
	"AND ru.org_id = CASE u.side WHEN 'buyer' THEN a.supplier_org_id " \
	"ELSE a.buyer_org_id END)"

/* ?1 account, ?2 kind or NULL, ?3 author side or NULL, ?6..?7 the days
 * it was shared on (NULL: any, see entry_bind_days()), ?10 whether the
 * other side has read it (1 or 0; NULL: either). */
#define UPD_FILTER \
	"WHERE u.account_id = ?1 AND u.withdrawn_at IS NULL " \
	"AND (?2 IS NULL OR u.kind = ?2) AND (?3 IS NULL OR u.side = ?3) " \
	"AND (?6 IS NULL OR " UPD_SHARED_IN("?6", "?7") ") " \
	"AND (?10 IS NULL OR " UPD_SEEN " = ?10) "

/* For STMT_UPD_FIGURES: side's, a range of updates_side. (Both sides at
 * once by "IN" would build a table of the two names on every run.) */
#define UPD_FIGURES(side) \
	"SELECT '" side "', count(*), coalesce(sum(" UPD_SEEN "), 0) " \
	"FROM updates u WHERE u.account_id = ?1 AND u.side = '" side "' " \
	"AND " UPD_SHARED_IN("?2", "?3")

static const char *const update_sql[STMT_UPD__MAX] = {
	/* ?1..?4 as entry_insert() binds them. */
	[STMT_UPD_INSERT] =
	    "INSERT INTO updates (account_id, side, created_by, created_at, "
	    "kind, title, body) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
	[STMT_UPD_GET] = UPD_COLS
	    "WHERE u.id = ?1 AND u.account_id = ?2",
	[STMT_UPD_LIST] = UPD_COLS UPD_FILTER
	    "ORDER BY unread DESC, u.created_at DESC, u.id DESC "
	    "LIMIT ?4 OFFSET ?5",
	[STMT_UPD_COUNT] =
	    "SELECT count(*) FROM updates u " UPD_FILTER,
	[STMT_UPD_UNREAD] =
	    "SELECT count(*) FROM updates u WHERE u.account_id = ?1 "
	    "AND u.withdrawn_at IS NULL AND " UPD_UNREAD,
	[STMT_UPD_READ] =
	    "INSERT OR IGNORE INTO update_reads (update_id, user_id, read_at) "
	    "VALUES (?1, ?2, ?3)",
	[STMT_UPD_NOTICES_READ] =
	    "UPDATE notifications SET read_at = ?3 WHERE user_id = ?1 "
	    "AND entity = 'update' AND entity_id = ?2 AND read_at IS NULL",
	[STMT_UPD_WITHDRAW] =
	    "UPDATE updates SET withdrawn_at = ?3 "
	    "WHERE id = ?1 AND account_id = ?2 AND withdrawn_at IS NULL",
	[STMT_UPD_READERS] =
	    "SELECT r.user_id, u.name, r.read_at FROM update_reads r "
	    "JOIN users u ON u.id = r.user_id WHERE r.update_id = ?1 "
	    "ORDER BY r.read_at, u.name, u.id LIMIT " READERS_MAX,
	[STMT_UPD_AUDIENCE] =
	    "SELECT count(*) FROM users WHERE org_id = ?1 AND active = 1",
	/* Per author's side, of the period ?2..?3. */
	[STMT_UPD_FIGURES] = UPD_FIGURES("buyer") "UNION ALL "
	    UPD_FIGURES("supplier"),
};

const struct db_stmt_table update_stmts = {
	"update", update_sql, STMT_UPD__MAX
};

enum kw_status
update_may(enum account_side author_side, int withdrawn,
    enum account_side side, enum update_action action)
{
	if ((int)action < 0 || action >= UPDATE_ACTION__MAX)
		return KW_BADREQ;
	if ((int)side < 0 || side >= SIDE__MAX || (int)author_side < 0 ||
	    author_side >= SIDE__MAX ||
	    (side == author_side) != (action == UPDATE_WITHDRAW))
		return KW_FORBIDDEN;
	return withdrawn ? KW_CONFLICT : KW_OK;
}

/* Bind the viewer's side and user id (?8, ?9 of UPD_COLS). */
static void
bind_viewer(sqlite3_stmt *st, const struct account *acct,
    const struct user *actor)
{
	db_bind_text(st, 8, account_side_names[acct->my_side]);
	db_bind_int(st, 9, actor->id);
}

/* Fill *elem, a struct update, from a row of UPD_COLS. */
static void
upd_row(struct arena *a, sqlite3_stmt *st, void *elem)
{
	struct update *u = elem;

	u->id = sqlite3_column_int64(st, 0);
	u->account_id = sqlite3_column_int64(st, 1);
	u->side = (enum account_side)db_col_enum(st, 2, account_side_names,
	    SIDE__MAX);
	u->kind = (enum update_kind)db_col_enum(st, 3, update_kind_names,
	    UPDATE_DIRECTION);
	u->title = db_col_text(a, st, 4);
	u->body = db_col_text(a, st, 5);
	u->created_by = sqlite3_column_int64(st, 6);
	u->created_by_name = db_col_text(a, st, 7);
	u->created_at = db_col_text(a, st, 8);
	u->withdrawn_at = db_col_text(a, st, 9);
	u->unread = sqlite3_column_int(st, 10) != 0;
	u->reads = (size_t)sqlite3_column_int64(st, 11);
}

/* Fill *elem, a struct update_reader, from a row of STMT_UPD_READERS. */
static void
reader_row(struct arena *a, sqlite3_stmt *st, void *elem)
{
	struct update_reader *r = elem;

	r->user_id = sqlite3_column_int64(st, 0);
	r->name = db_col_text(a, st, 1);
	r->read_at = db_col_text(a, st, 2);
}

/* Update id of account_id as actor sees it into *u, or KW_NOTFOUND. */
static enum kw_status
upd_load(struct db *db, struct arena *a, const struct account *acct,
    const struct user *actor, long long id, struct update *u)
{
	sqlite3_stmt *st;

	memset(u, 0, sizeof(*u));
	if ((st = db_stmt(db, &update_stmts, STMT_UPD_GET)) != NULL) {
		db_bind_int(st, 1, id);
		db_bind_int(st, 2, acct->id);
		bind_viewer(st, acct, actor);
	}
	return db_one(db, a, st, upd_row, u);
}

/* update_create() inside the caller's transaction (in_tx) or in one of
 * its own. */
static enum kw_status
create(struct db *db, struct arena *a, const struct user *actor,
    long long account_id, enum update_kind kind, const char *title,
    const char *body, long long *id, int in_tx)
{
	struct account acct;
	struct entry_notice nt;
	sqlite3_stmt *st;
	enum kw_status ret;

	if ((ret = entry_account(db, a, actor, account_id, &acct)) != KW_OK)
		return ret;
	if ((int)kind < 0 || kind >= UPDATE_KIND__MAX ||
	    !valid_text_ok(title, 1, UPDATE_TITLE_MAX, 0) ||
	    !valid_text_ok(body, 1, UPDATE_BODY_MAX, 1))
		return KW_BADREQ;
	if ((st = db_stmt(db, &update_stmts, STMT_UPD_INSERT)) != NULL) {
		db_bind_text(st, 5, update_kind_names[kind]);
		db_bind_text(st, 6, title);
		db_bind_text(st, 7, body);
	}
	nt.kind = NOTIFY_UPDATE;
	nt.text = arena_xprintf(a, "New update (%s) from the %s: %s",
	    update_kind_names[kind], account_side_names[acct.my_side], title);
	return (in_tx ? entry_insert_in : entry_insert)(db, a, actor, &acct,
	    st, "update", arena_xprintf(a, "%s: %s", update_kind_names[kind],
	    title), entry_announce, &nt, id);
}

enum kw_status
update_create(struct db *db, struct arena *a, const struct user *actor,
    long long account_id, enum update_kind kind, const char *title,
    const char *body, long long *id)
{
	return create(db, a, actor, account_id, kind, title, body, id, 0);
}

enum kw_status
update_create_in(struct db *db, struct arena *a, const struct user *actor,
    long long account_id, enum update_kind kind, const char *title,
    const char *body, long long *id)
{
	return create(db, a, actor, account_id, kind, title, body, id, 1);
}

/* Statement sid with ?1 account_id and the filters of q bound as
 * UPD_FILTER reads them; NULL if it did not prepare. */
static sqlite3_stmt *
query_stmt(struct db *db, int sid, long long account_id,
    const struct update_query *q)
{
	const char *const filter[2] = {
		entry_filter(update_kind_names, UPDATE_KIND__MAX, (int)q->kind),
		entry_filter(account_side_names, SIDE__MAX, (int)q->side),
	};
	sqlite3_stmt *st;

	if ((st = entry_filter_stmt(db, &update_stmts, sid, account_id,
	    filter)) == NULL)
		return NULL;
	entry_bind_days(st, 6, q->from, q->to);
	if (q->seen != UPDATE_SEEN__MAX)
		db_bind_int(st, 10, q->seen == UPDATE_SEEN);
	return st;
}

enum kw_status
update_list(struct db *db, struct arena *a, const struct user *actor,
    long long account_id, const struct update_query *q,
    struct update **list, size_t *n, size_t *total)
{
	struct account acct;
	sqlite3_stmt *st;
	void *rows = NULL;
	enum kw_status ret;

	*list = NULL;
	*n = 0;
	if (total != NULL)
		*total = 0;
	if ((ret = entry_account(db, a, actor, account_id, &acct)) != KW_OK)
		return ret;
	if ((int)q->seen < 0 || q->seen > UPDATE_SEEN__MAX ||
	    !entry_days_ok(q->from, q->to))
		return KW_BADREQ;
	if ((st = query_stmt(db, STMT_UPD_LIST, acct.id, q)) != NULL)
		bind_viewer(st, &acct, actor);
	ret = entry_page(db, a, st, total == NULL ? NULL :
	    query_stmt(db, STMT_UPD_COUNT, acct.id, q), q->limit, q->offset,
	    sizeof(**list), upd_row, &rows, n, total);
	*list = rows;
	return ret;
}

enum kw_status
update_figures(struct db *db, long long account_id, const char *from,
    const char *to, long long shared[SIDE__MAX], long long seen[SIDE__MAX])
{
	sqlite3_stmt *st;
	int rc, side;

	memset(shared, 0, SIDE__MAX * sizeof(shared[0]));
	memset(seen, 0, SIDE__MAX * sizeof(seen[0]));
	if (from == NULL || to == NULL || !entry_days_ok(from, to))
		return KW_BADREQ;
	if ((st = db_stmt(db, &update_stmts, STMT_UPD_FIGURES)) == NULL)
		return KW_INTERNAL;
	db_bind_int(st, 1, account_id);
	db_bind_text(st, 2, from);
	db_bind_text(st, 3, to);
	while ((rc = db_step(db, st)) == SQLITE_ROW)
		if ((side = db_col_enum(st, 0, account_side_names, -1)) >= 0) {
			shared[side] = sqlite3_column_int64(st, 1);
			seen[side] = sqlite3_column_int64(st, 2);
		}
	db_stmt_done(st);
	if (rc != SQLITE_DONE) {
		memset(shared, 0, SIDE__MAX * sizeof(shared[0]));
		memset(seen, 0, SIDE__MAX * sizeof(seen[0]));
		return db_status(rc);
	}
	return KW_OK;
}

enum kw_status
update_get(struct db *db, struct arena *a, const struct user *actor,
    long long account_id, long long id, struct update *u)
{
	struct account acct;
	enum kw_status ret;

	memset(u, 0, sizeof(*u));
	if ((ret = entry_account(db, a, actor, account_id, &acct)) != KW_OK)
		return ret;
	return upd_load(db, a, &acct, actor, id, u);
}

enum kw_status
update_readers(struct db *db, struct arena *a, const struct user *actor,
    long long account_id, long long id, struct update_reader **list,
    size_t *n, size_t *audience)
{
	struct account acct;
	struct update u;
	sqlite3_stmt *st;
	void *rows = NULL;
	enum kw_status ret;

	*list = NULL;
	*n = 0;
	if ((ret = entry_account(db, a, actor, account_id, &acct)) != KW_OK ||
	    (ret = upd_load(db, a, &acct, actor, id, &u)) != KW_OK)
		return ret;
	if ((st = db_stmt(db, &update_stmts, STMT_UPD_READERS)) != NULL)
		db_bind_int(st, 1, id);
	if ((ret = db_rows(db, a, st, sizeof(**list), reader_row, &rows,
	    n)) != KW_OK)
		return ret;
	*list = rows;
	if (audience == NULL)
		return KW_OK;
	/* The people of the side the update was written for. */
	if ((st = db_stmt(db, &update_stmts, STMT_UPD_AUDIENCE)) != NULL)
		db_bind_int(st, 1, u.side == SIDE_BUYER ?
		    acct.supplier_org_id : acct.buyer_org_id);
	return db_count(db, st, audience);
}

/*
 * Inside the transaction: write action on update u for actor.
 * *changed is 0 when nothing needed writing (a second read).
 */
static enum kw_status
act_write(struct db *db, const struct user *actor, const struct update *u,
    enum update_action action, int *changed)
{
	sqlite3_stmt *st;
	char now[32];
	enum kw_status ret;

	*changed = 0;
	clock_iso(clock_now(), now, sizeof(now));
	if ((st = db_stmt(db, &update_stmts, action == UPDATE_WITHDRAW ?
	    STMT_UPD_WITHDRAW : STMT_UPD_READ)) == NULL)
		return KW_INTERNAL;
	db_bind_int(st, 1, u->id);
	db_bind_int(st, 2, action == UPDATE_WITHDRAW ? u->account_id :
	    actor->id);
	db_bind_text(st, 3, now);
	if ((ret = db_exec(db, st)) != KW_OK)
		return ret;
	*changed = db_changes(db);
	if (action == UPDATE_WITHDRAW)
		return *changed == 1 ? KW_OK : KW_CONFLICT;
	if (*changed == 0)
		return KW_OK;
	/* The reader's notices of this update are read too. */
	if ((st = db_stmt(db, &update_stmts, STMT_UPD_NOTICES_READ)) == NULL)
		return KW_INTERNAL;
	db_bind_int(st, 1, actor->id);
	db_bind_int(st, 2, u->id);
	db_bind_text(st, 3, now);
	return db_exec(db, st);
}

enum kw_status
update_act_in(struct db *db, struct arena *a, const struct user *actor,
    long long account_id, long long id, enum update_action action)
{
	struct account acct;
	struct update u;
	enum kw_status ret;
	int changed;

	if ((ret = entry_account(db, a, actor, account_id, &acct)) != KW_OK ||
	    (ret = upd_load(db, a, &acct, actor, id, &u)) != KW_OK)
		return ret;
	ret = update_may(u.side, *u.withdrawn_at != '\0', acct.my_side,
	    action);
	if (ret != KW_OK)
		return user_denied(actor, ret, "%s update %lld",
		    update_action_names[action], id);
	if ((ret = act_write(db, actor, &u, action, &changed)) != KW_OK ||
	    !changed)
		return ret;
	return audit_log(db, actor, acct.id, "update", id,
	    update_action_names[action], NULL);
}

/* Take action on update id in one audited transaction. */
static enum kw_status
act(struct db *db, struct arena *a, const struct user *actor,
    long long account_id, long long id, enum update_action action)
{
	enum kw_status ret;

	if ((ret = db_begin(db)) != KW_OK)
		return ret;
	return db_finish(db, update_act_in(db, a, actor, account_id, id,
	    action));
}

enum kw_status
update_mark_read(struct db *db, struct arena *a, const struct user *actor,
    long long account_id, long long id)
{
	return act(db, a, actor, account_id, id, UPDATE_READ);
}

enum kw_status
update_withdraw(struct db *db, struct arena *a, const struct user *actor,
    long long account_id, long long id)
{
	return act(db, a, actor, account_id, id, UPDATE_WITHDRAW);
}

enum kw_status
update_unread_count(struct db *db, struct arena *a, const struct user *actor,
    long long account_id, size_t *n)
{
	struct account acct;
	sqlite3_stmt *st;
	enum kw_status ret;

	*n = 0;
	if ((ret = entry_account(db, a, actor, account_id, &acct)) != KW_OK)
		return ret;
	if ((st = db_stmt(db, &update_stmts, STMT_UPD_UNREAD)) != NULL) {
		db_bind_int(st, 1, account_id);
		bind_viewer(st, &acct, actor);
	}
	return db_count(db, st, n);
}
