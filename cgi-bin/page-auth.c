/* placeholder */
#include "config.h"
int page_auth_placeholder_;
