/* placeholder */
#include "config.h"
int page_admin_placeholder_;
