#!/bin/sh
# t-cgi-updates.sh: each side posts strategic updates; the other side reads them.
. "${top_srcdir:-.}/tests/lib.sh"
KEEPWORD_NOW=2026-03-02T09:00:00Z; export KEEPWORD_NOW
t_db_init || { echo "Bail out! kwctl demo failed"; exit 1; }

acct=$(sql "SELECT id FROM accounts WHERE title LIKE '%Acme%'")
freight=$(sql "SELECT id FROM accounts WHERE title LIKE '%Bluefield%'")
uid() { sql "SELECT id FROM users WHERE email = '$1'"; }
ben=$(uid ben@northwind.example); dev=$(uid dev@acme.example)
L="/accounts/$acct/updates"
upds() { sql "SELECT count(*) FROM updates"; }
reads() { sql "SELECT count(*) FROM update_reads"; }
audits() { sql "SELECT count(*) FROM audit_events"; }

# ---- the list and posting ---------------------------------------------------
cgi_login ben@northwind.example; ok $? "ben (buyer member) signs in"
BEN=$SESSION; BEN_CSRF=$CSRF
cgi GET "$L" "" "$BEN"
is "$STATUS" 200 "the list opens"
like "$OUT" '<h1>Strategic updates</h1>' "it is the updates page"
like "$OUT" 'No updates yet' "an empty list says so"
like "$OUT" '<label for="kind">Kind</label>' "the kind field has a label"
like "$OUT" '<label for="title">Title</label>' "the title field has a label"
like "$OUT" '<label for="body">Update</label>' "the body field has a label"
like "$OUT" '<option value="direction" selected>Direction:' "the buyer's new post defaults to direction"
like "$OUT" '<label for="f-kind">Kind</label>' "the kind filter has a label"
like "$OUT" '<label for="f-side">Posted by</label>' "the side filter has a label"

cgi POST "$L" "csrf=wrong&kind=need&title=Sneaky&body=x" "$BEN"
is "$STATUS" 403 "a wrong CSRF token is refused"
is "$(upds)" 0 "and nothing is written"

before=$(audits)
cgi POST "$L" "csrf=$BEN_CSRF&kind=gossip&title=&body=$(urlenc 'Kept <body> ✓')" "$BEN"
is "$STATUS" 400 "an unknown kind and an empty title are refused"
like "$OUT" 'id="kind-err">Kind is not one of the choices' "the kind message sits next to it"
like "$OUT" 'id="title-err">Title is required' "the title message sits next to it"
like "$OUT" '>Kept &lt;body&gt; ✓</textarea>' "the body is kept"
cgi POST "$L" "csrf=$BEN_CSRF&kind=need&title=$(printf '%0201d' 0)&body=x" "$BEN"
is "$STATUS" 400 "a title over 200 characters is refused"
like "$OUT" 'id="title-err">Title must be at most 200' "the message says the limit"
like "$OUT" '<option value="need" selected>' "the kind is kept"
cgi POST "$L" "csrf=$BEN_CSRF&kind=direction&title=$(urlenc 'Kept title')&body=" "$BEN"
is "$STATUS" 400 "an empty body is refused"
like "$OUT" 'id="body-err">Update is required' "the message sits next to the body"
like "$OUT" 'value="Kept title"' "the title is kept"
is "$(upds)" 0 "no bad input is written"
is "$(audits)" "$before" "nor audited"

title='Q3 volumes ↑ 20 % <b>confirmed</b>'
cgi POST "$L" "csrf=$BEN_CSRF&kind=need&title=$(urlenc "$title")&body=$(urlenc 'We expect <script>alert(1)</script>
more orders — Zoë')" "$BEN"
is "$STATUS" 303 "a valid update is posted"
u=$(sql "SELECT max(id) FROM updates")
like "$HDR" "^Location: .*$L/$u\\?notice=update-posted" "to the new update with a notice"
is "$(sql "SELECT side || '|' || kind || '|' || title || '|' || created_by || '|' || coalesce(withdrawn_at, '-') FROM updates WHERE id = $u")" \
	"buyer|need|$title|$ben|-" "the row holds the text as typed, Unicode intact"
