/* req.c: placeholder until implemented. */
#include "config.h"
int req_placeholder_;
