/* tmpl.c: placeholder until implemented. */
#include "config.h"
int tmpl_placeholder_;
