/* xmlin.c: untrusted exchange documents read safely, streamed and validated. */
#include "config.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlreader.h>
#include <libxml/xmlschemas.h>

#include "arena.h"
#include "export.h"
#include "kw.h"
#include "xmlin.h"

/* libxml2 strings are unsigned; this cast keeps const (BAD_CAST drops it). */
#define XC(s)		((const xmlChar *)(s))

/*
 * The parser's options: no network, blank text between elements
 * dropped, line numbers beyond 65535 kept. Never NOENT (entity
 * substitution), DTDLOAD, DTDATTR, DTDVALID, XINCLUDE or HUGE (lifting
 * the built-in limits).
 */
#define XMLIN_OPTIONS	(XML_PARSE_NONET | XML_PARSE_NOBLANKS | \
			 XML_PARSE_BIG_LINES)

/* Longest error message kept from libxml2, in bytes. */
#define MSG_MAX		400

/* The exchange schema's text, built into the program (exchange-xsd.c,
 * made by db/embed.sh from static/exchange/keepword-exchange-1.xsd). */
extern const char xmlin_schema_xsd[];

static const char doctype_msg[] = "A DOCTYPE is not allowed: exchange "
    "documents use no DTD and no entities.";

/* Per process: set up once, read-only afterwards. */
static int		 inited;
static xmlSchemaPtr	 schema;
static size_t		 entity_loads;

/* xmlExternalEntityLoader: refuse every load (a DTD, an external
 * entity, a schema location), counting the attempt. */
static xmlParserInputPtr
deny_loader(const char *url, const char *id, xmlParserCtxtPtr ctxt)
{
	(void)url;
	(void)id;
	(void)ctxt;
	entity_loads++;
	return NULL;
}

/* xmlGenericErrorFunc that drops what libxml2 would print to stderr. */
static void
quiet(void *ctx, const char *fmt, ...)
{
	(void)ctx;
	(void)fmt;
}

/* xmlStructuredErrorFunc for compiling the schema: log it. */
static void
log_schema_error(void *ctx, xmlErrorPtr e)
{
	(void)ctx;
	if (e != NULL && e->message != NULL)
		kw_logx("xmlin: schema line %d: %s", e->line, e->message);
}

int
xmlin_init(void)
{
	xmlSchemaParserCtxtPtr pc;

	if (inited)
		return schema != NULL ? 0 : -1;
	inited = 1;
	xmlInitParser();
	xmlSetExternalEntityLoader(deny_loader);
	if ((pc = xmlSchemaNewMemParserCtxt(xmlin_schema_xsd,
	    (int)strlen(xmlin_schema_xsd))) == NULL) {
		kw_logx("xmlin: out of memory for the schema");
		return -1;
	}
	xmlSchemaSetParserStructuredErrors(pc, log_schema_error, NULL);
	schema = xmlSchemaParse(pc);
	xmlSchemaFreeParserCtxt(pc);
	if (schema == NULL) {
		kw_logx("xmlin: the built-in exchange schema does not compile");
		return -1;
	}
	return 0;
}

void
xmlin_fini(void)
{
	xmlSchemaFree(schema);
	schema = NULL;
	inited = 0;
}

size_t
xmlin_entity_loads(void)
{
	return entity_loads;
}

/* One document being read. */
struct rd {
	const struct xmlin_handler	*h;
	size_t				 errors;
	long				 last_line;	/* of the last error */
	char				 last[MSG_MAX];	/* its message */
};

/* Report an error at line (deduplicated: libxml2 repeats some). */
static void
fail(struct rd *r, long line, const char *msg)
{
	if (r->errors > 0 && line == r->last_line &&
	    strcmp(msg, r->last) == 0)
		return;
	r->errors++;
	r->last_line = line;
	snprintf(r->last, sizeof(r->last), "%s", msg);
	r->h->error(r->h->ctx, line, r->last);
}

/*
 * xmlStructuredErrorFunc of the parser and the validator: errors (not
 * warnings) as one line without the namespace every name carries.
 */
