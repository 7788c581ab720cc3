#!/bin/sh
# embed.sh: turn db/NNN-*.sql migrations into a C table (placeholder).
echo '/* generated */'
echo 'int migrations_placeholder_;'
