/* serve.c: placeholder until implemented. */
#include "config.h"
int serve_placeholder_;