static void
on_error(void *ctx, xmlErrorPtr e)
{
	static const char ns[] = "{" EXPORT_NS "}";
	struct rd *r = ctx;
	char msg[MSG_MAX];
	const char *p;
	size_t n = 0, len;

	if (e == NULL || e->level < XML_ERR_ERROR)
		return;
	for (p = e->message != NULL ? e->message : "error"; *p != '\0' &&
	    n + 1 < sizeof(msg); p++) {
		if (strncmp(p, ns, sizeof(ns) - 1) == 0) {
			p += sizeof(ns) - 2;
			continue;
		}
		msg[n++] = *p == '\n' || *p == '\r' ? ' ' : *p;
	}
	while (n > 0 && msg[n - 1] == ' ')
		n--;
	msg[n] = '\0';
	len = strlen(msg);
	if (len > 0 && msg[len - 1] != '.')
		snprintf(msg + len, sizeof(msg) - len, ".");
	fail(r, e->line > 0 ? e->line : 0, msg);
}

/* 1 if the n bytes at s start with the string p. */
static int
starts(const char *s, size_t n, const char *p)
{
	size_t len = strlen(p);

	return n >= len && memcmp(s, p, len) == 0;
}

/*
 * The line of a DOCTYPE in the prolog of xml (len bytes, in UTF-8 or
 * another encoding where markup is ASCII), or 0 if there is none: found
 * before the parser runs, so that no entity is even declared. A
 * document in UTF-16 is left to the reader, which stops at the DOCTYPE
 * node.
 */
static long
prolog_doctype(const char *xml, size_t len)
{
	const char *end;
	size_t i = 0;
	long line = 1;

	if (starts(xml, len, "\xef\xbb\xbf"))
		i = 3;
	while (i < len) {
		if (xml[i] == '\n')
			line++;
		if (xml[i] == ' ' || xml[i] == '\t' || xml[i] == '\r' ||
		    xml[i] == '\n') {
			i++;
			continue;
		}
		if (starts(xml + i, len - i, "<!DOCTYPE"))
			return line;
		if (starts(xml + i, len - i, "<?"))
			end = "?>";
		else if (starts(xml + i, len - i, "<!--"))
			end = "-->";
		else
			return 0;	/* the root element, or not XML */
		for (i += 2; i < len && !starts(xml + i, len - i, end); i++)
			if (xml[i] == '\n')
				line++;
		i += strlen(end);
	}
	return 0;
}

/* A reader of the document with its errors going to r; NULL when out of
 * memory (logged). */
static xmlTextReaderPtr
reader(struct rd *r, const char *xml, size_t len)
{
	xmlTextReaderPtr rd;

	if ((rd = xmlReaderForMemory(len > 0 ? xml : "", (int)len, NULL, NULL,
	    XMLIN_OPTIONS)) == NULL) {
		kw_logx("xmlin: out of memory for a reader");
		return NULL;
	}
	xmlTextReaderSetStructuredErrorHandler(rd, on_error, r);
	return rd;
}

/*
 * The first pass: is the document well-formed XML without a DOCTYPE?
 * Each node is read and dropped (no tree is kept); the root element goes
 * to r->h->root. Returns 0 to go on with the second pass, 1 if not
 * (every error reported), -1 when out of memory.
 */
static int
syntax(struct rd *r, const char *xml, size_t len)
{
	xmlTextReaderPtr rd;
	int rc, type, root = 0, stop = 0;

	if ((rd = reader(r, xml, len)) == NULL)
		return -1;
	while (!stop && (rc = xmlTextReaderRead(rd)) == 1) {
		type = xmlTextReaderNodeType(rd);
		if (type == XML_READER_TYPE_DOCUMENT_TYPE ||
		    type == XML_READER_TYPE_ENTITY_REFERENCE ||
		    type == XML_READER_TYPE_ENTITY) {
			fail(r, xmlTextReaderGetParserLineNumber(rd),
			    doctype_msg);
			stop = 1;
		} else if (type == XML_READER_TYPE_ELEMENT && !root) {
			root = 1;
			stop = r->h->root(r->h->ctx, (const char *)
			    xmlTextReaderConstLocalName(rd), (const char *)
			    xmlTextReaderConstNamespaceUri(rd),
			    xmlTextReaderGetParserLineNumber(rd)) != 0;
		}
	}
	if (!stop && rc < 0 && r->errors == 0)
		fail(r, 0, "The document is not well-formed XML.");
	xmlFreeTextReader(rd);
	return stop || r->errors > 0;
}