is "$(sql "SELECT body FROM updates WHERE id = $u")" "We expect <script>alert(1)</script>
more orders — Zoë" "the body keeps its lines"
is "$(sql "SELECT count(*) FROM audit_events WHERE entity = 'update' AND entity_id = $u AND action = 'create' AND actor_user_id = $ben AND account_id = $acct")" 1 "the post is audited"
is "$(sql "SELECT group_concat(email, ' ') FROM (SELECT u.email FROM notifications n JOIN users u ON u.id = n.user_id WHERE n.kind = 'update' AND n.entity = 'update' AND n.entity_id = $u ORDER BY u.email)")" \
	"carla@acme.example dev@acme.example" "everyone of the other side is notified, nobody of his"

cgi GET "$L/$u?notice=update-posted" "" "$BEN"
is "$STATUS" 200 "the update opens"
like "$OUT" 'role="status">The update was posted' "the notice is shown"
like "$OUT" '<h1>Q3 volumes ↑ 20 % &lt;b&gt;confirmed&lt;/b&gt;</h1>' "HTML in the title is shown as text"
like "$OUT" 'We expect &lt;script&gt;alert\(1\)&lt;/script&gt;' "HTML in the body is shown as text"
unlike "$OUT" '<script>alert|<b>confirmed' "no markup is injected"
like "$OUT" 'kind-need">Need' "the kind is shown"
like "$OUT" '0 of 2 people at Acme Packaging have marked it as read' "nobody has read it yet"
unlike "$OUT" "action=\"$L/$u/read\"" "the author's side gets no read button"
like "$OUT" "action=\"$L/$u/withdraw\"" "but may withdraw it"

before=$(audits)
cgi POST "$L/$u/read" "csrf=$BEN_CSRF" "$BEN"
is "$STATUS" 403 "reading one's own side's update is refused"
like "$OUT" 'role="alert">Your side posted this update' "the page says why"
is "$(reads)|$(audits)" "0|$before" "nothing changed"

# ---- another org ------------------------------------------------------------
cgi_login erik@bluefield.example; ok $? "erik (another supplier) signs in"
ERIK=$SESSION
cgi GET "$L" "" "$ERIK"
is "$STATUS" 404 "another org's list answers 404"
cgi GET "$L/$u" "" "$ERIK"
is "$STATUS" 404 "another org's update answers 404"
unlike "$OUT" 'Q3 volumes' "and shows nothing of it"
cgi POST "$L" "csrf=$CSRF&kind=need&title=Intrusion&body=x" "$ERIK"
is "$STATUS" 404 "another org cannot post here"
cgi POST "$L/$u/read" "csrf=$CSRF" "$ERIK"
is "$STATUS" 404 "another org cannot mark it read"
cgi POST "$L/$u/withdraw" "csrf=$CSRF" "$ERIK"
is "$STATUS" 404 "another org cannot withdraw it"
is "$(upds)|$(reads)|$(sql "SELECT coalesce(withdrawn_at, '-') FROM updates")" "1|0|-" "nothing changed"
cgi GET "/accounts/$freight/updates/$u" "" "$BEN"
is "$STATUS" 404 "an update is not found under another account"
cgi GET "$L/99999" "" "$BEN"
is "$STATUS" 404 "a missing update answers 404"

# ---- the other side reads, unread first --------------------------------------
cgi_login carla@acme.example; ok $? "carla (supplier admin) signs in"
CARLA=$SESSION; CARLA_CSRF=$CSRF
cgi POST "$L" "csrf=$CARLA_CSRF&kind=development&title=$(urlenc 'Recyclable carton line')&body=$(urlenc 'Ready in May.')" "$CARLA"
is "$STATUS" 303 "the supplier posts an update too"
cgi_login anna@northwind.example; ok $? "anna (buyer admin) signs in"
ANNA=$SESSION; ANNA_CSRF=$CSRF
cgi POST "$L" "csrf=$ANNA_CSRF&kind=direction&title=$(urlenc 'Plant in Łódź')&body=$(urlenc 'Opening 2027.')" "$ANNA"
is "$STATUS" 303 "and the buyer posts another"
u2=$(sql "SELECT max(id) FROM updates")
cgi POST "$L" "csrf=$CARLA_CSRF&kind=organisation&title=$(urlenc 'New key account manager')&body=$(urlenc 'Meet Dev.')" "$CARLA"
is "$STATUS" 303 "and the supplier posts the newest one"

