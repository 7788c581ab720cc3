/* placeholder */
#include "config.h"
int page_operator_placeholder_;