/*
 * The second pass, over a well-formed document: validated against the
 * schema as it streams; each child of the root, expanded, goes to
 * r->h->element until it asks to stop. The reader always reads to the
 * end: libxml2 2.9.14 leaks the validator's state of elements left
 * open. Returns 0, or -1 when out of memory or the schema cannot be
 * used.
 */
static int
validate(struct rd *r, const char *xml, size_t len)
{
	xmlTextReaderPtr rd;
	xmlSchemaValidCtxtPtr vc;
	xmlNodePtr node;
	int rc, stop = 0, ret = 0;

	if ((rd = reader(r, xml, len)) == NULL)
		return -1;
	if ((vc = xmlSchemaNewValidCtxt(schema)) == NULL) {
		xmlFreeTextReader(rd);
		return -1;
	}
	xmlSchemaSetValidStructuredErrors(vc, on_error, r);
	if (xmlTextReaderSchemaValidateCtxt(rd, vc, 0) != 0) {
		kw_logx("xmlin: cannot validate with the schema");
		ret = -1;
		goto out;
	}
	rc = xmlTextReaderRead(rd);
	while (rc == 1) {
		if (xmlTextReaderNodeType(rd) != XML_READER_TYPE_ELEMENT ||
		    xmlTextReaderDepth(rd) != 1) {
			rc = xmlTextReaderRead(rd);
			continue;
		}
		/* A record (or a header field): the whole of it, validated
		 * as the parser read it, then on to its next sibling. */
		if ((node = xmlTextReaderExpand(rd)) == NULL)
			break;
		if (!stop)
			stop = r->h->element(r->h->ctx, node,
			    r->errors == 0) != 0;
		rc = xmlTextReaderNext(rd);
	}
	if (r->errors == 0 && (rc != 0 || xmlTextReaderIsValid(rd) != 1))
		fail(r, 0, "The document does not follow the exchange "
		    "schema.");
out:
	xmlFreeTextReader(rd);
	xmlSchemaFreeValidCtxt(vc);
	return ret;
}

enum kw_status
xmlin_read(const char *xml, size_t len, const struct xmlin_handler *h)
{
	xmlGenericErrorFunc old_generic;
	xmlStructuredErrorFunc old_structured;
	void *old_generic_ctx, *old_structured_ctx;
	struct rd r;
	long line;
	int rc;

	if (len > XMLIN_MAX || len > INT_MAX)
		return KW_TOOBIG;
	if (xmlin_init() != 0)
		return KW_INTERNAL;
	memset(&r, 0, sizeof(r));
	r.h = h;
	if ((line = prolog_doctype(xml, len)) > 0) {
		fail(&r, line, doctype_msg);
		return KW_BADREQ;
	}

	/* Nothing libxml2 reports goes to stderr while this runs. */
	old_generic = xmlGenericError;
	old_generic_ctx = xmlGenericErrorContext;
	old_structured = xmlStructuredError;
	old_structured_ctx = xmlStructuredErrorContext;
	xmlSetGenericErrorFunc(NULL, quiet);
	xmlSetStructuredErrorFunc(&r, on_error);
	if ((rc = syntax(&r, xml, len)) == 0)
		rc = validate(&r, xml, len);
	xmlSetGenericErrorFunc(old_generic_ctx, old_generic);
	xmlSetStructuredErrorFunc(old_structured_ctx, old_structured);
	if (rc < 0)
		return KW_INTERNAL;
	return r.errors == 0 ? KW_OK : KW_BADREQ;
}

