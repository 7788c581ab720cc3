/* account.c: placeholder until implemented. */
#include "config.h"
int account_placeholder_;
