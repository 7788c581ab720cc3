/* test-tmpl.c: the template engine against tmpl-spec.md Part IV. */
#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "tmpl.h"

/* Case flags: the "+strict" and "+fmt upper" annotations. */
#define CF_STRICT	0x1u
#define CF_UPPER	0x2u

/*
 * One row of IV.2. Template and expected text are C literals as in the
 * spec; data and files are the spec's JSON, loaded by json_vars().
 */
struct tcase {
	const char	*id;
	const char	*tmpl;
	size_t		 tlen;		/* 0: strlen(tmpl) */
	const char	*data;		/* JSON object: the root scope */
	const char	*files;		/* JSON object path -> content, or NULL */
	const char	*main;		/* NULL: "t.tmpl" */
	unsigned	 flags;
	const char	*expect;	/* output, or "ERR E_CODE @ file:l:c" */
	const char	*msgsub;	/* the message must contain this, or NULL */
};

static struct tcase cases[] = {
	{ "T01", "Hello, world.", 0, "{}", NULL, NULL, 0,
	    "Hello, world.", NULL },
	{ "T02", "a<* hidden *>b", 0, "{}", NULL, NULL, 0,
	    "ab", NULL },
	{ "T03", "a<* <TMPL_VAR name=\"x\">\n *>b", 0, "{\"x\":\"X\"}", NULL, NULL, 0,
	    "ab", NULL },
	{ "T04", "x *> y", 0, "{}", NULL, NULL, 0,
	    "x *> y", NULL },
	{ "T05", "<<**>*", 0, "{}", NULL, NULL, 0,
	    "<*", NULL },
	{ "T06", "<<**>TMPL_VAR name=\"x\">", 0, "{\"x\":\"X\"}", NULL, NULL, 0,
	    "<TMPL_VAR name=\"x\">", NULL },
	{ "T07", "one\\\ntwo", 0, "{}", NULL, NULL, 0,
	    "onetwo", NULL },
	{ "T08", "one\\\\\ntwo", 0, "{}", NULL, NULL, 0,
	    "one\\\ntwo", NULL },
	{ "T09", "a\\\\\\\nb", 0, "{}", NULL, NULL, 0,
	    "a\\\\\nb", NULL },
	{ "T10", "one\\\r\ntwo", 0, "{}", NULL, NULL, 0,
	    "onetwo", NULL },
	{ "T11", "a\\b", 0, "{}", NULL, NULL, 0,
	    "a\\b", NULL },
	{ "T12", "a\\ \nb", 0, "{}", NULL, NULL, 0,
	    "a\\ \nb", NULL },
	{ "T13", "end\\", 0, "{}", NULL, NULL, 0,
	    "end\\", NULL },
	{ "T14", "<TMPL_VAR name=\"a\">\n<TMPL_VAR name=\"b\">", 0, "{\"a\":\"1\",\"b\":\"2\"}", NULL, NULL, 0,
	    "1\n2", NULL },
	{ "T15", "\xEF\xBB\xBF" "hi", 0, "{}", NULL, NULL, 0,
	    "hi", NULL },
	{ "T16", "Hi <TMPL_VAR name=\"who\">!", 0, "{\"who\":\"Ada\"}", NULL, NULL, 0,
	    "Hi Ada!", NULL },
	{ "T17", "[<TMPL_VAR name=\"missing\">]", 0, "{}", NULL, NULL, 0,
	    "[]", NULL },
	{ "T18", "[<TMPL_VAR name=\"missing\" default=\"n/a\">]", 0, "{}", NULL, NULL, 0,
	    "[n/a]", NULL },
	{ "T19", "[<TMPL_VAR name=\"e\" default=\"n/a\">]", 0, "{\"e\":\"\"}", NULL, NULL, 0,
	    "[]", NULL },
	{ "T20", "<tmpl_var NAME='who'>", 0, "{\"who\":\"Ada\"}", NULL, NULL, 0,
	    "Ada", NULL },
	{ "T21", "[<TMPL_VAR name=\"Who\">]", 0, "{\"who\":\"Ada\"}", NULL, NULL, 0,
	    "[]", NULL },
	{ "T22", "<TMPL_VAR name=who>", 0, "{\"who\":\"Ada\"}", NULL, NULL, 0,
	    "Ada", NULL },
	{ "T23", "<TMPL_VAR name=first_name>", 0, "{\"first_name\":\"Ada\"}", NULL, NULL, 0,
	    "Ada", NULL },
	{ "T24", "<TMPL_VAR\n   name = \"who\"\n   default = \"x\" >", 0, "{\"who\":\"Ada\"}", NULL, NULL, 0,
	    "Ada", NULL },
	{ "T25", "<TMPL_VAR default=\"?\" name=\"who\"/>", 0, "{\"who\":\"Ada\"}", NULL, NULL, 0,
	    "Ada", NULL },
	{ "T26", "<!-- TMPL_VAR name=\"who\" -->", 0, "{\"who\":\"Ada\"}", NULL, NULL, 0,
	    "Ada", NULL },
	{ "T27", "<!-- TMPL_VAR name=a -->", 0, "{\"a\":\"1\"}", NULL, NULL, 0,
	    "1", NULL },
	{ "T28", "<a title=\"<TMPL_VAR name=\"t\">\">", 0, "{\"t\":\"x\"}", NULL, NULL, 0,
	    "<a title=\"x\">", NULL },
	{ "T29", "<TMPL_VAR name=\"v\" default=\"a>b\">", 0, "{}", NULL, NULL, 0,
	    "a&gt;b", NULL },
	{ "T30", "<TMPL_VAR name='it\"s'>", 0, "{\"it\\\"s\":\"q\"}", NULL, NULL, 0,
	    "q", NULL },
	{ "T31", "<tMpL_lOoP NaMe=\"L\">x</TmPl_LoOp>", 0, "{\"L\":[{}]}", NULL, NULL, 0,
	    "x", NULL },
	{ "T32", "<TMPL_VAR name=\"s\">", 0, "{\"s\":\"<TMPL_VAR name=\\\"x\\\">\"}", NULL, NULL, 0,
	    "&lt;TMPL_VAR name=&quot;x&quot;&gt;", NULL },
	{ "T33", "< TMPL_VAR name=\"a\"> <!-- plain comment -->", 0, "{\"a\":\"1\"}", NULL, NULL, 0,
	    "< TMPL_VAR name=\"a\"> <!-- plain comment -->", NULL },
	{ "T34", "<TMPL_VAR name=\"s\">", 0, "{\"s\":\"<b>\\\"Tom\\\" & 'Jerry'</b>\"}", NULL, NULL, 0,
	    "&lt;b&gt;&quot;Tom&quot; &amp; &#39;Jerry&#39;&lt;/b&gt;", NULL },
	{ "T35", "<TMPL_VAR name=\"s\" fmt=\"html\">", 0, "{\"s\":\"<b>\\\"Tom\\\" & 'Jerry'</b>\"}", NULL, NULL, 0,
	    "&lt;b&gt;&quot;Tom&quot; &amp; &#39;Jerry&#39;&lt;/b&gt;", NULL },
	{ "T36", "<TMPL_VAR name=\"s\" fmt=\"raw\">", 0, "{\"s\":\"<b>\\\"Tom\\\" & 'Jerry'</b>\"}", NULL, NULL, 0,
	    "<b>\"Tom\" & 'Jerry'</b>", NULL },
	{ "T37", "<TMPL_VAR name=\"s\" fmt=\"attr\">", 0, "{\"s\":\"a\\nb\\tc`\"}", NULL, NULL, 0,
	    "a&#10;b&#9;c&#96;", NULL },
	{ "T38", "<TMPL_VAR name=\"s\" fmt=\"entity\">", 0, "{\"s\":\"<x>\\r\\n\"}", NULL, NULL, 0,
	    "&lt;x&gt;&#13;&#10;", NULL },
	{ "T39", "<TMPL_VAR name=\"s\" fmt=\"url\">", 0, "{\"s\":\"a b&c/d~é\"}", NULL, NULL, 0,
	    "a%20b%26c%2Fd~%C3%A9", NULL },
	{ "T40", "<a href=\"/q?term=<TMPL_VAR name=\"s\" fmt=\"url\">\">", 0, "{\"s\":\"R&D \\\"x\\\"\"}", NULL, NULL, 0,
	    "<a href=\"/q?term=R%26D%20%22x%22\">", NULL },
	{ "T41", "<TMPL_VAR name=\"s\" fmt=\"js\">", 0, "{\"s\":\"He said \\\"hi\\\" </script>\"}", NULL, NULL, 0,
	    "He said \\u0022hi\\u0022 \\u003C\\/script\\u003E", NULL },
	{ "T42", "<TMPL_VAR name=\"s\" fmt=\"js\">", 0, "{\"s\":\"a\\\\b\\nc'\"}", NULL, NULL, 0,
	    "a\\\\b\\nc\\u0027", NULL },
	{ "T43", "<TMPL_VAR name=\"s\" fmt=\"js\">", 0, "{\"s\":\"a\\u2028b\"}", NULL, NULL, 0,
	    "a\\u2028b", NULL },
	{ "T44", "<TMPL_VAR name=\"m\" default=\"<none>\">", 0, "{}", NULL, NULL, 0,
	    "&lt;none&gt;", NULL },
	{ "T45", "<TMPL_VAR name=\"m\" fmt=\"raw\" default=\"<i>none</i>\">", 0, "{}", NULL, NULL, 0,
	    "<i>none</i>", NULL },
	{ "T46", "<TMPL_VAR name=\"s\" fmt=\"upper\">", 0, "{\"s\":\"a<b\"}", NULL, NULL, CF_UPPER,
	    "A<B", NULL },
	{ "T47", "x <TMPL_VAR name=\"s\" fmt=\"bold\">", 0, "{\"s\":\"a\"}", NULL, NULL, 0,
	    "ERR E_FMT @ t.tmpl:1:22", NULL },
	{ "T48", "<TMPL_VAR name=\"s\" fmt=\"HTML\">", 0, "{\"s\":\"a\"}", NULL, NULL, 0,
	    "ERR E_FMT @ t.tmpl:1:20", NULL },
	{ "T49", "<TMPL_IF name=\"x\">yes<TMPL_ELSE>no</TMPL_IF>", 0, "{\"x\":\"1\"}", NULL, NULL, 0,
	    "yes", NULL },
	{ "T50", "<TMPL_IF name=\"x\">yes<TMPL_ELSE>no</TMPL_IF>", 0, "{\"x\":\"\"}", NULL, NULL, 0,
	    "no", NULL },
	{ "T51", "<TMPL_IF name=\"x\">yes<TMPL_ELSE>no</TMPL_IF>", 0, "{}", NULL, NULL, 0,
	    "no", NULL },
	{ "T52", "<TMPL_IF name=\"x\">yes<TMPL_ELSE>no</TMPL_IF>", 0, "{\"x\":\"0\"}", NULL, NULL, 0,
	    "yes", NULL },
	{ "T53", "<TMPL_IF name=\"c\" value=\"red\">R<TMPL_ELSIF name=\"c\" value=\"green\">G<TMPL_ELSE>?</TMPL_IF>", 0, "{\"c\":\"green\"}", NULL, NULL, 0,
	    "G", NULL },
	{ "T54", "<TMPL_IF name=\"c\" value=\"red\">R<TMPL_ELSIF name=\"c\" value=\"green\">G<TMPL_ELSE>?</TMPL_IF>", 0, "{\"c\":\"Red\"}", NULL, NULL, 0,
	    "?", NULL },
	{ "T55", "<TMPL_IF name=\"x\" value=\"\">empty<TMPL_ELSE>set</TMPL_IF>", 0, "{}", NULL, NULL, 0,
	    "empty", NULL },
	{ "T56", "<TMPL_IF name=\"x\" value=\"\">empty<TMPL_ELSE>set</TMPL_IF>", 0, "{\"x\":\"\"}", NULL, NULL, 0,
	    "empty", NULL },
	{ "T57", "<TMPL_IF name=\"x\" value=\"\">empty<TMPL_ELSE>set</TMPL_IF>", 0, "{\"x\":\"a\"}", NULL, NULL, 0,
	    "set", NULL },
	{ "T58", "<TMPL_IF name=\"a\">A<TMPL_ELSIF name=\"b\">B<TMPL_ELSIF name=\"c\">C</TMPL_IF>", 0, "{\"b\":\"1\",\"c\":\"1\"}", NULL, NULL, 0,
	    "B", NULL },
	{ "T59", "[<TMPL_IF name=\"a\">A<TMPL_ELSIF name=\"b\">B</TMPL_IF>]", 0, "{}", NULL, NULL, 0,
	    "[]", NULL },
	{ "T60", "<TMPL_IF name=\"rows\">has<TMPL_ELSE>none</TMPL_IF>", 0, "{\"rows\":[{}]}", NULL, NULL, 0,
	    "has", NULL },
	{ "T61", "<TMPL_IF name=\"rows\">has<TMPL_ELSE>none</TMPL_IF>", 0, "{\"rows\":[]}", NULL, NULL, 0,
	    "none", NULL },
	{ "T62", "<TMPL_IF name=\"rows\" value=\"\">none<TMPL_ELSE>some</TMPL_IF>", 0, "{\"rows\":[{\"a\":\"1\"}]}", NULL, NULL, 0,
	    "some", NULL },
	{ "T63", "<TMPL_IF name=\"a\"><TMPL_IF name=\"b\">ab<TMPL_ELSE>a</TMPL_IF><TMPL_ELSE>-</TMPL_IF>", 0, "{\"a\":\"1\"}", NULL, NULL, 0,
	    "a", NULL },
	{ "T64", "<TMPL_IF name=\"x\">a<TMPL_ELSE/>b</TMPL_IF>", 0, "{}", NULL, NULL, 0,
	    "b", NULL },
	{ "T65", "<!-- TMPL_IF name=\"x\" -->y<!-- /TMPL_IF -->", 0, "{\"x\":\"1\"}", NULL, NULL, 0,
	    "y", NULL },
	{ "T66", "<TMPL_IF name=\"n\" value=\"0\">zero</TMPL_IF>", 0, "{\"n\":\"0\"}", NULL, NULL, 0,
	    "zero", NULL },
	{ "T67", "<TMPL_LOOP name=\"L\">[<TMPL_VAR name=\"n\">]</TMPL_LOOP>", 0, "{\"L\":[{\"n\":\"1\"},{\"n\":\"2\"},{\"n\":\"3\"}]}", NULL, NULL, 0,
	    "[1][2][3]", NULL },
	{ "T68", "a<TMPL_LOOP name=\"nope\">x</TMPL_LOOP>b", 0, "{}", NULL, NULL, 0,
	    "ab", NULL },
	{ "T69", "<TMPL_LOOP name=\"L\"><TMPL_VAR name=\"n\"></TMPL_LOOP>", 0, "{\"n\":\"?\",\"L\":[{\"n\":\"1\"},{},{\"n\":\"3\"}]}", NULL, NULL, 0,
	    "1?3", NULL },
	{ "T70", "<TMPL_LOOP name=\"L\"><TMPL_VAR name=\"sep\"><TMPL_VAR name=\"n\"></TMPL_LOOP>", 0, "{\"sep\":\"-\",\"L\":[{\"n\":\"1\"},{\"n\":\"2\"}]}", NULL, NULL, 0,
	    "-1-2", NULL },
	{ "T71", "<TMPL_VAR name=\"n\">:<TMPL_LOOP name=\"L\"><TMPL_VAR name=\"n\"></TMPL_LOOP>:<TMPL_VAR name=\"n\">", 0, "{\"n\":\"o\",\"L\":[{\"n\":\"i\"}]}", NULL, NULL, 0,
	    "o:i:o", NULL },
	{ "T72", "<TMPL_LOOP name=\"g\"><TMPL_VAR name=\"t\">=<TMPL_LOOP name=\"m\"><TMPL_VAR name=\"t\"><TMPL_VAR name=\"x\">;</TMPL_LOOP>/</TMPL_LOOP>", 0, "{\"g\":[{\"t\":\"A\",\"m\":[{\"x\":\"1\"},{\"x\":\"2\"}]},{\"t\":\"B\",\"m\":[{\"x\":\"3\"}]}]}", NULL, NULL, 0,
	    "A=A1;A2;/B=B3;/", NULL },
	{ "T73", "<TMPL_LOOP name=\"L\"><TMPL_LOOP name=\"L\">x</TMPL_LOOP></TMPL_LOOP>", 0, "{\"L\":[{},{}]}", NULL, NULL, 0,
	    "xxxx", NULL },
	{ "T74", "[<TMPL_VAR name=\"L\">]", 0, "{\"L\":[{}]}", NULL, NULL, 0,
	    "[]", NULL },
	{ "T75", "<TMPL_LOOP name=\"L\"><TMPL_IF name=\"stop\"><TMPL_BREAK></TMPL_IF><TMPL_VAR name=\"n\"></TMPL_LOOP>.", 0, "{\"L\":[{\"n\":\"1\"},{\"n\":\"2\",\"stop\":\"1\"},{\"n\":\"3\"}]}", NULL, NULL, 0,
	    "1.", NULL },
	{ "T76", "<TMPL_LOOP name=\"L\"><TMPL_IF name=\"stop\"><TMPL_CONTINUE></TMPL_IF><TMPL_VAR name=\"n\"></TMPL_LOOP>.", 0, "{\"L\":[{\"n\":\"1\"},{\"n\":\"2\",\"stop\":\"1\"},{\"n\":\"3\"}]}", NULL, NULL, 0,
	    "13.", NULL },
	{ "T77", "<TMPL_LOOP name=\"o\">(<TMPL_LOOP name=\"i\"><TMPL_IF name=\"x\" value=\"b\"><TMPL_BREAK></TMPL_IF><TMPL_VAR name=\"x\"></TMPL_LOOP>)</TMPL_LOOP>!", 0, "{\"o\":[{\"i\":[{\"x\":\"a\"},{\"x\":\"b\"},{\"x\":\"c\"}]},{\"i\":[{\"x\":\"d\"}]}]}", NULL, NULL, 0,
	    "(a)(d)!", NULL },
	{ "T78", "<TMPL_LOOP name=\"o\">(<TMPL_LOOP name=\"i\"><TMPL_IF name=\"x\" value=\"b\"><TMPL_BREAK level=\"2\"></TMPL_IF><TMPL_VAR name=\"x\"></TMPL_LOOP>)</TMPL_LOOP>!", 0, "{\"o\":[{\"i\":[{\"x\":\"a\"},{\"x\":\"b\"},{\"x\":\"c\"}]},{\"i\":[{\"x\":\"d\"}]}]}", NULL, NULL, 0,
	    "(a!", NULL },
	{ "T79", "<TMPL_LOOP name=\"o\">(<TMPL_LOOP name=\"i\"><TMPL_IF name=\"x\" value=\"b\"><TMPL_CONTINUE level=2></TMPL_IF><TMPL_VAR name=\"x\"></TMPL_LOOP>)</TMPL_LOOP>!", 0, "{\"o\":[{\"i\":[{\"x\":\"a\"},{\"x\":\"b\"},{\"x\":\"c\"}]},{\"i\":[{\"x\":\"d\"}]}]}", NULL, NULL, 0,
	    "(a(d)!", NULL },
	{ "T80", "<TMPL_LOOP name=\"L\"><TMPL_VAR name=\"n\"><TMPL_BREAK/></TMPL_LOOP>", 0, "{\"L\":[{\"n\":\"1\"},{\"n\":\"2\"}]}", NULL, NULL, 0,
	    "1", NULL },
	{ "T81", "A<TMPL_INCLUDE name=\"part.tmpl\">C", 0, "{}", "{\"part.tmpl\":\"B\"}", NULL, 0,
	    "ABC", NULL },
	{ "T82", "<TMPL_LOOP name=\"L\"><TMPL_INCLUDE name=\"row.tmpl\"></TMPL_LOOP>", 0, "{\"L\":[{\"n\":\"1\"},{\"n\":\"2\"}]}", "{\"row.tmpl\":\"<TMPL_VAR name=\\\"n\\\">,\"}", NULL, 0,
	    "1,2,", NULL },
	{ "T83", "[<TMPL_INCLUDE name=\".../bits/nav.tmpl\">]", 0, "{}", "{\"pages/bits/nav.tmpl\":\"nav\",\"bits/nav.tmpl\":\"WRONG\"}", "pages/home.tmpl", 0,
	    "[nav]", NULL },
	{ "T84", "[<TMPL_INCLUDE name=\"bits/nav.tmpl\">]", 0, "{}", "{\"bits/nav.tmpl\":\"root-nav\"}", "pages/x.tmpl", 0,
	    "[root-nav]", NULL },
	{ "T85", "<TMPL_VAR name=\"label\"><TMPL_IF name=\"kids\">(<TMPL_LOOP name=\"kids\"><TMPL_INCLUDE name=\"tree.tmpl\"></TMPL_LOOP>)</TMPL_IF>", 0, "{\"label\":\"r\",\"kids\":[{\"label\":\"a\",\"kids\":[]},{\"label\":\"b\",\"kids\":[{\"label\":\"c\",\"kids\":[]}]}]}", NULL, "tree.tmpl", 0,
	    "r(ab(c))", NULL },
	{ "T86", "<TMPL_VAR name=\"label\"><TMPL_IF name=\"kids\">(<TMPL_LOOP name=\"kids\"><TMPL_INCLUDE name=\"tree.tmpl\"></TMPL_LOOP>)</TMPL_IF>", 0, "{\"label\":\"r\",\"kids\":[{\"label\":\"a\"}]}", NULL, "tree.tmpl", 0,
	    "ERR E_DEPTH @ tree.tmpl:1:69", NULL },
	{ "T87", "x<TMPL_INCLUDE name=\"a.tmpl\">", 0, "{}", NULL, "a.tmpl", 0,
	    "ERR E_DEPTH @ a.tmpl:1:2", NULL },
	{ "T88", "x<TMPL_INCLUDE name=\"../secret.tmpl\">", 0, "{}", NULL, NULL, 0,
	    "ERR E_PATH @ t.tmpl:1:16", NULL },
	{ "T89", "<TMPL_INCLUDE name=\"/etc/passwd\">", 0, "{}", NULL, NULL, 0,
	    "ERR E_PATH @ t.tmpl:1:15", NULL },
	{ "T90", "<TMPL_IF name=\"never\"><TMPL_INCLUDE name=\"gone.tmpl\"></TMPL_IF>ok", 0, "{}", NULL, NULL, 0,
	    "ERR E_IO @ t.tmpl:1:37", NULL },
	{ "T91", "<TMPL_LOOP name=\"L\"><TMPL_INCLUDE name=\"b.tmpl\"></TMPL_LOOP>", 0, "{\"L\":[{}]}", "{\"b.tmpl\":\"<TMPL_BREAK>\"}", NULL, 0,
	    "ERR E_LEVEL @ b.tmpl:1:1", NULL },
	{ "T92", "<TMPL_IF name=\"x\">open", 0, "{}", NULL, NULL, 0,
	    "ERR E_STRUCTURE @ t.tmpl:1:1", NULL },
	{ "T93", "text</TMPL_IF>", 0, "{}", NULL, NULL, 0,
	    "ERR E_STRUCTURE @ t.tmpl:1:5", NULL },
	{ "T94", "<TMPL_IF name=\"x\">a<TMPL_ELSE>b<TMPL_ELSE>c</TMPL_IF>", 0, "{}", NULL, NULL, 0,
	    "ERR E_STRUCTURE @ t.tmpl:1:32", NULL },
	{ "T95", "<TMPL_IF name=\"x\">a<TMPL_ELSE>b<TMPL_ELSIF name=\"y\">c</TMPL_IF>", 0, "{}", NULL, NULL, 0,
	    "ERR E_STRUCTURE @ t.tmpl:1:32", NULL },
	{ "T96", "<TMPL_LOOP name=\"L\">a</TMPL_IF></TMPL_LOOP>", 0, "{}", NULL, NULL, 0,
	    "ERR E_STRUCTURE @ t.tmpl:1:22", NULL },
	{ "T97", "a\n<TMPL_LOOP name=\"L\">\n<TMPL_IF name=\"x\">\n</TMPL_LOOP>", 0, "{}", NULL, NULL, 0,
	    "ERR E_STRUCTURE @ t.tmpl:4:1", NULL },
	{ "T98", "<TMPL_VAR>", 0, "{}", NULL, NULL, 0,
	    "ERR E_SYNTAX @ t.tmpl:1:1", NULL },
	{ "T99", "<TMPL_VAR name=\"\">", 0, "{}", NULL, NULL, 0,
	    "ERR E_SYNTAX @ t.tmpl:1:11", NULL },
	{ "T100", "<TMPL_VAR name=\"a\" colour=\"red\">", 0, "{}", NULL, NULL, 0,
	    "ERR E_SYNTAX @ t.tmpl:1:20", NULL },
	{ "T101", "line1\n  <TMPL_VAR nam=\"x\">", 0, "{}", NULL, NULL, 0,
	    "ERR E_SYNTAX @ t.tmpl:2:13", NULL },
	{ "T102", "<TMPL_VAR name=\"a\" name=\"b\">", 0, "{}", NULL, NULL, 0,
	    "ERR E_SYNTAX @ t.tmpl:1:20", NULL },
	{ "T103", "<TMPL_UNLESS name=\"a\">x</TMPL_UNLESS>", 0, "{}", NULL, NULL, 0,
	    "ERR E_UNKNOWN_TAG @ t.tmpl:1:1", NULL },
	{ "T104", "<TMPL_ELSEIF name=\"a\">", 0, "{}", NULL, NULL, 0,
	    "ERR E_UNKNOWN_TAG @ t.tmpl:1:1", "TMPL_ELSIF" },
	{ "T105", "<TMPL_VARname=\"a\">", 0, "{}", NULL, NULL, 0,
	    "ERR E_UNKNOWN_TAG @ t.tmpl:1:1", NULL },
	{ "T106", "ok <* never closed", 0, "{}", NULL, NULL, 0,
	    "ERR E_COMMENT @ t.tmpl:1:4", NULL },
	{ "T107", "<TMPL_VAR name=\"a>\n", 0, "{}", NULL, NULL, 0,
	    "ERR E_SYNTAX @ t.tmpl:1:16", NULL },
	{ "T108", "<TMPL_VAR name=\"a\"", 0, "{}", NULL, NULL, 0,
	    "ERR E_SYNTAX @ t.tmpl:1:1", NULL },
	{ "T109", "<TMPL_IF name=\"x\"/>y</TMPL_IF>", 0, "{}", NULL, NULL, 0,
	    "ERR E_SYNTAX @ t.tmpl:1:1", NULL },
	{ "T110", "<TMPL_LOOP name=\"L\"></TMPL_LOOP name=\"L\">", 0, "{}", NULL, NULL, 0,
	    "ERR E_SYNTAX @ t.tmpl:1:33", NULL },
	{ "T111", "<TMPL_ELSE name=\"x\">", 0, "{}", NULL, NULL, 0,
	    "ERR E_SYNTAX @ t.tmpl:1:12", NULL },
	{ "T112", "<!-- TMPL_VAR name=a-->", 0, "{\"a\":\"1\"}", NULL, NULL, 0,
	    "ERR E_SYNTAX @ t.tmpl:1:23", NULL },
	{ "T113", "a<TMPL_BREAK>", 0, "{}", NULL, NULL, 0,
	    "ERR E_LEVEL @ t.tmpl:1:2", NULL },
	{ "T114", "<TMPL_LOOP name=\"a\"><TMPL_LOOP name=\"b\"><TMPL_BREAK level=\"3\"></TMPL_LOOP></TMPL_LOOP>", 0, "{}", NULL, NULL, 0,
	    "ERR E_LEVEL @ t.tmpl:1:53", NULL },
	{ "T115", "<TMPL_LOOP name=\"L\"><TMPL_BREAK level=\"0\"></TMPL_LOOP>", 0, "{}", NULL, NULL, 0,
	    "ERR E_LEVEL @ t.tmpl:1:33", NULL },
	{ "T116", "<TMPL_VAR name=\"nope\">", 0, "{}", NULL, NULL, CF_STRICT,
	    "ERR E_UNDEF @ t.tmpl:1:1", NULL },
	{ "T117", "<TMPL_VAR name=\"nope\" default=\"\">.", 0, "{}", NULL, NULL, CF_STRICT,
	    ".", NULL },
	{ "T118", "\xEF\xBB\xBF" "<TMPL_IF name=\"x\">", 0, "{}", NULL, NULL, 0,
	    "ERR E_STRUCTURE @ t.tmpl:1:1", NULL },
	{ "T119", "a\0b", 3, "{}", NULL, NULL, 0,
	    "ERR E_SYNTAX @ t.tmpl:1:2", NULL },
	{ "T120", "<TMPL_LOOP name=\"L\">\n  <TMPL_VAR name=\"n\">\n</TMPL_LOOP>\n", 0, "{\"L\":[{\"n\":\"1\"},{\"n\":\"2\"}]}", NULL, NULL, 0,
	    "\n  1\n\n  2\n\n", NULL },
	{ "T121", "<TMPL_LOOP name=\"L\">\\\n  <TMPL_VAR name=\"n\">\n</TMPL_LOOP>\\\n", 0, "{\"L\":[{\"n\":\"1\"},{\"n\":\"2\"}]}", NULL, NULL, 0,
	    "  1\n  2\n", NULL },
	{ "T122", "<TMPL_LOOP name=\"L\"><*\n*>  <TMPL_VAR name=\"n\"><*\n*></TMPL_LOOP>", 0, "{\"L\":[{\"n\":\"1\"},{\"n\":\"2\"}]}", NULL, NULL, 0,
	    "  1  2", NULL },
	{ "T123", "<TMPL_LOOP name=\"L\"><TMPL_VAR name=\"n\">, </TMPL_LOOP>", 0, "{\"L\":[{\"n\":\"1\"},{\"n\":\"2\"}]}", NULL, NULL, 0,
	    "1, 2, ", NULL },
};

