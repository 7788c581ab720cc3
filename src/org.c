/* org.c: placeholder until implemented. */
#include "config.h"
int org_placeholder_;