cgi_login dev@acme.example; ok $? "dev (supplier member) signs in"
DEV=$SESSION; DEV_CSRF=$CSRF
cgi GET "$L" "" "$DEV"
is "$STATUS" 200 "the supplier's list opens"
like "$OUT" '2 updates from Northwind Foods are unread; they are listed first' "the unread count is shown"
like "$OUT" '<option value="development" selected>Development:' "the supplier's new post defaults to a development"
order=$(grep -o 'Plant in Łódź</a>\|Q3 volumes[^<]*</a>\|New key account manager</a>\|Recyclable carton line</a>' "$OUT" | sed 's/<.*//' | tr '\n' '|')
is "$order" "Plant in Łódź|Q3 volumes ↑ 20 % &lt;b&gt;confirmed&lt;/b&gt;|New key account manager|Recyclable carton line|" \
	"unread updates from the other side come first, then the rest newest first"
is "$(grep -c 'Mark as read<span' "$OUT")" 2 "each unread update has a Mark as read button"
like "$OUT" "action=\"$L/$u/read\"" "including the first one"
like "$OUT" '<strong class="badge">Unread</strong>' "unread updates are marked"

cgi POST "$L/$u/read" "csrf=wrong&back=list" "$DEV"
is "$STATUS" 403 "marking read needs the CSRF token"
is "$(reads)" 0 "nothing is marked"
cgi POST "$L/$u/read" "csrf=$DEV_CSRF&back=list" "$DEV"
is "$STATUS" 303 "the other side marks it read"
like "$HDR" "^Location: .*$L\\?notice=update-read" "back to the list with a notice"
is "$(sql "SELECT user_id || '|' || read_at FROM update_reads WHERE update_id = $u")" "$dev|2026-03-02T09:00:00Z" "the read is recorded for him"
is "$(sql "SELECT count(*) FROM audit_events WHERE entity = 'update' AND entity_id = $u AND action = 'read' AND actor_user_id = $dev")" 1 "the read is audited"
is "$(sql "SELECT count(*) FROM notifications WHERE user_id = $dev AND entity_id = $u AND entity = 'update' AND read_at IS NOT NULL")" 1 "his notification of it is read"
is "$(sql "SELECT count(*) FROM notifications n JOIN users s ON s.id = n.user_id WHERE s.email = 'carla@acme.example' AND n.entity_id = $u AND n.read_at IS NULL")" 1 "his colleague's is not"
before=$(audits)
cgi POST "$L/$u/read" "csrf=$DEV_CSRF" "$DEV"
is "$STATUS" 303 "marking it read again is fine"
like "$HDR" "^Location: .*$L/$u\\?notice=update-read" "back to the update by default"
is "$(reads)|$(audits)" "1|$before" "and changes nothing"
cgi GET "$L?notice=update-read" "" "$DEV"
like "$OUT" 'role="status">The update was marked as read' "the notice is shown"
like "$OUT" '1 update from Northwind Foods is unread' "one update is left unread"
is "$(grep -c 'Mark as read<span' "$OUT")" 1 "one button is left"

cgi GET "$L/$u" "" "$BEN"
like "$OUT" '1 of 2 people at Acme Packaging have marked it as read' "the author's side sees who has read it"
like "$OUT" 'Dev Patel <span class="muted">on <time datetime="2026-03-02T09:00:00Z">2026-03-02' "with the reader and the day"
cgi GET "$L/$u" "" "$DEV"
unlike "$OUT" "action=\"$L/$u/read\"" "a read update has no read button"
unlike "$OUT" "action=\"$L/$u/withdraw\"" "and the other side cannot withdraw it"
cgi GET "$L/$u2" "" "$DEV"
like "$OUT" "action=\"$L/$u2/read\"" "an unread one has a read button on its page"