/* 1 for XML white space. */
static int
is_space(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* 1 if node is an element called name. */
static int
is_el(xmlNodePtr node, const char *name)
{
	return node->type == XML_ELEMENT_NODE &&
	    xmlStrEqual(node->name, XC(name));
}

/* The first element called name from c on, c's next siblings. */
static xmlNodePtr
first(xmlNodePtr c, const char *name)
{
	for (; c != NULL; c = c->next)
		if (is_el(c, name))
			return c;
	return NULL;
}

xmlNodePtr
xmlin_child(xmlNodePtr parent, const char *name)
{
	if (parent == NULL || name == NULL)
		return parent;
	return first(parent->children, name);
}

xmlNodePtr
xmlin_next(xmlNodePtr node, const char *name)
{
	return node != NULL ? first(node->next, name) : NULL;
}

size_t
xmlin_count(xmlNodePtr parent, const char *name)
{
	xmlNodePtr c;
	size_t n = 0;

	for (c = xmlin_child(parent, name); c != NULL;
	    c = xmlin_next(c, name))
		n++;
	return n;
}

const char *
xmlin_name(xmlNodePtr node)
{
	return (const char *)node->name;
}

long
xmlin_line(xmlNodePtr node)
{
	long line = node != NULL ? xmlGetLineNo(node) : 0;

	return line > 0 ? line : 0;
}

/* s (libxml2's, freed here) copied into a; "" for NULL. */
static const char *
keep(struct arena *a, xmlChar *s)
{
	char *out;

	if (s == NULL)
		return "";
	out = arena_xstrdup(a, (const char *)s);
	xmlFree(s);
	return out;
}

const char *
xmlin_text(struct arena *a, xmlNodePtr parent, const char *name)
{
	xmlNodePtr c = xmlin_child(parent, name);

	return c != NULL ? keep(a, xmlNodeGetContent(c)) : NULL;
}

const char *
xmlin_token(struct arena *a, xmlNodePtr parent, const char *name)
{
	const char *s = xmlin_text(a, parent, name);
	char *out, *o;
	int space = 0;

	if (s == NULL)
		return NULL;
	out = o = arena_xstrdup(a, s);
	for (; *s != '\0'; s++) {
		if (is_space(*s)) {
			space = o != out;
			continue;
		}
		if (space)
			*o++ = ' ';
		space = 0;
		*o++ = *s;
	}
	*o = '\0';
	return out;
}

const char *
xmlin_attr(struct arena *a, xmlNodePtr node, const char *name)
{
	xmlChar *s;

	if (node == NULL || (s = xmlGetNoNsProp(node, XC(name))) == NULL)
		return NULL;
	return keep(a, s);
}

int
xmlin_code(struct arena *a, xmlNodePtr parent, const char *name,
    const char *const *names, int none)
{
	int i = kw_name_index(names, xmlin_token(a, parent, name));

	return i < 0 ? none : i;
}

const char *
xmlin_stamp(struct arena *a, xmlNodePtr parent, const char *what)
{
	char name[64];
	const char *date, *time;

	snprintf(name, sizeof(name), "%sDate", what);
	if ((date = xmlin_token(a, parent, name)) == NULL)
		return NULL;
	snprintf(name, sizeof(name), "%sTime", what);
	time = xmlin_token(a, parent, name);
	return arena_xprintf(a, "%sT%s", date, time != NULL ? time :
	    "00:00:00Z");
}

int
xmlin_int(xmlNodePtr parent, const char *name, long long min, long long max,
    long long *out)
{
	xmlNodePtr c = xmlin_child(parent, name);
	xmlChar *s;
	char *p, *q;
	int ret;

	if (c == NULL)
		return 1;
	if ((s = xmlNodeGetContent(c)) == NULL)
		return -1;
	/* As the schema reads an integer: white space around it, a '+' and
	 * leading zeros allowed. */
	for (p = (char *)s; is_space(*p); p++)
		continue;
	for (q = p + strlen(p); q > p && is_space(q[-1]); q--)
		continue;
	*q = '\0';
	if (*p == '+')
		p++;
	ret = kw_parse_int(p, min, max, out);
	xmlFree(s);
	return ret == 0 ? 0 : -1;
}
