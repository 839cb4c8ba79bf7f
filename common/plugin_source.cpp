#include "plugin_source.hpp"

#include "subid_plugin_abi.hpp"
#include "text.hpp"

#include <dlfcn.h>

#include <cstdlib>

namespace idmap {

namespace {

class PluginSource final : public SubidSource {
public:
    PluginSource(const std::string& name, IdKind kind)
        : name_(name), library_("libsubid_" + name + ".so"),
          type_(kind == IdKind::uid ? ID_TYPE_UID : ID_TYPE_GID)
    {
        ::dlerror();
        handle_ = ::dlopen(library_.c_str(), RTLD_NOW | RTLD_LOCAL);
        if (handle_ == nullptr) {
            const char* why = ::dlerror();
            error_ =
                "cannot load " + library_ + ": " + escape(why != nullptr ? why : "unknown error");
            return;
        }
        has_range_ =
            reinterpret_cast<shadow_subid_has_range_fn>(::dlsym(handle_, "shadow_subid_has_range"));
        list_ranges_ = reinterpret_cast<shadow_subid_list_owner_ranges_fn>(
            ::dlsym(handle_, "shadow_subid_list_owner_ranges"));
        // Optional: SSSD 2.8's plugin does not export it, and its memory
        // comes from malloc.
        free_ = reinterpret_cast<shadow_subid_free_fn>(::dlsym(handle_, "shadow_subid_free"));
        if (has_range_ == nullptr) {
            error_ = library_ + " does not provide shadow_subid_has_range";
        }
    }
    PluginSource(const PluginSource&) = delete;
    PluginSource& operator=(const PluginSource&) = delete;
    ~PluginSource() override
    {
        if (handle_ != nullptr) {
            ::dlclose(handle_);
        }
    }

    [[nodiscard]] std::string name() const override
    {
        return "subid source '" + name_ + "' (" + library_ + ")";
    }

    [[nodiscard]] SourceAnswer query(const Caller& caller, OwnerMatcher&,
                                     std::span<const IdRange> wanted) override
    {
        SourceAnswer answer;
        answer.source = name();
        if (error_) {
            answer.error = name() + ": " + *error_;
            return answer;
        }
        const std::string owner = owner_of(caller);
        for (const IdRange& range : wanted) {
            bool result = false;
            const subid_status status =
                has_range_(owner.c_str(), range.first, range.count, type_, &result);
            if (status == SUBID_STATUS_UNKNOWN_USER) {
                result = false;
            } else if (status != SUBID_STATUS_SUCCESS) {
                answer.error = name() + ": " + describe(status);
                answer.covered.clear();
                answer.first_gap.clear();
                return answer;
            }
            answer.covered.push_back(result);
            answer.first_gap.push_back(range.first);
        }
        return answer;
    }

    [[nodiscard]] ListAnswer list(const Caller& caller, OwnerMatcher&) override
    {
        ListAnswer answer{name(), {}, std::nullopt};
        if (error_) {
            answer.error = name() + ": " + *error_;
            return answer;
        }
        if (list_ranges_ == nullptr) {
            answer.error =
                name() + ": " + library_ + " does not provide shadow_subid_list_owner_ranges";
            return answer;
        }
        subid_range* ranges = nullptr;
        int count = 0;
        const subid_status status = list_ranges_(owner_of(caller).c_str(), type_, &ranges, &count);
        if (status == SUBID_STATUS_SUCCESS) {
            for (int i = 0; ranges != nullptr && i < count; ++i) {
                answer.ranges.push_back({ranges[i].start, ranges[i].count});
            }
        } else if (status != SUBID_STATUS_UNKNOWN_USER) {
            answer.error = name() + ": " + describe(status);
        }
        if (ranges != nullptr) {
            if (free_ != nullptr) {
                free_(ranges);
            } else {
                std::free(ranges);
            }
        }
        return answer;
    }

private:
    // Plugins look users up by name; a caller without one is their uid.
    static std::string owner_of(const Caller& caller)
    {
        return caller.name ? *caller.name : std::to_string(caller.uid);
    }

    [[nodiscard]] std::string describe(subid_status status) const
    {
        if (status == SUBID_STATUS_ERROR_CONN) {
            return "its service could not be reached" +
                   std::string(name_ == "sss" ? " (is sssd running?)" : "");
        }
        if (status == SUBID_STATUS_ERROR) {
            return "it reported an error";
        }
        return "it answered with unknown status " + std::to_string(static_cast<int>(status));
    }

    std::string name_;
    std::string library_;
    subid_type type_;
    void* handle_ = nullptr;
    shadow_subid_has_range_fn has_range_ = nullptr;
    shadow_subid_list_owner_ranges_fn list_ranges_ = nullptr;
    shadow_subid_free_fn free_ = nullptr;
    std::optional<std::string> error_;
};

}  // namespace

std::unique_ptr<SubidSource> load_plugin_source(const std::string& name, IdKind kind)
{
    return std::make_unique<PluginSource>(name, kind);
}

}  // namespace idmap