# ---- withdrawing --------------------------------------------------------------
before=$(audits)
cgi POST "$L/$u/withdraw" "csrf=$DEV_CSRF" "$DEV"
is "$STATUS" 403 "the other side cannot withdraw an update"
like "$OUT" 'role="alert">Only the side that posted this update can withdraw it' "the page says why"
is "$(sql "SELECT coalesce(withdrawn_at, '-') FROM updates WHERE id = $u")|$(audits)" "-|$before" "nothing changed"
cgi POST "$L/$u/withdraw" "csrf=wrong" "$ANNA"
is "$STATUS" 403 "withdrawing needs the CSRF token"
cgi POST "$L/$u/withdraw" "csrf=$ANNA_CSRF" "$ANNA"
is "$STATUS" 303 "anyone of the author's side withdraws it"
like "$HDR" "^Location: .*$L/$u\\?notice=update-withdrawn" "back to it with a notice"
is "$(sql "SELECT withdrawn_at FROM updates WHERE id = $u")" "2026-03-02T09:00:00Z" "it is withdrawn, and kept"
is "$(sql "SELECT count(*) FROM audit_events WHERE entity = 'update' AND entity_id = $u AND action = 'withdraw'")" 1 "the withdrawal is audited"
cgi GET "$L" "" "$ANNA"
unlike "$OUT" 'Q3 volumes' "it leaves the author's list"
cgi GET "$L" "" "$DEV"
unlike "$OUT" 'Q3 volumes' "and the other side's"
cgi GET "$L/$u" "" "$DEV"
is "$STATUS" 200 "its page still opens"
like "$OUT" 'This update was withdrawn on <time datetime="2026-03-02T09:00:00Z">' "and says it was withdrawn"
before=$(audits)
cgi POST "$L/$u/withdraw" "csrf=$ANNA_CSRF" "$ANNA"
is "$STATUS" 409 "withdrawing twice is a conflict"
like "$OUT" 'role="alert">This update was withdrawn' "the page says why"
cgi_login carla@acme.example; CARLA=$SESSION; CARLA_CSRF=$CSRF
cgi POST "$L/$u/read" "csrf=$CARLA_CSRF" "$CARLA"
is "$STATUS" 409 "a withdrawn update cannot be marked read"
is "$(reads)|$(audits)" "1|$before" "nothing changed"

# ---- filters and pages --------------------------------------------------------
cgi GET "$L?kind=development" "" "$ANNA"
is "$STATUS" 200 "the kind filter works"
like "$OUT" 'Recyclable carton line' "it keeps developments"
unlike "$OUT" 'Plant in' "and drops directions"
like "$OUT" '<option value="development" selected>Development</option>' "the filter shows its choice"
cgi GET "$L?side=buyer" "" "$ANNA"
like "$OUT" 'Plant in Łódź' "the side filter keeps the buyer's"
unlike "$OUT" 'Recyclable' "and drops the supplier's"
cgi GET "$L?kind=need&side=supplier" "" "$ANNA"
like "$OUT" 'No update matches these filters' "an empty filtered list says so"
cgi GET "$L?kind=gossip" "" "$ANNA"
is "$STATUS" 400 "an unknown kind filter is a bad request"
like "$OUT" 'id="f-kind-err">Kind is not one of the choices' "the message sits next to the filter"
like "$OUT" 'Plant in Łódź' "the list is still shown"
cgi GET "$L?side=both" "" "$ANNA"
is "$STATUS" 400 "an unknown side filter is a bad request"
like "$OUT" 'id="f-side-err">Posted by is not one of the choices' "the message sits next to the filter"

carla=$(uid carla@acme.example)
sql "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 25)
	INSERT INTO updates (account_id, side, kind, title, body, created_by, created_at)
	SELECT $acct, 'supplier', 'need', 'Bulk ' || i, 'b', $carla, '2026-03-01T00:00:00Z' FROM n"
cgi GET "$L?kind=need" "" "$ANNA"
like "$OUT" 'Page 1 of 2' "a long list is paged"
like "$OUT" "href=\"$L\\?kind=need&amp;page=2\" rel=\"next\"" "the next page keeps the filter"
like "$OUT" '27 updates from Acme Packaging are unread' "the unread count counts them all, across pages"
cgi GET "$L?kind=need&page=2" "" "$ANNA"
like "$OUT" 'Page 2 of 2' "the second page opens"

done_testing