#define NCASES	(sizeof(cases) / sizeof(cases[0]))

static char g_root[PATH_MAX];	/* mkdtemp'd; one subdirectory per case */

/* ---------- helpers ---------- */

/* The directory of case id, created empty. */
static void
case_dir(const char *id, char *dir, size_t len)
{
	int n = snprintf(dir, len, "%s/%s", g_root, id);

	assert_true(n > 0 && (size_t)n < len);
	assert_int_equal(mkdir(dir, 0700), 0);
}

/* Writes dir/rel (creating directories) with content[0..len). */
static void
write_file(const char *dir, const char *rel, const char *content, size_t len)
{
	char path[PATH_MAX], *p;
	FILE *f;
	int n;

	n = snprintf(path, sizeof(path), "%s/%s", dir, rel);
	assert_true(n > 0 && (size_t)n < sizeof(path));
	for (p = path + strlen(dir) + 1; (p = strchr(p, '/')) != NULL; p++) {
		*p = '\0';
		if (mkdir(path, 0700) == -1)
			assert_int_equal(errno, EEXIST);
		*p = '/';
	}
	assert_non_null(f = fopen(path, "wb"));
	assert_int_equal(fwrite(content, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

static void
write_str(const char *dir, const char *rel, const char *content)
{
	write_file(dir, rel, content, strlen(content));
}

/* "+fmt upper": ASCII upper-casing, no escaping. */
static int
fmt_upper(tmpl_buf *out, const char *s, size_t n, void *ud)
{
	size_t i;
	char c;

	(void)ud;
	for (i = 0; i < n; i++) {
		c = s[i];
		if (c >= 'a' && c <= 'z')
			c = (char)(c - 'a' + 'A');
		buf_putc(out, c);
	}
	return 0;
}

static int
fmt_fail(tmpl_buf *out, const char *s, size_t n, void *ud)
{
	(void)out;
	(void)s;
	(void)n;
	(void)ud;
	return 1;
}

/* ---------- a tiny JSON reader for the Data column ---------- */

struct json {
	const char	*p;
	const char	*id;
};

static void
json_ws(struct json *j)
{
	while (*j->p == ' ' || *j->p == '\t' || *j->p == '\n' || *j->p == '\r')
		j->p++;
}

static void
json_expect(struct json *j, char c)
{
	json_ws(j);
	if (*j->p != c)
		fail_msg("%s: bad test JSON: expected '%c' at \"%s\"", j->id, c,
		    j->p);
	j->p++;
}

static unsigned
json_hex4(struct json *j)
{
	unsigned v = 0, i;
	char c;

	for (i = 0; i < 4; i++) {
		c = *j->p++;
		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v |= (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v |= (unsigned)(c - 'A' + 10);
		else
			fail_msg("%s: bad \\u escape", j->id);
	}
	return v;
}

/* A JSON string, decoded into b (cleared first). */
static void
json_string(struct json *j, tmpl_buf *b)
{
	unsigned u;
	char c;

	tmpl_buf_clear(b);
	tmpl_buf_append(b, "", 0);
	json_expect(j, '"');
	while ((c = *j->p++) != '"') {
		if (c == '\0')
			fail_msg("%s: unterminated JSON string", j->id);
		if (c != '\\') {
			buf_putc(b, c);
			continue;
		}
		switch ((c = *j->p++)) {
		case 'n':
			buf_putc(b, '\n');
			break;
		case 't':
			buf_putc(b, '\t');
			break;
		case 'r':
			buf_putc(b, '\r');
			break;
		case 'b':
			buf_putc(b, '\b');
			break;
		case 'f':
			buf_putc(b, '\f');
			break;
		case 'u':
			u = json_hex4(j);
			if (u < 0x80)
				buf_putc(b, (int)u);
			else if (u < 0x800) {
				buf_putc(b, (int)(0xc0 | (u >> 6)));
				buf_putc(b, (int)(0x80 | (u & 0x3f)));
			} else {
				buf_putc(b, (int)(0xe0 | (u >> 12)));
				buf_putc(b, (int)(0x80 | ((u >> 6) & 0x3f)));
				buf_putc(b, (int)(0x80 | (u & 0x3f)));
			}
			break;
		default:
			buf_putc(b, c);
			break;
		}
	}
	assert_int_equal(b->status, TMPL_OK);
}

/* An object: strings become variables, arrays of objects loops. */
static void
json_object(struct json *j, tmpl_vars *v)
{
	tmpl_buf key, val;
	tmpl_loop *l;

	tmpl_buf_init(&key, 0, 0);
	tmpl_buf_init(&val, 0, 0);
	json_expect(j, '{');
	json_ws(j);
	if (*j->p == '}') {
		j->p++;
		goto out;
	}
	for (;;) {
		json_string(j, &key);
		json_expect(j, ':');
		json_ws(j);
		if (*j->p == '"') {
			json_string(j, &val);
			assert_int_equal(tmpl_setn(v, key.data, val.data,
			    val.len), TMPL_OK);
		} else {
			json_expect(j, '[');
			assert_non_null(l = tmpl_add_loop(v, key.data));
			json_ws(j);
			if (*j->p == ']')
				j->p++;
			else
				for (;;) {
					json_object(j, tmpl_loop_row(l));
					json_ws(j);
					if (*j->p != ',')
						break;
					j->p++;
				}
			if (j->p[-1] != ']')
				json_expect(j, ']');
		}
		json_ws(j);
		if (*j->p != ',')
			break;
		j->p++;
	}
	json_expect(j, '}');
out:
	tmpl_buf_free(&key);
	tmpl_buf_free(&val);
}

static tmpl_vars *
json_vars(tmpl_arena *a, const char *id, const char *text)
{
	struct json j = { text, id };
	tmpl_vars *v;

	assert_non_null(v = tmpl_vars_new(a));
	json_object(&j, v);
	json_ws(&j);
	assert_int_equal(*j.p, '\0');
	return v;
}

/* The files: object of a case, written under dir. */
static void
json_files(const char *dir, const char *id, const char *text)
{
	struct json j = { text, id };
	tmpl_buf key, val;

	tmpl_buf_init(&key, 0, 0);
	tmpl_buf_init(&val, 0, 0);
	json_expect(&j, '{');
	for (;;) {
		json_string(&j, &key);
		json_expect(&j, ':');
		json_string(&j, &val);
		write_file(dir, key.data, val.data, val.len);
		json_ws(&j);
		if (*j.p != ',')
			break;
		j.p++;
	}
	json_expect(&j, '}');
	tmpl_buf_free(&key);
	tmpl_buf_free(&val);
}

/* ---------- comparing results ---------- */

/* The code name of a status: "E_SYNTAX". */
static void
code_name(tmpl_status st, char *dst, size_t len)
{
	const char *s = tmpl_strerror(st), *colon = strchr(s, ':');

	snprintf(dst, len, "%.*s", colon ? (int)(colon - s) : (int)strlen(s),
	    s);
}

/* "ERR E_X @ file:line:col" for err. */
static void
err_line(const tmpl_error *err, char *dst, size_t len)
{
	char code[32];

	code_name(err->code, code, sizeof(code));
	snprintf(dst, len, "ERR %s @ %s:%u:%u", code, err->file, err->line,
	    err->col);
}

/* Prints s with C escapes, for failure messages. */
static void
print_escaped(const char *label, const char *s, size_t n)
{
	size_t i;

	print_message("%s \"", label);
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '\n')
			print_message("\\n");
		else if (c == '\\' || c == '"')
			print_message("\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			print_message("\\x%02X", c);
		else
			print_message("%c", c);
	}
	print_message("\"\n");
}

static void
expect_text(const char *id, const char *want, const char *got, size_t gotlen)
{
	if (strlen(want) == gotlen && memcmp(want, got, gotlen) == 0)
		return;
	print_message("# %s: mismatch\n", id);
	print_escaped("#   expected", want, strlen(want));
	print_escaped("#   got     ", got, gotlen);
	fail_msg("%s failed", id);
}

/* ---------- IV.2: the table runner ---------- */

static void
run_case(void **state)
{
	const struct tcase *tc = *state;
	const char *main_name = tc->main != NULL ? tc->main : "t.tmpl";
	char dir[PATH_MAX], got[600];
	tmpl_error err;
	tmpl_env *env;
	tmpl_arena *a;
	tmpl_vars *v;
	const tmpl *t;
	tmpl_buf out;
	tmpl_status st;

	case_dir(tc->id, dir, sizeof(dir));
	write_file(dir, main_name, tc->tmpl,
	    tc->tlen != 0 ? tc->tlen : strlen(tc->tmpl));
	if (tc->files != NULL)
		json_files(dir, tc->id, tc->files);
	assert_non_null(env = tmpl_env_new(dir,
	    (tc->flags & CF_STRICT) ? TMPL_ENV_STRICT : 0));
	if (tc->flags & CF_UPPER)
		assert_int_equal(tmpl_env_add_fmt(env, "upper", fmt_upper,
		    NULL), TMPL_OK);
	assert_non_null(a = tmpl_arena_new(4096, 0));
	v = json_vars(a, tc->id, tc->data);
	tmpl_buf_init(&out, 0, 0);

	if ((t = tmpl_get(env, main_name, &err)) == NULL) {
		assert_int_not_equal(err.code, TMPL_OK);
		err_line(&err, got, sizeof(got));
		expect_text(tc->id, tc->expect, got, strlen(got));
	} else if ((st = tmpl_render(t, v, &out, &err)) != TMPL_OK) {
		assert_int_equal(st, err.code);
		assert_int_equal(out.len, 0);	/* the buffer was restored */
		err_line(&err, got, sizeof(got));
		expect_text(tc->id, tc->expect, got, strlen(got));
	} else
		expect_text(tc->id, tc->expect, out.data != NULL ? out.data :
		    "", out.len);
	if (tc->msgsub != NULL && strstr(err.msg, tc->msgsub) == NULL)
		fail_msg("%s: message \"%s\" lacks \"%s\"", tc->id, err.msg,
		    tc->msgsub);

	tmpl_buf_free(&out);
	tmpl_arena_free(a);
	tmpl_env_free(env);
}

/* ---------- IV.3: API-level checks ---------- */

/* A fresh environment on the directory of test id. */
static tmpl_env *
env_for(const char *id, char *dir, size_t len, unsigned flags)
{
	tmpl_env *env;

	case_dir(id, dir, len);
	assert_non_null(env = tmpl_env_new(dir, flags));
	return env;
}

/* Renders t with v into a fresh buffer and compares with want. */
static void
expect_render(const char *id, const tmpl *t, const tmpl_vars *v,
    const char *want)
{
	tmpl_error err;
	tmpl_buf out;
	tmpl_status st;

	assert_non_null(t);
	tmpl_buf_init(&out, 0, 0);
	if ((st = tmpl_render(t, v, &out, &err)) != TMPL_OK)
		fail_msg("%s: render failed: %s", id, err.msg);
	expect_text(id, want, out.data != NULL ? out.data : "", out.len);
	tmpl_buf_free(&out);
}

static const tmpl *
from_string(tmpl_env *env, const char *name, const char *src)
{
	tmpl_error err;
	const tmpl *t;

	if ((t = tmpl_from_string(env, name, src, strlen(src), &err)) == NULL)
		fail_msg("loading string:%s failed: %s", name, err.msg);
	return t;
}

/* A1: a render error restores the buffer, keeping earlier content. */
static void
test_A1_render_error_restores_buffer(void **state)
{
	char dir[PATH_MAX];
	tmpl_env *env = env_for("A1", dir, sizeof(dir), 0);
	tmpl_error err;
	const tmpl *t;
	tmpl_buf out;

	(void)state;
	write_str(dir, "a.tmpl", "x<TMPL_INCLUDE name=\"a.tmpl\">");
	assert_non_null(t = tmpl_get(env, "a.tmpl", &err));
	tmpl_buf_init(&out, 0, 0);
	tmpl_buf_puts(&out, "HDR");
	assert_int_equal(tmpl_render(t, NULL, &out, &err), TMPL_E_DEPTH);
	assert_int_equal(out.len, 3);
	assert_string_equal(out.data, "HDR");
	assert_int_equal(out.status, TMPL_OK);
	assert_string_equal(err.file, "a.tmpl");
	assert_int_equal(err.line, 1);
	assert_int_equal(err.col, 2);
	tmpl_buf_free(&out);
	tmpl_env_free(env);
}

/* A2: the cache returns one pointer; a shared include is read once. */
static void
test_A2_cache_reads_once(void **state)
{
	char dir[PATH_MAX];
	tmpl_env *env = env_for("A2", dir, sizeof(dir), 0);
	const tmpl *a, *b;

	(void)state;
	write_str(dir, "a.tmpl", "A<TMPL_INCLUDE name=\"inc.tmpl\">");
	write_str(dir, "b.tmpl", "B<TMPL_INCLUDE name=\"inc.tmpl\">");
	write_str(dir, "inc.tmpl", "i");
	assert_non_null(a = tmpl_get(env, "a.tmpl", NULL));
	assert_ptr_equal(tmpl_get(env, "a.tmpl", NULL), a);
	assert_int_equal(tmpl_env_reads(env), 2);
	assert_non_null(b = tmpl_get(env, "b.tmpl", NULL));
	assert_int_equal(tmpl_env_reads(env), 3);
	assert_ptr_equal(tmpl_get(env, "inc.tmpl", NULL),
	    tmpl_get(env, "inc.tmpl", NULL));
	assert_int_equal(tmpl_env_reads(env), 3);
	expect_render("A2", a, NULL, "Ai");
	expect_render("A2", b, NULL, "Bi");
	tmpl_env_free(env);
}

/* A3: a failed load caches nothing; a fixed file then loads. */
static void
test_A3_failed_load_not_cached(void **state)
{
	char dir[PATH_MAX];
	tmpl_env *env = env_for("A3", dir, sizeof(dir), 0);
	tmpl_error err;

	(void)state;
	write_str(dir, "m.tmpl", "<TMPL_INCLUDE name=\"p.tmpl\">");
	write_str(dir, "p.tmpl", "<TMPL_IF name=\"x\">open");
	assert_null(tmpl_get(env, "m.tmpl", &err));
	assert_int_equal(err.code, TMPL_E_STRUCTURE);
	assert_string_equal(err.file, "p.tmpl");
	write_str(dir, "p.tmpl", "<TMPL_IF name=\"x\">open</TMPL_IF>fixed");
	expect_render("A3", tmpl_get(env, "m.tmpl", &err), NULL, "fixed");
	tmpl_env_free(env);
}

/* A4: a later set of the same name wins. */
static void
test_A4_newest_set_wins(void **state)
{
	char dir[PATH_MAX];
	tmpl_env *env = env_for("A4", dir, sizeof(dir), 0);
	tmpl_arena *a = tmpl_arena_new(4096, 0);
	tmpl_vars *v = tmpl_vars_new(a);

	(void)state;
	assert_int_equal(tmpl_set(v, "k", "1"), TMPL_OK);
	assert_int_equal(tmpl_set(v, "k", "2"), TMPL_OK);
	expect_render("A4", from_string(env, "a4", "<TMPL_VAR name=\"k\">"),
	    v, "2");
	tmpl_arena_free(a);
	tmpl_env_free(env);
}

/* A4 again in scopes of many variables, which keep a hash table: the
 * newest set wins whether it came before or after the table was made, a
 * row's own variable hides the root's, and a name the row lacks is
 * found in the root. */
static void
test_A4_newest_set_wins_in_large_scope(void **state)
{
	char dir[PATH_MAX], name[16];
	tmpl_env *env = env_for("A4-large", dir, sizeof(dir), 0);
	tmpl_arena *a = tmpl_arena_new(4096, 0);
	tmpl_vars *v = tmpl_vars_new(a), *row;
	tmpl_loop *l;
	int i;

	(void)state;
	assert_int_equal(tmpl_set(v, "k", "old"), TMPL_OK);
	assert_int_equal(tmpl_set(v, "r", "root"), TMPL_OK);
	for (i = 0; i < 200; i++) {
		snprintf(name, sizeof(name), "v%d", i);
		assert_int_equal(tmpl_set_int(v, name, i), TMPL_OK);
		if (i == 3)
			assert_int_equal(tmpl_set(v, "k", "middle"), TMPL_OK);
	}
	assert_int_equal(tmpl_set(v, "k", "new"), TMPL_OK);
	l = tmpl_add_loop(v, "rows");
	row = tmpl_loop_row(l);
	for (i = 0; i < 20; i++) {
		snprintf(name, sizeof(name), "w%d", i);
		assert_int_equal(tmpl_set_int(row, name, -i), TMPL_OK);
	}
	assert_int_equal(tmpl_set(row, "r", "row"), TMPL_OK);
	assert_int_equal(tmpl_set(tmpl_loop_row(l), "w3", "small"), TMPL_OK);
	expect_render("A4-large", from_string(env, "a4l",
	    "<TMPL_VAR name=\"k\">,<TMPL_VAR name=\"v0\">,"
	    "<TMPL_VAR name=\"v199\">,<TMPL_VAR name=\"v200\" default=\"-\">"
	    "<TMPL_LOOP name=\"rows\">|<TMPL_VAR name=\"r\">,"
	    "<TMPL_VAR name=\"w3\">,<TMPL_VAR name=\"v7\">,"
	    "<TMPL_VAR name=\"k\"><TMPL_IF name=\"w19\">,w19</TMPL_IF>"
	    "</TMPL_LOOP>"), v,
	    "new,0,199,-|row,-3,7,new,w19|root,small,7,new");
	tmpl_arena_free(a);
	tmpl_env_free(env);
}

/* A5: tmpl_set_many skips a pair with a NULL value. */
static void
test_A5_set_many_skips_null(void **state)
{
	char dir[PATH_MAX];
	tmpl_env *env = env_for("A5", dir, sizeof(dir), 0);
	tmpl_arena *a = tmpl_arena_new(4096, 0);
	tmpl_vars *v = tmpl_vars_new(a);

	(void)state;
	assert_int_equal(tmpl_set_many(v, "a", "1", "b", (const char *)NULL,
	    "c", "3"), TMPL_OK);
	expect_render("A5", from_string(env, "a5",
	    "[<TMPL_VAR name=\"a\">|<TMPL_VAR name=\"b\" default=\"undef\">|"
	    "<TMPL_VAR name=\"c\">]"), v, "[1|undef|3]");
	tmpl_arena_free(a);
	tmpl_env_free(env);
}

/* A6: tmpl_add_loop twice gives one loop with both rows. */
static void
test_A6_add_loop_twice(void **state)
{
	char dir[PATH_MAX];
	tmpl_env *env = env_for("A6", dir, sizeof(dir), 0);
	tmpl_arena *a = tmpl_arena_new(4096, 0);
	tmpl_vars *v = tmpl_vars_new(a);
	tmpl_loop *l1, *l2;

	(void)state;
	assert_non_null(l1 = tmpl_add_loop(v, "L"));
	tmpl_set(tmpl_loop_row(l1), "n", "1");
	assert_non_null(l2 = tmpl_add_loop(v, "L"));
	tmpl_set(tmpl_loop_row(l2), "n", "2");
	assert_ptr_equal(l1, l2);
	assert_int_equal(tmpl_loop_len(l1), 2);
	expect_render("A6", from_string(env, "a6",
	    "<TMPL_LOOP name=\"L\">[<TMPL_VAR name=\"n\">]</TMPL_LOOP>"), v,
	    "[1][2]");
	tmpl_arena_free(a);
	tmpl_env_free(env);
}

/* A7: an arena cap makes the tree E_NOMEM, sticky, and unrenderable. */
static void
test_A7_arena_cap_is_sticky(void **state)
{
	char dir[PATH_MAX], *big;
	tmpl_env *env = env_for("A7", dir, sizeof(dir), 0);
	tmpl_arena *a = tmpl_arena_new(4096, 8192);
	tmpl_vars *v = tmpl_vars_new(a);
	const tmpl *t = from_string(env, "a7", "<TMPL_VAR name=\"k\">");
	tmpl_error err;
	tmpl_buf out;

	(void)state;
	assert_non_null(v);
	assert_non_null(big = malloc(10001));
	memset(big, 'x', 10000);
	big[10000] = '\0';
	assert_int_equal(tmpl_set(v, "k", big), TMPL_E_NOMEM);
	assert_int_equal(tmpl_vars_status(v), TMPL_E_NOMEM);
	assert_int_equal(tmpl_set(v, "small", "1"), TMPL_E_NOMEM);
	assert_int_equal(tmpl_setf(v, "f", "%d", 1), TMPL_E_NOMEM);
	assert_null(tmpl_add_loop(v, "L"));
	tmpl_buf_init(&out, 0, 0);
	tmpl_buf_puts(&out, "keep");
	assert_int_equal(tmpl_render(t, v, &out, &err), TMPL_E_NOMEM);
	assert_int_equal(err.code, TMPL_E_NOMEM);
	assert_int_equal(out.len, 4);
	assert_string_equal(out.data, "keep");
	tmpl_buf_free(&out);
	free(big);
	tmpl_arena_free(a);
	tmpl_env_free(env);
}

/* A8: output over tmpl_buf.max is E_TOOBIG and the buffer is restored. */
static void
test_A8_buffer_limit(void **state)
{
	char dir[PATH_MAX];
	tmpl_env *env = env_for("A8", dir, sizeof(dir), 0);
	const tmpl *t = from_string(env, "a8", "0123456789<TMPL_VAR "
	    "name=\"x\" default=\"0123456789\">");
	tmpl_error err;
	tmpl_buf out;

	(void)state;
	tmpl_buf_init(&out, 10, 0);
	assert_int_equal(tmpl_render(t, NULL, &out, &err), TMPL_E_TOOBIG);
	assert_int_equal(err.code, TMPL_E_TOOBIG);
	assert_int_equal(out.len, 0);
	assert_int_equal(out.status, TMPL_OK);
	tmpl_buf_free(&out);
	tmpl_env_free(env);
}

/* A9: reserved, malformed or empty formatter names, or no function. */
static void
test_A9_add_fmt_rejects(void **state)
{
	char dir[PATH_MAX];
	tmpl_env *env = env_for("A9", dir, sizeof(dir), 0);

	(void)state;
	assert_int_equal(tmpl_env_add_fmt(env, "html", fmt_upper, NULL),
	    TMPL_E_INVAL);
	assert_int_equal(tmpl_env_add_fmt(env, "raw", fmt_upper, NULL),
	    TMPL_E_INVAL);
	assert_int_equal(tmpl_env_add_fmt(env, "bad name!", fmt_upper, NULL),
	    TMPL_E_INVAL);
	assert_int_equal(tmpl_env_add_fmt(env, "", fmt_upper, NULL),
	    TMPL_E_INVAL);
	assert_int_equal(tmpl_env_add_fmt(env, "ok", NULL, NULL),
	    TMPL_E_INVAL);
	assert_int_equal(tmpl_env_add_fmt(env, "ok-2_x", fmt_upper, NULL),
	    TMPL_OK);
	tmpl_env_free(env);
}

/* A10: with TMPL_ENV_RELOAD a changed include drops the cache. */
static void
test_A10_refresh(void **state)
{
	char dir[PATH_MAX], dir2[PATH_MAX];
	tmpl_env *env = env_for("A10", dir, sizeof(dir), TMPL_ENV_RELOAD);
	tmpl_env *plain = env_for("A10-plain", dir2, sizeof(dir2), 0);
	const tmpl *t;

	(void)state;
	write_str(dir, "m.tmpl", "[<TMPL_INCLUDE name=\"p.tmpl\">]");
	write_str(dir, "p.tmpl", "old");
	expect_render("A10", tmpl_get(env, "m.tmpl", NULL), NULL, "[old]");
	assert_int_equal(tmpl_env_refresh(env), 0);
	write_str(dir, "p.tmpl", "brand new");
	assert_int_equal(tmpl_env_refresh(env), 1);
	expect_render("A10", tmpl_get(env, "m.tmpl", NULL), NULL,
	    "[brand new]");

	write_str(dir2, "m.tmpl", "[<TMPL_INCLUDE name=\"p.tmpl\">]");
	write_str(dir2, "p.tmpl", "old");
	assert_non_null(t = tmpl_get(plain, "m.tmpl", NULL));
	write_str(dir2, "p.tmpl", "brand new");
	assert_int_equal(tmpl_env_refresh(plain), 0);
	assert_ptr_equal(tmpl_get(plain, "m.tmpl", NULL), t);
	expect_render("A10", t, NULL, "[old]");
	tmpl_env_free(plain);
	tmpl_env_free(env);
}

/* A11: a string name registered twice; errors name "string:NAME". */
static void
test_A11_string_templates(void **state)
{
	char dir[PATH_MAX];
	tmpl_env *env = env_for("A11", dir, sizeof(dir), 0);
	tmpl_env *env2;
	tmpl_error err;

	(void)state;
	assert_non_null(tmpl_from_string(env, "x", "a", 1, &err));
	assert_string_equal(tmpl_name(tmpl_from_string(env, "y", "", 0,
	    NULL)), "string:y");
	assert_null(tmpl_from_string(env, "x", "b", 1, &err));
	assert_int_equal(err.code, TMPL_E_INVAL);
	assert_non_null(env2 = tmpl_env_new(dir, 0));
	assert_null(tmpl_from_string(env2, "x", "\n <TMPL_VAR>", 12, &err));
	assert_int_equal(err.code, TMPL_E_SYNTAX);
	assert_string_equal(err.file, "string:x");
	assert_int_equal(err.line, 2);
	assert_int_equal(err.col, 2);
	tmpl_env_free(env2);
	tmpl_env_free(env);
}

static int
sink_fail(void *ud, const char *p, size_t n)
{
	(void)ud;
	(void)p;
	(void)n;
	return -1;
}

static int
sink_buf(void *ud, const char *p, size_t n)
{
	tmpl_buf_append(ud, p, n);
	return 0;
}

/* A12: a failing sink gives E_SINK. */
static void
test_A12_sink_failure(void **state)
{
	char dir[PATH_MAX];
	tmpl_env *env = env_for("A12", dir, sizeof(dir), 0);
	tmpl_error err;

	(void)state;
	assert_int_equal(tmpl_render_sink(from_string(env, "a12", "hello"),
	    NULL, sink_fail, NULL, &err), TMPL_E_SINK);
	assert_int_equal(err.code, TMPL_E_SINK);
	tmpl_env_free(env);
}

/* A13: a failing user formatter: E_FORMATTER at its TMPL_VAR's '<'. */
static void
test_A13_formatter_failure(void **state)
{
	char dir[PATH_MAX];
	tmpl_env *env = env_for("A13", dir, sizeof(dir), 0);
	tmpl_arena *a = tmpl_arena_new(4096, 0);
	tmpl_vars *v = tmpl_vars_new(a);
	tmpl_error err;
	tmpl_buf out;

	(void)state;
	assert_int_equal(tmpl_env_add_fmt(env, "fail", fmt_fail, NULL),
	    TMPL_OK);
	tmpl_set(v, "s", "x");
	tmpl_buf_init(&out, 0, 0);
	assert_int_equal(tmpl_render(from_string(env, "a13",
	    "ab\n  <TMPL_VAR name=\"s\" fmt=\"fail\">"), v, &out, &err),
	    TMPL_E_FORMATTER);
	assert_string_equal(err.file, "string:a13");
	assert_int_equal(err.line, 2);
	assert_int_equal(err.col, 3);
	assert_int_equal(out.len, 0);
	tmpl_buf_free(&out);
	tmpl_arena_free(a);
	tmpl_env_free(env);
}

/* A14: the canonical error text of T92. */
static void
test_A14_error_format(void **state)
{
	static const char want[] =
	    "t.tmpl:1:1: error: <TMPL_IF> is not closed [E_STRUCTURE]";
	char dir[PATH_MAX], line[256], small[10];
	tmpl_env *env = env_for("A14", dir, sizeof(dir), 0);
	tmpl_error err;

	(void)state;
	write_str(dir, "t.tmpl", "<TMPL_IF name=\"x\">open");
	assert_null(tmpl_get(env, "t.tmpl", &err));
	assert_int_equal(tmpl_error_format(&err, line, sizeof(line)),
	    strlen(want));
	assert_string_equal(line, want);
	assert_int_equal(tmpl_error_format(&err, small, sizeof(small)),
	    strlen(want));
	assert_string_equal(small, "t.tmpl:1:");
	assert_int_equal(tmpl_error_format(&err, NULL, 0), strlen(want));
	tmpl_env_free(env);
}

/* A15: rendering never changes the data. */
static void
test_A15_render_is_pure(void **state)
{
	char dir[PATH_MAX];
	tmpl_env *env = env_for("A15", dir, sizeof(dir), 0);
	tmpl_arena *a = tmpl_arena_new(4096, 0);
	tmpl_vars *v = json_vars(a, "A15",
	    "{\"t\":\"T\",\"L\":[{\"n\":\"1\"},{\"n\":\"2\",\"t\":\"u\"}]}");
	const tmpl *t1 = from_string(env, "one",
	    "<TMPL_LOOP name=\"L\"><TMPL_VAR name=\"t\"><TMPL_VAR name=\"n\">"
	    "</TMPL_LOOP>");
	const tmpl *t2 = from_string(env, "two",
	    "<TMPL_VAR name=\"t\"><TMPL_IF name=\"L\">+</TMPL_IF>");

	(void)state;
	expect_render("A15", t1, v, "T1u2");
	expect_render("A15", t2, v, "T+");
	expect_render("A15", t1, v, "T1u2");
	expect_render("A15", t2, v, "T+");
	tmpl_arena_free(a);
	tmpl_env_free(env);
}

/* A16: tmpl_set_ref does not copy the value. */
static void
test_A16_set_ref(void **state)
{
	char dir[PATH_MAX], val[8] = "before";
	tmpl_env *env = env_for("A16", dir, sizeof(dir), 0);
	tmpl_arena *a = tmpl_arena_new(4096, 0);
	tmpl_vars *v = tmpl_vars_new(a);
	const tmpl *t = from_string(env, "a16", "<TMPL_VAR name=\"r\">");

	(void)state;
	assert_int_equal(tmpl_set_ref(v, "r", val), TMPL_OK);
	expect_render("A16", t, v, "before");
	snprintf(val, sizeof(val), "after!");
	expect_render("A16", t, v, "after!");
	snprintf(val, sizeof(val), "x");
	expect_render("A16", t, v, "x");
	tmpl_arena_free(a);
	tmpl_env_free(env);
}

/* A17: TMPL_LIMIT_INCLUDE_DEPTH = 2. */
static void
test_A17_depth_limit(void **state)
{
	char dir[PATH_MAX];
	tmpl_env *env = env_for("A17", dir, sizeof(dir), 0);
	tmpl_error err;
	tmpl_buf out;

	(void)state;
	assert_int_equal(tmpl_env_set_limit(env, TMPL_LIMIT_INCLUDE_DEPTH, 0),
	    TMPL_E_INVAL);
	assert_int_equal(tmpl_env_set_limit(env, TMPL_LIMIT_INCLUDE_DEPTH,
	    65), TMPL_E_INVAL);
	assert_int_equal(tmpl_env_set_limit(env, TMPL_LIMIT_INCLUDE_DEPTH, 2),
	    TMPL_OK);
	write_str(dir, "c2.tmpl", "0<TMPL_INCLUDE name=\"b1.tmpl\">");
	write_str(dir, "b1.tmpl", "1<TMPL_INCLUDE name=\"end.tmpl\">");
	write_str(dir, "c3.tmpl", "0<TMPL_INCLUDE name=\"b2.tmpl\">");
	write_str(dir, "b2.tmpl", "1<TMPL_INCLUDE name=\"b3.tmpl\">");
	write_str(dir, "b3.tmpl", "2<TMPL_INCLUDE name=\"end.tmpl\">");
	write_str(dir, "end.tmpl", "!");
	expect_render("A17", tmpl_get(env, "c2.tmpl", NULL), NULL, "01!");
	tmpl_buf_init(&out, 0, 0);
	assert_int_equal(tmpl_render(tmpl_get(env, "c3.tmpl", NULL), NULL,
	    &out, &err), TMPL_E_DEPTH);
	assert_string_equal(err.file, "b3.tmpl");
	assert_int_equal(err.col, 2);
	assert_string_equal(err.via,
	    "included from b2.tmpl:1:2\nincluded from c3.tmpl:1:2");
	tmpl_buf_free(&out);
	tmpl_env_free(env);
}

/* A18: names that escape or bend the root are refused with 0/0. */
static void
test_A18_bad_names(void **state)
{
	static const char *const bad[] = {
		"../x", "/x", "a//b", "./a", "a\\b", "a/", "", "a/../b",
	};
	char dir[PATH_MAX];
	tmpl_env *env = env_for("A18", dir, sizeof(dir), 0);
	tmpl_error err;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_null(tmpl_get(env, bad[i], &err));
		if (err.code != TMPL_E_PATH)
			fail_msg("A18: '%s' gave %d", bad[i], err.code);
		assert_int_equal(err.line, 0);
		assert_int_equal(err.col, 0);
	}
	tmpl_env_free(env);
}

/* ---------- further checks ---------- */

/* Sink output equals buffer output, also past the 8 KiB stage. */
static void
test_X1_sink_equals_buffer(void **state)
{
	char dir[PATH_MAX];
	tmpl_env *env = env_for("X1", dir, sizeof(dir), 0);
	tmpl_arena *a = tmpl_arena_new(4096, 0);
	tmpl_vars *v = tmpl_vars_new(a);
	tmpl_loop *l = tmpl_add_loop(v, "L");
	const tmpl *t = from_string(env, "x1", "<TMPL_LOOP name=\"L\">"
	    "<TMPL_VAR name=\"n\">&lt;<TMPL_VAR name=\"s\"></TMPL_LOOP>");
	tmpl_buf b1, b2;
	int i;

	(void)state;
	tmpl_set(v, "s", "<&>");
	for (i = 0; i < 3000; i++)
		tmpl_set_int(tmpl_loop_row(l), "n", i);
	tmpl_buf_init(&b1, 0, 0);
	tmpl_buf_init(&b2, 0, 0);
	assert_int_equal(tmpl_render(t, v, &b1, NULL), TMPL_OK);
	assert_int_equal(tmpl_render_sink(t, v, sink_buf, &b2, NULL),
	    TMPL_OK);
	assert_true(b1.len > 20000);
	assert_int_equal(b1.len, b2.len);
	assert_memory_equal(b1.data, b2.data, b1.len);
	tmpl_buf_free(&b1);
	tmpl_buf_free(&b2);
	tmpl_arena_free(a);
	tmpl_env_free(env);
}

/* tmpl_preload_dir loads the tree and stops at a broken file. */
static void
test_X2_preload_dir(void **state)
{
	char dir[PATH_MAX];
	tmpl_env *env = env_for("X2", dir, sizeof(dir), 0);
	tmpl_error err;
	char line[512];

	(void)state;
	write_str(dir, "a.tmpl", "<TMPL_INCLUDE name=\"sub/b.tmpl\">");
	write_str(dir, "sub/b.tmpl", "b");
	write_str(dir, "notes.txt", "<TMPL_VAR>");
	assert_int_equal(tmpl_preload_dir(env, ".tmpl", &err), TMPL_OK);
	assert_int_equal(tmpl_env_reads(env), 2);
	write_str(dir, "sub/c.tmpl", "x\n<TMPL_VAR name=\"a\" colour=\"red\">");
	assert_int_equal(tmpl_preload_dir(env, ".tmpl", &err), TMPL_E_SYNTAX);
	tmpl_error_format(&err, line, sizeof(line));
	assert_string_equal(line, "sub/c.tmpl:2:20: error: unknown attribute "
	    "'colour' in <TMPL_VAR> [E_SYNTAX]");
	tmpl_env_free(env);
}

/* The canonical form lists the include chain, innermost first. */
static void
test_X3_error_chain_format(void **state)
{
	char dir[PATH_MAX], line[2048];
	tmpl_env *env = env_for("X3", dir, sizeof(dir), 0);
	tmpl_error err;
	tmpl_buf out;

	(void)state;
	write_str(dir, "a.tmpl", "x<TMPL_INCLUDE name=\"a.tmpl\">");
	tmpl_buf_init(&out, 0, 0);
	assert_int_equal(tmpl_render(tmpl_get(env, "a.tmpl", NULL), NULL,
	    &out, &err), TMPL_E_DEPTH);
	tmpl_error_format(&err, line, sizeof(line));
	assert_string_equal(line,
	    "a.tmpl:1:2: error: include depth limit 16 exceeded [E_DEPTH]\n"
	    "  included from a.tmpl:1:2\n  included from a.tmpl:1:2\n"
	    "  included from a.tmpl:1:2\n  included from a.tmpl:1:2\n"
	    "  included from a.tmpl:1:2\n  included from a.tmpl:1:2\n"
	    "  included from a.tmpl:1:2\n  included from a.tmpl:1:2\n"
	    "  ...(8 more)");
	tmpl_buf_free(&out);
	tmpl_env_free(env);
}

/* Every status has a name, and the escapers agree with II.8. */
static void
test_X4_strerror_and_escapers(void **state)
{
	tmpl_buf b;
	int st;

	(void)state;
	for (st = TMPL_OK; st >= TMPL_E_SINK; st--)
		if (strncmp(tmpl_strerror((tmpl_status)st), "E_UNKNOWN:",
		    10) == 0)
			fail_msg("status %d has no text", st);
	assert_string_equal(tmpl_strerror(TMPL_E_SYNTAX),
	    "E_SYNTAX: malformed tag");
	tmpl_buf_init(&b, 0, 0);
	tmpl_escape_html(&b, "a\0<", 3);
	assert_string_equal(b.data, "a&lt;");
	tmpl_buf_clear(&b);
	tmpl_escape_js(&b, "\x01\x7f\xe2\x80\xa9\xe2\x80", 7);
	assert_string_equal(b.data, "\\u0001\\u007F\\u2029\xe2\x80");
	tmpl_buf_clear(&b);
	tmpl_escape_url(&b, "~ +", 3);
	assert_string_equal(b.data, "~%20%2B");
	tmpl_buf_clear(&b);
	tmpl_escape_entity(&b, "\t\n", 2);
	assert_string_equal(b.data, "\t&#10;");
	tmpl_buf_free(&b);
}

/* ---------- the group ---------- */

static int
remove_entry(const char *path, const struct stat *sb, int flag,
    struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static int
group_setup(void **state)
{
	const char *tmp = getenv("TMPDIR");

	(void)state;
	snprintf(g_root, sizeof(g_root), "%s/test-tmpl.XXXXXX",
	    tmp != NULL && *tmp != '\0' ? tmp : "/tmp");
	return mkdtemp(g_root) == NULL ? -1 : 0;
}

static int
group_teardown(void **state)
{
	(void)state;
	return nftw(g_root, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static const struct CMUnitTest api_tests[] = {
	cmocka_unit_test(test_A1_render_error_restores_buffer),
	cmocka_unit_test(test_A2_cache_reads_once),
	cmocka_unit_test(test_A3_failed_load_not_cached),
	cmocka_unit_test(test_A4_newest_set_wins),
	cmocka_unit_test(test_A4_newest_set_wins_in_large_scope),
	cmocka_unit_test(test_A5_set_many_skips_null),
	cmocka_unit_test(test_A6_add_loop_twice),
	cmocka_unit_test(test_A7_arena_cap_is_sticky),
	cmocka_unit_test(test_A8_buffer_limit),
	cmocka_unit_test(test_A9_add_fmt_rejects),
	cmocka_unit_test(test_A10_refresh),
	cmocka_unit_test(test_A11_string_templates),
	cmocka_unit_test(test_A12_sink_failure),
	cmocka_unit_test(test_A13_formatter_failure),
	cmocka_unit_test(test_A14_error_format),
	cmocka_unit_test(test_A15_render_is_pure),
	cmocka_unit_test(test_A16_set_ref),
	cmocka_unit_test(test_A17_depth_limit),
	cmocka_unit_test(test_A18_bad_names),
	cmocka_unit_test(test_X1_sink_equals_buffer),
	cmocka_unit_test(test_X2_preload_dir),
	cmocka_unit_test(test_X3_error_chain_format),
	cmocka_unit_test(test_X4_strerror_and_escapers),
};

#define NAPI	(sizeof(api_tests) / sizeof(api_tests[0]))

int
main(void)
{
	struct CMUnitTest tests[NCASES + NAPI];
	size_t i;

	/* One named test per IV.2 row, so that TAP reports its id. */
	for (i = 0; i < NCASES; i++) {
		memset(&tests[i], 0, sizeof(tests[i]));
		tests[i].name = cases[i].id;
		tests[i].test_func = run_case;
		tests[i].initial_state = &cases[i];
	}
	for (i = 0; i < NAPI; i++)
		tests[NCASES + i] = api_tests[i];
	return _cmocka_run_group_tests("tmpl", tests, NCASES + NAPI,
	    group_setup, group_teardown);
}
