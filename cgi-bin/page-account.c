/* placeholder */
#include "config.h"
int page_account_placeholder_;
