/* db.c: placeholder until implemented. */
#include "config.h"
int db_placeholder_;
