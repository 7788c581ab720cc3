/* placeholder */
#include "config.h"
int page_placeholder_;
