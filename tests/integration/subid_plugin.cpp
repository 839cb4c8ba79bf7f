// A test plugin with shadow's libsubid ABI, answering from the world's
// /etc/newidmap-test-subid:
//   u OWNER START COUNT     a uid range of OWNER
//   g OWNER START COUNT     a gid range
//   status N                every call answers status N instead
// Built three ways: libsubid_fixture.so (the whole ABI), libsubid_nofree.so
// (no shadow_subid_free, like SSSD 2.8), libsubid_nohas.so (no
// shadow_subid_has_range). Only the tests load it; it is never installed.
#include "subid_plugin_abi.hpp"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace {

struct Range {
    char type;
    std::string owner;
    unsigned long start;
    unsigned long count;
};

bool load(std::vector<Range>& ranges, int& forced)
{
    std::FILE* file = std::fopen("/etc/newidmap-test-subid", "r");
    if (file == nullptr) {
        return false;
    }
    char line[512];
    forced = -1;
    while (std::fgets(line, sizeof line, file) != nullptr) {
        char type = 0;
        char owner[256];
        unsigned long start = 0;
        unsigned long count = 0;
        int status = 0;
        if (std::sscanf(line, "status %d", &status) == 1) {
            forced = status;
        } else if (std::sscanf(line, "%c %255s %lu %lu", &type, owner, &start, &count) == 4) {
            ranges.push_back({type, owner, start, count});
        }
    }
    std::fclose(file);
    return true;
}

char type_char(subid_type type)
{
    return type == ID_TYPE_UID ? 'u' : 'g';
}

}  // namespace

extern "C" {

#ifndef PLUGIN_WITHOUT_HAS_RANGE
__attribute__((visibility("default"))) subid_status
shadow_subid_has_range(const char* owner, unsigned long start, unsigned long count, subid_type type,
                       bool* result)
{
    std::vector<Range> ranges;
    int forced = -1;
    if (!load(ranges, forced)) {
        return SUBID_STATUS_ERROR;
    }
    if (forced >= 0) {
        return static_cast<subid_status>(forced);
    }
    *result = false;
    bool known = false;
    for (const Range& r : ranges) {
        if (r.owner == owner) {
            known = true;
            if (r.type == type_char(type) && start >= r.start &&
                start + count <= r.start + r.count) {
                *result = true;
            }
        }
    }
    return known ? SUBID_STATUS_SUCCESS : SUBID_STATUS_UNKNOWN_USER;
}
#endif

__attribute__((visibility("default"))) subid_status
shadow_subid_list_owner_ranges(const char* owner, subid_type type, subid_range** out, int* count)
{
    std::vector<Range> ranges;
    int forced = -1;
    if (!load(ranges, forced)) {
        return SUBID_STATUS_ERROR;
    }
    if (forced >= 0) {
        return static_cast<subid_status>(forced);
    }
    *out = static_cast<subid_range*>(std::malloc(sizeof(subid_range) * (ranges.size() + 1)));
    *count = 0;
    for (const Range& r : ranges) {
        if (r.owner == owner && r.type == type_char(type)) {
            (*out)[(*count)++] = {r.start, r.count};
        }
    }
    return SUBID_STATUS_SUCCESS;
}

__attribute__((visibility("default"))) subid_status
shadow_subid_find_subid_owners(unsigned long, subid_type, uid_t** uids, int* count)
{
    *uids = nullptr;
    *count = 0;
    return SUBID_STATUS_SUCCESS;
}

#ifndef PLUGIN_WITHOUT_FREE
__attribute__((visibility("default"))) void shadow_subid_free(void* pointer)
{
    std::free(pointer);
}
#endif
}
