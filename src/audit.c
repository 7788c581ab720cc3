/* audit.c: placeholder until implemented. */
#include "config.h"
int audit_placeholder_;
