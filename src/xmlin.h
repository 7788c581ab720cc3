/* xmlin.h: untrusted exchange documents read safely, streamed and validated. */
#ifndef XMLIN_H
#define XMLIN_H

#include <stddef.h>

#include <libxml/tree.h>

#include "kw.h"

struct arena;

/*
 * The largest document read, in bytes: larger ones are refused before
 * the parser sees a byte (KW_TOOBIG). 32 MiB hold an account of some
 * hundred thousand records; nginx's client_max_body_size for the
 * exchange must not be lower.
 */
#define XMLIN_MAX	((size_t)32 * 1024 * 1024)

/*
 * Set up the process once: xmlInitParser(), an external entity loader
 * that refuses every load (and counts the attempts), and the exchange
 * schema compiled from the copy built into the program (so nothing is
 * read from disk). Later calls do nothing. Call it from a program's
 * main or worker set-up; xmlin_read() also calls it. Returns 0, or -1
 * (logged) when the schema does not compile.
 */
int		 xmlin_init(void);

/* Free the compiled schema (at exit, for leak checkers). */
void		 xmlin_fini(void);

/* How many external entity or DTD loads the loader refused so far in
 * this process (the tests assert that none was even tried). */
size_t		 xmlin_entity_loads(void);

/* What xmlin_read() tells its caller, as it reads. */
struct xmlin_handler {
	void	*ctx;
	/*
	 * The root element: its local name, namespace (NULL for none) and
	 * line (in the first pass). Return 0 to go on, -1 to stop reading.
	 */
	int	(*root)(void *ctx, const char *name, const char *ns,
		    long line);
	/*
	 * A child of the root, expanded with everything nested in it (the
	 * tree is the reader's: valid until the callback returns). valid is
	 * 1 when the document was well-formed and valid up to the end of
	 * this element, else 0 (an error was reported). Return 0 to go on,
	 * -1 for no more calls (the rest is still validated).
	 */
	int	(*element)(void *ctx, xmlNodePtr node, int valid);
	/* An error of the parser, the schema or the reader's own rules,
	 * with its line (0 if unknown) and a message (valid during the
	 * call only). */
	void	(*error)(void *ctx, long line, const char *msg);
};

/*
 * Read the document xml (len bytes, not NUL-terminated) as untrusted
 * input: from memory, without network, DTD, entity substitution or
 * XInclude, within libxml2's default limits; a DOCTYPE in the prolog is
 * refused before any parsing, one the parser meets (in UTF-16) stops
 * it. Two passes stream through it with xmlTextReader, so memory stays
 * bounded by the largest record, not the document: the first checks
 * that it is well-formed and hands the root to h->root; the second, if
 * the first found nothing wrong, validates it against the exchange
 * schema and hands each child of the root to h->element as it completes.
 *
 * Returns KW_OK for a well-formed, valid document; KW_BADREQ when it is
 * not (every error went to h->error, at least one); KW_TOOBIG, before
 * any parsing, when len exceeds XMLIN_MAX; KW_INTERNAL when the set-up
 * failed. A callback's -1 ends the reading with the status so far.
 */
enum kw_status	 xmlin_read(const char *xml, size_t len,
		    const struct xmlin_handler *h);

/*
 * Reading an expanded element. Names are local names in the exchange's
 * namespace (the schema allows no other).
 */

/* The first child element of parent called name; NULL if none (or if
 * parent is NULL). A NULL name is parent itself, so that the readers
 * below read an element's own content with it. */
xmlNodePtr	 xmlin_child(xmlNodePtr parent, const char *name);

/* The next sibling element of node called name; NULL if none. */
xmlNodePtr	 xmlin_next(xmlNodePtr node, const char *name);

/* The number of child elements of parent called name. */
size_t		 xmlin_count(xmlNodePtr parent, const char *name);

/* The local name of node. */
const char	*xmlin_name(xmlNodePtr node);

/* The line node starts on (0 if unknown). */
long		 xmlin_line(xmlNodePtr node);

/*
 * The text of the child element name of parent (xs:string content, as
 * written), in arena a; NULL if there is no such child. An empty
 * element gives "".
 */
const char	*xmlin_text(struct arena *a, xmlNodePtr parent,
		    const char *name);

/*
 * The same for content of a type the schema collapses (xs:token, dates,
 * numbers, codes): white space at the ends dropped and runs of it inside
 * made one space, as the schema compared it.
 */
const char	*xmlin_token(struct arena *a, xmlNodePtr parent,
		    const char *name);

/* The attribute name (no namespace) of node in a; NULL if absent. */
const char	*xmlin_attr(struct arena *a, xmlNodePtr node, const char *name);

/* The code in the child element name of parent (its token) as its index
 * in names, a NULL-ended table such as account_side_names; none if the
 * child is absent or the code is not in names. */
int		 xmlin_code(struct arena *a, xmlNodePtr parent,
		    const char *name, const char *const *names, int none);

/*
 * The moment of the children <what>Date and <what>Time of parent as UTC
 * ISO-8601 "YYYY-MM-DDTHH:MM:SSZ" in a; NULL if the date is absent (a
 * missing time is midnight).
 */
const char	*xmlin_stamp(struct arena *a, xmlNodePtr parent,
		    const char *what);

/* The child element name of parent as a number in [min, max] into *out:
 * 0; 1 if there is no such child (*out untouched); -1 if it is not such
 * a number. */
int		 xmlin_int(xmlNodePtr parent, const char *name, long long min,
		    long long max, long long *out);

#endif /* XMLIN_H */
