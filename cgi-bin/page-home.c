/* placeholder */
#include "config.h"
int page_home_placeholder_;
