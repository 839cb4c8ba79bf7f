// shadow's libsubid plugin interface (libsubid_<name>.so, as SSSD ships
// libsubid_sss.so), declared here from its documented ABI.
#pragma once

#include <sys/types.h>

extern "C" {

enum subid_type { ID_TYPE_UID = 1, ID_TYPE_GID = 2 };

enum subid_status {
    SUBID_STATUS_SUCCESS = 0,
    SUBID_STATUS_UNKNOWN_USER = 1,
    SUBID_STATUS_ERROR_CONN = 2,
    SUBID_STATUS_ERROR = 3,
};

struct subid_range {
    unsigned long start;
    unsigned long count;
};

using shadow_subid_has_range_fn = subid_status (*)(const char* owner, unsigned long start,
                                                   unsigned long count, subid_type type,
                                                   bool* result);
using shadow_subid_list_owner_ranges_fn = subid_status (*)(const char* owner, subid_type type,
                                                           subid_range** ranges, int* count);
using shadow_subid_free_fn = void (*)(void* pointer);
}
