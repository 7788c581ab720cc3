/* route.c: placeholder until implemented. */
#include "config.h"
int route_placeholder_;
