/* auth.c: placeholder until implemented. */
#include "config.h"
int auth_placeholder_;
