#!/bin/sh
# t-cgi-limits.sh: bad and oversized input gets a clear 4xx, never a crash.
. "${top_srcdir:-.}/tests/lib.sh"
t_db_init || { echo "Bail out! kwctl demo failed"; exit 1; }

big=$(head -c 1100000 /dev/zero | tr '\0' 'a')
cgi POST /login "email=$big"
is "$STATUS" 413 "a body over 1 MiB answers 413"
like "$OUT" 'larger than Keepword accepts' "the 413 page explains"

cgi POST /login "email=%zz&password=x"
is "$STATUS" 400 "a malformed percent-escape answers 400"
cgi POST /login "email=%C3%28&password=x"
is "$STATUS" 400 "invalid UTF-8 answers 400"
cgi POST /login "email=a%00b&password=x"
is "$STATUS" 400 "a NUL byte answers 400"
cgi GET "/login?x=%G0"
is "$STATUS" 400 "a malformed query answers 400"

many=$(i=0; while [ $i -lt 400 ]; do printf 'f%d=1&' $i; i=$((i + 1)); done)
cgi POST /login "$many"
is "$STATUS" 413 "too many fields answer 413"

longv=$(head -c 70000 /dev/zero | tr '\0' 'b')
cgi POST /login "email=$longv"
is "$STATUS" 413 "a field over 64 KiB answers 413"

cgi POST /login "email=x" "" CONTENT_LENGTH=abc
is "$STATUS" 400 "a malformed Content-Length answers 400"

cgi GET /health
is "$STATUS" 200 "after all that the program still answers"

done_testing
