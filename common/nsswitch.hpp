// The "subid:" line of /etc/nsswitch.conf (SPEC §4): which sources answer
// for delegations, in order. Pure: text in, names out.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace idmap {

// A plugin name becomes "libsubid_<name>.so": letters, digits, '_' and '-'
// only, so that nothing else can reach dlopen's search.
[[nodiscard]] bool valid_source_name(std::string_view name) noexcept;

// The sources named by the first non-empty line starting with "subid:" (in
// any case, as shadow reads it), or {"files"} if there is none. Throws
// Failure naming the line for an invalid name or an nsswitch action.
[[nodiscard]] std::vector<std::string> parse_nsswitch_subid(std::string_view text,
                                                            std::string_view path);

// The services of another database line ("passwd:"), without actions;
// {"files"} if the line is missing, as in glibc.
[[nodiscard]] std::vector<std::string> nss_services(std::string_view text,
                                                    std::string_view database);

// The words (services and actions) of every line naming database, in any
// case, in file order.
[[nodiscard]] std::vector<std::vector<std::string>> nss_database_lines(std::string_view text,
                                                                       std::string_view database);

}  // namespace idmap
