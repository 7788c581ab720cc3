/* valid.c: placeholder until implemented. */
#include "config.h"
int valid_placeholder_;
