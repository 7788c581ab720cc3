/* exchange.c: the XML API for partner systems (health only, for now). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/xmlwriter.h>

#include "arena.h"
#include "db.h"
#include "req.h"
#include "route.h"
#include "program.h"

#define XMLNS	"urn:keepword:exchange:1"

/* libxml2 strings are unsigned; this cast keeps const (BAD_CAST drops it). */
#define XC(s)	((const xmlChar *)(s))


/* Write <Element xmlns=...><StatusCode>code</StatusCode>[<Text>]</...>
 * into r->body with status. */
static void
xml_status(struct req *r, int status, const char *element,
    const char *code, const char *text)
{
	xmlBufferPtr xb = xmlBufferCreate();
	xmlTextWriterPtr w = xb != NULL ? xmlNewTextWriterMemory(xb, 0) : NULL;
	int rc = -1;

	r->status = status;
	if (w == NULL)
		goto out;
	if (xmlTextWriterStartDocument(w, "1.0", "UTF-8", NULL) < 0 ||
	    xmlTextWriterStartElementNS(w, NULL, XC(element),
	    XC(XMLNS)) < 0 ||
	    xmlTextWriterWriteElement(w, XC("StatusCode"),
	    XC(code)) < 0 ||
	    (text != NULL && xmlTextWriterWriteElement(w, XC("Text"),
	    XC(text)) < 0) ||
	    xmlTextWriterEndDocument(w) < 0)
		goto out;
	xmlFreeTextWriter(w);
	w = NULL;
	buf_append(&r->body, xmlBufferContent(xb), (size_t)xmlBufferLength(xb));
	rc = 0;
out:
	if (w != NULL)
		xmlFreeTextWriter(w);
	if (xb != NULL)
		xmlBufferFree(xb);
	if (rc != 0) {
		r->status = 500;
		buf_clear(&r->body);
	}
}

static void
handle(const struct req_io *io, void *ud)
{
	struct program *ex = ud;
	struct req r;
	enum kw_status st;

	st = req_parse(&r, ex->arena, io, &ex->limits);
	if (st != KW_OK)
		xml_status(&r, kw_status_http(st), "Error",
		    kw_status_str(st), "The request could not be read.");
	else if (strcmp(r.path, "/health") != 0)
		xml_status(&r, 404, "Error", "NotFound",
		    "No such resource.");
	else if (r.method != REQ_GET && r.method != REQ_HEAD) {
		req_header(&r, "Allow", "GET, HEAD");
		xml_status(&r, 405, "Error", "MethodNotAllowed",
		    "Use GET.");
	} else if (db_ping(program_db(ex)) == KW_OK)
		xml_status(&r, 200, "Health", "ok", NULL);
	else
		xml_status(&r, 503, "Health", "unavailable",
		    "The database cannot be reached.");
	req_send(&r, "application/xml; charset=utf-8");
	buf_free(&r.head);
	buf_free(&r.body);
	arena_reset(ex->arena);
}

static int
worker_init(void *ud)
{
	LIBXML_TEST_VERSION
	return program_worker_init(ud);
}

static void
worker_fini(void *ud)
{
	program_worker_fini(ud);
	xmlCleanupParser();
}

int
main(int argc, char *argv[])
{
	struct program ex;
	struct serve_app app;
	int rc;

	kw_log_init(argv[0]);
	if ((rc = program_args(&ex, "exchange", "Serves the Keepword XML "
	    "exchange for partner systems over FastCGI.", argc, argv)) >= 0)
		return rc;
	app.worker_init = worker_init;
	app.handle = handle;
	app.worker_fini = worker_fini;
	app.ud = &ex;
	return serve_run(&ex.serve, &app);
}
